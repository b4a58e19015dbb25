"""Chinese numerals both ways, for the numbering documents print (一、 （二） 三是 第十二条) and the counts they write
(每年两次): one place, used by the resolver's printed labels, the backends' wording, the importer and comply's task
references. Reading goes through cn2an (the maintained converter); writing covers the small numbers headings use."""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"
_CN_VALUES = frozenset("〇零一二两三四五六七八九")
# One to ten in order (a character's index + 1 is its value): what numbered sub-items (一是…十是), quarters
# (一季度…四季度) and short counts (5年 · 三年) are written in. Patterns take their character classes from here.
CN_NUMERALS = "一二三四五六七八九十"
CN_COUNTS = "一两二三四五六七八九十"  # a count of times: 每年两次 (两 for 2 before a measure word)


def int_to_cn(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 35 → 三十五 (the numbers a document's headings use); 100 and up as digits."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "") if n < 100 else str(n)


def cn_to_int(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 二十三 → 23, 一百零五 → 105 (cn2an); Arabic digits pass through; None for
    anything that is not one number (一二, 二〇二〇 are not numerals of a count)."""
    if text.isdigit():
        return int(text)
    if not text or any(c not in _CN_VALUES and c not in "十百千万" for c in text) or \
            (len(text) > 1 and all(c in _CN_VALUES for c in text)):
        return None
    import cn2an  # loaded only when a text holds Chinese numerals

    try:
        value = cn2an.cn2an(text, "strict")
    except (ValueError, KeyError, IndexError):
        return None
    return int(value) if float(value).is_integer() else None
