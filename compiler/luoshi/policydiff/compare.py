"""What a local policy changed from its parent, measure by measure, following the child's `落实` links.

`compare(corpus, child, parent)` pairs each child measure with the parent task it implements. When the child does
not implement the parent directly but both implement the same policy (a draft and the real encoding of one
county's measures, both 落实 161号), measures are paired through that common parent task. For each pair:

- units, compared by counterpart role (Unit.role), so 市民政局 → 县民政局 is the same unit at another level and
  only a role that appears, disappears or changes duty (牵头 → 配合) counts as a change;
- targets (by metric), deadlines and terms (by kind and dates);
- text: the parent's text localized for the child's jurisdiction (as `luoshi draft` would write it) against the
  child's, so a 市 → 县 substitution is not reported as an edit; `raw=True` compares the texts as printed.

A measure's sub-tasks without links of their own (一是、二是 …) belong to it. The result is plain data; the
renderers are in diffrender.py.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from ..backends.wording import date_zh as cn_end
from ..drafting.counterpart import CounterpartMap, lower_collective
from ..drafting.localize import Localizer
from ..drafting.schedule import number, spec_of
from ..model import (
    AssignmentRole,
    Corpus,
    Deadline,
    DueDeadline,
    EventLimitDeadline,
    ItemKind,
    OngoingDeadline,
    PeriodDeadline,
    Policy,
    RecurringDeadline,
    Target,
    Task,
    TaskKey,
    Term,
)

_V = TypeVar("_V")  # a target, deadline or term compared by `_values`

ROLE_ZH = {AssignmentRole.LEAD: "牵头", AssignmentRole.CO_RESPONSIBLE: "负责", AssignmentRole.COOPERATE: "配合"}
STATUS_ZH = {"same": "相同", "moved": "职责调整", "changed": "修改", "removed": "未列", "added": "新增"}


class Unrelated(ValueError):
    """Neither policy implements the other, and they implement no policy in common."""


@dataclass(frozen=True)
class UnitLine:
    status: str  # same | moved | removed | added
    counterpart_role: str | None
    parent_duty: str | None = None
    parent_unit: str | None = None
    child_duty: str | None = None
    child_unit: str | None = None
    where: str | None = None  # the child's sub-task that names the unit


@dataclass(frozen=True)
class ValueLine:
    status: str  # same | changed | removed | added
    kind: str  # 目标 | 时限 | 期限
    parent: str | None = None
    child: str | None = None
    where: str | None = None


@dataclass(frozen=True)
class TextDiff:
    similarity: float
    segments: tuple[tuple[str, str, str], ...]  # (op, parent text, child text); op: equal | replace | delete | insert


@dataclass(frozen=True)
class MeasureDiff:
    child: TaskKey
    child_title: str | None
    parent: TaskKey
    parent_title: str | None
    units: tuple[UnitLine, ...]
    values: tuple[ValueLine, ...]
    text: TextDiff | None
    # the localization step, shown on its own: the parent's text as written → in the child's level's words
    # (各区县政府 → 各乡镇（街道）), so `text` (localized parent → child) never passes off a localized word as the
    # parent's own
    localization: TextDiff | None = None

    def count(self, status: str) -> int:
        return (sum(1 for line in self.units if line.status == status)
                + sum(1 for value in self.values if value.status == status))


@dataclass(frozen=True)
class PolicyRef:
    id: str
    number: str | None
    title: str | None
    jurisdiction: str | None

    @property
    def label(self) -> str:
        return f"{self.number}（{self.id}）" if self.number else self.id


@dataclass(frozen=True)
class PolicyDiff:
    child: PolicyRef
    parent: PolicyRef
    via: str | None  # the common parent, when the two are compared as siblings
    measures: tuple[MeasureDiff, ...]
    unimplemented: tuple[tuple[str, str | None], ...]  # parent tasks no child measure pairs with
    added: tuple[tuple[str, str | None], ...]  # child items that implement nothing
    raw_text: bool = False

    def total(self, status: str) -> int:
        return sum(m.count(status) for m in self.measures)

    @property
    def similarity(self) -> float | None:
        texts = [m.text.similarity for m in self.measures if m.text]
        return sum(texts) / len(texts) if texts else None


def implementation_pairs(corpus: Corpus) -> list[tuple[str, str]]:
    """(child, parent) for every encoded policy that implements an encoded policy: the pages worth publishing."""
    encoded = {p.id for p in corpus.policies if p.kind.value == "policy"}
    return sorted((p.id, parent) for p in corpus.policies if p.id in encoded for parent in p.implements if parent in encoded)


def compare(corpus: Corpus, child_id: str, parent_id: str, raw: bool = False,
            word_target: Callable[[Target], str] | None = None) -> PolicyDiff:
    """The local policy `child_id` against its parent `parent_id`, measure by measure. Targets are worded by
    `word_target` (default `target_text`, the DSL's own words; the site passes the checklist's wording)."""
    child, parent = corpus.policy(child_id), corpus.policy(parent_id)
    if child is None or parent is None:  # the command looked both ids up (find_policy)
        raise KeyError(f"policy {child_id if child is None else parent_id!r} is not in the corpus")
    pairs, via = _pairs(child, parent)
    counterparts = CounterpartMap(corpus, parent.jurisdiction, child.jurisdiction or "")
    local = None if raw else Localizer(corpus, counterparts, lower_collective(corpus, counterparts))
    measures = tuple(_measure(corpus, child, c, parent, p, local, word_target or target_text) for c, p in pairs)
    paired = {p.id for _, p in pairs}
    covered = {t.id for c, _ in pairs for t in _measure_tasks(child, c)}
    return PolicyDiff(
        child=_ref(child), parent=_ref(parent), via=via, measures=measures,
        unimplemented=tuple((t.id, t.title) for t in parent.tasks if t.kind is not ItemKind.CLAUSE and t.parent is None
                            and not _covers(parent, t, paired)),
        added=_added(child, covered),
        raw_text=raw,
    )


def _ref(p: Policy) -> PolicyRef:
    return PolicyRef(p.id, p.number, p.title, p.jurisdiction)


def _pairs(child: Policy, parent: Policy) -> tuple[list[tuple[Task, Task]], str | None]:
    direct = [(c, t) for c in child.tasks for k in c.implements
              if k.policy == parent.id and (t := parent.task(k.task)) is not None]  # resolve checked every link
    if direct or parent.id in child.implements:
        return direct, None
    common = sorted({k.policy for t in child.tasks for k in t.implements} & {k.policy for t in parent.tasks for k in t.implements})
    if not common:
        raise Unrelated(child.id, parent.id)
    pairs = [(c, p) for c in child.tasks for k in c.implements if k.policy in common
             for p in parent.tasks if k in p.implements]
    return pairs, "、".join(common)


def _measure_tasks(policy: Policy, task: Task) -> list[Task]:
    """The task and its sub-tasks that carry no links of their own."""
    out = [task]
    for sub in sorted((t for t in policy.tasks if t.parent == task.id), key=lambda t: t.order):
        if not sub.implements:
            out += _measure_tasks(policy, sub)
    return out


def _covers(policy: Policy, task: Task, paired: set[str]) -> bool:
    return task.id in paired or any(_covers(policy, t, paired) for t in policy.tasks if t.parent == task.id)


def _added(child: Policy, covered: set[str]) -> tuple[tuple[str, str | None], ...]:
    """Child items outside every paired measure, each listed once (not again under an enclosing listed item)."""
    def listed(t: Task | None) -> bool:
        return t is not None and t.kind is not ItemKind.CLAUSE and t.id not in covered

    return tuple((t.id, t.title) for t in child.tasks
                 if listed(t) and not (t.parent and listed(child.task(t.parent))))


def _measure(corpus: Corpus, child: Policy, c: Task, parent: Policy, p: Task, local: Localizer | None,
             word_target: Callable[[Target], str]) -> MeasureDiff:
    mine, theirs = _measure_tasks(child, c), _measure_tasks(parent, p)
    values = _values("目标", [(t.id, g) for t in theirs for g in t.targets], [(t.id, g) for t in mine for g in t.targets],
                     c.id, _target_key, word_target)
    values += _values("时限", [(t.id, d) for t in theirs for d in t.deadlines], [(t.id, d) for t in mine for d in t.deadlines],
                      c.id, _deadline_key, spec_of)
    values += _values("期限", [(t.id, x) for t in theirs for x in t.terms], [(t.id, x) for t in mine for x in t.terms],
                      c.id, _term_key, _term_text)
    parent_text, localization = p.text, None
    if local is not None and p.text:
        parent_text = local.text(p.text).text
        if parent_text != p.text and c.text:
            localization = text_diff(p.text, parent_text)
    return MeasureDiff(c.key, c.title, p.key, p.title, tuple(_units(corpus, theirs, mine, c.id)), tuple(values),
                       text_diff(parent_text, c.text) if parent_text and c.text else None, localization)


# ── units, by counterpart role ──
def _units(corpus: Corpus, theirs: list[Task], mine: list[Task], head: str) -> list[UnitLine]:
    def own(tasks: list[Task]) -> list[tuple[AssignmentRole, str, str, str]]:
        seen, out = set(), []
        for t in tasks:
            for a in t.assignments:
                if not a.inherited and (a.role, a.unit.unit) not in seen:
                    seen.add((a.role, a.unit.unit))
                    out.append((a.role, a.unit.unit, a.unit.written, t.id))
        return out

    def role_of(unit_id: str) -> str:
        unit = corpus.unit(unit_id)
        return unit.role if unit and unit.role else f"id:{unit_id}"

    parents, children = own(theirs), own(mine)
    matched: set[int] = set()
    lines: list[UnitLine] = []
    for duty, uid, written, _ in parents:
        same = [i for i, c in enumerate(children) if role_of(c[1]) == role_of(uid)]
        best = next((i for i in same if children[i][0] is duty), same[0] if same else None)
        shown_role = named.role if (named := corpus.unit(uid)) else None
        if best is None:
            lines.append(UnitLine("removed", shown_role, ROLE_ZH[duty], written))
            continue
        matched.add(best)
        c_duty, _, c_written, where = children[best]
        status = "same" if c_duty is duty else "moved"
        lines.append(UnitLine(status, shown_role, ROLE_ZH[duty], written, ROLE_ZH[c_duty], c_written,
                              where if where != head else None))
    for i, (duty, uid, written, where) in enumerate(children):
        if i not in matched:
            unit = corpus.unit(uid)
            lines.append(UnitLine("added", unit.role if unit else None, child_duty=ROLE_ZH[duty], child_unit=written,
                                  where=where if where != head else None))
    return lines


# ── targets, deadlines, terms ──
def _values(kind: str, theirs: list[tuple[str, _V]], mine: list[tuple[str, _V]], head: str,
            key: Callable[[_V], tuple[object, ...]], text: Callable[[_V], str]) -> list[ValueLine]:
    left = list(mine)
    out: list[ValueLine] = []
    unmatched: list[tuple[str, _V]] = []
    for pid, value in theirs:
        twin = next((m for m in left if key(m[1]) == key(value)), None)
        if twin:
            left.remove(twin)
            out.append(ValueLine("same", kind, text(value), text(twin[1]), _where(twin[0], head)))
        else:
            unmatched.append((pid, value))
    for _pid, value in unmatched:
        near = next((m for m in left if key(m[1])[0] == key(value)[0]), None)
        if near:
            left.remove(near)
            out.append(ValueLine("changed", kind, text(value), text(near[1]), _where(near[0], head)))
        else:
            out.append(ValueLine("removed", kind, text(value)))
    out += [ValueLine("added", kind, child=text(v), where=_where(tid, head)) for tid, v in left]
    return out


def _where(task_id: str, head: str) -> str | None:
    return task_id if task_id != head else None


def _target_key(t: Target) -> tuple[object, ...]:
    return (t.metric, t.comparator, t.value, t.unit, t.by)


def target_text(t: Target) -> str:
    """A target as `luoshi diff` words it by default: the DSL's words (失能特困人员集中供养率 达到 40% 截至 2019年底)."""
    rule = "清零" if t.written_comparator is None else f"{t.written_comparator} {number(t.value)}{t.unit or ''}"
    parts = [t.metric, rule]
    if t.by:
        parts.append(f"截至 {cn_end(t.by)}")
    if t.scope:
        parts.append("范围 " + "、".join(s.written for s in t.scope))
    return " ".join(parts)


def _deadline_key(d: Deadline) -> tuple[object, ...]:
    """What two deadlines share when they are the same: the kind first (a changed one is paired by kind), then
    its dates, its rhythm or its limit."""
    match d:
        case DueDeadline():
            return (d.kind, d.end)
        case PeriodDeadline():
            return (d.kind, d.start, d.end)
        case OngoingDeadline():
            return (d.kind, d.start)
        case RecurringDeadline():
            return (d.kind, d.start, d.end, d.frequency, d.times)
        case EventLimitDeadline():
            return (d.kind, d.limit_days, d.working_days)


def _term_key(t: Term) -> tuple[object, ...]:
    return ("term", t.quantity.value, t.quantity.unit, t.at_most)


def _term_text(t: Term) -> str:
    return ("不超过 " if t.at_most else "") + t.quantity.text + (f"（{t.label}）" if t.label else "")


# ── text ──
_CLAUSE = re.compile(r"[^，。；：！？,;:!?]+[，。；：！？,;:!?]*|[，。；：！？,;:!?]+")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def text_diff(parent: str, child: str) -> TextDiff:
    """Clause by clause (split after ，。；：), refined to characters inside a clause that was only edited
    (县域内 dropped from one sentence); full- and half-width punctuation compare equal."""
    ratio = difflib.SequenceMatcher(None, _fold(parent), _fold(child), autojunk=False).ratio()
    a, b = _CLAUSE.findall(parent), _CLAUSE.findall(child)
    matcher = difflib.SequenceMatcher(None, [_fold(x) for x in a], [_fold(y) for y in b], autojunk=False)
    segments: list[tuple[str, str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        x, y = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "replace" and difflib.SequenceMatcher(None, _fold(x), _fold(y), autojunk=False).ratio() >= 0.6:
            segments += _characters(x, y)
        else:
            segments.append((op, x, y))
    return TextDiff(round(ratio, 4), tuple(segments))


def _characters(x: str, y: str) -> list[tuple[str, str, str]]:
    """Character edits within one clause; a one- or two-character island of sameness between edits joins them."""
    matcher = difflib.SequenceMatcher(None, [_fold(c) for c in x], [_fold(c) for c in y], autojunk=False)
    out: list[list[str]] = []
    opcodes = matcher.get_opcodes()
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        island = op == "equal" and i2 - i1 <= 2 and 0 < index < len(opcodes) - 1
        if (op != "equal" or island) and out and out[-1][0] != "equal":
            out[-1] = ["replace", out[-1][1] + x[i1:i2], out[-1][2] + y[j1:j2]]
        else:
            out.append([op, x[i1:i2], y[j1:j2]])
    return [("insert" if op == "replace" and not p else "delete" if op == "replace" and not c else op, p, c)
            for op, p, c in out]
