"""Builds that recover (issue 23): an interrupted build never blocks the next one (no --force), the next one ends
equal to a clean build byte for byte, with no temporary files left; a second build at the same time refuses
clearly; files are 0644 under umask 022; units whose names only differ in characters a file name cannot hold get
a file each."""

from __future__ import annotations

import fcntl
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, SEED_BUILD_UMASK
from helpers import compile_texts
from luoshi.driver import output
from luoshi.backends import checklist
from luoshi.driver.output import LOCK, MANIFEST, OutputError, write_outputs
from luoshi.site import paths


def files_of(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and p.name != LOCK}


OLD = {f"a/{i}.md": f"old {i}\n".encode() for i in range(12)} | {"gone.md": b"stale\n"}
NEW = {f"a/{i}.md": f"new {i}\n".encode() for i in range(12)} | {"b/new.md": b"added\n"}


class Interrupted(BaseException):
    pass


@pytest.mark.parametrize("after", [0, 1, 4, 8, 13, 14])  # 15 writes: the journal, 13 files, the manifest
@pytest.mark.parametrize("how", ["ctrl-c", "disk full"])
def test_a_build_interrupted_at_any_write_is_finished_by_the_next_without_force(tmp_path, monkeypatch, after, how):
    clean, root, sources = tmp_path / "clean", tmp_path / "build", tmp_path / "policies"
    sources.mkdir()
    write_outputs(clean, NEW, sources=sources)
    write_outputs(root, OLD, sources=sources)
    real, count = output.atomic_write, [0]

    def failing(path, data):
        count[0] += 1
        if count[0] > after:
            if how == "disk full":
                raise OSError(28, "No space left on device")
            (path.parent / f".{path.name}.abcd1234.tmp").write_bytes(data[:3])  # what kill -9 mid-write leaves
            raise Interrupted()
        real(path, data)

    monkeypatch.setattr(output, "atomic_write", failing)
    with pytest.raises((Interrupted, OSError)):
        write_outputs(root, NEW, force=False, sources=sources)
    monkeypatch.setattr(output, "atomic_write", real)
    write_outputs(root, NEW, force=False, sources=sources)  # no "files luoshi did not generate"
    assert files_of(root) == files_of(clean)


def test_kill_9_during_real_builds_then_a_build_without_force_equals_a_clean_one(tmp_path, seed_build, seed_build_seconds):
    env = {**os.environ, "LUOSHI_NO_CACHE": "1"}
    clean, built = seed_build, tmp_path / "build"   # the clean build: the session's (conftest.py)

    def build(out: Path) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "luoshi", "build", "-o", str(out)], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    duration = seed_build_seconds
    rng = random.Random(23)
    for _ in range(2):
        process = build(built)
        time.sleep(rng.uniform(0.5, 1.0) * duration)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
    finished = build(built)
    assert finished.wait(timeout=600) == 0, finished.stderr.read().decode()
    assert files_of(built) == files_of(clean)
    assert not [p for p in built.rglob("*.tmp")]


def test_a_second_build_into_the_same_folder_refuses_clearly(tmp_path):
    root, sources = tmp_path / "build", tmp_path / "policies"
    sources.mkdir()
    root.mkdir()
    with open(root / LOCK, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as a build in another process holds it
        with pytest.raises(OutputError) as refused:
            write_outputs(root, NEW, sources=sources)
        assert "另一个 luoshi 正在写入" in refused.value.zh and "another luoshi run" in refused.value.en
        assert not (root / MANIFEST).exists()
    write_outputs(root, NEW, sources=sources)  # the lock is gone with its holder
    assert files_of(root).keys() == NEW.keys() | {MANIFEST}


def test_two_real_builds_started_at_once_end_equal_to_a_clean_build(tmp_path, seed_build):
    """Two `luoshi build` processes on the same project and output folder, started together: each ends with the
    build done, or refused at once with the lock's message (never a traceback, never files interleaved), and the
    folder then equals a clean build byte for byte, with no temporary file left."""
    env = {**os.environ, "LUOSHI_NO_CACHE": "1"}
    clean, shared = seed_build, tmp_path / "build"   # the clean build: the session's (conftest.py)

    def build(out: Path) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "luoshi", "build", "-o", str(out)], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    both = [build(shared), build(shared)]
    results = [(p.wait(timeout=600), p.stderr.read().decode()) for p in both]
    for code, err in results:
        assert code == 0 or ("另一个 luoshi 正在写入" in err and "Traceback" not in err), (code, err)
    assert any(code == 0 for code, _ in results)
    assert files_of(shared) == files_of(clean)
    assert not [p for p in shared.rglob("*.tmp")]
    again = build(shared)  # and the next build needs no --force
    assert again.wait(timeout=600) == 0, again.stderr.read().decode()
    assert files_of(shared) == files_of(clean)


def test_outputs_are_0644_under_umask_022(seed_build):
    assert SEED_BUILD_UMASK == 0o022  # the session's `luoshi build` ran under it (conftest.py), as a shell's default
    modes = {oct(p.stat().st_mode & 0o777) for p in seed_build.rglob("*") if p.is_file()}
    assert modes == {"0o644"}


def test_an_output_named_as_a_device_or_pipe_is_written_into_never_replaced(tmp_path):
    """`luoshi table … -o /dev/null --force` (the fuzzed command lines draw both): as root, the atomic write's
    rename put a regular file where /dev/null was, and every later `> /dev/null` on the machine failed (initdb
    refused to start PostgreSQL). A FIFO named with -o gets the table through it and stays a FIFO."""
    import stat
    import threading

    run = [sys.executable, "-m", "luoshi", "table", "dzmf-2019-26", "--force", "-o"]
    done = subprocess.run([*run, "/dev/null"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)
    fifo = tmp_path / "table.md"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    done = subprocess.run([*run, str(fifo)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    reader.join(timeout=60)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and list(tmp_path.iterdir()) == [fifo]
    assert "大足民发〔2019〕26号" in got[0].decode("utf-8")


def test_units_whose_names_differ_only_in_unsafe_characters_get_a_file_each(tmp_path):
    units = '角色 民政 "民政部门"\n辖区 甲县 { 类型 县 层级 县级\n' + "".join(
        f'  单位 "{name}" 角色 民政\n' for name in ("a/b", "a_b", "index", "index_", "x:y", "x_y")) + "}\n"
    policy = ("政策 jia-2019-1 {\n  辖区 甲县\n  层级 县级\n  成文日期 2019年1月1日\n"
              + "".join(f'  任务 {i} "事项{i}" {{ 牵头 "{name}" 时限 2019年6月底前 }}\n'
                        for i, name in enumerate(("a/b", "a_b", "index", "index_", "x:y", "x_y"), 1)) + "}\n")
    comp = compile_texts(tmp_path, {"reg.units": units, "jia.policy": policy}, registry=False)
    assert not [d for d in comp.sink if d.severity.value == "error"], [d.en for d in comp.sink]
    made = checklist.render(comp.corpus, ("md",))
    stems = [name for name in made if name.startswith("checklists/甲县/")]
    assert len(stems) == 6 and len(set(stems)) == 6
    assert "checklists/甲县/a_b.md" in made and "checklists/甲县/index.md" in made  # names that needed no change keep it
    pages = {paths.unit_page(u) for u in comp.corpus.units if u.jurisdiction == "甲县"}
    assert len(pages) == 6 and "units/甲县/index_.md" in pages and "units/甲县/a_b.md" in pages
    assert paths.unit_page("甲县/a/b") != paths.unit_page("甲县/a_b")
    assert paths.unit_page("甲县/index") != paths.unit_page("甲县/index_")
