"""The compiled compliance plan: every check, and the catalogue that data rows are matched against.

A plan is what `checks.compile_plan` makes from the model and what the generated suite ships as checks.json, so
`luoshi comply` and `pytest build/compliance` evaluate the very same checks. Names in the catalogue are stored
folded (`fold_key`), so a report written 云阳县民政局, 县民政局 or with full-width brackets finds its unit without
the evaluation ever looking a name up in the registry.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum

from pydantic import BaseModel, ConfigDict

from ..semantics.folding import fold

fold_key = fold  # names fold as the registry folds them (exported: refs, scope, checks, loaders, engine read it)

PLAN_FORMAT = "2"

# a target's comparator as its requirement is written (checks, messages and the template word targets with it; kept
# here so that the engine's wording does not import the compiler's checks and, through them, the duty graph)
SYMBOL = {"ge": "≥", "le": "≤", "gt": ">", "lt": "<", "eq": "=", "increase": "提高", "decrease": "降低"}

_BRACKETS = str.maketrans("[(【〘])】〙", "〔〔〔〔〕〕〕〕")


def fold_number(text: str) -> str:
    """The key of a policy id or 文号: folded like a name (NFKC, no white space), and with every kind of bracket
    around the year written 〔〕, so 渝府办发[2018]161号 = 渝府办发（2018）161号 = 渝府办发〔2018〕161号."""
    return fold_key(text).translate(_BRACKETS)


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CheckKind(str, Enum):
    DEADLINE = "deadline"
    RECURRING = "recurring"
    TARGET = "target"
    LIMIT = "limit"

    @property
    def zh(self) -> str:
        return {"deadline": "时限", "recurring": "定期", "target": "目标", "limit": "办理时限"}[self.value]


class PolicyEntry(Frozen):
    id: str
    label: str
    title: str | None = None
    jurisdiction: str | None = None
    date: dt.date | None = None
    keys: tuple[str, ...] = ()
    scopes: dict[str, str] = {}  # folded place or unit name → unit id, for the `scope` column
    registry: str | None = None  # the units file declaring the policy's jurisdiction (where a missing township goes)


class UnitEntry(Frozen):
    id: str
    name: str
    jurisdiction: str
    keys: tuple[str, ...] = ()
    members: tuple[str, ...] = ()  # a collective's or group's declared members (unit ids)


class JurisdictionEntry(Frozen):
    """A jurisdiction with its parent and the names it goes by (for `--jurisdiction`)."""

    id: str
    parent: str | None = None
    keys: tuple[str, ...] = ()


class Assigned(Frozen):
    """A unit a task assigns, with every name a report may give for it (its sub-units count as it)."""

    unit: str
    role: str
    keys: tuple[str, ...] = ()
    memberless: str | None = None  # a collective that declares no members: the registry file to list them in


class TaskEntry(Frozen):
    policy: str
    id: str
    title: str | None = None
    printed: str | None = None  # the number as the document prints it: 二（二）二是, or a table's 序号
    chain: tuple[int, ...] = ()  # the printed numbers level by level: (2, 2, 2); a table row's (序号,)
    row: bool = False  # numbered as a row of a responsibility table (璧山 附件 1–35)
    parent: str | None = None
    assigned: tuple[Assigned, ...] = ()
    members: dict[str, str] = {}  # folded name → unit id: members of an assigned collective or group
    metrics: dict[str, str] = {}  # folded metric → the metric as the policy writes it
    events: dict[str, str] = {}  # folded event name → "start" | "end"


class Check(Frozen):
    id: str
    kind: CheckKind
    policy: str
    policy_label: str
    task: str
    printed: str | None = None  # the task's number as the document prints it (二（二）二是)
    unit: str
    unit_label: str
    collective: str | None = None  # the collective this member owes the duty as (各乡镇（街道）)
    memberless: str | None = None  # the unit is a collective with no members declared: the registry file to list them in
    role: str
    place: str
    written: str
    source: str  # policies/…:line:column of the deadline or target
    due: dt.date | None = None
    frequency: str | None = None
    times: int | None = None
    window_start: dt.date | None = None
    window_end: dt.date | None = None
    metric: str | None = None
    comparator: str | None = None
    threshold: float | None = None
    target_unit: str | None = None
    by: dt.date | None = None
    baseline: str | None = None  # a relative target's baseline as written (2018年)
    baseline_by: dt.date | None = None  # its last day: levels reported by then are the baseline
    scope: str | None = None
    scope_label: str | None = None
    from_event: str | None = None
    to_event: str | None = None
    limit_days: int | None = None
    working_days: bool = False


class Plan(Frozen):
    format: str = PLAN_FORMAT
    policies: tuple[PolicyEntry, ...] = ()
    units: tuple[UnitEntry, ...] = ()
    jurisdictions: tuple[JurisdictionEntry, ...] = ()
    tasks: tuple[TaskEntry, ...] = ()
    checks: tuple[Check, ...] = ()

    def to_json(self) -> bytes:
        return (self.model_dump_json(indent=1) + "\n").encode("utf-8")

    @staticmethod
    def from_json(data: bytes | str) -> Plan:
        return Plan.model_validate_json(data)

    def check(self, check_id: str) -> Check | None:
        return next((c for c in self.checks if c.id == check_id), None)

    def policy(self, policy_id: str) -> PolicyEntry | None:
        return next((p for p in self.policies if p.id == policy_id), None)
