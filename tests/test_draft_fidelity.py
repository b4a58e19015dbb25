"""How close a draft comes to what a place really issued, per parent measure on (measure, unit) pairs: the 云阳
draft of 161号 against 云阳府办发〔2019〕22号 as encoded, and the 大足 bureau notice against 大足民发〔2019〕26号.
The pairs come from the models (every task's units, sub-tasks counted under the parent measure their nearest 落实
names), so the figures are computed, not copied; the issue's 'before' was recall 43/57, precision 43/44."""

from __future__ import annotations

import datetime as dt

import pytest

from draftkit import make_draft

PARENT = "yfbf-2018-161"


def pairs(corpus, policy_id: str) -> set[tuple[str, str]]:
    """(parent measure, unit name) for every unit tasked in the policy, a sub-task counted under the measure its
    nearest 落实 names (2.2.2 under 2.2; a link to 2.3、2.4 counts for both)."""
    policy = corpus.policy(policy_id)
    by_id = {t.id: t for t in policy.tasks}
    out: set[tuple[str, str]] = set()
    for task in policy.tasks:
        current, measures = task, []
        while current is not None and not measures:
            measures = [".".join(k.task.split(".")[:2]) for k in current.implements if k.policy == PARENT]
            current = by_id.get(current.parent) if current.parent else None
        for measure in measures:
            out |= {(measure, corpus.unit(a.unit.unit).name) for a in task.assignments}
    return out


def compare(jurisdiction: str, real: str, **options) -> tuple[float, float, set, set]:
    checked = make_draft(PARENT, jurisdiction, **options)
    assert not checked.errors
    corpus = checked.compilation.corpus
    drafted = next(p.id for p in corpus.policies if p.file == "draft.policy")
    mine, theirs = pairs(corpus, drafted), pairs(corpus, real)
    hit = mine & theirs
    return len(hit) / len(theirs), len(hit) / len(mine), theirs - mine, mine - theirs


def test_county_draft_matches_what_the_county_issued():
    recall, precision, missing, extra = compare("云阳县", "yyfbf-2019-22", date=dt.date(2019, 2, 28))
    assert recall >= 0.90 and precision >= 0.90, (recall, precision, missing, extra)
    # the verb rules' gains, each asserted where it applies
    assert ("4.4", "县政府办公室") not in missing and ("4.4", "各乡镇（街道）") not in extra  # 督促检查 stays up
    assert ("2.8", "各乡镇（街道）") not in missing  # 各区县在…基础上「一事一议」: work on the ground goes down
    assert ("2.2", "各乡镇（街道）") not in missing  # 集中供养比例 is counted per place
    assert not {m for m in missing if m[0] == "4.1"}  # 「…等有关部门」 filled from the departments named elsewhere


def test_bureau_notice_tasks_the_townships_as_the_bureau_did():
    recall, precision, missing, extra = compare("大足区", "dzmf-2019-26", date=dt.date(2019, 5, 1),
                                                issuer="大足区/区民政局")
    assert recall >= 0.90, (recall, missing)
    assert not {u for _, u in extra} - {"各镇街"}  # no department is tasked by a bureau's notice


@pytest.mark.parametrize("kind", ["office", "bureau"])
def test_kind_decides_who_is_tasked(kind):
    checked = make_draft(PARENT, "大足区", issuer="大足区/区民政局", kind=kind)
    policy = next(p for p in checked.compilation.corpus.policies if p.file == "draft.policy")
    tasked = {a.unit.unit for t in policy.tasks for a in t.assignments}
    if kind == "bureau":
        assert tasked == {"大足区/各镇街"} and policy.title.endswith("的通知")
    else:
        assert "大足区/区民政局" in tasked and policy.title.endswith("实施办法")
