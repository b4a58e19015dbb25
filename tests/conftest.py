"""Shared fixtures: the repository root, the seed texts kept as fixtures, and golden-file handling."""

from __future__ import annotations

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


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory) -> Path:
    """`luoshi build` of the seed corpus, made once per test session as a user makes it (a subprocess from the
    repository root; hash seed 1, UTC, no cache, no SOURCE_DATE_EPOCH): the build takes half a minute, and five
    tests read one. Read it, never write into it; a test that changes a build copies it first (`copied_build`)."""
    out = tmp_path_factory.mktemp("seed-build") / "build"
    env = {**os.environ, **SEED_BUILD_ENV}
    env.pop("SOURCE_DATE_EPOCH", None)
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "luoshi", "build", "-o", str(out)], cwd=ROOT, capture_output=True,
                          text=True, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    (out.parent / "seconds").write_text(f"{time.monotonic() - started:.3f}", encoding="utf-8")  # outside the build
    return out


@pytest.fixture(scope="session")
def seed_build_seconds(seed_build) -> float:
    """How long the session's seed build took (wall clock), for tests that time a signal into a build."""
    return float((seed_build.parent / "seconds").read_text(encoding="utf-8"))


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
