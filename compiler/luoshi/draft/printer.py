"""A Draft → DSL source, in the layout of the encoded seeds (policies/yyfbf-2019-22.policy): header statements,
then 部分 / 任务 blocks with 原文, units, 落实, 时限, 目标, 备注 and 待定, two spaces per level."""

from __future__ import annotations

from .dsl import long_text, quote
from .plan import Draft, Group, Node, Part
from .schedule import cn_day

KIND_KEYWORD = {"task": "任务", "clause": "条款", "phase": "阶段"}


def print_draft(draft: Draft) -> str:
    out = [
        f"# {draft.title}（初稿）",
        f"# 由 luoshi draft 根据 {draft.parent_label} 生成：单位已按角色换算为{draft.jurisdiction}的对应单位，",
        "# 原文中的上级表述已改为本级表述，请逐条核对。「待定」为须由起草人确定的事项（luoshi check 以 LS230 提示）。",
        "",
        f"政策 {draft.id} {{",
    ]
    pad = "  "
    out.append(f"{pad}标题 {quote(draft.title)}")
    if draft.issuers:
        out.append(f"{pad}发文机关 {'、'.join(draft.issuers)}")
    if draft.date:
        out.append(f"{pad}成文日期 {cn_day(draft.date)}")
    out.append(f"{pad}辖区 {draft.jurisdiction}")
    if draft.addressees:
        out.append(f"{pad}主送 {'、'.join(draft.addressees)}")
    if draft.implements:
        out.append(f"{pad}落实 {'、'.join(draft.implements)}")
    if draft.cites:
        out.append(f"{pad}引用 {'、'.join(draft.cites)}")
    if draft.preamble:
        out.append(f"{pad}原文 {long_text(draft.preamble, pad)}")
    out += [f"{pad}备注 {quote(n)}" for n in draft.notes]
    out += [f"{pad}待定 {quote(t)}" for t in draft.todos]
    for node in draft.body:
        out.append("")
        out += _block(node, pad)
    out.append("}")
    return "\n".join(out) + "\n"


def _block(node: Part | Group | Node, pad: str) -> list[str]:
    if isinstance(node, Part):
        return _part(node, pad)
    if isinstance(node, Group):
        inner = [line for item in node.items for line in _node(item, pad + "  ")]
        return [f"{pad}任务组 {quote(node.title)} {{", *inner, f"{pad}}}"]
    return _node(node, pad)


def _part(part: Part, pad: str) -> list[str]:
    inner = pad + "  "
    lines = [f"{pad}部分 {part.id} {quote(part.title)} {{"]
    if part.text:
        lines.append(f"{inner}原文 {long_text(part.text, inner)}")
    lines += [f"{inner}待定 {quote(t)}" for t in part.todos]
    for child in part.body:
        lines += _block(child, inner)
    lines.append(f"{pad}}}")
    return lines


def _node(node: Node, pad: str) -> list[str]:
    inner = pad + "  "
    title = f" {quote(node.title)}" if node.title else ""
    lines = [f"{pad}{KIND_KEYWORD[node.kind]} {node.id}{title} {{"]
    if node.text:
        lines.append(f"{inner}原文 {long_text(node.text, inner)}")
    lines += [f"{inner}{keyword} {'、'.join(units)}" for keyword, units in node.units]
    if node.implements:
        lines.append(f"{inner}落实 {'、'.join(node.implements)}")
    if node.cites:
        lines.append(f"{inner}引用 {'、'.join(node.cites)}")
    lines += [f"{inner}{statement}" for statement in (*node.deadlines, *node.terms, *node.targets)]
    lines += [f"{inner}备注 {quote(n)}" for n in node.notes]
    lines += [f"{inner}待定 {quote(t)}" for t in node.todos]
    for child in node.children:
        lines += _node(child, inner)
    lines.append(f"{pad}}}")
    return lines
