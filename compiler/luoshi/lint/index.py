"""Lookups the rules share, built from the frozen model by id (never by a unit's written name).

The rules stay pure functions of the corpus, but what several of them need (the `Index`, the implementation
links) is built once per corpus and shared (`shared`, i.e. `model.derived`): the corpus is frozen, so a shared value cannot go stale,
and it is dropped with the corpus. Building them per rule was most of `luoshi lint`'s time at 1,000 files.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from functools import cached_property, lru_cache

from ..model import (
    Assignment,
    AssignmentRole,
    Corpus,
    Policy,
    PolicyKind,
    Task,
    TaskKey,
    Unit,
    UnitRef,
    derived,
)
from ..semantics.folding import fold as fold_name

shared = derived  # once per corpus, dropped with it (the rules' name for it)
# A name's folded form (`semantics.folding.fold`), kept: the rules compare the same few metric names once per
# link (20,000 at 1k), and NFKC-folding one costs about a microsecond.
fold = lru_cache(maxsize=4096)(fold_name)


def index(corpus: Corpus) -> Index:
    """The corpus's shared Index (see `shared`)."""
    return shared(corpus, "index", Index)


def flatten(ref: UnitRef) -> Iterator[UnitRef]:
    """A unit mention and the sub-units written with it: 区人力社保局（区就业人才中心、区社保中心）."""
    yield ref
    for sub in ref.subunits:
        yield from flatten(sub)


def policies(corpus: Corpus) -> list[Policy]:
    """The encoded policies (not the declared-only documents)."""
    return [p for p in corpus.policies if p.kind is PolicyKind.POLICY]


class Index:
    """Dictionaries over one corpus, built on first use. It holds the corpus weakly: the shared Index lives in a
    module-level table until the corpus is dropped, and must not be what keeps the corpus alive."""

    def __init__(self, corpus: Corpus):
        self._corpus = weakref.ref(corpus)
        self._ancestors: dict[str | None, list[str]] = {}
        self._roles: dict[str, str | None] = {}
        self._tasks: dict[str, dict[str, Task]] = {}  # policy id → its tasks by id, for the policies asked about

    @property
    def corpus(self) -> Corpus:
        corpus = self._corpus()
        if corpus is None:
            raise ReferenceError("the corpus of this Index was dropped")
        return corpus

    @cached_property
    def units(self) -> dict[str, Unit]:
        return {u.id: u for u in self.corpus.units}

    @cached_property
    def parents(self) -> dict[str, str | None]:
        return {j.id: j.parent for j in self.corpus.jurisdictions}

    def task(self, key: TaskKey) -> Task | None:
        """The task under `key`. A policy's tasks are put in a dictionary when one of them is first asked for (a
        link's parent, an enclosing task): the rules ask for the tasks of the few policies that have children or
        sub-tasks, and a table of every task (200,000 at 10k files) cost 0.1 s and 20 MB to ask that. A policy id
        and a task id within a policy are unique in a resolved corpus (LS2xx report and drop duplicates)."""
        tasks = self._tasks.get(key.policy)
        if tasks is None:
            policy = self.corpus.policy(key.policy)
            tasks = self._tasks[key.policy] = {t.id: t for t in policy.tasks} if policy is not None else {}
        return tasks.get(key.task)

    def ancestors(self, jurisdiction: str | None) -> list[str]:
        """The jurisdiction's ancestors, nearest first (memoised: the model is frozen; do not mutate)."""
        found = self._ancestors.get(jurisdiction)
        if found is None:
            found = self._ancestors[jurisdiction] = self._ancestors_of(jurisdiction)
        return found

    def _ancestors_of(self, jurisdiction: str | None) -> list[str]:
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
        if unit_id in self._roles:
            return self._roles[unit_id]
        role = self._roles[unit_id] = self._role_of(unit_id)
        return role

    def _role_of(self, unit_id: str) -> str | None:
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
    def _children(self) -> dict[tuple[str, str], list[Task]]:
        # keyed by (policy, task) pairs, which a TaskKey equals
        out: dict[tuple[str, str], list[Task]] = {}
        for p in self.corpus.policies:
            for t in p.tasks:
                if t.parent:
                    out.setdefault((p.id, t.parent), []).append(t)
        return out

    def children(self, task: Task) -> list[Task]:
        return self._children.get(task.key, [])

    @property
    def with_subtasks(self) -> dict[tuple[str, str], list[Task]]:
        """(policy, task) → the task's sub-tasks, for the tasks that have some: `task.key in ix.with_subtasks`
        asks `children` without a call, 20,000 times at 1k."""
        return self._children

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
            parent = self.task(TaskKey(policy=task.key.policy, task=current.parent))
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
