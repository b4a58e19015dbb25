"""How good is an import? Precision and recall against an existing encoding of the same document.

Both sides go through the compiler (parse → resolve against the same registry), so units are compared by unit
id and dates by calendar date, never by how they were written. Tasks (任务 and 阶段) are paired by their
original text (character-bigram overlap, best pairs first); then, over all tasks:

- tasks: paired / imported (precision), paired / encoded (recall);
- units: (task, role, unit) triples, per role (牵头 / 负责 / 配合) and for any role (the unit is assigned at all);
- deadlines: (task, kind, start, end, frequency, times, limit in days);
- targets: (task, comparator, value, unit, by-date).

An unpaired task's triples count against the side that has them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from luoshi import model
from luoshi.astbuild import build_ast
from luoshi.diagnostics import Sink
from luoshi.parse import parse_source
from luoshi.pipeline import source_files
from luoshi.resolve import resolve
from luoshi.source import SourceFile, read_source

WORK = (model.ItemKind.TASK, model.ItemKind.PHASE)
IMPORT_PREFIX = "import-"


@dataclass
class Measure:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)  # encoded, not imported
    extras: list[str] = field(default_factory=list)  # imported, not encoded

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Score:
    policy: str
    measures: dict[str, Measure]
    pairs: dict[str, str]  # encoded task id → imported task id

    def as_rows(self) -> list[tuple[str, int, int, int, float, float]]:
        return [(name, m.tp, m.fp, m.fn, m.precision, m.recall) for name, m in self.measures.items()]


MEASURE_NAMES = {
    "tasks": "任务 tasks", "units": "单位（任一角色）units, any role", "lead": "牵头 lead",
    "co_responsible": "负责 co-responsible", "cooperate": "配合 cooperate", "deadlines": "时限 deadlines",
    "targets": "目标 targets",
}


def compile_with(policy_text: str, units_text: str | None, policies: Path) -> model.Corpus:
    """The corpus of `policies/` plus the draft (given in memory), resolved together."""
    sink = Sink()
    units = []
    texts = [read_source(p, str(p)) for p in source_files(policies)]
    texts.append(SourceFile.of("<import>.policy", policy_text))
    if units_text:
        texts.append(SourceFile.of("<import>.units", units_text))
    for source in texts:
        tree = parse_source(source, sink)
        if tree is not None:
            units.append(build_ast(tree, source.path, source.text))
    return resolve(units, sink)


def score_import(imported, encoded_id: str, policies: Path) -> Score | None:
    """Score an `Imported` draft against the encoded policy `encoded_id` of the corpus in `policies`.
    The draft is compiled under a prefixed id so both live in one corpus; None when either is missing."""
    from .printer import render_policy

    draft_policy = imported.result.policy
    original = draft_policy.id
    draft_policy.id = IMPORT_PREFIX + original
    try:
        text = render_policy(draft_policy, imported.document.path)
    finally:
        draft_policy.id = original
    corpus = compile_with(text, imported.units_text, policies)
    encoded, mine = corpus.policy(encoded_id), corpus.policy(IMPORT_PREFIX + original)
    if encoded is None or mine is None or encoded.kind is not model.PolicyKind.POLICY:
        return None
    return score(encoded, mine)


def score(encoded: model.Policy, imported: model.Policy) -> Score:
    mine = [t for t in encoded.tasks if t.kind in WORK]
    theirs = [t for t in imported.tasks if t.kind in WORK]
    pairs = _pair(mine, theirs)
    measures = {"tasks": Measure(tp=len(pairs), fp=len(theirs) - len(pairs), fn=len(mine) - len(pairs))}
    measures["tasks"].misses = [t.id for t in mine if t.id not in pairs]
    paired_back = set(pairs.values())
    measures["tasks"].extras = [t.id for t in theirs if t.id not in paired_back]
    name_of = {t.id: t.id for t in mine} | {t.id: f"~{t.id}" for t in theirs if t.id not in paired_back}
    back = {v: k for k, v in pairs.items()}

    def key(task: model.Task, encoded_side: bool) -> str:
        return task.id if encoded_side else back.get(task.id, name_of[task.id])

    def facts(tasks, encoded_side: bool, extract) -> set[tuple]:
        return {(key(t, encoded_side), *fact) for t in tasks for fact in extract(t)}

    extractors = {
        "units": lambda t: {(a.unit.unit,) for a in t.assignments},
        "lead": lambda t: {(a.unit.unit,) for a in t.assignments if a.role is model.AssignmentRole.LEAD},
        "co_responsible": lambda t: {(a.unit.unit,) for a in t.assignments if a.role is model.AssignmentRole.CO_RESPONSIBLE},
        "cooperate": lambda t: {(a.unit.unit,) for a in t.assignments if a.role is model.AssignmentRole.COOPERATE},
        "deadlines": lambda t: {_deadline(d) for d in t.deadlines},
        "targets": lambda t: {_target(x) for x in t.targets},
    }
    for name, extract in extractors.items():
        a, b = facts(mine, True, extract), facts(theirs, False, extract)
        measures[name] = Measure(tp=len(a & b), fp=len(b - a), fn=len(a - b),
                                 misses=sorted(map(_show, a - b)), extras=sorted(map(_show, b - a)))
    return Score(encoded.id, measures, pairs)


def _deadline(d: model.Deadline) -> tuple:
    return (d.kind.value, str(d.start or ""), str(d.end or ""), d.frequency.value if d.frequency else "",
            d.times or 0, d.limit_days or 0)


def _target(t: model.Target) -> tuple:
    return (t.comparator.value, round(t.value, 4), t.unit or "", str(t.by or ""))


def _show(fact: tuple) -> str:
    return " ".join(str(x) for x in fact if x not in ("", 0))


def _squash(text: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def _bigrams(text: str) -> set[str]:
    t = _squash(text)
    return {t[i: i + 2] for i in range(len(t) - 1)}


def _pair(mine: list[model.Task], theirs: list[model.Task], threshold: float = 0.5) -> dict[str, str]:
    """Encoded task id → imported task id, best text overlaps first (Dice coefficient of character bigrams)."""
    grams_a = {t.id: _bigrams(t.text or t.title or "") for t in mine}
    grams_b = {t.id: _bigrams(t.text or t.title or "") for t in theirs}
    candidates = []
    for a, ga in grams_a.items():
        for b, gb in grams_b.items():
            if ga and gb:
                dice = 2 * len(ga & gb) / (len(ga) + len(gb))
                if dice >= threshold:
                    candidates.append((-dice, a, b))
    pairs: dict[str, str] = {}
    used: set[str] = set()
    for _, a, b in sorted(candidates):
        if a not in pairs and b not in used:
            pairs[a] = b
            used.add(b)
    return pairs


def render_score(s: Score, lang: str = "both", misses: int = 8) -> str:
    """A plain table for people: measure, tp/fp/fn, precision, recall; then what was missed."""
    lines = [f"{'比对 scoring':<32}{'正确':>6}{'多出':>6}{'遗漏':>6}{'精确率 P':>10}{'召回率 R':>10}",
             f"{s.policy}"]
    for name, m in s.measures.items():
        lines.append(f"  {MEASURE_NAMES[name]:<30}{m.tp:>6}{m.fp:>6}{m.fn:>6}{m.precision:>10.2f}{m.recall:>10.2f}")
    for name, m in s.measures.items():
        if m.misses:
            shown = "；".join(m.misses[:misses]) + ("；…" if len(m.misses) > misses else "")
            lines.append(f"  遗漏 missed {name}: {shown}")
        if m.extras:
            shown = "；".join(m.extras[:misses]) + ("；…" if len(m.extras) > misses else "")
            lines.append(f"  多出 extra {name}: {shown}")
    return "\n".join(lines) + "\n"
