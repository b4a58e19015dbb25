"""Rules within one policy (LS301–LS307): who is responsible, when, and for which numbers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from itertools import combinations, pairwise

from ..diagnostics import Diagnostic
from ..model import (
    AssignmentRole,
    Comparator,
    Corpus,
    ItemKind,
    OngoingDeadline,
    PeriodDeadline,
    Target,
    Task,
)
from .index import fold, index, policies
from .rule import finding, related, rule
from .walk import hits, task_end

LEAD, CO, COOP = AssignmentRole.LEAD, AssignmentRole.CO_RESPONSIBLE, AssignmentRole.COOPERATE
FLOORS, CEILINGS = (Comparator.GE, Comparator.GT), (Comparator.LE, Comparator.LT)


def label(task: Task) -> str:
    return f"{task.key}「{task.title}」" if task.title else str(task.key)


@rule("LS301")
def task_without_unit(corpus: Corpus) -> Iterator[Diagnostic]:
    """A task or phase that no unit answers for, itself or through its sub-tasks (found by walk.py)."""
    for t in hits(corpus).no_unit:
        yield finding("LS301", t.span,
                      (f"{label(t)} 没有牵头、负责或配合单位", f"{t.key} names no lead, responsible or cooperating unit"),
                      ("请按原文写明「牵头」或「负责」单位；原文未写明的，按主送单位编码并用「备注」说明",
                       "write its 牵头 or 负责 units from the text; where the text names none, use the addressees and say so in a 备注"))


@rule("LS302")
def ambiguous_lead(corpus: Corpus) -> Iterator[Diagnostic]:
    """A lead that is a whole group, or several co-responsible units with no lead among them (unless the policy
    declares `牵头规则 无`: the document designates no lead, so 负责 for all is what it says, not an omission).
    Found by walk.py: a task's own leads of kind group, and its own co-responsible units of kind unit when it has
    no lead, inherited or own."""
    for t, group, co in hits(corpus).ambiguous:
        if group is not None:
            yield finding("LS302", group.unit.span,
                          (f"{t.key} 的牵头单位是群组「{group.unit.written}」，未指明由哪个成员单位牵头",
                           f"{t.key} is led by the group '{group.unit.written}' without saying which member leads"),
                          ("请写明牵头的成员单位（如民政部门），其余成员记为「配合」",
                           "name the member that leads (e.g. the civil-affairs bureau) and list the rest under 配合"))
        elif co:
            names = "、".join(a.unit.written for a in co)
            yield finding("LS302", co[0].unit.span,
                          (f"{t.key} 由「{names}」共同负责，未指定牵头单位", f"{t.key} has {len(co)} co-responsible units and no lead"),
                          ("请明确由哪个单位牵头（写「牵头」）；原文确未指定的，用忽略注释写明理由",
                           "say which one leads (write 牵头); if the text really names none, suppress with a reason"))


@rule("LS303")
def unit_outside_jurisdiction(corpus: Corpus) -> Iterator[Diagnostic]:
    """A policy binds units in its own jurisdiction and below, not its superiors or its neighbours (found by
    walk.py: each own assignment's units, then each target's scope, of a policy with a jurisdiction)."""
    ix = index(corpus)
    for p, r, unit in hits(corpus).outside:
        above = unit.jurisdiction in ix.ancestors(p.jurisdiction)
        where_zh = f"上级辖区「{unit.jurisdiction}」" if above else f"辖区「{unit.jurisdiction}」"
        where_en = f"the superior jurisdiction '{unit.jurisdiction}'" if above else f"jurisdiction '{unit.jurisdiction}'"
        yield finding("LS303", r.span,
                      (f"「{r.written}」属于{where_zh}，不在本政策辖区「{p.jurisdiction}」内",
                       f"'{r.written}' belongs to {where_en}, outside this policy's '{p.jurisdiction}'"),
                      (f"请改为「{p.jurisdiction}」的对应单位，或在单位名录中把它声明到「{p.jurisdiction}」",
                       f"use its counterpart in '{p.jurisdiction}', or declare the unit under '{p.jurisdiction}' in the registry"))


@rule("LS304")
def lead_also_cooperates(corpus: Corpus) -> Iterator[Diagnostic]:
    """A unit cannot cooperate with itself: it is either answerable for the task or helping (found by walk.py:
    a cooperating unit, or a member of a cooperating group, that leads or is responsible; a pair inherited on both
    sides is reported on the enclosing task)."""
    ix = index(corpus)
    for t, r, uid, answerable in hits(corpus).both:
        name = ix.name(uid)
        yield finding("LS304", r.span,
                      (f"{t.key} 中「{name}」既是{answerable.role.zh}单位又是配合单位",
                       f"in {t.key}, '{name}' is both {answerable.role.value.replace('_', '-')} and cooperating"),
                      ("请从「配合」中删去它，或核对原文的责任单位", "drop it from 配合, or check the text's list of units"),
                      related(answerable.unit.span, f"{answerable.role.zh}单位", "named here"))


@rule("LS305")
def deadline_out_of_range(corpus: Corpus) -> Iterator[Diagnostic]:
    """A date no one can meet (before the policy was issued) or one past the end it belongs to: the enclosing
    task's (phase's), else, for a task, the end of the policy's schedule (found by walk.py)."""
    for p, span, written, end, why, outer, limit in hits(corpus).dates:
        if why == "issued":
            yield finding("LS305", span, (f"「{written}」（{end}）早于本政策成文日期 {p.date}", f"'{written}' ({end}) is before the issue date {p.date}"),
                          ("请核对原文日期；已过期的时限无法落实", "check the date in the text: a date already past cannot be met"))
        elif why == "enclosing" and outer is not None:
            yield finding("LS305", span, (f"「{written}」（{end}）晚于所属的 {outer.key} 的时限 {limit}",
                                          f"'{written}' ({end}) is after {outer.key}'s own end {limit}"),
                          ("请把时限提前到所属任务（阶段）结束之前，或核对原文", "move it within the enclosing task's period, or check the text"),
                          related(outer.span, "所属任务（阶段）", "the enclosing item"))
        else:
            yield finding("LS305", span, (f"「{written}」（{end}）晚于本政策实施步骤的结束日期 {limit}",
                                          f"'{written}' ({end}) is after the end of this policy's phases, {limit}"),
                          ("请延长实施步骤或提前该时限", "extend the phases or bring the deadline forward"))


def _phase_dates(task: Task) -> tuple[dt.date | None, dt.date | None, bool]:
    starts = [d.start for d in task.deadlines if isinstance(d, PeriodDeadline)]
    ongoing = any(isinstance(d, OngoingDeadline) for d in task.deadlines)
    return (min(starts) if starts else None), task_end(task), ongoing


@rule("LS306")
def phase_gap_or_overlap(corpus: Corpus) -> Iterator[Diagnostic]:
    """Phases of one schedule (实施步骤) follow each other: each starts the day after the one before ends."""
    for p in policies(corpus):
        runs: dict[tuple[str | None, str | None], list[Task]] = {}
        for t in p.tasks:
            if t.kind is ItemKind.PHASE:
                runs.setdefault((t.section, t.parent), []).append(t)
        for phases in runs.values():
            for before, after in pairwise(phases):
                _, end, _ = _phase_dates(before)
                start, after_end, ongoing = _phase_dates(after)
                if end is None or ongoing:
                    continue
                near = related(before.span, "前一阶段", "the phase before")
                if start is not None and start > end + dt.timedelta(days=1):
                    yield finding("LS306", after.span,
                                  (f"{label(after)} 从 {start} 开始，与前一阶段（至 {end}）之间空档 {(start - end).days - 1} 天",
                                   f"{after.key} starts {start}, leaving {(start - end).days - 1} days after the phase before ends ({end})"),
                                  ("请让阶段首尾相接，或在「备注」中说明空档", "make the phases meet, or explain the gap in a 备注"), near)
                elif (start is not None and start <= end) or (start is None and after_end is not None and after_end <= end):
                    yield finding("LS306", after.span,
                                  (f"{label(after)} 与前一阶段（至 {end}）重叠", f"{after.key} overlaps the phase before (which ends {end})"),
                                  ("请核对各阶段的起止日期", "check the phases' dates"), near)


# What makes two targets about the same thing: metric (folded), per, condition, date and scope.
TargetKey = tuple[str, str | None, str | None, dt.date | None, tuple[str, ...]]


def _key(t: Target) -> TargetKey:
    return (fold(t.metric), t.per, t.condition, t.by, tuple(sorted(s.unit for s in t.scope)))


def _range_ok(a: Target, b: Target) -> bool:
    """A floor below a ceiling states a range, not a conflict."""
    lo, hi = (a, b) if a.comparator in FLOORS else (b, a)
    return lo.comparator in FLOORS and hi.comparator in CEILINGS and lo.unit == hi.unit and lo.value < hi.value


@rule("LS307")
def conflicting_targets(corpus: Corpus) -> Iterator[Diagnostic]:
    """Two targets on the same metric, for the same scope and date, say the same thing twice or disagree."""
    for p in policies(corpus):
        groups: dict[TargetKey, list[tuple[Task, Target]]] = {}
        for t in p.tasks:
            for g in t.targets:
                groups.setdefault(_key(g), []).append((t, g))
        for found in groups.values():
            reported: set[int] = set()
            for (ta, a), (tb, b) in combinations(found, 2):
                if id(b) in reported or _range_ok(a, b):
                    continue
                reported.add(id(b))
                same = (a.comparator, a.value, a.unit) == (b.comparator, b.value, b.unit)
                what = (f"{tb.key} 的目标「{b.written}」与 {ta.key} 的「{a.written}」重复", f"target '{b.written}' in {tb.key} repeats '{a.written}' in {ta.key}") if same \
                    else (f"{tb.key} 的目标「{b.written}」与 {ta.key} 的「{a.written}」冲突", f"target '{b.written}' in {tb.key} conflicts with '{a.written}' in {ta.key}")
                todo = ("请删去重复的一条", "remove the repeated one") if same else \
                    ("请核对原文，保留一个数值；确属不同情形的，用「条件」或「范围」区分", "check the text and keep one value; if they cover different cases, tell them apart with 条件 or 范围")
                yield finding("LS307", b.span, what, todo, related(a.span, "另一目标", "the other target"))
