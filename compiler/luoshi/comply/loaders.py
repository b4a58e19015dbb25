"""Completion data files → raw columns, each cell kept as text with its file, row and column.

- CSV in UTF-8, UTF-8 with a BOM, UTF-16 (Excel's "Unicode text") or GB18030/GBK (what Chinese Excel and WPS
  export by default); comma, tab or semicolon separated, found from the header line.
- xlsx: every sheet with a header in its first ten rows (a workbook with one sheet per unit works as it is); an
  office's 督查 sheet (a title, a 填报单位 line, 序号 and 重点任务, merged cells, a 合计 row) is read and then
  completed with the corpus by `sheets.py`, and so is such a sheet saved as CSV.
- xls (Excel 97–2003) and WPS .et: read by their content with xlrd (`xls.py`), sheet by sheet as an xlsx is
  (`read_sheets`); a file whose name does not say its format is read as its first bytes say (`read_office`).
- Parquet: read by DuckDB itself.

Headers may be English or Chinese (`政策`, `任务`, `单位`, `范围`, `状态`, `日期`, `指标`, `数值`, `基准值`, `变化`,
`备注`, `案件`, `事件`), also both (`政策 policy`); docs/data.md lists every accepted name. Rows are numbered as a
spreadsheet shows them (the header is row 1, or the row below a sheet's title and form lines). Cells stay
text here; cleaning, parsing and validation happen in DuckDB over the whole column (`engine.py`).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import re
import shutil
import stat
import tempfile
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..diagnostics import Sink
from ..syntax.source import Span
from .plan import fold_key
from .sheets import (
    HEADER_SEARCH,
    UNREAD_HEADERS,
    MergeFill,
    SheetContext,
    SheetInfo,
    block_line,
    complete,
    count_summary,
    filled_in,
    form_line,
    hidden_columns,
    is_footer,
    is_title_like,
    merged_ranges,
    office_field,
    read_preamble,
    uncomputed_formulas,
)
from .vocabulary import status_words

if TYPE_CHECKING:
    # what a read-only workbook's `worksheets` holds, as the openpyxl stubs type it (their ReadOnlyWorksheet
    # borrows Worksheet's methods and cannot be called through)
    pass

FIELDS = ("policy", "task", "unit", "scope", "status", "date", "metric", "value", "baseline", "change", "note", "case", "event")
REQUIRED = ("policy", "task", "unit", "date")
ALIASES: dict[str, tuple[str, ...]] = {
    "policy": ("政策", "文号", "政策文号", "政策编号"),
    "task": ("任务", "任务编号", "任务号"),
    "unit": ("单位", "责任单位", "填报单位", "报送单位", "牵头单位", "责任部门", "牵头部门"),
    "scope": ("范围", "地区", "辖区", "地点"),
    "status": ("状态", "完成状态", "进度", "完成情况", "完成进度", "落实情况", "进展情况", "推进情况", "工作进展", "是否完成"),
    "date": ("日期", "完成日期", "报告日期", "填报日期", "时间", "完成时间", "办结时间", "办结日期", "实际完成时间",
             "实际完成日期", "月份", "报送月份", "填报月份", "督查月份", "统计月份"),  # 月份: a 台账's row a month, as of its end
    "metric": ("指标", "指标名称"),
    "value": ("数值", "指标值", "值", "数据", "完成值", "现值"),
    "baseline": ("基准值", "基准", "基期值", "基数", "基准数"),  # for 提高/降低 targets: the level at the baseline date
    "change": ("变化", "变化值", "变化幅度", "增减", "增幅", "降幅", "提高幅度", "降低幅度"),  # or the change itself
    "note": ("备注", "说明"),
    "case": ("案件", "案件编号", "案件号", "个案", "case_id", "caseid"),
    "event": ("事件", "环节", "办理环节"),
}
FIELD_ZH = {f: names[0] for f, names in ALIASES.items()}
_HEADER_KEYS = {fold_key(name).lower(): f for f, names in ALIASES.items() for name in (f, *names)}
_HEADER_PARTS = re.compile(r"[\s/|()（）·:：]+")
# Words an office puts before a column's name without changing what it holds: 目前进度 is 进度, 实际办结时间 办结时间.
_HEADER_QUALIFIER = re.compile(r"^(?:截至目前|截止目前|目前|当前|现在|最新|实际|具体|总体|整体|本期|本季度|本月|本年度?)")


@dataclass
class Column:
    index: int  # 0-based position in the file
    header: str

    @property
    def letter(self) -> str:
        """The column as Excel names it: A, B … Z, AA …"""
        n, out = self.index + 1, ""
        while n:
            n, r = divmod(n - 1, 26)
            out = chr(65 + r) + out
        return out


@dataclass
class RawTable:
    """One sheet or file of rows: text columns by field, or a Parquet file DuckDB reads itself."""

    source: str
    columns: dict[str, Column]
    rows: list[int] = field(default_factory=list)
    data: dict[str, list[str | None]] = field(default_factory=dict)
    parquet: Path | None = None
    encoding: str | None = None
    spill: Spill | None = None  # a CSV's wanted columns, numbered, in a temporary Parquet file DuckDB reads itself
    staged: str | None = None  # a temporary folder this table reads from (stdin's copy), deleted by `close()`
    sheet: SheetInfo | None = None  # an office sheet's shape, until `sheets.complete` has made it explicit

    def __len__(self) -> int:
        return self.spill.count if self.spill is not None else len(self.rows)

    def close(self) -> None:
        """Delete the temporary file of a CSV (also done when the table is collected or at exit)."""
        if self.spill is not None:
            self.spill.close()
        if self.staged is not None:
            shutil.rmtree(self.staged, ignore_errors=True)


Headers = Mapping[str, str]  # a project's own header names, folded → field (`vocabulary.Vocabulary.headers`)


def header_field(header: str, extra: Headers | None = None) -> str | None:
    """The field a header names: 日期, date, Date, 完成日期, 日期（date）, 目前进度 …, or a name the project added
    in `[tool.luoshi.comply] headers` (完成数 for value)."""
    keys = {**_HEADER_KEYS, **extra} if extra else _HEADER_KEYS
    key = fold_key(header).lower()
    if key in keys:
        return keys[key]
    for part in _HEADER_PARTS.split(header):
        part = fold_key(part).lower()
        for name in (part, _HEADER_QUALIFIER.sub("", part)):
            if name and name in keys:
                return keys[name]
    return None


def is_fraction_column(header: str) -> bool:
    """A value column whose header says its numbers are fractions (数值（小数）, value (fraction)): 0.42 is 42 %."""
    return "小数" in header or "fraction" in header.lower()


def header_score(headers: list[str], extra: Headers | None = None) -> tuple[int, int]:
    """How much a row looks like a header: the fields its cells name, then also 序号 and 重点任务. A cell that
    fills in a form (「填报日期：2021年3月31日」) names no column."""
    fields, office = set(), set()
    for header in headers:
        name = (header or "").strip()
        if not name or filled_in(name) is not None:
            continue
        if (f := header_field(name, extra)) is not None:
            fields.add(f)
        elif (o := office_field(name)) is not None:
            office.add(o)
    return len(fields), len(fields) + len(office)


def pick_header(rows: list[list[str]], extra: Headers | None = None) -> int | None:
    """The 0-based index of the row (of the first `HEADER_SEARCH`) that best looks like a header: the most column
    names, the first of equals; None when no row names a field."""
    best: tuple[int, int] | None = None
    found = None
    for i, row in enumerate(rows[:HEADER_SEARCH]):
        fields, total = header_score(row, extra)
        if fields and (best is None or total > best[1]):
            best, found = (fields, total), i
    return found


def header_cells(rows: list[list[str]], found: int, extra: Headers | None = None) -> tuple[list[str], int]:
    """The header's cells and the row after it: a header of two rows (完成情况 merged over 进展情况 | 完成时间 in the
    row below) is read as one, each column named by its lower cell where that names a column, else by its upper."""
    upper = rows[found]
    lower = rows[found + 1] if found + 1 < len(rows) else []
    names = [(cell or "").strip() for cell in lower]
    if not any(names) or not all(not n or header_field(n, extra) or office_field(n) or fold_key(n).lower() in UNREAD_HEADERS for n in names):
        return upper, found + 1
    width = max(len(upper), len(lower))
    cells = [names[i] if i < len(names) and names[i] else (upper[i] if i < len(upper) else "") for i in range(width)]
    return cells, found + 2


def office_columns(headers: list[str], extra: Headers | None = None, hidden: frozenset[int] = frozenset()) -> dict[str, tuple[int, str]]:
    """The 序号 and 重点任务 columns of a header (the first visible of each, else the first hidden), by
    `sheets.OFFICE_ALIASES`."""
    out: dict[str, tuple[int, str]] = {}
    for index, header in _visible_first(headers, hidden):
        name = (header or "").strip()
        if name and header_field(name, extra) is None and (o := office_field(name)) is not None:
            out.setdefault(o, (index, name))
    return out


def _visible_first(headers: list[str], hidden: frozenset[int]) -> list[tuple[int, str]]:
    """The header's cells, those of visible columns first (each group in the sheet's order)."""
    cells = list(enumerate(headers))
    return [c for c in cells if c[0] not in hidden] + [c for c in cells if c[0] in hidden]


def map_columns(headers: list[str], source: str, sink: Sink, extra: Headers | None = None, row: int = 1,
                hidden: frozenset[int] = frozenset()) -> dict[str, Column]:
    """Header cells → the fields they hold; a second column for a field is reported (on the header's `row`) and
    ignored. A `hidden` column yields to a visible one of the same field (said as a note: the office hid it, and
    reported in the other); read when it is the field's only column (said too: what it holds is not on screen)."""
    columns: dict[str, Column] = {}
    for index, header in _visible_first(headers, hidden):
        name = (header or "").strip()
        f = header_field(name, extra) if name else None
        if f is None:
            continue
        if index in hidden:
            letter = Column(index, name).letter
            if f in columns:
                shown = columns[f]
                sink.emit("LS506", _cell(source, row, index), f"第 {letter} 列「{name}」是隐藏的列，不读；{FIELD_ZH[f]}取第 {shown.letter} 列「{shown.header}」",
                          f"column {letter} '{name}' is hidden and not read; the {f} is column {shown.letter} '{shown.header}'")
                continue
            sink.emit("LS506", _cell(source, row, index), f"第 {letter} 列「{name}」是隐藏的列：表中没有其他{FIELD_ZH[f]}列，照常读取",
                      f"column {letter} '{name}' is hidden: no other column gives the {f}, so it is read")
        if f in columns:
            first = columns[f]
            sink.emit("LS504", _cell(source, row, index), f"「{name}」与「{first.header}」都表示{FIELD_ZH[f]}，只用第 {first.letter} 列",
                      f"'{name}' and '{first.header}' both mean {f}; only column {first.letter} is used")
            continue
        columns[f] = Column(index, name)
    _town_column(headers, columns, source, sink, row)
    return columns


# a column naming the 乡镇（街道） of each row: 乡镇、镇街、乡镇（街道）、所在乡镇 …
_TOWN = frozenset({"乡镇", "镇街", "乡镇街道", "镇街道", "街镇", "镇乡", "乡镇名称", "所在乡镇", "镇街名称", "乡镇街道名称", "街道乡镇"})


def _town_column(headers: list[str], columns: dict[str, Column], source: str, sink: Sink, row: int) -> None:
    """A 乡镇（街道） column is who reported when the sheet has no unit column (a county office compiling its 镇街'
    reports on a duty of 各乡镇（街道）: each member reports for itself), else where the row's figure was measured
    (the scope of a target 范围 各乡镇（街道）, beside the 责任单位 that reports it). Said once, on its header."""
    for index, header in enumerate(headers):
        name = (header or "").strip()
        if re.sub(r"[（）()、/\s]", "", name) not in _TOWN:
            continue
        f = "unit" if "unit" not in columns else "scope" if "scope" not in columns else None
        if f is None:
            return
        columns[f] = Column(index, name)
        zh = "各行的单位（每个乡镇、街道分别报告）" if f == "unit" else "各行的范围（目标按乡镇、街道分别核查）"
        en = "the unit of each row (each township reports for itself)" if f == "unit" else "the scope of each row (targets are checked per township)"
        sink.emit("LS506", _cell(source, row, index), f"「{name}」列按{zh}读", f"column '{name}' is read as {en}")
        return


def _cell(source: str, row: int, index: int) -> Span:
    return Span(file=source, line=row, column=index + 1, end_line=row, end_column=index + 2)


def missing_fields(columns: Mapping[str, object]) -> list[str]:
    """The required fields a header lacks (a status, a metric or a case column is needed)."""
    missing = [f for f in REQUIRED if f not in columns]
    if not (columns.keys() & {"status", "metric", "case"}):
        missing.append("status")
    return missing


def missing_columns(columns: dict[str, Column], source: str, sink: Sink, row: int = 1, office: bool = False) -> bool:
    """Report the required columns a header (in `row`) lacks; True when the table is usable. `office`: a sheet
    whose policy could have come from its title or `--policy`, which the hint then offers."""
    missing = missing_fields(columns)
    for f in missing:
        names = "、".join(ALIASES[f][:2])
        hint = (f"在第 {row} 行加上列名「{names}」或「{f}」", f"add a header '{f}' (or {names}) in row {row}")
        if f == "policy" and office:
            hint = (f"在第 {row} 行加上「政策」列（写文号），或在命令行加 --policy 文号（本表各行即按该政策核查）",
                    f"add a '政策' (policy) column in row {row}, or pass --policy with the 文号 (every row is then that policy's)")
        elif f == "unit" and office:
            hint = (hint[0] + "，或在表头上方写「填报单位：单位名称」", hint[1] + ", or write '填报单位：<unit>' above the header")
        sink.emit("LS503", _cell(source, row, 0), f"缺少「{FIELD_ZH[f]}」列，本表的行都未使用", f"no '{f}' column; no row of this table was used",
                  hint=hint)
    return not missing


def parse_date(text: str) -> dt.date | None:
    """2020-12-31, 2020/12/31 or 2020年12月31日."""
    cleaned = text.strip().replace("/", "-").replace("年", "-").replace("月", "-").rstrip("日")
    try:
        year, month, day = (int(part) for part in cleaned.split("-"))
        return dt.date(year, month, day)
    except ValueError:
        return None


# ───────────── CSV ─────────────


class EncodingProblem(Exception):
    def __init__(self, row: int):
        super().__init__(row)
        self.row = row


_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_CHUNK = 1 << 20


def decode(data: bytes) -> tuple[str, str]:
    """Bytes → text and the encoding found: a BOM first, then strict UTF-8, then GB18030 (a superset of GBK)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                raise EncodingProblem(data[: exc.start].count(b"\n") + 1) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as first:
        try:
            return data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            raise EncodingProblem(data[: first.start].count(b"\n") + 1) from None


def _bad_line(path: Path, encoding: str) -> int | None:
    """The line of the first byte that is not `encoding` (None when the whole file decodes), read in chunks."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    lines = 1
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(_CHUNK)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                # the decoder may hold a few bytes of the previous chunk: count the lines before them, not after
                start = max(0, exc.start - len(exc.object) + len(chunk))
                return lines + chunk[:start].count(b"\n")
            if not chunk:
                return None
            lines += chunk.count(b"\n")


def sniff_encoding(path: Path) -> str:
    """The encoding of a CSV file, read in chunks (memory bounded): a BOM first, then strict UTF-8, then GB18030."""
    with path.open("rb") as handle:
        head = handle.read(4)
    for bom, name in _BOMS:
        if head.startswith(bom):
            if (row := _bad_line(path, name)) is not None:
                raise EncodingProblem(row)
            return name
    first = _bad_line(path, "utf-8")
    if first is None:
        return "utf-8"
    if _bad_line(path, "gb18030") is None:
        return "gb18030"
    raise EncodingProblem(first)


def _delimiter(text: str) -> str:
    """The delimiter of the first lines (the header's, or a title's and the header's)."""
    return max((",", "\t", ";"), key=text.count) if any(d in text for d in ",\t;") else ","


def _office_csv(top: list[list[str]], found: int, records: Any, source: str, sink: Sink,
                headers: Headers | None) -> list[RawTable] | None:
    """A CSV whose header is not in row 1 or lacks a required column: its rows in lists (at most `SPILL_ROWS`),
    the lines above the header kept, rows that are not data left out, and a 重点任务 cell left blank under a filled
    one carried down (a merged cell, saved as CSV, keeps its value in its first row only). A second table under
    the first (its title, 填报单位 line and header again: `sheets.block_line`) is a table of its own."""
    header, start = header_cells(top, found, headers)
    header_row = start  # its last row
    columns = map_columns(header, source, sink, headers, header_row)
    office = office_columns(header, headers)
    info = SheetInfo(header_row, read_preamble(top[:found]), office, {f: [] for f in office})
    wanted = sorted(columns.items(), key=lambda item: item[1].index)
    data: dict[str, list[str | None]] = {f: [] for f, _ in wanted}
    numbers: list[int] = []
    blocks: list[RawTable] = []
    held: list[tuple[int, list[str]]] = []
    last_title: str | None = None
    checked = [c.index for f, c in wanted if f in ("status", "date", "value")]  # what a footer line leaves empty

    def keep(number: int, record: list[str]) -> None:
        nonlocal last_title
        cells = [(record[c.index] or None) if c.index < len(record) else None for _, c in wanted]
        numbers.append(number)
        for (f, _), text in zip(wanted, cells):
            data[f].append(text)
        for f, (index, _) in office.items():
            text = (record[index] or None) if index < len(record) else None
            if f == "title":
                if text is None and last_title is not None and any(cells):
                    text = last_title
                    info.carried += 1
                last_title = text if text is not None or any(cells) else None
            info.data[f].append(text)

    for number, record in enumerate(itertools.chain(top[start:], records), start=header_row + 1):
        if numbers and ((_may_break_texts(record, header) and (kind := block_line(record, header, headers)))
                        or (kind := "form" if held and not any(t.strip() for t in record) else None)):
            if kind == "form":
                held.append((number, record))
                continue
            blocks.append(RawTable(source, columns, numbers, data, sheet=info))
            header, header_row = record, number
            columns = map_columns(header, source, sink, headers, header_row)
            office = office_columns(header, headers)
            info = SheetInfo(header_row, read_preamble([r for _, r in held], [n for n, _ in held]), office, {f: [] for f in office})
            wanted = sorted(columns.items(), key=lambda item: item[1].index)
            checked = [c.index for f, c in wanted if f in ("status", "date", "value")]
            data, numbers, held, last_title = {f: [] for f, _ in wanted}, [], [], None
            continue
        for kept_number, kept in held:
            _flush(kept_number, kept, keep, info)
        held = []
        if is_footer(record[:8], [record[i] for i in checked if i < len(record)]):
            info.notes += [c for c in record[:1] if c]  # a 注 under the table may give its marks' legend
            if form_line(record):
                info.below.append((number, record))
            continue
        if len(numbers) >= SPILL_ROWS:  # a long file is read in the streaming pass, which needs its header in row 1
            if missing_columns(columns, source, sink, header_row):
                sink.emit("LS503", _cell(source, header_row, 0), f"列名在第 {header_row} 行，而文件超过 {SPILL_ROWS:,} 行，未读取",
                          f"the header is in row {header_row} of a file of more than {SPILL_ROWS:,} rows; not read",
                          hint=("删去列名以上的行，使列名在第 1 行", "delete the lines above the header so that it is row 1"))
            return None
        keep(number, record)
    for kept_number, kept in held:
        _flush(kept_number, kept, keep, info)
    return [*blocks, RawTable(source, columns, numbers, data, sheet=info)]


def _may_break_texts(record: list[str], header: list[str]) -> bool:
    """`_may_break` for a CSV record (its cells are text, empty when blank)."""
    for i, text in enumerate(record):
        if text and text.strip():
            text = text.strip()
            return (i < len(header) and text == (header[i] or "").strip()) or "：" in text or ":" in text or is_title_like(text)
    return False


class Spill:
    """A CSV's wanted columns in a temporary file, each record with its row number first: written as UTF-8 CSV in
    the streaming pass, then turned by DuckDB into Parquet (`finish`), which the engine scans like any Parquet file
    (a Parquet file tells DuckDB how many rows it holds, so its joins build on the small side: over a CSV they built
    a hash table of every row). A file of any size is checked in bounded memory. The folder is deleted by `close()`,
    when the object is collected, or at exit."""

    def __init__(self, fields: list[str]):
        self.folder = tempfile.mkdtemp(prefix="luoshi-data-")
        self.text = Path(self.folder) / "rows.csv"
        self.path = Path(self.folder) / "rows.parquet"
        self.fields = fields
        self.count = 0
        self.longest = 0
        self._finalizer = weakref.finalize(self, shutil.rmtree, self.folder, True)

    def close(self) -> None:
        self._finalizer()

    def finish(self) -> None:
        """rows.csv → rows.parquet, streaming (DuckDB's CSV reader and Parquet writer, one thread)."""
        import duckdb

        columns = ", ".join(["'r': 'BIGINT'"] + [f"'f_{f}': 'VARCHAR'" for f in self.fields])
        size = max(2 << 20, 4 * self.longest + 1024)  # one long cell is still a cell (DuckDB's limit is 2 MB)
        # one thread and a small budget: this pass must not need more memory than the check of its Parquet file
        con = duckdb.connect(config={"threads": 1, "memory_limit": "256MB", "preserve_insertion_order": False})
        try:
            con.execute("SET enable_progress_bar = false")  # never a progress bar on the report's stdout
            con.execute(f"""COPY (SELECT * FROM read_csv($text, header = true, auto_detect = false, delim = ',', quote = '"',
                escape = '"', columns = {{{columns}}}, max_line_size = {size}, buffer_size = {2 * size}))
                TO '{_sql_text(str(self.path))}' (FORMAT parquet, ROW_GROUP_SIZE 32768)""", {"text": str(self.text)})
        finally:
            con.close()
        self.text.unlink()

    def relation(self) -> str:
        """The SQL relation of the rows (the path is the parameter `$path`)."""
        return "read_parquet($path)"


def _sql_text(text: str) -> str:
    return text.replace("'", "''")


def read_csv(path: Path, source: str, sink: Sink, headers: Headers | None = None,
             context: SheetContext | None = None) -> list[RawTable]:
    """Read a CSV in one streaming pass (after a pass that finds its encoding): the header maps the columns, and
    the wanted cells of every record go to a `Spill` with the record's row number. Memory does not grow with the
    file; the rows are numbered as before (a record with a line break in a quoted cell is one row)."""
    import duckdb

    try:
        encoding = sniff_encoding(path)
    except EncodingProblem as exc:
        sink.emit("LS502", Span(file=source, line=exc.row, column=1, end_line=exc.row, end_column=2),
                  "文件既不是 UTF-8 也不是 GB18030（GBK）编码", "the file is neither UTF-8 nor GB18030 (GBK)",
                  hint=("在 Excel 或 WPS 中另存为“CSV UTF-8”", "save it from Excel or WPS as 'CSV UTF-8'"))
        return []
    csv.field_size_limit(max(csv.field_size_limit(), (1 << 31) - 1))  # one long cell is still a cell (128 KiB default)
    with path.open("r", encoding=encoding, newline="") as handle:
        first = "".join(handle.readline() for _ in range(HEADER_SEARCH))  # a title line may have no delimiter
        handle.seek(0)
        records = csv.reader(handle, delimiter=_delimiter(first))
        try:
            top = list(itertools.islice(records, HEADER_SEARCH))
            if not top:  # an empty file: say so, as for a workbook without a data sheet
                missing_columns({}, source, sink)
                return []
            found = pick_header(top, headers)
            if found is not None and (found > 0 or missing_fields(map_columns(top[0], source, Sink(), headers))):
                # an office sheet saved as CSV (a title, a 填报单位 line, 序号 and 重点任务): read whole, completed
                office = _office_csv(top, found, records, source, sink, headers)
                tables = [table for table in office or () if complete(table, context, sink)]
                for table in tables:
                    table.encoding = encoding
                return tables
            header = top[0]
            rest = itertools.chain(top[1:], records)
            columns = map_columns(header, source, sink, headers)
            if not missing_columns(columns, source, sink):
                return []
            wanted = sorted(columns.items(), key=lambda item: item[1].index)
            spill = Spill([f for f, _ in wanted])
            with spill.text.open("w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out, lineterminator="\n")
                writer.writerow(["r", *(f"f_{f}" for f, _ in wanted)])
                row = 1
                for row, record in enumerate(rest, start=2):
                    cells = [record[c.index] if c.index < len(record) else None for _, c in wanted]
                    size = sum(len(c) for c in cells if c)
                    if size > spill.longest:
                        spill.longest = size
                    writer.writerow([row, *cells])
                spill.count = row - 1
            spill.finish()
        except csv.Error as exc:
            sink.emit("LS500", None, f"「{source}」不是可读的 CSV 文件：{exc}", f"'{source}' is not a readable CSV file: {exc}")
            return []
        except duckdb.Error as exc:  # the temporary copy could not be made (disk full, memory)
            message = _one_line(exc)
            sink.emit("LS500", None, f"无法读取「{source}」：临时副本未能写成（{message}）",
                      f"cannot read '{source}': its temporary copy could not be made ({message})",
                      hint=("检查临时文件夹（TMPDIR）的剩余空间", "check the free space of the temporary folder (TMPDIR)"))
            return []
    return [RawTable(source, columns, encoding=encoding, spill=spill)]


# ───────────── xlsx ─────────────


def cell_text(value: object) -> str | None:
    """An Excel cell as the text a person sees: dates as 2019-03-31, 13.0 as 13, 0.42 as 0.42."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)




XLSX_MAX_ROWS = 1_048_576  # Excel's own limit: a sheet with more rows was not made by Excel or WPS
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE compound file: a legacy .xls, or an encrypted workbook


class TooManyRows(Exception):
    def __init__(self, row: int):
        super().__init__(row)
        self.row = row


def _one_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:200]


def _encrypted(path: Path) -> bool:
    """Whether an OLE file is an encrypted Office document: its directory names the `EncryptedPackage` stream."""
    name = "EncryptedPackage".encode("utf-16-le")
    with path.open("rb") as handle:
        if handle.read(8) != _OLE:
            return False
        tail = b""
        while chunk := handle.read(_CHUNK):
            if name in tail + chunk:
                return True
            tail = chunk[-len(name):]  # a name across two chunks
    return False


def read_xlsx(path: Path, source: str, sink: Sink, headers: Headers | None = None,
              context: SheetContext | None = None) -> list[RawTable]:
    import openpyxl

    from ..driver.archives import HINT, inflated

    if (bomb := inflated(path)) is not None:
        sink.emit("LS500", None, *bomb.said(source), hint=HINT)
        return []
    if _encrypted(path):
        return _say_encrypted(source, sink)
    with path.open("rb") as handle:
        head = handle.read(8)
    if not head:
        return _say_empty(source, sink)
    if head == _OLE:  # an .xls saved under an .xlsx name
        return read_xls(path, source, sink, headers, context)
    try:
        # a WPS .et (or a workbook under another name) is opened as a file: openpyxl refuses names it does not know
        named = path.suffix.lower() in (".xlsx", ".xlsm", ".xltx", ".xltm")
        workbook = openpyxl.load_workbook(path if named else io.BytesIO(path.read_bytes()), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 — openpyxl raises many kinds for a damaged file
        sink.emit("LS500", None, f"「{source}」不是可读的 xlsx 文件（已损坏或不完整：{_one_line(exc)}）",
                  f"'{source}' is not a readable xlsx file (damaged or cut short: {_one_line(exc)})",
                  hint=("在 Excel 或 WPS 中打开并另存为 xlsx，或重新报送", "open it in Excel or WPS and save it again, or have it sent again"))
        return []
    try:
        archive = getattr(workbook, "_archive", None)
        sheets = ((sheet, merged_ranges(archive, getattr(sheet, "_worksheet_path", None)),
                   hidden_columns(archive, getattr(sheet, "_worksheet_path", None)))
                  for sheet in _say_uncomputed(workbook.worksheets, archive, source, sink))
        return read_sheets(sheets, source, sink, headers, context)
    finally:
        workbook.close()


def _say_uncomputed(worksheets: Iterable[Any], archive: Any, source: str, sink: Sink) -> Iterator[Any]:
    """Each sheet, after saying once, at its first, the formula cells it keeps without a value (`uncomputed_formulas`):
    they read as empty, which the rows' own errors would then blame on the office."""
    for sheet in worksheets:
        found = uncomputed_formulas(archive, getattr(sheet, "_worksheet_path", None))
        if found:
            row, col, formula = found[0]
            where, shown = f"{source}[{sheet.title}]", printable_formula(formula) or "…"
            sink.emit("LS500", _cell(where, row, col),
                      f"有 {len(found)} 个公式单元格（如此格的 ={shown}）没有保存计算结果，读作空白",
                      f"{len(found)} formula cells (such as this one, ={shown}) were saved without their values and "
                      "read as blank",
                      hint=("在 Excel 或 WPS 中打开后另存（会算出并保存公式的值），或把公式换成值后再报送",
                            "open it in Excel or WPS and save it again (which computes and saves the values), or "
                            "paste the formulas as values, and send it again"))
        yield sheet


def printable_formula(formula: str) -> str:
    """A formula as a message quotes it: one line, 60 characters at most."""
    one = " ".join(formula.split())
    return one if len(one) <= 60 else one[:59] + "…"


def read_sheets(sheets: Iterable[tuple[Any, list[tuple[int, int, int, int]], frozenset[int]]], source: str, sink: Sink,
                headers: Headers | None = None, context: SheetContext | None = None) -> list[RawTable]:
    """Every table of a workbook's sheets (each with its merged ranges and hidden columns), completed with the
    corpus; a sheet that cannot be read is one error and the others are read."""
    tables: list[RawTable] = []
    errors = sink.error_count
    for sheet, merges, hidden in sheets:
        where = f"{source}[{sheet.title}]"
        try:
            found = _read_sheet(sheet, where, sink, headers, merges, hidden)
        except TooManyRows as exc:
            sink.emit("LS500", _cell(where, exc.row, 0), f"工作表超过 Excel 的 {XLSX_MAX_ROWS:,} 行上限，未读取",
                      f"the sheet has more rows than Excel's limit of {XLSX_MAX_ROWS:,}; not read",
                      hint=("把数据拆成几个工作表或文件，或另存为 CSV 或 Parquet",
                            "split the data over several sheets or files, or save it as CSV or Parquet"))
            continue
        except Exception as exc:  # noqa: BLE001 — damaged sheet XML (also a refused entity declaration) in any form
            sink.emit("LS500", None, f"「{where}」工作表已损坏，无法读取：{_one_line(exc)}",
                      f"the sheet '{where}' is damaged and cannot be read: {_one_line(exc)}",
                      hint=("在 Excel 或 WPS 中打开并另存为 xlsx", "open it in Excel or WPS and save it again as xlsx"))
            continue
        tables += [table for table in found if complete(table, context, sink)]
    if not tables and sink.error_count == errors:
        missing_columns({}, source, sink)
    return tables


def read_xls(path: Path, source: str, sink: Sink, headers: Headers | None = None,
             context: SheetContext | None = None) -> list[RawTable]:
    """A legacy workbook (.xls, or .et saved in that format), read with xlrd (`xls.py`); an encrypted one is said."""
    from .xls import open_sheets

    if _encrypted(path):
        return _say_encrypted(source, sink)
    sheets = open_sheets(path, source, sink)
    return read_sheets(sheets, source, sink, headers, context) if sheets is not None else []


def read_office(path: Path, source: str, sink: Sink, headers: Headers | None = None,
                context: SheetContext | None = None) -> list[RawTable]:
    """A file whose name does not say its format (.et and .ett from WPS 表格, .wps, .xls): read as what its first
    bytes say it is: a zip is an xlsx, an OLE compound file a legacy workbook (or a text document, said so)."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"PK"):
        return read_xlsx(path, source, sink, headers, context)
    if head == _OLE:
        return read_xls(path, source, sink, headers, context)
    if not head:
        return _say_empty(source, sink)
    sink.emit("LS501", None, f"「{source}」不是 Excel 或 WPS 表格文件（文件内容既不是 xlsx 也不是 xls）",
              f"'{source}' is not an Excel or WPS spreadsheet (its content is neither xlsx nor xls)",
              hint=("在 Excel 或 WPS 中另存为 xlsx 或 CSV", "save it as .xlsx or CSV from Excel or WPS"))
    return []


def _say_encrypted(source: str, sink: Sink) -> list[RawTable]:
    sink.emit("LS500", None, f"「{source}」是加密（设了打开密码）的工作簿，无法读取",
              f"'{source}' is an encrypted (password-protected) workbook and cannot be read",
              hint=("在 Excel 或 WPS 中取消打开密码后另存", "remove the password in Excel or WPS and save it again"))
    return []


def _say_empty(source: str, sink: Sink) -> list[RawTable]:
    sink.emit("LS500", None, f"「{source}」是空文件（0 字节），没有可读的内容", f"'{source}' is empty (0 bytes); there is nothing to read",
              hint=("重新导出或另存该表格后再报送", "export or save the sheet again and resend it"))
    return []


SPILL_ROWS = 50_000  # rows of a sheet kept in lists; a longer sheet streams on into a `Spill`, as a CSV does


def _read_sheet(sheet: Any, source: str, sink: Sink, extra: Headers | None = None,
                merges: list[tuple[int, int, int, int]] | None = None, hidden: frozenset[int] = frozenset()) -> list[RawTable]:
    """One sheet in one streaming pass over its cells (openpyxl's read-only mode parses the sheet XML as it goes).
    The header is the row of the first ten that best looks like one (`pick_header`: a 台账 has a merged title, a
    填报单位 line); the lines above it are kept (`sheets.Preamble`), merged cells carry their value to the cells
    they cover, and rows that are not data (合计, 填表人 …) are left out. The first `SPILL_ROWS` rows are kept in
    lists, to be completed with the corpus (`sheets.complete`); past them every row goes to a `Spill` (numbered
    UTF-8 CSV, then Parquet DuckDB scans), so memory stays bounded whatever the sheet's length. Cells are read
    with their number format: a value Excel shows as a percentage is read as shown."""
    declared = sheet.max_row  # from the sheet's <dimension>, None when it has none
    if declared and declared > XLSX_MAX_ROWS:  # refused before reading a row of it
        raise TooManyRows(declared)
    sheet.reset_dimensions()  # exporters often write a wrong <dimension>; read every row there is
    rows = sheet.iter_rows()
    top = [tuple(r or ()) for r in itertools.islice(rows, HEADER_SEARCH)]
    texts = [[cell_text(getattr(c, "value", None)) or "" for c in r] for r in top]
    found = pick_header(texts, extra)
    if found is None:
        return []  # a sheet of notes or instructions, not data
    headers, start = header_cells(texts, found, extra)
    header_row = start  # its last row
    if count_summary(headers, status_words()):
        sink.emit("LS506", _cell(source, header_row, 0),
                  f"工作表「{sheet.title}」按单位统计任务数和完成数（{'、'.join(h for h in headers if h)}），不是逐项的报告：不读取，核查用各项的报告",
                  f"sheet '{sheet.title}' counts each unit's tasks ({', '.join(h for h in headers if h)}): a tally, not item reports; not read")
        return []
    columns = map_columns(headers, source, sink, extra, header_row, hidden)
    office = office_columns(headers, extra, hidden)
    info = SheetInfo(header_row, read_preamble(texts[:found]), office, {f: [] for f in office}, name=sheet.title)
    fill = MergeFill(merges or [], header_row + 1)
    wanted = sorted(columns.items(), key=lambda item: item[1].index)
    checked = [c.index for f, c in wanted if f in ("status", "date", "value")]  # what a footer line leaves empty
    data: dict[str, list[str | None]] = {f: [] for f, _ in wanted}
    numbers: list[int] = []
    blocks: list[RawTable] = []  # the tables stacked above the current one on this sheet (`sheets.block_line`)
    held: list[tuple[int, list[Any]]] = []  # title and 填报单位 lines that may head the next stacked table
    spill: Spill | None = None
    out: IO[str] | None = None
    writer: Any = None

    def keep(number: int, cells: Any) -> None:
        numbers.append(number)
        for f, c in wanted:
            data[f].append(_sheet_cell(f, cells[c.index] if c.index < len(cells) else None))
        for f, (index, _) in office.items():
            info.data[f].append(cell_text(getattr(cells[index], "value", None)) if index < len(cells) else None)

    try:
        for number, cells in enumerate(itertools.chain(top[start:], rows), start=header_row + 1):
            if number > XLSX_MAX_ROWS:
                raise TooManyRows(number)
            if fill.pending or fill.active:
                cells = fill.apply(number, list(cells or ()))
            if spill is None and numbers and cells and ((_may_break(cells, headers) and (kind := block_line(
                    [getattr(c, "value", None) for c in cells], headers, extra))) or (kind := "form" if held and _blank(cells) else None)):
                if kind == "form":  # (a blank line between a title and its 填报单位 line is kept with them)
                    held.append((number, list(cells)))
                    continue
                # the header again: a second unit's table pasted under the first, read as a table of its own
                blocks.append(RawTable(source, columns, numbers, data, sheet=info))
                headers = [cell_text(getattr(c, "value", None)) or "" for c in cells]
                above = [[cell_text(getattr(c, "value", None)) or "" for c in kept] for _, kept in held]
                header_row = number
                columns = map_columns(headers, source, sink, extra, header_row, hidden)
                office = office_columns(headers, extra, hidden)
                info = SheetInfo(header_row, read_preamble(above, [n for n, _ in held]), office, {f: [] for f in office}, name=sheet.title)
                wanted = sorted(columns.items(), key=lambda item: item[1].index)
                checked = [c.index for f, c in wanted if f in ("status", "date", "value")]
                data, numbers, held = {f: [] for f, _ in wanted}, [], []
                continue
            for kept_number, kept in held:  # lines that looked like a title, followed by data: data after all
                _flush(kept_number, kept, keep, info)
            held = []
            if cells and is_footer([getattr(c, "value", None) for c in cells[:8]],
                                   [getattr(cells[i], "value", None) for i in checked if i < len(cells)]):
                info.notes += [v for c in cells[:1] if isinstance(v := getattr(c, "value", None), str)]  # a 注: a legend?
                if form_line(values := [getattr(c, "value", None) for c in cells]):
                    info.below.append((number, [cell_text(v) or "" for v in values]))
                continue  # a total or a signature line under the table: not data, not an error
            if spill is None and len(numbers) < SPILL_ROWS:
                keep(number, cells)
                continue
            texts_ = [_sheet_cell(f, cells[c.index] if c.index < len(cells) else None) for f, c in wanted]
            if spill is None:  # the sheet is long: what was kept goes first, then every row as it is read
                if not missing_columns(columns, source, sink, header_row):  # a long sheet is not completed from its title
                    return blocks
                spill = Spill([f for f, _ in wanted])
                out = spill.text.open("w", encoding="utf-8", newline="")
                writer = csv.writer(out, lineterminator="\n")
                writer.writerow(["r", *(f"f_{f}" for f, _ in wanted)])
                for i, kept_number in enumerate(numbers):
                    _spill_row(spill, writer, kept_number, [data[f][i] for f, _ in wanted])
                numbers, data = [], {f: [] for f, _ in wanted}
            _spill_row(spill, writer, number, texts_)
        for kept_number, kept in held:  # title-like lines at the end of the sheet: read as rows, as before
            _flush(kept_number, kept, keep, info)
        if spill is None:
            return [*blocks, RawTable(source, columns, numbers, data, sheet=info)]
        assert out is not None
        out.close()
        spill.finish()
        return [*blocks, RawTable(source, columns, spill=spill)]
    except BaseException:
        if out is not None:
            out.close()
        if spill is not None:
            spill.close()
        raise


def _flush(number: int, cells: Any, keep: Callable[[int, Any], None], info: SheetInfo) -> None:
    """A line held as the possible head of a stacked table that none followed: a 「填报单位：…」 line is the form's
    (kept for the sheet, `sheets._form_below`), anything else is a row as before."""
    values = [getattr(c, "value", c) for c in cells]
    if form_line(values):
        info.below.append((number, [cell_text(v) or "" for v in values]))
    else:
        keep(number, cells)


def _may_break(cells: Any, headers: list[str]) -> bool:
    """A quick look at a row's first filled cell, before `sheets.block_line` looks at the whole row: only a header
    name in its own column, a 「标签：…」 line or a title can begin a stacked table (a data row begins with its 序号,
    文号 or task)."""
    for i, cell in enumerate(cells):
        value = getattr(cell, "value", None)
        if value is None:
            continue
        if not isinstance(value, str):
            return False
        text = value.strip()
        return (i < len(headers) and text == (headers[i] or "").strip()) or "：" in text or ":" in text or is_title_like(text)
    return False


def _blank(cells: Any) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in (getattr(c, "value", None) for c in cells))


def _spill_row(spill: Spill, writer: Any, number: int, texts: list[str | None]) -> None:
    spill.longest = max(spill.longest, sum(len(t) for t in texts if t))
    writer.writerow([number, *texts])
    spill.count += 1


def _sheet_cell(field_name: str, cell: Any) -> str | None:
    """A cell's text as the sheet shows it: a date cell that lost its format shows Excel's serial number (43555)
    and is read as its date; a number formatted as a percentage (42% typed in a cell is 0.42 formatted 0%) in the
    value column is read as 42%."""
    from openpyxl.utils.datetime import from_excel

    value = getattr(cell, "value", None)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if field_name == "date" and 1 <= value < 2958466:
            return cell_text(from_excel(value))
        if field_name == "value" and "%" in (getattr(cell, "number_format", "") or ""):
            return f"{round(value * 100, 10):g}%"
    return cell_text(value)


# ───────────── Parquet ─────────────

# The in-memory DuckDB database a Parquet file's columns were read with, which nothing else has used: the engine
# that runs next takes it (`spare_connection`) instead of opening its own (~0.015 s of CPU each).
_SPARE: list[Any] = []


def spare_connection() -> Any:
    """The database `read_parquet` opened, for the engine to use (once), or None."""
    return _SPARE.pop() if _SPARE else None



def read_parquet(path: Path, source: str, sink: Sink, headers: Headers | None = None,
                 context: SheetContext | None = None) -> list[RawTable]:
    """A Parquet file as DuckDB reads it (its columns named as a header names them; `context` is not used: a
    Parquet file has no title or merged cells to complete it from)."""
    import duckdb

    if not _SPARE:
        _SPARE.append(duckdb.connect())
    try:
        names = [row[0] for row in _SPARE[0].execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()]
    except duckdb.Error as exc:
        sink.emit("LS500", None, f"「{source}」不是可读的 Parquet 文件：{exc}", f"'{source}' is not a readable Parquet file: {exc}")
        return []
    columns = map_columns(names, source, sink, headers)
    if not missing_columns(columns, source, sink):
        return []
    return [RawTable(source, columns, parquet=path)]


READERS: dict[str, Callable[..., list[RawTable]]] = {".csv": read_csv, ".txt": read_csv, ".tsv": read_csv, ".xlsx": read_xlsx, ".xlsm": read_xlsx,
           ".parquet": read_parquet, ".xls": read_office, ".et": read_office, ".ett": read_office, ".wps": read_office}


def load_tables(paths: list[Path], sink: Sink, shown: dict[Path, str] | None = None,
                headers: Headers | None = None, context: SheetContext | None = None) -> list[RawTable]:
    """Every readable table of the given files; problems with whole files go to `sink`. `headers`: the project's
    own header names (folded → field), besides `ALIASES`. `context`: the plan and `--policy` an office sheet
    without a 政策 (or 单位, 任务) column is completed with (`sheets.complete`)."""
    tables: list[RawTable] = []
    for path in paths:
        source = (shown or {}).get(path, str(path))
        if str(path) == "-":
            tables += _read_stdin(sink, headers, context)
            continue
        if not _readable_file(path, source, sink):
            continue
        reader = READERS.get(path.suffix.lower())
        if reader is None:
            sink.emit("LS501", None, f"「{source}」：只支持 CSV、xlsx、xls（及 WPS 的 .et）和 Parquet 文件",
                      f"'{source}': only CSV, xlsx, xls (and WPS .et) and Parquet files are read",
                      hint=("在 Excel 或 WPS 中另存为 xlsx 或 CSV", "save it as .xlsx or CSV from Excel or WPS"))
            continue
        try:
            tables += reader(path, source, sink, headers, context)
        except OSError as exc:
            sink.emit("LS500", None, f"无法读取「{source}」：{exc.strerror}", f"cannot read '{source}': {exc.strerror}")
    return tables


def _readable_file(path: Path, source: str, sink: Sink) -> bool:
    """A regular file, or a diagnostic: a folder, a FIFO or a device would otherwise be misnamed as the wrong kind of
    file or block forever (a FIFO is read through stdin instead: `luoshi comply - < fifo`)."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        sink.emit("LS500", None, f"无法读取「{source}」：{exc.strerror}", f"cannot read '{source}': {exc.strerror}")
        return False
    if stat.S_ISDIR(mode):
        sink.emit("LS501", None, f"「{source}」是文件夹，不是数据文件", f"'{source}' is a folder, not a data file",
                  hint=(f"列出其中的文件，如 {source}/*.csv", f"name the files in it, e.g. {source}/*.csv"))
        return False
    if not stat.S_ISREG(mode):
        sink.emit("LS501", None, f"「{source}」不是普通文件（管道或设备），未读取", f"'{source}' is not a regular file (a pipe or a device); not read",
                  hint=("管道中的数据请从标准输入读取：luoshi comply - < 管道", "read a pipe through stdin: luoshi comply - < pipe"))
        return False
    return True


def _read_stdin(sink: Sink, headers: Headers | None = None, context: SheetContext | None = None) -> list[RawTable]:
    """`-`: standard input, read once into a temporary file (any size), its kind found from its first bytes: a zip
    is an xlsx workbook, `PAR1` a Parquet file, anything else CSV."""
    import sys

    folder = tempfile.mkdtemp(prefix="luoshi-stdin-")
    try:
        staged = Path(folder) / "stdin"
        with staged.open("wb") as out:
            shutil.copyfileobj(sys.stdin.buffer, out, _CHUNK)
        with staged.open("rb") as handle:
            head = handle.read(4)
        suffix = ".xlsx" if head.startswith(b"PK") else ".parquet" if head == b"PAR1" else ".csv"
        path = staged.rename(staged.with_suffix(suffix))
        tables = READERS[suffix](path, "-", sink, headers, context)  # a CSV is copied again (Spill), a workbook read now
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if suffix == ".parquet" and tables:  # DuckDB reads it when the check runs: kept until the table is closed
        tables[0].staged = folder
        weakref.finalize(tables[0], shutil.rmtree, folder, True)
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return tables
