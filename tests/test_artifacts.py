"""`luoshi build` writes exactly what artifacts.PRODUCERS renders: one explicit list, no module discovery."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from luoshi.artifacts import PRODUCERS, render_all
from luoshi.driver.pipeline import compile_paths


def test_build_writes_exactly_the_producers_outputs(tmp_path: Path, in_root: Path) -> None:
    corpus = compile_paths(None).corpus
    by_producer = {p.name: set(p.render(corpus)) for p in PRODUCERS}
    assert all(by_producer.values()), [n for n, names in by_producer.items() if not names]
    names = [n for names in by_producer.values() for n in names]
    assert len(names) == len(set(names))  # no two producers write one file
    expected = set(render_all(corpus))
    assert expected == set(names)
    done = subprocess.run([sys.executable, "-m", "luoshi", "build", "-o", str(tmp_path)], check=False, cwd=ROOT,
                          capture_output=True, text=True, env={**os.environ, "LUOSHI_NO_CACHE": "1"})
    assert done.returncode == 0, done.stderr
    written = {str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()}
    assert {n for n in written if not n.startswith(".luoshi-")} == expected
