"""AST → DSL text: the one writer of the language. `luoshi import`, `luoshi draft` and `luoshi fmt` all print
through `unparse`, so what they write is what the grammar reads back: `parse(unparse(x)) == x` up to spans.

The layout is the one the encoded files in policies/ are written in: two spaces per level, one statement per
line, `原文` as `\"\"\"…\"\"\"`, a blank line between declarations and before each part of a policy's body. A
name is written bare when the grammar's own NAME terminal reads it back whole and it is no keyword, quoted
otherwise (both taken from the grammar, not copied). The writer produces `Line`s that remember the source line
of what they print, so the formatter (fmt.py) can put comments and the author's blank lines back beside them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeAlias

from . import ast
from .source import Span

INDENT = "  "

ITEM_KEYWORDS = {ast.ItemKind.TASK: "任务", ast.ItemKind.CLAUSE: "条款", ast.ItemKind.PHASE: "阶段"}
POLICY_KEYWORDS = {ast.PolicyKind.POLICY: "政策", ast.PolicyKind.DOCUMENT: "文件"}
UNIT_KEYWORDS = {ast.UnitDeclKind.UNIT: "单位", ast.UnitDeclKind.GROUP: "群组", ast.UnitDeclKind.COLLECTIVE: "集体"}
TEXT_KEYWORDS: dict[type, str] = {ast.DocNumber: "文号", ast.Title: "标题", ast.Note: "备注", ast.Todo: "待定",
                                  ast.Original: "原文"}
UNITS_KEYWORDS: dict[type, str] = {ast.Issuer: "发文机关", ast.Addressees: "主送", ast.Copied: "抄送",
                                   ast.Lead: "牵头", ast.Responsible: "负责", ast.Cooperate: "配合", ast.Members: "成员"}
NAME_KEYWORDS: dict[type, str] = {ast.JurisdictionRef: "辖区", ast.Level: "层级", ast.JurisdictionKind: "类型",
                                  ast.Parent: "上级", ast.RoleRef: "角色", ast.PartOf: "隶属"}
REF_KEYWORDS: dict[type, str] = {ast.Implements: "落实", ast.Cites: "引用", ast.Waiver: "不予落实"}


# ───────────────────────── tokens ─────────────────────────


@lru_cache(maxsize=1)
def _name_pattern() -> re.Pattern[str]:
    from .parse import parser

    return re.compile(parser().get_terminal("NAME").pattern.to_regexp())


@lru_cache(maxsize=1)
def keywords() -> frozenset[str]:
    """Every literal word of the grammar: written alone, each is read as the keyword, never as a name."""
    from .parse import parser

    return frozenset(t.pattern.value for t in parser().terminals if t.pattern.type == "str")


def bare_ok(name: str) -> bool:
    """Whether `name` written bare reads back as this one name (`//` would start a comment)."""
    return bool(_name_pattern().fullmatch(name)) and name not in keywords() and "//" not in name


def quote(text: str) -> str:
    """A one-line quoted string, escaped."""
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{body}"'


def name_token(name: str, quoted: bool = False) -> str:
    """A name in a NAME-or-STRING slot: bare when the grammar reads it back whole (and it was not quoted)."""
    return name if not quoted and bare_ok(name) else quote(name)


def long_text(text: str, indent: str = "") -> str:
    """A 原文: `\"\"\"…\"\"\"` with one paragraph per line and a blank line between paragraphs (continued at
    `indent`); an escaped one-line string when `\"\"\"…\"\"\"` would not give the text back (it joins lines and
    strips paragraphs, and ends at the first three quotes)."""
    paragraphs = text.split("\n")
    if '"""' in text or text.startswith('"') or text.endswith('"') or any(not p or p != p.strip() for p in paragraphs):
        return quote(text)
    return '"""' + f"\n\n{indent}".join(paragraphs) + '"""'


def date(d: ast.CnDate) -> str:
    if d.plan is not None:
        return d.plan
    if d.iso:
        return f"{d.year:04d}-{d.month:02d}" + (f"-{d.day:02d}" if d.day is not None else "")
    out = f"{d.year}年"
    if d.month is not None:
        out += f"{d.month}月"
        if d.day is not None:
            out += f"{d.day}日"
    return out + (d.edge or "")


def quantity(q: ast.Quantity) -> str:
    return q.value + (q.unit or "")


def unit(u: ast.UnitName) -> str:
    """A unit as written: `区人力社保局（区就业人才中心、区社保中心）`; a quoted unit has no sub-units."""
    head = name_token(u.name.text, u.name.quoted)
    if not u.subunits:
        return head
    return head + "（" + units(u.subunits) + "）"


def unit_name(name: str, subunits: tuple[ast.UnitName, ...] = ()) -> ast.UnitName:
    """A unit for a program to write (luoshi draft, luoshi import): quoted when its name needs it (then without
    sub-units, which only a bare name can carry), `written` as the writer writes it, so it reads back equal."""
    node = ast.UnitName(ast.Name(name, ast.NOWHERE, quoted=not bare_ok(name)), name, (), ast.NOWHERE)
    if subunits and not node.name.quoted:
        node = ast.UnitName(node.name, "", subunits, ast.NOWHERE)
        return ast.UnitName(node.name, unit(node), subunits, ast.NOWHERE)
    return node


def units(us: Iterable[ast.UnitName]) -> str:
    return "、".join(unit(u) for u in us)


def ref(r: ast.Ref) -> str:
    if r.policy is None:
        return r.task or ""
    return r.policy if r.task is None else f"{r.policy}:{r.task}"


def deadline_spec(d: ast.Deadline) -> str:
    """What follows `时限`, without the label: `2019年3月底前` · `2018—2020年` · `从 "受理" 30日 内`."""
    match d:
        case ast.Due(end=end, before=before, to=to):
            return ("到" if to else "") + date(end) + ("前" if before else "")
        case ast.Period(start=start, end=end, sep=sep, before=before):
            first = str(start) if isinstance(start, int) else date(start)
            return first + sep + date(end) + ("前" if before else "")
        case ast.Ongoing(since=since):
            since_text = f"自{date(since)}起" if since is not None else ""
            return " ".join(w for w in ("持续" if d.written_ongoing else "", since_text) if w)
        case ast.Recurring(frequency=frequency, times=times, window=window):
            out = frequency + (f"{d.day}日" + ("前" if d.day_before else "") if d.day is not None else "")
            out += d.times_written or (f"{times}次" if times is not None else "")
            if window is not None:
                out += f" {date(window.start)}{window.sep}{date(window.end)}"
            if d.since is not None:
                out += f" 自{date(d.since)}起"
            return out
        case ast.EventLimit():
            out = f"{d.from_word} {quote(d.from_event)}"
            if d.to_event is not None:
                out += f" {d.to_word} {quote(d.to_event)}"
            out += (" 不超过" if d.at_most else "") + " " + quantity(d.limit)
            return out + (f" {d.within}" if d.within else "")
    raise TypeError(f"not a deadline: {d!r}")


def deadline(d: ast.Deadline) -> str:
    return "时限 " + deadline_spec(d) + (f" {quote(d.label)}" if d.label is not None else "")


def term(t: ast.Term) -> str:
    """`期限 6个月` · `期限 不超过1年` (as the documents write it, with no space)."""
    return "期限 " + ("不超过" if t.at_most else "") + quantity(t.quantity) + (f" {quote(t.label)}" if t.label is not None else "")


def over(o: ast.Over) -> str:
    """`期间 "十四五"` · `累计 2021—2025年`: the printed plan, or the range as written."""
    span = o.plan if o.plan is not None else (str(o.start) if isinstance(o.start, int) else date(o.start)) + o.sep + date(o.end)
    return ("累计 " if o.cumulative else "期间 ") + span


def target_spec(t: ast.Target) -> str:
    parts = [name_token(t.metric.text, t.metric.quoted)]
    match t.rule:
        case ast.Compare(comparator=comparator, quantity=q, within=within, bound=bound):
            parts += [comparator, quantity(q)] + ([bound] if bound else []) + ([within] if within else [])
        case ast.Cleared():
            parts.append("清零")
        case ast.Qualitative(word=word):
            parts.append(word)
    if t.by is not None:
        parts += [{"到": "到" + date(t.by), "前": date(t.by) + "前"}.get(t.by_word or "", "截至 " + date(t.by))]
    if t.over is not None:
        parts += [over(t.over)]
    if t.scope:
        parts += ["范围", units(t.scope)] + (["合计"] if t.shared else [])
    for keyword, value in (("每", t.per), ("条件", t.condition), ("基准", t.baseline)):
        if value is not None:
            parts += [keyword, quote(value)]
    if t.note is not None:
        parts.append(quote(t.note))
    return " ".join(parts)


def target(t: ast.Target) -> str:
    return "目标 " + target_spec(t)


def case_rule(r: ast.CaseRule) -> str:
    """`规则 车辆未注销 条件 "…" 结论 建议取消 "原则上取消其低保"`"""
    return (f"规则 {name_token(r.name.text)} 条件 {quote(r.condition)} 结论 {r.verdict}"
            + (f" {quote(r.label)}" if r.label is not None else ""))


def statement(s: object, indent: str = "") -> str:
    """One statement on one line (a 原文's later paragraphs continue at `indent`)."""
    kind = type(s)
    if isinstance(s, ast.Original):
        return "原文 " + long_text(s.text, indent)
    if kind in TEXT_KEYWORDS:
        return f"{TEXT_KEYWORDS[kind]} {quote(s.text)}"  # type: ignore[attr-defined]
    if kind in UNITS_KEYWORDS:
        inferred = "（据主送）" if isinstance(s, (ast.Lead, ast.Responsible, ast.Cooperate)) and s.inferred else ""
        return f"{UNITS_KEYWORDS[kind]} {units(s.units)}{inferred}"  # type: ignore[attr-defined]
    if kind in NAME_KEYWORDS:  # NAME-only slots but 隶属, which may be quoted
        return f"{NAME_KEYWORDS[kind]} {name_token(s.name.text, s.name.quoted)}"  # type: ignore[attr-defined]
    match s:
        case ast.Pasted(word=word, units=us):
            return f"（{word}：{units(us)}）"
        case ast.LeadRule(rule=rule):
            return f"牵头规则 {rule}"
        case ast.DateStatement(date=d):
            return "成文日期 " + date(d)
        case ast.Waiver(refs=refs, text=text):
            return f"不予落实 {'、'.join(ref(r) for r in refs)} {quote(text)}"
        case ast.Implements(refs=refs) | ast.Cites(refs=refs):
            return f"{REF_KEYWORDS[kind]} {'、'.join(ref(r) for r in refs)}"
        case ast.Aliases(names=names):
            return "别名 " + "、".join(name_token(n.text, n.quoted) for n in names)
        case ast.Absent(names=names):
            return "不设 " + "、".join(name_token(n.text, n.quoted) for n in names)
        case ast.Due() | ast.Period() | ast.Ongoing() | ast.Recurring() | ast.EventLimit():
            return deadline(s)
        case ast.Term():
            return term(s)
        case ast.Target():
            return target(s)
        case ast.CaseRule():
            return case_rule(s)
    raise TypeError(f"not a statement: {s!r}")


# ───────────────────────── layout ─────────────────────────


@dataclass
class Line:
    """One printed line. `start`/`end` are the source lines of what it prints (None for what has no source,
    a node built by the importer); `close` marks a block's `}`, `blank` a blank line the layout puts before it."""

    depth: int
    text: str
    start: int | None = None
    end: int | None = None
    close: bool = False
    blank: bool = False
    node: object | None = None  # the block a `{` line opens


def _at(span: Span | None) -> int | None:
    return span.line if span is not None and span.line > 0 else None


def _end(span: Span | None) -> int | None:
    return span.end_line if span is not None and span.line > 0 else None


def _lines_of(s: object, depth: int) -> Line:
    span = getattr(s, "span", None)
    return Line(depth, statement(s, INDENT * (depth + 1)), _at(span), _end(span))


# The nodes written as a `{ … }` block: what a `{` line's `node` holds.
_Block: TypeAlias = "ast.Section | ast.Item | ast.Group | ast.Policy | ast.JurisdictionDecl"


def _open(depth: int, text: str, node: _Block, blank: bool = False) -> Line:
    return Line(depth, text + " {", _at(node.span), _at(node.span), blank=blank, node=node)


def _close(depth: int, node: _Block) -> Line:
    return Line(depth, "}", _end(node.span), _end(node.span), close=True)


def _entries(entries: Iterable[object], depth: int, *, blank_body: bool = False) -> Iterator[Line]:
    for e in entries:
        if isinstance(e, (ast.Section, ast.Item, ast.Group)):
            yield from _body_node(e, depth, blank=blank_body)
        else:
            yield _lines_of(e, depth)


def _body_node(node: ast.Section | ast.Item | ast.Group, depth: int, blank: bool = False) -> Iterator[Line]:
    match node:
        case ast.Section(id=ident, title=title):
            yield _open(depth, f"部分 {ident.text} {quote(title)}", node, blank)
        case ast.Item(kind=kind, id=ident, title=title):
            yield _open(depth, f"{ITEM_KEYWORDS[kind]} {ident.text}" + (f" {quote(title)}" if title is not None else ""),
                        node, blank)
        case ast.Group(title=title):
            yield _open(depth, f"任务组 {quote(title)}", node, blank)
    yield from _entries(node.entries, depth + 1)
    yield _close(depth, node)


def _policy(p: ast.Policy, blank: bool) -> Iterator[Line]:
    yield _open(0, f"{POLICY_KEYWORDS[p.kind]} {p.id.text}", p, blank)
    yield from _entries(p.entries, 1, blank_body=True)
    yield _close(0, p)


def _unit_decl(u: ast.UnitDecl, depth: int) -> Iterator[Line]:
    """`单位 NAME 角色 … 别名 …` on one line; an option the author wrote on a line of its own (its span starts
    below the previous one) stays on a continuation line, one level deeper."""
    head = f"{UNIT_KEYWORDS[u.kind]} {name_token(u.name.text, u.name.quoted)}"
    line = Line(depth, head, _at(u.span), _end(u.name.span))
    for o in u.options:
        text = statement(o)
        if line.end is not None and (at := _at(o.span)) is not None and at > line.end:
            yield line
            line = Line(depth + 1, text, at, _end(o.span))
        else:
            line.text += " " + text
            line.end = _end(o.span) or line.end
    yield line


def _aliases_first(entries: Sequence[object]) -> list[object]:
    """A jurisdiction's 别名 written after one of its units would read back as the unit's: it goes before the
    first unit (a parsed file never has one there, so this changes only ASTs a program built)."""
    first = next((k for k, e in enumerate(entries) if isinstance(e, ast.UnitDecl)), len(entries))
    late = [e for e in entries[first:] if isinstance(e, ast.Aliases)]
    return [*entries[:first], *late, *(e for e in entries[first:] if not isinstance(e, ast.Aliases))]


def _jurisdiction(j: ast.JurisdictionDecl, depth: int, blank: bool) -> Iterator[Line]:
    yield _open(depth, f"辖区 {j.name.text}", j, blank)
    for e in _aliases_first(j.entries):
        if isinstance(e, ast.UnitDecl):
            yield from _unit_decl(e, depth + 1)
        elif isinstance(e, ast.JurisdictionDecl):
            yield from _jurisdiction(e, depth + 1, False)
        else:
            yield _lines_of(e, depth + 1)
    yield _close(depth, j)


def _role(r: ast.RoleDecl, blank: bool) -> Line:
    text = f"角色 {r.name.text}"
    if r.description is not None:
        text += f" {quote(r.description)}"
    if r.aliases:
        text += " 别名 " + "、".join(name_token(n.text, n.quoted) for n in r.aliases)
    return Line(0, text, _at(r.span), _end(r.span), blank=blank)


def layout(decls: Sequence[ast.Policy | ast.JurisdictionDecl | ast.RoleDecl]) -> list[Line]:
    """The lines of `decls`: a blank line between declarations, except between consecutive 角色 lines."""
    out: list[Line] = []
    previous: object | None = None
    for d in decls:
        blank = previous is not None and not (isinstance(d, ast.RoleDecl) and isinstance(previous, ast.RoleDecl))
        match d:
            case ast.Policy():
                out += _policy(d, blank)
            case ast.JurisdictionDecl():
                out += _jurisdiction(d, 0, blank)
            case ast.RoleDecl():
                out.append(_role(d, blank))
        previous = d
    return out


def render(lines: Iterable[Line]) -> str:
    out: list[str] = []
    for line in lines:
        if line.blank and out and not out[-1].endswith(" {"):  # none just inside a brace
            out.append("")
        out.append(INDENT * line.depth + line.text)
    return "\n".join(out) + "\n" if out else ""


def unparse(node: ast.SourceUnit | Sequence[ast.Policy | ast.JurisdictionDecl | ast.RoleDecl],
            header: Sequence[str] = ()) -> str:
    """DSL text for a file's declarations, after `header` (comment lines, written `# …`, then a blank line)."""
    decls = node.decls if isinstance(node, ast.SourceUnit) else node
    body = render(layout(decls))
    if not header:
        return body
    head = "\n".join(f"# {h}" if h else "#" for h in header) + "\n"
    return head + ("\n" + body if body else "")
