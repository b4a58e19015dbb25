"""Completion sheets as county offices make them for a 督查: a merged title naming the policy, a 填报单位 line, the
header in row 3 (序号 | 重点任务 | 责任单位 | 完成情况 | 完成时间 | 备注), no 政策 column, merged 重点任务 cells, dates
as Excel writes them or as people type them (2021.3.31, 3月底, 43646), a 合计 row and a 填表人 footer; the same
sheet saved as GBK CSV by WPS; one workbook with a sheet per unit.

The corpus is the frozen fixture project tests/fixtures/comply/office (璧山's responsibility table numbers its
tasks 1–35; 云阳府办发〔2019〕22号 prints 四（一）, 四（二）二是 and has deadlines)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from conftest import FIXTURES
from luoshi.comply.checks import compile_plan
from luoshi.comply.engine import run
from luoshi.comply.loaders import load_tables, pick_header
from luoshi.comply.outcome import Outcome, Status
from luoshi.comply.sheets import SheetContext, is_footer, normal_date, normal_status, read_preamble
from luoshi.comply.vocabulary import status_words
from luoshi.diagnostics import Sink
from luoshi.driver.pipeline import compile_paths
from luoshi.driver.project import Project

OFFICE = FIXTURES / "comply" / "office"
YY = "yyfbf-2019-22"
YY_TITLE = "云阳县加强城市特殊困难群众救助帮扶工作实施办法重点任务落实情况台账（2019年）"
BISHAN_TITLE = "璧山区改革完善社会救助制度重点任务落实情况统计表（2021年第一季度）"
HEAD = ["序号", "重点任务", "责任单位", "完成情况", "完成时间", "备注"]
FOOTER = [["合计"], ["填表人：张三   联系电话：023-41412345"], ["审核人：王五"]]


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    build = tmp_path_factory.mktemp("build")
    comp = compile_paths(None, Project(root=OFFICE, policies=OFFICE / "policies", output=build, standard_units=False))
    assert not comp.sink.has_errors()
    return compile_plan(comp.corpus)


def book(path: Path, sheets: dict[str, list[list[object]]], merges: dict[str, list[str]] | None = None) -> Path:
    """A workbook as an office saves it: each sheet's rows from row 1, with the merged ranges given."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for ref in (merges or {}).get(name, []):
            ws.merge_cells(ref)
    wb.save(path)
    return path


def check(plan, path: Path, as_of: dt.date, policies: set[str] | None = None) -> Outcome:
    sink = Sink()
    context = SheetContext(plan, frozenset(policies) if policies else None, status_words())
    return run(plan, load_tables([path], sink, context=context), as_of, sink)


def codes(outcome: Outcome) -> list[tuple[str, int, int]]:
    """(code, row, column) of every diagnostic, in order."""
    return [(d.code, d.span.line, d.span.column) for d in outcome.diagnostics if d.span]


def verdicts(outcome: Outcome, policy: str, unit: str, kind: str = "deadline") -> dict[str, tuple[Status, list[int]]]:
    """Task → (status, evidence rows) of the unit's checks of one kind."""
    return {r.check.task: (r.status, [e.row for e in r.evidence]) for r in outcome.results
            if r.check.policy in (policy, "云阳府办发〔2019〕22号") and r.check.unit_label == unit and r.check.kind.value == kind}


def bishan_rows() -> list[list[object]]:
    """The 区民政局's first-quarter sheet: 序号 are the responsibility table's numbers; 13's 重点任务 is the group's
    title (强化就业救助), as the table prints it."""
    return [[BISHAN_TITLE], ["填报单位：区民政局（盖章）", None, None, "填报日期：2021年3月31日"], HEAD,
            [3, "稳步扩大基本生活救助范围", "区民政局", "已完成", dt.datetime(2021, 3, 20), "低保渐退已实施"],
            [4, "全面实施“精准救助”", "区民政局", "正在推进", "2021.3.31", None],
            [None] * 6,
            [13, "强化就业救助", "区民政局", "持续推进中", "2021年3月", None], *FOOTER]


# ───────────── the district bureau's sheet ─────────────


def test_a_district_bureau_sheet_is_read_with_its_policy_from_the_title(plan, tmp_path):
    path = book(tmp_path / "民政局一季度.xlsx", {"民政局": bishan_rows()}, {"民政局": ["A1:F1"]})
    outcome = check(plan, path, dt.date(2021, 12, 31))
    assert outcome.rows_read == 3 and outcome.rows_set_aside == 0  # 合计, the blank row and the footers are not data
    notes = [d for d in outcome.diagnostics if d.code == "LS506"]
    assert [(d.span.line, d.span.column) for d in notes] == [(1, 1)]  # said once, on the title
    assert "关于贯彻落实《重庆市改革完善社会救助制度重点举措》的通知" in notes[0].zh
    assert [c for c in codes(outcome) if c[0] != "LS506"] == []
    (table,) = load_tables([path], Sink(), context=SheetContext(plan, None, status_words()))
    assert table.rows == [4, 5, 6, 7]  # 合计 and the footers are left out; the blank row 6 is nobody's (none is filled in)
    assert table.data["task"] == ["3", "4", None, "13"]  # 13's 重点任务 is its group's title: the number says which task
    assert table.data["policy"] == ["bishan-2020-shjz", "bishan-2020-shjz", None, "bishan-2020-shjz"]
    assert table.data["unit"] == ["区民政局", "区民政局", None, "区民政局"]
    assert table.data["date"] == ["2021-03-20", "2021.3.31", None, "2021-03"]  # the engine reads these (docs/data.md)
    assert table.data["status"] == ["已完成", "正在推进", None, "持续推进中"]


def test_the_policy_option_gives_a_sheet_without_a_title_its_policy(plan, tmp_path):
    rows = [[r[0], r[2], r[3], r[4]] for r in bishan_rows()[2:] if len(r) > 1]  # no title line, no 重点任务 column
    path = book(tmp_path / "无表题.xlsx", {"Sheet1": rows})
    refused = check(plan, path, dt.date(2021, 12, 31))
    assert codes(refused) == [("LS503", 1, 1)]  # one error: 政策 is the only column missing
    assert "--policy" in refused.diagnostics[0].hint_zh
    taken = check(plan, path, dt.date(2021, 12, 31), {"bishan-2020-shjz"})
    assert codes(taken) == [] and taken.rows_read == 3 and taken.rows_set_aside == 0


def test_column_problems_name_the_row_taken_as_the_header(plan, tmp_path):
    """A form line above the header (「填报日期：…」) names no column; the error is on the header's own row 3."""
    rows = [["某某工作落实情况统计表"], ["填报单位：区民政局", None, "填报日期：2021年3月31日"],
            ["序号", "工作内容", "完成情况", "完成时间"], [1, "某项工作", "已完成", "2021-03-20"]]
    outcome = check(plan, book(tmp_path / "x.xlsx", {"表1": rows}), dt.date(2021, 12, 31))
    assert codes(outcome) == [("LS506", 2, 1), ("LS503", 3, 1)]  # the unit from row 2; no policy at all
    assert "第 3 行" in outcome.diagnostics[1].hint_zh


def test_task_titles_alone_can_name_the_policy(plan, tmp_path):
    rows = [["序号", "重点任务", "责任单位", "完成情况", "完成时间"],
            [1, "稳步扩大基本生活救助范围", "区民政局", "已完成", "2021-03-20"],
            [2, "完善临时救助措施", "区民政局", "正在推进", "2021-03-31"]]
    outcome = check(plan, book(tmp_path / "t.xlsx", {"Sheet1": rows}), dt.date(2021, 12, 31))
    notes = sorted(d.zh for d in outcome.diagnostics if d.code == "LS506")
    assert len(notes) == 2 and "只见于政策" in notes[1] and "行号" in notes[0]  # the policy; 序号 read as a row counter
    assert [c for c in codes(outcome) if c[0] != "LS506"] == [] and outcome.rows_set_aside == 0


# ───────────── 序号 and 重点任务 ─────────────


def yy_sheet(rows: list[list[object]], title: str = YY_TITLE) -> list[list[object]]:
    return [[title], ["填报单位：县民政局（盖章）", None, None, "填报日期：2019年12月20日"],
            ["序号", "工作任务", "牵头单位", "进展情况", "完成时间", "备注"], *rows, *FOOTER]


def test_deadlines_from_a_county_sheet_with_printed_numbers_and_everyday_dates(plan, tmp_path):
    rows = [["四（一）", "启动部署阶段", "县民政局", "已完成（提前）", "3月底", None],  # the title's year
            ["四（二）二是", "加强动态调整", "县民政局", "基本完成", "43646", None],  # 基本完成 is not done; 2019-06-30
            ["四（三）一是", None, "县民政局", "序时推进", "2019.12.20", None]]
    outcome = check(plan, book(tmp_path / "云阳.xlsx", {"县民政局": yy_sheet(rows)}), dt.date(2019, 12, 31))
    assert codes(outcome) == [("LS506", 1, 1)]
    got = verdicts(outcome, YY, "县民政局")
    assert got["4.1"] == (Status.PASS, [4])
    assert got["4.2.2"] == (Status.FAIL, [5])
    assert got["4.3.1"] == (Status.PENDING, [6])


def test_a_number_and_a_title_that_disagree_are_warned_and_the_title_counts(plan, tmp_path):
    rows = [["四（二）二是", "启动部署阶段", "县民政局", "已完成", "2019-03-20", None]]  # the number is 4.2.2's
    outcome = check(plan, book(tmp_path / "d.xlsx", {"县民政局": yy_sheet(rows)}), dt.date(2019, 12, 31))
    assert ("LS507", 4, 1) in codes(outcome)
    got = verdicts(outcome, YY, "县民政局")
    assert got["4.1"] == (Status.PASS, [4]) and got["4.2.2"][0] is Status.FAIL


def test_a_title_naming_a_group_takes_the_number_below_it(plan, tmp_path):
    """璧山's 重点任务 column prints a group's title (强化就业救助) over its numbered rows 13 and 14."""
    rows = bishan_rows()
    outcome = check(plan, book(tmp_path / "g.xlsx", {"民政局": rows}), dt.date(2021, 12, 31))
    assert not [c for c in codes(outcome) if c[0] in ("LS507", "LS512")]


def test_a_merged_task_cell_counts_for_every_row_it_covers(plan, tmp_path):
    rows = [["四（一）", "启动部署阶段", "县民政局", "正在推进", "2019-03-10", "第一次报告"],
            [None, None, "县民政局", "已完成", "2019-03-25", "第二次报告"]]
    merged = book(tmp_path / "m.xlsx", {"县民政局": yy_sheet(rows)}, {"县民政局": ["A1:F1", "A4:A5", "B4:B5"]})
    outcome = check(plan, merged, dt.date(2019, 12, 31))
    assert codes(outcome) == [("LS506", 1, 1)]
    assert verdicts(outcome, YY, "县民政局")["4.1"] == (Status.PASS, [5])
    unmerged = check(plan, book(tmp_path / "u.xlsx", {"县民政局": yy_sheet(rows)}), dt.date(2019, 12, 31))
    assert ("LS510", 5, 2) in codes(unmerged)  # without the merge the second row names no task, and says where


# ───────────── the same sheet as GBK CSV, and a sheet per unit ─────────────


def test_the_sheet_saved_as_gbk_csv_by_wps_reads_the_same(plan, tmp_path):
    """WPS's 另存为 CSV: GBK, CRLF, the title and form lines kept, a merged cell's value in its first row only."""
    lines = [f"{YY_TITLE},,,,,", "填报单位：县民政局（盖章）,,,填报日期：2019年12月20日,,", "序号,工作任务,牵头单位,进展情况,完成时间,备注",
             "四（一）,启动部署阶段,县民政局,正在推进,2019/3/10,第一次报告", ",,县民政局,已完成,2019/3/25,第二次报告",
             "四（二）二是,加强动态调整,县民政局,已完成,2019年8月,", ",,,,,", "合计,,,,,", "填表人：张三   联系电话：023-41412345,,,,,"]
    path = tmp_path / "云阳.csv"
    path.write_bytes("\r\n".join(lines).encode("gbk"))
    outcome = check(plan, path, dt.date(2019, 12, 31))
    assert outcome.rows_read == 3 and outcome.rows_set_aside == 0
    assert [c for c in codes(outcome) if c[0] == "LS506"] == [("LS506", 1, 1), ("LS506", 3, 2)]  # the policy; the carried task
    got = verdicts(outcome, YY, "县民政局")
    assert got["4.1"] == (Status.PASS, [5]) and got["4.2.2"] == (Status.PASS, [6])  # 2019年8月 is 08-31


def test_a_workbook_with_a_sheet_per_unit_takes_each_unit_from_its_sheet(plan, tmp_path):
    head = ["序号", "工作任务", "进展情况", "完成时间"]
    path = book(tmp_path / "各单位.xlsx", {
        "填报说明": [["请各单位于每季度末填报"], ["序号：按责任分工表"]],
        "县民政局": [[YY_TITLE], head, ["四（一）", "启动部署阶段", "已完成", "2019-03-20"]],
        "Sheet3": [[YY_TITLE], head, ["四（一）", "启动部署阶段", "已完成", "2019-03-20"]]})
    outcome = check(plan, path, dt.date(2019, 12, 31))
    at = {(d.span.file.split("[")[1], d.code) for d in outcome.diagnostics}
    assert ("县民政局]", "LS506") in at and ("Sheet3]", "LS503") in at  # Sheet3 is no unit's name
    assert not any(s.startswith("填报说明") for s, _ in at)
    assert verdicts(outcome, YY, "县民政局")["4.1"] == (Status.PASS, [3])


# ───────────── the parts ─────────────


def test_the_header_is_the_row_naming_the_most_columns():
    rows = [[BISHAN_TITLE], ["填报单位：区民政局（盖章）", "", "", "填报日期：2021年3月31日"], HEAD, ["3", "稳步…", "区民政局", "已完成"]]
    assert pick_header(rows) == 2
    assert pick_header([["说明"], ["请按时填报"]]) == 0  # 说明 is the note column: a header, if a poor one
    assert pick_header([["请按时填报"]]) is None


def test_preamble_lines_and_footers():
    pre = read_preamble([[BISHAN_TITLE, ""], ["填报单位：区民政局（盖章）    填报日期：2021年3月31日"]])
    assert (pre.title, pre.unit, pre.date, pre.year) == (BISHAN_TITLE, "区民政局", "2021年3月31日", 2021)
    assert pre.unit_at == (2, 0)
    blank = read_preamble([["填报单位：", "", "填报日期："], ["XX工作落实情况表"]])  # the form not filled in
    assert (blank.title, blank.unit, blank.date) == ("XX工作落实情况表", None, None)
    assert all(is_footer([text]) for text in ("合计", "合  计", "填表人：张三", "联系电话：023-1", "审核人：", "注：本表…"))
    assert not any(is_footer([text]) for text in ("3", "合计救助人数提高", None, "稳步扩大基本生活救助范围"))
    assert is_footer([None, "", "小计"])
    assert is_footer(["合计", None, "3项"], ["3项"])  # a total, whatever it sums
    assert is_footer(["填表人：张三", "联系电话：023-1"], ["联系电话：023-1"])  # a footer merged across the columns
    assert not is_footer(["说明：已印发方案", "已完成", "2021-03-20"], ["已完成", "2021-03-20"])  # a report, its note first


@pytest.mark.parametrize(("written", "year", "read"), [
    ("3月底", 2021, "2021-03"), ("3月31日", 2021, "2021-03-31"), ("2021年3月底", None, "2021-03"), ("12月", 2019, "2019-12"),
    ("44286", None, "2021-03-31"), ("44286.0", None, "2021-03-31"), ("20210331", None, "20210331"), ("3月底", None, "3月底"),
    ("2021.3.31", 2021, "2021.3.31"), ("13月", 2021, "13月")])
def test_dates_offices_write(written, year, read):
    assert normal_date(written, year) == read


@pytest.mark.parametrize(("written", "read"), [
    ("已完成（提前）", "已完成"), ("已完成。3月20日印发方案", "已完成"), ("正在推进，已摸底", "正在推进"), ("已完成", "已完成"),
    ("完成率80%", "完成率80%"), ("基本完成", "基本完成"),
    ("已完成（部分）", "已完成（部分）"), ("已完成，但尚未验收", "已完成，但尚未验收")])  # not done: refused, not guessed
def test_status_words_with_remarks(written, read):
    assert normal_status(written, status_words()) == read


@pytest.mark.parametrize(("word", "code"), [
    ("基本完成", "in_progress"), ("序时推进", "in_progress"), ("按序时进度推进", "in_progress"), ("持续推进中", "in_progress"),
    ("长期坚持", "in_progress"), ("滞后", "in_progress"), ("未完成", "in_progress"), ("提前完成", "done"), ("尚未开展", "not_started")])
def test_what_office_status_words_mean_for_a_deadline(word, code):
    assert status_words()[word] == code


def test_a_unit_cell_listing_several_units_is_the_filing_units_report(plan, tmp_path):
    rows = [["四（一）", "启动部署阶段", "县民政局、县财政局", "已完成", "2019-03-20", None],
            ["四（二）二是", "加强动态调整", "县财政局、县审计局", "已完成", "2019-08-20", None]]  # not the 填报单位's
    outcome = check(plan, book(tmp_path / "l.xlsx", {"县民政局": yy_sheet(rows)}), dt.date(2019, 12, 31))
    assert ("LS506", 4, 3) in codes(outcome) and ("LS513", 5, 3) in codes(outcome)
    assert verdicts(outcome, YY, "县民政局")["4.1"] == (Status.PASS, [4])


@pytest.mark.parametrize(("header", "cells", "passed"), [
    ("是否完成", ("是", "否"), (True, False)),  # a 是否完成 column (performance appraisal sheets)
    ("进展情况", ("提前完成", "欠进度"), (True, False)),  # 督查 reports' words for ahead of and behind schedule
    ("目前进度", ("已办结", "推进中"), (True, False)),  # a qualifier before the column's name: 目前进度 is 进度
    ("当前推进情况", ("已完成", "未启动"), (True, False)),
])
def test_other_status_columns_offices_use(plan, tmp_path, header, cells, passed):
    rows = [["序号", "工作任务", "牵头单位", header, "实际办结时间"],
            ["四（一）", "启动部署阶段", "县民政局", cells[0], "2019-03-20"],
            ["四（二）二是", "加强动态调整", "县民政局", cells[1], "2019-08-20"]]
    outcome = check(plan, book(tmp_path / "s.xlsx", {"Sheet1": [[YY_TITLE], *rows]}), dt.date(2019, 12, 31))
    got = verdicts(outcome, YY, "县民政局")
    assert (got["4.1"][0] is Status.PASS, got["4.2.2"][0] is Status.PASS) == passed


@pytest.mark.parametrize(("title", "policy"), [
    ("云阳府办发（2019）22号落实情况表", YY),  # its 文号, any brackets
    (BISHAN_TITLE, "bishan-2020-shjz"),  # its title's words
    ("贯彻落实《重庆市改革完善社会救助制度重点举措》情况统计表", "bishan-2020-shjz"),  # the title it quotes
    ("加强城市特殊困难群众救助帮扶工作落实情况表", None),  # as much 云阳's as 渝府办发〔2018〕161号's: not guessed
    ("2021年第一季度重点工作落实情况统计表", None)])
def test_the_policy_a_title_names(plan, title, policy):
    from luoshi.comply.sheets import policy_of_title

    assert policy_of_title(plan, title)[0] == policy


def test_a_workbook_of_one_policy_says_once_where_its_policy_came_from(plan, tmp_path):
    head = ["序号", "工作任务", "进展情况", "完成时间"]
    sheets = {unit: [[YY_TITLE], head, ["四（一）", "启动部署阶段", "已完成", "2019-03-20"]] for unit in ("县民政局", "县财政局")}
    outcome = check(plan, book(tmp_path / "两单位.xlsx", sheets), dt.date(2019, 12, 31))
    notes = [d.zh for d in outcome.diagnostics if d.code == "LS506"]
    assert sum("政策" in n for n in notes) == 1 and sum("工作表名" in n for n in notes) == 2


def test_a_long_csv_with_its_header_below_a_title_is_refused_with_a_reason(plan, tmp_path, monkeypatch):
    from luoshi.comply import loaders

    monkeypatch.setattr(loaders, "SPILL_ROWS", 3)  # as a file of more than 50,000 rows would be
    lines = ["台账,,,,", "政策,任务,单位,状态,日期", *[f"{YY},四（一）,县民政局,已完成,2019-03-{i:02d}" for i in range(1, 6)]]
    path = tmp_path / "long.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    sink = Sink()
    assert load_tables([path], sink) == []
    assert [(d.code, d.span.line) for d in sink.items if d.span] == [("LS503", 2)]


def test_empty_unit_cells_are_the_filing_units(plan, tmp_path):
    rows = [["四（一）", "启动部署阶段", None, "已完成", "2019-03-20", None]]
    outcome = check(plan, book(tmp_path / "e.xlsx", {"Sheet1": yy_sheet(rows)}), dt.date(2019, 12, 31))
    assert codes(outcome) == [("LS506", 1, 1), ("LS506", 4, 3)]
    assert verdicts(outcome, YY, "县民政局")["4.1"] == (Status.PASS, [4])


def test_a_row_counter_does_not_mislead_but_the_tables_own_numbers_are_read(plan, tmp_path):
    """1, 2, 3 beside titles of tasks 3, 19, 13 counts the rows; 1, 2, 3 beside titles no task has are 璧山's items."""
    head = ["序号", "重点任务", "责任单位", "完成情况", "完成时间"]
    counted = [head, [1, "稳步扩大基本生活救助范围", "区民政局", "已完成", "2021-03-20"],
               [2, "完善临时救助措施", "区民政局", "已完成", "2021-03-20"], [3, "落实就业创业扶持政策", "区民政局", "已完成", "2021-03-20"]]
    (table,) = load_tables([book(tmp_path / "c.xlsx", {"Sheet1": [[BISHAN_TITLE], *counted]})], Sink(),
                           context=SheetContext(plan, None, status_words()))
    assert table.data["task"] == ["3", "19", "13"]
    own = [head, [1, "综合救助", "区困难群众基本生活保障工作联席会议成员单位", "已完成", "2021-03-20"],
           [2, "城乡统筹", "区民政局", "已完成", "2021-03-20"]]
    sink = Sink()
    (table,) = load_tables([book(tmp_path / "o.xlsx", {"Sheet1": [[BISHAN_TITLE], *own]})], sink,
                           context=SheetContext(plan, None, status_words()))
    assert table.data["task"] == ["1", "2"] and not [d for d in sink.items if d.code == "LS507"]


def test_a_header_of_two_rows_is_read_as_one(plan, tmp_path):
    """完成情况 merged over its two columns (进展情况 | 完成时间) in the row below; 序号, 工作任务 and 牵头单位 merged down."""
    rows = [[YY_TITLE], ["序号", "工作任务", "牵头单位", "完成情况", None], [None, None, None, "进展情况", "完成时间"],
            ["四（一）", "启动部署阶段", "县民政局", "已完成", "2019-03-20"]]
    merges = ["A1:E1", "A2:A3", "B2:B3", "C2:C3", "D2:E2"]
    outcome = check(plan, book(tmp_path / "h.xlsx", {"Sheet1": rows}, {"Sheet1": merges}), dt.date(2019, 12, 31))
    assert codes(outcome) == [("LS506", 1, 1)]
    assert verdicts(outcome, YY, "县民政局")["4.1"] == (Status.PASS, [4])
