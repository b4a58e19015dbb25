"""A unit's checklist as xlsx (one sheet to filter and fill in: frozen header, filters, real date cells, a 状态
drop-down) and as docx to print (landscape A4, GB/T 9704 margins, header repeated on every page)."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..duties import Through
from ..model import Corpus
from ..office import save_document, save_workbook, set_text
from . import officedoc as od
from .checklist import STATUSES, Checklist, Item

XLSX_COLUMNS = [  # header, width, value
    ("序号", 6, lambda n, i: str(n)),
    ("截止日期", 14, lambda n, i: i.due),
    ("完成时限", 26, lambda n, i: i.deadline),
    ("政策文件", 22, lambda n, i: i.policy),
    ("任务", 26, lambda n, i: i.task),
    ("任务内容", 56, lambda n, i: i.content),
    ("角色", 7, lambda n, i: i.role),
    ("列明为", 24, lambda n, i: i.listed_as),
    ("目标", 30, lambda n, i: i.targets),
    ("落实上级任务", 28, lambda n, i: i.parents),
    ("状态", 10, lambda n, i: ""),
    ("完成情况", 30, lambda n, i: ""),
]
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def to_xlsx(checklist: Checklist, corpus: Corpus) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "责任清单"
    header_font = Font(name=od.XLSX_HEADING_FONT, size=11, bold=True)
    body_font = Font(name=od.XLSX_BODY_FONT, size=11)
    wrap = Alignment(wrap_text=True, vertical="center")
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for c, (header, width, _) in enumerate(XLSX_COLUMNS, 1):
        cell = ws.cell(1, c)
        set_text(cell, header)
        cell.font, cell.alignment, cell.border = header_font, centre, _BORDER
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        ws.column_dimensions[get_column_letter(c)].width = width
    for n, item in enumerate(checklist.items, 1):
        r = n + 1
        for c, (header, width, value) in enumerate(XLSX_COLUMNS, 1):
            cell = ws.cell(r, c)
            v = value(n, item)
            if header == "截止日期":
                cell.value = v
                cell.number_format = DATE_FORMAT
            else:
                set_text(cell, v)
            cell.font, cell.border = body_font, _BORDER
            cell.alignment = centre if header in ("序号", "截止日期", "角色", "状态") else wrap
        ws.row_dimensions[r].height = od.row_height([(str(value(n, item) or ""), width)
                                                     for _, width, value in XLSX_COLUMNS])
    last_row = len(checklist.items) + 1
    last_col = get_column_letter(len(XLSX_COLUMNS))
    status_col = get_column_letter(next(i for i, c in enumerate(XLSX_COLUMNS, 1) if c[0] == "状态"))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{last_col}{last_row}"
    if checklist.items:
        choice = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True,
                                promptTitle="状态", prompt="选择：" + "、".join(STATUSES), showInputMessage=True)
        choice.add(f"{status_col}2:{status_col}{last_row}")
        ws.add_data_validation(choice)
    od.print_setup(ws, landscape=True, title_rows="1:1")
    ws.oddHeader.center.text = f"{checklist.unit.jurisdiction} {checklist.title}"
    for note_row, note in enumerate(checklist.unlisted_notes(corpus), last_row + 2):
        set_text(ws.cell(note_row, 1), note)
    wb.properties.title = checklist.title
    return save_workbook(wb)


DOCX_WIDTHS = [12, 40, 83, 14, 30, 32, 14]  # mm, 225 in all: the landscape type area
DOCX_HEADERS = ["序号", "截止日期", "任务", "角色", "完成时限", "目标", "状态"]


def _task_cell(item: Item, first: int | None) -> str:
    """Policy and task, then the task's text — once: a recurring task's later rows refer back to its first."""
    lines = [f"{item.policy} {item.task}", item.content if first is None else f"（任务内容见第{first}项）"]
    if item.parents:
        lines.append(f"落实：{item.parents}")
    if item.duty.through is not Through.NAMED:
        lines.append(f"列明为：{item.listed_as}")
    return "\n".join(line for line in lines if line)


def to_docx(checklist: Checklist, corpus: Corpus) -> bytes:
    doc = od.new_document(landscape=True, title=checklist.title)
    od.add_paragraph(doc, checklist.title, od.TITLE, od.SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
    od.add_paragraph(doc, checklist.summary, od.BODY, od.SIZE_3, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
    od.add_paragraph(doc, checklist.range_note, od.BODY, od.SIZE_5, space_after=6)
    table = od.new_table(doc, 1 + len(checklist.items), DOCX_WIDTHS)
    head = table.rows[0]
    for cell, text in zip(head.cells, DOCX_HEADERS):
        od.set_cell(cell, text, od.HEADING, od.SIZE_5, align=WD_ALIGN_PARAGRAPH.CENTER, shade="D9D9D9")
    od.repeat_header(head)
    first_row: dict[str, int] = {}
    for n, item in enumerate(checklist.items, 1):
        key = str(item.duty.task.key)
        values = [str(n), item.due_text, _task_cell(item, first_row.get(key)), item.role, item.deadline, item.targets, ""]
        first_row.setdefault(key, n)
        for c, (cell, text) in enumerate(zip(table.rows[n].cells, values)):
            centred = c in (0, 1, 3)
            od.set_cell(cell, text, align=WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.LEFT,
                        bold_first=c == 2)
    for note in checklist.unlisted_notes(corpus):
        od.add_paragraph(doc, note, od.BODY, od.SIZE_5, space_after=0)
    return save_document(doc)
