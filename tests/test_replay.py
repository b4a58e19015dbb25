"""A warm `luoshi lint`/`luoshi check` answered from its transcript (driver/replay.py): the same bytes and exit
code as running it, and never after a change to anything its answer depends on."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from luoshi.driver import replay

RACY_S = replay.RACY_NS / 1e9 + 0.2


def _run(root: Path, *args: str, env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess[str], bool]:
    """Run `python -m luoshi ARGS` in `root`; also whether it was replayed (no command module imported)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "luoshi", *args], cwd=root, capture_output=True,
                          text=True, timeout=300, env={**os.environ, **(env or {})})
    replayed = "luoshi.commands" not in done.stderr  # a run imports its command (luoshi.launch, cli.py)
    lines = [line for line in done.stderr.splitlines(keepends=True) if not line.startswith("import time:")]
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout, "".join(lines)), replayed


def _settle() -> None:
    """Wait until the files just written are no longer 'racy' (replay.RACY_NS)."""
    time.sleep(RACY_S)


def _transcripts(root: Path) -> list[Path]:
    folder = root / ".luoshi-cache" / replay.FOLDER
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_a_warm_lint_is_replayed_byte_for_byte_until_an_input_changes(scratch_project):
    root = scratch_project.root
    policy = sorted((root / "policies").rglob("*.policy"))[0]
    _settle()
    cold, replayed = _run(root, "lint", "-f", "json")
    assert not replayed and len(_transcripts(root)) == 1
    warm, replayed = _run(root, "lint", "-f", "json")
    assert replayed and (warm.stdout, warm.stderr, warm.returncode) == (cold.stdout, cold.stderr, cold.returncode)
    human, replayed = _run(root, "lint")  # another command line: its own transcript
    assert not replayed
    again, replayed = _run(root, "lint")
    assert replayed and (again.stdout, again.stderr, again.returncode) == (human.stdout, human.stderr, human.returncode)
    assert "checked" in again.stderr

    # an edit that keeps size and mtime: the change time still tells
    st = policy.stat()
    text = policy.read_text(encoding="utf-8")
    edited = text.replace("标题 \"", "标题 \"X", 1)[:-1] if text.endswith("\n") else text
    assert len(edited.encode()) == len(text.encode()) and edited != text
    policy.write_text(edited, encoding="utf-8")
    os.utime(policy, ns=(st.st_atime_ns, st.st_mtime_ns))
    after, replayed = _run(root, "lint", "-f", "json")
    fresh, _ = _run(root, "lint", "-f", "json", env={"LUOSHI_NO_CACHE": "1"})
    assert not replayed and after.stdout == fresh.stdout


def _recorded_then_replayed(root, *args: str) -> bool:
    """Run a command once its inputs have settled (so it records a transcript), then again: was it replayed?"""
    _settle()
    _run(root, *args)
    _, replayed = _run(root, *args)
    return replayed


def test_no_replay_after_a_new_file_a_config_change_or_a_baseline(scratch_project):
    root = scratch_project.root
    assert _recorded_then_replayed(root, "check", "-f", "json")
    # a new file in a folder searched: its folder's mtime changes
    (root / "policies" / "sub").mkdir()
    _, replayed = _run(root, "check", "-f", "json")
    assert not replayed
    assert _recorded_then_replayed(root, "lint", "-f", "json")
    (root / "pyproject.toml").write_text('[tool.luoshi]\npolicies = "policies"\n[tool.luoshi.lint]\ndisable = ["LS330"]\n',
                                         encoding="utf-8")
    _, replayed = _run(root, "lint", "-f", "json")
    assert not replayed
    assert _recorded_then_replayed(root, "lint", "-f", "json")
    written, _ = _run(root, "lint", "--write-baseline")  # writes a file: never replayed, never recorded
    assert written.returncode == 0
    _, replayed = _run(root, "lint", "-f", "json")  # the baseline now hides findings
    assert not replayed
    # another environment (LUOSHI_LANG, a colour switch, …) is another transcript
    _, replayed = _run(root, "lint", "-f", "json", env={"NO_COLOR": "1"})
    assert not replayed


def test_no_transcript_from_a_run_over_a_file_changed_just_now(scratch_project):
    """As git's racy entries: a file changed within RACY_NS of the run could change again in the same clock tick
    without changing its signature, so that run is not recorded."""
    root = scratch_project.root
    _, replayed = _run(root, "lint", "-f", "json")  # the project was just copied
    assert not replayed and _transcripts(root) == []
    _, replayed = _run(root, "lint", "-f", "json")
    assert not replayed


def test_no_replay_without_the_cache_or_with_a_damaged_transcript(scratch_project):
    root = scratch_project.root
    _settle()
    first, _ = _run(root, "check", "-f", "json")
    [entry] = _transcripts(root)
    _, replayed = _run(root, "check", "-f", "json", env={"LUOSHI_NO_CACHE": "1"})
    assert not replayed
    entry.write_bytes(entry.read_bytes()[:-3] + b"xyz")  # the seal no longer verifies
    again, replayed = _run(root, "check", "-f", "json")
    assert not replayed and again.stdout == first.stdout


@pytest.mark.parametrize("argv", [["lint", "--explain", "LS312"], ["--help"], ["check", "--help"]])
def test_only_lint_and_check_runs_are_recorded(scratch_project, argv):
    _settle()
    _run(scratch_project.root, *argv)
    assert _transcripts(scratch_project.root) == []


def test_no_transcript_from_a_run_whose_reader_went_away(scratch_project):
    """`luoshi lint -f json | head -0`: the write fails, the run ends with the pipe's exit code 1, not lint's; a
    transcript of it would answer the next run with that code."""
    _settle()
    done = subprocess.Popen([sys.executable, "-m", "luoshi", "lint", "-f", "json"], cwd=scratch_project.root,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert done.stdout is not None
    done.stdout.close()  # before the run has written a byte
    assert done.wait(timeout=300) == 1
    assert _transcripts(scratch_project.root) == []
    again, replayed = _run(scratch_project.root, "lint", "-f", "json")
    assert not replayed and again.stdout.startswith("{")


def test_an_interrupted_run_is_not_recorded():
    """Ctrl-C (SIGINT) while a `lint` or `check` runs: the recorder is switched off before Python's own
    KeyboardInterrupt, so whatever exit code the interrupted run ends with is never replayed."""
    code = ("import os, signal\nfrom luoshi.driver import replay\nreplay.record(['lint'])\n"
            "try:\n    os.kill(os.getpid(), signal.SIGINT)\n    print('not interrupted')\n"
            "except KeyboardInterrupt:\n    print('interrupted', replay.RECORDER.off)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "interrupted True", done.stderr
