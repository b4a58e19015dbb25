"""Model → compliance plan: one check per policy × task × accountable unit × deadline or target (× scope).

What each deadline and target becomes:
- a due date or a period (`时限 2019年3月底前`, `时限 2018—2020年`): the lead and every co-responsible unit
  (牵头, 负责) must report 已完成 on or before its last day. A sub-task without deadlines of its own carries its
  enclosing task's (the phases of 云阳 22号 四、实施步骤 give their periods to their 一是、二是 sub-tasks).
- a recurring obligation (`时限 每半年1次`): that many completions in every calendar period, counted from the
  deadline's start, else the policy's date, else the first report on the policy.
- a target (`目标 … 达到 40% 截至 2019年底 范围 各乡镇（街道）`): the accountable unit (the lead; without one,
  each co-responsible unit) must see the latest value on or before the target date meet it, for every member of
  the scope (or for its own reports when the target has no scope). Relative targets (提高/降低) are met by the
  change the data shows: reported as such, or worked out from a level and its baseline (`relative.py`).
- a limit counted from an event (`时限 从 "发现、受理" 到 "发放临时救助金" 不超过 3个工作日`): every case a
  responsible unit reports stays within the limit, in China's working days when the text says 工作日.
A limit counted from the policy's own issue (`时限 从 "本意见印发之日" 30日内`) is a due date: the issue date
plus the limit. `时限 持续` (ongoing work) has no date to check and compiles to nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import Any

from ..driver import perf
from ..model import (
    AssignmentRole,
    Corpus,
    Deadline,
    DueDeadline,
    EventLimitDeadline,
    ItemKind,
    PeriodDeadline,
    Policy,
    PolicyKind,
    RecurringDeadline,
    Target,
    Task,
    Unit,
    UnitKind,
)
from ..semantics.duties import owners
from ..semantics.printed import is_row_number, numbers
from .periods import FREQUENCY_ZH
from .plan import (
    SYMBOL,
    Assigned,
    Check,
    CheckKind,
    JurisdictionEntry,
    Plan,
    PolicyEntry,
    TaskEntry,
    UnitEntry,
    fold_key,
    fold_number,
)
from .relative import RELATIVE, baseline_end
from .vocabulary import short_forms
from .workdays import add_working_days

START_WORDS = ("开始", "start")
END_WORDS = ("结束", "完成", "end")
ISSUE = re.compile(r"(印发|发布|下发|发文|公布|施行)之日")
_ROLE_RANK = {AssignmentRole.LEAD: 0, AssignmentRole.CO_RESPONSIBLE: 1, AssignmentRole.COOPERATE: 2}


def compile_plan(corpus: Corpus) -> Plan:
    """Every check of every encoded policy, with the catalogue of names data rows may use."""
    with perf.gc_paused():  # ~100,000 new model objects at 1k files, none garbage: the collector only re-scans them
        return _compile_plan(corpus)


def _compile_plan(corpus: Corpus) -> Plan:
    policies = [p for p in corpus.policies if p.kind is PolicyKind.POLICY]
    checks: list[Check] = []
    tasks: list[TaskEntry] = []
    places = _Places(corpus)
    for policy in policies:
        labels = _unit_labels(corpus, policy)
        for task in policy.tasks:
            if task.kind is ItemKind.CLAUSE:
                continue
            tasks.append(_task_entry(corpus, policy, task))
            checks += _task_checks(corpus, policy, task, labels)
    return Plan(
        policies=tuple(_policy_entry(corpus, p, places) for p in policies),
        units=tuple(UnitEntry(id=u.id, name=u.name, jurisdiction=u.jurisdiction, keys=_unit_keys(u), members=u.members)
                    for u in sorted(corpus.units, key=lambda u: u.id)),
        jurisdictions=tuple(JurisdictionEntry(id=j.id, parent=j.parent, keys=tuple(sorted({fold_key(j.id), *map(fold_key, j.aliases)})))
                            for j in sorted(corpus.jurisdictions, key=lambda j: j.id)),
        tasks=tuple(tasks),
        checks=tuple(_unique_ids(checks)),
    )


# ───────────── the catalogue ─────────────


def policy_label(policy: Policy) -> str:
    """How reports and test ids name a policy: its 文号, or its id when none is printed."""
    return policy.number or policy.id


def counts_from_issue(d: EventLimitDeadline) -> bool:
    """本意见印发之日起30日内: a limit from the policy's own issue, not from an event of each case."""
    return bool(ISSUE.search(d.from_event)) and not d.to_event


def _policy_entry(corpus: Corpus, policy: Policy, places: _Places) -> PolicyEntry:
    keys = sorted({fold_number(policy.id)} | ({fold_number(policy.number)} if policy.number else set()))
    return PolicyEntry(id=policy.id, label=policy_label(policy), title=policy.title, jurisdiction=policy.jurisdiction,
                       date=policy.date, keys=tuple(keys), scopes=_scope_names(places, policy.jurisdiction),
                       registry=places.files.get(policy.jurisdiction or ""))


def _unit_keys(unit: Unit) -> tuple[str, ...]:
    """Every name a report may give a unit: its name, id and aliases, and the short names offices write for them
    (县卫健委 for 县卫生健康委: `vocabulary.SHORT_NAMES`)."""
    names = {unit.name, *unit.aliases}
    names |= {short for name in names for short in short_forms(name)}
    return tuple(sorted({fold_key(unit.id), *map(fold_key, names)}))


class _Places:
    """Jurisdictions below each jurisdiction and units by jurisdiction, built once per plan: each policy scanning
    every jurisdiction and unit made the plan quadratic (5 of 10 s at the 1k benchmark corpus)."""

    def __init__(self, corpus: Corpus):
        self.known = {j.id for j in corpus.jurisdictions}
        self.files = {j.id: j.span.file for j in corpus.jurisdictions}  # the units file declaring each
        self.children: dict[str, list[str]] = defaultdict(list)
        for j in corpus.jurisdictions:
            if j.parent is not None:
                self.children[j.parent].append(j.id)
        self.units: dict[str, list[Unit]] = defaultdict(list)
        for unit in corpus.units:
            self.units[unit.jurisdiction].append(unit)


def _below(places: _Places, jurisdiction: str | None) -> set[str]:
    """The jurisdiction and every jurisdiction within it (of those the registry declares)."""
    if jurisdiction is None:
        return set()
    seen, todo = {jurisdiction}, [jurisdiction]
    while todo:
        for child in places.children.get(todo.pop(), ()):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return seen & places.known


def _scope_names(places: _Places, jurisdiction: str | None) -> dict[str, str]:
    """Folded unit names (and ids) within the policy's jurisdiction → unit id; a name two units share is left out
    (the qualified id still works)."""
    found: dict[str, set[str]] = defaultdict(set)
    for j in _below(places, jurisdiction):
        for unit in places.units.get(j, ()):
            for key in _unit_keys(unit):
                found[key].add(unit.id)
    return {key: next(iter(ids)) for key, ids in sorted(found.items()) if len(ids) == 1}


def _task_entry(corpus: Corpus, policy: Policy, task: Task) -> TaskEntry:
    best: dict[str, tuple[AssignmentRole, set[str]]] = {}
    for a in task.assignments:
        keys = {fold_key(a.unit.written)}
        unit = corpus.unit(a.unit.unit)
        if unit:
            keys |= set(_unit_keys(unit))
        for sub in a.unit.subunits:
            sub_unit = corpus.unit(sub.unit)
            keys |= {fold_key(sub.written)} | (set(_unit_keys(sub_unit)) if sub_unit else set())
        role, old = best.get(a.unit.unit, (a.role, set()))
        best[a.unit.unit] = (min(role, a.role, key=lambda r: _ROLE_RANK[r]), old | keys)
    assigned = tuple(Assigned(unit=uid, role=role.value, keys=tuple(sorted(keys)), memberless=memberless(corpus, uid))
                     for uid, (role, keys) in best.items())
    members: dict[str, str] = {}
    for uid in best:
        unit = corpus.unit(uid)
        for member_id in (unit.members if unit else ()):
            member = corpus.unit(member_id)
            if member and member_id not in best:
                members.update(dict.fromkeys(_unit_keys(member), member_id))
    metrics = {fold_key(t.metric): t.metric for t in task.targets}
    events: dict[str, str] = {}
    for d in task.deadlines:
        if isinstance(d, EventLimitDeadline) and not counts_from_issue(d):
            events.update({fold_key(w): "start" for w in (*START_WORDS, d.from_event)})
            events.update({fold_key(w): "end" for w in (*END_WORDS, d.to_event or "")})
    events.pop("", None)
    row = is_row_number(task.id, task.section)
    chain = numbers(task.id) or () if task.printed else ()
    return TaskEntry(policy=policy.id, id=task.id, title=task.title, printed=task.printed, chain=chain, row=row,
                     parent=task.parent, assigned=assigned, members=dict(sorted(members.items())),
                     metrics=dict(sorted(metrics.items())), events=dict(sorted(events.items())))


def _unit_labels(corpus: Corpus, policy: Policy) -> dict[str, str]:
    """Unit id → the name reports show; a name two units of the policy share gets its jurisdiction: 区民政局（璧山区）."""
    ids = {a.unit.unit for t in policy.tasks for a in t.assignments} | {s.unit for t in policy.tasks for g in t.targets for s in g.scope}
    for uid in list(ids):
        unit = corpus.unit(uid)
        ids |= set(unit.members) if unit else set()
    names: dict[str, list[str]] = defaultdict(list)
    for uid in sorted(ids):
        unit = corpus.unit(uid)
        names[unit.name if unit else uid].append(uid)
    labels = {}
    for name, group in names.items():
        for uid in group:
            unit = corpus.unit(uid)
            labels[uid] = name if len(group) == 1 or unit is None else f"{name}（{unit.jurisdiction}）"
    return labels


# ───────────── the checks ─────────────


def memberless(corpus: Corpus, uid: str) -> str | None:
    """A collective that declares no members: the registry file its members are to be listed in, else None."""
    unit = corpus.unit(uid)
    if unit is None or unit.kind is not UnitKind.COLLECTIVE or any(corpus.unit(m) for m in unit.members):
        return None
    return unit.span.file


def _responsible(task: Task) -> list[str]:
    """Lead and co-responsible units (牵头, 负责), lead first, each once."""
    ordered = sorted((a for a in task.assignments if a.role is not AssignmentRole.COOPERATE), key=lambda a: _ROLE_RANK[a.role])
    return list(dict.fromkeys(a.unit.unit for a in ordered))


def _accountable(task: Task) -> list[str]:
    """Who answers for a target: the lead, or without one every co-responsible unit."""
    leads = [a.unit.unit for a in task.assignments if a.role is AssignmentRole.LEAD]
    return list(dict.fromkeys(leads)) or _responsible(task)


def _deadlines(policy: Policy, task: Task) -> tuple[Deadline, ...]:
    """The task's deadlines, or those of the nearest enclosing task that has any."""
    current: Task | None = task
    while current is not None:
        if current.deadlines:
            return current.deadlines
        current = policy.task(current.parent) if current.parent else None
    return ()


def _task_checks(corpus: Corpus, policy: Policy, task: Task, labels: dict[str, str]) -> list[Check]:
    out: list[Check] = []
    duty: dict[str, str | None] = {}  # who owes it → the collective it is owed as (named itself first: one duty)
    for uid in _responsible(task):
        owed = owners(corpus, uid)  # declared members only: comply checks what the registry lists
        for owner in owed.units:
            duty.setdefault(owner, owed.collective)
    for deadline in _deadlines(policy, task):
        for uid, collective in duty.items():
            check = _deadline_check(corpus, policy, task, uid, labels, deadline)
            if check and collective:
                role = next(a.role.value for a in task.assignments if a.unit.unit == collective)
                check = check.model_copy(update={"collective": collective, "role": role})
            if check:
                out.append(check)
    for target in task.targets:
        for uid in _accountable(task):
            for scope, scope_label, place in _scope_members(corpus, target, labels):
                out.append(_target_check(corpus, policy, task, uid, labels, target, scope, scope_label, place))
    return out


def _base(corpus: Corpus, policy: Policy, task: Task, uid: str, labels: dict[str, str], kind: CheckKind, detail: str,
          written: str, source: str, place: str | None = None) -> dict[str, Any]:
    unit = corpus.unit(uid)
    label = labels.get(uid, uid)
    role = next((a.role.value for a in task.assignments if a.unit.unit == uid), "lead")
    return {"id": f"{policy_label(policy)}::{task.id}::{label}::{kind.value}[{detail}]", "kind": kind,
            "policy": policy.id, "policy_label": policy_label(policy), "task": task.id, "printed": task.printed,
            "unit": uid, "unit_label": label, "memberless": memberless(corpus, uid), "role": role,
            "place": place or (unit.jurisdiction if unit else ""), "written": written, "source": source}


def _deadline_check(corpus: Corpus, policy: Policy, task: Task, uid: str, labels: dict[str, str], d: Deadline) -> Check | None:
    common = (corpus, policy, task, uid, labels)
    where = str(d.span)
    match d:
        case DueDeadline() | PeriodDeadline():
            return Check(**_base(*common, CheckKind.DEADLINE, d.due.isoformat(), d.written, where), due=d.due)
        case RecurringDeadline():
            detail = f"{FREQUENCY_ZH[d.frequency.value]}{d.times}次"
            return Check(**_base(*common, CheckKind.RECURRING, detail, d.written, where), frequency=d.frequency.value,
                         times=d.times, window_start=d.start or policy.date, window_end=d.end)
        case EventLimitDeadline(limit_days=int(days)) if counts_from_issue(d):
            if policy.date is None:
                return None  # 印发之日起30日内 of an undated policy: no date to count from
            due = add_working_days(policy.date, days) if d.working_days else policy.date + dt.timedelta(days=days)
            return Check(**_base(*common, CheckKind.DEADLINE, due.isoformat(), d.written, where), due=due)
        case EventLimitDeadline(limit_days=int(days)) if d.from_event:
            text = d.limit.text
            detail = f"{d.from_event}→{d.to_event}≤{text}" if d.to_event else f"{d.from_event}起≤{text}"
            return Check(**_base(*common, CheckKind.LIMIT, detail, d.written, where), from_event=d.from_event,
                         to_event=d.to_event, limit_days=days, working_days=d.working_days)
    return None  # ongoing, or a limit in months or hours: nothing to check against dates


def _scope_members(corpus: Corpus, target: Target, labels: dict[str, str]) -> list[tuple[str | None, str | None, str | None]]:
    """(unit id, label, place) for each place a target holds in: every named member of a scope collective, or the
    scope unit itself; one (None, None, None) when the target has no scope, one labelled 「…合计」 when shared."""
    if not target.scope:
        return [(None, None, None)]
    if target.shared:  # 范围 各镇（街道） 合计: one figure for them together, reported as one
        return [(None, "、".join(ref.written for ref in target.scope) + "合计", None)]
    out = []
    for ref in target.scope:
        unit = corpus.unit(ref.unit)
        members = [corpus.unit(m) for m in unit.members] if unit and unit.kind is not UnitKind.UNIT else []
        for member in [m for m in members if m] or ([unit] if unit else []):
            out.append((member.id, _place_label(member, labels), member.jurisdiction))
    return list(dict.fromkeys(out))


def _place_label(unit: Unit, labels: dict[str, str]) -> str:
    """A scope as officials name the place: 青龙街道 for 青龙街道办事处 (its jurisdiction, when that is one of its
    names), else the unit's name."""
    if fold_key(unit.jurisdiction) in _unit_keys(unit):
        return unit.jurisdiction
    return labels.get(unit.id, unit.name)


def _number(value: float) -> str:
    return f"{value:g}"


def target_text(target: Target) -> str:
    """A target in one line: 失能特困人员集中供养率≥40% 截至2019-12-31."""
    text = f"{target.metric}{SYMBOL[target.comparator.value]}{_number(target.value)}{target.unit or ''}"
    if target.per:
        text += f" 每{target.per}"
    if target.condition:
        text += f"（{target.condition}）"
    return text + (f" 截至{target.by.isoformat()}" if target.by else "")


def _target_check(corpus: Corpus, policy: Policy, task: Task, uid: str, labels: dict[str, str], target: Target,
                  scope: str | None, scope_label: str | None, place: str | None) -> Check:
    detail = target_text(target) + (f" {scope_label}" if scope_label else "")
    base = _base(corpus, policy, task, uid, labels, CheckKind.TARGET, detail, target.written, str(target.span), place)
    relative = target.comparator.value in RELATIVE
    return Check(**base, metric=target.metric, comparator=target.comparator.value, threshold=target.value,
                 target_unit=target.unit, by=target.by, scope=scope, scope_label=scope_label,
                 baseline=target.baseline if relative else None,
                 baseline_by=baseline_end(target.baseline) if relative else None)


def _unique_ids(checks: list[Check]) -> list[Check]:
    """Two checks that would read the same (two identical deadlines on one task) are told apart by #2, #3 …"""
    seen: dict[str, int] = defaultdict(int)
    out = []
    for check in checks:
        seen[check.id] += 1
        out.append(check if seen[check.id] == 1 else check.model_copy(update={"id": f"{check.id}#{seen[check.id]}"}))
    return out
