"""What a compliance run found: a result per check with the rows that show it, the rows set aside, summaries.

Statuses: pass 通过 · fail 未通过 (late, overdue, missed, a period without completion, a slow case) · pending
未到期 (not yet due) · no_data 无数据 (no report for a target's scope, no case at all). A missing report is a failure
of its own kind: it fails the run and the generated test just as a missed target does.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from ..diagnostics import Diagnostic
from ..diagnostics.lang import say
from .plan import Check


class Status(str, Enum):
    PASS = "pass"
    FAIL = "fail"
    PENDING = "pending"
    NO_DATA = "no_data"

    @property
    def zh(self) -> str:
        return {"pass": "通过", "fail": "未通过", "pending": "未到期", "no_data": "无数据"}[self.value]

    @property
    def failing(self) -> bool:
        return self in (Status.FAIL, Status.NO_DATA)


STATUS_ORDER = (Status.PASS, Status.FAIL, Status.PENDING, Status.NO_DATA)


@dataclass(frozen=True)
class Evidence:
    """A data row that shows a result: where it is and what it says."""

    source: str
    row: int
    zh: str
    en: str

    @property
    def where(self) -> str:
        return f"{self.source}:{self.row}"


@dataclass(frozen=True)
class CaseResult:
    """A case of a working-day limit that went over it (or is still open past it)."""

    case: str
    start: dt.date
    end: dt.date | None
    used: int | None
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class CheckResult:
    check: Check
    status: Status
    reason: str  # on_time late overdue not_due met missed no_report missing_period open_period slow …
    zh: str
    en: str
    evidence: tuple[Evidence, ...] = ()
    cases: tuple[CaseResult, ...] = ()
    cases_checked: int = 0

    @property
    def id(self) -> str:
        return self.check.id

    def message(self, lang: str = "both") -> str:
        return say(self.zh, self.en, lang)


@dataclass
class Outcome:
    as_of: dt.date
    results: list[CheckResult]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_set_aside: int = 0
    rows_after_as_of: int = 0
    rows_outside_scope: int = 0  # about policies or units outside --policy/--jurisdiction/--unit: not checked
    scope: str = ""  # the --policy/--jurisdiction/--unit the run was limited to, as given
    problems_by_code: dict[str, int] = field(default_factory=dict)
    problems_not_listed: int = 0

    @property
    def failures(self) -> list[CheckResult]:
        return [r for r in self.results if r.status.failing]

    @property
    def failed(self) -> list[CheckResult]:
        """未通过: late, overdue, missed (not those without data: `no_data`)."""
        return [r for r in self.results if r.status is Status.FAIL]

    @property
    def no_data(self) -> list[CheckResult]:
        return [r for r in self.results if r.status is Status.NO_DATA]

    @property
    def data_errors(self) -> bool:
        return self.rows_set_aside > 0 or any(d.severity.value == "error" for d in self.diagnostics)

    @property
    def exit_code(self) -> int:
        """1 when a check fails or has no data, or when rows had to be set aside."""
        return 1 if self.failures or self.data_errors else 0

    def counts(self) -> Counter[Status]:
        return Counter(r.status for r in self.results)

    def result(self, check_id: str) -> CheckResult | None:
        return next((r for r in self.results if r.id == check_id), None)


def summarise(results: list[CheckResult], key: Callable[[CheckResult], str]) -> list[tuple[str, Counter[Status]]]:
    """(group, count per status) for each group `key(result)` names, in name order."""
    groups: dict[str, Counter[Status]] = defaultdict(Counter)
    for r in results:
        groups[key(r)][r.status] += 1
    return sorted(groups.items())


def by_policy(outcome: Outcome) -> list[tuple[str, Counter[Status]]]:
    return summarise(outcome.results, lambda r: r.check.policy_label)


def unit_names(results: list[CheckResult]) -> dict[str, str]:
    """Unit id → the name to show; a name that stands for units of several jurisdictions gets its jurisdiction
    (各村（社区） of 草街街道 and of 云阳县 are two units)."""
    ids_by_label: dict[str, set[str]] = defaultdict(set)
    for r in results:
        ids_by_label[r.check.unit_label].add(r.check.unit)
    names = {}
    for label, ids in ids_by_label.items():
        for uid in ids:
            suffix = f"（{uid.partition('/')[0]}）"
            names[uid] = label if len(ids) == 1 or label.endswith(suffix) else label + suffix
    return names


def by_unit(outcome: Outcome) -> list[tuple[str, Counter[Status]]]:
    names = unit_names(outcome.results)
    return summarise(outcome.results, lambda r: names[r.check.unit])


def by_place(outcome: Outcome) -> list[tuple[str, Counter[Status]]]:
    return summarise(outcome.results, lambda r: r.check.place)
