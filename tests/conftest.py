"""Shared fixtures: the repository root, the seed texts kept as fixtures, and golden-file handling; and what makes
the suite safe on several pytest-xdist workers (pyproject.toml's addopts: -n auto --dist loadgroup)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from luoshi.driver.project import Project

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SEEDS = FIXTURES / "seeds"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files (review the git diff)")


# the module fixtures over sitebuild.built_site() (test_site.py, test_site_browser.py): a site each process builds
# once, so all of its readers run on one worker (test_reproducible.py's site test is marked to join them)
SITE_READERS = {"site", "base_url"}


# the longest tests that share no module fixture (tests/README.md, "Test suite time"), handed out first among
# those: xdist gives out the groups first (largest first), then single tests in collection order, where these
# came last (test_i…, test_r…) and one worker ran them while the other idled. Alternating: those waiting on the session's seed build (`seed_build`) with those that do not.
SLOW_FIRST = (
    "test_reliability_output.py::test_kill_9_during_real_builds_then_a_build_without_force_equals_a_clean_one",
    "test_incremental.py::test_random_edits_small_synthetic",
    "test_install.py::test_a_wheel_install_builds_the_seed_corpus_byte_identically",
    "test_incremental.py::test_random_edits_seeds",
    "test_reliability_output.py::test_two_real_builds_started_at_once_end_equal_to_a_clean_build",
    "test_registry_cli.py::test_help_at_80_columns_cuts_nothing_for_every_command",
    "test_artifacts.py::test_build_writes_exactly_the_producers_outputs",
    "test_incremental.py::test_random_edits_trusting_signatures",
)


def _slow_rank(item) -> int:
    """Where an ungrouped test goes: its place in SLOW_FIRST, after them in collection order (sort is stable)."""
    if item.get_closest_marker("xdist_group"):
        return len(SLOW_FIRST)
    name = item.nodeid.rpartition("/")[2]
    return SLOW_FIRST.index(name) if name in SLOW_FIRST else len(SLOW_FIRST)


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which reads the marks under --dist loadgroup
def pytest_collection_modifyitems(config, items):
    """Keep the tests of a module that share a module- or class-scoped fixture on one xdist worker: spread over
    two, each worker would build the fixture again (test_comply_postgres.py's million-row table, test_cli.py's
    second build). Other tests go to whichever worker is free, the longest of them first (SLOW_FIRST; only tests
    without a module fixture move, so `-n 0` sets none up twice)."""
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        if info is None or item.get_closest_marker("xdist_group"):
            continue
        if SITE_READERS & set(info.names_closure):
            item.add_marker(pytest.mark.xdist_group("built-site"))
            continue
        scopes = {d.scope for defs in info.name2fixturedefs.values() for d in defs}
        if scopes & {"module", "class", "package"}:
            item.add_marker(pytest.mark.xdist_group(item.module.__name__ if item.module else item.nodeid))
    items.sort(key=_slow_rank)


def shared_temp(tmp_path_factory) -> Path:
    """A folder every xdist worker of this run sees (the parent of the workers' own base folders; the base folder
    itself without xdist): where a session fixture is built once for all workers."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextlib.contextmanager
def held(lock: Path):
    """An exclusive lock on a file across the workers' processes, held for the block (the first worker builds, the
    others wait for it and then read what it built)."""
    with open(lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture
def update_golden(request) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def in_root(monkeypatch) -> Path:
    """Run from the repository root, as a user would, so paths in spans are `policies/…`."""
    monkeypatch.chdir(ROOT)
    return ROOT


@pytest.fixture
def scratch_project(tmp_path, monkeypatch) -> Project:
    """A copy of the repository's policies/ in a project of its own, as the working folder, with the caches on:
    for tests that edit files or fill `.luoshi-cache/`."""
    shutil.copytree(ROOT / "policies", tmp_path / "policies")
    (tmp_path / "pyproject.toml").write_text('[tool.luoshi]\npolicies = "policies"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LUOSHI_NO_CACHE", raising=False)
    return Project(tmp_path, tmp_path / "policies", tmp_path / "build")


SEED_BUILD_ENV = {"PYTHONHASHSEED": "1", "TZ": "UTC", "COLUMNS": "200", "LUOSHI_NO_CACHE": "1"}
# the session's builds run under this umask, whatever the shell's: test_reliability_output.py reads their modes
SEED_BUILD_UMASK = 0o022


def _shared_build(tmp_path_factory, name: str, env: dict[str, str], after: Path | None = None) -> Path:
    """`luoshi build` of the seed corpus in a subprocess from the repository root with `env` over this process's
    environment (no SOURCE_DATE_EPOCH) and umask 022, made once per test run by the first xdist worker that asks, under a lock
    the others wait on (`shared_temp`); `after`: a build this one must start at least 2.1 s after (zip entries
    store time in 2-second steps: two builds compared must fall in different ones). Its wall-clock seconds are
    written beside it (`seed_build_seconds`)."""
    folder = shared_temp(tmp_path_factory) / name
    folder.mkdir(exist_ok=True)
    out, seconds = folder / "build", folder / "seconds"
    with held(folder.parent / f"{name}.lock"):
        if not seconds.exists():  # written last: a build that failed in another worker is made again here
            shutil.rmtree(out, ignore_errors=True)
            if after is not None:
                time.sleep(max(0.0, 2.1 - (time.time() - (after / "model" / "corpus.json").stat().st_mtime)))
            full = {**os.environ, **env}
            full.pop("SOURCE_DATE_EPOCH", None)
            started = time.monotonic()
            done = subprocess.run([sys.executable, "-m", "luoshi", "build", "-o", str(out)], cwd=ROOT,
                                  capture_output=True, text=True, env=full, umask=SEED_BUILD_UMASK)
            assert done.returncode == 0, done.stderr[-2000:]
            seconds.write_text(f"{time.monotonic() - started:.3f}", encoding="utf-8")  # outside the build
    return out


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory) -> Path:
    """`luoshi build` of the seed corpus, made once per test run as a user makes it (a subprocess from the
    repository root; hash seed 1, UTC, no cache, no SOURCE_DATE_EPOCH): the build takes a quarter of a minute, and
    several test files read one. Read it, never write into it; a test that changes a build copies it first
    (`copied_build`)."""
    return _shared_build(tmp_path_factory, "seed-build", SEED_BUILD_ENV)


# what the second build changes from the first: hash seed, time zone, the cache (on, as in a user's shell) and the
# wall-clock second (`_shared_build`'s `after`): what varies between two runs, or a developer's machine and CI
SECOND_BUILD_ENV = {"PYTHONHASHSEED": "2", "TZ": "Asia/Shanghai", "COLUMNS": "200"}


@pytest.fixture(scope="session")
def second_seed_build(tmp_path_factory, seed_build) -> Path:
    """The seed corpus built again, once per test run, as a user's shell runs it in another hash seed and time zone
    and with the cache on (SECOND_BUILD_ENV), at least 2 s after `seed_build`: what test_cli.py and
    test_reproducible.py compare with it byte for byte."""
    return _shared_build(tmp_path_factory, "second-seed-build", SECOND_BUILD_ENV, after=seed_build)


@pytest.fixture(scope="session")
def seed_build_seconds(seed_build) -> float:
    """How long the session's seed build took (wall clock), for tests that time a signal into a build."""
    return float((seed_build.parent / "seconds").read_text(encoding="utf-8"))


def build_only(out: Path, producers: set[str], cwd: Path = ROOT, env: dict[str, str] | None = None,
               ) -> subprocess.CompletedProcess[str]:
    """`luoshi build -o OUT` in a subprocess, the command line's own code, with artifacts.PRODUCERS narrowed to
    `producers` (names there; an unknown one fails): for a test that asserts only those outputs, at a fraction
    of a whole build (the checklists are three quarters of it). `env` over this process's environment."""
    code = ("import sys; from luoshi import artifacts; wanted = set(sys.argv[2].split(',')); "
            "assert wanted <= {p.name for p in artifacts.PRODUCERS}, wanted; "
            "artifacts.PRODUCERS = tuple(p for p in artifacts.PRODUCERS if p.name in wanted); "
            "from luoshi.cli import main; sys.argv = ['luoshi', 'build', '-o', sys.argv[1]]; main()")
    return subprocess.run([sys.executable, "-c", code, str(out), ",".join(sorted(producers))], cwd=cwd,
                          capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=600)


@pytest.fixture
def copied_build(seed_build, tmp_path) -> Path:
    """A copy of the session's seed build in this test's tmp_path, for a test that changes or rebuilds it."""
    return Path(shutil.copytree(seed_build, tmp_path / "build", symlinks=True))


def check_golden(path: Path, actual: str, update: bool) -> None:
    if update or not path.exists():
        path.write_text(actual, encoding="utf-8")
        if not update:
            pytest.fail(f"golden file {path.name} was missing and has been written; review it and rerun")
        return
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{path.name} differs from its golden file (rerun with --update-golden and review the diff)"
