"""Responsibility-division tables (重点任务责任分工表) in the layout of Bishan's annex, for any policy.

    序号 │ 重点任务 (group title │ content) │ 责任单位 │ 配合单位 [│ 完成时限 │ 目标]

with a header row per section (一、建立健全分层分类的社会救助体系) and a task group's title as one merged cell over
its rows. Units are written exactly as the policy wrote them (UnitRef.written). 责任单位 lists the lead and
co-responsible units, 配合单位 the cooperating ones — so 161号's lead-first （责任单位：…） lists come out split.

A policy whose encoding holds a responsibility-division annex (a section titled …责任分工 / 任务分工 / 分工方案)
gets that annex; any other policy gets a table of all its measures. A measure whose own text names no unit but
whose steps do (云阳's 精准对象阶段 with 一是、二是、三是) becomes a group: its title merged over its steps' rows.

This module builds the table once as data, then renders Markdown, HTML, CSV and JSON; `table_office` renders
xlsx and docx from the same data.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import StrEnum

from ..model import (
    Assignment,
    AssignmentRole,
    Corpus,
    ItemKind,
    Policy,
    PolicyKind,
    Section,
    Task,
)
from .office import csv_safe
from .officedoc import LANDSCAPE_MARGINS, PORTRAIT_MARGINS
from .templating import environment
from .wording import book_title, deadline_zh, goals_and_targets_zh, policy_label, section_label

ANNEX_TITLE = re.compile(r"(责任|任务)分工|分工方案")
COLUMNS = {"deadline": "完成时限", "target": "目标"}
COLUMN_ALIASES = {"deadline": "deadline", "完成时限": "deadline", "时限": "deadline",
                  "target": "target", "目标": "target", "targets": "target", "deadlines": "deadline"}


class TableFormat(StrEnum):
    """The formats of a responsibility table. With FORMAT_SPECS below, the one list of them: `luoshi table
    --format`, `luoshi build` and the site's download links all read it."""

    md = "md"
    html = "html"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"
    docx = "docx"


FORMATS: tuple[str, ...] = tuple(TableFormat)


class TableError(ValueError):
    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


@dataclass(frozen=True)
class UnitCell:
    unit: str
    written: str
    role: str


@dataclass(frozen=True)
class Row:
    """A task row. `title_rows` is how many rows the 重点任务 title cell spans from here; 0 means this row
    continues the merged cell above."""

    number: str
    task: str
    title: str
    title_rows: int
    content: str
    responsible: tuple[UnitCell, ...]
    cooperating: tuple[UnitCell, ...]
    deadline: str = ""
    target: str = ""
    section: str = ""
    kind = "task"

    @property
    def responsible_text(self) -> str:
        return "、".join(u.written for u in self.responsible)

    @property
    def cooperating_text(self) -> str:
        return "、".join(u.written for u in self.cooperating)


@dataclass(frozen=True)
class SectionRow:
    label: str
    depth: int
    kind = "section"


@dataclass(frozen=True)
class ResponsibilityTable:
    policy: str
    heading: str
    number: str | None
    annex: bool
    columns: tuple[str, ...]  # extra columns, keys of COLUMNS
    rows: tuple[Row | SectionRow, ...] = field(default_factory=tuple)

    @property
    def task_rows(self) -> list[Row]:
        return [r for r in self.rows if isinstance(r, Row)]

    @property
    def extra_headers(self) -> list[str]:
        return [COLUMNS[c] for c in self.columns]

    def extra_values(self, row: Row) -> list[str]:
        return [getattr(row, c) for c in self.columns]


def parse_columns(text: str | None) -> tuple[str, ...]:
    """`完成时限,目标` or `deadline,target` → ("deadline", "target"), in the table's fixed order."""
    if not text:
        return ()
    wanted = set()
    for part in re.split(r"[,，、\s]+", text.strip()):
        if not part:
            continue
        if part not in COLUMN_ALIASES:
            raise TableError(f"未知的列「{part}」，可选：完成时限、目标", f"unknown column '{part}'; choose from 完成时限 (deadline), 目标 (target)")
        wanted.add(COLUMN_ALIASES[part])
    return tuple(c for c in COLUMNS if c in wanted)


def annex_section(policy: Policy) -> Section | None:
    return next((s for s in sorted(policy.sections, key=lambda s: s.order) if ANNEX_TITLE.search(s.title)), None)


def build_table(corpus: Corpus, policy_id: str, *, section: str | None = None,
                columns: tuple[str, ...] = ()) -> ResponsibilityTable:
    policy = corpus.policy(policy_id)
    if policy is None or policy.kind is not PolicyKind.POLICY:
        raise TableError(f"没有已编码的政策「{policy_id}」", f"no encoded policy '{policy_id}'")
    root = next((s for s in policy.sections if s.id == section), None) if section else annex_section(policy)
    if section and root is None:
        raise TableError(f"政策「{policy_id}」中没有部分「{section}」", f"policy '{policy_id}' has no section '{section}'")
    annex = root is not None and bool(ANNEX_TITLE.search(root.title))
    if annex and root is not None:
        heading = root.title
    else:
        heading = (book_title(policy.title) if policy.title else policy_label(policy)) + "重点任务责任分工"
    steps = _steps_of(policy)
    rows = _number_and_merge(policy, _entries(policy, root, steps), columns, steps)
    return ResponsibilityTable(policy.id, heading, policy.number, annex, columns, tuple(rows))


def _steps_of(policy: Policy) -> dict[str | None, list[Task]]:
    """Each task's sub-tasks (一是、二是 …) in document order, found once: looking them up per row in the list of
    every task made a 5,000-task table quadratic."""
    children: dict[str | None, list[Task]] = {}
    for t in policy.tasks:
        if t.parent:
            children.setdefault(t.parent, []).append(t)
    return children


def _with_steps(task: Task, steps: dict[str | None, list[Task]]) -> list[Task]:
    """The task and every sub-task below it, in document order (as `duties.with_steps`)."""
    out, stack = [], [task]
    while stack:
        t = stack.pop()
        out.append(t)
        stack.extend(reversed(steps.get(t.id, ())))
    return sorted(out, key=lambda t: t.order)


def _entries(policy: Policy, root: Section | None, steps: dict[str | None, list[Task]]) -> list[_Entry | SectionRow]:
    """Section header rows and task rows in document order; a section's header only once a row follows it."""
    inside = _sections_within(policy, root)
    base = root.depth + 1 if root else 0
    entries: list[_Entry | SectionRow] = []
    pending: list[SectionRow] = []
    items = sorted([(s.order, s) for s in policy.sections] + [(t.order, t) for t in policy.tasks], key=lambda x: x[0])
    for _, item in items:
        if isinstance(item, Section):
            if item.id in inside and item is not root:
                depth = item.depth - base
                pending = [p for p in pending if p.depth < depth]
                pending.append(SectionRow(section_label(item.id, depth) + item.title, depth))
            continue
        if item.parent is not None or item.section not in inside or item.kind is ItemKind.CLAUSE:
            continue
        found = _row_tasks(item, steps)
        if found:
            entries += [*pending, *found]
            pending = []
    return entries


@dataclass(frozen=True)
class _Entry:
    """A task that becomes a row, the title merged over it (a task group's, or its measure's), and the measure."""

    task: Task
    group: str | None
    measure: Task


def _sections_within(policy: Policy, root: Section | None) -> set[str | None]:
    if root is None:
        return {None} | {s.id for s in policy.sections}
    inside: set[str | None] = {root.id}
    changed = True
    while changed:
        changed = False
        for s in policy.sections:
            if s.parent in inside and s.id not in inside:
                inside.add(s.id)
                changed = True
    return inside


def _own(task: Task) -> list[Assignment]:
    return [a for a in task.assignments if not a.inherited]


def _row_tasks(measure: Task, steps: dict[str | None, list[Task]]) -> list[_Entry]:
    if _own(measure):
        return [_Entry(measure, measure.group, measure)]
    return [_Entry(step, measure.title or measure.id, measure) for step in steps.get(measure.id, ()) if _own(step)]


def _number_and_merge(policy: Policy, entries: list[_Entry | SectionRow], columns: tuple[str, ...],
                      steps: dict[str | None, list[Task]]) -> list[Row | SectionRow]:
    """Rows numbered as the document prints them (Bishan's 序号 1 … 35, 云阳's 二（二）二是: `Task.printed`, what a
    unit writes in the 任务 column of its completion sheet), else by the task id; consecutive rows under one
    group title share one merged title cell."""
    out: list[Row | SectionRow] = []
    section = ""
    for i, entry in enumerate(entries):
        if isinstance(entry, SectionRow):
            out.append(entry)
            section = entry.label if entry.depth == 0 else section
            continue
        out.append(_row(entry, entry.task.printed or entry.task.id, _title_span(entries, i), section, columns, steps))
    return out


def _same_group(a: _Entry | SectionRow, b: _Entry | SectionRow) -> bool:
    return isinstance(a, _Entry) and isinstance(b, _Entry) and a.group is not None and a.group == b.group


def _title_span(entries: list[_Entry | SectionRow], i: int) -> int:
    if i and _same_group(entries[i - 1], entries[i]):
        return 0
    span = 1
    while i + span < len(entries) and _same_group(entries[i], entries[i + span]):
        span += 1
    return span


def _row(entry: _Entry, number: str, span: int, section: str, columns: tuple[str, ...],
         steps: dict[str | None, list[Task]]) -> Row:
    task, measure = entry.task, entry.measure
    # a measure's row carries its steps' units (a step's own 负责, as 2.2.2's 青龙街道、双江街道), deadlines and
    # targets; a step's row falls back on its measure's dates
    scope = _with_steps(task, steps) if task is measure else [task]
    own = _distinct_units([a for t in scope for a in _own(t)])
    lead = [a for a in own if a.role is AssignmentRole.LEAD]
    shared = [a for a in own if a.role is AssignmentRole.CO_RESPONSIBLE]
    coop = [a for a in own if a.role is AssignmentRole.COOPERATE]
    deadlines = [d for t in scope for d in t.deadlines] or (list(measure.deadlines) if task is not measure else [])
    return Row(
        number=number, task=task.id, title=entry.group or task.title or "", title_rows=span,
        content=task.text or task.title or "",
        responsible=tuple(_cell(a) for a in lead + shared), cooperating=tuple(_cell(a) for a in coop),
        deadline="；".join(deadline_zh(d) for d in deadlines) if "deadline" in columns else "",
        target="；".join(text for s in scope for text in goals_and_targets_zh(s)) if "target" in columns else "",
        section=section)


def _distinct_units(assignments: list[Assignment]) -> list[Assignment]:
    """Each unit once, at its first and strongest role (牵头 before 负责 before 配合): a unit the measure names to
    cooperate and a step names responsible is listed as responsible."""
    rank = {AssignmentRole.LEAD: 0, AssignmentRole.CO_RESPONSIBLE: 1, AssignmentRole.COOPERATE: 2}
    best: dict[str, Assignment] = {}
    for a in assignments:
        key = a.unit.unit
        if key not in best or rank[a.role] < rank[best[key].role]:
            best[key] = a
    return [a for a in assignments if best[a.unit.unit] is a]


def _cell(a: Assignment) -> UnitCell:
    return UnitCell(a.unit.unit, a.unit.written + ("（据主送）" if a.inferred else ""), a.role.value)


# ───────────── text formats ─────────────


def to_markdown(table: ResponsibilityTable) -> bytes:
    return environment().get_template("table.md.j2").render(table=table).encode("utf-8")


def to_html(table: ResponsibilityTable) -> bytes:
    m = LANDSCAPE_MARGINS if table.columns else PORTRAIT_MARGINS  # printed like the docx: GB/T 9704 margins
    margin = " ".join(f"{m[side]}mm" for side in ("top", "right", "bottom", "left"))
    return environment().get_template("table.html.j2").render(table=table, page_margin=margin).encode("utf-8")


def to_csv(table: ResponsibilityTable) -> bytes:
    """One line per task with its section and group title in full: what a spreadsheet filter needs. The BOM
    lets Excel open the UTF-8 file without mangling the Chinese."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["序号", "所属部分", "重点任务", "具体内容", "责任单位", "配合单位", *table.extra_headers])
    for row in table.task_rows:
        writer.writerow([csv_safe(v) for v in (row.number, row.section, row.title, row.content, row.responsible_text,
                                                row.cooperating_text, *table.extra_values(row))])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_json(table: ResponsibilityTable) -> bytes:
    rows = []
    for row in table.rows:
        if isinstance(row, SectionRow):
            rows.append({"type": "section", "label": row.label, "depth": row.depth})
            continue
        data = asdict(row)
        data.update(type="task", responsible_text=row.responsible_text, cooperating_text=row.cooperating_text)
        for c in COLUMNS:
            if c not in table.columns:
                data.pop(c)
        rows.append(data)
    payload = {"policy": table.policy, "heading": table.heading, "number": table.number, "annex": table.annex,
               "columns": ["序号", "重点任务", "具体内容", "责任单位", "配合单位", *table.extra_headers], "rows": rows}
    return (json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def to_xlsx(table: ResponsibilityTable) -> bytes:
    from . import table_office  # on use: openpyxl and python-docx are slow to import

    return table_office.to_xlsx(table)


def to_docx(table: ResponsibilityTable) -> bytes:
    from . import table_office

    return table_office.to_docx(table)


@dataclass(frozen=True)
class FormatSpec:
    """How a table is written in one format: the renderer, whether the bytes are binary (never to a terminal),
    and the format's name on the site's download links."""

    render: Callable[[ResponsibilityTable], bytes]
    binary: bool
    label_zh: str


FORMAT_SPECS: dict[TableFormat, FormatSpec] = {
    TableFormat.md: FormatSpec(to_markdown, False, "网页"),
    TableFormat.html: FormatSpec(to_html, False, "HTML"),
    TableFormat.csv: FormatSpec(to_csv, False, "CSV"),
    TableFormat.json: FormatSpec(to_json, False, "JSON"),
    TableFormat.xlsx: FormatSpec(to_xlsx, True, "Excel"),
    TableFormat.docx: FormatSpec(to_docx, True, "Word"),
}


def render_table(table: ResponsibilityTable, fmt: str) -> bytes:
    return FORMAT_SPECS[TableFormat(fmt)].render(table)


def render(corpus: Corpus, formats: tuple[str, ...] = FORMATS) -> dict[str, bytes]:
    """Every encoded policy's table in every format, in the annex's own columns (`luoshi table --columns` adds
    完成时限 and 目标): tables/<policy>.md, .html, .csv, .json, .xlsx, .docx."""
    out = {}
    for policy in corpus.policies:
        if policy.kind is not PolicyKind.POLICY:
            continue
        table = build_table(corpus, policy.id)
        if table.task_rows:
            for fmt in formats:
                out[f"tables/{policy.id}.{fmt}"] = render_table(table, fmt)
    return out
