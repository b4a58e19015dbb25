"""Completion data as offices send it: encodings, xlsx and Parquet, Chinese and English headers, the formats of
dates and numbers — and every kind of bad row, reported with file, row and column and set aside, never dropped."""

from __future__ import annotations

import codecs
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from conftest import FIXTURES
from luoshi.comply.checks import compile_plan
from luoshi.comply.engine import run
from luoshi.comply.loaders import decode, load_tables
from luoshi.comply.outcome import Status
from luoshi.diagnostics import Sink
from luoshi.driver.pipeline import compile_paths

DATA = FIXTURES / "comply"
YY = "云阳府办发〔2019〕22号"


@pytest.fixture(scope="module")
def plan():
    return compile_plan(compile_paths(None).corpus)


def evaluate(plan, *paths: Path, as_of=dt.date(2022, 12, 31)):
    sink = Sink()
    return run(plan, load_tables(list(paths), sink), as_of, sink)


def status(outcome, check_id: str) -> Status:
    return outcome.result(check_id).status


def problems(outcome) -> list[tuple[str, int, int, str]]:
    return [(Path(d.span.file).name, d.span.line, d.span.column, d.code) for d in outcome.diagnostics if d.span]


# ───────────── bad rows ─────────────


def test_every_bad_row_is_reported_with_its_cell_and_set_aside(plan):
    outcome = evaluate(plan, DATA / "bad_rows.csv")
    assert problems(outcome) == [
        ("bad_rows.csv", 3, 1, "LS511"),   # unknown policy 渝府办发〔2099〕1号
        ("bad_rows.csv", 4, 2, "LS512"),   # no task 9.9
        ("bad_rows.csv", 5, 3, "LS513"),   # unknown unit 县民证局
        ("bad_rows.csv", 6, 3, "LS519"),   # 县委 on 4.1: not a member of 县政府各部门; 4.1's 有关单位 lists no members
        ("bad_rows.csv", 7, 6, "LS520"),   # 2019-02-30
        ("bad_rows.csv", 8, 8, "LS521"),   # 12%% (a doubled sign is no number)
        ("bad_rows.csv", 9, 8, "LS522"),   # a value without a metric
        ("bad_rows.csv", 10, 5, "LS516"),  # status 办完了
        ("bad_rows.csv", 11, 4, "LS515"),  # unknown scope 龙角乡 (龙角镇 is a township of 云阳县)
        ("bad_rows.csv", 12, 7, "LS524"),  # no target on 失能特养率
        ("bad_rows.csv", 13, 1, "LS510"),  # empty policy
        ("bad_rows.csv", 14, 3, "LS525"),  # a scoped target's value with no scope
        ("bad_rows.csv", 15, 7, "LS523"),  # a metric without a value
    ]
    assert outcome.rows_read == 15 and outcome.rows_set_aside == 13
    assert outcome.exit_code == 1


def test_the_good_rows_around_bad_ones_still_count(plan):
    outcome = evaluate(plan, DATA / "bad_rows.csv")
    # a report in the name of 各乡镇（街道） speaks for each of its members
    assert status(outcome, f"{YY}::4.1::青龙街道办事处::deadline[2019-03-31]") is Status.PASS
    assert status(outcome, f"{YY}::4.1::双江街道办事处::deadline[2019-03-31]") is Status.PASS
    qinglong = outcome.result(f"{YY}::2.2.2::县民政局::target[失能特困人员集中供养率≥40% 截至2019-12-31 青龙街道]")
    assert qinglong.status is Status.PASS and qinglong.evidence[0].row == 16  # 云阳府办发（2019）22号, 云阳县民政局, ４５％
    assert status(outcome, f"{YY}::2.2.2::县民政局::target[失能特困人员集中供养率≥40% 截至2019-12-31 双江街道]") is Status.NO_DATA


def test_problem_messages_say_what_to_do(plan):
    by_code = {d.code: d for d in evaluate(plan, DATA / "bad_rows.csv").diagnostics}
    assert "县民证局" in by_code["LS513"].zh and by_code["LS513"].hint_zh == "是否指「县民政局」？"
    assert "县委" in by_code["LS519"].zh and "有关单位" in by_code["LS519"].zh
    assert "policies/units/云阳县.units" in by_code["LS519"].hint_zh
    assert by_code["LS520"].zh.startswith("F 列「日期」") and "2019-02-30" in by_code["LS520"].en
    assert "失能特困人员集中供养率" in by_code["LS524"].hint_zh


def test_bad_event_rows(plan):
    outcome = evaluate(plan, DATA / "bad_events.csv", as_of=dt.date(2024, 12, 31))
    assert problems(outcome) == [
        ("bad_events.csv", 4, 6, "LS530"),  # event 发钱
        ("bad_events.csv", 5, 5, "LS532"),  # an end without a start
        ("bad_events.csv", 6, 5, "LS532"),  # A4 ends before it starts: both rows
        ("bad_events.csv", 7, 5, "LS532"),
        ("bad_events.csv", 8, 5, "LS531"),  # 2.6 has no working-day limit
        ("bad_events.csv", 9, 4, "LS533"),  # 2030: beyond the holiday calendar
    ]
    limit = outcome.result("草街办发〔2024〕54号::2.7::各村（社区）::limit[发现、受理→发放临时救助金≤3个工作日]")
    assert limit.status is Status.PASS and limit.cases_checked == 1


def test_missing_columns_and_unknown_formats(plan, tmp_path):
    no_date = tmp_path / "no_date.csv"
    no_date.write_text("政策,任务,单位,状态\n云阳府办发〔2019〕22号,4.1,县民政局,已完成\n", encoding="utf-8")
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    sink = Sink()
    assert load_tables([no_date, old, tmp_path / "missing.csv"], sink) == []
    assert sorted(d.code for d in sink) == ["LS500", "LS501", "LS503"]
    missing = next(d for d in sink if d.code == "LS503")
    assert "日期" in missing.zh and missing.span.file.endswith("no_date.csv")



OLD_XLS = FIXTURES / "sheets-wild" / "18-县民政局-老版.xls"  # an .xls LibreOffice saved (make_sheets.py)


@pytest.mark.parametrize("offset, kind", [(3077, "a sheet's BOF record"), (3203, "a cell's format index"),
                                          (3632, "a record cut short"), (3963, "a row record"),
                                          (3965, "a column number")])
def test_an_xls_whose_sheet_is_damaged_is_one_located_error(tmp_path, offset, kind):
    """A byte of the sheet's stream flipped (the workbook's own records intact, so xlrd opens it): reading the sheet
    raised from inside xlrd (XLRDError, IndexError, struct.error, AssertionError, OverflowError), an internal
    error of luoshi (exit 70). It is the file's fault: said as an xlsx's damaged sheet is."""
    damaged = bytearray(OLD_XLS.read_bytes())
    damaged[offset] ^= 0xFF
    path = tmp_path / "老版.xls"
    path.write_bytes(bytes(damaged))
    sink = Sink()
    assert load_tables([path], sink) == []
    (error,) = list(sink)
    assert error.code == "LS500" and "老版.xls" in error.zh and "损坏" in error.zh and error.hint_zh


def test_an_xls_whose_short_sector_chain_loops_is_refused_in_seconds(tmp_path):
    """One byte of sheets-wild/26's short-sector table changed (12 → 4 at offset 1580) makes a chain of sectors
    that loops: xlrd followed it for ever, its memory growing (20 GB before it was stopped). Run in a process of
    its own with a time and memory limit, so that a regression fails here rather than filling the machine."""
    damaged = bytearray((FIXTURES / "sheets-wild" / "26-县民政局-隐藏旧列.xls").read_bytes())
    assert damaged[1580] == 12
    damaged[1580] = 4
    path = tmp_path / "环.xls"
    path.write_bytes(bytes(damaged))
    code = ("import sys; from pathlib import Path; from luoshi.comply.loaders import load_tables; "
            "from luoshi.diagnostics import Sink; s = Sink(); load_tables([Path(sys.argv[1])], s); "
            "print(sorted({d.code for d in s}))")
    limit = "import resource; resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30)); "
    done = subprocess.run([sys.executable, "-c", limit + code, str(path)], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "['LS500']", done.stderr[-500:]


def test_xlrd_writes_nothing_into_the_report(tmp_path):
    """xlrd reports what it finds odd in a file (a size not a whole number of sectors, a colour it does not know)
    on the standard output unless told otherwise: in the middle of `luoshi comply --format json`'s report."""
    path = tmp_path / "老版.xls"
    path.write_bytes(OLD_XLS.read_bytes()[:5888])  # still readable; xlrd warns of its size
    done = subprocess.run([sys.executable, "-m", "luoshi", "comply", str(path), "--as-of", "2020-12-31", "--format",
                           "json"], cwd=FIXTURES.parent.parent, capture_output=True, text=True)
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    assert any(p["code"] == "LS506" for p in report["problems"])
    assert "WARNING" not in done.stderr



def test_formulas_a_program_saved_without_their_values_are_said_not_read_as_blanks(tmp_path):
    """A workbook written by a program (openpyxl, an OA system's export) keeps a formula's text but no value: Excel
    computes it on opening, so the office sees 「已完成」 where luoshi read an empty cell ("「状态」为空"). Said once
    for the sheet, at its first such cell, with the formula and what to do."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["政策", "任务", "单位", "状态", "日期"])
    ws.append([YY, "二（二）", "县民政局", '=IF(TRUE,"已完成","未完成")', dt.date(2020, 6, 30)])
    ws.append([YY, "二（二）", "县财政局", "已完成", "=DATE(2020,6,30)"])
    ws.append([YY, "二（二）", "县教委", "已完成", dt.date(2020, 6, 30)])
    wb.save(tmp_path / "公式.xlsx")
    sink = Sink()
    load_tables([tmp_path / "公式.xlsx"], sink)
    (said,) = [d for d in sink if "公式" in d.zh]
    assert said.code == "LS500" and (said.span.line, said.span.column) == (2, 4)
    assert "IF(TRUE" in said.zh and "2 个" in said.zh and "另存" in said.hint_zh


# ───────────── encodings and file formats ─────────────


def outcome_statuses(outcome) -> dict[str, Status]:
    return {r.id: r.status for r in outcome.results}


@pytest.fixture(scope="module")
def reference(plan):
    return evaluate(plan, DATA / "reports.csv")


@pytest.mark.parametrize("encoding, bom", [("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("gb18030", b""), ("gbk", b""),
                                           ("utf-16-le", codecs.BOM_UTF16_LE)])
def test_csv_encodings_read_the_same(plan, reference, tmp_path, encoding, bom):
    text = (DATA / "reports.csv").read_text(encoding="utf-8")
    path = tmp_path / f"reports-{encoding}.csv"
    path.write_bytes(bom + text.encode(encoding))
    outcome = evaluate(plan, path)
    assert outcome.rows_set_aside == 0 and outcome.rows_read == 10
    assert outcome_statuses(outcome) == outcome_statuses(reference)


def test_gb18030_is_recognised_and_garbage_is_not(tmp_path):
    assert decode("单位,县民政局".encode("gb18030")) == ("单位,县民政局", "gb18030")
    assert decode(codecs.BOM_UTF8 + "单位".encode()) == ("单位", "utf-8-sig")
    bad = tmp_path / "bad.csv"
    bad.write_bytes("政策,任务\n".encode() + b"\x81\x20\xff\xfe\x00")
    sink = Sink()
    assert load_tables([bad], sink) == []
    assert [(d.code, d.span.line) for d in sink] == [("LS502", 2)]


def test_reports_in_every_format_of_date_and_number(reference):
    """2019年3月28日, 2019/4/2, 20190325, 2019-12-25 00:00:00; 百分之四十二, 38%, ５１％; 'done'; a defused '=… note."""
    assert reference.rows_set_aside == 0
    s = outcome_statuses(reference)
    assert s[f"{YY}::4.1::青龙街道办事处::deadline[2019-03-31]"] is Status.PASS
    # 县政府各部门's report speaks for each of its members: every 县级部门 finished 4.1 late
    departments = [r for r in reference.results if "::4.1::" in r.check.id and r.check.collective == "云阳县/县政府各部门"]
    assert len(departments) > 20 and {r.reason for r in departments} == {"late"}
    assert reference.result(f"{YY}::4.1::县民政局::deadline[2019-03-31]").reason == "late"
    assert reference.result(f"{YY}::4.1::县政府各部门::deadline[2019-03-31]") is None  # no check of the collective itself
    assert reference.result(f"{YY}::4.1::有关单位::deadline[2019-03-31]").reason == "overdue"
    qinglong = reference.result(f"{YY}::2.2.2::县民政局::target[失能特困人员集中供养率≥40% 截至2019-12-31 青龙街道]")
    assert qinglong.status is Status.PASS and "42%" in qinglong.zh
    assert s[f"{YY}::2.2.2::县民政局::target[失能特困人员集中供养率≥40% 截至2019-12-31 双江街道]"] is Status.FAIL
    assert s[f"{YY}::2.2.2::县民政局::target[失能特困人员集中供养率≥50% 截至2020-12-31 青龙街道]"] is Status.PASS
    assert s[f"{YY}::2.2.2::县民政局::target[失能特困人员集中供养率≥50% 截至2020-12-31 双江街道]"] is Status.FAIL


def test_recurring_obligations_count_calendar_periods(reference):
    """璧山 task 4 (no issue date): periods count from the first report, 2021-03-15."""
    yearly = reference.result("bishan-2020-shjz::4::区民政局::recurring[每年1次]")
    half = reference.result("bishan-2020-shjz::4::区民政局::recurring[每半年1次]")
    assert yearly.status is Status.PASS
    assert half.status is Status.FAIL and half.zh.startswith("2022年下半年没有完成记录")
    other = reference.result("bishan-2020-shjz::4::区发展改革委::recurring[每半年1次]")
    assert other.zh.startswith("2021年下半年、2022年上半年、2022年下半年")


def test_xlsx_sheets_one_per_unit(plan, reference, tmp_path):
    """A 督查 workbook as offices keep it: one sheet per unit, a notes sheet, dates as Excel dates, 0.42 as a
    number formatted as a percentage, task ids as text."""
    rows = [line.split(",") for line in (DATA / "reports.csv").read_text(encoding="utf-8").splitlines()]
    wb = openpyxl.Workbook()
    wb.active.title = "填报说明"
    wb.active["A1"] = "每个单位一页，按月填报"
    sheets = {}
    for row in rows[1:]:
        ws = sheets.get(row[2]) or wb.create_sheet(row[2])
        if row[2] not in sheets:
            ws.append(rows[0])
            sheets[row[2]] = ws
        ws.append(row)
    ws = sheets["县民政局"]
    ws["F2"], ws["H2"] = dt.datetime(2019, 12, 25), 0.42
    ws["H2"].number_format = "0%"
    path = tmp_path / "督查.xlsx"
    wb.save(path)
    outcome = evaluate(plan, path)
    assert outcome.rows_set_aside == 0 and outcome.rows_read == 10
    assert outcome_statuses(outcome) == outcome_statuses(reference)
    evidence = outcome.result(f"{YY}::4.1::县民政局::deadline[2019-03-31]").evidence[0]  # via 县政府各部门's report
    assert (evidence.source, evidence.row) == (f"{path}[县政府各部门]", 2)


def test_english_headers_and_start_end_events(plan):
    outcome = evaluate(plan, DATA / "holidays.csv", as_of=dt.date(2024, 12, 31))
    assert outcome.rows_set_aside == 0 and outcome.rows_read == 12


def test_plain_numerals_read_as_cn2an_reads_them():
    """`values.PLAIN` reads 五十一 and 百分之五十一 without importing cn2an: every entry is what cn2an makes of it,
    and a value outside the table (a decimal, a thousand, 两) still goes through cn2an."""
    import warnings

    import cn2an

    from luoshi.comply.values import PLAIN, read_value

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert {k: cn2an.transform(k, "cn2an") for k in PLAIN} == PLAIN
    assert len(PLAIN) == 2000 and PLAIN["百分之一百零五"] == "105%" and PLAIN["十"] == "10"
    assert (read_value("百分之五十一").num, read_value("百分之五十一").unit) == (51.0, "%")
    assert read_value("降低百分之五").direction == -1
    assert read_value("百分之五点五").num == 5.5 and read_value("一千").num == 1000.0
    assert read_value("十五户").unit == "户"


@pytest.mark.parametrize("shift", [0, 7, 20, 33])
def test_formula_cells_without_values_are_found_across_the_reading_chunks(shift):
    """`uncomputed_formulas` reads a sheet's XML in 64 KiB chunks (never the whole of it, test_reliability_input's
    bounded-memory sheet): a formula cell cut by a chunk's end is still found, with a prefixed namespace too."""
    import io
    import zipfile

    from luoshi.comply.sheets import uncomputed_formulas

    filler = b"".join(b'<x:c r="A%d" t="s"><x:v>1</x:v></x:c>' % i for i in range(1, 2000))
    pad = b" " * (65536 - len(b"<x:sheetData>") - len(filler) % 65536 - shift + 65536)
    cell = b'<x:c r="E2001"><x:f>IF(D2001&gt;0,"\xe5\xb7\xb2\xe5\xae\x8c\xe6\x88\x90","")</x:f><x:v></x:v></x:c>'
    xml = b"<x:sheetData>" + filler + pad + cell + b"</x:sheetData>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        book.writestr("xl/worksheets/sheet1.xml", xml)
    with zipfile.ZipFile(buffer) as book:
        assert uncomputed_formulas(book, "/xl/worksheets/sheet1.xml") == [(2001, 4, 'IF(D2001>0,"已完成","")')]
