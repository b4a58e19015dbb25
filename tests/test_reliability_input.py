"""No traceback, ever: the inputs that used to end `luoshi` in a wall of frames (issue 23) now end in a located,
bilingual diagnostic with a code, and anything unforeseen in a short bug report. Also data of any size: CSV read
in a streaming pass (DuckDB reads a numbered copy), stdin, pipes and devices, Excel's row limit."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import ROOT
from luoshi.comply import loaders
from luoshi.comply.checks import compile_plan
from luoshi.comply.engine import run
from luoshi.comply.loaders import load_tables
from luoshi.diagnostics import Sink
from luoshi.driver.pipeline import compile_paths

AS_OF = "2020-12-31"
HEADER = ["政策", "任务", "单位", "状态", "日期"]
GOOD = ["yyfbf-2019-22", "2.1", "县民政局", "已完成"]


@pytest.fixture(scope="module")
def plan():
    return compile_plan(compile_paths(None).corpus)


def cli(*args: str, cwd: Path = ROOT, stdin: bytes | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "luoshi", *args], cwd=cwd, capture_output=True, input=stdin,
                          env={**os.environ, "COLUMNS": "200", **(env or {})}, timeout=300)


def check(plan, path: Path):
    import datetime as dt

    sink = Sink()
    tables = load_tables([path], sink)
    outcome = run(plan, tables, dt.date(2020, 12, 31), sink)
    return tables, outcome, [(d.code, d.span.line if d.span else None, d.span.column if d.span else None) for d in outcome.diagnostics]


def write_csv(path: Path, rows: list[list], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([HEADER, *rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list]) -> Path:
    workbook = openpyxl.Workbook()
    for row in [HEADER, *rows]:
        workbook.active.append(row)
    workbook.save(path)
    return path


# ───────────── dates that are not dates ─────────────

NOT_DATES = ["20190230", "20191301", "00000000", "99999999", "2019-1-1 25:61", "2019-01-01 23:60"]


@pytest.mark.parametrize("text", NOT_DATES)
def test_eight_digit_and_timed_non_dates_in_csv_are_located_problems(plan, tmp_path, text):
    path = write_csv(tmp_path / "d.csv", [[*GOOD, "20190331"], [*GOOD, text]])
    _, outcome, found = check(plan, path)
    assert ("LS520", 3, 5) in found  # row 3, column E (日期): not a date
    assert outcome.rows_set_aside == 1


@pytest.mark.parametrize("value", ["20190230", 20190230, 20191301, 0, 99999999])
def test_eight_digit_non_dates_in_xlsx_text_or_number(plan, tmp_path, value):
    path = write_xlsx(tmp_path / "d.xlsx", [[*GOOD, "2019-03-31"], [*GOOD, value]])
    _, outcome, found = check(plan, path)
    assert ("LS520", 3, 5) in found
    assert outcome.rows_set_aside == 1


def test_a_valid_time_after_a_date_is_still_read(plan, tmp_path):
    path = write_csv(tmp_path / "d.csv", [[*GOOD, "2019-1-1 23:59"], [*GOOD, "2019/3/31 8:05:59"]])
    _, outcome, found = check(plan, path)
    assert not [f for f in found if f[0] == "LS520"] and outcome.rows_set_aside == 0


# ───────────── damaged, encrypted and odd files ─────────────


def _replace_in_zip(path: Path, member: str, data: bytes) -> None:
    with zipfile.ZipFile(path) as old:
        items = {name: old.read(name) for name in old.namelist()}
    items[member] = data
    with zipfile.ZipFile(path, "w") as new:
        for name, content in items.items():
            new.writestr(name, content)


_NS = "xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'"
_ROW1 = "<row r='1'>" + "".join(f"<c r='{c}1' t='inlineStr'><is><t>{h}</t></is></c>" for c, h in zip("ABCDE", HEADER)) + "</row>"


@pytest.mark.parametrize("sheet, fragment", [
    # cut off after the header: openpyxl opens it, the rows fail (an xml ParseError escaped `_read_sheet`)
    (f"<worksheet {_NS}><dimension ref='A1:E3'/><sheetData>{_ROW1}<row r='2'><c r='A2' t='inlineStr'><is><t>x", "damaged"),
    # an external entity declaration: never resolved, refused
    (f"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><worksheet {_NS}><sheetData>{_ROW1}"
     "<row r='2'><c r='A2' t='inlineStr'><is><t>&e;</t></is></c></row></sheetData></worksheet>", "undefined entity"),
])
def test_damaged_sheet_xml_is_a_diagnostic(tmp_path, sheet, fragment):
    path = write_xlsx(tmp_path / "bad.xlsx", [[*GOOD, "2019-03-31"]])
    _replace_in_zip(path, "xl/worksheets/sheet1.xml", sheet.encode())
    sink = Sink()
    tables = load_tables([path], sink)
    assert tables == [] and [d.code for d in sink] == ["LS500"]
    assert "bad.xlsx" in list(sink)[0].zh and fragment in list(sink)[0].en
    assert "root:" not in list(sink)[0].en


def test_encrypted_workbook_is_called_encrypted(tmp_path):
    # the layout of an Office encrypted package: an OLE compound file holding an `EncryptedPackage` stream
    body = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000))
    body[1200:1200 + 32] = "EncryptedPackage".encode("utf-16-le")
    path = tmp_path / "locked.xlsx"
    path.write_bytes(bytes(body))
    sink = Sink()
    assert load_tables([path], sink) == []
    assert [d.code for d in sink] == ["LS500"] and "加密" in list(sink)[0].zh
    assert "encrypted" in list(sink)[0].en


def test_folder_fifo_and_device_are_refused_by_name(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    folder = tmp_path / "data.csv"
    folder.mkdir()
    sink = Sink()
    assert load_tables([folder, fifo, Path("/dev/zero")], sink) == []  # none of them blocks or reads forever
    messages = [d.en for d in sink]
    assert [d.code for d in sink] == ["LS501"] * 3
    assert "is a folder" in messages[0] and "not a regular file" in messages[1] and "not a regular file" in messages[2]


def test_comply_on_a_folder_from_the_command_line(tmp_path):
    result = cli("comply", str(tmp_path), "--as-of", AS_OF)
    assert result.returncode == 1 and "Traceback" not in result.stderr.decode()
    assert "是文件夹" in result.stderr.decode()


def test_stdin_is_read_once_as_csv_xlsx_or_parquet_and_leaves_no_temporary_files(tmp_path):
    import duckdb

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {"TMPDIR": str(scratch)}
    data = write_csv(tmp_path / "d.csv", [[*GOOD, "2019-03-31"], [*GOOD, "20190230"]]).read_bytes()
    result = cli("comply", "-", "--as-of", AS_OF, "-f", "json", stdin=data, env=env)
    err = result.stderr.decode()
    assert "-:3:5" in err and "LS520" in err  # the row and column, in the file called -
    assert json.loads(result.stdout)["rows"]["read"] == 2
    workbook = write_xlsx(tmp_path / "d.xlsx", [[*GOOD, 20191301]]).read_bytes()
    result = cli("comply", "-", "--as-of", AS_OF, stdin=workbook, env=env)
    assert "-[Sheet]:2:5" in result.stderr.decode()
    parquet = tmp_path / "d.parquet"
    duckdb.connect().execute(f"COPY (SELECT * FROM read_csv('{tmp_path / 'd.csv'}', all_varchar = true)) TO '{parquet}'")
    result = cli("comply", "-", "--as-of", AS_OF, "-f", "json", stdin=parquet.read_bytes(), env=env)
    assert json.loads(result.stdout)["rows"]["read"] == 2, result.stderr.decode()
    assert list(scratch.iterdir()) == []  # the copies of stdin and the CSV's numbered copy are gone


def _damaged_deflate_docx() -> bytes:
    """A Word document whose document.xml's compressed bytes are damaged (found by the fuzzer: a zlib.error)."""
    import docx

    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("关于加强城市特殊困难群众救助帮扶工作的意见" * 50)
    document.save(buffer)
    data = bytearray(buffer.getvalue())
    start = data.index(b"word/document.xml") + len(b"word/document.xml")
    data[start + 40:start + 80] = b"\xff" * 40
    return bytes(data)


def test_corrupt_docx_import_is_ls601(tmp_path):
    for name, data in (("random.docx", os.urandom(3000)), ("zip-head.docx", b"PK\x03\x04garbage"),
                       ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)),
                       ("deflate.docx", _damaged_deflate_docx())):
        (tmp_path / name).write_bytes(data)
        result = cli("import", str(tmp_path / name), "-o", str(tmp_path / "out.policy"))
        err = result.stderr.decode()
        assert "LS601" in err and "Traceback" not in err and "内部错误" not in err, err


def test_policy_file_name_not_utf8_is_ls103(scratch_project):
    policies = scratch_project.policies
    os.rename(policies / "dzmf-2019-26.policy", os.fsencode(policies) + b"/\xb4\xf3\xd7\xe3.policy")  # 大足 in GBK
    for command in ("check", "build", "lint"):
        result = cli(command, cwd=scratch_project.root)
        err = result.stderr.decode()
        assert result.returncode == 1 and "LS103" in err and "not UTF-8" in err, (command, err)
        assert "Traceback" not in err and "内部错误" not in err


def test_unforeseen_failure_is_a_short_bug_report(tmp_path):
    code = ("import luoshi.cli as c\n"
            "def boom(*a, **k):\n    raise RuntimeError('boom \\x1b[31m red')\n"
            "c._report = boom\nc.main()\n")
    result = subprocess.run([sys.executable, "-c", code, "check"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 70
    assert "Traceback" not in result.stderr and "\x1b" not in result.stderr
    assert "内部错误" in result.stderr and "internal error in luoshi" in result.stderr
    assert "RuntimeError: boom ?[31m red" in result.stderr and "LUOSHI_DEBUG=1" in result.stderr
    assert len(result.stderr.splitlines()) <= 6
    debug = subprocess.run([sys.executable, "-c", code, "check"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                           env={**os.environ, "LUOSHI_DEBUG": "1"})
    assert debug.returncode == 70 and "Traceback" in debug.stderr


# ───────────── data of any size ─────────────


def test_csv_is_read_by_duckdb_from_a_numbered_copy_with_the_same_rows(plan, tmp_path):
    rows = [[*GOOD, "2019-03-31"], [], [*GOOD[:3], '已完成\n（第二行）', "20190230"], [*GOOD, "2019/4/1"]]
    path = write_csv(tmp_path / "gbk.csv", rows, encoding="gb18030")
    tables, outcome, found = check(plan, path)
    assert tables[0].spill is not None and tables[0].encoding == "gb18030" and len(tables[0]) == 4
    assert ("LS520", 4, 5) in found  # a record with a line break in a quoted cell is one row
    spill = Path(tables[0].spill.folder)
    assert spill.exists()
    tables[0].close()
    assert not spill.exists()


def test_encoding_problem_is_on_its_line_in_a_large_file(tmp_path):
    lines = [",".join(HEADER)] + [",".join([*GOOD, "2019-03-31"])] * 200_000
    data = ("\n".join(lines[:150_000]) + "\n").encode() + b"\xff\xfe\xfa,x\n" + ("\n".join(lines[150_000:]) + "\n").encode()
    path = tmp_path / "big.csv"
    path.write_bytes(data)
    sink = Sink()
    assert load_tables([path], sink) == []
    assert [(d.code, d.span.line) for d in sink] == [("LS502", 150_001)]


def test_more_rows_than_excel_allows_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(loaders, "XLSX_MAX_ROWS", 10)
    path = write_xlsx(tmp_path / "many.xlsx", [[*GOOD, "2019-03-31"]] * 12)
    sink = Sink()
    assert load_tables([path], sink) == []
    assert [d.code for d in sink] == ["LS500"] and "1,048,576" not in list(sink)[0].en
    assert "10" in list(sink)[0].en


MEMORY_CHILD = r"""
import datetime as dt, resource, sys
from pathlib import Path
limit = int(sys.argv[2]) * 1024 * 1024
import duckdb, numpy
from luoshi.comply.checks import compile_plan
from luoshi.comply.engine import run
from luoshi.comply.loaders import load_tables
from luoshi.diagnostics import Sink
from luoshi.driver.pipeline import compile_paths
plan = compile_plan(compile_paths(None).corpus)
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
sink = Sink()
tables = load_tables([Path(sys.argv[1])], sink)
outcome = run(plan, tables, dt.date(2020, 12, 31), sink)
print(outcome.rows_read, outcome.rows_set_aside, len(outcome.results))
"""


def make_data(path: Path, rows: int) -> None:
    """`rows` rows of monthly reports written by DuckDB itself (fast), as CSV or Parquet by the suffix."""
    import duckdb

    kind = "(FORMAT parquet)" if path.suffix == ".parquet" else "(HEADER, DELIMITER ',')"
    duckdb.connect().execute(f"""COPY (SELECT 'yyfbf-2019-22' AS 政策, '2.' || (i % 9 + 1) AS 任务, '县民政局' AS 单位,
        CASE WHEN i % 1000 = 0 THEN '已完成' ELSE '进行中' END AS 状态,
        strftime(DATE '2019-01-01' + CAST(i % 700 AS INTEGER), '%Y-%m-%d') AS 日期, '第' || i || '次报告' AS 备注
        FROM range({rows}) t(i)) TO '{path}' {kind}""")


def peak_run(path: Path, limit_mb: int) -> subprocess.CompletedProcess:
    """Check `path` in a child whose address space is capped at `limit_mb`. The cap counts reservations, not pages
    used: glibc reserves 64 MB of address space for each malloc arena, and opens more arenas when threads contend
    for one, so on a busy machine (the suite's workers beside DuckDB's threads) the same work reserved more and
    failed now and then. Two arenas keep the reserved space a function of the work, not of the machine's load."""
    return subprocess.run([sys.executable, "-c", MEMORY_CHILD, str(path), str(limit_mb)], cwd=ROOT, capture_output=True,
                          text=True, timeout=600, env={**os.environ, "LUOSHI_JOBS": "1", "MALLOC_ARENA_MAX": "2"})


def test_a_csv_larger_than_the_memory_limit_is_checked_like_its_parquet(tmp_path):
    """A 240 MB CSV under a 1 GB address-space limit, the limit a Parquet file of the same rows is checked in (the
    old loader needed ~13× the file); bench/big_csv.py runs a 2 GiB one under 2 GiB."""
    rows = 3_000_000
    csv_path, parquet_path = tmp_path / "big.csv", tmp_path / "big.parquet"
    make_data(csv_path, rows)
    make_data(parquet_path, rows)
    assert csv_path.stat().st_size > 200 << 20
    limit = 1000
    as_parquet = peak_run(parquet_path, limit)
    assert as_parquet.returncode == 0, as_parquet.stderr[-2000:]
    as_csv = peak_run(csv_path, limit)
    assert as_csv.returncode == 0, as_csv.stderr[-2000:]
    assert as_csv.stdout == as_parquet.stdout and as_csv.stdout.split()[0] == str(rows)


def _sheet_peak(path: Path) -> tuple[list[loaders.RawTable], int]:
    """The tables of a workbook and the peak of Python memory while reading it."""
    import tracemalloc

    tracemalloc.start()
    try:
        tables = load_tables([path], Sink())
        return tables, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _long_sheet(path: Path, rows: int) -> Path:
    """`rows` rows of a completion sheet, written in openpyxl's streaming mode: a percentage cell and a date that
    lost its format (Excel's serial number) on every row, as offices' sheets have them."""
    from openpyxl.cell import WriteOnlyCell

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("数据")
    sheet.append([*HEADER, "指标", "数值", "备注"])
    for i in range(rows):
        share = WriteOnlyCell(sheet, value=0.42)
        share.number_format = "0%"
        sheet.append([*GOOD, 43555 + i % 300, "集中供养率", share, f"第{i % 50}批"])
    book.save(path)
    return path


def test_a_long_xlsx_sheet_streams_in_bounded_memory_with_the_same_rows(plan, tmp_path, monkeypatch):
    """Past `SPILL_ROWS` rows a sheet goes to a Parquet copy DuckDB reads (as a CSV does), so Python memory does
    grows by a small fraction of what lists of every cell take per row (what is left per row is openpyxl's: its XML
    parser keeps each cleared row element, ~80 bytes). The rows and their reading (serial dates, percentages, row
    numbers) are the same as in lists."""
    monkeypatch.setattr(loaders, "SPILL_ROWS", 500)
    short = _long_sheet(tmp_path / "short.xlsx", 2_000)
    long = _long_sheet(tmp_path / "long.xlsx", 8_000)
    (small,), small_peak = _sheet_peak(short)
    (large,), large_peak = _sheet_peak(long)
    assert small.spill is not None and large.spill is not None and len(small) == 2_000 and len(large) == 8_000

    monkeypatch.setattr(loaders, "SPILL_ROWS", 10_000)  # the same sheet read into lists: the same outcome
    (in_lists,), lists_peak = _sheet_peak(long)
    assert in_lists.spill is None and in_lists.data["date"][0] == "2019-03-31" and in_lists.data["value"][0] == "42%"
    assert in_lists.rows[0] == 2 and in_lists.rows[-1] == 8_001
    assert (large_peak - small_peak) / 6_000 < lists_peak / 8_000 / 3, (small_peak, large_peak, lists_peak)
    as_of = dt.date(2020, 12, 31)
    streamed, listed = run(plan, [large], as_of, Sink()), run(plan, [in_lists], as_of, Sink())
    assert streamed.rows_read == listed.rows_read == 8_000 and streamed.rows_set_aside == listed.rows_set_aside
    assert [(r.id, r.status, r.zh) for r in streamed.results] == [(r.id, r.status, r.zh) for r in listed.results]
