"""The codes of `luoshi lint` (LS3xx), loaded into the one registry by `luoshi.diagnostics.codes`.

LS30x: within one policy · LS31x–LS32x: along the implementation chain (parent → child) ·
LS33x: corpus hygiene · LS39x: suppressions and configuration. Codes are stable: a retired rule keeps its number.
"""

from __future__ import annotations

from ..diagnostics.codes import Code, Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

CODES: list[Code] = [
    # ── within one policy ──
    Code("LS301", "task-without-unit", W, "任务没有责任单位", "a task has no responsible unit"),
    Code("LS302", "ambiguous-lead", W, "牵头单位不明确", "the lead unit is ambiguous"),
    Code("LS303", "unit-outside-jurisdiction", E, "责任单位不在本政策辖区内", "a unit outside the policy's jurisdiction"),
    Code("LS304", "lead-also-cooperates", W, "同一单位既牵头（负责）又配合", "a unit both leads and cooperates"),
    Code("LS305", "deadline-out-of-range", E, "时限早于成文日期或超出所属期限", "a deadline before the issue date or past its enclosing end"),
    Code("LS306", "phase-gap-or-overlap", W, "实施阶段之间有空档或重叠", "phases leave a gap or overlap"),
    Code("LS307", "conflicting-targets", W, "同一指标的目标重复或冲突", "duplicate or conflicting targets on one metric"),
    # ── along the chain ──
    Code("LS310", "unimplemented-parent-task", E, "上级任务未落实，也未说明不予落实的理由", "a parent task is neither implemented nor waived"),
    Code("LS311", "lead-not-counterpart", W, "牵头单位不是上级牵头单位的对应单位", "the lead is not the counterpart of the parent's lead"),
    Code("LS312", "dropped-unit", W, "上级任务的责任单位在本级没有对应单位", "a parent's responsible unit has no local counterpart"),
    Code("LS313", "added-unit", I, "本级新增了上级任务没有的责任单位", "a unit with no counterpart in the parent task"),
    Code("LS314", "weaker-target", W, "目标弱于上级目标", "a target weaker than the parent's"),
    Code("LS315", "dropped-target", W, "上级任务的目标在本级缺失", "a parent target is not carried down"),
    Code("LS316", "later-deadline", W, "时限晚于上级或期限短于上级", "a deadline later, or a term shorter, than the parent's"),
    Code("LS317", "dropped-deadline", W, "上级任务的时限或期限在本级缺失", "a parent deadline or term is not carried down"),
    Code("LS318", "issued-before-parent", E, "成文日期早于所落实的上级政策", "issued before the policy it implements"),
    Code("LS319", "implements-cycle", E, "落实关系形成循环", "implements links form a cycle"),
    Code("LS320", "stray-link", W, "落实或不予落实的链接不一致", "an inconsistent implements or waiver link"),
    # ── corpus hygiene ──
    Code("LS330", "unused-unit", I, "单位已声明但从未使用", "a unit declared and never used"),
    Code("LS331", "colliding-name", W, "名称或别名在上下级辖区中指不同单位", "a name or alias means different units up and down one line of jurisdictions"),
    Code("LS332", "isolated-policy", I, "政策既不落实其他文件，也未被落实", "a policy implements nothing and nothing implements it"),
    Code("LS333", "collective-without-members", W, "承担任务的集体没有登记成员", "a collective owing duties lists no members"),
    # ── suppressions and configuration ──
    Code("LS390", "suppression-without-reason", W, "忽略注释没有写明理由", "a suppression comment gives no reason"),
    Code("LS391", "unused-suppression", W, "忽略注释没有忽略任何问题", "a suppression comment matches nothing"),
    Code("LS392", "bad-lint-config", E, "lint 配置无效", "invalid lint configuration"),
]
