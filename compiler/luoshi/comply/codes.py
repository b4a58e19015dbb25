"""The codes of completion data problems (LS5xx), loaded into the one registry by `luoshi.diagnostics.codes`.

LS50x: a whole data file (unreadable, wrong format or encoding, missing columns) · LS51x: a row's names
(policy, task, unit, scope, status) · LS52x: a row's values (date, number, metric) · LS53x: event rows of
working-day limits. A row with any error is set aside and the run goes on with the others; codes are stable.
"""

from __future__ import annotations

from ..diagnostics.codes import Code, Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

CODES: list[Code] = [
    # ── files ──
    Code("LS500", "data-unreadable", E, "无法读取数据文件", "data file cannot be read"),
    Code("LS501", "data-format", E, "不支持的数据文件格式", "unsupported data file format"),
    Code("LS502", "data-encoding", E, "数据文件编码无法识别", "data file encoding not recognised"),
    Code("LS503", "missing-column", E, "数据缺少必需的列", "a required column is missing"),
    Code("LS504", "duplicate-column", W, "多个列对应同一字段", "several columns mean the same field"),
    Code("LS505", "comply-settings", W, "[tool.luoshi.comply] 中有无法使用的项", "an entry of [tool.luoshi.comply] cannot be used"),
    Code("LS506", "sheet-inferred", I, "政策、单位或日期取自表题、填报单位或 --policy", "policy, unit or date taken from the title, the filing unit or --policy"),
    Code("LS507", "number-title-disagree", W, "序号与任务名称指向不同的任务", "the 序号 and the task title name different tasks"),
    # ── names ──
    Code("LS510", "missing-value", E, "必填项为空", "a required cell is empty"),
    Code("LS511", "unknown-policy", E, "未知政策", "unknown policy"),
    Code("LS512", "unknown-task", E, "政策中没有此任务", "no such task in the policy"),
    Code("LS513", "unknown-unit", E, "未知单位", "unknown unit"),
    Code("LS514", "unit-not-assigned", E, "单位不承担此任务", "the unit is not assigned to the task"),
    Code("LS515", "unknown-scope", E, "未知范围", "unknown scope"),
    Code("LS516", "bad-status", E, "无法识别的状态", "status not recognised"),
    Code("LS518", "ambiguous-task", E, "任务指向不唯一", "the task reference could mean several tasks"),
    Code("LS519", "collective-without-members", E, "集体单位没有登记成员，成员的报告无法计入", "a collective lists no members; a member's report cannot count"),
    Code("LS517", "unfilled-rows", I, "未填写的行（只有政策、任务、单位）不计入", "rows naming only a policy, task and unit are not counted"),
    # ── values ──
    Code("LS520", "bad-date", E, "无法识别的日期", "date not recognised"),
    Code("LS521", "bad-number", E, "无法识别的数值", "number not recognised"),
    Code("LS522", "value-without-metric", E, "有数值但没有指标", "a value without a metric"),
    Code("LS523", "metric-without-value", E, "有指标但没有数值", "a metric without a value"),
    Code("LS524", "unknown-metric", E, "任务没有此指标的目标", "the task has no target on this metric"),
    Code("LS525", "scope-not-in-target", E, "范围不在目标范围内", "the scope is not one the target covers"),
    Code("LS526", "unit-of-measure", E, "数值的计量单位与目标不符", "the value's unit of measure is not the target's"),
    Code("LS527", "impossible-value", E, "不可能的数值", "a value no data can hold"),
    # ── events ──
    Code("LS530", "unknown-event", E, "无法识别的事件", "event not recognised"),
    Code("LS531", "no-limit", E, "任务没有工作日时限", "the task has no time limit counted from an event"),
    Code("LS532", "broken-case", E, "案件的事件不完整或顺序颠倒", "a case's events are incomplete or out of order"),
    Code("LS533", "outside-calendar", E, "日期超出节假日历范围", "date outside the years the holiday calendar covers"),
]
