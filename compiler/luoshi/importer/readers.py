"""Read a policy document — plain text, Markdown, docx, HTML or PDF — into lines and table rows, keeping where
each came from.

Nothing here interprets the document: the readers only undo the container (encoding, XML, tags). A table row
keeps its cells; a cell merged over several rows repeats its text in each (as python-docx reports it), so the
structure stage sees one convention whatever the format. Plain text extracted from PDF or a web page often
flattens a table into blocks of tab-indented lines (one cell a line, a blank line between rows): those blocks
are read back as rows.

Archives keep official texts as Markdown with a YAML front matter (标题/文号/发布单位/发布日期 …) and a note
quoted at the top: the front matter is read into `Document.meta` and dropped from the lines, the leading quoted
note is dropped, heading marks (#) are removed and pipe tables become rows. PDF is read through its text layer
(pypdf); a PDF without one (a scan) is refused with LS607 rather than imported empty.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TypedDict


@dataclass(frozen=True)
class Line:
    """A line of text, or a table row when `cells` is set. `line` is 1-based in the source (a paragraph number
    for docx)."""

    text: str
    line: int
    cells: tuple[str, ...] | None = None
    starts: bool = False  # a paragraph starts here (Markdown: after a blank line or a heading, or a heading)
    carried: tuple[str, ...] = ()  # a table row's columns filled from the row above (a merged cell, inferred)


@dataclass
class Document:
    path: str
    lines: list[Line]
    source_text: str | None = None  # the decoded text, for diagnostics that quote a line
    fmt: str = "txt"
    encoding: str = "utf-8"
    meta: dict[str, str] = field(default_factory=dict)  # a Markdown front matter's fields, as written
    unread: list[tuple[int, int, str, str]] = field(default_factory=list)  # (line, column, zh, en): what the reader left out, said


class ReadError(Exception):
    def __init__(self, code: str, zh: str, en: str, line: int = 1, column: int = 1):
        super().__init__(en)
        self.code, self.zh, self.en, self.line, self.column = code, zh, en, line, column


FORMATS = {".txt": "txt", ".text": "txt", ".md": "txt", ".markdown": "txt", ".docx": "docx", ".html": "html",
           ".htm": "html", ".pdf": "pdf", ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".et": "xls"}


# A policy with its annexes is well under 5 MB; past this the import would run for minutes (bench/import_big.py).
MAX_BYTES = 20 * 2**20


def read_document(path: Path, shown: str | None = None) -> Document:
    """Pick the reader by suffix, and by content for text files that hold an HTML page (saved pages) or start with a
    front matter (Markdown archives), whatever their suffix says."""
    from .workbook import is_workbook, read_workbook

    shown = shown or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:  # checked before reading: a 1 GB file is refused at once, not after minutes
            raise ReadError("LS601", f"文件过大（{size / 2**20:.2f} MB，上限 {MAX_BYTES // 2**20} MB）：请按正文和附件拆分为"
                            "多个文件分别导入",
                            f"the file is too large ({size / 2**20:.2f} MB, the limit is {MAX_BYTES // 2**20} MB): "
                            "split it (body, annexes) into several files and import each")
        raw = path.read_bytes()
    except OSError as exc:
        raise ReadError("LS601", f"无法读取文件：{exc.strerror}", f"cannot read the file: {exc.strerror}") from None
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ReadError("LS603", f"不支持「{path.suffix or '无后缀'}」格式：可导入 .txt、.md、.docx、.html、.pdf、.xlsx、.xls、.et"
                        + ("（旧版 .doc 请在 Word 或 WPS 中另存为 .docx）" if path.suffix.lower() in (".doc", ".wps") else ""),
                        f"unsupported format '{path.suffix}': import .txt, .md, .docx, .html, .pdf, .xlsx, .xls or .et"
                        + (" (save an old .doc as .docx from Word or WPS)" if path.suffix.lower() in (".doc", ".wps") else ""))
    if fmt == "xlsx" or (fmt == "xls" and is_workbook(raw)):  # an .xls that is a page or text (a site's export) is read as one
        lines, unread, source = read_workbook(raw)
        return Document(shown, lines, source, fmt, unread=unread)
    if fmt == "docx":
        return Document(shown, read_docx(raw), None, "docx")
    if fmt == "pdf":
        lines = read_pdf(raw)
        return Document(shown, lines, "\n".join(l.text for l in lines), "pdf")
    text, encoding = decode_text(raw)
    if fmt in ("txt", "xls") and _looks_like_html(text):
        fmt = "html"
    meta: dict[str, str] = {}
    if fmt == "html":
        lines = read_html(text)
        if _is_page(text):
            meta = page_meta(text, lines)
            lines = main_text(lines, meta.get("标题") or _page_title(text))
    else:
        meta, lines = read_markdown(text, path.suffix.lower() in (".md", ".markdown"))
        if meta or path.suffix.lower() in (".md", ".markdown"):
            fmt = "md"
    return Document(shown, lines, text, fmt, encoding, meta)


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
    """Lines as they are; blocks of tab-indented lines become table rows (one cell a line), and so do tables
    flattened one cell a line under a header of known column names (`flattened.py`)."""
    from .flattened import unflatten

    return unflatten(_read_tabbed(text))


def _read_tabbed(text: str) -> list[Line]:
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


# ───────────── Markdown ─────────────

_FRONT_FIELD = re.compile(r"^([^:：\s][^:：]{0,20})\s*[:：]\s*(.*?)\s*$")
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def front_matter(text: str) -> tuple[dict[str, str], int]:
    """A leading `---` … `---` block of `key: value` lines → (fields, lines it takes); ({}, 0) without one."""
    raw = text.split("\n")
    if not raw or raw[0].strip() != "---":
        return {}, 0
    meta: dict[str, str] = {}
    for i in range(1, min(len(raw), 60)):
        line = raw[i].strip()
        if line in ("---", "..."):
            return meta, i + 1
        m = _FRONT_FIELD.match(line)
        if m:
            meta[m.group(1).strip()] = m.group(2).strip().strip("\"'")
        elif line and not line.startswith(("#", "-", " ")):
            return {}, 0  # not YAML: a rule line that happens to open the text
    return {}, 0


def read_markdown(text: str, markdown: bool = False) -> tuple[dict[str, str], list[Line]]:
    """Plain text that may be Markdown: the front matter read and dropped, the quoted note before the text
    dropped, heading marks removed, pipe tables as rows; anything else as `read_plain` reads it. In a Markdown
    text (a front matter, or `markdown`) a blank line or a heading always starts a paragraph; whether the lines
    of one block are one paragraph is left to clean.py, as archives often keep one paragraph a line."""
    meta, skip = front_matter(text)
    markdown = markdown or bool(meta)
    raw = text.split("\n")
    kept: list[str] = [""] * skip
    starts: set[int] = set()
    started, after_break = False, True
    for i, line in enumerate(raw[skip:], start=skip):
        stripped = line.strip()
        if not started and stripped.startswith(">"):
            kept.append("")  # the archive's note above the text (source, copyright), not the document
            continue
        if stripped:
            started = True
        m = re.match(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", line)
        if stripped and (after_break or m):
            starts.add(i + 1)
        after_break = not stripped or bool(m)
        kept.append(m.group(1) if m else line)
    lines = _pipe_tables(read_plain("\n".join(kept)))
    if markdown:
        lines = [Line(l.text, l.line, l.cells, True) if l.line in starts and l.cells is None else l for l in lines]
    return meta, lines


def _pipe_tables(lines: list[Line]) -> list[Line]:
    """`| a | b |` lines (with a `|---|---|` rule under the header) → table rows; the rule line is dropped."""
    out: list[Line] = []
    for i, line in enumerate(lines):
        text = line.text.strip()
        if line.cells is None and text.startswith("|") and text.endswith("|") and len(text) > 2:
            in_table = any(_PIPE_RULE.match(l.text) for l in lines[max(0, i - 200): i + 2]
                           if l.text.strip().startswith("|"))
            if in_table:
                if _PIPE_RULE.match(text):
                    continue
                cells = tuple(c.strip() for c in re.split(r"(?<!\\)\|", text[1:-1]))
                out.append(Line(" ".join(c for c in cells if c), line.line, cells))
                continue
        out.append(line)
    return out


# ───────────── PDF ─────────────


def read_pdf(raw: bytes) -> list[Line]:
    """The text layer, page by page (pypdf); the line numbers are counted over all pages. Broken lines, page
    numbers and stray spaces are left to clean.py, as for any extracted text."""
    import io
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    quiet = logging.getLogger("pypdf")  # pypdf logs what it repairs ("EOF marker not found") on stderr: the
    level = quiet.level                   # diagnostic below says it once, located, in both languages
    quiet.setLevel(logging.CRITICAL)
    try:
        reader = PdfReader(io.BytesIO(raw))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise ReadError("LS601", f"不是有效的 PDF 文件（{exc}）：文件可能已损坏或并非 PDF，请用 PDF 阅读器打开并另存后再导入",
                        f"not a valid PDF file ({exc}): it may be damaged or not a PDF; open it in a PDF reader, "
                        "save it again and import that") from None
    finally:
        quiet.setLevel(level)
    if not any(p.strip() for p in pages):
        raise ReadError("LS607", "PDF 没有文字层（可能是扫描件）：请先做文字识别（OCR）再导入",
                        "the PDF has no text layer (a scan?): run OCR on it first, then import")
    return read_plain("\n".join(p.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n") for p in pages))


# ───────────── HTML ─────────────

_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "blockquote", "center", "title"}
_SKIP_TAGS = {"script", "style", "head"}


class _Cell(TypedDict):
    """An open table cell: its text parts, colspan and rowspan."""

    parts: list[str]
    span: int
    rows: int


class _Frame(TypedDict):
    """An open table row: its finished cells (text, colspan, rowspan), the open cell, the row's source line; a
    layout row (its one cell holds the page's paragraphs and tables) and, for a table nested in a data cell, the
    outer cell its rows belong to."""

    cells: list[tuple[str, int, int]]
    cell: _Cell | None
    line: int
    layout: bool
    into: _Cell | None


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
        self.frames: list[_Frame] = []  # open table rows (tables nest): cells, the open cell, rowspans pending
        self.pending: dict[int, dict[int, tuple[str, int]]] = {}  # table depth → column → (text, rows left)

    @property
    def frame(self) -> _Frame | None:
        return self.frames[-1] if self.frames else None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag == "br":
            self._text("\n")
        elif tag == "tr":
            self._flush()
            outer = self._open_cell()
            if outer is not None and self.frame is not None and not self.frame["cells"]:
                # a table inside the first cell of a row (绛县's page: the body and its annex table inside one
                # layout cell): the cell is the page, its paragraphs so far are lines, in order before the table
                self.frame["layout"] = True
                self._emit(outer["parts"], self.frame["line"])
                outer["parts"] = []
                outer = None
            self.frames.append({"cells": [], "cell": None, "line": self.getpos()[0], "layout": False, "into": outer})
        elif tag in ("td", "th") and self.frame is not None:
            named = dict(attrs)
            self.frame["cell"] = {"parts": [], "span": _int(named.get("colspan")), "rows": _int(named.get("rowspan"))}
        elif tag in _BLOCK_TAGS:
            self._block_break()

    def handle_endtag(self, tag: str) -> None:
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

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self._text(data)

    def _open_cell(self) -> _Cell | None:
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

    def _emit(self, parts: list[str], line: int) -> None:
        for part in "".join(parts).split("\n"):
            if part.strip():
                self.lines.append(Line(_squeeze(part), line))

    def _end_row(self, frame: _Frame) -> None:
        raw = frame["cells"]
        if frame["into"] is not None:  # a table inside a data cell (具体措施 listed in a small table): its rows
            text = "；".join(t.strip() for t, _, _ in raw if t.strip())  # are the cell's text, one clause each
            if text:
                parts = frame["into"]["parts"]
                parts += ["；", text] if "".join(parts).strip() else [text]
            return
        if frame["layout"] or (len(raw) == 1 and raw[0][1] == 1 and "\n" in raw[0][0].strip()):
            for text, _, _ in raw:  # a layout cell: its paragraphs are the page's text
                self._emit([text], frame["line"])
            return
        pending = self.pending.setdefault(len(self.frames), {})
        cells: list[str] = []
        column = 0
        queue = [(_cell_text(text), span, rows) for text, span, rows in raw]
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

    def close(self) -> None:
        super().close()
        self._flush()


def _int(value: str | None) -> int:
    """A colspan / rowspan: at least 1 and at most 200 (a page's 「colspan="1000000000"」 must not hang the import)."""
    if value is None:
        return 1
    try:
        return min(200, max(1, int(value)))
    except ValueError:
        return 1


def _squeeze(text: str) -> str:
    return re.sub(r"[ \t\u00a0\u3000]+", " ", text.replace("\n", " ")).strip()


# The last word of an organ's name, for a cell's lines (a subset of clean.ORG_SUFFIX, which imports this module).
_ORGAN_LINE = re.compile(r"^[\u4e00-\u9fff（）()]{2,24}(?:局|委|办|厅|部|院|会|中心|政府|办事处|公司|集团|分行|所|队|站|室)$")


# A person's name on a line of its own, as a 牵头领导 / 责任领导 cell prints one leader a line: a common surname (the
# hundred commonest cover nearly all officials' names) and one to three given characters, a post in brackets after
# it allowed (「张三（副区长）」). 「长期」 / 「坚持」 or 「全年」 / 「推进」 on two lines are not names.
_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔"
             "钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
_PERSON_LINE = re.compile(rf"^(?:欧阳|司马|诸葛|上官|[{_SURNAMES}])[\u4e00-\u9fff]{{1,2}}(?:[（(][\u4e00-\u9fff、]{{2,12}}[）)])?$")


def _cell_text(text: str) -> str:
    """A table cell's text. Unit cells print one unit a line (谯城's 「区财政局<br/>区税务局」, a docx cell with a
    paragraph per unit): when every line of a cell is an organ's name, the lines are a list, joined with 、 —
    squeezed into one line they read as one name 「区财政局区税务局」. Other cells are text wrapped over lines."""
    lines = [_squeeze(line) for line in text.split("\n") if _squeeze(line)]
    for i in range(len(lines) - 1, 0, -1):  # 余杭 「区发改局」 / 「（区金融办）」: the other name of the unit above
        if re.fullmatch(r"[（(][^（）()]{2,20}[）)]", lines[i]) and _ORGAN_LINE.match(lines[i - 1]):
            lines[i - 1: i + 1] = [lines[i - 1] + lines[i]]
    if len(lines) > 1 and all(_ORGAN_LINE.match(re.sub(r"[（(][^（）()]*[）)]$", "", line)) for line in lines):
        return "、".join(lines)
    if len(lines) > 1 and all(_PERSON_LINE.match(line) for line in lines):  # a 领导 cell: 「张三」 / 「李四」
        return "、".join(lines)
    return _squeeze(text)


def _is_page(text: str) -> bool:
    """A whole saved page (with the site's header, menus and footer), not a fragment of the text."""
    return bool(re.search(r"<html[\s>]|<body[\s>]", text[:5000], re.I))


_META_TAGS = {"ArticleTitle": "标题", "PubDate": "发布日期", "ContentSource": "发布单位"}
_PAGE_FIELDS = {"名称": "标题", "标题": "标题", "文号": "文号", "发文字号": "文号", "成文日期": "成文日期", "发布日期": "发布日期",
                "发布机构": "发布单位", "发文机关": "发布单位"}


def page_meta(text: str, lines: list[Line]) -> dict[str, str]:
    """What a government page states about the document outside its text: the <meta> tags (ArticleTitle,
    PubDate, ContentSource) and the 索引号/文号/成文日期 box many portals put above it."""
    meta: dict[str, str] = {}
    for m in re.finditer(r"<meta\s+name=[\"'](\w+)[\"']\s+content=[\"']([^\"']*)[\"']", text[:20000], re.I):
        key = _META_TAGS.get(m.group(1))
        value = html.unescape(m.group(2)).strip()
        if key and value and value not in ("本网", "本站"):
            meta.setdefault(key, value)
    for line in lines:
        if len(line.text) > 160:
            continue
        cells = list(line.cells or (line.text,))
        for i, cell in enumerate(cells):  # `文号：X` in one cell, or `文号：` | `X` in two, or `文    号` | `X` (蔡甸)
            if line.cells and (field := _PAGE_FIELDS.get(_fold(cell))) and i + 1 < len(cells) and cells[i + 1].strip():
                meta.setdefault(field, cells[i + 1].strip())
            for m in re.finditer(r"(名称|标题|文号|发文字号|成文日期|发布日期|发布机构|发文机关)\s*[：:]\s*(\S*)", cell):
                value = m.group(2) or (cells[i + 1].strip() if i + 1 < len(cells) else "")
                if value:
                    meta.setdefault(_PAGE_FIELDS[m.group(1)], value)
    return meta


def _page_title(text: str) -> str | None:
    """The document's title as the page's <title> gives it, the site's name after it cut off (华容 「2021年县政府重点
    工作任务(华政发〔2021〕2号)-华容县人民政府」): where the text starts, when no 名称 / ArticleTitle says so."""
    m = re.search(r"<title[^>]*>([^<]{4,300})</title>", text[:20000], re.I)
    if not m:
        return None
    title = re.split(r"\s*(?:[-_|｜—–]+)\s*(?=[^-_|｜—–]*$)", html.unescape(m.group(1)).strip())[0]
    return title if len(title) >= 6 else None


def main_text(lines: list[Line], title: str | None) -> list[Line]:
    """The document's text inside a saved page: the run of lines densest in prose (each line counted up to 300
    characters, so a page that repeats the body as one long line does not win; a menu or footer line counts
    against), widened back to the title's last mention before it and on to the signature and date after it."""
    def score(line: Line) -> int:
        filled = [c for c in line.cells or () if c]
        if filled and any(_PAGE_LABEL.match(_fold(c)) for c in filled) and len(line.text) < 120:
            return -12  # the page's 索引号 / 发布机构 box
        prose = (len(line.text) >= 15 and re.search(r"[，。；,;]", line.text)) or len(filled) >= 2
        # 蔡甸's 方案: 「（一）地区生产总值增长6.5%以上」 over 「责任单位：区发展和改革局」, short lines of the text all the
        # same — a numbered line or a unit label is the document's, however short (a menu is neither)
        return min(len(line.text), 300) if prose or _TEXT_LINE.match(line.text) else -12

    best, best_range, run, run_start = 0, None, 0, 0
    for i, line in enumerate(lines):
        if run <= 0:
            run, run_start = 0, i
        run += score(line)
        if run > best:
            best, best_range = run, (run_start, i + 1)
    if best_range is None:
        return lines
    start = best_range[0]
    key = _fold(title) if title else None
    for i in range(start - 1, max(-1, start - 40), -1):
        if key and _fold(lines[i].text) == key:
            start = i
            break
    else:  # no <title> to find: the issuer and a title broken over lines above the addressees (绛县: 「…办公室」 /
        # 「关于印发…的通知」), and the 文号 above them
        while start > 0 and best_range[0] - start < 4 and (_HEAD_LINE.match(_fold(lines[start - 1].text))
                                                         or _DOC_NUMBER_LINE.match(lines[start - 1].text)):
            start -= 1
    number = [l for l in lines[max(0, start - 3):start] if _DOC_NUMBER_LINE.match(l.text)]  # 文号 over the title
    head = number + [l for l in lines[start:best_range[0]]
                     if not _PAGE_LABEL.match(_fold(l.text)) and not _PAGE_STAMP.match(l.text) and len(l.text.strip("-— ")) >= 6]
    return head + lines[best_range[0]:_end(lines, best_range[1])]


_TEXT_LINE = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[.、．](?!\d)|"
                        r"(?:责任单位|牵头单位|配合单位|责任部门|牵头部门|配合部门|协办单位|完成时限)\s*[：:]).{2,}")
_PAGE_STAMP = re.compile(r"^\s*\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?(?:\s+\S{2,20})?\s*$")
_HEAD_LINE = re.compile(r"^([^，。：:]{0,60}关于[^。]{2,80}的(通知|意见|决定|批复|函|报告)|[^，。：:、]{2,30}(人民政府|办公厅|办公室|委员会|局|厅))$")
_DOC_NUMBER_LINE = re.compile(r"^\s*[\u4e00-\u9fff]{1,12}\s*[〔［\[【(（]\s*\d{4}\s*[〕］\]】)）]\s*第?\s*\d{1,5}\s*号\s*$")
_PAGE_LABEL = re.compile(r"^\s*(索引号|分类|发布机构|成文日期|名称|文号|发布日期|主题词|发表时间|信息来源|浏览量|来源|"
                         r"作者|时间|字号|字体|【?打印|【?关闭|分享)\s*[：:【]?|^\s*【")


def _end(lines: list[Line], end: int) -> int:
    """Past the densest run: the signature, the date, （此件…） and 附件 lines that close the text."""
    first = end
    while end < len(lines) and end - first < 8 and re.fullmatch(
            r"\s*(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[^，。：:]{2,30}(办公厅|办公室|政府|委员会|局|委|办事处)|（此件[^）]*）|附件.*)\s*",
            lines[end].text):
        end += 1
    return end


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", text)


def read_html(text: str) -> list[Line]:
    parser = _HtmlLines()
    parser.feed(text)
    parser.close()
    return [Line(html.unescape(l.text), l.line, l.cells) for l in parser.lines]


# ───────────── docx ─────────────


def _office_package(raw: bytes, fmt: str, legacy: str, noun: tuple[str, str], app: str) -> None:
    """Before a docx or xlsx (a zip package) is opened: an OLE file — the legacy format renamed, or a file encrypted
    with an opening password — is refused saying how to save it, and a zip bomb is refused unopened."""
    import io

    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReadError("LS601", f"不是有效的 {fmt} 文件：这是旧版 {legacy} 或加密（设了打开密码）的{noun[0]}，请在 {app} 或 WPS 中另存为 {fmt}",
                        f"not a valid {fmt} file: a legacy {legacy} or an encrypted (password-protected) {noun[1]}; "
                        f"save it as {fmt} from {app} or WPS")
    from ..driver.archives import inflated

    if (bomb := inflated(io.BytesIO(raw))) is not None:
        raise ReadError("LS601", *bomb.said())


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

    _office_package(raw, "docx", ".doc", ("文档", "document"), "Word")
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
                cells: list[str] = []
                seen: list[object] = []  # the row's cell elements (CT_Tc), to spot a merged cell
                for cell in row.cells:
                    if seen and cell._tc is seen[-1]:
                        continue  # a horizontally merged cell, reported once per grid column
                    seen.append(cell._tc)
                    cells.append(_cell_text(cell.text))
                if any(cells):
                    out.append(Line(" ".join(c for c in cells if c), number, tuple(cells)))
    return out
