"""The responsibility graph on the real seed corpus: it holds every assignment and link of the model, its exports
are valid (GraphML reloads in networkx, DOT parses with pydot) and byte-identical run to run, labels are escaped,
and the everyday queries answer what the model says."""

from __future__ import annotations

import functools
import io
import json

import networkx as nx
import pydot
import pytest
from typer.testing import CliRunner

from luoshi.backends import graph_export
from luoshi.cli import app
from luoshi.semantics.duties import Through, chain, coverage, duties, loads
from luoshi.semantics.graph import (
    ROLE_EDGE,
    EdgeType,
    build_graph,
    task_node,
    task_view,
    unit_node,
    unit_view,
)
from luoshi.model import AssignmentRole, ItemKind
from luoshi.driver.pipeline import compile_paths
from luoshi.driver.project import Project

from conftest import ROOT, check_golden
from helpers import codes, compile_texts

GOLDEN = ROOT / "tests" / "golden" / "graph"
pytestmark = pytest.mark.filterwarnings("ignore:'.*' deprecated:DeprecationWarning")  # pydot's pyparsing calls


@functools.lru_cache(maxsize=1)
def seed_corpus():
    """The real corpus of policies/, compiled once for every test module that asks."""
    comp = compile_paths(None, Project(ROOT, ROOT / "policies", ROOT / "build"))
    assert not comp.sink.has_errors()
    return comp.corpus


@pytest.fixture(scope="module")
def cg():
    return build_graph(seed_corpus())


def test_every_assignment_is_a_typed_edge(cg):
    g = cg.graph
    count = 0
    for policy in cg.corpus.policies:
        for task in policy.tasks:
            assert task_node(task.key) in g
            for a in task.assignments:
                data = g.get_edge_data(unit_node(a.unit.unit), task_node(task.key), key=ROLE_EDGE[a.role].value)
                assert data is not None, (str(task.key), a.unit.unit)
                assert data["written"] == a.unit.written and bool(data.get("inherited")) == a.inherited
                count += 1
    role_edges = [d for *_, d in g.edges(data=True) if d["type"] in {e.value for e in ROLE_EDGE.values()}]
    assert count == sum(1 for d in role_edges if "via" not in d)  # and nothing else


def test_sub_units_get_their_own_edges_through_the_unit_they_are_written_under(cg):
    edges = list(cg.graph.out_edges(unit_node("璧山区/区就业人才中心"), keys=True, data=True))
    tasks = sorted(v for _, v, _, d in edges if d["type"] in ("leads", "co-responsible"))
    assert tasks == [task_node("bishan-2020-shjz:13"), task_node("bishan-2020-shjz:14")]
    assert all(d["via"] == "璧山区/区人力社保局" for *_, d in edges if "via" in d)
    assert [v for _, v, _, d in edges if d["type"] == "part-of"] == [unit_node("璧山区/区人力社保局")]


def test_links_membership_and_issuers_are_edges(cg):
    g = cg.graph
    for policy in cg.corpus.policies:
        for task in policy.tasks:
            for parent in task.implements:
                assert g.has_edge(task_node(task.key), task_node(parent), key="implements")
        for ref in policy.issuers:
            assert g.has_edge(f"policy:{policy.id}", unit_node(ref.unit), key="issued-by")
    for unit in cg.corpus.units:
        for member in unit.members:
            assert g.has_edge(unit_node(member), unit_node(unit.id), key="member-of")


def test_structure_is_contains_edges_from_policy_to_sub_task(cg):
    contains = nx.DiGraph([(u, v) for u, v, t in cg.graph.edges(data="type") if t == "contains"])
    yunyang = "policy:yyfbf-2019-22"
    below = nx.descendants(contains, yunyang)
    assert {task_node(t.key) for t in cg.corpus.policy("yyfbf-2019-22").tasks} <= below
    assert nx.shortest_path(contains, yunyang, task_node("yyfbf-2019-22:2.2.2"))[-2] == task_node("yyfbf-2019-22:2.2")


# ───────────── exports ─────────────

@pytest.fixture(scope="module")
def exports():
    return graph_export.render(seed_corpus())


def test_graphml_reloads_with_every_node_edge_and_attribute(cg, exports):
    back = nx.read_graphml(io.BytesIO(exports["graph/corpus.graphml"]), force_multigraph=True)
    assert set(back.nodes) == set(cg.graph.nodes)
    assert back.number_of_edges() == cg.graph.number_of_edges()
    assert back.nodes["unit:璧山区/区民政局"] == cg.graph.nodes["unit:璧山区/区民政局"]
    types = {d["type"] for *_, d in back.edges(data=True)}
    assert {e.value for e in EdgeType} - types <= {"waives"}  # the seeds waive nothing


def test_node_link_json_reloads(cg, exports):
    data = json.loads(exports["graph/corpus.json"])
    back = nx.node_link_graph(data, edges="edges")
    assert set(back.nodes) == set(cg.graph.nodes) and back.number_of_edges() == cg.graph.number_of_edges()


def test_dot_parses_with_pydot(cg):
    view = task_view(cg, "yfbf-2018-161:2.2")  # pydot's parser is slow: a neighbourhood across three policies
    parsed = pydot.graph_from_dot_data(graph_export.to_dot(view).decode("utf-8"))[0]
    nodes = {n.get_name().strip('"') for n in parsed.get_nodes()} - {"graph", "node", "edge"}
    assert nodes == set(view.nodes)
    assert len(parsed.get_edges()) == view.number_of_edges()
    label = parsed.get_node('"policy:yfbf-2018-161"')[0].get_attributes()["label"].strip('"')
    assert label == cg.corpus.policy("yfbf-2018-161").number


def test_exports_are_byte_identical_run_to_run(exports):
    again = graph_export.render(seed_corpus())
    assert sorted(again) == sorted(exports)
    assert all(again[name] == exports[name] for name in exports)


def test_mermaid_golden(exports, update_golden):
    check_golden(GOLDEN / "dzmf-2019-26.mmd", exports["graph/dzmf-2019-26.mmd"].decode("utf-8"), update_golden)


def test_labels_are_escaped_in_dot_and_mermaid(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    title = '甲\\"乙|丙#丁<b>]'
    comp = compile_texts(tmp_path, {"a.policy": f'政策 a {{ 辖区 璧山区 任务 1 "{title}" {{ 牵头 区民政局 }} }}'})
    assert codes(comp) == []
    cg = build_graph(comp.corpus)
    g = cg.graph
    written = comp.corpus.policy("a").task("1").title
    assert written == '甲"乙|丙#丁<b>]'
    mermaid = graph_export.to_mermaid(g).decode("utf-8")
    line = next(x for x in mermaid.splitlines() if "丙" in x)
    assert line.endswith('("1 甲#quot;乙#124;丙#35;丁#lt;b#gt;#93;"):::task')
    # pydot's parser took ~10 s on the whole graph (2,300 nodes: the registry's standard units); the task's
    # neighbourhood holds the node with the title, written by the same to_dot
    parsed = pydot.graph_from_dot_data(graph_export.to_dot(task_view(cg, "a:1")).decode("utf-8"))[0]
    node = parsed.get_node('"task:a:1"')[0]
    assert node.get_attributes()["title"] == '"甲\\"乙|丙#丁<b>]"'


# ───────────── neighbourhoods ─────────────

def test_unit_view_holds_its_tasks_and_their_policy(cg):
    view = unit_view(cg, "璧山区/区人力社保局")
    assert "policy:bishan-2020-shjz" in view and "unit:璧山区/区就业人才中心" in view
    tasks = {n for n, t in view.nodes(data="type") if t == "task"}
    assert tasks == {task_node(d.task.key) for d in duties(cg, "璧山区/区人力社保局")}


def test_task_view_follows_the_chain_both_ways(cg):
    view = task_view(cg, "yyfbf-2019-22:2.2")
    assert task_node("yfbf-2018-161:2.2") in view          # what it implements
    assert task_node("yyfbf-2019-22:2.2.2") in view        # its steps
    assert "unit:青龙街道/青龙街道办事处" in view
    down = task_view(cg, "yfbf-2018-161:2.2")
    assert task_node("dzmf-2019-26:2.2") in down and task_node("yyfbf-2019-22:2.2") in down


# ───────────── queries ─────────────

def _named(corpus, unit_id):
    """(task key, role) of every task naming the unit itself, straight from the model."""
    return {(str(t.key), a.role) for p in corpus.policies for t in p.tasks for a in t.assignments
            if a.unit.unit == unit_id and not a.inherited}


def test_duties_of_a_unit_are_the_tasks_naming_it(cg):
    found = duties(cg, "璧山区/区民政局")
    assert {(str(d.task.key), d.role) for d in found} == _named(cg.corpus, "璧山区/区民政局")
    assert all(d.through is Through.NAMED for d in found)


def test_sub_unit_duties_come_through_the_parent_unit(cg):
    found = duties(cg, "璧山区/区就业人才中心")
    assert [(d.task.id, d.role, d.through) for d in found] == [
        ("13", AssignmentRole.CO_RESPONSIBLE, Through.SUBUNIT), ("14", AssignmentRole.LEAD, Through.SUBUNIT)]
    assert found[0].written == "区人力社保局（区就业人才中心、区社保中心）"


def test_collective_members_owe_the_collectives_tasks(cg):
    found = {str(d.task.key): d for d in duties(cg, "青龙街道/青龙街道办事处")}
    collective = _named(cg.corpus, "云阳县/各乡镇（街道）")
    assert {k for k, _ in collective} <= set(found)
    assert found["yyfbf-2019-22:2.2.2"].through is Through.NAMED  # named itself, not only as a member
    assert found["yyfbf-2019-22:3.1"].through is Through.MEMBER


def test_other_members_leave_out_the_responsible_units(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    comp = compile_texts(tmp_path, {"a.policy": '政策 a { 辖区 璧山区\n'
                                                 '任务 1 "甲" { 牵头 区民政局 配合 区联席会议其他成员单位 }\n'
                                                 '任务 2 "乙" { 牵头 区联席会议成员单位 } }'})
    assert codes(comp) == []
    cg = build_graph(comp.corpus)
    lead = {(d.task.id, d.role, d.through) for d in duties(cg, "璧山区/区民政局")}
    assert lead == {("1", AssignmentRole.LEAD, Through.NAMED), ("2", AssignmentRole.LEAD, Through.MEMBER)}
    member = {(d.task.id, d.role, d.through) for d in duties(cg, "璧山区/区财政局")}
    assert member == {("1", AssignmentRole.COOPERATE, Through.MEMBER), ("2", AssignmentRole.LEAD, Through.MEMBER)}


def test_chain_reaches_every_implementing_task_and_its_units(cg):
    steps = chain(cg, "yfbf-2018-161:2.2")
    keys = [str(s.task.key) for s in steps]
    implementers = {str(t.key) for p in cg.corpus.policies for t in p.tasks
                    if any(str(k) == "yfbf-2018-161:2.2" for k in t.implements)}
    assert keys[0] == "yfbf-2018-161:2.2" and implementers <= set(keys)
    levels = {s.policy.level for s in steps}
    assert levels == {"市级", "县级"}
    units = {u for s in steps for ids in s.units.values() for u in ids}
    assert {"重庆市/市民政局", "云阳县/县民政局", "大足区/各镇街", "青龙街道/青龙街道办事处"} <= units


def test_gaps_are_parent_measures_no_local_task_implements(cg):
    found = {(c.policy.id, c.parent.id): c for c in coverage(cg)}
    assert set(found) >= {("dzmf-2019-26", "yfbf-2018-161"), ("yyfbf-2019-22", "yfbf-2018-161")}
    parent = cg.corpus.policy("yfbf-2018-161")
    measures = {str(t.key) for t in parent.tasks if t.parent is None and t.kind is not ItemKind.CLAUSE}
    for (pid, _), cov in found.items():
        linked = {str(k) for t in cg.corpus.policy(pid).tasks for k in t.implements}
        assert {str(g.task.key) for g in cov.gaps} == measures - linked
        assert cov.tasks == len(measures) and cov.covered == len(measures & linked)
    assert found[("yyfbf-2019-22", "yfbf-2018-161")].gaps == ()


def test_waived_parent_tasks_say_why(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    parent = '政策 p { 辖区 重庆市 任务 1 "甲" { 牵头 市民政局 } 任务 2 "乙" { 牵头 市民政局 } }'
    child = '政策 c { 辖区 璧山区 落实 p 不予落实 p:2 "本区无此情形" 任务 1 "甲" { 牵头 区民政局 落实 p:1 } }'
    comp = compile_texts(tmp_path, {"p.policy": parent, "c.policy": child})
    assert codes(comp) == []
    (cov,) = coverage(build_graph(comp.corpus))
    assert [(g.task.id, g.waived) for g in cov.gaps] == [("2", "本区无此情形")]


def test_loads_rank_units_by_lead_tasks(cg):
    found = loads(cg)
    leads = [x.counts[AssignmentRole.LEAD] for x in found]
    assert leads == sorted(leads, reverse=True)
    top = found[0]
    named = _named(cg.corpus, top.unit)
    assert top.counts[AssignmentRole.LEAD] == sum(1 for _, r in named if r is AssignmentRole.LEAD)
    only_bishan = loads(cg, jurisdiction="璧山区")
    assert only_bishan and all(x.unit.startswith("璧山区/") for x in only_bishan)


# ───────────── the commands ─────────────

runner = CliRunner()


def test_cli_duties_prints_one_plain_row_per_task(in_root, cg):
    result = runner.invoke(app, ["graph", "duties", "区民政局", "--jurisdiction", "璧山区"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split("\t") == ["政策文件", "任务", "角色", "列明为", "方式"]
    assert len(lines) - 1 == len(duties(cg, "璧山区/区民政局"))
    assert "牵头12项" in result.stderr


def test_cli_chain_gaps_and_top(in_root):
    chain_out = runner.invoke(app, ["graph", "chain", "yfbf-2018-161:2.2"])
    assert chain_out.exit_code == 0 and "青龙街道办事处" in chain_out.stdout and "各镇街" in chain_out.stdout
    gaps = runner.invoke(app, ["graph", "gaps", "dzmf-2019-26"])
    assert gaps.exit_code == 0 and "4.2 加强资金投入\t未落实" in gaps.stdout
    top = runner.invoke(app, ["graph", "top", "-n", "3"])
    assert top.exit_code == 0 and len(top.stdout.splitlines()) == 4
    bad = runner.invoke(app, ["graph", "chain", "yfbf-2018-161:9.9"])
    assert bad.exit_code == 1 and "9.9" in bad.stderr and "Traceback" not in bad.output


def test_cli_export_a_neighbourhood(in_root, tmp_path):
    target = tmp_path / "u.graphml"
    result = runner.invoke(app, ["graph", "export", "--unit", "璧山区/区就业人才中心", "-o", str(target)])
    assert result.exit_code == 0, result.output
    g = nx.read_graphml(target, force_multigraph=True)
    assert "unit:璧山区/区就业人才中心" in g and "task:bishan-2020-shjz:14" in g
    mermaid = runner.invoke(app, ["graph", "export", "--policy", "大足民发〔2019〕26号", "-f", "mermaid"])
    assert mermaid.exit_code == 0 and mermaid.stdout.startswith("flowchart LR")
