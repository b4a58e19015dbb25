"""Shared fixtures: the repository root, the seed texts kept as fixtures, and golden-file handling."""

from __future__ import annotations

import shutil
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


def check_golden(path: Path, actual: str, update: bool) -> None:
    if update or not path.exists():
        path.write_text(actual, encoding="utf-8")
        if not update:
            pytest.fail(f"golden file {path.name} was missing and has been written; review it and rerun")
        return
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{path.name} differs from its golden file (rerun with --update-golden and review the diff)"
