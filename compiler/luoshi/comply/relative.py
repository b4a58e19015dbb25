"""提高/降低 targets (报销比例提高10%, 起付线降低50%): the change the data shows, and how it was worked out.

A row may give
- the change itself: a 变化 column (50%, 降低50%, 10个百分点) or a value with its direction word (降低50%);
- a level with its baseline: 数值 and 基准值 on one row (400 and 800: 降低 50 %);
- a level alone: the baseline is then the latest level reported on or before the target's baseline date (基准
  "2018年" → 2018-12-31), from a row of its own.
A level without any baseline proves nothing (the issue's 「起付线 400」 once passed as "400 %"): the check says
so and has no data. For a target in %, the change of a level is relative ((800 − 400) / 800 = 50 %); in 个百分点,
the difference. The latest row (after the baseline date) decides; the result says which way it was computed.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .plan import Check

RELATIVE = ("increase", "decrease")
_BASELINE = re.compile(r"(\d{4})\s*年(?:\s*(\d{1,2})\s*月)?")


def baseline_end(text: str | None) -> dt.date | None:
    """The last day a baseline names: 2018年 → 2018-12-31, 2018年6月 → 2018-06-30."""
    m = _BASELINE.search(text or "")
    if m is None:
        return None
    year, month = int(m.group(1)), int(m.group(2) or 12)
    if not 1 <= month <= 12:
        return None
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _num(x: float) -> str:
    return f"{x:.4g}"


def achieved(check: Check, rows: list[dict[str, Any]], as_of: dt.date) -> dict[str, Any]:
    """The fact `messages._target` words: the change (`v`, in the target's direction: a rise for 提高, a fall for
    降低), the row it rests on, `how` it was computed and the reason (met, missed, no_report, no_baseline,
    not_due)."""
    sign = 1 if check.comparator == "increase" else -1
    base_by = check.baseline_by
    later = [r for r in rows if base_by is None or r["day"] > base_by]
    if check.by and check.by > as_of and not later:
        return {"reason": "not_due"}
    if not later:
        return {"reason": "no_report"}
    last = later[-1]
    fact = {"src": last["src"], "row": last["row"], "day": last["day"], "written": last["written"]}
    unit = check.target_unit or "%"
    if last["chg_num"] is not None or last["dir"]:
        size, direction = (last["chg_num"], last["chg_dir"]) if last["chg_num"] is not None else (last["num"], last["dir"])
        v = size if direction in (0, sign) else -size
        how = f"按报告的变化值 {_num(size)}"
    else:
        base, where = last["base_num"], "同行基准值"
        if base is None:
            earlier = [r for r in rows if base_by is not None and r["day"] <= base_by and r["num"] is not None and not r["dir"]]
            if not earlier:
                return {**fact, "reason": "no_baseline", "how": f"数值 {last['written']} 是水平值，没有基准值"
                        + (f"（{check.baseline}的数值）" if check.baseline else "")}
            base, where = earlier[-1]["num"], f"{earlier[-1]['day']} 的基准值"
        level = last["num"]
        if unit == "%":
            if base == 0:
                return {**fact, "reason": "no_baseline", "how": "基准值为 0，无法计算变化幅度"}
            v = (level - base) / base * 100 * sign
        else:
            v = (level - base) * sign
        how = f"按{where} {_num(base)} 与数值 {_num(level)} 计算"
    reason = "met" if v >= (check.threshold or 0) - 1e-9 else "missed"
    if reason == "missed" and check.by and check.by > as_of:
        reason = "not_due"
    return {**fact, "v": round(v, 6), "how": how, "reason": reason}
