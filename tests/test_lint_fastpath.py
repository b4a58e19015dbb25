"""A plain `luoshi lint` runs without typer (`luoshi.launch.lint_args`): every command line it reads, it reads as
typer does, and every other one it leaves to typer; the output, exit code and transcript are the typer run's."""

from __future__ import annotations

import errno
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from luoshi import cli
from luoshi.commands import lint as lint_command
from luoshi.launch import lint_args

READ = [  # command lines the fast path takes
    ["lint"],
    ["lint", "-f", "json"],
    ["lint", "--format", "sarif"],
    ["lint", "--format=json", "policies/"],
    ["lint", "policies/a.policy", "-f", "json", "yfbf-2018-161"],
    ["lint", "-f", "json", "-f", "human"],
    ["lint", "--strict", "--no-baseline", "--lang", "en"],
    ["lint", "--lang=zh", "--strict", "--strict", "-"],
    ["lint", "x", "--no-baseline", "y", "--format", "human", "z"],
]
LEFT = [  # command lines left to typer (some it refuses, some it reads with options the fast path does not take)
    ["check"],
    ["lint", "-fjson"],
    ["lint", "-f=json"],
    ["lint", "-f"],
    ["lint", "-f", "xml"],
    ["lint", "--format", "--strict"],
    ["lint", "--lang", "fr"],
    ["lint", "--strict=1"],
    ["lint", "--", "-odd-name"],
    ["lint", "--baseline", "b.json"],
    ["lint", "--write-baseline"],
    ["lint", "--explain", "LS312"],
    ["lint", "--help"],
    ["lint", "-h"],
    ["lint", "--form", "json"],
    ["--project", ".", "lint"],
]


def _typer_reading(argv: list[str], env: dict[str, str], monkeypatch) -> tuple | int:
    """What `_run` is called with when typer reads `argv`, or typer's exit code when it calls nothing."""
    seen: list[tuple] = []

    def run(paths, fmt, strict, baseline, no_baseline, write, force, lang):
        seen.append((paths, fmt.value, strict, baseline, no_baseline, write, force, lang))
        return 0

    monkeypatch.setattr(lint_command, "_run", run)
    result = CliRunner().invoke(cli.app, argv, env=env)
    return seen[0] if seen else result.exit_code


def _fast_reading(argv: list[str], env: dict[str, str]) -> tuple | None:
    found = lint_args(argv, env)
    if found is None:
        return None
    paths, fmt, strict, no_baseline, lang = found
    return (paths, fmt, strict, None, no_baseline, False, False, lang)


@pytest.mark.parametrize("argv", READ, ids=" ".join)
@pytest.mark.parametrize("lang_env", [None, "en"])
def test_the_fast_path_reads_a_command_line_as_typer_does(argv, lang_env, monkeypatch):
    env = {"LUOSHI_LANG": lang_env} if lang_env else {}
    monkeypatch.delenv("LUOSHI_LANG", raising=False)
    monkeypatch.delenv("LUOSHI_PROJECT", raising=False)
    fast = _fast_reading(argv, env)
    assert fast is not None
    assert fast == _typer_reading(argv, env, monkeypatch)


@pytest.mark.parametrize("argv", LEFT, ids=" ".join)
def test_the_fast_path_leaves_every_other_command_line_to_typer(argv):
    assert _fast_reading(argv, {}) is None


@pytest.mark.parametrize("argv", [a for a in LEFT if a[1:2] in (["-f"], ["-f=json"], ["--format"], ["--lang"],
                                                               ["--strict=1"], ["--form"])], ids=" ".join)
def test_what_the_fast_path_leaves_and_typer_refuses(argv, monkeypatch):
    assert _typer_reading(argv, {}, monkeypatch) == 2


def test_settings_typer_reads_from_the_environment_send_the_command_to_typer():
    assert lint_args(["lint"], {"LUOSHI_PROJECT": "/somewhere"}) is None
    assert lint_args(["lint"], {"LUOSHI_LANG": "fr"}) is None  # typer says it is not a language
    assert lint_args(["lint"], {"LUOSHI_LANG": "zh"}) == (None, "human", False, False, "zh")


@pytest.mark.parametrize("failure,code", [(KeyboardInterrupt, 130), (OSError(errno.EPIPE, "Broken pipe"), 1)])
def test_an_interrupted_lint_or_a_closed_pipe_ends_as_typer_ends_it(failure, code, monkeypatch, capsys):
    from luoshi import launch

    def interrupted(*args):
        raise failure

    monkeypatch.setattr(lint_command, "_run", interrupted)
    with pytest.raises(SystemExit) as fast:
        launch._lint((None, "json", False, False, "both"))
    result = CliRunner().invoke(cli.app, ["lint", "-f", "json"])
    assert (fast.value.code, capsys.readouterr().err) == (result.exit_code, result.output) == (code, "")


def _luoshi(args: list[str], cwd, extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200", **(extra or {})}
    return subprocess.run([sys.executable, "-m", "luoshi", *args], cwd=cwd, capture_output=True, env=env, timeout=300)


@pytest.mark.parametrize("fast,slow", [
    (["lint", "-f", "json"], ["lint", "-fjson"]),
    (["lint", "--strict"], ["lint", "--strict", "--baseline", "policies/.luoshi-lint-baseline.json"]),
    (["lint", "--no-baseline", "--lang", "en", "yfbf-2018-161"], ["lint", "--no-baseline", "--lang", "en", "--",
                                                                  "yfbf-2018-161"]),
])
def test_the_fast_path_writes_what_the_typer_run_writes(fast, slow, scratch_project):
    """Both runs compile the same files (the second incrementally, or replayed): same bytes, same exit code."""
    for extra in ({"LUOSHI_NO_CACHE": "1"}, {}, {"FORCE_COLOR": "1"}):
        a, b = _luoshi(fast, scratch_project.root, extra), _luoshi(slow, scratch_project.root, extra)
        assert (a.returncode, a.stdout, a.stderr) == (b.returncode, b.stdout, b.stderr), extra
        assert a.returncode in (0, 1) and (a.stdout or a.stderr)


PROBE = """
import os, sys
sys.argv = ["luoshi", *sys.argv[1:]]
real = os._exit
def done(code):
    print(sorted(m for m in ("typer", "click", "luoshi.cli") if m in sys.modules), file=sys.stderr)
    real(code)
os._exit = done
import luoshi.launch
luoshi.launch.main()
"""


def test_a_plain_lint_imports_no_typer(scratch_project):
    env = {**os.environ, "LUOSHI_NO_CACHE": "1"}
    fast = subprocess.run([sys.executable, "-c", PROBE, "lint", "-f", "json"], cwd=scratch_project.root,
                          capture_output=True, text=True, env=env, timeout=300)
    assert fast.stderr.splitlines()[-1] == "[]"
    slow = subprocess.run([sys.executable, "-c", PROBE, "lint", "-fjson"], cwd=scratch_project.root,
                          capture_output=True, text=True, env=env, timeout=300)
    assert slow.stderr.splitlines()[-1] == "['luoshi.cli', 'typer']"  # click is typer's own copy
    assert fast.stdout == slow.stdout and fast.returncode == slow.returncode


