"""Read a policy document — plain text, docx or HTML — into lines and table rows, keeping where each came from.

Nothing here interprets the document: the readers only undo the container (encoding, XML, tags). A table row
keeps its cells; a cell merged over several rows repeats its text in each (as python-docx reports it), so the
structure stage sees one convention whatever the format. Plain text extracted from PDF or a web page often
flattens a table into blocks of tab-indented lines (one cell a line, a blank line between rows): those blocks
are read back as rows.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path


@dataclass(frozen=True)
class Line:
    """A line of text, or a table row when `cells` is set. `line` is 1-based in the source (a paragraph number
    for docx)."""

    text: str
    line: int
    cells: tuple[str, ...] | None = None


@dataclass
class Document:
    path: str
    lines: list[Line]
    source_text: str | None = None  # the decoded text, for diagnostics that quote a line
    fmt: str = "txt"
    encoding: str = "utf-8"


class ReadError(Exception):
    def __init__(self, code: str, zh: str, en: str, line: int = 1, column: int = 1):
        super().__init__(en)
        self.code, self.zh, self.en, self.line, self.column = code, zh, en, line, column


FORMATS = {".txt": "txt", ".text": "txt", ".md": "txt", ".docx": "docx", ".html": "html", ".htm": "html"}


def read_document(path: Path, shown: str | None = None) -> Document:
    """Pick the reader by suffix, and by content for `.txt` files that hold an HTML fragment (crawled pages)."""
    shown = shown or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReadError("LS601", f"无法读取文件：{exc.strerror}", f"cannot read the file: {exc.strerror}") from None
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ReadError("LS603", f"不支持「{path.suffix or '无后缀'}」格式：可导入 .txt、.docx、.html",
                        f"unsupported format '{path.suffix}': import .txt, .docx or .html")
    if fmt == "docx":
        return Document(shown, read_docx(raw), None, "docx")
    text, encoding = decode_text(raw)
    if fmt == "txt" and _looks_like_html(text):
        fmt = "html"
    lines = read_html(text) if fmt == "html" else read_plain(text)
    return Document(shown, lines, text, fmt, encoding)


def decode_text(raw: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM), else GB18030 (a superset of GBK and GB2312, what Chinese Windows saves)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text, encoding = raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        try:
            text, encoding = raw.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            before = raw[: exc.start]
            raise ReadError("LS602", "文件既不是 UTF-8 也不是 GB18030 编码", "the file is neither UTF-8 nor GB18030",
                            before.count(b"\n") + 1, len(before[before.rfind(b"\n") + 1 :]) + 1) from None
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:2000].lower()
    return head.startswith("<") and bool(re.search(r"<(p|div|table|tbody|tr|td|span|html|body)\b", head))


# ───────────── plain text ─────────────


def read_plain(text: str) -> list[Line]:
    """Lines as they are; blocks of tab-indented lines become table rows (one cell a line)."""
    out: list[Line] = []
    raw = text.split("\n")
    i = 0
    while i < len(raw):
        if raw[i].startswith("\t"):
            start = i
            cells = []
            while i < len(raw) and raw[i].startswith("\t"):
                cells.append(raw[i][1:].strip())
                i += 1
            out.append(Line(" ".join(c for c in cells if c), start + 1, tuple(cells)))
            continue
        out.append(Line(raw[i], i + 1))
        i += 1
    return out


# ───────────── HTML ─────────────

_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "blockquote", "center", "title"}
_SKIP_TAGS = {"script", "style", "head"}


class _HtmlLines(HTMLParser):
    """Collect block texts and table rows in document order; rowspan/colspan cells repeat their text.

    Pages often wrap the whole text in a one-cell layout table: a row with a single cell holding paragraphs is
    read as those paragraphs, not as a table row."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[Line] = []
        self.buffer: list[str] = []
        self.buffer_line = 1
        self.skip = 0
        self.frames: list[dict] = []  # open table rows (tables nest): cells, the open cell, rowspans pending
        self.pending: dict[int, dict[int, tuple[str, int]]] = {}  # table depth → column → (text, rows left)

    @property
    def frame(self) -> dict | None:
        return self.frames[-1] if self.frames else None

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag == "br":
            self._text("\n")
        elif tag == "tr":
            self._flush()
            self.frames.append({"cells": [], "cell": None, "line": self.getpos()[0]})
        elif tag in ("td", "th") and self.frame is not None:
            attrs = dict(attrs)
            self.frame["cell"] = {"parts": [], "span": _int(attrs.get("colspan")), "rows": _int(attrs.get("rowspan"))}
        elif tag in _BLOCK_TAGS:
            self._block_break()

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in ("td", "th") and self.frame is not None and self.frame["cell"] is not None:
            cell = self.frame["cell"]
            self.frame["cells"].append(("".join(cell["parts"]), cell["span"], cell["rows"]))
            self.frame["cell"] = None
        elif tag == "tr" and self.frame is not None:
            self._end_row(self.frames.pop())
        elif tag in _BLOCK_TAGS:
            self._block_break()

    def handle_data(self, data):
        if not self.skip:
            self._text(data)

    def _open_cell(self) -> dict | None:
        return self.frame["cell"] if self.frame is not None else None

    def _text(self, data: str) -> None:
        cell = self._open_cell()
        if cell is not None:
            cell["parts"].append(data)
            return
        if not self.buffer:
            self.buffer_line = self.getpos()[0]
        self.buffer.append(data)

    def _block_break(self) -> None:
        cell = self._open_cell()
        if cell is not None:
            cell["parts"].append("\n")
        else:
            self._flush()

    def _flush(self) -> None:
        text = "".join(self.buffer)
        self.buffer = []
        for part in text.split("\n"):
            if part.strip():
                self.lines.append(Line(_squeeze(part), self.buffer_line))

    def _end_row(self, frame: dict) -> None:
        raw = frame["cells"]
        if len(raw) == 1 and raw[0][1] == 1 and "\n" in raw[0][0].strip():
            for part in raw[0][0].split("\n"):  # a layout cell: its paragraphs are the page's text
                if part.strip():
                    self.lines.append(Line(_squeeze(part), frame["line"]))
            return
        pending = self.pending.setdefault(len(self.frames), {})
        cells: list[str] = []
        column = 0
        queue = [(_squeeze(text), span, rows) for text, span, rows in raw]
        while queue or column in pending:
            if column in pending:
                text, left = pending.pop(column)
                if left > 1:
                    pending[column] = (text, left - 1)
                cells.append(text)
                column += 1
                continue
            text, span, rows = queue.pop(0)
            for _ in range(span):
                if rows > 1:
                    pending[column] = (text, rows - 1)
                cells.append(text)
                column += 1
        if any(cells):
            self.lines.append(Line(" ".join(dict.fromkeys(c for c in cells if c)), frame["line"], tuple(cells)))

    def close(self):
        super().close()
        self._flush()


def _int(value) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def _squeeze(text: str) -> str:
    return re.sub(r"[ \t\u00a0\u3000]+", " ", text.replace("\n", " ")).strip()


def read_html(text: str) -> list[Line]:
    parser = _HtmlLines()
    parser.feed(text)
    parser.close()
    return [Line(html.unescape(l.text), l.line, l.cells) for l in parser.lines]


# ───────────── docx ─────────────


def read_docx(raw: bytes) -> list[Line]:
    """Paragraphs and tables in body order (python-docx). A merged cell is reported once per grid cell it
    covers, with its text: horizontally merged repeats collapse to one cell, vertical merges repeat down."""
    import io
    import zipfile
    import zlib

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    from lxml.etree import XMLSyntaxError

    if raw.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE file: a legacy .doc renamed, or an encrypted docx
        raise ReadError("LS601", "不是有效的 docx 文件：这是旧版 .doc 或加密（设了打开密码）的文档，请在 Word 或 WPS 中另存为 docx",
                        "not a valid docx file: a legacy .doc or an encrypted (password-protected) document; save it as docx from Word or WPS")
    try:
        document = docx.Document(io.BytesIO(raw))
    except (PackageNotFoundError, KeyError, ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error, XMLSyntaxError) as exc:
        raise ReadError("LS601", f"不是有效的 docx 文件：{exc}", f"not a valid docx file: {exc}") from None
    out: list[Line] = []
    number = 0
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            number += 1
            text = Paragraph(child, document).text
            out += [Line(part, number) for part in text.split("\n")]
        elif tag == "tbl":
            for row in Table(child, document).rows:
                number += 1
                cells, seen = [], []
                for cell in row.cells:
                    if seen and cell._tc is seen[-1]:
                        continue  # a horizontally merged cell, reported once per grid column
                    seen.append(cell._tc)
                    cells.append(_squeeze(cell.text))
                if any(cells):
                    out.append(Line(" ".join(c for c in cells if c), number, tuple(cells)))
    return out


