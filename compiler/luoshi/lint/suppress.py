"""Inline suppressions: `# luoshi: ignore[LS312] 本县无规划自然资源部门`.

Written at the end of the offending line, or on a line of its own just before it; several codes may be
listed (`ignore[LS312, LS313]`). The reason is required: a suppression without one suppresses nothing and is
reported (LS390), and one that matches no finding is reported too (LS391), so stale suppressions do not pile up.
Comments are read from the source text (the parser discards them), skipping quoted text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..diagnostics import Diagnostic
from ..diagnostics.codes import CODES
from ..syntax.source import SourceFile, Span
from .rule import finding

_TOKENS = re.compile(r'"""(?:.|\n)*?"""|"(?:[^"\\\n]|\\.)*"|(?P<comment>(?:#|//)[^\n]*)')
_DIRECTIVE = re.compile(r"luoshi\s*:\s*ignore\s*\[(?P<codes>[^\]]*)\](?P<reason>.*)$")
_SPLIT = re.compile(r"[\s,，、]+")


@dataclass
class Suppression:
    span: Span
    target_line: int
    codes: tuple[str, ...]
    reason: str
    used: set[str] = field(default_factory=set)


def suppressions(source: SourceFile) -> list[Suppression]:
    out: list[Suppression] = []
    if "luoshi" not in source.text:  # every directive names it (see _DIRECTIVE): most files have none to find
        return out
    lines = source.lines
    for m in _TOKENS.finditer(source.text):
        if m.group("comment") is None:
            continue
        directive = _DIRECTIVE.search(m.group("comment"))
        if directive is None:
            continue
        line = source.text.count("\n", 0, m.start()) + 1
        column = m.start() - (source.text.rfind("\n", 0, m.start()) + 1) + 1
        span = Span(file=source.path, line=line, column=column, end_line=line, end_column=column + len(m.group("comment")))
        own_line = not lines[line - 1][: column - 1].strip()
        target = _next_code_line(lines, line) if own_line else line
        codes = tuple(c.upper() for c in _SPLIT.split(directive.group("codes").strip()) if c)
        out.append(Suppression(span, target, codes, directive.group("reason").strip()))
    return out


def _next_code_line(lines: tuple[str, ...], line: int) -> int:
    """The first line after `line` that is neither blank nor only a comment."""
    for n in range(line + 1, len(lines) + 1):
        text = lines[n - 1].strip()
        if text and not text.startswith(("#", "//")):
            return n
    return line


def apply(diags: list[Diagnostic], sources: dict[str, SourceFile], quiet: set[str] | None = None
          ) -> tuple[list[Diagnostic], list[tuple[Diagnostic, str]], list[Diagnostic]]:
    """(kept, suppressed with their reasons, problems with the suppressions themselves).

    `quiet` is the set of codes not run or ignored by configuration: a suppression of those is not "unused".
    """
    found = {path: suppressions(src) for path, src in sorted(sources.items())}
    kept: list[Diagnostic] = []
    suppressed: list[tuple[Diagnostic, str]] = []
    for d in diags:
        match = None
        if d.span is not None:
            match = next((s for s in found.get(d.span.file, []) if s.reason and s.target_line == d.span.line and d.code in s.codes), None)
        if match is None:
            kept.append(d)
        else:
            match.used.add(d.code)
            suppressed.append((d, match.reason))
    return kept, suppressed, [p for subs in found.values() for s in subs for p in _problems(s, quiet or set())]


def _problems(s: Suppression, quiet: set[str]) -> Iterator[Diagnostic]:
    shown = ", ".join(s.codes) or "—"
    if not s.reason:
        yield finding("LS390", s.span, (f"忽略注释 ignore[{shown}] 没有写明理由，因此不起作用", f"the suppression ignore[{shown}] gives no reason, so it suppresses nothing"),
                      ("请在「]」后写明理由，如「# luoshi: ignore[LS312] 本县无规划自然资源部门」", "write the reason after ']', e.g. '# luoshi: ignore[LS312] no such bureau here'"))
        return
    if not s.codes:
        yield finding("LS391", s.span, ("忽略注释没有列出代码", "the suppression lists no code"),
                      ("请在方括号中写明要忽略的代码，如 ignore[LS312]", "name the codes in the brackets, e.g. ignore[LS312]"))
    for code in s.codes:
        if code not in CODES or not code.startswith("LS3"):
            yield finding("LS391", s.span, (f"「{code}」不是 lint 规则代码", f"'{code}' is not a lint rule code"),
                          ("请核对代码（luoshi lint --explain 代码）", "check the code (luoshi lint --explain CODE)"))
        elif code not in s.used and code not in quiet:
            yield finding("LS391", s.span, (f"忽略注释 ignore[{code}] 所在处没有 {code} 问题", f"ignore[{code}] matches no {code} finding"),
                          ("问题已解决的，请删去这条注释", "if the finding is gone, remove the comment"))
