"""The registry's derived layer: jurisdictions from the division data and standard units from the template.

A project declares the jurisdictions it works in (重庆市, 云阳县 …) and the units its texts name. This module adds
what a user would otherwise type by hand: the declared jurisdictions' ancestors and everything below them (from
`divisions.py`), each with the standard departments of its level (data/standard_units.toml), and the members of the
collectives 各乡镇（街道）, 各区县政府 and 县政府各部门, so a duty given to a collective reaches every member.
Declared units always win: where a jurisdiction already has a unit of a role, the template only lends that unit its
common short names (县卫健委 for 县卫生健康委) when they are free; a declared collective takes the members of the
template collective whose name or alias it carries.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Protocol

from .. import model
from ..diagnostics import Sink
from ..syntax.source import Span
from .divisions import Division, Divisions, load

if TYPE_CHECKING:  # registry.py imports this module
    from .registry import Registry


class _Add(Protocol):
    """`derive`'s `add`: a standard unit made in a jurisdiction (its id, or None when the name or role is taken)."""

    def __call__(self, jid: str, p: Placed, name: str, kind: model.UnitKind, role: str, aliases: list[str],
                 members: tuple[str, ...] = ()) -> str | None: ...

# what a jurisdiction calls itself in unit names: 市民政局, 县民政局, 区民政局, 省民政厅
PREFIX_OF_KIND = {"直辖市": "市", "市": "市", "省": "省", "自治区": "自治区", "县": "县", "自治县": "县", "区": "区",
                  "地区": "地区", "自治州": "州"}
NOTE = "luoshi 标准单位（data/standard_units.toml）"


@lru_cache(maxsize=1)
def template() -> dict[str, Any]:
    return tomllib.loads((resources.files("luoshi") / "data" / "standard_units.toml").read_text(encoding="utf-8"))


@dataclass
class Placed:
    """A registry jurisdiction's place in the division data: the division, the span its units are shown at (the
    declaration that brought it in) and the province (直辖市) it lies in, for the template's local names."""

    division: Division
    span: Span
    province: str


def match_declared(declared: dict[str, tuple[str | None, tuple[str, ...]]]) -> dict[str, Division]:
    """The division each declared jurisdiction is (name → division), by its name or aliases, narrowed by its
    declared parent where a name is ambiguous (朝阳区); names that match nothing (中国) or stay ambiguous are left out."""
    data = load()
    found: dict[str, Division] = {}
    pending = sorted(declared)
    for _ in range(len(pending) + 1):  # parents first: a child is narrowed by its parent's division
        progress = False
        for name in list(pending):
            parent, aliases = declared[name]
            if parent is not None and parent in declared and parent not in found and parent in pending:
                continue
            pending.remove(name)
            progress = True
            options = _within(data, {d.code: d for n in (name, *aliases) for d in data.find(n)}, parent, found)
            if len(options) == 1:
                found[name] = next(iter(options.values()))
        if not progress:
            for name in pending:  # parent cycles: decide without the parent
                options = {d.code: d for d in data.find(name)}
                if len(options) == 1:
                    found[name] = next(iter(options.values()))
            break
    return found


def _within(data: Divisions, options: dict[str, Division], parent: str | None,
            found: dict[str, Division]) -> dict[str, Division]:
    """The divisions of `options` under the declared parent: its own division when the project declares it, else
    what its name means (a new project declares only 西湖区 with 上级 杭州市, and 西湖区 is also 南昌市's). A parent
    name that narrows nothing leaves an ambiguous name ambiguous, never matched to a guess."""
    if parent in found:
        anchors = {found[parent].code}
    elif parent is not None and len(options) > 1:
        anchors = {d.code for d in data.find(parent)}
    else:
        return options
    return {c: d for c, d in options.items() if any(a.code in anchors for a in data.ancestors(c))}


def depth_below(d: Division) -> int:
    """How far down a declared jurisdiction brings its divisions: one level (a province its prefectures, a
    prefecture or 直辖市 its counties, a county its townships). A project declaring 重庆市 and 云阳县 gets the 38
    区县 with their departments and 云阳县's 42 townships, not the 1,031 of the whole city: each level is there
    for the jurisdictions the project works with, and a declared county brings its own townships."""
    return {2: 1, 4: 1, 6: 1}.get(len(d.code), 0)


def neighbourhood(matched: dict[str, Division], spans: dict[str, Span]) -> tuple[dict[str, model.Jurisdiction], dict[str, Placed]]:
    """The jurisdictions to add (id → jurisdiction) and every jurisdiction's place (declared and added)."""
    data = load()
    id_of: dict[str, str] = {d.code: name for name, d in matched.items()}
    taken = set(matched)
    added: dict[str, model.Jurisdiction] = {}
    placed: dict[str, Placed] = {}

    def province(d: Division) -> str:
        chain = [d, *data.ancestors(d.code)]
        return chain[-1].name

    for name in sorted(matched, key=lambda n: (len(matched[n].code), matched[n].code)):
        d = matched[name]
        placed[name] = Placed(d, spans[name], province(d))
    order = sorted(matched, key=lambda n: (len(matched[n].code), matched[n].code))
    arounds = {name: list(reversed(data.ancestors(matched[name].code))) + data.below(matched[name].code, depth_below(matched[name]))
               for name in order}
    # a name two added divisions share (人和街道 in 渝北区 and in 云阳县) is qualified by the parent in both
    counts: dict[str, set[str]] = {}
    for around in arounds.values():
        for other in around:
            if other.code not in id_of:
                counts.setdefault(other.name, set()).add(other.code)
    for name in order:
        span = spans[name]
        for other in arounds[name]:
            if other.code in id_of:
                continue
            parent_id = id_of.get(other.parent) if other.parent else None
            jid = other.name
            aliases: list[str] = []
            if jid in taken or len(counts[other.name]) > 1:
                jid = f"{parent_id or ''}{other.name}"
                aliases.append(other.name)
            if jid in taken:
                jid = f"{jid}（{other.code}）"
            taken.add(jid)
            id_of[other.code] = jid
            if parent_id and len(other.code) == 6:
                aliases.append(f"{parent_id}{other.name}")
            if other.short != other.name and len(other.code) <= 6:
                aliases.append(other.short)
            aliases += data.former_of.get(other.code, [])
            added[jid] = model.Jurisdiction(id=jid, kind=other.kind, level=other.level, parent=parent_id,
                                            aliases=tuple(dict.fromkeys(a for a in aliases if a != jid)), span=span)
            placed[jid] = Placed(other, span, province(other))
    return added, placed


def former_names(placed: dict[str, Placed]) -> dict[str, str]:
    """Former name → the registry jurisdiction that took it over (开县 → 开州区)."""
    if not placed:  # no jurisdiction placed (a project without standard units): no need of the division data
        return {}
    data = load()
    return {old: jid for jid, p in sorted(placed.items()) for old in data.former_of.get(p.division.code, ())}


def fill(text: str, jid: str, p: Placed) -> str:
    kind = p.division.kind or ""
    prefix = PREFIX_OF_KIND.get(kind, kind[-1:] if kind else "")
    return text.format(p=prefix, j=p.division.name if jid == p.division.name else jid, s=p.division.short)


def fill_aliases(texts: Iterable[str], jid: str, p: Placed) -> list[str]:
    """The aliases filled in; one with the jurisdiction's name ({j}) also with its parent's in front, as a
    text's issuer writes it: 天河区教育局 and 广州市天河区教育局, 青浦区人民政府办公室 and 上海市青浦区人民政府办公室."""
    out = [fill(t, jid, p) for t in texts]
    ancestors = load().ancestors(p.division.code)
    if ancestors:
        path = ancestors[0].name + p.division.name
        out += [t.format(p="", j=path, s=p.division.short) for t in texts if "{j}" in t and "{p}" not in t]
    return out


def printed_name(entry: dict[str, Any], jid: str, p: Placed) -> str:
    name = entry["name"]
    if p.division.level == "省级" and "province" in entry:
        name = entry["province"]
    name = entry.get("local", {}).get(p.province, name)
    return fill(name, jid, p)


def applies(entry: dict[str, Any], p: Placed) -> bool:
    return p.division.level in entry.get("levels", ("省级", "市级", "县级"))


@lru_cache(maxsize=1)
def department_roles() -> frozenset[str]:
    """The roles the template marks `department = true`: the members of a 政府各部门 collective (here and in the
    site's schedule for a memberless one)."""
    return frozenset(e["role"] for e in template()["unit"] if e.get("department"))


def divisions_data() -> Divisions:
    return load()


def add_units(reg: Registry, placed: dict[str, Placed], sink: Sink | None = None) -> None:
    """Add the template's units to every placed jurisdiction (declared ones keep theirs), then the collectives
    and their derived members. `reg` is the registry being built (registry.Registry). A standard unit the
    jurisdiction says it does not have (不设 县城管局, by its printed name or any of its short names) is neither
    added nor lent; a 不设 name that is no standard unit there is reported (LS217) so a typo does not pass."""
    from .registry import fold

    spec = template()
    for role, description in sorted(spec.get("roles", {}).items()):
        if role not in reg.roles:
            any_span = next(iter(placed.values())).span
            reg.roles[role] = model.Role(id=role, description=description, span=any_span)
    by_jurisdiction: dict[str, list[str]] = {}
    for uid, u in reg.units.items():
        by_jurisdiction.setdefault(u.jurisdiction, []).append(uid)

    def own(jid: str) -> list[model.Unit]:
        return [reg.units[u] for u in sorted(by_jurisdiction.get(jid, ()))]

    def lend(unit: model.Unit, names: list[str]) -> None:
        table = reg.names.setdefault(unit.jurisdiction, {})
        free = [n for n in dict.fromkeys(names) if fold(n) not in table and n != unit.name]
        if not free:
            return
        for n in free:
            table[fold(n)] = unit.id
        reg.units[unit.id] = unit.model_copy(update={"aliases": unit.aliases + tuple(free)})

    def add(jid: str, p: Placed, name: str, kind: model.UnitKind, role: str, aliases: list[str],
            members: tuple[str, ...] = ()) -> str | None:
        table = reg.names.setdefault(jid, {})
        uid = f"{jid}/{name}"
        if fold(name) in table or uid in reg.units or role not in reg.roles:
            return None
        free = tuple(a for a in dict.fromkeys(aliases) if fold(a) not in table and a != name)
        reg.units[uid] = model.Unit(id=uid, name=name, jurisdiction=jid, kind=kind, role=role, aliases=free,
                                    members=members, note=NOTE, span=p.span)
        for n in (name, *free):
            table[fold(n)] = uid
        by_jurisdiction.setdefault(jid, []).append(uid)
        return uid

    used_absent: dict[str, set[str]] = {}
    for jid in sorted(placed):
        p = placed[jid]
        if jid not in reg.jurisdictions:
            continue
        if p.division.level == "乡级":
            _township(jid, p, spec["township"], own(jid), lend, add)
            continue
        absent = reg.absent.get(jid, {})
        for entry in spec["unit"]:
            if not applies(entry, p):
                continue
            name = printed_name(entry, jid, p)
            aliases = fill_aliases(entry.get("aliases", ()), jid, p) + [fill(entry["name"], jid, p)]
            named_absent = {fold(n) for n in (name, *aliases)} & absent.keys()
            if named_absent:
                used_absent.setdefault(jid, set()).update(named_absent)
                continue
            same_role = [u for u in own(jid) if u.role == entry["role"] and u.kind is not model.UnitKind.COLLECTIVE]
            if same_role:
                if len(same_role) == 1:
                    lend(same_role[0], [name, *aliases])
                continue
            add(jid, p, name, model.UnitKind.UNIT, entry["role"], aliases)
    for jid, names in sorted(reg.absent.items()):
        for key, written in sorted(names.items()):
            if sink is not None and jid in placed and key not in used_absent.get(jid, set()) \
                    and key not in reg.names.get(jid, {}):
                sink.emit("LS217", written.span, f"「不设 {written.text}」：{jid}的标准单位中没有「{written.text}」",
                          f"'不设 {written.text}': no standard unit of {jid} is called '{written.text}'",
                          hint=("写标准单位的名称或简称（luoshi units 可查）", "write a standard unit's name or short name (see luoshi units)"))
    departments = department_roles()
    children = reg.children()
    for jid in sorted(placed):
        p = placed[jid]
        if jid not in reg.jurisdictions:
            continue
        for entry in spec["collective"]:
            if not applies(entry, p):
                continue
            name = fill(entry["name"], jid, p)
            aliases = fill_aliases(entry.get("aliases", ()), jid, p)
            keys = {fold(n) for n in (name, *aliases)}
            members = _members(entry.get("members"), jid, own, children, reg, departments)
            declared = [u for u in own(jid) if u.kind is model.UnitKind.COLLECTIVE and u.note != NOTE
                        and ({fold(u.name), *map(fold, u.aliases)} & keys)]
            if declared:
                unit = declared[0]
                lend(unit, [name, *aliases])
                unit = reg.units[unit.id]
                extra = tuple(m for m in members if m not in unit.members)
                if extra:
                    reg.units[unit.id] = unit.model_copy(update={"members": unit.members + extra})
                continue
            if any(u.kind is model.UnitKind.COLLECTIVE and u.role == entry["role"] for u in own(jid)):
                continue  # a declared collective of this role, named otherwise: no second one beside it
            add(jid, p, name, model.UnitKind.COLLECTIVE, entry["role"], aliases, members)


def _township(jid: str, p: Placed, spec: dict[str, Any], units: list[model.Unit],
              lend: Callable[[model.Unit, list[str]], None], add: _Add) -> None:
    street = p.division.kind == "街道"
    name = (spec["subdistrict"] if street else spec["town"]).format(j=p.division.name)
    aliases = [a.format(j=p.division.name) for a in spec["subdistrict_aliases" if street else "town_aliases"]]
    if jid != p.division.name:
        aliases.append(f"{jid}{name[len(p.division.name):]}")
    government = [u for u in units if u.role == "政府" and u.kind is model.UnitKind.UNIT]
    if government:
        lend(government[0], [name, *aliases])
    else:
        add(jid, p, name, model.UnitKind.UNIT, "政府", aliases)


def _members(which: str | None, jid: str, own: Callable[[str], list[model.Unit]], children: dict[str, list[str]],
             reg: Registry, departments: frozenset[str]) -> tuple[str, ...]:
    """A template collective's members: the governments of the jurisdictions below of one level, or the
    jurisdiction's own departments."""
    if which == "departments":
        return tuple(u.id for u in own(jid) if u.kind is model.UnitKind.UNIT and u.part_of is None and u.role in departments)
    level = {"townships": "乡级", "counties": "县级", "prefectures": "市级"}.get(which or "")
    if level is None:
        return ()
    out: list[str] = []
    for child in children.get(jid, ()):
        if reg.jurisdictions[child].level != level:
            continue
        government = [u for u in own(child) if u.role == "政府" and u.kind is model.UnitKind.UNIT]
        if government:
            out.append(government[0].id)
    return tuple(out)
