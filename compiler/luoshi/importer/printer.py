"""Draft → AST → DSL text: the importer's draft (draft.py) becomes AST nodes here and is written by `unparse`,
the one writer of the language.

Units come as AST nodes (`Mention.node`, made by `unparse.unit_name`), and so do values: deadlines, targets
and the policy's date are the nodes values.py made, a term holds its `ast.Quantity`. Nothing is read back from
DSL text here; every other text becomes a node field and is quoted by the writer.
"""

from __future__ import annotations

from collections import defaultdict

from ..syntax import ast
from ..syntax.unparse import Line, layout, render
from . import extracted as draft
from .units import JurisdictionProposal, Mention, Proposal

N = ast.NOWHERE
ITEM_KINDS = {"task": ast.ItemKind.TASK, "clause": ast.ItemKind.CLAUSE, "phase": ast.ItemKind.PHASE}
UNIT_KINDS = {"单位": ast.UnitDeclKind.UNIT, "集体": ast.UnitDeclKind.COLLECTIVE, "群组": ast.UnitDeclKind.GROUP}


def _units(mentions: list[Mention]) -> tuple[ast.UnitName, ...]:
    return tuple(m.node for m in mentions)


def _refs(ids: list[str]) -> tuple[ast.Ref, ...]:
    return tuple(_ref(i) for i in ids)


def _ref(written: str) -> ast.Ref:
    """`policy:task` or a bare policy id."""
    if ":" in written:
        policy, _, task = written.partition(":")
        return ast.Ref(policy, task, N)
    return ast.Ref(written, None, N)


def _name(text: str) -> ast.Name:
    return ast.Name(text, N)


def _values(node: draft.Item) -> list[ast.Deadline | ast.Term | ast.Target]:
    out: list[ast.Deadline | ast.Term | ast.Target] = [*node.deadlines]
    out += [ast.Term(t.quantity, t.at_most, t.label, N) for t in node.terms]
    out += node.targets
    return out


def _statements(node: draft.Item) -> list[ast.ItemStatement | ast.Deadline | ast.Term | ast.Target]:
    out: list[ast.ItemStatement | ast.Deadline | ast.Term | ast.Target] = (
        [ast.Original(text=node.text, span=N)] if node.text else [])
    for cls, mentions in ((ast.Lead, node.lead), (ast.Responsible, node.responsible), (ast.Cooperate, node.cooperate)):
        if mentions:  # addressees standing in are marked （据主送） (docs/encoding.md §3)
            out.append(cls(units=_units(mentions), span=N, inferred=cls is ast.Responsible and node.inferred))
    out += _values(node)
    if node.implements:
        out.append(ast.Implements(refs=_refs(node.implements), span=N))
    if node.cites:
        out.append(ast.Cites(refs=_refs(node.cites), span=N))
    out += [ast.Note(text=n, span=N) for n in node.notes]
    out += [ast.Todo(text=n, span=N) for n in node.todos]
    return out


def _item(node: draft.Item) -> ast.Section | ast.Item | ast.Group:
    children = tuple(_item(c) for c in node.children)
    if node.kind == "group":
        return ast.Group(title=node.title or "", span=N, entries=children)  # type: ignore[arg-type]
    entries = (*_statements(node), *children)
    # The importer's tree keeps its kinds apart (a section's own statements are 原文, notes and 待定; an item's
    # children are items), which draft.Item's one shape for every node does not say.
    if node.kind == "section":
        return ast.Section(id=_name(node.id), title=node.title or "", span=N, entries=entries)  # type: ignore[arg-type]
    return ast.Item(kind=ITEM_KINDS[node.kind], id=_name(node.id), title=node.title, span=N,
                    entries=entries)  # type: ignore[arg-type]


def _head(number: str | None, title: str | None, issuers: list[Mention], date: ast.CnDate | None = None,
          jurisdiction: str | None = None, level: str | None = None) -> list[ast.PolicyStatement]:
    """The statements a policy and a declared 文件 share, in the order both print them: 文号, 标题, 发文, 日期, 辖区, 层级."""
    entries: list[ast.PolicyStatement] = []
    if number:
        entries.append(ast.DocNumber(text=number, span=N))
    if title is not None:  # a declared 文件 always has its 标题; a policy passes None for none
        entries.append(ast.Title(text=title, span=N))
    if issuers:
        entries.append(ast.Issuer(units=_units(issuers), span=N))
    if date:
        entries.append(ast.DateStatement(date=date, span=N))
    if jurisdiction:
        entries.append(ast.JurisdictionRef(name=_name(jurisdiction), span=N))
    if level:
        entries.append(ast.Level(name=_name(level), span=N))
    return entries


def _document(d: draft.ExternalDocument) -> ast.Policy:
    entries = _head(d.number, d.title, d.issuers, jurisdiction=d.jurisdiction)
    if d.note:
        entries.append(ast.Note(text=d.note, span=N))
    return ast.Policy(kind=ast.PolicyKind.DOCUMENT, id=_name(d.id), span=N, entries=tuple(entries))


def policy_ast(p: draft.Policy) -> list[ast.Policy]:
    """The declared external documents, then the policy."""
    entries: list[ast.PolicyStatement | ast.Section | ast.Item | ast.Group] = [
        *_head(p.number, p.title or None, p.issuers, p.date, p.jurisdiction, p.level)]
    for cls, mentions in ((ast.Addressees, p.addressees), (ast.Copied, p.cc)):
        if mentions:
            entries.append(cls(units=_units(mentions), span=N))
    if p.implements:
        entries.append(ast.Implements(refs=_refs(p.implements), span=N))
    if p.cites:
        entries.append(ast.Cites(refs=_refs(p.cites), span=N))
    if p.preamble:
        entries.append(ast.Original(text=p.preamble, span=N))
    entries += [ast.Note(text=n, span=N) for n in p.notes]
    entries += [ast.Todo(text=n, span=N) for n in p.todos]
    entries += [_item(node) for node in p.body]
    return [*map(_document, p.documents), ast.Policy(kind=ast.PolicyKind.POLICY, id=_name(p.id), span=N, entries=tuple(entries))]


def _header(lines: list[str]) -> str:
    return "\n".join(f"# {line}" for line in lines) + "\n\n"


def render_policy(policy: draft.Policy, source: str) -> str:
    title = (policy.title or "（无标题）") + (f"（{policy.number}）" if policy.number else "")
    header = [title, f"由 luoshi import 从 {source} 生成的草稿：请逐条对照原文审核，处理完每一条「待定」后删去它。",
              f"Draft made by luoshi import from {source}: review it against the text; settle and remove every 待定."]
    return _header(header) + render(layout(policy_ast(policy)))


def render_units(proposals: list[Proposal], jurisdiction: JurisdictionProposal | None, source: str) -> str:
    """The proposed registry entries, one 辖区 block per jurisdiction (a new jurisdiction with its kind and level)."""
    by_jurisdiction: dict[str, list[ast.UnitDecl]] = defaultdict(list)
    # 余杭 「区发改局」 in one row, 「区发改局（区金融办）」 in another: one agency, declared once — under the merged
    # entry when there is one (its aliases: every written form, and the other name), at the first line it was named
    groups: dict[tuple[str, str], list[Proposal]] = defaultdict(list)
    for q in proposals:
        groups[(q.jurisdiction, q.merged[0] if q.merged else q.name)].append(q)
    for same in groups.values():
        p = next((q for q in same if q.merged), same[0])
        aliases = list(dict.fromkeys(n for q in same if q.merged for n in (q.name, q.merged[1])))
        first_line = min((q.first_line for q in same if q.first_line), default=0)
        note = f"luoshi import 提议，见 {source} 第 {first_line} 行" if first_line else f"luoshi import 提议（{source}）"
        if not p.role:
            note += "；角色未能推断，请补上「角色 …」"
        options: list[ast.UnitOption] = [ast.RoleRef(name=_name(p.role), span=N)] if p.role else []
        if p.merged:  # one agency under two names: its own name, the written form and the other name as aliases
            options.append(ast.Aliases(names=tuple(_name(n) for n in aliases), span=N))
        options.append(ast.Note(text=note, span=N))
        by_jurisdiction[p.jurisdiction].append(ast.UnitDecl(
            kind=UNIT_KINDS[p.kind], name=_name(p.merged[0] if p.merged else p.name), span=N,
            options=tuple(options)))
    names = sorted(by_jurisdiction)
    if jurisdiction and jurisdiction.name not in names:
        names.insert(0, jurisdiction.name)
    decls: list[ast.JurisdictionDecl] = []
    undecided: ast.JurisdictionDecl | None = None
    for name in names:
        entries: list[ast.JurisdictionEntry] = []
        new = jurisdiction if jurisdiction is not None and jurisdiction.name == name else None
        if new and new.kind:
            entries.append(ast.JurisdictionKind(name=_name(new.kind), span=N))
        if new and new.level:
            entries.append(ast.Level(name=_name(new.level), span=N))
        decl = ast.JurisdictionDecl(name=_name(name), span=N, entries=(*entries, *by_jurisdiction.get(name, [])))
        if new and not new.kind:
            undecided = decl
        decls.append(decl)
    lines: list[Line] = []
    for line in layout(decls):
        lines.append(line)
        if undecided is not None and line.node is undecided:  # a comment, not a statement: no AST node holds it
            lines.append(Line(1, "# 待定：类型与层级未能推断"))
    header = [f"单位名录草稿：luoshi import 从 {source} 中未能在名录里找到的单位。",
              "核对每个单位的名称、种类（单位 / 集体 / 群组）和角色，再移入 policies/units/ 的名录文件。",
              f"Proposed registry entries for the units of {source} the registry lacks: check each, then move them into policies/units/."]
    return _header(header) + render(lines)
