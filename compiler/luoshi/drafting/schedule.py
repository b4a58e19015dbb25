"""Deadlines and dates of a draft: carried over as the parent wrote them, or moved earlier by one rule
(`--advance 1个月`: every local deadline a month before the parent's), as AST nodes for the draft's printer.

Dates are written as officials write them (cn_end: 2020年底, 2019年3月底; cn_start: 2018年, 2019年4月). Month
steps keep a month's end a month's end (2020年底 − 1个月 = 2020年11月底); working-day steps count Chinese working
days (chinesecalendar, which knows the adjusted weekends and holidays).
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

from ..backends.wording import date_zh as cn_end
from ..model import Deadline, DueDeadline, PeriodDeadline, Target, Term
from ..semantics.dates import DateError
from ..syntax import ast
from ..syntax.astbuild import read_fragment

N = ast.NOWHERE

_ADVANCE = re.compile(r"^\s*(\d+)\s*(个月|月|日|天|周|个工作日|工作日|年)\s*$")
_UNITS = {"个月": "month", "月": "month", "日": "day", "天": "day", "周": "week", "个工作日": "workday",
          "工作日": "workday", "年": "year"}
_TRAILING_LABEL = re.compile(r'\s*("""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*")\s*$')


class ScheduleError(DateError):
    """A rule for moving dates that cannot be read, or cannot be applied (bilingual, like DateError)."""


@dataclass(frozen=True)
class Advance:
    """Move dates earlier by `amount` of `unit` (day, week, month, year, workday)."""

    amount: int
    unit: str
    written: str

    def apply(self, day: dt.date) -> dt.date:
        if self.unit == "day":
            return day - dt.timedelta(days=self.amount)
        if self.unit == "week":
            return day - dt.timedelta(weeks=self.amount)
        if self.unit == "workday":
            return _working_days_before(day, self.amount)
        months = self.amount * (12 if self.unit == "year" else 1)
        return _months_before(day, months)


def parse_advance(text: str) -> Advance | None:
    """`1个月` `15日` `2周` `10个工作日` `0` → an Advance (None for 0)."""
    if text.strip() in ("", "0"):
        return None
    m = _ADVANCE.match(text)
    if not m:
        raise ScheduleError(f"无法识别的提前量「{text}」，应写如 1个月、15日、2周、10个工作日",
                            f"cannot read '{text}'; write e.g. 1个月, 15日, 2周, 10个工作日")
    amount = int(m.group(1))
    return Advance(amount, _UNITS[m.group(2)], f"{amount}{m.group(2)}") if amount else None


def _months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    at_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return dt.date(year, month + 1, last if at_end else min(day.day, last))


def _working_days_before(day: dt.date, count: int) -> dt.date:
    from chinese_calendar import is_workday

    try:
        while count:
            day -= dt.timedelta(days=1)
            count -= is_workday(day)
    except NotImplementedError:
        raise ScheduleError(f"工作日日历不含 {day.year} 年，请改用日或月", f"no working-day calendar for {day.year}; use days or months") from None
    return day


def cn_start(day: dt.date) -> str:
    """A date as a period's start is written: 2018年, 2019年4月, 2019年4月5日."""
    if (day.month, day.day) == (1, 1):
        return f"{day.year}年"
    if day.day == 1:
        return f"{day.year}年{day.month}月"
    return f"{day.year}年{day.month}月{day.day}日"


def cn_day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def spec_of(d: Deadline) -> str:
    """What follows 时限 in the parent, without its label."""
    return _TRAILING_LABEL.sub("", d.written) if d.label else d.written


def moved(d: Deadline, advance: Advance | None) -> dt.date | None:
    """The local due date of a one-off deadline under the rule (None for the others: no one day to move)."""
    return advance.apply(d.due) if advance and d.due else d.due


def deadline_node(d: Deadline, advance: Advance | None, label: str | None) -> ast.Deadline:
    """The draft's `时限`: the parent's own wording (read back from what it wrote), or new dates when the rule
    moved them; with the (localized) label."""
    end = moved(d, advance)
    match d:
        case DueDeadline() if end is not None and end != d.end:
            node: ast.Deadline = ast.Due(end=read_fragment("date", cn_end(end)), before=True, span=N)
        case PeriodDeadline() if end is not None and end != d.end:
            node = ast.Period(start=read_fragment("date", cn_start(d.start)), end=read_fragment("date", cn_end(end)), span=N)
        case _:
            node = read_fragment("deadline", f"时限 {spec_of(d)}")
    return dataclasses.replace(node, label=label, span=N)


def started_period_node(d: PeriodDeadline, year: int, label: str | None) -> ast.Deadline:
    """A parent period that began before the draft's date (2018—2020年 in a 2019 text), proposed from the draft's
    own year: a county cannot implement from a year already past."""
    if (d.end.month, d.end.day) == (12, 31):  # written as the parent writes whole years: 2019—2020年
        return dataclasses.replace(read_fragment("deadline", f"时限 {year}—{d.end.year}年"), label=label, span=N)
    start = read_fragment("date", cn_start(dt.date(year, 1, 1)))
    return ast.Period(start=start, end=read_fragment("date", cn_end(d.end)), label=label, span=N)


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month counted on from January of `year` (month 13 is next January)."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def phase_dates(date: dt.date, count: int) -> list[tuple[dt.date | None, dt.date | None]]:
    """Proposed (start, end) of `count` consecutive phases after the draft's date, as 云阳 laid out its four
    (dated 2019-02-28: 3月底前; 4月至8月底; 9月至12月底; 持续): the first phase is the next month, the last
    open-ended (None, None: 持续), and those between share the rest of the year, at least two months each."""
    if count <= 0:
        return []
    first = date.month + 1
    out: list[tuple[dt.date | None, dt.date | None]] = [(None, month_end(date.year, first))]
    middle = count - 2
    if middle > 0:
        left = max(12 - first, 2 * middle)
        shares = [left // middle + (1 if k < left % middle else 0) for k in range(middle)]  # longer first
        start = first + 1
        for share in shares:
            begin = month_end(date.year, start).replace(day=1)
            out.append((begin, month_end(date.year, start + share - 1)))
            start += share
    if count > 1:
        out.append((None, None))
    return out[:count]


def phase_deadline(start: dt.date | None, end: dt.date | None, label: str) -> ast.Deadline:
    """时限 for a phase: 2019年3月底前, 2019年4月至2019年8月底, or 持续."""
    if end is None:
        node = read_fragment("deadline", "时限 持续")
    elif start is None:
        node = ast.Due(end=read_fragment("date", cn_end(end)), before=True, span=N)
    else:
        node = ast.Period(start=read_fragment("date", cn_start(start)), end=read_fragment("date", cn_end(end)), span=N)
    return dataclasses.replace(node, label=label, span=N)


def term_node(t: Term, label: str | None) -> ast.Term:
    return ast.Term(_quantity(t.quantity.value, t.quantity.unit), t.at_most, label, N)


def number(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def _quantity(value: float, unit: str | None) -> ast.Quantity:
    return ast.Quantity(number(value), unit, N)


def target_node(t: Target, by: dt.date | None, scope: list[ast.UnitName], per: str | None, condition: str | None,
                note: str | None) -> ast.Target:
    """The draft's `目标`; `scope` are units already mapped to the target jurisdiction."""
    rule: ast.Compare | ast.Cleared
    if t.written_comparator is None:
        rule = ast.Cleared()
    else:
        within = re.search(rf"{re.escape(t.written_comparator)}\s*[\d.]+\S*\s+(以内|内)(\s|$)", t.written)
        bound = re.search(rf"{re.escape(t.written_comparator)}\s*[\d.]+\S*\s+(以上|以下)(\s|$)", t.written)
        rule = ast.Compare(comparator=t.written_comparator, quantity=_quantity(t.value, t.unit),
                           within=within.group(1) if within else None, bound=bound.group(1) if bound else None)
    return ast.Target(metric=ast.Name(t.metric, N), rule=rule, span=N, by=read_fragment("date", cn_end(by)) if by else None,
                      scope=tuple(scope), per=per or None, condition=condition or None, baseline=t.baseline or None,
                      note=note or None)
