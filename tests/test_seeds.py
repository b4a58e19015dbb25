"""The five seed policies, encoded in policies/, checked against the seed texts themselves.

- the whole corpus checks clean;
- every 原文 (and preamble) is verbatim text of its seed, modulo extraction noise;
- every （责任单位：…） clause of 161号 and 云阳 matches the encoded lead and cooperating units, in order;
- Bishan's annex: the same 35 rows, titles, contents, 责任单位 and 配合单位 strings;
- a golden model snapshot per policy, reviewed in git diff (pytest --update-golden).
"""

from __future__ import annotations

import pytest

from luoshi.model import AssignmentRole, ItemKind, OngoingDeadline
from luoshi.driver.pipeline import compile_paths

from conftest import ROOT, check_golden
from outline import outline
from seedtexts import SEED_OF_POLICY, bishan_table, responsibility_clauses, seed_text, squash

SEED_POLICIES = sorted(SEED_OF_POLICY)


@pytest.fixture(scope="module")
def corpus():
    import os
    old = os.getcwd()
    os.chdir(ROOT)
    try:
        comp = compile_paths(None)
    finally:
        os.chdir(old)
    return comp


def test_corpus_checks_clean(corpus):
    assert [f"{d.span}: {d.code} {d.en}" for d in corpus.diagnostics()] == []


@pytest.mark.parametrize("pid", SEED_POLICIES)
def test_every_original_text_is_verbatim(corpus, pid):
    policy = corpus.corpus.policy(pid)
    seed = squash(seed_text(pid))
    texts = [t.text for t in policy.tasks if t.text] + [s.text for s in policy.sections if s.text]
    if policy.preamble:
        texts.append(policy.preamble)
    assert texts, "no original text encoded"
    missing = [t[:40] for t in texts if squash(t) not in seed]
    assert missing == []


@pytest.mark.parametrize("pid", SEED_POLICIES)
def test_every_task_has_responsible_units(corpus, pid):
    policy = corpus.corpus.policy(pid)
    bare = [t.id for t in policy.tasks if t.kind is ItemKind.TASK and not t.assignments and not
            any(c.parent == t.id for c in policy.tasks)]
    assert bare == []


@pytest.mark.parametrize("pid", ["yfbf-2018-161", "yyfbf-2019-22"])
def test_responsibility_clauses_match(corpus, pid):
    policy = corpus.corpus.policy(pid)
    seed = squash(seed_text(pid))
    clauses = responsibility_clauses(pid)
    positions = sorted((seed.index(squash(t.text)), t) for t in policy.tasks if t.text and t.parent is None)
    matched = 0
    for pos, units in clauses:
        owner = max((p, t) for p, t in positions if p < pos)[1]
        written = [a.unit.written for a in owner.assignments if a.role is AssignmentRole.LEAD] + \
                  [a.unit.written for a in owner.assignments if a.role is AssignmentRole.COOPERATE]
        assert squash("、".join(written)) == squash(units), owner.id
        matched += 1
    assert matched == len(clauses) == 12


def test_bishan_annex_rows(corpus):
    policy = corpus.corpus.policy("bishan-2020-shjz")
    rows = bishan_table()
    annex = [t for t in policy.tasks if t.id.isdigit()]
    assert [t.id for t in annex] == [r.number for r in rows] == [str(n) for n in range(1, 36)]
    sections = {s.id: s for s in policy.sections}
    group_title = ""
    for row, task in zip(rows, annex):
        group_title = row.title or group_title  # an empty cell continues the merged cell above
        assert (task.group or task.title) == group_title, row.number
        assert task.text == row.content, row.number
        responsible = [a.unit.written for a in task.assignments if a.role is not AssignmentRole.COOPERATE]
        cooperating = [a.unit.written for a in task.assignments if a.role is AssignmentRole.COOPERATE]
        assert "、".join(responsible) == row.responsible, row.number
        assert "、".join(cooperating) == row.cooperating, row.number
        section = sections[task.section]
        assert f"{section.id}、{section.title}" == row.section, row.number


def test_yunyang_implements_161_one_to_one(corpus):
    yunyang = corpus.corpus.policy("yyfbf-2019-22")
    parent = corpus.corpus.policy("yfbf-2018-161")
    assert "yfbf-2018-161" in yunyang.implements
    linked = {str(k) for t in yunyang.tasks for k in t.implements}
    parent_tasks = {str(t.key) for t in parent.tasks if t.kind is ItemKind.TASK and t.parent is None}
    assert parent_tasks <= linked


def test_yunyang_phases(corpus):
    phases = [t for t in corpus.corpus.policy("yyfbf-2019-22").tasks if t.kind is ItemKind.PHASE]
    assert [p.title for p in phases] == ["启动部署阶段", "精准对象阶段", "组织实施阶段", "总结评估阶段"]
    ends = [p.deadlines[0].end for p in phases[:3]]
    assert [str(e) for e in ends] == ["2019-03-31", "2019-08-31", "2019-12-31"]
    assert isinstance(phases[3].deadlines[0], OngoingDeadline)


@pytest.mark.parametrize("pid", SEED_POLICIES)
def test_golden_model(corpus, pid, update_golden):
    check_golden(ROOT / "tests" / "golden" / f"{pid}.txt", outline(corpus.corpus.policy(pid)), update_golden)
