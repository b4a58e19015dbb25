"""Corpus hygiene (LS330–LS333): registry entries no policy uses, names that silently mean different units
depending on where they are written, policies cut off from every chain, and collectives owing duties that list no
members."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..model import Corpus
from ..semantics.registry import fold
from ..semantics.standard_units import NOTE as STANDARD_NOTE
from .index import index
from .rule import finding, related, rule
from .summary import CorpusSummary
from .walk import hits


def used_units(summary: CorpusSummary) -> set[str]:
    """Units a policy names, with the members of named groups and the units named sub-units belong to."""
    used = {u for p in summary.policies for u in p.mentions}
    pending = list(used)
    while pending:
        unit = summary.units.get(pending.pop())
        if unit is None:
            continue
        for more in (*unit.members, *([unit.part_of] if unit.part_of else [])):
            if more not in used:
                used.add(more)
                pending.append(more)
    return used


@rule("LS330", reads=("mentions", "registry"))
def unused_unit(summary: CorpusSummary) -> Iterator[Diagnostic]:
    used = used_units(summary)
    for uid in sorted(u for u in summary.units if u not in used):  # in id order, as `summary.unit_ids`
        unit = summary.units[uid]
        # a standard unit (standard_units.py) is derived, not declared: unused ones are the normal case
        if unit.note != STANDARD_NOTE:
            yield finding("LS330", unit.span,
                          (f"单位「{unit.name}」（{unit.jurisdiction}）已声明，但没有政策用到它", f"unit '{unit.name}' ({unit.jurisdiction}) is declared but no policy names it"),
                          ("不再需要的请删去；为将来的政策保留的，可忽略此提示", "remove it if it is not needed; ignore this if it is kept for policies to come"))


@rule("LS331", reads="registry")
def colliding_name(corpus: Corpus) -> Iterator[Diagnostic]:
    """The same name declared in a jurisdiction and in one of its ancestors: a policy of the lower one silently
    gets its own unit. Harmless between counterparts (both 有关单位), a trap otherwise."""
    ix = index(corpus)
    names: dict[str, list[tuple[str, str]]] = {}
    for unit in corpus.units:
        for written in (unit.name, *unit.aliases):
            names.setdefault(fold(written), []).append((unit.id, written))
    for _key, found in sorted(kv for kv in names.items() if len(kv[1]) > 1):  # a name written once collides with none
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


@rule("LS332", reads=("links", "places"))
def isolated_policy(summary: CorpusSummary) -> Iterator[Diagnostic]:
    linked = {k for p in summary.policies for k in p.task_links}
    linked |= {parent for p in summary.policies for parent in p.implements}
    for p in summary.encoded():
        implements = p.implements or p.task_links
        if not implements and p.id not in linked:
            yield finding("LS332", p.span,
                          (f"{p.id} 既不落实其他文件，也没有被任何政策落实", f"{p.id} implements nothing and nothing implements it"),
                          ("请用「落实」写明它所贯彻的上级文件（可先用「文件」声明），或确认它是独立的政策", "say which document it carries out with 落实 (declare it with 文件 if need be), or confirm it stands alone"))


@rule("LS333")
def collective_without_members(corpus: Corpus) -> Iterator[Diagnostic]:
    """A collective (各乡镇（街道）, 县政府各部门) that leads or is responsible for a task while the registry lists
    none of its members: its duty is each member's, so `luoshi comply` can check no member for it and no member's
    report counts (only a report in the collective's own name). Members from any source count (declared in a .units file or derived from the registry of
    divisions). Reported once per policy and collective, where the policy first assigns it (found by walk.py)."""
    for t, r, unit in hits(corpus).memberless:
        yield finding("LS333", r.span,
                      (f"集体「{unit.name}」承担 {t.key} 等任务，但单位登记中没有列出它的成员：核查无法按成员逐一进行，成员单位的报告也不计入",
                       (f"the collective '{unit.name}' owes {t.key} (and maybe more) but the registry lists none of its "
                        "members: compliance cannot be checked member by member, and no member's report counts")),
                      (f"在 {unit.span.file} 中为它加上「成员」", f"list its members (成员) in {unit.span.file}"),
                      related(unit.span, "集体的声明", "the collective's declaration"))
