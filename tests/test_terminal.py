"""One `Lang` and one colour decision for every command: `--lang fr` refused alike, NO_COLOR/FORCE_COLOR/TERM=dumb
honoured by every command that prints diagnostics."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer.main
from conftest import ROOT
from luoshi.cli import app
from luoshi.diagnostics.lang import Lang, say
from luoshi.driver.terminal import interactive, use_colour
from typer.testing import CliRunner


def _leaves(command: object, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], object]]:
    subs = getattr(command, "commands", None)
    if subs is None:
        yield path, command
        return
    for name, sub in subs.items():
        yield from _leaves(sub, (*path, name))


LEAVES = list(_leaves(typer.main.get_command(app)))
SPEAKING = [path for path, command in LEAVES if any(p.name == "lang" for p in command.params)]  # type: ignore[attr-defined]


def test_every_command_takes_the_one_lang() -> None:
    assert len(SPEAKING) >= 15  # check, build, lint, table, graph … (sample-cases prints only the files it wrote)
    for path, command in LEAVES:
        for param in command.params:  # type: ignore[attr-defined]  # typer's own click: no stubs
            if param.name == "lang":
                assert param.type_descriptor.annotation is Lang, path


@pytest.mark.parametrize("path", SPEAKING, ids=" ".join)
def test_lang_fr_is_refused_by_every_command_alike(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--lang", "fr"])
    assert result.exit_code == 2
    assert "'fr' is not one of 'both', 'zh', 'en'" in " ".join(result.output.replace("│", " ").split())


def test_say() -> None:
    assert say("中", "en", Lang.zh) == "中" and say("中", "en", "en") == "en" and say("中", "en") == "中 · en"


class _Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(("env", "tty", "expected"), [
    ({}, True, True),
    ({}, False, False),
    ({"NO_COLOR": "1"}, True, False),
    ({"NO_COLOR": ""}, True, True),           # set but empty: not a request (no-color.org)
    ({"TERM": "dumb"}, True, False),
    ({"FORCE_COLOR": "1"}, False, True),
    ({"FORCE_COLOR": "0"}, False, False),
    ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, True, False),  # NO_COLOR wins
])
def test_use_colour(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], tty: bool, expected: bool) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert use_colour(_Stream(tty)) is expected
    assert interactive(_Stream(tty)) is (tty and env.get("TERM") != "dumb")


@pytest.fixture(scope="module")
def bad_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bad")
    (root / "pyproject.toml").write_text('[tool.luoshi]\npolicies = "policies"\n', encoding="utf-8")
    (root / "policies").mkdir()
    (root / "policies" / "bad.policy").write_text('政策 p { 任务 1 "甲" { 牵头 不存在的单位 } }\n', encoding="utf-8")
    return root


def _stderr(args: list[str], cwd: Path, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
    done = subprocess.run([sys.executable, "-m", "luoshi", *args], check=False, cwd=cwd, capture_output=True, text=True,
                          env={**clean, "LUOSHI_NO_CACHE": "1", **env})
    assert "Traceback" not in done.stderr
    return done.stderr


@pytest.mark.parametrize("args", [["check"], ["build", "-o", "out"], ["lint"], ["table", "p"]], ids=" ".join)
def test_every_command_honours_no_color_and_force_color(bad_project: Path, args: list[str]) -> None:
    assert "bad.policy:1:" in _stderr(args, bad_project)
    assert "\x1b[" not in _stderr(args, bad_project)                        # a pipe: plain
    assert "\x1b[" in _stderr(args, bad_project, FORCE_COLOR="1")          # asked for: colour into the pipe
    assert "\x1b[" not in _stderr(args, bad_project, FORCE_COLOR="1", NO_COLOR="1")


def test_no_command_decides_colour_itself() -> None:
    package = ROOT / "compiler" / "luoshi"
    deciding = sorted(str(p.relative_to(package)) for p in package.rglob("*.py")
                      if "NO_COLOR" in p.read_text(encoding="utf-8") and p.name != "terminal.py")
    assert deciding == []
