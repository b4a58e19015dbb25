"""The model's deadlines as a tagged union: one class per kind, each with only its own fields, told apart by
`kind` in corpus.json and read back to the same classes; the types let mypy refuse a field another kind has."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from helpers import codes, compile_texts

from luoshi.backends import model_json
from luoshi.model import (
    Corpus,
    DueDeadline,
    EventLimitDeadline,
    Frequency,
    OngoingDeadline,
    PeriodDeadline,
    RecurringDeadline,
    corpus_json_schema,
)

ROOT = Path(__file__).resolve().parent.parent

POLICY = '''政策 a { 辖区 云阳县 成文日期 2019年2月28日
  任务 1 "甲" {
    牵头 县民政局
    时限 2019年3月底前
    时限 2019年4月至2019年8月底
    时限 持续 自2016年6月起
    时限 每月15日前 自2019年1月起
    时限 每年1次 2019年至2020年
    时限 从 "发现、受理" 到 "发放临时救助金" 不超过 3个工作日
    时限 从 "受理" 2个月 内
  }
}'''

COMMON = {"kind", "label", "written", "span"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    tmp = tmp_path_factory.mktemp("deadlines")
    cwd = Path.cwd()
    os.chdir(tmp)
    try:
        comp = compile_texts(tmp, {"a.policy": POLICY})
    finally:
        os.chdir(cwd)
    assert codes(comp) == []
    return comp.corpus


def test_one_class_per_kind_with_its_own_dates(corpus: Corpus) -> None:
    task = corpus.policy("a").task("1")  # type: ignore[union-attr]
    assert task is not None
    due, period, ongoing, monthly, window, limit, months = task.deadlines
    assert isinstance(due, DueDeadline) and due.end == dt.date(2019, 3, 31)
    assert isinstance(period, PeriodDeadline) and (period.start, period.end) == (dt.date(2019, 4, 1), dt.date(2019, 8, 31))
    assert isinstance(ongoing, OngoingDeadline) and ongoing.start == dt.date(2016, 6, 1)
    assert isinstance(monthly, RecurringDeadline)
    assert (monthly.frequency, monthly.times, monthly.day, monthly.start, monthly.end) == (
        Frequency.MONTHLY, 1, 15, dt.date(2019, 1, 1), None)
    assert isinstance(window, RecurringDeadline) and (window.start, window.end) == (dt.date(2019, 1, 1), dt.date(2020, 12, 31))
    assert isinstance(limit, EventLimitDeadline)
    assert (limit.from_event, limit.to_event, limit.limit_days, limit.working_days) == ("发现、受理", "发放临时救助金", 3, True)
    assert isinstance(months, EventLimitDeadline) and (months.to_event, months.limit_days, months.limit.text) == (None, None, "2个月")
    # what the backends ask every kind alike: the one day a one-off falls due, and the dates it names
    assert [(d.due, d.first_day, d.last_day) for d in task.deadlines] == [
        (dt.date(2019, 3, 31), None, dt.date(2019, 3, 31)),
        (dt.date(2019, 8, 31), dt.date(2019, 4, 1), dt.date(2019, 8, 31)),
        (None, dt.date(2016, 6, 1), None),
        (None, dt.date(2019, 1, 1), None),
        (None, dt.date(2019, 1, 1), dt.date(2020, 12, 31)),
        (None, None, None),
        (None, None, None),
    ]


def test_corpus_json_holds_only_each_kinds_keys_and_reads_back(corpus: Corpus) -> None:
    data = json.loads(model_json.render(corpus)["model/corpus.json"])
    assert data["schema_version"] == "2"
    written = data["policies"][0]["tasks"][0]["deadlines"]
    assert [(d["kind"], sorted(set(d) - COMMON)) for d in written] == [
        ("due", ["end"]),
        ("period", ["end", "start"]),
        ("ongoing", ["start"]),
        ("recurring", ["day", "end", "frequency", "start", "times"]),
        ("recurring", ["end", "frequency", "start", "times"]),  # no day of the month: left out, as in version 1
        ("event_limit", ["from_event", "limit", "limit_days", "to_event", "working_days"]),
        ("event_limit", ["from_event", "limit", "limit_days", "to_event", "working_days"]),
    ]
    again = Corpus.model_validate_json(json.dumps(data))
    assert again == corpus
    assert [type(d) for d in again.policies[0].tasks[0].deadlines] == [type(d) for d in corpus.policies[0].tasks[0].deadlines]


def test_schema_refuses_a_key_of_another_kind(corpus: Corpus) -> None:
    validator = jsonschema.Draft202012Validator(corpus_json_schema())
    data = json.loads(model_json.render(corpus)["model/corpus.json"])
    validator.validate(data)
    due = data["policies"][0]["tasks"][0]["deadlines"][0]
    assert due["kind"] == "due"
    due["frequency"] = "yearly"  # a due date has no frequency
    assert list(validator.iter_errors(data))
    del due["frequency"]
    del due["kind"]  # nor is a deadline without its kind anything
    assert list(validator.iter_errors(data))


def test_mypy_refuses_end_on_an_ongoing_deadline(tmp_path: Path) -> None:
    """The point of the union: a backend reading `end` off every deadline, or off an ongoing one, does not type-check;
    narrowing by class first (as the backends do) does."""
    pytest.importorskip("mypy")
    (tmp_path / "reader.py").write_text('''import datetime as dt
from luoshi.model import Deadline, DueDeadline, OngoingDeadline


def any_kind(d: Deadline) -> dt.date | None:
    return d.end


def ongoing(d: OngoingDeadline) -> dt.date | None:
    return d.end


def narrowed(d: Deadline) -> dt.date | None:
    return d.end if isinstance(d, DueDeadline) else d.due
''', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"), "--no-incremental",
         "--follow-imports=silent", "--cache-dir", os.devnull, str(tmp_path / "reader.py")],
        capture_output=True, text=True, env={**os.environ, "MYPYPATH": str(ROOT / "compiler")}, cwd=tmp_path)
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert {int(line.split(":")[1]) for line in errors} == {6, 10}, result.stdout  # not 14: narrowed first
    assert any(line.startswith("reader.py:6:") and 'Item "OngoingDeadline"' in line for line in errors), result.stdout
    assert any(line.startswith("reader.py:10:") and '"OngoingDeadline" has no attribute "end"' in line for line in errors)
