"""What a lint rule is: a code and a pure function `corpus → Iterable[Diagnostic]`.

Rules never print, never read files and never look a unit up by name: they read the frozen model only, so the
drafting engine can lint a draft corpus that was never written to disk. Every message says what was found and
then what to do about it (`finding`), so an official reading one line knows the next step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from ..codes import CODES
from ..diagnostics import Diagnostic, Related
from ..model import Corpus
from ..source import Span

Check = Callable[[Corpus], Iterable[Diagnostic]]


@dataclass(frozen=True)
class Rule:
    code: str
    check: Check

    @property
    def name(self) -> str:
        return CODES[self.code].name


RULES: list[Rule] = []


def rule(code: str) -> Callable[[Check], Check]:
    """Register a check under its code; the registry keeps definition order (which is code order)."""

    def register(check: Check) -> Check:
        RULES.append(Rule(code, check))
        return check

    return register


def finding(code: str, span: Span | None, what: tuple[str, str], todo: tuple[str, str],
            related: Iterable[Related] = ()) -> Diagnostic:
    """A diagnostic whose message is the finding followed by what to do (中文；English)."""
    return Diagnostic(
        code=code,
        zh=f"{what[0]}；{todo[0]}",
        en=f"{what[1]}; {todo[1]}",
        span=span,
        severity=CODES[code].severity,
        related=tuple(related),
    )


def related(span: Span | None, zh: str, en: str) -> list[Related]:
    return [Related(span, zh, en)] if span is not None else []
