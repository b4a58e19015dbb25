"""Undo extraction noise: re-join lines broken mid-sentence, drop page-number lines, remove stray spaces.

PDF and web extraction break a paragraph wherever the page's line ended, sometimes with a blank line after
every line (云阳府办发〔2019〕22号), and leave spaces inside numbers and dates (`2019 年 2 月 28日`,
`161 号`). A line starts a new paragraph only when it must: a numbering marker (一、 （一） 1. （1）),
a 文号, a date or an organisation name standing alone, a line after a sentence-final mark. Everything else
continues the paragraph before it. Chinese has no spaces between words, so white space next to a CJK
character is noise; white space between two Latin letters or digits is kept.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..semantics.numerals import cn_to_int as cn_number
from .readers import Line

CN_DIGITS = "〇零一二三四五六七八九十百"

# 第一章 / 第一条: the chapters and articles of a 办法 or 细则 — levels 1 and 2; structure.build_tree moves the
# four levels below under the article when a document has articles (第十一条 …：（一）…（二）…).
ARTICLE_MARKERS = (
    (1, re.compile(r"^第\s*([一二三四五六七八九十百]{1,4})\s*章\s*")),
    (2, re.compile(r"^第\s*([一二三四五六七八九十百零〇]{1,5})\s*条\s*")),
)
# 一、  （一）  1.  （1）: the four levels of Chinese official numbering (GB/T 9704).
MARKERS = (
    (1, re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、，,]\s*")),
    (2, re.compile(r"^[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]\s*")),
    (3, re.compile(r"^(\d{1,2})\s*[.．、](?!\d)\s*")),
    (4, re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]\s*")),
    (5, re.compile(r"^([①-⑳])\s*")),  # ① ② under （1） (成都's 实施方案): the fifth level many plans use
)
DOC_NUMBER = re.compile(r"^[^\s，。、：:（）()]{1,16}\s*[〔［\[【(（]\s*(\d{4})\s*[〕］\]】)）]\s*第?\s*(\d{1,5})\s*号$")
DATE_LINE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
ANNEX = re.compile(r"^附\s*[件表]\s*(\d*)\s*([：:].*)?$")  # 附件 / 附表 (group 2: a listing's ：…)
PAGE_NUMBER = re.compile(r"^[\s\-—–－]*(第\s*)?\d{1,3}(\s*页)?[\s\-—–－]*$|^[\s\-—–－]*\d{1,3}\s*/\s*\d{1,3}[\s\-—–－]*$")
ORG_SUFFIX = re.compile(r"(国务院|办公厅|办公室|人民政府|政府|委员会|党委|党工委|局|厅|部|委|办|署|院|处|办事处|中心|会|所|站|总局|总署|小组)$")
TITLE_END = re.compile(r"的(通知|意见|决定|批复|函)》?$")  # a wrapped title's last line: the addressees come next
SENTENCE_END = "。！？!?：:；;）)"
_OPENERS, _CLOSERS = "（(“《〔[", "）)”》〕]"
CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef\u201c\u201d\u2018\u2019\u2014\u2026\u00b7]")


@dataclass(frozen=True)
class Para:
    """A paragraph (or a table row, when `cells` is set) and the source line it starts on."""

    text: str
    line: int
    cells: tuple[str, ...] | None = None
    carried: tuple[str, ...] = ()  # columns of a table row taken from the row above (see readers.Line)




def marker(text: str) -> tuple[int, int, str] | None:
    """(level, number, the text after the marker) when a paragraph opens with a numbering marker."""
    for level, pattern in ARTICLE_MARKERS:
        m = pattern.match(text)
        if m and (number := cn_number(m.group(1))) is not None and text[m.end():]:
            return level, number, text[m.end():]
    for level, pattern in MARKERS:
        m = pattern.match(text)
        if m:
            number = ord(m.group(1)) - ord("①") + 1 if level == 5 else cn_number(m.group(1))
            rest = text[m.end():]
            if number is not None and rest and not (level == 3 and rest[:1] in "%‰年月日倍万亿"):
                return level, number, rest
    return None


def squeeze(text: str) -> str:
    """Remove white space next to a CJK character or punctuation; collapse the rest to one space."""
    text = text.replace("\u00a0", " ").replace("\u3000", " ").replace("\t", " ")
    parts = re.split(r"( +)", text.strip())
    out = []
    for i, part in enumerate(parts):
        if part.startswith(" ") and part.strip() == "":
            before, after = parts[i - 1][-1:] if i else "", parts[i + 1][:1] if i + 1 < len(parts) else ""
            if before and after and before.isascii() and after.isascii() and (before.isalnum() and after.isalnum()):
                out.append(" ")
            continue
        out.append(part)
    return "".join(out)


def fold(text: str) -> str:
    """For recognising, never for output: full-width to half-width (NFKC), no white space."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def looks_like_org(text: str) -> bool:
    """A line that is an organisation's name: short, no sentence punctuation, ends like an organ's name."""
    t = squeeze(text)
    return 2 <= len(t) <= 40 and not re.search(r"[。，,；;：:、！？“”《》]", t) and bool(ORG_SUFFIX.search(t)) \
        and not t.startswith("关于") and "关于" not in t


# a web page's line under the title (泾县 「发布时间:2023-01-30 08:56 来源:… 浏览次数: 字体:[大 中 小]」): never the
# start of the addressees' paragraph
PAGE_LINE = re.compile(r"^(发布时间|发布日期|时间|来源|信息来源|浏览次数|点击量|浏览量)\s*[：:]|浏览(次数|量)\s*[：:]")


def standalone(text: str) -> bool:
    """A line that is a paragraph by itself whatever surrounds it."""
    t = squeeze(text)
    return bool(DOC_NUMBER.match(t) or DATE_LINE.match(t) or looks_like_org(t) or ANNEX.match(t) or PAGE_LINE.search(t)
                or re.match(r"^[（(]此件.*[）)]$", t) or re.match(r"^(抄\s*送|送)\s*[：:]", t))


def _unclosed(text: str) -> bool:
    """An open （ “ 《 not yet closed: the paragraph goes on, whatever mark ends the line."""
    depth = 0
    for ch in text:
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS:
            depth = max(0, depth - 1)
    return depth > 0


def _typical_line(lines: list[Line]) -> int:
    """The length of a full line (the 75th percentile of lines of 8+ characters): where a PDF wraps, or how
    long a paragraph line is. A line well short of it ended its paragraph."""
    lengths = sorted(len(squeeze(l.text)) for l in lines if l.cells is None and len(squeeze(l.text)) >= 8)
    return lengths[len(lengths) * 3 // 4] if lengths else 0


def _row_number(lines: list[Line], n: int, last: int | None = None) -> bool:
    """A bare number between short cell-like lines, in a run of such lines (1 / 区教育局 / … / 2 / …): a row
    number of a flattened table, not a page number (which sits between lines of running text). The row before
    may end in a long content cell (03's 附件1: 「…负责所辖区域内公路的具体管理。」 then 2 / 乡道、村道的相关工作 /
    各街镇 / …): a number that continues the row numbers kept so far (`last` + 1) needs only short cells after."""
    def near(step: int) -> list[str]:
        out: list[str] = []
        i = n + step
        while 0 <= i < len(lines) and len(out) < 3:
            text = squeeze(lines[i].text) if lines[i].cells is None else ""
            if text:
                out.append(text)
            i += step
        return out

    before, after = near(-1), near(1)
    text = squeeze(lines[n].text)
    if not text.isdigit():
        return False  # 「— 2 —」 · 「第3页」 · 「2/5」: a page's number however short the lines around it (石景山's signatures)
    if last is not None and text.isdigit() and int(text) == last + 1 and len(after) >= 2 \
            and all(len(t) <= 30 and t[-1:] not in "。！？!?；;" for t in after[:2]):
        return True
    return bool(before and after) and all(len(t) <= 30 and t[-1:] not in "。！？!?；;" for t in before + after) \
        and len(before) == 3 and len(after) >= 2


# 「牵头单位:区发改局」 · 「完成时限：2023年11月底前」 on a line of its own after a measure (鞍山, 丽水): a label opens a
# paragraph, however long the line before it was (a long 责任单位 list is not a line broken in two)
LABEL_LINE = re.compile(r"^(责任单位|责任部门|牵头单位|牵头部门|配合单位|配合部门|协同单位|参与单位|完成时限|完成时间|时限要求)\s*[：:]")


def _heading_tail(lines: list[Line], n: int, previous: str, text: str) -> bool:
    """A few characters left over from a heading broken at the page's width, before the next numbered line (石景山's
    PDF: 「一、提高基层党建工作水平,加强党对基层治理的全面」 / 「领导」 / 「1.完善…」): the heading's end, not a paragraph of
    the part's own."""
    if marker(previous) is None or "。" in previous or len(text) > 8 or text[-1:] in SENTENCE_END or marker(text):
        return False
    after = next((squeeze(l.text) for l in lines[n + 1:] if l.cells is None and squeeze(l.text)), "")
    return marker(after) is not None or LABEL_LINE.match(after) is not None


def paragraphs(lines: list[Line]) -> list[Para]:
    """Join broken lines into paragraphs; table rows pass through."""
    out: list[Para] = []
    current: list[str] = []
    start = 0
    previous = ""
    typical = _typical_line(lines)
    last_row: int | None = None  # the last row number kept (a flattened table's 序号 run)

    def close() -> None:
        nonlocal current
        if current:
            out.append(Para(squeeze("".join(current)), start))
        current = []

    for n, line in enumerate(lines):
        if line.cells is not None:
            close()
            cells = tuple(squeeze(c) for c in line.cells)
            out.append(Para(" ".join(c for c in cells if c), line.line, cells, line.carried))
            previous = ""
            continue
        text = squeeze(line.text)
        if not text:
            continue
        if PAGE_NUMBER.match(text):
            if _row_number(lines, n, last_row):  # a 序号 cell of a table flattened one cell a line: its own paragraph
                close()
                out.append(Para(text, line.line))
                previous = text
                last_row = int(text) if text.isdigit() else None
            continue
        indented = re.match(r"^( {2,}|\u3000)", line.text) is not None
        heading = marker(previous) is not None and "。" not in previous
        ended = (previous[-1:] in SENTENCE_END or len(previous) < typical * (0.9 if heading else 0.6)
                 or standalone(previous) or indented or bool(TITLE_END.search(previous)))
        new = (not current or line.starts or marker(text) is not None or standalone(text) or text.startswith("关于")
               or LABEL_LINE.match(text) is not None
               or (ended and not _unclosed("".join(current)) and not _heading_tail(lines, n, previous, text)))
        if new:
            close()
            start = line.line
        current.append(text)
        previous = text
    close()
    return out
