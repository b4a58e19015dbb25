"""What the server answers, as plain functions of a `Snapshot` (analysis.py) and a position: no I/O here.

Hover and completion text is Chinese first, English after, as every message of luoshi; hover text is Markdown
with what came from the sources escaped, so a name or a 原文 cannot inject formatting or links into the editor.
"""

from __future__ import annotations

import re
from pathlib import Path

from lsprotocol import types

from .. import model
from ..diagnostics import Diagnostic
from ..diagnostics.codes import CODES, Severity
from ..diagnostics.lang import say
from ..lint.config import lint_codes
from ..site.views import nearest_counterparts
from ..syntax.highlight import grammar_words
from ..syntax.source import SourceFile, Span
from . import analysis
from .analysis import Snapshot
from .positions import to_range

SOURCE = "luoshi"
_SEVERITY = {Severity.ERROR: types.DiagnosticSeverity.Error, Severity.WARNING: types.DiagnosticSeverity.Warning,
             Severity.INFO: types.DiagnosticSeverity.Information}


def uri_of(snap: Snapshot, shown: str) -> str:
    """The file URI of a shown path (shown paths are relative to the working folder, as the pipeline shows them)."""
    return (Path.cwd() / shown).resolve().as_uri()


# ── diagnostics ──

_SUGGESTED = re.compile(r"(?:是否指|是否应为)((?:「[^」]+」、?)+)")


def suggestions(d: Diagnostic) -> list[str]:
    """The replacements a diagnostic's hint proposes (是否指「市农业农村委」？ …), in its order."""
    m = _SUGGESTED.search(d.hint_zh or "")
    return re.findall(r"「([^」]+)」", m.group(1)) if m else []


def to_lsp_diagnostic(d: Diagnostic, source: SourceFile | None) -> types.Diagnostic:
    """An LSP diagnostic: the message in both languages and the hint on lines of their own; `data` carries the
    replacements the hint proposes, for the quick fixes (`code_actions`)."""
    assert d.span is not None
    message = f"{d.zh}\n{d.en}"
    if d.hint_zh or d.hint_en:
        message += f"\n提示：{d.hint_zh or ''}\nhint: {d.hint_en or ''}"
    related = [types.DiagnosticRelatedInformation(
        location=types.Location(uri=(Path.cwd() / r.span.file).resolve().as_uri(), range=to_range(r.span, None)),
        message=say(r.zh, r.en)) for r in d.related]
    return types.Diagnostic(range=to_range(d.span, source), message=message, severity=_SEVERITY[d.severity],
                            code=d.code, source=SOURCE, related_information=related or None,
                            data={"suggestions": suggestions(d)})


def diagnostics(snap: Snapshot, shown: str) -> list[types.Diagnostic]:
    source = snap.source(shown)
    return [to_lsp_diagnostic(d, source) for d in snap.diagnostics(shown)]


# ── completion ──

def completions(snap: Snapshot, shown: str, line: int, column: int) -> list[types.CompletionItem]:
    """After `政策编号:`: that policy's task ids. Otherwise the statement keywords, the units in scope at the
    position (the enclosing jurisdiction's, then its ancestors'), and the policy ids."""
    source = snap.source(shown)
    before = source.line(line)[: column - 1] if source is not None else ""
    m = re.search(r"([A-Za-z0-9][\w.\-]*):([\w.\-]*)$", before)
    if m:
        policy = snap.corpus.policy(m.group(1))
        if policy is not None:
            return [types.CompletionItem(label=t.id, kind=types.CompletionItemKind.Reference,
                                         detail=(t.printed or "") + (f" {t.title}" if t.title else ""),
                                         sort_text=f"{t.order:06d}") for t in policy.tasks]
    if re.search(r"(?:角色|role)\s+\S*$", before):  # a unit's role: the roles the registry declares
        return [types.CompletionItem(label=r.id, kind=types.CompletionItemKind.EnumMember, detail=r.description,
                                     sort_text=f"0{r.id}", filter_text=" ".join((r.id, *r.aliases)))
                for r in snap.corpus.roles]
    items: list[types.CompletionItem] = []
    keywords, values = grammar_words()
    for word in keywords:
        items.append(types.CompletionItem(label=word, kind=types.CompletionItemKind.Keyword, sort_text=f"3{word}"))
    for word in values:
        items.append(types.CompletionItem(label=word, kind=types.CompletionItemKind.Operator, sort_text=f"4{word}"))
    jurisdiction = analysis.jurisdiction_at(snap, shown, line)
    seen: set[str] = set()
    for rank, unit in enumerate(analysis.units_in_scope(snap, jurisdiction)):
        if unit.name in seen:  # a nearer jurisdiction's unit of the same name wins, as the lookup does
            continue
        seen.add(unit.name)
        detail = " · ".join(x for x in (unit.jurisdiction, unit.role, unit.kind.value) if x)
        items.append(types.CompletionItem(label=unit.name, kind=types.CompletionItemKind.Class, detail=detail,
                                          sort_text=f"1{rank:05d}", filter_text=" ".join((unit.name, *unit.aliases))))
    for policy in snap.corpus.policies:
        items.append(types.CompletionItem(label=policy.id, kind=types.CompletionItemKind.Module,
                                          detail=" ".join(x for x in (policy.number, policy.title) if x),
                                          sort_text=f"2{policy.id}"))
    return items


# ── hover ──

_MD = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~])")


def md(text: str) -> str:
    """Text from the sources, safe in Markdown (escaped; no HTML, no links)."""
    return _MD.sub(r"\\\1", text)


def _unit_hover(snap: Snapshot, unit: model.Unit) -> str:
    jurisdiction = next((j for j in snap.corpus.jurisdictions if j.id == unit.jurisdiction), None)
    level = jurisdiction.level if jurisdiction is not None else None
    found = analysis.duties(snap.corpus, unit.id)
    roles: dict[str, int] = {}
    for _, _, a in found:
        roles[a.role.zh] = roles.get(a.role.zh, 0) + 1
    head = [f"**{md(unit.name)}** · {md(unit.jurisdiction)}" + (f" · {md(level)}" if level else ""),
            f"单位类型 kind: {md(unit.kind.value)}" + (f" · 角色 role: {md(unit.role)}" if unit.role else "")]
    if unit.aliases:
        head.append("别名 aliases: " + "、".join(md(a) for a in unit.aliases))
    if unit.members:
        names = [snap.corpus.unit(m) for m in unit.members]
        head.append("成员 members: " + "、".join(md(u.name if u else m) for u, m in zip(names, unit.members)))
    if unit.part_of:
        parent = snap.corpus.unit(unit.part_of)
        head.append(f"隶属 part of: {md(parent.name if parent else unit.part_of)}")
    if unit.note:
        head.append(f"备注 note: {md(unit.note)}")
    near = nearest_counterparts(snap.corpus, unit)
    for word, found_units in (("上级对应 above", near.above), ("下级对应 below", near.below)):
        if found_units:
            listed = [f"{md(u.name)}（{md(u.jurisdiction)}）" for u in found_units[:6]]
            more = f" …另有 {len(found_units) - 6} 个 · {len(found_units) - 6} more" if len(found_units) > 6 else ""
            head.append(f"{word}: " + "、".join(listed) + more)
    split = "，".join(f"{role} {n}" for role, n in roles.items())
    head.append(f"职责 {len(found)} 项（{split}）· {len(found)} duties" if found else "职责 0 项 · no duties")
    items = [f"- {md(policy.id)}:{md(task.id)} {md(a.role.zh)} — {md(_short(task.title or task.text or ''))}"
             for policy, task, a in found[:8]]
    if len(found) > 8:
        items.append(f"- …另有 {len(found) - 8} 项 · {len(found) - 8} more")
    return "\n\n".join(head) + ("\n\n" + "\n".join(items) if items else "")


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _task_hover(policy: model.Policy, task: model.Task) -> str:
    head = f"**{md(policy.id)}:{md(task.id)}**" + (f"（{md(task.printed)}）" if task.printed else "")
    lines = [head + (f" {md(task.title)}" if task.title else "")]
    if task.text:
        lines.append("原文 text: " + md(_short(task.text, 300)))
    for a in task.assignments:
        lines.append(f"{md(a.role.zh)}：{md(a.unit.written)}" + ("（承上）" if a.inherited else ""))
    for d in task.deadlines:
        lines.append(f"时限 deadline: {md(d.written)}")
    for t in task.targets:
        lines.append(f"目标 target: {md(t.written)}")
    if task.parent:
        parent = policy.task(task.parent)
        lines.append(f"上级条目 parent: {md(task.parent)}" + (f" {md(parent.title)}" if parent and parent.title else ""))
    children = [t.id for t in policy.tasks if t.parent == task.id]
    if children:
        lines.append("下级条目 children: " + "、".join(md(c) for c in children))
    if task.implements:
        lines.append("落实 implements: " + "、".join(md(f"{k.policy}:{k.task}") for k in task.implements))
    return "\n\n".join(lines)


def _policy_hover(policy: model.Policy) -> str:
    lines = [f"**{md(policy.id)}**" + (f" {md(policy.number)}" if policy.number else "")]
    if policy.title:
        lines.append(md(policy.title))
    facts = [x for x in (policy.jurisdiction, policy.level, policy.date.isoformat() if policy.date else None) if x]
    if facts:
        lines.append(" · ".join(md(x) for x in facts))
    lines.append(f"{len(policy.tasks)} 个条目 · {len(policy.tasks)} items")
    return "\n\n".join(lines)


def _referenced(snap: Snapshot, policy_id: str, task_id: str | None) -> tuple[model.Policy, model.Task | None] | None:
    """The policy and task a reference names (hover and definition both follow it); None for an unknown policy."""
    policy = snap.corpus.policy(policy_id)
    if policy is None:
        return None
    return policy, policy.task(task_id) if task_id else None


def hover(snap: Snapshot, shown: str, line: int, column: int) -> tuple[str, Span] | None:
    """Markdown for what lies at the position: a unit, a referenced policy or task, a task's header."""
    ref = analysis.ref_at(snap, shown, line, column)
    if ref is not None:
        if (found_ref := _referenced(snap, ref.policy, ref.task)) is None:
            return None
        policy, task = found_ref
        return (_task_hover(policy, task) if task else _policy_hover(policy)), ref.span
    unit = analysis.unit_at(snap, shown, line, column)
    if unit is not None:
        return _unit_hover(snap, unit.unit), unit.span
    found = analysis.task_at(snap, shown, line)
    if found is not None:
        return _task_hover(found.policy, found.task), found.task.span
    return None


# ── go to definition ──

def definition(snap: Snapshot, shown: str, line: int, column: int) -> Span | None:
    """Where what lies at the position is declared: a unit's line in its units file, a referenced policy's or
    task's block, a task's parent."""
    ref = analysis.ref_at(snap, shown, line, column)
    if ref is not None:
        if (found_ref := _referenced(snap, ref.policy, ref.task)) is None:
            return None
        policy, task = found_ref
        return task.span if task is not None else policy.span
    unit = analysis.unit_at(snap, shown, line, column)
    if unit is not None:
        return unit.unit.span
    return None


# ── quick fixes ──

def code_actions(uri: str, source: SourceFile | None, wanted: list[types.Diagnostic]) -> list[types.CodeAction]:
    """For each diagnostic of luoshi in the request: replace the flagged text by each replacement its hint
    proposes (did you mean …), and, for a lint finding, add the suppression comment at the end of its line (the
    reason is left for the writer: until one is written the comment suppresses nothing and LS390 says so)."""
    actions: list[types.CodeAction] = []
    quiet = set(lint_codes())
    ignored: set[tuple[str, int]] = set()  # (code, line): one suppression per code and line
    for d in wanted:
        if d.source != SOURCE:
            continue
        data = d.data if isinstance(d.data, dict) else {}
        for word in data.get("suggestions", []) or []:
            if not isinstance(word, str):
                continue
            edit = types.TextEdit(range=d.range, new_text=word)
            actions.append(types.CodeAction(title=f"改为「{word}」· replace with '{word}'",
                                            kind=types.CodeActionKind.QuickFix, diagnostics=[d], is_preferred=True,
                                            edit=types.WorkspaceEdit(changes={uri: [edit]})))
        code = str(d.code) if d.code is not None else ""
        if code == "LS302" and source is not None and (fixed := lead_first(source.line(d.range.start.line + 1))):
            number = d.range.start.line
            whole = types.Range(start=types.Position(line=number, character=0),
                                end=types.Position(line=number + 1, character=0))
            actions.append(types.CodeAction(title="首位单位牵头，其余配合 · the first unit leads, the rest cooperate",
                                            kind=types.CodeActionKind.QuickFix, diagnostics=[d], is_preferred=True,
                                            edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(range=whole,
                                                                                                    new_text=fixed)]})))
        if code in quiet and code in CODES and source is not None and (code, d.range.start.line) not in ignored:
            ignored.add((code, d.range.start.line))
            number = d.range.start.line + 1
            text = source.line(number)
            end = types.Position(line=d.range.start.line, character=len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF))
            comment = f"  # luoshi: ignore[{code}] "
            edit = types.TextEdit(range=types.Range(start=end, end=end), new_text=comment)
            actions.append(types.CodeAction(title=f"忽略 {code}（请写明理由）· ignore {code} (write the reason)",
                                            kind=types.CodeActionKind.QuickFix, diagnostics=[d],
                                            edit=types.WorkspaceEdit(changes={uri: [edit]})))
    return actions


_RESPONSIBLE = re.compile(r"^(\s*)(?:负责|responsible)\s+(.+?)(\s+#.*)?$")
_OPEN = {"（": "）", "(": ")", "“": "”", '"': '"', "「": "」"}


def split_units(text: str) -> list[str]:
    """A unit list split at its top-level 、 (not inside （…）, quotes or 「…」): 区人力社保局（区就业中心、区社保中心）、区民政局
    → two units."""
    parts: list[str] = []
    depth, closing, start = 0, "", 0
    for i, ch in enumerate(text):
        if depth and ch == closing:
            depth -= 1
        elif not depth and ch in _OPEN:
            depth, closing = 1, _OPEN[ch]
        elif not depth and ch == "、":
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def lead_first(line: str) -> str | None:
    """`负责 A、B、C` → `牵头 A` and `配合 B、C` on the next line (the printed convention: the first unit listed leads);
    None where the line is not such a list."""
    m = _RESPONSIBLE.match(line)
    if m is None:
        return None
    indent, units, comment = m.group(1), split_units(m.group(2)), m.group(3) or ""
    if len(units) < 2:
        return None
    return f"{indent}牵头 {units[0]}{comment}\n{indent}配合 {'、'.join(units[1:])}\n"

