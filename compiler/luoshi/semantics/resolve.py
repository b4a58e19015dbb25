"""AST → frozen model: resolve units against the registry, task references across documents, dates and
quantities. Every user error becomes a diagnostic; the model still gets built from what did resolve.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import model
from ..diagnostics import Related, Sink
from ..syntax import ast
from ..syntax.source import Span
from ..syntax.unparse import over as over_text
from .dates import DateError, date_span
from .printed import printed_label, task_id_of_printed
from .registry import LEVELS, Registry, build_registry, report_unknown
from .standard_units import NOTE as STANDARD_NOTE

FREQUENCIES = {
    "每年": "yearly", "yearly": "yearly", "每半年": "half_yearly", "half-yearly": "half_yearly",
    "每季度": "quarterly", "quarterly": "quarterly", "每月": "monthly", "monthly": "monthly",
    "每周": "weekly", "weekly": "weekly",
}
COMPARATORS = {
    "≥": "ge", ">=": "ge", "达到": "ge", "不低于": "ge", "至少": "ge", "不少于": "ge",
    "≤": "le", "<=": "le", "不超过": "le", "不高于": "le", "控制在": "le",
    ">": "gt", "超过": "gt", "<": "lt", "低于": "lt", "=": "eq", "稳定在": "eq", "保持": "eq",
    "提高": "increase", "降低": "decrease",
}
# 稳定在 170万亩 以上: the bound printed after the number turns a 稳定在 / 保持 / = into ≥ or ≤.
BOUNDS = {"以上": "ge", "以下": "le"}
# 「光明集团等有关单位」: a named unit, then the open rest of the list (docs/encoding.md §4).
OPEN_LIST = re.compile(r"(.+?)等((?:市|区|县)?(?:各)?(?:有关|相关)(?:单位|部门|部门和单位|部门（单位）))")
# A unit of measure that swallowed the bound (170万亩以上 read as 170 of the unit 「万亩以上」): refused, with the fix.
BOUND_SUFFIXES = ("以上", "以下", "左右")
DAY_UNITS = {"日": 1, "天": 1, "个工作日": 1, "工作日": 1, "周": 7, "个星期": 7}
MONTH_UNITS = {"个月": 1, "月": 1, "年": 12, "周年": 12}
OTHERS_SUFFIX = "其他成员单位"
SINGLE_STATEMENTS: dict[type, str] = {ast.DocNumber: "文号", ast.Title: "标题", ast.DateStatement: "成文日期",
                                      ast.JurisdictionRef: "辖区", ast.Level: "层级", ast.Original: "原文",
                                      ast.LeadRule: "牵头规则"}
ITEM_KINDS = {kind: model.ItemKind(kind.value) for kind in ast.ItemKind}
unit_ref, assignment = model.unit_ref, model.assignment
# a task as `_item` makes it: every field, in this order, positionally (`Frozen.maker`)
_TASK = model.Task.maker("key", "id", "kind", "title", "text", "printed", "order", "section", "parent", "group", "depth",
                         "assignments", "deadlines", "terms", "targets", "goals", "rules", "implements", "waivers",
                         "cites", "notes", "todos", "span")
_DUE = model.DueDeadline.maker("end", "label", "written", "span")
_PERIOD = model.PeriodDeadline.maker("start", "end", "label", "written", "span")
_ONGOING = model.OngoingDeadline.maker("start", "label", "written", "span")
_TARGET = model.Target.maker("metric", "comparator", "value", "unit", "written_comparator", "by", "scope", "per",
                             "condition", "baseline", "note", "written", "span", "over", "shared")
_QUANTITY = model.Quantity.maker("value", "unit", "text")
_DEADLINE_KINDS = frozenset({ast.Due, ast.Period, ast.Ongoing, ast.Recurring, ast.EventLimit})
_VALUE_KINDS = frozenset({ast.Term, ast.Target, ast.CaseRule, ast.Item})  # an item's entries that are no statements
ASSIGNMENT_ROLES: dict[type, model.AssignmentRole] = {
    ast.Lead: model.AssignmentRole.LEAD, ast.Responsible: model.AssignmentRole.CO_RESPONSIBLE,
    ast.Cooperate: model.AssignmentRole.COOPERATE}


@dataclass
class PolicyIndex:
    """What every policy declares, known before any task reference is resolved (the `index` stage's result)."""

    kinds: dict[str, ast.PolicyKind] = field(default_factory=dict)
    task_ids: dict[str, set[str]] = field(default_factory=dict)
    spans: dict[str, Span] = field(default_factory=dict)
    parents: dict[str, list[str]] = field(default_factory=dict)
    numbers: dict[str, str] = field(default_factory=dict)  # policy id → its 文号, folded (`number_key`)
    # source file → the 辖区 its first policy names: where a 文件 block without a 辖区 of its own looks its units up
    # (the documents a policy cites sit beside it; looked up everywhere, 市政府办公厅 is ambiguous once a second
    # 直辖市 is declared)
    file_jurisdictions: dict[str, str] = field(default_factory=dict)
    # ids declared more than once (LS203, reported on every declaration): the first declaration in file order is
    # indexed; a 落实 naming a task it lacks is not reported again (LS204), as the task may be the other one's
    duplicates: set[str] = field(default_factory=set)

    def owns(self, policy: ast.Policy) -> bool:
        """Is this the policy indexed under its id (not a duplicate, already reported)?"""
        found = self.spans.get(policy.id.text)
        # equal, not only the same object: a full run unpickles each AST again to resolve it (pipeline.Packed), and
        # two policies cannot share a place (one source per shown path)
        return found is policy.span or found == policy.span

    def by_number(self, name: str) -> str | None:
        """The id of the one policy or document whose 文号 is `name` (`落实 渝府办发〔2018〕161号`, as documents cite
        each other), or None."""
        key = number_key(name)
        found = [pid for pid, number in self.numbers.items() if number == key]
        return found[0] if len(found) == 1 else None

    def id_of(self, name: str) -> str:
        """A reference's policy as written — an id, or a 文号 — as the id it names (unknown names stay as written)."""
        if name in self.kinds or not _LOOKS_NUMBERED.search(name):
            return name
        return self.by_number(name) or name

    def update(self, other: PolicyIndex) -> None:
        """Take `other`'s entries over these (the incremental run re-indexes the files it resolves again)."""
        self.kinds.update(other.kinds)
        self.task_ids.update(other.task_ids)
        self.spans.update(other.spans)
        self.parents.update(other.parents)
        self.numbers.update(other.numbers)
        self.file_jurisdictions.update(other.file_jurisdictions)
        self.duplicates |= other.duplicates


def resolve(sources: list[ast.SourceUnit], sink: Sink) -> model.Corpus:
    """The stages after parsing, in order (pipeline.run_stages runs the same functions, keeping each result):
    registry → index → resolve each policy → assemble."""
    registry = build_registry(sources, sink)
    policies = [p for src in sources for p in src.policies]
    index = index_policies(policies, sink)
    return assemble([resolve_policy(p, registry, index, sink) for p in policies if index.owns(p)], registry)


@dataclass
class Shared:
    """The task keys and dates the policies of one compile share, one object per value: a parent task's key is
    made again by every 落实 naming it, and a date by every deadline writing it. The model's strings are interned
    where they are built (`model.Frozen.trusted`); these two kinds cannot be, so one table each is passed to
    every `resolve_policy` of a compile (the full run's `_resolve_all`). The model is built shared: the pass that
    shared it afterwards (driver/share.py, 1.8 s CPU at 10k files) is gone (bench/README.md, "Round 10")."""

    keys: dict[tuple[str, str], model.TaskKey] = field(default_factory=dict)
    dates: dict[dt.date, dt.date] = field(default_factory=dict)

    def key(self, policy: str, task: str) -> model.TaskKey:
        """The one `TaskKey(policy, task)` of the compile, its strings interned."""
        found = self.keys.get((policy, task))  # a TaskKey equals (and hashes as) its plain pair
        if found is None:
            found = model.TaskKey(sys.intern(policy), sys.intern(task))
            self.keys[found] = found
        return found


def resolve_policy(policy: ast.Policy, registry: Registry, index: PolicyIndex, sink: Sink,
                   shared: Shared | None = None) -> model.Policy:
    """One policy's model: its units against the registry, its references against the index; its task keys and
    dates those of `shared` (a compile's policies resolved with one `Shared` hold one object per value)."""
    return _PolicyResolver(policy, registry, index, sink, shared or Shared()).run()


def assemble(resolved: list[model.Policy], registry: Registry) -> model.Corpus:
    """The frozen corpus of resolved policies and the registry, everything sorted by id: built trusted (its
    values are the models themselves, in tuples), so no run that only resolves and lints builds pydantic's
    validator for the model (`defer_build`: ~0.03 s of a one-file rebuild's CPU at 10k)."""
    return model.Corpus.trusted(
        policies=tuple(sorted(resolved, key=lambda p: p.id)),
        jurisdictions=tuple(sorted(registry.jurisdictions.values(), key=lambda j: j.id)),
        units=tuple(sorted(registry.units.values(), key=lambda u: u.id)),
        roles=tuple(sorted(registry.roles.values(), key=lambda r: r.id)),
    )


_LOOKS_NUMBERED = re.compile(r"[〔［\[（(【].*\d+号$")  # 渝府办发〔2018〕161号: what a 文号 looks like, not an id
_UNSAFE_ID = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f]')
MAX_ID_BYTES = 240  # a file name holds 255 bytes: room for the longest suffix a backend adds (.schema.json …)
_NUMBER_FOLD = str.maketrans({"[": "〔", "［": "〔", "(": "〔", "（": "〔", "【": "〔", "]": "〕", "］": "〕", ")": "〕",
                              "）": "〕", "】": "〕"})


def _check_id_shape(p: ast.Policy, sink: Sink) -> None:
    """A policy id names files (tables/<id>.md, the site's policies/<id>.md): no separator, no leading dot (`.`,
    `..`, a hidden file), nothing Windows refuses, and short enough for a file name with its suffix."""
    pid = p.id.text
    problem = None
    if unsafe := _UNSAFE_ID.search(pid):
        bad = unsafe.group()
        problem = (f"含有不能用在文件名中的字符「{bad if bad.isprintable() else repr(bad)}」",
                   f"it holds {bad!r}, which a file name cannot hold")
    elif pid.startswith("."):
        problem = ("以「.」开头（会成为隐藏文件或上级目录）", "it starts with '.' (a hidden file or a parent folder)")
    elif len(pid.encode("utf-8")) > MAX_ID_BYTES:
        problem = (f"超过 {MAX_ID_BYTES} 字节", f"it is longer than {MAX_ID_BYTES} bytes")
    if problem:
        sink.emit("LS107", p.id.span, f"政策编号「{pid}」不能用作文件名：{problem[0]}", f"policy id '{pid}' cannot name a file: {problem[1]}",
                  hint=("编号只用字母、数字和「-」，如 yyfbf-2019-22", "use letters, digits and '-' in ids, as in yyfbf-2019-22"))


def number_key(text: str) -> str:
    """A 文号 as compared: spaces dropped, every kind of bracket folded to 〔〕."""
    return re.sub(r"\s+", "", text).translate(_NUMBER_FOLD)


def _check_numbers(policies: Iterable[ast.Policy], sink: Sink,
                   first: dict[str, tuple[str, ast.DocNumber]] | None = None) -> None:
    """Two policies (or documents) with one 文号: completion data names a policy by its 文号, and would be credited
    to only one of them. `first` (number → the first policy and statement printing it) carries over between
    calls (`Indexer`)."""
    first = {} if first is None else first
    for p in policies:
        for s in p.statements:
            if not isinstance(s, ast.DocNumber) or not s.text:
                continue
            key = number_key(s.text)
            if key in first:
                other, where = first[key]
                if other == p.id.text:
                    continue  # the same id declared again: one LS203 says it, not an LS221 besides
                sink.emit("LS221", s.span, f"文号「{s.text}」已用于「{other}」", f"document number '{s.text}' is already used by '{other}'",
                          related=[Related(where.span, "首次使用处", "first used here")],
                          hint=("核对文号：每份文件的文号唯一", "check the number: every document has its own"))
            else:
                first[key] = (p.id.text, s)


_LS203_HINT = ("每个政策和文件的编号须唯一：改掉其中一处", "every policy and document needs its own id: rename one of them")


def index_policies(policies: list[ast.Policy], sink: Sink) -> PolicyIndex:
    indexer = Indexer()
    indexer.add(policies)
    return indexer.finish(sink)


class Indexer:
    """The index stage a file at a time (`add` each file's policies in file order, then `finish`), so the full run
    need not hold every AST at once; its index and diagnostics, in their order, are `index_policies`' over all
    the policies together: every LS221 (文号) first, then the others."""

    def __init__(self) -> None:
        self.index = PolicyIndex()
        self._first: dict[str, tuple[str, ast.DocNumber]] = {}
        self._numbers, self._others = Sink(), Sink()
        self._first_ids: dict[str, Span] = {}  # id → where its first declaration writes it (LS203 is put there)

    def add(self, policies: Iterable[ast.Policy], task_ids: Sequence[set[str]] | None = None) -> None:
        """Index one file's policies. With `task_ids` (each policy's, as `index_entry` took them) the policies may
        be their statements only: what a parse worker sends instead of the whole AST."""
        policies = tuple(policies)
        _check_numbers(policies, self._numbers, self._first)
        index, sink = self.index, self._others
        for i, p in enumerate(policies):
            pid = p.id.text
            _check_id_shape(p, sink)
            if pid in index.spans:
                if pid not in index.duplicates:  # the first declaration is reported once, pointing at the second
                    index.duplicates.add(pid)
                    sink.emit("LS203", self._first_ids[pid], f"编号「{pid}」重复：另一处也声明了该编号",
                              f"id '{pid}' is declared again elsewhere",
                              related=[Related(p.id.span, "另一处声明", "declared again here")], hint=_LS203_HINT)
                sink.emit("LS203", p.id.span, f"编号「{pid}」已被另一政策或文件使用", f"id '{pid}' is already used",
                          related=[Related(self._first_ids[pid], "首次声明处", "first declared here")], hint=_LS203_HINT)
                continue
            self._first_ids[pid] = p.id.span
            index.spans[pid] = p.span
            index.kinds[pid] = p.kind
            index.task_ids[pid] = task_ids[i] if task_ids is not None else _task_ids(p)
            index.parents[pid] = policy_parents(p)
            number = next((s.text for s in p.statements if isinstance(s, ast.DocNumber) and s.text), None)
            if number:
                index.numbers[pid] = number_key(number)
            named = next((s.name.text for s in p.statements if isinstance(s, ast.JurisdictionRef)), None)
            if named is not None and p.kind is ast.PolicyKind.POLICY:
                index.file_jurisdictions.setdefault(p.span.file, named)

    def finish(self, sink: Sink) -> PolicyIndex:
        sink.items += self._numbers.items + self._others.items
        return self.index


def index_entry(p: ast.Policy) -> tuple[ast.Policy, set[str]]:
    """What the index reads of a policy: the policy with its statements only (no sections, tasks or groups), and
    its task ids. A parse worker takes them while the AST is alive, so a cold run indexes a file without
    unpickling its AST (`Indexer.add(policies, task_ids)` gives the index and diagnostics of the whole AST's)."""
    return ast.Policy(kind=p.kind, id=p.id, span=p.span, entries=p.statements), _task_ids(p)


def _task_ids(p: ast.Policy) -> set[str]:
    return {item.id.text for item in _walk_items(p.body)}


def policy_parents(p: ast.Policy) -> list[str]:
    """The documents a policy implements as a whole (`落实 yfbf-2018-161` at policy level), as written."""
    return [r.policy for s in p.statements if isinstance(s, ast.Implements) for r in s.refs if r.policy and not r.task]


def _walk_items(body: Iterable[ast.Section | ast.Item | ast.Group]) -> list[ast.Item]:
    out: list[ast.Item] = []
    for node in body:
        if isinstance(node, ast.Section):
            out += _walk_items(node.body)
        elif isinstance(node, ast.Group):
            out += _walk_items(node.items)
        elif isinstance(node, ast.Item):
            out.append(node)
            out += _walk_items(node.children)
    return out


class _PolicyResolver:
    def __init__(self, policy: ast.Policy, registry: Registry, index: PolicyIndex, sink: Sink, shared: Shared):
        self.p, self.reg, self.index, self.sink = policy, registry, index, sink
        self.pid = sys.intern(policy.id.text)
        self.key, self.dates = shared.key, shared.dates
        self.jurisdiction: str | None = None
        self.lookup_in: str | None = None  # where unit names are looked up: the 辖区, or the file's policy's
        self.lead_rule: str | None = None  # 牵头规则: how its （责任单位：…） clauses are read
        self.order = 0
        self.seen_ids: dict[str, ast.Name] = {}
        self.sections: list[model.Section] = []
        self.tasks: list[model.Task] = []
        # name → `Registry.lookup`'s answer in `lookup_in` (set once, before the body): a policy writes its few names
        # again and again (1k corpus: 54,000 lookups, 13,000 different in their policies; kept for one policy
        # only, as few names repeat across policies and the memo would outlive the stage)
        self.found: dict[str, tuple[str, ...]] = {}

    # ── policy header ──
    def run(self) -> model.Policy:
        p = self.p
        statements = p.statements  # a property walking every entry: taken once
        self._check_single(statements)
        stmts = {type(s): s for s in statements}  # the last of each kind, as before (a repeat is LS214)
        fields: dict[str, Any] = {}  # model.Policy's keyword arguments
        if isinstance(j := stmts.get(ast.JurisdictionRef), ast.JurisdictionRef):
            self.jurisdiction = self._jurisdiction(j.name)
            fields["jurisdiction"] = self.jurisdiction
        self.lookup_in = self.jurisdiction or self.reg.canonical_jurisdiction(
            self.index.file_jurisdictions.get(p.span.file, ""))
        if isinstance(level := stmts.get(ast.Level), ast.Level):
            fields["level"] = self._level(level.name)
        elif self.jurisdiction:
            fields["level"] = self.reg.jurisdictions[self.jurisdiction].level
        if isinstance(rule := stmts.get(ast.LeadRule), ast.LeadRule):
            self.lead_rule = fields["lead_rule"] = rule.rule
        if isinstance(number := stmts.get(ast.DocNumber), ast.DocNumber):
            fields["number"] = number.text
        if isinstance(title := stmts.get(ast.Title), ast.Title):
            fields["title"] = title.text
        if isinstance(date := stmts.get(ast.DateStatement), ast.DateStatement):
            fields["date"] = self._date_end(date.date)
        if isinstance(original := stmts.get(ast.Original), ast.Original):
            fields["preamble"] = original.text
        fields["issuers"] = self._units_of(statements, ast.Issuer)
        fields["addressees"] = self._units_of(statements, ast.Addressees)
        fields["cc"] = self._units_of(statements, ast.Copied)
        fields["implements"] = self._doc_refs(statements, ast.Implements)
        fields["cites"] = self._doc_refs(statements, ast.Cites)
        fields["waivers"] = tuple(w for s in statements if isinstance(s, ast.Waiver) for w in self._waivers(s))
        fields["notes"] = tuple(s.text for s in statements if isinstance(s, ast.Note))
        fields["todos"] = self._todos(statements)
        body = p.body
        if p.kind is ast.PolicyKind.DOCUMENT and body:
            first = body[0]
            self.sink.emit("LS210", first.span, f"文件「{self.pid}」只声明，不能包含部分或任务",
                           f"document '{self.pid}' is declared only; it cannot hold sections or tasks",
                           hint=("要编码全文，请改用「政策」", "to encode it in full, declare it with 政策"))
        else:
            self._body(body, section=None, depth=0)
        return model.Policy.trusted(
            id=self.pid, kind=model.PolicyKind(p.kind.value), file=p.span.file, span=p.span,
            sections=tuple(self.sections), tasks=tuple(self.tasks), **fields,
        )

    def _check_single(self, statements: Iterable[ast.Statement]) -> None:
        seen: dict[type, ast.Statement] = {}
        for s in statements:
            kind = type(s)
            if kind in SINGLE_STATEMENTS:
                if kind in seen:
                    kw = SINGLE_STATEMENTS[kind]
                    self.sink.emit("LS214", s.span, f"「{kw}」只能写一次", f"'{kw}' may appear only once here",
                                   related=[Related(seen[kind].span, "第一次出现处", "first written here")],
                                   hint=("删去多余的一条", "remove the extra one"))
                else:
                    seen[kind] = s

    def _jurisdiction(self, name: ast.Name) -> str | None:
        found = self.reg.canonical_jurisdiction(name.text)
        if found is None:
            close = sorted(difflib.get_close_matches(name.text, list(self.reg.jurisdictions), n=3), key=lambda j: (
                -difflib.SequenceMatcher(None, name.text, j).ratio(), _level_rank(self.reg.jurisdictions[j].level), j))
            self.sink.emit("LS206", name.span, f"未知辖区「{name.text}」", f"unknown jurisdiction '{name.text}'",
                           hint=(f"是否指「{close[0]}」？", f"did you mean '{close[0]}'?") if close else
                           ("在 policies/units/ 中用「辖区 名称 { … }」声明它", "declare it in policies/units/ with 辖区 NAME { … }"))
        return found

    def _level(self, name: ast.Name) -> str:
        expected = self.reg.jurisdictions[self.jurisdiction].level if self.jurisdiction else None
        if expected and expected != name.text:
            self.sink.emit("LS209", name.span, f"层级「{name.text}」与辖区「{self.jurisdiction}」的层级「{expected}」不符",
                           f"level '{name.text}' does not match jurisdiction '{self.jurisdiction}' ({expected})",
                           hint=(f"改为「{expected}」或删去此行", f"write '{expected}' or drop the line"))
        return name.text

    # ── units ──
    def _units_of(self, statements: Iterable[ast.Statement], kind: type[ast._Units]) -> tuple[model.UnitRef, ...]:
        return tuple(r for s in statements if isinstance(s, kind) for r in self._units(s.units))

    def _units(self, names: Iterable[ast.UnitName]) -> list[model.UnitRef]:
        out = []
        found = self.found
        for n in names:
            # the common case first: a name with no sub-units that means one unit (neither an open list then, nor
            # a group's 其他成员单位): what `_unit` makes of it, with no pattern matched and no diagnostic possible
            if not n.subunits and len(hit := found.get(n.name.text, ())) == 1:
                out.append(unit_ref(hit[0], n.written, n.span or n.name.span))
                continue
            out += self._open_list(n) or [ref for ref in [self._unit(n)] if ref is not None]
        return out

    def _open_list(self, n: ast.UnitName) -> list[model.UnitRef] | None:
        """「光明集团等有关单位」 as printed (docs/encoding.md §4, open lists): the named unit, then the collective
        the rest of the list stands for (有关单位 · 有关部门 …), as two units. None when the name is not such a
        list, or is itself a unit's name."""
        m = OPEN_LIST.fullmatch(n.name.text)
        if n.subunits or m is None or self._lookup(n.name.text, n.span or n.name.span, report=False):
            return None
        span = n.span or n.name.span
        out = []
        for part in m.groups():
            found = self._lookup(part, span, report=True)
            if found:
                out.append(model.UnitRef.trusted(unit=found, written=part, span=span))
        return out

    def _unit(self, n: ast.UnitName) -> model.UnitRef | None:
        span = n.span or n.name.span
        found = self._lookup(n.written, span, report=False) if n.subunits else None
        if found:
            return model.UnitRef.trusted(unit=found, written=n.written, span=span)
        name = n.name.text
        found = self._lookup(name, span, report=False)
        others = False
        if not found and name.endswith(OTHERS_SUFFIX):
            base = name[: -len(OTHERS_SUFFIX)] + "成员单位"
            found = self._lookup(base, span, report=False)
            if found and self.reg.units[found].kind is not model.UnitKind.GROUP:
                self.sink.emit("LS215", span, f"「{base}」不是群组，不能写「其他成员单位」",
                               f"'{base}' is not a group, so it has no 'other members'",
                               hint=("在单位名录中把它声明为「群组」", "declare it as 群组 in the registry"))
            others = bool(found)
        if not found:
            found = self._lookup(name, span, report=True)
        if not found:
            return None
        return model.UnitRef.trusted(unit=found, written=n.written, subunits=tuple(self._units(n.subunits)), others=others, span=span)

    def _lookup(self, name: str, span: Span | None, *, report: bool) -> str | None:
        found = self.found.get(name)
        if found is None:
            found = self.found[name] = tuple(self.reg.lookup(name, self.lookup_in))
        if len(found) == 1:
            return found[0]
        if report and not found:
            report_unknown(self.reg, name, span, self.lookup_in, self.sink)
        elif report:
            # declared units first; a name every 区县 has (区民政局) would list dozens
            ordered = sorted(found, key=lambda u: (self.reg.units[u].note == STANDARD_NOTE, u))
            shown = "、".join(ordered[:5])
            more_zh, more_en = (f"等 {len(found)} 个", f" and {len(found) - 5} more") if len(found) > 5 else ("", "")
            self.sink.emit("LS218", span, f"「{name}」可指多个单位：{shown}{more_zh}",
                           f"'{name}' can mean several units: {shown}{more_en}",
                           hint=("在政策或「文件」块中写明「辖区」（如 辖区 重庆市），或用单位全称",
                                 "give the policy or the 文件 block a 辖区 (e.g. 辖区 重庆市), or write the unit's full name"))
        return None

    # ── references ──
    def _doc_refs(self, statements: Iterable[ast.Statement], kind: type[ast.Implements | ast.Cites]) -> tuple[str, ...]:
        out: list[str] = []
        for s in statements:
            if not isinstance(s, kind):
                continue
            for r in s.refs:
                if r.task is not None:
                    self.sink.emit("LS210", r.span, "政策一级的「落实」「引用」只能指文件，不能指任务",
                                   "at policy level, implements/cites name documents, not tasks",
                                   hint=("把任务级的「落实」写进对应任务", "put task links inside the task that carries them out"))
                    continue
                pid = self.index.id_of(r.policy or "")  # a reference without a task names a policy
                if self._known_doc(pid, r.span):
                    if pid == self.pid:
                        self.sink.emit("LS220", r.span, "政策不能落实或引用自身", "a policy cannot implement or cite itself")
                    else:
                        out.append(pid)
        return tuple(dict.fromkeys(out))

    def _known_doc(self, pid: str, span: Span) -> bool:
        if pid in self.index.kinds:
            return True
        close = difflib.get_close_matches(pid, list(self.index.kinds), n=1)
        self.sink.emit("LS204", span, f"没有编号为「{pid}」的政策或文件", f"no policy or document with id '{pid}'",
                       hint=(f"是否指「{close[0]}」？", f"did you mean '{close[0]}'?") if close else
                       ("用「文件 编号 { 文号 … }」声明外部文件", "declare an external document with 文件 ID { 文号 … }"))
        return False

    def _task_refs(self, refs: Iterable[ast.Ref]) -> list[model.TaskKey]:
        out: list[model.TaskKey] = []
        current: str | None = None
        for r in refs:
            if r.task is None:
                self.sink.emit("LS210", r.span, f"任务的「落实」须指向任务，如「{r.policy}:2.1」",
                               f"a task implements tasks, e.g. '{r.policy}:2.1'",
                               hint=("整份文件的落实关系写在政策一级", "policy-to-document links go at policy level"))
                continue
            policy = self.index.id_of(r.policy) if r.policy else current or self._default_parent(r)
            if policy is None:
                continue
            current = policy
            if not self._known_doc(policy, r.span):
                continue
            if self.index.kinds[policy] is ast.PolicyKind.DOCUMENT:
                if policy in self.index.duplicates:
                    continue
                self.sink.emit("LS204", r.span, f"「{policy}」是未编码的文件，没有任务「{r.task}」",
                               f"'{policy}' is a declared document with no encoded tasks",
                               hint=("改为在政策一级「落实」该文件", "link the document at policy level instead"))
                continue
            task = task_id_of_printed(r.task) or r.task  # 二（五）, as printed: task 2.5
            if task not in self.index.task_ids[policy]:
                if policy in self.index.duplicates:
                    continue  # the task may be the other declaration's: LS203 is the one error (docs/rules.md)
                close = difflib.get_close_matches(task, sorted(self.index.task_ids[policy]), n=1)
                read = f"（即 {task}）" if task != r.task else ""
                self.sink.emit("LS204", r.span, f"政策「{policy}」中没有任务「{r.task}」{read}",
                               f"policy '{policy}' has no task '{r.task}'" + (f" (read as {task})" if read else ""),
                               hint=(f"是否指「{close[0]}」？", f"did you mean '{close[0]}'?") if close else None)
                continue
            if policy == self.pid:
                self.sink.emit("LS220", r.span, "任务不能落实同一政策中的任务", "a task cannot implement a task of its own policy")
                continue
            out.append(self.key(policy, task))
        return out

    def _default_parent(self, r: ast.Ref) -> str | None:
        parents = [self.index.id_of(p) for p in self.index.parents.get(self.pid, [])]
        encoded = [p for p in parents if self.index.kinds.get(p) is ast.PolicyKind.POLICY]
        if len(encoded) == 1:
            return encoded[0]
        self.sink.emit("LS211", r.span, f"「{r.task}」未写明所属政策",
                       f"'{r.task}' does not say which policy it belongs to",
                       hint=("写成「政策编号:任务编号」，如 yfbf-2018-161:2.1", "write POLICY:TASK, e.g. yfbf-2018-161:2.1"))
        return None

    def _waivers(self, s: ast.Waiver) -> list[model.Waiver]:
        out = []
        for r in s.refs:
            if r.task is None:
                pid = self.index.id_of(r.policy or "")  # a reference without a task names a policy
                if self._known_doc(pid, r.span):
                    out.append(model.Waiver.trusted(document=pid, reason=s.text, span=s.span))
            else:
                for key in self._task_refs([r]):
                    out.append(model.Waiver.trusted(target=key, reason=s.text, span=s.span))
        return out

    def _todos(self, statements: Iterable[ast.Statement]) -> tuple[str, ...]:
        """Each 待定 is reported, so an open question in a draft is never silently taken as settled."""
        out = []
        for s in statements:
            if isinstance(s, ast.Todo):
                self.sink.emit("LS230", s.span, f"待定：{s.text}", f"open item: {s.text}",
                               hint=("确定后改写为相应语句并删去「待定」", "settle it, write the statement it calls for, and remove the 待定"))
                out.append(s.text)
        return tuple(out)

    # ── body ──
    def _claim_id(self, name: ast.Name) -> bool:
        if name.text in self.seen_ids:
            self.sink.emit("LS202", name.span, f"编号「{name.text}」在本政策中重复", f"id '{name.text}' is used twice in this policy",
                           related=[Related(self.seen_ids[name.text].span, "首次使用处", "first used here")],
                           hint=("按文件自身的编号给出唯一编号", "number items uniquely, following the document"))
            return False
        self.seen_ids[name.text] = name
        return True

    def _body(self, body: Iterable[ast.Section | ast.Item | ast.Group], section: str | None, depth: int, group: str | None = None, parent: str | None = None) -> None:
        for node in body:
            if isinstance(node, ast.Section):
                self._section(node, section, depth)
            elif isinstance(node, ast.Group):
                self._body(node.items, section, depth, group=node.title, parent=parent)
            elif isinstance(node, ast.Item):
                self._item(node, section, depth, group, parent)

    def _section(self, s: ast.Section, parent: str | None, depth: int) -> None:
        if not self._claim_id(s.id):
            return
        statements, body = s.statements, s.body  # properties walking every entry: taken once
        originals = [st for st in statements if isinstance(st, ast.Original)]
        self._check_single(originals)
        self.order += 1
        self.sections.append(model.Section.trusted(
            id=s.id.text, title=s.title, order=self.order, parent=parent, depth=depth,
            text=originals[0].text if originals else None,
            notes=tuple(st.text for st in statements if isinstance(st, ast.Note)), todos=self._todos(statements),
            span=s.span,
        ))
        for st in statements:
            if isinstance(st, ast.Waiver):
                self.sink.emit("LS210", st.span, "「不予落实」写在政策一级或任务中", "write waivers at policy level or in a task")
        self._body(body, s.id.text, depth + 1)

    def _item(self, item: ast.Item, section: str | None, depth: int, group: str | None, parent: str | None,
              inherited: tuple[model.Assignment, ...] = (), parent_text: str | None = None) -> None:
        if not self._claim_id(item.id):
            return
        # the entries by kind, each kind in source order, and the deadlines and the statements in source order:
        # one pass (ast.Item's properties walk all the entries each; the AST classes have no subclasses)
        of: dict[type, list[Any]] = {}
        deadlines: list[Any] = []  # ast.Deadline, each
        statements: list[Any] = []  # ast.ItemStatement, each
        for e in item.entries:
            kind = type(e)
            if kind in _DEADLINE_KINDS:
                deadlines.append(e)
                continue
            if kind in of:
                of[kind].append(e)
            else:
                of[kind] = [e]
            if kind not in _VALUE_KINDS:
                statements.append(e)
        if len(statements) > 1:
            self._check_single(statements)
        self.order += 1
        order = self.order
        assignments = self._assignments(item, statements)
        # A sub-task (一是、二是 …) is covered by its measure's 责任单位 clause: it takes the parent's units in
        # every role it does not name itself.
        if inherited:
            own_roles = {a.role for a in assignments}
            assignments = [assignment(a.role, a.unit, True, a.inferred)
                           for a in inherited if a.role not in own_roles] + assignments
        # the value kinds most items lack are looked at only when present (no empty generator made for each)
        get = of.get
        implements: tuple[model.TaskKey, ...] = ()
        if (links := get(ast.Implements)) is not None:
            implements = tuple(dict.fromkeys(k for s in links for k in self._task_refs(s.refs)))
        targets: tuple[model.Target, ...] = ()
        goals: tuple[model.Goal, ...] = ()
        if (written_targets := get(ast.Target)) is not None:
            targets = tuple(t for t in (self._target(t) for t in written_targets
                                        if not isinstance(t.rule, ast.Qualitative)) if t)
            goals = tuple(g for g in (self._goal(t) for t in written_targets
                                      if isinstance(t.rule, ast.Qualitative)) if g)
        tid = item.id.text
        text = of[ast.Original][0].text if ast.Original in of else None
        task = _TASK(
            self.key(self.pid, tid), tid, ITEM_KINDS[item.kind], item.title, text,
            _printed_label(tid, section, parent_text if tid.count(".") >= 2 else None),
            order, section, parent, group, depth, tuple(assignments),
            tuple(d for d in map(self._deadline, deadlines) if d) if deadlines else (),
            tuple(t for t in map(self._term, terms) if t) if (terms := get(ast.Term)) else (),
            targets, goals,
            tuple(self._case_rule(r, of) for r in rules) if (rules := get(ast.CaseRule)) else (),
            implements,
            tuple(w for s in waivers for w in self._waivers(s)) if (waivers := get(ast.Waiver)) else (),
            self._doc_refs(cites, ast.Cites) if (cites := get(ast.Cites)) else (),
            tuple(s.text for s in notes) if (notes := get(ast.Note)) else (),
            self._todos(todos) if (todos := get(ast.Todo)) else (),
            item.span,
        )
        self.tasks.append(task)
        if (children := get(ast.Item)) is not None:
            for child in children:
                self._item(child, section, depth + 1, None, tid, task.assignments, text)

    def _assignments(self, item: ast.Item, statements: Sequence[ast.ItemStatement]) -> list[model.Assignment]:
        out: list[model.Assignment] = []
        first_lead: ast.ItemStatement | None = None
        lead_count = 0
        items, found = self.sink.items, self.found
        mark = len(items)  # LS219 is counted in the one pass, and reported before what the units' lookups report
        for s in statements:
            kind = type(s)
            role = ASSIGNMENT_ROLES.get(kind)
            if role is not None:
                if kind is ast.Lead:
                    lead_count += len(s.units)  # type: ignore[union-attr]  # a Lead
                    first_lead = first_lead or s
                inferred = s.inferred  # type: ignore[union-attr]  # a Lead, Responsible or Cooperate
                for n in s.units:  # type: ignore[union-attr]
                    if not n.subunits and len(hit := found.get(n.name.text, ())) == 1:  # as in `_units`
                        out.append(assignment(role, unit_ref(hit[0], n.written, n.span or n.name.span), False, inferred))
                    else:
                        out += [assignment(role, u, False, inferred) for u in self._units((n,))]
            elif kind is ast.Pasted:
                if s.word == "牵头单位":  # type: ignore[union-attr]  # a Pasted
                    lead_count += len(s.units)  # type: ignore[union-attr]
                    first_lead = first_lead or s
                out += [assignment(role, u) for role, u in self._pasted_roles(s)]  # type: ignore[arg-type]
        if lead_count > 1:
            assert first_lead is not None
            self.sink.emit("LS219", first_lead.span, f"任务「{item.id.text}」有 {lead_count} 个牵头单位",
                           f"task '{item.id.text}' has {lead_count} lead units",
                           hint=("共同负责的单位请用「负责」", "write co-responsible units with 负责"))
            items.insert(mark, items.pop())
        return out

    def _pasted_roles(self, s: ast.Pasted) -> list[tuple[model.AssignmentRole, model.UnitRef]]:
        """（责任单位：A、B） read as the document means it (docs/encoding.md §1): 牵头单位 leads, 配合单位 cooperates;
        责任单位 under 牵头规则 首位 gives the first unit the lead and the rest 配合, otherwise 负责 for them all."""
        R = model.AssignmentRole
        if s.word == "牵头单位":
            roles = [R.LEAD] * len(s.units)
        elif s.word == "配合单位":
            roles = [R.COOPERATE] * len(s.units)
        elif self.lead_rule == "首位":  # by its place as written: an unknown first unit does not pass the lead on
            roles = [R.LEAD] + [R.COOPERATE] * (len(s.units) - 1)
        else:
            roles = [R.CO_RESPONSIBLE] * len(s.units)
        out: list[tuple[model.AssignmentRole, model.UnitRef]] = []
        for role, n in zip(roles, s.units):
            refs = self._open_list(n)
            if refs is None:
                out += [(role, ref) for ref in [self._unit(n)] if ref is not None]
            else:  # 光明集团等有关单位: the rest stand with the list's units that do not lead
                out += [(role if i == 0 or role is not R.LEAD else R.COOPERATE, ref) for i, ref in enumerate(refs)]
        return out

    # ── values ──
    def _date_span(self, d: ast.CnDate) -> tuple[dt.date, dt.date] | None:
        try:
            first, last = date_span(d)
        except DateError as exc:
            self.sink.emit("LS205", d.span, f"日期不存在：{exc.zh}", f"impossible date: {exc.en}",
                           hint=("核对原文中的日期", "check the date against the text"))
            return None
        dates = self.dates
        return dates.setdefault(first, first), dates.setdefault(last, last)

    def _date_end(self, d: ast.CnDate) -> dt.date | None:
        span = self._date_span(d)
        return span[1] if span else None

    def _date_start(self, d: ast.CnDate) -> dt.date | None:
        span = self._date_span(d)
        return span[0] if span else None

    def _dates(self, d: ast.Deadline, start: ast.CnDate | None, end: ast.CnDate | None
               ) -> tuple[dt.date | None, dt.date | None] | None:
        """A deadline's written dates as days (an end its last day, a start its first), the end read first;
        None (reported) when one does not exist or the period ends before it starts."""
        end_day = start_day = None
        if end is not None and (end_day := self._date_end(end)) is None:
            return None
        if start is not None and (start_day := self._date_start(start)) is None:
            return None
        if start_day and end_day and start_day > end_day:
            self.sink.emit("LS212", d.span, f"期间结束（{end_day}）早于开始（{start_day}）",
                           f"the period ends ({end_day}) before it starts ({start_day})",
                           hint=("交换起止日期或核对原文", "swap the dates or check the text"))
            return None
        return start_day, end_day

    def _deadline(self, d: ast.Deadline) -> model.Deadline | None:
        """The model's deadline of the AST's kind; None (reported) when a date does not exist, a period ends
        before it starts, a day is given to a frequency other than 每月, or a limit is not a length of time."""
        kind = type(d)
        if kind is ast.Due:  # the common kinds by positional makers (`_DUE` …), as `trusted` would make them
            end = self._date_end(d.end)  # type: ignore[union-attr]  # a Due
            return None if end is None else _DUE(end, d.label, d.written, d.span)
        if kind is ast.Period:
            start = d.start  # type: ignore[union-attr]  # a Period
            if isinstance(start, int):
                start = ast.CnDate(start, None, None, None, d.span)
            match self._dates(d, start, d.end):  # type: ignore[union-attr]
                case (dt.date() as first, dt.date() as last):
                    return _PERIOD(first, last, d.label, d.written, d.span)
            return None
        if kind is ast.Ongoing:  # 自2016年6月起: in force from then
            dates = self._dates(d, d.since, None)  # type: ignore[union-attr]  # an Ongoing
            return None if dates is None else _ONGOING(dates[0], d.label, d.written, d.span)
        common: dict[str, Any] = {"label": d.label, "written": d.written, "span": d.span}
        if isinstance(d, ast.Recurring):
            return self._recurring(d, common)
        assert isinstance(d, ast.EventLimit), d
        return self._event_limit(d, common)

    def _recurring(self, d: ast.Recurring, common: dict[str, Any]) -> model.RecurringDeadline | None:
        frequency = model.Frequency(FREQUENCIES[d.frequency])
        if d.day is not None and (frequency is not model.Frequency.MONTHLY or not 1 <= d.day <= 31):
            form = f'时限 {d.frequency}1次 "{d.frequency}{d.day}日前"'
            self.sink.emit("LS217", d.span, f"「{d.written}」：只有「每月」可以写日期（1—31日），如「每月15日前」",
                           f"'{d.written}': only 每月 takes a day of the month (1–31), as in 每月15日前",
                           hint=(f"写作「{form}」：频次加上原文的说法作说明",
                                 f"write {form}: the frequency, with the printed wording as its label"))
            return None
        start, end = (d.window.start, d.window.end) if d.window is not None else (None, None)
        if d.since is not None:  # 自2021年7月起: the first round starts then (not at the window's start)
            start = d.since
        dates = self._dates(d, start, end)
        if dates is None:
            return None
        return model.RecurringDeadline.trusted(start=dates[0], end=dates[1], frequency=frequency, times=d.times or 1, day=d.day,
                                       **common)

    def _event_limit(self, d: ast.EventLimit, common: dict[str, Any]) -> model.EventLimitDeadline | None:
        quantity = self._quantity(d.limit)
        unit = d.limit.unit or ""
        if unit not in DAY_UNITS and unit not in MONTH_UNITS and unit != "小时":
            self.sink.emit("LS213", d.limit.span, f"时限的单位「{unit}」不是时间单位", f"'{unit}' is not a unit of time",
                           hint=("用 日、天、个工作日、周、个月、年", "use 日, 天, 个工作日, 周, 个月 or 年"))
            return None
        return model.EventLimitDeadline.trusted(from_event=d.from_event, to_event=d.to_event, limit=quantity,
                                        working_days="工作日" in unit,
                                        limit_days=int(quantity.value * DAY_UNITS[unit]) if unit in DAY_UNITS else None,
                                        **common)

    def _quantity(self, q: ast.Quantity) -> model.Quantity:
        return _QUANTITY(float(q.value), q.unit, f"{q.value}{q.unit or ''}")

    def _case_rule(self, r: ast.CaseRule, of: dict[type, list[Any]]) -> model.CaseRule:
        """A case rule, its condition checked against the known facts and parameters (luoshi/cases/facts.py)."""
        from ..cases.expr import check_condition

        check_condition(r.condition, r.span, self.sink)
        if ast.Original not in of and r.label is None:
            self.sink.emit("LS240", r.span, f"规则「{r.name.text}」没有原文：写在有原文的任务中，或加上原文引语",
                           f"rule '{r.name.text}' has no 原文: put it in a task with its 原文, or quote the words")
        return model.CaseRule.trusted(name=r.name.text, condition=r.condition, verdict=model.Verdict(ast.VERDICTS[r.verdict]),
                              label=r.label, span=r.span)

    def _term(self, t: ast.Term) -> model.Term | None:
        unit = t.quantity.unit or ""
        if unit not in MONTH_UNITS and unit not in DAY_UNITS:
            self.sink.emit("LS213", t.quantity.span, f"期限的单位「{unit}」不是时间单位", f"'{unit}' is not a unit of time",
                           hint=("用 日、个月、年 等", "use 日, 个月, 年 …"))
            return None
        q = self._quantity(t.quantity)
        months = q.value * MONTH_UNITS[unit] if unit in MONTH_UNITS else None
        return model.Term.trusted(quantity=q, months=months, at_most=t.at_most, label=t.label, span=t.span)

    def _bound_in_unit(self, t: ast.Target, q: ast.Quantity) -> bool:
        """`稳定在 170万亩以上`: the unit 「万亩以上」 holds the bound. Reported (LS213) with the spaced form that
        reads as the text means; False, so the target is dropped rather than read as "= 170"."""
        unit = q.unit or ""
        suffix = next(s for s in BOUND_SUFFIXES if unit.endswith(s))
        bare = unit[: -len(suffix)]
        if suffix == "左右":
            fix = (f"「左右」不是计量单位：写作 {t.comparator} {q.value}{bare}，把「左右」写进备注文本",
                   f"'左右' (about) is not a unit: write {t.comparator} {q.value}{bare} and put '左右' in the note text")
        else:
            fix = (f"在数值与「{suffix}」之间加空格：{t.comparator} {q.value}{bare} {suffix}",
                   f"put a space before '{suffix}': {t.comparator} {q.value}{bare} {suffix} (read as "
                   f"{'≥' if suffix == '以上' else '≤'} {q.value}{bare})")
        self.sink.emit("LS213", q.span, f"计量单位「{unit}」带有「{suffix}」", f"the unit '{unit}' ends in '{suffix}'", hint=fix)
        return False

    def _goal(self, t: ast.Target) -> model.Goal | None:
        """目标 粮食种植面积 不减少: a target with no number, with the dates, period and scope a target takes."""
        assert isinstance(t.rule, ast.Qualitative), "only qualitative targets are goals"
        by = self._date_end(t.by) if t.by else None
        over = self._over(t.over) if t.over is not None else None
        if t.over is not None and over is None:
            return None
        return model.Goal.trusted(metric=t.metric.text, kind=model.GoalKind(ast.QUALITATIVE[t.rule.word]), word=t.rule.word,
                          by=by or (over.end if over else None), over=over, scope=tuple(self._units(t.scope)),
                          shared=t.shared,
                          per=t.per, condition=t.condition, baseline=t.baseline, note=t.note, written=t.written,
                          span=t.span)

    def _target(self, t: ast.Target) -> model.Target | None:
        match t.rule:
            case ast.Cleared():
                comparator, value, unit, written = model.Comparator.EQ, 0.0, None, None
            case ast.Compare(comparator=written, quantity=quantity, bound=bound):
                comparator = model.Comparator(COMPARATORS[written])
                if bound is not None and comparator in (model.Comparator.EQ, model.Comparator.GE, model.Comparator.LE):
                    comparator = model.Comparator(BOUNDS[bound])
                value, unit = float(quantity.value), quantity.unit
                if unit and unit.endswith(BOUND_SUFFIXES) and not self._bound_in_unit(t, quantity):
                    return None
        if unit == "%" and comparator in (model.Comparator.GE, model.Comparator.LE, model.Comparator.GT,
                                          model.Comparator.LT, model.Comparator.EQ) and value > 100:
            self.sink.emit("LS213", quantity.span, f"比例 {value:g}% 超过 100%", f"{value:g}% is over 100%",
                           hint=("核对原文中的数值", "check the number against the text"))
        by = self._date_end(t.by) if t.by else None
        over = self._over(t.over) if t.over is not None else None
        if t.over is not None and over is None:
            return None
        if over is not None and by is None:  # 期间 "十四五": the target is due (checked, dated on checklists) at its end
            by = over.end
        return _TARGET(t.metric.text, comparator, value, unit, written, by, tuple(self._units(t.scope)) if t.scope else (),
                       t.per, t.condition, t.baseline, t.note, t.written, t.span, over, t.shared)

    def _over(self, o: ast.Over) -> model.TargetPeriod | None:
        """期间 "十四五" → 2021-01-01…2025-12-31; a period that ends before it starts is refused (LS212)."""
        start = self._date_span(ast.CnDate(o.start, None, None, None, o.span) if isinstance(o.start, int) else o.start)
        end = self._date_span(o.end)
        if start is None or end is None:
            return None
        if start[0] > end[1]:
            self.sink.emit("LS212", o.span, f"期间结束（{end[1]}）早于开始（{start[0]}）",
                           f"the period ends ({end[1]}) before it starts ({start[0]})",
                           hint=("交换起止日期或核对原文", "swap the dates or check the text"))
            return None
        written = o.plan if o.plan is not None else over_text(o).split(" ", 1)[1]
        return model.TargetPeriod.trusted(start=start[0], end=end[1], cumulative=o.cumulative, written=written)


@functools.lru_cache(maxsize=1024)
def _printed_label(task_id: str, section: str | None, parent_text: str | None) -> str | None:
    """`printed_label`, once per distinct question: documents number their tasks alike (2.1, 2.2 … under 二).
    The parent's text is read for a third-level id only (2.2.2 → 二（二）二是): the caller passes None for the
    others, so they share entries and the cache holds few texts."""
    return printed_label(task_id, section, parent_text)


def _level_rank(level: str | None) -> int:
    """Among equally close names, the higher level first: 云阳 suggests 云阳县 before its township 云阳镇."""
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)
