"""Round 11 of the completion sheets offices fill (tests/fixtures/sheets-wild/31–40, written by its make_sheets.py
on the seed policies): 大足区民政局's quarterly sheet that was scoped to 云阳县's 实施办法, a row on a group of
sub-tasks (四（三）组织实施阶段), a 牵头单位 / 配合单位 pair under a two-row header, 完成情况 written as sentences, a
汇总 sheet tallying the unit sheets beside it, 序号 written 2.5, a 完成时限 column, a WPS CSV in GBK, units written
without their level (人力社保局, 报送单位：财政局), a sheet a month. Each is run through `luoshi comply` as the office
would, and what it says is checked: the scope, the verdicts, and where each problem is."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from luoshi.comply.cells import prose_status
from luoshi.comply.engine import run
from luoshi.comply.loaders import load_tables
from luoshi.comply.sheetpolicy import compatible, filer_places, title_places
from luoshi.comply.sheets import SheetContext, count_summary
from luoshi.comply.vocabulary import status_words
from luoshi.diagnostics import Sink

from test_sheets_wild import comply, plan  # noqa: F401 (the seeds' plan, as there)

DZ_TITLE = "大足区落实《大足区城市特殊困难群众救助帮扶工作实施办法》任务进展情况表"


def located(report: dict, code: str) -> list[tuple[int, int]]:
    return [(p["span"]["line"], p["span"]["column"]) for p in report["problems"] if p["code"] == code]


def results(report: dict) -> dict[tuple[str, str], str]:
    return {(r["task"], r["unit"]): f"{r['status']}/{r['reason']}" for r in report["results"] if r["kind"] == "deadline"}


# ───────────── which policy a sheet reports on ─────────────


def test_a_district_sheet_is_not_scoped_to_another_countys_policy_by_its_title_words():
    """31: the title quotes a 实施办法 no policy is called; its words are 云阳县's as much as 大足区's. The filer is
    大足区's and the rows' titles are 26号's: the sheet is about 26号, and its rows are read as its tasks."""
    report, _err = comply("31", "2019-09-30")
    assert report["scope"] == "--policy 大足民发〔2019〕26号 --unit 大足区民政局"
    assert located(report, "LS512") == []  # every 工作任务 is a task of 26号
    # 26号 gives its tasks to 各镇街 (the notice is the bureau's own): the bureau's rows are refused, each saying so
    refused = [p for p in report["problems"] if p["code"] == "LS514"]
    assert [(p["span"]["line"]) for p in refused] == [5, 6, 7]
    # the unit came from the 报送单位 line, not from a column: the message says so, and what to do
    assert all("'unit' (from 第2行「填报单位：大足区民政局」)" in p["message"] for p in refused)
    assert all("各镇街" in p["hint"] and "have them report" in p["hint"] for p in refused)


def test_the_places_a_sheet_comes_from(plan):
    assert filer_places(plan, "大足区民政局") == {"大足区"}
    assert filer_places(plan, "区民政局") >= {"大足区", "璧山区"}  # a name several districts use
    assert filer_places(plan, "不存在的单位") == set()
    assert title_places(plan, DZ_TITLE) == {"大足区"}
    assert title_places(plan, "云阳加强城市特殊困难群众救助帮扶工作统计表") == {"云阳县"}  # the name without its 县
    assert title_places(plan, "重庆市大足区民政局进展表") == {"大足区"}  # the most specific place named
    assert compatible(plan, "dzmf-2019-26", {"大足区"}) and compatible(plan, "yfbf-2018-161", {"大足区"})  # the city's too
    assert not compatible(plan, "yyfbf-2019-22", {"大足区"})
    assert compatible(plan, "yyfbf-2019-22", set())  # nothing known: any


def sheet_of(tmp_path, rows: list[list[object]]):
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(tmp_path / "s.xlsx")
    return tmp_path / "s.xlsx"


def test_the_rows_titles_outvote_a_loose_title_match(plan, tmp_path):
    """No filer, a title of no place whose words several policies share; the rows' titles are 26号's."""
    path = sheet_of(tmp_path, [["城市特殊困难群众救助帮扶工作实施办法任务进展情况表"], ["序号", "工作任务", "完成情况", "完成时间"],
                               ["1", "落实最低生活保障政策", "已完成", "2019年8月"], ["2", "积极开展临时救助", "已完成", "2019年9月"]])
    sink = Sink()
    context = SheetContext(plan, None, status_words())
    load_tables([path], sink, context=context)
    assert list(context.inferred.values()) == [["dzmf-2019-26"]]


# ───────────── a row on a group of sub-tasks ─────────────


def test_a_row_on_a_group_counts_for_each_sub_task_the_unit_owes():
    """32: 「（三）组织实施阶段」 under 四、: 县民政局 owes 四（三）一是 and 二是 (as one of 县政府各部门)."""
    report, _err = comply("32", "2019-12-31")
    assert located(report, "LS518") == [] and report["rows"]["set_aside"] == 0
    notes = [p for p in report["problems"] if p["code"] == "LS506" and "group of tasks" in p["message"]]
    assert [(p["span"]["line"], p["span"]["column"]) for p in notes] == [(8, 2)]
    assert "4.3.1" in notes[0]["message"] and "4.3.2" in notes[0]["message"]
    done = results(report)
    # reported 基本完成 on 2019-12-25 for both; due 2019-12-31, the day of the check
    assert done[("4.3.1", "云阳县/县民政局")] == done[("4.3.2", "云阳县/县民政局")] == "pending/not_due"
    assert report["rows"]["read"] == 4  # the fanned row is still one row of the sheet


def test_a_number_that_could_be_several_groups_stays_ambiguous(plan, tmp_path):
    """「（二）」 is 二（二）, 三（二） or 四（二）: which group is the office's to say (LS518), not fanned out."""
    from test_comply_office import evaluate, found, sheet as csv_sheet

    outcome = evaluate(plan, csv_sheet(tmp_path, ["云阳府办发〔2019〕22号,（二）,县民政局,,已完成,2019-05-01,,,"]))
    assert found(outcome) == {2: "LS518"}


def test_a_group_row_of_a_unit_owing_none_of_it_says_who_does(plan, tmp_path):
    """县政府 owes none of 四（三）'s sub-tasks (and the group itself names no unit): LS514, naming their units."""
    from test_comply_office import evaluate, sheet as csv_sheet

    outcome = evaluate(plan, csv_sheet(tmp_path, ["云阳府办发〔2019〕22号,四（三）,县政府,,已完成,2019-12-20,,,"]))
    refused = [d for d in outcome.diagnostics if d.code == "LS514"]
    assert [d.span.line for d in refused] == [2]
    assert refused[0].hint_zh.startswith("此任务的单位：县政府各部门、各乡镇（街道）")


# ───────────── the ways offices write their sheets ─────────────


def test_a_lead_and_cooperating_pair_under_a_two_row_header():
    """33: 责任单位 over 牵头单位 | 配合单位, 推进情况 over 进度 | 完成时间; a bare 2021年6月30日 beside the 填报单位."""
    report, _err = comply("33", "2021-06-30")
    assert report["scope"] == "--policy bishan-2020-shjz --unit 璧山区民政局"
    assert [p for p in report["problems"] if p["severity"] == "error"] == []
    assert located(report, "LS506")[-1] == (6, 6)  # 正在推进 without a date: the filing date, said where


@pytest.mark.parametrize(("written", "read"), [
    ("已于2019年11月30日全面完成。全年开发公益性岗位120个。", ("已完成", "2019年11月30日")),
    ("2019年3月25日印发实施方案，已完成。", ("已完成", "2019年3月25日")),
    ("截至2019年12月，已完成全年任务的80%，正在推进。", ("进行中", "2019年12月")),
    ("已开展培训3次，持续推进。", ("进行中", None)),
    ("已完成部署，尚未完成验收。", None),  # says something is not done: the office says which
    ("已完成", None),  # a word, not a paragraph
    ("全年开发公益性岗位120个，新增就业300人。", None),  # says no status
])
def test_a_status_written_as_sentences(written, read):
    assert prose_status(written, status_words()) == read


def test_sentences_in_the_status_column_date_and_decide_their_rows():
    report, _err = comply("34", "2019-12-31")
    assert located(report, "LS516") == [] and report["rows"]["set_aside"] == 0
    assert report["scope"] == "--policy 云阳府办发〔2019〕22号 --unit 县人社局"
    assert results(report)[("4.1", "云阳县/县人力社保局")] == "pass/on_time"  # 2019年3月25日印发实施方案，已完成。
    assert located(report, "LS506")[1] == (4, 4)


def test_a_tally_sheet_beside_the_unit_sheets_is_not_read():
    report, _err = comply("35", "2021-06-30")
    tally = [p for p in report["problems"] if p["span"]["file"].endswith("[汇总]")]
    assert [(p["code"], p["span"]["line"]) for p in tally] == [("LS506", 2)] and "tally" in tally[0]["message"]
    assert report["scope"] == "--policy bishan-2020-shjz --unit 区医保局 --unit 区教委"
    # in progress, and neither a 完成时间 nor a 填报日期 to date it by: one located error each, saying what to write
    undated = [p for p in report["problems"] if p["code"] == "LS510"]
    assert sorted((p["span"]["file"].rsplit("[", 1)[1], p["span"]["line"]) for p in undated) == [("区医保局]", 5), ("区教委]", 5)]
    assert all("the row is not done" in p["hint"] for p in undated)


def test_count_summary_headers():
    words = status_words()
    assert count_summary(["序号", "责任单位", "任务数", "已完成", "正在推进", "未启动"], words)
    assert not count_summary(["序号", "重点任务", "完成情况", "完成时间"], words)
    assert not count_summary(["序号", "重点任务", "已完成", "未完成"], words)  # a task column: a report


def test_dotted_numbers_a_deadline_column_and_a_total_row():
    """36: 2.5 is 二（五）; 完成时限 「2019年底前」 is when it was due, not when it was done; 合计 is no data."""
    report, _err = comply("36", "2019-12-31")
    assert results(report)[("2.5", "云阳县/县教委")] == "pass/on_time"
    assert report["rows"] == {"after_as_of": 0, "outside_scope": 0, "read": 2, "set_aside": 0}
    # 县教委 owes 四（一） as one of 县政府各部门 and did not report it: overdue, as the office should hear
    assert results(report)[("4.1", "云阳县/县教委")] == "fail/overdue"


def test_a_township_wps_export_in_gbk():
    report, _err = comply("37", "2019-12-31")
    assert report["scope"] == "--policy 大足民发〔2019〕26号 --unit 龙水镇人民政府"
    assert [p for p in report["problems"] if p["severity"] == "error"] == []
    assert report["rows"]["read"] == 4


def test_a_unit_column_of_one_unit_without_its_level_names_the_filer():
    report, _err = comply("38", "2021-06-30")
    assert report["scope"] == "--policy bishan-2020-shjz --unit 区人力社保局"
    assert {r["unit"] for r in report["results"]} == {"璧山区/区人力社保局"}
    assert located(report, "LS506")[1] == (3, 3)  # 人力社保局 read as 区人力社保局, said once where it is


def test_a_filing_unit_without_its_level_is_the_policys_jurisdictions():
    report, _err = comply("39", "2019-12-31")
    assert located(report, "LS513") == []
    assert report["scope"] == "--policy 云阳府办发〔2019〕22号 --unit 县财政局"
    assert any("'财政局'" in p["message"] and "县财政局" in p["message"] for p in report["problems"] if p["code"] == "LS506")


def test_a_sheet_a_month_of_a_subdistrict_on_its_own_notice():
    """40: the notice gives its work to 各村（社区）, 街道各部门 (whose members the registry does not list) and
    工商比对数据 to the 街道办事处: those rows count, the others say where to list the members."""
    report, _err = comply("40", "2024-11-30")
    assert report["rows"]["read"] == 6 and report["rows"]["set_aside"] == 4
    refused = sorted((p["span"]["file"].rsplit("[", 1)[1], p["span"]["line"]) for p in report["problems"] if p["code"] == "LS519")
    assert refused == [("10月]", 4), ("10月]", 5), ("11月]", 4), ("11月]", 5)]


def test_the_fan_out_keeps_the_counts_of_bad_rows_right(plan, tmp_path):
    """A row on a group with a bad date is one bad row, not one per sub-task."""
    path = sheet_of(tmp_path, [["云阳县加强城市特殊困难群众救助帮扶工作实施办法重点任务落实情况表（2019年）"], ["填报单位：县民政局"],
                               ["序号", "重点任务", "完成情况", "完成时间"], ["四（三）", "组织实施阶段", "已完成", "2019年13月"]])
    sink = Sink()
    outcome = run(plan, load_tables([path], sink, context=SheetContext(plan, None, status_words())), dt.date(2019, 12, 31), sink)
    assert [(d.code, d.span.line) for d in outcome.diagnostics if d.code == "LS520"] == [("LS520", 4)]
    assert outcome.rows_set_aside == 1 and outcome.problems_by_code == {"LS520": 1}
