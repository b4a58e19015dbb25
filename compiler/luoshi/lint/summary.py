"""The explicit input of the corpus-wide lint rules: per policy, the few facts those rules read, and the registry.

A rule that reads the whole corpus at once (the implements graph, every unit mention) takes a `CorpusSummary`
rather than the corpus, so what it can read is written down: the full run summarises its corpus
(`summarize`), the incremental run (incremental.py) keeps one `PolicyFacts` per policy from the last run and
rebuilds only the edited ones, with the same function `policy_facts`. Each fact belongs to one of the inputs a
rule declares (`@rule(code, reads=…)`, rule.py): `links` (kind, implements, task links), `places` (the policy's
span), `mentions` (the unit ids it names), `registry` (the units).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from ..model import Corpus, Policy, PolicyKind, Unit, UnitRef, derived
from ..syntax.source import Span
from .index import index


@dataclass(frozen=True)
class PolicyFacts:
    """What the corpus-wide rules read of one resolved policy."""

    id: str
    kind: PolicyKind
    span: Span
    implements: tuple[str, ...]
    task_links: tuple[str, ...]  # the policy ids of the tasks' 落实, in order of first mention (the graph's order)
    mentions: tuple[str, ...]  # unit ids named (issuers, addressees, cc, assignments, target scopes; sub-units), sorted


def _flat(ref: UnitRef) -> Iterator[str]:
    yield ref.unit
    for sub in ref.subunits:
        yield from _flat(sub)


def policy_facts(p: Policy) -> PolicyFacts:
    mentions = {u for ref in (*p.issuers, *p.addressees, *p.cc) for u in _flat(ref)}
    for t in p.tasks:
        for a in t.assignments:
            if a.unit.subunits:
                mentions.update(_flat(a.unit))
            else:
                mentions.add(a.unit.unit)  # the usual mention: no generator (200,000 tasks at 10k)
        for g in t.targets:
            for s in g.scope:
                mentions.update(_flat(s))
    links = tuple(dict.fromkeys(k.policy for t in p.tasks for k in t.implements))
    return PolicyFacts(p.id, p.kind, p.span, p.implements, links, tuple(sorted(mentions)))


class CorpusSummary:
    """Every policy's facts, by id, and the registry's units (id → Unit, looked up lazily by the incremental run)."""

    def __init__(self, policies: Sequence[PolicyFacts], units: Mapping[str, Unit]):
        self.policies = tuple(sorted(policies, key=lambda p: p.id))
        self._by_id = {p.id: p for p in self.policies}
        self.units = units

    @cached_property
    def unit_ids(self) -> list[str]:
        """Every unit id, sorted (130,000 at 10k: sorted when asked for, not with every summary)."""
        return sorted(self.units)

    def policy(self, pid: str) -> PolicyFacts | None:
        return self._by_id.get(pid)

    def encoded(self) -> list[PolicyFacts]:
        """The encoded policies (not the declared-only documents)."""
        return [p for p in self.policies if p.kind is PolicyKind.POLICY]


def summarize(corpus: Corpus) -> CorpusSummary:
    """The summary of a whole corpus (once per corpus)."""
    def build(c: Corpus) -> CorpusSummary:
        return CorpusSummary([policy_facts(p) for p in c.policies], index(c).units)  # the Index's id → Unit

    return derived(corpus, "lint-summary", build)


# What each summary input covers of one policy's facts: a rule is run again when the digest of an input it reads
# changed (incremental.py); the registry's digest is the content keys of the files that declare it.
FACT_INPUTS: dict[str, Callable[[PolicyFacts], object]] = {
    "links": lambda f: (f.kind.value, f.implements, f.task_links),
    "places": lambda f: (f.span.file, f.span.line, f.span.column, f.span.end_line, f.span.end_column),
    "mentions": lambda f: f.mentions,
}


def digest(facts: Sequence[PolicyFacts], name: str) -> str:
    """A digest of input `name` ("links", "places" or "mentions") over `facts` (one file's policies, in order)."""
    part = FACT_INPUTS[name]
    return hashlib.sha256(repr([(f.id, part(f)) for f in facts]).encode("utf-8", "surrogateescape")).hexdigest()
