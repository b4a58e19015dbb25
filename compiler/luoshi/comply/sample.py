"""Realistic completion data for a corpus, with known violations planted (`luoshi sample-data`).

Every unit a task assigns reports on it every month (未开始 → 进行中 → 已完成) from the policy's date to the as-of
date; responsible units finish before their deadlines and once in every period of a recurring obligation; every
target's unit reports its metric monthly for each place of its scope, meeting the target; every unit bound by a
working-day limit reports cases (受理 → 发放) within it, the calendar's holidays and make-up days included.

Then, with probability `violations` per check (per case for limits), a violation is planted: a task finished late
or never, a period without completion, a missed target or a place that never reports, a case over the limit.
Each planted violation is recorded with the checks it must make fail, so a test can assert that `luoshi comply`
finds every one and nothing else. Same corpus, options and seed: same rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..backends.office import append_row, csv_safe, save_workbook
from ..model import Corpus, ItemKind, Policy
from ..semantics.duties import owners
from . import workdays
from .periods import STEP_MONTHS, periods
from .plan import Check, CheckKind, Plan

DEFAULT_AS_OF = dt.date(2024, 12, 31)
DEFAULT_START = dt.date(2019, 1, 1)
HEADERS = ("政策", "任务", "单位", "范围", "状态", "日期", "指标", "数值", "备注", "案件", "事件")
REPORT_DAY = 25
CASES_PER_YEAR = 24
NOTES = ("按计划推进", "已召开专题会议", "已报送阶段材料", "正在组织排查", "已形成工作台账", None, None, None)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


@dataclass(frozen=True)
class SampleOptions:
    as_of: dt.date = DEFAULT_AS_OF
    violations: float = 0.05
    seed: int = 1
    rows: int | None = None  # about this many rows in all: the rest are more 临时救助 cases


Cell = str | dt.date | None  # a data cell: text, a date, or empty


@dataclass
class Sample:
    rows: list[tuple[Cell, ...]] = field(default_factory=list)  # in HEADERS order; dates as dt.date
    planted: list[dict[str, object]] = field(default_factory=list)
    failing: set[str] = field(default_factory=set)
    slow_cases: set[tuple[str, str]] = field(default_factory=set)

    def manifest(self, options: SampleOptions, data_name: str) -> dict[str, object]:
        """What was planted, written beside the data: tests assert comply finds exactly `expected`."""
        return {
            "generator": "luoshi sample-data", "data": data_name, "seed": options.seed, "violations": options.violations,
            "as_of": options.as_of.isoformat(), "rows": len(self.rows),
            "planted": self.planted,
            "expected": {"failing_checks": sorted(self.failing), "slow_cases": sorted(map(list, self.slow_cases))},
        }


def policy_start(policy: Policy) -> dt.date:
    """When reporting on a policy begins: its date, else 1 January of the year its 文号 or id names."""
    if policy.date:
        return policy.date
    for text in (policy.number or "", policy.id):
        found = _YEAR.search(text)
        if found:
            return dt.date(int(found.group(1)), 1, 1)
    return DEFAULT_START


def report_days(start: dt.date, as_of: dt.date) -> list[dt.date]:
    """The monthly report dates (the 25th) from the policy's start to the as-of date."""
    days, year, month = [], start.year, start.month
    while (day := dt.date(year, month, REPORT_DAY)) <= as_of:
        if day >= start:
            days.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


def meets(check: Check, value: float) -> bool:
    threshold = check.threshold or 0.0
    return {"le": value <= threshold, "gt": value > threshold, "lt": value < threshold,
            "eq": abs(value - threshold) < 1e-9}.get(check.comparator or "ge", value >= threshold)


class _Generator:
    def __init__(self, corpus: Corpus, plan: Plan, options: SampleOptions):
        self.corpus, self.plan, self.options = corpus, plan, options
        self.rng = random.Random(options.seed)
        self.out = Sample()
        self.case_count = 0

    def run(self) -> Sample:
        for entry in self.plan.policies:
            policy = self.corpus.policy(entry.id)
            if policy is None or (policy.date and policy.date > self.options.as_of):
                continue  # not issued yet on the as-of date: its checks are pending
            if policy_start(policy) <= self.options.as_of:
                self._policy(policy, entry.label)
            else:
                self._not_started(policy)
        self._scale()
        self.out.rows.sort(key=lambda r: (r[5], *("" if v is None else str(v) for v in r)))
        return self.out

    def _not_started(self, policy: Policy) -> None:
        """An undated policy whose reporting starts after the as-of date has no rows: its due checks fail for want
        of data, and are expected to."""
        as_of, failing = self.options.as_of, []
        for c in (c for c in self.plan.checks if c.policy == policy.id):
            if (c.kind is CheckKind.DEADLINE and c.due is not None and c.due < as_of) or c.kind is CheckKind.LIMIT or (c.kind is CheckKind.TARGET and (c.by is None or c.by <= as_of)) or (c.kind is CheckKind.RECURRING and not (c.window_start and c.window_start > as_of)):
                failing.append(c.id)
        if failing:
            self._plant("no_reports_yet", failing, f"{policy_start(policy)} 前没有报告（核查日 {as_of}）")

    def _plant(self, kind: str, checks: list[str], detail: str, case: str | None = None) -> None:
        self.out.planted.append({"kind": kind, "checks": sorted(checks), "detail": detail, **({"case": case} if case else {})})
        self.out.failing.update(checks)

    def _planting(self) -> bool:
        return self.rng.random() < self.options.violations

    # ───────────── names as officials write them ─────────────

    def _unit_name(self, uid: str) -> str:
        unit = self.corpus.unit(uid)
        if unit is None:
            return uid
        return self.rng.choice(unit.aliases) if unit.aliases and self.rng.random() < 0.2 else unit.name

    def _row(self, label: str, task: str, uid: str, day: dt.date, *, status: str | None = None, scope: str | None = None,
             metric: str | None = None, value: str | None = None, note: str | None = None, case: str | None = None,
             event: str | None = None) -> tuple[Cell, ...]:
        return (label, task, self._unit_name(uid), scope, status, day, metric, value, note, case, event)

    # ───────────── a policy ─────────────

    def _policy(self, policy: Policy, label: str) -> None:
        start, as_of = policy_start(policy), self.options.as_of
        days = report_days(start, as_of)
        checks = [c for c in self.plan.checks if c.policy == policy.id]
        first = len(self.out.rows)
        for task in policy.tasks:
            if task.kind is ItemKind.CLAUSE:
                continue
            # a collective's duty is its members' (duties.owners): each member reports for itself
            for uid in dict.fromkeys(owner for a in task.assignments for owner in owners(self.corpus, a.unit.unit).units):
                mine = [c for c in checks if c.task == task.id and c.unit == uid]
                self._progress(label, task.id, uid, start, days, mine)
        self._targets(label, [c for c in checks if c.kind is CheckKind.TARGET], days)
        dates = [day for r in self.out.rows[first:] if isinstance(day := r[5], dt.date)]  # (every row is dated)
        begun = min(dates) if dates else start
        by_unit: dict[tuple[str, str], list[Check]] = defaultdict(list)
        for c in checks:
            if c.kind is CheckKind.RECURRING:
                by_unit[(c.task, c.unit)].append(c)
        for (task_id, uid), group in sorted(by_unit.items()):
            self._recurring(label, task_id, uid, group, begun)
        for c in checks:
            if c.kind is CheckKind.LIMIT:
                self._cases(label, c, start, self._case_count(start))

    def _progress(self, label: str, task: str, uid: str, start: dt.date, days: list[dt.date], checks: list[Check]) -> None:
        """Monthly status reports of one unit on one task, finishing on time unless a violation is planted."""
        deadlines = [c for c in checks if c.kind is CheckKind.DEADLINE]
        recurring = any(c.kind is CheckKind.RECURRING for c in checks)
        as_of = self.options.as_of
        done: dt.date | None
        if deadlines:
            due = min(c.due for c in deadlines if c.due is not None)  # a deadline check has its date
            done = start + dt.timedelta(days=int(self.rng.random() * max(0, (due - start).days - 1))) if due > start else due
            if due < as_of and not recurring and self._planting():
                done = self._late(deadlines, done, due)
        elif recurring:
            done = None  # completions come per period (`_recurring`)
        else:
            done = start + dt.timedelta(days=self.rng.randint(60, 900)) if self.rng.random() < 0.5 else None
        for i, day in enumerate(days):
            if done and day >= done:
                break
            self.out.rows.append(self._row(label, task, uid, day, status="未开始" if i == 0 else "进行中", note=self.rng.choice(NOTES)))
        if done and done <= as_of:
            self.out.rows.append(self._row(label, task, uid, done, status="已完成", note="已完成并报送材料"))

    def _late(self, deadlines: list[Check], done: dt.date | None, due: dt.date) -> dt.date | None:
        as_of = self.options.as_of
        late = due + dt.timedelta(days=self.rng.randint(3, 90))
        finished = late if late <= as_of and self.rng.random() < 0.6 else None
        failing = [c.id for c in deadlines
                   if c.due is not None and ((finished is None and c.due < as_of) or (finished and finished > c.due))]
        kind, detail = ("late", f"{finished} 才完成（时限 {due}）") if finished else ("overdue", f"时限 {due} 前未完成")
        self._plant(kind, failing, detail)
        return finished

    # ───────────── recurring obligations ─────────────

    def _recurring(self, label: str, task: str, uid: str, checks: list[Check], begun: dt.date) -> None:
        """One completion in every period of the finest obligation; a planted gap leaves one period empty, chosen
        so that coarser obligations (每年 beside 每半年) still have a completion in their period."""
        finest = min(checks, key=lambda c: STEP_MONTHS.get(c.frequency or "", 0) or 0.25)
        start = finest.window_start or begun
        last = min(finest.window_end or self.options.as_of, self.options.as_of)
        assert finest.frequency is not None, "a recurring check has its frequency"
        spans = periods(finest.frequency, start, last)
        skipped = None
        if self._planting():
            candidates = [p for p in spans if p[1] <= self.options.as_of and self._gap_is_safe(p, spans, checks, finest)]
            if candidates:
                skipped = self.rng.choice(candidates)
                same = [c.id for c in checks if c.frequency == finest.frequency]
                self._plant("missing_period", same, f"{skipped[0]}—{skipped[1]} 无完成记录")
        for begin, end in spans:
            if (begin, end) == skipped:
                continue
            top = min(end, self.options.as_of)
            for _ in range(finest.times or 1):
                day = begin + dt.timedelta(days=self.rng.randint(0, (top - begin).days))
                self.out.rows.append(self._row(label, task, uid, day, status="已完成", note="本期核查已完成"))

    def _gap_is_safe(self, gap: tuple[dt.date, dt.date], spans: list[tuple[dt.date, dt.date]], checks: list[Check],
                     finest: Check) -> bool:
        """Every coarser obligation's period around `gap` holds another of the finest periods."""
        for c in checks:
            if c.frequency == finest.frequency:
                continue
            step = STEP_MONTHS.get(c.frequency or "", 12)
            begin = dt.date(gap[0].year, (gap[0].month - 1) // step * step + 1, 1)
            inside = [p for p in spans if p != gap and p[0] >= begin and p[0].year == begin.year
                      and (p[0].month - 1) // step == (begin.month - 1) // step]
            if len(inside) < (c.times or 1):
                return False
        return True

    # ───────────── targets ─────────────

    def _targets(self, label: str, checks: list[Check], days: list[dt.date]) -> None:
        groups: dict[tuple[str, str | None, str], list[Check]] = defaultdict(list)
        for c in checks:
            groups[(c.task, c.metric, c.scope or c.unit)].append(c)
        for (task, metric, _subject), group in sorted(groups.items()):
            self._target_group(label, task, metric, group, days)

    def _target_group(self, label: str, task: str, metric: str | None, group: list[Check], days: list[dt.date]) -> None:
        """Monthly values of one metric for one place, meeting every target on it, unless one is planted."""
        first = group[0]
        values = {day: self._feasible(group) for day in days}
        due = [c for c in group if c.by is None or c.by <= self.options.as_of]
        if due and days and self._planting():
            if self.rng.random() < 0.3:
                self._plant("no_report", [c.id for c in due], f"{first.scope_label or first.unit_label} 从未报告{metric}")
                return
            self._missed(group, self.rng.choice(due), values)
        for day, value in values.items():
            self.out.rows.append(self._row(label, task, first.unit, day, scope=first.scope_label, metric=metric,
                                           value=self._written(value, first.target_unit, first.comparator)))

    def _decisive(self, check: Check, days: Iterable[dt.date]) -> dt.date | None:
        limit = min(check.by or self.options.as_of, self.options.as_of)
        before = [d for d in days if d <= limit]
        return max(before) if before else None

    def _missed(self, group: list[Check], target: Check, values: dict[dt.date, float]) -> None:
        day = self._decisive(target, values)
        if day is None:
            return
        t = target.threshold or 0.0
        miss = {"le": t + self.rng.randint(1, 8), "lt": t + self.rng.randint(0, 8), "eq": t + self.rng.randint(1, 3),
                "gt": t - self.rng.randint(0, 5)}.get(target.comparator or "ge", max(0.0, t - self.rng.randint(1, 8)))
        if target.target_unit == "%" and target.comparator not in ("le", "lt", "eq"):
            miss = max(0.0, t - self.rng.randint(2, 9) - 0.5)
        values[day] = miss
        failing = [c.id for c in group if self._decisive(c, values) == day and not meets(c, miss)
                   and (c.by is None or c.by <= self.options.as_of)]
        self._plant("missed", failing, f"{day} {target.metric} 报 {self._written(miss, target.target_unit, target.comparator)}")

    def _feasible(self, group: list[Check]) -> float:
        """A value meeting every target of the group: above every floor, below every ceiling."""
        exact = [c.threshold for c in group if c.comparator == "eq" and c.threshold is not None]
        if exact:
            return float(exact[0])
        # (a target check always has its threshold)
        low = max((c.threshold for c in group if c.comparator in ("ge", "gt", "increase", "decrease") and c.threshold is not None),
                  default=None)
        high = min((c.threshold for c in group if c.comparator in ("le", "lt") and c.threshold is not None), default=None)
        integral = group[0].target_unit not in ("%", None)
        if low is not None:
            value = low + (self.rng.randint(0, 2) if integral else round(self.rng.uniform(1, 12), 1))
            if group[0].target_unit == "%" and group[0].comparator != "increase":
                value = min(value, 100.0)  # a rate, or a reduction, cannot pass 100 %
            return float(min(value, high - 1)) if high is not None and value >= high else float(value)
        if high is not None:
            return float(max(0, high - (self.rng.randint(1, 3) if integral else round(self.rng.uniform(1, min(8, high - 1)), 1))))
        return float(self.rng.randint(1, 10))

    def _written(self, value: float, unit: str | None, comparator: str | None = None) -> str:
        """A value as reports write it: 45.2%, ４５.２％, 百分之四十五, or a plain number; the change of a 提高/降低
        target with its word (降低55%: the value itself is the change)."""
        text = f"{value:g}"
        if comparator in ("increase", "decrease"):
            return ("提高" if comparator == "increase" else "降低") + text + (unit or "")
        if unit != "%":
            return text
        choice = self.rng.random()
        if choice < 0.5 or value < 1:
            return f"{text}%"
        if choice < 0.7 and value.is_integer() and value < 100:
            import cn2an

            words: str = cn2an.an2cn(int(value))
            return "百分之" + words
        if choice < 0.8:
            return text.translate(str.maketrans("0123456789", "０１２３４５６７８９")) + "％"
        return text

    # ───────────── cases of working-day limits ─────────────

    def _case_count(self, start: dt.date) -> int:
        years = max(1, self.options.as_of.year - start.year + 1)
        return CASES_PER_YEAR * years

    def _case_window(self, check: Check, start: dt.date) -> tuple[dt.date, dt.date]:
        """Days a case may open on: within the calendar's years, early enough to close by the as-of date."""
        first, last = workdays.covered_years()
        margin = 2 * ((check.limit_days or 0) + 5) + 15
        end = min(self.options.as_of, dt.date(last, 12, 31)) - dt.timedelta(days=margin)
        return max(start, dt.date(first, 1, 1)), end

    def _cases(self, label: str, check: Check, start: dt.date, count: int) -> None:
        begin, end = self._case_window(check, start)
        if end < begin:
            return
        span = (end - begin).days
        for _ in range(count):
            self._case(label, check, begin + dt.timedelta(days=self.rng.randint(0, span)))
        if count and self.options.as_of <= dt.date(workdays.covered_years()[1], 12, 31):
            self.case_count += 1  # one case still open on the as-of date, within its limit
            case = f"C{self.options.as_of.year}-{self.case_count:07d}"
            self.out.rows.append(self._row(label, check.task, check.unit, self.options.as_of, case=case, event=check.from_event))

    def _case(self, label: str, check: Check, opened: dt.date) -> None:
        limit = check.limit_days or 0
        slow = self._planting()
        used = self.rng.randint(limit + 1, limit + 5) if slow else self.rng.randint(0, limit)
        closed = workdays.add_working_days(opened, used) if check.working_days else opened + dt.timedelta(days=used)
        self.case_count += 1
        case = f"C{opened.year}-{self.case_count:07d}"
        self.out.rows.append(self._row(label, check.task, check.unit, opened, case=case, event=check.from_event))
        self.out.rows.append(self._row(label, check.task, check.unit, closed, case=case, event=check.to_event or "完成"))
        if slow:
            self.out.slow_cases.add((check.id, case))
            self._plant("slow_case", [check.id], f"{case}：{opened} 至 {closed}，{used} {'个工作日' if check.working_days else '日'}", case)

    def _scale(self) -> None:
        """More cases, round-robin over the limit checks, until there are about `rows` rows."""
        limits = [c for c in self.plan.checks if c.kind is CheckKind.LIMIT]
        wanted = self.options.rows or 0
        if not limits or wanted <= len(self.out.rows):
            return
        extra = (wanted - len(self.out.rows)) // 2
        for i, check in enumerate(limits):
            policy = self.corpus.policy(check.policy)
            assert policy is not None, "a check's policy is in the corpus"
            share = extra // len(limits) + (1 if i < extra % len(limits) else 0)
            begin, end = self._case_window(check, policy_start(policy))
            if end < begin:
                continue
            span = (end - begin).days
            label = next(p.label for p in self.plan.policies if p.id == check.policy)
            for _ in range(share):
                self._case(label, check, begin + dt.timedelta(days=self.rng.randint(0, span)))


def generate(corpus: Corpus, plan: Plan, options: SampleOptions) -> Sample:
    return _Generator(corpus, plan, options).run()


# ───────────── files ─────────────


def _text(value: Cell) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def to_csv(sample: Sample, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows([csv_safe(_text(v)) for v in row] for row in sample.rows)
    return buffer.getvalue().encode(encoding)


def to_xlsx(sample: Sample) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None, "a new workbook has one sheet"
    ws.title = "完成情况"
    ws.append(list(HEADERS))
    for row in sample.rows:
        append_row(ws, [v if v is None or isinstance(v, dt.date) else str(v) for v in row])
    return save_workbook(wb)


def to_parquet(sample: Sample) -> bytes:
    import tempfile
    from pathlib import Path

    import duckdb
    import numpy as np

    columns = {f"c{i}": np.asarray([r[i] for r in sample.rows], dtype=object) for i in range(len(HEADERS))}
    con = duckdb.connect()
    con.register("sample", columns)
    select = ", ".join(f"CAST(c{i} AS {'DATE' if i == 5 else 'VARCHAR'}) AS \"{h}\"" for i, h in enumerate(HEADERS))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sample.parquet"
        con.execute(f"COPY (SELECT {select} FROM sample) TO '{path}' (FORMAT parquet)")
        return path.read_bytes()


def encode(sample: Sample, suffix: str, encoding: str = "utf-8") -> bytes:
    if suffix == ".xlsx":
        return to_xlsx(sample)
    if suffix == ".parquet":
        return to_parquet(sample)
    return to_csv(sample, encoding)


def manifest_bytes(sample: Sample, options: SampleOptions, data_name: str) -> bytes:
    return (json.dumps(sample.manifest(options, data_name), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
