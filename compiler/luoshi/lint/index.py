"""Lookups the rules share, built from the frozen model by id (never by a unit's written name).

An `Index` is cheap to build (dictionaries over the corpus), so each rule builds its own and stays a pure
function of the corpus.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Iterator

from ..model import Assignment, AssignmentRole, Corpus, ItemKind, Policy, PolicyKind, Task, TaskKey, Unit, UnitRef

PRINCIPAL = (AssignmentRole.LEAD, AssignmentRole.CO_RESPONSIBLE)
WORK_KINDS = (ItemKind.TASK, ItemKind.PHASE)


def flatten(ref: UnitRef) -> Iterator[UnitRef]:
    """A unit mention and the sub-units written with it: 区人力社保局（区就业人才中心、区社保中心）."""
    yield ref
    for sub in ref.subunits:
        yield from flatten(sub)


def policies(corpus: Corpus) -> list[Policy]:
    """The encoded policies (not the declared-only documents)."""
    return [p for p in corpus.policies if p.kind is PolicyKind.POLICY]


@dataclass
class Index:
    corpus: Corpus

    @cached_property
    def units(self) -> dict[str, Unit]:
        return {u.id: u for u in self.corpus.units}

    @cached_property
    def parents(self) -> dict[str, str | None]:
        return {j.id: j.parent for j in self.corpus.jurisdictions}

    @cached_property
    def tasks(self) -> dict[TaskKey, Task]:
        return {t.key: t for p in self.corpus.policies for t in p.tasks}

    def ancestors(self, jurisdiction: str | None) -> list[str]:
        out: list[str] = []
        current = self.parents.get(jurisdiction) if jurisdiction else None
        while current and current not in out:
            out.append(current)
            current = self.parents.get(current)
        return out

    def within(self, jurisdiction: str | None, area: str | None) -> bool:
        """Is `jurisdiction` the area itself or one of its descendants?"""
        return jurisdiction is not None and area is not None and (jurisdiction == area or area in self.ancestors(jurisdiction))

    def role(self, unit_id: str) -> str | None:
        """A unit's counterpart role; a sub-unit without one takes the role of the unit it belongs to."""
        seen: set[str] = set()
        unit = self.units.get(unit_id)
        while unit is not None and unit.id not in seen:
            if unit.role:
                return unit.role
            seen.add(unit.id)
            unit = self.units.get(unit.part_of) if unit.part_of else None
        return None

    def name(self, unit_id: str) -> str:
        unit = self.units.get(unit_id)
        return unit.name if unit else unit_id

    # ── tasks ──
    @cached_property
    def _children(self) -> dict[TaskKey, list[Task]]:
        out: dict[TaskKey, list[Task]] = {}
        for p in self.corpus.policies:
            for t in p.tasks:
                if t.parent:
                    out.setdefault(TaskKey(policy=p.id, task=t.parent), []).append(t)
        return out

    def children(self, task: Task) -> list[Task]:
        return self._children.get(task.key, [])

    def subtree(self, task: Task) -> list[Task]:
        """The task and all its sub-tasks: a measure is carried by its 一是、二是 … as a whole."""
        out = [task]
        for child in self.children(task):
            out += self.subtree(child)
        return out

    def ancestors_of_task(self, task: Task) -> list[Task]:
        out: list[Task] = []
        current = task
        while current.parent:
            parent = self.tasks.get(TaskKey(policy=task.key.policy, task=current.parent))
            if parent is None:
                break
            out.append(parent)
            current = parent
        return out


def assignments(task: Task, roles: tuple[AssignmentRole, ...] | None = None, own: bool = False) -> list[Assignment]:
    return [a for a in task.assignments if (roles is None or a.role in roles) and not (own and a.inherited)]


def principals(task: Task) -> list[Assignment]:
    """Who answers for the task: its leads, or when it names none, its co-responsible units."""
    leads = assignments(task, (AssignmentRole.LEAD,))
    return leads or assignments(task, (AssignmentRole.CO_RESPONSIBLE,))
