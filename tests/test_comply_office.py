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

import pytest
from conftest import FIXTURES
from luoshi.comply.checks import compile_plan
from luoshi.comply.engine import run
from luoshi.comply.loaders import load_tables
from luoshi.comply.outcome import Status
from luoshi.comply.refs import TaskIndex, Written, read_reference
from luoshi.diagnostics import Sink
from luoshi.pipeline import compile_paths
from luoshi.printed import printed_label
from luoshi.project import Project

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
    f"{YY},四（二）,青龙街道,,已完成,2019-08-01,,,",                                # 12: 一是, 二是 and 三是 are all 青龙's
]


@pytest.fixture(scope="module")
def office(plan, tmp_path_factory):
    return evaluate(plan, sheet(tmp_path_factory.mktemp("office"), ROWS))


def test_every_row_is_accepted_or_refused_for_its_reason(office):
    assert found(office) == {7: "LS519", 8: "LS518", 9: "LS513", 12: "LS518"}
    assert office.rows_read == len(ROWS) and office.rows_set_aside == 4


def test_refusals_say_what_to_write(office):
    by_row = {d.span.line: d for d in office.diagnostics if d.span}
    assert "有关单位" in by_row[7].zh and "policies/units/云阳县.units" in by_row[7].hint_zh
    assert "二（二）（2.2）" in by_row[8].hint_zh and "四（二）（4.2）" in by_row[8].hint_zh
    assert "policies/units/云阳县.units" in by_row[9].hint_zh and "星河镇" in by_row[9].hint_zh
    assert "四（二）一是（4.2.1）" in by_row[12].hint_zh and "四（二）三是（4.2.3）" in by_row[12].hint_zh


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
