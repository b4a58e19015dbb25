"""The languages luoshi speaks and the one way a message is said in them: Chinese first, English after.

Every `--lang` option (and `LUOSHI_LANG`) takes a `Lang`, so `luoshi check --lang fr` and `luoshi table --lang fr`
are refused alike; every message with a Chinese and an English wording goes through `say`.
"""

from __future__ import annotations

from enum import StrEnum


class Lang(StrEnum):
    """A message language. A `StrEnum`, so a `Lang` is the plain string `"zh"` wherever a string is expected."""

    both = "both"
    zh = "zh"
    en = "en"


def say(zh: str, en: str, lang: str = Lang.both, sep: str = " · ") -> str:
    """The message in `lang`: the Chinese, the English, or both (`中文 · English`, the default for anything else).

    `sep` joins the two where the form needs another joint: a space in a table's head (`代码 code`), a blank line
    between the halves of a help paragraph."""
    if lang == Lang.zh:
        return zh
    if lang == Lang.en:
        return en
    return f"{zh}{sep}{en}"
