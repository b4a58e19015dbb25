"""The surface AST: what the author wrote, with a span on every node, before any name is resolved.

Nodes are frozen dataclasses; `astbuild.py` is the only way to make them from a lark tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .source import Span


@dataclass(frozen=True)
class Name:
    text: str
    span: Span
    quoted: bool = False


@dataclass(frozen=True)
class UnitName:
    """A unit as written: `区人力社保局（区就业人才中心、区社保中心）` has sub-units; `written` is the exact text."""

    name: Name
    written: str
    subunits: tuple["UnitName", ...] = ()
    span: Span | None = None


@dataclass(frozen=True)
class Ref:
    """`yfbf-2018-161`, `yfbf-2018-161:2.1` or a bare `2.1`."""

    policy: str | None
    task: str | None
    span: Span


@dataclass(frozen=True)
class CnDate:
    """A date as written: year, optional month/day, optional edge (底 末 初 上旬 …). Not yet validated."""

    year: int
    month: int | None
    day: int | None
    edge: str | None
    span: Span
    iso: bool = False


@dataclass(frozen=True)
class Quantity:
    value: str
    unit: str | None
    span: Span


@dataclass(frozen=True)
class Deadline:
    kind: str  # due | period | ongoing | recurring | event_limit
    span: Span
    start: CnDate | None = None
    start_year: int | None = None  # a bare year opening a range: 2018—2020年
    end: CnDate | None = None
    frequency: str | None = None
    times: int | None = None
    from_event: str | None = None
    to_event: str | None = None
    limit: Quantity | None = None
    at_most: bool = False
    label: str | None = None
    written: str = ""


@dataclass(frozen=True)
class Term:
    quantity: Quantity
    at_most: bool
    label: str | None
    span: Span


@dataclass(frozen=True)
class Target:
    metric: str
    comparator: str | None  # the written comparator; None when 清零
    quantity: Quantity | None
    span: Span
    by: CnDate | None = None
    scope: tuple[UnitName, ...] = ()
    per: str | None = None
    condition: str | None = None
    baseline: str | None = None
    note: str | None = None
    written: str = ""


@dataclass(frozen=True)
class Statement:
    """A simple keyword statement: kind is the grammar rule (lead, cooperate, original, …)."""

    kind: str
    span: Span
    units: tuple[UnitName, ...] = ()
    refs: tuple[Ref, ...] = ()
    text: str | None = None
    name: Name | None = None
    date: CnDate | None = None


@dataclass(frozen=True)
class Item:
    """A task, clause or phase; may contain sub-items."""

    kind: str  # task | clause | phase
    id: Name
    title: str | None
    span: Span
    statements: tuple[Statement, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    terms: tuple[Term, ...] = ()
    targets: tuple[Target, ...] = ()
    children: tuple["Item", ...] = ()


@dataclass(frozen=True)
class Group:
    title: str
    span: Span
    items: tuple[Item, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    id: Name
    title: str
    span: Span
    statements: tuple[Statement, ...] = ()
    body: tuple["Section | Item | Group", ...] = ()


@dataclass(frozen=True)
class Policy:
    """A `政策` (encoded in full) or a `文件` (external, declared only)."""

    kind: str  # policy | document
    id: Name
    span: Span
    statements: tuple[Statement, ...] = ()
    body: tuple[Section | Item | Group, ...] = ()


@dataclass(frozen=True)
class UnitDecl:
    kind: str  # unit | group | collective
    name: Name
    span: Span
    role: Name | None = None
    aliases: tuple[Name, ...] = ()
    members: tuple[UnitName, ...] = ()
    part_of: Name | None = None
    note: str | None = None


@dataclass(frozen=True)
class JurisdictionDecl:
    name: Name
    span: Span
    kind: Name | None = None
    level: Name | None = None
    parent: Name | None = None
    aliases: tuple[Name, ...] = ()
    units: tuple[UnitDecl, ...] = ()
    children: tuple["JurisdictionDecl", ...] = ()


@dataclass(frozen=True)
class RoleDecl:
    name: Name
    span: Span
    description: str | None = None
    aliases: tuple[Name, ...] = ()


@dataclass(frozen=True)
class SourceUnit:
    """Everything declared in one file."""

    path: str
    policies: tuple[Policy, ...] = ()
    jurisdictions: tuple[JurisdictionDecl, ...] = ()
    roles: tuple[RoleDecl, ...] = field(default=())
