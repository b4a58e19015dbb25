"""A minimal positive and negative case for every rule `luoshi lint` reports, in one table keyed by code.

`test_every_rule_has_a_positive_and_a_negative_case` enumerates the LS3xx codes (and the compiler's chain checks
that `luoshi lint` reports with them) and fails when one has no case, so a new rule cannot land untested.
Each case is one small file compiled in memory with the docs' example registry (docs/rules.md shows it).
A positive case marks the line the finding must point at with `# ◀` (in the child), and the parent's line,
shown as related information, with `# ◁`; a negative case is the smallest change that makes the finding go.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from luoshi.diagnostics.codes import CODES
from luoshi.lint import lint
from luoshi.lint.config import lint_codes, parse_config
from luoshi.lint.docs import EXAMPLE_FILE, compile_example

HERE, PARENT = "# ◀", "# ◁"


@dataclass(frozen=True)
class Case:
    name: str
    text: str
    registry: bool = True   # compile with the docs' example registry
    config: bool = False    # the text is a pyproject.toml (LS392), not a policy file
    at: int | None = None   # the reported line, where a marker cannot be written (it would become a suppression's reason)

    def line(self, marker: str) -> int | None:
        if marker == HERE and self.at:
            return self.at
        return next((i for i, line in enumerate(self.text.splitlines(), 1) if marker in line), None)


def lines(*rows: str) -> str:
    return "\n".join(rows) + "\n"


def city(*body: str, date: str = "2018年11月12日", head: str = "政策 city {") -> list[str]:
    return [head, f"  成文日期 {date}", "  辖区 重庆市", *body, "}"]


def county(*body: str, implements: str | None = "city", date: str = "2019年2月28日", head: str = "政策 county {",
           issuer: str | None = None) -> list[str]:
    return [head, f"  成文日期 {date}", "  辖区 云阳县", *([f"  发文机关 {issuer}"] if issuer else []),
            *([f"  落实 {implements}"] if implements else []), *body, "}"]


def case(name: str, *rows: str, registry: bool = True, config: bool = False, at: int | None = None) -> Case:
    return Case(name, lines(*rows), registry, config, at)


def task(tid: str, *body: str, title: str = "甲") -> list[str]:
    return [f'  任务 {tid} "{title}" {{', *(f"    {b}" for b in body), "  }"]


def chain(parent: list[str], child: list[str], name: str) -> Case:
    return case(name, *parent, *child)


GROUP_REGISTRY = ['角色 民政 "民政"', "辖区 云阳县 {", "  类型 县 层级 县级", "  单位 县民政局 角色 民政", "  单位 县财政局",
                  "  群组 县联席会议成员单位 成员 县民政局、县财政局", "}"]
TOWNSHIP_REGISTRY = ['角色 民政 "民政"', "辖区 重庆市 {", "  类型 直辖市 层级 市级", "  单位 市民政局 角色 民政", "}",
                     "辖区 云阳县 {", "  类型 县 层级 县级 上级 重庆市", "  单位 县民政局 角色 民政",
                     "  辖区 青龙街道 { 类型 街道 层级 乡级 单位 青龙街道办事处 }", "}"]
def collective_registry(collective: str) -> list[str]:
    """云阳县 with 县民政局, a township and the collective line given."""
    return ['角色 下级政府 "下级人民政府"', "辖区 云阳县 {", "  类型 县 层级 县级", "  单位 县民政局", collective,
            "  辖区 青龙街道 { 类型 街道 层级 乡级 单位 青龙街道办事处 }", "}"]


PHASES = ['  阶段 1 "启动部署阶段" {', '    负责 "各乡镇、街道"', "    时限 2019年3月底前", "  }"]


def phase2(period: str, mark: str = "") -> list[str]:
    return [f'  阶段 2 "精准对象阶段" {{  {mark}', '    负责 "各乡镇、街道"', f"    时限 {period}", "  }"]


def targets(a: str, b: str) -> list[str]:
    return task("1", "牵头 县民政局", f"目标 供养率 {a}", f"目标 供养率 {b}  {HERE}")


def with_target(parent: str, child: str) -> Case:
    return chain(city(*task("1", "牵头 市民政局", f"目标 供养率 {parent}  {PARENT}")),
                 county(*task("1", "牵头 县民政局", "落实 city:1", f"目标 供养率 {child}  {HERE}")), f"{parent} → {child}")


def with_limit(parent: str, child: str) -> Case:
    return chain(city(*task("1", "牵头 市民政局", f"{parent}  {PARENT}")),
                 county(*task("1", "牵头 县民政局", "落实 city:1", f"{child}  {HERE}")), f"{parent} → {child}")


THREE = city(*task("1", "牵头 市民政局", "配合 市财政局、市残联  " + PARENT))
CYCLE = ["政策 a {  " + HERE, "  辖区 重庆市", "  落实 b", "}", "政策 b {", "  辖区 云阳县", "  落实 a", "}"]
LAW = ['文件 law {', '  文号 "渝民〔2018〕1号"', "}"]

# code → (positive cases, negative cases)
CASES: dict[str, tuple[list[Case], list[Case]]] = {
    # ── within one policy ──
    "LS301": ([case("no unit", *county('  任务 1 "建立帮扶平台" {  ' + HERE, '    原文 """建立帮扶平台。"""', "  }", implements=None)),
               case("phase and its sub-task", *county('  阶段 1 "精准对象阶段" {  ' + HERE, '    任务 1.1 "调查摸底" { 原文 """调查。""" }', "  }",
                                                       implements=None))],
              [case("lead named", *county(*task("1", "牵头 县民政局"), implements=None)),
               case("units in the sub-task", *county('  阶段 1 "精准对象阶段" {', '    任务 1.1 "调查摸底" { 负责 "各乡镇、街道" }', "  }",
                                                     implements=None)),
               case("a clause assigns no work", *county('  条款 1 "指导思想" { 原文 """指导。""" }', implements=None))]),
    "LS302": ([case("co-responsible, no lead", *county(*task("1", f"负责 县民政局、县财政局  {HERE}"), implements=None)),
               case("a group leads", *GROUP_REGISTRY, *county(*task("1", f"牵头 县联席会议成员单位  {HERE}"), implements=None), registry=False)],
              [case("one lead", *county(*task("1", "牵头 县民政局", "配合 县财政局"), implements=None)),
               case("a collective with one unit", *county(*task("1", '负责 "各乡镇、街道"、县民政局'), implements=None)),
               case("the lead is inherited", *county(*task("1", "牵头 县民政局", "任务 1.1 { 负责 县财政局、县残联 }"), implements=None))]),
    "LS303": ([case("a city bureau leads a county task", *county(*task("1", f"牵头 市民政局  {HERE}"), implements=None)),
               case("a target scoped to a city unit", *county(*task("1", "牵头 县民政局", f"目标 人数 至少 1人 范围 市财政局  {HERE}"), implements=None))],
              [case("a county bureau", *county(*task("1", "牵头 县民政局"), implements=None)),
               case("a subdistrict below the county", *TOWNSHIP_REGISTRY,
                    *county(*task("1", "牵头 县民政局", "配合 青龙街道办事处"), implements=None), registry=False)]),
    "LS304": ([case("leads and cooperates", *county(*task("1", f"牵头 县民政局  {PARENT}", f"配合 县民政局、县财政局  {HERE}"), implements=None)),
               case("cooperates through its group", *GROUP_REGISTRY,
                    *county(*task("1", f"牵头 县民政局  {PARENT}", f"配合 县联席会议成员单位  {HERE}"), implements=None), registry=False)],
              [case("distinct units", *county(*task("1", "牵头 县民政局", "配合 县财政局"), implements=None)),
               case("the group's other members", *GROUP_REGISTRY,
                    *county(*task("1", "牵头 县民政局", "配合 县联席会议其他成员单位"), implements=None), registry=False)]),
    "LS305": ([case("before the issue date", *county(*task("1", "牵头 县民政局", f"时限 2018年12月底前  {HERE}"), implements=None)),
               case("after its phase", *county('  阶段 1 "排查" {  ' + PARENT, '    负责 "各乡镇、街道"', "    时限 2019年4月至2019年8月底",
                                               f'    任务 1.1 "摸底" {{ 时限 2019年10月底前 }}  {HERE}', "  }", implements=None)),
               case("after the policy's phases", *county(*PHASES, *task("2", "牵头 县民政局", f"时限 2020年底前  {HERE}"), implements=None)),
               case("a target date before the issue date",
                    *county(*task("1", "牵头 县民政局", f"目标 供养率 达到 40% 截至 2018年底  {HERE}"), implements=None))],
              [case("after the issue date", *county(*task("1", "牵头 县民政局", "时限 2019年12月底前"), implements=None)),
               case("within its phase", *county('  阶段 1 "排查" {', '    负责 "各乡镇、街道"', "    时限 2019年4月至2019年8月底",
                                                '    任务 1.1 "摸底" { 时限 2019年6月底前 }', "  }", implements=None))]),
    "LS306": ([case("a gap", *county(*PHASES, *phase2("2019年5月至2019年8月底", HERE), implements=None)),
               case("an overlap", *county(*PHASES, *phase2("2019年3月至2019年8月底", HERE), implements=None))],
              [case("phases meet", *county(*PHASES, *phase2("2019年4月至2019年8月底"), implements=None)),
               case("an ongoing phase", *county(*PHASES, *phase2("持续"), implements=None))]),
    "LS307": ([case("a duplicate", *county(*targets("达到 40%", "达到 40%"), implements=None)),
               case("a conflict", *county(*targets("达到 40%", "不高于 30%"), implements=None))],
              [case("a range", *county(*targets("达到 40%", "不高于 60%"), implements=None)),
               case("two dates", *county(*targets("达到 40% 截至 2019年底", "达到 50% 截至 2020年底"), implements=None))]),
    # ── along the chain ──
    "LS310": ([chain(city(*task("1", "牵头 市民政局"), '  任务 2 "资金" {  ' + PARENT, "    负责 市财政局", "  }"),
                     county(*task("1", "牵头 县民政局", "落实 city:1"), head="政策 county {  " + HERE), "a parent task left out"),
               chain(city('  任务 1 "供养" {', "    牵头 市民政局", '    任务 1.1 "甲" { 原文 """甲""" }',
                          '    任务 1.2 "乙" { 原文 """乙""" }  ' + PARENT, "  }"),
                     county(*task("1", "牵头 县民政局", "落实 city:1.1"), head="政策 county {  " + HERE), "a sub-task left out"),
               chain(city(*task("1", "牵头 市民政局"), '  任务 2 "资金" {  ' + PARENT, "    负责 市财政局", "  }"),
                     county(*task("1", "牵头 县民政局", "落实 city:1"), '  不予落实 city:2 ""', head="政策 county {  " + HERE),
                     "a waiver without a reason")],
              [chain(city(*task("1", "牵头 市民政局"), *task("2", "负责 市财政局")),
                     county(*task("1", "牵头 县民政局", "落实 city:1"), '  不予落实 city:2 "资金由县财政统一安排"'), "waived with a reason"),
               chain(city(*task("1", "牵头 市民政局"), *task("2", "负责 市财政局")),
                     county(*task("1", "牵头 县民政局", "落实 city:1"), *task("2", "负责 县财政局", "落实 city:2")), "every task implemented")]),
    "LS311": ([chain(city(*task("1", f"牵头 市民政局  {PARENT}", "配合 市财政局")),
                     county(*task("1", f"牵头 县财政局  {HERE}", "配合 县民政局", "落实 city:1")), "another bureau leads"),
               chain(city(*task("1", f"牵头 各区县政府  {PARENT}")),
                     county(*task("1", f"牵头 县民政局  {HERE}", "落实 city:1")), "a bureau for the lower governments")],
              [chain(city(*task("1", "牵头 市民政局", "配合 市财政局")),
                     county(*task("1", "牵头 县民政局", "配合 县财政局", "落实 city:1")), "the counterpart leads"),
               chain(city(*task("1", "牵头 各区县政府")),
                     county(*task("1", '牵头 "各乡镇、街道"', "落实 city:1")), "the townships for the lower governments"),
               chain(city(*task("1", "牵头 市民政局", "配合 市财政局")),
                     county(*task("1", '负责 "各乡镇、街道"', "配合 县财政局", "落实 city:1"), issuer="县民政局"),
                     "the issuer organises its own notice")]),
    "LS312": ([chain(THREE, county('  任务 1 "甲" {  ' + HERE, "    牵头 县民政局", "    配合 县财政局", "    落实 city:1", "  }"),
                     "a cooperating unit dropped")],
              [chain(THREE, county(*task("1", "牵头 县民政局", "配合 县财政局、县残联", "落实 city:1")), "every unit has its counterpart"),
               chain(THREE, county(*task("1", "牵头 县民政局", "配合 县财政局", "落实 city:1"), *task("2", "牵头 县残联", "落实 city:1")),
                     "split over two child tasks"),
               chain(THREE, county("  # luoshi: ignore[LS312] 本县残联不参与", *task("1", "牵头 县民政局", "配合 县财政局", "落实 city:1")),
                     "suppressed with a reason")]),
    "LS313": ([chain(city('  任务 1 "甲" {  ' + PARENT, "    牵头 市民政局", "  }"),
                     county(*task("1", "牵头 县民政局", f"配合 县残联  {HERE}", "落实 city:1")), "a unit the parent does not name")],
              [chain(city(*task("1", "牵头 市民政局", "配合 市残联")),
                     county(*task("1", "牵头 县民政局", "配合 县残联", "落实 city:1")), "the parent names its counterpart")]),
    "LS314": ([with_target("达到 50%", "达到 40%"), with_target("不高于 15%", "不高于 20%"),
               with_target("达到 50% 截至 2020年底", "达到 50% 截至 2021年底"), with_target("提高 10%", "提高 5%")],
              [with_target("达到 50%", "达到 60%"), with_target("不高于 15%", "不高于 10%"), with_target("清零", "清零")]),
    "LS315": ([chain(city(*task("1", "牵头 市民政局", f"目标 供养率 达到 50%  {PARENT}")),
                     county('  任务 1 "甲" {  ' + HERE, "    牵头 县民政局", "    落实 city:1", "  }"), "a target dropped")],
              [chain(city(*task("1", "牵头 市民政局", "目标 供养率 达到 50%")),
                     county(*task("1", "牵头 县民政局", "落实 city:1", "任务 1.1 { 目标 供养率 达到 50% }")), "carried by a sub-task")]),
    "LS316": ([with_limit("时限 2019年6月底前", "时限 2019年9月底前"), with_limit("时限 2018—2020年", "时限 2019年至2020年"),
               with_limit("时限 每半年1次", "时限 每年1次"), with_limit('时限 从 "受理" 到 "发放" 不超过 3个工作日', '时限 从 "受理" 到 "发放" 不超过 5日'),
               with_limit("期限 6个月", "期限 3个月"), with_limit("期限 不超过6个月", "期限 不超过1年")],
              [with_limit("时限 2019年6月底前", "时限 2019年5月底前"), with_limit("时限 2018—2020年", "时限 2018年至2020年"),
               with_limit("时限 每年1次", "时限 每季度"), with_limit("期限 不超过1年", "期限 不超过6个月")]),
    "LS317": ([chain(city(*task("1", "牵头 市民政局", f"时限 2019年6月底前  {PARENT}")),
                     county('  任务 1 "甲" {  ' + HERE, "    牵头 县民政局", "    落实 city:1", "  }"), "a deadline dropped"),
               chain(city(*task("1", "牵头 市民政局", f"期限 6个月  {PARENT}")),
                     county('  任务 1 "甲" {  ' + HERE, "    牵头 县民政局", "    落实 city:1", "  }"), "a term dropped")],
              [chain(city(*task("1", "牵头 市民政局", "时限 持续")),
                     county(*task("1", "牵头 县民政局", "落实 city:1", "时限 每月")), "ongoing work done monthly")]),
    "LS318": ([chain(city(*task("1", "牵头 市民政局"), date="2019年3月1日", head="政策 city {  " + PARENT),
                     county(*task("1", "牵头 县民政局", "落实 city:1"), head="政策 county {  " + HERE), "issued before its parent")],
              [chain(city(*task("1", "牵头 市民政局"), date="2019年1月10日"), county(*task("1", "牵头 县民政局", "落实 city:1")), "issued after"),
               case("no dates", "政策 city {", "  辖区 重庆市", *task("1", "牵头 市民政局"), "}",
                    "政策 county {", "  辖区 云阳县", "  落实 city", *task("1", "牵头 县民政局", "落实 city:1"), "}")]),
    "LS319": ([case("two policies", *CYCLE),
               case("through a task link", "政策 a {  " + HERE, "  辖区 重庆市", *task("1", "牵头 市民政局", "落实 b:1"), "}",
                    "政策 b {", "  辖区 云阳县", "  落实 a", *task("1", "牵头 县民政局"), "}")],
              [case("one way", "政策 a {", "  辖区 重庆市", "}", *CYCLE[4:])]),
    "LS320": ([chain(city(*task("1", "牵头 市民政局")), county('  任务 1 "甲" {  ' + HERE, "    牵头 县民政局", "    落实 city:1", "  }",
                                                             implements=None), "a task link without the policy's 落实"),
               chain(city('  条款 1 "指导思想" { 原文 """指导。""" }  ' + PARENT),
                     county('  任务 1 "甲" {  ' + HERE, "    牵头 县民政局", "    落实 city:1", "  }"), "a link to a clause"),
               chain(city(*task("1", "牵头 市民政局")), county(*task("1", "牵头 县民政局", "落实 city:1"), f'  不予落实 city:1 ""  {HERE}'),
                     "a waiver without a reason"),
               case("a waiver of a document not implemented", *LAW, *county(f'  不予落实 law "另行部署"  {HERE}', implements=None)),
               chain(city(*task("1", "牵头 市民政局")), county('  任务 1 "甲" {  ' + PARENT, "    牵头 县民政局", "    落实 city:1", "  }",
                                                             f'  不予落实 city:1 "另行部署"  {HERE}'), "waived and implemented")],
              [chain(city(*task("1", "牵头 市民政局")), county(*task("1", "牵头 县民政局", "落实 city:1")), "consistent links"),
               case("a waiver of an implemented document", *LAW, *county('  不予落实 law "另行部署"', implements="law"))]),
    # ── corpus hygiene ──
    "LS330": ([case("a unit no one names", '角色 民政 "民政"', "辖区 云阳县 {", "  类型 县 层级 县级", "  单位 县民政局 角色 民政",
                    f"  单位 县统计局  {HERE}", "}", *county(*task("1", "牵头 县民政局"), implements=None), registry=False)],
              [case("named through its group", *GROUP_REGISTRY, *county(*task("1", "牵头 县联席会议成员单位"), implements=None), registry=False)]),
    "LS331": ([case("an alias meaning another unit above", '角色 政府部门 "政府部门"', '角色 有关单位 "有关单位"',
                    "辖区 重庆市 {", "  类型 直辖市 层级 市级", f"  集体 市政府各部门 角色 政府部门 别名 有关部门  {PARENT}", "}",
                    "辖区 云阳县 {", "  类型 县 层级 县级 上级 重庆市", f"  集体 有关单位 角色 有关单位 别名 有关部门  {HERE}", "}", registry=False),
               case("two roles with one alias", '角色 民政 "民政" 别名 民政部门', f'角色 民政部门 "另一个"  {HERE}', registry=False)],
              [case("namesakes with one role are counterparts", '角色 有关单位 "有关单位"',
                    "辖区 重庆市 { 类型 直辖市 层级 市级 集体 有关单位 角色 有关单位 }",
                    "辖区 云阳县 { 类型 县 层级 县级 上级 重庆市 集体 有关单位 角色 有关单位 }", registry=False)]),
    "LS332": ([case("stands alone", *county(*task("1", "牵头 县民政局"), implements=None, head="政策 county {  " + HERE))],
              [case("implements a declared document", *LAW, *county(*task("1", "牵头 县民政局"), implements="law")),
               chain(city(*task("1", "牵头 市民政局")), county(*task("1", "牵头 县民政局", "落实 city:1")), "implemented by another")]),
    "LS333": ([case("a collective with no members owes a task", *collective_registry("  集体 \"各工作专班\" 角色 下级政府"),
                    *county(*task("1", "牵头 县民政局", f'负责 "各工作专班"  {HERE}'), implements=None), registry=False),
               case("reported once per policy, where first assigned", *collective_registry("  集体 \"各工作专班\" 角色 下级政府"),
                    *county(*task("1", f'负责 "各工作专班"  {HERE}'), *task("2", '负责 "各工作专班"'), implements=None),
                    registry=False)],
              [case("its members are listed", *collective_registry("  集体 \"各工作专班\" 角色 下级政府 成员 青龙街道办事处"),
                    *county(*task("1", "牵头 县民政局", '负责 "各工作专班"'), implements=None), registry=False),
               case("it only cooperates", *collective_registry("  集体 \"各工作专班\" 角色 下级政府"),
                    *county(*task("1", "牵头 县民政局", '配合 "各工作专班"'), implements=None), registry=False)]),
    # ── suppressions and configuration ──
    "LS390": ([case("no reason", *county(*task("1", "负责 县民政局、县财政局  # luoshi: ignore[LS302]"), implements=None), at=5)],
              [case("a reason", *county(*task("1", "负责 县民政局、县财政局  # luoshi: ignore[LS302] 原文未指定牵头单位"), implements=None))]),
    "LS391": ([case("nothing to suppress", *county(*task("1", "牵头 县民政局  # luoshi: ignore[LS302] 原文未指定"), implements=None), at=5),
               case("not a lint code", *county(*task("1", "负责 县民政局、县财政局  # luoshi: ignore[LS302, LS999] 原文未指定"), implements=None), at=5)],
              [case("it suppresses a finding", *county(*task("1", "负责 县民政局、县财政局  # luoshi: ignore[LS302] 原文未指定"), implements=None))]),
    "LS392": ([case("an unknown code", "[tool.luoshi.lint]", f'disable = ["LS999"]  {HERE}', config=True),
               case("an unknown severity", "[tool.luoshi.lint]", f'severity = {{ LS302 = "fatal" }}  {HERE}', config=True),
               case("an unknown setting", "[tool.luoshi.lint]", f"colour = true  {HERE}", config=True),
               case("selectors not in a list", "[tool.luoshi.lint]", f'enable = "LS3"  {HERE}', config=True)],
              [case("valid settings", "[tool.luoshi.lint]", 'disable = ["LS313", "unused-unit"]', 'enable = ["LS3"]',
                    'severity = { LS302 = "error", LS330 = "警告" }', 'per-file-ignores = { "dzmf-*.policy" = ["LS311"] }',
                    'baseline = "policies/.luoshi-lint-baseline.json"', config=True)]),
    # ── chain problems the compiler finds, reported by luoshi lint too ──
    "LS204": ([chain(city(*task("1", "牵头 市民政局")), county(*task("1", "牵头 县民政局", f"落实 city:9  {HERE}")), "a link to a missing task"),
               case("a missing parent policy", *county(*task("1", "牵头 县民政局"), implements=f"city  {HERE}"))],
              [chain(city(*task("1", "牵头 市民政局")), county(*task("1", "牵头 县民政局", "落实 city:1")), "the task exists")]),
    "LS208": ([case("one alias, two units", "辖区 云阳县 {", "  类型 县 层级 县级", "  单位 县民政局 别名 民政局",
                    f"  单位 县财政局 别名 民政局  {HERE}", "}", registry=False)],
              [case("two aliases", "辖区 云阳县 {", "  类型 县 层级 县级", "  单位 县民政局 别名 民政局", "  单位 县财政局 别名 财政局", "}",
                    registry=False)]),
    "LS209": ([case("a county document marked 市级", *county(f"  层级 市级  {HERE}", implements=None))],
              [case("县级", *county("  层级 县级", implements=None))]),
    "LS219": ([case("two leads", *county(*task("1", f"牵头 县民政局、县财政局  {HERE}"), implements=None))],
              [case("one lead", *county(*task("1", "牵头 县民政局", "配合 县财政局"), implements=None)),
               case("a lead with its sub-units", *county(*task("1", "牵头 县民政局（县财政局）"), implements=None))]),
    "LS220": ([case("implements itself", *county(implements=f"county  {HERE}"))],
              [chain(city(), county(), "implements its parent")]),
}

# The issue's list of checks (issue 4, "What to build"), each mapped to the code that reports it.
ISSUE_RULES = {
    "a task with no responsible unit": "LS301",
    "lead unit ambiguous (several co-responsible, a group)": "LS302",
    "lead unit ambiguous (two 牵头)": "LS219",
    "a unit outside the policy's jurisdiction or level": "LS303",
    "a policy level that is not its jurisdiction's": "LS209",
    "a cooperating unit that is also lead": "LS304",
    "a deadline before the issue date or after the policy's own end": "LS305",
    "a phase schedule with gaps or overlaps": "LS306",
    "duplicate or conflicting targets on one metric": "LS307",
    "a parent task not implemented and not waived with a reason": "LS310",
    "a child lead that is not the counterpart of the parent lead": "LS311",
    "a parent responsible unit with no counterpart among the child's units": "LS312",
    "a child unit with no parent counterpart (information)": "LS313",
    "a target weaker than the parent's": "LS314",
    "a parent target dropped": "LS315",
    "a period or deadline that starts or ends later than the parent's": "LS316",
    "a parent deadline dropped": "LS317",
    "a child issued before its parent": "LS318",
    "implements cycles": "LS319",
    "a policy implementing itself": "LS220",
    "links to missing tasks": "LS204",
    "inconsistent links and waivers without a reason": "LS320",
    "units declared and never used": "LS330",
    "aliases that collide (up and down a line of jurisdictions)": "LS331",
    "aliases that collide (within a jurisdiction)": "LS208",
    "a policy that implements nothing and is implemented by nothing": "LS332",
    "a collective owing duties with no members listed": "LS333",
    "a suppression comment without its required reason": "LS390",
    "a suppression that suppresses nothing": "LS391",
    "invalid [tool.luoshi.lint] configuration": "LS392",
}


def test_every_rule_has_a_positive_and_a_negative_case():
    missing = [code for code in lint_codes() if code not in CASES]
    assert missing == [], f"lint codes with no case in CASES: {missing}"
    for code, (positive, negative) in CASES.items():
        assert code in CODES, code
        assert positive and negative, f"{code} needs at least one positive and one negative case"
        assert all(c.line(HERE) for c in positive), f"{code}: mark the line each positive case reports with {HERE}"
    assert set(ISSUE_RULES.values()) <= set(CASES)


def found(c: Case, code: str):
    """The findings of `code` on the case, as `luoshi lint` reports them (compiler diagnostics included)."""
    if c.config:
        return [d for d in parse_config(c.text, "pyproject.toml")[1] if d.code == code]
    comp = compile_example(c.text, c.registry)
    others = [d for d in comp.diagnostics() if d.severity.value == "error" and d.code != code]
    assert others == [], f"{c.name}: the case does not compile: {[d.zh for d in others]}"
    return [d for d in [*comp.diagnostics(), *lint(comp.corpus, comp.sources).diagnostics] if d.code == code]


def _cases(which: int):
    return [pytest.param(code, c, id=f"{code}-{c.name}") for code, pair in CASES.items() for c in pair[which]]


@pytest.mark.parametrize("code,c", _cases(0))
def test_positive_case(code, c):
    diags = found(c, code)
    assert diags, f"{code} not reported on: {c.name}"
    here, parent = c.line(HERE), c.line(PARENT)
    at = [d for d in diags if d.span and d.span.line == here]
    assert at, f"{code} reported at lines {[d.span.line for d in diags if d.span]}, not at line {here}"
    assert all(d.span.file == ("pyproject.toml" if c.config else EXAMPLE_FILE) for d in at)
    assert all(d.severity is CODES[code].severity for d in diags)
    if parent:  # the parent's (or the other) location is shown as related information
        assert any(r.span and r.span.line == parent for d in at for r in d.related), f"no related location at line {parent}"


@pytest.mark.parametrize("code,c", _cases(1))
def test_negative_case(code, c):
    assert found(c, code) == []
