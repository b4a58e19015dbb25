"""Remove one protection, to see the test that guards it fail (not part of CI; run by hand):

    LUOSHI_MUTANT=set_text python3 -m pytest -p fuzz.mutants -q tests/test_injection.py

Each mutant swaps the code of one function (so every `from … import name` sees it too) or one setting for a
version without the protection. `LUOSHI_MUTANT=list` prints the names.
"""

from __future__ import annotations

import os
import re


def _swap(function, replacement) -> None:
    function.__code__ = replacement.__code__


def _no_autoescape():
    from luoshi.backends import templating

    templating.select_autoescape = lambda *a, **k: False


def _md_cell():
    from luoshi.backends import templating

    _swap(templating.md_cell, lambda text: "" if text is None else str(text))


def _site_escape():
    from luoshi.site import escape

    _swap(escape._escape_chars, lambda text: text)
    escape._MERMAID_CODES.clear()


def _py_literals():
    from luoshi.comply import suite

    source = suite.render

    def render(plan, _source=source):
        import jinja2

        original = jinja2.Environment.__init__

        def init(self, *a, **k):
            original(self, *a, **k)
            self.filters.__class__ = _NoRepr
        jinja2.Environment.__init__ = init
        try:
            return _source(plan)
        finally:
            jinja2.Environment.__init__ = original
    suite.render = render


class _NoRepr(dict):
    def __setitem__(self, key, value):
        super().__setitem__(key, str if key == "py" else value)


def _set_text():
    from luoshi.backends import office

    def set_text(cell, value):
        cell.value = "" if value is None else str(value)
    _swap(office.set_text, set_text)


def _csv_safe():
    from luoshi.backends import office

    _swap(office.csv_safe, lambda value: "" if value is None else str(value))


def _dot_quote():
    from luoshi.backends import graph_export

    _swap(graph_export._dot_quote, lambda text: f'"{text}"')


def _mermaid_text():
    from luoshi.backends import graph_export

    _swap(graph_export.mermaid_text, lambda text: str(text))


def _control_chars():
    from luoshi.syntax import parse

    parse._CONTROL = re.compile(r"(?!x)x")


def _render_control():
    from luoshi.diagnostics import render

    render._UNSHOWN = re.compile(r"(?!x)x")


def _lines_split():
    from luoshi.syntax import source

    def of(path, text):
        return source.SourceFile(path=path, text=text, lines=tuple(text.splitlines()))
    _swap(source.SourceFile.of.__func__ if hasattr(source.SourceFile.of, "__func__") else source.SourceFile.of, of)


def _max_depth():
    from luoshi.syntax import parse

    parse.MAX_DEPTH = 10**9


def _window():
    from luoshi.diagnostics import render

    render.SHOWN = 10**9


def _atomic():
    from luoshi.driver import output

    def atomic_write(path, data):
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data)
    _swap(output.atomic_write, atomic_write)


def _manifest_only():
    from luoshi.driver import output

    output.foreign_files = lambda root, names: []


def _outside_root():
    from luoshi.driver import output

    output.check_root = lambda root, project=None: None


MUTANTS = {
    "autoescape": _no_autoescape, "md_cell": _md_cell, "site_escape": _site_escape, "py_literals": _py_literals,
    "set_text": _set_text, "csv_safe": _csv_safe, "dot_quote": _dot_quote, "mermaid_text": _mermaid_text,
    "control_chars": _control_chars, "render_control": _render_control, "lines_split": _lines_split,
    "max_depth": _max_depth, "window": _window, "atomic": _atomic, "manifest_only": _manifest_only, "outside_root": _outside_root,
}


def pytest_configure(config):
    name = os.environ.get("LUOSHI_MUTANT")
    if name == "list":
        print("\n".join(MUTANTS))
    elif name:
        MUTANTS[name]()
