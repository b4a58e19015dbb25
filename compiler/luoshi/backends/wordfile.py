"""A policy as an editable Word file in the official-document layout of GB/T 9704-2012 (党政机关公文格式).

A4; margins 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm (so right 26 mm, bottom 35 mm); body 3号 (16 pt) 仿宋 on a
fixed 28 pt line (22 lines a page), first lines indented two characters; title 2号 小标宋; 一、 headings 黑体,
（一） headings 楷体; page numbers 4号 in the footer, right on odd pages and left on even ones, between dashes.
Fonts are named with a fallback (w:altName in the font table): 仿宋_GB2312 → 仿宋, 方正小标宋简体 → 华文中宋,
楷体_GB2312 → 楷体, 黑体 → SimHei, so a machine without the GB2312 fonts still shows the right family.
The paragraphs come from templates/draft/document.xml.j2; bytes are reproducible (office.save_document).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from docx import Document as new_document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.styles.style import CharacterStyle

from ..model import Corpus
from .document import document
from .office import save_document
from .officedoc import chinese_language
from .templating import environment

# role → (font, fallback)
FONTS = {
    "body": ("仿宋_GB2312", "仿宋"),
    "title": ("方正小标宋简体", "华文中宋"),
    "heading": ("黑体", "SimHei"),
    "subheading": ("楷体_GB2312", "楷体"),
}
LATIN = "Times New Roman"
BODY_PT, TITLE_PT, LINE_PT = 16, 22, 28
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

# style id → (name shown in Word, font role, size, alignment, first-line indent in characters, bold)
PARAGRAPH_STYLES = {
    "LsBody": ("公文正文", "body", BODY_PT, WD_ALIGN_PARAGRAPH.JUSTIFY, 2),
    "LsTitle": ("公文标题", "title", TITLE_PT, WD_ALIGN_PARAGRAPH.CENTER, 0),
    "LsNumber": ("发文字号", "body", BODY_PT, WD_ALIGN_PARAGRAPH.CENTER, 0),
    "LsAddressee": ("主送机关", "body", BODY_PT, WD_ALIGN_PARAGRAPH.JUSTIFY, 0),
    "LsHeading1": ("一级标题", "heading", BODY_PT, WD_ALIGN_PARAGRAPH.JUSTIFY, 2),
    "LsHeading2": ("二级标题", "subheading", BODY_PT, WD_ALIGN_PARAGRAPH.JUSTIFY, 2),
    "LsSignature": ("署名和成文日期", "body", BODY_PT, WD_ALIGN_PARAGRAPH.RIGHT, 0),
    "LsFooter": ("页码", "body", 14, WD_ALIGN_PARAGRAPH.RIGHT, 0),
    "LsSlot": ("份号和密级", "heading", BODY_PT, WD_ALIGN_PARAGRAPH.LEFT, 0),
    "LsMark": ("发文机关标志", "title", 36, WD_ALIGN_PARAGRAPH.CENTER, 0),
    "LsRule": ("分隔线", "body", BODY_PT, WD_ALIGN_PARAGRAPH.CENTER, 0),
    "LsAnnexLabel": ("附件标识", "heading", BODY_PT, WD_ALIGN_PARAGRAPH.LEFT, 0),
    "LsTableCell": ("表格文字", "body", 12, WD_ALIGN_PARAGRAPH.LEFT, 0),
    "LsColophon": ("版记", "body", 14, WD_ALIGN_PARAGRAPH.LEFT, 1),
}
CHARACTER_STYLES = {"LsMeasureHead": ("措施标题", "subheading"), "LsTodoMark": ("待定事项", "heading"),
                    "LsTodoHead": ("表头", "heading")}
RED = "FF0000"  # 发文机关标志 and the rule under the 文号 are printed red (GB/T 9704 7.2.4, 7.2.5)


def render_docx(corpus: Corpus, policy_id: str) -> bytes:
    """The policy as docx bytes: the same policy gives the same bytes."""
    word = new_document()
    _page(word)
    _styles(word)
    _font_fallbacks(word)
    chinese_language(word)
    env = environment()
    env.autoescape = True
    env.filters["xmlsafe"] = lambda text: _XML_INVALID.sub("", str(text))
    policy = corpus.policy(policy_id)
    assert policy is not None, "a draft is rendered from the corpus it was compiled into"
    body_xml = env.get_template("draft/document.xml.j2").render(doc=document(corpus, policy))
    anchor = word.element.body.sectPr
    for paragraph in parse_xml(body_xml):
        anchor.addprevious(paragraph)
    _page_numbers(word)
    return save_document(word)


def _page(word: DocxDocument) -> None:
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28) - Pt(14) * 2  # the page number line 7 mm below the 版心


def _set_font(style: CharacterStyle, role: str, size: int) -> None:
    style.font.name = LATIN
    style.font.size = Pt(size)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONTS[role][0])


def _styles(word: DocxDocument) -> None:
    normal = word.styles["Normal"]
    _set_font(normal, "body", BODY_PT)
    for style_id, (name, role, size, align, indent) in PARAGRAPH_STYLES.items():
        style = word.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.style_id, style.base_style = style_id, normal
        _set_font(style, role, size)
        fmt = style.paragraph_format
        fmt.alignment, fmt.first_line_indent = align, Pt(BODY_PT * indent) if indent else Pt(0)
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(LINE_PT if size < TITLE_PT else size + 13)
        fmt.widow_control = True
    word.styles["署名和成文日期"].paragraph_format.right_indent = Pt(BODY_PT * 4)
    word.styles["发文机关标志"].font.color.rgb = RGBColor.from_string(RED)
    word.styles["表格文字"].paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    rule = word.styles["分隔线"].element.get_or_add_pPr()  # the red rule under the 文号
    rule.append(parse_xml('<w:pBdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                          f'<w:bottom w:val="single" w:sz="12" w:space="1" w:color="{RED}"/></w:pBdr>'))
    colophon = word.styles["版记"].element.get_or_add_pPr()  # 版记 between two black rules
    colophon.append(parse_xml('<w:pBdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                              '<w:top w:val="single" w:sz="6" w:space="1" w:color="000000"/>'
                              '<w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>'))
    for style_id, (name, role) in CHARACTER_STYLES.items():
        style = word.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
        style.style_id = style_id
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONTS[role][0])
    todo = word.styles["待定事项"].element.get_or_add_rPr()
    todo.append(parse_xml('<w:highlight xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:val="yellow"/>'))


def _font_fallbacks(word: DocxDocument) -> None:
    """Declare each font with its fallback (w:altName) in word/fontTable.xml."""
    part = next(p for p in word.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    table = parse_xml(part.blob)
    for font, fallback in FONTS.values():
        table.append(parse_xml(
            f'<w:font xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:name="{font}">'
            f'<w:altName w:val="{fallback}"/><w:charset w:val="86"/><w:family w:val="modern"/>'
            '<w:pitch w:val="fixed"/></w:font>'))
    from lxml import etree

    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)  # a plain Part: no setter


def _page_numbers(word: DocxDocument) -> None:
    """— 1 — at the outer edge: right on odd pages, left on even pages (GB/T 9704 7.5)."""
    word.settings.odd_and_even_pages_header_footer = True
    section = word.sections[0]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        paragraph = footer.paragraphs[0]
        paragraph.style = word.styles["页码"]
        paragraph.alignment = align
        paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = Pt(14)
        paragraph.add_run("— ")
        paragraph._p.append(parse_xml(
            '<w:fldSimple xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:instr="PAGE">'
            '<w:r><w:t>1</w:t></w:r></w:fldSimple>'))
        paragraph.add_run(" —")
