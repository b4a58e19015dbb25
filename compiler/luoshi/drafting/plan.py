"""The draft of local implementation measures, built from the parent policy's model.

Every parent task (sub-tasks and phases too) is carried over, in order, with a `落实 parent:task` link; its text
localized; each unit replaced by its counterpart; deadlines and targets inherited (moved by the `advance` rule);
and a `待定` wherever a person must decide: a unit with no counterpart here, a counterpart chosen among several, a
deadline already past or to be chosen locally, a number the parent leaves open (逐步提升 …, 适当提高 …).
Nothing here looks a unit up by name: units are the model's ids, counterparts come from roles.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..backends.wording import date_zh as cn_end
from ..model import AssignmentRole, Corpus, ItemKind, PeriodDeadline, Policy, Section, Task, Unit, UnitRef
from ..syntax import ast
from ..syntax.unparse import unit_name
from .counterpart import Counterpart, CounterpartMap, lower_collective, lower_collective_id
from .localize import Localizer
from .schedule import (
    Advance,
    cn_day,
    cn_start,
    deadline_node,
    moved,
    phase_dates,
    phase_deadline,
    spec_of,
    started_period_node,
    target_node,
    term_node,
)

STANDARD_PHASES = ("启动部署阶段", "精准对象阶段", "组织实施阶段", "总结评估阶段")
PHASE_TEXT = {
    "启动部署阶段": "制定实施方案，分解工作任务，落实工作责任，制定工作措施，做好动员部署。",
    "精准对象阶段": "开展调查摸底，对工作对象逐一排查、建档立卡，做到底数清、情况明，实行动态管理。",
    "组织实施阶段": "按照本办法确定的各项措施和责任分工，全面组织实施，确保各项任务落到实处。",
    "总结评估阶段": "总结、分析工作开展和落实情况，查漏补缺，巩固工作成果，评估工作成效，修订完善制度。",
}
# numbers and times the parent leaves open, which the local text must settle
OPEN_WORDING = (
    (re.compile(r"逐步(?:提升|提高|扩大|加大|增加|降低|减少|实现)[^，。；：]*"), "未给数值：确定本地的目标值和完成时限（可写「目标 …」）"),
    (re.compile(r"适当(?:提高|提升|增加|降低|减少|放宽)[^，。；：]*"), "未给幅度：确定本地的幅度或标准"),
    (re.compile(r"适时(?:提高|提升|调整|开展|向社会公布)[^，。；：]*"), "未给时间：确定本地的时间安排"),
    (re.compile(r"定期(?:开展|研究|组织|通报|召开)[^，。；：]*"), "未给频次：确定本地的频次（可写「时限 每年1次」等）"),
)
ROLE_KEYWORD = {AssignmentRole.LEAD: "牵头", AssignmentRole.CO_RESPONSIBLE: "负责", AssignmentRole.COOPERATE: "配合"}
ROLE_STATEMENT: dict[AssignmentRole, type[ast.Lead | ast.Responsible | ast.Cooperate]] = {
    AssignmentRole.LEAD: ast.Lead, AssignmentRole.CO_RESPONSIBLE: ast.Responsible, AssignmentRole.COOPERATE: ast.Cooperate}


@dataclass(frozen=True)
class DraftOptions:
    """What a drafter chooses; unit ids are resolved by the command before drafting."""

    issuer: str | None = None
    date: dt.date | None = None
    sections: tuple[str, ...] = ()
    advance: Advance | None = None
    phases: tuple[str, ...] = ()
    policy_id: str | None = None
    title: str | None = None
    kind: str | None = None  # KINDS; None: from the issuer (`kind_of`)


# what kind of document the draft is, which decides who is tasked (see `_Drafter._assign`):
# office — a government office's 实施办法 (云阳府办发): the parent's units become their counterparts;
# bureau — a bureau's 通知 to the level below (大足民发): the bureau acts, the level below does the work, and
#          the departments the parent tasks are coordinated with, not tasked;
# subdistrict — a 街道/乡镇's notice (草街): as a bureau's, its 村（社区） doing the work.
KINDS = ("office", "bureau", "subdistrict")
# the verbs whose actor oversees (stays at the drafting level) and those whose actor works on the ground (goes down)
OVERSEE = re.compile(r"督促|督查|督导|检查|指导|统筹|抽查|巡查|暗访")
ON_THE_GROUND = re.compile(r"落实|实施|开展|做好|制定|建立|提高|整合|受理")
OPEN_LIST = re.compile(r"([\u4e00-\u9fff、]{2,40})等(?:有关|相关)?部门")
# a rate counted place by place (each township reaches its own): the share of people or places reached
PER_PLACE_RATE = re.compile(r"(?:逐步)?(?:提升|提高|扩大|达到)?([\u4e00-\u9fff]{0,10}?"
                            r"(?:集中供养|覆盖|参保|签约|入学|入园|就业|达标|普及|到位|救助)(?:率|比例))")


def kind_of(corpus: Corpus, issuer: str | None) -> str:
    """The default kind from the issuer: a government or its office issues 实施办法, a township or subdistrict a
    notice to its villages, any other unit (a bureau) a notice to the level below."""
    unit = corpus.unit(issuer) if issuer else None
    if unit is None:
        return "office"
    kinds = {j.id: j.kind for j in corpus.jurisdictions}
    if kinds.get(unit.jurisdiction) in ("乡", "镇", "街道", "民族乡"):
        return "subdistrict"
    return "office" if unit.role in ("政府", "政府办公室") else "bureau"


@dataclass
class Node:
    """A task, clause or phase of the draft; its units, links, deadlines and targets are AST nodes (printer.py
    writes them through `unparse`)."""

    kind: str
    id: str
    title: str | None = None
    text: str | None = None
    group: str | None = None
    units: list[ast.Lead | ast.Responsible | ast.Cooperate] = field(default_factory=list)
    implements: list[ast.Ref] = field(default_factory=list)
    cites: list[str] = field(default_factory=list)
    deadlines: list[ast.Deadline] = field(default_factory=list)
    terms: list[ast.Term] = field(default_factory=list)
    targets: list[ast.Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    todos: list[str] = field(default_factory=list)
    explains: set[str] = field(default_factory=set)  # lint codes its 待定 already account for
    reasons: dict[str, str] = field(default_factory=dict)  # lint codes settled without a 待定 → the suppression's reason
    children: list[Node] = field(default_factory=list)
    assigned: list[str] = field(default_factory=list)  # the local unit ids of `units`, in order
    open_list: str | None = None  # 「卫生健康、教育……等有关部门」: an open list the draft fills (`_fill_open_lists`)


@dataclass
class Group:
    title: str
    items: list[Node] = field(default_factory=list)


@dataclass
class Part:
    id: str
    title: str
    text: str | None = None
    todos: list[str] = field(default_factory=list)
    body: list[Part | Group | Node] = field(default_factory=list)


@dataclass
class Draft:
    id: str
    parent: str
    parent_label: str  # 渝府办发〔2018〕161号（yfbf-2018-161）
    title: str
    jurisdiction: str
    issuers: list[ast.UnitName] = field(default_factory=list)
    date: dt.date | None = None
    addressees: list[ast.UnitName] = field(default_factory=list)
    copied: list[ast.UnitName] = field(default_factory=list)  # 抄送
    implements: list[str] = field(default_factory=list)
    cites: list[str] = field(default_factory=list)
    preamble: str | None = None
    notes: list[str] = field(default_factory=list)
    todos: list[str] = field(default_factory=list)
    explains: set[str] = field(default_factory=set)
    body: list[Part | Group | Node] = field(default_factory=list)


def draft_policy(corpus: Corpus, parent_id: str, jurisdiction: str, options: DraftOptions = DraftOptions()) -> Draft:
    """The draft of `jurisdiction`'s implementation measures of `parent_id` (an encoded policy)."""
    parent = corpus.policy(parent_id)
    if parent is None:
        raise KeyError(f"policy {parent_id!r} is not in the corpus")  # the command checked the id (find_policy)
    return _Drafter(corpus, parent, jurisdiction, options).run()


def phrase(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[:limit] + "……"


class _Drafter:
    def __init__(self, corpus: Corpus, parent: Policy, target: str, options: DraftOptions) -> None:
        self.corpus, self.parent, self.target, self.options = corpus, parent, target, options
        self.map = CounterpartMap(corpus, parent.jurisdiction, target)
        self.lower = lower_collective(corpus, self.map)
        self.lower_id = lower_collective_id(corpus, self.map)
        self.local = Localizer(corpus, self.map, self.lower)
        self.issuer = options.issuer or next((c.unit for r in parent.issuers
                                              if not (c := self.map.of(r.unit)).missing), None)
        self.kind = options.kind or kind_of(corpus, self.issuer)
        # the parent's own 下级政府 collectives (各区县政府, 乡镇政府（街道办事处）): whom the verb rules move
        self.source_lower = {u.id: u for u in corpus.units
                             if u.jurisdiction == parent.jurisdiction and u.role == "下级政府"}
        self.worker = self._worker()
        self._swap: dict[str, str] = {}
        self.children: dict[str | None, list[Task]] = {}
        for t in parent.tasks:
            self.children.setdefault(t.parent, []).append(t)
        self.carried: set[str] = set()

    def _unit(self, uid: str | None) -> Unit:
        """A unit the draft names: its id comes from the corpus's own assignments and counterparts."""
        unit = self.corpus.unit(uid) if uid is not None else None
        if unit is None:
            raise KeyError(f"unit {uid!r} is not in the corpus")
        return unit

    def run(self) -> Draft:
        p, o = self.parent, self.options
        label = f"{p.number}（{p.id}）" if p.number else p.id
        draft = Draft(id=o.policy_id or f"{p.id}-{self.target}", parent=p.id, parent_label=label,
                      title=o.title or self.local.title(p, self.target, self.kind),
                      jurisdiction=self.target, date=o.date, implements=[p.id], cites=list(p.cites))
        if o.issuer:
            draft.issuers = [unit_name(self._unit(o.issuer).name)]
        else:
            draft.issuers = self._refs(p.issuers, "发文机关", draft.todos)
        if self.kind == "office" or not self.worker:
            draft.addressees = self._refs(p.addressees, "主送", draft.todos)
        else:  # a notice goes to those who do the work
            draft.addressees = [unit_name(self._unit(self.worker).name)]
        draft.copied = self._copied(draft.todos)
        draft.preamble = self.local.preamble(p, self.kind)
        draft.notes.append(self._provenance())
        draft.body = self._body()
        self._fill_open_lists(draft.body)
        not_carried = self._not_carried()
        if not_carried:
            draft.explains.add("LS310")
        draft.todos += not_carried + self._ambiguous()
        return draft

    # ── header ──
    def _provenance(self) -> str:
        rule = f"；时限按规则较上级提前{self.options.advance.written}" if self.options.advance else "；上级时限和目标照录"
        if self.kind != "office" and self.worker:
            rule += f"；文种为通知：发文机关主办，各项由{self._unit(self.worker).name}承办，上级所列其他部门为协调对象，不列为责任单位"
        return (f"初稿：由 luoshi draft 据 {self.parent.number or self.parent.id} 生成，单位按角色换算为{self.target}的对应单位{rule}。"
                "「待定」各项须起草人确定后删去")

    def _copied(self, todos: list[str]) -> list[ast.UnitName]:
        """抄送: the counterparts of the parent's, else the registry's offices a county's documents are copied to
        (党委、人大、政协 offices); none known, a 待定 says so."""
        out = self._refs(self.parent.cc, "抄送", [])
        if not out:
            roles = ("党委办公室", "人大常委会办公室", "政协办公室")
            known = sorted((u for u in self.corpus.units if u.jurisdiction == self.target and u.role in roles),
                           key=lambda u: (roles.index(u.role or ""), u.name))
            out = [unit_name(u.name) for u in known]
        if not out and self.kind == "office":
            todos.append(f"抄送：单位名录未列{self.target}的党委、人大、政协办公室，请确定抄送机关或删去版记的抄送")
        return out

    def _not_carried(self) -> list[str]:
        left = [t.id for t in self.parent.tasks if t.kind is not ItemKind.CLAUSE and t.id not in self.carried]
        if not left:
            return []
        return [f"上级任务 {'、'.join(left)} 未转入本稿：如本地不落实，请写「不予落实 {self.parent.id}:编号 \"理由\"」"]

    def _ambiguous(self) -> list[str]:
        out = []
        for c in sorted(self.map.resolved(), key=lambda c: c.source):
            if c.alternatives:
                source, chosen = self._unit(c.source).name, self._unit(c.unit).name
                others = "、".join(self._unit(a).name for a in c.alternatives)
                out.append(f"「{source}」在{self.target}有多个同角色单位，初稿取「{chosen}」（另有：{others}），请确认")
        return out

    # ── units ──
    def _refs(self, refs: Iterable[UnitRef], label: str, todos: list[str],
              seen: set[str] | None = None) -> list[ast.UnitName]:
        out: list[ast.UnitName] = []
        seen = set() if seen is None else seen
        for ref in refs:
            units, unit = self._ref(ref, label, todos)
            if units and unit is not None and unit not in seen:
                seen.add(unit)
                out += units
        return out

    def _ref(self, ref: UnitRef, label: str, todos: list[str]) -> tuple[list[ast.UnitName], str | None]:
        """The local counterpart of a unit as written: with its sub-units in brackets, or — when its name must be
        quoted, and a quoted unit has no sub-units — followed by them in the list."""
        found = self.map.of(ref.unit)
        if ref.unit in self._swap:
            found = Counterpart(ref.unit, self._swap[ref.unit])
        if found.missing:
            todos.append(self._missing(ref, label))
            return [], None
        unit = self._unit(found.unit)
        main = unit.name
        if ref.others and main.endswith("成员单位"):
            main = main[: -len("成员单位")] + "其他成员单位"
        subs = self._refs(ref.subunits, label, todos)
        head = unit_name(main)
        if subs and not head.name.quoted:
            return [unit_name(main, tuple(subs))], found.unit
        return [head, *subs], found.unit

    def _missing(self, ref: UnitRef, label: str) -> str:
        unit = self.corpus.unit(ref.unit)
        role = f"角色 {unit.role}" if unit and unit.role else "单位名录未登记其角色"
        return f"{label}：「{ref.written}」（{role}）在{self.target}没有对应单位，请确定本地单位或删去"

    # ── body ──
    def _body(self) -> list[Part | Group | Node]:
        sections: list[tuple[int, Section | Task]] = [(s.order, s) for s in self.parent.sections if s.parent is None]
        top = sorted(sections +
                     [(t.order, t) for t in self.children.get(None, []) if t.section is None], key=lambda x: x[0])
        kept = [node for _, node in top if not self.options.sections or node.id in self.options.sections]
        phases_at = self._phases_position(kept)
        numeric = all(node.id.isdigit() for node in kept)
        out: list[Part | Group | Node] = []
        number = 0
        for index, node in enumerate(kept + [None]):
            if index == phases_at:
                number += 1
                out.append(self._phases(str(number) if numeric else "实施步骤"))
            if node is None:
                break
            number += 1
            new = str(number) if numeric else node.id
            out += [self._part(node, node.id, new)] if not isinstance(node, Task) else self._items([node], node.id, new)
        return _grouped(out)

    def _phases_position(self, kept: list[Section | Task]) -> int | None:
        if not self.options.phases:
            return None
        for index in range(len(kept) - 1, -1, -1):
            node = kept[index]
            if isinstance(node, Section) and node.title is not None and "保障" in node.title:
                return index
        return len(kept)

    def _part(self, section: Section, old_top: str, new_top: str) -> Part:
        part = Part(id=_renumber(section.id, old_top, new_top), title=self.local.text(section.title).text)
        if section.text:
            part.text = self.local.text(section.text).text
        nested: list[tuple[int, Section | Task]] = [(s.order, s) for s in self.parent.sections if s.parent == section.id]
        items: list[tuple[int, Section | Task]] = [(t.order, t) for t in self.children.get(None, [])
                                                   if t.section == section.id]
        for _, node in sorted(nested + items, key=lambda x: x[0]):
            if isinstance(node, Task):
                part.body += self._items([node], old_top, new_top)
            else:
                part.body.append(self._part(node, old_top, new_top))
        part.body = _grouped(part.body)
        return part

    def _items(self, tasks: list[Task], old_top: str, new_top: str) -> list[Node]:
        return [self._node(t, old_top, new_top) for t in tasks]

    def _node(self, task: Task, old_top: str, new_top: str) -> Node:
        self.carried.add(task.id)
        node = Node(kind=task.kind.value, id=_renumber(task.id, old_top, new_top), title=task.title, group=task.group,
                    cites=list(task.cites))
        if task.kind is not ItemKind.CLAUSE:
            node.implements.append(ast.Ref(self.parent.id, task.id, ast.NOWHERE))
        if task.text:
            localized = self.local.text(task.text)
            node.text = self._upper_only(localized.text, node)
            node.todos += [self._open(m.group(0), why) for pattern, why in OPEN_WORDING for m in pattern.finditer(node.text)]
        seen: set[str] = set()
        open_before = len(node.todos)
        if self.kind == "office":
            self._assign(task, node, seen)
        else:
            self._assign_notice(task, node, seen)
        if len(node.todos) > open_before:  # a unit without a counterpart: no unit, a changed lead, or no unit at all
            node.explains |= {"LS301", "LS311", "LS312"}
        if self.kind == "office":
            listed = seen | {self.map.of(a.unit.unit).unit for a in task.assignments}  # inherited from the measure too
            self._ground_work(task, node, listed)
        if self.kind == "office" and task.text and (found := OPEN_LIST.search(task.text)) and node.units:
            node.open_list = found.group(0)  # a notice tasks the level below only: its open lists stay as written
        if task.text:
            mentioned = {a.unit.unit for a in task.assignments}
            node.todos += [f"原文提到的「{self._unit(u).name}」在{self.target}没有对应单位，请改写"
                           for u in localized.unmatched if u not in mentioned]
        self._schedule(task, node)
        node.children = self._items(self.children.get(task.id, []), old_top, new_top)
        return node

    def _upper_only(self, text: str, node: Node) -> str:
        """Sentences only the upper level can say — what it allocates from its own or higher funds (「市级以上安排的
        社会救助补助资金，重点向…地区倾斜」) — are dropped from the local text, each with a 备注 saying what was
        dropped: a county does not allocate the city's money, so there is nothing to decide (云阳's own text drops
        it too) and no 待定; the note keeps the change visible."""
        up = self.map.source_prefix
        if not up or up == self.map.target_prefix:
            return text
        pattern = re.compile(rf"[^。；]*(?:{up}级以上|中央和{up}级|{up}级(?:财政|专项)?(?:安排|下达|补助|统筹))[^。；]*[。；]")
        for sentence in pattern.findall(text):
            kept = text.replace(sentence, "", 1)
            if not kept.strip("。； "):
                break  # the whole item: leave it for the drafter
            text = kept
            node.notes.append(f"初稿删去了只有上级能说的一句「{phrase(sentence, 40)}」：本级不安排上级的资金；"
                              "如须说明上级资金的使用，请改写")
        return text

    # ── who is tasked: rules that read the verb ──
    def _worker(self) -> str | None:
        """Who does the work on the ground in a notice: the level below (各镇街), or for a township's or
        subdistrict's notice its 村（社区）."""
        if self.kind == "subdistrict":
            own = sorted(u.id for u in self.corpus.units if u.jurisdiction == self.target and u.role == "村社区")
            if own:
                return own[0]
        return self.lower_id

    def _assign(self, task: Task, node: Node, seen: set[str]) -> None:
        """A government office's 实施办法: each unit becomes its counterpart, except the parent's 下级政府 as the
        actor of oversight (督促、检查、指导、统筹), which stays at the drafting level: the issuer — said in a 备注,
        not a 待定: the issuing office overseeing its own 实施办法 is what the counties write (云阳: 县政府办)."""
        self._swap = {}
        overseer = self._oversees(task)
        if overseer and self.issuer:
            self._swap = dict.fromkeys(overseer, self.issuer)
            issuer = self._unit(self.issuer).name
            if node.text and self.lower:
                node.text = node.text.replace(self.lower, issuer, 1)
            written = "、".join(self._unit(u).name for u in overseer)
            node.reasons["LS313"] = f"督促检查由本级发文机关{issuer}承担（上级由{written}督促检查）"
            node.notes.append(f"上级由「{written}」督促检查；本级的督促检查初稿由{issuer}承担，"
                              f"{self.lower or '下级'}抓好落实")
        try:
            for role in (AssignmentRole.LEAD, AssignmentRole.CO_RESPONSIBLE, AssignmentRole.COOPERATE):
                own = [a.unit for a in task.assignments if a.role is role and not a.inherited]
                units = self._refs(own, ROLE_KEYWORD[role] + "单位", node.todos, seen)
                if units:
                    node.units.append(ROLE_STATEMENT[role](units=tuple(units), span=ast.NOWHERE))
                    node.assigned += [u for u in self._ids(own) if u in seen]
        finally:
            self._swap = {}
        node.assigned = list(dict.fromkeys(node.assigned))

    def _ids(self, refs: Iterable[UnitRef]) -> list[str]:
        out: list[str] = []
        for ref in refs:
            found = self._swap.get(ref.unit) or self.map.of(ref.unit).unit
            if found:
                out.append(found)
        return out

    def _oversees(self, task: Task) -> list[str]:
        """The parent's 下级政府 units tasked here whose verb is oversight: in the sentence they are the subject
        of, an oversight verb (督查、检查、指导、统筹…) comes before any verb of doing (落实、实施、开展…); a sentence
        not naming them is read by the title."""
        tasked = [a.unit.unit for a in task.assignments if not a.inherited and a.unit.unit in self.source_lower]
        if not tasked:
            return []
        text = task.text or ""
        for uid in tasked:
            unit = self.source_lower[uid]
            for written in (unit.name, *unit.aliases):
                at = text.find(written)
                if at >= 0:
                    sentence = re.split(r"[。；]", text[at:], maxsplit=1)[0]
                    see, do = OVERSEE.search(sentence), ON_THE_GROUND.search(sentence)
                    return tasked if see and (do is None or see.start() < do.start()) else []
        return tasked if task.title and OVERSEE.search(task.title) else []

    def _assign_notice(self, task: Task, node: Node, seen: set[str]) -> None:
        """A bureau's (or a subdistrict's) notice: the issuer acts and the level below does the work, so a measure
        of the parent is tasked to the level below; the departments the parent tasks are coordinated with (a
        note), not tasked — a bureau does not task its peers."""
        if task.kind is ItemKind.CLAUSE or task.parent is not None or not self.worker:
            return
        worker = self._unit(self.worker)
        node.explains |= {"LS311", "LS312", "LS313"}  # by design: a notice tasks the level below, not the parent's units
        node.units.append(ast.Responsible(units=(unit_name(worker.name),), span=ast.NOWHERE))
        node.assigned.append(self.worker)
        seen.add(self.worker)
        peers = [c for a in task.assignments if (c := self.map.of(a.unit.unit).unit)
                 and c not in (self.issuer, self.worker, self.lower_id)]
        if peers:
            names = "、".join(dict.fromkeys(self._unit(u).name for u in peers))
            node.notes.append(f"上级列为责任单位的{names}，在本通知中为协调对象，不列为责任单位")

    def _ground_work(self, task: Task, node: Node, listed: set[str | None]) -> None:
        """Work the level below does on the ground, which the parent's 责任单位 do not list (the 市 listed only its
        own departments): a sentence whose subject is the 下级政府 collective (各乡镇（街道）在分类分档制定临时救助
        标准的基础上……), or a rate measured per place (失能特困人员集中供养比例) that each place must reach. The
        draft names it (负责) and asks to confirm."""
        text = node.text
        if not text or not self.lower or not self.lower_id or self.lower_id in listed:
            return
        subject = re.compile(rf"(?:^|[。；：])(?:[一二三四五六七八九十]+是)?({re.escape(self.lower)}(?:要|应|须|在|负责)[^，。；]*)")
        found = subject.search(text)
        rate = None if task.targets else PER_PLACE_RATE.search(text)
        if found:
            node.todos.append(f"正文「{phrase(found.group(1))}」由{self.lower}承办，初稿列其为负责单位，请确认")
        elif rate:
            metric = rate.group(1).removesuffix("比例") + ("率" if rate.group(1).endswith("比例") else "")
            # one question per phrase: 「逐步提升…集中供养比例」 open (no number) and counted per place is asked once
            said = OPEN_WORDING[0][1]
            open_number = [t for t in node.todos if t.endswith(said) and rate.group(1) in t]
            written = open_number[0].removesuffix(said) + "未给数值，且" if open_number else f"「{rate.group(1)}」"
            node.todos = [t for t in node.todos if t not in open_number]
            node.todos.append(f"{written}按各地统计，初稿列{self.lower}为负责单位：请确定各地的目标值和完成时限"
                              f"（可写「目标 {metric} 达到 …% 截至 … 范围 {self.lower}」）")
        else:
            return
        self._add_units(node, AssignmentRole.CO_RESPONSIBLE, [self.lower_id])

    def _add_units(self, node: Node, role: AssignmentRole, unit_ids: list[str]) -> None:
        """Add units to the node's statement of this role (made if missing), skipping those it already names."""
        new = [u for u in unit_ids if u not in node.assigned]
        if not new:
            return
        kind = ROLE_STATEMENT[role]
        names = tuple(unit_name(self._unit(u).name) for u in new)
        for i, statement in enumerate(node.units):
            if type(statement) is kind:
                node.units[i] = kind(units=statement.units + names, span=ast.NOWHERE)
                break
        else:
            node.units.append(kind(units=names, span=ast.NOWHERE))
        node.assigned += new
        node.explains.add("LS313")  # a unit the parent's item lacks: the 待定 that added it says why

    def _fill_open_lists(self, body: list[Part | Group | Node]) -> None:
        """An open list (「卫生健康、教育、住房保障、人力社保等有关部门」) is filled with the departments the draft
        names elsewhere and the registry's units whose role is one the list names, as 配合, with a 待定: the
        drafter strikes those not concerned."""
        from .verify import _walk  # the draft's nodes in order

        nodes = _walk(body)
        named: list[str] = []
        for n in nodes:
            named += [u for u in n.assigned if self._department(u)]
        named = list(dict.fromkeys(named))
        for n in nodes:
            if not n.open_list:
                continue
            words = [w for w in re.split(r"[、，]", n.open_list.rsplit("等", 1)[0]) if w]
            by_role = [u.id for u in self.corpus.units if u.jurisdiction == self.target and self._department(u.id)
                       and any(w in (u.role or "") or w in u.name for w in words)]
            added = [u for u in dict.fromkeys(named + sorted(by_role)) if u not in n.assigned]
            if not added:
                continue
            self._add_units(n, AssignmentRole.COOPERATE, added)
            names = "、".join(self._unit(u).name for u in added)
            n.todos.append(f"上级写「{phrase(n.open_list)}」，未列全：初稿补列本稿其他各项已列的部门为配合单位（{names}），"
                           "请删去无关的单位")

    def _department(self, unit_id: str) -> bool:
        unit = self.corpus.unit(unit_id)
        return (unit is not None and unit.jurisdiction == self.target and unit.kind.value == "unit"
                and unit.role not in (None, "政府", "政府办公室", "下级政府", "村社区", "党委", "党委办公室"))

    def _open(self, words: str, why: str) -> str:
        return f"「{phrase(words)}」{why}"

    def _schedule(self, task: Task, node: Node) -> None:
        advance, date = self.options.advance, self.options.date
        for d in task.deadlines:
            label = self.local.text(d.label).text if d.label else None
            node.deadlines.append(deadline_node(d, advance, label))
            end = moved(d, advance)  # a one-off's due date (moved by the rule), else None
            if advance and end != d.due:
                node.notes.append(f"上级时限「{spec_of(d)}」，按规则提前{advance.written}")
            if date and end and end < date:
                node.todos.append(f"时限「{cn_end(end)}」早于本文成文日期{cn_day(date)}，请重新确定")
                node.explains.add("LS305")
            elif date and isinstance(d, PeriodDeadline) and d.start < date:
                if not advance and d.end.year > date.year and d.start.year < date.year:
                    node.deadlines[-1] = started_period_node(d, date.year, label)
                    node.explains.add("LS316")  # later than the parent's start: this 待定 says why
                    node.todos.append(f"上级期间为「{spec_of(d)}」，自{cn_start(d.start)}起，早于本文成文日期{cn_day(date)}："
                                      f"初稿改自{date.year}年起，请确认")
                else:
                    node.todos.append(f"上级期间自{cn_start(d.start)}起，早于本文成文日期{cn_day(date)}：确定本地起始时间，或照录")
        node.terms += [term_node(t, self.local.text(t.label).text if t.label else None) for t in task.terms]
        for t in task.targets:
            scope = self._refs(t.scope, "目标范围", node.todos)
            by = advance.apply(t.by) if advance and t.by else t.by

            def loc(s: str | None) -> str | None:
                return self.local.text(s).text if s else None
            node.targets.append(target_node(t, by, scope, loc(t.per), loc(t.condition), loc(t.note)))

    def _phases(self, part_id: str) -> Part:
        addressees = self._refs(self.parent.addressees, "主送", [])
        part = Part(id=part_id, title="实施步骤")
        dates = phase_dates(self.options.date, len(self.options.phases)) if self.options.date else []
        for k, title in enumerate(self.options.phases, 1):
            phase = Node(kind="phase", id=f"{part_id}.{k}", title=title, text=PHASE_TEXT.get(title))
            if addressees:
                phase.units.append(ast.Responsible(units=tuple(addressees), span=ast.NOWHERE))
            if dates:
                start, end = dates[k - 1]
                phase.deadlines.append(phase_deadline(start, end, title))
                when = ("持续开展" if end is None else f"{cn_end(end)}前" if start is None
                        else f"{cn_start(start)}至{cn_end(end)}")
                phase.text = f"{title}（{when}）。{phase.text or ''}"
                phase.todos.append(f"「{title}」的时间按成文日期拟定，请确认")
            else:
                phase.todos.append(f"确定「{title}」的起止时间（写作「时限 …」）")
            if title not in PHASE_TEXT:
                phase.todos.append(f"写明「{title}」的工作内容（原文）")
            part.body.append(phase)
        return part


def _renumber(item_id: str, old_top: str, new_top: str) -> str:
    if item_id == old_top or item_id.startswith(old_top + "."):
        return new_top + item_id[len(old_top):]
    return item_id


def _grouped(body: list[Part | Group | Node]) -> list[Part | Group | Node]:
    """Consecutive tasks of one 任务组 (a merged 重点任务 cell) go back into one group."""
    out: list[Part | Group | Node] = []
    for node in body:
        group = node.group if isinstance(node, Node) else None
        if not group or not isinstance(node, Node):
            out.append(node)
        elif out and isinstance(out[-1], Group) and out[-1].title == group:
            out[-1].items.append(node)
        else:
            out.append(Group(group, [node]))
    return out
