"""Recurring obligations (每年1次, 每半年1次, 每季度2次 …) as dated occurrences over a date range.

Periods are calendar periods, as Chinese government work is counted: years from 1 January, half-years, quarters,
months, and Monday-to-Sunday weeks. Each occurrence is due on the last day of its period, or on the day of the
month the text gives (每月15日前: the 15th). `每年2次` splits the year into halves; a count that does not divide
the period (每年5次) stays one occurrence per period, noting the count. A deadline's own window (每年1次
2019年至2020年) and its start (自2021年7月起) narrow the range.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from ..model import Frequency, RecurringDeadline

MONTHS = {Frequency.YEARLY: 12, Frequency.HALF_YEARLY: 6, Frequency.QUARTERLY: 3, Frequency.MONTHLY: 1}


@dataclass(frozen=True)
class Occurrence:
    start: dt.date
    due: dt.date
    label: str  # 2024年, 2024年上半年, 2024年第3季度, 2024年5月, 2024年第12周, 2024年1月—4月


def window(d: RecurringDeadline, start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """The range to expand over: the requested range cut to the deadline's own window; None when neither
    gives both ends."""
    lo = max((x for x in (start, d.start) if x), default=None)
    hi = min((x for x in (end, d.end) if x), default=None)
    if lo is None or hi is None or lo > hi:
        return None
    return lo, hi


def occurrences(d: RecurringDeadline, start: dt.date, end: dt.date) -> list[Occurrence]:
    times = d.times
    if d.frequency is Frequency.WEEKLY:
        return _weeks(start, end, times)
    months = MONTHS[d.frequency]
    step = months // times if months % times == 0 else months
    out = []
    first = dt.date(start.year, 1, 1)
    index = 0
    while True:
        p_start = _add_months(first, index * step)
        if p_start > end:
            break
        p_end = _add_months(p_start, step) - dt.timedelta(days=1)
        if p_end >= start:
            note = f"（本期{times}次）" if step == months and times > 1 else ""
            due = p_end if d.day is None else min(p_end, p_start.replace(day=min(d.day, calendar.monthrange(p_start.year, p_start.month)[1])))
            out.append(Occurrence(p_start, due, _label(p_start, step) + note))
        index += 1
    return out


def _add_months(day: dt.date, months: int) -> dt.date:
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _label(p_start: dt.date, step: int) -> str:
    y, m = p_start.year, p_start.month
    if step == 12:
        return f"{y}年"
    if step == 6:
        return f"{y}年{'上' if m == 1 else '下'}半年"
    if step == 3:
        return f"{y}年第{(m - 1) // 3 + 1}季度"
    if step == 1:
        return f"{y}年{m}月"
    last = _add_months(p_start, step) - dt.timedelta(days=1)
    return f"{y}年{m}月—{last.month}月"


def _weeks(start: dt.date, end: dt.date, times: int) -> list[Occurrence]:
    out = []
    monday = start - dt.timedelta(days=start.weekday())
    while monday <= end:
        sunday = monday + dt.timedelta(days=6)
        year, week, _ = monday.isocalendar()
        note = f"（本周{times}次）" if times > 1 else ""
        out.append(Occurrence(monday, sunday, f"{year}年第{week}周{note}"))
        monday += dt.timedelta(days=7)
    return out
