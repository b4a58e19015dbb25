"""Source files and spans: where every AST and model node came from."""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pydantic loads when a model first asks for a span's schema: a lint edit or `--version` need not
    from pydantic import BaseModel, GetCoreSchemaHandler
    from pydantic_core import core_schema


class Span:
    """A region of a source file: 1-based line and column, end inclusive-exclusive like lark's.

    A slotted immutable value, not a pydantic model: the model and the registry hold one per node (89,000 at 1,000
    files, 1.3 million at 10,000 counting the registry's), and a pydantic span with its `__dict__` was ~340 bytes
    where this is 72 (bench/README.md, "Round 7"). Model fields typed `Span` still validate, dump and describe it
    as before (`__get_pydantic_core_schema__`): the same JSON object, the same JSON Schema."""

    __slots__ = ("column", "end_column", "end_line", "file", "line")
    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    def __init__(self, file: str, line: int, column: int, end_line: int, end_column: int) -> None:
        # through the slots' own descriptors (`_SLOTS`), as `object.__setattr__` would after looking each name up:
        # 1.2 µs a span instead of 1.95; the parse makes ~160 a file and unpickling an AST as many
        _file(self, file)
        _line(self, line)
        _column(self, column)
        _end_line(self, end_line)
        _end_column(self, end_column)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Span is immutable: cannot set {name}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Span is immutable: cannot delete {name}")

    def _key(self) -> tuple[str, int, int, int, int]:
        return (self.file, self.line, self.column, self.end_line, self.end_column)

    def __eq__(self, other: object) -> bool:
        return type(other) is Span and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (f"Span(file={self.file!r}, line={self.line!r}, column={self.column!r}, end_line={self.end_line!r}, "
                f"end_column={self.end_column!r})")

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    def __reduce__(self) -> tuple[type[Span], tuple[str, int, int, int, int]]:
        return Span, self._key()

    def __copy__(self) -> Span:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> Span:
        return self

    def replace(self, **changes: Any) -> Span:
        """This span with some fields changed (as `dataclasses.replace`)."""
        values = self.as_dict()
        unknown = set(changes) - set(values)
        if unknown:
            raise TypeError(f"Span has no field {sorted(unknown)[0]}")
        values.update(changes)
        return Span(**values)

    def as_dict(self) -> dict[str, Any]:
        """The span as corpus.json and `-f json` write it: its five fields, in this order."""
        return {"file": self.file, "line": self.line, "column": self.column, "end_line": self.end_line,
                "end_column": self.end_column}

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        """As a field of a pydantic model: a `Span` is taken as it is, a mapping (corpus.json read back) is validated
        by `_span_schema()` (the fields and JSON Schema of the pydantic span this class replaced: the wrapping validator
        keeps its JSON Schema a plain reference to it), and either dumps as its `as_dict`."""
        from pydantic_core import core_schema

        return core_schema.no_info_wrap_validator_function(
            _validate, handler.generate_schema(_span_schema()),
            serialization=core_schema.plain_serializer_function_ser_schema(Span.as_dict))


_set = object.__setattr__
_file, _line, _column, _end_line, _end_column = (getattr(Span, name).__set__ for name in
                                                 ("file", "line", "column", "end_line", "end_column"))


def _validate(value: object, fields: core_schema.ValidatorFunctionWrapHandler) -> Span:
    """A model field's span: a `Span` as it is, anything else (a dict) through `_span_schema()`."""
    if type(value) is Span:
        return value
    return Span(**fields(value).__dict__)


@cache
def _span_schema() -> type[BaseModel]:
    """The validator and JSON Schema of a span inside a model: the pydantic model `Span` was (the schema's
    definition is still called "Span", with its description). Made at the first model class that holds a span, so
    importing this module costs no pydantic."""
    from pydantic import ConfigDict, create_model

    return create_model(
        "Span", __doc__=Span.__doc__.split("\n")[0] if Span.__doc__ else None, __config__=ConfigDict(frozen=True),
        file=(str, ...), line=(int, ...), column=(int, ...), end_line=(int, ...), end_column=(int, ...))


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
