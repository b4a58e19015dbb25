"""The unit registry: jurisdictions, roles and units from `*.units` files, and name lookup.

Built once from the AST before policies are resolved. A name is looked up in a jurisdiction, then in its
ancestors (nearest first), then in its descendants: 璧山区's 区民政局 shadows nothing in 重庆市, and a 璧山区 policy
can name 市委办公厅. Names are compared after NFKC folding, so （） and () or full- and half-width digits match.
"""

from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass, field
from typing import Any

from .. import model
from ..diagnostics import Related, Sink
from ..syntax import ast
from ..syntax.source import Span
from . import standard_units
from .folding import fold as fold  # re-exported: the registry's name key

LEVELS = ("国家级", "省级", "市级", "县级", "乡级", "村级")
UNIT_KINDS = {kind: model.UnitKind(kind.value) for kind in ast.UnitDeclKind}
KINDS = ("国家", "省", "自治区", "直辖市", "市", "地区", "自治州", "县", "区", "自治县", "乡", "民族乡", "镇", "街道", "村", "社区")


@dataclass
class _JurisdictionDraft:
    name: str
    decls: list[ast.JurisdictionDecl] = field(default_factory=list)
    kind: tuple[str, ast.Name] | None = None
    level: tuple[str, ast.Name] | None = None
    parent: tuple[str, ast.Name | ast.JurisdictionDecl] | None = None
    aliases: list[str] = field(default_factory=list)
    absent: list[ast.Name] = field(default_factory=list)  # 不设 …: standard units the jurisdiction does not have


@dataclass
class Registry:
    roles: dict[str, model.Role]
    jurisdictions: dict[str, model.Jurisdiction]
    units: dict[str, model.Unit]
    # per jurisdiction: folded name or alias → unit id
    names: dict[str, dict[str, str]]
    jurisdiction_alias: dict[str, str]
    # jurisdictions placed in the division data (declared or added from it): standard_units.Placed
    placed: dict[str, standard_units.Placed] = field(default_factory=dict, repr=False)
    # per jurisdiction: folded name → the 不设 entry naming a standard unit it does not have (a local exception)
    absent: dict[str, dict[str, ast.Name]] = field(default_factory=dict, repr=False)
    _tiers: dict[str | None, list[list[str]]] = field(default_factory=dict, repr=False)
    _kids: dict[str, list[str]] | None = field(default=None, repr=False)  # children(), built once

    # ── lookup ──
    def canonical_jurisdiction(self, name: str) -> str | None:
        return self.jurisdiction_alias.get(fold(name))

    def ancestors(self, jurisdiction: str) -> list[str]:
        chain, seen = [], set()
        current = self.jurisdictions.get(jurisdiction)
        while current and current.parent and current.parent not in seen:
            seen.add(current.parent)
            chain.append(current.parent)
            current = self.jurisdictions.get(current.parent)
        return chain

    def children(self) -> dict[str, list[str]]:
        """Built once: rebuilding it for each jurisdiction's lookup tiers made resolving quadratic (10,000
        subdistricts: 80 s of a 110 s compile)."""
        if self._kids is None:
            kids: dict[str, list[str]] = {}
            for j in sorted(self.jurisdictions):
                parent = self.jurisdictions[j].parent
                if parent is not None:
                    kids.setdefault(parent, []).append(j)
            self._kids = kids
        return self._kids

    def descendants(self, jurisdiction: str) -> list[str]:
        kids, out, stack = self.children(), set(), [jurisdiction]
        while stack:
            for child in kids.get(stack.pop(), []):
                if child not in out:
                    out.add(child)
                    stack.append(child)
        return sorted(out)

    def scope(self, jurisdiction: str | None) -> list[list[str]]:
        """Lookup tiers: the jurisdiction, each ancestor, then all descendants together (computed once each)."""
        if jurisdiction not in self._tiers:
            if jurisdiction is None or jurisdiction not in self.jurisdictions:
                tiers = [sorted(self.jurisdictions)]
            else:
                tiers = [[jurisdiction]] + [[a] for a in self.ancestors(jurisdiction)]
                below = self.descendants(jurisdiction)
                if below:
                    tiers.append(below)
            self._tiers[jurisdiction] = tiers
        return self._tiers[jurisdiction]

    def lookup(self, name: str, jurisdiction: str | None) -> list[str]:
        """Unit ids a name can mean, from the nearest tier that has any."""
        key = fold(name)
        for tier in self.scope(jurisdiction):
            found = sorted({self.names[j][key] for j in tier if key in self.names.get(j, {})})
            if found:
                return found
        return []

    def suggestions(self, name: str, jurisdiction: str | None, n: int = 3) -> list[str]:
        pool: dict[str, str] = {}
        for tier in self.scope(jurisdiction):
            for j in tier:
                for key, uid in self.names.get(j, {}).items():
                    pool.setdefault(key, self.units[uid].name)
        keys = difflib.get_close_matches(fold(name), list(pool), n=n, cutoff=0.55)
        return list(dict.fromkeys(pool[k] for k in keys))


def build_registry(sources: list[ast.SourceUnit], sink: Sink, standard_units_on: bool = True) -> Registry:
    """The jurisdictions, units and roles the sources declare; with `standard_units_on` (the project's
    `[tool.luoshi] standard_units`, on by default) also the divisions around the declared ones and their standard
    units (standard_units.py)."""
    roles = _build_roles(sources, sink)
    drafts: dict[str, _JurisdictionDraft] = {}
    unit_decls: list[tuple[str, ast.UnitDecl]] = []
    for src in sources:
        for decl in src.jurisdictions:
            _collect_jurisdiction(decl, None, drafts, unit_decls, sink)
    added, placed = _place(drafts) if standard_units_on else ({}, {})
    jurisdictions = _finish_jurisdictions(drafts, sink, added, placed)
    alias_index = {fold(j.id): j.id for j in jurisdictions.values()}
    for j in jurisdictions.values():
        for a in j.aliases:
            alias_index.setdefault(fold(a), j.id)
    for old, jid in standard_units.former_names(placed).items():
        alias_index.setdefault(fold(old), jid)
    reg = Registry(roles, jurisdictions, {}, {j: {} for j in jurisdictions}, alias_index, placed)
    reg.absent = {name: {fold(n.text): n for n in d.absent} for name, d in drafts.items() if d.absent}
    _link_units(reg, _declare_units(reg, unit_decls, sink), sink)
    _check_absent(reg, sink)
    # one string per value, shared with the policies' (resolve.py interns theirs): the declared units were built
    # interned, with interned ids in their members and 上级单位; the rest were validated
    if placed:
        standard_units.add_units(reg, placed, sink)
    for node in (*reg.jurisdictions.values(), *reg.roles.values(), *(reg.units.values() if placed else ())):
        model.intern_texts(node)
    return reg


def _check_absent(reg: Registry, sink: Sink) -> None:
    """不设 X beside a declared X contradicts itself (LS216): the declared unit is kept."""
    for jid, names in sorted(reg.absent.items()):
        for key, name in sorted(names.items()):
            uid = reg.names.get(jid, {}).get(key)
            if uid is not None:
                sink.emit("LS216", name.span, f"辖区「{jid}」声明了单位「{reg.units[uid].name}」，又写「不设 {name.text}」",
                          f"jurisdiction '{jid}' declares the unit '{reg.units[uid].name}' and also '不设 {name.text}'",
                          hint=("删去「不设」中的这个名称，或删去单位声明", "drop the name from 不设, or the unit's declaration"))


def _place(drafts: dict[str, _JurisdictionDraft]) -> tuple[dict[str, model.Jurisdiction], dict[str, standard_units.Placed]]:
    """The declared jurisdictions found in the division data, and the jurisdictions around them to add
    (standard_units.py); nothing when no declared name is a division (a test corpus of invented places)."""
    declared = {name: (d.parent[0] if d.parent else None, tuple(d.aliases)) for name, d in drafts.items()}
    matched = standard_units.match_declared(declared)
    if not matched:
        return {}, {}
    spans = {name: drafts[name].decls[0].span for name in matched}
    return standard_units.neighbourhood(matched, spans)


def _build_roles(sources: list[ast.SourceUnit], sink: Sink) -> dict[str, model.Role]:
    roles: dict[str, model.Role] = {}
    for src in sources:
        for r in src.roles:
            if r.name.text in roles:
                first = roles[r.name.text]
                sink.emit("LS208", r.name.span, f"角色「{r.name.text}」重复声明", f"role '{r.name.text}' declared twice",
                          related=[Related(first.span, "首次声明处", "first declared here")],
                          hint=("删去其中一处", "remove one of them"))
                continue
            roles[r.name.text] = model.Role(id=r.name.text, description=r.description,
                                            aliases=tuple(a.text for a in r.aliases), span=r.span)
    return roles


def _collect_jurisdiction(decl: ast.JurisdictionDecl, enclosing: str | None, drafts: dict[str, _JurisdictionDraft],
                          unit_decls: list[tuple[str, ast.UnitDecl]], sink: Sink) -> None:
    draft = drafts.get(decl.name.text)
    if draft is None:
        draft = drafts[decl.name.text] = _JurisdictionDraft(decl.name.text)
    draft.decls.append(decl)
    # the entries read in one pass (the declaration's properties walk them once per question: seven times)
    last: dict[type, Any] = {}
    absent: list[ast.Name] = []
    units: list[ast.UnitDecl] = []
    children: list[ast.JurisdictionDecl] = []
    for e in decl.entries:
        kind = type(e)
        if kind is ast.UnitDecl:
            units.append(e)  # type: ignore[arg-type]  # a UnitDecl
        elif kind is ast.JurisdictionDecl:
            children.append(e)  # type: ignore[arg-type]  # a JurisdictionDecl
        elif kind is ast.Absent:
            absent += e.names  # type: ignore[union-attr]  # an Absent
        else:
            last[kind] = e  # the last of each kind wins, as `decl.kind`, `.level`, `.parent`, `.aliases`
    named = {"kind": last[ast.JurisdictionKind].name if ast.JurisdictionKind in last else None,
             "level": last[ast.Level].name if ast.Level in last else None}
    written_parent: ast.Name | None = last[ast.Parent].name if ast.Parent in last else None
    for attr in ("kind", "level"):
        value = named[attr]
        if value is None:
            continue
        current = getattr(draft, attr)
        if current and current[0] != value.text:
            sink.emit("LS216", value.span,
                      f"辖区「{decl.name.text}」的{'类型' if attr == 'kind' else '层级'}已声明为「{current[0]}」",
                      f"jurisdiction '{decl.name.text}' already has {attr} '{current[0]}'",
                      related=[Related(current[1].span, "此前的声明", "declared here")],
                      hint=("只在一处声明辖区的类型、层级和上级", "state kind, level and parent in one block only"))
        elif not current:
            setattr(draft, attr, (value.text, value))
    parents = []
    if enclosing is not None:
        parents.append((enclosing, decl.name))
    if written_parent is not None:
        parents.append((written_parent.text, written_parent))
    for parent_name, where in parents:
        if draft.parent and draft.parent[0] != parent_name:
            sink.emit("LS216", where.span, f"辖区「{decl.name.text}」的上级已是「{draft.parent[0]}」",
                      f"jurisdiction '{decl.name.text}' already has parent '{draft.parent[0]}'",
                      hint=("只在一处声明上级", "state the parent once"))
        elif not draft.parent:
            draft.parent = (parent_name, where)
    if ast.Aliases in last:
        draft.aliases.extend(a.text for a in last[ast.Aliases].names)
    draft.absent.extend(absent)
    name = decl.name.text
    unit_decls += [(name, unit) for unit in units]
    for child in children:
        _collect_jurisdiction(child, name, drafts, unit_decls, sink)


def _finish_jurisdictions(drafts: dict[str, _JurisdictionDraft], sink: Sink, added: dict[str, model.Jurisdiction],
                          placed: dict[str, standard_units.Placed]) -> dict[str, model.Jurisdiction]:
    out: dict[str, model.Jurisdiction] = {}
    by_code = {p.division.code: jid for jid, p in placed.items()}
    for name, d in drafts.items():
        kind = d.kind[0] if d.kind else None
        level = d.level[0] if d.level else None
        if d.kind and kind not in KINDS:
            sink.emit("LS217", d.kind[1].span, f"辖区类型「{kind}」无效", f"unknown jurisdiction kind '{kind}'",
                      hint=("可用：" + "、".join(KINDS), "one of: " + ", ".join(KINDS)))
        if d.level and level not in LEVELS:
            sink.emit("LS217", d.level[1].span, f"层级「{level}」无效", f"unknown level '{level}'",
                      hint=("可用：" + "、".join(LEVELS), "one of: " + ", ".join(LEVELS)))
        parent = d.parent[0] if d.parent else None
        if parent is None and name in placed:  # 上级 not written: the division data's parent, when registered
            parent = by_code.get(placed[name].division.parent or "")
        if parent is not None and d.parent is not None and parent not in drafts and parent not in added:
            where = d.parent[1]
            close = difflib.get_close_matches(parent, list(drafts), n=1)
            sink.emit("LS206", where.span, f"未知辖区「{parent}」", f"unknown jurisdiction '{parent}'",
                      hint=(f"是否指「{close[0]}」？", f"did you mean '{close[0]}'?") if close else
                      ("在 policies/units/ 中声明该辖区", "declare it in policies/units/"))
            parent = None
        out[name] = model.Jurisdiction(id=name, kind=kind, level=level, parent=parent,
                                       aliases=tuple(dict.fromkeys(d.aliases)), span=d.decls[0].span)
    for jid, j in added.items():
        out.setdefault(jid, j)
    # parent cycles
    for name in out:
        seen, current = {name}, out[name].parent
        while current:
            if current in seen:
                sink.emit("LS216", out[name].span, f"辖区「{name}」的上级形成循环", f"jurisdiction '{name}' is its own ancestor",
                          hint=("检查各辖区的「上级」", "check the parents"))
                out[name] = out[name].model_copy(update={"parent": None})
                break
            seen.add(current)
            current = out[current].parent if current in out else None
    return out


_UNIT = model.Unit.maker("id", "name", "jurisdiction", "kind", "role", "aliases", "note", "span")


def _declare_units(reg: Registry, unit_decls: list[tuple[str, ast.UnitDecl]], sink: Sink) -> list[tuple[str, ast.UnitDecl]]:
    """The declared units, built trusted (values the parser made, of the fields' types: 130,000 validations at
    10k files); returns the declarations that name members or a 上级单位, the only ones `_link_units` reads."""
    spans: dict[str, ast.UnitDecl] = {}
    linked: list[tuple[str, ast.UnitDecl]] = []
    units, all_names, roles = reg.units, reg.names, reg.roles
    for jname, decl in unit_decls:
        uid = sys.intern(f"{jname}/{decl.name.text}")  # the one string of this id: names, members and refs hold it
        names = all_names[jname]
        if uid in units:
            sink.emit("LS208", decl.name.span, f"单位「{decl.name.text}」在「{jname}」中重复声明",
                      f"unit '{decl.name.text}' declared twice in '{jname}'",
                      related=[Related(spans[uid].span, "首次声明处", "first declared here")],
                      hint=("删去其中一处", "remove one of them"))
            continue
        role_ref, aliases, note, links = _options(decl)
        role = None
        if role_ref is not None:
            role = role_ref.text
            if role not in roles:
                close = difflib.get_close_matches(role, list(roles), n=1)
                sink.emit("LS207", role_ref.span, f"未知角色「{role}」", f"unknown role '{role}'",
                          hint=(f"是否指「{close[0]}」？", f"did you mean '{close[0]}'?") if close else
                          ("用「角色 名称 \"说明\"」声明它", "declare it with 角色 NAME \"description\""))
                role = None
        spans[uid] = decl
        if links:
            linked.append((jname, decl))
        units[uid] = _UNIT(uid, decl.name.text, jname, UNIT_KINDS[decl.kind], role,
                           tuple(a.text for a in aliases) if aliases else (), note, decl.span)
        for n in (decl.name, *aliases) if aliases else (decl.name,):
            key = fold(n.text)
            if key in names and names[key] != uid:
                other = units[names[key]]
                sink.emit("LS208", n.span, f"名称「{n.text}」在「{jname}」中已指「{other.name}」",
                          f"name '{n.text}' already means '{other.name}' in '{jname}'",
                          related=[Related(other.span, "另一单位", "the other unit")],
                          hint=("改用其他别名", "use another alias"))
                continue
            names[key] = uid
    return linked


def _options(decl: ast.UnitDecl) -> tuple[ast.Name | None, tuple[ast.Name, ...], str | None, bool]:
    """A unit declaration's role, aliases and note (`decl.role`, `.aliases`, `.note`: the last option of each
    kind) in one look at its options: the properties scan them once per question, seven times a unit (1k
    files: 13,000 declared units, a third of the registry's time); and whether it names members or a 上级单位."""
    role: ast.Name | None = None
    aliases: tuple[ast.Name, ...] = ()
    note: str | None = None
    links = False
    for o in decl.options:  # in the order written: a later option of the same keyword wins
        kind = type(o)
        if kind is ast.RoleRef:
            role = o.name  # type: ignore[union-attr]  # a RoleRef
        elif kind is ast.Aliases:
            aliases = o.names  # type: ignore[union-attr]  # an Aliases
        elif kind is ast.Note:
            note = o.text  # type: ignore[union-attr]  # a Note
        else:
            links = links or kind is ast.Members or kind is ast.PartOf
    return role, aliases, note, links


def _links_of(decl: ast.UnitDecl) -> tuple[tuple[ast.UnitName, ...], ast.Name | None]:
    """A unit declaration's members and part_of (as `decl.members`, `decl.part_of`) in one look at its options."""
    members: tuple[ast.UnitName, ...] = ()
    part_of: ast.Name | None = None
    for o in decl.options:
        if isinstance(o, ast.Members):
            members = o.units
        elif isinstance(o, ast.PartOf):
            part_of = o.name
    return members, part_of


def _link_units(reg: Registry, unit_decls: list[tuple[str, ast.UnitDecl]], sink: Sink) -> None:
    """Second pass: members and part_of refer to units declared anywhere. A ring of members is reported and cut
    (`_cut_member_rings`)."""
    links: dict[str, list[tuple[str, Span]]] = {}  # unit id → its members as linked, each with where it is written
    for jname, decl in unit_decls:
        uid = f"{jname}/{decl.name.text}"
        unit = reg.units.get(uid)
        if unit is None or (unit.span is not decl.span and unit.span != decl.span):
            continue
        update: dict[str, object] = {}
        member_names, part_of = _links_of(decl)
        if member_names:
            members = []
            for m in member_names:
                found = resolve_plain(reg, m.written, m.name.text, jname)
                if found:
                    members.append(found)
                    links.setdefault(uid, []).append((found, m.span or m.name.span))
                else:
                    report_unknown(reg, m.name.text, m.span or m.name.span, jname, sink)
            update["members"] = tuple(members)
        if part_of is not None:
            matches = reg.lookup(part_of.text, jname)
            if matches:
                update["part_of"] = matches[0]
            else:
                report_unknown(reg, part_of.text, part_of.span, jname, sink)
        if update:
            reg.units[uid] = unit.model_copy(update=update)
    _cut_member_rings(reg, links, sink)


def _cut_member_rings(reg: Registry, links: dict[str, list[tuple[str, Span]]], sink: Sink) -> None:
    """A group or collective among its own members, directly or through others (甲组 成员 乙组; 乙组 成员 甲组), is an
    error (LS222) naming the ring, put on the 成员 entry that closes it; that entry is dropped, so nothing that
    follows members (owners, graphs, the site) meets a ring. A depth-first walk with its own stack, in declaration
    order (deterministic, and no recursion limit on a long chain); each ring is reported once."""
    state: dict[str, bool] = {}  # unit id → True while on the walk's path, False once done
    for root in links:
        if root in state:
            continue
        state[root] = True
        path, stack = [root], [(root, iter(list(links[root])))]
        while stack:
            uid, pending = stack[-1]
            step = next(pending, None)
            if step is None:
                stack.pop()
                path.pop()
                state[uid] = False
                continue
            member, span = step
            if state.get(member) is True:
                ring = " → ".join(reg.units[u].name for u in [*path[path.index(member):], member])
                sink.emit("LS222", span, f"成员形成循环：{ring}", f"the members form a ring: {ring}",
                          hint=("群组或集体不能（经由其他群组）包含自身：删去其中一个「成员」",
                                "a group or collective cannot hold itself, directly or through another: drop one of these members"))
                unit = reg.units[uid]
                reg.units[uid] = unit.model_copy(update={"members": tuple(m for m in unit.members if m != member)})
            elif member not in state and member in links:
                state[member] = True
                path.append(member)
                stack.append((member, iter(list(links[member]))))


def resolve_plain(reg: Registry, written: str, name: str, jurisdiction: str | None) -> str | None:
    for candidate in (written, name):
        found = reg.lookup(candidate, jurisdiction)
        if len(found) == 1:
            return found[0]
    return None


def report_unknown(reg: Registry, name: str, span: Span | None, jurisdiction: str | None, sink: Sink) -> None:
    for jid in ([jurisdiction, *reg.ancestors(jurisdiction)] if jurisdiction else []):
        said = reg.absent.get(jid, {}).get(fold(name))
        if said is not None:  # a local exception: the jurisdiction said it has no such unit
            at = f"{said.span.file}:{said.span.line}"
            sink.emit("LS201", span, f"单位「{name}」：{jid}不设此单位（{at}「不设」）",
                      f"unit '{name}': {jid} has no such unit ({at}, 不设)",
                      hint=("改写承担此项工作的单位；如已设立，删去 .units 中的「不设」",
                            "name the unit that does this work; if it now exists, drop it from 不设 in the .units file"))
            return
    close = reg.suggestions(name, jurisdiction)
    where = f"「{jurisdiction}」及其上级" if jurisdiction else "单位名录"
    where_en = f"'{jurisdiction}' or its ancestors" if jurisdiction else "the registry"
    if close:
        hint = ("是否指" + "、".join(f"「{c}」" for c in close) + "？", "did you mean " + ", ".join(f"'{c}'" for c in close) + "?")
    elif jurisdiction:
        hint = (f"在 policies/units/ 的辖区「{jurisdiction}」中用「单位 {name} 角色 …」声明它",
                f"declare it in policies/units/ under jurisdiction '{jurisdiction}' with 单位 {name} 角色 …")
    else:  # the policy's own 辖区 is unknown too (LS206): the unit goes under the jurisdiction declared for it
        hint = (f"在 policies/units/ 中声明本政策的辖区，并在其中用「单位 {name} 角色 …」声明它",
                f"declare the policy's jurisdiction in policies/units/, and 单位 {name} 角色 … in it")
    sink.emit("LS201", span, f"未知单位「{name}」：{where}中没有此单位", f"unknown unit '{name}': not in {where_en}", hint=hint)
