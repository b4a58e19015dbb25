"""Diagnostics are data: a code, a severity, a span, a bilingual message, related spans and a hint."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..syntax.source import Span
from .codes import CODES, Severity


@dataclass(frozen=True)
class Related:
    span: Span
    zh: str
    en: str


@dataclass(frozen=True)
class Diagnostic:
    code: str
    zh: str
    en: str
    span: Span | None
    severity: Severity
    hint_zh: str | None = None
    hint_en: str | None = None
    related: tuple[Related, ...] = ()

    def sort_key(self) -> tuple[str, int, int, str]:
        s = self.span
        return (s.file, s.line, s.column, self.code) if s else ("", 0, 0, self.code)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "name": CODES[self.code].name,
            "severity": self.severity.value,
            "message": self.en,
            "message_zh": self.zh,
        }
        if self.span:
            out["span"] = self.span.as_dict()
        if self.hint_en or self.hint_zh:
            out["hint"], out["hint_zh"] = self.hint_en, self.hint_zh
        if self.related:
            out["related"] = [{"span": r.span.as_dict(), "message": r.en, "message_zh": r.zh} for r in self.related]
        return out


@dataclass
class Sink:
    """Collects the diagnostics of a run; stages add to it and never raise for user errors."""

    items: list[Diagnostic] = field(default_factory=list)

    def emit(
        self,
        code_id: str,
        span: Span | None,
        zh: str,
        en: str,
        *,
        hint: tuple[str, str] | None = None,
        related: Iterable[Related] = (),
        severity: Severity | None = None,
    ) -> Diagnostic:
        d = Diagnostic(
            code=code_id,
            zh=zh,
            en=en,
            span=span,
            severity=severity or CODES[code_id].severity,
            hint_zh=hint[0] if hint else None,
            hint_en=hint[1] if hint else None,
            related=tuple(related),
        )
        self.items.append(d)
        return d

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(sorted(self.items, key=Diagnostic.sort_key))

    def __len__(self) -> int:
        return len(self.items)

    @property
    def error_count(self) -> int:
        return sum(1 for d in self.items if d.severity is Severity.ERROR)

    @property
    def warning_count(self) -> int:
        return sum(1 for d in self.items if d.severity is Severity.WARNING)

    def has_errors(self) -> bool:
        return self.error_count > 0
