"""Page and font set-up of the Word and Excel files officials print: A4 with GB/T 9704 (党政机关公文格式)
margins, a 仿宋 body, 黑体 headings and a 小标宋 title, each with fallbacks, tables whose header repeats on every
page and whose rows do not break across pages (section rows kept with the row after them), titles broken into lines
where the sense allows, wrapped text and row heights that show it, sheets fitted to the page width only at a
readable scale.

GB/T 9704 fixes the type area of an A4 page at 156 mm × 225 mm: top margin (天头) 37 mm, binding margin (订口,
left) 28 mm, so 26 mm right and 35 mm bottom. A landscape page keeps the same type area turned with the paper,
the binding edge at the top, where the standard puts a landscape table's head. The fonts the standard names (仿宋_GB2312, 方正小标宋简体) are rarely
installed outside government desktops, so every run names the preferred font and the file's font table names
the fallback each one falls back to; CSS and LibreOffice then find a CJK serif or sans of their own.
"""

from __future__ import annotations

import copy
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell, _Row

from ..syntax.source import display_width

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.enum.text import WD_PARAGRAPH_ALIGNMENT
    from docx.oxml.table import CT_Tc
    from docx.section import Section
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run
    from lxml import etree
    from openpyxl.worksheet.worksheet import Worksheet

# Elements are handled as lxml's `etree._Element` where one is appended or inserted into another: the lxml stubs
# type append/insert/remove as taking the receiver's own class, which python-docx's CT_* subclasses never share.


@dataclass(frozen=True)
class FontFamily:
    name: str
    fallbacks: tuple[str, ...]
    family: str  # roman (serif) or swiss (sans), for the font table


BODY = FontFamily("仿宋_GB2312", ("仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC"), "roman")
HEADING = FontFamily("黑体", ("SimHei", "STHeiti", "Noto Sans CJK SC"), "swiss")
TITLE = FontFamily("方正小标宋简体", ("华文中宋", "STZhongsong", "宋体", "Noto Serif CJK SC"), "roman")
FAMILIES = (BODY, HEADING, TITLE)

# 字号 in points
SIZE_2 = 22.0     # 二号: document title
SIZE_3 = 16.0     # 三号: body text, 附件 label
SIZE_4 = 14.0     # 四号
SIZE_5 = 10.5     # 五号: table text

CELL_LINE = 1.4  # line pitch of table text, in multiples of its size (五号 10.5 pt → 14.7 pt)

PORTRAIT_MARGINS = {"top": 37, "bottom": 35, "left": 28, "right": 26}
# turned clockwise, so that a table's head lies along the binding edge (GB/T 9704: 表头在订口一边)
LANDSCAPE_MARGINS = {"top": 28, "bottom": 26, "left": 35, "right": 37}
A4 = (210, 297)


def body_width_mm(landscape: bool) -> float:
    m = LANDSCAPE_MARGINS if landscape else PORTRAIT_MARGINS
    width = A4[1] if landscape else A4[0]
    return width - m["left"] - m["right"]


# ───────────── docx ─────────────


_BLANK: dict[bool, DocxDocument] = {}  # landscape → the empty document below, made once per process


def new_document(*, landscape: bool, title: str) -> DocxDocument:
    """An empty A4 document with GB/T 9704 margins, a 仿宋 Normal style and a page number in the footer: a copy of
    one made once (`_blank_document`), with the title set. python-docx reads and parses its template for each new
    document, a fifth of the time a checklist's docx took (270 of them in a seed build); a deep copy of the parsed
    package is the same document, part for part, and shares nothing with the original."""
    blank = _BLANK.get(landscape)
    if blank is None:
        blank = _BLANK[landscape] = _blank_document(landscape=landscape)
    doc = copy.deepcopy(blank)
    doc.core_properties.title = title
    return doc


def _blank_document(*, landscape: bool) -> DocxDocument:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(A4[1]), Mm(A4[0])) if landscape else (Mm(A4[0]), Mm(A4[1]))
    margins = LANDSCAPE_MARGINS if landscape else PORTRAIT_MARGINS
    section.top_margin, section.bottom_margin = Mm(margins["top"]), Mm(margins["bottom"])
    section.left_margin, section.right_margin = Mm(margins["left"]), Mm(margins["right"])
    section.header_distance, section.footer_distance = Mm(15), Mm(18)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(SIZE_3)
    _set_fonts(normal.element.get_or_add_rPr(), BODY)
    normal.paragraph_format.space_after = Pt(0)
    doc.core_properties.language = "zh-CN"
    chinese_language(doc)
    _page_number_footer(section)
    _declare_fallbacks(doc)
    return doc


def chinese_language(doc: DocxDocument) -> None:
    """Mark East Asian text as 简体中文 in the document defaults. python-docx's template says en-US, so Word
    proofs the text as English and LibreOffice picks the Japanese forms of the CJK fallback font (骨, 直, 着 …)."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _set_fonts(rpr: etree._Element, family: FontFamily) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), family.name)


def style_run(run: Run, family: FontFamily, size: float, *, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold or None
    _set_fonts(run._r.get_or_add_rPr(), family)


def add_paragraph(container: DocxDocument, text: str, family: FontFamily, size: float, *,
                  align: WD_PARAGRAPH_ALIGNMENT = WD_ALIGN_PARAGRAPH.LEFT, bold: bool = False,
                  space_after: float = 0, line_exact: float | None = None) -> Paragraph:
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(space_after)
    if line_exact:
        paragraph.paragraph_format.line_spacing = Pt(line_exact)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        run = paragraph.add_run(line)
        style_run(run, family, size, bold=bold)
        if i < len(lines) - 1:
            run.add_break()
    return paragraph


# Where a title may wrap (GB/T 9704 7.3.3: 回行时，要做到词意完整，排列对称，长短适宜，间距恰当；标题排列应当使用
# 梯形或菱形). Rank 0: the edges of a book title 《…》 and of 关于 (发文机关 / 关于 / 事由); rank 1: between two words
# of two or more characters (jieba, only loaded when a title needs it). Never inside 《…》, never before closing or
# after opening punctuation.
_OPENING = "《〔（(「『【“‘"
_CLOSING = "》〕）)」』】”’，。、；：！？,.;:!?"
_MAX_TITLE_LINES = 4


def _title_width(text: str) -> float:
    """Width in full-width characters: a digit or Latin letter takes half of one."""
    return display_width(text) / 2


def _title_breaks(text: str, *, in_book_title: bool = False) -> dict[int, int]:
    """Positions a title may break at (index of the first character of the next line) → rank, lower is better.
    `in_book_title`: also between words inside 《…》 (rank 3), for a book title longer than a line."""
    inside = [False] * (len(text) + 1)  # inside[i]: a break before text[i] would fall inside 《…》
    depth = 0
    for i, ch in enumerate(text):
        if ch == "》":
            depth = max(depth - 1, 0)
        inside[i] = depth > 0
        if ch == "《":
            depth += 1
    breaks: dict[int, int] = {}
    for i, ch in enumerate(text):
        if 0 < i and (ch == "《" or text[i - 1] == "》"):
            breaks[i] = 0
    for word in ("关于",):
        start = text.find(word)
        while start >= 0:
            for i in (start, start + len(word)):
                breaks.setdefault(i, 0)
            start = text.find(word, start + 1)
    breaks.update({i: 3 if inside[i] else 1 for i in _word_breaks(text) if i not in breaks})
    return {i: r for i, r in breaks.items()
            if 0 < i < len(text) and (in_book_title or not inside[i]) and text[i] not in _CLOSING
            and text[i - 1] not in _OPENING}


def _word_breaks(text: str) -> list[int]:
    """Boundaries between two words of two or more characters each (a one-character word may be part of a name
    the dictionary does not know: 璧 | 山区)."""
    try:
        import logging

        import jieba
    except ImportError:  # pragma: no cover - jieba is a dependency; without it only the rank-0 breaks are used
        return []
    jieba.setLogLevel(logging.WARNING)
    words = list(jieba.cut(text))
    out, at = [], 0
    for left, right in itertools.pairwise(words):
        at += len(left)
        if len(left) > 1 and len(right) > 1:
            out.append(at)
    return out


def _title_cost(lengths: list[float], ranks: list[int]) -> float:
    """Lower is better: sense breaks first, then a balanced 梯形 or 菱形 (never an hourglass, a short line between
    two longer ones)."""
    hourglass = any(lengths[i] < lengths[i - 1] and lengths[i] < lengths[i + 1] for i in range(1, len(lengths) - 1))
    return 10 * sum(ranks) + (max(lengths) - min(lengths)) + (50 if hourglass else 0)


def title_lines(text: str, per_line: float) -> list[str]:
    """A title broken into as few lines of at most `per_line` characters as its break points allow, the best
    arrangement of those; a book title longer than a line is broken between its words; one line when it fits,
    unbroken when no arrangement fits (the renderer then wraps it)."""
    if _title_width(text) <= per_line:
        return [text]
    for breaks in (_title_breaks(text), _title_breaks(text, in_book_title=True)):
        lines = _arrange(text, breaks, per_line)
        if lines:
            return lines
    return [text]


def _arrange(text: str, breaks: dict[int, int], per_line: float) -> list[str] | None:
    from itertools import combinations

    for count in range(2, _MAX_TITLE_LINES + 1):
        best: tuple[float, list[str]] | None = None
        for cuts in combinations(sorted(breaks), count - 1):
            edges = [0, *cuts, len(text)]
            lines = [text[a:b] for a, b in itertools.pairwise(edges)]
            lengths = [_title_width(line) for line in lines]
            if max(lengths) > per_line:
                continue
            cost = _title_cost(lengths, [breaks[c] for c in cuts])
            if best is None or cost < best[0]:
                best = (cost, lines)
        if best:
            return best[1]
    return None


def chars_per_line(landscape: bool, size: float = SIZE_2) -> int:
    """Full-width characters in one line of the type area at a given size."""
    return int(body_width_mm(landscape) / (size * 25.4 / 72))


def title_text(text: str, *, landscape: bool, size: float = SIZE_2) -> str:
    """A title too long for one line, broken where the sense allows (`title_lines`), one line break per line."""
    return "\n".join(title_lines(text, chars_per_line(landscape, size)))


def set_cell(cell: _Cell, text: str, family: FontFamily = BODY, size: float = SIZE_5, *,
             align: WD_PARAGRAPH_ALIGNMENT = WD_ALIGN_PARAGRAPH.LEFT, bold: bool = False, bold_first: bool = False,
             shade: str | None = None) -> None:
    """Replace a cell's text with one run per line, vertically centred; `bold_first` sets off a heading line.

    The paragraph and run properties are made once per style through python-docx (`_styled_cell`) and copied
    after that: python-docx's property setters search and insert child elements one by one, about 1 ms a cell,
    which made a 5,000-task table take half a minute. The copies are the same XML, element for element."""
    lines = (text or "").split("\n")
    if any("\t" in line or "\r" in line for line in lines):  # tabs and CRs become w:tab and w:br: python-docx's way
        _styled_cell(cell, lines, family, size, align=align, bold=bold, bold_first=bold_first, shade=shade)
        return
    ppr, rpr = _prototype(family, size, align, bold)
    heading_rpr = _prototype(family, size, align, True)[1] if bold_first and len(lines) > 1 else rpr
    tc: etree._Element = cell._tc
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for old in cell._tc.p_lst:
        tc.remove(old)
    p: etree._Element = OxmlElement("w:p")
    p.append(copy.deepcopy(ppr))
    for i, line in enumerate(lines):
        r: etree._Element = OxmlElement("w:r")
        r.append(copy.deepcopy(heading_rpr if i == 0 else rpr))
        if line:
            t = OxmlElement("w:t")
            t.text = line
            if len(line.strip()) < len(line):
                t.set(qn("xml:space"), "preserve")
            r.append(t)
        if i < len(lines) - 1:
            r.append(OxmlElement("w:br"))
        p.append(r)
    tc.append(p)
    if shade:
        _append(cell._tc.get_or_add_tcPr(), parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{shade}"/>'))


_StyleKey = tuple[FontFamily, float, "WD_PARAGRAPH_ALIGNMENT", bool]
_PROTOTYPES: dict[_StyleKey, tuple[etree._Element, etree._Element]] = {}
# (family, size, align, bold) → the pPr and rPr python-docx makes for them


def _prototype(family: FontFamily, size: float, align: WD_PARAGRAPH_ALIGNMENT,
               bold: bool) -> tuple[etree._Element, etree._Element]:
    """The paragraph and run properties `_styled_cell` writes for a style, made once in a scratch cell."""
    key = (family, size, align, bold)
    if key not in _PROTOTYPES:
        scratch = cast("CT_Tc", parse_xml(f'<w:tc {nsdecls("w")}><w:p/></w:tc>'))  # the parser makes w:tc a CT_Tc
        # a scratch cell belongs to no table: nothing `_styled_cell` does reads the parent
        _styled_cell(_Cell(scratch, None), ["x"], family, size, align=align, bold=bold)  # type: ignore[arg-type]
        p = scratch.p_lst[0]
        ppr, rpr = p.pPr, p.r_lst[0].rPr
        assert ppr is not None and rpr is not None, "_styled_cell sets the paragraph's and the run's properties"
        _PROTOTYPES[key] = (copy.deepcopy(ppr), copy.deepcopy(rpr))
    return _PROTOTYPES[key]


def _styled_cell(cell: _Cell, lines: list[str], family: FontFamily, size: float, *, align: WD_PARAGRAPH_ALIGNMENT,
                 bold: bool, bold_first: bool = False, shade: str | None = None) -> None:
    """`set_cell` through python-docx's own API: the reference the copies are made from."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    for extra in cell.paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    for run in list(paragraph.runs):
        run._r.getparent().remove(run._r)
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    # a fixed line pitch (固定值), as 公文 tables are set: the same rows per page whichever CJK font stands in
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.paragraph_format.line_spacing = Pt(round(size * CELL_LINE, 1))
    for i, line in enumerate(lines):
        run = paragraph.add_run(line)
        style_run(run, family, size, bold=bold or (bold_first and i == 0 and len(lines) > 1))
        if i < len(lines) - 1:
            run.add_break()
    if shade:
        _append(cell._tc.get_or_add_tcPr(), parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{shade}"/>'))


def _append(parent: etree._Element, child: etree._Element) -> None:
    parent.append(child)


def new_table(doc: DocxDocument, rows: int, widths_mm: Sequence[float]) -> Table:
    """A bordered table of fixed column widths (Word honours a cell's width, LibreOffice the grid's)."""
    table: Table = doc.add_table(rows=rows, cols=len(widths_mm))
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    for tr in table._tbl.tr_lst:
        for tc, width in zip(tr.tc_lst, widths_mm):
            tc.width = Mm(width)
    for col, width in zip(table.columns, widths_mm):
        col.width = Mm(width)
    return table


def table_rows(table: Table) -> list[_Row]:
    """Every row of a table, in one pass. python-docx's `table.rows[n]` finds row n by searching the whole table,
    and `row.cells` lays out every cell of the table: used per row, a 5,000-row table took minutes (issue 23)."""
    return [_Row(tr, table) for tr in table._tbl.tr_lst]


def row_cells(row: _Row) -> list[_Cell]:
    """A row's cells as its XML holds them (one per `w:tc`), without laying out the whole table: the same cells as
    `row.cells` for a row no merge has touched, which is how the writers use it (a row is filled, then merged)."""
    return [_Cell(tc, row.table) for tc in row._tr.tc_lst]


def repeat_header(row: _Row) -> None:
    """Mark a row as a header row Word and LibreOffice repeat at the top of every page."""
    trpr: etree._Element = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def keep_row_together(row: _Row) -> None:
    """Do not let a row break across pages (w:cantSplit): a page that holds only the tail of a row shows text
    without its number, title or units. Only for rows shorter than a page (`row_fits_page`)."""
    trpr: etree._Element = row._tr.get_or_add_trPr()
    if trpr.find(qn("w:cantSplit")) is None:
        trpr.insert(0, OxmlElement("w:cantSplit"))  # CT_TrPr's sequence: cantSplit before trHeight and tblHeader


def keep_with_next(row: _Row) -> None:
    """Keep a row on the page of the row after it (keep-with-next on each of its paragraphs, as Word and LibreOffice
    read it for table rows): a section heading row is never left alone at the foot of a page."""
    for cell in row_cells(row):
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True


def cell_lines(text: str, width_mm: float, size: float = SIZE_5) -> int:
    """Lines a table cell's text takes at a given size (cell margins of 1.9 mm each side, as Word sets them)."""
    per_line = max((width_mm - 3.8) / (size * 25.4 / 72) * 2, 2)  # in half-width characters
    return sum(max(1, math.ceil(display_width(line) / per_line)) for line in (text or "").split("\n"))


def row_fits_page(texts: Sequence[tuple[str, float]], *, landscape: bool, size: float = SIZE_5) -> bool:
    """Whether a row of (text, column width mm) cells fits the type area's height, with room for the repeated
    header row; a taller row must be allowed to break, or Word would cut it off."""
    margins = LANDSCAPE_MARGINS if landscape else PORTRAIT_MARGINS
    height_mm = (A4[0] if landscape else A4[1]) - margins["top"] - margins["bottom"]
    pitch_mm = size * CELL_LINE * 25.4 / 72
    lines = max((cell_lines(text, width, size) for text, width in texts), default=1)
    return (lines + 2) * pitch_mm < height_mm


def _page_number_footer(section: Section) -> None:
    """— 1 — centred at the foot of each page, as 公文 number their pages."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    style_run(paragraph.add_run("— "), TITLE, SIZE_4)
    field = parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>')
    paragraph._p.append(field)
    style_run(paragraph.add_run(" —"), TITLE, SIZE_4)


def _declare_fallbacks(doc: DocxDocument) -> None:
    """Name each preferred font in word/fontTable.xml with its fallback (w:altName), its family and the GB2312
    charset, so Word and WPS substitute a like font where the preferred one is missing."""
    part = next(p for p in doc.part.package.parts if str(p.partname) == "/word/fontTable.xml")
    fonts = parse_xml(part.blob)
    for family in FAMILIES:
        chain = (family.name,) + family.fallbacks
        for name, alternative in itertools.pairwise(chain):
            element = parse_xml(
                f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alternative}"/>'
                f'<w:charset w:val="86"/><w:family w:val="{family.family}"/><w:pitch w:val="variable"/></w:font>')
            fonts.append(element)
    from lxml import etree

    part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)


# ───────────── xlsx ─────────────

XLSX_BODY_FONT = "仿宋"        # Excel and WPS name the font as installed on Windows
XLSX_HEADING_FONT = "黑体"


def lines_needed(text: str, width_chars: float) -> int:
    """Lines a wrapped cell needs; a column width counts Latin characters, a CJK character takes about two."""
    if not text:
        return 1
    usable = max(width_chars - 1, 1)
    return sum(max(1, math.ceil(display_width(line) / usable)) for line in str(text).split("\n"))


def row_height(texts: Sequence[tuple[str, float]], point_size: float = 11) -> float:
    """A row height (points) that shows every wrapped cell in full: Excel does not grow rows on opening."""
    lines = max((lines_needed(text, width) for text, width in texts), default=1)
    return round(lines * point_size * 1.45 + 6, 1)


MIN_PRINT_SCALE = 0.6  # below this, 11 pt text prints smaller than 7 pt: split the columns over pages instead


def sheet_width_mm(ws: Worksheet) -> float:
    """Printed width of a sheet's used columns at 100 %: Excel draws a column of width w as 7w + 5 pixels (the
    default font's digit is 7 px wide) at 96 pixels an inch."""
    from openpyxl.utils import get_column_letter

    total = 0.0
    for c in range(1, ws.max_column + 1):
        dim = ws.column_dimensions.get(get_column_letter(c))
        width = dim.width if dim is not None and dim.width else 8.43  # Excel's default width
        total += math.floor(7 * width + 5) * 25.4 / 96
    return total


def print_scale(ws: Worksheet, *, landscape: bool) -> float:
    """The scale at which the sheet's columns fill the type area's width (1 or more: it fits as it is)."""
    return body_width_mm(landscape) / sheet_width_mm(ws)


def print_setup(ws: Worksheet, *, landscape: bool, title_rows: str, fit_width: bool = True,
                min_scale: float = MIN_PRINT_SCALE) -> None:
    """A4, repeated header rows, centred, 公文-like margins (inches). With `fit_width`, all columns go on one
    page width when that keeps the print at `min_scale` or more; a wider sheet prints at `min_scale` and its
    columns continue on the next pages, rather than in type too small to read."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.print_title_rows = title_rows
    ws.print_options.horizontalCentered = True
    if fit_width:
        scale = print_scale(ws, landscape=landscape)
        if scale >= min_scale:
            if scale < 1:
                page_setup = ws.sheet_properties.pageSetUpPr
                assert page_setup is not None, "openpyxl gives every new sheet its page set-up properties"
                page_setup.fitToPage = True
                ws.page_setup.fitToWidth = 1
                ws.page_setup.fitToHeight = 0
        else:
            ws.page_setup.scale = int(min_scale * 100)
    m = LANDSCAPE_MARGINS if landscape else PORTRAIT_MARGINS
    ws.page_margins.top, ws.page_margins.bottom = m["top"] / 25.4, m["bottom"] / 25.4
    ws.page_margins.left, ws.page_margins.right = m["left"] / 25.4, m["right"] / 25.4
    footer = ws.oddFooter
    assert footer is not None and footer.center is not None, "openpyxl gives every new sheet a footer"
    footer.center.text = "第 &P 页，共 &N 页"
