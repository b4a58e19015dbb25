"""The printed wording of the documents, accepted as written and read as the text means (issue 24, item 1).

Each test writes a clause the way a 通知 prints it (沪府办〔2021〕39号 and the seeds) and checks the model it gives;
the wording that is not accepted must name the nearest accepted form, never list every keyword.
"""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.model import AssignmentRole, Comparator, DueDeadline, Frequency, RecurringDeadline

from helpers import codes, compile_texts


def _one_task(tmp_path, monkeypatch, body: str):
    monkeypatch.chdir(tmp_path)
    comp = compile_texts(tmp_path, {"a.policy": f'政策 a {{ 辖区 云阳县 成文日期 2021年3月1日\n 任务 1 "甲" {{\n{body}\n}} }}'})
    policy = comp.corpus.policy("a") if comp.corpus else None
    return comp, policy.task("1") if policy else None


@pytest.mark.parametrize(("written", "frequency", "times"), [
    ("每半年一次", Frequency.HALF_YEARLY, 1),
    ("每半年1次", Frequency.HALF_YEARLY, 1),
    ("每季度", Frequency.QUARTERLY, 1),
    ("每年两次", Frequency.YEARLY, 2),
    ("每月十二次", Frequency.MONTHLY, 12),
])
def test_recurring_as_printed(tmp_path, monkeypatch, written, frequency, times):
    comp, task = _one_task(tmp_path, monkeypatch, f'牵头 县民政局 时限 {written} "监测评价"')
    assert codes(comp) == []
    d = task.deadlines[0]
    assert isinstance(d, RecurringDeadline) and (d.frequency, d.times, d.label) == (frequency, times, "监测评价")


@pytest.mark.parametrize(("written", "end"), [
    ("到2025年", dt.date(2025, 12, 31)),
    ("2025年底前", dt.date(2025, 12, 31)),
    ('到"十四五"末', dt.date(2025, 12, 31)),
    ("到“十三五”期末", dt.date(2020, 12, 31)),
    ("2021年6月底前", dt.date(2021, 6, 30)),
])
def test_deadline_as_printed(tmp_path, monkeypatch, written, end):
    comp, task = _one_task(tmp_path, monkeypatch, f"牵头 县民政局 时限 {written}")
    assert codes(comp) == []
    d = task.deadlines[0]
    assert isinstance(d, DueDeadline) and d.end == end


@pytest.mark.parametrize(("written", "comparator", "value", "unit", "by"), [
    ("粮食生产面积 稳定在 170万亩 以上", Comparator.GE, 170, "万亩", None),
    ("年产量 稳定在 90万吨 以上 到\"十四五\"末", Comparator.GE, 90, "万吨", dt.date(2025, 12, 31)),
    ("品牌化比例 达到 50% 到2025年", Comparator.GE, 50, "%", dt.date(2025, 12, 31)),
    ("品牌化比例 达到 50% 2025年底前", Comparator.GE, 50, "%", dt.date(2025, 12, 31)),
    ("粮食面积 保持 170万亩", Comparator.EQ, 170, "万亩", None),
    ("粮食面积 保持 170万亩 以上", Comparator.GE, 170, "万亩", None),
    ("撂荒率 稳定在 1% 以下", Comparator.LE, 1, "%", None),
    ("撂荒率 稳定在 1%以下", Comparator.LE, 1, "%", None),  # % is a unit alone: the bound after it reads apart
    ("综合保障率 不低于 95%", Comparator.GE, 95, "%", None),
    ("费用占比 控制在 15% 以内", Comparator.LE, 15, "%", None),
])
def test_targets_as_printed(tmp_path, monkeypatch, written, comparator, value, unit, by):
    comp, task = _one_task(tmp_path, monkeypatch, f"牵头 县民政局 目标 {written}")
    assert codes(comp) == []
    t = task.targets[0]
    assert (t.comparator, t.value, t.unit, t.by) == (comparator, value, unit, by)


def test_bound_is_shown_as_printed_in_the_checklist_wording(tmp_path, monkeypatch):
    from luoshi.backends.wording import target_zh

    comp, task = _one_task(tmp_path, monkeypatch, "牵头 县民政局 目标 粮食生产面积 稳定在 170万亩 以上")
    assert target_zh(task.targets[0]) == "粮食生产面积稳定在170万亩以上"


@pytest.mark.parametrize(("glued", "fix"), [
    ("170万亩以上", "稳定在 170万亩 以上"),
    ("170万亩左右", "稳定在 170万亩"),
])
def test_a_unit_that_swallowed_the_bound_is_an_error_with_the_fix(tmp_path, monkeypatch, glued, fix):
    comp, task = _one_task(tmp_path, monkeypatch, f"牵头 县民政局 目标 面积 稳定在 {glued}")
    [d] = comp.diagnostics()
    assert d.code == "LS213" and fix in d.hint_zh
    assert task.targets == ()  # not read as "= 170" of a unit 「万亩以上」


@pytest.mark.parametrize(("pasted", "role"), [
    ("（责任单位：县民政局、县财政局）", AssignmentRole.CO_RESPONSIBLE),
    ("(责任单位:县民政局、县财政局)", AssignmentRole.CO_RESPONSIBLE),
    ("（牵头单位：县民政局）", AssignmentRole.LEAD),
])
def test_pasted_responsibility_clause(tmp_path, monkeypatch, pasted, role):
    comp, task = _one_task(tmp_path, monkeypatch, f'原文 "……适时修订本市基本农田保护规定。" {pasted}')
    assert codes(comp) == []
    assert task.assignments[0].role is role
    assert task.assignments[0].unit.unit == "云阳县/县民政局"


def test_pasted_clause_keeps_subunits(tmp_path, monkeypatch):
    comp, task = _one_task(tmp_path, monkeypatch, "（责任单位：县民政局（县财政局）、县财政局）")
    assert codes(comp) == []
    assert [a.unit.unit for a in task.assignments][:1] == ["云阳县/县民政局"]


@pytest.mark.parametrize(("statement", "hint"), [
    ("目标 占比 不超过 5%", "控制在"),
    ("目标 耕地面积 不走样", "目标 指标 不减少"),
    ("目标 面积 2021年至2035年保持 5%", "期间 2021年至2035年"),
    ("范围 上海市", "辖区本身不是单位"),
])
def test_refused_wording_names_the_nearest_accepted_form(tmp_path, monkeypatch, statement, hint):
    comp, _ = _one_task(tmp_path, monkeypatch, f"牵头 县民政局 {statement}")
    [d] = comp.diagnostics()
    assert d.code == "LS100" and hint in d.hint_zh, d.hint


def test_no_keyword_dump(tmp_path, monkeypatch):
    """Where dozens of keywords could follow, the hint names a few, closest first, and points to the table."""
    comp, _ = _one_task(tmp_path, monkeypatch, "牵头 县民政局 目标 率 达到 50% 在2025年")
    [d] = comp.diagnostics()
    assert d.hint_zh.count("「") <= 6 and "docs/dsl.md" in d.hint_zh


def _lead_rule_policy(tmp_path, monkeypatch, rule: str):
    monkeypatch.chdir(tmp_path)
    head = f"牵头规则 {rule}" if rule else ""
    return compile_texts(tmp_path, {"a.policy": f'''政策 a {{ 辖区 云阳县 {head}
      任务 1 "甲" {{ 原文 "……" （责任单位：县民政局、县财政局） }}
      任务 2 "乙" {{ （责任单位：县财政局） }}
    }}'''})


@pytest.mark.parametrize(("rule", "first", "second", "single"), [
    ("首位", AssignmentRole.LEAD, AssignmentRole.COOPERATE, AssignmentRole.LEAD),
    ("无", AssignmentRole.CO_RESPONSIBLE, AssignmentRole.CO_RESPONSIBLE, AssignmentRole.CO_RESPONSIBLE),
    ("", AssignmentRole.CO_RESPONSIBLE, AssignmentRole.CO_RESPONSIBLE, AssignmentRole.CO_RESPONSIBLE),
])
def test_pasted_clause_is_read_with_the_documents_lead_rule(tmp_path, monkeypatch, rule, first, second, single):
    comp = _lead_rule_policy(tmp_path, monkeypatch, rule)
    assert codes(comp) == []
    p = comp.corpus.policy("a")
    assert [a.role for a in p.task("1").assignments] == [first, second]
    assert [a.role for a in p.task("2").assignments] == [single]
    assert p.lead_rule == (rule or None)
    assert ("lead_rule" in p.model_dump(mode="json")) == bool(rule)  # undeclared: the model's JSON is as before


@pytest.mark.parametrize(("rule", "warned"), [("无", False), ("", True)])
def test_ls302_is_silent_where_the_document_designates_no_lead(tmp_path, monkeypatch, rule, warned):
    from luoshi.lint.engine import lint_corpus

    comp = _lead_rule_policy(tmp_path, monkeypatch, rule)
    found = [d.code for d in lint_corpus(comp.corpus, comp.sources)]
    assert ("LS302" in found) == warned


def test_lead_rule_written_twice_is_reported(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    comp = compile_texts(tmp_path, {"a.policy": '政策 a { 辖区 云阳县 牵头规则 首位 牵头规则 无 }'})
    assert codes(comp) == ["LS214"]


def test_explain_gives_the_suppression_form_and_the_policy_wide_rule():
    from luoshi.lint.docs import explain

    text = explain("ls302")
    assert "# luoshi: ignore[LS302] 理由" in text and "牵头规则 无" in text
    assert "# luoshi: ignore[LS312]" in explain("LS312") and "牵头规则" not in explain("LS312")


def test_a_date_after_a_bare_number_is_never_read_as_its_unit(tmp_path, monkeypatch):
    """`≥ 0 到2025年` once read 「到2025年」 as the unit of 0 (found by the round-trip property test): it is refused
    with its place now; with a unit (`达到 50万户 到2025年`) the 到 date is the target's date."""
    comp, _ = _one_task(tmp_path, monkeypatch, "牵头 县民政局 目标 积压件数 ≥ 0 到2025年")
    assert codes(comp) == ["LS100"]
    comp, task = _one_task(tmp_path, monkeypatch, "牵头 县民政局 目标 覆盖户数 达到 50万户 到2025年")
    assert codes(comp) == [] and task.targets[0].by == dt.date(2025, 12, 31)
    assert (task.targets[0].value, task.targets[0].unit) == (50, "万户")
