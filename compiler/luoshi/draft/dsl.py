"""Writing DSL tokens that parse back to exactly what was meant. Names and one-line strings follow the importer's
rules (importer/dsltext.py: bare only when the grammar's NAME reads the name back, quoted otherwise); a 原文 here
keeps the block's indentation between paragraphs, so a draft reads like the encoded seeds."""

from __future__ import annotations

from ..importer.dsltext import bare_ok, quote

__all__ = ["long_text", "name", "quote"]


def long_text(text: str, indent: str) -> str:
    """A 原文: \"\"\"…\"\"\" with one paragraph per line (blank lines between paragraphs), or a quoted line when
    the text itself holds what would end a triple-quoted string."""
    paragraphs = [p.strip() for p in text.split("\n")]
    if '"""' in text or text.endswith('"') or text != text.strip() or not all(paragraphs):
        return quote(text)
    return '"""' + f"\n\n{indent}".join(paragraphs) + '"""'


def name(text: str) -> str:
    """A unit, metric or jurisdiction name: bare when it lexes as one NAME, quoted otherwise."""
    return text if bare_ok(text) else quote(text)
