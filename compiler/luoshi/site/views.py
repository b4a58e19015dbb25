"""What each page shows, as plain data from the model and the responsibility graph: a policy's items in document
order, a task's units by role and its neighbours along the implementation chain, a unit's counterparts.

Nothing here looks a unit up by name: units are ids (`corpus.unit(id)`), tasks are TaskKeys.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..backends.wording import deadline_zh, policy_label, section_label, target_zh, task_label
from ..duties import ROLE_ORDER
from ..graph import CorpusGraph, EdgeType, edges_of, task_node
from ..model import AssignmentRole, Corpus, ItemKind, Policy, PolicyKind, Section, Task, TaskKey, Unit, UnitRef

LEVEL_ORDER = ("国家级", "省级", "市级", "县级", "乡级", "村级")
KIND_ZH = {ItemKind.TASK: "任务", ItemKind.CLAUSE: "条款", ItemKind.PHASE: "阶段"}
UNIT_KIND_ZH = {"unit": "单位", "group": "群组", "collective": "集体"}


def level_rank(level: str | None) -> int:
    return LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER)


def encoded(corpus: Corpus) -> list[Policy]:
    """Encoded policies (not declared documents), from the highest level down, then by date and id."""
    return sorted((p for p in corpus.policies if p.kind is PolicyKind.POLICY),
                  key=lambda p: (level_rank(p.level), p.date is None, p.date or 0, p.id))


def has_page(task: Task) -> bool:
    """Tasks and phases get a page; clauses (指导思想 …) assign no work and stay on their policy's page."""
    return task.kind is not ItemKind.CLAUSE


# ───────────── a task's facts ─────────────


@dataclass(frozen=True)
class RoleUnits:
    role: str          # 牵头 / 负责 / 配合
    refs: tuple[UnitRef, ...]
    inherited: bool    # carried down from the enclosing measure


def units_by_role(task: Task) -> list[RoleUnits]:
    out = []
    for role in sorted(AssignmentRole, key=ROLE_ORDER.get):
        own = tuple(a.unit for a in task.assignments if a.role is role and not a.inherited)
        inherited = tuple(a.unit for a in task.assignments if a.role is role and a.inherited)
        if own:
            out.append(RoleUnits(role.zh, own, False))
        elif inherited:
            out.append(RoleUnits(role.zh, inherited, True))
    return out


def deadlines(task: Task) -> list[str]:
    return [deadline_zh(d) for d in task.deadlines]


def targets(task: Task) -> list[str]:
    return [target_zh(t) for t in task.targets]


def terms(task: Task) -> list[str]:
    return [("不超过" if t.at_most else "") + t.quantity.text + (f"（{t.label}）" if t.label else "") for t in task.terms]


def subtasks(policy: Policy, task: Task) -> list[Task]:
    return [t for t in policy.tasks if t.parent == task.id]


def section_of(policy: Policy, task: Task) -> Section | None:
    return next((s for s in policy.sections if s.id == task.section), None)


# ───────────── a policy's items in document order ─────────────


@dataclass(frozen=True)
class Item:
    kind: str          # section | task
    depth: int         # heading level minus 2: a top-level section is ##, a task in it ###
    section: Section | None = None
    task: Task | None = None

    @property
    def heading(self) -> str:
        if self.section is not None:
            return section_label(self.section.id, self.section.depth) + self.section.title
        return task_label(self.task)


def policy_items(policy: Policy) -> list[Item]:
    """Sections and top-level tasks in document order; sub-tasks are shown inside their measure."""
    entries = sorted([(s.order, s) for s in policy.sections] + [(t.order, t) for t in policy.tasks if t.parent is None],
                     key=lambda pair: pair[0])
    sections = {s.id: s for s in policy.sections}
    out = []
    for _, item in entries:
        if isinstance(item, Section):
            out.append(Item("section", item.depth, section=item))
        else:  # one heading level below its section's (## 一、… then ### 1.1 …), whatever the task's own depth
            section = sections.get(item.section)
            out.append(Item("task", section.depth + 1 if section else 0, task=item))
    return out


# ───────────── the implementation chain around a task ─────────────


def parents(corpus: Corpus, task: Task) -> list[tuple[Policy, Task]]:
    out = []
    for key in task.implements:
        policy = corpus.policy(key.policy)
        parent = policy.task(key.task) if policy else None
        if parent is not None:
            out.append((policy, parent))
    return out


def children(cg: CorpusGraph, key: TaskKey) -> list[tuple[Policy, Task]]:
    """Tasks whose 落实 names this task, by policy and document order."""
    found = [cg.task(n) for n, _ in edges_of(cg.graph, task_node(key), EdgeType.IMPLEMENTS, incoming=True)]
    found.sort(key=lambda t: (t.key.policy, t.order))
    return [(cg.policies[t.key.policy], t) for t in found]


def policy_children(corpus: Corpus, policy_id: str) -> list[Policy]:
    return list(_index(corpus).children.get(policy_id, ()))


# ───────────── units ─────────────


def counterparts(corpus: Corpus, unit: Unit) -> list[Unit]:
    """Units with the same counterpart role in other jurisdictions (市民政局 ↔ 县民政局 ↔ 区民政局), highest
    level first."""
    if not unit.role:
        return []
    return [u for u in _index(corpus).by_role.get((unit.role, unit.kind), []) if u.jurisdiction != unit.jurisdiction]


def sub_units(corpus: Corpus, unit: Unit) -> list[Unit]:
    return list(_index(corpus).parts.get(unit.id, ()))


def groups_of(corpus: Corpus, unit: Unit) -> list[Unit]:
    return list(_index(corpus).groups.get(unit.id, ()))


class _Index:
    """The lookups a page makes, built once per corpus: a unit page that scanned every unit for its counterparts,
    sub-units and groups (and a policy page every policy for its children) made the site quadratic in size."""

    def __init__(self, corpus: Corpus):
        levels = {j.id: j.level for j in corpus.jurisdictions}
        self.children: dict[str, list[Policy]] = {}
        for p in sorted(corpus.policies, key=lambda p: (level_rank(p.level), p.id)):
            for parent in dict.fromkeys(p.implements):
                self.children.setdefault(parent, []).append(p)
        self.by_role: dict[tuple, list[Unit]] = {}
        for u in sorted((u for u in corpus.units if u.role),
                        key=lambda u: (level_rank(levels.get(u.jurisdiction)), u.jurisdiction, u.name)):
            self.by_role.setdefault((u.role, u.kind), []).append(u)
        self.parts: dict[str, list[Unit]] = {}
        self.groups: dict[str, list[Unit]] = {}
        for u in corpus.units:
            if u.part_of:
                self.parts.setdefault(u.part_of, []).append(u)
            for member in dict.fromkeys(u.members):
                self.groups.setdefault(member, []).append(u)


_LAST: tuple[Corpus, _Index] | None = None


def _index(corpus: Corpus) -> _Index:
    """The index of the corpus asked about last (the model is frozen, so it never goes stale)."""
    global _LAST
    if _LAST is None or _LAST[0] is not corpus:
        _LAST = (corpus, _Index(corpus))
    return _LAST[1]


def role_counts(duties: list) -> dict[str, Counter]:
    """policy id → Counter of 牵头/负责/配合 over a unit's duties."""
    out: dict[str, Counter] = {}
    for d in duties:
        out.setdefault(d.policy.id, Counter())[d.role.zh] += 1
    return out


def label(policy: Policy) -> str:
    return policy_label(policy)


def citation(policy: Policy) -> str:
    """A document named inline: 文号 and title (渝民〔2023〕88号 关于印发…的通知), or 《title》 when it has no 文号."""
    return f"{policy.number} {policy.title}" if policy.number and policy.title else policy_label(policy)


def full_title(policy: Policy) -> str:
    """文号 and title for a page heading; the title alone when no 文号 was printed (the label would repeat it)."""
    if policy.number:
        return f"{policy.number} {policy.title}" if policy.title else policy.number
    return policy.title or policy.id
