"""Output names as users type them: `-o 督查报告.xlsx` with no `-f` is an xlsx, not the default Markdown under an
xlsx name (a file Excel refuses, read as a broken report); text asked for by `-f` under the name of an Office file
is refused with what to do, and nothing is written."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import ROOT
from luoshi.cli import app

runner = CliRunner()
COMPLETION = ROOT / "tests" / "fixtures" / "comply" / "reports.csv"


@pytest.fixture
def small(tmp_path, monkeypatch) -> Path:
    """A small project (the test registry and one policy): each command on it takes about a second."""
    from helpers import small_project

    root = small_project(tmp_path)
    monkeypatch.chdir(root)
    return root


def _office(path: Path, part: str) -> zipfile.ZipFile:
    """The file as the Office package it must be, with the part Excel (xl/) or Word (word/) opens first."""
    package = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    assert any(n.startswith(part) for n in package.namelist()), package.namelist()
    return package


@pytest.mark.parametrize("args, name, part", [
    (["table", "small-1"], "分工.xlsx", "xl/"),
    (["table", "small-1"], "分工.docx", "word/"),
    (["checklist", "区民政局"], "清单.xlsx", "xl/"),
    (["checklist", "区民政局"], "清单.DOCX", "word/"),
])
def test_the_output_name_picks_the_format_when_none_is_given(small, args, name, part):
    result = runner.invoke(app, [*args, "-o", name])
    assert result.exit_code == 0, result.output
    _office(small / name, part)


def test_a_compliance_report_named_xlsx_is_a_workbook(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "督查报告.xlsx"
    result = runner.invoke(app, ["comply", str(COMPLETION), "--as-of", "2024-12-31", "-o", str(out)])
    assert result.exit_code in (0, 1), result.output  # 1: checks fail, as they do on this data
    assert "wrote" in result.output
    assert openpyxl.load_workbook(out).sheetnames


@pytest.mark.parametrize("args", [
    ["table", "small-1", "-f", "md"],
    ["table", "small-1", "-f", "csv"],
    ["checklist", "区民政局", "-f", "md"],
    ["graph", "export", "-f", "dot"],
])
def test_text_under_an_office_name_is_refused_and_nothing_is_written(small, args):
    result = runner.invoke(app, [*args, "-o", "报告.xlsx"])
    assert result.exit_code == 1
    assert "扩展名是 .xlsx" in result.output and "is named .xlsx" in result.output and "-f" in result.output
    assert "Traceback" not in result.output
    assert not (small / "报告.xlsx").exists()


def test_a_text_name_or_none_keeps_the_asked_or_default_format(small):
    assert runner.invoke(app, ["table", "small-1", "-o", "t.md"]).exit_code == 0
    assert (small / "t.md").read_text(encoding="utf-8").startswith("#")
    assert runner.invoke(app, ["table", "small-1", "-o", "t.csv"]).exit_code == 0
    assert "序号" in (small / "t.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert runner.invoke(app, ["table", "small-1", "-f", "html", "-o", "t.txt"]).exit_code == 0
    assert "<table" in (small / "t.txt").read_text(encoding="utf-8")
    shown = runner.invoke(app, ["table", "small-1"])
    assert shown.exit_code == 0 and shown.output.startswith("#")
