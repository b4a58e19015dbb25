"""`import_path` and `import_document`: one document in, a checked draft out (the package's entry points;
`luoshi.importer` re-exports them on first use, so importing `luoshi.importer.codes` costs none of this)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from luoshi import model
from luoshi.diagnostics import Sink
from luoshi.syntax.parse import parse_source
from luoshi.syntax.source import SourceFile

from .build import Issue, Options, Result, build_policy
from .clean import paragraphs
from .printer import render_policy, render_units
from .readers import Document, ReadError, read_document
from .structure import apply_front_matter, parse_layout
from .units import registry_of
from .unused import unused

__all__ = ["Imported", "Options", "ReadError", "import_document", "import_path"]


@dataclass
class Imported:
    document: Document
    result: Result
    policy_text: str
    units_text: str | None
    unused: list[tuple[int, str]] = field(default_factory=list)  # (line, text) the draft does not carry

    @property
    def issues(self) -> list[Issue]:
        return self.result.issues


def import_path(path: Path, corpus: model.Corpus, options: Options | None = None, shown: str | None = None) -> Imported:
    """Read and import one file; raises ReadError (with an LS6xx code) when it cannot be read at all."""
    return import_document(read_document(path, shown), corpus, options)


def import_document(document: Document, corpus: model.Corpus, options: Options | None = None) -> Imported:
    paras = paragraphs(document.lines)
    if not any(p.text for p in paras):
        raise ReadError("LS604", "文件中没有可识别的正文", "no text found in the document")
    layout = parse_layout(paras)
    apply_front_matter(layout, document.meta)
    result = build_policy(layout, corpus, registry_of(corpus), options or Options())
    for line, column, zh, en in document.unread:  # what the reader left out (a hidden sheet): said, never dropped
        result.issues.append(Issue("LS615", line, zh, en, column))
        result.policy.todos.append(zh)
    policy_text = render_policy(result.policy, document.path)
    units_text = None
    if result.proposals or result.jurisdiction:
        units_text = render_units(result.proposals, result.jurisdiction, document.path)
    _verify(policy_text, units_text)
    return Imported(document, result, policy_text, units_text, unused(paras, result.policy))


def _verify(*texts: str | None) -> None:
    """The draft must read back as DSL; if not, that is a bug here, reported with the offending line."""
    for text in texts:
        if text is None:
            continue
        sink = Sink()
        if parse_source(SourceFile.of("<draft>", text), sink) is None:
            d = next(iter(sink))
            at = d.span.line if d.span else 0
            line = text.splitlines()[at - 1] if d.span else ""
            raise ReadError("LS620", f"生成的草稿第 {at} 行无法解析：{d.zh}（{line.strip()[:60]}）",
                            f"the generated draft does not parse at line {at}: {d.en}")
