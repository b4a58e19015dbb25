"""The registry's derived layer (issue 18): China's divisions from the vendored data, the standard units of each
level, collectives with derived members — and the seed registry's own units unchanged and winning."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.semantics import divisions, standard_units
from luoshi.drafting.plan import DraftOptions, draft_policy
from luoshi.drafting.printer import print_draft
from luoshi.drafting.verify import TODO_CODE
from luoshi.model import UnitKind
from luoshi.driver.pipeline import compile_paths
from luoshi.semantics.registry import fold
from luoshi.syntax.source import Span

from draftkit import at_root, seed_compilation


@pytest.fixture(scope="module")
def corpus():
    return seed_compilation().corpus


def units_named(corpus, jurisdiction: str, name: str) -> list[str]:
    key = fold(name)
    return [u.id for u in corpus.units if u.jurisdiction == jurisdiction and key in {fold(u.name), *map(fold, u.aliases)}]


# ───────────── divisions ─────────────

def test_divisions_hold_every_township_of_a_county():
    data = divisions.load()
    (yunyang,) = data.find("云阳县")
    towns = {d.name for d in data.below(yunyang.code, 1)}
    assert len(towns) == 42 and {"人和街道", "青龙街道", "双江街道", "清水土家族乡"} <= towns
    assert [d.name for d in data.ancestors(yunyang.code)] == ["重庆市"]  # no 县 pseudo-prefecture in between


def test_divisions_find_paths_short_and_former_names():
    data = divisions.load()
    assert [d.code for d in data.find("广州市天河区")] == ["440106"]
    assert [d.code for d in data.find("上海市浦东新区")] == ["310115"]
    assert len(data.find("朝阳区")) == 2  # 北京 and 长春: a bare name can be ambiguous
    assert [d.name for d in data.find("开县")] == ["开州区"]  # renamed 2016
    assert [d.name for d in data.find("闸北区")] == ["静安区"]  # merged 2015
    assert data.find("不存在县") == []


# ───────────── the seed registry, completed ─────────────

def test_every_district_and_county_of_chongqing_is_registered_with_its_departments(corpus):
    counties = [j for j in corpus.jurisdictions if j.parent == "重庆市"]
    assert len(counties) == 38
    by_j: dict[str, list] = {}
    for u in corpus.units:
        by_j.setdefault(u.jurisdiction, []).append(u)
    for j in counties:
        roles = {u.role for u in by_j[j.id]}
        assert {"政府", "政府办公室", "民政", "财政", "教育", "卫生健康", "医保", "人力社保", "应急", "住房城乡建设",
                "规划自然资源", "农业农村", "交通", "水利", "市场监管", "公安", "司法", "发展改革",
                "工业和信息化", "下级政府", "政府部门"} <= roles, j.id


def test_declared_units_win_and_lend_nothing_of_their_meaning(corpus):
    # 云阳县 declares 县卫生健康委: no second unit of the role; the short name 县卫健委 becomes its alias
    assert units_named(corpus, "云阳县", "县卫健委") == ["云阳县/县卫生健康委"]
    assert [u.id for u in corpus.units if u.jurisdiction == "云阳县" and u.role == "卫生健康"] == ["云阳县/县卫生健康委"]
    # 璧山区 declares 区城市管理局; the template's 区城管局 is its alias, not a unit of its own
    assert units_named(corpus, "璧山区", "区城管局") == ["璧山区/区城市管理局"]
    # 重庆 区县 say 教委 (the template's local form), elsewhere 教育局
    assert units_named(corpus, "万州区", "区教委") == ["万州区/区教委"]
    assert units_named(corpus, "万州区", "区教育局") == ["万州区/区教委"]
    assert corpus.unit("大足区/区民政局").note is None  # declared, not from the template


def test_collectives_reach_every_member(corpus):
    towns = corpus.unit("云阳县/各乡镇（街道）")
    assert len(towns.members) == 42
    assert towns.members[:2] == ("青龙街道/青龙街道办事处", "双江街道/双江街道办事处")  # the declared ones first
    assert "人和街道/人和街道办事处" in towns.members
    departments = corpus.unit("云阳县/县政府各部门").members
    assert {"云阳县/县民政局", "云阳县/县卫生健康委", "云阳县/县市场监管局"} <= set(departments)
    assert "云阳县/县政府" not in departments
    counties = corpus.unit("重庆市/各区县政府").members
    assert len(counties) == 38 and "云阳县/县政府" in counties and "大足区/区政府" in counties
    # 大足区's own collective 各镇街 carries the template's alias and the members
    dazu = corpus.unit("大足区/各镇街")
    assert dazu.kind is UnitKind.COLLECTIVE and "各乡镇（街道）" in dazu.aliases and len(dazu.members) > 20


def test_a_township_unit_answers_to_the_townships_name(corpus):
    assert units_named(corpus, "龙角镇", "龙角镇") == ["龙角镇/龙角镇人民政府"]
    assert corpus.unit("龙角镇/龙角镇人民政府").role == "政府"
    names = [j.id for j in corpus.jurisdictions]
    assert len(names) == len(set(names))


def test_a_former_name_finds_the_division_that_took_it_over(corpus):
    kaizhou = next(j for j in corpus.jurisdictions if j.id == "开州区")
    assert "开县" in kaizhou.aliases and kaizhou.parent == "重庆市"  # 开县 became 开州区 in 2016


def test_only_the_level_below_a_declared_jurisdiction_is_loaded(corpus):
    """重庆市 brings its 38 区县, not their 1,031 townships; the declared 云阳县 brings its own 42."""
    townships = {j.parent for j in corpus.jurisdictions if j.level == "乡级"}
    assert townships == {"云阳县", "大足区", "璧山区", "合川区"}
    assert not [j for j in corpus.jurisdictions if j.parent == "万州区"]


def test_a_township_name_two_counties_share_is_qualified_by_the_county():
    span = Span(file="x.units", line=1, column=1, end_line=1, end_column=2)
    declared = {"重庆市": (None, ()), "渝北区": ("重庆市", ()), "云阳县": ("重庆市", ())}
    matched = standard_units.match_declared(declared)
    added, placed = standard_units.neighbourhood(matched, {name: span for name in matched})
    shared = {jid: j for jid, j in added.items() if "人和街道" in (jid, *j.aliases)}
    assert set(shared) == {"云阳县人和街道", "渝北区人和街道"}
    assert {j.parent for j in shared.values()} == {"云阳县", "渝北区"}
    assert placed["云阳县人和街道"].division.code.startswith("500235")


# ───────────── drafting for every 区县 ─────────────

def test_161_drafts_for_each_of_the_38_districts_and_counties_compile():
    """`luoshi draft yfbf-2018-161 --for X` for all 38 区县 of 重庆市: every draft compiles with the corpus (all
    38 in one compilation), every measure has units and no draft leaves more than 10 待定."""
    corpus = seed_compilation().corpus
    counties = sorted(j.id for j in corpus.jurisdictions if j.parent == "重庆市")
    drafts = {j: draft_policy(corpus, "yfbf-2018-161", j, DraftOptions()) for j in counties}
    texts = {f"draft-{j}.policy": print_draft(d) for j, d in drafts.items()}
    with at_root():
        comp = compile_paths(None, extra=texts)
    errors = [d for d in comp.diagnostics() if d.severity.value == "error"]
    assert errors == []
    todos: dict[str, int] = {}
    for d in comp.diagnostics():
        if d.code == TODO_CODE and d.span.file.startswith("draft-"):
            todos[d.span.file] = todos.get(d.span.file, 0) + 1
    assert max(todos.values()) <= 10, todos
    for j, draft in drafts.items():
        policy = comp.corpus.policy(draft.id)
        assert policy is not None and policy.jurisdiction == j
        assert all(t.assignments for t in policy.tasks if t.kind.value != "clause"), j
        assert all(a.unit.unit.startswith(j + "/") for t in policy.tasks for a in t.assignments), j


# ───────────── completion data about any township ─────────────

def test_a_completion_row_about_any_township_of_yunyang_is_accepted(corpus, tmp_path):
    """Rows naming townships the seed registry never declared (人和街道, 龙角镇, 清水土家族乡), as a unit or as the
    scope of 各乡镇（街道）, and 县卫健委 by its short name: none is set aside."""
    from luoshi.comply.checks import compile_plan
    from luoshi.comply.engine import run
    from luoshi.comply.loaders import load_tables
    from luoshi.diagnostics import Sink

    head = "政策 policy,任务 task,单位 unit,范围 scope,状态 status,日期 date,指标 metric,数值 value,备注 note\n"
    rows = ["云阳府办发〔2019〕22号,4.1,人和街道办事处,,已完成,2019-03-05,,,",
            "云阳府办发〔2019〕22号,4.1,龙角镇,,已完成,2019-03-05,,,",
            "云阳府办发〔2019〕22号,4.1,各乡镇（街道）,清水土家族乡,已完成,2019-03-05,,,",
            "云阳府办发〔2019〕22号,4.1,县卫健委,,已完成,2019-03-06,,,"]
    data = tmp_path / "rows.csv"
    data.write_text(head + "\n".join(rows) + "\n", encoding="utf-8")
    sink = Sink()
    outcome = run(compile_plan(corpus), load_tables([data], sink), dt.date(2019, 12, 31), sink)
    assert outcome.rows_read == 4 and outcome.rows_set_aside == 0, outcome.problems_by_code


# ───────────── the project's switch ─────────────

def test_standard_units_false_keeps_only_the_declared_registry(tmp_path):
    """`[tool.luoshi] standard_units = false` (bench/synth.py's synthetic corpus: the real 重庆市 with invented
    第N区): neither the 38 real 区县 nor standard units join; with the switch on (the default) both do."""
    import sys

    from conftest import ROOT
    from luoshi.driver.project import find_project

    sys.path.insert(0, str(ROOT / "bench"))
    import synth

    synth.generate(tmp_path, districts=2, townships=2, tasks=3, seed=1)
    pyproject = tmp_path / "pyproject.toml"
    assert "standard_units = false" in pyproject.read_text(encoding="utf-8")
    ids = {}
    for on in (False, True):
        if on:
            pyproject.write_text('[tool.luoshi]\npolicies = "policies"\noutput = "build"\n', encoding="utf-8")
        project = find_project(tmp_path)
        assert project.standard_units is on
        comp = compile_paths(None, project)
        assert not comp.sink.has_errors()
        ids[on] = {u.id for u in comp.corpus.units}
    assert not any(u.startswith("万州区/") for u in ids[False]) and all(u.startswith(("第", "重庆市/")) for u in ids[False])
    assert ids[False] < ids[True] and any(u.startswith("万州区/") for u in ids[True])


# ───────────── local exceptions: 不设 ─────────────

NO_PLANNING = "辖区 云阳县 {\n  不设 县规划自然资源局\n}\n"  # a second block for 云阳县, as a county would add it


def test_a_county_without_a_standard_unit_says_so_once_and_drafting_and_resolve_honour_it(tmp_path):
    """`不设 县规划自然资源局` in 云阳县: no derived unit of that name (nor its short names), the 161号 draft leaves
    the role's unit as a 待定 instead of the standard counterpart, and a policy naming it gets LS201 pointing at
    the 不设 line."""
    from draftkit import scratch_corpus

    named = '政策 t-2019-1 {\n  标题 "测试"\n  辖区 云阳县\n  层级 县级\n  任务 1 "测试" {\n    牵头 县规划自然资源局\n  }\n}\n'
    comp = scratch_corpus(tmp_path, {"units/云阳县-例外.units": NO_PLANNING, "t-2019-1.policy": named})
    assert comp.corpus.unit("云阳县/县规划自然资源局") is None
    assert comp.corpus.unit("璧山区/区规划自然资源局") is not None  # only 云阳县 said so
    (found,) = [d for d in comp.diagnostics() if d.code == "LS201"]
    assert "云阳县不设此单位" in found.zh and "云阳县-例外.units:2" in found.zh and found.span.file.endswith("t-2019-1.policy")
    draft = draft_policy(comp.corpus, "yfbf-2018-161", "云阳县", DraftOptions())
    text = print_draft(draft)
    section = text[text.index('任务 2.3 "加强自然灾害救助"'):]
    section = section[:section.index("\n    }")]
    assert "县规划自然资源局" not in section.replace("「市规划自然资源局」", "")
    assert "「市规划自然资源局」（角色 规划自然资源）在云阳县没有对应单位" in section


def test_an_exception_that_names_no_standard_unit_is_reported(tmp_path):
    """A typo in 不设 (县规划局 is no standard unit of 云阳县) is LS217 at its place; 不设 beside a declared unit
    (县民政局) is LS216."""
    from draftkit import scratch_corpus

    comp = scratch_corpus(tmp_path, {"units/云阳县-例外.units": "辖区 云阳县 {\n  不设 县规划局、县民政局\n}\n"})
    found = {d.code: d for d in comp.diagnostics() if d.span and d.span.file.endswith("云阳县-例外.units")}
    assert set(found) == {"LS216", "LS217"}
    assert "县规划局" in found["LS217"].zh and found["LS217"].span.line == 2
    assert "不设 县民政局" in found["LS216"].zh
    assert comp.corpus.unit("云阳县/县民政局") is not None  # the declared unit is kept


def test_an_unknown_unit_of_a_policy_whose_jurisdiction_is_unknown_too_is_told_where_to_declare_both(tmp_path):
    """An imported draft checked without its units draft: its 辖区 is unknown (LS206), so the hint for its unknown
    发文机关 cannot name a jurisdiction (it printed 辖区「None」)."""
    from luoshi.driver.project import Project

    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "t.policy").write_text(
        '政策 ngzs {\n  标题 "天河区幼儿园招生工作方案"\n  发文机关 广州市天河区教育局\n  辖区 天河区\n  层级 县级\n}\n',
        encoding="utf-8")
    project = Project(root=tmp_path, policies=tmp_path / "policies", output=tmp_path / "build", standard_units=False)
    found = {d.code: d for d in compile_paths(None, project).sink.items}
    assert "LS206" in found
    hint = f"{found['LS201'].hint_zh} {found['LS201'].hint_en}"
    assert "None" not in hint and "声明本政策的辖区" in hint


_RING_UNITS = '''角色 民政 "民政部门"
角色 联席 "联席会议"
辖区 云阳县 {
  类型 县 层级 县级
  单位 县民政局 角色 民政
  群组 甲组 角色 联席
    成员 乙组、县民政局
  群组 乙组 角色 联席
    成员 丙组
  群组 丙组 角色 联席
    成员 甲组
  群组 丁组 角色 联席
    成员 丁组、甲组
}
'''


def test_a_ring_of_members_is_one_located_error_naming_it(tmp_path, monkeypatch):
    """A group among its own members, through others (甲组 → 乙组 → 丙组 → 甲组) or directly (丁组 成员 丁组), is one
    LS222 per ring on the 成员 entry closing it, naming the ring; that entry is cut, so the model has no ring and
    丁组's other members (甲组, whose ring is reported once) are kept."""
    from helpers import compile_texts

    monkeypatch.chdir(tmp_path)
    comp = compile_texts(tmp_path, {"a.units": _RING_UNITS, "p.policy":
                                    '政策 p {\n  辖区 云阳县\n  任务 1 "排查" {\n    负责 甲组\n  }\n}\n'}, registry=False)
    found = [(d.code, d.span.file, d.span.line, d.en) for d in comp.diagnostics() if d.span]
    assert found == [("LS222", "policies/a.units", 11, "the members form a ring: 甲组 → 乙组 → 丙组 → 甲组"),
                     ("LS222", "policies/a.units", 13, "the members form a ring: 丁组 → 丁组")]
    members = {u.name: [comp.corpus.unit(m).name for m in u.members] for u in comp.corpus.units if u.name.endswith("组")}
    assert members == {"甲组": ["乙组", "县民政局"], "乙组": ["丙组"], "丙组": [], "丁组": ["甲组"]}


def test_a_long_chain_of_groups_closing_a_ring_is_walked_without_recursion(tmp_path, monkeypatch):
    """3,000 groups each the member of the one before, the last holding the first: one LS222, found quickly."""
    from helpers import compile_texts

    n = 3000
    groups = "".join(f"  群组 组{i} 角色 联席\n    成员 组{(i + 1) % n}\n" for i in range(n))
    monkeypatch.chdir(tmp_path)
    comp = compile_texts(tmp_path, {"a.units": f'角色 联席 "联席会议"\n辖区 云阳县 {{\n  类型 县 层级 县级\n{groups}}}\n'},
                         registry=False)
    found = [d for d in comp.diagnostics() if d.code == "LS222"]
    assert len(found) == 1 and found[0].en.startswith("the members form a ring: 组0 → 组1 → ") and found[0].en.endswith("组2999 → 组0")
