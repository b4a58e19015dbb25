"""`--policy`, `--jurisdiction`, `--unit`: which checks a run is about, and which data rows count.

A county office's sheet is about its own county: checks of other places (璧山, 草街, national documents) would
only add failures for want of data it was never going to hold. A scope keeps the checks it names and drops the
data rows about anything else (a row is dropped once its policy or unit is known to be outside; a row whose
names are unknown is still reported, since nobody can tell where it belongs). The report, the workbook and the
exit code then speak only of the scope.

- `--policy`: a 文号 (any brackets) or a policy id.
- `--jurisdiction`: a jurisdiction by name or alias (云阳县, 云阳), with every jurisdiction within it: the checks
  of units there, whatever the level of the policy.
- `--unit`: a unit by name, alias or qualified id (县民政局, 云阳县/县民政局); a collective takes its members.
Several values of one option add up; different options narrow each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .plan import Plan, fold_key, fold_number


@dataclass(frozen=True)
class Scope:
    """The checks kept and the data rows that count: policy ids and unit ids (None: any). A check is a unit's
    when the unit owes it, owes it as a member of a collective, or is the place a target holds for (青龙街道's
    集中供养率, which 县民政局 answers for)."""

    policies: frozenset[str] | None = None
    units: frozenset[str] | None = None

    def limit(self, plan: Plan) -> Plan:
        """The plan with only the checks of the scope (the catalogue stays whole, so every name still resolves)."""
        checks = tuple(c for c in plan.checks
                       if (self.policies is None or c.policy in self.policies)
                       and (self.units is None or bool({c.unit, c.collective, c.scope} & self.units)))
        return plan.model_copy(update={"checks": checks})


class ScopeError(ValueError):
    """A --policy, --jurisdiction or --unit value that names nothing: (中文, English, hint)."""

    def __init__(self, zh: str, en: str, hint: tuple[str, str]):
        super().__init__(en)
        self.zh, self.en, self.hint = zh, en, hint


def select(plan: Plan, policies: Sequence[str] = (), jurisdictions: Sequence[str] = (), units: Sequence[str] = ()
           ) -> Scope | None:
    """The scope the options name; None when none is given. Raises `ScopeError` for a name that matches nothing."""
    if not (policies or jurisdictions or units):
        return None
    policy_ids = _policies(plan, policies) if policies else None
    unit_ids: set[str] | None = None
    if jurisdictions:
        places = _jurisdictions(plan, jurisdictions)
        unit_ids = {u.id for u in plan.units if u.jurisdiction in places}
    if units:
        named = _units(plan, units)
        unit_ids = named if unit_ids is None else unit_ids & named
    return Scope(frozenset(policy_ids) if policy_ids is not None else None,
                 frozenset(unit_ids) if unit_ids is not None else None)


def _policies(plan: Plan, written: Sequence[str]) -> set[str]:
    keys = {k: p.id for p in plan.policies for k in p.keys}
    out = set()
    for w in written:
        found = keys.get(fold_number(w))
        if found is None:
            raise ScopeError(f"--policy：未知政策「{w}」", f"--policy: unknown policy '{w}'",
                             ("写政策的文号或编号，如 云阳府办发〔2019〕22号 或 yyfbf-2019-22",
                              "write the policy's 文号 or id, e.g. yyfbf-2019-22"))
        out.add(found)
    return out


def _jurisdictions(plan: Plan, written: Sequence[str]) -> set[str]:
    by_key = {k: j.id for j in plan.jurisdictions for k in j.keys}
    children: dict[str, list[str]] = {}
    for j in plan.jurisdictions:
        if j.parent:
            children.setdefault(j.parent, []).append(j.id)
    out: set[str] = set()
    for w in written:
        found = by_key.get(fold_key(w))
        if found is None:
            raise ScopeError(f"--jurisdiction：未知辖区「{w}」", f"--jurisdiction: unknown jurisdiction '{w}'",
                             ("写单位登记（policies/units/*.units）中的辖区名，如 云阳县", "write a jurisdiction the registry declares, e.g. 云阳县"))
        todo = [found]
        while todo:
            jid = todo.pop()
            if jid not in out:
                out.add(jid)
                todo += children.get(jid, [])
    return out


def _units(plan: Plan, written: Sequence[str]) -> set[str]:
    by_key: dict[str, set[str]] = {}
    for u in plan.units:
        for k in u.keys:
            by_key.setdefault(k, set()).add(u.id)
    members = {u.id: u.members for u in plan.units}
    out: set[str] = set()
    for w in written:
        found = by_key.get(fold_key(w))
        if not found:
            raise ScopeError(f"--unit：未知单位「{w}」", f"--unit: unknown unit '{w}'",
                             ("写单位登记中的单位名或编号，如 县民政局 或 云阳县/县民政局", "write a unit the registry declares, e.g. 云阳县/县民政局"))
        for uid in found:
            out |= {uid, *members.get(uid, ())}
    return out
