"""Per-unit checklists (责任清单): every task a unit leads, shares or cooperates on, across every policy, with its
role, its deadline resolved to a date, its targets and the parent task it carries out, soonest first.

A unit owes a task when the task names it, names it inside another unit's parentheses (区人力社保局（区就业人才中心、
区社保中心）), or names a group or collective it is a listed member of (…其他成员单位 leaves the task's responsible
units out). A sub-task that only inherits its measure's units is covered by the measure's row; a task without a
deadline of its own takes its enclosing measure's or phase's (云阳's 精准对象阶段 steps).

Deadlines: a due date or a period's end is the row's date; 持续 and limits counted from an event have none; a
recurring obligation becomes one row per occurrence over the requested range (or its own window), and one
undated row when neither gives a range. One-off deadlines are listed whatever the range: an overdue task is
still owed until someone marks it done in the 状态 column.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jinja2 import Environment

from ..model import (
    AssignmentRole,
    Corpus,
    DueDeadline,
    EventLimitDeadline,
    ItemKind,
    OngoingDeadline,
    PeriodDeadline,
    Policy,
    RecurringDeadline,
    Task,
    TaskKey,
    Unit,
    UnitKind,
    derived,
)
from ..semantics.duties import Duty, Through, duties, nearest, with_steps
from ..semantics.graph import ROLE_EDGE, CorpusGraph, build_graph, edges_of, unit_node
from .occurrences import occurrences, window
from .templating import environment
from .wording import (
    deadline_zh,
    distinct_file_name,
    goals_and_targets_zh,
    policy_label,
    task_label,
)

# The statuses `luoshi comply` reads (comply/engine.py STATUS_WORDS), so a filled-in xlsx checklist goes back to it.
STATUSES = ("未开始", "进行中", "已完成")
FORMATS = ("md", "xlsx", "docx")


@dataclass(frozen=True)
class Item:
    """One row: a duty at one deadline (or occurrence of a recurring one)."""

    duty: Duty
    due: dt.date | None
    deadline: str          # as officials write it: 2019年3月底前（启动部署阶段）, 每年1次：2024年
    deadline_inherited: bool
    targets: str
    parents: str           # the parent tasks it carries out
    undated_rank: int      # for rows without a date: 0 recurring, 1 period/ongoing, 2 event limit, 3 none

    @property
    def role(self) -> str:
        """牵头 · 负责（据主送）: an inferred duty says so, for the unit to confirm it."""
        return self.duty.role.zh + ("（据主送）" if self.duty.inferred else "")

    @property
    def policy(self) -> str:
        return policy_label(self.duty.policy)

    @property
    def policy_key(self) -> str:
        """The policy as `luoshi comply` reads it in a 政策 column: its 文号, else its id."""
        return self.duty.policy.number or self.duty.policy.id

    @property
    def task(self) -> str:
        """二（二）二是 加大失能特困人员集中供养保障力度…: the number the document prints, as a unit writes it in its
        completion sheet (the DSL id where the document prints none)."""
        return printed_task_label(self.duty.task)

    @property
    def task_key(self) -> str:
        """The task as the 任务 column of a completion sheet names it: printed number, else id."""
        return self.duty.task.printed or self.duty.task.id

    @property
    def content(self) -> str:
        return self.duty.task.text or self.duty.task.title or ""

    @property
    def listed_as(self) -> str:
        """How the task names the unit: itself, the unit it sits under, or the group it belongs to."""
        written = self.duty.written
        return written if self.duty.through is Through.NAMED else f"{written}（{self.duty.through.zh}）"

    @property
    def due_text(self) -> str:
        return f"{self.due.year}年{self.due.month}月{self.due.day}日" if self.due else ""

    def sort_key(self) -> tuple[bool, dt.date, int, str, int]:
        d = self.duty
        return (self.due is None, self.due or dt.date.min, self.undated_rank, d.policy.id, d.task.order)


@dataclass(frozen=True)
class Checklist:
    unit: Unit
    items: tuple[Item, ...]
    start: dt.date | None
    end: dt.date | None
    unlisted: tuple[tuple[str, int], ...]  # groups of the unit's jurisdiction with no listed members: (id, tasks)

    @property
    def title(self) -> str:
        return f"{self.unit.name}工作任务清单"

    @property
    def tasks(self) -> list[Item]:
        """The first row of each task, in checklist order: for listing each task's text once."""
        seen: dict[str, Item] = {}
        for i in self.items:
            seen.setdefault(str(i.duty.task.key), i)
        return list(seen.values())

    @property
    def counts(self) -> dict[str, int]:
        tasks: dict[str, AssignmentRole] = {str(i.duty.task.key): i.duty.role for i in self.items}
        return {role.zh: sum(1 for r in tasks.values() if r is role) for role in AssignmentRole}

    @property
    def task_count(self) -> int:
        return len({str(i.duty.task.key) for i in self.items})

    @property
    def summary(self) -> str:
        counts = "，".join(f"{role}{n}项" for role, n in self.counts.items() if n)
        policies = len({i.duty.policy.id for i in self.items})
        return f"{self.unit.jurisdiction} · 共{self.task_count}项任务（{counts}），涉及{policies}份政策文件" \
            if self.items else f"{self.unit.jurisdiction} · 没有列明的任务"

    @property
    def range_note(self) -> str:
        """How recurring tasks are listed, for the reader of a printed or filled-in checklist."""
        if self.start and self.end:
            return f"周期性任务按{self.start.year}年{self.start.month}月{self.start.day}日至" \
                   f"{self.end.year}年{self.end.month}月{self.end.day}日逐次列出。"
        return "周期性任务未限定起止日期的列为一行，每个周期均须完成。"

    @property
    def range_hint(self) -> str:
        """The command that lists recurring tasks date by date: for the terminal and Markdown only, never for print."""
        return "" if self.start and self.end else "用 luoshi checklist --from/--to 可按日期逐次列出。"

    @property
    def policies(self) -> list[Policy]:
        """The policies of the checklist's rows, in order of first appearance."""
        return list({i.duty.policy.id: i.duty.policy for i in self.items}.values())

    def unlisted_notes(self, corpus: Corpus) -> list[str]:
        notes = []
        for g, n in self.unlisted:
            group = corpus.unit(g)
            assert group is not None, "the unlisted groups are found in this corpus"
            notes.append(f"「{group.name}」承担{n}项任务，单位名录未列其成员；如本单位是其成员，请一并落实（见该群组的清单）。")
        return notes


def policy_years(cg: CorpusGraph, unit_id: str, policy: str | None = None) -> tuple[int, int]:
    """The years a unit's checklist covers by default: from the earliest to the latest year of its duties'
    policies (their dates, deadlines and target dates: 云阳 22号 is 2019–2020), not the current year; this year
    when nothing is dated."""
    years: set[int] = set()
    for duty in duties(cg, unit_id, policy):
        years |= {duty.policy.date.year} if duty.policy.date else set()
        deadlines, _ = nearest(duty.policy, duty.task, "deadlines")
        years |= {day.year for d in deadlines for day in (d.first_day, d.last_day) if day}
        years |= {t.by.year for step in with_steps(duty.policy, duty.task) for t in step.targets if t.by}
    if not years:
        this = dt.date.today().year
        return this, this
    return min(years), max(years)


def build_checklist(cg: CorpusGraph, unit_id: str, *, start: dt.date | None = None, end: dt.date | None = None,
                    policy: str | None = None) -> Checklist:
    unit = cg.corpus.unit(unit_id)
    assert unit is not None, "callers pass the id of a unit of the corpus"
    items: list[Item] = []
    for duty in duties(cg, unit_id, policy):
        items += _items(cg, duty, start, end)
    return Checklist(unit, tuple(sorted(items, key=Item.sort_key)), start, end, _unlisted_groups(cg, unit))


def _items(cg: CorpusGraph, duty: Duty, start: dt.date | None, end: dt.date | None) -> list[Item]:
    task, policy = duty.task, duty.policy
    deadlines, inherited = nearest(policy, task, "deadlines")
    targets = "；".join(text for step in with_steps(policy, task) for text in goals_and_targets_zh(step))
    parents = "；".join(_parent_label(cg, k) for k in nearest(policy, task, "implements")[0])

    def item(due: dt.date | None, text: str, rank: int = 0) -> Item:
        return Item(duty, due, text, inherited, targets, parents, rank)

    dated: list[Item] = []
    undated: list[tuple[int, str]] = []
    for d in deadlines:
        match d:
            case DueDeadline() | PeriodDeadline():
                dated.append(item(d.due, deadline_zh(d)))
            case RecurringDeadline() if span := window(d, start, end):
                lo, hi = span
                dated += [item(o.due, f"{deadline_zh(d)}：{o.label}") for o in occurrences(d, lo, hi)]
            case RecurringDeadline():  # no range to expand over: undated, listed first of those
                undated.append((0, deadline_zh(d)))
            case OngoingDeadline():
                undated.append((1, deadline_zh(d)))
            case EventLimitDeadline():
                undated.append((2, deadline_zh(d)))
    if not any(i.due for i in dated):  # no dated deadline: the dates of the task's targets are its deadlines
        for by in sorted({t.by for step in with_steps(policy, task) for t in step.targets if t.by}):
            dated.append(item(by, f"目标截至{by.year}年{by.month}月{by.day}日"))
    if not dated and not undated:  # nothing dated of its own: the policy's 实施步骤 (phases) close by the last one
        phase = _last_phase(policy)
        if phase is not None:
            d = next(d for d in phase.deadlines if d.last_day)
            dated.append(Item(duty, d.last_day, f"按实施步骤：{deadline_zh(d)}", False, targets, parents, 0))
    if undated:
        dated.append(item(None, "；".join(t for _, t in undated), min(r for r, _ in undated)))
    return dated or [item(None, "", 3)]


def _last_phase(policy: Policy) -> Task | None:
    """The policy's last dated phase (云阳 四、实施步骤: 组织实施阶段, 2019年12月底): the work of every measure
    without a date of its own is to be done by its end."""
    phases = [t for t in policy.tasks if t.kind is ItemKind.PHASE and any(d.last_day for d in t.deadlines)]
    return max(phases, key=lambda t: max(day for d in t.deadlines if (day := d.last_day)), default=None)


def printed_task_label(task: Task) -> str:
    """`wording.task_label` with the printed number in place of the DSL id: 二（二）二是 加大…; 3 构建综合救助格局."""
    label = task_label(task)
    if task.printed and label.startswith(task.id):
        return task.printed + label[len(task.id):]
    return label


def _parent_label(cg: CorpusGraph, key: TaskKey) -> str:
    parent = cg.policies.get(key.policy)
    task = parent.task(key.task) if parent else None
    return f"{policy_label(parent)} {printed_task_label(task)}" if parent and task else str(key)


def _unlisted_groups(cg: CorpusGraph, unit: Unit) -> tuple[tuple[str, int], ...]:
    if unit.kind is not UnitKind.UNIT:
        return ()
    out: list[tuple[str, int]] = []
    for g in _memberless_groups(cg.corpus).get(unit.jurisdiction, ()):
        tasks = {t for t, data in edges_of(cg.graph, unit_node(g.id), *ROLE_EDGE.values()) if not data.get("inherited")}
        if tasks:
            out.append((g.id, len(tasks)))
    return tuple(out)


def _memberless_groups(corpus: Corpus) -> dict[str, list[Unit]]:
    """Groups the registry lists no members of, by jurisdiction, built once per corpus (kept beside it by
    `model.derived`, so no module global keeps a corpus alive): scanning every unit for every unit's checklist
    made the checklists of a whole corpus quadratic (13,000 units at the 1k corpus)."""
    def build(c: Corpus) -> dict[str, list[Unit]]:
        found: dict[str, list[Unit]] = {}
        for g in c.units:
            if g.kind is UnitKind.GROUP and not g.members:
                found.setdefault(g.jurisdiction, []).append(g)
        return found

    groups: dict[str, list[Unit]] = derived(corpus, "memberless_groups", build)
    return groups


def to_markdown(checklist: Checklist, corpus: Corpus, env: Environment | None = None) -> bytes:
    template = (env or environment()).get_template("checklist.md.j2")
    return template.render(c=checklist, notes=checklist.unlisted_notes(corpus)).encode("utf-8")


def render_checklist(checklist: Checklist, corpus: Corpus, fmt: str, env: Environment | None = None) -> bytes:
    """One checklist in one format; `env` lets a build render many checklists with one template environment."""
    if fmt == "md":
        return to_markdown(checklist, corpus, env)
    from . import checklist_office
    return checklist_office.to_xlsx(checklist, corpus) if fmt == "xlsx" else checklist_office.to_docx(checklist, corpus)


def file_stem(unit: Unit) -> str:
    return f"{distinct_file_name(unit.jurisdiction)}/{distinct_file_name(unit.name)}"  # one file per unit


def render(corpus: Corpus, formats: tuple[str, ...] = FORMATS) -> dict[str, bytes]:
    """A checklist per unit that owes anything, in every format, and an index: checklists/<辖区>/<单位>.md …"""
    cg = build_graph(corpus)
    env = environment()
    out: dict[str, bytes] = {}
    rows = []
    for unit in corpus.units:
        checklist = build_checklist(cg, unit.id)
        if not checklist.items:
            continue
        stem = file_stem(unit)
        for fmt in formats:
            out[f"checklists/{stem}.{fmt}"] = render_checklist(checklist, corpus, fmt, env)
        rows.append((unit, stem, checklist))
    out["checklists/index.md"] = env.get_template("checklist_index.md.j2").render(rows=rows).encode("utf-8")
    return out
