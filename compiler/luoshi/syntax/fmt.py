"""`luoshi fmt`: a policy or units file rewritten in the one layout `unparse` writes, keeping every comment.

The parser drops comments, so they are collected by the lexer (a parser built with a COMMENT callback) and put
back by source line: a comment on a line of its own goes before the first printed line whose source starts
below it, at that line's indentation; a comment after code goes back at the end of the printed line that ends
on its source line. The author's blank lines are kept (at most one in a row, none just inside braces).
A comment the layout cannot place so — inside a statement written over several lines, or after code that the
layout splits over several lines where it is a `# luoshi: ignore[…]` that names a line — is refused with a
located LS106 and the file left as it is: a formatter that moves a suppression changes what lint reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lark import Lark, Token

from ..diagnostics import Sink
from .parse import grammar_text, parse_ast
from .source import SourceFile, Span
from .unparse import INDENT, Line, layout

_DIRECTIVE = re.compile(r"luoshi\s*:\s*ignore\s*\[")


@dataclass(frozen=True)
class Comment:
    line: int
    column: int
    text: str
    own_line: bool  # nothing but white space before it on its line


@lru_cache(maxsize=1)
def _comment_parser() -> tuple[Lark, list[Token]]:
    """The grammar's parser with a callback that keeps each COMMENT token (the shared parser drops them)."""
    found: list[Token] = []
    lark = Lark(grammar_text(), parser="lalr", lexer="contextual", propagate_positions=True,
                maybe_placeholders=False, lexer_callbacks={"COMMENT": found.append})
    return lark, found


def comments(source: SourceFile) -> list[Comment]:
    """The comments of a file that parses, in order."""
    lark, found = _comment_parser()
    found.clear()
    lark.parse(source.text)
    out = []
    for tok in found:
        line, column = tok.line or 1, tok.column or 1
        before = source.line(line)[: column - 1]
        out.append(Comment(line, column, str(tok).rstrip(), not before.strip()))
    found.clear()
    return out


def format_source(source: SourceFile, sink: Sink) -> str | None:
    """The formatted text of `source`, or None (with diagnostics in `sink`) when it does not parse or holds a
    comment that cannot be placed."""
    unit = parse_ast(source, sink)
    if unit is None:
        return None
    return _weave(layout(unit.decls), comments(source), source, sink)


def _refuse(sink: Sink, source: SourceFile, c: Comment, zh: str, en: str) -> None:
    span = Span(file=source.path, line=c.line, column=c.column, end_line=c.line, end_column=c.column + len(c.text))
    sink.emit("LS106", span, f"无法在格式化后的文件中安放此注释：{zh}", f"cannot place this comment in the formatted file: {en}",
              hint=("把注释移到它所说明的语句之前的单独一行", "move the comment to a line of its own before the statement it is about"))


def _weave(lines: list[Line], notes: list[Comment], source: SourceFile, sink: Sink) -> str | None:
    text_lines = source.text.split("\n")

    def blank_between(after: int, before: int) -> bool:
        """Whether the source has an empty line strictly between lines `after` and `before`."""
        return any(not text_lines[k - 1].strip() for k in range(max(after + 1, 1), min(before, len(text_lines) + 1)))

    starts: dict[int, int] = {}
    for line in lines:
        if line.start is not None:
            starts[line.start] = starts.get(line.start, 0) + 1
    out: list[str] = []
    last: Line | None = None  # the last printed line of code
    last_end = 0  # the source line the last printed thing (code or comment) ends on
    refused = False
    i = 0

    def put_comments(upto: int | None, next_line: Line | None) -> None:
        nonlocal i, last_end, refused
        while i < len(notes) and (upto is None or notes[i].line < upto):
            c = notes[i]
            i += 1
            if not c.own_line:
                if last is None or last.end != c.line:
                    _refuse(sink, source, c, "它跟在一条跨行语句的中间", "it follows code inside a statement written over several lines")
                    refused = True
                elif _DIRECTIVE.search(c.text) and starts.get(c.line, 0) > 1:
                    _refuse(sink, source, c, "它所在的一行会被拆成几行", "the line it ends is split over several lines")
                    refused = True
                else:
                    out[-1] += "  " + c.text
                continue
            if last is not None and last.start is not None and last.end is not None and last.start < c.line < last.end:
                _refuse(sink, source, c, "它在一条跨行语句的中间", "it stands inside a statement written over several lines")
                refused = True
                continue
            if _DIRECTIVE.search(c.text) and next_line is not None and next_line.start is not None \
                    and starts.get(next_line.start, 0) > 1 and not blank_between(c.line, next_line.start):
                _refuse(sink, source, c, "它所指的下一行会被拆成几行", "the line it applies to is split over several lines")
                refused = True
                continue
            depth = 0 if next_line is None else next_line.depth + (1 if next_line.close else 0)
            wanted = blank_between(last_end, c.line) or (not attached and next_line is not None and next_line.blank)
            if out and wanted and out[-1] != "" and not out[-1].endswith("{"):
                out.append("")  # the layout's blank line before a node goes before the comments on it
            out.append(INDENT * depth + c.text)
            last_end = c.line
            attached.append(c)

    for line in lines:
        attached: list[Comment] = []
        put_comments(line.start, line)
        opened = bool(out) and out[-1].endswith("{")
        if out and not opened and not line.close and out[-1] != "" and (
                (line.blank and not attached) or (line.start is not None and blank_between(last_end, line.start))):
            out.append("")
        out.append(INDENT * line.depth + line.text)
        last = line
        last_end = line.end if line.end is not None else last_end
    attached = []
    put_comments(None, None)
    if refused:
        return None
    return "\n".join(out) + "\n" if out else ""
