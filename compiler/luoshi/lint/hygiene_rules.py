"""Corpus hygiene (LS330–LS332): registry entries no policy uses, names that silently mean different units
depending on where they are written, and policies cut off from every chain."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic
from ..model import Corpus, UnitRef
from ..registry import fold
from ..standard_units import NOTE as STANDARD_NOTE
from .index import flatten, index, policies
from .rule import finding, related, rule


def _mentions(corpus: Corpus) -> Iterator[UnitRef]:
    for p in corpus.policies:
        for ref in (*p.issuers, *p.addressees, *p.cc):
            yield from flatten(ref)
        for t in p.tasks:
            for a in t.assignments:
                yield from flatten(a.unit)
            for g in t.targets:
                for s in g.scope:
                    yield from flatten(s)


def used_units(corpus: Corpus) -> set[str]:
    """Units a policy names, with the members of named groups and the units named sub-units belong to."""
    ix = index(corpus)
    used = {r.unit for r in _mentions(corpus)}
    pending = list(used)
    while pending:
        unit = ix.units.get(pending.pop())
        if unit is None:
            continue
        for more in (*unit.members, *([unit.part_of] if unit.part_of else [])):
            if more not in used:
                used.add(more)
                pending.append(more)
    return used


@rule("LS330")
def unused_unit(corpus: Corpus) -> Iterator[Diagnostic]:
    used = used_units(corpus)
    for unit in corpus.units:
        # a standard unit (standard_units.py) is derived, not declared: unused ones are the normal case
        if unit.id not in used and unit.note != STANDARD_NOTE:
            yield finding("LS330", unit.span,
                          (f"单位「{unit.name}」（{unit.jurisdiction}）已声明，但没有政策用到它", f"unit '{unit.name}' ({unit.jurisdiction}) is declared but no policy names it"),
                          ("不再需要的请删去；为将来的政策保留的，可忽略此提示", "remove it if it is not needed; ignore this if it is kept for policies to come"))


@rule("LS331")
def colliding_name(corpus: Corpus) -> Iterator[Diagnostic]:
    """The same name declared in a jurisdiction and in one of its ancestors: a policy of the lower one silently
    gets its own unit. Harmless between counterparts (both 有关单位), a trap otherwise."""
    ix = index(corpus)
    names: dict[str, list[tuple[str, object]]] = {}
    for unit in corpus.units:
        for written in (unit.name, *unit.aliases):
            names.setdefault(fold(written), []).append((unit.id, written))
    for key, found in sorted(names.items()):
        for uid, written in found:
            unit = ix.units[uid]
            for other_id, _ in found:
                other = ix.units[other_id]
                if other_id == uid or other.jurisdiction not in ix.ancestors(unit.jurisdiction):
                    continue
                if ix.role(uid) is not None and ix.role(uid) == ix.role(other_id):
                    continue
                yield finding("LS331", unit.span,
                              (f"名称「{written}」在「{unit.jurisdiction}」指「{unit.name}」，在上级「{other.jurisdiction}」指「{other.name}」",
                               f"'{written}' means '{unit.name}' in '{unit.jurisdiction}' but '{other.name}' in its ancestor '{other.jurisdiction}'"),
                              ("请改用不会混淆的别名，或给两者相同的角色（若它们互为对应单位）", "use an alias that cannot be confused, or give both the same role if they are counterparts"),
                              related(other.span, "上级辖区中的同名单位", "the unit of that name above"))
    roles: dict[str, list[str]] = {}
    for role in corpus.roles:
        for written in (role.id, *role.aliases):
            roles.setdefault(fold(written), []).append(role.id)
    for key, ids in sorted(roles.items()):
        for rid in sorted(set(ids))[1:]:
            role = next(r for r in corpus.roles if r.id == rid)
            yield finding("LS331", role.span, (f"角色名称「{key}」同时指 {'、'.join(sorted(set(ids)))}", f"role name '{key}' means {', '.join(sorted(set(ids)))}"),
                          ("请改用不同的角色别名", "give the roles different aliases"))


@rule("LS332")
def isolated_policy(corpus: Corpus) -> Iterator[Diagnostic]:
    linked = {k.policy for p in corpus.policies for t in p.tasks for k in t.implements}
    linked |= {parent for p in corpus.policies for parent in p.implements}
    for p in policies(corpus):
        implements = p.implements or any(t.implements for t in p.tasks)
        if not implements and p.id not in linked:
            yield finding("LS332", p.span,
                          (f"{p.id} 既不落实其他文件，也没有被任何政策落实", f"{p.id} implements nothing and nothing implements it"),
                          ("请用「落实」写明它所贯彻的上级文件（可先用「文件」声明），或确认它是独立的政策", "say which document it carries out with 落实 (declare it with 文件 if need be), or confirm it stands alone"))
