"""Read a 分工表 kept as a workbook — an xlsx (openpyxl), or an Excel 97–2003 `.xls` / WPS `.et` in the BIFF8 format
(xlrd, as `luoshi comply` reads them: offices still publish and send them) — into table rows, one convention for
both: each sheet's rows in order, merged cells applied as a docx table's are.

What a workbook holds but the rows cannot show is said, never dropped silently: a hidden sheet (a lookup list, an
old version) is left out and reported; a formula cell written by a program (not calculated and saved by Excel or
WPS) has no cached value, so it reads as empty — reported at its row and column, asking for a recalculation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .readers import Line, ReadError, _cell_text

OLE = b"\xd0\xcf\x11\xe0"  # an OLE compound file: .xls, .et, .doc, or an xlsx encrypted with an opening password

# (line, column, zh, en): what the reader left out, with where the source text shows it
Unread = tuple[int, int, str, str]


@dataclass
class Sheet:
    """One sheet as both readers give it: values by row (0-based lists), merged ranges as (first row, first column,
    last row, last column), 1-based and inclusive, and the formula of each cell (1-based) that has no cached value."""

    title: str
    visible: bool
    rows: list[list[object]]
    merges: list[tuple[int, int, int, int]]
    uncalculated: dict[tuple[int, int], str] = field(default_factory=dict)


def is_workbook(raw: bytes) -> bool:
    """A zip package (xlsx) or an OLE file (xls, et): what `read_workbook` opens; an `.xls` that is neither is a
    web page or tab-separated text saved under that name (a site's 「导出 Excel」), read as text."""
    return raw.startswith((b"PK", OLE))


def read_workbook(raw: bytes) -> tuple[list[Line], list[Unread], str]:
    """The rows of each visible sheet, a sheet's name first when there are several. A range spread across a row (a
    part row 「一、…」) is one cell, a range merged down (重点任务 over its measures) repeats its text in each row. A
    one-cell row above or below the table (its title, a 注 under it) is a line of text. A row's `line` is its row
    number in the sheet (a later sheet's rows follow on from the earlier sheets'). Also what was left out, and the
    source text for diagnostics to quote: each row's cells on its own line, a hidden sheet's rows included, a
    formula without a value shown as its formula."""
    sheets = _legacy_sheets(raw) if raw.startswith(OLE) else _xlsx_sheets(raw)
    shown = [s for s in sheets if s.visible] or sheets
    out: list[Line] = []
    unread: list[Unread] = []
    source: dict[int, str] = {}
    offset = 0
    for sheet in sheets:
        grid = _grid(sheet)
        for number, cells in grid:
            written = [sheet.uncalculated.get((number, c + 1), cell) for c, cell in enumerate(cells)]
            source[offset + number] = " ".join(c for c in written if c)
        if sheet not in shown:
            if grid:
                unread.append((offset + grid[0][0], 1, f"工作表「{sheet.title}」已隐藏，其中 {len(grid)} 行未读入：如有任务，请在 Excel 或 WPS 中取消隐藏后重新导入",
                               f"sheet '{sheet.title}' is hidden: its {len(grid)} rows were not read; unhide it and import again if it holds tasks"))
        else:
            unread += _uncalculated(sheet, offset, source)
            out += _sheet_lines(sheet, grid, offset, len(shown) > 1)
        offset += len(sheet.rows)
    return out, unread, "\n".join(source.get(n, "") for n in range(1, max(source, default=0) + 1))


def _sheet_lines(sheet: Sheet, grid: list[tuple[int, list[str]]], offset: int, named: bool) -> list[Line]:
    out: list[Line] = [Line(sheet.title, offset + 1, starts=True)] if named and grid else []
    tabled = [i for i, (_, cells) in enumerate(grid) if sum(1 for c in cells if c) > 1]
    for i, (number, cells) in enumerate(grid):
        filled = [c for c in cells if c]
        if len(filled) == 1 and (not tabled or i < tabled[0] or i > tabled[-1]):
            out.append(Line(filled[0], offset + number, starts=True))  # the title over the table, a 注 under it
        else:
            out.append(Line(" ".join(filled), offset + number, tuple(cells)))
    return out


def _uncalculated(sheet: Sheet, offset: int, source: dict[int, str]) -> list[Unread]:
    """A formula cell without a cached value, said at its row, the caret on the formula in the quoted row."""
    from openpyxl.utils import get_column_letter

    out: list[Unread] = []
    for (row, column), formula in sorted(sheet.uncalculated.items()):
        ref = f"{get_column_letter(column)}{row}"
        at = source.get(offset + row, "").find(formula) + 1 or 1
        out.append((offset + row, at, f"工作表「{sheet.title}」{ref} 单元格是公式「{formula}」，文件中没有它的计算结果（由程序生成，未在 "
                    "Excel 或 WPS 中计算保存），已按空白读入：请在 Excel 或 WPS 中打开、重新计算并保存后再导入",
                    f"sheet '{sheet.title}' cell {ref} holds the formula '{formula}' with no calculated value (written by a "
                    "program, never calculated and saved by Excel or WPS), so it was read as empty: open the workbook "
                    "in Excel or WPS, recalculate, save and import again"))
    return out


def _grid(sheet: Sheet) -> list[tuple[int, list[str]]]:
    """(row number, cell texts) of a sheet's non-empty rows, merged ranges applied (see `read_workbook`)."""
    across: dict[tuple[int, int], int] = {}  # (row, first column) → last column of a range spread across
    down: dict[tuple[int, int], tuple[int, int]] = {}  # (row, column) → the range's top-left, for cells merged down
    for top, left, bottom, right in sheet.merges:
        for r in range(top, bottom + 1):
            across[(r, left)] = right
            for c in range(left, right + 1):
                down[(r, c)] = (top, left)
    width = max((len(row) for row in sheet.rows), default=0)

    def value(r: int, c: int) -> object:
        row = sheet.rows[r - 1] if 0 < r <= len(sheet.rows) else []
        return row[c - 1] if c - 1 < len(row) else None

    out: list[tuple[int, list[str]]] = []
    for r in range(1, len(sheet.rows) + 1):
        cells: list[str] = []
        c = 1
        while c <= width:
            corner = down.get((r, c))
            cells.append(_cell_text(_value_text(value(*corner) if corner else value(r, c))))
            c = across.get((r, c), c) + 1 if corner else c + 1
        if any(cells):
            out.append((r, cells))
    return out


def _value_text(value: object) -> str:
    """A cell's value as the office typed it: 1 not 1.0, a date as 2024年11月30日 (a 完成时限 typed as a date)."""
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


# ───────────── xlsx (openpyxl) ─────────────

_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")


def _xlsx_sheets(raw: bytes) -> list[Sheet]:
    import io
    import zipfile
    import zlib

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    from .readers import _office_package

    _office_package(raw, "xlsx", ".xls", ("工作簿", "workbook"), "Excel")
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(raw), data_only=False) if _has_formulas(raw) else None
    except (InvalidFileException, KeyError, ValueError, TypeError, OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
        raise ReadError("LS601", f"不是有效的 xlsx 文件：{exc}", f"not a valid xlsx file: {exc}") from None
    out: list[Sheet] = []
    for ws in book.worksheets:
        rows: list[list[object]] = [list(row) for row in ws.iter_rows(values_only=True)]
        merges = [(r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges]
        sheet = Sheet(str(ws.title), ws.sheet_state == "visible", rows, merges)
        if formulas is not None:
            sheet.uncalculated = _no_cached_value(rows, formulas[ws.title])
        out.append(sheet)
    return out


def _has_formulas(raw: bytes) -> bool:
    """Whether any worksheet holds a formula: only then is the workbook read a second time for its formulas."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(raw)) as package:
        for name in package.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml") and _FORMULA.search(package.read(name)):
                return True
    return False


def _no_cached_value(rows: list[list[object]], ws: object) -> dict[tuple[int, int], str]:
    """The formula of each cell read as empty (data only) that holds a formula: Excel and WPS cache every result."""
    from openpyxl.worksheet.formula import ArrayFormula
    from openpyxl.worksheet.worksheet import Worksheet

    assert isinstance(ws, Worksheet)
    out: dict[tuple[int, int], str] = {}
    for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
        for c, written in enumerate(row, start=1):
            if isinstance(written, ArrayFormula):
                written = written.text
            if isinstance(written, str) and written.startswith("=") and _empty(rows, r, c):
                out[(r, c)] = written
    return out


def _empty(rows: list[list[object]], r: int, c: int) -> bool:
    return r > len(rows) or c > len(rows[r - 1]) or rows[r - 1][c - 1] is None


# ───────────── xls / et (xlrd) ─────────────


def _legacy_sheets(raw: bytes) -> list[Sheet]:
    """An OLE file read with xlrd (BIFF8: Excel 97–2003, and WPS 表格's .et saved in it); a file xlrd cannot read —
    an xlsx encrypted with an opening password, a Word or WPS 文字 document renamed, a damaged file — is said with
    what to do."""
    import io

    import xlrd  # type: ignore[import-untyped,import-not-found,unused-ignore]

    # comply reads the same files: its cell values, and its guard against a sector chain that loops (read for ever)
    from ..comply.xls import _guard_short_streams, _said, _value

    _guard_short_streams()
    try:  # xlrd's remarks on a file go to its logfile, the standard output unless told: where the draft is printed
        book = xlrd.open_workbook(file_contents=raw, formatting_info=True, on_demand=True, logfile=io.StringIO())
    except Exception as exc:  # noqa: BLE001 — xlrd raises many kinds (XLRDError, CompDocError, struct.error …) for a damaged file
        raise ReadError("LS601", f"不是可读的 Excel 或 WPS 表格：这是加密（设了打开密码）的工作簿、改了后缀的文字文档，或已损坏（{_said(exc)}）："
                        "请在 Excel 或 WPS 中打开，另存为 xlsx 后再导入",
                        f"not a readable Excel or WPS spreadsheet: an encrypted (password-protected) workbook, a text "
                        f"document renamed, or a damaged file ({_said(exc)}); open it in Excel or WPS and save it as xlsx") from None
    out: list[Sheet] = []
    try:
        for index in range(book.nsheets):
            try:  # read here (on_demand): a damaged sheet raises only now
                ws = book.sheet_by_index(index)
                rows = [[_value(book, cell) for cell in ws.row(r)] for r in range(ws.nrows)]
                merges = [(rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in ws.merged_cells]
            except Exception as exc:  # noqa: BLE001 — as at the open: XLRDError, IndexError, struct.error …
                raise ReadError("LS601", f"工作表第 {index + 1} 张已损坏，无法读取（{_said(exc)}）：请在 Excel 或 WPS 中打开，另存为 xlsx 后再导入",
                                f"sheet {index + 1} is damaged and cannot be read ({_said(exc)}): open the workbook in Excel "
                                "or WPS and save it as xlsx") from None
            out.append(Sheet(str(ws.name), not ws.visibility, rows, merges))
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return out
