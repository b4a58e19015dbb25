"""Calendar periods of recurring obligations: 每年 = calendar years, 每半年 = 1–6 and 7–12月, 每季度, 每月, 每周
(Monday to Sunday).

An obligation counts from the first whole period after its start: a policy issued on 2019-02-28 that requires a
check 每年1次 owes one for 2020, 2021 …, and one for 2019 only when it counts from 2019-01-01.
"""

from __future__ import annotations

import datetime as dt

STEP_MONTHS = {"yearly": 12, "half_yearly": 6, "quarterly": 3, "monthly": 1}
FREQUENCY_ZH = {"yearly": "每年", "half_yearly": "每半年", "quarterly": "每季度", "monthly": "每月", "weekly": "每周"}


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def first_boundary(frequency: str, start: dt.date) -> dt.date:
    """The first day of the first whole period that begins on or after `start`."""
    if frequency == "weekly":
        return start + dt.timedelta(days=(7 - start.weekday()) % 7)
    step = STEP_MONTHS[frequency]
    boundary = dt.date(start.year, (start.month - 1) // step * step + 1, 1)
    return boundary if boundary >= start else _add_months(boundary, step)


def next_boundary(frequency: str, boundary: dt.date) -> dt.date:
    if frequency == "weekly":
        return boundary + dt.timedelta(days=7)
    return _add_months(boundary, STEP_MONTHS[frequency])


def periods(frequency: str, start: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """(first day, last day) of every whole period beginning between `start` and `last`, in order."""
    out = []
    begin = first_boundary(frequency, start)
    while begin <= last:
        following = next_boundary(frequency, begin)
        out.append((begin, following - dt.timedelta(days=1)))
        begin = following
    return out


def period_label(frequency: str, begin: dt.date) -> tuple[str, str]:
    """How a period is named in reports: (中文, English)."""
    match frequency:
        case "yearly":
            return f"{begin.year}年", f"{begin.year}"
        case "half_yearly":
            half = 1 if begin.month <= 6 else 2
            return f"{begin.year}年{'上' if half == 1 else '下'}半年", f"{begin.year} H{half}"
        case "quarterly":
            quarter = (begin.month - 1) // 3 + 1
            return f"{begin.year}年第{quarter}季度", f"{begin.year} Q{quarter}"
        case "monthly":
            return f"{begin.year}年{begin.month}月", f"{begin:%Y-%m}"
    return f"{begin.isoformat()}起的一周", f"week of {begin.isoformat()}"
