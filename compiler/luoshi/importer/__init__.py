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
    document.py   `import_path` / `import_document`: read, build, print and check one draft (re-exported here lazily)
    links.py      落实 links from the draft's measures to the measures of the parent it carries out
    printer.py    the draft as AST nodes, written by unparse (the one DSL writer), parsed back before it is returned
    score.py      precision and recall of an import against an existing encoding
    unused.py     the paragraphs and rows of the document the draft does not carry (listed by --report)

The import never decides silently: what it cannot settle is written into the draft as `待定 "…"`, which
`luoshi check` reports (LS230) until a person resolves it, and is listed as an LS6xx diagnostic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .build import Options
    from .document import Imported, import_document, import_path
    from .readers import ReadError

__all__ = ["Imported", "Options", "ReadError", "import_document", "import_path"]

_HOME = {"Imported": "document", "import_document": "document", "import_path": "document", "Options": "build",
         "ReadError": "readers"}


def __getattr__(name: str) -> Any:
    """The entry points, imported on first use: the diagnostic code table imports `luoshi.importer.codes`
    on every `luoshi lint` and `check` that reports a finding, and must not load the importer for it (~0.1 s)."""
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(name)
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
