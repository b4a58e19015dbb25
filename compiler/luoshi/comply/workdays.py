"""China's working days, from the `chinese_calendar` package: weekends, public holidays (春节, 国庆节 …) and the
make-up working days (调休上班) the State Council announces each year.

A limit such as 从发现、受理到发放临时救助金不得超过3个工作日 counts the working days after the start day up to
and including the end day: a case accepted on Thursday 2024-02-08 and paid on Sunday 2024-02-18 (a make-up
working day after the Spring Festival) took 2 working days (2-09 and 2-18). The evaluation in DuckDB uses
`calendar_rows` as a table of cumulative working-day counts; `working_days_between` is the same count in Python.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar
from chinese_calendar import constants


@lru_cache(maxsize=1)
def covered_years() -> tuple[int, int]:
    """The first and last year the installed calendar knows the holidays of."""
    years = {d.year for d in constants.holidays} | {d.year for d in constants.workdays}
    return min(years), max(years)


def covers(day: dt.date) -> bool:
    first, last = covered_years()
    return first <= day.year <= last


def is_workday(day: dt.date) -> bool:
    return bool(chinese_calendar.is_workday(day))


def calendar_rows(first: dt.date, last: dt.date) -> list[tuple[dt.date, bool, int]]:
    """(day, is a working day, working days from `first` up to and including the day), for every covered day."""
    low, high = covered_years()
    first, last = max(first, dt.date(low, 1, 1)), min(last, dt.date(high, 12, 31))
    rows, count, day = [], 0, first
    while day <= last:
        work = is_workday(day)
        count += work
        rows.append((day, work, count))
        day += dt.timedelta(days=1)
    return rows


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not after `start`)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_workday(day)
    return count


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The day on which `days` working days after `start` have passed (`start` itself when `days` is 0)."""
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        days -= is_workday(day)
    return day
