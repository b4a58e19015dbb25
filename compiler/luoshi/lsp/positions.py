"""Spans ↔ LSP positions. luoshi counts columns in characters from 1 (as lark does); LSP counts UTF-16 code units
from 0, so a character outside the Basic Multilingual Plane (rare CJK extension ideographs, 𠀋) counts twice."""

from __future__ import annotations

from lsprotocol import types

from ..syntax.source import SourceFile, Span


def utf16_column(line: str, column: int) -> int:
    """The LSP character offset of the 1-based character `column` of `line`."""
    prefix = line[: max(0, column - 1)]
    return len(prefix) + sum(1 for ch in prefix if ord(ch) > 0xFFFF)


def char_column(line: str, character: int) -> int:
    """The 1-based character column of the LSP (UTF-16) offset `character` of `line`."""
    units = 0
    for index, ch in enumerate(line):
        if units >= character:
            return index + 1
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(line) + 1


def to_range(span: Span, source: SourceFile | None) -> types.Range:
    """The LSP range of a span; without the source text, characters are taken as code units."""
    def at(line: int, column: int) -> types.Position:
        text = source.line(line) if source is not None else ""
        character = utf16_column(text, column) if source is not None else column - 1
        return types.Position(line=max(0, line - 1), character=max(0, character))

    return types.Range(start=at(span.line, span.column), end=at(span.end_line, span.end_column))


def contains(span: Span, line: int, column: int) -> bool:
    """Whether the 1-based (line, column) lies in the span (end exclusive, but the end column itself counts, so a
    cursor just after a name still finds it)."""
    if (line, column) < (span.line, span.column):
        return False
    return (line, column) <= (span.end_line, span.end_column)
