"""`luoshi import`: a policy document (txt, Markdown, docx, HTML, PDF) → a DSL draft a person only has to review.

    readers.py    the container: encodings, front matter, docx paragraphs and tables, HTML blocks, PDF text,
                  pipe and tab-flattened tables
    flattened.py  tables flattened one cell a line, read back into rows by their header's column names
    keyedtable.py plan tables flattened one cell a line and keyed by unit (街镇), with no 序号
    clean.py      extraction noise: broken lines, page numbers, stray spaces
    structure.py  the document's layout: header, preamble, numbered parts, signature, annexes and tables
    clauses.py    （责任单位：…） clauses and the lead-first convention
    values.py     dates, deadlines, terms and numeric targets
    units.py      names → the corpus registry's units, or proposed registry entries
    items.py      parts and table rows → draft items (ids, kinds, units, values, sub-tasks)
    build.py      the whole draft policy, its jurisdiction and the documents it cites
    links.py      落实 links from the draft's measures to the measures of the parent it carries out
    printer.py    the draft as AST nodes, written by unparse (the one DSL writer), parsed back before it is returned
    score.py      precision and recall of an import against an existing encoding
    unused.py     the paragraphs and rows of the document the draft does not carry (listed by --report)

The import never decides silently: what it cannot settle is written into the draft as `待定 "…"`, which
`luoshi check` reports (LS230) until a person resolves it, and is listed as an LS6xx diagnostic.
"""

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
