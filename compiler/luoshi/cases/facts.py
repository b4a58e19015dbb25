"""The facts a case rule may name, with their types and units, and the tables that hold them.

A household (户) has scalar facts; its members and the comparison data offices receive (社保, 车辆, 房产, 工商)
are tables a rule quantifies over with 有 / 数. Parameters (低保标准 …) are dated values per jurisdiction."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fact:
    name: str
    kind: str  # number · text · date
    unit: str | None = None
    headers: tuple[str, ...] = ()  # other header spellings offices use


HOUSEHOLD: dict[str, Fact] = {f.name: f for f in (
    Fact("户编号", "text", headers=("家庭编号", "户号")),
    Fact("辖区", "text", headers=("区县", "所属区县")),
    Fact("镇街", "text", headers=("街道", "乡镇", "镇（街道）")),
    Fact("家庭人口", "number", "人", headers=("家庭人数", "保障人数")),
    Fact("家庭月人均收入", "number", "元/月", headers=("月人均收入", "人均月收入")),
    # 云阳 2.1.2 · 大足 2.1: 申请前6个月家庭总收入扣减同期治疗自负费用或学费后的月人均收入 (the 6-month window)
    Fact("申请前6个月扣减后月人均收入", "number", "元/月", headers=("申请前6个月月人均收入", "近6个月月人均收入")),
    Fact("救助类别", "text", headers=("救助类型", "保障类别")),  # 低保 · 特困 · 临时救助 …
    Fact("家庭年人均收入", "number", "元/年"),  # 家庭月人均收入 × 12, computed
)}

# Member-level tables: every row carries the member's 身份证号 and is joined to a household through the roster.
TABLES: dict[str, dict[str, Fact]] = {
    "成员": {f.name: f for f in (
        Fact("姓名", "text"), Fact("身份证号", "text", headers=("公民身份号码", "身份证号码")),
        Fact("年龄", "number", "岁"), Fact("身份", "text", headers=("人员类别", "特殊身份")))},
    "社保": {f.name: f for f in (
        Fact("险种", "text"), Fact("状态", "text", headers=("参保状态",)), Fact("单位", "text", headers=("参保单位",)))},
    "车辆": {f.name: f for f in (
        Fact("号牌", "text", headers=("号牌号码", "车牌号")), Fact("状态", "text", headers=("车辆状态", "机动车状态")))},
    "房产": {f.name: f for f in (
        Fact("坐落", "text", headers=("房屋坐落", "地址")), Fact("购置日期", "date", headers=("登记日期", "购买日期")),
        Fact("来源", "text", headers=("取得方式", "房屋来源")), Fact("位置", "text", headers=("城乡",)))},
    "工商": {f.name: f for f in (
        Fact("企业名称", "text", headers=("市场主体名称", "名称")), Fact("状态", "text", headers=("登记状态",)))},
}

# The header that tells a comparison table apart (besides 身份证号).
TABLE_MARKERS = {"车辆": "号牌", "房产": "坐落", "工商": "企业名称", "社保": "险种"}

PARAMETERS: dict[str, Fact] = {f.name: f for f in (
    Fact("低保标准", "number", "元/月"),
    Fact("上年度人均可支配收入", "number", "元/年"),
)}
