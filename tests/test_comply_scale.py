"""`luoshi comply` at scale: the engine groups rows without their dates where a check reads only a group's first and
last report (bench/README.md), Parquet cells are grouped as the file types them, and the plan is kept between runs.
Each shortcut must leave every report as it was: the same results, rows, problems and row numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import pytest

from luoshi.comply import engine, plancache, sample
from luoshi.comply.checks import compile_plan
from luoshi.comply.engine import run
from luoshi.comply.loaders import load_tables
from luoshi.comply.outcome import Status
from luoshi.comply.plan import Plan
from luoshi.comply.report import render_json
from luoshi.diagnostics import Sink
from luoshi.driver.pipeline import compile_paths

YY = "云阳府办发〔2019〕22号"
TOWNS = f"{YY}::4.1::青龙街道办事处::deadline[2019-03-31]"  # each member of 各乡镇（街道）: its reports speak for each
HEAD = ["政策", "任务", "单位", "范围", "状态", "日期", "指标", "数值", "备注", "案件", "事件"]


@pytest.fixture(scope="module")
def corpus():
    return compile_paths(None).corpus


@pytest.fixture(scope="module")
def plan(corpus):
    return compile_plan(corpus)


def write_parquet(path: Path, rows: list[list], types: dict[str, str] | None = None) -> Path:
    """`rows` as a Parquet file, every column text unless `types` says otherwise (日期 → DATE, say)."""
    con = duckdb.connect()
    con.register("t", {f"c{i}": np.asarray([r[i] for r in rows], dtype=object) for i in range(len(HEAD))})
    select = ", ".join(f'CAST(c{i} AS {(types or {}).get(h, "VARCHAR")}) AS "{h}"' for i, h in enumerate(HEAD))
    con.execute(f"COPY (SELECT {select} FROM t) TO '{path}' (FORMAT parquet)")
    return path


def evaluate(plan, path: Path, as_of: dt.date):
    sink = Sink()
    return run(plan, load_tables([path], sink, {path: "data.parquet"}), as_of, sink, files=["data.parquet"])


def row(status, day, policy=YY, task="4.1", unit="各乡镇（街道）", note=None) -> list:
    return [policy, task, unit, None, status, day, None, None, note, None, None]


# ───────────── groups without their dates ─────────────


def test_the_latest_report_is_the_last_row_of_the_latest_day(plan, tmp_path):
    """Nine in-progress rows are one group: its last report on or before the as-of date is row 4 (the later of two
    rows on 2019-03-10), its first row 2; the row after the as-of date is counted, never shown."""
    rows = [row("进行中", "2019-03-10"), row("进行中", "2019-01-15"), row("进行中", "2019-07-01"),
            row("进行中", "2019-03-10"), row("未开始", "2019-02-01")] + [row("进行中", "2019-02-20")] * 5
    for types in (None, {"日期": "DATE"}):
        outcome = evaluate(plan, write_parquet(tmp_path / "a.parquet", rows, types), dt.date(2019, 6, 30))
        result = outcome.result(TOWNS)
        assert result.reason == "overdue" and "最近一次报告：2019-03-10 进行中" in result.zh
        assert [(e.row, e.zh) for e in result.evidence] == [(4, "2019-03-10 进行中")]
        assert (outcome.rows_read, outcome.rows_after_as_of, outcome.rows_set_aside) == (10, 1, 0)


def test_done_rows_keep_their_dates(plan, tmp_path):
    """The earliest done row decides: 2019-04-02 (row 7, before row 8 of the same day), two days late."""
    rows = [row("进行中", f"2019-0{m}-05") for m in range(1, 10)] + [row("完成", "2019-04-02"), row("已完成", "2019-04-02"),
                                                                    row("已完成", "2019-05-01")]
    rows[6] = row("已完成", "2019-04-02")
    outcome = evaluate(plan, write_parquet(tmp_path / "d.parquet", rows, {"日期": "DATE"}), dt.date(2019, 12, 31))
    result = outcome.result(TOWNS)
    assert result.reason == "late" and [e.row for e in result.evidence] == [7]
    assert "晚 2 天" in result.zh


def test_a_group_with_a_bad_date_is_set_aside_row_by_row(plan, tmp_path):
    rows = [row("进行中", "2019-03-10"), row("进行中", "2019-02-30"), row("进行中", "2019/3/20"), row("进行中", None),
            row("进行中", "2019年3月20日")]
    outcome = evaluate(plan, write_parquet(tmp_path / "b.parquet", rows), dt.date(2019, 6, 30))
    assert [(d.span.line, d.code) for d in outcome.diagnostics] == [(2, "LS520"), (4, "LS510")]
    assert (outcome.rows_read, outcome.rows_set_aside) == (5, 2)
    assert [e.row for e in outcome.result(TOWNS).evidence] == [5]  # 2019-03-20 twice: the later row


PROBLEMS = [(4, 1, "LS510"), (4, 2, "LS510"), (4, 3, "LS510"), (4, 5, "LS510"), (4, 6, "LS510"),  # only a note
            (5, 1, "LS511"), (5, 2, "LS510"), (5, 3, "LS510"), (5, 5, "LS510"), (5, 6, "LS510")]  # policy "'"


def test_blank_and_note_only_rows(plan, tmp_path):
    """A row is dropped only when every cell is blank; a row with only a note is read and reported."""
    blank = [None] * 11
    spaces = ["  ", None, "\u3000", None, None, None, None, None, " ", None, None]
    note_only = [None] * 8 + ["只有备注"] + [None] * 2
    apostrophe = ["'", None, None, None, None, None, None, None, None, None, None]
    rows = [row("进行中", "2019-03-10"), blank, spaces, note_only, apostrophe, row("进行中", "2019-03-11", note="第1次")]
    outcome = evaluate(plan, write_parquet(tmp_path / "n.parquet", rows), dt.date(2019, 6, 30))
    assert outcome.rows_read == 4 and outcome.rows_set_aside == 2
    assert [(d.span.line, d.span.column, d.code) for d in outcome.diagnostics] == PROBLEMS


# ───────────── Parquet types ─────────────


@pytest.mark.parametrize("types", [{"日期": "DATE"}, {"日期": "TIMESTAMP"}, {"案件": "VARCHAR", "日期": "DATE", "任务": "VARCHAR"}])
def test_the_report_is_the_same_however_parquet_types_the_dates(corpus, plan, tmp_path, types):
    options = sample.SampleOptions(violations=0.3, seed=5)
    data = sample.generate(corpus, plan, options)
    rows = [list(r[:5]) + [r[5].isoformat()] + list(r[6:]) for r in data.rows]
    rows += [row("进行中", "1800-01-01"), row("进行中", None), row("已完成", "2030-01-01")]
    text = render_json(evaluate(plan, write_parquet(tmp_path / "text.parquet", rows), options.as_of))
    typed = render_json(evaluate(plan, write_parquet(tmp_path / "typed.parquet", rows, types), options.as_of))
    if types["日期"] == "TIMESTAMP":  # a timestamp's text has its time: only bad-date messages show it
        text = text.replace("1800-01-01", "1800-01-01 00:00:00")
    assert typed == text
    assert '"set_aside": 2' in text and "LS520" in text  # 1800-01-01, and the row without a date


def test_numbers_typed_as_numbers_read_as_their_text(plan, tmp_path):
    """A DOUBLE value reads as DuckDB writes it (45.5 → 45.5 %; 0.45 is 0.45 %, a fraction only in a column whose
    header says so: docs/data.md)."""
    qinglong = f"{YY}::2.2.2::县民政局::target[失能特困人员集中供养率≥40% 截至2019-12-31 青龙街道]"
    for value, status in (("45.5", Status.PASS), ("0.45", Status.FAIL)):
        rows = [[YY, "2.2.2", "县民政局", "青龙街道", None, "2019-06-30", "失能特困人员集中供养率", value, None, None, None]]
        outcome = evaluate(plan, write_parquet(tmp_path / "v.parquet", rows, {"数值": "DOUBLE"}), dt.date(2019, 12, 31))
        result = outcome.result(qinglong)
        assert result.status is status and f"{value}%" in result.zh and result.evidence[0].zh.endswith(f" {value}")


# ───────────── one core ─────────────


def test_one_core_gives_the_same_report(corpus, plan, tmp_path, monkeypatch):
    options = sample.SampleOptions(violations=0.3, seed=6)
    path = tmp_path / "s.parquet"
    path.write_bytes(sample.to_parquet(sample.generate(corpus, plan, options)))
    both = render_json(evaluate(plan, path, options.as_of))
    monkeypatch.setenv("LUOSHI_JOBS", "1")
    assert render_json(evaluate(plan, path, options.as_of)) == both


@pytest.mark.parametrize("collide", ["0", "hash({}) % 7"])
def test_rows_whose_hashes_collide_are_grouped_on_their_cells(corpus, plan, tmp_path, monkeypatch, collide):
    """`Engine._group` groups on one hash of a row's cells and checks every group's cells: with a hash that makes
    every row (or every seventh combination) collide, the check finds it and the groups, hence the report, are
    the same as with DuckDB's hash (bad rows and their row numbers included)."""
    options = sample.SampleOptions(violations=0.3, seed=6)
    data = sample.generate(corpus, plan, options)
    path = tmp_path / "s.parquet"
    path.write_bytes(sample.to_parquet(data))
    con = duckdb.connect()  # and a few bad rows: an unknown unit and an unknown status
    bad = tmp_path / "bad.parquet"
    con.execute(f"""COPY (SELECT * EXCLUDE (n) REPLACE (CASE WHEN n % 97 = 0 THEN '不存在的单位' ELSE "单位" END AS "单位",
                                          CASE WHEN n % 89 = 0 THEN '差不多' ELSE "状态" END AS "状态")
                          FROM (SELECT *, row_number() OVER () AS n FROM read_parquet('{path}')) ORDER BY n)
                    TO '{bad}' (FORMAT parquet)""")
    expected = [render_json(evaluate(plan, p, options.as_of)) for p in (path, bad)]
    assert '"LS513"' in expected[1] and '"LS516"' in expected[1]
    monkeypatch.setattr(engine, "COLUMN_HASH", collide)
    assert [render_json(evaluate(plan, p, options.as_of)) for p in (path, bad)] == expected


def test_columns_with_one_value_leave_the_grouping_and_the_report_unchanged(corpus, plan, tmp_path, monkeypatch):
    """A text column with one value in every row (范围, 案件 and 事件 NULL throughout, one 政策) and the note key where no
    policy is blank are left out of the grouping and put back (`Engine._group`): the report is the one the engine
    gives when it groups on every column."""
    options = sample.SampleOptions(violations=0.3, seed=7)
    data = sample.generate(corpus, plan, options)
    path = tmp_path / "s.parquet"
    path.write_bytes(sample.to_parquet(data))
    one = tmp_path / "one.parquet"
    duckdb.connect().execute(f"""COPY (SELECT * REPLACE (NULL::VARCHAR AS "范围", NULL::VARCHAR AS "案件", NULL::VARCHAR AS "事件")
                                       FROM read_parquet('{path}') WHERE "政策" = '{YY}') TO '{one}' (FORMAT parquet)""")
    found: list[list[str]] = []
    texts = engine.Engine._texts

    def seen(self, source, types):  # the constant columns each load found
        hashed = texts(self, source, types)
        found.append(list(source.constant))
        return hashed

    monkeypatch.setattr(engine.Engine, "_texts", seen)
    shortcut = render_json(evaluate(plan, one, options.as_of))
    assert found == [["k_policy", "k_scope", "k_case_id", "k_event"]]

    def every_column(self, source, types):  # the grouping as before: on every column
        hashed = texts(self, source, types)
        source.constant = []
        return hashed

    monkeypatch.setattr(engine.Engine, "_texts", every_column)
    lookups = engine.Engine._lookups

    def blank(self, source):
        lookups(self, source)
        source.blank_policy = True  # the note key kept: NULL in every row of this file, grouped on all the same

    monkeypatch.setattr(engine.Engine, "_lookups", blank)
    assert render_json(evaluate(plan, one, options.as_of)) == shortcut
    assert '"read": ' in shortcut and YY in shortcut


# ───────────── the kept plan ─────────────


@pytest.fixture
def project(scratch_project) -> Path:
    return scratch_project.root


def entries(project: Path) -> list[Path]:
    folder = project / ".luoshi-cache" / "plan"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_the_plan_is_kept_and_used_again(project, monkeypatch):
    first = plancache.project_plan().plan
    assert first == compile_plan(compile_paths(None).corpus) and len(entries(project)) == 1
    monkeypatch.setattr("luoshi.comply.checks.compile_plan", lambda corpus: pytest.fail("compiled again"))
    assert plancache.project_plan().plan == first


def test_the_kept_plan_is_the_compiled_plan_model_by_model(project):
    """The packed entry (`PlanPickler`) rebuilds every model without validation: the same values, the same given
    fields, the same JSON; a copy with an update leaves the shared set of given fields of the others alone."""
    compiled = compile_plan(compile_paths(None).corpus)
    plancache.project_plan()  # compiles and keeps it
    kept = plancache.project_plan().plan
    assert kept is not None and kept is not compiled and kept.to_json() == compiled.to_json()
    pairs = [(kept, compiled)] + [(a, b) for name in ("policies", "units", "jurisdictions", "tasks", "checks")
                                  for a, b in zip(getattr(kept, name), getattr(compiled, name), strict=True)]
    pairs += [(a, b) for t, u in zip(kept.tasks, compiled.tasks) for a, b in zip(t.assigned, u.assigned, strict=True)]
    assert len(pairs) > 1000
    for a, b in pairs:
        assert type(a) is type(b) and a.__dict__ == b.__dict__ and a.model_fields_set == b.model_fields_set
    first, second = next((a, b) for a, b in zip(kept.checks, kept.checks[1:]) if a.model_fields_set == b.model_fields_set
                         and "collective" not in a.model_fields_set)
    assert first.__pydantic_fields_set__ is second.__pydantic_fields_set__
    changed = first.model_copy(update={"collective": "各乡镇（街道）"})
    assert "collective" in changed.model_fields_set and "collective" not in second.model_fields_set


def test_an_edit_makes_a_new_plan(project):
    first = plancache.project_plan().plan
    policy = project / "policies" / "yyfbf-2019-22.policy"
    policy.write_text(policy.read_text(encoding="utf-8").replace("时限 2019年3月底前", "时限 2019年5月底前", 1), encoding="utf-8")
    second = plancache.project_plan().plan
    assert second != first and second == compile_plan(compile_paths(None).corpus)
    assert len(entries(project)) == 1  # the old plan is gone


def test_a_damaged_entry_is_compiled_again(project):
    first = plancache.project_plan().plan
    entries(project)[0].write_bytes(b"not a pickle")
    assert plancache.project_plan().plan == first
    assert isinstance(plancache.project_plan().plan, Plan) and entries(project)[0].read_bytes() != b"not a pickle"


def test_a_corpus_with_errors_is_never_kept(project):
    (project / "policies" / "broken.policy").write_text("政策 {\n", encoding="utf-8")
    result = plancache.project_plan()
    assert result.plan is None and result.compilation.sink.has_errors()  # the command shows them (commands/_corpus)
    assert entries(project) == []


def test_no_cache_means_no_kept_plan(project, monkeypatch):
    monkeypatch.setenv("LUOSHI_NO_CACHE", "1")
    assert plancache.project_plan().plan == compile_plan(compile_paths(None).corpus)
    assert entries(project) == []


def test_the_key_covers_the_working_directory(project, monkeypatch):
    """Spans name files as shown from the working directory, and checks carry their spans."""
    key = plancache.plan_key(plancache.find_project())
    monkeypatch.chdir(project / "policies")
    assert plancache.plan_key(plancache.find_project()) != key
