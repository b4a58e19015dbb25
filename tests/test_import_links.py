"""落实 links from an imported child document to the parent it carries out (importer/links.py, --parent).

Real chains of the development set: 02 (崇明区) and 03 (奉贤区) carry out 01 (沪府办发〔2020〕3号), 05 (青浦区)
carries out 04 (沪府办规〔2024〕6号). The child is imported beside the import of its parent, as a user does with
`luoshi import CHILD --parent PARENT`.
"""

from __future__ import annotations

import os
import re
import sys

from typer.testing import CliRunner

from luoshi.cli import app
from luoshi.importer import import_path
from luoshi.importer.links import propose

from conftest import FIXTURES, ROOT

sys.path.insert(0, str(ROOT / "bench"))
import import_dev  # noqa: E402

DEV = FIXTURES / "import" / "dev"
FILES = import_dev.documents()


def _pair(parent: str, child: str):
    registry = import_dev.registry_corpus()
    up = import_path(FILES[parent], registry)
    context = import_dev._compile({"<parent>.policy": up.policy_text})
    return up, context.policy(up.result.policy.id), import_path(FILES[child], context)


def test_same_measure_restated_by_the_district_is_linked_and_sure():
    """02's 4.1.3「落实镇政府管养职责」 restates 01's 4.1.3 of the same title: a sure link, no 待定 about it."""
    _, parent, child = _pair("01", "02")
    assert child.result.policy.implements[-1] == parent.id
    item = next(it for it in child.result.policy.items() if it.id == "4.1.3")
    assert item.implements == [f"{parent.id}:4.1.3"]
    assert not any("落实" in t for t in item.todos)


def test_measure_merging_two_parent_measures_gets_both_marked_unsure():
    """05's 1.3「加强基层综合治理」 covers 04's 1.3 (各镇街) and 1.4 (居村委): two links, each with a 待定."""
    _, parent, child = _pair("04", "05")
    item = next(it for it in child.result.policy.items() if it.id == "1.3")
    assert sorted(item.implements) == [f"{parent.id}:1.3", f"{parent.id}:1.4"]
    assert sum(1 for t in item.todos if t.startswith("落实 ")) == 2
    assert any(i.code == "LS617" for i in child.issues)


def test_parent_measures_without_a_child_are_reported():
    """04's 5.2 (本意见自2024年7月1日起施行) has no measure in 05: reported (LS616) and written as a 待定."""
    _, parent, child = _pair("04", "05")
    report = [i for i in child.issues if i.code == "LS616"]
    assert len(report) == 1 and "5.2" in report[0].zh.split("措施 ")[1].split(" 没有")[0].split("、")
    assert report[0].zh in child.result.policy.todos
    linked = {k.split(":")[1] for it in child.result.policy.items() for k in it.implements}
    assert "5.2" not in linked and {"1.1", "1.2", "2.1", "5.1"} <= linked


def test_no_links_to_an_unrelated_parent():
    """Nothing links a measure to a parent whose measures say something else: 05 (消防) beside 01 (农村公路)."""
    _, parent, _ = _pair("01", "01")
    child = import_path(FILES["05"], import_dev.registry_corpus())
    assert propose(child.result.policy.body, parent) == []


def test_link_f1_on_the_development_chains():
    """The chains 01 → 02, 03 and 04 → 05 scored against the truth files' 落实 (bench/import_dev.py)."""
    links = import_dev.pool(s.measures["links"] for s in import_dev.score_set(["02", "03", "05"]))
    assert links.precision >= 0.90 and links.f1 >= 0.82, (links.precision, links.recall)


def test_parent_option_from_a_document_or_an_id(tmp_path):
    """`luoshi import CHILD --parent PARENT_FILE`: the parent is imported first and the child linked to it; an
    unknown --parent is a located LS608 error, never a traceback."""
    runner = CliRunner()
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        ok = runner.invoke(app, ["import", str(FILES["05"]), "--parent", str(FILES["04"]), "--lang", "en"])
        bad = runner.invoke(app, ["import", str(FILES["05"]), "--parent", "no-such-policy", "--lang", "en"])
    finally:
        os.chdir(cwd)
    assert ok.exit_code == 0, ok.output
    assert "落实 hfbg-2024-6:1.1" in ok.output and "warning[LS616]" in ok.output
    assert bad.exit_code != 0 and "error[LS608]" in bad.output and "Traceback" not in bad.output


def test_imported_chain_in_a_project_links_by_the_cited_number_and_lint_reports_the_rest(tmp_path):
    """In a project holding the parent's draft, the child links automatically (it cites 沪府办规〔2024〕6号), and
    `luoshi lint` on the chain reports the parent measures no child measure carries out (LS310)."""
    runner = CliRunner()
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        (tmp_path / "policies").mkdir()
        runner.invoke(app, ["import", str(FILES["04"]), "-o", "policies/p04.policy"])
        runner.invoke(app, ["import", str(FILES["05"]), "-o", "policies/p05.policy"])
        lint = runner.invoke(app, ["lint", "--lang", "en"])
    finally:
        os.chdir(cwd)
    draft = (tmp_path / "policies" / "p05.policy").read_text(encoding="utf-8")
    assert "落实 hfbg-2024-6:1.1" in draft
    unlinked = set(re.findall(r"error\[LS310\]: qfbf-2024-29 neither implements hfbg-2024-6:(\S+)", lint.output))
    assert "5.2" in unlinked and "1.1" not in unlinked
