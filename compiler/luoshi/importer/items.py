"""Numbered parts and table rows → draft items: ids, kinds, titles, original text, units, values, sub-tasks.

- Ids follow the document's own numbering as dotted numbers (二、（一）一是 → 2.1.1); a table row keeps its 序号.
- A part with numbered children is a 部分; a measure is a 任务, or a 条款 when its title says it assigns no work
  (指导思想, 工作目标 …), or a 阶段 under 实施步骤 (with the period its title gives).
- Units come from the measure's （责任单位：…） clause; with none, from the actors the text names (`各镇街要…`,
  `民政部门要…`); with none of those either, the addressees stand in, marked （据主送）, and a 待定 says so.
- 一是…二是… (or 一要…二要…) split a measure into sub-tasks, which inherit the measure's units (the resolver does that) and
  add the actors their own text names.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from luoshi import model

from ..semantics.numerals import CN_NUMERALS
from ..syntax import ast
from ..syntax.unparse import date as written_date
from . import extracted as draft
from . import values
from .clauses import Clause, labelled_clause, split_clause
from .duties import by_roles as _by_roles
from .duties import known_units, named_duties, prose_duties
from .quantities import CAPACITY, MONEY, QuantityRow, QuantityTable
from .structure import Node, Row
from .units import Mention, UnitResolver

CLAUSE_TITLES = re.compile(r"^(指导思想|基本原则|总体要求|总体目标|主要目标|工作目标|发展目标|目标任务|适用范围|工作原则|"
                           r"基本要求|政策依据|编制依据|重要意义|.{0,6}对象|.{0,6}目标|.{0,6}原则)$")
STEP_SECTIONS = re.compile(r"(实施步骤|工作步骤|步骤安排|进度安排|时间安排|实施阶段|工作安排)")
SUBTASK = re.compile(r"(?:(?<=^)|(?<=[。；;，,：:]))\s*([" + CN_NUMERALS + r"])(?:是|要)")
ACTOR = re.compile(r"([^，。；;：:“”]{2,60}?)(?:要(?![求是素点])|应当|应(?![急用对答])|须|必须|负责(?!人|同志))")
PERIOD_IN_TITLE = re.compile(r"^(.+?)[（(]([^（）()]*(?:\d{4}年|持续)[^（）()]*)[）)]$")


@dataclass
class Context:
    """What items need from the whole document while they are built."""

    resolver: UnitResolver
    addressees: list[Mention]
    lead_first: bool = False
    todos: list[tuple[int, str]] = field(default_factory=list)  # (source line, text) of every 待定, for diagnostics
    scope_names: list[str] = field(default_factory=list)
    inherits: int = 0  # > 0 while building the children of an item that names their unit (「X职责」)
    staged: int = 0  # > 0 while building the paragraphs of a plan's part staged by 到2025年 (`_stages`)
    year: int | None = None  # the document's year (its date): what 5月12日前, written with none, falls in


def first_sentence(text: str, limit: int = 60) -> str | None:
    m = re.match(rf"^([^。]{{2,{limit}}}?)。", text)
    return m.group(1) if m else None


# ───────────── body parts ─────────────


def node_item(node: Node, parent: str | None, ctx: Context, steps: bool = False, clauses: bool = False) -> draft.Item:
    nid = f"{parent}.{node.number}" if parent else str(node.number)
    heading = node.paras[0]
    if _listing(node, ctx):  # 「电脑派位录取过程如下：（1）…（2）…」: the list stays in the item's text
        node = Node(node.level, node.number, node.label,
                    node.paras + [c.marker + "".join(c.paras) for c in node.children], node.line, marker=node.marker)
    staged = False
    if _paragraph_items(node, ctx):
        staged = node.level > 1 and _stages(node.paras[1:])
        clauses = bool(CLAUSE_TITLES.match(heading.rstrip("。：:；;")))  # 基本原则's paragraphs assign no work
        node = Node(node.level, node.number, node.label, [heading], node.line,
                    [Node(node.level + 1, i, str(i), [p], node.line) for i, p in enumerate(node.paras[1:], 1)])
    title: str | None
    if node.level == 1 or (node.children and "。" not in heading):
        title = first_sentence(heading, 30) or heading.rstrip("。：:；;")
        text = "".join(node.paras[1:]) if title == heading.rstrip("。：:；;") else "".join(node.paras)
        paras = node.paras[1:] if title == heading.rstrip("。：:；;") else node.paras
    elif len(node.paras) > 1 and "。" not in heading and len(heading) <= 30 and labelled_clause(node.paras, False):
        # 蔡甸 「（一）地区生产总值增长6.5%以上」 / 「责任单位：区发展和改革局」: the line is the measure, the label its clause
        title, text, paras = heading.rstrip("：:；;"), "".join(node.paras), node.paras
    elif len(node.paras) > 1 and "。" not in heading and len(heading) <= 30 and not split_clause(heading, False)[1]:
        title, paras = heading.rstrip("：:；;"), node.paras[1:]  # （一）加强组织领导 on its own line: a title
    else:
        title, text, paras = first_sentence(heading), "".join(node.paras), node.paras
    labelled = labelled_clause(paras, ctx.lead_first)
    text, clause, tail = _clause_of(paras, ctx)
    if labelled:  # the label lines are the clause, not the measure's text
        paras = paras[: len(paras) - labelled[0]]
    if clause and clause.declared:
        ctx.lead_first = True
    in_steps = steps or bool(title and STEP_SECTIONS.search(title))
    owner = _duty_heading(title, node, clause, ctx)
    if owner:  # 1.乡镇消防安全委员会职责 / （1）… (1)…: the duties listed below are that unit's
        item = draft.Item("task", nid, title, text, node.line)
        item.responsible = owner
        item.notes.append("原文无责任单位条款，单位取自标题（「X职责」），其下各项同属该单位")
        ctx.inherits += 1
        try:
            item.children = [node_item(child, nid, ctx, in_steps) for child in node.children]
        finally:
            ctx.inherits -= 1
        return item
    if node.children and not clause:
        item = draft.Item("section", nid, title or heading[:30], text, node.line)
        clauses = clauses or bool(title and CLAUSE_TITLES.match(title))  # 基本原则's （一）… assign no work
        if text and not clauses and (prose_duties(text, ctx.resolver) or find_actors(text, ctx.resolver)):
            item.children.append(_intro_item(item, paras, ctx))
        ctx.staged += staged
        try:
            for child in node.children:
                item.children.append(node_item(child, nid, ctx, in_steps, clauses))
        finally:
            ctx.staged -= staged
        return item
    kind = "phase" if steps or (title and title.endswith("阶段")) else \
        "clause" if (clauses or (title and CLAUSE_TITLES.match(title))) and not clause else "task"
    item = draft.Item(kind, nid, title, text, node.line)
    if tail:
        _todo(item, f"责任单位条款之后另有未编号的段落「{tail[:40]}…」：请确定它属于本项还是另成一项", ctx)
    if kind == "phase" and title:
        _phase_period(item)
    _fill(item, _without_clause(paras, clause, ctx) if clause else paras, clause, ctx)
    for child in node.children:
        item.children.append(node_item(child, nid, ctx, in_steps))
    return item


def _without_clause(paras: list[str], clause: Clause, ctx: Context) -> list[str]:
    """The measure's paragraphs with the clause's brackets taken out: the time a clause closes with (国发 「（…按职责
    分工负责，6月底前出台政策措施）」) is read once, as the clause's, not again from the sentence with 「…措施）」 as its
    label."""
    for i in range(len(paras) - 1, -1, -1):
        rest, found = split_clause(paras[i], ctx.lead_first)
        if found:
            return paras[:i] + [rest] + paras[i + 1:]
    return paras


def _intro_item(section: draft.Item, paras: list[str], ctx: Context) -> draft.Item:
    """A part's introduction that names an actor (10's 四、「…各村及营商办在确定减量时序时，应遵循…」, 03's 五、（一）
    「区级相关部门要…」) is the part's item 0, not text without an owner (docs/encoding.md §7)."""
    intro = draft.Item("task", f"{section.id}.0", first_sentence(section.text, 30), section.text, section.line)
    section.text = ""
    _fill(intro, paras, None, ctx)
    intro.notes.append("部分的引言段点名了主体，记为本部分的第 0 项")
    return intro


DUTY_HEADING = re.compile(r"^(.{2,40}?)(?:的)?(?:主要|工作|工作)?(?:职责|责任)$")


def _duty_heading(title: str | None, node: Node, clause: Clause | None, ctx: Context) -> list[Mention]:
    """A part titled by a unit's duties (乡镇消防安全委员会职责) whose numbered children list them: the unit."""
    m = DUTY_HEADING.match(title or "")
    if not m or not node.children or clause is not None:
        return []
    return known_units(m.group(1), ctx.resolver)


def _listing(node: Node, ctx: Context) -> bool:
    """Numbered lines that spell out what an item introduces with 如下： / 包括： (20's 「电脑派位录取过程如下：」 over
    its steps （1）…（3）, 13's 「体检报告主要内容包括：」) are its content, not sub-tasks (docs/encoding.md §7) — unless
    a line names a unit of its own."""
    if not node.children or any(c.children for c in node.children):
        return False
    # 「设置以下社区养老服务设施：」 · 「可按以下标准享受租金优惠：」 · 「应符合以下条件：」 (19's articles): what the
    # article lists, whatever the length of each entry (第三十六条's 补贴 run over several paragraphs)
    of_kind = re.search(r"以下[^，,。；;：:]{0,12}[：:]$", node.paras[-1])
    if not of_kind and any(len(c.paras) > 1 for c in node.children):
        return False  # 10's 「…专业服务如下：」 over （一）可研报告服务 and its own paragraph: titled measures
    if not of_kind and not re.search(r"(?:如下|包括|以下)[：:]$", node.paras[-1]):
        return False
    return not any(prose_duties("".join(c.paras), ctx.resolver) or find_actors("".join(c.paras), ctx.resolver)
                   for c in node.children)


def _stages(paras: list[str]) -> bool:
    """12's 「（三）智创和谐新境行动」 over 「优化功能品质…」 and four 「到2025年，在…方面，…」: a paragraph opening with a
    horizon after the first is a stretch of the plan of its own, so each paragraph is an item (docs/encoding.md §7);
    its horizon dates what it lists (no deadline of its own) and its 一是…二是… are the stretch's content."""
    return any(re.match(r"^(?:力争)?到\d{4}年", p) for p in paras[1:])


def _paragraph_items(node: Node, ctx: Context) -> bool:
    """A titled part (一、完善消防安全责任体系) whose text is unnumbered paragraphs, each naming its own actor or
    duty (各区政府要… / 各部门要…): each paragraph is an item of its own, numbered in order, never one merged task.
    Only when no paragraph carries a （责任单位：…） clause, which would close the whole part as one task. Below the
    top level (20's 「（一）公告」 over 「…各园应…」 and 「教育部门办幼儿园应于5月12日前…」) only when every paragraph
    names a registry unit doing something: there, paragraphs that describe one matter (a report's contents, a
    list of 排查对象：/排查主体：, the document's closing words) stay one item."""
    heading, rest = node.paras[0], node.paras[1:]
    if not (not node.children and len(rest) >= 2 and "。" not in heading and len(heading) <= 30
            and all("。" in p and len(p) >= 20 for p in rest) and not any(split_clause(p, False)[1] for p in rest)):
        return False
    if node.level > 1 and not _stages(rest) and not all(prose_duties(p, ctx.resolver) or find_actors(p, ctx.resolver)
                                                 for p in rest):
        return False
    # 工作目标's 到2022年… / 到2035年… paragraphs are one statement; 基本原则's titled paragraphs are several
    return not CLAUSE_TITLES.match(heading.rstrip("。：:；;")) or all(first_sentence(p, 15) for p in rest)


def _clause_of(paras: list[str], ctx: Context) -> tuple[str, Clause | None, str]:
    """(text without the clause, the clause, unnumbered text after the clause's paragraph). The clause closes
    the last paragraph that has one; paragraphs after it (a document's closing words) stay in the text. Labels on
    lines of their own after the measure (牵头单位:… / 责任单位:… / 完成时限:…) are its clause too."""
    labelled = labelled_clause(paras, ctx.lead_first)
    if labelled:
        return "".join(paras[: len(paras) - labelled[0]]), labelled[1], ""
    for i in range(len(paras) - 1, -1, -1):
        rest, found = split_clause(paras[i], ctx.lead_first)
        if found:
            tail = "".join(paras[i + 1:])
            return "".join(paras[:i]) + rest + tail, found, tail
    return "".join(paras), None, ""


def _phase_period(item: draft.Item) -> None:
    """`启动部署阶段（2019年3月底前）` → title 启动部署阶段, 时限 2019年3月底前 "启动部署阶段"."""
    m = PERIOD_IN_TITLE.match(item.title or "")
    if not m:
        return
    item.title = m.group(1)
    written = m.group(2)
    if "持续" in written:
        item.deadlines.append(ast.Ongoing(span=ast.NOWHERE, label=item.title))
        return
    found = values.extract(written)
    for d in found.deadlines:
        item.deadlines.append(dataclasses.replace(d, label=item.title))


def _fill(item: draft.Item, paras: list[str], clause: Clause | None, ctx: Context) -> None:
    """Units, values and sub-tasks of one measure."""
    text = item.text
    subtasks = [] if ctx.staged else _subtask_spans(text)
    own = text[: subtasks[0][0]] if subtasks else text
    _values(item, own if subtasks else None, paras, ctx)
    if _STANDING.search(own.strip()) and not any(isinstance(d, ast.Ongoing) for d in item.deadlines):
        # 「推动闲置国有房产用于社区服务,长期坚持。」: the measure's last words say how long, as a 完成时限 cell would
        item.deadlines.append(ast.Ongoing(span=ast.NOWHERE, label=None))
    if clause:
        item.clause = clause.written
        _clause_units(item, clause, ctx)
        _named_beside_collectives(item, own, ctx)
        if clause.when:
            _written_deadline(item, clause.when, ctx)
    elif item.kind != "clause" and (actor := heading_actor(own, ctx.resolver)):
        role, mentions = actor
        (item.lead if role == "lead" else item.responsible).extend(mentions)
        item.notes.append("原文无责任单位条款，单位取自本段开头的主体（「X。牵头…」「X：负责…」）")
    elif item.kind != "clause":
        duties = prose_duties(own, ctx.resolver)
        duties.add("responsible", find_actors(own, ctx.resolver))
        if duties:
            item.lead, item.cooperate = list(duties.lead), list(duties.cooperate)
            item.responsible = list(duties.responsible)
            item.notes.append("原文无责任单位条款，单位取自正文（「由X牵头」「X会同Y」「…要」「…负责」）")
        elif item.kind == "task" and not subtasks and not item.deadlines and not item.targets \
                and (not DUTY_WORDS.search(values.mask_citations(item.text).replace("本办法", "").replace("本细则", ""))
                     or _STATEMENT.search(item.text)):
            # 生态宜居。反映城市的…情况 · 本办法所称…是指…: no actor, no date, no number, no duty verb — a
            # statement of scope or definition, not work to assign (docs/encoding.md §7)
            item.kind = "clause"
        elif (not subtasks or item.kind == "task") and not ctx.inherits:
            _named_or_default_units(item, own, ctx)
    for start, end, number in subtasks:
        segment = text[start:end].strip()
        sub = draft.Item("task", f"{item.id}.{number}", None, segment, item.line)
        title = first_sentence(segment, 20)
        sub.title = title
        _values(sub, segment, [segment], ctx)
        actors = find_actors(segment, ctx.resolver)
        if actors and (clause or item.responsible or item.lead):
            sub.responsible = [a for a in actors if a.unit not in {m.unit for m in item.lead + item.responsible + item.cooperate}]
        elif actors:
            sub.responsible = actors
        item.children.append(sub)


def _subtask_spans(text: str) -> list[tuple[int, int, int]]:
    """(start, end, number) of 一是 … 二是 … segments, when they run in order from 一."""
    hits = [(m.start(), m.end(), CN_NUMERALS.index(m.group(1)) + 1) for m in SUBTASK.finditer(text)]
    sequence: list[tuple[int, int, int]] = []
    for start, end, number in hits:
        if number == len(sequence) + 1:
            sequence.append((start, end, number))
    if len(sequence) < 2 or re.search(r"(?:原则|条件|标准)[：:]\s*$", text[: sequence[0][0]]):
        return []  # 「自主招生遵循以下原则：一是…；二是…」 (20): principles of the measure, not sub-tasks
    return [(end, sequence[i + 1][0] if i + 1 < len(sequence) else len(text), number)
            for i, (start, end, number) in enumerate(sequence)]


# Words that ask for work: a measure without any of them (and without an actor, a date or a number) states no task
DUTY_WORDS = re.compile(r"(?<![主重纲需])要(?![求素点是])|(?<![相对适反供响效])应(?![急用对答])|须|负责|推进|推动|落实|加强|开展|建立|健全|完善|做好|实施|组织|提供|给予|确保|制定|"
                        r"编制|开发|搭建|建设|形成|提升|提高|强化|深化|优化|加快|加大|促进|引导|鼓励|支持|保障|督促|指导|"
                        r"检查|排查|整治|培训|宣传|发放|发布|掌握|办理|审核|审批|报送|上报|报告|申请|受理|评估|考核|监督|管理|服务")
HORIZON_SPLIT = re.compile(r"(?<=[。；;])(?=(?:到|至)\d{4}年(?:底|末)?[，,])")


def _values(item: draft.Item, text: str | None, paras: list[str], ctx: Context) -> None:
    """Deadlines, terms and targets of the text, paragraph by paragraph (a paragraph opening with 到2020年 dates
    the targets it lists)."""
    chunks = [text] if text is not None else paras
    # a sentence opening with 到2025年， starts a stretch its year dates (12's 「…。到2025年，全面完成…创建20个…」)
    chunks = [piece for chunk in chunks for piece in HORIZON_SPLIT.split(chunk) if piece]
    for chunk in chunks:
        m = re.match(r"^(?:到|至)(\d{4})年(底|末)?[，,]", chunk)
        found = values.extract(chunk, values.year_end(m.group(1)) if m else None, ctx.scope_names, year=ctx.year)
        if m and (found.targets or item.kind == "clause" or chunk is not chunks[0] or ctx.staged):
            # 到2022年，…列养率保持100%: the year dates the targets (截至 2022年底), it is not a deadline of its own;
            # a 条款 (工作目标) states an aim, it sets no deadline; nor does a 到2025年， horizon inside a measure
            horizon = ast.Due(end=values.year_end(m.group(1)), span=ast.NOWHERE)
            found.deadlines = [d for d in found.deadlines if values.unlabelled(d) != horizon]
        known = [values.unlabelled(x) for x in item.deadlines]
        item.deadlines += [d for d in found.deadlines if values.unlabelled(d) not in known]
        item.terms += found.terms
        item.targets += found.targets
        for todo in found.todos:
            _todo(item, todo, ctx)


_STANDING = re.compile(r"[，,](长期坚持|持续推进|长期推进|常态化推进)[。；;]?$")
MARKED_LEAD = re.compile(r"[（(]\s*牵头\s*[）)]")


def _clause_units(item: draft.Item, clause: Clause, ctx: Context) -> None:
    item.notes += clause.notes
    for rule, written in clause.lists:
        marked = MARKED_LEAD.search(written)
        mentions = ctx.resolver.mentions(MARKED_LEAD.sub("", written), item.line)
        if not mentions:
            continue
        if marked and rule != "cooperate":
            # 「区城管局（牵头），各街道」 in a 责任单位 cell: the text designates the lead; the others help it, as
            # under a lead-first rule (docs/encoding.md §1)
            name = re.split(r"[、，,；;]", written[: marked.start()])[-1].strip()
            lead = [m for m in mentions if m.written == name][:1]
            if lead:
                item.lead += lead
                item.cooperate += [m for m in mentions if m is not lead[0]]
                item.notes.append(f"原文「{written}」：标注（牵头）的单位牵头，其余记为配合")
                continue
        if rule == "cooperate":
            item.cooperate += mentions
        elif rule == "responsible":
            item.responsible += mentions
        elif len(mentions) == 1 and (rule == "lead" or clause.lead_first):
            item.lead += mentions  # a 牵头 column, or the document's lead-first rule (docs/encoding.md §1)
        elif rule == "ranked" and clause.lead_first:
            item.lead.append(mentions[0])
            item.cooperate += mentions[1:]
        else:
            item.responsible += mentions


def _named_beside_collectives(item: draft.Item, text: str, ctx: Context) -> None:
    """A clause naming only collectives (国发〔2018〕39号 （十三）「（各有关部门和单位按职责分工负责）」) over a text
    that names registry units at work (「人力资源社会保障部要统筹协调…。财政部要加大资金支持力度…」): those units are
    responsible too, as the reviewed encoding has them; a clause naming a unit of its own is left as it is."""
    assigned = item.lead + item.responsible + item.cooperate
    units = ctx.resolver.registry.units
    if not assigned or any(m.unit is None or units[m.unit].kind is not model.UnitKind.COLLECTIVE for m in assigned):
        return
    duties = prose_duties(text, ctx.resolver)
    seen = {m.unit for m in assigned}
    named = [m for m in duties.lead + duties.responsible if m.unit is not None and m.unit not in seen
             and units[m.unit].kind is not model.UnitKind.COLLECTIVE]
    if named:
        item.responsible += named
        item.notes.append("责任单位条款只写了集体，正文另点名的单位记为负责")


def _named_or_default_units(item: draft.Item, text: str, ctx: Context) -> None:
    """No registry unit acts in the measure: the actors it names as a tier's organs (proposed for the registry),
    else the addressees standing in."""
    duties = named_duties(text, ctx.resolver)
    if not duties:
        _default_units(item, ctx)
        return
    item.lead, item.cooperate, item.responsible = list(duties.lead), list(duties.cooperate), list(duties.responsible)
    item.notes.append("原文无责任单位条款，单位取自正文所写的主体（单位名录中没有，已提议登记）")


def _default_units(item: draft.Item, ctx: Context) -> None:
    if ctx.addressees:
        item.responsible = list(ctx.addressees)
        item.inferred = True
        shown = "、".join(m.written for m in ctx.addressees)
        _todo(item, f"原文未写明承办单位，暂按主送单位（{shown}）记为负责：请核对", ctx)
    else:
        _todo(item, "原文未写明承办单位，请指定牵头或负责单位", ctx)


def cover_units(items: list[draft.Item], ctx: Context, inherited: bool = False) -> None:
    """No task or phase is left silently without a unit: one that neither names a unit, nor takes one from the
    task or phase it belongs to, nor has sub-tasks of its own gets the addressees and a 待定 (a phase's sub-tasks
    under 实施步骤 often name no actor: `二是加强动态调整。要按照…`)."""
    for item in items:
        if item.kind in ("section", "group"):
            cover_units(item.children, ctx)
            continue
        if item.kind not in ("task", "phase"):
            continue
        has = bool(item.lead or item.responsible or item.cooperate)
        work = [c for c in item.children if c.kind in ("task", "phase")]
        asked = any("承办单位" in t or "责任单位" in t for t in item.todos)
        if not (has or inherited or work or asked):
            _default_units(item, ctx)
            has = bool(item.responsible)
        cover_units(item.children, ctx, inherited or has)


def _todo(item: draft.Item, text: str, ctx: Context) -> None:
    if text not in item.todos:
        item.todos.append(text)
        ctx.todos.append((item.line, text))


def find_actors(text: str, resolver: UnitResolver) -> list[Mention]:
    """Units the text makes responsible: `各镇街要…`, `县财政局要…`, `民政部门要…`, `财政、审计部门要…`."""
    found: dict[str, Mention] = {}
    for m in ACTOR.finditer(values.mask_citations(text)):
        subject = re.sub(r"^.*?(同时|另外|并且|其中|由|请)", "", m.group(1)).strip()
        if not subject or "□" in subject:
            continue
        if _all_known(subject, resolver):
            mentions = resolver.mentions(subject)
        else:
            mentions = _by_roles(subject, resolver) if subject.endswith("部门") else []
        for mention in mentions:
            found.setdefault(mention.unit or mention.written, mention)
    return list(found.values())


DUTY_VERBS = ("牵头", "负责", "配合", "协助", "协同", "具体负责", "做好", "会同", "积极", "协调", "根据", "主要负责")


def heading_actor(text: str, resolver: UnitResolver) -> tuple[str, list[Mention]] | None:
    """A duty block opening with its actor: 07's 「1.街道消委办。牵头开展…」, 08's 「区民防办：负责…」. The name
    must be a registry unit, or read as an organisation with a duty verb after it (then it is proposed, like
    any unit a clause names). 牵头 after it names no partner: 负责."""
    from .clean import looks_like_org

    m = re.match(r"^([^，,。；;：:、“”\s]{2,24})[。：:]\s*", text)
    if not m:
        return None
    name, rest = m.group(1), text[m.end():]
    found = resolver.mention(name, propose=False)
    if found is None and looks_like_org(re.sub(r"[（(][^（）()]*[）)]$", "", name)) and rest.startswith(DUTY_VERBS):
        found = resolver.mention(name)
    if found is None:
        return None
    # 「街道消委办。牵头开展…」 names no partner: 负责, not a designated lead (docs/encoding.md §1)
    return "responsible", [found]


def _all_known(subject: str, resolver: UnitResolver) -> bool:
    """Only a subject made wholly of registry names counts (never propose a unit from running text)."""
    from .units import split_top

    parts = split_top(subject)
    return bool(parts) and all(resolver.mention(p, propose=False) or _split_known(p, resolver) for p in parts)


def _split_known(part: str, resolver: UnitResolver) -> bool:
    for sep in ("和", "及", "与"):
        bits = [b for b in part.split(sep) if b]
        if len(bits) > 1 and all(resolver.mention(b, propose=False) for b in bits):
            return True
    return False


# ───────────── table rows ─────────────


# The articles of a 办法 that state its own frame, whatever verbs they use (规范, 制定): purpose (为了…，制定本办法),
# scope (…适用本办法): one sentence, the whole text; definition (本实施细则所称…是指…) and entry into force
# (本实施细则自印发之日起施行,有效期5年。…废止): opening the text.
_OWN = r"本(?:办法|细则|规定|条例|方案|实施方案|实施细则)"
_STATEMENT = re.compile(r"^(?:(?:为了?|根据)[^。]*制定" + _OWN + r"。?$|[^。]*适用" + _OWN + r"。?$|" + _OWN + r"所称|"
                        + _OWN + r"自[^。，,]*(?:施行|实施))")


def row_item(row: Row, ctx: Context, counter: int) -> draft.Item:
    nid = row.number if re.fullmatch(r"\d+", row.number or "") else str(counter)
    grouped = row.group is not None
    title = (first_sentence(row.content, 30) if grouped else row.title) or row.title or first_sentence(row.content, 30)
    item = draft.Item("task", nid, title, row.content, row.line)
    clause = Clause(row.units.get("responsible") or row.units.get("lead") or "", lead_first=False)
    if row.units.get("lead"):
        clause.lists.append(("lead", row.units["lead"]))
    if row.units.get("responsible"):  # beside a 配合单位 column it is the lead column (璧山); alone, 负责 (03's 行使主体)
        clause.lists.append(("lead" if "cooperate" in row.units else "ranked", row.units["responsible"]))
    if row.units.get("cooperate"):
        clause.lists.append(("cooperate", row.units["cooperate"]))
    _values(item, row.content, [row.content], ctx)
    if clause.lists:
        _clause_units(item, clause, ctx)
        item.clause = "；".join(cell for _, cell in clause.lists)  # the row's unit cells are its clause
    else:
        _todo(item, "责任分工表此行未填责任单位，请指定", ctx)
    written = row.units.get("deadline")
    if written:
        _written_deadline(item, written, ctx)
    if row.units.get("note"):
        item.notes.append(row.units["note"])
    if row.units.get("leader"):  # the leader who answers for the row (牵头领导：张三 李四): the 督查 chases them too
        item.notes.append(row.units["leader"])
    if row.carried:
        _todo(item, f"原表此行{'、'.join(row.carried)}栏为空（合并单元格）：已沿用上一行，请核对", ctx)
    return item


def _written_deadline(item: draft.Item, written: str, ctx: Context) -> None:
    """A time given apart from the measure's sentence (a 完成时限 cell or label, 「；长期坚持」 closing a clause) is the
    measure's 时限, before any the sentence holds; a bare frequency (每季度, 每月) is a recurring one. What cannot be
    read as a time is a 待定 quoting it."""
    found = values.extract(written, year=ctx.year)
    if found.deadlines:
        item.deadlines = [values.unlabelled(d) for d in found.deadlines] + item.deadlines
    elif bare := BARE_FREQUENCY.fullmatch(written.strip()):
        if not any(isinstance(d, ast.Recurring) and d.frequency == bare.group(1) for d in item.deadlines):
            item.deadlines.insert(0, ast.Recurring(span=ast.NOWHERE, frequency=bare.group(1)))
    elif WHOLE_YEAR.fullmatch(written.strip()) and ctx.year is not None:
        # 霍山's 责任清单 「全年」 (年内): the work of the document's year, done by its end
        item.deadlines.insert(0, ast.Due(end=values.year_end(ctx.year), before=True, span=ast.NOWHERE))
        item.notes.append(f"完成时限原文「{written.strip()}」，按成文当年年底记")
    elif ONGOING_WORDS.search(written):
        # 国发's 「年内持续推进」, a cell's 「全年持续推进」: the work goes on, no date to meet
        item.deadlines.insert(0, ast.Ongoing(span=ast.NOWHERE, label=None))
        item.notes.append(f"完成时限原文「{written.strip()}」，记为持续")
    else:
        _todo(item, f"完成时限「{written}」无法识别为日期，请改写为时限", ctx)


ONGOING_WORDS = re.compile(r"持续|长期|常态化")
WHOLE_YEAR = re.compile(r"全年|年内|全年推进|全年完成|当年|本年度|年度内")
BARE_FREQUENCY = re.compile(r"(每年|每半年|每季度|每月|每周|每日|每天)(?:一次|1次)?")


# ───────────── quantity tables ─────────────


def quantity_item(table: QuantityTable, row: QuantityRow, prefix: str, ctx: Context) -> draft.Item:
    """One row of a quantity table (quantities.py) as a task: its owner column the responsible units, its date
    (its own date column, else the table title's one year) the deadline, its numeric columns dated targets."""
    words = [cell for cell, col in zip(row.cells, table.columns) if col.kind in ("word", "date") and cell]
    title = "".join(re.sub(r"\s+", "", w) for w in words)[:40] or None
    item = draft.Item("task", f"{prefix}.{row.number}", title, "".join(row.printed), row.line)
    for cell, col in zip(row.cells, table.columns):
        if col.kind == "owner" and cell:
            item.responsible += [m for m in ctx.resolver.mentions(cell, row.line)
                                 if m.unit not in {x.unit for x in item.responsible}]
    dated = next((m for c, col in zip(row.cells, table.columns) if col.kind == "date"
                  for m in [values.YEAR_ONLY.match(c)] if m), None)
    year = dated.group(1) if dated else table.year
    by = values.year_end(year) if year else None
    if by:
        item.deadlines.append(ast.Due(end=by, span=ast.NOWHERE))
    for cell, col in zip(row.cells, table.columns):
        if col.kind != "number" or not cell or col.unit in MONEY or CAPACITY.search(col.name):
            continue
        value = cell.rstrip("%")  # a cell is a number, or a percentage (quantities._NUMERIC)
        item.targets.append(values.target(col.name, values.reach(value, cell[len(value):] + col.unit), by))
    if not item.responsible:
        _todo(item, "表中此行未写承办单位，请指定负责单位，或确认本项不分派单位", ctx)
    if row.carried:
        _todo(item, f"原表此行{'、'.join(row.carried)}栏为空（合并单元格）：已沿用上一行，请核对", ctx)
    if by and not dated:
        _todo(item, f"时限「{written_date(by)}」取自表题中的年份，请核对", ctx)
    return item
