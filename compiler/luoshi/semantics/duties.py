"""Questions asked of the responsibility graph every day: what does a unit owe, who carries a task down the
implementation chain, which parent tasks have no local implementation, who leads the most.

Answers are model objects (tasks, policies, unit ids), never names; the commands and the checklist backend
turn them into tables and documents.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal, overload

from ..model import (
    AssignmentRole,
    Corpus,
    Deadline,
    ItemKind,
    Policy,
    PolicyKind,
    Task,
    TaskKey,
    UnitKind,
    derived,
)
from .graph import EDGE_ROLE, ROLE_EDGE, CorpusGraph, EdgeType, NodeType, edges_of, task_node, unit_node
from .standard_units import department_roles

ROLE_ORDER = {AssignmentRole.LEAD: 0, AssignmentRole.CO_RESPONSIBLE: 1, AssignmentRole.COOPERATE: 2}


class Through(str, Enum):
    """How a task reaches a unit."""

    NAMED = "named"          # the unit is named in the task
    SUBUNIT = "subunit"      # named in the parentheses of the unit it belongs to
    MEMBER = "member"        # a member of the group or collective the task names

    @property
    def zh(self) -> str:
        return {"named": "直接列明", "subunit": "作为下属单位列明", "member": "作为成员单位"}[self.value]


@dataclass(frozen=True)
class Duty:
    """One task a unit owes: in what role, and as which written name (区民政局, 区人力社保局（区就业人才中心…）,
    …联席会议其他成员单位)."""

    unit: str
    task: Task
    policy: Policy
    role: AssignmentRole
    through: Through
    written: str
    named: str  # the unit id the task names: the unit itself, the unit written around it, or the group
    inferred: bool = False  # （据主送）: the encoder inferred the unit from the addressees

    def sort_key(self) -> tuple[str, int, int]:
        return (self.policy.id, self.task.order, ROLE_ORDER[self.role])


def _role_edges(cg: CorpusGraph, unit: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for task, data in edges_of(cg.graph, unit_node(unit), *ROLE_EDGE.values()):
        if not data.get("inherited"):
            yield task, data


def responsible_units(cg: CorpusGraph, node: str) -> set[str]:
    """Unit ids that lead or share a task (named or as sub-units), for resolving …其他成员单位."""
    wanted = (EdgeType.LEADS, EdgeType.CO_RESPONSIBLE)
    return {cg.graph.nodes[u]["unit"] for u, _ in edges_of(cg.graph, node, *wanted, incoming=True)}


def memberships(cg: CorpusGraph, unit: str) -> list[str]:
    """Groups and collectives the unit belongs to, directly or through a collective of collectives."""
    seen: list[str] = []
    frontier = [unit]
    while frontier:
        for other, _ in edges_of(cg.graph, unit_node(frontier.pop(0)), EdgeType.MEMBER_OF):
            uid = cg.graph.nodes[other]["unit"]
            if uid not in seen and uid != unit:
                seen.append(uid)
                frontier.append(uid)
    return seen


def duties(cg: CorpusGraph, unit: str, policy: str | None = None) -> list[Duty]:
    """Every task the unit leads, shares or cooperates on: named, as a sub-unit, or as a member of a named group
    (…其他成员单位 leaves out the task's responsible units). A sub-task that only inherits its measure's units is
    covered by the measure's own duty and not repeated. Where one task reaches the unit several ways, the
    strongest role and the most direct naming are kept."""
    found: dict[tuple[str, AssignmentRole], Duty] = {}

    def add(node: str, data: dict[str, Any], through: Through, named: str) -> None:
        task = cg.task(node)
        if policy and task.key.policy != policy:
            return
        duty = Duty(unit, task, cg.policy_of(node), EDGE_ROLE[EdgeType(data["type"])], through, data["written"], named,
                    bool(data.get("inferred")))
        key = (node, duty.role)
        if key not in found or list(Through).index(through) < list(Through).index(found[key].through):
            found[key] = duty

    for node, data in _role_edges(cg, unit):
        via = data.get("via")
        add(node, data, Through.SUBUNIT if via else Through.NAMED, via or unit)
    for group in memberships(cg, unit):
        for node, data in _role_edges(cg, group):
            if data.get("others") and unit in responsible_units(cg, node):
                continue
            add(node, data, Through.MEMBER, group)
    best: dict[str, Duty] = {}
    for (node, _), duty in found.items():
        if node not in best or ROLE_ORDER[duty.role] < ROLE_ORDER[best[node].role]:
            best[node] = duty
    return sorted(best.values(), key=Duty.sort_key)


# ───────────── who owes a collective's duty ─────────────

# A collective of this role with no members listed (本级政府各部门) can be read as the departments of its
# jurisdiction: those the registry would make its members (`standard_units.department_roles`, the template's
# `department = true`), so an inferred 县政府各部门 and a derived one agree on what a department is. With the
# division data on, 各部门 collectives have their members and nothing is inferred; a project with
# `standard_units = false` keeps memberless ones.
DEPARTMENTS_ROLE = "政府部门"


@dataclass(frozen=True)
class Owners:
    """Who owes a duty assigned to one unit id: `units`, and the collective it is owed through (None: the unit
    itself owes it); `inferred` when the units come from the collective's role, not from a list of members."""

    units: tuple[str, ...]
    collective: str | None = None
    inferred: bool = False


def owners(corpus: Corpus, uid: str, *, infer_departments: bool = False) -> Owners:
    """Who owes a duty assigned to `uid`: each listed member of a collective the registry knows (各乡镇（街道） →
    青龙街道, 双江街道); any other unit itself (a group's duty is the group's: its lead convenes it).

    The one difference between the two readers is `infer_departments`. `luoshi comply` checks what the registry
    says, so a collective without listed members owes its duties itself (nobody's to answer for until its
    members are listed, which LS333 asks for). The site's schedule also shows a department what reaches it
    through a memberless 各部门 collective of its jurisdiction: with `infer_departments`, such a collective (no
    members listed at all, role 政府部门) is owed by its jurisdiction's departments, marked `inferred`."""
    unit = corpus.unit(uid)
    if unit is None or unit.kind is not UnitKind.COLLECTIVE:
        return Owners((uid,))
    members = tuple(m for m in unit.members if corpus.unit(m))
    if members:
        return Owners(members, uid)
    if infer_departments and not unit.members and unit.role == DEPARTMENTS_ROLE:
        return Owners(_departments(corpus).get(unit.jurisdiction, ()), uid, inferred=True)
    return Owners((uid,))


def _departments(corpus: Corpus) -> dict[str, tuple[str, ...]]:
    """Each jurisdiction's departments (units of a department role, not part of another unit), in registry
    order; built once per corpus, since the site asks for every unit."""
    def build(c: Corpus) -> dict[str, tuple[str, ...]]:
        roles = department_roles()
        found: dict[str, list[str]] = {}
        for u in c.units:
            if u.kind is UnitKind.UNIT and not u.part_of and u.role and u.role in roles:
                found.setdefault(u.jurisdiction, []).append(u.id)
        return {j: tuple(ids) for j, ids in found.items()}

    departments: dict[str, tuple[str, ...]] = derived(corpus, "duties.departments", build)
    return departments


# ───────────── the implementation chain ─────────────


@dataclass(frozen=True)
class ChainStep:
    """A task in the chain below a parent task, with the units it names in each role."""

    task: Task
    policy: Policy
    depth: int  # 0 the task asked about; 1 its implementing tasks or sub-tasks; …
    units: dict[AssignmentRole, tuple[str, ...]]
    members: tuple[str, ...]  # named members of the collectives and groups among its units


def chain(cg: CorpusGraph, key: TaskKey | str) -> list[ChainStep]:
    """The task, its sub-tasks and every task implementing it, recursively (市 → 县 → 镇街), depth first in
    policy and document order."""
    g = cg.graph
    out: list[ChainStep] = []
    seen: set[str] = set()

    def visit(node: str, depth: int) -> None:
        if node in seen:
            return
        seen.add(node)
        step = _step(cg, node, depth)
        if depth == 0 or any(step.units.values()) or not cg.task(node).parent:
            out.append(step)  # a sub-task that only inherits its measure's units adds nothing
        below = [n for n, _ in edges_of(g, node, EdgeType.CONTAINS) if g.nodes[n]["type"] == NodeType.TASK.value]
        below += sorted((n for n, _ in edges_of(g, node, EdgeType.IMPLEMENTS, incoming=True)),
                        key=lambda n: (cg.task(n).key.policy, cg.task(n).order))
        for child in below:
            visit(child, depth + 1)

    visit(task_node(key), 0)
    return out


def _step(cg: CorpusGraph, node: str, depth: int) -> ChainStep:
    units: dict[AssignmentRole, list[str]] = {role: [] for role in ROLE_EDGE}
    members: list[str] = []
    for unit_n, data in edges_of(cg.graph, node, *ROLE_EDGE.values(), incoming=True):
        if data.get("inherited"):
            continue
        uid = cg.graph.nodes[unit_n]["unit"]
        units[EDGE_ROLE[EdgeType(data["type"])]].append(uid)
        for member, _ in edges_of(cg.graph, unit_n, EdgeType.MEMBER_OF, incoming=True):
            members.append(cg.graph.nodes[member]["unit"])
    return ChainStep(cg.task(node), cg.policy_of(node), depth, {r: tuple(u) for r, u in units.items()},
                     tuple(dict.fromkeys(members)))


# ───────────── parent tasks without a local implementation ─────────────


@dataclass(frozen=True)
class Gap:
    """A parent task a policy implements the parent of, but no task of the policy carries out."""

    policy: Policy        # the implementing (lower) policy
    parent: Policy        # the parent policy
    task: Task            # the parent task
    waived: str | None    # the reason, when the policy knowingly does not carry it out (不予落实)


@dataclass(frozen=True)
class Coverage:
    policy: Policy
    parent: Policy
    tasks: int            # parent measures
    covered: int
    gaps: tuple[Gap, ...]


def coverage(cg: CorpusGraph, policy: str | None = None) -> list[Coverage]:
    """For each encoded policy and each encoded parent it 落实s: which parent measures (top-level tasks and
    phases) no task of the policy implements, directly or through a sub-task."""
    out = []
    for p in cg.corpus.policies:
        if p.kind is not PolicyKind.POLICY or (policy and p.id != policy):
            continue
        implemented = {str(k) for t in p.tasks for k in t.implements}
        waived = {str(w.target): w.reason for w in p.waivers if w.target}
        waived |= {str(w.target): w.reason for t in p.tasks for w in t.waivers if w.target}
        for parent_id in p.implements:
            parent = cg.policies.get(parent_id)
            if parent is None or parent.kind is not PolicyKind.POLICY:
                continue
            measures = [t for t in parent.tasks if t.parent is None and t.kind is not ItemKind.CLAUSE]
            gaps = []
            for t in measures:
                keys = {str(d.key) for d in with_steps(parent, t)}
                if not keys & implemented:
                    gaps.append(Gap(p, parent, t, waived.get(str(t.key))))
            out.append(Coverage(p, parent, len(measures), len(measures) - len(gaps), tuple(gaps)))
    return out


def with_steps(policy: Policy, task: Task) -> list[Task]:
    """The task and every sub-task below it (一是、二是 …), in document order."""
    out = [task]
    for t in policy.tasks:
        if t.parent and any(t.parent == o.id for o in out):
            out.append(t)
    return out


@overload
def nearest(policy: Policy, task: Task, field: Literal["deadlines"]) -> tuple[tuple[Deadline, ...], bool]: ...
@overload
def nearest(policy: Policy, task: Task, field: Literal["implements"]) -> tuple[tuple[TaskKey, ...], bool]: ...
def nearest(policy: Policy, task: Task, field: str) -> tuple[tuple[Deadline | TaskKey, ...], bool]:
    """A task's own deadlines or links (`field`), else those of the nearest enclosing task that has some, and
    whether they came from above: a phase's steps are due when the phase is."""
    current: Task | None = task
    while current is not None:
        values: tuple[Deadline | TaskKey, ...] = getattr(current, field)
        if values:
            return values, current is not task
        current = policy.task(current.parent) if current.parent else None
    return (), False


# ───────────── load ─────────────


@dataclass(frozen=True)
class Load:
    unit: str
    counts: dict[AssignmentRole, int]
    policies: int

    def sort_key(self) -> tuple[int, int, int, str]:
        c = self.counts
        return (-c[AssignmentRole.LEAD], -c[AssignmentRole.CO_RESPONSIBLE], -c[AssignmentRole.COOPERATE], self.unit)


def loads(cg: CorpusGraph, *, jurisdiction: str | None = None, policy: str | None = None) -> list[Load]:
    """Tasks each unit is named in (as itself or a sub-unit; inherited sub-task units not counted again), most
    lead tasks first."""
    out = []
    for unit in cg.corpus.units:
        if jurisdiction and unit.jurisdiction != jurisdiction:
            continue
        counts: Counter[AssignmentRole] = Counter()
        policies: set[str] = set()
        for node, data in _role_edges(cg, unit.id):
            task = cg.task(node)
            if policy and task.key.policy != policy:
                continue
            counts[EDGE_ROLE[EdgeType(data["type"])]] += 1
            policies.add(task.key.policy)
        if counts:
            out.append(Load(unit.id, {r: counts[r] for r in ROLE_EDGE}, len(policies)))
    return sorted(out, key=Load.sort_key)
