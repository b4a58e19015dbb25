"""Legacy workbooks: an Excel 97–2003 `.xls` (BIFF8) or a WPS `.et` saved in that format, read with xlrd when it is
installed, sheet by sheet through the same reader as an xlsx (`loaders.read_sheets`): offices still send them, and
asking every 乡镇 to re-save its sheet is a round trip the 督查 does not have time for. Without xlrd the file is
one clear error saying how to read it (install xlrd, or save it as xlsx); a file in the old format that is not a
workbook (a WPS 文字 or Word document named .wps) is said to be one.
"""

from __future__ import annotations

import datetime as dt
import io
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


def _value(book: Any, cell: Any) -> object:
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
    None with the error said (no xlrd, a damaged file, a document that is not a workbook). A damaged sheet is said
    and left out; the others are read."""
    try:
        import xlrd  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:
        sink.emit("LS501", None, f"「{source}」是旧版 Excel（.xls）或 WPS 表格文件，读取它需要 xlrd（未安装）",
                  f"'{source}' is an old Excel (.xls) or WPS spreadsheet; reading it needs xlrd, which is not installed",
                  hint=("在 Excel 或 WPS 中另存为 xlsx，或安装 xlrd（pip install xlrd）", "save it as .xlsx from Excel or WPS, or install xlrd (pip install xlrd)"))
        return None
    _guard_short_streams()
    try:
        # xlrd says what it finds odd in a file (a size not a whole number of sectors, a colour it does not know)
        # on its `logfile`, the standard output unless told: in the middle of `--format json`'s report
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True, logfile=io.StringIO())
    except Exception as exc:  # noqa: BLE001 — xlrd raises many kinds (XLRDError, CompDocError, struct.error …) for a damaged file
        text = _said(exc)
        if "find workbook" in text.lower():  # xlrd: "Can't find workbook in OLE2 …": a WPS 文字 or Word document
            sink.emit("LS501", None, f"「{source}」不是表格：它是旧格式的文字文档（WPS 文字或 Word），不是 Excel 或 WPS 表格",
                      f"'{source}' is not a spreadsheet: it is an old-format text document (WPS Writer or Word)",
                      hint=("把表格另存为 xlsx 或 CSV 后报送", "send the table saved as .xlsx or CSV"))
        else:
            sink.emit("LS500", None, f"「{source}」不是可读的 xls 文件：{text}", f"'{source}' is not a readable xls file: {text}",
                      hint=("在 Excel 或 WPS 中打开并另存为 xlsx", "open it in Excel or WPS and save it again as xlsx"))
        return None
    out: list[tuple[XlsSheet, list[tuple[int, int, int, int]], frozenset[int]]] = []
    damaged = False
    try:
        for index in range(book.nsheets):
            try:
                sheet = book.sheet_by_index(index)  # read here (on_demand): a damaged sheet raises only now
                rows = [tuple(XlsCell(_value(book, c), _format(book, c)) for c in sheet.row(r)) for r in range(sheet.nrows)]
                merges = [(rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in sheet.merged_cells]
                hidden = frozenset(c for c, info in sheet.colinfo_map.items() if getattr(info, "hidden", 0))
            except Exception as exc:  # noqa: BLE001 — as at the open: XLRDError, IndexError, struct.error, AssertionError …
                where = f"{source}[{_sheet_name(book, index)}]"
                sink.emit("LS500", None, f"「{where}」工作表已损坏，无法读取：{_said(exc)}",
                          f"the sheet '{where}' is damaged and cannot be read: {_said(exc)}",
                          hint=("在 Excel 或 WPS 中打开并另存为 xlsx", "open it in Excel or WPS and save it again as xlsx"))
                damaged = True
                continue
            out.append((XlsSheet(sheet.name, rows), merges, hidden))
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return None if damaged and not out else out  # no sheet read: the damage is the one error, no missing columns


def _said(exc: Exception) -> str:
    """xlrd's reason on one line (some of its errors have no text: their kind is said then)."""
    return str(exc).splitlines()[0][:200] if str(exc).strip() else type(exc).__name__


def _sheet_name(book: Any, index: int) -> str:
    try:
        return str(book.sheet_names()[index])
    except Exception:  # noqa: BLE001 — the names come from the workbook's own records; the number does if they fail
        return str(index + 1)


def _guard_short_streams() -> None:
    """Make xlrd refuse a stream whose chain of sectors loops. It checks the chains of a file's large streams for a
    cycle, not those of its short ones (under 4 KB, kept in 64-byte sectors: an office's small sheet): a 6.6 KB
    .xls with one byte of its short-sector table changed (sheets-wild/26, offset 1580) was followed round for ever,
    its memory growing to 20 GB. A chain longer than the sectors there are loops, and is refused as xlrd refuses
    other damage (CompDocError: `open_sheets` says the file is not readable). xlrd is no longer developed, so its
    method is wrapped here, once."""
    from xlrd import compdoc  # type: ignore[import-untyped,import-not-found,unused-ignore]

    original = compdoc.CompDoc._get_stream
    if getattr(original, "luoshi_guarded", False):
        return

    def guarded(self: Any, mem: bytes, base: int, sat: Any, sec_size: int, start_sid: int, size: Any = None,
                name: str = "", seen_id: Any = None) -> Any:
        if seen_id is None:  # the chains xlrd follows unchecked
            limit, sid, count = len(mem) // max(sec_size, 1) + 1, start_sid, 0
            while 0 <= sid < len(sat):
                count += 1
                if count > limit:
                    raise compdoc.CompDocError(f"OLE2 stream {name!r}: its chain of sectors loops")
                sid = sat[sid]
        return original(self, mem, base, sat, sec_size, start_sid, size, name, seen_id)

    guarded.luoshi_guarded = True  # type: ignore[attr-defined]
    compdoc.CompDoc._get_stream = guarded
