"""Rules on the numbers a child carries down (LS314–LS317): targets no weaker, deadlines no later, terms no
shorter than the parent task's, and none of them dropped."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..diagnostics import Diagnostic
from ..model import (
    Comparator,
    Corpus,
    Deadline,
    DueDeadline,
    EventLimitDeadline,
    Frequency,
    OngoingDeadline,
    PeriodDeadline,
    RecurringDeadline,
    Target,
    Task,
    Term,
)
from .chain import Link, carried, grouped
from .index import fold, index, shared
from .rule import finding, related, rule

FLOORS = (Comparator.GE, Comparator.GT)
CEILINGS = (Comparator.LE, Comparator.LT)
PER_YEAR = {Frequency.YEARLY: 1, Frequency.HALF_YEARLY: 2, Frequency.QUARTERLY: 4, Frequency.MONTHLY: 12, Frequency.WEEKLY: 52}


@dataclass(slots=True)
class _Side:
    """Tasks carried out together (a task and the sub-tasks that carry it with it) and their numbers."""

    tasks: list[Task]
    targets: list[Target]
    deadlines: list[Deadline]
    terms: list[Term]


def _side(tasks: list[Task]) -> _Side:
    return _Side(tasks, [g for t in tasks for g in t.targets], [d for t in tasks for d in t.deadlines],
                 [x for t in tasks for x in t.terms])


def _pairs(corpus: Corpus) -> list[tuple[list[Link], _Side, list[Task]]]:
    """For each (child policy, parent task): the links, the parent's carried tasks with their numbers (once per
    parent task, however many children implement it) and the child's carried tasks (built once per corpus, shared
    by LS314–LS317). A rule reads the child's numbers only when the parent has some of that kind."""
    return shared(corpus, "value_pairs", _build_pairs)


def _build_pairs(corpus: Corpus) -> list[tuple[list[Link], _Side, list[Task]]]:
    ix = index(corpus)
    parents: dict[int, _Side] = {}
    out = []
    for _, found in sorted(grouped(corpus).items(), key=lambda kv: (kv[0][0], kv[1][0].task.order)):
        task = found[0].parent
        parent = parents.get(id(task))
        if parent is None:
            parent = parents[id(task)] = _side(carried(ix, task))
        child = [t for link in found for t in carried(ix, link.task)] if len(found) > 1 else carried(ix, found[0].task)
        out.append((found, parent, child))
    return out


# ── targets ──

def _weakness(p: Target, c: Target) -> tuple[str, str] | None:
    """Why child target c is weaker than parent target p, or None when it is at least as strong."""
    if c.unit != p.unit:
        return f"单位不同（{c.unit or '无'}／{p.unit or '无'}）", f"in other units ({c.unit or 'none'} vs {p.unit or 'none'})"
    if p.comparator in FLOORS:
        if c.comparator not in FLOORS + (Comparator.EQ,) or c.value < p.value or (c.value == p.value and p.comparator is Comparator.GT and c.comparator is not Comparator.GT):
            return "下限更低", "a lower floor"
    elif p.comparator in CEILINGS:
        if c.comparator not in CEILINGS + (Comparator.EQ,) or c.value > p.value or (c.value == p.value and p.comparator is Comparator.LT and c.comparator is not Comparator.LT):
            return "上限更高", "a higher ceiling"
    elif p.comparator is Comparator.EQ:
        if c.comparator is not Comparator.EQ or c.value != p.value:
            return "数值不同", "a different value"
    elif c.comparator is not p.comparator or c.value < p.value:
        return ("提高幅度更小", "a smaller increase") if p.comparator is Comparator.INCREASE else ("降低幅度更小", "a smaller decrease")
    if p.by and (c.by is None or c.by > p.by):
        return f"完成日期更晚（{c.by or '未写'}／{p.by}）", f"a later date ({c.by or 'none'} vs {p.by})"
    return None


@rule("LS314")
def weaker_target(corpus: Corpus) -> Iterator[Diagnostic]:
    for found, parent, child in _pairs(corpus):
        if not parent.targets:
            continue
        mine = [g for t in child for g in t.targets]
        for p in parent.targets:
            metric = fold(p.metric)
            same = [c for c in mine if fold(c.metric) == metric]
            reasons = [(c, _weakness(p, c)) for c in same]
            if not same or any(why is None for _, why in reasons):
                continue
            c, why = reasons[0]
            if why is None:  # ruled out above
                continue
            zh, en = why
            yield finding("LS314", c.span,
                          (f"目标「{c.written}」弱于上级 {found[0].parent.key} 的「{p.written}」：{zh}",
                           f"target '{c.written}' is weaker than '{p.written}' in {found[0].parent.key}: {en}"),
                          ("请把目标调整到不低于上级要求；确有理由的，用忽略注释写明", "raise it to at least the parent's; if there is a reason not to, suppress with it"),
                          related(p.span, "上级目标", "the parent target"))


@rule("LS315")
def dropped_target(corpus: Corpus) -> Iterator[Diagnostic]:
    for found, parent, child in _pairs(corpus):
        if not parent.targets:
            continue
        metrics = {fold(g.metric) for t in child for g in t.targets}
        for p in parent.targets:
            if fold(p.metric) in metrics:
                continue
            yield finding("LS315", found[0].task.span,
                          (f"上级 {found[0].parent.key} 的目标「{p.written}」在 {found[0].child.id} 中没有对应目标",
                           f"the target '{p.written}' of {found[0].parent.key} is not carried into {found[0].child.id}"),
                          ("请写出本级的对应目标（「目标 …」），或用忽略注释写明不设的理由", "write the local target (目标 …), or suppress with the reason for leaving it out"),
                          related(p.span, "上级目标", "the parent target"))


# ── deadlines and terms ──

def _days(d: EventLimitDeadline) -> float | None:
    """A limit in calendar days; a working day counts as 7/5 of a calendar day."""
    if d.limit_days is None:
        return None
    return d.limit_days * 7 / 5 if d.working_days else float(d.limit_days)


def _later(p: Deadline, mine: list[Deadline]) -> tuple[Deadline | None, tuple[str, str] | None]:
    """(the child's nearest deadline, why it is later than p) — why is None when it is no later."""
    match p:
        case DueDeadline() | PeriodDeadline():
            return _later_day(p, mine)
        case OngoingDeadline():
            same = [c for c in mine if isinstance(c, (OngoingDeadline, RecurringDeadline))]
            return (same[0] if same else None), None
        case RecurringDeadline():
            per_year = sorted(((PER_YEAR[c.frequency] * c.times, c) for c in mine if isinstance(c, RecurringDeadline)),
                              key=lambda x: -x[0])
            if per_year and per_year[0][0] < PER_YEAR[p.frequency] * p.times:
                most = per_year[0][1]
                return most, (f"「{most.written}」比上级的「{p.written}」次数少", f"'{most.written}' is less often than '{p.written}'")
            return (per_year[0][1] if per_year else None), None
        case EventLimitDeadline() if (limit := _days(p)) is not None:
            by_days = sorted(((days, c) for c in mine if isinstance(c, EventLimitDeadline) and (days := _days(c)) is not None),
                             key=lambda x: x[0])
            if by_days and by_days[0][0] > limit:
                shortest = by_days[0][1]
                return shortest, (f"「{shortest.written}」长于上级的「{p.written}」", f"'{shortest.written}' is longer than '{p.written}'")
            return (by_days[0][1] if by_days else None), None
    return p, None  # nothing comparable to check


def _later_day(p: DueDeadline | PeriodDeadline, mine: list[Deadline]) -> tuple[Deadline | None, tuple[str, str] | None]:
    """A one-off deadline against the child's dated ones (due dates, periods, recurring windows): the child's
    earliest end no later than p's, and its earliest start no later than p's start."""
    dated = sorted(((end, c) for c in mine if (end := c.last_day)), key=lambda x: x[0])
    if not dated:
        return None, None
    end, first = dated[0]
    if end > p.due:
        return first, (f"结束于 {end}，晚于上级的 {p.due}", f"ends {end}, after the parent's {p.due}")
    starts = sorted(((start, c) for _, c in dated if (start := c.first_day)), key=lambda x: x[0])
    if p.first_day and starts and starts[0][0] > p.first_day:
        start, earliest = starts[0]
        return earliest, (f"开始于 {start}，晚于上级的 {p.first_day}", f"starts {start}, after the parent's {p.first_day}")
    return first, None


def _shorter(p: Term, mine: list[Term]) -> tuple[Term | None, tuple[str, str] | None]:
    same = [(c.months, c) for c in mine if c.months is not None and c.at_most == p.at_most]
    if p.months is None or not same:
        return (same[0][1] if same else (p if p.months is None else None)), None
    if p.at_most:
        months, c = min(same, key=lambda x: x[0])
        return c, ((f"上限 {c.quantity.text} 长于上级的 {p.quantity.text}", f"a cap of {c.quantity.text}, longer than the parent's {p.quantity.text}") if months > p.months else None)
    months, c = max(same, key=lambda x: x[0])
    return c, ((f"期限 {c.quantity.text} 短于上级的 {p.quantity.text}", f"a term of {c.quantity.text}, shorter than the parent's {p.quantity.text}") if months < p.months else None)


# (links, parent deadline or term, the child's nearest one or None, why it is later/shorter)
TimeLimit = tuple[list[Link], "Deadline | Term", "Deadline | Term | None", tuple[str, str] | None]


def _time_limits(corpus: Corpus) -> list[TimeLimit]:
    """(links, parent deadline or term, the child's nearest one or None, why it is later/shorter): built once per
    corpus, shared by LS316 and LS317."""
    return shared(corpus, "time_limits", lambda c: list(_each_time_limit(c)))


def _each_time_limit(corpus: Corpus) -> Iterator[TimeLimit]:
    for found, parent, child in _pairs(corpus):
        if parent.deadlines:
            deadlines = [d for t in child for d in t.deadlines]
            for p in parent.deadlines:
                yield (found, p, *_later(p, deadlines))
        if parent.terms:
            terms = [x for t in child for x in t.terms]
            for term in parent.terms:
                yield (found, term, *_shorter(term, terms))


def _written(x: Deadline | Term) -> str:
    return f"期限 {x.quantity.text}" if isinstance(x, Term) else x.written


@rule("LS316")
def later_deadline(corpus: Corpus) -> Iterator[Diagnostic]:
    for found, p, c, why in _time_limits(corpus):
        if c is not None and why is not None:
            yield finding("LS316", c.span,
                          (f"「{_written(c)}」与上级 {found[0].parent.key} 的「{_written(p)}」不一致：{why[0]}",
                           f"'{_written(c)}' does not keep '{_written(p)}' of {found[0].parent.key}: {why[1]}"),
                          ("请按上级要求调整；确因本级情况不能做到的，用忽略注释写明理由", "bring it in line with the parent; if local conditions prevent it, suppress with the reason"),
                          related(p.span, "上级时限", "the parent's time limit"))


@rule("LS317")
def dropped_deadline(corpus: Corpus) -> Iterator[Diagnostic]:
    for found, p, c, _ in _time_limits(corpus):
        if c is None:
            yield finding("LS317", found[0].task.span,
                          (f"上级 {found[0].parent.key} 的「{_written(p)}」在 {found[0].child.id} 中没有对应的时限或期限",
                           f"'{_written(p)}' of {found[0].parent.key} has no counterpart in {found[0].child.id}"),
                          ("请写出本级的时限（「时限 …」或「期限 …」），或用忽略注释写明理由", "write the local deadline (时限 … or 期限 …), or suppress with the reason"),
                          related(p.span, "上级时限", "the parent's time limit"))
