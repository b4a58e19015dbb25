"""Shared helpers for the files officials open in Excel/WPS and Word: safe cell text and reproducible bytes.

- Formula injection: a cell whose text starts with = + - @ (or a tab/CR) must never be evaluated. In xlsx the
  text is stored as a string cell (never a formula); in CSV it is prefixed with an apostrophe, as OWASP advises.
- Reproducibility: xlsx and docx are zip files whose entries carry timestamps, and whose core properties carry
  created/modified dates; `reproducible_zip` rewrites entries with one fixed timestamp and fixes those dates, so
  the same model gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: openpyxl and python-docx load slowly and only some commands write files
    from docx.document import Document as DocxDocument
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell, MergedCell
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)
_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def build_time() -> dt.datetime:
    """SOURCE_DATE_EPOCH when set (reproducible-builds.org), else a fixed date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)
    return FIXED_TIME


def csv_safe(value: object) -> str:
    """Text for a CSV cell that a spreadsheet will not evaluate as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def set_text(cell: Cell | MergedCell, value: object) -> None:
    """Put text in an openpyxl cell as a string, never a formula, whatever it starts with. Control characters
    (from a data file) cannot be stored in xlsx at all: they are shown as U+FFFD instead of failing the report."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", "" if value is None else str(value))
    cell.value = text
    cell.data_type = "s"


def append_row(ws: Worksheet, values: Iterable[object]) -> int:
    """Append one row to an openpyxl sheet: text as safe strings (`set_text`), numbers and dates as themselves.

    Returns the row number. Written cell by cell at a known row because `ws.max_row` scans every cell of the
    sheet, which makes a loop of appends quadratic (minutes for a 17,000-row sample)."""
    values = list(values)
    ws.append([None] * len(values))
    number: int = ws._current_row  # type: ignore[attr-defined]  # openpyxl's own append cursor (no public accessor)
    for column, value in enumerate(values, start=1):
        if value is None:
            continue
        cell = ws.cell(row=number, column=column)
        if isinstance(value, (int, float, dt.date)) and not isinstance(value, bool):
            cell.value = value
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
        else:
            set_text(cell, value)
    return number


def reproducible_zip(data: bytes) -> bytes:
    """Rewrite an OOXML zip (xlsx/docx) with fixed entry timestamps and fixed core-property dates."""
    stamp = build_time()
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _CORE_DATES.sub(lambda m: m.group(1) + iso + m.group(3), body)
            entry = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, body)
    return out.getvalue()


def save_workbook(workbook: Workbook) -> bytes:
    """openpyxl Workbook → reproducible xlsx bytes."""
    workbook.properties.created = workbook.properties.modified = build_time()
    workbook.properties.creator = workbook.properties.lastModifiedBy = "luoshi"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return reproducible_zip(buffer.getvalue())


def save_document(document: DocxDocument) -> bytes:
    """python-docx Document → reproducible docx bytes."""
    props = document.core_properties
    props.created = props.modified = build_time()
    props.author = props.last_modified_by = "luoshi"
    props.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return reproducible_zip(buffer.getvalue())
