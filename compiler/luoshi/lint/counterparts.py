"""The counterpart findings of LS311–LS313, computed in one pass over the implementation chain.

The three rules ask the same question, "is this unit the counterpart of that one?" (the definition: `is_counterpart`
in tests/test_lint_counterparts.py), 238,000 times at 1,000 files, pair by pair. Here each unit is turned once into
tokens (its id, its role, the places a government answers for; `Token` below), a side of a link into the union of its
units' tokens, and a unit's question into one `isdisjoint` against the other side. A link whose units all answer
by role (the usual one) is passed on the role tokens of its child task alone (`_Pass._quick`), without the task's
full summary; the summaries (a child policy's issuers once per policy, a child task's mentions once per task, a
parent task's once however many children implement it) are made only for the links that need them. The pass keeps
only the misses (what the rules report) and drops its tables when done; the rules read the misses from `shared` and
keep their order and wording. Equivalence with the pairwise definition: tests/test_lint_counterparts.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..model import Assignment, AssignmentRole, Corpus, Policy, Task, TaskKey, UnitKind, UnitRef
from .chain import LOWER_GOVERNMENTS, OWN_GOVERNMENT, Link, carried, grouped, issuers, links
from .index import Index, flatten, index, shared

LEAD, CO_RESPONSIBLE = AssignmentRole.LEAD, AssignmentRole.CO_RESPONSIBLE

# What the counterpart test compares, as tokens: a unit id (a str), ("role", r) for a role and ("own", place) for
# a 下级政府 collective's place. A parent unit asks for its tokens (`_Pass._want`: its id, its role, its place when it
# is a 下级政府 collective); a child unit offers its own in the child's area (`_Pass._local`: its id, its role when
# it lies within the area, and ("own", j) for each ancestor j of the area when it is the area's own government).
# The parent unit has a counterpart among some child units exactly when the two token sets meet (`isdisjoint` is
# false): the same unit, the same role within the area, or a 下级政府 collective above the area answered by the
# area's government — `is_counterpart` in tests/test_lint_counterparts.py, asked of a whole side at once in C.
Token = str | tuple[str, str]
Tokens = frozenset[Token]
# A unit as the counterpart test reads it: its jurisdiction, its role (its own, else its parent unit's), whether it
# is a 下级政府 collective and whether its role is a government's own (政府, 政府办公室).
_Facts = tuple[str, str | None, bool, bool]
_NONE: Tokens = frozenset()
_UNSEEN: Token = ("unseen", "")  # not yet in a table of role tokens


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs 1 µs more, 20,000 times at 1k
class _Parent:
    """What a parent task asks of each child that implements it, once per parent task: its leads (LS311) and
    carried units (LS312) each with the tokens it asks for, and all those tokens together (LS313)."""

    leads: tuple[tuple[Assignment, Tokens], ...]
    refs: tuple[tuple[UnitRef, Tokens], ...]
    tokens: Tokens
    roles: Tokens | None  # the refs' role tokens, when each ref has one: all met at once when a side holds them
    lead_roles: Tokens | None  # the leads' role tokens, likewise


@dataclass(slots=True)
class _Child:
    """A child task's carried units, each with the tokens it offers in its policy's area, and their union (its
    side), once per task."""

    refs: tuple[UnitRef, ...]
    tokens: tuple[Tokens, ...]
    side: Tokens
    roles: Tokens | None  # the refs' role tokens, when each ref offers one: all met at once when a parent asks them


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
    """One walk over the links (they come a child policy at a time, so a child's area is entered once and its
    issuers summed once): each link answers LS311, the first link of a (child, parent task) group LS312 and the
    first link of a child task LS313. Its tables, each filled on first use: per unit its facts and the tokens it
    asks for, per parent task and per child task their summaries, per child task its heads' side, per policy its
    issuers' side, and per unit the tokens it offers in the area being walked."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.ix: Index = index(corpus)
        self.facts: dict[str, _Facts | None] = {}
        self.wants: dict[str, Tokens] = {}
        self.parents: dict[int, _Parent] = {}  # id(task) → summary (the tasks live in the corpus)
        self.children: dict[int, _Child] = {}
        self.heads: dict[int, tuple[list[Assignment], Tokens]] = {}
        self.issuer_sides: dict[str, Tokens] = {}
        self.area: str | None = None
        self.ancestors: list[str] = []
        self.local: dict[str, Tokens] = {}  # unit → the tokens it offers in `area`
        self.role: dict[str, Token | None] = {}  # unit → the role token it asks for
        self.local_role: dict[str, Token | None] = {}  # unit → the role token it offers in `area`

    def run(self) -> Misses:
        out = Misses()
        all_links = links(self.corpus)
        by_task: dict[TaskKey, list[Link]] = {}
        for link in all_links:
            by_task.setdefault(link.task.key, []).append(link)
        group_at = {id(found[0]): found for found in grouped(self.corpus).values()}  # a group's links, by its first link
        task_at = {id(found[0]): found for found in by_task.values()}
        dropped: list[tuple[tuple[str, int], tuple[TaskKey, Link, UnitRef]]] = []
        parents, child, issued = self.parents, None, _NONE
        for link in all_links:
            if link.child is not child:
                child = link.child
                if child.jurisdiction != self.area:
                    self._enter(child.jurisdiction)
                issued = self._issuers(child)
            parent = parents.get(id(link.parent)) or self._parent(link.parent)
            quick = self._quick(link.task)
            # LS311: the parent's lead has its counterpart among the child task's principals or the child's issuers
            if parent.leads and (quick is None or parent.lead_roles is None or not parent.lead_roles <= quick[1]):
                pending = [(lead, want) for lead, want in parent.leads if want.isdisjoint(issued)]
                if pending:  # else the issuers answer for every lead: the task's own heads are not needed
                    heads, side = self._heads(link.task)
                    out.lead += [(link, heads, lead) for lead, want in pending if want.isdisjoint(side)]
            # LS312: each unit of the parent task has its counterpart in the child tasks or the child's issuers
            found = group_at.get(id(link))
            if found is not None and (quick is None or parent.roles is None or not parent.roles <= quick[0]):
                side = self._child(link.task).side if len(found) == 1 else \
                    frozenset().union(*(self._child(other.task).side for other in found))
                if parent.roles is None or not parent.roles <= side:  # else each unit has its role's counterpart
                    dropped += [((child.id, link.task.order), (link.parent.key, link, r))
                                for r, want in parent.refs if want.isdisjoint(issued) and want.isdisjoint(side)]
            # LS313: each unit of the child task is the counterpart of one of the parent tasks' units
            found = task_at.get(id(link))
            if found is not None:
                asked = parent.tokens if len(found) == 1 else \
                    frozenset().union(*(self._parent(other.parent).tokens for other in found))
                if quick is not None and quick[0] <= asked:
                    continue  # each unit's role is asked for
                mine = self._child(link.task)
                if mine.roles is None or not mine.roles <= asked:
                    out.added += [(found, r) for r, offered in zip(mine.refs, mine.tokens, strict=True)
                                  if offered.isdisjoint(asked)]
        dropped.sort(key=lambda d: d[0])  # the rule's order: by child policy, then by the group's first task
        out.dropped = [miss for _, miss in dropped]
        return out

    # ── the summaries ──
    def _enter(self, area: str | None) -> None:
        """Walk `area` next: its ancestors, and a fresh table of the tokens units offer in it."""
        self.area, self.ancestors = area, self.ix.ancestors(area) if area is not None else []
        self.local, self.local_role = {}, {}

    def _side(self, units: list[str]) -> Tokens:
        """What some child units offer together in the current area."""
        if len(units) == 1:
            return self._local(units[0])
        return frozenset().union(*map(self._local, units))

    def _issuers(self, child: Policy) -> Tokens:
        found = self.issuer_sides.get(child.id)
        if found is None:
            found = self.issuer_sides[child.id] = self._side(issuers(child))
        return found

    def _heads(self, task: Task) -> tuple[list[Assignment], Tokens]:
        """Who answers for a child task (`principals`: its leads, else its co-responsible units) and their side."""
        found = self.heads.get(id(task))
        if found is None:
            leads, co = [], []
            for a in task.assignments:
                if a.role is LEAD:
                    leads.append(a)
                elif a.role is CO_RESPONSIBLE:
                    co.append(a)
            heads = leads or co
            if len(heads) == 1 and not heads[0].unit.subunits:  # the usual case: one unit answers
                found = (heads, self._local(heads[0].unit.unit))
            else:
                found = (heads, self._side([r.unit for a in heads for r in flatten(a.unit)]))
            self.heads[id(task)] = found
        return found

    def _quick(self, task: Task) -> tuple[Tokens, Tokens] | None:
        """The role tokens a child task's units offer, all of them and its heads' (`principals`), enough to pass the
        usual link at once (each unit answered by its role); None, and the full summaries answer, when the task
        carries sub-tasks, names sub-units, or names a unit that offers no role in the area."""
        if task.key in self.ix.with_subtasks:
            return None
        local_role = self.local_role
        roles: list[Token] = []
        leads: list[Token] = []
        co: list[Token] = []
        for a in task.assignments:
            r = a.unit
            if r.subunits:
                return None
            unit = r.unit
            role = local_role.get(unit, _UNSEEN)
            if role is _UNSEEN:
                self._local(unit)
                role = local_role[unit]
            if role is None:
                return None
            roles.append(role)
            if a.role is LEAD:
                leads.append(role)
            elif a.role is CO_RESPONSIBLE:
                co.append(role)
        return frozenset(roles), frozenset(leads or co)

    def _child(self, task: Task) -> _Child:
        """A child task's summary (the current area is its policy's)."""
        found = self.children.get(id(task))
        if found is None:
            refs = carried_mentions(self.ix, task)
            local = self.local
            tokens = tuple([local.get(r.unit) or self._local(r.unit) for r in refs])
            roles = _roles([self.local_role[r.unit] for r in refs])
            found = self.children[id(task)] = _Child(refs, tokens, frozenset().union(*tokens), roles)
        return found

    def _parent(self, task: Task) -> _Parent:
        found = self.parents.get(id(task))
        if found is None:
            refs = tuple((r, self._want(r.unit)) for r in carried_mentions(self.ix, task))
            leads = tuple((a, self._want(a.unit.unit)) for a in task.assignments if a.role is LEAD)
            roles = _roles([self.role[r.unit] for r, _ in refs])
            lead_roles = _roles([self.role[a.unit.unit] for a, _ in leads])
            found = self.parents[id(task)] = _Parent(leads, refs, frozenset().union(*(w for _, w in refs)), roles,
                                                     lead_roles)
        return found

    def _want(self, unit: str) -> Tokens:
        """The tokens a parent unit asks for: its id, its role (when in the registry), and its place when it is a
        下级政府 collective (the child area's own government answers for it when the place is above the area)."""
        found = self.wants.get(unit)
        if found is None:
            f = self._facts(unit)
            asked: list[Token] = [unit]
            if f is not None and f[1] is not None:
                asked.append(("role", f[1]))
            if f is not None and f[2]:
                asked.append(("own", f[0]))
            found = self.wants[unit] = frozenset(asked)
            self.role[unit] = asked[1] if len(asked) > 1 and asked[1][0] == "role" else None
        return found

    def _local(self, unit: str) -> Tokens:
        """The tokens a child unit offers in the current area: its id; its role when it lies within the area; and,
        when it is the area's own government, the places of the 下级政府 collectives it answers for (the area's
        ancestors)."""
        found = self.local.get(unit)
        if found is None:
            f, area = self._facts(unit), self.area
            offered: list[Token] = [unit]
            if f is not None and area is not None and (f[0] == area or area in self.ix.ancestors(f[0])):
                if f[1] is not None:
                    offered.append(("role", f[1]))
                if f[3] and f[0] == area:
                    offered += [("own", j) for j in self.ancestors]
            found = self.local[unit] = frozenset(offered)
            self.local_role[unit] = offered[1] if len(offered) > 1 and offered[1][0] == "role" else None
        return found

    def _facts(self, unit_id: str) -> _Facts | None:
        if unit_id in self.facts:
            return self.facts[unit_id]
        u = self.ix.units.get(unit_id)
        role = self.ix.role(unit_id) if u is not None else None
        found = self.facts[unit_id] = None if u is None else (
            u.jurisdiction, role, role == LOWER_GOVERNMENTS and u.kind is UnitKind.COLLECTIVE, role in OWN_GOVERNMENT)
        return found


def _roles(roles: Sequence[Token | None]) -> Tokens | None:
    """Some units' role tokens, or None when one of them has none."""
    return None if None in roles else frozenset(roles)  # type: ignore[arg-type]  # no None left


def carried_mentions(ix: Index, task: Task) -> tuple[UnitRef, ...]:
    """The first mention of each unit (sub-units included) in a task and the sub-tasks that carry it with it."""
    first: dict[str, UnitRef] = {}
    for t in carried(ix, task) if ix.children(task) else (task,):
        for a in t.assignments:
            r = a.unit
            if r.subunits:
                for sub in flatten(r):
                    if sub.unit not in first:
                        first[sub.unit] = sub
            elif r.unit not in first:
                first[r.unit] = r
    return tuple(first.values())
