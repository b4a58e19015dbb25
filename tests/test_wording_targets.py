"""Targets as the documents print them (issue 24, item 2): a target over a period (「“十四五”期间…稳定在170万亩以上」,
期间 / 累计) and targets with no number (「粮食种植面积不减少、产能有提升，产量不下降」). Each wording is read out of a sentence copied from the corpus (tests/fixtures/wording/), encoded as an
encoder would write it, and checked in the model, in the wording the tables and checklists print and through
`unparse`."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from helpers import codes, compile_texts
from luoshi.backends.checklist import build_checklist
from luoshi.backends.wording import goal_zh, target_zh
from luoshi.driver.pipeline import Compilation
from luoshi.model import Comparator, GoalKind, Task
from luoshi.semantics.graph import build_graph
from luoshi.syntax.astbuild import read_fragment
from luoshi.syntax.unparse import target as target_text

FIXTURES = Path(__file__).parent / "fixtures" / "wording"


def _sentence(name: str, pattern: str) -> re.Match[str]:
    m = re.search(pattern, (FIXTURES / name).read_text(encoding="utf-8"))
    assert m, f"{pattern} not in {name}"
    return m


def _one_task(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> tuple[Compilation, Task | None]:
    monkeypatch.chdir(tmp_path)
    comp = compile_texts(tmp_path, {"a.policy": f'政策 a {{ 辖区 云阳县 成文日期 2021年6月2日\n 任务 1 "甲" {{\n'
                                                 f' 牵头 县农业农村委\n{body}\n}} }}'})
    policy = comp.corpus.policy("a") if comp.corpus else None
    return comp, policy.task("1") if policy else None


def test_target_over_the_plan_as_printed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """「“十四五”期间粮食生产面积稳定在170万亩以上」: at least 170万亩 in each year of 2021–2025 — not "= 170" and not a
    single date; the target is due at the period's end, and prints back as the document printed it."""
    m = _sentence("grain-area.txt", r"(“十四五”期间)(粮食生产面积)稳定在(\d+)(万亩)(以上)")
    comp, task = _one_task(tmp_path, monkeypatch, f"目标 {m.group(2)} 稳定在 {m.group(3)}{m.group(4)} {m.group(5)} "
                                                  f"期间 {m.group(1)}")
    assert codes(comp) == []
    assert task is not None
    [t] = task.targets
    assert (t.comparator, t.value, t.unit) == (Comparator.GE, float(m.group(3)), m.group(4))
    assert t.over is not None
    assert (t.over.start, t.over.end, t.over.cumulative) == (dt.date(2021, 1, 1), dt.date(2025, 12, 31), False)
    assert t.by == dt.date(2025, 12, 31)
    assert target_zh(t) == m.group(0)
    assert "over" not in task.targets[0].model_copy(update={"over": None}).model_dump()  # others' model unchanged


@pytest.mark.parametrize(("written", "start", "end", "cumulative"), [
    ('期间 "十四五"', dt.date(2021, 1, 1), dt.date(2025, 12, 31), False),
    ("累计 2021—2025年", dt.date(2021, 1, 1), dt.date(2025, 12, 31), True),
    ("期间 2021年7月至2035年底", dt.date(2021, 7, 1), dt.date(2035, 12, 31), False),
    ("over 十三五时期", dt.date(2016, 1, 1), dt.date(2020, 12, 31), False),
])
def test_period_forms(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written: str, start: dt.date, end: dt.date,
                      cumulative: bool) -> None:
    comp, task = _one_task(tmp_path, monkeypatch, f"目标 新增高标准农田 达到 13万亩 {written}")
    assert codes(comp) == []
    assert task is not None
    over = task.targets[0].over
    assert over is not None and (over.start, over.end, over.cumulative) == (start, end, cumulative)


def test_cumulative_wording() -> None:
    """累计 2021—2025年 prints as 「2021—2025年累计新增…」, the document's order."""
    from luoshi.model import Target, TargetPeriod
    from luoshi.syntax.source import Span

    span = Span(file="x", line=1, column=1, end_line=1, end_column=2)
    t = Target(metric="新增高标准农田", comparator=Comparator.GE, value=13, unit="万亩", written_comparator="达到",
               by=dt.date(2025, 12, 31), written="", span=span,
               over=TargetPeriod(start=dt.date(2021, 1, 1), end=dt.date(2025, 12, 31), cumulative=True,
                                 written="2021—2025年"))
    assert target_zh(t) == "2021—2025年累计新增高标准农田达到13万亩"


def test_a_period_that_ends_before_it_starts_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    comp, task = _one_task(tmp_path, monkeypatch, "目标 面积 达到 13万亩 期间 2025年至2021年")
    [d] = comp.diagnostics()
    assert d.code == "LS212" and "2021-12-31" in d.zh
    assert task is not None and task.targets == ()


@pytest.mark.parametrize("written", ['期间 "十四五"', "期间 “十四五”期间", "累计 2021—2025年", "期间 2021年至2035年底"])
def test_unparse_keeps_the_printed_period(written: str) -> None:
    t = read_fragment("target", f"目标 面积 稳定在 170万亩 以上 {written}")
    assert target_text(t) == f"目标 面积 稳定在 170万亩 以上 {written}"
    assert read_fragment("target", target_text(t)) == t


def test_targets_without_a_number_as_printed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """「确保本市粮食种植面积不减少、产能有提升，产量不下降」: three targets with no number — each a goal on the
    lead's checklist, printed back as the document prints it, and none a figure for the compliance checks."""
    m = _sentence("grain-area.txt", r"确保本市(粮食种植面积)(不减少)、(产能)(有提升)，(产量)(不下降)")
    pairs = [(m.group(i), m.group(i + 1)) for i in (1, 3, 5)]
    body = "\n".join(f"目标 {metric} {word} 期间 “十四五”期间" if metric == "产能" else f"目标 {metric} {word}"
                     for metric, word in pairs)
    comp, task = _one_task(tmp_path, monkeypatch, body)
    assert codes(comp) == []
    assert task is not None and task.targets == ()
    assert [(g.metric, g.word, g.kind) for g in task.goals] == [
        ("粮食种植面积", "不减少", GoalKind.HOLD), ("产能", "有提升", GoalKind.IMPROVE), ("产量", "不下降", GoalKind.HOLD)]
    assert [goal_zh(g) for g in task.goals] == ["粮食种植面积不减少", "“十四五”期间产能有提升", "产量不下降"]
    assert task.goals[1].by == dt.date(2025, 12, 31)
    assert comp.corpus is not None
    [item] = build_checklist(build_graph(comp.corpus), "云阳县/县农业农村委").items
    assert item.targets == "粮食种植面积不减少；“十四五”期间产能有提升；产量不下降"
    assert "goals" not in task.model_copy(update={"goals": ()}).model_dump()  # others' model unchanged


@pytest.mark.parametrize(("written", "word"), [("不减少", "不减少"), ("明显提升", "明显提升"), ("全覆盖", "全覆盖"),
                                               ("no_decrease", "不减少"), ("full_coverage", "全覆盖")])
def test_unparse_keeps_the_printed_word(written: str, word: str) -> None:
    t = read_fragment("target", f"目标 绿色账户覆盖 {written} 截至 2017年底")
    assert target_text(t) == f"目标 绿色账户覆盖 {word} 截至 2017年底"
    assert read_fragment("target", target_text(t)).rule == t.rule


FENGXIAN = '''辖区 上海市 { 类型 直辖市 层级 市级 }
辖区 奉贤区 {
  类型 区 层级 县级 上级 上海市
  单位 区应急管理局
  单位 头桥集团
  集体 各镇政府 角色 下级政府 成员 南桥镇人民政府、庄行镇人民政府
  集体 街道办事处 角色 下级政府 成员 西渡街道办事处
  辖区 南桥镇 { 类型 镇 层级 乡级 单位 南桥镇人民政府 }
  辖区 庄行镇 { 类型 镇 层级 乡级 单位 庄行镇人民政府 }
  辖区 西渡街道 { 类型 街道 层级 乡级 单位 西渡街道办事处 }
}
'''


def test_shared_target_as_printed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """「到2025年，全区建成等级应急避难场所避难面积达到87.75万平方米」, met by 「各镇政府、街道(开发区)办事处、
    头桥集团按区下达的目标任务」: one figure for the district, the towns, streets and 头桥集团 together (范围 … 合计)
    — one compliance check, where without 合计 each of the four places is checked against the whole figure."""
    from luoshi.comply.checks import compile_plan

    m = _sentence("shelter-area.txt", r"(到2025年)，全区(建成等级应急避难场所避难面积)达到([\d.]+)(万平方米)")
    owners = _sentence("shelter-area.txt", r"(各镇政府)、(街道)\(开发区\)(办事处)、(头桥集团)按区下达的目标任务")
    scope = f"{owners.group(1)}、{owners.group(2)}{owners.group(3)}、{owners.group(4)}"
    monkeypatch.chdir(tmp_path)
    plans = {}
    for shared in (True, False):
        target = f"目标 {m.group(2)} 达到 {m.group(3)}{m.group(4)} {m.group(1)} 范围 {scope}" + (" 合计" if shared else "")
        comp = compile_texts(tmp_path, {"fx.units": FENGXIAN, "a.policy": f'政策 a {{ 辖区 奉贤区 成文日期 2021年6月1日\n'
                                        f' 任务 1 "建设" {{ 牵头 区应急管理局\n {target}\n }} }}'})
        assert codes(comp) == []
        assert comp.corpus is not None
        policy = comp.corpus.policy("a")
        task = policy.task("1") if policy else None
        assert task is not None
        [t] = task.targets
        assert t.shared is shared and len(t.scope) == 3
        plans[shared] = [c for c in compile_plan(comp.corpus).checks if c.kind.value == "target"]
        if shared:
            assert target_zh(t) == (f"{m.group(2)}达到{m.group(3)}{m.group(4)}（范围：各镇政府、街道办事处、头桥集团合计；"
                                    "2025年底前）")
            assert read_fragment("target", target_text(read_fragment("target", target))).shared
        else:
            assert "shared" not in t.model_dump()  # others' model unchanged
    assert [(c.scope, c.scope_label, c.threshold) for c in plans[True]] == [
        (None, "各镇政府、街道办事处、头桥集团合计", 87.75)]
    assert len(plans[False]) == 4  # 南桥镇, 庄行镇, 西渡街道, 头桥集团: each against the whole figure


def test_task_referred_to_by_its_printed_number(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """「二、主要任务 … （五）规范土地流转管理」: a lower policy writes `落实 p:二（五）`, as offices name the task; it
    links task 2.5, and a printed number with no such task is LS204 saying how it was read."""
    heading = _sentence("task-number.txt", r"^([一二三四五六七八九十]+)、(\S+)")
    item = _sentence("task-number.txt", r"(（[一二三四五六七八九十]+）)(\S+)")
    printed = heading.group(1) + item.group(1)
    monkeypatch.chdir(tmp_path)
    upper = (f'政策 p {{ 辖区 云阳县 成文日期 2021年6月2日\n 部分 2 "{heading.group(2)}" {{\n'
             f'  任务 2.5 "{item.group(2)}" {{ 牵头 县民政局 }} }} }}')
    for ref, expected in ((printed, ["p", "2.5"]), ("二（六）", None)):
        lower = f'政策 q {{ 辖区 云阳县 成文日期 2021年7月1日 落实 p\n 任务 1 "甲" {{ 牵头 县民政局 落实 p:{ref} }} }}'
        comp = compile_texts(tmp_path, {"p.policy": upper, "q.policy": lower})
        if expected is None:
            [d] = comp.diagnostics()
            assert d.code == "LS204" and "二（六）" in d.zh and "2.6" in d.zh
            continue
        assert codes(comp) == []
        assert comp.corpus is not None
        q = comp.corpus.policy("q")
        task = q.task("1") if q else None
        assert task is not None and [[k.policy, k.task] for k in task.implements] == [expected]
        [ref_node] = [r for p in read_fragment_policy(lower) for r in p]
        assert ref_node.task == printed  # kept as written: `luoshi fmt` does not renumber it


def read_fragment_policy(text: str) -> list[list[object]]:
    """The task-level references of a policy text, as parsed."""
    from luoshi.syntax import ast
    from luoshi.syntax.astbuild import build_ast
    from luoshi.syntax.parse import parser

    unit = build_ast(parser().parse(text), "q.policy", text)
    return [[r for s in i.entries if isinstance(s, ast.Implements) for r in s.refs]
            for p in unit.policies for i in p.body if isinstance(i, ast.Item)]


SHANGHAI = '''角色 下级政府 "下级政府"
辖区 上海市 {
  类型 直辖市 层级 市级
  单位 市农业农村委
  集体 各区政府 角色 下级政府 别名 各区人民政府 成员 浦东新区政府
  辖区 浦东新区 { 类型 区 层级 县级 单位 浦东新区政府 }
}
'''


def test_units_inferred_from_the_addressees(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """「（二）强化目标考核。…」 names no unit; the encoder infers 各区人民政府 from the 主送 line and marks it
    `（据主送）`: the model, the responsibility table and the member's checklist all say so, unlike a named unit."""
    from luoshi.backends.table import build_table

    addressees = _sentence("addressees.txt", r"^(各区人民政府)，")
    task_text = _sentence("addressees.txt", r"（二）(强化目标考核)。")
    monkeypatch.chdir(tmp_path)
    body = (f'政策 a {{ 辖区 上海市 成文日期 2021年6月2日 主送 {addressees.group(1)}\n'
            f' 任务 1 "{task_text.group(1)}" {{ 负责 {addressees.group(1)}（据主送） }}\n'
            f' 任务 2 "乙" {{ 牵头 市农业农村委 }} }}')
    comp = compile_texts(tmp_path, {"sh.units": SHANGHAI, "a.policy": body}, registry=False)
    assert codes(comp) == []
    assert comp.corpus is not None
    policy = comp.corpus.policy("a")
    assert policy is not None
    t1, t2 = policy.task("1"), policy.task("2")
    assert t1 is not None and t2 is not None
    assert [(a.unit.unit, a.inferred) for a in t1.assignments] == [("上海市/各区政府", True)]
    assert "inferred" not in t2.model_dump()["assignments"][0]  # a named unit's model unchanged
    cg = build_graph(comp.corpus)
    [item] = build_checklist(cg, "浦东新区/浦东新区政府").items
    assert item.role == "负责（据主送）"
    rows = {r.task: r for r in build_table(comp.corpus, "a").rows}
    assert [c.written for c in rows["1"].responsible] == ["各区人民政府（据主送）"]
    assert [c.written for c in rows["2"].responsible] == ["市农业农村委"]
    assert read_fragment("unit", "各区政府") is not None
    from luoshi.syntax.unparse import unparse
    from luoshi.syntax.astbuild import build_ast
    from luoshi.syntax.parse import parser

    again = unparse(build_ast(parser().parse(body), "a.policy", body))
    assert "负责 各区人民政府（据主送）" in again


OPEN_REGISTRY = '''角色 下级政府 "下级政府"
角色 有关单位 "有关单位"
辖区 上海市 {
  类型 直辖市 层级 市级
  单位 光明集团
  集体 各涉农区政府 角色 下级政府
  集体 有关单位 角色 有关单位
}
'''


@pytest.mark.parametrize("lead_rule", ["", "牵头规则 首位"])
def test_open_list_as_printed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lead_rule: str) -> None:
    """「各涉农区政府、光明集团等有关单位要…」: written as printed, it reads as docs/encoding.md §4 has encoders write it
    by hand (光明集团, then the collective 有关单位 for the rest of the list) — same units, same roles; pasted under
    牵头规则 首位 the rest cooperate with the lead."""
    m = _sentence("open-list.txt", r"。(各涉农区政府)、(光明集团)等(有关单位)要")
    monkeypatch.chdir(tmp_path)

    def assignments(statement: str) -> list[tuple[str, str, str]]:
        body = f'政策 a {{ 辖区 上海市 {lead_rule}\n 任务 1 "甲" {{ {statement} }} }}'
        comp = compile_texts(tmp_path, {"sh.units": OPEN_REGISTRY, "a.policy": body}, registry=False)
        assert codes(comp) == []
        assert comp.corpus is not None
        policy = comp.corpus.policy("a")
        task = policy.task("1") if policy else None
        assert task is not None
        return [(a.role.value, a.unit.unit, a.unit.written) for a in task.assignments]

    printed = f"{m.group(1)}、{m.group(2)}等{m.group(3)}"
    by_hand = f"{m.group(1)}、{m.group(2)}、{m.group(3)}"
    assert assignments(f"负责 {printed}") == assignments(f"负责 {by_hand}") == [
        ("co_responsible", "上海市/各涉农区政府", "各涉农区政府"), ("co_responsible", "上海市/光明集团", "光明集团"),
        ("co_responsible", "上海市/有关单位", "有关单位")]
    pasted = assignments(f"（责任单位：{m.group(2)}等{m.group(3)}）")
    if lead_rule:
        assert pasted == [("lead", "上海市/光明集团", "光明集团"), ("cooperate", "上海市/有关单位", "有关单位")]
    else:
        assert [r for r, _, _ in pasted] == ["co_responsible", "co_responsible"]


def test_open_list_of_an_unknown_collective_is_located(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    body = '政策 a { 辖区 上海市\n 任务 1 "甲" { 负责 光明集团等有关部门 } }'
    comp = compile_texts(tmp_path, {"sh.units": OPEN_REGISTRY, "a.policy": body}, registry=False)
    [d] = comp.diagnostics()
    assert d.code == "LS201" and "「有关部门」" in d.zh and d.span is not None and d.span.line == 2
