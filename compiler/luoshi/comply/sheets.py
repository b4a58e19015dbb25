"""Completion sheets as offices make them: a 督查 table with a merged title, a 填报单位 line, the header in row 3,
序号 and 重点任务 instead of 任务, no 政策 column, merged cells, a 合计 row and a 填表人 footer.

Reading such a sheet takes two steps. While the sheet is read (`loaders`), this module picks the header row (the
row of the first ten that names the most columns: 「填报日期：2021年3月31日」 fills a form, it does not name a
column), keeps the lines above it (`Preamble`: title, 填报单位, 填报日期), carries a merged cell's value to every
cell it covers, and leaves out rows that are not data (blank, 合计, 填表人/联系电话/审核人 …). Once the corpus is
known (`complete`, with a `SheetContext`), what the sheet leaves implicit is made explicit, each inference said
once as a note (LS506): the policy from `--policy` or the title (a 文号, 《…》, the policy's title words) or the
task titles; the unit from the 填报单位 line or the sheet's name; the task from 序号 and 重点任务 (LS507 when they
disagree). Dates without a year take the title's year (3月底, 3月31日); an Excel serial number in a text cell is
its date; 已完成（提前） is 已完成; 完成85% is 进行中; 县民政局（牵头） is 县民政局; a row not done without a date is
dated by the 填报日期 (or its title's period's end). What cannot be inferred is one located error (LS503) naming the
header row. A run of such sheets alone checks only the policies (and filing units) they name (`sheet_scope`).
"""

from __future__ import annotations

import html
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..diagnostics import Sink
from ..syntax.source import Span
from .cells import (
    MARKS,
    SHORT_YEAR,
    date_in_text,
    legend,
    normal_date,
    normal_status,
    normal_unit,
    parse_day,
    percent_status,
    period_end,
    prose_status,
    short_year,
    status_date,
    tens_of_thousands,
)
from .plan import Plan, fold_key, fold_number
from .refs import TaskIndex
from .sheetpolicy import compatible, filer_places, row_votes, title_places

if TYPE_CHECKING:
    from .loaders import RawTable

HEADER_SEARCH = 10  # rows searched for a sheet's header
# columns an office sheet has besides the fields: the responsibility table's number and the task's title
OFFICE_ALIASES: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号", "顺序号", "项次"),
    "title": ("重点任务", "工作任务", "任务名称", "主要任务", "重点工作", "工作事项", "任务内容", "工作内容", "具体任务",
              "目标任务", "重点举措", "工作举措", "具体措施", "任务事项"),
}
_OFFICE_KEYS = {fold_key(name).lower(): f for f, names in OFFICE_ALIASES.items() for name in names}
# columns an office sheet has that are not read, named so a header's second row of them is known as a header: the
# cooperating units beside the lead (牵头单位 | 配合单位), the policy's deadline (完成时限: when it was due, not when
# it was done), who answers for it, the evidence
UNREAD_HEADERS = frozenset(fold_key(n).lower() for n in (
    "配合单位", "配合部门", "协办单位", "协同单位", "责任科室", "责任处室", "责任股室", "责任领导", "分管领导", "责任人",
    "联系人", "完成时限", "时限", "时限要求", "时间节点", "计划完成时间", "完成期限", "佐证材料", "印证材料"))
# 「填报单位：区民政局」: a form's line (a label and what was filled in), never a column's name
_FILLED = re.compile(r"^\s*([^：:]{1,16}?)\s*[：:]\s*(\S.*)$", re.S)
_BLANK_LABEL = re.compile(r"^[^：:]{1,16}[：:]\s*$")  # 「填报单位：」 left blank: a form's line all the same
_PIECES = re.compile(r"\s{2,}|\u3000+|\t+")
_STAMP = re.compile(r"[（(]\s*(?:盖\s*章|公\s*章|签\s*章|签\s*字)\s*[）)]|盖章")
UNIT_LABELS = ("填报单位", "报送单位", "单位", "单位名称", "填报部门", "报送部门", "责任单位", "填报科室")
DATE_LABELS = ("填报日期", "报送日期", "填报时间", "报送时间", "日期", "统计日期", "截止日期")
_TOTAL_WORDS = r"(?:合\s*计|小\s*计|总\s*计|共\s*计)(?:$|[:：\s（(])"
_TOTAL = re.compile("^" + _TOTAL_WORDS)
# the first cell of a row that is not data: a total, a signature line, a note under the table
_FOOTER = re.compile(r"^(?:" + _TOTAL_WORDS + r"|"
                     r"(?:填\s*表\s*人|填\s*报\s*人|制\s*表\s*人|审\s*核\s*人|审\s*核|审\s*批\s*人|联\s*系\s*人|"
                     r"联\s*系\s*电\s*话|电\s*话|负\s*责\s*人|单\s*位\s*负\s*责\s*人|主\s*要\s*负\s*责\s*人|分\s*管\s*领\s*导|"
                     r"签\s*发\s*人)(?:$|[:：\s])|(?:注|说\s*明|备\s*注)\s*[:：]|注\s*\d|"
                     r"(?:填\s*报|报\s*送)\s*(?:单\s*位|日\s*期|时\s*间|部\s*门)\s*(?:[（(][^）)]*[）)])?\s*[:：])")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_BARE_DATE = re.compile(r"(?:19|20)\d\d\s*(?:年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[-./]\d{1,2}[-./]\d{1,2})")
_DOCNO = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［（(【]\s*\d{4}\s*[〕\]］）)】]\s*\d+\s*号")
_BOOK = re.compile(r"《([^《》]{2,80})》")
_TITLE_NOISE = re.compile(r"关于|印发|贯彻落实|贯彻|落实|的通知|通知|实施方案|工作方案|意见|办法|重点任务|落实情况|统计表|"
                          r"情况表|完成情况|进展情况|推进情况|汇总表|台账|督查|督办|一览表|责任分工|分工|季度|年度|第.季度|"
                          r"[（()）《》〈〉“”\"、，,\s]")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')
def office_field(header: str) -> str | None:
    """`seq` for 序号, `title` for 重点任务 …: the columns an office sheet names the task with."""
    key = fold_key(header).lower()
    return _OFFICE_KEYS.get(key)


_COUNT_HEADER = re.compile(r"^(?:任务|事项|项目|工作)?(?:总?数|项数|个数|总项数|数量)$|.+(?:项数|数量)$|^(?:完成|已完成|未完成|推进中|未启动)(?:数|项数|率)$")


def count_summary(headers: Sequence[str], words: Mapping[str, str]) -> bool:
    """Whether a header is a 汇总's that counts each unit's tasks (责任单位 | 任务数 | 已完成 | 正在推进 | 未启动): two
    or more columns named by a status word or a count, and none naming a task. Such a sheet beside the units'
    own reports is a tally of them, not a report of its own."""
    names = [fold_key(h).lower() for h in headers if h and h.strip()]
    if any(office_field(n) == "title" or n in ("任务", "任务编号") for n in names):
        return False
    return sum(1 for n in names if n in words or _COUNT_HEADER.match(n)) >= 2


def filled_in(text: str) -> tuple[str, str] | None:
    """「填报单位：区民政局（盖章）」 → (填报单位, 区民政局（盖章）): a form's line, label and what was written."""
    m = _FILLED.match(text)
    return (m.group(1).strip(), m.group(2).strip()) if m else None


_FOOTER_FIRST = frozenset("合小总共填制审联电负单主分签注说备")  # how a footer's first cell can begin (checked first: every row is)


def is_footer(cells: Sequence[object], data: Sequence[object] = ()) -> bool:
    """Whether a row after the header is not data: its first filled cell is a total (合计, 小计 …), or a signature
    line (填表人：…, 联系电话：…, 注：…) whose `data` cells (its status, date and value) hold nothing else: a report
    whose first column happens to be a note beginning 说明： is still a report."""
    for value in cells:
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if not isinstance(value, str) or value.lstrip()[0] not in _FOOTER_FIRST:
            return False
        text = unicodedata.normalize("NFKC", value).strip()
        if _FOOTER.match(text) is None:
            return False
        return _TOTAL.match(text) is not None or all(_empty_or_footer(d) for d in data)
    return False


def _empty_or_footer(value: object) -> bool:
    if value is None:
        return True
    text = unicodedata.normalize("NFKC", str(value)).strip()
    return not text or _FOOTER.match(text) is not None


def block_line(values: Sequence[object], header: Sequence[str], extra: Mapping[str, str] | None = None) -> str | None:
    """What a row below a table's rows is when it is not data: "header" when it repeats the header (most of its
    names in their columns, or three or more fields named: a second unit's table pasted under the first), "form"
    when it is a title or a 「填报单位：…」 line (which may head such a table; the reader keeps it until it knows),
    None for anything else. Only rows whose filled cells are all text are considered."""
    texts = ["" if v is None else str(v).strip() for v in values]
    filled = [t for t in texts if t]
    if not filled or any(v is not None and not isinstance(v, str) for v in values):
        return None
    names = [h.strip() for h in header if h and h.strip()]
    same = sum(1 for i, h in enumerate(header) if h and h.strip() and i < len(texts) and texts[i] == h.strip())
    if len(filled) >= 2 and (2 * same >= max(len(names), 2)):
        return "header"
    if len(filled) >= 3 and sum(t in _header_names() for t in filled) >= 3:  # cheap first: most rows are data
        from .loaders import header_score

        if header_score(texts, extra)[0] >= 3:
            return "header"
    if len(filled) > 1 and not any("：" in t or ":" in t for t in filled):
        return None
    pairs = [filled_in(t) for t in filled]
    if all(p is not None or _BLANK_LABEL.match(t) for p, t in zip(pairs, filled)) and \
            any(p is not None and _STAMP.sub("", p[0]).strip() in (*UNIT_LABELS, *DATE_LABELS) for p in pairs):
        return "form"
    if len(filled) == 1 and texts[0] == filled[0] and is_title_like(filled[0]):
        return "form"  # a title in the first column: 「…落实情况表」
    return None


def is_title_like(text: str) -> bool:
    """A sheet's title: long, and calling itself a table (「…落实情况统计表」「…台账」「…清单」)."""
    return len(text) >= 12 and _TITLE_WORDS.search(text) is not None


_NAMES: set[str] = set()


def _header_names() -> set[str]:
    """Every column name the reader knows, as written (a quick test before `header_score`)."""
    if not _NAMES:
        from .loaders import ALIASES

        _NAMES.update(n for names in (*ALIASES.values(), *OFFICE_ALIASES.values()) for n in names)
    return _NAMES


_TITLE_WORDS = re.compile(r"(?:情况|统计|汇总|台账|一览)表|台账|清单")


@dataclass
class Preamble:
    """What the lines above a sheet's header say: its title, who filled it in and when (each with its cell)."""

    title: str | None = None
    title_at: tuple[int, int] = (1, 0)  # (row, 0-based column)
    unit: str | None = None
    unit_at: tuple[int, int] = (1, 0)
    date: str | None = None
    date_at: tuple[int, int] = (1, 0)

    lines: list[str] = field(default_factory=list)  # every plain line above the header (the title among them)

    @property
    def year(self) -> int | None:
        """The year the sheet is about: the title's (2021年第一季度), else a subtitle's, else the 填报日期's."""
        for text in (self.title, *self.lines, self.date):
            if text and (m := _YEAR.search(text)):
                return int(m.group(1))
        return None

    @property
    def period_end(self) -> str | None:
        """The last day of the period the title (or a subtitle) reports on (2021年第一季度 → 2021-03-31)."""
        return next((end for text in (self.title, *self.lines) if (end := period_end(text)) is not None), None)


def read_preamble(rows: Sequence[Sequence[str]], numbers: Sequence[int] | None = None) -> Preamble:
    """The lines above the header: the longest plain text is the title (the others are kept: a subtitle
    「（2019年第四季度）」 gives the year and period); 「填报单位：…」 and 「填报日期：…」 (also several in one cell,
    spaced apart, or the label in one cell and what was filled in the next) the unit and the date; a day written
    alone in a cell (「2021年6月30日」 at the right of the 填报单位 line) is the filing date when none is labelled. `numbers`: the
    rows' numbers on the sheet (1, 2 … unless given: a table stacked under another starts lower)."""
    out = Preamble()
    for r, row in zip(numbers or range(1, len(rows) + 1), rows):
        waiting: str | None = None  # 「填报单位：」 alone in its cell: what was filled in is in the next one
        for c, text in enumerate(row):
            if not text or not text.strip():
                continue
            pieces = [p for p in _PIECES.split(text.strip()) if p]
            if waiting is not None and not any(_BLANK_LABEL.match(p) or filled_in(p) for p in pieces):
                pieces, waiting = [f"{waiting}：{text.strip()}"], None
                plain = False
            else:
                plain = not all(_BLANK_LABEL.match(p) or filled_in(p) for p in pieces)
            for piece in pieces:
                pair = filled_in(piece)
                if pair is None:
                    blank = _STAMP.sub("", piece.rstrip("：: ")).strip()
                    waiting = blank if _BLANK_LABEL.match(piece) and blank in (*UNIT_LABELS, *DATE_LABELS) else waiting
                    continue
                label = _STAMP.sub("", pair[0]).strip()
                if label in UNIT_LABELS and out.unit is None:
                    unit = _STAMP.sub("", pair[1]).strip()
                    if unit:
                        out.unit, out.unit_at = unit, (r, c)
                elif label in DATE_LABELS and out.date is None:
                    out.date, out.date_at = pair[1].strip(), (r, c)
            if plain and out.date is None and _BARE_DATE.fullmatch(text.strip()):  # 「2021年6月30日」 alone at the right
                out.date, out.date_at = text.strip(), (r, c)
            elif plain:
                out.lines.append(text.strip())
                if out.title is None or len(text.strip()) > len(out.title):
                    out.title, out.title_at = text.strip(), (r, c)
    return out


MERGE_SCAN_BYTES = 16 << 20  # sheets whose XML is larger (some 45,000 rows of five columns) are not searched for merges


def merged_ranges(archive: zipfile.ZipFile | None, member: str | None) -> list[tuple[int, int, int, int]]:
    """A sheet's merged ranges (first row, first column, last row, last column; 1-based), read from its XML in one
    pass over the bytes (openpyxl's read-only mode does not keep them). An office's sheet is small; a sheet past
    `MERGE_SCAN_BYTES` is a data export, read without this pass (its merged cells, if any, stay where Excel put
    their values)."""
    if archive is None or not member:
        return []
    found: list[tuple[int, int, int, int]] = []
    tail = b""
    try:
        if archive.getinfo(member.lstrip("/")).file_size > MERGE_SCAN_BYTES:
            return []
        with archive.open(member.lstrip("/")) as handle:
            while chunk := handle.read(1 << 16):  # small: the scan must not raise the peak memory of reading the sheet
                text = tail + chunk
                cut = text.rfind(b"<")  # a tag cut by the chunk's end is read with the next chunk
                body, tail = (text[:cut], text[cut:]) if cut > 0 and len(text) - cut < 200 else (text, b"")
                for m in _MERGE.finditer(body) if b"mergeCell" in body else ():
                    found.append((int(m.group(2)), _column(m.group(1)), int(m.group(4)), _column(m.group(3))))
    except (KeyError, OSError, zipfile.BadZipFile):
        return []
    return found


# a formula cell saved without its value: `<c r="E2"><f>…</f><v></v></c>` (or no <v>, or a shared formula's <f/>)
_UNCOMPUTED = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})(\d+)"[^>]*>\s*<(?:\w+:)?f\b[^>]*?(?:/>|>([^<]*)</(?:\w+:)?f>)'
                         rb'\s*(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>')


def uncomputed_formulas(archive: zipfile.ZipFile | None, member: str | None) -> list[tuple[int, int, str]]:
    """(row, 0-based column, formula) of each formula cell a sheet keeps without its value. Excel and WPS save a
    formula's last value beside it, and the reader reads that (`data_only`); a program that writes a workbook
    (openpyxl, an OA system's export) often saves the formula alone, which Excel computes on opening: the office
    sees 「已完成」 where the reader would find an empty cell. Sheets past `MERGE_SCAN_BYTES` are not searched."""
    if archive is None or not member:
        return []
    found: list[tuple[int, int, str]] = []
    tail = b""
    try:
        if archive.getinfo(member.lstrip("/")).file_size > MERGE_SCAN_BYTES:
            return []
        with archive.open(member.lstrip("/")) as handle:
            while chunk := handle.read(1 << 16):  # in chunks, as merged_ranges: the sheet's XML is never held whole
                text = tail + chunk
                cut = _after_last_cell(text)
                body, tail = text[:cut], text[cut:]
                if len(tail) > (1 << 20):  # no cell ends in a megabyte: not a sheet's cells
                    tail = tail[-4096:]
                if b"<f" in body or b":f" in body:
                    found.extend((int(m.group(2)), _column(m.group(1)) - 1,
                                  html.unescape((m.group(3) or b"").decode("utf-8", "replace")))
                                 for m in _UNCOMPUTED.finditer(body))
    except (KeyError, OSError, zipfile.BadZipFile, zlib.error):
        return []
    return found


_CELL_END = re.compile(rb"</(?:\w+:)?c>")


def _after_last_cell(text: bytes) -> int:
    """Where the last whole cell (`</c>`, or a prefixed `</x:c>`) of `text` ends; 0 when none does."""
    at = text.rfind(b"c>")
    while at >= 0:
        start = text.rfind(b"</", 0, at)
        if start >= 0 and _CELL_END.fullmatch(text, start, at + 2):
            return at + 2
        at = text.rfind(b"c>", 0, at)
    return 0


_COL = re.compile(rb"<(?:\w+:)?col\b([^>]*)>")
_ATTR = re.compile(rb'\b(min|max|hidden)="([^"]*)"')


def hidden_columns(archive: zipfile.ZipFile | None, member: str | None) -> frozenset[int]:
    """The 0-based columns a sheet hides (`<col hidden="1">`, written before its rows), read from the first bytes of
    its XML: openpyxl's read-only mode does not keep them. A hidden column holds what the office did not mean to
    report (a template's own codes, last quarter's dates), so it yields to a visible column of the same field."""
    if archive is None or not member:
        return frozenset()
    head = b""
    try:
        with archive.open(member.lstrip("/")) as handle:
            while b"<sheetData" not in head and len(head) < (4 << 20) and (chunk := handle.read(1 << 16)):
                head += chunk
    except (KeyError, OSError, zipfile.BadZipFile):
        return frozenset()
    head = head.split(b"<sheetData", 1)[0]
    out: set[int] = set()
    for m in _COL.finditer(head):
        attrs: dict[bytes, bytes] = dict(_ATTR.findall(m.group(1)))
        if attrs.get(b"hidden") in (b"1", b"true") and attrs.get(b"min", b"").isdigit():
            first = int(attrs[b"min"])
            last = int(attrs[b"max"]) if attrs.get(b"max", b"").isdigit() else first
            out.update(range(first - 1, min(last, first + 16383)))
    return frozenset(out)


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


class MergeFill:
    """Carries each merged range's value (its top-left cell) down its first column, row by row as they stream: a
    重点任务 merged over the rows of its sub-tasks is every one of those rows' task. A range one row tall (a 填写说明
    line merged across the table, as `luoshi checklist` writes its notes) is left as read: spread across the row it
    would put the note's text in the 政策, 状态 and 日期 cells and make a data row of it."""

    def __init__(self, ranges: list[tuple[int, int, int, int]], first_row: int):
        # a range begun in the header (序号 merged over a two-row header) is the header's, not the data's
        self.pending = sorted(r for r in ranges if r[0] >= first_row and r[2] > r[0])
        self.active: list[tuple[int, int, int, int, object]] = []

    def apply(self, number: int, cells: list[object]) -> list[object]:
        """The row's cells (openpyxl cells or values) with the covered ones replaced by their range's top-left."""
        while self.pending and self.pending[0][0] <= number:
            r1, c1, r2, c2 = self.pending.pop(0)
            top = cells[c1 - 1] if c1 - 1 < len(cells) else None
            self.active.append((r1, c1, r2, c2, top))
        if not self.active:
            return cells
        out = list(cells)
        for r1, c1, r2, _c2, top in self.active:
            if r1 < number <= r2:
                while len(out) < c1:
                    out.append(None)
                out[c1 - 1] = top
        self.active = [a for a in self.active if a[2] > number]
        return out


# ───────────── completing a sheet with the corpus ─────────────


@dataclass(frozen=True)
class SheetContext:
    """What completing an office sheet needs of the run: the plan, the `--policy` ids and the project's words."""

    plan: Plan
    policies: frozenset[str] | None = None
    statuses: Mapping[str, str] = field(default_factory=dict)
    unit_names: Mapping[str, str] = field(default_factory=dict)
    said: set[tuple[str, str]] = field(default_factory=set, compare=False)  # (file, policy) notes given: once a workbook
    # each table's policy, by its source, when the sheet has no 政策 column and it was read from the title, the
    # task titles or --policy (`sheet_scope`); a table with its own 政策 column is not listed. A list: two units'
    # tables stacked on one sheet are two tables of one source
    inferred: dict[str, list[str]] = field(default_factory=dict, compare=False)
    filers: dict[str, list[str | None]] = field(default_factory=dict, compare=False)  # the unit that filed each table, as written


def _inferred(context: SheetContext, source: str) -> str | None:
    """The policy the latest table of `source` was told to be about (None when it has a 政策 column)."""
    found = context.inferred.get(source)
    return found[-1] if found else None


def sheet_scope(context: SheetContext, sources: Sequence[str]) -> tuple[frozenset[str], frozenset[str] | None] | None:
    """What a run is about when the command names nothing: the policies of its sheets, when every table read is an
    office sheet whose one policy was told by its title or task titles, and the units that filed them, when every
    sheet names its filer (a 填报单位 line, a sheet named after a unit). An office's sheet reports on one policy for
    one unit; checking the whole corpus against it fails every other policy's and unit's checks for want of data it
    was never going to hold (416 failures for one 区民政局 sheet). A table with its own 政策 column keeps the whole
    corpus: it may name any policy, and the checks it leaves without data are the report's point. None: no limit."""
    if not sources or any(s not in context.inferred or len(context.inferred[s]) < sources.count(s) for s in sources):
        return None
    policies = frozenset(p for s in sources for p in context.inferred[s])
    filers = [f for s in sources for f in context.filers.get(s, [None])]
    if any(f is None for f in filers) or any(len(context.filers.get(s, ())) < sources.count(s) for s in sources):
        return policies, None
    return policies, frozenset(f for f in filers if f is not None)


def _lcs(a: str, b: str) -> int:
    """The length of the longest common substring (titles are short: quadratic is fine)."""
    best = 0
    prev = [0] * (len(b) + 1)
    for ch in a:
        cur = [0] * (len(b) + 1)
        for j, other in enumerate(b, start=1):
            if ch == other:
                cur[j] = prev[j - 1] + 1
                best = max(best, cur[j])
        prev = cur
    return best


def policy_of_title(plan: Plan, title: str, allowed: frozenset[str] | None = None) -> tuple[str | None, str]:
    """The policy a sheet's title names: by its 文号, by a 《title》, or by the policy's own title words (the longest
    shared run of at least six characters, longer than any other policy's). (id, how) or (None, "")."""
    policies = [p for p in plan.policies if allowed is None or p.id in allowed]
    keys = {k: p.id for p in policies for k in p.keys}
    for m in _DOCNO.finditer(title):
        found = keys.get(fold_number(m.group(0)))
        if found:
            return found, f"写有文号 {m.group(0)}"
    for m in _BOOK.finditer(title):
        book = fold_key(m.group(1))
        hits = {p.id for p in policies if p.title and book in fold_key(p.title)}
        if len(hits) == 1:
            return next(iter(hits)), f"写有《{m.group(1)}》"
    words = _TITLE_NOISE.sub("", fold_key(title))
    scored = sorted(((_lcs(words, _TITLE_NOISE.sub("", fold_key(p.title or ""))), p.id) for p in policies), reverse=True)
    if scored and scored[0][0] >= 6 and (len(scored) == 1 or scored[0][0] > scored[1][0]):
        return scored[0][1], "与该政策的标题有相同的字词"
    if scored and scored[0][0] >= 6:  # several policies share the words (a county's 实施办法 and the city's 意见)
        tied = [pid for n, pid in scored if n == scored[0][0]]
        places = {pid: _place_named(title, next(p for p in policies if p.id == pid).jurisdiction) for pid in tied}
        named = [pid for pid in tied if places[pid]]
        if len(named) == 1:
            return named[0], f"与该政策的标题有相同的字词，并写明了辖区{places[named[0]]}"
    return None, ""


def _place_named(title: str, jurisdiction: str | None) -> str:
    """The jurisdiction's name as a title writes it (云阳县, or 云阳 without its level), or "" when it is not there."""
    if not jurisdiction:
        return ""
    name = jurisdiction.rsplit("/", 1)[-1]
    short = re.sub(r"(?:土家族|苗族|自治县|自治州|新区|街道|县|区|市|镇|乡)+$", "", name)
    for written in (name, short):
        if len(written) >= 2 and written in title:
            return name
    return ""


def find_title(index: TaskIndex, written: str) -> str | None:
    """The task a 重点任务 cell names: its title as the policy writes it, or a part of it (or it of a part of the
    cell) shared by no other task, at least four characters long."""
    key = fold_key(written)
    if len(key) < 2:
        return None
    exact = [t.id for t in index.tasks.values() if t.title and fold_key(t.title) == key]
    if len(exact) == 1:
        return exact[0]
    if len(key) < 4:
        return None
    close = [t.id for t in index.tasks.values() if t.title and len(fold_key(t.title)) >= 4
             and (key in fold_key(t.title) or fold_key(t.title) in key)]
    return close[0] if len(close) == 1 else None


def abbreviated_title(index: TaskIndex, written: str) -> str | None:
    """The task a shortened title names (特困供养 for 提升特困人员救助供养水平, 加强领导 for 加强组织领导): at least
    four characters, found in that order in one task's title only, in at most three runs (a shortening keeps
    words whole; characters scattered over a long title are a coincidence)."""
    key = fold_key(written)
    if len(key) < 4:
        return None
    hits = [t.id for t in index.tasks.values() if t.title and _runs(key, fold_key(t.title)) <= 3]
    return hits[0] if len(hits) == 1 else None


def _runs(short: str, long: str) -> int:
    """In how many runs of adjacent characters `short` is found in order in `long` (greedy); 99 when it is not."""
    runs, at, last = 0, 0, -2
    for ch in short:
        found = long.find(ch, at)
        if found < 0:
            return 99
        runs += found != last + 1
        last, at = found, found + 1
    return runs


@dataclass
class SheetInfo:
    """An office sheet's shape, kept with its table until the corpus completes it: the header's row, the lines
    above it, the 序号 / 重点任务 columns (`seq`, `title`) with their cells, and the sheet's name."""

    header_row: int
    preamble: Preamble
    extra: dict[str, tuple[int, str]] = field(default_factory=dict)  # seq/title → (0-based column, header)
    data: dict[str, list[str | None]] = field(default_factory=dict)
    name: str | None = None
    carried: int = 0  # 重点任务 cells of a CSV left blank under a filled one (a merged cell saved as CSV), carried down
    notes: list[str] = field(default_factory=list)  # the first cells of the 注/说明 lines under the table
    below: list[tuple[int, list[str]]] = field(default_factory=list)  # 「填报单位：…」 lines under the table, by row


def _note(sink: Sink, source: str, at: tuple[int, int], zh: str, en: str) -> None:
    row, col = at
    sink.emit("LS506", Span(file=source, line=row, column=col + 1, end_line=row, end_column=col + 2), zh, en)


class _Tasks:
    """Each policy's `TaskIndex`, built when first asked for."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.built: dict[str, TaskIndex] = {}
        self.keys = {k: p.id for p in plan.policies for k in p.keys} | {fold_number(p.id): p.id for p in plan.policies}

    def __getitem__(self, pid: str) -> TaskIndex:
        if pid not in self.built:
            self.built[pid] = TaskIndex([t for t in self.plan.tasks if t.policy == pid])
        return self.built[pid]

    def policy(self, written: str | None) -> str | None:
        return self.keys.get(fold_number(written)) if written else None


def complete(table: RawTable, context: SheetContext | None, sink: Sink) -> bool:
    """Make explicit what an office sheet leaves implicit (policy, unit, task, date), normalise its dates and
    status words, and check the required columns; False (with an LS503 at the header row) when it stays unusable."""
    from .loaders import Column, missing_columns
    from .vocabulary import status_words

    info = table.sheet
    if info is None:
        return True
    source, n = table.source, len(table.rows)
    if info.below:
        _form_below(info)
    _heading_rows(table, info, sink)
    filled = [any(column[i] is not None for column in (*table.data.values(), *info.data.values())) for i in range(n)]
    tasks = _Tasks(context.plan) if context is not None else None
    if "policy" not in table.columns and context is not None and tasks is not None:
        pid, header, at, zh, en = _which_policy(info, context, tasks)
        if pid is not None:
            context.inferred.setdefault(source, []).append(pid)
            table.columns["policy"] = Column(at[1], header)
            table.data["policy"] = [pid if f else None for f in filled]
            if zh and (said := (source.split("[", 1)[0], pid)) not in context.said:  # one note for a sheet per unit
                context.said.add(said)
                _note(sink, source, at, zh, en)
    if "unit" in table.data:
        table.data["unit"] = _each_distinct(table.data["unit"], normal_unit)
        if context is not None and "policy" in table.columns and (pid := _inferred(context, source)) is not None:
            _local_units(table, pid, context, sink)
    if context is not None:
        _local_filer(table, info, context, sink)
    if "unit" not in table.columns:
        _which_unit(table, info, context, filled, sink)
        if context is not None and info.preamble.unit and not _known_filer(info.preamble.unit, context):
            _unknown_filer(table, info, context, filled, sink)
            return True
    elif info.preamble.unit and "unit" in table.data:
        _own_unit(table, info, filled, sink)
    if context is not None:
        context.filers.setdefault(source, []).append(_filer(table, info, context))
    if info.carried and "title" in info.extra:
        col, header = info.extra["title"]
        _note(sink, source, (info.header_row, col), f"「{header}」列为空的 {info.carried} 行沿用上一行的任务（合并的单元格另存为 CSV 后只有第一行有内容）",
              f"{info.carried} rows with an empty '{header}' take the task of the row above (a merged cell saved as CSV keeps its value in its first row only)")
    if "task" not in table.columns and info.extra:
        _tasks_of_rows(table, info, tasks, filled, sink)
    if "value" in table.data:
        _tens_of_thousands(table, sink)
    own_dates = "date" in table.data  # a column of the sheet's (not dates read from its status cells)
    if "status" in table.data:
        _prose_statuses(table, context.statuses if context is not None and context.statuses else status_words(), sink)
        _dates_in_status(table, info, filled, sink)
    if "date" in table.data:
        year = info.preamble.year
        _say_read_dates(table, year, sink)
        table.data["date"] = _each_distinct(table.data["date"], lambda d: normal_date(d, year))
    if not own_dates and info.preamble.date and any(filled):
        _filing_date(table, info, filled, sink)
    if "status" in table.data:
        words = context.statuses if context is not None and context.statuses else status_words()
        _percent_statuses(table, info, words, sink)
        _mark_statuses(table, info, words, sink)
        table.data["status"] = _each_distinct(table.data["status"], lambda s: normal_status(s, words))
        if "date" in table.data:
            _undated_rows(table, info, words, sink)
    return missing_columns(table.columns, source, sink, info.header_row, office=True)


def _tens_of_thousands(table: RawTable, sink: Sink) -> None:
    """Values written in 万 (1.2万人) read as their number (12000人), said once where the first is."""
    cells, first = table.data["value"], None
    for i, cell in enumerate(cells):
        if cell and "万" in cell and (read := tens_of_thousands(cell)) is not None:
            cells[i] = read
            first = first if first is not None else (i, cell, read)
    if first is not None:
        i, cell, read = first
        column = table.columns["value"]
        _note(sink, table.source, (table.rows[i], column.index), f"「{column.header}」的「{cell}」按 {read} 读（以“万”写的数都如此）",
              f"'{cell}' in '{column.header}' is read as {read} (so are all figures written in 万)")


def form_line(cells: Sequence[object]) -> bool:
    """Whether a row is a 「填报单位：…」 or 「填报日期：…」 line (a form's, above or under the table)."""
    for value in cells:
        if isinstance(value, str) and (pair := filled_in(value.strip())) is not None \
                and _STAMP.sub("", pair[0]).strip() in (*UNIT_LABELS, *DATE_LABELS):
            return True
    return False


def _form_below(info: SheetInfo) -> None:
    """The 填报单位 and 填报日期 an office wrote under its table (「填报单位（盖章）：县民政局」 by the signatures), for
    a sheet that does not give them above it."""
    below = read_preamble([texts for _, texts in info.below], [n for n, _ in info.below])
    pre = info.preamble
    if pre.unit is None and below.unit:
        pre.unit, pre.unit_at = below.unit, below.unit_at
    if pre.date is None and below.date:
        pre.date, pre.date_at = below.date, below.date_at


def _heading_rows(table: RawTable, info: SheetInfo, sink: Sink) -> None:
    """Rows that write only a 序号 and a 重点任务 (「二、 加大政策救助力度」 over its measures, 「四、 实施步骤」) head a
    group of rows: not reports, so neither filled in with the sheet's policy and unit nor checked. Said once, with
    their rows; a row with anything else in it (a status, a date, a unit, a remark) is data as before."""
    # both a 序号 and a title: a line written in the first column alone (a checklist's 填写说明 under its rows,
    # a 注 line) is the sheet's text, not a heading
    heads = [i for i in range(len(table.rows)) if sum(cells[i] is not None for cells in info.data.values()) >= 2
             and all(cells[i] is None for cells in table.data.values())]
    if not heads:
        return
    for cells in info.data.values():
        for i in heads:
            cells[i] = None
    shown = "、".join(str(table.rows[i]) for i in heads[:8]) + (" 等" if len(heads) > 8 else "")
    col = min(c for c, _ in info.extra.values())
    _note(sink, table.source, (table.rows[heads[0]], col),
          f"第 {shown} 行只写了序号和任务名称（分组的标题行），不是报告，不计入核查",
          f"rows {shown.replace('、', ', ').replace(' 等', ' …')} give only a number and a title (a group's heading line): not reports, not checked")


def _prose_statuses(table: RawTable, words: Mapping[str, str], sink: Sink) -> None:
    """A 完成情况 written as a paragraph is the status its clauses say (`cells.prose_status`), dated by the date in
    it when the row's date cell is empty (or the sheet has no date column). Said once, on the first, with what
    was read: the office sees how its sentence was taken."""
    from .loaders import Column

    status = table.columns["status"]
    cells, dates = table.data["status"], table.data.get("date")
    first: tuple[int, str, str, str | None] | None = None
    for i, cell in enumerate(cells):
        if not cell or len(cell) < 8 or fold_key(cell).lower() in words or (read := prose_status(cell, words)) is None:
            continue
        word, when = read
        cells[i] = word
        if when is not None and (dates is None or dates[i] is None):
            if dates is None:
                table.columns["date"] = Column(status.index, f"{status.header}（其中的日期）")
                dates = table.data["date"] = [None] * len(cells)
            dates[i] = when
        first = first or (i, cell, word, when)
    if first is not None:
        i, cell, word, when = first
        dated = f"，日期取「{when}」" if when else ""
        _note(sink, table.source, (table.rows[i], status.index),
              f"「{status.header}」是文字说明：「{cell}」按「{word}」读{dated}（本表中同样的行都如此；状态以最未完成的一句为准）",
              f"'{status.header}' is written as sentences: '{cell}' is read as '{word}'{f', dated {when}' if when else ''} "
              "(so are all such cells of this sheet; the least done clause decides)")


def _dates_in_status(table: RawTable, info: SheetInfo, filled: list[bool], sink: Sink) -> None:
    """A status cell that says when (「已于2019年6月完成」, 「已完成（2019.11）」) dates its row when the sheet has no
    date column, or its row's date cell is empty: the office wrote the date where it wrote the status. Said once."""
    from .loaders import Column

    status = table.columns["status"]
    cells, dates = table.data["status"], table.data.get("date")
    first: tuple[int, str, str] | None = None
    found: dict[int, str] = {}
    for i, cell in enumerate(cells):
        if cell and filled[i] and (dates is None or dates[i] is None) and (when := status_date(cell)) is not None:
            found[i] = when
            first = first or (i, cell, when)
    if first is None:
        return
    if dates is None:
        table.columns["date"] = Column(status.index, f"{status.header}（其中的日期）")
        dates = table.data["date"] = [None] * len(cells)
    for i, when in found.items():
        dates[i] = when
    i, cell, when = first
    _note(sink, table.source, (table.rows[i], status.index),
          f"「{status.header}」写了完成的日期（如「{cell}」）：按其中的「{when}」计（本表中同样的行都如此）",
          f"'{status.header}' gives the day with the status (e.g. '{cell}'): the row is dated '{when}' (so are all such rows of this sheet)")


def _say_read_dates(table: RawTable, year: int | None, sink: Sink) -> None:
    """The first date cell written in a sentence (已于8月完成) and the first with a two-digit year (19年6月), each
    said once where it is, with what `normal_date` reads in it. A year too far from the sheet's stays unread
    (LS520)."""
    header = table.columns["date"].header
    for i, cell in enumerate(table.data["date"]):
        if cell and (when := date_in_text(cell)) is not None and when != unicodedata.normalize("NFKC", cell).strip():
            _note(sink, table.source, (table.rows[i], table.columns["date"].index),
                  f"「{header}」的「{cell}」按其中的日期「{when}」读（同样写法的日期都如此）",
                  f"'{cell}' in '{header}' is read as the date it gives, '{when}' (so are all such dates)")
            break
    if year is None:
        return
    for i, cell in enumerate(table.data["date"]):
        if cell and (m := SHORT_YEAR.match(unicodedata.normalize("NFKC", cell).strip())) is not None \
                and (full := short_year(int(m.group(1)), year)) is not None:
            _note(sink, table.source, (table.rows[i], table.columns["date"].index),
                  f"「{header}」的「{cell}」按 {full} 年读（本表是 {year} 年的表；同样写法的日期都如此）",
                  f"'{cell}' in '{header}' is read in {full} (the sheet is of {year}; so are all such dates)")
            return


def _filing_date(table: RawTable, info: SheetInfo, filled: list[bool], sink: Sink) -> None:
    """The 填报日期 dates every filled row of a sheet without a date column, or those its status cells gave no
    date to (`_dates_in_status`). Said once, on the filing line."""
    from .loaders import Column

    pre = info.preamble
    assert pre.date is not None
    r, c = pre.date_at
    day = normal_date(pre.date, pre.year)
    dates = table.data.get("date")
    if dates is None:
        table.columns["date"] = Column(c, f"第{r}行「{pre.date}」")
        table.data["date"] = [day if f else None for f in filled]
        _note(sink, table.source, pre.date_at, f"本表没有日期列：各行的日期取第 {r} 行的填报日期「{pre.date}」",
              f"no date column: each row is dated by the filing date in row {r}, '{pre.date}'")
        return
    rest = [i for i, f in enumerate(filled) if f and dates[i] is None]
    for i in rest:
        dates[i] = day
    if rest:
        _note(sink, table.source, pre.date_at, f"本表没有日期列：状态中没有写日期的行取第 {r} 行的填报日期「{pre.date}」",
              f"no date column: rows whose status gives no day are dated by the filing date in row {r}, '{pre.date}'")


def _known_filer(name: str, context: SheetContext) -> bool:
    """Whether a 填报单位 is a name the check can know: a unit of the registry (or a short name of one), a project's
    own name for one, or a name a task gives its unit."""
    key = fold_key(name)
    if key in context.unit_names or any(key in u.keys for u in context.plan.units):
        return True
    return any(key in a.keys for t in context.plan.tasks for a in t.assigned) or any(key in t.members for t in context.plan.tasks)


def _unknown_filer(table: RawTable, info: SheetInfo, context: SheetContext, filled: list[bool], sink: Sink) -> None:
    """A 填报单位 the registry does not know is one error on its line, not one on each row it dates: every row is its
    report, and none can be checked until the name is one the registry knows. The rows are set aside (the error
    says how many); the sheet still names its policy for the run's scope."""
    import difflib

    pre = info.preamble
    assert pre.unit is not None
    pid = _inferred(context, table.source)
    entry = context.plan.policy(pid) if pid else None
    place = entry.jurisdiction if entry is not None else None
    names = sorted({u.name for u in context.plan.units if place is None or u.jurisdiction == place})
    close = difflib.get_close_matches(pre.unit, names, n=1, cutoff=0.6)
    registry = entry.registry if entry is not None else None
    count = sum(filled)
    hint = (f"是否指「{close[0]}」？改正第 {pre.unit_at[0]} 行的填报单位", f"did you mean '{close[0]}'? correct the filing unit in row {pre.unit_at[0]}") if close \
        else (f"写单位登记中的名称，或在 {registry or '单位登记'} 中登记「{pre.unit}」", f"write the registry's name, or declare '{pre.unit}' in {registry or 'the registry'}")
    r, c = pre.unit_at
    sink.emit("LS513", Span(file=table.source, line=r, column=c + 1, end_line=r, end_column=c + 2),
              f"填报单位「{pre.unit}」不是单位登记中的单位：本表 {count} 行都是它的报告，都未核查",
              f"the filing unit '{pre.unit}' is not a unit of the registry: the sheet's {count} rows are its reports and none was checked",
              hint=hint)
    table.rows = []
    table.data = {f: [] for f in table.data}
    info.data = {f: [] for f in info.data}


def _mark_statuses(table: RawTable, info: SheetInfo, words: Mapping[str, str], sink: Sink) -> None:
    """A status ticked with a mark (√ ○ ×) is the word the sheet's legend gives it (a 注 under the table), else the
    word it usually means (√ 已完成, ○ 进行中, × 未完成). Said once, with the marks found and where they were read
    from: a legend that says otherwise wins, and a sheet without one should get one."""
    cells, first = table.data["status"], None
    seen: dict[str, str] = {}
    given = legend(info.notes, words)
    for i, cell in enumerate(cells):
        mark = cell.strip() if cell else ""
        if len(mark) == 1 and mark in MARKS:
            cells[i] = seen.setdefault(mark, given.get(mark, MARKS[mark]))
            first = first if first is not None else i
    if first is None:
        return
    status = table.columns["status"]
    read = "、".join(f"{m} 按「{w}」" for m, w in seen.items())
    read_en = ", ".join(f"{m} as '{w}'" for m, w in seen.items())
    how = ("表下的注" if all(m in given for m in seen) else "表下的注和符号通常的含义（注中没有的符号）" if given else
           "符号通常的含义（表中没有图例；含义不同时请在表下加「注：√表示已完成…」）")
    _note(sink, table.source, (table.rows[first], status.index), f"「{status.header}」用符号填写：{read}读（依据{how}）",
          f"'{status.header}' is ticked with marks: {read_en} ({'as the note under the table says' if given else 'as such marks usually mean; the sheet gives no legend'})")


def _percent_statuses(table: RawTable, info: SheetInfo, words: Mapping[str, str], sink: Sink) -> None:
    """A status column's percentages (完成85%) read as the status they mean, said once at the first of them."""
    cells, first = table.data["status"], None
    for i, cell in enumerate(cells):
        if cell and fold_key(cell).lower() not in words and (read := percent_status(cell)) is not None:
            cells[i] = read
            first = first if first is not None else (i, cell)
    if first is not None:
        i, cell = first
        _note(sink, table.source, (table.rows[i], table.columns["status"].index),
              f"「{table.columns['status'].header}」写的是完成百分比（如「{cell}」）：不足 100% 的按「进行中」读，100% 的按「已完成」，0% 的按「未开始」",
              f"'{table.columns['status'].header}' gives the share done (e.g. '{cell}'): below 100% is read as in progress, 100% as done, 0% as not started")


def _undated_rows(table: RawTable, info: SheetInfo, words: Mapping[str, str], sink: Sink) -> None:
    """A row not done whose 完成时间 is empty (there is nothing to date yet) takes the sheet's 填报日期, else the end
    of the period its title names (2021年第一季度 → 2021-03-31): the day its status was reported. Said once. A done
    row without its date is still an error (LS510): when the work was done is what a deadline is checked with."""
    pre = info.preamble
    found = parse_day(normal_date(pre.date, pre.year)) if pre.date else parse_day(pre.period_end or "")
    if found is None:
        return
    day = found.isoformat()
    dates, statuses, first = table.data["date"], table.data["status"], None
    for i, (date, status) in enumerate(zip(dates, statuses)):
        if date is None and status and words.get(fold_key(status).lower()) in ("in_progress", "not_started"):
            dates[i] = day
            first = first if first is not None else i
    if first is not None:
        where = f"第 {pre.date_at[0]} 行的填报日期「{pre.date}」" if pre.date else f"表题所写期间的末日 {day}"
        where_en = f"the filing date in row {pre.date_at[0]}, '{pre.date}'" if pre.date else f"the last day of the period the title names, {day}"
        _note(sink, table.source, (table.rows[first], table.columns["date"].index),
              f"「{table.columns['date'].header}」为空而状态不是已完成的行，按{where}计", f"rows not done with an empty '{table.columns['date'].header}' are dated by {where_en}")


def _each_distinct(cells: list[str | None], read: Callable[[str], str]) -> list[str | None]:
    """`read` applied to each filled cell, once per distinct text (a sheet repeats a handful of dates and words)."""
    done: dict[str, str] = {}
    out: list[str | None] = []
    for cell in cells:
        if cell is None:
            out.append(None)
        elif cell in done:
            out.append(done[cell])
        else:
            out.append(done.setdefault(cell, read(cell)))
    return out


def _which_policy(info: SheetInfo, context: SheetContext, tasks: _Tasks) -> tuple[str | None, str, tuple[int, int], str, str]:
    """The one policy a sheet without a 政策 column is about, how it is named as a column, where, and the note to
    give: `--policy` when it names one, else the 文号 or 《title》 the title writes, else among the policies of the
    places the sheet comes from (`sheetpolicy`: its filer's jurisdiction and those above it, the places its title
    names) the one its title's words name, unless the rows' task titles are more of another's, else the one most of
    the rows' task titles are of. A title's words alone never reach a policy of another jurisdiction than the
    filer's: 云阳县's 实施办法 shares its words with a 大足区 office's title, not its tasks."""
    if context.policies is not None and len(context.policies) == 1:
        return next(iter(context.policies)), "--policy", (info.header_row, 0), "", ""
    plan, title = context.plan, info.preamble.title
    allowed = [p.id for p in plan.policies if context.policies is None or p.id in context.policies]
    if title:
        pid, how = policy_of_title(plan, title, context.policies)
        if pid is not None and how.startswith("写有"):  # a 文号 or a 《title》: the office named it
            return _by_title(plan, pid, how, title, info)
    candidates = _from_places(plan, allowed, info, context)
    loose = policy_of_title(plan, title, frozenset(candidates)) if title else (None, "")
    votes = row_votes({pid: tasks[pid] for pid in candidates}, info.data.get("title", ()), find_title)
    most = max(votes.values(), default=0)
    if loose[0] is not None and votes.get(loose[0], 0) >= most:
        return _by_title(plan, loose[0], loose[1], title or "", info)
    best = [pid for pid, n in votes.items() if n == most]
    if len(best) != 1:
        return None, "", (info.header_row, 0), "", ""
    pid = best[0]
    label = _label(plan, pid)
    col, header = info.extra["title"]
    if len(votes) == 1:
        return (pid, header, (info.header_row, col), f"本表没有政策列：「{header}」列的任务只见于政策「{label}」，各行按它核查",
                f"no policy column: the tasks in column '{header}' are those of '{label}' only; every row is checked against it")
    return (pid, header, (info.header_row, col),
            f"本表没有政策列：「{header}」列的任务名称多数是政策「{label}」的（{most} 个），各行按它核查",
            f"no policy column: most task titles in column '{header}' are those of '{label}' ({most}); every row is checked against it")


def _by_title(plan: Plan, pid: str, how: str, title: str, info: SheetInfo) -> tuple[str | None, str, tuple[int, int], str, str]:
    label = _label(plan, pid)
    by = 'by its 文号' if how.startswith('写有文号') else 'by the title it quotes' if how.startswith('写有《') else 'by its title words'
    return (pid, f"表题「{title}」", info.preamble.title_at, f"本表没有政策列：表题「{title}」{how}，各行按政策「{label}」核查",
            f"no policy column: the title '{title}' names it ({by}); every row is checked against '{label}'")


def _from_places(plan: Plan, allowed: list[str], info: SheetInfo, context: SheetContext) -> list[str]:
    """The policies of `allowed` a sheet can be about by where it comes from: its filer's jurisdiction (or those
    above it) and the places its title names; the filer's alone when the two leave none, all when neither is known."""
    filer = info.preamble.unit or (info.name if info.name and _is_unit(info.name, context) else None)
    by_filer = filer_places(plan, filer, context.unit_names)
    by_title = title_places(plan, info.preamble.title)
    for evidence in ((by_filer, by_title), (by_filer,)):
        fit = [pid for pid in allowed if compatible(plan, pid, *evidence)]
        if fit:
            return fit
    return allowed


def _label(plan: Plan, pid: str) -> str:
    entry = plan.policy(pid)
    return entry.label if entry is not None and entry.label != pid else (entry.title or pid) if entry else pid


def _local_units(table: RawTable, pid: str, context: SheetContext, sink: Sink) -> None:
    """A unit written without its level (民政局, 财政局 on a county's sheet) is the unit of that name in the sheet's
    policy's jurisdiction (县民政局), when exactly one there is named so: what a county office means by it. Said
    once, on the first such cell; a name that fits none or several stays as written (LS513 names it)."""
    entry = context.plan.policy(pid)
    if entry is None or entry.jurisdiction is None:
        return
    place = entry.jurisdiction
    read: dict[str, str | None] = {}
    cells, first = table.data["unit"], None
    for i, cell in enumerate(cells):
        if not cell:
            continue
        if cell not in read:
            read[cell] = _local_unit(context, place, cell)
        if (name := read[cell]) is not None:
            first = first if first is not None else (i, cell, name)
            cells[i] = name
    if first is not None:
        i, cell, name = first
        _note(sink, table.source, (table.rows[i], table.columns["unit"].index),
              f"「{cell}」按本表政策所在的{place}的「{name}」读（本表中同样写法的单位都如此）",
              f"'{cell}' is read as '{name}' of {place}, the jurisdiction of the sheet's policy (so are all such names in this sheet)")


def _local_unit(context: SheetContext, place: str, written: str) -> str | None:
    """The unit of `place` a name written without its level stands for (民政局 → 县民政局 in 云阳县), when the name is
    not a unit's as written and exactly one unit of `place` is called so with the level added."""
    key = fold_key(written)
    if len(key) < 2 or key in context.unit_names or any(key in u.keys for u in context.plan.units):
        return None
    fits = {u.name for u in context.plan.units if u.jurisdiction == place
            for level in (place, place[-1:]) if fold_key(level + written) in u.keys}
    return next(iter(fits)) if len(fits) == 1 else None


def _local_filer(table: RawTable, info: SheetInfo, context: SheetContext, sink: Sink) -> None:
    """A 填报单位 written without its level (「报送单位：财政局」 on a county's sheet) is the unit of that name in the
    sheet's policy's jurisdiction, as `_local_units` reads a unit column: said on the line it is written on."""
    pid = _inferred(context, table.source)
    entry = context.plan.policy(pid) if pid else None
    pre = info.preamble
    if entry is None or entry.jurisdiction is None or not pre.unit or _known_filer(pre.unit, context):
        return
    name = _local_unit(context, entry.jurisdiction, pre.unit)
    if name is not None:
        _note(sink, table.source, pre.unit_at, f"填报单位「{pre.unit}」按本表政策所在的{entry.jurisdiction}的「{name}」读",
              f"the filing unit '{pre.unit}' is read as '{name}' of {entry.jurisdiction}, the jurisdiction of the sheet's policy")
        pre.unit = name


def _which_unit(table: RawTable, info: SheetInfo, context: SheetContext | None, filled: list[bool], sink: Sink) -> None:
    """A sheet without a 单位 column: the 填报单位 line above the header, else the sheet's name when it is a unit's."""
    from .loaders import Column

    unit, at, header = info.preamble.unit, info.preamble.unit_at, ""
    if unit:
        header = f"第{at[0]}行「填报单位：{unit}」"
        zh, en = (f"本表没有单位列：各行的单位取第 {at[0]} 行的「{unit}」", f"no unit column: every row is reported by '{unit}' (row {at[0]})")
    elif info.name and context is not None and _is_unit(info.name, context):
        unit, at, header = info.name, (info.header_row, 0), f"工作表名「{info.name}」"
        zh, en = f"本表没有单位列：各行的单位取工作表名「{unit}」", f"no unit column: every row is reported by the sheet's name, '{unit}'"
    else:
        return
    table.columns["unit"] = Column(at[1], header)
    table.data["unit"] = [unit if f else None for f in filled]
    _note(sink, table.source, at, zh, en)


_UNIT_LIST = re.compile(r"[、，,；;/]+")


def _own_unit(table: RawTable, info: SheetInfo, filled: list[bool], sink: Sink) -> None:
    """The 填报单位 fills in the 责任单位 cells the office left to it: a cell copied from the responsibility table
    that lists several units (区民政局、区财政局) one of which is the 填报单位, and an empty cell of a filled row
    (the office did not repeat its own name). Each kind is said once, on its first cell."""
    own = info.preamble.unit
    assert own is not None
    key, listed, empty = fold_key(own), None, None
    cells = table.data["unit"]
    for i, cell in enumerate(cells):
        if cell is None and filled[i]:
            cells[i] = own
            empty = empty if empty is not None else table.rows[i]
        elif cell and len(parts := [p for p in _UNIT_LIST.split(cell) if p.strip()]) > 1 and key in {fold_key(p) for p in parts}:
            cells[i] = own
            listed = listed if listed is not None else (table.rows[i], cell)
    column = table.columns["unit"].index
    if listed is not None:
        _note(sink, table.source, (listed[0], column), f"「{listed[1]}」列出几个单位：按填报单位「{own}」的报告计（本表中同样的行都如此）",
              f"'{listed[1]}' lists several units: read as the report of the filing unit '{own}' (so are all such rows of this sheet)")
    if empty is not None:
        _note(sink, table.source, (empty, column), f"单位为空的行按填报单位「{own}」的报告计（第 {info.preamble.unit_at[0]} 行）",
              f"rows without a unit are read as reports of the filing unit '{own}' (row {info.preamble.unit_at[0]})")


def _filer(table: RawTable, info: SheetInfo, context: SheetContext) -> str | None:
    """The unit that filed a sheet: its 填报单位 line, else the sheet's name when it is a unit's. None for a sheet
    whose unit column names several other units (12 镇街, a 督查办's summary of every department): its 填报单位 is
    who compiled it, and the units it reports on are those of its rows."""
    own = {fold_key(n) for n in (info.preamble.unit, info.name) if n}
    if len({fold_key(u) for u in table.data.get("unit", ()) if u} - own) > 1:
        return None
    if info.preamble.unit:
        return info.preamble.unit
    if info.name and _is_unit(info.name, context):
        return info.name
    named = {u for u in table.data.get("unit", ()) if u}
    if len(named) == 1 and _is_unit(unit := next(iter(named)), context):
        return unit  # no 填报单位 line, but every row is the one unit's: its report
    return None


def _is_unit(name: str, context: SheetContext) -> bool:
    key = fold_key(name)
    return key in context.unit_names or any(key in u.keys for u in context.plan.units)


def _tasks_of_rows(table: RawTable, info: SheetInfo, tasks: _Tasks | None, filled: list[bool], sink: Sink) -> None:
    """The task of each row from 序号 and 重点任务: the task both name, the one below a group the title names, or,
    when they name different tasks, the title's (LS507 on the 序号 cell). A 序号 column that counts the rows
    (1, 2, 3 … in order) beside titles that identify tasks, disagreeing with them, is a row counter: not read."""
    from .loaders import Column

    n = len(table.rows)
    seqs, titles = info.data.get("seq", [None] * n), info.data.get("title", [None] * n)
    policies = table.data.get("policy", [None] * n)
    found: list[tuple[TaskIndex, str | None, str | None] | None] = []
    for i in range(n):
        pid = tasks.policy(policies[i]) if tasks is not None and filled[i] else None
        if pid is None or tasks is None:
            found.append(None)
            continue
        index, seq, title = tasks[pid], seqs[i], titles[i]
        found.append((index, index.find(seq)[0] if seq else None, find_title(index, title) if title else None))
    counter = _counts_rows(seqs, titles, filled, found)
    use = "title" if "title" in info.extra else "seq"
    col, header = info.extra[use]
    out: list[str | None] = []
    shortened: tuple[int, str, str] | None = None  # the first row whose title is a task's shortened: said once
    for i, (seq, title) in enumerate(zip(seqs, titles)):
        entry = found[i]
        if entry is None:
            out.append(title if use == "title" and title else seq if seq else title)
            continue
        index, by_seq, by_title = entry
        by_seq = None if counter else by_seq
        if title and not by_title and not by_seq and (by_title := abbreviated_title(index, title)) is not None:
            shortened = shortened or (i, title, index.label(by_title))
        if by_seq and by_title and by_seq != by_title and by_seq not in index.descendants(by_title):
            seq_col = info.extra["seq"][0]
            sink.emit("LS507", Span(file=table.source, line=table.rows[i], column=seq_col + 1, end_line=table.rows[i], end_column=seq_col + 2),
                      f"序号「{seq}」是任务 {index.label(by_seq)}，而{info.extra['title'][1]}「{title}」是任务 {index.label(by_title)}；按后者核查",
                      f"序号 '{seq}' is task {by_seq} but the title '{title}' is task {by_title}; the title's task is checked",
                      hint=("改正序号或任务名称，使二者一致", "correct the number or the title so that they agree"))
            out.append(by_title)
        elif by_seq or by_title:
            out.append(by_seq or by_title)
        else:
            out.append(title if title else seq if not counter else None)
    table.columns["task"] = Column(col, header)
    table.data["task"] = out
    if shortened is not None:
        i, title, label = shortened
        _note(sink, table.source, (table.rows[i], info.extra["title"][0]),
              f"「{title}」按任务 {label} 读（任务名称的简写；本表中同样简写的任务名称都如此认定）",
              f"'{title}' is read as task {label} (a shortened title; so are all such titles of this sheet)")
    if counter:
        r = info.header_row
        _note(sink, table.source, (r, info.extra["seq"][0]),
              f"「{info.extra['seq'][1]}」列是 1、2、3… 的行号，任务按「{info.extra['title'][1]}」列认定",
              f"column '{info.extra['seq'][1]}' counts the rows (1, 2, 3 …); tasks are read from '{info.extra['title'][1]}'")


def _counts_rows(seqs: list[str | None], titles: list[str | None], filled: list[bool],
                 found: list[tuple[TaskIndex, str | None, str | None] | None]) -> bool:
    """Whether 序号 only numbers the rows: 1, 2, 3 … in order (also 1. 2. or 1、2、), beside titles most of which
    name a task, and either some of which name another task than the number does, or none of which the number
    agrees with. The second case is a sheet whose numbers, read as printed numbers, name tasks only by accident
    (「4.」 read as the one 四是 of the policy) where its titles are short: the number must not decide those rows."""
    numbers = [unicodedata.normalize("NFKC", s).strip().rstrip(".、") for s, f in zip(seqs, filled) if s and f]
    if len(numbers) < 2 or numbers != [str(i) for i in range(1, len(numbers) + 1)]:
        return False
    named = [e for e, t in zip(found, titles) if e is not None and t]
    if not named or 2 * sum(1 for e in named if e[2]) < len(named):
        return False  # the titles do not identify tasks: the numbers may well be the table's
    agree = [e[1] == e[2] or e[1] in e[0].descendants(e[2]) for e in named if e[1] and e[2]]
    return not all(agree) or not agree
