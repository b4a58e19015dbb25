"""Round 10 of the completion sheets offices fill (tests/fixtures/sheets-wild/13–25, written by its make_sheets.py
from the seed corpus's tasks): a 督查台账 a row per task per month, marks for statuses, dates in sentences, two
units' tables stacked on one sheet, a template with frozen panes and drop-downs, .xls / .et / .wps files, CSVs with
a BOM or line breaks in cells, a 乡镇 column, figures with units, hidden columns, and the ways a file can be
unreadable. Each is read as the supervision office reads the report: what each cell was read as, said once where it
is, and every cell that cannot be read located."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

from luoshi.comply.loaders import RawTable, load_tables
from luoshi.comply.plan import Plan
from luoshi.comply.sheets import (
    SheetContext,
    block_line,
    date_in_text,
    legend,
    normal_date,
    normal_status,
    short_year,
    status_date,
    tens_of_thousands,
)
from luoshi.comply.vocabulary import status_words
from luoshi.diagnostics import Sink

from test_sheets_wild import WILD, plan, sheet  # noqa: F401 (the fixtures' sheets and the seeds' plan, as there)


def read(plan: Plan, path: Path | str) -> tuple[list[RawTable], Sink, SheetContext]:
    sink = Sink()
    context = SheetContext(plan, None, status_words())
    return load_tables([sheet(path) if isinstance(path, str) else path], sink, context=context), sink, context


def column(table: RawTable, name: str) -> dict[int, str | None]:
    return dict(zip(table.rows, table.data[name]))


def notes(sink: Sink, word: str) -> list[tuple[int, int]]:
    return [(d.span.line, d.span.column) for d in sink.items if d.code == "LS506" and d.span and word in d.zh]


def comply(path: Path | str, as_of: str, *more: str) -> tuple[dict, subprocess.CompletedProcess[str]]:
    """`luoshi comply` on one file (JSON report, English messages), from the repository root."""
    target = sheet(path).relative_to(ROOT) if isinstance(path, str) else path
    done = subprocess.run([sys.executable, "-m", "luoshi", "comply", str(target), "--as-of", as_of, "--format", "json", "--lang", "en", *more],
                          cwd=ROOT, capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"})
    return (json.loads(done.stdout) if done.stdout.strip() else {}), done


def errors(report: dict) -> list[tuple[str, int, int]]:
    return sorted((p["code"], p["span"]["line"], p["span"]["column"]) for p in report["problems"] if p["severity"] == "error")


# ───────────── last round's open cases ─────────────


def test_group_heading_rows_are_not_reports(plan):
    tables, sink, _ = read(plan, "01")
    assert column(tables[0], "policy")[5] is None and column(tables[0], "unit")[9] is None  # 二、 and 四、 lines
    assert notes(sink, "分组的标题行") == [(5, 1)] and "第 5、9 行" in next(d.zh for d in sink.items if "分组" in d.zh)
    assert not [d for d in sink.items if d.code == "LS517"]


def test_hidden_columns_yield_to_the_visible_ones():
    report, _ = comply("24", "2019-12-31")
    assert errors(report) == []
    said = {(p["span"]["line"], p["span"]["column"]): p["message"] for p in report["problems"] if "hidden" in p["message"]}
    assert sorted(said) == [(2, 3), (2, 4), (2, 6)]
    assert "column E" in said[(2, 3)] and "column G" in said[(2, 4)] and "so it is read" in said[(2, 6)]


def test_the_hidden_columns_are_read_from_the_sheet(plan):
    tables, _sink, _ = read(plan, "24")
    assert column(tables[0], "status") == {3: "已完成", 4: "持续推进"}  # E, not the hidden C's 正在推进
    assert column(tables[0], "date") == {3: "2019-11", 4: "2019-12"}  # G, not the hidden D's 2019年9月


@pytest.mark.parametrize(("yy", "year", "full"), [(19, 2019, 2019), (18, 2019, 2018), (99, 2019, None), (1, 2000, 2001), (99, 2001, 1999)])
def test_a_two_digit_year_is_read_near_the_sheets_year(yy, year, full):
    assert short_year(yy, year) == full


# ───────────── a 督查台账: a row per task per month ─────────────


def test_a_supervision_ledger_a_row_per_task_per_month(plan):
    tables, sink, context = read(plan, "13")
    table = tables[0]
    # the title shares its words with 161号 and 大足's notice too; it names 云阳县, whose policy it is
    assert context.inferred[table.source] == ["yyfbf-2019-22"] and "云阳县" in next(d.zh for d in sink.items if d.code == "LS506")
    assert column(table, "date")[3] == "2019-04" and column(table, "date")[11] == "2019-12"  # 月份: as of the month's end
    assert column(table, "task")[5] == "2.1" and column(table, "unit")[10] == "县人力社保局"  # merged over its months
    assert column(table, "status")[8] == "已完成"  # 已完成（9月20日）
    assert context.filers[table.source] == [None]  # the 督查室 compiled three units' rows: it limits no unit


def test_the_ledger_checks_the_policy_for_every_unit_it_names():
    report, _ = comply("13", "2019-12-31")
    assert report["scope"] == "--policy 云阳府办发〔2019〕22号" and errors(report) == []
    assert report["rows"]["read"] == 9 and report["rows"]["set_aside"] == 0


# ───────────── statuses as marks ─────────────


def test_marks_read_by_the_legend_under_the_table(plan):
    tables, sink, _ = read(plan, "14")
    ticked = next(t for t in tables if t.source.endswith("[打勾]"))
    assert column(ticked, "status") == {4: "已完成", 5: "正在推进", 6: "未启动", 7: "已完成", 8: "?"}
    assert notes(sink, "符号") == [(4, 3)]


def test_marks_without_a_legend_read_as_they_usually_mean():
    words = status_words()
    assert legend([], words) == {}
    assert legend(["注：√表示已完成，○表示正在推进，×表示未启动。"], words) == {"√": "已完成", "○": "正在推进", "×": "未启动"}
    assert legend(["注：√为合格"], words) == {}  # not a status word: the usual meaning stays


def test_a_mark_no_one_uses_is_one_located_error():
    report, _ = comply("14", "2019-12-31")
    assert ("LS516", 8, 3) in errors(report)
    assert ("LS510", 5, 4) in errors(report)  # 否 with no date and no 填报日期 on the 是否 sheet


# ───────────── dates as offices write them ─────────────


@pytest.mark.parametrize(("text", "date"), [
    ("已于2019年6月完成", "2019年6月"), ("2019年3月底前已全部完成", "2019年3月底"), ("于8月20日办结", "8月20日"), ("2019.12前完成", "2019.12"),
    ("计划于12月完成", None), ("6月、7月分别完成", None), ("正在推进", None),
])
def test_a_date_in_a_sentence(text, date):
    assert date_in_text(text) == date


@pytest.mark.parametrize(("text", "status", "date"), [
    ("已于2019年6月完成", "已完成", "2019年6月"), ("已完成（2019.11）", "已完成", "2019.11"), ("已完成，2019年11月", "已完成", "2019年11月"),
    ("已于6月启动", "进行中", "6月"), ("已完成（提前）", "已完成", None), ("正在推进，已形成初稿", "正在推进", None),
    ("√已完成", "已完成", None), ("○ 正在推进", "正在推进", None), ("√", "√", None),
])
def test_a_status_with_its_date(text, status, date):
    assert normal_status(text, status_words()) == status and status_date(text) == date


def test_dates_in_the_date_column_and_in_the_status(plan):
    tables, sink, _ = read(plan, "15")
    dated = next(t for t in tables if t.source.endswith("[完成时间]"))
    assert column(dated, "date") == {4: "2019.12", 5: "2019-03", 6: "2019-12-31", 7: "2019.11"}
    progress = next(t for t in tables if t.source.endswith("[进展]"))
    # no date column: the day each progress cell gives, else the 填报日期 (row 2)
    assert column(progress, "date") == {4: "2019-06", 5: "2019-03", 6: "2019-12-25"}
    assert column(progress, "status") == {4: "已完成", 5: "已完成", 6: "正在推进"}
    assert notes(sink, "写了完成的日期") == [(7, 3), (4, 3)] and notes(sink, "状态中没有写日期") == [(2, 3)]


@pytest.mark.parametrize(("written", "read"), [("2019.12", "2019.12"), ("12月底", "2019-12"), ("2019年第四季度", "2019-12-31"),
                                              ("19年第二季度", "2019-06-30")])
def test_dates_of_round_ten(written, read):
    assert normal_date(written, 2019) == read


# ───────────── two tables on one sheet ─────────────


def test_two_units_tables_stacked_on_one_sheet(plan):
    tables, sink, context = read(plan, "16")
    assert [(t.rows, sorted({u for u in t.data["unit"] if u})) for t in tables] == [([4, 5, 6], ["县教委"]), ([10, 11], ["县卫生健康委"])]
    assert notes(sink, "县卫生健康委") == [(8, 1)]  # its own 填报单位 line, where it is on the sheet
    assert context.filers[tables[0].source] == ["县教委", "县卫生健康委"]


def test_stacked_tables_saved_as_csv_read_as_the_workbook(plan):
    def seen(prefix: str) -> list[tuple[list[int], dict[str, list[str | None]]]]:
        return [(t.rows, t.data) for t in read(plan, prefix)[0]]

    assert seen("29") == seen("16")


def test_stacked_tables_check_both_units():
    report, _ = comply("16", "2019-12-31")
    assert report["scope"] == "--policy 云阳府办发〔2019〕22号 --unit 县卫生健康委 --unit 县教委" and errors(report) == []
    assert {r["unit"] for r in report["results"]} == {"云阳县/县教委", "云阳县/县卫生健康委"}


@pytest.mark.parametrize(("row", "kind"), [
    (["序号", "重点任务", "完成情况", "完成时间"], "header"), (["填报单位：县教委", None, "填报日期：2019年12月20日"], "form"),
    (["云阳县某某工作落实情况统计表（2019年）"], "form"), (["二（一）", "加强最低生活保障", "已完成", "2019年6月"], None),
    (["注意事项很多很多很多很多"], None), ([3, "稳步扩大", "已完成"], None),
])
def test_what_a_line_under_a_table_is(row, kind):
    assert block_line(row, ["序号", "重点任务", "完成情况", "完成时间"]) == kind


# ───────────── a template as it comes back ─────────────


def test_frozen_panes_comments_and_drop_downs_change_nothing(plan):
    tables, sink, _ = read(plan, "17")
    assert column(tables[0], "task") == {4: "5", 5: "6", 6: "7"} and column(tables[0], "status")[6] == "未启动"
    assert column(tables[0], "date")[4] == "2021-05-31"  # not 完成时限's 2021年6月底前, a requirement
    assert not [d for d in sink.items if d.severity.name == "ERROR"]


# ───────────── file formats ─────────────


def test_an_old_xls_reads_like_the_workbook_it_was(plan):
    tables, _sink, context = read(plan, "18")
    assert column(tables[0], "task") == {4: "2.1", 5: "2.8"} and column(tables[0], "date") == {4: "2019-06-28", 5: "2019-12-20"}
    assert context.filers[tables[0].source] == ["县民政局"]


@pytest.mark.parametrize(("xls", "xlsx"), [("26", "24"), ("27", "01")])
def test_an_xls_keeps_its_merged_cells_and_hidden_columns(plan, xls, xlsx):
    """The same sheet saved as .xls reads cell for cell as the .xlsx (a two-row header under merged cells; hidden
    columns), with the same notes at the same places."""
    def seen(prefix: str) -> tuple[list[tuple[list[int], dict[str, list[str | None]]]], list[tuple[str, int, int]]]:
        tables, sink, _ = read(plan, prefix)
        return [(t.rows, t.data) for t in tables], sorted((d.code, d.span.line, d.span.column) for d in sink.items if d.span)

    assert seen(xls) == seen(xlsx)


def test_an_xls_without_xlrd_is_one_clear_error(plan, monkeypatch):
    monkeypatch.setitem(sys.modules, "xlrd", None)  # as on a machine where it is not installed
    tables, sink, _ = read(plan, "18")
    assert tables == [] and [d.code for d in sink.items] == ["LS501"]
    assert "xlrd" in sink.items[0].zh and "另存为 xlsx" in (sink.items[0].hint_zh or "")


def test_a_wps_et_is_read_by_what_it_holds_and_a_wps_text_document_is_said_to_be_one(plan):
    tables, _sink, _ = read(plan, "19")
    assert column(tables[0], "task") == {4: "5.2"} and column(tables[0], "unit") == {4: "县财政局"}
    tables, sink, _ = read(plan, "25")
    assert tables == [] and [d.code for d in sink.items] == ["LS501"] and "文字文档" in sink.items[0].zh


def test_an_xls_saved_under_an_xlsx_name_is_read(plan, tmp_path):
    renamed = tmp_path / "县民政局.xlsx"
    renamed.write_bytes(sheet("18").read_bytes())
    tables, _sink, _ = read(plan, renamed)
    assert column(tables[0], "task") == {4: "2.1", 5: "2.8"}


@pytest.mark.parametrize(("name", "content", "said"), [
    ("zero.xlsx", b"", "空文件"), ("zero.xls", b"", "空文件"), ("zero.et", b"", "空文件"),
    ("cut.xlsx", None, "已损坏或不完整"), ("text.et", "序号,重点任务".encode(), "不是 Excel 或 WPS 表格"),
])
def test_unreadable_workbooks_are_one_located_error_each(plan, tmp_path, name, content, said):
    path = tmp_path / name
    path.write_bytes(content if content is not None else sheet("01").read_bytes()[:3000])
    tables, sink, _ = read(plan, path)
    assert tables == [] and len(sink.items) == 1 and sink.items[0].code in ("LS500", "LS501") and said in sink.items[0].zh


def test_a_damaged_sheet_inside_a_good_workbook_is_said_and_the_rest_read(plan, tmp_path):
    source = zipfile.ZipFile(sheet("14"))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, data[: len(data) // 2] if item.filename == "xl/worksheets/sheet2.xml" else data)
    path = tmp_path / "half.xlsx"
    path.write_bytes(out.getvalue())
    tables, sink, _ = read(plan, path)
    assert [t.source.rsplit("[", 1)[-1] for t in tables] == ["打勾]"]
    assert [d.code for d in sink.items if d.severity.name == "ERROR"] == ["LS500"]


@pytest.mark.parametrize("name", ["zero.xlsx", "cut.xlsx", "text.wps"])
def test_no_traceback_on_a_file_that_cannot_be_read(tmp_path, name):
    path = tmp_path / name
    path.write_bytes({"zero.xlsx": b"", "cut.xlsx": b"PK\x03\x04garbage", "text.wps": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600}[name])
    _report, done = comply(path, "2019-12-31")
    assert done.returncode == 1 and "Traceback" not in done.stderr and ("LS500" in done.stderr or "LS501" in done.stderr)


def test_a_utf8_csv_with_a_bom(plan):
    tables, _sink, _ = read(plan, "20")
    assert tables[0].encoding == "utf-8-sig" and column(tables[0], "task") == {4: "2.6", 5: "5.1"}


def test_a_crlf_csv_with_line_breaks_in_its_cells(plan):
    tables, _sink, _ = read(plan, "21")
    assert column(tables[0], "task") == {4: "2.3", 5: "5.1", 6: "4.1"}  # 「加强自然灾害\n救助」 is 二（三）
    report, _ = comply("21", "2019-12-31")
    assert errors(report) == [("LS520", 6, 4)]  # 2019年13月: the record, numbered as the spreadsheet shows it


# ───────────── a collective's members, figures with units ─────────────


def test_a_township_column_names_who_reported(plan):
    tables, sink, context = read(plan, "22")
    units = column(tables[0], "unit")
    assert len(tables[0].rows) == 24 and units[4] == "青龙街道" and units[27] == "星河镇"
    assert notes(sink, "乡镇（街道）") == [(3, 3)] and context.filers[tables[0].source] == [None]


def test_each_township_is_checked_as_a_member_and_an_unknown_one_is_located():
    report, _ = comply("22", "2019-12-31")
    assert errors(report) == [("LS513", 27, 3)]
    assert report["scope"] == "--policy 云阳府办发〔2019〕22号"
    members = {r["unit"].split("/")[0]: r["status"] for r in report["results"] if r["task"] == "4.2.1"}
    assert len(members) == 42  # every member of 各乡镇（街道）, each on its own
    assert members["双江街道"] == "pass" and members["青龙街道"] == "fail"  # 已完成 2019年7月; 正在推进 past 8月底
    assert members["后叶镇"] == "fail"  # not on the sheet: no report


def test_figures_with_their_units(plan):
    tables, sink, _ = read(plan, "23")
    assert column(tables[0], "scope")[3] == "青龙街道"  # 乡镇（街道） beside a 责任单位: where the figure was measured
    assert column(tables[0], "value")[7] == "12000人" and notes(sink, "1.2万人") == [(7, 6)]
    report, _ = comply("23", "2019-12-31")
    located = errors(report)
    assert ("LS521", 6, 6) in located and ("LS526", 9, 6) in located  # 约40%; 3个 where the target counts people
    assert not [e for e in located if e[0] == "LS525"]  # the towns are the targets' scopes, not unknown units
    # 「0户」 for 零就业家庭 动态「清零」, a target written without a unit of its own: a count in any unit, met
    assert not [e for e in located if e[1] == 8]
    zero = [r for r in report["results"] if r["kind"] == "target" and r["task"] == "2.7" and r["unit"].endswith("县人力社保局")]
    assert {r["status"] for r in zero} == {"pass"} and any("0户" in json.dumps(r, ensure_ascii=False) for r in zero)
    assert "None" not in json.dumps(report)


@pytest.mark.parametrize(("text", "read"), [("1.2万人", "12000人"), ("3万", "30000"), ("1.25万户", "12500户"), ("2.5万元", None), ("万人", None)])
def test_figures_in_tens_of_thousands(text, read):
    assert tens_of_thousands(text) == read


def test_a_label_in_one_cell_and_its_value_in_the_next_and_a_subtitles_period(plan):
    tables, sink, context = read(plan, "28")
    table = tables[0]
    assert context.filers[table.source] == ["县教委"] and notes(sink, "县教委") == [(3, 2)]  # where the name is
    # the year and the period from the subtitle 「（2019年第四季度）」: 12月底 is 2019's, the undated row its end
    assert column(table, "date") == {5: "2019-12", 6: "2019-12-31"}


def test_the_filing_unit_and_date_under_the_table(plan):
    tables, sink, context = read(plan, "30")
    table = tables[0]
    assert table.rows == [3, 4] and column(table, "unit") == {3: "县残联", 4: "县残联"}  # the lines below are not rows
    assert column(table, "date") == {3: "2019-05", 4: "2019-12-18"}  # the row not done: the 填报日期 below the table
    assert context.filers[table.source] == ["县残联"] and notes(sink, "县残联") == [(5, 1)]
