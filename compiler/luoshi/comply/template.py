"""`luoshi template`: the completion workbook a jurisdiction's or a unit's office fills in, and `luoshi comply`
reads back as it is.

One row per duty of the scope (`scope.select`: a jurisdiction with everything within it, or a unit — a
collective with its members), from the compiled plan, so every row is a check comply will make:
- a deadline or recurring duty: 状态 and 日期 to fill;
- a target: 指标 given, 数值 and 日期 to fill; a 提高/降低 target also 基准值 (or 变化), since a level alone
  proves no change (`relative.py`); a target with places (范围 青龙街道) has a row per place.
The key columns (政策, 任务 as the document prints it, 单位, 范围, 指标) are locked; 状态 and the unit of measure
(计量单位, for reading only) come from drop-downs or are given; a 填写说明 sheet says how to fill it in Chinese.
Headers are names `loaders.ALIASES` reads; the columns for reading only (任务内容, 要求, 计量单位, 截止日期) are
none of its names, so they are ignored on the way back. Same plan, same scope: same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..backends.office import append_row, save_workbook
from .plan import SYMBOL, Check, CheckKind, Plan
from .scope import Scope
from .vocabulary import STATUS_ZH

COLUMNS = [  # header, width, filled in by the unit
    ("政策", 20, False), ("任务", 13, False), ("任务内容", 30, False), ("单位", 16, False), ("范围", 10, False),
    ("要求", 28, False), ("截止日期", 11, False), ("指标", 22, False), ("计量单位", 8, False),
    ("状态", 9, True), ("日期", 12, True), ("数值", 10, True), ("基准值", 10, True), ("备注", 24, True)]
HEADERS = [c[0] for c in COLUMNS]
INSTRUCTIONS = [
    "本表为落实情况填报表",
    "每一行是本单位承担的一项任务或一项目标",
    "灰色列为任务信息，已锁定，请勿修改；白色列由本单位填写",
    "填写说明",
    "",
    ("一、任务的时限要求：在“状态”列从下拉列表中选择未开始、进行中或已完成，在“日期”列填写报告日期（如 2019-03-28）。"
    "任务完成时填写已完成和完成日期；进展情况可每次报送新增一行。"),
    ("二、数量目标：在“数值”列填写该指标的数值，在“日期”列填写数据日期。数值可写 45%、百分之四十五、8000元、0户；"
    "计量单位须与“计量单位”列一致，只写数字时按该单位理解；0 到 1 之间的数按所写理解（0.42 即 0.42%）。"),
    ("三、提高、降低类目标：在“数值”列填写现值，并在“基准值”列填写基准年的数值（如起付线现值 400元、基准值 800元）；"
    "也可在“数值”列直接填写变化幅度（如 降低50%）。只填现值、没有基准值的，无法判断是否达到目标。"),
    "四、不要填写负号（降低请写“降低5%”）、科学计数法或重复的百分号。",
    "五、填好后由督查部门用 luoshi comply 核查；填写格式详见 docs/data.md。",
]


@dataclass(frozen=True)
class TemplateRow:
    check: Check
    title: str

    def cells(self) -> list[object]:
        c = self.check
        target = c.kind is CheckKind.TARGET
        relative = c.comparator in ("increase", "decrease")
        requirement = {CheckKind.DEADLINE: f"{c.due} 前完成（{c.written}）", CheckKind.RECURRING: f"{c.written}",
                       CheckKind.LIMIT: c.written}.get(c.kind)
        if target:
            requirement = f"{c.metric}{SYMBOL[c.comparator or 'ge']}{c.threshold:g}{c.target_unit or ''}" + (
                f"（基准：{c.baseline}）" if relative and c.baseline else "")
        due = c.due or (c.by if target else None)
        return [c.policy_label, c.printed or c.task, self.title, c.unit_label, c.scope_label or "", requirement or "",
                due.isoformat() if due else "", c.metric if target else "", (c.target_unit or "") if target else "",
                "", "", "", "", ""]


def rows(plan: Plan, scope: Scope | None) -> list[TemplateRow]:
    """The duties of the scope, one per check (targets whose place is in the scope count for it), in policy and
    document order. Working-day limits are reported case by case (案件, 事件) and have no row."""
    titles = {(t.policy, t.id): (t.title or "") for t in plan.tasks}
    order = {(t.policy, t.id): i for i, t in enumerate(plan.tasks)}
    chosen = []
    for c in plan.checks:
        if c.kind is CheckKind.LIMIT:
            continue
        if scope is not None:
            if scope.policies is not None and c.policy not in scope.policies:
                continue
            if scope.units is not None and not ({c.unit, c.collective, c.scope} & scope.units):
                continue
        chosen.append(c)
    chosen.sort(key=lambda c: (c.policy_label, order.get((c.policy, c.task), 0), c.kind.value, c.unit_label, c.scope_label or "", c.id))
    return [TemplateRow(c, titles.get((c.policy, c.task), "")) for c in chosen]


def render(plan: Plan, scope: Scope | None, title: str) -> bytes:
    """The workbook: 填报 (the rows), 填写说明."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from ..backends.officedoc import print_setup, row_height

    wb = Workbook()
    ws = wb.active
    assert ws is not None, "a new workbook has one sheet"
    ws.title = "填报"
    append_row(ws, HEADERS)
    grey = PatternFill("solid", fgColor="EEEEEE")
    body = rows(plan, scope)
    for r in body:
        n = append_row(ws, r.cells())
        for i, (_, _width, fill) in enumerate(COLUMNS, start=1):
            cell = ws.cell(row=n, column=i)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.protection = Protection(locked=not fill)
            if not fill:
                cell.fill = grey
        ws.row_dimensions[n].height = row_height([(str(v), w) for v, (_, w, _) in zip(r.cells(), COLUMNS)])
    # room for more reports (a unit adds a row for each progress report): those rows are unlocked throughout
    last = len(body) + 1
    for extra in range(last + 1, last + 201):
        for i in range(1, len(COLUMNS) + 1):
            ws.cell(row=extra, column=i).protection = Protection(locked=False)
    for i, (_header, width, _fill) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
        ws.cell(row=1, column=i).font = Font(bold=True)
    status_col = get_column_letter(HEADERS.index("状态") + 1)
    statuses = DataValidation(type="list", formula1='"' + ",".join(STATUS_ZH.values()) + '"', allow_blank=True,
                              showErrorMessage=True, errorTitle="状态", error="请从下拉列表中选择：未开始、进行中、已完成")
    statuses.add(f"{status_col}2:{status_col}{last + 200}")
    date_col = get_column_letter(HEADERS.index("日期") + 1)
    dates = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True, showErrorMessage=True,
                           errorTitle="日期", error="请填写日期，如 2019-03-28")
    dates.add(f"{date_col}2:{date_col}{last + 200}")
    ws.add_data_validation(statuses)
    ws.add_data_validation(dates)
    ws.freeze_panes = "C2"
    ws.protection.sheet = True  # the key columns are locked; no password: protection guards against slips
    ws.protection.formatColumns = False
    ws.protection.insertRows = False
    print_setup(ws, landscape=True, title_rows="1:1")
    notes = wb.create_sheet("填写说明")
    notes.column_dimensions["A"].width = 110
    append_row(notes, [title])
    notes.cell(row=1, column=1).font = Font(bold=True, size=14)
    for line in INSTRUCTIONS:
        n = append_row(notes, [line])
        notes.cell(row=n, column=1).alignment = Alignment(wrap_text=True, vertical="top")
        notes.row_dimensions[n].height = row_height([(line, 110)])
    print_setup(notes, landscape=False, title_rows="1:1")
    return save_workbook(wb)
