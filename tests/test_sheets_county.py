"""Completion sheets as county and district offices write them (tests/fixtures/sheets-wild/31–): 大足区民政局's
quarterly sheet that was scoped to 云阳县's 实施办法 by its title's words. Each is run through `luoshi comply` as the
office would, and what it says is checked: the scope, the verdicts, and where each problem is."""

from __future__ import annotations

import openpyxl

from luoshi.comply.loaders import load_tables
from luoshi.comply.sheetpolicy import compatible, filer_places, title_places
from luoshi.comply.sheets import SheetContext
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
    assert all("各镇街" in p["hint"] and "填报单位" in p["message"] for p in refused)


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
