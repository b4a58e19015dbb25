"""A 数值 (or 基准值, 变化) cell → a number, its unit of measure and, for a change, its direction.

Offices write 45%, ４５％, 百分之四十五, 0户, 8000元, 10个百分点, 降低50%, 1,200; all are read (Chinese numerals
through cn2an, the maintained converter). What a value cannot mean is refused rather than guessed: a negative
number (-5%: a reduction is written 降低5%), an exponent (1e-400), a doubled sign (12%%), a digit separator that is
not a thousands comma (1_000). A number between 0 and 1 stays what it says (0.42 is 0.42 %); it is a fraction only
in a column whose header says so (数值（小数）), which `engine` applies per file.

Values are read once per distinct cell text (a handful, however many rows).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# units of measure as offices write them → the unit targets are written in
UNITS = {"%": "%", "个百分点": "个百分点", "百分点": "个百分点", "元": "元", "万元": "万元", "户": "户", "个": "个",
         "人": "人", "人次": "人次", "家": "家", "件": "件", "次": "次", "项": "项", "所": "所", "天": "天", "日": "天",
         "张": "张", "套": "套", "名": "人"}
UP = ("提高了", "提高", "增长了", "增长", "增加了", "增加", "上升了", "上升", "提升了", "提升")
DOWN = ("降低了", "降低", "下降了", "下降", "减少了", "减少", "压减")
_CN_DIGITS = re.compile("[零〇一二两三四五六七八九十百千万亿点]")
_NUMBER = re.compile(r"(?P<num>\d+(?:\.\d+)?)(?P<unit>%|个百分点|百分点|万元|人次|[元户个人家件次项所天日张套名])?")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_CN = "零一二三四五六七八九"


def _plain_numeral(n: int) -> str:
    """0 ≤ n < 1000 as written in full (零, 十, 十一, 二十, 一百零五, 一百一十): the form cn2an's an2cn writes."""
    hundreds, tens, ones = n // 100, n // 10 % 10, n % 10
    if n < 10:
        return _CN[n]
    if n < 20:
        return "十" + (_CN[ones] if ones else "")
    head = _CN[hundreds] + "百" if hundreds else ""
    if tens:
        return head + _CN[tens] + "十" + (_CN[ones] if ones else "")
    return head + ("零" + _CN[ones] if ones else "")


# Whole numbers below 1000 written in full, alone or as 百分之…: read from this table, not by cn2an, whose import
# (~0.1 s of CPU: it compiles its patterns) would otherwise be paid by every data file with 百分之五十一 in it.
# tests/test_comply_data.py checks every entry against cn2an.
PLAIN = {_plain_numeral(n): str(n) for n in range(1000)} | {"百分之" + _plain_numeral(n): f"{n}%" for n in range(1000)}


@dataclass(frozen=True)
class Value:
    num: float
    unit: str | None = None  # None: no unit written (the target's own is assumed)
    direction: int = 0  # +1 提高…, -1 降低…, 0 a level (or a change without a word)


def read_value(text: str) -> Value | None:
    """The value a cell says, or None when it is not one (the row is refused with LS521)."""
    s = "".join(unicodedata.normalize("NFKC", text).split())
    if not s:
        return None
    direction = 0
    for words, sign in ((UP, 1), (DOWN, -1)):
        word = next((w for w in words if s.startswith(w)), None)
        if word:
            s, direction = s[len(word):], sign
            break
    if s in PLAIN:
        s = PLAIN[s]
    elif _CN_DIGITS.search(s):
        import warnings

        import cn2an  # loaded only for a value written in Chinese numerals

        try:
            with warnings.catch_warnings():  # cn2an warns of the 百 of 个百分点 it leaves alone
                warnings.simplefilter("ignore")
                s = cn2an.transform(s, "cn2an")
        except (ValueError, KeyError, IndexError):
            return None
    if thousands := _THOUSANDS.match(s):
        head = thousands.group(0)
        s = head.replace(",", "") + s[len(head):]
    m = _NUMBER.fullmatch(s)
    if m is None:
        return None
    unit = m.group("unit")
    return Value(float(m.group("num")), UNITS[unit] if unit else None, direction)


def compatible(written: str | None, target: str | None, relative: bool) -> bool:
    """Whether a value's unit of measure can be compared with the target's: the same unit (or none written);
    for a relative target (提高10%) a change in % or in 个百分点 either."""
    if written is None or target is None or written == target:
        return True
    if relative and {written, target} <= {"%", "个百分点"}:
        return True
    return (written == "元" and target == "万元") or (written == "万元" and target == "元")


def in_target_unit(value: Value, target: str | None) -> float:
    """元 and 万元 compared in the target's unit."""
    if value.unit == "万元" and target == "元":
        return value.num * 10_000
    if value.unit == "元" and target == "万元":
        return value.num / 10_000
    return value.num
