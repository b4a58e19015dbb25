"""The words of a compliance run, 中文 first: what each result means and what is wrong with a bad cell.

The engine decides (in SQL) whether a check passed and which rows show it; this module only says so, in a
sentence an official can act on, with the rows to look at.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .loaders import FIELD_ZH, Column
from .outcome import CaseResult, CheckResult, Evidence, Status
from .periods import FREQUENCY_ZH, period_label
from .plan import SYMBOL, Check, CheckKind

# A check's facts as the engine's query returns them (column → value, typed by the SQL), and what is said of them:
# (reason, 中文, English, evidence rows, cases, cases checked).
Fact = dict[str, Any]
_Words = tuple[str, str, str, tuple[Evidence, ...], tuple[CaseResult, ...], int]

REASON_STATUS = {
    "on_time": Status.PASS, "late": Status.FAIL, "overdue": Status.FAIL, "not_due": Status.PENDING,
    "every_period": Status.PASS, "missing_period": Status.FAIL, "open_period": Status.PENDING,
    "not_started": Status.PENDING, "met": Status.PASS, "missed": Status.FAIL, "no_report": Status.NO_DATA,
    "no_baseline": Status.NO_DATA,
    "not_issued": Status.PENDING, "within_limit": Status.PASS, "slow": Status.FAIL, "open_cases": Status.PENDING, "no_case": Status.NO_DATA,
}


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _row(fact: Fact | None, zh: str, en: str) -> tuple[Evidence, ...]:
    return (Evidence(fact["src"], fact["row"], zh, en),) if fact and fact.get("src") else ()


def result_for(check: Check, fact: Fact, as_of: dt.date) -> CheckResult:
    words = {CheckKind.DEADLINE: _deadline, CheckKind.RECURRING: _recurring, CheckKind.TARGET: _target,
             CheckKind.LIMIT: _limit}[check.kind]
    reason, zh, en, evidence, cases, checked = words(check, fact, as_of)
    return CheckResult(check, REASON_STATUS[reason], reason, zh, en, evidence, cases, checked)


def no_members(result: CheckResult) -> CheckResult:
    """A duty of a collective (县政府各部门) the registry lists no members of counts the collective's own reports;
    without one it says why nobody could be checked and what the office can report, not "no report at all" (where
    to list the members is the engineer's: `luoshi comply` says it on the command line)."""
    check = result.check
    if not check.memberless or result.evidence or result.status not in (Status.FAIL, Status.NO_DATA):
        return result
    name = check.unit_label  # words for the office reading the 督查 sheet; the engineer's fix is on the command line
    zh = (f"{result.zh}；「{name}」没有列出成员单位，各成员的报告无法逐一计入：请以「{name}」名义报送"
          f"（完成情况表的“单位”列填「{name}」），或请本系统维护人员登记其成员单位后由各成员分别报送")
    en = (f"{result.en}; no member units of '{name}' are listed, so members' reports cannot count one by one: report "
          f"in the name of '{name}' (单位 column '{name}'), or ask the maintainer of this system to list its members so "
          "each reports for itself")
    return CheckResult(check, result.status, result.reason, zh, en, result.evidence, result.cases, result.cases_checked)


def not_issued(check: Check, issued: dt.date) -> CheckResult:
    """A policy issued after the as-of date binds no one yet."""
    return CheckResult(check, Status.PENDING, "not_issued", f"政策 {issued} 印发，核查日尚未生效", f"issued on {issued}, after the as-of date")


def _deadline(check: Check, fact: Fact, as_of: dt.date) -> _Words:
    due, reason = check.due, fact.get("reason", "not_due")
    done: Fact | None = fact.get("done_row")
    last: Fact | None = fact.get("last_row")
    if reason == "on_time":
        assert done is not None, "a check done on time has the row that says so"
        return reason, f"{done['day']} 已完成（时限 {due}）", f"done on {done['day']} (due {due})", \
            _row(done, f"{done['day']} {done['status']}", f"{done['day']} {done['status']}"), (), 0
    if reason == "late":
        assert done is not None, "a check done late has the row that says so"
        days = (done["day"] - due).days
        return (reason, f"逾期完成：{done['day']} 才报已完成，时限 {due}，晚 {days} 天",
                f"late: reported done on {done['day']}, {days} days after the deadline {due}",
                _row(done, f"{done['day']} {done['status']}", f"{done['day']} {done['status']}"), (), 0)
    if reason == "overdue":
        if last:
            return (reason, f"逾期未完成：时限 {due}，截至 {as_of} 未报已完成（最近一次报告：{last['day']} {last['status']}）",
                    f"overdue: due {due}, not reported done by {as_of} (last report: {last['day']} {last['status']})",
                    _row(last, f"{last['day']} {last['status']}", f"{last['day']} {last['status']}"), (), 0)
        return reason, f"逾期未完成：时限 {due}，截至 {as_of} 没有任何报告", f"overdue: due {due}, no report at all by {as_of}", (), (), 0
    state = f"（最近一次报告：{last['day']} {last['status']}）" if last else ""
    return reason, f"未到期：时限 {due}{state}", f"not yet due: due {due}", _row(last, state, state), (), 0


def _periods(check: Check, starts: list[dt.date]) -> tuple[str, str]:
    labels = [period_label(check.frequency or "yearly", s) for s in starts]
    return "、".join(z for z, _ in labels), ", ".join(e for _, e in labels)


def _recurring(check: Check, fact: Fact, as_of: dt.date) -> _Words:
    need = f"{FREQUENCY_ZH.get(check.frequency or '', '')}{check.times}次"
    if not fact.get("start"):
        return "no_report", f"没有任何报告，也没有起算日期（{need}）", f"no report and no start date to count periods from ({need})", (), (), 0
    if fact["missing"]:
        zh, en = _periods(check, fact["missing"])
        return "missing_period", f"{zh}没有完成记录（{need}）", f"no completion in {en} ({need})", (), (), 0
    if fact["open"]:
        zh, en = _periods(check, fact["open"])
        return "open_period", f"本期（{zh}）尚未报完成（{need}）", f"the current period ({en}) has no completion yet ({need})", (), (), 0
    if not fact["periods"]:
        return "not_started", f"自 {fact['start']} 起尚无完整周期（{need}）", f"no whole period since {fact['start']} yet ({need})", (), (), 0
    n = fact["periods"]
    return "every_period", f"{n} 个周期均已完成（{need}）", f"every one of {n} periods has its completion ({need})", (), (), 0


def _target(check: Check, fact: Fact, as_of: dt.date) -> _Words:
    goal = f"{check.metric}{SYMBOL[check.comparator or 'ge']}{_num(check.threshold)}{check.target_unit or ''}"
    where = f"（{check.scope_label}）" if check.scope_label else ""
    value = f"{_num(fact.get('v'))}{check.target_unit or ''}"
    shown = _row(fact, f"{fact.get('day')} {check.metric} {fact.get('written')}", f"{fact.get('day')} {check.metric} {fact.get('written')}")
    reason = fact.get("reason", "no_report")
    by = check.by or as_of
    if check.comparator in ("increase", "decrease"):  # the change, and how it was worked out (relative.py)
        word = SYMBOL[check.comparator]
        value = f"{word} {value}（{fact.get('how', '')}）"
        if reason == "no_baseline":
            return (reason, f"{goal}{where}：{fact['how']}，无法判断是否{word}到位；请在「基准值」列填写基准，或在「变化」列填写{word}幅度",
                    f"{goal}{where}: a level without a baseline; give the baseline (基准值) or the change (变化)", shown, (), 0)
    if reason == "met":
        return reason, f"{goal}{where}：最近数值 {value}（{fact['day']}），已达到", f"{goal}{where}: latest value {value} ({fact['day']}) meets it", shown, (), 0
    if reason == "missed":
        return reason, f"{goal}{where}：最近数值 {value}（{fact['day']}），未达到", f"{goal}{where}: latest value {value} ({fact['day']}) misses it", shown, (), 0
    if reason == "no_report":
        return reason, f"{goal}{where}：截至 {by} 没有数值报告", f"{goal}{where}: no value reported by {by}", (), (), 0
    latest = f"，最近数值 {value}（{fact['day']}）" if fact.get("src") else ""
    return reason, f"{goal}{where}：目标日期 {check.by} 未到{latest}", f"{goal}{where}: not due until {check.by}", shown, (), 0


def _limit(check: Check, fact: Fact, as_of: dt.date) -> _Words:
    limit = check.written
    total, closed, slow = fact.get("cases", 0), fact.get("closed", 0), fact.get("slow") or []
    unit = "个工作日" if check.working_days else "日"
    cases = tuple(_case(c, unit) for c in slow)
    if slow:
        shown = "；".join(f"{c.case} 用了 {c.used} {unit}" for c in cases[:5]) + ("……" if len(cases) > 5 else "")
        return ("slow", f"{len(cases)} 个案件超过时限（共 {total} 个）：{shown}", f"{len(cases)} of {total} cases over the limit",
                tuple(e for c in cases[:20] for e in c.evidence), cases, total)
    if closed:
        return "within_limit", f"{closed} 个已办结案件均在时限内（{limit}）", f"all {closed} closed cases within the limit", (), (), total
    if total:
        return "open_cases", f"{total} 个案件在办，均未超时", f"{total} open cases, none over the limit yet", (), (), total
    return "no_case", f"截至 {as_of} 没有案件记录", f"no case reported by {as_of}", (), (), 0


def _case(fact: Fact, unit: str) -> CaseResult:
    start, end = fact["s"], fact["e"]
    rows: list[Evidence] = []
    if fact.get("s_row"):
        rows.append(Evidence(fact["s_row"]["src"], fact["s_row"]["row"], f"{fact['case']} 开始 {start}", f"{fact['case']} start {start}"))
    if fact.get("e_row"):
        rows.append(Evidence(fact["e_row"]["src"], fact["e_row"]["row"], f"{fact['case']} 结束 {end}（{fact['used']} {unit}）",
                             f"{fact['case']} end {end} ({fact['used']} days)"))
    return CaseResult(fact["case"], start, end, fact["used"], tuple(rows))


# ───────────── bad cells ─────────────


def _inferred_column(header: str) -> bool:
    """Whether a column was made from what an office sheet says outside its columns (`sheets.complete`: 第2行「填报单位：…」,
    工作表名「…」, 表题「…」, --policy): its letter is no column the office wrote in."""
    return header.startswith("--") or (header.startswith(("第", "工作表名", "表题")) and "「" in header)


def problem_message(code: str, field: str, value: str | None, hint: str | None, column: Column | None) -> tuple[str, str, tuple[str, str] | None]:
    """(中文, English, hint) for one bad cell."""
    if column is not None and _inferred_column(column.header):  # the 填报单位 line, the sheet's name, the title: not a column
        col_zh, col_en = f"「{FIELD_ZH.get(field, field)}」（取自{column.header}）", f"'{field}' (from {column.header})"
    else:
        col_zh = f"{column.letter} 列「{column.header}」" if column else f"「{FIELD_ZH.get(field, field)}」"
        col_en = f"column {column.letter} ({column.header})" if column else f"'{field}'"
    v = value or ""
    did = (f"是否指「{hint}」？", f"did you mean '{hint}'?") if hint else None
    match code:
        case "LS510":
            if hint == "undone":  # a row not done yet: the day it was reported on is what it needs
                return (f"{col_zh}为空", f"{col_en} is empty",
                        ("此行尚未完成：写上报告的日期，或在表头写「填报日期：…」（未完成而没有日期的行按填报日期计）",
                         "the row is not done: write the day it reports on, or a 「填报日期：…」 line above the header (undated rows not done take it)"))
            return f"{col_zh}为空", f"{col_en} is empty", (f"填写{FIELD_ZH.get(field, field)}", f"fill in the {field}")
        case "LS511":
            return f"{col_zh}：未知政策「{v}」", f"{col_en}: unknown policy '{v}'", did or ("写政策的文号或编号，如 渝府办发〔2018〕161号", "write the policy's 文号 or id")
        case "LS512":
            return f"{col_zh}：政策中没有任务「{v}」", f"{col_en}: the policy has no task '{v}'", did or ("任务写文件印发的编号（如 二（二）、第3项）、任务编号（如 2.2）或任务标题", "write the number the document prints (二（二）, 第3项), the task id (2.2) or its title")
        case "LS513":
            close, _, registry = (hint or "").partition("\t")
            if close:
                help_ = (f"是否指「{close}」？", f"did you mean '{close}'?")
            elif registry:
                help_ = (f"若「{v}」是本辖区的单位或乡镇（街道），请在 {registry} 中登记它", f"if '{v}' is a unit or township of the jurisdiction, declare it in {registry}")
            else:
                help_ = None
            return f"{col_zh}：未知单位「{v}」", f"{col_en}: unknown unit '{v}'", help_
        case "LS518":
            return (f"{col_zh}：任务「{v}」指向不唯一", f"{col_en}: task '{v}' could be several tasks",
                    (f"可能是：{hint}；请写全编号（如 二（二））或写明指标", f"it could be {hint}; write the full number (二（二）) or the metric"))
        case "LS519":
            collective, _, registry = (hint or "").partition("\t")
            return (f"{col_zh}：「{v}」的报告无法计入：此任务由「{collective}」承担，单位登记没有列出它的成员",
                    f"{col_en}: the report of '{v}' cannot count: the task is owed by '{collective}', whose members the registry does not list",
                    (f"在 {registry} 中为「{collective}」加上「成员 {v}、…」", f"list the members of '{collective}' in {registry}"))
        case "LS514":
            return (f"{col_zh}：「{v}」不承担此任务", f"{col_en}: '{v}' is not assigned to this task",
                    (f"此任务的单位：{hint}；改写为其中的单位，或由它们报送", f"the task's units: {hint}; write one of them, or have them report") if hint else None)
        case "LS515":
            return f"{col_zh}：未知范围「{v}」", f"{col_en}: unknown scope '{v}'", did or ("范围写本政策辖区内的地方或单位，如 青龙街道", "a scope is a place or unit within the policy's jurisdiction")
        case "LS516":
            return (f"{col_zh}：无法识别的状态「{v}」", f"{col_en}: status '{v}' not recognised",
                    ("状态写 未开始、进行中 或 已完成", "write 未开始, 进行中 or 已完成 (not_started, in_progress, done)"))
        case "LS520":
            return (f"{col_zh}：无法识别的日期「{v}」", f"{col_en}: date '{v}' not recognised",
                    ("日期写作 2019-03-31、2019/3/31 或 2019年3月31日", "write dates as 2019-03-31, 2019/3/31 or 2019年3月31日"))
        case "LS521":
            return (f"{col_zh}：无法识别的数值「{v}」", f"{col_en}: number '{v}' not recognised",
                    ("数值写作 42、42%、百分之四十二、8000元、10个百分点 或 降低50%（不写负号、科学计数法）",
                     "write 42, 42%, 8000元, 10个百分点 or 降低50% (no minus sign, no exponent)"))
        case "LS526":
            hint = hint or "无单位"  # (a target with no unit takes any: only a defect could bring None here)
            return (f"{col_zh}：「{v}」的计量单位与目标（{hint}）不符", f"{col_en}: '{v}' is not in the target's unit ({hint})",
                    (f"按目标的单位（{hint}）填写，或只写数字", f"write it in {hint}, or the number alone"))
        case "LS527":
            why = {"rate": ("比率不能超过 100%", "a rate cannot exceed 100 %"),
                   "reduction": ("降低幅度不能超过 100%", "a reduction cannot exceed 100 %"),
                   "level": ("此目标是水平值目标，不是提高/降低目标，不能填变化幅度", "the target is a level, not a change")}.get(hint or "", ("不可能的数值", "impossible value"))
            return (f"{col_zh}：「{v}」不可能：{why[0]}", f"{col_en}: '{v}' is impossible: {why[1]}",
                    ("检查数值和计量单位（比例写作 45%；小数请在列名中注明，如「数值（小数）」）", "check the number and its unit"))
        case "LS522":
            return f"{col_zh}：有数值「{v}」但没有指标", f"{col_en}: value '{v}' without a metric", ("在「指标」列写明指标名称", "name the metric in the metric column")
        case "LS523":
            return f"{col_zh}：指标「{v}」没有数值", f"{col_en}: metric '{v}' without a value", None
        case "LS524":
            return (f"{col_zh}：此任务没有「{v}」的目标", f"{col_en}: the task has no target on '{v}'",
                    (f"此任务的指标：{hint}", f"the task's metrics: {hint}") if hint else ("此任务没有数量目标", "the task has no quantitative target"))
        case "LS525":
            return (f"{col_zh}：「{v}」不在「{hint}」目标的范围内", f"{col_en}: '{v}' is not a place the '{hint}' target covers",
                    ("目标有范围时请在「范围」列写明地方，如 青龙街道", "when the target has a scope, name the place in the scope column"))
        case "LS530":
            return (f"{col_zh}：无法识别的事件「{v}」", f"{col_en}: event '{v}' not recognised",
                    (f"此任务的事件：{hint}", f"the task's events: {hint}") if hint else None)
        case "LS531":
            return f"{col_zh}：此任务没有从事件起算的时限，案件「{v}」无从检查", f"{col_en}: the task has no time limit counted from an event", None
        case "LS532":
            broken = ("案件「{v}」只有结束没有开始", "case '{v}' has an end but no start") if hint == "no_start" else \
                ("案件「{v}」结束早于开始", "case '{v}' ends before it starts")
            return broken[0].format(v=v), broken[1].format(v=v), ("检查该案件各行的事件和日期", "check the case's events and dates")
        case "LS533":
            return (f"{col_zh}：日期「{v}」超出节假日历覆盖的年份（{hint}），无法计算工作日", f"{col_en}: '{v}' is outside the years the holiday calendar covers ({hint})",
                    ("升级 chinesecalendar 包（pip install -U chinesecalendar）", "upgrade the chinesecalendar package"))
    return f"{col_zh}：「{v}」有误", f"{col_en}: '{v}' is wrong", None
