"""The draft an import produces, before it is printed as DSL: plain dataclasses, in document order.

Values are AST nodes from the start (values.py makes them, with neutral spans): a deadline is an `ast.Deadline`
(its label the clause it was found in), a target an `ast.Target`, a term holds its `ast.Quantity`, the policy's
date is an `ast.CnDate`, units are `Mention`s holding their `ast.UnitName`. Nothing here is DSL text: the printer
builds the policy's AST and `unparse` writes it; every other text is quoted there.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ..syntax import ast
from .units import Mention


@dataclass
class Term:
    quantity: ast.Quantity  # 6个月 · 1年 (不超过 1年: at_most)
    at_most: bool = False
    label: str | None = None


@dataclass
class Item:
    """A section, task, clause, phase or task group, as the document numbers it."""

    kind: str  # section | task | clause | phase | group
    id: str
    title: str | None
    text: str = ""
    line: int = 0
    lead: list[Mention] = field(default_factory=list)
    responsible: list[Mention] = field(default_factory=list)
    cooperate: list[Mention] = field(default_factory=list)
    # the 负责 units are the addressees standing in for an actor the text does not name: printed （据主送）, so the
    # stand-in is never silent (docs/encoding.md §3)
    inferred: bool = False
    deadlines: list[ast.Deadline] = field(default_factory=list)  # 2019年3月底前 · 持续 · 每年1次 · 从 "…" 30日内
    terms: list[Term] = field(default_factory=list)
    targets: list[ast.Target] = field(default_factory=list)  # 达到 40% 截至 2019年底 · 清零
    cites: list[str] = field(default_factory=list)
    implements: list[str] = field(default_factory=list)  # "policy:task" of the parent measures it carries out
    notes: list[str] = field(default_factory=list)
    todos: list[str] = field(default_factory=list)
    children: list[Item] = field(default_factory=list)
    clause: str | None = None  # the （责任单位：…） clause as printed, when there is one

    def walk(self) -> Iterator[Item]:
        yield self
        for c in self.children:
            yield from c.walk()


@dataclass
class ExternalDocument:
    """A document cited or implemented but not in the corpus: declared as 文件."""

    id: str
    number: str | None
    title: str
    issuers: list[Mention] = field(default_factory=list)
    jurisdiction: str | None = None
    note: str | None = None


@dataclass
class Policy:
    id: str
    title: str | None = None
    number: str | None = None
    issuers: list[Mention] = field(default_factory=list)
    date: ast.CnDate | None = None
    jurisdiction: str | None = None
    level: str | None = None
    addressees: list[Mention] = field(default_factory=list)
    cc: list[Mention] = field(default_factory=list)
    implements: list[str] = field(default_factory=list)
    cites: list[str] = field(default_factory=list)
    preamble: str | None = None
    notes: list[str] = field(default_factory=list)
    todos: list[str] = field(default_factory=list)
    body: list[Item] = field(default_factory=list)
    documents: list[ExternalDocument] = field(default_factory=list)
    source: str = ""

    def items(self) -> Iterator[Item]:
        for node in self.body:
            yield from node.walk()
