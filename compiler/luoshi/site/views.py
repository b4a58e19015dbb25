"""What each page shows, as plain data from the model and the responsibility graph: a policy's items in document
order, a task's units by role and its neighbours along the implementation chain, a unit's counterparts one level
up and down, a role's units at every level, and which jurisdictions a listing page shows in full.

Every page's share is bounded by its own content (a unit's direct neighbours, a role's own units), never by the
corpus: a unit page that listed every counterpart (every 民政 office in the province) made the site quadratic.

Nothing here looks a unit up by name: units are ids (`corpus.unit(id)`), tasks are TaskKeys.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from ..backends.wording import (
    deadline_zh,
    goals_and_targets_zh,
    policy_label,
    section_label,
    task_label,
)
from ..model import (
    AssignmentRole,
    Corpus,
    ItemKind,
    Jurisdiction,
    Policy,
    PolicyKind,
    Section,
    Task,
    TaskKey,
    Unit,
    UnitKind,
    UnitRef,
    derived,
)
from ..semantics.duties import ROLE_ORDER, Duty
from ..semantics.graph import CorpusGraph, EdgeType, edges_of, task_node
from ..semantics.standard_units import NOTE as STANDARD_NOTE

_Listed = TypeVar("_Listed")

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


def named_units(corpus: Corpus) -> set[str]:
    """Unit ids a policy names: in a task (with the units inside its parentheses), as issuer, addressee or cc."""
    named: set[str] = set()

    def add(ref: UnitRef) -> None:
        named.add(ref.unit)
        for sub in ref.subunits:
            add(sub)

    for policy in corpus.policies:
        for ref in (*policy.issuers, *policy.addressees, *policy.cc):
            add(ref)
        for task in policy.tasks:
            for a in task.assignments:
                add(a.unit)
    return named


def units_with_pages(corpus: Corpus, owing: set[str]) -> frozenset[str]:
    """The units that get a page (and, owing anything, a checklist download): every declared unit, and a derived
    standard unit (standard_units.py) only when a policy names it or it owes a duty (`owing`: a collective's
    member). The other derived units, the 37 other 区县's thirty-odd departments each, are 3,118 of the seed
    corpus's 3,413 units: their pages said only "no duties" and made up four fifths of the site (and of the time
    mkdocs takes). They stay in `luoshi units`, in the search index (found on their jurisdiction's page) and in
    the unit tables of the units overview and their jurisdiction's page, named without a link."""
    named = named_units(corpus)
    return frozenset(u.id for u in corpus.units if u.note != STANDARD_NOTE or u.id in owing or u.id in named)


# ───────────── a task's facts ─────────────


@dataclass(frozen=True)
class RoleUnits:
    role: str          # 牵头 / 负责 / 配合
    refs: tuple[UnitRef, ...]
    inherited: bool    # carried down from the enclosing measure


def units_by_role(task: Task) -> list[RoleUnits]:
    out = []
    for role in sorted(AssignmentRole, key=lambda r: ROLE_ORDER[r]):
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
    return goals_and_targets_zh(task)


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
        assert self.task is not None, "an item is a section or a task"
        return task_label(self.task)


def policy_items(policy: Policy) -> list[Item]:
    """Sections and top-level tasks in document order; sub-tasks are shown inside their measure."""
    entries = sorted([(s.order, s) for s in policy.sections] + [(t.order, t) for t in policy.tasks if t.parent is None],
                     key=lambda pair: pair[0])
    sections: dict[str | None, Section] = {s.id: s for s in policy.sections}
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
        if policy is not None and parent is not None:
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


@dataclass(frozen=True)
class Counterparts:
    above: list[Unit]   # in the nearest jurisdiction above that has one (市民政局 for 县民政局)
    below: list[Unit]   # in the jurisdictions directly below (每个区县的民政局 for 市民政局)
    total: int          # counterparts at every level, all on the role's page


def nearest_counterparts(corpus: Corpus, unit: Unit) -> Counterparts:
    """A unit's counterparts one level up and one level down, as its diagram draws them: bounded by the unit's own
    place in the tree (its parent jurisdiction and its direct children), never by the size of the corpus."""
    if not unit.role:
        return Counterparts([], [], 0)
    index = _index(corpus)
    key = (unit.role, unit.kind)
    above: list[Unit] = []
    parent = index.parent.get(unit.jurisdiction)
    seen = {unit.jurisdiction}
    while parent and parent not in seen:  # a cycle in the registry is lint's to report, not a hang here
        seen.add(parent)
        above = list(index.role_in.get((*key, parent), ()))
        if above:
            break
        parent = index.parent.get(parent)
    below = [u for j in index.jchildren.get(unit.jurisdiction, ()) for u in index.role_in.get((*key, j.id), ())]
    below.sort(key=index.unit_order)
    mine = len(index.role_in.get((*key, unit.jurisdiction), ()))
    return Counterparts(above, below, len(index.by_role.get(key, ())) - mine)


@dataclass(frozen=True)
class RolePlace:
    jurisdiction: str
    parent: str | None
    units: list[Unit]


@dataclass(frozen=True)
class RoleLevel:
    level: str | None
    places: list[RolePlace]

    @property
    def count(self) -> int:
        return sum(len(p.units) for p in self.places)

    @property
    def by_parent(self) -> list[tuple[str | None, list[RolePlace], int]]:
        """(jurisdiction above, its places, their units) in order: 第1区's 街道 together, under one heading."""
        out: list[tuple[str | None, list[RolePlace], int]] = []
        for place in self.places:
            if not out or out[-1][0] != place.parent:
                out.append((place.parent, [], 0))
            out[-1][1].append(place)
            out[-1] = (out[-1][0], out[-1][1], out[-1][2] + len(place.units))
        return out


def role_groups(corpus: Corpus, role: str) -> list[RoleLevel]:
    """Every unit of a role (any kind), by level from the highest down, then by jurisdiction: the role's page."""
    index = _index(corpus)
    out: list[RoleLevel] = []
    for u in index.role_all.get(role, ()):
        level = index.levels.get(u.jurisdiction)
        if not out or out[-1].level != level:
            out.append(RoleLevel(level, []))
        places = out[-1].places
        if not places or places[-1].jurisdiction != u.jurisdiction:
            places.append(RolePlace(u.jurisdiction, index.parent.get(u.jurisdiction), []))
        places[-1].units.append(u)
    for lv in out:  # within a level, by the jurisdiction above (第1区's 街道 together), then by name
        lv.places.sort(key=lambda p: (p.parent or "", p.jurisdiction))
    return out


def role_ids(corpus: Corpus) -> list[str]:
    """Roles declared in the registry and roles units name without a declaration, sorted: one page each."""
    return sorted({r.id for r in corpus.roles} | set(_index(corpus).role_all))


def sub_units(corpus: Corpus, unit: Unit) -> list[Unit]:
    return list(_index(corpus).parts.get(unit.id, ()))


def groups_of(corpus: Corpus, unit: Unit) -> list[Unit]:
    return list(_index(corpus).groups.get(unit.id, ()))


def jurisdiction_level(corpus: Corpus, jurisdiction: str | None) -> str | None:
    return _index(corpus).levels.get(jurisdiction) if jurisdiction is not None else None


def units_in(corpus: Corpus, jurisdiction: str) -> list[Unit]:
    """A jurisdiction's units in registry order."""
    return list(_index(corpus).units_in.get(jurisdiction, ()))


def sub_jurisdictions(corpus: Corpus, jurisdiction: str | None) -> list[Jurisdiction]:
    """The jurisdictions directly below (None: the top ones), by level and name."""
    return list(_index(corpus).jchildren.get(jurisdiction, ()))


def policies_in(corpus: Corpus, jurisdiction: str | None) -> list[Policy]:
    """Encoded policies of a jurisdiction, in `encoded` order."""
    return list(_index(corpus).policies_in.get(jurisdiction, ()))


# ───────────── listings that stay bounded ─────────────

MAX_LISTED = 60  # jurisdictions a listing page (home, units, policies, matrix, diffs) shows before it splits


@dataclass(frozen=True)
class Listing:
    """Which jurisdictions the site's listing pages show in full: whole levels from the top down while together
    they hold at most MAX_LISTED jurisdictions (the seed corpus, with the division data's 镇街 of 云阳县 and more: 国家
    to 区县; a province: 市 and 区县, not its thousand 镇街). Everything deeper is listed on the page of its nearest shown jurisdiction."""

    shown_levels: frozenset[int]
    hidden: dict[str | None, int]  # level → number of jurisdictions not shown

    def shows(self, corpus: Corpus, jurisdiction: str | None) -> bool:
        index = _index(corpus)
        return jurisdiction not in index.levels or level_rank(index.levels[jurisdiction]) in self.shown_levels

    def anchor(self, corpus: Corpus, jurisdiction: str | None) -> str | None:
        """The nearest shown jurisdiction at or above this one (None when none is)."""
        index = _index(corpus)
        seen: set[str] = set()
        while jurisdiction is not None and jurisdiction not in seen and not self.shows(corpus, jurisdiction):
            seen.add(jurisdiction)
            jurisdiction = index.parent.get(jurisdiction)
        return jurisdiction if jurisdiction is None or self.shows(corpus, jurisdiction) else None

    def split(self, corpus: Corpus, items: list[_Listed], jurisdiction_of: Callable[[_Listed], str | None]
              ) -> tuple[list[_Listed], list[tuple[str | None, list[_Listed]]]]:
        """(items shown in full, [(shown jurisdiction, items below it)]): the rest grouped under the nearest
        shown jurisdiction, in the order of the items."""
        shown: list[_Listed] = []
        below: dict[str | None, list[_Listed]] = {}
        for item in items:
            j = jurisdiction_of(item)
            if self.shows(corpus, j):
                shown.append(item)
            else:
                anchor = self.anchor(corpus, j)
                below.setdefault(anchor, []).append(item)
        return shown, list(below.items())


def listing(corpus: Corpus) -> Listing:
    index = _index(corpus)
    counts = Counter(level_rank(level) for level in index.levels.values())
    shown: set[int] = set()
    total = 0
    for rank in sorted(counts):
        if shown and total + counts[rank] > MAX_LISTED:
            break
        shown.add(rank)
        total += counts[rank]
    hidden = {LEVEL_ORDER[r] if r < len(LEVEL_ORDER) else None: n for r, n in sorted(counts.items()) if r not in shown}
    return Listing(frozenset(shown), hidden)


class _Index:
    """The lookups a page makes, built once per corpus: a unit page that scanned every unit for its counterparts,
    sub-units and groups (and a policy page every policy for its children) made the site quadratic in size."""

    def __init__(self, corpus: Corpus):
        self.levels: dict[str, str | None] = {j.id: j.level for j in corpus.jurisdictions}
        self.parent: dict[str, str | None] = {j.id: j.parent for j in corpus.jurisdictions}
        self.jchildren: dict[str | None, list[Jurisdiction]] = {}
        for j in sorted(corpus.jurisdictions, key=lambda j: (level_rank(j.level), j.id)):
            self.jchildren.setdefault(j.parent, []).append(j)
        self.children: dict[str, list[Policy]] = {}
        for p in sorted(corpus.policies, key=lambda p: (level_rank(p.level), p.id)):
            for parent in dict.fromkeys(p.implements):
                self.children.setdefault(parent, []).append(p)
        self.policies_in: dict[str | None, list[Policy]] = {}
        for p in encoded(corpus):
            self.policies_in.setdefault(p.jurisdiction, []).append(p)
        self.by_role: dict[tuple[str, UnitKind], list[Unit]] = {}
        self.role_in: dict[tuple[str, UnitKind, str], list[Unit]] = {}
        self.role_all: dict[str, list[Unit]] = {}
        for u in sorted((u for u in corpus.units if u.role), key=self.unit_order):
            role = u.role
            if not role:  # filtered above: this only tells the type checker
                continue
            self.by_role.setdefault((role, u.kind), []).append(u)
            self.role_in.setdefault((role, u.kind, u.jurisdiction), []).append(u)
            self.role_all.setdefault(role, []).append(u)
        self.units_in: dict[str, list[Unit]] = {}
        self.parts: dict[str, list[Unit]] = {}
        self.groups: dict[str, list[Unit]] = {}
        for u in corpus.units:
            self.units_in.setdefault(u.jurisdiction, []).append(u)
            if u.part_of:
                self.parts.setdefault(u.part_of, []).append(u)
            for member in dict.fromkeys(u.members):
                self.groups.setdefault(member, []).append(u)

    def unit_order(self, u: Unit) -> tuple[int, str, str]:
        return (level_rank(self.levels.get(u.jurisdiction)), u.jurisdiction, u.name)


def _index(corpus: Corpus) -> _Index:
    """The site's lookups, built once per corpus (the model is frozen, so they never go stale)."""
    index: _Index = derived(corpus, "site.index", _Index)
    return index


def role_counts(duties: list[Duty]) -> dict[str, Counter[str]]:
    """policy id → Counter of 牵头/负责/配合 over a unit's duties."""
    out: dict[str, Counter[str]] = {}
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


# ───────────── which child policies carry a measure out ─────────────


@dataclass(frozen=True)
class ChildStatus:
    """One child policy expected to carry a parent measure out (it 落实s the measure's policy): 已落实 with the
    tasks that do, 不予落实 with its reason, or 未落实 — the facts `luoshi graph gaps` and lint report."""

    policy: Policy
    status: str                 # 已落实 / 不予落实 / 未落实
    tasks: tuple[Task, ...]     # the child's tasks that 落实 the measure or one of its steps
    reason: str | None = None


@dataclass(frozen=True)
class PolicyCoverage:
    child: Policy
    measures: int
    done: int
    waived: int
    missing: tuple[Task, ...]   # the parent's measures the child neither carries out nor waives


class _Implementation:
    """measure key → [ChildStatus] and policy id → [PolicyCoverage], from `duties.coverage`, built once."""

    def __init__(self, cg: CorpusGraph):
        from ..semantics.duties import coverage, with_steps

        self.measures: dict[TaskKey, list[ChildStatus]] = {}
        self.policies: dict[str, list[PolicyCoverage]] = {}
        for cov in coverage(cg):
            gaps = {g.task.key: g for g in cov.gaps}
            by_parent_key: dict[str, list[Task]] = {}
            for t in cov.policy.tasks:
                for k in t.implements:
                    by_parent_key.setdefault(str(k), []).append(t)
            waived = 0
            for measure in (t for t in cov.parent.tasks if t.parent is None and t.kind is not ItemKind.CLAUSE):
                gap = gaps.get(measure.key)
                if gap is None:
                    found = [t for step in with_steps(cov.parent, measure) for t in by_parent_key.get(str(step.key), ())]
                    status = ChildStatus(cov.policy, "已落实", tuple(dict.fromkeys(found)))
                elif gap.waived:
                    waived += 1
                    status = ChildStatus(cov.policy, "不予落实", (), gap.waived)
                else:
                    status = ChildStatus(cov.policy, "未落实", ())
                self.measures.setdefault(measure.key, []).append(status)
            missing = tuple(g.task for g in cov.gaps if not g.waived)
            self.policies.setdefault(cov.parent.id, []).append(
                PolicyCoverage(cov.policy, cov.tasks, cov.covered, waived, missing))
        for statuses in self.measures.values():
            statuses.sort(key=lambda s: (level_rank(s.policy.level), s.policy.jurisdiction or "", s.policy.id))
        for coverages in self.policies.values():
            coverages.sort(key=lambda c: (level_rank(c.child.level), c.child.jurisdiction or "", c.child.id))


def _implementation(cg: CorpusGraph) -> _Implementation:
    implementation: _Implementation = derived(cg.corpus, "site.implementation", lambda corpus: _Implementation(cg))
    return implementation


def child_status(cg: CorpusGraph, task: Task) -> list[ChildStatus]:
    """Each child policy's answer to a measure (a top-level task or phase); [] for a sub-task or a clause."""
    return list(_implementation(cg).measures.get(task.key, ()))


def policy_coverage(cg: CorpusGraph, policy_id: str) -> list[PolicyCoverage]:
    """How far each child policy carries this policy's measures out."""
    return list(_implementation(cg).policies.get(policy_id, ()))


# ───────────── ids in plain words ─────────────


class _Labels:
    """Policy ids (yfbf-2018-161, yfbf-2018-161:4.2) → their printed labels (渝府办发〔2018〕161号 4.2)."""

    def __init__(self, corpus: Corpus):
        ids = sorted((p.id for p in corpus.policies), key=len, reverse=True)
        self.labels = {p.id: policy_label(p) for p in corpus.policies}
        alternatives = "|".join(re.escape(i) for i in ids) or r"(?!)"
        self.pattern = re.compile(rf"(?<![\w-])({alternatives})(?::([0-9A-Za-z_.]+))?(?![\w-])")
        self.pair = re.compile(rf"(?<![\w-])({alternatives})（([^（）·]+) · ([^（）]+)）")

    def sub(self, text: str, escape: Callable[[str], str] = str) -> str:
        text = self.pair.sub(lambda m: f"{m.group(3)}（{m.group(2)}）", text)
        return self.pattern.sub(lambda m: escape(self.labels[m.group(1)]) + (f" {m.group(2)}" if m.group(2) else ""), text)


def plain_ids(corpus: Corpus, text: str, escape: Callable[[str], str] = str) -> str:
    """Text for readers: every policy id written as the policy's 文号 (or title), a task key as 文号 and number.
    `escape` is applied to each label put in (Markdown that is passed through as it stands needs it)."""
    labels: _Labels = derived(corpus, "site.labels", _Labels)
    return labels.sub(text, escape)


def for_readers(corpus: Corpus, message: str) -> str:
    """A lint finding as a reader needs it: what is wrong, in 文号 and task numbers; the advice to whoever encodes
    the policy (「请在…中写「落实 …」」, 「用忽略注释…」) is left to the 编码信息 section."""
    head = re.split(r"；(?=请|原文确|本级没有|如)", message, maxsplit=1)[0]
    return plain_ids(corpus, head)
