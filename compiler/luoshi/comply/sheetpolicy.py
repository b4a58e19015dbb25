"""Which policies an office sheet can be about, by where it comes from.

A sheet's title is a loose witness: 「大足区落实《大足区城市特殊困难群众救助帮扶工作实施办法》任务进展情况表」
shares its words with 云阳县's 实施办法 as much as with 大足区's notice. Where the sheet comes from is firmer: a
大足区 office reports on 大足区's policies and on those of the jurisdictions above it (重庆市's, the nation's),
never on 云阳县's. So the filing unit's jurisdiction, and the places the title names, bound the policies a title's
words or the rows' task titles may pick; and the rows' titles vote among those that remain (`row_votes`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from .plan import Plan, fold_key
from .refs import TaskIndex

_LEVEL = re.compile(r"(?:土家族|苗族|自治县|自治州|新区|街道|县|区|市|镇|乡)+$")


def ancestors(plan: Plan, place: str) -> set[str]:
    """`place` and every jurisdiction above it (大足区 → 大足区, 重庆市, and 中国 when the registry says so)."""
    parent = {j.id: j.parent for j in plan.jurisdictions}
    out: set[str] = set()
    at: str | None = place
    while at is not None and at not in out:
        out.add(at)
        at = parent.get(at)
    return out


def filer_places(plan: Plan, filer: str | None, unit_names: Mapping[str, str] | None = None) -> set[str]:
    """The jurisdictions of the units a 填报单位 may be (区民政局 alone is 大足区's or 璧山区's); empty when the
    registry knows no unit by that name."""
    if not filer:
        return set()
    key = fold_key(filer)
    keys = {key}
    if unit_names and key in unit_names:
        keys.add(fold_key(unit_names[key]))
    return {u.jurisdiction for u in plan.units if u.id in keys or keys & set(u.keys)}


def title_places(plan: Plan, title: str | None) -> set[str]:
    """The jurisdictions a title names: by their full names, the most specific of them (「重庆市大足区…」 is
    大足区's); else by a name without its level (云阳 for 云阳县), the highest of those that share it (云阳 is
    云阳县, not its 云阳镇). Names of fewer than two characters are left alone (they occur inside words)."""
    if not title:
        return set()
    text = fold_key(title)
    full: set[str] = set()
    short: set[str] = set()
    for j in plan.jurisdictions:
        if any(len(n) >= 2 and n in text for n in {fold_key(j.id), *j.keys}):
            full.add(j.id)
        elif len(bare := _LEVEL.sub("", fold_key(j.id))) >= 2 and bare in text:
            short.add(j.id)
    if full:  # a place under another named one is the more specific
        return {p for p in full if not any(other != p and p in ancestors(plan, other) for other in full)}
    return {p for p in short if not any(other != p and other in ancestors(plan, p) for other in short)}


def compatible(plan: Plan, pid: str, *evidence: set[str]) -> bool:
    """Whether policy `pid` can be what a sheet reports on, given each non-empty set of places the sheet comes
    from: its jurisdiction is one of them or above one of them. A policy without a jurisdiction fits any."""
    entry = plan.policy(pid)
    if entry is None or entry.jurisdiction is None:
        return True
    return all(any(entry.jurisdiction in ancestors(plan, p) for p in places) for places in evidence if places)


def row_votes(indexes: Mapping[str, TaskIndex], titles: Iterable[str | None],
              find: Callable[[TaskIndex, str], str | None]) -> dict[str, int]:
    """How many of the rows' distinct task titles each policy has a task for (`find(index, title)`)."""
    votes: dict[str, int] = {}
    for written in sorted({t for t in titles if t}):
        for pid, index in indexes.items():
            if find(index, written):
                votes[pid] = votes.get(pid, 0) + 1
    return votes
