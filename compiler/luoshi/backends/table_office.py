"""A responsibility-division table as the xlsx and docx files officials pass around: merged group titles and
section rows, wrapped text, the header repeated on every printed page, A4 with GB/T 9704 margins (landscape once
完成时限 and 目标 columns make it wide)."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from . import officedoc as od
from .office import save_document, save_workbook, set_text
from .table import ResponsibilityTable, Row, SectionRow

XLSX_WIDTHS = {"number": 6, "title": 13, "content": 58, "responsible": 22, "cooperating": 28,
               "deadline": 20, "target": 30}
# docx column widths (mm) inside the GB/T 9704 type area: 156 mm portrait, 225 mm landscape
DOCX_PORTRAIT = [12, 20, 72, 24, 28]
DOCX_LANDSCAPE = {"number": 13, "title": 20, "content": 78, "responsible": 24, "cooperating": 28,
                  "deadline": 24, "target": 36}

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_SECTION_FILL = PatternFill("solid", fgColor="F2F2F2")
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")


def _keys(table: ResponsibilityTable) -> list[str]:
    return ["number", "title", "content", "responsible", "cooperating", *table.columns]


def _values(table: ResponsibilityTable, row: Row) -> list[str]:
    return [row.number, row.title, row.content, row.responsible_text, row.cooperating_text, *table.extra_values(row)]


def to_xlsx(table: ResponsibilityTable) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None, "a new workbook has one sheet"
    ws.title = "责任分工"
    keys = _keys(table)
    last = get_column_letter(len(keys))
    for i, key in enumerate(keys, 1):
        ws.column_dimensions[get_column_letter(i)].width = XLSX_WIDTHS[key]
    body = Font(name=od.XLSX_BODY_FONT, size=11)
    bold = Font(name=od.XLSX_HEADING_FONT, size=11, bold=True)
    wrap = Alignment(wrap_text=True, vertical="center")
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")
    r = 1
    if table.annex:
        set_text(ws.cell(r, 1), "附件")
        ws.cell(r, 1).font = Font(name=od.XLSX_HEADING_FONT, size=14)
        r += 1
    set_text(ws.cell(r, 1), table.heading)
    ws.cell(r, 1).font = Font(name=od.XLSX_HEADING_FONT, size=16, bold=True)
    ws.cell(r, 1).alignment = centre
    ws.merge_cells(f"A{r}:{last}{r}")
    ws.row_dimensions[r].height = 24 * od.lines_needed(table.heading, sum(XLSX_WIDTHS[k] for k in keys) * 0.85)
    r += 1
    header = r
    headers = ["序号", "重点任务", "", "责任单位", "配合单位", *table.extra_headers]
    for c, text in enumerate(headers, 1):
        cell = ws.cell(r, c)
        set_text(cell, text)
        cell.font, cell.alignment, cell.border, cell.fill = bold, centre, _BORDER, _HEADER_FILL
    ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=3)
    ws.row_dimensions[r].height = 22
    for row in table.rows:
        r += 1
        if isinstance(row, SectionRow):
            _xlsx_section(ws, r, len(keys), row, bold)
            continue
        for c, (key, text) in enumerate(zip(keys, _values(table, row)), 1):
            cell = ws.cell(r, c)
            if key != "title" or row.title_rows:
                set_text(cell, text)
            cell.font, cell.border = body, _BORDER
            cell.alignment = centre if key in ("number", "title") else wrap
        if row.title_rows > 1:
            ws.merge_cells(start_row=r, start_column=2, end_row=r + row.title_rows - 1, end_column=2)
        texts = [(t, XLSX_WIDTHS[k]) for k, t in zip(keys, _values(table, row)) if k != "title" or row.title_rows == 1]
        ws.row_dimensions[r].height = od.row_height(texts)
    ws.freeze_panes = ws.cell(header + 1, 1).coordinate
    od.print_setup(ws, landscape=bool(table.columns), title_rows=f"{header}:{header}")
    wb.properties.title = table.heading
    return save_workbook(wb)


def _xlsx_section(ws: Worksheet, r: int, width: int, row: SectionRow, font: Font) -> None:
    cell = ws.cell(r, 1)
    set_text(cell, row.label)
    cell.font, cell.fill, cell.border = font, _SECTION_FILL, _BORDER
    cell.alignment = Alignment(vertical="center", horizontal="left", wrap_text=True)
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    ws.row_dimensions[r].height = 22


def to_docx(table: ResponsibilityTable) -> bytes:
    landscape = bool(table.columns)
    doc = od.new_document(landscape=landscape, title=table.heading)
    if table.annex:
        od.add_paragraph(doc, "附件", od.HEADING, od.SIZE_3, space_after=6)
    od.add_paragraph(doc, od.title_text(table.heading, landscape=landscape), od.TITLE, od.SIZE_2,
                     align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
    if table.number:
        od.add_paragraph(doc, table.number, od.BODY, od.SIZE_3, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
    od.add_paragraph(doc, "", od.BODY, od.SIZE_5)
    keys = _keys(table)
    widths: list[float] = [DOCX_LANDSCAPE[k] for k in keys] if landscape else list(DOCX_PORTRAIT)
    if landscape:  # give the content column whatever the chosen columns leave of the type area
        widths[2] += od.body_width_mm(True) - sum(widths)
    grid = od.new_table(doc, 1 + len(table.rows), widths)
    rows = od.table_rows(grid)  # rows and cells found once: python-docx's own lookups are linear (officedoc.table_rows)
    head = rows[0]
    head_cells = od.row_cells(head)
    for c, text in enumerate(["序号", "重点任务", "", "责任单位", "配合单位", *table.extra_headers]):
        od.set_cell(head_cells[c], text, od.HEADING, od.SIZE_5, align=WD_ALIGN_PARAGRAPH.CENTER, shade="D9D9D9")
    merged = head_cells[1].merge(head_cells[2])
    od.set_cell(merged, "重点任务", od.HEADING, od.SIZE_5, align=WD_ALIGN_PARAGRAPH.CENTER, shade="D9D9D9")
    od.repeat_header(head)
    od.keep_row_together(head)
    for i, row in enumerate(table.rows, 1):
        cells = od.row_cells(rows[i])
        if isinstance(row, SectionRow):
            merged = cells[0].merge(cells[-1])
            od.set_cell(merged, row.label, od.HEADING, od.SIZE_5, shade="F2F2F2")
            od.keep_row_together(rows[i])
            od.keep_with_next(rows[i])  # a section heading starts the page of its first task
            continue
        for c, (key, text) in enumerate(zip(keys, _values(table, row))):
            if key == "title" and not row.title_rows:
                continue
            centred = key in ("number", "title")
            od.set_cell(cells[c], text, align=WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.LEFT)
        if row.title_rows > 1:
            merged = cells[1].merge(od.row_cells(rows[i + row.title_rows - 1])[1])
            od.set_cell(merged, row.title, align=WD_ALIGN_PARAGRAPH.CENTER)
        texts = [(text, width) for key, text, width in zip(keys, _values(table, row), widths)
                 if key != "title" or row.title_rows == 1]  # a merged group title spans several rows' height
        if od.row_fits_page(texts, landscape=landscape):
            od.keep_row_together(rows[i])
    return save_document(doc)
