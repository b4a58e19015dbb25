"""Same corpus, same bytes: two `luoshi build` runs and two `luoshi site` runs of the seed corpus give
byte-identical trees — xlsx, docx, JSON, CSV, DOT, the generated Python and the site's Markdown — even when the runs
differ in hash seed, time zone and wall-clock second (what varies between a developer's machine and CI)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from conftest import ROOT, SECOND_BUILD_ENV, SEED_BUILD_ENV
from sitebuild import built_site


def luoshi(*args: str, seed: str, tz: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed, "TZ": tz, "COLUMNS": "200"}
    env.pop("SOURCE_DATE_EPOCH", None)
    result = subprocess.run([sys.executable, "-m", "luoshi", *args], cwd=ROOT, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr[-2000:]


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(seed_build, second_seed_build):
    # the session's two builds (conftest.py): hash seed 1, UTC, no cache; then hash seed 2, Asia/Shanghai, the cache
    # on, at least 2 s later (zip entries store time in 2-second steps: the runs fall in different ones)
    assert SEED_BUILD_ENV["PYTHONHASHSEED"] == "1" and SEED_BUILD_ENV["TZ"] == "UTC"
    assert SECOND_BUILD_ENV["PYTHONHASHSEED"] == "2" and SECOND_BUILD_ENV["TZ"] == "Asia/Shanghai"
    first, second = tree(seed_build), tree(second_seed_build)
    assert (second_seed_build / "model" / "corpus.json").stat().st_mtime - (seed_build / "model" / "corpus.json").stat().st_mtime > 2
    kinds = Counter(Path(name).suffix for name in first)
    assert {".xlsx", ".docx", ".json", ".csv", ".md", ".dot", ".py"} <= set(kinds), kinds
    assert sorted(first) == sorted(second)
    differ = [name for name in first if first[name] != second[name]]
    assert not differ, differ[:10]


@pytest.mark.xdist_group("built-site")  # on the worker that builds the site for test_site*.py (conftest.py)
def test_two_site_runs_are_byte_identical(tmp_path):
    """The session's site (sitebuild.py, generated in this process) and the same `luoshi site` command again in
    another process, hash seed and time zone."""
    built = built_site()
    report = built.root / "reports" / "compliance-report.json"
    time.sleep(max(0.0, 2.1 - (time.time() - (built.sources / "index.md").stat().st_mtime)))
    luoshi("site", "-o", str(tmp_path / "second"), "--lang", "en", "--compliance", str(report), seed="2",
           tz="Asia/Shanghai")
    first, second = tree(built.sources), tree(tmp_path / "second")
    assert sum(name.endswith(".md") for name in first) > 50
    assert sorted(first) == sorted(second)
    differ = [name for name in first if first[name] != second[name]]
    assert not differ, differ[:10]
