"""The layout of an official document (GB/T 9704): header, preamble, numbered body, signature, annexes.

    重庆市人民政府办公厅                       ← issuer(s)
    关于加强城市特殊困难群众救助帮扶工作的意见    ← title (may wrap over lines)
    渝府办发〔2018〕161号                      ← 文号
    各区县(自治县)人民政府,市政府各部门,有关单位:  ← addressees
    实现贫困群众……现提出如下意见。               ← preamble
    一、总体要求 / （一）指导思想。…            ← numbered body: 一、 （一） 1. （1） (or 第一章 第一条)
    重庆市人民政府办公厅 / 2018年11月12日        ← signature and date
    附件 / 标题 / 序号 重点任务 责任单位 配合单位  ← annex: a responsibility table

A notice that transmits another document (关于印发…的通知) has its own short body, signature and date before
the transmitted document's title and preamble; the date is the notice's. Everything is recognised from the
paragraphs alone: no unit lookup happens here.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from ..semantics.numerals import int_to_cn
from .clean import ANNEX, DATE_LINE, DOC_NUMBER, Para, looks_like_org, marker
from .keyedtable import KeyedTable, read_keyed_table
from .quantities import QuantityTable, read_quantity_table

TABLE_COLUMNS = (
    ("number", re.compile(r"^(序号|编号)$")),
    # 余杭 「牵头领导」, 霍山 「责任领导」, 华容 「县政府分线领导」, 泾县 「牵头县领导」: people, not units — kept as the row's note
    ("leader", re.compile(r"(领导|责任人)$")),
    ("lead", re.compile(r"(牵头单位|牵头部门)")),
    # 华容 「主要责任单位 / 其他责任单位」, 泾县 「牵头责任单位 / 协同责任单位」: the others help the first (the notice says
    # 「其他责任单位要积极履行配合职责」), read before 责任单位 names them responsible
    ("cooperate", re.compile(r"(其他责任单位|协同责任单位|配合责任单位|次要责任单位|协同责任部门|其他责任部门)")),
    ("responsible", re.compile(r"(责任单位|责任部门|负责单位|承办单位|推进单位|推进部门|实施单位|行使主体)")),
    ("cooperate", re.compile(r"(配合单位|配合部门|协同单位|参与单位|协办单位|支撑单位)")),
    ("deadline", re.compile(r"(完成时限|时间节点|完成时间|时限|进度安排|时间安排)")),
    ("note", re.compile(r"^备注$")),
    ("group", re.compile(r"^(任务类型|类别|分类|类型|领域)$")),
    ("title", re.compile(r"名称$")),  # 权力责任名称 / 事项名称: the row's title, its content in the 事项 column
    ("other", re.compile(r"(依据|层级|类别)$")),  # 设定依据 · 行使层级 · 权力责任类别: neither task nor units
    # 余杭 「序号 / 项目 / 重点工作 / …」: the 项目 merged over its measures names their group, as a 重点任务 column does
    ("task", re.compile(r"(任务|内容|措施|事项|工作|^项目$)")),
)


@dataclass
class Node:
    """A numbered part of the body: its level (1 一、 · 2 （一） · 3 1. · 4 （1）), number and paragraphs."""

    level: int
    number: int
    label: str  # the marker as printed: 一 · 1
    paras: list[str]
    line: int
    children: list[Node] = field(default_factory=list)
    marker: str = ""  # the marker as printed, with its brackets and stop: （1） · 2.


@dataclass
class Row:
    """A responsibility-table row, by column."""

    number: str
    title: str
    content: str
    units: dict[str, str]  # column kind → cell text, for the columns the table has
    line: int
    group: str | None = None
    carried: tuple[str, ...] = ()  # columns read from the row above (merged cells in a flattened table)


@dataclass
class TableSection:
    label: str  # 一
    title: str
    line: int
    rows: list[Row] = field(default_factory=list)


@dataclass
class Table:
    header: tuple[str, ...]
    line: int
    sections: list[TableSection] = field(default_factory=list)  # a section with label "" holds rows before any
    source_rows: list[Para] = field(default_factory=list)  # the header and every row read into this table


@dataclass
class Annex:
    title: str
    line: int
    tables: list[Table] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)
    skipped: list[Para] = field(default_factory=list)  # table rows outside any responsibility table
    quantities: QuantityTable | None = None  # a flattened table of quantities (quantities.py)
    keyed: KeyedTable | None = None  # a plan table keyed by unit, without 序号 (keyedtable.py)


@dataclass
class Layout:
    issuers: list[tuple[str, int]] = field(default_factory=list)  # as printed, with line
    title: str | None = None
    title_line: int = 0
    number: str | None = None
    addressees: tuple[str, int] | None = None
    date: tuple[str, str, str] | None = None
    cc: tuple[str, int] | None = None
    preamble: str | None = None
    preamble_line: int = 0
    transmittal: str | None = None  # the body of a notice that transmits the document
    attached_title: str | None = None
    notes: list[str] = field(default_factory=list)
    intro: list[str] = field(default_factory=list)  # body paragraphs before the first number (no preamble)
    nodes: list[Node] = field(default_factory=list)
    annexes: list[Annex] = field(default_factory=list)
    signature: list[tuple[str, int]] = field(default_factory=list)
    todos: list[str] = field(default_factory=list)  # what the layout guessed (a date from the front matter …)


def parse_layout(paras: list[Para]) -> Layout:
    layout = Layout()
    main, annex_parts = _split_annexes(paras)
    body_start = _header(main, layout)
    body_start = _numbered_notice(main, body_start, layout)
    body_end = _signature(main, body_start, layout)
    body = _numbered_headings(_without_annex_listing(main[body_start:body_end], layout), layout)
    first = next((i for i, p in enumerate(body) if p.cells is None and (mark := marker(p.text)) and mark[0] <= 2), len(body))
    _preamble(body[:first], layout)
    joint_issuers(layout)
    layout.nodes = build_tree(body[first:])
    for part in annex_parts:
        _trailer([p for p in part if p.cells is None and _trailer_line(p.text)], layout)
        layout.annexes.append(_annex([p for p in part if p.cells is not None or not _trailer_line(p.text)]))
    return layout


# ───────────── header ─────────────


def _split_annexes(paras: list[Para]) -> tuple[list[Para], list[list[Para]]]:
    """Cut at each 附件 that stands alone after the body has begun (a 附件： listing stays in the body)."""
    cuts = [i for i, p in enumerate(paras) if p.cells is None and i > 3 and (annex := ANNEX.match(p.text))
            and not (annex.group(2) or "").strip("：: ")]  # 附表1： alone heads an annex too
    if not cuts:  # tables with no 附件 heading: read them as one unnamed annex, the text stays the body
        rows = [p for p in paras if p.cells is not None]
        return ([p for p in paras if p.cells is None], [rows]) if rows else (paras, [])
    parts = [paras[a:b] for a, b in zip(cuts, cuts[1:] + [len(paras)])]
    return paras[: cuts[0]], parts


def _header(main: list[Para], layout: Layout) -> int:
    """Recognise issuer, title, 文号 and addressees; return where the body starts."""
    title_parts: list[Para] = []
    limit = min(len(main), 12)
    addressee = next((i for i in range(limit) if _is_addressee(main[i].text)), None)
    end = addressee if addressee is not None else _header_end(main, limit)
    for p in main[:end]:
        text = p.text
        m = DOC_NUMBER.match(text)
        if masthead(text) and not title_parts:
            continue  # 「鞍山市立山区人民政府文件」: the red-letter masthead; the title names the issuer again
        if PAGE_LABELS.match(text):
            continue  # 「时间:2023-07-11 17:01 浏览次数: 信息来源: 丽水市政府」: the web page's line, not the title's
        if m:
            layout.number = _normal_number(text)
        elif dated := DATE_LINE.match(text):
            layout.date = _ymd(dated)
        elif looks_like_org(text) and not title_parts:
            layout.issuers += [(name, p.line) for name in re.split(r"\s+", text) if name]
        else:
            title_parts.append(p)
    if title_parts:
        title = "".join(p.text for p in title_parts)
        ended = re.search(r"的(通知|意见|决定|批复|函)(?=[^》])", title)
        if ended and re.match(r"\s*[^\s，。、：:（）()]{1,16}\s*[〔［\[【]\s*\d{4}", title[ended.end():]):
            title = title[: ended.end()]  # a page printing the title again after the 文号 (鞍山): 「…的通知鞍立政发〔2023〕2号立山区…的通知」
        elif ended and (again := title.find("关于", ended.end())) >= 0 and title[again: again + 8] in title[: ended.end()]:
            title = title[: ended.end()]  # 下陆's page: the <h1> title, then the text's own over three lines (「…的」 / 「通 知」)
        numbered = TITLE_NUMBER.search(title)
        if numbered and not layout.number and len(title) - len(numbered.group(0)) >= 4:
            # 华容's page 「2021年县政府重点工作任务(华政发〔2021〕2号)」: the 文号 in brackets closing the title
            layout.number = _normal_number(numbered.group(1))
            title = title[: numbered.start()].rstrip()
        layout.title_line = title_parts[0].line
        prefix, sep, rest = _title_parts(title)
        if prefix and not layout.issuers:
            layout.issuers = [(name, title_parts[0].line) for name in _issuer_names(prefix)]
            title = sep + rest
        elif prefix and looks_like_org(prefix):
            title = sep + rest
        layout.title = title
    if addressee is not None:
        layout.addressees = (main[addressee].text.rstrip("：:"), main[addressee].line)
        return addressee + 1
    return end


TITLE_NUMBER = re.compile(r"[（(]\s*([\u4e00-\u9fff]{1,12}\s*[〔［\[【]\s*\d{4}\s*[〕］\]】]\s*第?\s*\d{1,5}\s*号)\s*[）)]$")
PAGE_LABELS = re.compile(r"^(时间|发布时间|发布日期|日期|浏览次数|点击量|信息来源|来源|字号|【?字体)\s*[：:]|.*浏览次数\s*[：:]")


def masthead(text: str) -> bool:
    """「XX市人民政府文件」 / 「XX区人民政府办公室文件」, the red-letter masthead above a 文号 (GB/T 9704 发文机关标志):
    an organ's name with 文件 appended. Read as a line of the title it glued the masthead to the issuer
    (「鞍山市立山区人民政府文件立山区人民政府」) and made 「文件立山区」 the jurisdiction."""
    t = re.sub(r"\s+", "", text)
    return t.endswith("文件") and len(t) > 4 and looks_like_org(t[:-2])


def _title_parts(title: str) -> tuple[str, str, str]:
    """`X关于…` or `X印发《…》的通知` / `X转发…` (no 关于) → (issuer X, the word, the rest); ("", "", title) when
    nothing before the word reads as an organisation."""
    prefix, sep, rest = title.partition("关于")
    if sep and prefix and looks_like_org(prefix.split()[-1] if prefix.split() else prefix):
        return prefix, sep, rest
    m = re.match(r"^(.{2,40}?)(印发|转发)", title)
    if m and looks_like_org(m.group(1)):
        return m.group(1), "", title[m.end(1):]
    return (prefix, sep, rest) if sep else ("", "", title)


def apply_front_matter(layout: Layout, meta: dict[str, str]) -> None:
    """Fields a Markdown archive keeps above the text (标题/文号/发布单位/发布日期), used where the text itself
    does not print them. A 发布日期 is when the page went up, not the 成文日期: used, but flagged."""
    if not meta:
        return
    title = meta.get("标题") or meta.get("title")
    if title and not layout.title:
        prefix, sep, rest = _title_parts(title)
        layout.title = sep + rest if prefix else title
        if prefix and not layout.issuers:
            layout.issuers = [(name, 1) for name in _issuer_names(prefix)]
    number = meta.get("文号")
    if number and not layout.number and DOC_NUMBER.match(number):
        layout.number = _normal_number(number)
    issuer = next((meta[k] for k in ("发文机关", "发布单位", "发文单位", "发布机构") if meta.get(k)), None)
    if issuer and not layout.issuers:
        layout.issuers = [(name, 1) for name in re.split(r"[\s、，,]+", issuer) if name]
    if layout.date is None:
        written = meta.get("成文日期")
        published = meta.get("发布日期") or meta.get("日期")
        m = re.match(r"^(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})", written or published or "")
        if m:
            layout.date = _ymd(m)
            if not written:
                layout.todos.append(f"正文未印成文日期：成文日期暂取文首元数据的发布日期 {published}，请对照原文核对")


def _issuer_names(prefix: str) -> list[str]:
    """`中共重庆市委办公厅 重庆市人民政府办公厅` or `国务院办公厅` before 关于 in a title."""
    parts = [p for p in re.split(r"[\s、]+", prefix) if p]
    if len(parts) == 1:
        parts = _glued_issuers(parts[0])
    return parts if all(looks_like_org(p) for p in parts) else [prefix]


def _glued_issuers(name: str) -> list[str]:
    """「成都市发展和改革委员会成都市民政局」: joint issuers printed on one line with spaces between, which squeezing
    CJK text removes; each issuer after the first repeats the place the first opens with (成都市)."""
    place = re.match(r"^[\u4e00-\u9fff]{1,6}?[省市区县]", name)
    if not place:
        return [name]
    cuts = [m.start() for m in re.finditer(re.escape(place.group(0)), name)
            if m.start() > 0 and re.search(r"(委员会|局|厅|委|办公室|办|政府|中心)$", name[: m.start()])]
    bounds = [0] + cuts + [len(name)]
    return [name[a:b] for a, b in itertools.pairwise(bounds)]


def _is_addressee(text: str) -> bool:
    return text.endswith(("：", ":")) and "。" not in text and not ANNEX.match(text) and len(text) <= 160 \
        and not text.startswith(("为", "根据", "按照")) and marker(text) is None


def _header_end(main: list[Para], limit: int) -> int:
    """Without an addressee line, the header ends after the 文号 (or the title)."""
    for i in range(limit):
        if DOC_NUMBER.match(main[i].text):
            return i + 1
    for i in range(limit):
        if "。" in main[i].text or marker(main[i].text):
            return i
    return min(1, len(main))


def _matched(pattern: re.Pattern[str], text: str) -> re.Match[str]:
    """`pattern.match(text)` of a text it is known to match (the line was picked by the same pattern)."""
    m = pattern.match(text)
    if m is None:
        raise ValueError(f"{pattern.pattern!r} does not match {text!r}")
    return m


def _ymd(m: re.Match[str]) -> tuple[str, str, str]:
    """Year, month and day: groups 1–3 of a date pattern (DATE_LINE, a metadata date), all required."""
    return m.group(1), m.group(2), m.group(3)


def _normal_number(text: str) -> str:
    m = DOC_NUMBER.match(text)
    if m is None:
        raise ValueError(f"not a 文号: {text!r}")  # called on lines DOC_NUMBER matched
    prefix = re.split(r"\s*[〔［\[【(（]", text, maxsplit=1)[0]
    return f"{prefix}〔{m.group(1)}〕{m.group(2)}号"


# ───────────── signature ─────────────


def _signature(main: list[Para], start: int, layout: Layout) -> int:
    """Recognise the closing block (issuer names, date, 抄送, 此件公开发布); return where the body ends."""
    first_marker = next((i for i in range(start, len(main)) if marker(main[i].text)), start)
    dates = [i for i in range(first_marker, len(main)) if DATE_LINE.match(main[i].text)]
    if dates:
        end = dates[-1]
        layout.date = _ymd(_matched(DATE_LINE, main[end].text))
        _trailer(main[end + 1:], layout)
    else:
        end = len(main)
        while end > first_marker and _trailer_line(main[end - 1].text):
            end -= 1
        _trailer(main[end:], layout)
    while end > first_marker and looks_like_org(main[end - 1].text):
        end -= 1
        layout.signature.insert(0, (main[end].text, main[end].line))
    if not layout.issuers and layout.signature:
        layout.issuers = list(layout.signature)
    return end


def _numbered_notice(main: list[Para], start: int, layout: Layout) -> int:
    """A notice with numbered requirements of its own, signed and dated, then the 方案 it issues with its own
    numbering (蔡甸 「…通知如下：」 「一、各责任单位要…」 「二、…」 / 「蔡甸区人民政府办公室」 / 「2024年1月3日」 / 「2024年…
    责任分解方案」 / 「一、2024年全区…主要预期目标」 …): the notice is the transmittal, the 方案 after its date the body.
    Taken as the notice's closing, the date left everything after it as page furniture and the 方案 was lost.
    Returns where the 方案's text starts (its preamble, or its first number)."""
    numbered = False
    for d in range(start, len(main)):
        p = main[d]
        if p.cells is None and marker(p.text):
            numbered = True
        if not (numbered and p.cells is None and DATE_LINE.match(p.text)):
            continue
        after = [i for i in range(d + 1, len(main)) if main[i].cells is not None or marker(main[i].text)]
        if not after:
            return start
        own = main[start:d]
        signed: list[tuple[str, int]] = []
        while own and looks_like_org(own[-1].text):
            signed.insert(0, (own[-1].text, own[-1].line))
            own = own[:-1]
        layout.signature = signed
        if not layout.issuers and signed:
            layout.issuers = list(signed)
        layout.transmittal = "".join(q.text for q in own if q.cells is None) or None
        layout.date = _ymd(_matched(DATE_LINE, p.text))
        i = d + 1
        _trailer([q for q in main[i:after[0]] if q.cells is None and _trailer_line(q.text)], layout)
        while i < after[0] and main[i].cells is None and _trailer_line(main[i].text):
            i += 1
        title: list[str] = []
        while i < after[0] and "。" not in main[i].text and "，" not in main[i].text and "," not in main[i].text:
            title.append(main[i].text)
            i += 1
        layout.attached_title = "".join(title) or None
        return i
    return start


def joint_issuers(layout: Layout) -> None:
    """「广州市卫生健康委等4部门关于…」: the issuers are the ones signing — 广州市卫生健康委员会广州市财政局 /
    广州市人力资源和社会保障局广州市医疗保障局, two a line — each name cut where the place name starts again."""
    if not layout.issuers or not re.search(r"等\s*[\d一二三四五六七八九十]+\s*(个)?(部门|单位)$", layout.issuers[0][0]):
        return
    names: list[tuple[str, int]] = []
    for text, line in layout.signature:
        place = re.match(r"^(.{2,4}?(省|市|区|县))", text)
        parts = re.split(f"(?={re.escape(place.group(1))})", text) if place else [text]
        names += [(part, line) for part in parts if part]
    if len(names) >= 2:
        layout.todos.append(f"发文机关原文写作「{layout.issuers[0][0]}」：已按落款读为联合发文的"
                            f"{'、'.join(n for n, _ in names)}，请核对")
        layout.issuers = names


def _trailer_line(text: str) -> bool:
    return bool(re.match(r"^[（(]此件.*[）)]$|^(抄\s*送|送)\s*[：:]", text))


def _trailer(paras: list[Para], layout: Layout) -> None:
    """After the date: 抄送 / 送 (cc), （此件公开发布）; anything else is page furniture and is dropped."""
    for p in paras:
        m = re.match(r"^(?:抄\s*送|送)\s*[：:](.*?)[。.]?$", p.text)
        if m:
            layout.cc = (m.group(1), p.line)
        elif re.match(r"^[（(]此件.*[）)]$", p.text):
            layout.notes.append(f"文末注明「{p.text}」")


def _without_annex_listing(paras: list[Para], layout: Layout) -> list[Para]:
    """The body without its 附件：/附表： listing — the listing line and the numbered titles under it (08's
    「附表：1、…」 then 「2、…」 「3、…」), which are the annexes' names, not items of the last part."""
    out: list[Para] = []
    listing = False
    for p in paras:
        if _annex_listing(p, layout):
            listing = True
            continue
        if listing and p.cells is None and "。" not in p.text and len(p.text) <= 60 and re.match(r"^\d{1,2}\s*[.．、]", p.text):
            layout.notes[-1] += f"；{p.text}"
            continue
        listing = False
        out.append(p)
    return out


def _annex_listing(p: Para, layout: Layout) -> bool:
    m = ANNEX.match(p.text) if p.cells is None else None
    if m and (m.group(2) or "").strip("：: "):
        layout.notes.append(f"正文列出附件：{m.group(2).lstrip('：:')}")
        return True
    return False


# ───────────── preamble ─────────────


def _preamble(paras: list[Para], layout: Layout) -> None:
    """The text before the first number. A transmittal notice keeps its own body, signature and date first."""
    dated = next((i for i, p in enumerate(paras) if DATE_LINE.match(p.text)), None)
    if dated is not None:
        own = paras[:dated]
        signed: list[tuple[str, int]] = []
        while own and looks_like_org(own[-1].text):
            signed.insert(0, (own[-1].text, own[-1].line))
            own = own[:-1]
        layout.signature = layout.signature or signed  # the notice's own signature (a 方案 follows unsigned)
        layout.transmittal = "".join(p.text for p in own) or None
        if layout.date is None:
            layout.date = _ymd(_matched(DATE_LINE, paras[dated].text))
        rest = [p for p in paras[dated + 1:] if not re.match(r"^[（(]此件.*[）)]$", p.text)]  # （此件公开发布）
        title = []
        while rest and "。" not in rest[0].text and "，" not in rest[0].text and len(rest) > 1:
            title.append(rest.pop(0).text)
        layout.attached_title = "".join(title) or None
        paras = rest
    text = "".join(p.text for p in paras if p.cells is None)
    if text:
        layout.preamble, layout.preamble_line = text, paras[0].line


# ───────────── numbered body ─────────────

# A part heading printed without a number: short, no sentence punctuation, no digits (总体要求 · 重点整治内容).
_BARE_HEADING = re.compile(r"[^。，,；;：:！？!?、（）()《》“”\"\d\s]{2,12}")


def _numbered_headings(body: list[Para], layout: Layout) -> list[Para]:
    """15's 方案 heads its parts 「总体要求」「重点整治内容」「工作安排」「工作要求」 with no 一、: without numbers the
    parts vanished into the preamble with their 1.–4. items. Where the body has no 一、 at all and at least two
    such headings stand after the notice's date, they are numbered 一、 二、 … in order — and a 待定 says so."""
    if any(p.cells is None and (m := marker(p.text)) and m[0] == 1 for p in body):
        return body
    dated = max((i for i, p in enumerate(body) if p.cells is None and DATE_LINE.match(p.text)), default=-1)
    heads = [i for i, p in enumerate(body) if i > dated and i + 1 < len(body) and p.cells is None
             and _BARE_HEADING.fullmatch(p.text.strip()) and not looks_like_org(p.text.strip())
             and not marker(p.text) and i - 1 != dated]  # the line after the date is the attached plan's title
    if len(heads) < 2:
        return body
    out = list(body)
    for n, i in enumerate(heads, start=1):
        out[i] = Para(f"{int_to_cn(n)}、{body[i].text.strip()}", body[i].line)
    names = "、".join(body[i].text.strip() for i in heads)
    layout.todos.append(f"正文的部分标题不编号（{names}）：已依次编为部分 1–{len(heads)}，请核对")
    return out


def build_tree(paras: list[Para]) -> list[Node]:
    """Numbered paragraphs as a tree by level; unnumbered ones continue the innermost open part."""
    roots: list[Node] = []
    stack: list[Node] = []
    articles = any(p.cells is None and ARTICLE.match(p.text) for p in paras)
    for p in paras:
        if p.cells is not None:
            continue
        m = marker(p.text) or _decimal_looking_marker(p.text, stack)
        if m and articles and not ARTICLE.match(p.text) and not CHAPTER.match(p.text):
            m = (min(m[0], 2) + 1 + (m[0] > 2) * (m[0] - 2), m[1], m[2])  # （一） under 第十一条: one level down
        if m and (not stack or m[0] <= max(n.level for n in stack) + 2 or m[0] in (1, 2)):
            level, number, rest = m
            while stack and stack[-1].level >= level:
                stack.pop()
            node = Node(level, number, _label(p.text), [rest], p.line, marker=p.text[: len(p.text) - len(rest)])
            (stack[-1].children if stack else roots).append(node)
            stack.append(node)
        elif stack:
            stack[-1].paras.append(p.text)
        else:
            roots.append(Node(0, 0, "", [p.text], p.line))
    return roots


ARTICLE = re.compile(r"^第\s*[一二三四五六七八九十百零〇]{1,5}\s*条")
CHAPTER = re.compile(r"^第\s*[一二三四五六七八九十百]{1,4}\s*章")


def _decimal_looking_marker(text: str, stack: list[Node]) -> tuple[int, int, str] | None:
    """「11.121人才梯队项目」 after item 10 is item 11 (「121人才梯队项目」), not the decimal 11.121: a number that
    reads as a decimal is a marker when its whole part is the next number of the open 1. 2. … sequence."""
    m = re.match(r"^(\d{1,2})[.．](?=\d)", text)
    if not m:
        return None
    open_items = [n for n in stack if n.level == 3]
    if open_items and open_items[-1].number + 1 == int(m.group(1)):
        return 3, int(m.group(1)), text[m.end():]
    return None


def _label(text: str) -> str:
    m = re.match(r"^第\s*([一二三四五六七八九十百零〇]+)\s*[章条]", text) or re.match(r"^[（(]?\s*([一二三四五六七八九十]+|\d+|[①-⑳])", text)
    return m.group(1) if m else ""


# ───────────── annexes and tables ─────────────


def _annex(paras: list[Para]) -> Annex:
    head = paras[0]
    rest = paras[1:] if head.cells is None else list(paras)
    quantities = read_quantity_table(rest)
    if quantities is not None:  # 08's 附表4 场所明细表: read as rows, not glued into a title
        annex = Annex(quantities.title or head.text, head.line, quantities=quantities)
        annex.nodes = build_tree(quantities.left_over)
        return annex
    keyed = read_keyed_table(rest)
    if keyed is not None:  # 08's 附表1: a row per 街镇, no 序号
        return Annex(keyed.title or head.text, head.line, keyed=keyed)
    title_parts = []
    while rest and rest[0].cells is None and not marker(rest[0].text) and "。" not in rest[0].text:
        title_parts.append(rest.pop(0).text)
    annex = Annex("".join(title_parts) or (head.text if head.cells is None else ""), head.line)
    rows = [p for p in rest if p.cells is not None]
    if rows:
        annex.tables = _tables(rows)
        kept = {id(r) for t in annex.tables for r in t.source_rows}
        annex.skipped = [r for r in rows if id(r) not in kept]
    annex.nodes = build_tree([p for p in rest if p.cells is None])
    return annex


def _columns(header: tuple[str, ...]) -> list[str]:
    out = []
    for cell in header:
        kind = next((k for k, pattern in TABLE_COLUMNS if pattern.search(cell)), "other")
        out.append(kind)
    return out


def _tables(rows: list[Para]) -> list[Table]:
    tables: list[Table] = []
    table: Table | None = None
    for p in rows:
        cells = p.cells or ()
        if {"lead", "responsible"} & set(_columns(cells)) and len(cells) > 1 and \
                not any(len(c) > 30 for c in cells):
            table = Table(cells, p.line, [TableSection("", "", p.line)], [p])
            tables.append(table)
            continue
        if table is None:
            continue
        table.source_rows.append(p)
        filled = [c for c in cells if c]
        if len(set(filled)) == 1 and (len(filled) == len(cells) or len(filled) == 1) and not filled[0].isdigit():
            m = marker(filled[0])
            label = _label(filled[0]) if m else ""
            title = m[2] if m else filled[0]
            table.sections.append(TableSection(label, title, p.line))
            continue
        row = _row(table, cells, p.line)
        if row and p.carried:
            row.carried = p.carried
        if row:
            table.sections[-1].rows.append(row)
    for t in tables:
        _groups(t)
        t.sections = [s for s in t.sections if s.rows or s.label]
    return tables


def _row(table: Table, cells: tuple[str, ...], line: int) -> Row | None:
    kinds = _columns(table.header)
    cells = tuple(cells)
    if kinds.count("task") == 2:  # 重点任务 | 具体内容: a title column and a content column
        first = kinds.index("task")
        kinds[first], kinds[kinds.index("task", first + 1)] = "title", "content"
    elif "task" in kinds and len(cells) == len(kinds) + 1:  # the 重点任务 column spans a title and a content cell
        i = kinds.index("task")
        kinds = kinds[:i] + ["title", "content"] + kinds[i + 1:]
    cells = cells + ("",) * (len(kinds) - len(cells))
    by_kind: dict[str, str] = {}
    for kind, cell in zip(kinds, cells):
        by_kind.setdefault(kind, cell)
    title = by_kind.get("title", "")
    content = by_kind.get("content", by_kind.get("task", ""))
    if not content and not title:
        return None
    # only the columns the table has: a 责任单位 column beside a 配合单位 column is the lead's (items.row_item)
    units: dict[str, str] = {k: _blank(by_kind.get(k, "")) for k in ("lead", "responsible", "cooperate", "deadline", "note")
                             if k in kinds}
    if "leader" in kinds and (people := _blank(by_kind.get("leader", ""))):
        column = re.sub(r"\s+", "", table.header[kinds.index("leader")])
        units["leader"] = f"{column}：{people}"
    return Row(by_kind.get("number", ""), title, content, units, line, by_kind.get("group") or None)


def _groups(table: Table) -> None:
    """A 重点任务 cell merged over rows (empty or repeated below) names a task group."""
    for section in table.sections:
        rows = section.rows
        i = 0
        while i < len(rows):
            j = i + 1
            while j < len(rows) and rows[j].title in ("", rows[i].title) and rows[i].title:
                j += 1
            if j - i > 1:
                for r in rows[i:j]:
                    r.group = rows[i].title
            i = j


_EMPTY_CELL = re.compile(r"[/／\\—–\-－、]+|无|暂无")


def _blank(cell: str) -> str:
    """A cell a table marks empty (「/」「—」「无」, as 16's 配合单位 column does) is empty, not a unit named 「/」."""
    return "" if _EMPTY_CELL.fullmatch(cell.strip()) else cell
