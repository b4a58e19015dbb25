"""The last compliance report (`luoshi comply --format json`) where people look for it: each unit's checks beside
its duties, a roll-up per jurisdiction with the most overdue first, and the units to chase behind a collective.

A check on a collective (县政府各部门, 各乡镇（街道）) is nobody's to answer until it names its members: the registry's
members, or for a memberless 各部门 collective the departments of its jurisdiction (`semantics.duties.owners`).
File names from the machine that ran comply are shown without their folders.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass
from typing import Any

from ..model import Corpus, Unit, UnitKind
from ..semantics.duties import owners
from .schedule import Row

STATUS_ZH = {"pass": "通过", "fail": "未通过", "no_data": "无数据", "pending": "未到期"}
STATUS_ORDER = ("fail", "no_data", "pending", "pass")


def file_name(path: object) -> str:
    """A data or report file's name without the folders of the machine that ran comply."""
    return posixpath.basename(str(path).replace("\\", "/"))


def as_of(report: dict[str, Any] | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(report["as_of"])) if report else None
    except (KeyError, ValueError):
        return None


@dataclass(frozen=True)
class Evidence:
    text: str
    where: str     # 完成情况.csv 第3行


@dataclass(frozen=True)
class Result:
    status: str
    policy: str
    task: str
    unit: str
    place: str
    message: str
    rule: str
    source: str
    reason: str
    evidence: tuple[Evidence, ...]

    @property
    def status_zh(self) -> str:
        return STATUS_ZH.get(self.status, self.status)

    @property
    def overdue(self) -> bool:
        return self.status == "fail" and self.reason.startswith("overdue")


def _result(r: dict[str, Any]) -> Result:
    evidence: list[Evidence] = []
    for e in r.get("evidence") or ():
        if isinstance(e, dict):
            where = file_name(e.get("source") or "") + (f" 第{e['row']}行" if e.get("row") not in (None, "") else "")
            evidence.append(Evidence(str(e.get("text") or ""), where.strip()))
    return Result(str(r.get("status") or ""), str(r.get("policy") or ""), str(r.get("task") or ""), str(r.get("unit") or ""),
                  str(r.get("place") or ""), str(r.get("message_zh") or r.get("message") or ""), str(r.get("rule") or ""),
                  str(r.get("source") or ""), str(r.get("reason") or ""), tuple(evidence))


@dataclass(frozen=True)
class Place:
    jurisdiction: str
    counts: dict[str, int]
    overdue: int


class ReportView:
    """The report's results, indexed for the unit pages and the compliance page."""

    def __init__(self, corpus: Corpus, report: dict[str, Any]):
        self.corpus = corpus
        self.results = [_result(r) for r in report.get("results") or () if isinstance(r, dict)]
        self.by_task_unit: dict[tuple[str, str, str], list[Result]] = {}
        for r in self.results:
            self.by_task_unit.setdefault((r.policy, r.task, r.unit), []).append(r)

    def for_row(self, unit: Unit, row: Row) -> list[Result]:
        """The checks on a unit's duty: on the task or one of its steps, addressed to the unit itself or to the
        group or collective the duty reached it through."""
        from ..semantics.duties import with_steps

        who = dict.fromkeys((unit.id, row.duty.named, *([row.inferred.id] if row.inferred else [])))
        found: list[Result] = []
        for step in with_steps(row.duty.policy, row.duty.task):
            for uid in who:
                found += self.by_task_unit.get((row.duty.policy.id, step.id, uid), ())
        found.sort(key=lambda r: STATUS_ORDER.index(r.status) if r.status in STATUS_ORDER else len(STATUS_ORDER))
        return found

    def members(self, unit_id: str) -> tuple[list[Unit], bool]:
        """The units behind a collective or group (listed, or inferred for a memberless 各部门), and whether inferred."""
        unit = self.corpus.unit(unit_id)
        if unit is None or unit.kind is UnitKind.UNIT:
            return [], False
        if unit.members:
            return [m for m in (self.corpus.unit(u) for u in unit.members) if m is not None], False
        owed = owners(self.corpus, unit_id, infer_departments=True)
        if owed.inferred:
            return [u for u in (self.corpus.unit(uid) for uid in owed.units) if u is not None], True
        return [], False

    def places(self) -> list[Place]:
        """Per jurisdiction: checks by status and how many are overdue; the most overdue first."""
        counts: dict[str, dict[str, int]] = {}
        overdue: dict[str, int] = {}
        for r in self.results:
            unit = self.corpus.unit(r.unit)
            place = (unit.jurisdiction if unit else r.place) or "未列辖区"
            counts.setdefault(place, dict.fromkeys(STATUS_ORDER, 0))
            counts[place][r.status] = counts[place].get(r.status, 0) + 1
            overdue[place] = overdue.get(place, 0) + (1 if r.overdue else 0)
        out = [Place(j, c, overdue[j]) for j, c in counts.items()]
        out.sort(key=lambda p: (-p.overdue, -p.counts.get("fail", 0), -p.counts.get("no_data", 0), p.jurisdiction))
        return out

    def failing(self) -> list[Result]:
        return [r for r in self.results if r.status in ("fail", "no_data")]

    def failing_by_place(self) -> list[tuple[Place, list[Result]]]:
        """The failing and unanswered checks per jurisdiction, in places() order (the most overdue first), each
        place's by unit, overdue first: the compliance page shows each place folded under a line of its counts,
        so an official on a phone finds their own 街道 without scrolling past four hundred cards."""
        grouped: dict[str, list[Result]] = {}
        for r in self.failing():
            unit = self.corpus.unit(r.unit)
            grouped.setdefault((unit.jurisdiction if unit else r.place) or "未列辖区", []).append(r)
        for rows in grouped.values():
            rows.sort(key=lambda r: (r.unit, not r.overdue, STATUS_ORDER.index(r.status)))
        return [(p, grouped[p.jurisdiction]) for p in self.places() if p.jurisdiction in grouped]


FOLD_UNITS = 12   # a place with more failing checks than this folds each unit's too (云阳县: 216 cards)


def by_unit(rows: list[Result]) -> list[tuple[str, list[Result]]]:
    """A place's failing checks per unit (rows come sorted by unit), each unit's with its count of overdue."""
    grouped: dict[str, list[Result]] = {}
    for r in rows:
        grouped.setdefault(r.unit, []).append(r)
    return list(grouped.items())
