"""Shared by the draft and diff tests: the seed corpus, drafts made from it, and a scratch corpus holding a
copy of policies/ (registry included) plus whatever a test writes there."""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from luoshi.drafting.plan import DraftOptions, draft_policy
from luoshi.drafting.verify import Checked, check_draft
from luoshi.driver.pipeline import Compilation, compile_paths
from luoshi.driver.project import Project

from conftest import ROOT


@contextmanager
def at_root():
    old = os.getcwd()
    os.chdir(ROOT)
    try:
        yield
    finally:
        os.chdir(old)


@cache
def seed_compilation() -> Compilation:
    with at_root():
        return compile_paths(None)


def make_draft(parent: str, jurisdiction: str, shown: str = "draft.policy", **options) -> Checked:
    """Draft and check it in memory against the seed corpus, as `luoshi draft` does."""
    draft = draft_policy(seed_compilation().corpus, parent, jurisdiction, DraftOptions(**options))
    with at_root():
        return check_draft(draft, shown)


def scratch_corpus(tmp_path: Path, files: dict[str, str]) -> Compilation:
    """policies/ copied under tmp_path, plus `files` (name → text), compiled as a project of its own."""
    folder = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", folder)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return compile_paths(None, Project(root=tmp_path, policies=folder, output=tmp_path / "build"))
