"""Layout → draft policy: header fields, jurisdiction, parent documents, body items, annex tables.

The jurisdiction is the issuer's: looked up in the registry (重庆市人民政府办公厅 → 重庆市), else read from the
issuer's name (重庆市合川区… → the deepest jurisdiction named), else proposed (国务院 → 中国, 国家级).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from luoshi import model
from luoshi.semantics.registry import Registry, fold
from luoshi.syntax.unparse import unit_name

from . import citations, ids, keyedtable, links, values
from . import extracted as draft
from .items import Context, cover_units, node_item, quantity_item, row_item
from .keyedtable import KeyedTable
from .structure import Annex, Layout, Node
from .tablerows import rows_into_body
from .units import UNKNOWN_JURISDICTION, JurisdictionProposal, Mention, Proposal, UnitResolver

NATIONAL_ISSUERS = ("国务院", "国务院办公厅", "中共中央", "中共中央办公厅", "全国人民代表大会", "全国人大常委会")
IMPLEMENT_WORDS = re.compile(r"(贯彻落实|贯彻|落实|根据|按照|依据|执行)[^。；]{0,20}$")


@dataclass
class Options:
    policy_id: str | None = None
    jurisdiction: str | None = None
    parent: str | None = None  # the id of a policy in the corpus this document carries out (--parent)


@dataclass
class Issue:
    """Something the import leaves to a person, with the source line it concerns."""

    code: str
    line: int
    zh: str
    en: str
    column: int = 1


@dataclass
class Result:
    policy: draft.Policy
    proposals: list[Proposal] = field(default_factory=list)
    jurisdiction: JurisdictionProposal | None = None
    issues: list[Issue] = field(default_factory=list)


def build_policy(layout: Layout, corpus: model.Corpus, registry: Registry, options: Options) -> Result:
    jurisdiction, proposed = _jurisdiction(layout, registry, options)
    if jurisdiction is None:
        jurisdiction, proposed = UNKNOWN_JURISDICTION, JurisdictionProposal(UNKNOWN_JURISDICTION, None, None, None)
    resolver = UnitResolver(registry, jurisdiction)
    result = Result(draft.Policy(id=""), jurisdiction=proposed)
    p = result.policy
    p.title, p.number, p.jurisdiction = layout.title, layout.number, jurisdiction
    p.level = proposed.level if proposed else (registry.jurisdictions[jurisdiction].level if jurisdiction else None)
    p.id = options.policy_id or ids.id_from_number(layout.number) or ids.id_from_title(layout.title or "policy")
    if layout.date:
        p.date = values.cn_date(*layout.date)
    p.issuers = [m for name, line in layout.issuers for m in resolver.mentions(name, line)]
    if layout.addressees:
        p.addressees = resolver.mentions(*layout.addressees)
    if layout.cc:
        p.cc = resolver.mentions(*layout.cc)
    p.preamble = layout.preamble
    p.notes += layout.notes
    p.todos += layout.todos
    if layout.transmittal:
        p.notes.append(f"印发通知正文：「{layout.transmittal}」")
    if layout.attached_title:
        p.notes.append(f"原文为所附《{layout.attached_title}》")
    _header_issues(layout, result)
    docs = _Documents(corpus, registry, resolver, p)
    head = f"{layout.title or ''}。{layout.preamble or ''}"
    docs.short = citations.short_names(head)
    for c in citations.find(head):
        if c.number is None and re.search(r"印发\s*$", head[: c.start]) and (
                not layout.attached_title or _same_title(c.title, layout.attached_title)):
            continue  # 「关于印发《X方案》的通知」: X is the text this notice carries (鞍山), not a document it carries out
        doc = docs.id_for(c)
        if doc and doc != p.id and doc not in p.implements:
            p.implements.append(doc)
    if options.parent and options.parent not in p.implements and options.parent != p.id:
        p.implements.append(options.parent)
    # a table with no date of its own (余杭's 任务分解表 as a workbook) dates its 「全年」 by the year its title names
    titled = re.match(r"^\D{0,12}?(\d{4})年", p.title or "")
    year = p.date.year if p.date else int(titled.group(1)) if titled else None
    ctx = Context(resolver, p.addressees, scope_names=_collective_names(resolver), year=year)
    _body(layout, p, ctx)
    _same_below(p.body)
    _no_stand_ins_in_prose(p, ctx)
    displaced: list[str] = []
    if rows_into_body(p, BESIDE_TABLE, displaced):
        _unwrap_body(p)
    _drop_unused_proposals(p, resolver, displaced)
    _unread_annexes(layout, result)
    for item in p.items():
        for c in citations.find(item.text):
            doc = docs.id_for(c)
            if doc and doc != p.id and doc not in p.implements:
                if item.kind != "section" and doc not in item.cites:  # a 部分 carries no 引用: the policy does
                    item.cites.append(doc)
                if doc not in p.cites:
                    p.cites.append(doc)
    _link(p, corpus, result)
    for line, text in ctx.todos:
        code = "LS611" if "承办单位" in text or "责任单位栏" in text else "LS612"
        result.issues.append(Issue(code, line, text, _en(code)))
    result.proposals = sorted(resolver.proposals.values(), key=lambda x: x.first_line)
    for prop in result.proposals:
        shown = f"（原文「{prop.written_in[:50]}」）" if prop.written_in and prop.written_in != prop.name else ""
        result.issues.append(Issue("LS610", prop.first_line, f"单位「{prop.name}」不在单位名录中，已提议为新条目{shown}", _en("LS610")))
    if proposed:
        p.todos.insert(0, f"辖区「{proposed.name}」不在单位名录中：已在单位名录草稿中提议（类型 {proposed.kind or '待定'}，层级 {proposed.level or '待定'}），请核对")
    for prop in result.proposals:
        merged = f"为「{prop.merged[0]}」（别名 {prop.merged[1]}）" if prop.merged else ""
        p.todos.append(f"单位「{prop.name}」不在单位名录中：已在单位名录草稿中提议{merged}（{prop.kind}，角色 {prop.role or '待定'}），请核对")
    return result


ASIDE = "条款另有说明："


def _same_below(items: list[draft.Item]) -> None:
    """A clause's aside closed by 「下同」 (四川 「〔责任单位:…按职责分工负责。具体任务均涉及相关市(州)人民政府,不再做分工,
    下同。〕」) holds for the measures after it in the same part: each notes it, so that the 督查 reading item 1.3 alone
    still learns the 市(州) are not assigned it — it was on the first item only."""
    for part in _body_parts(items):
        said: tuple[str, str] | None = None
        for item in part.walk():
            aside = next((n for n in item.notes if n.startswith(ASIDE) and "下同" in n), None)
            if aside:
                said = (item.id, aside.removeprefix(ASIDE))
            elif said and item.kind in ("task", "clause"):
                item.notes.append(f"第 {said[0]} 项条款另有说明{said[1]}（原文「下同」），本项同样适用")


def _body_parts(items: list[draft.Item]) -> Iterator[draft.Item]:
    """The parts of the body: a section holding only sections (正文, an annex) is not a part, its sections are."""
    for item in items:
        if item.kind == "section" and item.children and all(c.kind == "section" for c in item.children):
            yield from _body_parts(item.children)
        else:
            yield item


def _same_title(cited: str, title: str) -> bool:
    """A title cited inside 《》 writes the 《》 it holds as 〈〉 (石景山 「印发《石景山区贯彻落实〈关于…的意见〉的任务分解方案》」
    over the 方案's own 「石景山区贯彻落实《关于…的意见》的任务分解方案」): the same title."""
    inner = str.maketrans("〈〉", "《》")
    return fold(cited).translate(inner) == fold(title).translate(inner)


def _link(p: draft.Policy, corpus: model.Corpus, result: Result) -> None:
    """落实 links to the measures of the parents in the corpus (links.py); the parent measures left with no
    child measure are reported, one issue per parent."""
    parents = [q for pid in p.implements if (q := corpus.policy(pid)) is not None and q.kind is model.PolicyKind.POLICY]
    unsure, unlinked = links.apply(p, parents)
    for item, todo in unsure:
        result.issues.append(Issue("LS617", item.line, todo, "a 落实 link proposed from similar wording: check it"))
    for pid in dict.fromkeys(pid for pid, _ in unlinked):
        ids_ = "、".join(t for q, t in unlinked if q == pid)
        zh = f"上级文件 {pid} 的措施 {ids_} 没有下级措施落实（按文字未找到对应项）：请核对，确无对应的删去此条"
        p.todos.append(zh)
        result.issues.append(Issue("LS616", 1, zh, f"measures {ids_} of the parent {pid} are carried out by no measure of this draft"))


def _en(code: str) -> str:
    return {"LS610": "a unit not in the registry: a registry entry is proposed",
            "LS611": "no responsible unit written: the addressees stand in until a person decides",
            "LS612": "a date, deadline or number left open"}[code]


def _header_issues(layout: Layout, result: Result) -> None:
    missing = [zh for zh, value in (("标题", layout.title), ("文号", layout.number), ("发文机关", layout.issuers),
                                    ("成文日期", layout.date)) if not value]
    if missing:
        zh = f"未识别出{'、'.join(missing)}（原文可能未印）"
        result.issues.append(Issue("LS613", layout.title_line or 1, zh,
                                   "not recognised: " + ", ".join(missing) + " (the document may not print it)"))
        result.policy.todos.append(f"{zh}：请对照原文补上；原文确未印的，删去此条")
    if not layout.nodes and not any(a.tables or a.quantities for a in layout.annexes):
        result.issues.append(Issue("LS614", layout.preamble_line or 1, "未识别出编号层次（一、（一）1.）或责任分工表",
                                   "no numbered parts (一、（一）1.) or responsibility table recognised"))


STAND_IN = "原文未写明承办单位，暂按主送单位"
PROSE_ACTORS = "单位取自正文"
NO_ACTOR = "原文此段未点名承办单位（全文以段落分派职责，没有责任单位条款或分工表）：请指定负责单位，或确认本项不分派单位"


def _no_stand_ins_in_prose(p: draft.Policy, ctx: Context) -> None:
    """A document that assigns its duties in prose (各区政府要… / 各部门要…) and has no （责任单位：…） clause or
    table anywhere: where paragraphs name actors beyond the addressees (各乡镇（街道）要… / 各居（村）委要…), a
    paragraph naming none is a statement of the whole, not the addressees' task. The
    addressees are taken back off it and its 待定 says that no actor is named (in 04, a stand-in put the three
    addressees on 15 of 19 paragraphs)."""
    items = list(p.items())
    tabled = [x for x in p.body if x.kind == "section" and x.id.startswith("附件")]
    if tabled and any(i.lead or i.responsible for x in tabled for i in x.walk() if i.kind == "task"):
        _no_stand_ins_beside_a_table(p)
        return
    if any(i.clause for i in items) or tabled:
        _closing_parts_beside_clauses(p, ctx)
        return
    addressed = {m.unit or m.written for m in p.addressees}
    named = {m.unit or m.written for i in items if any(PROSE_ACTORS in n for n in i.notes)
             for m in i.lead + i.responsible + i.cooperate}
    if not named - addressed:
        return  # the text names no actor but its addressees (大足民发〔2019〕26号: 各镇街要…): they are who it speaks to
    for item in items:
        stand_in = next((t for t in item.todos if t.startswith(STAND_IN)), None)
        if stand_in is None:
            continue
        item.responsible, item.inferred = [], False
        item.todos[item.todos.index(stand_in)] = NO_ACTOR
        ctx.todos[:] = [(line, NO_ACTOR if text == stand_in and line == item.line else text) for line, text in ctx.todos]


CLOSING_PART = re.compile(r"^(?:保障措施|组织实施|工作要求|组织保障|保障机制|工作保障|有关要求|实施保障)$")
CLOSING_NO_ACTOR = ("保障措施未点名承办单位（本文件的任务以责任单位条款分派，本段没有）：请指定负责单位，"
                    "或确认本项是对各责任单位的共同要求、不单独分派单位")


def _closing_parts_beside_clauses(p: draft.Policy, ctx: Context) -> None:
    """A document that assigns each measure by its （牵头单位：…）clause, closing with 保障措施 paragraphs that name no
    one (湖北 「（二）强化督查考核。将营商环境工作纳入年度目标考核…」): the addressees do not stand in there — every
    government and department the notice is sent to is not who the paragraph sets to work, and the official
    reading （据主送） on it would have to take them all off. Its 待定 says what the paragraph is."""
    for part in p.body:
        if part.kind != "section" or not CLOSING_PART.match(re.sub(r"\s+", "", part.title or "")):
            continue
        for item in part.walk():
            stand_in = next((t for t in item.todos if t.startswith(STAND_IN)), None)
            if stand_in is None:
                continue
            item.responsible, item.inferred = [], False
            item.todos[item.todos.index(stand_in)] = CLOSING_NO_ACTOR
            ctx.todos[:] = [(line, CLOSING_NO_ACTOR if text == stand_in and line == item.line else text)
                            for line, text in ctx.todos]


BESIDE_TABLE = "正文本项未写承办单位，分工见附件的任务分工表：请核对本项对应表中哪一行，或确认本项不分派单位"


def _no_stand_ins_beside_a_table(p: draft.Policy) -> None:
    """A document whose annex table assigns the work (16's 附件2 任务分工表): a body item with no clause of its
    own is explained by the table's rows, so the addressees are not put on it; its 待定 points to the table."""
    for section in p.body:
        if section.kind == "section" and section.id.startswith("附件"):
            continue
        for item in section.walk():
            stand_in = next((t for t in item.todos if t.startswith(STAND_IN)), None)
            if stand_in is not None:
                item.responsible, item.inferred = [], False
                item.todos[item.todos.index(stand_in)] = BESIDE_TABLE


def _number_repeated_rows(section: draft.Item) -> None:
    """Rows that share a 序号 (泾县: 序号 3 merged down over two rows, each its own measure and 时限) are that task's
    parts, 3.1 and 3.2: one id twice would not check (LS202)."""
    for item in section.walk():
        tasks = [c for c in item.children if c.kind == "task"]
        count: dict[str, int] = {}
        for child in tasks:
            count[child.id] = count.get(child.id, 0) + 1
        seen: dict[str, int] = {}
        for child in tasks:
            if count[child.id] > 1:
                seen[child.id] = seen.get(child.id, 0) + 1
                child.notes.append(f"原表序号「{child.id}」跨{count[child.id]}行（合并单元格），本行为其第{seen[child.id]}行")
                child.id = f"{child.id}.{seen[child.id]}"


def _has_text(annex: Annex) -> bool:
    """Numbered text an annex is made of (not a bare list of attachment titles), at any depth: 嘉鱼's 附件1 is
    short part headings 「一、2021年经济社会发展主要目标」 over measures 「(一)地区生产总值增长10%。[牵头单位:…]」."""
    def walk(nodes: list[Node]) -> Iterator[Node]:
        for n in nodes:
            yield n
            yield from walk(n.children)
    return any(n.level > 0 and ("。" in " ".join(n.paras) or len(" ".join(n.paras)) > 40) for n in walk(annex.nodes))


def _unread_annexes(layout: Layout, result: Result) -> None:
    """An annex with neither a responsibility table nor numbered text is not imported — and says so (LS615), so
    that a reviewer encodes it by hand or decides it holds no duty; it is never glued onto the last task."""
    for number, annex in enumerate(layout.annexes, start=1):
        if annex.skipped:  # 16's 附件1 监测指标体系 beside its 附件2 任务分工表: a table with no unit column
            first = annex.skipped[0]
            zh = (f"附件中有 {len(annex.skipped)} 行表格（第 {first.line} 行起：「{first.text[:30]}」）不属于可识别的"
                  "责任分工表，未能读入")
            result.issues.append(Issue("LS615", first.line, zh, f"{len(annex.skipped)} table rows from line "
                                       f"{first.line} are not part of a recognised responsibility table: not read"))
            result.policy.todos.append(zh + "：请对照原文补录，或确认其中没有需要编码的任务后删去此条")
        if annex.tables or _has_text(annex) or annex.quantities is not None or annex.keyed is not None:
            continue
        title = annex.title[:40] or f"附件{number}"
        listed = "；".join(" ".join(n.paras)[:30] for n in annex.nodes if n.level > 0)
        zh = (f"附件（第 {annex.line} 行起）只列出标题「{listed}」，原文中没有其内容" if listed else
              f"附件「{title}」（第 {annex.line} 行起）未能读入：既不是可识别的责任分工表，也没有编号条目")
        result.issues.append(Issue("LS615", annex.line, zh, f"annex {number} (line {annex.line}) not read: "
                                   "neither a recognised responsibility table nor numbered text"))
        result.policy.todos.append(zh + "：请对照原文补录，或确认其中没有需要编码的任务后删去此条")


def _collective_names(resolver: UnitResolver) -> list[str]:
    return [name for name, uid in resolver.names_in_scope()
            if resolver.registry.units[uid].kind is model.UnitKind.COLLECTIVE]


# ───────────── jurisdiction ─────────────


def _jurisdiction(layout: Layout, registry: Registry, options: Options) -> tuple[str | None, JurisdictionProposal | None]:
    if options.jurisdiction:
        known = registry.canonical_jurisdiction(options.jurisdiction)
        return (known, None) if known else (options.jurisdiction, JurisdictionProposal(options.jurisdiction, None, None, None))
    names = [name for name, _ in layout.issuers]
    for name in names:
        found = registry.lookup(name, None)
        if len(found) == 1:
            return registry.units[found[0]].jurisdiction, None
    best: tuple[tuple[int, int], str] | None = None
    parent: str | None
    for j in registry.jurisdictions.values():
        for written in (j.id, *j.aliases):
            if any(written in name for name in names):
                rank = (len(registry.ancestors(j.id)), len(written))
                if best is None or rank > best[0]:
                    best = (rank, j.id)
    if best:
        chain = max((places(name) for name in names), key=len, default=[])
        matching = [i for i, (place, _) in enumerate(chain) if registry.canonical_jurisdiction(place) == best[1]]
        if matching and matching[-1] < len(chain) - 1:  # the issuer names a place below the registry's deepest
            (name, kind), parent = chain[-1], chain[-2][0]
            return name, JurisdictionProposal(name, REGISTRY_KIND.get(kind, kind), PLACE_LEVELS[kind], parent)
        return best[1], None
    if any(name in NATIONAL_ISSUERS for name in names):
        return "中国", JurisdictionProposal("中国", "国家", "国家级", None)
    chains = [places(name) for name in names]
    chain = max(chains, key=len, default=[])
    if chain:  # the deepest place the issuer names: 上海市嘉定区人民政府 → 嘉定区 (上级 上海市), not 上海市
        (name, kind), parent = chain[-1], (chain[-2][0] if len(chain) > 1 else None)
        level = PLACE_LEVELS[kind]
        if kind == "市" and parent is not None:
            level = "县级"  # a 县级市 under a city or province
        return name, JurisdictionProposal(name, REGISTRY_KIND.get(kind, kind), level, parent)
    return _unnamed_place(layout)


# 「县人民政府办公室关于…」: an issuer printed with its tier only, as a county's own site prints it
_TIER_ONLY = re.compile(r"^(县|区|市|旗|州)(?:人民政府|政府)(?:办公室|办公厅)?$|^(县|区|市)(?:[\u4e00-\u9fff]{1,8})(?:局|委|办)$")


def _unnamed_place(layout: Layout) -> tuple[str | None, JurisdictionProposal | None]:
    """The place of an issuer printed with its tier only (嘉鱼 「县人民政府办公室关于…」, 文号 「嘉政办发〔2021〕5号」):
    the one division of that tier whose name the title or the addressees print (「涉及嘉鱼的重点事项」, 「嘉鱼经济
    开发区」) and whose first character opens the 文号 — both, or no guess. Proposed with a 待定 saying so."""
    tier = next((m.group(1) or m.group(2) for name, _ in layout.issuers if (m := _TIER_ONLY.match(name))), None)
    if tier is None or not layout.number:
        return None, None
    from luoshi.semantics import divisions

    # the signature too: 蔡甸's page prints 「区人民政府办公室」 in its title and box, 「蔡甸区人民政府办公室」 over the date
    text = " ".join([layout.title or "", layout.addressees[0] if layout.addressees else ""] + [n for n, _ in layout.signature])
    table = divisions.load()
    found: dict[str, divisions.Division] = {}
    for size in (2, 3, 4):
        for i in range(len(text) - size + 1):
            short = text[i: i + size]
            if short[0] != layout.number[0] or not re.fullmatch(r"[\u4e00-\u9fff]+", short):
                continue
            for d in table.find(short + tier):
                if d.kind in PLACE_LEVELS and d.name == short + tier:
                    found[d.code] = d
    if len(found) != 1:
        return None, None
    place = next(iter(found.values()))
    parent = next(iter(table.ancestors(place.code)), None)
    layout.todos.append(f"发文机关「{layout.issuers[0][0]}」未写地名：按文号「{layout.number}」和标题、主送或落款中的「{place.short}」"
                        f"推断辖区为{''.join(a.name for a in reversed(table.ancestors(place.code)))}{place.name}，请核对")
    return place.name, JurisdictionProposal(place.name, place.kind, place.level, parent.name if parent else None)


# a place kind the registry has no word for, written as the kind it is governed as (河北雄安新区: 辖区类型「新区」
# was refused, LS217)
REGISTRY_KIND = {"新区": "区"}
PLACE_LEVELS = {"省": "省级", "自治区": "省级", "市": "市级", "自治州": "市级", "县": "县级", "自治县": "县级",
                "区": "县级", "新区": "县级", "镇": "乡级", "乡": "乡级", "街道": "乡级"}
_PLACE = re.compile(r"(?:中共)?([\u4e00-\u9fff]{1,8}?(自治区|自治州|自治县|新区|省|市|区|县|街道|镇|乡))(?:人民政府|委员会)?")


def places(name: str) -> list[tuple[str, str]]:
    """The places an organisation's name opens with, outermost first: 上海市闵行区人民政府古美路街道办事处 →
    上海市, 闵行区, 古美路街道. Each must follow the one before directly (人民政府 between is skipped), so words
    inside a department's name (城市管理…) are never read as places."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(name):
        m = _PLACE.match(name, i)
        if not m or len(m.group(1)) < 2 or m.group(1) in ("本市", "本区", "全市", "全区") or \
                (out and len(m.group(1)) - len(m.group(2)) < 2 and m.group(2) != "街道"):
            break
        out.append((m.group(1), m.group(2)))
        i = m.end()
    return out


# ───────────── body ─────────────


def _body(layout: Layout, p: draft.Policy, ctx: Context) -> None:
    _parts(layout, p, ctx)
    cover_units(p.body, ctx)


def _parts(layout: Layout, p: draft.Policy, ctx: Context) -> None:
    items = [node_item(n, None, ctx) for n in layout.nodes if n.level > 0]
    tables = [t for a in layout.annexes for t in a.tables]
    texts = [a for a in layout.annexes if not a.tables and _has_text(a)]
    counted = [a for a in layout.annexes if a.quantities is not None or a.keyed is not None]
    if not tables and not texts and not counted:
        p.body = items
        return
    if items:  # body and annex both number from 1: keep them apart, as 正文.1 … and the table's own 序号
        body = draft.Item("section", "正文", "通知正文", "", items[0].line)
        body.children = [_prefixed(i, "正文") for i in items]
        p.body.append(body)
    for number, annex in enumerate(layout.annexes, start=1):
        if annex.quantities is not None:  # 08's 附表4: a row per site, its owner, area and year
            q = annex.quantities
            section = draft.Item("section", f"附件{number}", q.title or annex.title or "附件", "", annex.line)
            section.children = [quantity_item(q, row, f"附件{number}", ctx) for row in q.rows]
            p.body.append(section)
            continue
        if annex.keyed is not None:  # 08's 附表1: a task per 街镇
            p.body.append(_keyed_section(annex.keyed, f"附件{number}", annex.line, ctx))
            continue
        if annex in texts:  # an annex in numbered text (附件2 路长制实施方案): its own part, its own numbers
            section = draft.Item("section", f"附件{number}", annex.title or "附件", "", annex.line)
            # the addressees are the notice's: an annexed plan (03's 附件2 路长制实施方案) never borrows them
            addressees, ctx.addressees = ctx.addressees, []
            try:
                section.children = [_prefixed(node_item(n, None, ctx), f"附件{number}") for n in annex.nodes if n.level > 0]
            finally:
                ctx.addressees = addressees
            p.body.append(section)
            continue
        if not annex.tables:
            continue
        section = draft.Item("section", "附件", annex.title or "附件", "", annex.line)
        counter = 0
        for table in annex.tables:
            for ts in table.sections:
                target = section
                if ts.label or ts.title:
                    target = draft.Item("section", ts.label or f"附件{len(section.children) + 1}", ts.title, "", ts.line)
                    section.children.append(target)
                groups: dict[str, draft.Item] = {}
                for row in ts.rows:
                    counter += 1
                    item = row_item(row, ctx, counter)
                    if row.group:
                        group = groups.get(row.group)
                        if group is None:
                            group = groups[row.group] = draft.Item("group", "", row.group, "", row.line)
                            target.children.append(group)
                        group.children.append(item)
                    else:
                        target.children.append(item)
        _number_repeated_rows(section)
        p.body.append(section)
    if not items and len(layout.annexes) == 1 and not layout.annexes[0].title and [s.id for s in p.body] == ["附件"]:
        # 谯城's 分解表 and 霍山's 责任清单: a page or notice whose only content is the table, under no 附件 heading —
        # the table is the document's body, its rows numbered by their 序号 (1, 2 …), not the rows of an annex
        p.body = p.body[0].children


def _keyed_section(table: KeyedTable, prefix: str, line: int, ctx: Context) -> draft.Item:
    """A plan table keyed by unit (keyedtable.py): one task per unit, that unit responsible, each figure of a plan
    column a dated target named from its column (keyedtable.row_targets); figures of other columns, and rows whose
    merged cells cannot be placed, kept in notes as printed. One 待定 on the part says the metric names are read
    from the headers."""
    section = draft.Item("section", prefix, table.title or "附表", "", line)
    meanings = keyedtable.column_meanings(table)
    read = [c for c, m in zip(table.columns, meanings) if m is not None]
    unread = [c for c, m in zip(table.columns, meanings) if m is None]
    if read:
        section.todos.append(f"表中{'、'.join(read)}各列记为目标，指标名称按表头推定（类型＋表题＋列义），请核对"
                             + (f"；{'、'.join(unread)}不是目标，留在备注" if unread else ""))
    else:
        section.todos.append(f"表中各行的数字（{'、'.join(table.columns)}）未编码为目标：请按表逐行补录，或确认不需要后删去此条")
    for n, group in enumerate(table.groups, start=1):
        item = draft.Item("task", f"{prefix}.{n}", group.key, group.key, group.line)
        item.responsible = ctx.resolver.mentions(group.key, group.line)
        for row in group.rows:
            label = group.key + (f"（{row.kind}）" if row.kind else "")
            columns = keyedtable.aligned(table, row)
            targets = keyedtable.row_targets(table, row) if read else None
            for t in targets or []:
                item.targets.append(values.target(t.metric, values.reach(t.value, t.unit), values.year_end(t.year)))
            if columns is None:  # a merged cell: which column it spans is the table's, not ours to guess
                cells = "、".join(row.figures) + f"（{len(row.figures)} 格，表头 {len(table.columns)} 列：有合并单元格）"
                item.notes.append(f"{label}：{cells}")
                continue
            kept = [(table.columns[i], v) for v, i in zip(row.figures, columns) if meanings[i] is None or not read]
            if kept:
                item.notes.append(f"{label}：" + "，".join(f"{c} {v}" for c, v in kept))
        section.children.append(item)
    return section


def _drop_unused_proposals(p: draft.Policy, resolver: UnitResolver, names: list[str]) -> None:
    """Units the prose proposed that a table row then replaced (16's 「各相关部门要…」): no longer named anywhere in
    the draft, they are not proposed for the registry either (a 待定 on a name the draft does not use)."""
    used = {m.written for m in p.addressees + p.issuers}
    used |= {m.written for item in p.items() for m in item.lead + item.responsible + item.cooperate}
    for name in names:
        if name not in used:
            resolver.proposals.pop(name, None)


def _unwrap_body(p: draft.Policy) -> None:
    """Every row of the annex table went onto the body's measures (tablerows.py): nothing of the annex is left
    for the body's numbers to be kept apart from, so the body is numbered as the text numbers it (二、（一）→ 2.1,
    not 正文.2.1), the ids an official reads in the text and the encoded documents use (truth/16.policy)."""
    if len(p.body) != 1 or p.body[0].kind != "section" or p.body[0].id != "正文":
        return
    p.body = p.body[0].children
    for item in p.items():
        if item.id.startswith("正文."):
            item.id = item.id[len("正文."):]


def _prefixed(item: draft.Item, prefix: str) -> draft.Item:
    item.id = f"{prefix}.{item.id}"
    for child in item.children:
        _prefixed(child, prefix) if not child.id.startswith(prefix) else None
    return item


# ───────────── cited documents ─────────────


class _Documents:
    """Citations → document ids: a policy or document of the corpus (by 文号, else by title), or a new 文件."""

    def __init__(self, corpus: model.Corpus, registry: Registry, resolver: UnitResolver, policy: draft.Policy):
        self.corpus, self.registry, self.resolver, self.policy = corpus, registry, resolver, policy
        self.taken = {q.id for q in corpus.policies}
        self.by_key: dict[str, str] = {}
        self.short: dict[str, str] = {}  # 以下简称《…》 → the cited title it stands for

    def id_for(self, c: citations.Citation) -> str | None:
        if c.number is None and c.title in self.short:
            return self.by_key.get(citations.key(self.short[c.title]))
        keys = [citations.key(c.title)] + ([fold(c.number)] if c.number else [])
        known = next((self.by_key[k] for k in reversed(keys) if k in self.by_key), None)
        if known is None:
            known = self._in_corpus(c) or self._new(c)
        if known:
            self.by_key.update(dict.fromkeys(keys, known))
        return known

    def _in_corpus(self, c: citations.Citation) -> str | None:
        for q in self.corpus.policies:
            if (c.number and q.number and fold(q.number) == fold(c.number)) or \
                    (not c.number and q.title and citations.key(q.title) == citations.key(c.title)):
                return q.id
        return None

    def _new(self, c: citations.Citation) -> str | None:
        if self.policy.number and c.number and fold(c.number) == fold(self.policy.number):
            return None
        base = ids.id_from_number(c.number) or ids.id_from_title(c.title)
        doc_id = ids.unique(base, self.taken | {self.policy.id})
        self.taken.add(doc_id)
        self.policy.documents.append(self._document(doc_id, c))
        return doc_id

    def _document(self, doc_id: str, c: citations.Citation) -> draft.ExternalDocument:
        prefix, sep, rest = c.title.partition("关于")
        title = sep + rest if sep and prefix else c.title
        issuers = self._issuers(prefix) if sep and prefix else []
        note = None
        if sep and prefix and not issuers:
            note = f"原文引作《{c.title}》：发文机关「{prefix}」不在单位名录中"
        first = issuers[0].unit if issuers else None
        jurisdiction = self.registry.units[first].jurisdiction if first is not None else None
        return draft.ExternalDocument(doc_id, c.number, title, issuers, jurisdiction, note)

    def _issuers(self, prefix: str) -> list[Mention]:
        """`中共重庆市委办公厅重庆市人民政府办公厅` → the registry names it is made of, or [] if any part is not."""
        out, i = [], 0
        while i < len(prefix):
            for j in range(len(prefix), i, -1):
                found = self.registry.lookup(prefix[i:j], self.resolver.jurisdiction)
                if len(found) == 1:
                    unit = self.registry.units[found[0]]
                    out.append(Mention(prefix[i:j], unit_name(unit.name), found[0]))
                    i = j
                    break
            else:
                return []
        return out
