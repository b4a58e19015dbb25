"""Source files and spans: where every AST and model node came from."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from pydantic import BaseModel, ConfigDict


class Span(BaseModel):
    """A region of a source file: 1-based line and column, end inclusive-exclusive like lark's."""

    model_config = ConfigDict(frozen=True)

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class SourceFile:
    """A decoded source file. `path` is shown as given (relative paths stay relative). Immutable; equal when path
    and text are.

    `lines` is split from the text when first asked for: a full run over 10,000 files reads a file's lines only to
    show a diagnostic or find a suppression, and the split lines took as much memory as the text twice over
    (bench/README.md, "Round 6")."""

    __slots__ = ("_lines", "path", "text")
    path: str
    text: str
    _lines: tuple[str, ...] | None

    def __init__(self, path: str, text: str, lines: tuple[str, ...] | None = None) -> None:
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "_lines", lines)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"SourceFile is immutable: cannot set {name}")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SourceFile) and (self.path, self.text) == (other.path, other.text)

    def __hash__(self) -> int:
        return hash((self.path, self.text))

    def __repr__(self) -> str:
        return f"SourceFile(path={self.path!r}, text=<{len(self.text)} characters>)"

    def __reduce__(self) -> tuple[type[SourceFile], tuple[str, str]]:
        return SourceFile, (self.path, self.text)

    @staticmethod
    def of(path: str, text: str) -> SourceFile:
        return SourceFile(path=path, text=text)

    @property
    def lines(self) -> tuple[str, ...]:
        if self._lines is None:
            # Lines split at \n only, as lark counts them: str.splitlines also breaks at \x0c, \x85 and U+2028 (text
            # pasted from Word or PDF), which would show the wrong line under a diagnostic and slice the wrong text.
            text = self.text
            lines = text[:-1].split("\n") if text.endswith("\n") else text.split("\n") if text else []
            object.__setattr__(self, "_lines", tuple(lines))
            return tuple(lines)
        return self._lines

    def line(self, number: int) -> str:
        if 1 <= number <= len(self.lines):
            return self.lines[number - 1]
        return ""

    def slice(self, span: Span) -> str:
        """The exact source text a span covers (used to keep what officials wrote)."""
        if span.line == span.end_line:
            return self.line(span.line)[span.column - 1 : span.end_column - 1]
        parts = [self.line(span.line)[span.column - 1 :]]
        parts += [self.line(n) for n in range(span.line + 1, span.end_line)]
        parts.append(self.line(span.end_line)[: span.end_column - 1])
        return "\n".join(parts)


class DecodeError(Exception):
    """A source file that is not UTF-8; carries the line and column of the first bad byte."""

    def __init__(self, path: str, line: int, column: int, encoding_hint: str | None):
        super().__init__(path)
        self.path, self.line, self.column, self.encoding_hint = path, line, column, encoding_hint


BOM = b"\xef\xbb\xbf"


def source_text(raw: bytes) -> str:
    """A DSL file's bytes as text: UTF-8 (a BOM is accepted and dropped), newlines normalised to \\n; raises
    UnicodeDecodeError (`read_source` turns it into a located DecodeError)."""
    return raw.removeprefix(BOM).decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def read_source(path: Path, display: str | None = None) -> SourceFile:
    """Read a DSL file (see `source_text`)."""
    shown = display or str(path)
    raw = path.read_bytes().removeprefix(BOM)
    try:
        return SourceFile.of(shown, source_text(raw))
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        hint = "UTF-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else None  # Notepad's "Unicode"
        try:
            raw.decode("gb18030")
            hint = hint or "GB18030"
        except UnicodeDecodeError:
            pass
        raise DecodeError(shown, line, column, hint) from None


def display_width(text: str) -> int:
    """Terminal columns a string takes: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
