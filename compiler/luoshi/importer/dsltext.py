"""Writing values as DSL tokens: a name bare when the grammar reads it back as that name, quoted otherwise.

The rules follow grammar/luoshi.lark: a NAME may not contain white space, quotes, list separators, brackets or
comparison signs, may not start with a digit or a dash, and must not be a keyword (lark reads a keyword written
alone as the keyword). Everything else is quoted, with `\\` and `"` escaped; long texts use `\"\"\"…\"\"\"`
unless they contain three quotes in a row.
"""

from __future__ import annotations

import re
from functools import lru_cache

NAME = re.compile(r'[^\s\d"“”、，,（）(){}\[\]#:：;；<>=≥≤%‰\-—–~～][^\s"“”、，,（）(){}\[\]#:：;；<>=≥≤]*')


@lru_cache(maxsize=1)
def keywords() -> frozenset[str]:
    from luoshi.parse import parser

    return frozenset(t.pattern.value for t in parser().terminals if t.pattern.type == "str")


def quote(text: str) -> str:
    """A one-line quoted string, escaped."""
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{body}"'


def long_text(text: str) -> str:
    """`\"\"\"…\"\"\"` for original text (verbatim, may hold quotes); falls back to an escaped one-line string."""
    if '"""' in text or text.endswith('"') or text.startswith('"') or "\\" in text:
        return quote(text)
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    return '"""' + "\n\n".join(paragraphs) + '"""'


def bare_ok(name: str) -> bool:
    return bool(NAME.fullmatch(name)) and name not in keywords() and "//" not in name


def unit_token(name: str) -> str:
    """A unit name as a token: bare if the grammar reads it back whole, else quoted (then looked up whole)."""
    return name if bare_ok(name) else quote(name)


def name_token(name: str) -> str:
    """A metric or other NAME-or-STRING slot."""
    return name if bare_ok(name) else quote(name)
