"""Chinese date expressions → calendar dates.

`2019年3月底` is a point (the month's last day); `2019年` or `2019年3月` name a span whose start opens a
period and whose end closes a deadline; 上旬/中旬/下旬, 初/底/末 and 上半年/下半年 narrow the span.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: `luoshi comply` reads the year bounds without the AST's classes
    from ..syntax import ast

MIN_YEAR, MAX_YEAR = 1949, 2100


class DateError(ValueError):
    """A date that does not exist; the message is bilingual."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


def date_span(d: ast.CnDate) -> tuple[dt.date, dt.date]:
    """The first and last day a written date covers."""
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        raise DateError(f"年份 {d.year} 超出 {MIN_YEAR}–{MAX_YEAR}", f"year {d.year} is outside {MIN_YEAR}–{MAX_YEAR}")
    if d.month is None:
        return _year_span(d.year, d.edge)
    if not 1 <= d.month <= 12:
        raise DateError(f"月份 {d.month} 不存在", f"month {d.month} does not exist")
    last = calendar.monthrange(d.year, d.month)[1]
    if d.day is not None:
        if not 1 <= d.day <= last:
            raise DateError(f"{d.year}年{d.month}月没有{d.day}日", f"{d.year}-{d.month:02d} has no day {d.day}")
        day = dt.date(d.year, d.month, d.day)
        return day, day
    first, end = 1, last
    match d.edge:
        case "底" | "末":
            first = last
        case "初" | "上旬":
            end = 10
        case "中旬":
            first, end = 11, 20
        case "下旬":
            first = 21
    return dt.date(d.year, d.month, first), dt.date(d.year, d.month, end)


def _year_span(year: int, edge: str | None) -> tuple[dt.date, dt.date]:
    match edge:
        case "底" | "末":
            return dt.date(year, 12, 31), dt.date(year, 12, 31)
        case "初":
            return dt.date(year, 1, 1), dt.date(year, 1, 31)
        case "上半年":
            return dt.date(year, 1, 1), dt.date(year, 6, 30)
        case "下半年":
            return dt.date(year, 7, 1), dt.date(year, 12, 31)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)
