"""Case data as offices receive it: the roster (低保名册, one row per member) and comparison tables (社保, 车辆,
房产, 工商), CSV in UTF-8 or GBK or xlsx, Chinese headers. ID-card numbers stay text (never a float); a bad row is
reported with its file, row and column, its ID number masked."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..comply.loaders import EncodingProblem, cell_text, decode, parse_date
from ..diagnostics import Sink
from ..syntax.source import Span
from .facts import HOUSEHOLD, TABLE_MARKERS, TABLES, Fact

ID_RE = re.compile(r"^\d{17}[\dXx]$")


def mask(id_number: str | None) -> str:
    """5001**********1234: what a log, a diagnostic or a page may show of an ID number."""
    if not id_number:
        return ""
    s = str(id_number)
    return s[:4] + "*" * max(len(s) - 8, 0) + s[-4:] if len(s) > 8 else "*" * len(s)


@dataclass
class CaseTable:
    """One table of case data: its kind (名册 or a table of facts.TABLES), columns by fact, with source rows."""

    kind: str
    source: str
    rows: list[int] = field(default_factory=list)
    data: dict[str, list[object]] = field(default_factory=dict)


def _fields(kind: str) -> dict[str, Fact]:
    if kind == "名册":
        return {**HOUSEHOLD, **TABLES["成员"]}
    return {"身份证号": TABLES["成员"]["身份证号"], **TABLES[kind]}


def _header_map(headers: list[str], kind: str) -> dict[str, int]:
    out: dict[str, int] = {}
    facts = _fields(kind)
    for i, h in enumerate(headers):
        h = (h or "").strip()
        for f in facts.values():
            if (h == f.name or h in f.headers) and f.name not in out:
                out[f.name] = i
    return out


def _kind(headers: list[str]) -> str | None:
    names = set(_header_map(headers, "名册"))
    if "户编号" in names and "身份证号" in names:
        return "名册"
    for kind, marker in TABLE_MARKERS.items():
        if marker in _header_map(headers, kind):
            return kind
    return None


def _records(path: Path, source: str, sink: Sink) -> Sequence[Sequence[str | None]] | None:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl

        from ..driver.archives import HINT, inflated

        if (bomb := inflated(path)) is not None:
            sink.emit("LS500", None, *bomb.said(source), hint=HINT)
            return None
        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
            try:
                return [[cell_text(v) for v in row] for row in wb.worksheets[0].iter_rows(values_only=True)]
            finally:
                wb.close()
        except OSError:
            raise
        except Exception as exc:  # noqa: BLE001 — openpyxl raises many kinds for a damaged file (was an internal error)
            sink.emit("LS500", None, f"「{source}」不是可读的 xlsx 文件：{exc}", f"'{source}' is not a readable xlsx file: {exc}")
            return None
    try:
        text, _ = decode(path.read_bytes())
    except EncodingProblem:
        sink.emit("LS502", Span(file=source, line=1, column=1, end_line=1, end_column=2),
                  "文件既不是 UTF-8 也不是 GB18030（GBK）编码", "the file is neither UTF-8 nor GB18030 (GBK)")
        return None
    return list(csv.reader(io.StringIO(text, newline="")))


def _cell(source: str, row: int, col: int) -> Span:
    return Span(file=source, line=row, column=col + 1, end_line=row, end_column=col + 2)


def read_table(path: Path, sink: Sink, source: str | None = None) -> CaseTable | None:
    source = source or str(path)
    try:
        records = _records(path, source, sink)
    except OSError as exc:
        sink.emit("LS500", None, f"无法读取「{source}」：{exc.strerror}", f"cannot read '{source}': {exc.strerror}")
        return None
    if records is None:
        return None  # unreadable: said where it was read
    if not records:
        sink.emit("LS552", None, f"「{source}」是空表", f"'{source}' is empty")
        return None
    headers = [h or "" for h in records[0]]
    kind = _kind(headers)
    if kind is None:
        sink.emit("LS552", _cell(source, 1, 0), f"「{source}」不是名册（户编号、身份证号）也不是社保、车辆、房产、工商比对表",
                  f"'{source}' is neither a roster (户编号, 身份证号) nor a 社保/车辆/房产/工商 comparison table",
                  hint=("检查表头", "check the header row"))
        return None
    columns = _header_map(headers, kind)
    if "身份证号" not in columns:
        sink.emit("LS552", _cell(source, 1, 0), f"「{source}」缺少「身份证号」列", f"'{source}' has no 身份证号 column")
        return None
    facts = _fields(kind)
    table = CaseTable(kind, source, data={name: [] for name in columns})
    for rowno, record in enumerate(records[1:], start=2):
        if not any(record):
            continue
        values: dict[str, object] = {}
        ok = True
        for name, col in columns.items():
            raw = record[col] if col < len(record) else None
            raw = raw.strip() if isinstance(raw, str) else raw
            fact = facts[name]
            value: object = raw or None
            if name == "身份证号":
                if not raw or not ID_RE.match(raw):
                    sink.emit("LS551", _cell(source, rowno, col), f"第 {rowno} 行身份证号「{mask(raw)}」无效，此行未用",
                              f"row {rowno}: invalid ID number '{mask(raw)}'; the row is skipped",
                              hint=("身份证号应为 18 位，设为文本格式", "18 characters, stored as text"))
                    ok = False
                value = raw.upper() if raw else None
            elif raw and fact.kind == "number":
                try:
                    value = float(raw.replace(",", ""))
                except ValueError:
                    sink.emit("LS551", _cell(source, rowno, col), f"第 {rowno} 行「{name}」不是数值：{raw[:20]}",
                              f"row {rowno}: '{name}' is not a number: {raw[:20]}")
                    ok = False
            elif raw and fact.kind == "date":
                value = parse_date(raw)
                if value is None:
                    sink.emit("LS551", _cell(source, rowno, col), f"第 {rowno} 行「{name}」不是日期：{raw[:20]}",
                              f"row {rowno}: '{name}' is not a date: {raw[:20]}")
                    ok = False
            values[name] = value
        if kind == "名册" and not values.get("户编号"):
            sink.emit("LS551", _cell(source, rowno, columns["户编号"]), f"第 {rowno} 行没有户编号，此行未用",
                      f"row {rowno}: no household id; the row is skipped")
            ok = False
        if not ok:
            continue
        table.rows.append(rowno)
        for name in columns:
            table.data[name].append(values[name])
    return table
