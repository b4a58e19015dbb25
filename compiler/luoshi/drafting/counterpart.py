"""Counterpart units: the unit that does, in the target jurisdiction, what a parent's unit does in its own.

A unit's counterpart is the unit of the target jurisdiction with the same role (Unit.role): 市民政局 → 县民政局,
各区县政府 (role 下级政府) → 各乡镇（街道）. When several units share the role, the choice narrows by the localized
name (市政府各部门 → 县政府各部门), the same kind (unit, group, collective), then a single body over a compound one
(各镇街 over 各镇党委、政府); a choice that still leaves alternatives is returned with them, so the draft says so
in a 待定 instead of guessing silently. Units of other jurisdictions (an ancestor's, say 市委 in a 区 policy) are
kept as they are.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cached_property

from ..model import Corpus, Unit, derived

# what a jurisdiction calls itself in unit names and text: 市民政局, 全县, 我区
PREFIX_OF_KIND = {"直辖市": "市", "市": "市", "省": "省", "自治区": "自治区", "县": "县", "自治县": "县", "区": "区",
                  "乡": "乡", "民族乡": "乡", "镇": "镇", "街道": "街道"}


@dataclass(frozen=True)
class Counterpart:
    source: str
    unit: str | None
    alternatives: tuple[str, ...] = ()
    kept: bool = False

    @property
    def missing(self) -> bool:
        return self.unit is None


class _Tree:
    """The registry's jurisdiction tree and units by jurisdiction, built once per corpus: `luoshi site` compares
    every policy with its parent, and rebuilding these per pair (and per jurisdiction) made it cubic in size."""

    def __init__(self, corpus: Corpus):
        self.parents = {j.id: j.parent for j in corpus.jurisdictions}
        self.kinds = {j.id: j.kind for j in corpus.jurisdictions}
        self.children: dict[str | None, list[str]] = {}
        for j in corpus.jurisdictions:
            self.children.setdefault(j.parent, []).append(j.id)
        self.units: dict[str, list[Unit]] = {}
        for u in corpus.units:
            self.units.setdefault(u.jurisdiction, []).append(u)


def _tree(corpus: Corpus) -> _Tree:
    return derived(corpus, "draft.tree", _Tree)


def ancestors(corpus: Corpus, jurisdiction: str | None) -> list[str]:
    """The jurisdiction's parents, nearest first."""
    parents = _tree(corpus).parents
    chain: list[str] = []
    current = parents.get(jurisdiction) if jurisdiction else None
    while current and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return chain


def descendants(corpus: Corpus, jurisdiction: str) -> set[str]:
    """Every jurisdiction below this one."""
    children = _tree(corpus).children
    out: set[str] = set()
    todo = [jurisdiction]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in out and child != jurisdiction:
                out.add(child)
                todo.append(child)
    return out


def prefix(corpus: Corpus, jurisdiction: str | None) -> str | None:
    kind = _tree(corpus).kinds.get(jurisdiction) if jurisdiction else None
    return PREFIX_OF_KIND.get(kind or "")


def localized_name(name: str, source_prefix: str | None, target_prefix: str | None) -> str:
    """市民政局 → 县民政局, 区县财政 → 县财政: the name the target would give the same office."""
    if not source_prefix or not target_prefix:
        return name
    starts = [source_prefix] + (["区县"] if source_prefix == "市" else [])
    for start in sorted(starts, key=len, reverse=True):
        if name.startswith(start):
            return target_prefix + name[len(start):]
    return name


class CounterpartMap:
    """Counterparts of one source jurisdiction's units in one target jurisdiction."""

    def __init__(self, corpus: Corpus, source: str | None, target: str):
        self.corpus, self.source, self.target = corpus, source, target
        self.source_prefix, self.target_prefix = prefix(corpus, source), prefix(corpus, target)
        self._cache: dict[str, Counterpart] = {}

    @cached_property
    def localizable(self) -> set[str]:
        """Jurisdictions whose units are translated: the source and everything below it, but not the target."""
        if self.source is None:
            keep = {self.target, *ancestors(self.corpus, self.target)}
            return {j.id for j in self.corpus.jurisdictions} - keep
        return ({self.source} | descendants(self.corpus, self.source)) - {self.target}

    @cached_property
    def _target_units(self) -> list[Unit]:
        return list(_tree(self.corpus).units.get(self.target, ()))

    def resolved(self) -> list[Counterpart]:
        """Every counterpart looked up so far."""
        return list(self._cache.values())

    def of(self, unit_id: str) -> Counterpart:
        if unit_id not in self._cache:
            self._cache[unit_id] = self._find(unit_id)
        return self._cache[unit_id]

    def _find(self, unit_id: str) -> Counterpart:
        unit = self.corpus.unit(unit_id)
        if unit is None or unit.jurisdiction not in self.localizable:
            return Counterpart(unit_id, unit_id, kept=True)
        if unit.role is None:
            return Counterpart(unit_id, None)
        candidates = [u for u in self._target_units if u.role == unit.role]
        if not candidates:
            return Counterpart(unit_id, None)
        wanted = localized_name(unit.name, self.source_prefix, self.target_prefix)
        exact = [u for u in candidates if wanted in (u.name, *u.aliases)]
        if exact:
            return Counterpart(unit_id, exact[0].id)
        for narrow in (lambda u: u.kind == unit.kind, lambda u: "、" not in u.name):
            kept = [u for u in candidates if narrow(u)]
            candidates = kept or candidates
        if len(candidates) == 1:
            return Counterpart(unit_id, candidates[0].id)
        ranked = sorted(candidates, key=lambda u: (-difflib.SequenceMatcher(None, wanted, u.name).ratio(), u.name))
        return Counterpart(unit_id, ranked[0].id, alternatives=tuple(u.id for u in ranked[1:]))


def lower_collective(corpus: Corpus, counterparts: CounterpartMap) -> str | None:
    """The target's 下级政府 collective, the counterpart of the source's own (各区县政府 → 各乡镇（街道）):
    what 各区县 in a 市 text becomes."""
    unit_id = lower_collective_id(corpus, counterparts)
    unit = corpus.unit(unit_id) if unit_id else None
    return unit.name if unit else None


def lower_collective_id(corpus: Corpus, counterparts: CounterpartMap) -> str | None:
    """The id of that collective (云阳县/各乡镇（街道）)."""
    source = counterparts.source
    own = sorted(u.id for u in (_tree(corpus).units.get(source, ()) if source is not None else ()) if u.role == "下级政府")
    for uid in own:
        found = counterparts.of(uid)
        if found.unit and not found.kept:
            return found.unit
    return None
