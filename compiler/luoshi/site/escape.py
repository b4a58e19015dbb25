"""Escaping for everything a policy says that reaches the site: Markdown, raw HTML and Mermaid labels.

Policy text is data, never markup. Python-Markdown reads three languages at once (Markdown, raw HTML and, with
attr_list, `{: …}` attributes), so text is first HTML-escaped (no tag, entity or script reaches the browser)
and then every character Python-Markdown treats as syntax gets a backslash. The site's jinja2 environment uses
`md_inline` as its `finalize`, so a value a template forgets to filter is escaped anyway; only `Markup` (our own
links and tags) passes through.
"""

from __future__ import annotations

import html
import re

from markupsafe import Markup

# Python-Markdown's ESCAPED_CHARS plus `|` (tables). `~ : = ^ $` are left alone: the site enables no extension
# that gives them meaning, and a backslash before them would show.
_MD_SYNTAX = frozenset("\\`*_{}[]()>#+-.!|")
_SPACES = re.compile(r"\s+")


def _escape_chars(text: str) -> str:
    value = html.escape(text, quote=True)
    return "".join("\\" + c if c in _MD_SYNTAX else c for c in value)


def md_inline(value: object) -> Markup:
    """One line of Markdown that shows `value` verbatim: white space folded, HTML and Markdown escaped."""
    if isinstance(value, Markup):
        return value
    text = "" if value is None else str(value)
    return Markup(_escape_chars(_SPACES.sub(" ", text).strip()))


def md_block(value: object) -> Markup:
    """Paragraphs of Markdown: each source line its own paragraph (so no line can start a heading, list or
    code block), every line escaped like `md_inline`."""
    text = "" if value is None else str(value)
    lines = [md_inline(line) for line in text.splitlines() if line.strip()]
    return Markup("\n\n".join(lines))


def html_text(value: object) -> Markup:
    """Text for a raw HTML element that Markdown does not process (a diagram's <pre>)."""
    return Markup(html.escape("" if value is None else str(value), quote=True))


# Mermaid reads `#name;` / `#123;` entity codes inside labels; everything that could close the quoted label,
# start markup or a Markdown string is written as a code.
_MERMAID_CODES = {c: f"#{ord(c)};" for c in '"#<>&`{}[]|\\*_;%'}


def mermaid_label(value: object, limit: int | None = None) -> str:
    """Text for a quoted Mermaid label ("…"): one line, cut to `limit` characters, every special character as a
    Mermaid entity code."""
    text = _SPACES.sub(" ", "" if value is None else str(value)).strip()
    if limit and len(text) > limit:
        text = text[: limit - 1] + "…"
    return "".join(_MERMAID_CODES.get(c, c) for c in text)
