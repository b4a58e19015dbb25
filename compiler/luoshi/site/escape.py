"""Escaping for everything a policy says that reaches the site: Markdown, raw HTML and Mermaid labels.

Policy text is data, never markup. Python-Markdown reads three languages at once (Markdown, raw HTML and, with
attr_list, `{: …}` attributes), so text is first HTML-escaped (no tag, entity or script reaches the browser)
and then every character Python-Markdown treats as syntax gets a backslash. The site's jinja2 environment uses
`md_inline` as its `finalize`, so a value a template forgets to filter is escaped anyway; only `Markup` (our own
links and tags) passes through.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata

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


_H1 = re.compile(r"^# (.+)$")
_MD_ESCAPED = re.compile(r"\\(.)")


def with_page_title(markdown: str, *, searchable: bool = True, toc: bool = True) -> str:
    """The page with a front-matter `title:` taken from its first `# heading`, as HTML-escaped text.

    Without it mkdocs-material writes the heading into `<title>` through `striptags`, which turns `&lt;` back
    into `<`: a policy title holding `</title><script>…` would leave the title element and run. The meta title
    is output as it stands, so the entities stay entities (the browser shows them as text in the tab and the
    header). The heading is unescaped (Markdown backslashes, then HTML entities) and escaped again, so a body
    written by another backend gets the same treatment as our own pages.

    A page that is not `searchable` is left out of the theme's search index (`search: exclude`). The site builds
    its own index (search.py), so `render_site` leaves every page out of the theme's: that index is never
    loaded, and segmenting every page with jieba only for it cost the build time.
    A page without a `toc` (one wide table, no headings to list) hides the right-hand column (`hide: [toc]`).
    """
    if markdown.startswith("---\n"):
        return markdown  # the template's own front matter (the home page, whose title is the site's)
    heading = None
    for line in markdown.splitlines():
        if line.startswith("```"):
            break
        match = _H1.match(line)
        if match:
            heading = match.group(1)
            break
    exclude = ("" if searchable else "search:\n  exclude: true\n") + ("" if toc else "hide:\n  - toc\n")
    if heading is None:
        return f"---\n{exclude}---\n\n{markdown}" if exclude else markdown
    text = html.unescape(_MD_ESCAPED.sub(r"\1", heading)).strip()
    text = "".join(c for c in text if not unicodedata.category(c).startswith("C"))
    title = json.dumps(html.escape(text, quote=True), ensure_ascii=False)  # JSON strings are YAML strings
    return f"---\ntitle: {title}\n{exclude}---\n\n{markdown}"
