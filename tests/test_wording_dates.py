"""Dates as the documents print them in recurring and standing duties (issue 24, item 2): 每月15日前 (each round
due on a day of its month) and 自…起 (a duty from a date on). Each wording is read out of a sentence copied from the
corpus (tests/fixtures/wording/), encoded as an encoder would paste it, and checked in the model, in the checklist's
dated rounds and through `unparse`."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from helpers import codes, compile_texts
from luoshi.syntax.astbuild import read_fragment
from luoshi.backends.occurrences import occurrences, window
from luoshi.backends.wording import deadline_zh
from luoshi.model import Frequency, OngoingDeadline, RecurringDeadline, Task
from luoshi.driver.pipeline import Compilation
from luoshi.syntax.unparse import deadline_spec

FIXTURES = Path(__file__).parent / "fixtures" / "wording"


def _sentence(name: str, pattern: str) -> tuple[str, re.Match[str]]:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    m = re.search(pattern, text)
    assert m, f"{pattern} not in {name}"
    return text, m


def _one_task(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> tuple[Compilation, Task | None]:
    monkeypatch.chdir(tmp_path)
    comp = compile_texts(tmp_path, {"a.policy": f'政策 a {{ 辖区 云阳县 成文日期 2023年10月20日\n 任务 1 "甲" {{\n{body}\n}} }}'})
    policy = comp.corpus.policy("a") if comp.corpus else None
    return comp, policy.task("1") if policy else None


def test_monthly_day_as_printed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """「每月15日前报送整治进展情况」: monthly, each round due on the 15th — not on the month's last day."""
    _, m = _sentence("monthly-day.txt", r"(每月(\d+)日前)(报送[^，。]+)")
    comp, task = _one_task(tmp_path, monkeypatch, f'牵头 县民政局 时限 {m.group(1)} "{m.group(3)}"')
    assert codes(comp) == []
    assert task is not None
    d = task.deadlines[0]
    assert isinstance(d, RecurringDeadline)
    assert (d.frequency, d.times, d.day, d.label) == (Frequency.MONTHLY, 1, int(m.group(2)), "报送整治进展情况")
    lo, hi = window(d, dt.date(2024, 1, 1), dt.date(2024, 3, 31)) or (None, None)
    assert lo and hi
    assert [o.due for o in occurrences(d, lo, hi)] == [dt.date(2024, 1, 15), dt.date(2024, 2, 15), dt.date(2024, 3, 15)]
    assert deadline_zh(d) == "每月15日前（报送整治进展情况）"
    dumped = d.model_dump()
    assert dumped["day"] == 15
    assert "day" not in task.deadlines[0].model_copy(update={"day": None}).model_dump()  # others' model unchanged


def test_monthly_day_past_a_short_month_is_its_last_day() -> None:
    from luoshi.syntax.source import Span

    span = Span(file="x", line=1, column=1, end_line=1, end_column=2)
    d = RecurringDeadline(frequency=Frequency.MONTHLY, times=1, day=31, written="每月31日前", span=span)
    assert [o.due for o in occurrences(d, dt.date(2023, 2, 1), dt.date(2023, 4, 30))] == \
        [dt.date(2023, 2, 28), dt.date(2023, 3, 31), dt.date(2023, 4, 30)]


@pytest.mark.parametrize("written", ["每季度15日前", "每月32日前"])
def test_a_day_only_for_monthly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written: str) -> None:
    """每季度15日前 and 每月32日前 are refused (LS217) with the accepted form: the frequency, the printed wording as
    its label."""
    comp, _ = _one_task(tmp_path, monkeypatch, f"牵头 县民政局 时限 {written}")
    [d] = comp.diagnostics()
    assert d.code == "LS217" and d.zh.startswith(f"「{written}」")
    frequency = written.split("1")[0].split("3")[0]
    assert f'时限 {frequency}1次 "{written}"' in (d.hint_zh or "")


def test_since_as_printed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """「自2016年6月起，本市装修垃圾未经分拣，一律不得处置」: a standing duty from June 2016 on."""
    _, m = _sentence("since.txt", r"(自(\d{4})年(\d+)月起)，([^。]+)")
    comp, task = _one_task(tmp_path, monkeypatch, f'牵头 县民政局 时限 {m.group(1)} "{m.group(4)}"')
    assert codes(comp) == []
    assert task is not None
    d = task.deadlines[0]
    assert isinstance(d, OngoingDeadline) and d.start == dt.date(int(m.group(2)), int(m.group(3)), 1)
    assert deadline_zh(d, label=False) == "持续（自2016年6月1日起）"


def test_recurring_since_starts_the_rounds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """每半年一次 自2021年7月起: no round before July 2021, whatever range the checklist asks for."""
    comp, task = _one_task(tmp_path, monkeypatch, '牵头 县民政局 时限 每半年一次 自2021年7月起 "监测评价"')
    assert codes(comp) == []
    assert task is not None
    d = task.deadlines[0]
    assert (d.frequency, d.start) == (Frequency.HALF_YEARLY, dt.date(2021, 7, 1))
    lo, hi = window(d, dt.date(2019, 1, 1), dt.date(2022, 12, 31)) or (None, None)
    assert lo and hi
    assert [o.due for o in occurrences(d, lo, hi)] == [dt.date(2021, 12, 31), dt.date(2022, 6, 30), dt.date(2022, 12, 31)]


@pytest.mark.parametrize("written", ["每月15日前", "每月15日", "每月15日前 自2024年1月起", "每半年一次 自2021年7月起",
                                     "自2016年6月起", "持续 自2016年6月起", "持续", "每年1次 2019年至2020年"])
def test_unparse_keeps_the_printed_form(written: str) -> None:
    d = read_fragment("deadline", f"时限 {written}")
    assert deadline_spec(d) == written
    assert read_fragment("deadline", f"时限 {deadline_spec(d)}") == d
