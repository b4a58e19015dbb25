"""The surface AST: what the author wrote, with a span on every node, before any name is resolved.

Nodes are frozen dataclasses, one class per statement kind: a consumer matches on the class (`match s: case
ast.Lead(units=u)`), never on a kind string. `astbuild.py` is the only way to make them from source (during
lark's parse, or from its tree) and `unparse.py` the only way back to text, so `parse(unparse(x)) == x` up to spans (and `written`, the source text
a deadline or target was read from, which like a span records where a node came from rather than what it is).

Containers keep their entries in source order (`Item.entries`, `Section.entries` …) so the writer gives them
back in the order the author chose; the typed views (`Item.deadlines`, `Section.body` …) filter that tuple
on each use (a consumer that reads one several times keeps it in a local).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, TypeAlias, TypeVar

from .source import Span

NOWHERE = Span(file="", line=0, column=0, end_line=0, end_column=0)
"""The span of a node a program built (luoshi import, luoshi draft) rather than read from a file."""


class PolicyKind(str, Enum):
    """`政策` (encoded in full) or `文件` (external, declared only). The values are the model's."""

    POLICY = "policy"
    DOCUMENT = "document"


class ItemKind(str, Enum):
    """`任务` · `条款` · `阶段`. The values are the model's."""

    TASK = "task"
    CLAUSE = "clause"
    PHASE = "phase"


class UnitDeclKind(str, Enum):
    """`单位` · `群组` · `集体`. The values are the model's UnitKind."""

    UNIT = "unit"
    GROUP = "group"
    COLLECTIVE = "collective"


@dataclass(frozen=True, slots=True)
class Name:
    text: str
    span: Span
    quoted: bool = False


@dataclass(frozen=True, slots=True)
class UnitName:
    """A unit as written: `区人力社保局（区就业人才中心、区社保中心）` has sub-units; `written` is the exact text."""

    name: Name
    written: str
    subunits: tuple[UnitName, ...] = ()
    span: Span | None = None


@dataclass(frozen=True, slots=True)
class Ref:
    """`yfbf-2018-161`, `yfbf-2018-161:2.1` or a bare `2.1`."""

    policy: str | None
    task: str | None
    span: Span


@dataclass(frozen=True, slots=True)
class CnDate:
    """A date as written: year, optional month/day, optional edge (底 末 初 上旬 …). Not yet validated."""

    year: int
    month: int | None
    day: int | None
    edge: str | None
    span: Span
    iso: bool = False
    plan: str | None = None  # "十四五"末 as written (then year/edge hold the plan's last year and 底)


@dataclass(frozen=True, slots=True)
class Quantity:
    value: str
    unit: str | None
    span: Span


# ───────────────────────── statements: one class per keyword ─────────────────────────


@dataclass(frozen=True, kw_only=True, slots=True)
class _Text:
    text: str
    span: Span


@dataclass(frozen=True, kw_only=True, slots=True)
class DocNumber(_Text):
    """文号 "…" """


@dataclass(frozen=True, kw_only=True, slots=True)
class Title(_Text):
    """标题 "…" """


@dataclass(frozen=True, kw_only=True, slots=True)
class Original(_Text):
    """原文 \"\"\"…\"\"\" """


@dataclass(frozen=True, kw_only=True, slots=True)
class Note(_Text):
    """备注 "…" """


@dataclass(frozen=True, kw_only=True, slots=True)
class Todo(_Text):
    """待定 "…": an open question, reported until resolved."""


@dataclass(frozen=True, kw_only=True, slots=True)
class _Units:
    units: tuple[UnitName, ...]
    span: Span


@dataclass(frozen=True, kw_only=True, slots=True)
class Issuer(_Units):
    """发文机关 …"""


@dataclass(frozen=True, kw_only=True, slots=True)
class Addressees(_Units):
    """主送 …"""


@dataclass(frozen=True, kw_only=True, slots=True)
class Copied(_Units):
    """抄送 …"""


@dataclass(frozen=True, kw_only=True, slots=True)
class Lead(_Units):
    """牵头 …"""

    inferred: bool = False  # （据主送）: inferred from the addressees, not named by the text


@dataclass(frozen=True, kw_only=True, slots=True)
class Responsible(_Units):
    """负责 …"""

    inferred: bool = False  # （据主送）: inferred from the addressees, not named by the text


@dataclass(frozen=True, kw_only=True, slots=True)
class Cooperate(_Units):
    """配合 …"""

    inferred: bool = False  # （据主送）: inferred from the addressees, not named by the text


@dataclass(frozen=True, kw_only=True, slots=True)
class Pasted(_Units):
    """（责任单位：A、B） as the document prints it, read with the policy's 牵头规则: kept apart from 负责 so that the
    rule decides who leads, and the formatter writes it back as printed. `word`: 责任单位 · 牵头单位 · 配合单位."""

    word: str


@dataclass(frozen=True, kw_only=True, slots=True)
class LeadRule:
    """牵头规则 首位 · 无: how the document designates the lead of its （责任单位：…） clauses (首位: the unit listed
    first leads, the rest cooperate; 无: the document designates none, every listed unit is responsible)."""

    rule: str
    span: Span


@dataclass(frozen=True, kw_only=True, slots=True)
class Members(_Units):
    """成员 … (in a unit declaration)"""


@dataclass(frozen=True, kw_only=True, slots=True)
class _Named:
    name: Name
    span: Span


@dataclass(frozen=True, kw_only=True, slots=True)
class JurisdictionRef(_Named):
    """辖区 NAME (in a policy)"""


@dataclass(frozen=True, kw_only=True, slots=True)
class Level(_Named):
    """层级 NAME"""


@dataclass(frozen=True, kw_only=True, slots=True)
class JurisdictionKind(_Named):
    """类型 NAME (in a jurisdiction)"""


@dataclass(frozen=True, kw_only=True, slots=True)
class Parent(_Named):
    """上级 NAME (in a jurisdiction)"""


@dataclass(frozen=True, kw_only=True, slots=True)
class RoleRef(_Named):
    """角色 NAME (in a unit declaration)"""


@dataclass(frozen=True, kw_only=True, slots=True)
class PartOf(_Named):
    """隶属 NAME (in a unit declaration)"""


@dataclass(frozen=True, kw_only=True, slots=True)
class Aliases:
    """别名 …"""

    names: tuple[Name, ...]
    span: Span


@dataclass(frozen=True, kw_only=True, slots=True)
class Absent:
    """不设 … (in a jurisdiction): standard units it does not have, by their printed name or a short name."""

    names: tuple[Name, ...]
    span: Span


@dataclass(frozen=True, kw_only=True, slots=True)
class DateStatement:
    """成文日期 …"""

    date: CnDate
    span: Span


@dataclass(frozen=True, kw_only=True, slots=True)
class _Refs:
    refs: tuple[Ref, ...]
    span: Span


@dataclass(frozen=True, kw_only=True, slots=True)
class Implements(_Refs):
    """落实 …"""


@dataclass(frozen=True, kw_only=True, slots=True)
class Cites(_Refs):
    """引用 …"""


@dataclass(frozen=True, kw_only=True, slots=True)
class Waiver(_Refs):
    """不予落实 … "理由" """

    text: str


# ───────────────────────── deadlines (时限) ─────────────────────────


@dataclass(frozen=True, kw_only=True, slots=True)
class _Deadline:
    span: Span
    label: str | None = None
    written: str = field(default="", compare=False)  # the statement's text after 时限, for the model


@dataclass(frozen=True, kw_only=True, slots=True)
class Due(_Deadline):
    """时限 2019年3月底前"""

    end: CnDate
    before: bool = False  # 前 written
    to: bool = False  # 到 written before the date (到2025年, as printed)


@dataclass(frozen=True, kw_only=True, slots=True)
class Period(_Deadline):
    """时限 2019年4月至2019年8月底 · 2018—2020年 (a bare year opens the range)"""

    start: CnDate | int
    end: CnDate
    sep: str = "至"  # 至 到 — – ~ ～, as written (the model keeps the wording)
    before: bool = False


@dataclass(frozen=True, kw_only=True, slots=True)
class Ongoing(_Deadline):
    """时限 持续 · 时限 持续 自2016年6月起 · 时限 自2016年6月起 (`written_ongoing` False: 持续 not written)"""

    since: CnDate | None = None
    written_ongoing: bool = True


@dataclass(frozen=True, kw_only=True, slots=True)
class Window:
    """The dates of a recurring deadline: 每年1次 2019年至2020年."""

    start: CnDate
    end: CnDate
    sep: str = "至"


@dataclass(frozen=True, kw_only=True, slots=True)
class Recurring(_Deadline):
    """时限 每年1次"""

    frequency: str
    times: int | None = None
    window: Window | None = None
    times_written: str | None = None  # 一次 · 两次: the times as printed, when not in digits
    day: int | None = None  # 每月15日前: the day of each round's month it is due by
    day_before: bool = False  # 前 written after the day
    since: CnDate | None = None  # 自2021年7月起: when the first round starts


@dataclass(frozen=True, kw_only=True, slots=True)
class EventLimit(_Deadline):
    """时限 从 "受理" 到 "办结" 不超过 3个工作日 · 从 "…" 30日内"""

    from_event: str
    to_event: str | None
    limit: Quantity
    at_most: bool = False  # 不超过 written
    within: str | None = None  # 内 · 以内 · None
    from_word: str = "从"  # 从 · 自
    to_word: str = "到"  # 到 · 至 · — …, between the two events


Deadline: TypeAlias = Due | Period | Ongoing | Recurring | EventLimit


@dataclass(frozen=True, slots=True)
class Term:
    """期限 不超过 6个月 "渐退期" """

    quantity: Quantity
    at_most: bool
    label: str | None
    span: Span


# ───────────────────────── targets (目标) ─────────────────────────


@dataclass(frozen=True, kw_only=True, slots=True)
class Compare:
    """达到 40% · 控制在 15% 以内"""

    comparator: str  # as written: ≥ 达到 不低于 …
    quantity: Quantity
    within: str | None = None  # 内 · 以内 · None
    bound: str | None = None  # 以上 · 以下 · None: 稳定在 170万亩 以上, the bound printed after the number


@dataclass(frozen=True, kw_only=True, slots=True)
class Cleared:
    """清零"""


# A target with no number, as printed (the word is kept: 明显提升 asks more than 有提升): the kind each word reads as.
QUALITATIVE = {"不减少": "hold", "不下降": "hold", "不降低": "hold", "有提升": "improve", "有所提升": "improve",
               "明显提升": "improve", "显著提升": "improve", "全覆盖": "full"}
QUALITATIVE_ALIASES = {"no_decrease": "不减少", "improve": "有提升", "full_coverage": "全覆盖"}


@dataclass(frozen=True, kw_only=True, slots=True)
class Qualitative:
    """不减少 · 有提升 · 全覆盖: a target with no number (「确保本市粮食种植面积不减少」)."""

    word: str  # as printed (an English alias is read as its Chinese word)


@dataclass(frozen=True, kw_only=True, slots=True)
class Over:
    """期间 "十四五" · 期间 2021年至2025年 · 累计 2021—2025年: the period a target holds over (期间, each year of it)
    or sums over (累计, the total of it), as printed in 「“十四五”期间…稳定在170万亩以上」 or 「2021—2025年累计新增…」."""

    start: CnDate | int  # a bare year opens the range, as in 时限 2018—2020年
    end: CnDate
    span: Span
    sep: str = "至"
    plan: str | None = None  # "十四五" · “十四五”期间 as written: then start/end are the plan's first and last years
    cumulative: bool = False  # 累计 written (else 期间)


@dataclass(frozen=True, kw_only=True, slots=True)
class Target:
    metric: Name
    rule: Compare | Cleared | Qualitative
    span: Span
    by: CnDate | None = None
    by_word: str | None = None  # how `by` was written: None 截至 · 到 (到2025年) · 前 (2025年底前)
    scope: tuple[UnitName, ...] = ()
    per: str | None = None
    condition: str | None = None
    baseline: str | None = None
    note: str | None = None
    over: Over | None = None
    shared: bool = False  # 范围 … 合计: one figure for the scope's units together (else each of them holds it)
    written: str = field(default="", compare=False)  # the statement's text after 目标, for the model

    @property
    def comparator(self) -> str | None:
        """The written comparator; None when 清零 or qualitative."""
        return self.rule.comparator if isinstance(self.rule, Compare) else None

    @property
    def quantity(self) -> Quantity | None:
        return self.rule.quantity if isinstance(self.rule, Compare) else None


# ───────────────────────── case rules (规则) ─────────────────────────

VERDICTS = {"建议取消": "cancel", "渐退": "taper", "需核实": "verify", "需补充证明": "evidence",
            "cancel": "cancel", "taper": "taper", "verify": "verify", "evidence": "evidence"}


@dataclass(frozen=True, kw_only=True, slots=True)
class CaseRule:
    """规则 车辆未注销 条件 "有 车辆(状态 != \\"注销\\")" 结论 建议取消 "原则上取消其低保"

    A rule about individual cases (luoshi cases); it sits inside the task whose 原文 states it."""

    name: Name
    condition: str
    verdict: str  # as written: 建议取消 · 渐退 · 需核实 · 需补充证明 (or the English alias)
    span: Span
    label: str | None = None


# ───────────────────────── items, sections, policies ─────────────────────────

PolicyStatement: TypeAlias = (DocNumber | Title | Issuer | DateStatement | JurisdictionRef | Level | Addressees
                              | Copied | Implements | Cites | Waiver | Original | Note | Todo | LeadRule)
SectionStatement: TypeAlias = Original | Note | Waiver | Todo
ItemStatement: TypeAlias = Lead | Responsible | Cooperate | Pasted | Implements | Cites | Waiver | Original | Note | Todo
Statement: TypeAlias = PolicyStatement | SectionStatement | ItemStatement
_ITEM_VALUES = (Due, Period, Ongoing, Recurring, EventLimit, Term, Target, CaseRule)


@dataclass(frozen=True, kw_only=True, slots=True)
class Item:
    """A task, clause or phase; may contain sub-items."""

    kind: ItemKind
    id: Name
    title: str | None
    span: Span
    entries: tuple[ItemStatement | Deadline | Term | Target | CaseRule | Item, ...] = ()

    @property
    def statements(self) -> tuple[ItemStatement, ...]:
        return tuple(e for e in self.entries if not isinstance(e, (*_ITEM_VALUES, Item)))

    @property
    def deadlines(self) -> tuple[Deadline, ...]:
        return tuple(e for e in self.entries if isinstance(e, (Due, Period, Ongoing, Recurring, EventLimit)))

    @property
    def terms(self) -> tuple[Term, ...]:
        return tuple(e for e in self.entries if isinstance(e, Term))

    @property
    def targets(self) -> tuple[Target, ...]:
        return tuple(e for e in self.entries if isinstance(e, Target))

    @property
    def rules(self) -> tuple[CaseRule, ...]:
        return tuple(e for e in self.entries if isinstance(e, CaseRule))

    @property
    def children(self) -> tuple[Item, ...]:
        return tuple(e for e in self.entries if isinstance(e, Item))


@dataclass(frozen=True, kw_only=True, slots=True)
class Group:
    """任务组 "…" { … }: items under one heading, and notes on it."""

    title: str
    span: Span
    entries: tuple[Item | Note, ...] = ()

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(e for e in self.entries if isinstance(e, Item))

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(e.text for e in self.entries if isinstance(e, Note) and e.text)


@dataclass(frozen=True, kw_only=True, slots=True)
class Section:
    id: Name
    title: str
    span: Span
    entries: tuple[SectionStatement | Section | Item | Group, ...] = ()

    @property
    def statements(self) -> tuple[SectionStatement, ...]:
        return tuple(e for e in self.entries if not isinstance(e, (Section, Item, Group)))

    @property
    def body(self) -> tuple[Section | Item | Group, ...]:
        return tuple(e for e in self.entries if isinstance(e, (Section, Item, Group)))


@dataclass(frozen=True, kw_only=True, slots=True)
class Policy:
    """A `政策` (encoded in full) or a `文件` (external, declared only)."""

    kind: PolicyKind
    id: Name
    span: Span
    entries: tuple[PolicyStatement | Section | Item | Group, ...] = ()

    @property
    def statements(self) -> tuple[PolicyStatement, ...]:
        return tuple(e for e in self.entries if not isinstance(e, (Section, Item, Group)))

    @property
    def body(self) -> tuple[Section | Item | Group, ...]:
        return tuple(e for e in self.entries if isinstance(e, (Section, Item, Group)))


# ───────────────────────── the unit registry ─────────────────────────

UnitOption: TypeAlias = RoleRef | Aliases | Members | PartOf | Note
_O = TypeVar("_O", bound=UnitOption)


@dataclass(frozen=True, kw_only=True, slots=True)
class UnitDecl:
    """单位 / 群组 / 集体 NAME with options in the order written (a later option of the same keyword wins)."""

    kind: UnitDeclKind
    name: Name
    span: Span
    options: tuple[UnitOption, ...] = ()

    def _last(self, cls: type[_O]) -> _O | None:
        return next((o for o in reversed(self.options) if isinstance(o, cls)), None)

    @property
    def role(self) -> Name | None:
        o = self._last(RoleRef)
        return o.name if o else None

    @property
    def aliases(self) -> tuple[Name, ...]:
        o = self._last(Aliases)
        return o.names if o else ()

    @property
    def members(self) -> tuple[UnitName, ...]:
        o = self._last(Members)
        return o.units if o else ()

    @property
    def part_of(self) -> Name | None:
        o = self._last(PartOf)
        return o.name if o else None

    @property
    def note(self) -> str | None:
        o = self._last(Note)
        return o.text if o else None


JurisdictionEntry: TypeAlias = "JurisdictionKind | Level | Parent | Aliases | Absent | UnitDecl | JurisdictionDecl"
_E = TypeVar("_E")  # one of JurisdictionEntry's classes


@dataclass(frozen=True, kw_only=True, slots=True)
class JurisdictionDecl:
    """辖区 NAME { … } in a units file: its kind, level, parent and aliases, its units and nested jurisdictions."""

    name: Name
    span: Span
    entries: tuple[JurisdictionEntry, ...] = ()

    def _last(self, cls: type[_E]) -> _E | None:
        return next((e for e in reversed(self.entries) if isinstance(e, cls)), None)

    @property
    def kind(self) -> Name | None:
        e = self._last(JurisdictionKind)
        return e.name if e else None

    @property
    def level(self) -> Name | None:
        e = self._last(Level)
        return e.name if e else None

    @property
    def parent(self) -> Name | None:
        e = self._last(Parent)
        return e.name if e else None

    @property
    def aliases(self) -> tuple[Name, ...]:
        e = self._last(Aliases)
        return e.names if e else ()

    @property
    def absent(self) -> tuple[Absent, ...]:
        return tuple(e for e in self.entries if isinstance(e, Absent))

    @property
    def units(self) -> tuple[UnitDecl, ...]:
        return tuple(e for e in self.entries if isinstance(e, UnitDecl))

    @property
    def children(self) -> tuple[JurisdictionDecl, ...]:
        return tuple(e for e in self.entries if isinstance(e, JurisdictionDecl))


@dataclass(frozen=True, kw_only=True, slots=True)
class RoleDecl:
    """角色 NAME "说明" 别名 …"""

    name: Name
    span: Span
    description: str | None = None
    aliases: tuple[Name, ...] = ()


@dataclass(frozen=True, slots=True)
class SourceUnit:
    """Everything declared in one file, in the order written."""

    path: str
    decls: tuple[Policy | JurisdictionDecl | RoleDecl, ...] = ()

    @property
    def policies(self) -> tuple[Policy, ...]:
        return tuple(d for d in self.decls if isinstance(d, Policy))

    @property
    def jurisdictions(self) -> tuple[JurisdictionDecl, ...]:
        return tuple(d for d in self.decls if isinstance(d, JurisdictionDecl))

    @property
    def roles(self) -> tuple[RoleDecl, ...]:
        return tuple(d for d in self.decls if isinstance(d, RoleDecl))


def _quick_pickling() -> None:
    """Every AST node is pickled (the parse workers' results, the AST cache, `pipeline.Packed` between stages).
    dataclasses gives a frozen slotted class a `__getstate__`/`__setstate__` that call `dataclasses.fields()` on
    every node (1k corpus: a million calls, a sixth of a cold lint's pickling). These do the same with the
    field names and slot descriptors looked up once per class: the state is the fields' values in order, as
    before, set through the slots (the frozen `__setattr__` refuses)."""
    import dataclasses
    import operator

    for cls in list(globals().values()):
        if not (isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == __name__
                and "__slots__" in vars(cls)):
            continue
        names = tuple(f.name for f in dataclasses.fields(cls))
        if not names:
            continue
        slots = tuple(getattr(cls, name) for name in names)
        get = operator.attrgetter(*names)

        if len(names) == 1:
            def getstate(self: Any, _get: Any = get) -> tuple[Any, ...]:
                return (_get(self),)
        else:
            def getstate(self: Any, _get: Any = get) -> tuple[Any, ...]:
                state: tuple[Any, ...] = _get(self)
                return state

        cls.__getstate__ = getstate  # type: ignore[method-assign]
        cls.__setstate__ = _setstate(slots)  # type: ignore[attr-defined]


def _setstate(slots: tuple[Any, ...]) -> Callable[[Any, tuple[Any, ...]], None]:
    """A class's `__setstate__`: the state's values unpacked and set through the slot descriptors in one straight
    run of code, made for the class's number of fields (a loop over `zip(slots, state)` was 6 % of unpickling an
    AST, 420,000 nodes at 1k files)."""
    names = [f"v{i}" for i in range(len(slots))]
    namespace: dict[str, Any] = {f"_s{i}": slot.__set__ for i, slot in enumerate(slots)}
    body = "; ".join(f"_s{i}(self, {name})" for i, name in enumerate(names))
    exec(f"def setstate(self, state):\n    {', '.join(names)}, = state\n    {body}\n", namespace)
    setstate: Callable[[Any, tuple[Any, ...]], None] = namespace["setstate"]
    return setstate


_quick_pickling()
