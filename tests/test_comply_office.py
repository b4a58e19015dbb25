"""Completion sheets written the way a county office writes them: GBK, the document's printed numbering (二（二）,
四（二）一是, a title), members of a collective reporting for themselves, a township the registry lacks.

The corpus is the frozen fixture project tests/fixtures/comply/office (the seed corpus, with members declared for
各乡镇（街道） and 县政府各部门), so the verdicts do not move when the project's own registry grows."""

from __future__ import annotations

import datetime as dt
import json
import re
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from conftest import FIXTURES
from luoshi.comply.checks import compile_plan
from luoshi.comply.engine import run
from luoshi.comply.loaders import load_tables
from luoshi.comply.outcome import Status
from luoshi.comply.refs import TaskIndex, Written, read_reference
from luoshi.diagnostics import Sink
from luoshi.driver.pipeline import compile_paths
from luoshi.semantics.printed import printed_label
from luoshi.driver.project import Project

OFFICE = FIXTURES / "comply" / "office"
YY = "云阳府办发〔2019〕22号"
HEADER = "政策,任务,单位,范围,状态,日期,指标,数值,备注"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    build = tmp_path_factory.mktemp("build")
    comp = compile_paths(None, Project(root=OFFICE, policies=OFFICE / "policies", output=build, standard_units=False))
    assert not comp.sink.has_errors()
    return comp.corpus


@pytest.fixture(scope="module")
def plan(corpus):
    return compile_plan(corpus)


def sheet(tmp_path: Path, rows: list[str], name: str = "完成情况.csv") -> Path:
    """A CSV as Excel or WPS saves it on a Chinese Windows: GBK, CRLF."""
    path = tmp_path / name
    path.write_bytes("\r\n".join([HEADER, *rows, ""]).encode("gbk"))
    return path


def evaluate(plan, path: Path, as_of=dt.date(2020, 12, 31)):
    sink = Sink()
    return run(plan, load_tables([path], sink), as_of, sink)


def found(outcome) -> dict[int, str]:
    """Row → the code of its problem."""
    return {d.span.line: d.code for d in outcome.diagnostics if d.span and d.code != "LS517"}


# ───────────── printed numbers ─────────────


def test_tasks_carry_the_number_the_document_prints(corpus):
    yy, bishan, guofa = corpus.policy("yyfbf-2019-22"), corpus.policy("bishan-2020-shjz"), corpus.policy("gf-2018-39")
    assert yy.task("2.2").printed == "二（二）" and yy.task("2.2.2").printed == "二（二）二是"
    assert yy.task("4.2.1").printed == "四（二）一是"
    assert bishan.task("3").printed == "3"  # 序号 3 of the responsibility table, under 一、
    assert bishan.task("正文.2").printed == "二"
    assert guofa.task("2.3").printed == "二（三）"  # 国发 numbers its measures on through the parts
    assert guofa.task("结语").printed is None
    # a sub-task split out of text the document does not number prints nothing of its own
    assert corpus.policy("cjbf-2024-54").task("2.10.1").printed is None
    assert printed_label("2.1.3", None, "总体要求。1. 一项；2. 二项；3. 三项") == "二（一）3"


@pytest.mark.parametrize("written, read", [
    ("二（二）", Written(levels=((0, 2), (1, 2)))), ("二、（二）", Written(levels=((0, 2), (1, 2)))),
    ("（二）", Written(levels=((1, 2),))), ("二（二）2", Written(levels=((0, 2), (1, 2), (2, 2)))),
    ("二（二）二是", Written(levels=((0, 2), (1, 2), (2, 2)))), ("二(二)２", Written(levels=((0, 2), (1, 2), (2, 2)))),
    ("十二（十三）", Written(levels=((0, 12), (1, 13)))),
    ("第3项", Written(row=3)), ("序号 35", Written(row=35)), ("第三十五项", Written(row=35)), ("3", Written(row=3)),
    ("加强最低生活保障", None), ("二（二", None), ("（二）二", None)])
def test_written_references_are_read_back(written, read):
    assert read_reference(written) == read


def test_every_printed_form_names_the_same_task(plan):
    yy = TaskIndex([t for t in plan.tasks if t.policy == "yyfbf-2019-22"])
    for written in ("2.2.2", "二（二）二是", "二（二）2", "二、（二）二是", "二（二）２"):
        assert yy.find(written) == ("2.2.2", []), written
    assert yy.find("提升特困人员救助供养水平") == ("2.2", [])
    task, candidates = yy.find("（二）")
    assert task is None and {"2.2", "3.2", "4.2"} <= set(candidates)
    bishan = TaskIndex([t for t in plan.tasks if t.policy == "bishan-2020-shjz"])
    assert bishan.find("第3项") == bishan.find("序号3") == bishan.find("3") == ("3", [])
    assert bishan.find("二") == ("正文.2", [])  # 二、 of the notice's own text, not row 2 of its table
    assert bishan.find("第99项") == (None, [])


# ───────────── a 云阳 office's sheet ─────────────

ROWS = [
    f"{YY},二（二）,县民政局,青龙街道,,2019-12-20,失能特困人员集中供养率,45%,",     # 2: at the measure: its sub-task 2.2.2 holds the metric
    f"{YY},二（二）二是,双江街道,,,2019-12-20,失能特困人员集中供养率,38%,",         # 3: a member reporting its own rate
    f"{YY},四（二）一是,青龙街道,,已完成,2019-08-20,,,",                            # 4: on time
    f"{YY},四（二）一是,双江街道,,已完成,2019-09-10,,,",                            # 5: late (due 2019-08-31)
    f"{YY},四（一）,县财政局,,已完成,2019-03-20,,,",                                # 6: a member of 县政府各部门
    f"{YY},四（一）,县医保局,,已完成,2019-03-20,,,",                                # 7: owed as 有关单位, which lists no members
    f"{YY},（二）,县民政局,,已完成,2019-05-01,,,",                                  # 8: 二（二）, 三（二） or 四（二）?
    f"{YY},四（一）,星河镇,,已完成,2019-03-20,,,",                                  # 9: a township the registry lacks
    f"{YY},提升特困人员救助供养水平,县民政局,,进行中,2019-05-01,,,",                 # 10: by title
    "云阳府办发（2019）22号,二、（二）,青龙街道,,进行中,2019-05-01,,,",              # 11: 青龙's duty in 二（二） is 二是
    f"{YY},四（二）,青龙街道,,已完成,2019-08-01,,,",                                # 12: 一是, 二是 and 三是 are all 青龙's: each
]


@pytest.fixture(scope="module")
def office(plan, tmp_path_factory):
    return evaluate(plan, sheet(tmp_path_factory.mktemp("office"), ROWS))


def test_every_row_is_accepted_or_refused_for_its_reason(office):
    assert found(office) == {7: "LS519", 8: "LS518", 9: "LS513", 12: "LS506"}
    assert office.rows_read == len(ROWS) and office.rows_set_aside == 3


def test_refusals_say_what_to_write(office):
    by_row = {d.span.line: d for d in office.diagnostics if d.span}
    assert "有关单位" in by_row[7].zh and "policies/units/云阳县.units" in by_row[7].hint_zh
    assert "二（二）（2.2）" in by_row[8].hint_zh and "四（二）（4.2）" in by_row[8].hint_zh
    assert "policies/units/云阳县.units" in by_row[9].hint_zh and "星河镇" in by_row[9].hint_zh
    # a unit's row on a group of sub-tasks it owes several of is its report on each (said once, where it is)
    assert by_row[12].severity.value == "info" and "四（二）一是（4.2.1）" in by_row[12].zh and "四（二）三是（4.2.3）" in by_row[12].zh


def test_rows_at_a_measure_reach_the_sub_task_that_holds_the_metric(office):
    def target(place):
        return office.result(f"{YY}::2.2.2::县民政局::target[失能特困人员集中供养率≥40% 截至2019-12-31 {place}]")

    qinglong, shuangjiang = target("青龙街道"), target("双江街道")
    assert qinglong.status is Status.PASS and qinglong.evidence[0].row == 2
    assert shuangjiang.status is Status.FAIL and shuangjiang.evidence[0].row == 3


def test_each_member_of_a_collective_is_checked_for_itself(office):
    def result(task, unit, due):
        return office.result(f"{YY}::{task}::{unit}::deadline[{due}]")

    assert result("4.2.1", "青龙街道办事处", "2019-08-31").reason == "on_time"
    assert result("4.2.1", "双江街道办事处", "2019-08-31").reason == "late"
    never = result("4.2.1", "盘龙街道办事处", "2019-08-31")
    assert never.reason == "overdue" and "没有任何报告" in never.zh
    assert result("4.1", "县财政局", "2019-03-31").reason == "on_time"  # counted for 县政府各部门
    assert result("4.1", "县民政局", "2019-03-31").reason == "overdue"
    memberless = result("4.1", "有关单位", "2019-03-31")
    assert memberless.status is Status.FAIL and "没有列出成员" in memberless.zh


def test_the_supervision_workbook_speaks_to_the_office_and_names_files_as_given(project, tmp_path):
    """The 督查 workbook is read by an office: its 说明 cells say what to report, never how to edit the registry (that
    hint is on the command line, once per collective); 数据行 names the data file without the machine's folders."""
    data = sheet(tmp_path, ROWS, "云阳完成情况.csv")  # outside the project: given by its absolute path
    out = project / "督查.xlsx"
    result = cli(project, "comply", str(data), "--as-of", "2020-12-31", "-f", "xlsx", "-o", out.name, "--force",
                 "--jurisdiction", "云阳县")
    assert result.returncode == 1, result.stderr
    assert result.stderr.count("提示：「有关单位」在单位登记中没有成员") == 1
    assert "在 policies/units/云阳县.units 中为它加上「成员」" in result.stderr
    book = openpyxl.load_workbook(out)
    cells = [[c.value for c in row] for ws in book.worksheets if ws.title not in ("问题数据",)
             for row in ws.iter_rows(min_row=2)]
    texts = [str(v) for row in cells for v in row if v]
    assert not [t for t in texts if ".units" in t or "policies/" in t or str(tmp_path) in t]
    explained = [t for t in texts if "「有关单位」没有列出成员单位" in t]
    assert explained and all("请以「有关单位」名义报送" in t for t in explained)
    evidence = [t for t in texts if "云阳完成情况.csv:" in t]
    assert evidence and all(t.startswith("云阳完成情况.csv:") for t in evidence)
    problems = [[c.value for c in row] for row in book["问题数据"].iter_rows(min_row=2)]
    assert problems and {row[0] for row in problems} == {"云阳完成情况.csv"}
    out.unlink()


def test_data_files_are_shown_as_given_or_by_name(tmp_path):
    from luoshi.commands.comply import shown_names

    inside, outside = tmp_path / "work" / "data" / "a.csv", tmp_path / "elsewhere" / "b.csv"
    twin = tmp_path / "other" / "b.csv"
    names = shown_names([Path("rel/c.csv"), inside, outside], tmp_path / "work")
    assert names == {Path("rel/c.csv"): "rel/c.csv", inside: "data/a.csv", outside: "b.csv"}
    assert shown_names([outside, twin], tmp_path / "work") == {outside: str(outside), twin: str(twin)}


def test_a_report_in_the_collectives_name_speaks_for_each_member(plan, tmp_path):
    outcome = evaluate(plan, sheet(tmp_path, [f"{YY},四（一）,各乡镇、街道,,已完成,2019-03-20,,,"]))
    for member in ("青龙街道办事处", "双江街道办事处", "盘龙街道办事处"):
        assert outcome.result(f"{YY}::4.1::{member}::deadline[2019-03-31]").reason == "on_time"


# ───────────── scope ─────────────


def cli(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200", "LUOSHI_NO_CACHE": "1"}
    return subprocess.run([sys.executable, "-m", "luoshi", *args], cwd=project, capture_output=True, text=True, env=env)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The fixture project copied, with a 云阳-only sheet: every duty 云阳 owes done on time, and a bad row."""
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(OFFICE / "policies", root / "policies")
    shutil.copy(OFFICE / "pyproject.toml", root / "pyproject.toml")  # standard_units = false, as the corpus fixture
    return root


def test_a_jurisdiction_run_reports_only_its_duties(plan, project):
    yunyang = [c for c in plan.checks if c.policy == "yyfbf-2019-22" and c.kind.value == "deadline"]
    rows = [f"{YY},{c.printed},{c.unit_label},,已完成,{c.due - dt.timedelta(days=1)},,," for c in yunyang if c.printed]
    data = sheet(project, rows, "云阳.csv")
    whole = json.loads(cli(project, "comply", data.name, "--as-of", "2020-12-31", "-f", "json").stdout)
    assert {r["policy"] for r in whole["results"]} > {"yyfbf-2019-22"}  # 璧山, 草街, national documents too
    done = cli(project, "comply", data.name, "--as-of", "2020-12-31", "-f", "json", "--jurisdiction", "云阳县")
    report = json.loads(done.stdout)
    units = {u.id: u.jurisdiction for u in plan.units}
    assert report["results"] and all(units[r["unit"]] in ("云阳县", "青龙街道", "双江街道", "盘龙街道") for r in report["results"])
    assert {r["policy"] for r in report["results"]} == {"yyfbf-2019-22"}
    deadlines = [r for r in report["results"] if r["kind"] == "deadline"]
    assert deadlines and all(r["status"] == "pass" for r in deadlines)
    assert report["scope"] == "--jurisdiction 云阳县" and report["rows"]["set_aside"] == 0


def test_unit_and_policy_options_narrow_the_checks(project):
    data = sheet(project, [f"{YY},四（二）一是,青龙街道,,已完成,2019-08-20,,,",
                           f"{YY},四（二）一是,双江街道,,已完成,2019-09-20,,,"], "两街道.csv")
    done = cli(project, "comply", data.name, "--as-of", "2020-12-31", "-f", "json", "--unit", "青龙街道",
               "--policy", "云阳府办发（2019）22号")
    report = json.loads(done.stdout)
    assert {r["unit"] for r in report["results"]} == {"青龙街道/青龙街道办事处", "云阳县/县民政局"}
    assert {r["place"] for r in report["results"] if r["unit"] == "云阳县/县民政局"} == {"青龙街道"}  # its targets
    assert report["rows"]["outside_scope"] == 1  # 双江's row: not this run's business
    by_collective = json.loads(cli(project, "comply", data.name, "--as-of", "2020-12-31", "-f", "json",
                                   "--unit", "各乡镇（街道）").stdout)
    assert {r["unit"] for r in by_collective["results"]} >= {"青龙街道/青龙街道办事处", "双江街道/双江街道办事处",
                                                             "盘龙街道/盘龙街道办事处"}
    unknown = cli(project, "comply", data.name, "--unit", "县民证局")
    assert unknown.returncode == 1 and "未知单位「县民证局」" in unknown.stderr and "Traceback" not in unknown.stderr


def test_the_summary_keeps_failures_no_data_and_pending_apart(project):
    data = sheet(project, [f"{YY},四（二）一是,双江街道,,已完成,2019-09-20,,,"], "双江.csv")
    text = cli(project, "comply", data.name, "--as-of", "2020-12-31", "--unit", "双江街道", "--lang", "zh").stdout
    assert "未通过的检查（" in text and "无数据的检查（" in text
    failing = text.split("未通过的检查（", 1)[1].split("无数据的检查（", 1)[0]
    assert "4.2.1::双江街道办事处" in failing and "无数据" not in failing.split("\n", 1)[1]


# ───────────── values, relative targets, everyday words ─────────────

THRESHOLD = f"{YY}::2.4::县卫生健康委::target[居民医保住院起付线降低50%（城市特殊困难群众在本县的县级医院住院） 截至2020-12-31]"
RATIO = f"{YY}::2.4::县卫生健康委::target[居民医保住院报销比例提高10%（城市特殊困难群众在本县的县级医院住院） 截至2020-12-31]"
RELATIVE_HEADER = "政策,任务,单位,范围,状态,日期,指标,数值,基准值,变化,备注"


def relative_sheet(tmp_path: Path, rows: list[str], name: str) -> Path:
    path = tmp_path / name
    path.write_bytes("\r\n".join([RELATIVE_HEADER, *rows, ""]).encode("gbk"))
    return path


@pytest.mark.parametrize("rows, reason, how", [
    # the actual threshold alone once passed as "400%": a level proves nothing without its baseline
    ([f"{YY},二（四）,县卫健委,,,2020-12-20,居民医保住院起付线,400,,,"], "no_baseline", "没有基准值"),
    ([f"{YY},二（四）,县卫健委,,,2020-12-20,居民医保住院起付线,400元,800元,,"], "met", "同行基准值 800"),
    ([f"{YY},二（四）,县卫健委,,,2018-12-20,居民医保住院起付线,800,,,",
      f"{YY},二（四）,县卫健委,,,2020-12-20,居民医保住院起付线,500,,,"], "missed", "2018-12-20 的基准值 800"),
    ([f"{YY},二（四）,县卫健委,,,2020-12-20,居民医保住院起付线,,,降低50%,"], "met", "变化值 50"),
    ([f"{YY},二（四）,县卫健委,,,2020-12-20,居民医保住院起付线,降低百分之四十,,,"], "missed", "变化值 40"),
    ([f"{YY},二（四）,县卫健委,,,2020-12-20,居民医保住院起付线,,,提高10%,"], "missed", "变化值 10"),
])
def test_relative_targets_compute_the_change_and_say_how(plan, tmp_path, rows, reason, how):
    outcome = evaluate(plan, relative_sheet(tmp_path, rows, "起付线.csv"), as_of=dt.date(2021, 6, 30))
    assert found(outcome) == {}
    result = outcome.result(THRESHOLD)
    assert result.reason == reason and how in result.zh
    assert result.status is {"met": Status.PASS, "missed": Status.FAIL, "no_baseline": Status.NO_DATA}[reason]


def test_a_current_ratio_does_not_pass_a_rise(plan, tmp_path):
    """「报销比例提高10%」: 85% is the ratio, not its rise; with the 2018 ratio 75% it is a rise of 13.3 %."""
    alone = evaluate(plan, relative_sheet(tmp_path, [f"{YY},二（四）,县卫生健康委,,,2020-12-20,居民医保住院报销比例,85%,,,"], "a.csv"),
                     as_of=dt.date(2021, 6, 30))
    assert alone.result(RATIO).status is Status.NO_DATA
    rows = [f"{YY},二（四）,县卫生健康委,,,2018-12-01,居民医保住院报销比例,75%,,,",
            f"{YY},二（四）,县卫生健康委,,,2020-12-20,居民医保住院报销比例,85%,,,"]
    risen = evaluate(plan, relative_sheet(tmp_path, rows, "b.csv"), as_of=dt.date(2021, 6, 30)).result(RATIO)
    assert risen.status is Status.PASS and "13.3" in risen.zh


@pytest.mark.parametrize("value, code", [
    ("-5%", "LS521"), ("1e-400", "LS521"), ("12%%", "LS521"), ("1_000", "LS521"),
    ("8000元", "LS526"), ("120%", "LS527"), ("降低10%", "LS527"),
    ("百分之四十五", None), ("５１％", None), ("45", None), ("0.45", None)])
def test_impossible_and_malformed_values_are_refused(plan, tmp_path, value, code):
    row = f"{YY},二（二）二是,青龙街道,,,2019-12-20,失能特困人员集中供养率,{value},,,"
    outcome = evaluate(plan, relative_sheet(tmp_path, [row], "v.csv"))
    assert found(outcome) == ({2: code} if code else {})


def test_a_value_between_0_and_1_is_a_fraction_only_when_the_column_says_so(plan, tmp_path):
    target = f"{YY}::2.2.2::县民政局::target[失能特困人员集中供养率≥40% 截至2019-12-31 青龙街道]"
    plain = sheet(tmp_path, [f"{YY},二（二）二是,青龙街道,,,2019-12-20,失能特困人员集中供养率,0.45,"], "plain.csv")
    assert evaluate(plan, plain).result(target).status is Status.FAIL  # 0.45 %
    fraction = tmp_path / "fraction.csv"
    fraction.write_bytes(("政策,任务,单位,日期,指标,数值（小数）\r\n"
                          f"{YY},二（二）二是,青龙街道,2019-12-20,失能特困人员集中供养率,0.45\r\n").encode("gbk"))
    assert evaluate(plan, fraction).result(target).status is Status.PASS  # 45 %
    too_big = tmp_path / "too_big.csv"
    too_big.write_bytes(("政策,任务,单位,日期,指标,数值（小数）\r\n"
                         f"{YY},二（二）二是,青龙街道,2019-12-20,失能特困人员集中供养率,1.2\r\n").encode("gbk"))
    assert found(evaluate(plan, too_big)) == {2: "LS527"}


def test_everyday_words_months_and_short_names(plan, tmp_path):
    rows = [f"{YY},四（二）一是,青龙街道,,正在推进,2019-06,,,",
            f"{YY},四（二）一是,青龙街道,,已落实,2019-08,,,",       # a month: its last day, on time for 2019-08-31
            f"{YY},二（四）,县卫健委,,有序推进,2019年5月,,,"]
    outcome = evaluate(plan, sheet(tmp_path, rows))
    assert found(outcome) == {}
    assert outcome.result(f"{YY}::4.2.1::青龙街道办事处::deadline[2019-08-31]").reason == "on_time"


def test_a_project_adds_status_words(project):
    (project / "pyproject.toml").write_text('[tool.luoshi.comply]\nstatuses = { done = ["已交账"] }\n', encoding="utf-8")
    try:
        data = sheet(project, [f"{YY},四（二）一是,青龙街道,,已交账,2019-08-20,,,"], "交账.csv")
        report = json.loads(cli(project, "comply", data.name, "--as-of", "2020-12-31", "-f", "json", "--unit", "青龙街道").stdout)
        assert report["rows"]["set_aside"] == 0
        assert next(r for r in report["results"] if r["task"] == "4.2.1")["reason"] == "on_time"
    finally:
        (project / "pyproject.toml").unlink()


OWN_WORDS = """[tool.luoshi.comply]
statuses = { done = ["已交账"] }
headers = { policy = ["文件文号"], task = ["工作任务"], unit = ["牵头科室"], status = ["推进情况"], date = ["报送时间"], value = ["完成数"] }
units = { "卫健委" = "县卫生健康委", "民政" = "县民政局" }
"""


def test_a_project_adds_headers_and_unit_names(project):
    """A county office's own sheet: its column names (文件文号, 工作任务, 牵头科室 …) and the names it gives units
    (卫健委, 民政) are read once the project lists them in [tool.luoshi.comply]; without them the same sheet is
    refused for its columns, and a name given only there is an unknown unit."""
    rows = ["序号,文件文号,工作任务,牵头科室,推进情况,报送时间,范围,指标,完成数,备注",
            f"1,{YY},四（二）二是,民政,已交账,2019-08-20,,,,已建立工作台账",
            f"2,{YY},二（四）,卫健委,已完成,2019-06-20,,,,",
            f"3,{YY},二（四）,县卫健委,已完成,2019-06-21,,,,",  # the standard short name, as before
            f"4,{YY},二（二）二是,民政,,2019-12-20,青龙街道,失能特困人员集中供养率,45%,"]
    data = project / "county_office.csv"
    data.write_bytes("\r\n".join([*rows, ""]).encode("gbk"))
    args = ("comply", data.name, "--as-of", "2020-12-31", "-f", "json", "--jurisdiction", "云阳县")
    bare = cli(project, *args)  # no column of the sheet is known: no usable data, no report
    assert bare.returncode != 0 and "LS503" in bare.stderr and not bare.stdout
    (project / "pyproject.toml").write_text(OWN_WORDS, encoding="utf-8")
    try:
        report = json.loads(cli(project, *args).stdout)
    finally:
        (project / "pyproject.toml").unlink()
    assert report["problems"] == [] and report["rows"]["read"] == 4 and report["rows"]["set_aside"] == 0
    verdicts = {r["id"].split("::", 1)[1]: r["reason"] for r in report["results"] if r["evidence"]}
    assert verdicts["4.2.2::县民政局::deadline[2019-08-31]"] == "on_time"
    assert verdicts["2.4::县卫生健康委::deadline[2020-12-31]"] == "on_time"
    assert verdicts["2.2.2::县民政局::target[失能特困人员集中供养率≥40% 截至2019-12-31 青龙街道]"] == "met"

    renamed = project / "renamed.csv"  # 民政 is no name of a unit without the project's table
    renamed.write_bytes("\r\n".join([HEADER, f"{YY},四（二）二是,民政,,已完成,2019-08-20,,,", ""]).encode("gbk"))
    assert [p["code"] for p in json.loads(cli(project, "comply", renamed.name, "-f", "json").stdout)["problems"]] == ["LS513"]


def test_entries_of_the_project_words_that_cannot_be_used_are_located_warnings(project):
    (project / "pyproject.toml").write_text('[tool.luoshi.comply]\nstatuses = { finished = ["已交账"] }\n'
                                            'headers = { amount = ["完成数"], value = 3 }\nunits = { "民政" = 1 }\n', encoding="utf-8")
    try:
        data = sheet(project, [f"{YY},四（二）一是,青龙街道,,已完成,2019-08-20,,,"], "words.csv")
        result = cli(project, "comply", data.name, "--as-of", "2020-12-31", "-f", "json", "--unit", "青龙街道")
    finally:
        (project / "pyproject.toml").unlink()
    problems = json.loads(result.stdout)["problems"]
    assert [(p["code"], p["span"]["line"]) for p in problems] == [("LS505", 2), ("LS505", 3), ("LS505", 3), ("LS505", 4)]
    assert all(p["severity"] == "warning" for p in problems) and "finished" in problems[0]["message_zh"]
    assert "0 行剔除" not in result.stderr and "剔除 0 行" in result.stderr  # the sheet itself is read as before


def test_the_examples_of_docs_data_md_are_read_without_a_problem(tmp_path):
    """docs/data.md's worked examples (a county office, a subdistrict) run as written on the project's corpus."""
    import re

    from conftest import ROOT

    blocks = re.findall(r"```csv\n(.*?)```", (ROOT / "docs" / "data.md").read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 2
    for i, block in enumerate(blocks):
        path = tmp_path / f"example{i}.csv"
        path.write_text(block, encoding="utf-8")
        report = json.loads(cli(ROOT, "comply", str(path), "--as-of", "2020-12-31", "--jurisdiction", "云阳县", "-f", "json").stdout)
        assert report["problems"] == [] and report["rows"]["set_aside"] == 0
        assert any(r["evidence"] for r in report["results"])


# ───────────── fill-in templates ─────────────


def fill(path: Path) -> Path:
    """An office filling its template: every duty 已完成 the day before its deadline, every target met on its date
    (a 提高/降低 target with the current level and its baseline), written into the cells left open."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb["填报"]
    head = [c.value for c in ws[1]]
    col = {h: i + 1 for i, h in enumerate(head)}
    for n in range(2, ws.max_row + 1):
        if not ws.cell(n, col["政策"]).value:
            continue
        due = ws.cell(n, col["截止日期"]).value
        day = dt.date.fromisoformat(due) if due else dt.date(2020, 6, 30)
        metric, requirement = ws.cell(n, col["指标"]).value, ws.cell(n, col["要求"]).value
        if not metric:
            ws.cell(n, col["状态"]).value = "已完成"
            ws.cell(n, col["日期"]).value = day - dt.timedelta(days=1)
            continue
        ws.cell(n, col["日期"]).value = day - dt.timedelta(days=5)
        threshold = float(re.search(r"(\d+(?:\.\d+)?)", requirement.split(metric, 1)[1]).group(1))
        unit = ws.cell(n, col["计量单位"]).value or ""
        if "降低" in requirement:
            ws.cell(n, col["数值"]).value, ws.cell(n, col["基准值"]).value = "300元", "1000元"  # 70 % lower
        elif "提高" in requirement:
            ws.cell(n, col["数值"]).value, ws.cell(n, col["基准值"]).value = "90%", "75%"  # 20 % higher
        elif "≤" in requirement or "=" in requirement:
            ws.cell(n, col["数值"]).value = f"{threshold:g}{unit}"
        else:
            ws.cell(n, col["数值"]).value = f"{min(threshold + 5, 100):g}{unit}"
    wb.save(path)
    return path


@pytest.mark.parametrize("who", [("--jurisdiction", "云阳县"), ("--unit", "青龙街道")])
def test_a_filled_template_goes_back_to_comply_unchanged(project, who):
    out = project / f"填报表{who[1]}.xlsx"
    made = cli(project, "template", *who, "-o", out.name, "--force")
    assert made.returncode == 0, made.stderr
    import openpyxl

    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["填报", "填写说明"] and wb["填报"].protection.sheet
    assert [v.formula1 for v in wb["填报"].data_validations.dataValidation][0] == '"未开始,进行中,已完成"'
    empty = json.loads(cli(project, "comply", out.name, "--as-of", "2021-06-30", "-f", "json", *who).stdout)
    assert empty["problems"] and all(p["code"] == "LS517" for p in empty["problems"])  # unfilled: counted, no error
    fill(out)
    done = cli(project, "comply", out.name, "--as-of", "2021-06-30", "-f", "json", *who)
    report = json.loads(done.stdout)
    assert report["problems"] == [] and report["rows"]["set_aside"] == 0
    checked = [r for r in report["results"] if r["kind"] in ("deadline", "target")]
    assert checked and all(r["status"] == "pass" for r in checked), [r["id"] for r in checked if r["status"] != "pass"]
    if who[1] == "青龙街道":  # its own duties, and the targets that hold for it as a place
        assert {r["unit"] for r in checked} == {"青龙街道/青龙街道办事处", "云阳县/县民政局"}
        assert {r["place"] for r in checked if r["kind"] == "target"} == {"青龙街道"}


def test_owners_of_a_collective_listed_inferred_or_itself(corpus):
    """semantics/duties.owners, the one answer comply and the site share: listed members win; a memberless
    各部门 collective is owed by itself for comply and by its jurisdiction's departments (inferred) for the site."""
    from luoshi.semantics.duties import owners

    listed = ("云阳县/县民政局", "云阳县/县财政局", "云阳县/县卫生健康委")
    for infer in (False, True):
        got = owners(corpus, "云阳县/县政府各部门", infer_departments=infer)
        assert (got.units, got.collective, got.inferred) == (listed, "云阳县/县政府各部门", False)
    memberless = "云阳县/县级有关部门"
    assert owners(corpus, memberless).units == (memberless,) and owners(corpus, memberless).collective is None
    inferred = owners(corpus, memberless, infer_departments=True)
    assert inferred.inferred and inferred.collective == memberless
    assert {"云阳县/县民政局", "云阳县/县审计局", "云阳县/县教委"} <= set(inferred.units)
    # the government itself, its office, 残联 and 气象局 are no departments; nor are collectives or other places' units
    assert not {"云阳县/县政府", "云阳县/县政府办公室", "云阳县/县残联", "云阳县/县气象局", memberless} & set(inferred.units)
    assert all(u.startswith("云阳县/") for u in inferred.units)
    for plain in ("云阳县/有关单位", "云阳县/县民政局"):  # another role's memberless collective; a unit
        assert owners(corpus, plain, infer_departments=True) == owners(corpus, plain) and owners(corpus, plain).units == (plain,)
