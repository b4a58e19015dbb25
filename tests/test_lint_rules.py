"""The lint rules, one small in-memory corpus per case: every rule's documented example triggers it and its fix
does not, and each rule has further positive and negative cases for the readings the docs promise."""

from __future__ import annotations

import pytest

from luoshi.diagnostics.codes import CODES
from luoshi.lint import LintConfig, lint
from luoshi.lint.config import lint_codes
from luoshi.lint.docs import compile_example, example_findings
from luoshi.lint.rule import RULES
from luoshi.lint.ruledocs import CHECK_DOCS, DOCS, doc

CITY = '政策 city {{\n  成文日期 2018年11月12日\n  辖区 重庆市\n{body}}}\n'
COUNTY = '政策 county {{\n  成文日期 2019年2月28日\n  辖区 云阳县\n  落实 city\n{body}}}\n'
LOCAL = COUNTY.replace("  落实 city\n", "")  # a county policy on its own


def findings(text: str, code: str | None = None, registry: bool = True, config: LintConfig | None = None):
    comp = compile_example(text, registry)
    assert not comp.sink.has_errors(), [d.zh for d in comp.sink]
    found = lint(comp.corpus, comp.sources, config).diagnostics
    return [d for d in found if code is None or d.code == code]


def chain(parent: str, child: str) -> str:
    return CITY.format(body=parent) + COUNTY.format(body=child)


# ── the registry of rules and their documentation ──

def test_every_lint_code_has_a_rule_or_a_mechanism_and_a_doc():
    ruled = {r.code for r in RULES}
    assert ruled == {c for c in lint_codes() if not c.startswith("LS39")}
    assert {d.code for d in DOCS} == set(lint_codes())
    for code in lint_codes():
        c = CODES[code]
        assert c.zh and c.en and c.name
        described = doc(code)
        assert described.bad and described.good, f"{code}: the docs need an example and its fix"
        assert (described.kind == "config") == (code == "LS392"), code
    assert all(not d.code.startswith("LS3") and d.bad and d.good for d in CHECK_DOCS)


@pytest.mark.parametrize("rule_doc", [*DOCS, *CHECK_DOCS], ids=lambda d: d.code)
def test_documented_example_triggers_the_rule_and_its_fix_does_not(rule_doc):
    bad, _ = example_findings(rule_doc)
    assert bad, f"{rule_doc.code}: the documented example does not trigger it"
    assert example_findings(rule_doc, fixed=True)[0] == []
    for d in bad:
        assert d.severity is CODES[d.code].severity
        if d.code.startswith("LS3") and d.code != "LS392":  # every lint message says what was found, then what to do
            what, todo = d.zh.split("；", 1)
            assert what and todo and "; " in d.en


# ── within one policy ──

def test_ls301_units_of_sub_tasks_cover_their_measure_and_clauses_need_none():
    text = LOCAL.format(body='  阶段 1 "精准对象阶段" {\n    任务 1.1 "调查摸底" { 负责 "各乡镇、街道" }\n  }\n'
                              '  条款 2 "指导思想" { 原文 """指导思想。""" }\n')
    assert findings(text, "LS301") == []
    text = LOCAL.format(body='  阶段 1 "精准对象阶段" {\n    任务 1.1 "调查摸底" { 原文 """调查。""" }\n  }\n')
    assert [d.zh.split(" ")[0] for d in findings(text, "LS301")] == ["county:1「精准对象阶段」", "county:1.1「调查摸底」"]


def test_ls302_group_lead_and_co_responsible_units_but_not_collectives_or_inherited_leads():
    group = '角色 民政 "民政"\n辖区 云阳县 { 类型 县 层级 县级\n  单位 县民政局 角色 民政\n  单位 县财政局\n  群组 县联席会议成员单位 成员 县民政局、县财政局\n}\n'
    assert findings(group + '政策 p { 辖区 云阳县 任务 1 "甲" { 牵头 县联席会议成员单位 } }', "LS302", registry=False)
    collectives = '政策 p { 辖区 重庆市 任务 1 "甲" { 负责 各区县政府、市民政局 } }'
    assert findings(collectives, "LS302") == []
    inherited = '政策 p { 辖区 云阳县 任务 1 "甲" { 牵头 县民政局 任务 1.1 { 负责 县财政局、县残联 } } }'
    assert findings(inherited, "LS302") == []


def test_ls303_superior_units_but_not_descendants():
    text = '政策 p { 辖区 云阳县 任务 1 "甲" { 牵头 县民政局 配合 市财政局 目标 人数 至少 1人 范围 "各乡镇、街道" } }'
    [d] = findings(text, "LS303")
    assert "市财政局" in d.zh and "上级辖区「重庆市」" in d.zh


def test_ls304_reports_once_on_the_measure_and_reads_group_members():
    text = '政策 p { 辖区 云阳县 任务 1 "甲" { 牵头 县民政局 配合 县民政局 任务 1.1 { 原文 """乙""" } } }'
    assert [d.span.line for d in findings(text, "LS304")] == [1]
    assert len(findings(text, "LS304")) == 1  # the sub-task inherits both roles: not reported again
    group = '角色 民政 "民政"\n辖区 云阳县 { 类型 县 层级 县级\n  单位 县民政局 角色 民政\n  单位 县财政局\n  群组 县联席会议成员单位 成员 县民政局、县财政局\n}\n'
    assert findings(group + '政策 p { 辖区 云阳县 任务 1 "甲" { 牵头 县民政局 配合 县联席会议成员单位 } }', "LS304", registry=False)
    others = group + '政策 p { 辖区 云阳县 任务 1 "甲" { 牵头 县民政局 配合 县联席会议其他成员单位 } }'
    assert findings(others, "LS304", registry=False) == []


def test_ls305_sub_task_past_its_phase_and_targets_before_the_issue_date():
    text = LOCAL.format(body='  阶段 1 "排查" {\n    负责 "各乡镇、街道"\n    时限 2019年4月至2019年8月底\n'
                              '    任务 1.1 "摸底" { 时限 2019年10月底前 }\n  }\n'
                              '  任务 2 "供养" { 牵头 县民政局 目标 集中供养率 达到 40% 截至 2018年底 }\n')
    messages = [d.zh for d in findings(text, "LS305")]
    assert any("晚于所属的 county:1" in m for m in messages) and any("早于本政策成文日期" in m for m in messages)


def test_ls305_tasks_past_the_end_of_the_policy_phases():
    text = LOCAL.format(
        body='  阶段 1 "部署" { 负责 "各乡镇、街道" 时限 2019年3月底前 }\n'
             '  任务 2 "供养" { 牵头 县民政局 时限 2020年底前 }\n')
    [d] = findings(text, "LS305")
    assert "实施步骤的结束日期 2019-03-31" in d.zh


def test_ls306_overlap_and_meeting_phases():
    phases = '  阶段 1 "甲" {{ 负责 "各乡镇、街道" 时限 2019年3月底前 }}\n  阶段 2 "乙" {{ 负责 "各乡镇、街道" 时限 {second} }}\n'
    text = LOCAL
    assert "重叠" in findings(text.format(body=phases.format(second="2019年3月至2019年8月底")), "LS306")[0].zh
    assert findings(text.format(body=phases.format(second="2019年4月至2019年8月底")), "LS306") == []


def test_ls307_duplicates_conflicts_and_ranges():
    body = '  任务 1 "甲" {{ 牵头 县民政局 目标 供养率 {a} 目标 供养率 {b} }}\n'
    text = LOCAL
    assert "重复" in findings(text.format(body=body.format(a="达到 40%", b="达到 40%")), "LS307")[0].zh
    assert "冲突" in findings(text.format(body=body.format(a="达到 40%", b="不高于 30%")), "LS307")[0].zh
    assert findings(text.format(body=body.format(a="达到 40%", b="不高于 60%")), "LS307") == []


# ── along the chain ──

PARENT_WITH_SUBTASKS = ('  任务 1 "供养" {\n    牵头 市民政局\n    任务 1.1 "甲" { 原文 """甲""" }\n    任务 1.2 "乙" { 原文 """乙""" }\n  }\n'
                        '  任务 2 "资金" { 负责 市财政局 }\n')


def test_ls310_reports_the_parts_left_out_and_honours_waivers_with_reasons():
    child = '  任务 1 "甲" { 牵头 县民政局 落实 city:1.1 }\n'
    missing = {d.zh.split("没有落实 ")[1].split("「")[0] for d in findings(chain(PARENT_WITH_SUBTASKS, child), "LS310")}
    assert missing == {"city:1.2", "city:2"}
    waived = child + '  不予落实 city:1.2、2 "本县另行部署"\n'
    assert findings(chain(PARENT_WITH_SUBTASKS, waived), "LS310") == []
    blank = child + '  不予落实 city:1.2、2 ""\n'
    assert len(findings(chain(PARENT_WITH_SUBTASKS, blank), "LS310")) == 2
    assert any("没有写明理由" in d.zh for d in findings(chain(PARENT_WITH_SUBTASKS, blank), "LS320"))
    whole = chain(PARENT_WITH_SUBTASKS, '  任务 1 "甲" { 牵头 县民政局 落实 city:1 }\n  任务 2 "乙" { 负责 县财政局 落实 city:2 }\n')
    assert findings(whole, "LS310") == []


def test_ls311_lower_governments_map_to_townships_or_the_county_office():
    parent = '  任务 1 "平台" { 牵头 各区县政府 }\n'
    for lead in ('"各乡镇、街道"', "县政府办公室"):
        assert findings(chain(parent, f'  任务 1 "平台" {{ 牵头 {lead} 落实 city:1 }}\n'), "LS311") == []
    [d] = findings(chain(parent, '  任务 1 "平台" { 牵头 县民政局 落实 city:1 }\n'), "LS311")
    assert "各区县政府" in d.zh and d.related and d.related[0].span.line == 4


def test_ls311_co_responsible_units_answer_when_the_child_names_no_lead():
    parent = '  任务 1 "低保" { 牵头 市民政局 配合 市财政局 }\n'
    assert findings(chain(parent, '  任务 1 "低保" { 负责 县民政局、县财政局 落实 city:1 }\n'), "LS311") == []


def test_ls311_ls312_the_child_issuer_organises_its_own_document():
    parent = '  任务 1 "低保" { 牵头 市民政局 配合 市财政局 }\n'
    child = '  任务 1 "低保" { 负责 "各乡镇、街道" 落实 city:1 }\n'
    text = chain(parent, child)
    assert findings(text, "LS311") and len(findings(text, "LS312")) == 2
    issued = text.replace("  辖区 云阳县\n", "  辖区 云阳县\n  发文机关 县民政局\n")
    assert findings(issued, "LS311") == [] and "市财政局" in findings(issued, "LS312")[0].zh
    assert len(findings(issued, "LS312")) == 1


def test_ls312_counts_every_child_task_implementing_the_parent_task():
    parent = '  任务 1 "救灾" { 牵头 市应急局 配合 市财政局、市残联 }\n'
    split = ('  任务 1 "救灾" { 牵头 县应急局 配合 县财政局 落实 city:1 }\n'
             '  任务 2 "助残" { 牵头 县残联 落实 city:1 }\n')
    assert findings(chain(parent, split), "LS312") == []
    [d] = findings(chain(parent, '  任务 1 "救灾" { 牵头 县应急局 配合 县财政局 落实 city:1 }\n'), "LS312")
    assert "市残联" in d.zh and d.related[0].span.line == 4


def test_ls313_only_units_with_no_parent_counterpart():
    parent = '  任务 1 "低保" { 牵头 市民政局 配合 市财政局 }\n'
    assert findings(chain(parent, '  任务 1 "低保" { 牵头 县民政局 配合 县财政局 落实 city:1 }\n'), "LS313") == []
    [d] = findings(chain(parent, '  任务 1 "低保" { 牵头 县民政局 配合 县财政局、县残联 落实 city:1 }\n'), "LS313")
    assert "县残联" in d.zh and d.severity.value == "info"


@pytest.mark.parametrize("parent,child,weaker", [
    ("不高于 15%", "不高于 20%", True),
    ("控制在 15%", "不高于 10%", False),
    ("提高 10% 截至 2020年底", "提高 5% 截至 2020年底", True),
    ("达到 50% 截至 2020年底", "达到 50% 截至 2021年底", True),
    ("达到 50% 截至 2020年底", "= 60% 截至 2019年底", False),
    ("清零", "清零", False),
])
def test_ls314_target_strength(parent, child, weaker):
    text = chain(f'  任务 1 "甲" {{ 牵头 市民政局 目标 指标 {parent} }}\n',
                 f'  任务 1 "甲" {{ 牵头 县民政局 落实 city:1 目标 指标 {child} }}\n')
    assert bool(findings(text, "LS314")) is weaker


def test_ls315_a_target_in_a_sub_task_carries_the_parent_target():
    text = chain('  任务 1 "甲" { 牵头 市民政局 目标 指标 达到 50% }\n',
                 '  任务 1 "甲" { 牵头 县民政局 落实 city:1 任务 1.1 { 目标 指标 达到 50% } }\n')
    assert findings(text, "LS315") == []


@pytest.mark.parametrize("parent,child,later", [
    ("时限 2018—2020年", "时限 2019年至2020年", True),
    ("时限 2018—2020年", "时限 2018年至2020年", False),
    ('时限 从 "受理" 到 "发放" 不超过 3个工作日', '时限 从 "受理" 到 "发放" 不超过 5日', True),
    ('时限 从 "受理" 到 "发放" 不超过 5日', '时限 从 "受理" 到 "发放" 不超过 3个工作日', False),
    ("时限 每半年1次", "时限 每年1次", True),
    ("时限 每年1次", "时限 每季度", False),
    ("期限 6个月", "期限 3个月", True),
    ("期限 不超过1年", "期限 不超过6个月", False),
    ("期限 不超过6个月", "期限 不超过1年", True),
])
def test_ls316_deadlines_and_terms(parent, child, later):
    text = chain(f'  任务 1 "甲" {{ 牵头 市民政局 {parent} }}\n', f'  任务 1 "甲" {{ 牵头 县民政局 落实 city:1 {child} }}\n')
    assert bool(findings(text, "LS316")) is later
    assert findings(text, "LS317") == []


def test_ls317_terms_and_ongoing_work_are_carried_down():
    text = chain('  任务 1 "甲" { 牵头 市民政局 期限 6个月 时限 持续 }\n', '  任务 1 "甲" { 牵头 县民政局 落实 city:1 }\n')
    assert len(findings(text, "LS317")) == 2
    text = chain('  任务 1 "甲" { 牵头 市民政局 时限 持续 }\n', '  任务 1 "甲" { 牵头 县民政局 落实 city:1 时限 每月 }\n')
    assert findings(text, "LS317") == []


def test_ls318_needs_both_dates():
    text = '政策 a { 辖区 重庆市 任务 1 "甲" { 牵头 市民政局 } }\n政策 b { 辖区 云阳县 成文日期 2000年1月1日 落实 a 任务 1 "甲" { 牵头 县民政局 落实 a:1 } }'
    assert findings(text, "LS318") == []


def test_ls319_task_links_count_and_the_cycle_is_spelled_out():
    text = ('政策 a { 辖区 重庆市 任务 1 "甲" { 牵头 市民政局 落实 c:1 } }\n'
            '政策 b { 辖区 云阳县 落实 a 任务 1 "甲" { 牵头 县民政局 } }\n'
            '政策 c { 辖区 云阳县 落实 b 任务 1 "甲" { 牵头 县民政局 } }\n')
    [d] = findings(text, "LS319")
    assert "a → c → b → a" in d.zh


def test_ls320_clauses_and_waivers_of_implemented_or_foreign_tasks():
    parent = '  条款 1 "指导思想" { 原文 """指导。""" }\n  任务 2 "甲" { 牵头 市民政局 }\n'
    child = '  任务 1 "甲" { 牵头 县民政局 落实 city:1、2 }\n  不予落实 city:2 "另行部署"\n'
    messages = [d.zh for d in findings(chain(parent, child), "LS320")]
    assert any("是条款" in m for m in messages) and any("既被 county:1 落实" in m for m in messages)


# ── corpus hygiene ──

def test_ls330_members_and_parents_of_used_units_count_as_used():
    text = ('辖区 云阳县 { 类型 县 层级 县级\n  单位 县人力社保局\n  单位 县就业中心 隶属 县人力社保局\n'
            '  单位 县民政局\n  群组 县联席会议成员单位 成员 县民政局\n  单位 县统计局\n}\n'
            '政策 p { 辖区 云阳县 任务 1 "甲" { 牵头 县联席会议成员单位 配合 县就业中心 } }\n')
    assert [d.zh.split("」")[0] for d in findings(text, "LS330", registry=False)] == ["单位「县统计局"]


def test_ls331_namesakes_with_one_role_are_counterparts_not_collisions():
    text = ('角色 有关单位 "有关单位"\n辖区 重庆市 { 类型 直辖市 层级 市级 集体 有关单位 角色 有关单位 }\n'
            '辖区 云阳县 { 类型 县 层级 县级 上级 重庆市 集体 有关单位 角色 有关单位 }\n')
    assert findings(text, "LS331", registry=False) == []
    roles = '角色 民政 "民政" 别名 民政部门\n角色 民政部门 "另一个"\n'
    assert findings(roles, "LS331", registry=False)


def test_ls332_a_policy_implemented_by_another_is_not_isolated():
    text = '政策 a { 辖区 重庆市 任务 1 "甲" { 牵头 市民政局 } }\n政策 b { 辖区 云阳县 落实 a 任务 1 "甲" { 牵头 县民政局 落实 a:1 } }'
    assert findings(text, "LS332") == []


# ── suppressions ──

BAD_LEAD = '政策 p {{ 辖区 云阳县 落实 d\n{before}  任务 1 "甲" {{\n    负责 县民政局、县财政局{after}\n  }}\n}}\n文件 d {{ 文号 "x" }}\n'


def test_suppression_on_the_line_before_or_at_the_end_with_several_codes():
    before = BAD_LEAD.format(before="", after=" 配合 县民政局  # luoshi: ignore[LS302, LS304] 原文未指定牵头单位")
    assert findings(before, "LS302") == [] and findings(before, "LS304") == [] and findings(before, "LS391") == []
    comp = compile_example(before)
    assert [(d.code, reason) for d, reason in lint(comp.corpus, comp.sources).suppressed] == [
        ("LS302", "原文未指定牵头单位"), ("LS304", "原文未指定牵头单位")]
    own_line = '政策 p { 辖区 云阳县\n  任务 1 "甲" {\n    # luoshi: ignore[LS302] 原文未指定\n\n    负责 县民政局、县财政局\n  }\n}\n'
    assert findings(own_line, "LS302") == []


def test_suppression_problems_are_reported():
    no_reason = BAD_LEAD.format(before="", after="  # luoshi: ignore[LS302]")
    assert findings(no_reason, "LS302") and findings(no_reason, "LS390")
    unknown = BAD_LEAD.format(before="", after="  # luoshi: ignore[LS999] 理由")
    assert "LS999" in findings(unknown, "LS391")[0].zh
    quoted = '政策 p { 辖区 云阳县 原文 """# luoshi: ignore[LS302] 这是原文""" 任务 1 "甲" { 负责 县民政局、县财政局 } }'
    assert findings(quoted, "LS302") and findings(quoted, "LS391") == []


# ── configuration ──

def test_config_disables_rules_changes_severity_and_ignores_per_file(tmp_path):
    text = BAD_LEAD.format(before="", after="")
    assert findings(text, "LS302", config=LintConfig(disable=("ambiguous-lead",))) == []
    assert findings(text, "LS302", config=LintConfig(enable=("LS31",))) == []
    [d] = findings(text, "LS302", config=LintConfig(severity=(("LS30", CODES["LS310"].severity),)))
    assert d.severity.value == "error"
    assert findings(text, "LS302", config=LintConfig(per_file_ignores=(("example.*", ("LS302",)),))) == []
    assert findings(text, "LS302", config=LintConfig(per_file_ignores=(("other.policy", ("LS302",)),)))
