"""A unit's "by when": every duty with the dates it falls due, from its deadlines (its own, or its measure's or
phase's), its dated targets (失能特困人员集中供养率达到40%，2019年底) and its steps', sorted by the next date;
and the same dates as a calendar feed (ICS, RFC 5545) that mail and calendar clients import.

Duties reach a unit as the checklist says (named, as a sub-unit, as a listed member of a group or collective),
and also through a collective the registry lists no members of but whose role says who belongs: 县政府各部门
(role 政府部门, "本级政府各部门") reaches every department of its own jurisdiction. Without that, the dated
实施步骤 of 云阳's plan, addressed to 县政府各部门, never reached 县民政局. Such a duty is marked as inferred.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from ..backends.wording import deadline_zh, policy_label, target_zh, task_label
from ..model import (
    Corpus,
    ItemKind,
    Policy,
    Task,
    Unit,
    UnitKind,
    derived,
)
from ..semantics.duties import Duty, duties, nearest, owners, with_steps
from ..semantics.graph import CorpusGraph


@dataclass(frozen=True)
class Due:
    date: dt.date | None
    what: str            # 时限 / 目标 / 阶段
    text: str            # as the checklist words it


@dataclass(frozen=True)
class Row:
    duty: Duty
    dues: tuple[Due, ...]
    inferred: Unit | None = None     # the memberless collective the duty came through
    next: dt.date | None = field(default=None)

    @property
    def dated(self) -> list[Due]:
        return [d for d in self.dues if d.date]


def _inferring_collectives(corpus: Corpus) -> dict[str, list[Unit]]:
    """The collectives owed by inferred departments (`duties.owners` with `infer_departments`), by jurisdiction."""
    def build(c: Corpus) -> dict[str, list[Unit]]:
        found: dict[str, list[Unit]] = {}
        for u in c.units:
            if u.kind is UnitKind.COLLECTIVE and owners(c, u.id, infer_departments=True).inferred:
                found.setdefault(u.jurisdiction, []).append(u)
        return found

    found: dict[str, list[Unit]] = derived(corpus, "site.memberless-collectives", build)
    return found


def inferred_collectives(corpus: Corpus, unit: Unit) -> list[Unit]:
    """The memberless 各部门 collectives of the unit's jurisdiction, when the unit is one of its departments."""
    return [c for c in _inferring_collectives(corpus).get(unit.jurisdiction, ())
            if unit.id in owners(corpus, c.id, infer_departments=True).units]


def dues(duty: Duty) -> tuple[Due, ...]:
    """The duty's dates: deadlines (own or enclosing), then dated targets of the task and its steps, each once."""
    policy, task = duty.policy, duty.task
    out: list[Due] = []
    deadlines, _ = nearest(policy, task, "deadlines")
    phases = {id(d) for t in _enclosing(policy, task) if t.kind is ItemKind.PHASE for d in t.deadlines}
    for d in deadlines:
        out.append(Due(d.due, "阶段" if id(d) in phases else "时限", deadline_zh(d)))
    for step in with_steps(policy, task):
        for t in step.targets:
            out.append(Due(t.by, "目标", target_zh(t)))
    return tuple(dict.fromkeys(out))


def _enclosing(policy: Policy, task: Task) -> list[Task]:
    """The task and the tasks around it, innermost first."""
    out: list[Task] = []
    current: Task | None = task
    seen: set[str] = set()
    while current is not None and current.id not in seen:
        seen.add(current.id)
        out.append(current)
        current = policy.task(current.parent) if current.parent else None
    return out


def _collective_duties(cg: CorpusGraph, collective: str) -> list[Duty]:
    """A memberless collective's duties, worked out once per corpus rather than once per department it reaches."""
    memo: dict[str, list[Duty]] = derived(cg.corpus, "site.collective-duties", lambda corpus: {})
    if collective not in memo:
        memo[collective] = duties(cg, collective)
    return memo[collective]


def schedule(cg: CorpusGraph, unit: Unit, as_of: dt.date | None = None) -> list[Row]:
    """The unit's duties with their dates, the next date due first (on or after `as_of` when given: the
    compliance report's date; the site has no "today", so the same input gives the same page), undated last."""
    rows: dict[str, Row] = {}
    for duty in duties(cg, unit.id):
        rows[str(duty.task.key)] = Row(duty, dues(duty))
    for collective in inferred_collectives(cg.corpus, unit):
        for duty in _collective_duties(cg, collective.id):
            key = str(duty.task.key)
            if key not in rows:
                rows[key] = Row(duty, dues(duty), collective)
    out: list[Row] = []
    for row in rows.values():
        dates = sorted(d.date for d in row.dues if d.date)
        upcoming = [d for d in dates if as_of is None or d >= as_of]
        nxt = upcoming[0] if upcoming else (dates[-1] if dates else None)
        out.append(Row(row.duty, row.dues, row.inferred, nxt))
    out.sort(key=lambda r: (r.next is None, as_of is not None and r.next is not None and r.next < as_of,
                            r.next or dt.date.min, r.duty.policy.id, r.duty.task.order))
    return out


# ───────────── the calendar feed ─────────────


def _escape(text: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon, comma and line breaks escaped."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line: str) -> str:
    """Content lines of at most 75 octets, continued with CRLF and a space, never splitting a UTF-8 character."""
    out: list[bytes] = []
    current = b""
    for ch in line:
        b = ch.encode("utf-8")
        if len(current) + len(b) > (75 if not out else 74):
            out.append(current)
            current = b""
        current += b
    out.append(current)
    return "\r\n ".join(part.decode("utf-8") for part in out)


def stamp(corpus: Corpus) -> str:
    """DTSTAMP: the newest policy date in the corpus (not the clock), so the same corpus gives the same bytes."""
    dates = [p.date for p in corpus.policies if p.date]
    day = max(dates) if dates else dt.date(2000, 1, 1)
    return f"{day:%Y%m%d}T000000Z"


def calendar(corpus: Corpus, unit: Unit, rows: list[Row], site_url: str = "") -> bytes:
    """One all-day event per dated due of each duty; UIDs from the unit, task and due (stable across builds)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//luoshi//docs site//ZH", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{_escape(unit.name + '（' + unit.jurisdiction + '）工作任务')}"]
    dtstamp = stamp(corpus)
    for row in rows:
        d = row.duty
        for due in row.dated:
            assert due.date is not None, "Row.dated keeps the dated dues"
            ident = hashlib.sha256(f"{unit.id}|{d.task.key}|{due.what}|{due.text}|{due.date}".encode()).hexdigest()[:32]
            summary = f"{policy_label(d.policy)} {task_label(d.task)}（{d.role.zh}）"
            description = f"{due.what}：{due.text}" + (f"\n作为{row.inferred.name}之一（名录未列成员）" if row.inferred else "")
            lines += ["BEGIN:VEVENT", f"UID:{ident}@luoshi", f"DTSTAMP:{dtstamp}",
                      f"DTSTART;VALUE=DATE:{due.date:%Y%m%d}", f"DTEND;VALUE=DATE:{due.date + dt.timedelta(days=1):%Y%m%d}",
                      f"SUMMARY:{_escape(summary)}", f"DESCRIPTION:{_escape(description)}", "TRANSP:TRANSPARENT",
                      "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")


def calendar_path(unit: Unit) -> str:
    from .paths import slug

    jurisdiction, _, name = unit.id.partition("/")
    return f"downloads/calendars/{slug(jurisdiction)}/{slug(name)}.ics"
