"""Hostile text in what luoshi prints: a message quotes what the user wrote (a unit name, a data cell, a command-line
argument), so a 3-million-character name, a right-to-left override or a terminal escape sequence reaches the
terminal through it unless the renderer stops it. Each case: the diagnostic still names its file, line and column,
and what it prints is bounded and inert."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from fuzz.harness import DslProject

from luoshi.diagnostics.render import render_human

HEAD = "政策 x-1 {\n  辖区 云阳县\n  任务 1 \"甲\" {\n"


@pytest.fixture(scope="module")
def project():
    p = DslProject()
    yield p
    p.close()


def shown(comp) -> str:
    return render_human(list(comp.sink), comp.sources, lang="both")


def test_a_three_million_character_name_is_shown_cut_not_four_times_whole(project):
    name = "县" * 3_000_000
    comp = project.compile("long.policy", (HEAD + f"    牵头 {name}\n  }}\n}}\n").encode("utf-8"), seconds=60)
    assert [(d.code, d.span.line, d.span.column) for d in comp.sink if d.span.file.endswith("long.policy")] \
        == [("LS201", 4, 8)]
    text = shown(comp)
    assert len(text) < 3000, len(text)  # was 36 MB: the name in the message, the English and the hint
    assert "未知单位「县县" in text and "县…县" in text and "unknown unit '县县" in text


@pytest.mark.parametrize("mark", ["\u202e", "\u2066", "\u200d", "\u200b", "\ufeff"])
def test_an_invisible_mark_in_a_name_is_named_in_the_message_and_never_printed(project, mark):
    comp = project.compile("mark.policy", (HEAD + f"    牵头 县民{mark}政局\n  }}\n}}\n").encode("utf-8"))
    text = shown(comp)
    assert [d.code for d in comp.sink] == ["LS201"]
    assert f"未知单位「县民<U+{ord(mark):04X}>政局」" in text  # why the name that looks right is unknown
    assert mark not in text  # a U+202E would reverse the rest of the terminal line
    assert "4 |     牵头 县民\ufffd政局" in text  # the excerpt keeps its columns: one mark, one cell


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "compiler"), "LUOSHI_NO_CACHE": "1", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "luoshi", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=300)


def test_an_escape_sequence_in_a_data_cell_never_reaches_the_terminal(tmp_path):
    data = tmp_path / "完成情况.csv"
    data.write_text("政策,任务,单位,状态,日期\n"
                    "云阳府办发〔2019〕22号,4.1,县民\x1b]0;pwned\x07政局\x1b[31m,已完成,2019-03-28\n"
                    "云阳府办发〔2019〕22号,4.1,县民\u202e政局,已完成,2019-03-28\n", encoding="utf-8")
    result = _run(["comply", str(data), "--as-of", "2024-12-31"], ROOT)
    assert result.returncode == 1, result.stderr
    assert "完成情况.csv:2:3:" in result.stderr and "完成情况.csv:3:3:" in result.stderr  # still at its cell
    for bad in ("\x1b", "\x07", "\u202e"):
        assert bad not in result.stderr + result.stdout, repr(bad)
    assert "县民<U+202E>政局" in result.stderr


def test_an_escape_sequence_typed_on_the_command_line_is_not_echoed(tmp_path):
    result = _run(["table", "\x1b]0;pwned\x07"], ROOT)
    assert result.returncode == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\ufffd]0;pwned\ufffd" in result.stderr


@pytest.mark.parametrize("settings, where, said", [
    ('[tool.luoshi]\npolicies = 5\n', "pyproject.toml:", "policies in [tool.luoshi] must be a folder path"),
    ('[tool.luoshi]\noutput = ["build"]\n', "pyproject.toml:", "output in [tool.luoshi] must be a folder path"),
    ('[tool.luoshi]\nstandard_units = "false"\n', "pyproject.toml:", "standard_units in [tool.luoshi] must be true or false"),
    ('[tool]\nluoshi = 3\n', "pyproject.toml:", "[tool.luoshi] must be a table"),
    # unparseable: was skipped, and luoshi ran with settings the user never wrote
    ('[tool.luoshi\npolicies = "policies"\n', "pyproject.toml:1:13:", "is not valid TOML: Expected ']'"),
])
def test_settings_of_the_wrong_type_are_a_located_error_not_an_internal_one(tmp_path, settings, where, said):
    shutil.copytree(ROOT / "policies", tmp_path / "policies")
    (tmp_path / "pyproject.toml").write_text(settings, encoding="utf-8")
    for command in (["check"], ["build"]):
        result = _run(command, tmp_path)
        assert result.returncode == 1, result.stderr
        assert where in result.stderr and said in result.stderr and "错误：" in result.stderr
        assert "内部错误" not in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "build").exists()


def test_a_broken_pyproject_of_another_tool_is_still_passed_over(tmp_path):
    shutil.copytree(ROOT / "policies", tmp_path / "policies")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x\n', encoding="utf-8")
    result = _run(["check"], tmp_path)
    assert result.returncode == 0, result.stderr


# ───────────── zip bombs ─────────────


def _inflate(path: Path, base: bytes, member: str, before: bytes, mib: int) -> Path:
    """`base` (an xlsx or docx) with `mib` MiB of white space written into `member` before `before`: a file of
    about mib/1000 MB that inflates to mib MiB, as a zip bomb does."""
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(base))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename != member:
                out.writestr(item, data)
                continue
            at = data.index(before)
            with out.open(member, "w", force_zip64=True) as w:
                w.write(data[:at])
                for _ in range(mib):
                    w.write(b" " * 2**20)
                w.write(data[at:])
    return path


def test_a_workbook_that_inflates_a_thousandfold_is_refused_unread(tmp_path):
    import io

    import openpyxl
    from fuzz.harness import check_data_file

    book = openpyxl.Workbook()
    book.active.append(["政策", "任务", "单位", "状态", "日期"])
    book.active.append(["云阳府办发〔2019〕22号", "4.1", "县民政局", "已完成", "2019-03-28"])
    buffer = io.BytesIO()
    book.save(buffer)
    bomb = _inflate(tmp_path / "台账.xlsx", buffer.getvalue(), "xl/worksheets/sheet1.xml", b"<sheetData>", 160)
    assert bomb.stat().st_size < 2 * 2**20
    tables, _ = check_data_file(bomb, seconds=10)  # was: 160 MiB of white space parsed and held, 3 GB an OOM crash
    assert tables == []
    from luoshi.comply.loaders import load_tables
    from luoshi.diagnostics import Sink

    sink = Sink()
    load_tables([bomb], sink)
    [problem] = list(sink)
    assert problem.code == "LS500" and "xl/worksheets/sheet1.xml" in problem.en and "zip bomb" in problem.en
    assert "台账.xlsx" in problem.zh and "压缩炸弹" in problem.zh


def test_a_document_that_inflates_a_thousandfold_is_refused_by_import(tmp_path):
    import io

    import docx

    from luoshi.importer.readers import ReadError, read_document

    document = docx.Document()
    document.add_paragraph("一、总体要求")
    buffer = io.BytesIO()
    document.save(buffer)
    bomb = _inflate(tmp_path / "通知.docx", buffer.getvalue(), "word/document.xml", b"<w:body>", 160)
    with pytest.raises(ReadError) as refused:
        read_document(bomb)
    assert refused.value.code == "LS601" and "zip bomb" in refused.value.en and "word/document.xml" in refused.value.zh


def test_two_quoted_texts_side_by_side_are_not_called_a_name_running_into_a_text(project):
    """A title closed with three quotes, as 原文 is: the hint spoke of 名称「」, an empty name."""
    comp = project.compile("quotes.policy", '政策 x-1 {\n  辖区 云阳县\n  标题 "关于做好救助工作的通知"""\n}\n'.encode("utf-8"))
    [d] = list(comp.sink)
    assert (d.code, d.span.line, d.span.column) == ("LS100", 3, 19)
    assert "名称「」" not in (d.hint_zh or "") and "两段带引号的文本紧挨在一起" in (d.hint_zh or "")
    assert "three quotes" in (d.hint_en or "")


@pytest.mark.parametrize("content, said", [
    (b"not a zip", "is not a readable xlsx file"),   # was an internal error (BadZipFile)
    (None, "like a zip bomb"),                         # was 40 s parsing 2.9 GB, then only "no roster"
])
def test_cases_says_why_a_workbook_was_not_read(tmp_path, content, said):
    roster = tmp_path / "名册.xlsx"
    if content is None:
        import io

        import openpyxl

        book = openpyxl.Workbook()
        book.active.append(["户编号", "身份证号"])
        buffer = io.BytesIO()
        book.save(buffer)
        _inflate(roster, buffer.getvalue(), "xl/worksheets/sheet1.xml", b"<sheetData>", 100)
    else:
        roster.write_bytes(content)
    result = _run(["cases", str(roster), "--as-of", "2024-12-31"], ROOT)
    assert result.returncode == 1, result.stderr
    assert "LS500" in result.stderr and said in result.stderr and "名册.xlsx" in result.stderr
    assert "no roster among the files" in result.stderr and "内部错误" not in result.stderr
