"""`luoshi build` writes exactly what artifacts.PRODUCERS renders: one explicit list, no module discovery."""

from __future__ import annotations

from pathlib import Path

import pytest

from luoshi import artifacts
from luoshi.artifacts import PRODUCERS, Producer, render_all
from luoshi.driver.pipeline import compile_paths


def test_build_writes_exactly_the_producers_outputs(seed_build: Path, in_root: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = compile_paths(None).corpus
    rendered = {p.name: p.render(corpus) for p in PRODUCERS}
    by_producer = {name: set(out) for name, out in rendered.items()}
    assert all(by_producer.values()), [n for n, names in by_producer.items() if not names]
    names = [n for names in by_producer.values() for n in names]
    assert len(names) == len(set(names))  # no two producers write one file
    # render_all over the same producers, each answering what it rendered above: rendering the corpus a second
    # time cost as much as a whole build (~13 s), and the producers are deterministic (test_reproducible.py)
    monkeypatch.setattr(artifacts, "PRODUCERS", tuple(Producer(p.name, lambda _, out=rendered[p.name]: out)
                                                      for p in PRODUCERS))
    expected = set(render_all(corpus))
    assert expected == set(names)
    # `luoshi build` as a user runs it, without the cache: the session's build (conftest.py)
    written = {str(p.relative_to(seed_build)) for p in seed_build.rglob("*") if p.is_file()}
    assert {n for n in written if not n.startswith(".luoshi-")} == expected
