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

from conftest import ROOT


def luoshi(*args: str, seed: str, tz: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed, "TZ": tz, "COLUMNS": "200"}
    env.pop("SOURCE_DATE_EPOCH", None)
    result = subprocess.run([sys.executable, "-m", "luoshi", *args], cwd=ROOT, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr[-2000:]


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def twice(tmp_path: Path, *args: str) -> tuple[dict[str, bytes], dict[str, bytes]]:
    first, second = tmp_path / "first", tmp_path / "second"
    luoshi(*args, "-o", str(first), seed="1", tz="UTC")
    time.sleep(2.1)  # zip entries store time in 2-second steps: the runs must fall in different ones
    luoshi(*args, "-o", str(second), seed="2", tz="Asia/Shanghai")
    return tree(first), tree(second)


def test_two_builds_are_byte_identical(tmp_path):
    first, second = twice(tmp_path, "build")
    kinds = Counter(Path(name).suffix for name in first)
    assert {".xlsx", ".docx", ".json", ".csv", ".md", ".dot", ".py"} <= set(kinds), kinds
    assert sorted(first) == sorted(second)
    differ = [name for name in first if first[name] != second[name]]
    assert not differ, differ[:10]


def test_two_site_runs_are_byte_identical(tmp_path):
    first, second = twice(tmp_path, "site")
    assert sum(name.endswith(".md") for name in first) > 50
    assert sorted(first) == sorted(second)
    differ = [name for name in first if first[name] != second[name]]
    assert not differ, differ[:10]
