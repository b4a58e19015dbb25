"""Fuzzing `luoshi import`, the command line, date cells and file names: seed documents mutated and written as txt, Markdown, HTML and
Word (sometimes damaged), and argv drawn from the commands' own arguments and made-up text. The only outcomes
allowed are a draft that reads back as DSL or an LS6xx ReadError, and an exit code — never another exception.
Derandomized and bounded; bench/fuzz_long.py runs the same targets longer (`--targets import,cli`)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given

from fuzz import strategies as fs
from fuzz.harness import check_date_cells, check_names, cli_one, import_one
from luoshi.driver.pipeline import compile_paths


@pytest.fixture(scope="module")
def corpus():
    return compile_paths(None).corpus


@pytest.fixture(scope="module")
def folder():
    with tempfile.TemporaryDirectory(prefix="luoshi-fuzz-inputs-") as name:
        yield Path(name)


@fs.ci(40)
@given(case=fs.import_document())
def test_import_reads_or_refuses_every_document(folder, corpus, case):
    import_one(folder, corpus, case)


@fs.ci(25)
@given(argv=fs.command_line())
def test_every_command_line_ends_in_an_exit_code(folder, argv):
    cli_one(folder, argv)


@fs.ci(20)
@given(cells=fs.date_cells())
def test_date_cells_are_a_date_or_none_never_an_error(cells):
    check_date_cells(cells)


@fs.ci(20)
@given(batch=fs.names())
def test_unit_names_make_one_file_name_each(batch):
    check_names(batch)
