"""One walk over every encoded policy's tasks that finds what LS301–LS305 and LS333 report.

Each of those rules walked every task and its assignments on its own, looked each mentioned unit up again and built
lists for tasks that were fine: six walks over 200,000 tasks at 10,000 files. Here each task is visited once, each
assignment's units are flattened and looked up once, and what a rule needs beyond that (a policy's schedule end,
an enclosing task's end, which tasks carry units below them) is computed only when a task could be reported. The
walk keeps only the hits, in each rule's own order; the rules (policy_rules.py, hygiene_rules.py) word them. Each
section below is marked with the code of the rule it decides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..model import (
    Assignment,
    AssignmentRole,
    Corpus,
    ItemKind,
    OngoingDeadline,
    Policy,
    Task,
    Unit,
    UnitKind,
    UnitRef,
)
from ..syntax.source import Span
from .index import Index, flatten, index, policies, shared

LEAD, CO, COOP = AssignmentRole.LEAD, AssignmentRole.CO_RESPONSIBLE, AssignmentRole.COOPERATE
WORK = (ItemKind.TASK, ItemKind.PHASE)


@dataclass
class Hits:
    """What each rule reports, in its order (the walk's order: policy by policy, task by task)."""

    no_unit: list[Task] = field(default_factory=list)  # LS301
    # LS302: (task, a group that leads, None) or (task, None, the co-responsible units with no lead)
    ambiguous: list[tuple[Task, Assignment | None, list[Assignment] | None]] = field(default_factory=list)
    outside: list[tuple[Policy, UnitRef, Unit]] = field(default_factory=list)  # LS303
    both: list[tuple[Task, UnitRef, str, Assignment]] = field(default_factory=list)  # LS304: unit id, answerable
    # LS305: (policy, span, written, its day, why, the enclosing task, the end passed); why: "issued" (before the
    # policy's date), "enclosing" (after the enclosing task's end) or "schedule" (after the policy's schedule end)
    dates: list[tuple[Policy, Span, str, dt.date, str, Task | None, dt.date | None]] = field(default_factory=list)
    memberless: list[tuple[Task, UnitRef, Unit]] = field(default_factory=list)  # LS333


def hits(corpus: Corpus) -> Hits:
    """The corpus's hits (shared: one walk for the six rules)."""
    return shared(corpus, "task-walk", lambda c: _Walk(c).run())


def task_end(task: Task) -> dt.date | None:
    """The last due day among a task's deadlines."""
    ends = [day for d in task.deadlines if (day := d.due)]
    return max(ends) if ends else None


def schedule_end(policy: Policy) -> dt.date | None:
    """The end of a policy's own schedule: its last phase's end, when every top-level phase has one."""
    phases = [t for t in policy.tasks if t.kind is ItemKind.PHASE and t.parent is None]
    if not phases or any(isinstance(d, OngoingDeadline) for t in phases for d in t.deadlines):
        return None
    ends = [task_end(t) for t in phases]
    return max(ends) if all(ends) else None  # type: ignore[type-var]


class _Walk:
    def __init__(self, corpus: Corpus) -> None:
        self.ix: Index = index(corpus)
        self.units = self.ix.units
        self.out = Hits()

    def run(self) -> Hits:
        for p in policies(self.ix.corpus):
            self._policy(p)
        return self.out

    def _policy(self, p: Policy) -> None:
        out, area = self.out, p.jurisdiction
        outside: list[tuple[Policy, UnitRef, Unit]] = []
        seen: set[str] = set()  # LS333: collectives reported in this policy
        below: set[str] | None = None  # LS301: ids of tasks with units in a sub-task (made when first needed)
        ends: list[dt.date | None] = []  # LS305: [the policy's schedule end] once computed
        no_lead = p.lead_rule == "无"
        for t in p.tasks:
            assigned = t.assignments
            if not assigned:
                # LS301: a task or phase no unit answers for, itself or through its sub-tasks
                if t.kind in WORK:
                    if below is None:
                        below = _with_units_below(p)
                    if t.id not in below:
                        out.no_unit.append(t)
            else:
                self._units(p, t, assigned, area, no_lead, outside, seen)
            # LS305: a date before the policy's, or past the end of the task (phase) or schedule it belongs to
            if t.deadlines or t.targets:
                dated = [(end, d.written, d.span) for d in t.deadlines if (end := d.last_day)]
                dated += [(g.by, g.written, g.span) for g in t.targets if g.by]
                if dated:
                    if not ends:
                        ends.append(schedule_end(p))
                    self._dates(p, t, dated, ends[0])
        if area is not None:
            # LS303: the targets' scopes come after every task's assignments
            for t in p.tasks:
                for g in t.targets:
                    for s in g.scope:
                        for r in flatten(s):
                            self._place(p, r, area, outside)
            out.outside += outside

    def _units(self, p: Policy, t: Task, assigned: tuple[Assignment, ...], area: str | None, no_lead: bool,
               outside: list[tuple[Policy, UnitRef, Unit]], seen: set[str]) -> None:
        """The rules on a task's units: each own assignment's units looked up once."""
        out, units = self.out, self.units
        led = False
        co: list[Assignment] = []
        answer: list[str] = []  # LS304: the units that lead or are responsible, inherited or own
        helping: list[UnitRef] = []  # LS304: the cooperating units, inherited or own
        for a in assigned:
            role, ref = a.role, a.unit
            refs = list(flatten(ref)) if ref.subunits else (ref,)
            if role is COOP:
                helping += refs
            else:
                if role is LEAD:
                    led = True
                if ref.subunits:
                    answer += [r.unit for r in refs]
                else:
                    answer.append(ref.unit)
            if a.inherited:
                continue
            for r in refs:
                unit = units.get(r.unit)
                if area is not None and unit is not None:  # LS303: a unit outside the policy's jurisdiction
                    uj = unit.jurisdiction
                    if uj != area and area not in self.ix.ancestors(uj):
                        outside.append((p, r, unit))
                if role is COOP or unit is None:
                    continue
                # LS333: a collective that answers for a task while the registry lists none of its members
                if unit.kind is UnitKind.COLLECTIVE and unit.id not in seen and not any(m in units for m in unit.members):
                    seen.add(unit.id)
                    out.memberless.append((t, r, unit))
                if r is not ref:
                    continue
                # LS302: a whole group leads; several units are responsible and none leads
                if role is LEAD:
                    if unit.kind is UnitKind.GROUP:
                        out.ambiguous.append((t, a, None))
                elif unit.kind is UnitKind.UNIT:
                    co.append(a)
        if not led and not no_lead and len(co) >= 2:
            out.ambiguous.append((t, None, co))
        # LS304: only a cooperating unit that also answers, or a cooperating group with members, can be reported
        for r in helping:
            if r.unit in answer or (not r.others and (unit := units.get(r.unit)) is not None and unit.members):
                self._cooperating(t)
                break

    def _place(self, p: Policy, r: UnitRef, area: str, outside: list[tuple[Policy, UnitRef, Unit]]) -> None:
        """LS303 for a target's scope."""
        unit = self.units.get(r.unit)
        if unit is not None and unit.jurisdiction != area and area not in self.ix.ancestors(unit.jurisdiction):
            outside.append((p, r, unit))

    def _cooperating(self, t: Task) -> None:
        """LS304: a unit both answerable for the task (lead or responsible) and cooperating on it."""
        answerable = {r.unit: a for a in t.assignments if a.role is not COOP for r in flatten(a.unit)}
        for a in t.assignments:
            if a.role is not COOP:
                continue
            for r in flatten(a.unit):
                unit = self.units.get(r.unit)
                if (unit is None or r.others or not unit.members) and r.unit not in answerable:
                    continue  # the usual case, answered without the sets below
                members = set(unit.members) if unit is not None and not r.others else set()
                for uid in ({r.unit} | members) & set(answerable):
                    if a.inherited and answerable[uid].inherited:
                        continue  # reported on the enclosing task
                    self.out.both.append((t, r, uid, answerable[uid]))

    def _dates(self, p: Policy, t: Task, dated: list[tuple[dt.date, str, Span]], policy_end: dt.date | None) -> None:
        """LS305 for a task's dated deadlines and targets."""
        enclosing = next(((a, e) for a in self.ix.ancestors_of_task(t) if (e := task_end(a))), None) if t.parent else None
        for end, written, span in dated:
            if p.date and end < p.date:
                self.out.dates.append((p, span, written, end, "issued", None, None))
            elif enclosing and end > enclosing[1]:
                self.out.dates.append((p, span, written, end, "enclosing", *enclosing))
            elif policy_end and end > policy_end and t.kind is not ItemKind.PHASE:
                self.out.dates.append((p, span, written, end, "schedule", None, policy_end))


def _with_units_below(p: Policy) -> set[str]:
    """The ids of a policy's tasks one of whose sub-tasks (at any depth) has units (`Index.subtree` of each task)."""
    by_id: dict[str, list[Task]] = {}
    for t in p.tasks:
        by_id.setdefault(t.id, []).append(t)
    below: set[str] = set()
    pending = [t.parent for t in p.tasks if t.assignments and t.parent]
    while pending:
        tid = pending.pop()
        if tid in below:
            continue
        below.add(tid)
        pending += [t.parent for t in by_id.get(tid, ()) if t.parent]
    return below

