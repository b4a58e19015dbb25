"""Completion sheets made the way county and district offices fill them (tests/fixtures/sheets-wild/, written by
its make_sheets.py from the seed corpus's tasks), read by `luoshi comply` against the seed corpus as a supervision
office reads the report: which policy and unit the run is about, what each odd cell was read as, and where the
cells that cannot be read are."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from conftest import FIXTURES, ROOT

from luoshi.comply.loaders import RawTable, load_tables
from luoshi.comply.plan import Plan
from luoshi.comply.sheets import SheetContext, normal_unit, percent_status, period_end, sheet_scope
from luoshi.comply.vocabulary import status_words
from luoshi.diagnostics import Sink

WILD = FIXTURES / "sheets-wild"


def sheet(prefix: str) -> Path:
    return next(WILD.glob(f"{prefix}-*"))


@pytest.fixture(scope="module")
def plan() -> Plan:
    from helpers import seed_plan

    return seed_plan()  # type: ignore[return-value]


def read(plan: Plan, prefix: str) -> tuple[list[RawTable], Sink, SheetContext]:
    sink = Sink()
    context = SheetContext(plan, None, status_words())
    return load_tables([sheet(prefix)], sink, context=context), sink, context


def comply(prefix: str, as_of: str, *more: str) -> tuple[dict, str]:
    """`luoshi comply` on one sheet (JSON report, English messages), from the repository root: (report, stderr)."""
    env = {**os.environ, "COLUMNS": "200"}
    done = subprocess.run([sys.executable, "-m", "luoshi", "comply", str(sheet(prefix).relative_to(ROOT)), "--as-of", as_of,
                           "--format", "json", "--lang", "en", *more], cwd=ROOT, capture_output=True, text=True, env=env)
    return json.loads(done.stdout), done.stderr


def where(sink: Sink, code: str) -> list[tuple[str, int, int]]:
    """(sheet, row, column) of each diagnostic of `code`."""
    return [(d.span.file.rsplit("[", 1)[-1].rstrip("]"), d.span.line, d.span.column) for d in sink.items if d.code == code and d.span]


# ───────────── what a run of office sheets is about ─────────────


def test_a_sheet_naming_its_policy_and_filer_checks_that_policy_for_that_unit():
    report, err = comply("01", "2019-12-31")
    assert report["scope"] == "--policy 云阳府办发〔2019〕22号 --unit 云阳县民政局"
    assert "only 云阳府办发〔2019〕22号, 云阳县民政局 is checked" in err
    assert {r["policy"] for r in report["results"]} == {"yyfbf-2019-22"}
    assert {r["unit"] for r in report["results"]} == {"云阳县/县民政局"}
    # the whole corpus would fail hundreds of other units' checks for want of data this sheet never held
    assert report["summary"]["fail"] == 0 and report["summary"]["pass"] == 2


def test_the_options_still_win_over_what_the_sheet_says():
    report, err = comply("01", "2019-12-31", "--jurisdiction", "云阳县")
    assert report["scope"] == "--jurisdiction 云阳县" and "only 云阳府办发" not in err
    assert len({r["unit"] for r in report["results"]}) > 40  # every unit of the county, those that sent no sheet too


def test_a_sheet_with_an_unknown_filer_is_limited_to_its_policy_only():
    report, _err = comply("11", "2024-12-31")
    assert report["scope"] == "--policy 草街办发〔2024〕54号"
    bad = [p for p in report["problems"] if p["code"] == "LS513"]
    # one error on the 填报单位 line it came from, not one on each row it dates; the rows are set aside and counted
    assert [(p["span"]["line"], p["span"]["column"]) for p in bad] == [(2, 1)]
    assert "草街街道社会事务办公室" in bad[0]["message"] and "2 rows" in bad[0]["message"]
    assert report["rows"]["read"] == 0  # none checked; the error says how many


def test_sheet_scope_needs_every_table_to_be_an_office_sheet(plan):
    tables, _sink, context = read(plan, "05")
    assert sheet_scope(context, [t.source for t in tables]) == (frozenset({"dzmf-2019-26"}), frozenset({"龙岗街道办事处"}))
    assert sheet_scope(context, [t.source for t in tables] + ["data.csv"]) is None  # a table with its own 政策 column


def test_a_district_sheet_from_one_of_its_subdistricts():
    report, _err = comply("05", "2020-12-31")
    assert report["scope"] == "--policy 大足民发〔2019〕26号 --unit 龙岗街道办事处"
    assert [(r["unit"], r["status"]) for r in report["results"]] == [("龙岗街道/龙岗街道办事处", "pending")]


# ───────────── cells as offices write them ─────────────


@pytest.mark.parametrize(("written", "read"), [
    ("县民政局（牵头）", "县民政局"), ("牵头：县民政局", "县民政局"), ("县财政局(配合单位)", "县财政局"),
    ("牵头：县民政局；配合：县财政局", "县民政局；县财政局"), ("★区民政局", "区民政局"), ("县民政局", "县民政局"),
])
def test_lead_and_cooperate_marks_beside_a_unit(written, read):
    assert normal_unit(written) == read


def test_marked_units_of_a_sheet_are_its_units(plan):
    tables, sink, _ = read(plan, "01")
    assert tables[0].data["unit"][tables[0].rows.index(6)] == "县民政局"
    assert tables[0].data["unit"][tables[0].rows.index(8)] == "县民政局"
    assert where(sink, "LS513") == []


@pytest.mark.parametrize(("written", "read"), [
    ("完成85%", "进行中"), ("完成 85 ％", "进行中"), ("已完成100%", "已完成"), ("进度：60%", "进行中"), ("0%", "未开始"),
    ("已完成", None), ("完成85%以上", None),
])
def test_a_share_done_in_the_status_column(written, read):
    assert percent_status(written) == read


def test_percentages_in_a_quarters_sheet_are_said_once_where_they_are(plan):
    tables, sink, _ = read(plan, "02")
    second = next(t for t in tables if t.source.endswith("[二季度]"))
    assert second.data["status"][0] == "进行中"
    notes = [(d.span.line, d.span.column) for d in sink.items if d.code == "LS506" and "百分比" in d.zh]
    assert notes == [(4, 4)]


@pytest.mark.parametrize(("title", "day"), [
    ("统计表（2021年一季度）", "2021-03-31"), ("2021年第三季度落实情况", "2021-09-30"), ("2020年上半年", "2020-06-30"),
    ("2019年度（前三季度）", "2019-09-30"), ("台账（2019年）", None), (None, None),
])
def test_the_period_a_title_reports_on(title, day):
    assert period_end(title) == day


def test_rows_not_done_without_a_date_take_the_filing_date_or_the_periods_end(plan):
    tables, sink, _ = read(plan, "02")
    first = next(t for t in tables if t.source.endswith("[一季度]"))
    assert first.data["date"][first.rows.index(5)] == "2021-03-31"  # 未启动, 完成时间 blank, 填报日期 blank
    tables, sink, _ = read(plan, "10")
    dates = dict(zip(tables[0].rows, tables[0].data["date"]))
    assert dates[4] == "2019-12-31" and dates[9] == "2019-12-31"  # 持续推进 and 未启动, from 填报日期：2019年12月31日
    assert where(sink, "LS506")[-1] == ("Sheet1", 4, 4)


def test_a_done_row_without_its_date_is_still_an_error(plan, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["云阳县加强城市特殊困难群众救助帮扶工作实施办法重点任务落实情况台账（2019年）"], ["填报单位：县民政局", None, "填报日期：2019年12月31日"],
                ["序号", "重点任务", "完成情况", "完成时间"], ["二（一）", "加强最低生活保障", "已完成", None]):
        ws.append(row)
    wb.save(tmp_path / "s.xlsx")
    from luoshi.comply.engine import run

    sink = Sink()
    outcome = run(plan, load_tables([tmp_path / "s.xlsx"], sink, context=SheetContext(plan, None, status_words())),
                  dt.date(2019, 12, 31), sink)
    assert [(d.code, d.span.line, d.span.column) for d in outcome.diagnostics if d.code == "LS510"] == [("LS510", 4, 4)]


def test_a_row_counter_beside_short_titles_never_names_a_task_by_accident(plan):
    tables, sink, _ = read(plan, "06")
    tasks = dict(zip(tables[0].rows, tables[0].data["task"]))
    assert tasks[3] == "2.1" and tasks[4] == "2.8" and tasks[5] == "4.1"
    # 特困供养 shortens 提升特困人员救助供养水平: 2.2, not 2.8.4, the one 四是 that 「4.」 read as a number names
    assert tasks[6] == "2.2" and tasks[7] == "走访慰问"
    assert any(d.code == "LS506" and "行号" in d.zh for d in sink.items)
    assert [(d.span.line, d.span.column) for d in sink.items if d.code == "LS506" and "简写" in d.zh] == [(6, 2)]


@pytest.mark.parametrize(("written", "task"), [("特困供养", "2.2"), ("加强领导", "5.1"), ("最低生活保障", "2.1"),
                                            ("救助帮扶", None), ("低保", None)])
def test_a_shortened_title_names_the_one_task_it_shortens(plan, written, task):
    from luoshi.comply.refs import TaskIndex
    from luoshi.comply.sheets import abbreviated_title

    index = TaskIndex([t for t in plan.tasks if t.policy == "yyfbf-2019-22"])
    assert abbreviated_title(index, written) == task


def test_a_title_no_task_has_is_one_located_error():
    report, _err = comply("06", "2019-12-31")
    assert [(p["span"]["line"], p["span"]["column"]) for p in report["problems"] if p["code"] == "LS512"] == [(7, 2)]


def test_a_sheet_that_says_nothing_of_its_policy_is_refused_at_its_header():
    env = {**os.environ, "COLUMNS": "200"}
    done = subprocess.run([sys.executable, "-m", "luoshi", "comply", str(sheet("09").relative_to(ROOT)), "--as-of", "2019-12-31",
                           "--lang", "en"], cwd=ROOT, capture_output=True, text=True, env=env)
    assert done.returncode == 1
    assert "[Sheet1]:1:1" in done.stderr and "LS503" in done.stderr and "--policy" in done.stderr


def test_a_wps_gbk_export_and_a_tab_separated_one_read_like_the_workbooks(plan):
    tables, _sink, _ = read(plan, "04")
    assert tables[0].encoding == "gb18030" and tables[0].data["unit"] == ["县教委", "县教委", None]  # row 6 is blank
    assert tables[0].data["task"][:2] == ["2.5", "2.5"]  # 「教育资助」 is a part of 加大教育资助力度, shared by no other task
    sink = Sink()  # its filer named as the project names it ([tool.luoshi.comply] units): else its rows are set aside
    tables = load_tables([sheet("11")], sink, context=SheetContext(plan, None, status_words(), {"草街街道社会事务办公室": "草街街道办事处"}))
    assert tables[0].data["task"] == ["2.1", "2.2"] and tables[0].data["date"] == ["2024-06", "2024.6"]


def test_hidden_columns_blank_rows_subtotals_and_notes_are_not_data(plan):
    tables, _sink, _ = read(plan, "10")
    kept = [r for r, s in zip(tables[0].rows, tables[0].data["status"]) if s]
    assert tables[0].rows == [4, 5, 6, 8, 9] and kept == [4, 6, 9]  # 小计：2项, 合  计 and 注：… left out; blank rows empty
    tables, _sink, _ = read(plan, "08")
    assert tables[0].data["date"][0] == "2019-11-30"  # 43799 in a text cell


def test_a_date_written_in_a_sentence_is_read_and_said_where_it_is(plan):
    tables, sink, _ = read(plan, "08")
    assert dict(zip(tables[0].rows, tables[0].data["date"]))[6] == "2019-08"  # 已于8月完成, the title's year
    assert [(d.span.line, d.span.column) for d in sink.items if d.code == "LS506" and "已于8月完成" in d.zh] == [(6, 5)]
    report, _err = comply("08", "2019-12-31")
    assert [p for p in report["problems"] if p["code"] == "LS520"] == []


@pytest.mark.parametrize(("written", "read"), [
    ("2019年6月上旬", "2019-06-10"), ("6月中旬", "2019-06-20"), ("2019年6月下旬", "2019-06"), ("2019年第二季度", "2019-06-30"),
    ("二季度末", "2019-06-30"), ("2019年上半年", "2019-06-30"), ("年底", "2019-12-31"), ("12月底前", "2019-12"),
    ("2019年6月30日前", "2019-06-30"), ("19年6月", "2019-06"), ("18年第四季度", "2018-12-31"), ("99年6月", "99年6月"),
    ("已于8月完成", "2019-08"), ("已于2019年6月完成", "2019-06"), ("2019.12前已完成", "2019.12"), ("计划于12月完成", "计划于12月完成"),
    ("6月和7月完成", "6月和7月完成"), ("2019年", "2019-12-31"), ("2019年度", "2019-12-31"), ("2019年6-8月", "2019-08"),
    ("6月至8月", "2019-08"), ("2019年6月—8月底", "2019-08"), ("19年", "19年"),
])
def test_dates_as_periods_and_limits_read_at_their_latest(written, read):
    from luoshi.comply.sheets import normal_date

    assert normal_date(written, 2019) == read


@pytest.mark.parametrize(("written", "read"), [("已经完成", "已完成"), ("全部完成", "已完成"), ("均已完成", "已完成"),
                                               ("已经落实", "已落实"), ("已基本完成", "已基本完成")])
def test_status_words_with_already_or_all(written, read):
    from luoshi.comply.sheets import normal_status

    assert normal_status(written, status_words()) == read


def test_a_compiled_county_sheet_reads_units_without_their_level_as_the_countys(plan):
    tables, sink, _ = read(plan, "12")
    units = dict(zip(tables[0].rows, tables[0].data["unit"]))
    assert units[3] == "县民政局" and units[4] == "县财政局" and units[5] == "县民政局"
    notes = [(d.span.line, d.span.column) for d in sink.items if d.code == "LS506" and "云阳县" in d.zh and "按本表政策" in d.zh]
    assert notes == [(3, 3)]  # once, on the first


def test_what_still_cannot_be_read_in_a_compiled_sheet_is_located():
    report, _err = comply("12", "2019-12-31")
    problems = sorted((p["code"], p["span"]["line"], p["span"]["column"]) for p in report["problems"] if p["severity"] == "error")
    # 县财政局、县审计局 names two units with no filer to choose (19年6月 is read in the title's century, said once)
    assert problems == [("LS513", 8, 3)]
    assert [(p["span"]["line"], p["span"]["column"]) for p in report["problems"] if "'19年6月'" in p["message"]] == [(8, 5)]
    assert report["scope"] == "--policy 云阳府办发〔2019〕22号"  # no filer: every unit of the policy
