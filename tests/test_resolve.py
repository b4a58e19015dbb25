"""The resolver's rules, one small corpus per rule."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi import model
from luoshi.model import (
    AssignmentRole,
    Comparator,
    DueDeadline,
    EventLimitDeadline,
    Frequency,
    OngoingDeadline,
    PeriodDeadline,
    RecurringDeadline,
)

from helpers import codes, compile_texts


@pytest.fixture(autouse=True)
def _checked(monkeypatch):
    """The model each test resolves is also validated, node by node, and must be what validation makes
    (`model.CHECK_TRUSTED`): these corpora reach every branch of the resolver."""
    monkeypatch.setattr(model, "CHECK_TRUSTED", True)


def _task(comp, pid, tid):
    return comp.corpus.policy(pid).task(tid)


def test_units_resolve_in_the_policy_jurisdiction_then_ancestors(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    comp = compile_texts(tmp_path, {"a.policy": '政策 a { 辖区 云阳县 任务 1 "甲" { 牵头 县民政局 配合 市财政局、县财政局 } }'})
    assert codes(comp) == []
    units = [a.unit.unit for a in _task(comp, "a", "1").assignments]
    assert units == ["云阳县/县民政局", "重庆市/市财政局", "云阳县/县财政局"]


def test_same_name_in_two_jurisdictions_resolves_by_the_policy_jurisdiction(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    extra = '辖区 大足区 { 类型 区 层级 县级 上级 重庆市 单位 区民政局 角色 民政 }\n'
    comp = compile_texts(tmp_path, {"dz.units": extra,
                                    "b.policy": '政策 b { 辖区 璧山区 任务 1 "甲" { 牵头 区民政局 } }',
                                    "d.policy": '政策 d { 辖区 大足区 任务 1 "甲" { 牵头 区民政局 } }'})
    assert codes(comp) == []
    assert _task(comp, "b", "1").assignments[0].unit.unit == "璧山区/区民政局"
    assert _task(comp, "d", "1").assignments[0].unit.unit == "大足区/区民政局"


def test_aliases_and_width_folding(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    comp = compile_texts(tmp_path, {"a.policy": '政策 a { 辖区 重庆市 主送 "各区县（自治县）人民政府" 发文机关 重庆市民政局 }'})
    assert codes(comp) == []
    p = comp.corpus.policy("a")
    assert p.addressees[0].unit == "重庆市/各区县政府"
    assert p.addressees[0].written == "各区县（自治县）人民政府"  # kept as written
    assert p.issuers[0].unit == "重庆市/市民政局"


def test_written_form_with_parentheses_is_looked_up_whole_first(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    comp = compile_texts(tmp_path, {"a.policy": '政策 a { 辖区 云阳县 任务 1 "甲" { 负责 各乡镇（街道） } 任务 2 "乙" { 负责 "各乡镇、街道" } }'})
    assert codes(comp) == []
    for tid in ("1", "2"):
        [a] = _task(comp, "a", tid).assignments
        assert a.unit.unit == "云阳县/各乡镇（街道）" and a.unit.subunits == () and a.role is AssignmentRole.CO_RESPONSIBLE


def test_subunits_are_resolved_and_written_form_kept(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    comp = compile_texts(tmp_path, {"a.policy": '政策 a { 辖区 璧山区 任务 13 "甲" { 负责 区人力社保局（区就业人才中心、区社保中心）、区民政局 } }'})
    assert codes(comp) == []
    first, second = _task(comp, "a", "13").assignments
    assert first.unit.written == "区人力社保局（区就业人才中心、区社保中心）"
    assert [s.unit for s in first.unit.subunits] == ["璧山区/区就业人才中心", "璧山区/区社保中心"]
    assert second.unit.unit == "璧山区/区民政局"
    assert comp.corpus.unit("璧山区/区社保中心").part_of == "璧山区/区人力社保局"


def test_other_members_of_a_group(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    comp = compile_texts(tmp_path, {"a.policy": '政策 a { 辖区 璧山区 任务 1 "甲" { 牵头 区民政局 配合 区联席会议其他成员单位 } }'})
    assert codes(comp) == []
    coop = _task(comp, "a", "1").assignments[1]
    assert coop.unit.unit == "璧山区/区联席会议成员单位" and coop.unit.others
    assert comp.corpus.unit("璧山区/区联席会议成员单位").members == ("璧山区/区民政局", "璧山区/区财政局", "璧山区/区人力社保局")


def test_unknown_unit_suggests_close_names(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    comp = compile_texts(tmp_path, {"a.policy": '政策 a { 辖区 云阳县 任务 1 "甲" { 牵头 县民证局 } }'})
    [d] = comp.diagnostics()
    assert d.code == "LS201" and "县民政局" in d.hint_zh


def test_task_links_across_policies_with_inherited_policy(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    comp = compile_texts(tmp_path, {
        "p.policy": '政策 p { 辖区 重庆市 部分 2 "乙" { 任务 2.1 "甲" { 牵头 市民政局 } 任务 2.2 "乙" { 牵头 市民政局 } } }',
        "c.policy": '政策 c { 辖区 云阳县 落实 p 任务 1 "甲" { 牵头 县民政局 落实 p:2.1、2.2 } 任务 2 "乙" { 牵头 县民政局 落实 2.2 } }',
    })
    assert codes(comp) == []
    assert [str(k) for k in _task(comp, "c", "1").implements] == ["p:2.1", "p:2.2"]
    assert [str(k) for k in _task(comp, "c", "2").implements] == ["p:2.2"]  # bare: the only encoded parent
    assert comp.corpus.policy("c").implements == ("p",)


def test_task_link_to_a_declared_document_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    comp = compile_texts(tmp_path, {"c.policy": '文件 ext { 文号 "渝委办发〔2020〕30号" }\n政策 c { 辖区 云阳县 落实 ext 任务 1 "甲" { 牵头 县民政局 落实 ext:1 } }'})
    assert codes(comp) == ["LS204"]


def test_a_duplicated_id_is_one_error_on_each_declaration(tmp_path, monkeypatch):
    """An id declared twice is one LS203 on each declaration, each pointing at the other; the 文号 they share is not
    an LS221 besides, and a 落实 naming a task only the second declaration has is no follow-on LS204: the first
    declaration (in file order) is the one indexed and resolved (docs/rules.md, LS203)."""
    monkeypatch.chdir(tmp_path)
    head = '政策 p {{ 辖区 重庆市 文号 "渝府办发〔2018〕161号" {body} }}'
    comp = compile_texts(tmp_path, {
        "a.policy": head.format(body='任务 1 "甲" { 牵头 市民政局 }'),
        "b.policy": head.format(body='任务 1 "甲" { 牵头 市民政局 } 任务 2 "乙" { 牵头 市民政局 }'),
        "c.policy": '政策 c { 辖区 云阳县 落实 p 任务 1 "甲" { 牵头 县民政局 落实 p:1 } 任务 2 "乙" { 牵头 县民政局 落实 p:2、9 } }',
    })
    found = comp.diagnostics()
    assert [(d.code, d.span.file if d.span else None) for d in found] == [
        ("LS203", "policies/a.policy"), ("LS203", "policies/b.policy")]
    first, second = found
    assert [r.span for r in first.related] == [second.span] and [r.span for r in second.related] == [first.span]
    assert [str(k) for k in _task(comp, "c", "1").implements] == ["p:1"]  # resolved to the first declaration
    assert _task(comp, "c", "2").implements == ()
    assert [t.id for t in comp.corpus.policy("p").tasks] == ["1"]


def test_a_duplicated_seed_header_is_two_errors_not_a_cascade(tmp_path, monkeypatch):
    """161号's header copied into a new file (the round's hostile input): before, one LS203, an LS221 and 43 LS204
    in the policies carrying out 161号's tasks, which the (task-less) first declaration lacks."""
    import shutil

    from luoshi.driver.project import Project
    from luoshi.driver.pipeline import compile_paths

    from conftest import ROOT

    folder = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", folder, ignore=shutil.ignore_patterns(".luoshi*"))
    text = (folder / "yfbf-2018-161.policy").read_text(encoding="utf-8")
    (folder / "a-new.policy").write_text(text[:text.index("部分 2")] + "}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    comp = compile_paths(None, Project(root=tmp_path, policies=folder, output=tmp_path / "build"))
    found = [d for d in comp.diagnostics() if d.severity.name == "ERROR"]
    assert [(d.code, d.span.file if d.span else None) for d in found] == [
        ("LS203", "policies/a-new.policy"), ("LS203", "policies/yfbf-2018-161.policy")]


def test_dates_and_deadlines(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    comp = compile_texts(tmp_path, {"a.policy": '''政策 a { 辖区 云阳县 成文日期 2019 年 2 月 28日
      阶段 4.1 "启动部署阶段" { 时限 2019年3月底前 }
      阶段 4.2 "精准对象阶段" { 时限 2019年4月至2019年8月底 }
      任务 2.4 "医疗" { 牵头 县民政局 时限 2018—2020年 时限 持续 时限 每半年1次 }
      任务 2.8 "临时救助" { 牵头 县民政局 时限 从 "发现、受理" 到 "发放临时救助金" 不超过 3个工作日 期限 6个月 "渐退期" 期限 不超过1年 }
    }'''})
    assert codes(comp) == []
    p = comp.corpus.policy("a")
    assert p.date == dt.date(2019, 2, 28)
    due = p.task("4.1").deadlines[0]
    assert isinstance(due, DueDeadline) and due.end == dt.date(2019, 3, 31)
    d = p.task("4.2").deadlines[0]
    assert isinstance(d, PeriodDeadline) and (d.start, d.end) == (dt.date(2019, 4, 1), dt.date(2019, 8, 31))
    period, ongoing, recurring = p.task("2.4").deadlines
    assert isinstance(period, PeriodDeadline) and (period.start, period.end) == (dt.date(2018, 1, 1), dt.date(2020, 12, 31))
    assert isinstance(ongoing, OngoingDeadline) and ongoing.start is None
    assert isinstance(recurring, RecurringDeadline) and (recurring.frequency, recurring.times) == (Frequency.HALF_YEARLY, 1)
    limit = p.task("2.8").deadlines[0]
    assert isinstance(limit, EventLimitDeadline)
    assert (limit.from_event, limit.to_event, limit.limit_days, limit.working_days) == ("发现、受理", "发放临时救助金", 3, True)
    six, one_year = p.task("2.8").terms
    assert (six.months, six.at_most, six.label) == (6, False, "渐退期")
    assert (one_year.months, one_year.at_most) == (12, True)


def test_targets(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    comp = compile_texts(tmp_path, {"a.policy": '''政策 a { 辖区 云阳县
      任务 2.2 "供养" { 牵头 县民政局
        目标 失能特困人员集中供养率 达到 40% 截至 2019年底 范围 各乡镇（街道）
        目标 医保目录外费用占比 控制在 15% 以内
        目标 居民医保住院报销比例 提高 10% 截至 2020年底 基准 "2018年"
        目标 就业人数 至少 1人 每 "户"
        目标 零就业家庭 清零 }
    }'''})
    assert codes(comp) == []
    t1, t2, t3, t4, t5 = comp.corpus.policy("a").task("2.2").targets
    assert (t1.comparator, t1.value, t1.unit, t1.by) == (Comparator.GE, 40, "%", dt.date(2019, 12, 31))
    assert t1.scope[0].unit == "云阳县/各乡镇（街道）"
    assert (t2.comparator, t2.value) == (Comparator.LE, 15)
    assert (t3.comparator, t3.baseline) == (Comparator.INCREASE, "2018年")
    assert (t4.per, t4.unit) == ("户", "人")
    assert (t5.comparator, t5.value) == (Comparator.EQ, 0)


def test_model_is_frozen(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    comp = compile_texts(tmp_path, {"a.policy": '政策 a { 辖区 重庆市 }'})
    import pydantic, pytest
    with pytest.raises(pydantic.ValidationError):
        comp.corpus.policy("a").title = "x"


def test_english_aliases_parse_to_the_same_model(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    zh = compile_texts(tmp_path, {"a.policy": '政策 a { 辖区 云阳县 部分 2 "乙" { 任务 2.1 "甲" { 牵头 县民政局 配合 县财政局 时限 2019年3月底前 } } }'})
    en_dir = tmp_path / "en"
    en_dir.mkdir()
    en = compile_texts(en_dir, {"a.policy": 'policy a { jurisdiction 云阳县 section 2 "乙" { task 2.1 "甲" { lead 县民政局 cooperate 县财政局 deadline 2019-03-31 } } }'})
    assert codes(zh) == codes(en) == []
    strip = lambda c: [t.model_dump(exclude={"span"}, mode="json") for t in c.corpus.policy("a").tasks]
    a, b = strip(zh), strip(en)
    for t in a + b:
        for d in t["deadlines"]:
            d.pop("span"); d.pop("written")
        for x in t["assignments"]:
            x["unit"].pop("span")
    assert a == b


def test_sub_tasks_inherit_the_measure_units_per_role(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    comp = compile_texts(tmp_path, {"a.policy": '''政策 a { 辖区 云阳县
      任务 2.2 "供养" { 牵头 县民政局 配合 县财政局
        任务 2.2.1 { 原文 "一是……" }
        任务 2.2.2 { 负责 "各乡镇、街道" }
        任务 2.2.3 { 牵头 县财政局 }
      } }'''})
    assert codes(comp) == []
    p = comp.corpus.policy("a")
    roles = lambda tid: [(a.role.value, a.unit.unit, a.inherited) for a in p.task(tid).assignments]
    assert roles("2.2.1") == [("lead", "云阳县/县民政局", True), ("cooperate", "云阳县/县财政局", True)]
    assert roles("2.2.2") == [("lead", "云阳县/县民政局", True), ("cooperate", "云阳县/县财政局", True),
                              ("co_responsible", "云阳县/各乡镇（街道）", False)]
    assert roles("2.2.3") == [("cooperate", "云阳县/县财政局", True), ("lead", "云阳县/县财政局", False)]
