"""Any compiled policy as an official document (公文): the one view the docx and the Markdown renderings share.

Layout, as 161号 and 云阳 print it: title, 文号 (a placeholder in a draft), addressees, preamble, 一、 sections,
（一） measures each ending with its （责任单位：…。排在第一位的为牵头单位）, signature and date. Every 待定 is
shown where it applies, marked, so a drafter sees what is left to settle. Unit names are as the policy writes them
(UnitRef.written), never looked up. A 待定 is printed in plain Chinese (plainwords.py), the lead-unit
sentence once with 「下同」 (DutyClauses).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..backends.wording import cn_number
from ..model import AssignmentRole, Corpus, ItemKind, Policy, Task
from .plainwords import plain
from .schedule import cn_day

NUMBER_PLACEHOLDER = "〔　　〕　号"
DATE_PLACEHOLDER = "　　年　月　日"
_LEVELS = ("{}、", "（{}）", "{}.", "（{}）")


def label(level: int, n: int) -> str:
    style = _LEVELS[min(level, len(_LEVELS) - 1)]
    return style.format(cn_number(n) if level < 2 else n)


@dataclass
class Measure:
    """A numbered paragraph: `（一）加强最低生活保障。` + body + duty clause, with its open items."""

    head: str
    stop: str
    body: list[str]
    duty: str | None
    todos: list[str]
    kind = "measure"


@dataclass
class Heading:
    head: str
    kind = "heading"
    text: list[str] = field(default_factory=list)
    todos: list[str] = field(default_factory=list)
    content: list["Heading | Measure"] = field(default_factory=list)


@dataclass
class Document:
    title: str
    number: str
    addressees: str
    preamble: list[str]
    todos: list[str]
    content: list[Heading | Measure]
    issuers: str
    date: str
    draft: bool


LEAD_FIRST = "。排在第一位的为牵头单位"


class DutyClauses:
    """（责任单位：…） as documents print them: the lead-unit sentence once, on the first clause that lists a lead
    among several units, with 「下同」 (云阳府办发〔2019〕22号: 「排在第一位的为牵头单位，下同」); never after a
    single unit, where there is nothing to rank."""

    def __init__(self) -> None:
        self.said = False

    def clause(self, task: Task) -> str | None:
        own = [a for a in task.assignments if not a.inherited]
        order = (AssignmentRole.LEAD, AssignmentRole.CO_RESPONSIBLE, AssignmentRole.COOPERATE)
        names = list(dict.fromkeys(a.unit.written for role in order for a in own if a.role is role))
        if not names:
            return None
        tail = ""
        if len(names) > 1 and any(a.role is AssignmentRole.LEAD for a in own) and not self.said:
            self.said, tail = True, LEAD_FIRST + "，下同"
        return f"（责任单位：{'、'.join(names)}{tail}）"


def duty_clause(task: Task) -> str | None:
    """One task's clause on its own (the first of a document): with the lead-unit sentence when it ranks a lead."""
    return DutyClauses().clause(task)


def document(corpus: Corpus, policy: Policy) -> Document:
    is_draft = bool(policy.todos or any(t.todos for t in policy.tasks) or any(s.todos for s in policy.sections))
    content = _content(policy, section=None, parent=None, level=0, duties=DutyClauses())
    words = lambda todos: [plain(t, corpus, policy.id) for t in todos]  # noqa: E731
    _plain_todos(content, words)
    return Document(
        title=policy.title or policy.id,
        number=policy.number or NUMBER_PLACEHOLDER,
        addressees="，".join(r.written for r in policy.addressees),
        preamble=_paragraphs(policy.preamble),
        todos=words(policy.todos),
        content=content,
        issuers="　".join(r.written for r in policy.issuers),
        date=cn_day(policy.date) if policy.date else DATE_PLACEHOLDER,
        draft=is_draft,
    )


def _plain_todos(content: list, words) -> None:
    for node in content:
        node.todos = words(node.todos)
        _plain_todos(getattr(node, "content", []), words)


def _paragraphs(text: str | None) -> list[str]:
    return [p for p in (text or "").split("\n") if p.strip()]


def _content(policy: Policy, section: str | None, parent: str | None, level: int,
             duties: DutyClauses) -> list[Heading | Measure]:
    nodes = [(s.order, s) for s in policy.sections if s.parent == section and parent is None]
    nodes += [(t.order, t) for t in policy.tasks if t.parent == parent and (parent is not None or t.section == section)]
    out: list[Heading | Measure] = []
    for n, (_, node) in enumerate(sorted(nodes, key=lambda x: x[0]), 1):
        if isinstance(node, Task):
            out += _measure(policy, node, label(level, n), level, duties)
        else:
            heading = Heading(head=label(level, n) + node.title, text=_paragraphs(node.text), todos=list(node.todos))
            heading.content = _content(policy, node.id, None, level + 1, duties)
            out.append(heading)
    return out


def _measure(policy: Policy, task: Task, number: str, level: int, duties: DutyClauses) -> list[Heading | Measure]:
    body = _paragraphs(task.text)
    title = task.title or ""
    stop = "。" if title and body else ""
    if body and title and body[0].startswith(title):  # the text opens with its title sentence
        rest = body[0][len(title):]
        stop = "。" if rest.startswith("。") else ""
        body[0] = rest[len(stop):]
    duty = duties.clause(task) if task.kind is not ItemKind.CLAUSE else None
    out: list[Heading | Measure] = [Measure(head=number + title, stop=stop, body=body, duty=duty, todos=list(task.todos))]
    text = task.text or ""
    for k, child in enumerate(_children(policy, task), 1):
        if child.text and child.text in text and not child.todos:
            continue  # 一是、二是 … already printed within the measure's own text
        out += _measure(policy, child, label(level + 1, k), level + 1, duties)
    return out


def _children(policy: Policy, task: Task) -> list[Task]:
    return sorted((t for t in policy.tasks if t.parent == task.id), key=lambda t: t.order)


def render_markdown(corpus: Corpus, policy_id: str) -> str:
    """The policy as Markdown (templates/draft/document.md.j2), every text escaped."""
    from ..backends.templating import environment

    text = environment().get_template("draft/document.md.j2").render(doc=document(corpus, corpus.policy(policy_id)))
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
