"""Legacy workbooks: an Excel 97–2003 `.xls` (BIFF8) or a WPS `.et` saved in that format, read with xlrd when it is
installed, sheet by sheet through the same reader as an xlsx (`loaders.read_sheets`): offices still send them, and
asking every 乡镇 to re-save its sheet is a round trip the 督查 does not have time for. Without xlrd the file is
one clear error saying how to read it (install xlrd, or save it as xlsx); a file in the old format that is not a
workbook (a WPS 文字 or Word document named .wps) is said to be one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..diagnostics import Sink


@dataclass(frozen=True)
class XlsCell:
    """A cell as the sheet reader wants one: its value and its number format (for 42% typed as a percentage)."""

    value: object
    number_format: str = "General"


class XlsSheet:
    """One sheet of a legacy workbook with the part of openpyxl's read-only sheet the reader uses."""

    def __init__(self, title: str, rows: list[tuple[XlsCell, ...]]):
        self.title = title
        self.rows = rows
        self.max_row = len(rows)

    def reset_dimensions(self) -> None:
        """Nothing to reset: the rows are those xlrd read."""

    def iter_rows(self) -> Iterator[tuple[XlsCell, ...]]:
        return iter(self.rows)


def cell_value(book: Any, cell: Any) -> object:
    """A cell as the sheet reader wants it: None for a blank, a date as a datetime, an error as its text (#DIV/0!)."""
    import xlrd  # type: ignore[import-untyped,import-not-found,unused-ignore]

    kind = cell.ctype
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if kind == xlrd.XL_CELL_DATE:
        try:
            day: dt.datetime = xlrd.xldate_as_datetime(cell.value, book.datemode)
            return day
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if kind == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERROR")
    return cell.value


def _format(book: Any, cell: Any) -> str:
    try:
        return str(book.format_map[book.xf_list[cell.xf_index].format_key].format_str)
    except (AttributeError, IndexError, KeyError, TypeError):
        return "General"


def open_sheets(path: Path, source: str, sink: Sink) -> list[tuple[XlsSheet, list[tuple[int, int, int, int]], frozenset[int]]] | None:
    """Each sheet of a legacy workbook with its merged ranges (1-based, inclusive) and hidden columns (0-based), or
    None with the error said (no xlrd, a damaged file, a document that is not a workbook)."""
    try:
        import xlrd  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:
        sink.emit("LS501", None, f"「{source}」是旧版 Excel（.xls）或 WPS 表格文件，读取它需要 xlrd（未安装）",
                  f"'{source}' is an old Excel (.xls) or WPS spreadsheet; reading it needs xlrd, which is not installed",
                  hint=("在 Excel 或 WPS 中另存为 xlsx，或安装 xlrd（pip install xlrd）", "save it as .xlsx from Excel or WPS, or install xlrd (pip install xlrd)"))
        return None
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except Exception as exc:  # noqa: BLE001 — xlrd raises many kinds (XLRDError, CompDocError, struct.error …) for a damaged file
        text = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        if "workbook" in text.lower():  # an OLE file without a workbook stream: a WPS 文字 or Word document
            sink.emit("LS501", None, f"「{source}」不是表格：它是旧格式的文字文档（WPS 文字或 Word），不是 Excel 或 WPS 表格",
                      f"'{source}' is not a spreadsheet: it is an old-format text document (WPS Writer or Word)",
                      hint=("把表格另存为 xlsx 或 CSV 后报送", "send the table saved as .xlsx or CSV"))
        else:
            sink.emit("LS500", None, f"「{source}」不是可读的 xls 文件：{text}", f"'{source}' is not a readable xls file: {text}",
                      hint=("在 Excel 或 WPS 中打开并另存为 xlsx", "open it in Excel or WPS and save it again as xlsx"))
        return None
    out: list[tuple[XlsSheet, list[tuple[int, int, int, int]], frozenset[int]]] = []
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            rows = [tuple(XlsCell(cell_value(book, c), _format(book, c)) for c in sheet.row(r)) for r in range(sheet.nrows)]
            merges = [(rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in sheet.merged_cells]
            hidden = frozenset(c for c, info in sheet.colinfo_map.items() if getattr(info, "hidden", 0))
            out.append((XlsSheet(sheet.name, rows), merges, hidden))
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return out
