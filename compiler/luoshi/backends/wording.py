"""Model values as an official writes them: 2019年3月底前, 每半年1次, 失能特困人员集中供养率达到40%（2019年底前）,
一、 and （二） section labels. Shared by the table and checklist backends, so both documents read alike."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re

from ..model import (
    Comparator,
    Deadline,
    DueDeadline,
    EventLimitDeadline,
    Frequency,
    Goal,
    OngoingDeadline,
    PeriodDeadline,
    Policy,
    RecurringDeadline,
    Target,
    Task,
)
from ..semantics.numerals import int_to_cn as cn_number  # re-exported: site, draft

FREQUENCY_ZH = {Frequency.YEARLY: "每年", Frequency.HALF_YEARLY: "每半年", Frequency.QUARTERLY: "每季度",
                Frequency.MONTHLY: "每月", Frequency.WEEKLY: "每周"}
COMPARATOR_ZH = {Comparator.GE: "不低于", Comparator.LE: "不超过", Comparator.GT: "超过", Comparator.LT: "低于",
                 Comparator.EQ: "达到", Comparator.INCREASE: "提高", Comparator.DECREASE: "降低"}
_NUMBERED = re.compile(r"\d+(\.\d+)*")




def date_zh(d: dt.date) -> str:
    """2019-12-31 → 2019年底, 2019-03-31 → 2019年3月底, 2019-03-15 → 2019年3月15日."""
    if (d.month, d.day) == (12, 31):
        return f"{d.year}年底"
    if d.day == calendar.monthrange(d.year, d.month)[1]:
        return f"{d.year}年{d.month}月底"
    return f"{d.year}年{d.month}月{d.day}日"


def book_title(title: str) -> str:
    """《…》 around a title; titles quoted inside it take 〈〉, as nested book-title marks are written."""
    return "《" + title.replace("《", "〈").replace("》", "〉") + "》"


def policy_label(policy: Policy) -> str:
    """How officials cite a document: its 文号, else its title."""
    return policy.number or (book_title(policy.title) if policy.title else policy.id)


def task_label(task: Task) -> str:
    """2.2 提升特困人员救助供养水平; an untitled step shows the start of its text: 2.2.2 加大失能特困人员集中供养保障力度…"""
    if task.title:
        return f"{task.id} {task.title}"
    if task.text:
        head = re.split(r"[。；，,;]", task.text, maxsplit=1)[0]
        return f"{task.id} {head[:20]}…" if len(head) > 20 or head != task.text.rstrip("。；;") else f"{task.id} {head}"
    return task.id


def _written_head(d: Deadline) -> str:
    """The deadline as written, without its quoted label."""
    text = d.written.strip()
    if d.label and text.endswith('"'):
        text = text[: text.rfind('"', 0, len(text) - 1)].strip()
    return " ".join(text.split())


def deadline_zh(d: Deadline, *, label: bool = True) -> str:
    head = _written_head(d)
    has_cjk_date = "年" in head
    match d:
        case DueDeadline():
            text = head if has_cjk_date else f"{date_zh(d.end)}前"
        case PeriodDeadline():
            text = head if has_cjk_date else f"{date_zh(d.start)}至{date_zh(d.end)}"
        case OngoingDeadline():
            text = "持续" + (f"（自{date_zh(d.start)}起）" if d.start else "")
        case RecurringDeadline():
            every = FREQUENCY_ZH[d.frequency]
            text = f"{every}{d.day}日前" if d.day else f"{every}{d.times}次"
            if d.start and d.end:
                text += f"（{d.start.year}年至{d.end.year}年）" if d.end.year > d.start.year else f"（{d.start.year}年）"
            elif d.start:
                text += f"（自{date_zh(d.start)}起）"
        case EventLimitDeadline():
            limit = d.limit.text
            text = (f"从“{d.from_event}”到“{d.to_event}”不超过{limit}" if d.to_event else
                    f"从“{d.from_event}”起{limit}内")
    return f"{text}（{d.label}）" if label and d.label else text


def target_zh(t: Target) -> str:
    """失能特困人员集中供养率达到40%（2019年底前；范围：各乡镇（街道））."""
    if t.comparator is Comparator.EQ and t.value == 0 and not t.written_comparator:
        text = f"{t.metric}清零"
    else:
        word = t.written_comparator or COMPARATOR_ZH[t.comparator]
        bound = re.search(r"\s(以上|以下)(?=\s|$)", t.written) if t.written_comparator else None  # 稳定在 170万亩 以上
        text = (f"{t.metric}{word}{t.value:g}{t.unit or ''}" + ("以内" if word == "控制在" else "")
                + (bound.group(1) if bound else ""))
    return _qualified(t, text)


def goal_zh(g: Goal) -> str:
    """粮食种植面积不减少 · “十四五”期间产能有提升: a target with no number, as printed."""
    return _qualified(g, f"{g.metric}{g.word}")


def goals_and_targets_zh(task: Task) -> list[str]:
    """A task's targets, then those with no number: the 目标 cell of tables and checklists."""
    return [target_zh(t) for t in task.targets] + [goal_zh(g) for g in task.goals]


def _qualified(t: Target | Goal, text: str) -> str:
    """The period before the text (as printed), the rest after it in brackets: per, where, scope, baseline, date."""
    if t.over is not None:  # “十四五”期间粮食生产面积稳定在170万亩以上 · 2021—2025年累计新增…
        written = re.sub(r'^"(.*)"', r"“\1”", t.over.written)  # "十四五" → “十四五”, as printed
        text = written + ("累计" if t.over.cumulative else "" if written.endswith(("期间", "时期")) else "期间") + text
    qualifiers = []
    if t.per:
        qualifiers.append(f"每{t.per}")
    if t.condition:
        qualifiers.append(f"适用：{t.condition}")
    if t.scope:
        qualifiers.append("范围：" + "、".join(s.written for s in t.scope)
                          + ("合计" if t.shared else ""))
    if t.baseline:
        qualifiers.append(f"基准：{t.baseline}")
    if t.by and not (t.over is not None and t.by == t.over.end):  # a period's end is said by the period
        qualifiers.append(f"{date_zh(t.by)}前")
    return text + (f"（{'；'.join(qualifiers)}）" if qualifiers else "")


def section_label(section_id: str, depth: int) -> str:
    """一、 for a top-level section, （一） below it; ids that are not dotted numbers (一 … 八) are used as
    printed."""
    if _NUMBERED.fullmatch(section_id):
        n = cn_number(int(section_id.rsplit(".", 1)[-1]))
    else:
        n = section_id
    return f"{n}、" if depth == 0 else f"（{n}）"


def safe_file_name(name: str) -> str:
    """A unit, jurisdiction or policy name usable as a file name on Windows and POSIX alike."""
    return "".join("_" if c in '\\/:*?"<>|' or ord(c) < 32 else c for c in name).strip(" .") or "_"


def distinct_file_name(name: str) -> str:
    """`safe_file_name`, made one-to-one: a name the replacement changed gets eight hex digits of a hash of itself,
    so units `a/b` and `a_b` never share a file (one was silently lost), whatever other units there are."""
    safe = safe_file_name(name)
    return safe if safe == name else f"{safe}-{hashlib.sha256(name.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"
