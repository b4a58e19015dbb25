"""Checking a draft before anything is written (the driver's side of `luoshi draft`).

The draft is compiled in memory with the project's corpus (`compile_paths(extra=…)`): it must check without
errors. Then it is linted (`luoshi.lint.lint_corpus`), and every finding on the draft becomes a 待定 of the item it
concerns — unless that item's 待定 already says it (a dropped unit, a parent task not carried over) — and gets an
inline suppression naming the 待定. So `luoshi lint` reports the draft's open items (LS230) and nothing else, and
each suppression falls due (LS391, unused) once the drafter settles its 待定 and the finding goes away.

Some findings are settled, not open, and get a suppression with their reason and no 待定: those an item's
`reasons` name (the issuer added as the overseer, said in a 备注), and several units responsible with no lead
(LS302) where the parent's own task names no lead either — the draft's text is the parent's, so it gets the
suppression LS302's hint asks for when 「原文确未指定」 (云阳's 实施办法 keeps 县财政局、县审计局 without a lead too).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..diagnostics import Diagnostic
from ..driver.pipeline import Compilation, compile_paths
from ..driver.project import Project
from ..model import AssignmentRole, Corpus, Policy
from .plan import Draft, Group, Node, Part
from .printer import print_draft

try:
    from ..lint import lint_corpus
except ModuleNotFoundError:  # luoshi without its lint package: the draft is only checked
    lint_corpus = None  # type: ignore[assignment]  # tested before each use

TODO_CODE = "LS230"
SUPPRESSION = "# luoshi: ignore[{codes}] 待定：见本项「待定」"
REASONED = "# luoshi: ignore[{code}] {reason}"


@dataclass
class Checked:
    text: str
    compilation: Compilation
    findings: list[Diagnostic]  # lint findings on the draft, LS230 included

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.compilation.diagnostics() if d.severity.value == "error"]

    @property
    def todos(self) -> int:
        return sum(1 for d in self.compilation.diagnostics() if d.code == TODO_CODE)

    @property
    def others(self) -> list[Diagnostic]:
        """Lint findings other than the draft's 待定: none, unless drafting missed something."""
        return [d for d in self.findings if d.code != TODO_CODE]


def check_draft(draft: Draft, shown: str, project: Project | None = None) -> Checked:
    """The draft's DSL text, compiled and linted; `shown` is the name its diagnostics carry."""
    checked = _compile(print_draft(draft), shown, project)
    if checked.errors or lint_corpus is None:
        return checked
    if _explain(draft, checked):
        checked = _compile(print_draft(draft), shown, project)
    if checked.others:
        checked = _compile(_suppress(checked.text, checked.others, _reasons(draft, checked)), shown, project)
    return checked


def _compile(text: str, shown: str, project: Project | None) -> Checked:
    comp = compile_paths(None, project, extra={shown: text})
    findings: list[Diagnostic] = []
    if lint_corpus is not None and not comp.sink.has_errors():
        findings = [d for d in lint_corpus(comp.corpus, comp.sources) if d.span and d.span.file == shown]
    return Checked(text, comp, findings)


def _explain(draft: Draft, checked: Checked) -> bool:
    """Add a 待定 for each finding its item does not already account for; True when any was added. An LS302 the
    parent's task has too is given its reason instead (`Node.reasons`)."""
    policy = checked.compilation.corpus.policy(draft.id)
    nodes = {node.id: node for node in _walk(draft.body)}
    added = False
    for d in checked.others:
        inner = _innermost(policy, d.span.line) if policy is not None and d.span is not None else None
        holder = nodes.get(inner, draft) if inner is not None else draft
        if d.code in holder.explains:
            continue
        if isinstance(holder, Node):
            if d.code == "LS302" and (ref := _no_lead_above(checked.compilation.corpus, holder)):
                holder.reasons["LS302"] = f"原文未指定牵头单位（上级 {ref} 同）"
            if d.code in holder.reasons:
                continue
        holder.explains.add(d.code)
        message = "；".join(d.zh.split("；")[:2])
        if isinstance(holder, Node):
            message = re.sub(rf"^{re.escape(draft.id)}:{re.escape(holder.id)}\s*", "本项", message)
        holder.todos.append(message)
        added = True
    return added


def _no_lead_above(corpus: Corpus, node: Node) -> str | None:
    """The parent task (「yfbf-2018-161:4.2」) this item implements when it too has several responsible units and
    no lead: the gap is the original text's, not the draft's."""
    for ref in node.implements:
        parent = corpus.policy(ref.policy) if ref.policy else None
        task = parent.task(ref.task) if parent is not None and ref.task else None
        if task is None:
            continue
        roles = [a.role for a in task.assignments if not a.inherited]
        if AssignmentRole.LEAD not in roles and roles.count(AssignmentRole.CO_RESPONSIBLE) >= 2:
            return f"{ref.policy}:{ref.task}"
    return None


def _reasons(draft: Draft, checked: Checked) -> dict[int, dict[str, str]]:
    """Line → {code: reason} for the findings an item settles with a reason rather than a 待定."""
    policy = checked.compilation.corpus.policy(draft.id)
    if policy is None:
        return {}
    nodes = {node.id: node for node in _walk(draft.body)}
    out: dict[int, dict[str, str]] = {}
    for d in checked.others:
        item = _innermost(policy, d.span.line) if d.span is not None else None
        node = nodes.get(item) if item is not None else None
        if d.span is not None and node is not None and d.code not in node.explains and d.code in node.reasons:
            out.setdefault(d.span.line, {})[d.code] = node.reasons[d.code]
    return out


def _innermost(policy: Policy, line: int) -> str | None:
    around = [t for t in policy.tasks if t.span.line <= line <= t.span.end_line]
    return max(around, key=lambda t: t.span.line).id if around else None


def _walk(body: Iterable[Part | Group | Node]) -> list[Node]:
    out: list[Node] = []
    for node in body:
        if isinstance(node, Part):
            out += _walk(node.body)
        elif isinstance(node, Group):
            out += _walk(node.items)
        else:
            out += [node, *_walk(node.children)]
    return out


def _suppress(text: str, findings: list[Diagnostic], reasons: dict[int, dict[str, str]] | None = None) -> str:
    """One suppression comment above each line with findings, indented like it: the codes a 待定 explains in one
    (「待定：见本项「待定」」), each code settled with a reason (`reasons`: line → {code: reason}) in its own."""
    reasons = reasons or {}
    lines = text.split("\n")
    by_line: dict[int, set[str]] = {}
    for d in findings:
        if d.span is not None:  # a finding with no place has no line to hold its comment
            by_line.setdefault(d.span.line, set()).add(d.code)
    for line in sorted(by_line, reverse=True):
        target = lines[line - 1]
        indent = target[: len(target) - len(target.lstrip())]
        reasoned = reasons.get(line, {})
        comments = [REASONED.format(code=code, reason=reasoned[code]) for code in sorted(reasoned)]
        if rest := sorted(by_line[line] - set(reasoned)):
            comments.append(SUPPRESSION.format(codes=", ".join(rest)))
        lines[line - 1:line - 1] = [indent + c for c in comments]
    return "\n".join(lines)
