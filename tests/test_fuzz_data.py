"""Fuzzing the completion-data loaders and the DuckDB checks: arbitrary and mutated CSV (every encoding, separator
and line ending, damaged bytes) and xlsx (cells of every type, Excel serial dates, merged header cells, empty
sheets, damaged zips). The only outcomes allowed are tables and a result, or problems that name the file and,
where there is one, the row and column — never an exception, never past the time bound. Derandomized and bounded;
bench/fuzz_long.py runs the same harness longer."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given

from fuzz import strategies as fs
from fuzz.harness import check_data_file
from luoshi.comply.checks import compile_plan
from luoshi.driver.pipeline import compile_paths


@pytest.fixture(scope="module")
def plan():
    return compile_plan(compile_paths(None).corpus)


@pytest.fixture(scope="module")
def folder():
    with tempfile.TemporaryDirectory(prefix="luoshi-fuzz-data-") as name:
        yield Path(name)


@fs.ci(150)
@given(data=fs.csv_bytes())
def test_csv_loader_reads_or_locates_every_problem(folder, data):
    check_data_file(fs.write(folder, "completion.csv", data))


@fs.ci(25)
@given(data=fs.csv_bytes())
def test_csv_through_the_checks(folder, plan, data):
    check_data_file(fs.write(folder, "completion.csv", data), plan)


@fs.ci(40)
@given(data=fs.xlsx_bytes())
def test_xlsx_loader_reads_or_locates_every_problem(folder, data):
    check_data_file(fs.write(folder, "督查.xlsx", data))


@fs.ci(12)
@given(data=fs.xlsx_bytes())
def test_xlsx_through_the_checks(folder, plan, data):
    check_data_file(fs.write(folder, "督查.xlsx", data), plan)
