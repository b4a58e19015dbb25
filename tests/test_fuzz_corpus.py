"""The fuzz corpus (tests/fuzz/corpus/): inputs the fuzzers and the adversarial pass of issue 23 found to end in a
traceback, kept as files and replayed through the same harness as the fuzz tests — data files through the loaders
and the checks, documents through `luoshi import`. New findings of bench/fuzz_long.py go here."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from conftest import ROOT
from fuzz.harness import check_data_file, import_one
from luoshi.comply.checks import compile_plan
from luoshi.driver.pipeline import compile_paths

CORPUS = ROOT / "tests" / "fuzz" / "corpus"


@pytest.fixture(scope="module")
def corpus():
    return compile_paths(None).corpus


@pytest.mark.parametrize("path", sorted((CORPUS / "data").iterdir()), ids=lambda p: p.name)
def test_data_corpus_reads_or_locates_every_problem(corpus, path):
    tables, outcome = check_data_file(path, compile_plan(corpus))
    assert outcome is not None


@pytest.mark.parametrize("path", sorted((CORPUS / "import").iterdir()), ids=lambda p: p.name)
def test_import_corpus_reads_or_refuses(corpus, path):
    with tempfile.TemporaryDirectory() as folder:
        import_one(Path(folder), corpus, (path.suffix, path.read_bytes()))
