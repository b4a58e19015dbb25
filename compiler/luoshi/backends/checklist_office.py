"""A unit's checklist as xlsx (one sheet to filter and fill in: frozen header, filters, real date cells, a 状态
drop-down) and as docx to print (landscape A4, GB/T 9704 margins, header repeated on every page)."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable

from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..model import Corpus
from ..semantics.duties import Through
from . import officedoc as od
from .checklist import STATUSES, Checklist, Item
from .office import save_document, save_workbook, set_text
from .wording import book_title


def _details(item: Item) -> str:
    """The task's title and text, then the parent task it carries out and how the task names the unit."""
    task = item.duty.task
    lines = [task.title or "", item.content if item.content != task.title else ""]
    if item.parents:
        lines.append(f"落实：{item.parents}")
    if item.duty.through is not Through.NAMED:
        lines.append(f"列明为：{item.listed_as}")
    return "\n".join(line for line in lines if line)


# header, width (Excel characters), value. 政策, 任务, 单位, 状态, 日期 and 备注 are the columns `luoshi comply`
# reads (comply/loaders.py ALIASES), so a unit's filled-in sheet can be checked as it is; no other header may
# be one of its names (完成情况 would be a second 状态). The widths keep the sheet at two thirds of its size or
# more on a landscape A4 page (`od.print_setup`): 9 pt text on paper.
_CellValue = Callable[[Checklist, int, Item], "str | dt.date | None"]
XLSX_COLUMNS: list[tuple[str, int, _CellValue]] = [
    ("序号", 5, lambda c, n, i: str(n)),
    ("截止日期", 14, lambda c, n, i: i.due),
    ("完成时限", 15, lambda c, n, i: i.deadline),
    ("政策", 15, lambda c, n, i: i.policy_key),
    ("任务", 12, lambda c, n, i: i.task_key),
    ("任务内容", 37, lambda c, n, i: _details(i)),
    ("角色", 6, lambda c, n, i: i.role),
    ("单位", 11, lambda c, n, i: c.unit.name),
    ("目标", 18, lambda c, n, i: i.targets),
    ("状态", 8, lambda c, n, i: ""),
    ("日期", 13, lambda c, n, i: None),
    ("备注", 15, lambda c, n, i: ""),
]
TO_FILL = ("状态", "日期", "备注")
CENTRED = ("序号", "截止日期", "政策", "任务", "角色", "单位", "状态", "日期")
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FILL_IN = PatternFill("solid", fgColor="FFF2CC")  # the cells the unit fills in


def _letter(header: str) -> str:
    return get_column_letter(next(i for i, c in enumerate(XLSX_COLUMNS, 1) if c[0] == header))


def to_xlsx(checklist: Checklist, corpus: Corpus) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None, "a new workbook has one sheet"
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
    ws.row_dimensions[1].height = 22
    # A column's body cells all have one style: set through openpyxl on the first row, copied after that. Each style
    # set through openpyxl hashes the style object to find it in the workbook's list, which was a third of a seed
    # build (3,400 sheets); the copy is the same style entry, so the file is the same byte for byte.
    column_styles: dict[int, StyleArray] = {}
    for n, item in enumerate(checklist.items, 1):
        r = n + 1
        texts: list[tuple[str, float]] = []
        for c, (header, width, value) in enumerate(XLSX_COLUMNS, 1):
            cell = ws.cell(r, c)
            v = value(checklist, n, item)
            if header in ("截止日期", "日期"):
                cell.value = v
            else:
                assert isinstance(v, str), "only the date columns hold dates"
                set_text(cell, v)
                texts.append((v, width))
            style = column_styles.get(c)
            if style is not None:
                cell._style = copy.copy(style)  # type: ignore[union-attr]  # openpyxl's style ids: not in its stubs
                continue
            if header in ("截止日期", "日期"):
                cell.number_format = DATE_FORMAT
            cell.font, cell.border = body_font, _BORDER
            cell.alignment = centre if header in CENTRED else wrap
            if header in TO_FILL:
                cell.fill = _FILL_IN
            column_styles[c] = copy.copy(cell._style)  # type: ignore[union-attr]
        ws.row_dimensions[r].height = od.row_height(texts)
    last_row = len(checklist.items) + 1
    last_col = get_column_letter(len(XLSX_COLUMNS))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{last_col}{last_row}"
    if checklist.items:
        status, day = _letter("状态"), _letter("日期")
        choice = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True,
                                showInputMessage=True, promptTitle="状态", prompt="选择：" + "、".join(STATUSES),
                                showErrorMessage=True, errorTitle="状态", error="请选择：" + "、".join(STATUSES))
        choice.add(f"{status}2:{status}{last_row}")
        ws.add_data_validation(choice)
        when = DataValidation(allow_blank=True, showInputMessage=True, promptTitle="日期",
                              prompt="已完成的填完成日期，未开始、进行中的填填报日期，如 2025年6月30日")
        when.add(f"{day}2:{day}{last_row}")
        ws.add_data_validation(when)
    od.print_setup(ws, landscape=True, title_rows="1:1")
    page_header = ws.oddHeader
    assert page_header is not None and page_header.center is not None, "openpyxl gives every new sheet a header"
    page_header.center.text = f"{checklist.unit.jurisdiction} {checklist.title}"
    width = sum(w for _, w, _ in XLSX_COLUMNS)
    for note_row, note in enumerate(_xlsx_notes(checklist, corpus), last_row + 2):
        cell = ws.cell(note_row, 1)  # in 序号, a column `luoshi comply` does not read: the row is blank to it
        set_text(cell, note)
        cell.font, cell.alignment = body_font, Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=note_row, start_column=1, end_row=note_row, end_column=len(XLSX_COLUMNS))
        ws.row_dimensions[note_row].height = od.row_height([(note, width)])
    wb.properties.title = checklist.title
    return save_workbook(wb)


def _xlsx_notes(checklist: Checklist, corpus: Corpus) -> list[str]:
    fill = "、".join(STATUSES)
    notes = [f"填写说明：在“状态”列选择{fill}，在“日期”列填完成日期（未完成的填填报日期），完成情况写在“备注”列。"
             + checklist.range_note]
    notes += [f"政策 {p.number or p.id}：{book_title(p.title)}" for p in checklist.policies if p.title]
    return notes + checklist.unlisted_notes(corpus)


# docx columns: header, width (mm), centred; 225 mm in all, the landscape type area. A column empty on every row
# (no dates, no targets) is left out and its width goes to 任务.
DOCX_COLUMNS = [("序号", 12, True), ("截止日期", 38, True), ("任务", 89, False), ("角色", 14, True),
                ("完成时限", 28, False), ("目标", 30, False), ("状态", 14, True)]  # 2020年12月31日 on one line


def _task_cell(item: Item, first: int | None, *, with_policy: bool) -> str:
    """Policy and task, then the task's text — once: a recurring task's later rows refer back to its first. The
    policy is left out when the checklist's subtitle names the one policy of all its rows."""
    head = f"{item.policy} {item.task}" if with_policy else item.task
    lines = [head, item.content if first is None else f"（任务内容见第{first}项）"]
    if item.parents:
        lines.append(f"落实：{item.parents}")
    if item.duty.through is not Through.NAMED:
        lines.append(f"列明为：{item.listed_as}")
    return "\n".join(line for line in lines if line)


SHORT_ROW_LINES = 12  # a row of up to this many lines (about a quarter of a landscape page) is kept on one page


def _short_row(texts: list[tuple[str, float]]) -> bool:
    """Whether a row is kept whole on one page. A long row (a measure's full text) may break across pages: kept
    whole, it was pushed to the next page and left most of the page before it empty (page 1 of 云阳 县民政局's
    checklist held one row)."""
    return max((od.cell_lines(text, width) for text, width in texts), default=1) <= SHORT_ROW_LINES


def to_docx(checklist: Checklist, corpus: Corpus) -> bytes:
    doc = od.new_document(landscape=True, title=checklist.title)
    od.add_paragraph(doc, od.title_text(checklist.title, landscape=True), od.TITLE, od.SIZE_2,
                     align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
    od.add_paragraph(doc, checklist.summary, od.BODY, od.SIZE_3, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
    policies = checklist.policies
    one_policy = len(policies) == 1
    if one_policy:  # named once here rather than at the head of every row
        p = policies[0]
        name = " ".join(x for x in (p.number, book_title(p.title) if p.title else "") if x) or p.id
        od.add_paragraph(doc, f"政策文件：{name}", od.BODY, od.SIZE_5, space_after=3)
    od.add_paragraph(doc, checklist.range_note, od.BODY, od.SIZE_5, space_after=6)
    first_row: dict[str, int] = {}
    rows: list[dict[str, str]] = []
    for n, item in enumerate(checklist.items, 1):
        key = str(item.duty.task.key)
        rows.append({"序号": str(n), "截止日期": item.due_text,
                     "任务": _task_cell(item, first_row.get(key), with_policy=not one_policy),
                     "角色": item.role, "完成时限": item.deadline, "目标": item.targets, "状态": ""})
        first_row.setdefault(key, n)
    columns = [c for c in DOCX_COLUMNS if c[0] in ("序号", "任务", "角色", "状态") or any(r[c[0]] for r in rows)]
    spare = od.body_width_mm(True) - sum(w for _, w, _ in columns)
    widths = [w + spare if h == "任务" else w for h, w, _ in columns]
    table = od.new_table(doc, 1 + len(rows), widths)
    grid = od.table_rows(table)  # rows and cells found once (officedoc.table_rows: python-docx's lookups are linear)
    head = grid[0]
    for cell, (header, _, _) in zip(od.row_cells(head), columns):
        od.set_cell(cell, header, od.HEADING, od.SIZE_5, align=WD_ALIGN_PARAGRAPH.CENTER, shade="D9D9D9")
    od.repeat_header(head)
    od.keep_row_together(head)
    for n, values in enumerate(rows, 1):
        texts: list[tuple[str, float]] = []
        for cell, (header, _, centred), width in zip(od.row_cells(grid[n]), columns, widths):
            od.set_cell(cell, values[header], align=WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.LEFT,
                        bold_first=header == "任务")
            texts.append((values[header], width))
        if _short_row(texts):
            od.keep_row_together(grid[n])
    for note in checklist.unlisted_notes(corpus):
        od.add_paragraph(doc, note, od.BODY, od.SIZE_5, space_after=0)
    return save_document(doc)
