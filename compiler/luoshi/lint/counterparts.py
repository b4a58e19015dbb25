"""The counterpart findings of LS311–LS313, computed in one pass over the implementation chain.

The three rules ask the same question, "is this unit the counterpart of that one?" (the definition: `is_counterpart`
in tests/test_lint_counterparts.py), 238,000 times at 1,000 files, pair by pair. Here each side of a link is summed
up once (`Side`: the units' ids, the roles of those within the child's area, whether the area's own government is
among them) and a unit's question becomes a few set lookups against it: a child policy's issuers are summed once per
policy, a task's mentions once per task, a parent task's once however many children implement it. The pass keeps
only the misses (what the rules report) and drops its tables when done; the rules read the misses from `shared` and
keep their order and wording. Equivalence with the pairwise definition: tests/test_lint_counterparts.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..model import Assignment, AssignmentRole, Corpus, Policy, Task, TaskKey, UnitKind, UnitRef
from .chain import LOWER_GOVERNMENTS, OWN_GOVERNMENT, Link, carried, grouped, issuers, links
from .index import Index, flatten, index, principals, shared

# A parent unit as a child side is asked about it (`_Pass._want`): its id, role and, for a 下级政府 collective, its place.
_Want = tuple[str, str | None, str | None]
# A unit as the counterpart test reads it: its jurisdiction, its role (its own, else its parent unit's), whether it
# is a 下级政府 collective and whether its role is a government's own (政府, 政府办公室).
_Facts = tuple[str, str | None, bool, bool]
# A child unit in its policy's area: its role, whether it lies within the area, whether it is the area's own government.
_Local = tuple[str | None, bool, bool]


@dataclass(frozen=True, slots=True)
class Side:
    """What a child task's units (or a child policy's issuers) bring to the counterpart test in the child's area:
    a parent unit is answered when it is one of `ids`, when its role is in `roles` (those of the units within the
    area), or when it is a 下级政府 collective above the area and `own` (the area's own government is among them)."""

    ids: frozenset[str]
    roles: frozenset[str]
    own: bool


@dataclass(frozen=True, slots=True)
class _Parent:
    """What a parent task asks of each child that implements it, once per parent task: its leads (LS311) and
    carried units (LS312) each with its `_Want`; for LS313 its units, their roles and the places of its 下级政府
    collectives."""

    leads: tuple[tuple[Assignment, _Want], ...]
    refs: tuple[tuple[UnitRef, _Want], ...]
    ids: frozenset[str]
    roles: frozenset[str]
    lower: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Child:
    """A child task's carried units, each with its `_Local` in its policy's area, and their side (once per task)."""

    refs: tuple[UnitRef, ...]
    local: tuple[_Local, ...]
    side: Side


@dataclass
class Misses:
    """What LS311–LS313 report, in each rule's order."""

    lead: list[tuple[Link, list[Assignment], Assignment]] = field(default_factory=list)  # link, its heads, the lead
    dropped: list[tuple[TaskKey, Link, UnitRef]] = field(default_factory=list)  # parent key, first link, parent unit
    added: list[tuple[list[Link], UnitRef]] = field(default_factory=list)  # a child task's links, its unit


def misses(corpus: Corpus) -> Misses:
    """The corpus's LS311–LS313 misses (shared: computed once for the three rules)."""
    return shared(corpus, "counterpart-misses", lambda c: _Pass(c).run())


class _Pass:
    """One walk over the links (they come a child policy at a time, so a child's area is entered once): each link
    answers LS311, the first link of a (child, parent task) group LS312 and the first link of a child task LS313.
    Its tables, each filled on first use: per unit its facts, per parent task and per child task their summaries,
    per policy its issuers' side, and per unit its place in the area being walked."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.ix: Index = index(corpus)
        self.facts: dict[str, _Facts | None] = {}
        self.parents: dict[int, _Parent] = {}  # id(task) → summary (the tasks live in the corpus)
        self.children: dict[int, _Child] = {}
        self.issuer_sides: dict[str, Side] = {}
        self.area: str | None = None
        self.ancestors: list[str] = []
        self.local: dict[str, _Local] = {}  # unit → its place in `area`

    def run(self) -> Misses:
        out = Misses()
        all_links = links(self.corpus)
        groups = grouped(self.corpus)
        by_task: dict[tuple[str, str], list[Link]] = {}
        for link in all_links:
            by_task.setdefault((link.task.key.policy, link.task.key.task), []).append(link)
        group_at = {id(found[0]): found for found in groups.values()}  # a group's links, by its first link
        task_at = {id(found[0]): found for found in by_task.values()}
        dropped: list[tuple[tuple[str, int], tuple[TaskKey, Link, UnitRef]]] = []
        for link in all_links:
            if link.child.jurisdiction != self.area:
                self._enter(link.child.jurisdiction)
            parent = self._parent(link.parent)
            issued = self._issuers(link.child)
            if parent.leads:
                self._lead(link, parent, issued, out)
            found = group_at.get(id(link))
            if found is not None:
                dropped += [((link.child.id, link.task.order), miss) for miss in self._dropped(found, parent, issued)]
            found = task_at.get(id(link))
            if found is not None:
                self._added(found, parent, out)
        dropped.sort(key=lambda d: d[0])  # the rule's order: by child policy, then by the group's first task
        out.dropped = [miss for _, miss in dropped]
        return out

    # ── LS311: the parent's lead has its counterpart among the child task's principals or the child's issuers ──
    def _lead(self, link: Link, parent: _Parent, issued: Side, out: Misses) -> None:
        pending = [(lead, want) for lead, want in parent.leads if not self._meets(issued, want)]
        if pending:  # else the issuer answers for every lead: the task's own heads are not needed
            heads = principals(link.task)
            side = self._side([r.unit for a in heads for r in flatten(a.unit)])
            out.lead += [(link, heads, lead) for lead, want in pending if not self._meets(side, want)]

    # ── LS312: each unit of the parent task has its counterpart in the child tasks or the child's issuers ──
    def _dropped(self, found: list[Link], parent: _Parent, issued: Side) -> list[tuple[TaskKey, Link, UnitRef]]:
        pending = [(r, want) for r, want in parent.refs if not self._meets(issued, want)]
        if not pending:
            return []
        first = found[0]
        side = self._child(first.task).side if len(found) == 1 else \
            self._side([r.unit for r in _first_mentions([self._child(link.task).refs for link in found])])
        return [(first.parent.key, first, r) for r, want in pending if not self._meets(side, want)]

    # ── LS313: each unit of the child task is the counterpart of one of the parent tasks' ──
    def _added(self, found: list[Link], parent: _Parent, out: Misses) -> None:
        if len(found) > 1:
            first: dict[str, tuple[UnitRef, _Want]] = {}
            for link in found:  # several parent tasks: their units together, each first mention once
                for pair in self._parent(link.parent).refs:
                    first.setdefault(pair[0].unit, pair)
            parent = _summary((), tuple(first.values()))
        lower = any(j in self.ancestors for j in parent.lower)
        child = self._child(found[0].task)
        for r, (role, within, own) in zip(child.refs, child.local, strict=True):
            if r.unit in parent.ids or (within and ((role is not None and role in parent.roles) or (lower and own))):
                continue
            out.added.append((found, r))

    # ── the summaries ──
    def _enter(self, area: str | None) -> None:
        """Walk `area` next: its ancestors, and a fresh table of the units' places in it."""
        self.area, self.ancestors, self.local = area, self.ix.ancestors(area) if area is not None else [], {}

    def _meets(self, side: Side, want: _Want) -> bool:
        """Has the parent unit `want` describes a counterpart among the units of this child side (in the current
        area)? (`has_counterpart` in tests/test_lint_counterparts.py)."""
        unit, role, lower_place = want
        return unit in side.ids or (role is not None and role in side.roles) or (
            lower_place is not None and side.own and lower_place in self.ancestors)

    def _side(self, units: list[str], local: list[_Local] | None = None) -> Side:
        """A child side in the current area: the units, and what those within it answer for (`local`: the units'
        places, when known)."""
        roles: set[str] = set()
        own = False
        for role, within, is_own in local if local is not None else [self._local(u) for u in units]:
            if within:
                if role is not None:
                    roles.add(role)
                own = own or is_own
        return Side(frozenset(units), frozenset(roles), own)

    def _issuers(self, child: Policy) -> Side:
        found = self.issuer_sides.get(child.id)
        if found is None:
            found = self.issuer_sides[child.id] = self._side(issuers(child))
        return found

    def _child(self, task: Task) -> _Child:
        """A child task's summary (the current area is its policy's)."""
        found = self.children.get(id(task))
        if found is None:
            refs = carried_mentions(self.ix, task)
            units = [r.unit for r in refs]
            local = [self._local(u) for u in units]
            found = self.children[id(task)] = _Child(refs, tuple(local), self._side(units, local))
        return found

    def _parent(self, task: Task) -> _Parent:
        found = self.parents.get(id(task))
        if found is None:
            refs = tuple((r, self._want(r.unit)) for r in carried_mentions(self.ix, task))
            leads = tuple((a, self._want(a.unit.unit)) for a in task.assignments if a.role is AssignmentRole.LEAD)
            found = self.parents[id(task)] = _summary(leads, refs)
        return found

    def _want(self, unit: str) -> _Want:
        """A parent unit as the test reads it: its id, its role (when in the registry), and its place when it is
        a 下级政府 collective (the child area's own government answers for it when the place is above the area)."""
        f = self._facts(unit)
        if f is None:
            return (unit, None, None)
        return (unit, f[1], f[0] if f[2] else None)

    def _local(self, unit: str) -> _Local:
        """A unit's role, whether it lies within the current area, and whether it is the area's own government."""
        found = self.local.get(unit)
        if found is None:
            f, area = self._facts(unit), self.area
            if f is None or area is None:
                found = (None, False, False)
            else:
                within = f[0] == area or area in self.ix.ancestors(f[0])
                found = (f[1], within, within and f[3] and f[0] == area)
            self.local[unit] = found
        return found

    def _facts(self, unit_id: str) -> _Facts | None:
        if unit_id in self.facts:
            return self.facts[unit_id]
        u = self.ix.units.get(unit_id)
        role = self.ix.role(unit_id) if u is not None else None
        found = self.facts[unit_id] = None if u is None else (
            u.jurisdiction, role, role == LOWER_GOVERNMENTS and u.kind is UnitKind.COLLECTIVE, role in OWN_GOVERNMENT)
        return found


def _summary(leads: tuple[tuple[Assignment, _Want], ...], refs: tuple[tuple[UnitRef, _Want], ...]) -> _Parent:
    wants = [want for _, want in refs]
    return _Parent(leads, refs, frozenset(w[0] for w in wants), frozenset(w[1] for w in wants if w[1] is not None),
                   tuple(w[2] for w in wants if w[2] is not None))


def carried_mentions(ix: Index, task: Task) -> tuple[UnitRef, ...]:
    """The first mention of each unit (sub-units included) in a task and the sub-tasks that carry it with it."""
    first: dict[str, UnitRef] = {}
    for t in carried(ix, task):
        for a in t.assignments:
            for r in flatten(a.unit):
                first.setdefault(r.unit, r)
    return tuple(first.values())


def _first_mentions(groups: list[Sequence[UnitRef]]) -> Sequence[UnitRef]:
    """The mentions of several tasks, each unit's first one only (`chain.carried_refs` of several tasks)."""
    if len(groups) == 1:
        return groups[0]
    first: dict[str, UnitRef] = {}
    for refs in groups:
        for r in refs:
            first.setdefault(r.unit, r)
    return list(first.values())
