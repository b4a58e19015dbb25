"""A Draft → DSL source, in the layout of the encoded seeds (policies/yyfbf-2019-22.policy): header statements,
then 部分 / 任务 blocks with 原文, units, 落实, 时限, 目标, 备注 and 待定. The draft is turned into AST nodes here
and written by `unparse`, the one writer of the language, so it reads back as exactly this AST."""

from __future__ import annotations

from ..syntax import ast
from ..syntax.astbuild import read_fragment
from ..syntax.unparse import unparse
from .plan import Draft, Group, Node, Part
from .schedule import cn_day

N = ast.NOWHERE
ITEM_KINDS = {"task": ast.ItemKind.TASK, "clause": ast.ItemKind.CLAUSE, "phase": ast.ItemKind.PHASE}


def print_draft(draft: Draft) -> str:
    header = [
        f"{draft.title}（初稿）",
        f"由 luoshi draft 根据 {draft.parent_label} 生成：单位已按角色换算为{draft.jurisdiction}的对应单位，",
        "原文中的上级表述已改为本级表述，请逐条核对。「待定」为须由起草人确定的事项（luoshi check 以 LS230 提示）。",
    ]
    return unparse([draft_ast(draft)], header=header)


def draft_ast(draft: Draft) -> ast.Policy:
    """The draft as the `政策` it will be filed as."""
    entries: list[ast.PolicyStatement | ast.Section | ast.Item | ast.Group] = [ast.Title(text=draft.title, span=N)]
    if draft.issuers:
        entries.append(ast.Issuer(units=tuple(draft.issuers), span=N))
    if draft.date:
        entries.append(ast.DateStatement(date=read_fragment("date", cn_day(draft.date)), span=N))
    entries.append(ast.JurisdictionRef(name=ast.Name(draft.jurisdiction, N), span=N))
    if draft.addressees:
        entries.append(ast.Addressees(units=tuple(draft.addressees), span=N))
    if draft.copied:
        entries.append(ast.Copied(units=tuple(draft.copied), span=N))
    if draft.implements:
        entries.append(ast.Implements(refs=tuple(ast.Ref(p, None, N) for p in draft.implements), span=N))
    if draft.cites:
        entries.append(ast.Cites(refs=tuple(ast.Ref(p, None, N) for p in draft.cites), span=N))
    if draft.preamble:
        entries.append(ast.Original(text=draft.preamble, span=N))
    entries += [ast.Note(text=n, span=N) for n in draft.notes]
    entries += [ast.Todo(text=t, span=N) for t in draft.todos]
    entries += [_block(node) for node in draft.body]
    return ast.Policy(kind=ast.PolicyKind.POLICY, id=ast.Name(draft.id, N), span=N, entries=tuple(entries))


def _block(node: Part | Group | Node) -> ast.Section | ast.Group | ast.Item:
    if isinstance(node, Part):
        return _part(node)
    if isinstance(node, Group):
        return ast.Group(title=node.title, span=N, entries=tuple(_node(item) for item in node.items))
    return _node(node)


def _part(part: Part) -> ast.Section:
    entries: list[ast.SectionStatement | ast.Section | ast.Item | ast.Group] = (
        [ast.Original(text=part.text, span=N)] if part.text else [])
    entries += [ast.Todo(text=t, span=N) for t in part.todos]
    entries += [_block(child) for child in part.body]
    return ast.Section(id=ast.Name(part.id, N), title=part.title, span=N, entries=tuple(entries))


def _node(node: Node) -> ast.Item:
    entries: list[ast.ItemStatement | ast.Deadline | ast.Term | ast.Target | ast.CaseRule | ast.Item] = (
        [ast.Original(text=node.text, span=N)] if node.text else [])
    entries += node.units
    if node.implements:
        entries.append(ast.Implements(refs=tuple(node.implements), span=N))
    if node.cites:
        entries.append(ast.Cites(refs=tuple(ast.Ref(p, None, N) for p in node.cites), span=N))
    entries += [*node.deadlines, *node.terms, *node.targets]
    entries += [ast.Note(text=n, span=N) for n in node.notes]
    entries += [ast.Todo(text=t, span=N) for t in node.todos]
    entries += [_node(child) for child in node.children]
    return ast.Item(kind=ITEM_KINDS[node.kind], id=ast.Name(node.id, N), title=node.title, span=N, entries=tuple(entries))
