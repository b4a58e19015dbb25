"""Any compiled policy as an official document (公文): the one view the docx and the Markdown renderings share.

Layout, as 161号 and 云阳 print it: title, 文号 (a placeholder in a draft), addressees, preamble, 一、 sections,
（一） measures each ending with its （责任单位：…。排在第一位的为牵头单位）, signature and date. Every 待定 is
shown where it applies, marked, so a drafter sees what is left to settle. Unit names are as the policy writes them
(UnitRef.written), never looked up. A 待定 is printed in plain Chinese (plainwords.py), the lead-unit
sentence once with 「下同」 (DutyClauses).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..drafting.plainwords import plain
from ..drafting.schedule import cn_day
from ..model import AssignmentRole, Corpus, ItemKind, Policy, Section, Task
from ..semantics.numerals import int_to_cn as cn_number

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
    content: list[Heading | Measure] = field(default_factory=list)


@dataclass
class Cover:
    """The 印发通知 a government office wraps its 实施办法 in (云阳府办发〔2019〕22号): 「关于印发…的通知」, 主送,
    「经县政府同意，现将《…》印发给你们，请认真贯彻执行。」, 发文机关 and date; the measures follow it."""

    title: str
    title_lines: list[str]
    addressees: str
    text: str
    issuers: str
    date: str


@dataclass
class AnnexRow:
    """A row of the 附件 table; `heading` names the table once (《…》重点任务责任分工)."""

    number: str
    task: str
    responsible: str
    cooperating: str


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
    title_lines: list[str] = field(default_factory=list)
    mark: str = ""  # 发文机关标志: the issuer's full name
    cover: Cover | None = None
    annex: list[AnnexRow] = field(default_factory=list)  # 附件: the responsibility-division table
    copied: str = ""  # 版记: 抄送
    printer: str = ""  # 版记: 印发机关 and 印发日期


# a title breaks only between words (GB/T 9704 7.3.3: 回行时要做到词意完整); these open or close a word
_BREAK_BEFORE = ("关于", "印发", "加强", "做好", "进一步", "实施", "工作", "的通知", "的意见", "办法", "方案", "意见",
                 # words that open the object of a policy title (a small lexicon: a break before them is between words)
                 "城市", "农村", "城乡", "特殊", "困难", "群众", "救助", "帮扶", "社会", "保障", "服务", "管理", "建设",
                 "发展", "最低", "生活", "临时", "特困", "医疗", "教育", "住房", "就业", "养老", "脱贫", "攻坚")
_BREAK_AFTER = ("关于", "的", "工作", "、", "和")
TITLE_WIDTH = 20  # characters of 2号 type across the 156 mm 版心


def title_lines(title: str, width: int = TITLE_WIDTH) -> list[str]:
    """The title in lines of at most `width` characters (Latin ones count half), broken only where a word ends,
    as near the middle as such a place allows (a 梯形 or 菱形 title, not a full line and a stub): 云阳县加强城市
    特殊困难 / 群众救助帮扶工作实施办法, never 「工作实 / 施办法」. Without such a place it is not broken."""
    size = _width(title)
    if size <= width:
        return [title]
    places = [i for i in range(1, len(title))
              if title[i:].startswith(_BREAK_BEFORE) or title[:i].endswith(_BREAK_AFTER)]
    fitting = [i for i in places if _width(title[:i]) <= width]
    if not fitting:
        return [title]
    # as few lines as the places allow (the longest first line when the rest still needs breaking), then balanced
    two = [i for i in fitting if _width(title[i:]) <= width]
    at = min(two, key=lambda i: (abs(size / 2 - _width(title[:i])), -i)) if two else max(fitting)
    return [title[:at], *title_lines(title[at:], width)]


def _width(text: str) -> float:
    return sum(0.5 if ord(ch) < 0x2E80 else 1 for ch in text)


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

    def words(todos: Iterable[str]) -> list[str]:
        return [plain(t, corpus, policy.id) for t in todos]

    _plain_todos(content, words)
    title = policy.title or policy.id
    date = cn_day(policy.date) if policy.date else DATE_PLACEHOLDER
    issuers = "　".join(r.written for r in policy.issuers)
    full = "　".join(_full_name(corpus, r.unit, r.written) for r in policy.issuers)
    doc = Document(
        title=title,
        number=policy.number or NUMBER_PLACEHOLDER,
        addressees="，".join(r.written for r in policy.addressees),
        preamble=_paragraphs(policy.preamble),
        todos=words(policy.todos),
        content=content,
        issuers=issuers,
        date=date,
        draft=is_draft,
        title_lines=title_lines(title),
        mark=full,
        copied="、".join(r.written for r in policy.cc),
        printer=f"{full}　　{date}印发" if full else "",
    )
    if is_draft and full and ATTACHED.search(title):
        doc.cover = _cover(corpus, policy, doc, full)
        doc.annex = _annex(corpus, policy)
        doc.addressees = ""  # addressed by the notice; the attached measures are not
    return doc


ATTACHED = re.compile(r"(实施办法|实施方案|实施细则|实施意见|工作方案|办法|方案|细则)$")  # a document issued by a notice


def _cover(corpus: Corpus, policy: Policy, doc: Document, full: str) -> Cover:
    consent = ""
    issuer = corpus.unit(policy.issuers[0].unit)
    if issuer is not None and issuer.role == "政府办公室":  # an office issues in its government's name
        government = next((u for u in corpus.units if u.jurisdiction == issuer.jurisdiction and u.role == "政府"), None)
        consent = f"经{government.name}同意，" if government else ""
    title = f"关于印发{doc.title}的通知"  # under the 发文机关标志, which names the issuer
    text = f"{consent}现将《{doc.title}》印发给你们，请认真贯彻执行。"
    return Cover(title=title, title_lines=title_lines(title), addressees=doc.addressees, text=text,
                 issuers=full, date=doc.date)


def _annex(corpus: Corpus, policy: Policy) -> list[AnnexRow]:
    """The responsibility-division table (backends/table.py) as the 附件: 序号 / 重点任务 / 责任单位 / 配合单位."""
    from .table import Row, build_table

    rows = [r for r in build_table(corpus, policy.id).rows if isinstance(r, Row)]
    return [AnnexRow(str(n), r.content if not r.title or r.content.startswith(r.title) else f"{r.title}：{r.content}",
                     r.responsible_text, r.cooperating_text) for n, r in enumerate(rows, 1)]


def _full_name(corpus: Corpus, unit_id: str, written: str) -> str:
    """云阳县人民政府办公室 for 县政府办公室: the alias naming the jurisdiction, as a 发文机关标志 reads — one that
    starts with it (not the standard units' parent-qualified 重庆市云阳县…, used for lookup) and ends as the unit's
    own name does (办公室, not a lent 办公厅)."""
    unit = corpus.unit(unit_id)
    if unit is None:
        return written
    full = [a for a in unit.aliases if a.startswith(unit.jurisdiction)]
    if not full:
        return written if written.startswith(unit.jurisdiction) else unit.jurisdiction + written
    return max(full, key=lambda a: (a.endswith(unit.name[-3:]), len(a)))


def _plain_todos(content: list[Heading | Measure], words: Callable[[list[str]], list[str]]) -> None:
    for node in content:
        node.todos = words(node.todos)
        _plain_todos(getattr(node, "content", []), words)


def _paragraphs(text: str | None) -> list[str]:
    return [p for p in (text or "").split("\n") if p.strip()]


def _content(policy: Policy, section: str | None, parent: str | None, level: int,
             duties: DutyClauses) -> list[Heading | Measure]:
    nodes: list[tuple[int, Section | Task]] = [(s.order, s) for s in policy.sections
                                               if s.parent == section and parent is None]
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
    from .templating import environment

    policy = corpus.policy(policy_id)
    assert policy is not None, "a draft is rendered from the corpus it was compiled into"
    text = environment().get_template("draft/document.md.j2").render(doc=document(corpus, policy))
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
