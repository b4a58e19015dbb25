"""The import development set (tests/fixtures/import/dev/) and its scorer (bench/import_dev.py).

- the truth files are a luoshi project of their own that checks with no error and no warning, each truth file
  stands beside its document as stored, and every 原文 of a truth file is the document's own text;
- the chains are encoded: 02 → 01 and 05 → 04 link measures to measures of the parent;
- the scorer gives a perfect score to a truth file against itself (links too) and less than that to a damaged
  copy, in the measure that was damaged;
- bench/import_dev.py imports documents as stored and scores them: every fact of the truth is compared
  (found or missed), whatever the importer does, and a document that cannot be imported is zero recall.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from luoshi import model
from luoshi.importer.score import score, score_links
from luoshi.importer.readers import ReadError
from luoshi.driver.pipeline import compile_paths
from luoshi.driver.project import find_project

from conftest import FIXTURES, ROOT
from seedtexts import squash

sys.path.insert(0, str(ROOT / "bench"))
import import_dev  # noqa: E402

DEV = FIXTURES / "import" / "dev"
TRUTH = DEV / "truth"


class _Text(HTMLParser):
    """The text of a saved HTML page (scripts and styles left out), to compare 原文 with what a reader sees."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def document_text(path: Path) -> str:
    """A fixture as a reader sees it: Markdown as stored, an HTML page without its markup."""
    raw = path.read_text(encoding="utf-8")
    if not raw.lstrip().lower().startswith(("<!doctype", "<html")):
        return raw
    parser = _Text()
    parser.feed(raw)
    return "".join(parser.parts)


@pytest.fixture(scope="module")
def truth():
    compiled = compile_paths(None, find_project(TRUTH))
    return compiled, import_dev.truths(compiled.corpus)


def test_truth_files_check_clean(truth):
    compiled, policies = truth
    assert [f"{d.code} {d.span.file}:{d.span.line} {d.en}" for d in compiled.sink] == []
    assert set(policies) == set(import_dev.documents())  # one truth file per document of the set


def test_every_truth_file_has_its_document_as_stored(truth):
    _, policies = truth
    docs = import_dev.documents()
    assert len(docs) == 20
    for n, policy in policies.items():
        text = document_text(docs[n])
        assert policy.number is None or policy.number in text, n  # the 文号 is the document's
        assert policy.title and squash(policy.title) in squash(text), n
    assert [n for n, p in policies.items() if p.number is None] == ["20"]  # 20 prints none


def test_truth_text_is_the_documents_own(truth):
    """Each item's 原文 is verbatim (up to white space and full/half width) from the document as stored."""
    _, policies = truth
    docs = import_dev.documents()
    for n, policy in policies.items():
        body = squash(document_text(docs[n]))
        for task in policy.tasks:
            assert task.text and squash(task.text) in body, f"{n} {task.id}"


def test_chains_link_measures_to_parent_measures(truth):
    _, policies = truth
    assert import_dev.parents(policies) == {"02": "01", "03": "01", "05": "04"}
    for child, parent in (("02", "01"), ("03", "01"), ("05", "04")):
        links = [(t.id, k) for t in policies[child].tasks for k in t.implements]
        assert links and all(k.policy == policies[parent].id for _, k in links)
        assert all(policies[parent].task(k.task) is not None for _, k in links)
    # 05's fifteen clause items each carry out at least one paragraph of 04
    assert all(t.implements for t in policies["05"].tasks if t.kind is model.ItemKind.TASK)


def test_a_truth_scores_perfectly_against_itself(truth):
    _, policies = truth
    for n in ("01", "02", "05"):
        s = score(policies[n], policies[n])
        assert all(m.fp == 0 and m.fn == 0 for m in s.measures.values()), n
        assert s.measures["tasks"].tp == sum(1 for t in policies[n].tasks if t.kind is model.ItemKind.TASK)
    pairs = {t.id: t.id for t in policies["02"].tasks}
    parent_pairs = {t.id: t.id for t in policies["01"].tasks}
    links = score_links(policies["02"], policies["02"], pairs, "hfbf-2020-3", "hfbf-2020-3", parent_pairs)
    assert links.tp == 16 and links.fp == links.fn == 0


def test_a_damaged_copy_scores_less_where_it_was_damaged(truth):
    _, policies = truth
    child, parent = policies["02"], policies["01"]
    t = child.task("4.2.1")
    first, *rest = t.assignments
    damaged_task = t.model_copy(update={
        "assignments": (dataclasses.replace(first, role=model.AssignmentRole.LEAD), *rest),  # 负责 → 牵头
        "targets": t.targets[1:],  # one target dropped
        "implements": t.implements[:1],  # one link dropped
    })
    damaged = child.model_copy(update={"tasks": tuple(damaged_task if x.id == "4.2.1" else x for x in child.tasks)})
    s = score(child, damaged)
    m = s.measures
    assert m["tasks"].f1 == 1.0 and m["units"].f1 == 1.0  # the same units, assigned at all
    assert (m["unit_roles"].tp, m["unit_roles"].fp, m["unit_roles"].fn) == (m["unit_roles"].tp, 1, 1)
    assert m["lead"].fp == 1 and m["co_responsible"].fn == 1
    assert m["targets"].fn == 1 and m["targets"].fp == 0 and m["targets"].recall < 1.0
    pairs = {x.id: x.id for x in child.tasks}
    links = score_links(child, damaged, pairs, parent.id, parent.id, {x.id: x.id for x in parent.tasks})
    assert (links.fp, links.fn) == (0, 1) and links.recall < 1.0
    # a link to the wrong parent measure is an extra and a miss
    wrong = damaged_task.model_copy(update={"implements": (model.TaskKey(policy=parent.id, task="4.3.1"),)})
    moved = child.model_copy(update={"tasks": tuple(wrong if x.id == "4.2.1" else x for x in child.tasks)})
    links = score_links(child, moved, pairs, parent.id, parent.id, {x.id: x.id for x in parent.tasks})
    assert (links.fp, links.fn) == (1, 2)


def test_bench_scores_a_document_as_stored(truth):
    _, policies = truth
    [s] = import_dev.score_set(["05"])  # 05 is imported beside the import of its parent 04
    enc = policies["05"]
    whole = score(enc, enc).measures
    for name in ("tasks", "unit_roles", "deadlines", "targets"):
        m = s.measures[name]
        assert m.tp + m.fn == whole[name].tp, name  # every fact of the truth is compared
        assert 0.0 <= m.precision <= 1.0 and 0.0 <= m.recall <= 1.0
    links = s.measures["links"]
    assert links.tp + links.fn == sum(len(t.implements) for t in enc.tasks) == 22
    table = import_dev.render([s])
    assert re.search(r"^05\s+qfbf-2024-29\s", table, re.M) and re.search(r"^pooled\s+1 docs", table, re.M)


def test_bench_counts_a_document_it_cannot_import_as_zero_recall(truth, monkeypatch):
    _, policies = truth

    def refuse(path, corpus):
        raise ReadError("LS620", "生成的草稿无法解析", "the generated draft does not parse")

    monkeypatch.setattr(import_dev, "_import", refuse)
    [s] = import_dev.score_set(["02"])
    assert s.failure and s.failure.startswith("LS620")
    whole = score(policies["02"], policies["02"]).measures
    for name in ("tasks", "unit_roles", "targets"):
        assert (s.measures[name].tp, s.measures[name].fn) == (0, whole[name].tp) and s.measures[name].recall == 0.0
    assert s.measures["links"].fn == 16 and s.pooled().f1 == 0.0
    assert "1 failed" in import_dev.render([s])


@pytest.fixture(scope="module")
def seed_corpus():
    return compile_paths(None, find_project(ROOT)).corpus


@pytest.mark.parametrize("name", sorted(p.name for p in DEV.glob("*.txt")))
def test_every_document_imports_as_stored_and_checks_once_settled(tmp_path, seed_corpus, name):
    """Issue 17's first done-when, on each development document as stored: it imports (no LS620, no refusal) and the
    draft, with its 待定 lines settled (deleted: each proposal accepted as written), passes `luoshi check` beside
    policies/ with no diagnostic at all. A policy policies/ already holds (09 is encoded there) is left out of the
    project, as a reviewer replacing it would."""
    import shutil

    from luoshi.driver.project import Project
    from luoshi.importer import import_path

    imported = import_path(DEV / name, seed_corpus)
    assert not [i for i in imported.issues if i.code == "LS620"]
    pid = imported.result.policy.id
    same = seed_corpus.policy(pid)
    skip = {Path(same.file).name} if same else set()
    folder = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", folder, ignore=lambda d, names: [n for n in names if n in skip])
    project = Project(tmp_path, folder, tmp_path / "build")
    if same:  # imported again into the corpus it will join, which no longer declares what the old file did
        imported = import_path(DEV / name, compile_paths(None, project).corpus)
    settle = lambda text: "".join(l for l in text.splitlines(keepends=True) if not l.strip().startswith("待定 "))  # noqa: E731
    targets = [folder / f"{pid}.policy"]
    targets[0].write_text(settle(imported.policy_text), encoding="utf-8")
    if imported.units_text:
        targets.append(folder / "units" / f"{pid}.units")
        targets[1].write_text(settle(imported.units_text), encoding="utf-8")
    found = compile_paths([str(t) for t in targets], project).diagnostics()
    assert [f"{d.code} {d.span}: {d.zh}" for d in found] == []
