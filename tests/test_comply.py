"""Compliance checks on the seed corpus: what the policies compile to, and sample data with planted violations
found exactly — through the engine, through `luoshi comply`, in every report format."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from conftest import ROOT
from luoshi.comply import report, sample
from luoshi.comply.checks import compile_plan
from luoshi.comply.engine import run
from luoshi.comply.loaders import load_tables
from luoshi.comply.outcome import Status
from luoshi.comply.plan import CheckKind, Plan
from luoshi.diagnostics import Sink
from luoshi.driver.pipeline import compile_paths

YY = "云阳府办发〔2019〕22号"


@pytest.fixture(scope="module")
def corpus():
    comp = compile_paths(None)
    assert not comp.sink.has_errors()
    return comp.corpus


@pytest.fixture(scope="module")
def plan(corpus) -> Plan:
    return compile_plan(corpus)


def evaluate(plan: Plan, path: Path, as_of: dt.date):
    sink = Sink()
    return run(plan, load_tables([path], sink), as_of, sink)


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "luoshi", *args], cwd=cwd, capture_output=True, text=True, env=env)


# ───────────── what the seed policies compile to ─────────────


def test_yunyang_targets_hold_for_each_place_of_the_scope(plan):
    """云阳 2.2.2: 失能特困人员集中供养率 ≥40% by 2019 and ≥50% by 2020 for each 乡镇（街道）, on the lead 县民政局."""
    targets = [c for c in plan.checks if c.policy == "yyfbf-2019-22" and c.task == "2.2.2"]
    # the scope 各乡镇（街道） has all 42 townships of 云阳县 as members (derived from the division data)
    places = {c.scope_label for c in targets}
    assert len(places) == 42 and {"青龙街道", "双江街道", "人和街道", "龙角镇"} <= places
    assert {(c.threshold, c.by) for c in targets} == {(40, dt.date(2019, 12, 31)), (50, dt.date(2020, 12, 31))}
    assert len(targets) == 2 * 42
    assert {c.unit_label for c in targets} == {"县民政局"}
    assert f"{YY}::2.2.2::县民政局::target[失能特困人员集中供养率≥40% 截至2019-12-31 青龙街道]" in {c.id for c in targets}


def test_phases_give_their_period_to_their_steps(plan):
    """云阳 四、实施步骤: 精准对象阶段 (2019年4月至8月底) binds its 一是、二是、三是 and their units."""
    due = {(c.task, c.unit_label): c.due for c in plan.checks if c.kind is CheckKind.DEADLINE and c.policy == "yyfbf-2019-22"}
    assert due[("4.1", "青龙街道办事处")] == due[("4.1", "双江街道办事处")] == dt.date(2019, 3, 31)  # 各乡镇（街道）: each member
    assert due[("4.2.1", "青龙街道办事处")] == due[("4.2.2", "县民政局")] == dt.date(2019, 8, 31)
    assert ("4.2.2", "县政府各部门") not in due  # a collective with members: each member is checked, not the collective
    assert due[("4.3.2", "各村（社区）")] == dt.date(2019, 12, 31)
    assert not any(task == "4.4" for task, _ in due)  # 持续开展: nothing to check


def test_bishan_recurring_checks_and_caojie_working_day_limit(plan):
    recurring = {(c.unit_label, c.frequency) for c in plan.checks if c.policy == "bishan-2020-shjz" and c.kind is CheckKind.RECURRING}
    assert recurring == {(u, f) for u in ("区民政局", "区发展改革委") for f in ("yearly", "half_yearly")}
    limits = [c for c in plan.checks if c.kind is CheckKind.LIMIT and c.policy == "cjbf-2024-54"]
    assert {c.unit_label for c in limits} == {"各村（社区）", "街道各部门"}
    assert all(c.limit_days == 3 and c.working_days and c.from_event == "发现、受理" for c in limits)


def test_plan_round_trips_through_json(plan):
    assert Plan.from_json(plan.to_json()) == plan
    assert len({c.id for c in plan.checks}) == len(plan.checks)


# ───────────── sample data: the planted violations and nothing else ─────────────


def assert_exactly_planted(outcome, planted: sample.Sample | dict) -> None:
    expected = planted["expected"] if isinstance(planted, dict) else planted.manifest(sample.SampleOptions(), "")["expected"]
    assert sorted(r.id for r in outcome.failures) == expected["failing_checks"]
    found_cases = sorted([r.id, c.case] for r in outcome.results for c in r.cases)
    assert found_cases == expected["slow_cases"]


@pytest.mark.parametrize("seed, as_of", [(1, "2024-12-31"), (4, "2024-12-31"), (11, "2020-12-31"), (5, "2019-06-30")])
def test_engine_finds_exactly_the_planted_violations(corpus, plan, tmp_path, seed, as_of):
    options = sample.SampleOptions(as_of=dt.date.fromisoformat(as_of), violations=0.3, seed=seed)
    data = sample.generate(corpus, plan, options)
    path = tmp_path / "completion.csv"
    path.write_bytes(sample.to_csv(data))
    outcome = evaluate(plan, path, options.as_of)
    assert outcome.rows_read == len(data.rows) and outcome.rows_set_aside == 0
    assert data.planted, "the sample should hold violations at this rate"
    assert_exactly_planted(outcome, data)


def test_clean_sample_passes_every_due_check(corpus, plan, tmp_path):
    options = sample.SampleOptions(violations=0.0, seed=2)
    path = tmp_path / "clean.parquet"
    path.write_bytes(sample.to_parquet(sample.generate(corpus, plan, options)))
    outcome = evaluate(plan, path, options.as_of)
    assert outcome.exit_code == 0
    # every check passes but those not yet due on the sample's as-of date (a target of 2025 in a 2024 sample)
    assert Status.PASS in {r.status for r in outcome.results}
    waiting = [r for r in outcome.results if r.status is not Status.PASS]
    assert all(r.status is Status.PENDING and r.reason == "not_due" for r in waiting), waiting


def test_sample_data_is_reproducible(corpus, plan):
    options = sample.SampleOptions(violations=0.1, seed=9)
    first, again = sample.generate(corpus, plan, options), sample.generate(corpus, plan, options)
    assert sample.to_csv(first) == sample.to_csv(again)
    assert sample.to_csv(first) != sample.to_csv(sample.generate(corpus, plan, sample.SampleOptions(violations=0.1, seed=10)))


def test_sample_covers_every_unit_and_scope(corpus, plan):
    data = sample.generate(corpus, plan, sample.SampleOptions(violations=0.0))
    scopes = {r[3] for r in data.rows if r[3]}
    assert {"青龙街道", "双江街道"} <= scopes
    years = {r[5].year for r in data.rows}
    assert set(range(2019, 2025)) <= years
    months = {(r[5].year, r[5].month) for r in data.rows if r[0] == YY}
    assert len(months) >= 60  # monthly reports over several years


@pytest.fixture(scope="module")
def planted_csv(tmp_path_factory) -> tuple[Path, dict]:
    """`luoshi sample-data` as a user runs it; the kinds of violation this seed plants are asserted below."""
    folder = tmp_path_factory.mktemp("sample")
    # seed 3: one that plants every kind below (few checks are recurring, so a missing_period is up to the draw;
    # which seeds draw one changes with the registry: the rows follow every unit the plan assigns)
    result = cli("sample-data", "-o", str(folder / "completion.csv"), "--violations", "0.3", "--seed", "3")
    assert result.returncode == 0, result.stderr
    manifest = json.loads((folder / "completion.violations.json").read_text(encoding="utf-8"))
    return folder / "completion.csv", manifest


def test_luoshi_comply_finds_exactly_the_planted_violations(planted_csv, tmp_path):
    data, manifest = planted_csv
    kinds = {p["kind"] for p in manifest["planted"]}
    assert {"late", "overdue", "missing_period", "missed", "no_report", "slow_case"} <= kinds
    out = tmp_path / "report.json"
    result = cli("comply", str(data), "--as-of", manifest["as_of"], "--format", "json", "-o", str(out))
    assert result.returncode == 1, result.stderr  # checks fail
    assert "Traceback" not in result.stderr
    found = json.loads(out.read_text(encoding="utf-8"))
    failing = sorted(r["id"] for r in found["results"] if r["status"] in ("fail", "no_data"))
    assert failing == manifest["expected"]["failing_checks"]
    cases = sorted([r["id"], c["case"]] for r in found["results"] for c in r["cases"])
    assert cases == manifest["expected"]["slow_cases"]
    assert found["rows"]["read"] == manifest["rows"]


def test_terminal_report_names_the_failures_and_their_rows(plan, planted_csv):
    data, manifest = planted_csv
    outcome = evaluate(plan, data, dt.date.fromisoformat(manifest["as_of"]))
    out = report.render_table(outcome)
    assert "按政策 · by policy" in out and "按单位 · by unit" in out and "按地区 · by place" in out
    for check in manifest["expected"]["failing_checks"]:
        assert check in out
    late = next(r for r in outcome.failures if r.reason == "late")
    assert f"{late.evidence[0].where}  {late.evidence[0].zh}" in out and "逾期完成" in out


def test_report_file_is_not_overwritten_without_force(planted_csv, tmp_path):
    data, manifest = planted_csv
    target = tmp_path / "督查.md"
    target.write_text("mine", encoding="utf-8")
    result = cli("comply", str(data), "--as-of", manifest["as_of"], "-f", "markdown", "-o", str(target))
    assert result.returncode == 1 and "--force" in result.stderr
    assert target.read_text(encoding="utf-8") == "mine"


# ───────────── report formats ─────────────


@pytest.fixture(scope="module")
def outcome(plan):
    return evaluate(plan, ROOT / "tests" / "fixtures" / "comply" / "reports.csv", dt.date(2022, 12, 31))


def test_xlsx_has_a_sheet_per_unit_and_is_reproducible(outcome):
    data = report.render_xlsx(outcome)
    assert data == report.render_xlsx(outcome)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    places = {r.check.place for r in outcome.results}
    assert wb.sheetnames[:3 + len(places)] == ["汇总", "未通过和无数据", *sorted(f"汇总-{p}" for p in places), "问题数据"]
    collectives = {r.check.collective for r in outcome.results if r.check.collective}
    assert len(wb.sheetnames) == 3 + len(places) + len({r.check.unit for r in outcome.results} | collectives)
    assert {"县民政局", "区民政局", "各镇街", "各乡镇（街道）"} <= set(wb.sheetnames)
    sheet = wb["县政府各部门"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    late = next(r for r in rows if r[1] == "四（一）")  # the measure as 云阳 prints it
    assert late[3] == "时限 2019-03-31" and late[4] == "未通过" and "逾期完成" in late[5] and late[7].endswith("reports.csv:4")
    assert late[6].startswith("云阳府办发〔2019〕22号 四（一）「") and ".policy" not in late[6]  # 依据 without DSL paths
    members = {r[2] for r in ([c.value for c in row] for row in wb["各乡镇（街道）"].iter_rows(min_row=2))}
    townships = {r.check.unit_label for r in outcome.results if r.check.collective and r.check.collective.endswith("/各乡镇（街道）")}
    assert len(townships) == 42 and {"青龙街道办事处", "双江街道办事处"} <= townships
    assert members == townships  # a collective's sheet: its members' rows, all 42 townships of 云阳县
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$1:$1"  # repeated on each page
    assert sheet.column_dimensions["F"].width == 48


def test_markdown_and_html_escape_what_they_show(plan, tmp_path):
    evil = tmp_path / "evil.csv"
    evil.write_text("政策,任务,单位,状态,日期\n"
                    "云阳府办发〔2019〕22号,4.1,<script>alert(1)</script>|x,已完成,2019-03-20\n", encoding="utf-8")
    outcome = evaluate(plan, evil, dt.date(2019, 12, 31))
    html = report.render_html(outcome)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    markdown = report.render_markdown(outcome)
    assert "<script>" not in markdown and "\\|x" in markdown
    assert "| 云阳府办发〔2019〕22号 |" in markdown


def test_sheet_titles_are_valid_and_unique():
    taken: set[str] = set()
    titles = [report.sheet_title(n, taken) for n in ("区民政局", "区民政局", "a/b[c]:d*e?f\\g", "各" * 40)]
    assert titles[0] != titles[1] and all(len(t) <= 31 for t in titles)
    assert not any(set(t) & set("[]:*?/\\") for t in titles)
