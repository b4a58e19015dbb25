"""LS311–LS313's one pass (lint/counterparts.py) against the pairwise definition (`is_counterpart` below), on the
seed corpus: the pass sums each side of a link up once instead of asking pair by pair, and must miss exactly
what the pairwise rules missed, in the same order."""

from __future__ import annotations

import pytest

from luoshi.driver.pipeline import compile_paths
from luoshi.driver.project import find_project
from luoshi.lint.chain import LOWER_GOVERNMENTS, OWN_GOVERNMENT, carried, grouped, issuers, links
from luoshi.lint.counterparts import misses
from luoshi.lint.docs import compile_example
from luoshi.lint.index import Index, assignments, flatten, index, principals
from luoshi.model import AssignmentRole, Corpus, Task, UnitKind, UnitRef

from conftest import ROOT
from test_lint_rules import chain


def is_counterpart(ix: Index, child_unit: str, parent_unit: str, child_area: str | None) -> bool:
    """The definition of a counterpart, one pair at a time, as LS311–LS313 asked it until round 9 (238,000 calls on
    the 1k corpus); lint/counterparts.py sums each side up once and must answer the same."""
    if child_unit == parent_unit:
        return True
    cu, pu = ix.units.get(child_unit), ix.units.get(parent_unit)
    if cu is None or pu is None or not ix.within(cu.jurisdiction, child_area):
        return False
    child_role, parent_role = ix.role(child_unit), ix.role(parent_unit)
    if parent_role is not None and child_role == parent_role:
        return True
    return (parent_role == LOWER_GOVERNMENTS and pu.kind is UnitKind.COLLECTIVE and cu.jurisdiction == child_area
            and pu.jurisdiction in ix.ancestors(child_area) and child_role in OWN_GOVERNMENT)


def has_counterpart(ix: Index, parent_unit: str, child_units: list[str], child_area: str | None) -> bool:
    return any(is_counterpart(ix, c, parent_unit, child_area) for c in child_units)


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        comp = compile_paths(None, find_project())
    assert not comp.sink.has_errors()
    return comp.corpus


def _refs(ix: Index, tasks: list[Task]) -> list[UnitRef]:
    """The first mention of each unit in the tasks and what they carry, as the rules read them before the pass."""
    out: dict[str, UnitRef] = {}
    for task in tasks:
        for t in carried(ix, task):
            for a in t.assignments:
                for r in flatten(a.unit):
                    out.setdefault(r.unit, r)
    return list(out.values())


def _pairwise(corpus: Corpus) -> tuple[list, list, list]:
    """LS311–LS313's misses as the rules found them pair by pair (the code the pass replaced)."""
    ix = index(corpus)
    lead = []
    for link in links(corpus):
        heads = principals(link.task)
        head_ids = [r.unit for a in heads for r in flatten(a.unit)] + issuers(link.child)
        for ld in assignments(link.parent, (AssignmentRole.LEAD,)):
            if not has_counterpart(ix, ld.unit.unit, head_ids, link.child.jurisdiction):
                lead.append((link.task.key, ld.unit.unit))
    dropped = []
    for (_, key), found in sorted(grouped(corpus).items(), key=lambda kv: (kv[0][0], kv[1][0].task.order)):
        area = found[0].child.jurisdiction
        child_ids = [r.unit for r in _refs(ix, [link.task for link in found])] + issuers(found[0].child)
        dropped += [(key, found[0].task.key, r.unit) for r in _refs(ix, [found[0].parent])
                    if not has_counterpart(ix, r.unit, child_ids, area)]
    by_task: dict[tuple[str, str], list] = {}
    for link in links(corpus):
        by_task.setdefault(link.task.key, []).append(link)
    added = []
    for found in by_task.values():
        parent_ids = [r.unit for r in _refs(ix, [link.parent for link in found])]
        added += [(found[0].task.key, r.unit) for r in _refs(ix, [found[0].task])
                  if not any(is_counterpart(ix, r.unit, p, found[0].child.jurisdiction) for p in parent_ids)]
    return lead, dropped, added


def _same(corpus: Corpus) -> tuple[list, list, list]:
    found = misses(corpus)
    lead, dropped, added = _pairwise(corpus)
    assert [(link.task.key, ld.unit.unit) for link, _, ld in found.lead] == lead
    assert [(key, first.task.key, r.unit) for key, first, r in found.dropped] == dropped
    assert [(f[0].task.key, r.unit) for f, r in found.added] == added
    return lead, dropped, added


def test_the_pass_misses_what_the_pairwise_rules_missed(corpus: Corpus) -> None:
    lead, dropped, added = _same(corpus)
    # the seed corpus reports each of the three (5 LS311, 28 LS312, 17 LS313 before its baseline)
    assert (len(lead), len(dropped), len(added)) == (5, 28, 17)


def test_a_unit_named_in_both_is_its_own_counterpart() -> None:
    """The one reading the seeds do not use: the child names the parent's unit itself (市民政局 in a county's
    task answers for the city's 市民政局, though it lies outside the county)."""
    parent = '  任务 1 "低保" { 牵头 市民政局 配合 市财政局 }\n'
    comp = compile_example(chain(parent, '  任务 1 "低保" { 牵头 市民政局 落实 city:1 }\n'), True)
    lead, dropped, added = _same(comp.corpus)
    assert lead == [] and [u for *_, u in dropped] == ["重庆市/市财政局"] and added == []


def test_the_seed_corpus_reaches_every_branch_of_the_definition(corpus: Corpus) -> None:
    """The equivalence above means something only if the seeds answer by each of the definition's readings: the
    same unit, the same role within the area, and a 下级政府 collective above answered by the area's government."""
    ix = index(corpus)
    how = set()
    for link in links(corpus):
        area = link.child.jurisdiction
        for c in [r.unit for r in _refs(ix, [link.task])] + issuers(link.child):
            for p in (r.unit for r in _refs(ix, [link.parent])):
                if not is_counterpart(ix, c, p, area):
                    continue
                if c == p:
                    how.add("same")  # not in the seeds: test_a_unit_named_in_both_is_its_own_counterpart
                elif ix.role(p) is not None and ix.role(c) == ix.role(p):
                    how.add("role")
                elif ix.role(p) == LOWER_GOVERNMENTS:
                    how.add("own government")
    assert how == {"role", "own government"}
