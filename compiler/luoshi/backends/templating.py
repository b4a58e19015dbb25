"""The jinja2 environment for generated documents, created per call (no shared state between renders), with
autoescape on for HTML and a filter that makes any text safe inside a Markdown table cell."""

from __future__ import annotations

import html
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

_MD_SPECIAL = "\\`*_[]|~"


def md_cell(text: object) -> str:
    """Text that stays one Markdown table cell and shows verbatim: HTML-escaped (no raw tags reach a renderer),
    Markdown punctuation backslash-escaped, `|` escaped, line breaks as <br>."""
    value = html.escape("" if text is None else str(text), quote=False)
    value = "".join("\\" + c if c in _MD_SPECIAL else c for c in value)
    return "<br>".join(line.strip() for line in value.splitlines()) if "\n" in value else value.strip()


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("luoshi", "templates"),
        autoescape=select_autoescape(["html", "html.j2"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = md_cell
    env.filters["url"] = quote
    return env
