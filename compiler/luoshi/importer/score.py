"""How good is an import? Precision and recall against an existing encoding of the same document.

Both sides go through the compiler (parse → resolve against the same registry), so units are compared by unit
id and dates by calendar date, never by how they were written. Items — 任务, 阶段 and 条款 — are paired by their
original text (character-bigram overlap, best pairs first, whatever their kind); then, over all paired items:

- tasks: paired 任务/阶段 / imported (precision), paired / encoded (recall); clauses: the same for 条款;
- units: (task, unit) pairs for any role (the unit is assigned at all), (task, role, unit) triples over all roles
  (unit_roles: right unit in the right role) and per role (牵头 / 负责 / 配合);
- deadlines: (task, kind, start, end, frequency, times, limit in days), on tasks, phases and clauses alike;
- targets: one fact per target statement, (task, metric, comparator, value, unit, by-date, scope). Targets are
  matched one to one within a task, so two targets with the same value on different metrics are two facts.
  Metric names are written differently by hand and by the importer (居民医保住院起付线 / 起付线, 花生种植机械化率 /
  花生种植、收获机械化率): two names are the same metric when the shorter one (≥ 2 characters, punctuation
  ignored) reads, in order, inside the longer one. Per, condition and baseline are not compared.

落实 links are scored separately (score_links), for a document imported beside its parent: (child measure,
parent measure) pairs, both sides mapped to the encoded ids through the pairings of the two documents.

An unpaired item's facts count against the side that has them. `compared` says how many encoded facts each
measure looked at: a measure that compared nothing says nothing (recall is 1.0 by convention).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from luoshi import model
from luoshi.diagnostics import Sink
from luoshi.driver.pipeline import source_files
from luoshi.semantics.resolve import resolve
from luoshi.syntax import ast
from luoshi.syntax.astbuild import build_ast
from luoshi.syntax.parse import parse_source
from luoshi.syntax.source import SourceFile, read_source

if TYPE_CHECKING:
    from . import Imported

# One compared fact: a task's key, then what it says (strings and numbers), as in the pairs the measures count.
Fact = tuple[object, ...]

WORK = (model.ItemKind.TASK, model.ItemKind.PHASE)
PAIRED = (*WORK, model.ItemKind.CLAUSE)  # items that carry units, deadlines and targets
IMPORT_PREFIX = "import-"


@dataclass
class Measure:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)  # encoded, not imported
    extras: list[str] = field(default_factory=list)  # imported, not encoded

    @property
    def compared(self) -> int:
        """Encoded facts this measure looked at (found or missed)."""
        return self.tp + self.fn

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
    "tasks": "任务 tasks", "clauses": "条款 clauses", "units": "单位（任一角色）units, any role", "lead": "牵头 lead",
    "co_responsible": "负责 co-responsible", "cooperate": "配合 cooperate", "deadlines": "时限 deadlines",
    "targets": "目标 targets", "unit_roles": "单位与角色 unit-role pairs", "links": "落实 links",
}


def compile_with(policy_text: str, units_text: str | None, policies: Path,
                 exclude: Iterable[str | Path] = ()) -> model.Corpus:
    """The corpus of `policies/` (less the files in `exclude`) plus the draft (given in memory), resolved together."""
    sink = Sink()
    units: list[ast.SourceUnit] = []
    skip = {Path(x).resolve() for x in exclude}
    texts = [read_source(p, str(p)) for p in source_files(policies) if Path(p).resolve() not in skip]
    texts.append(SourceFile.of("<import>.policy", policy_text))
    if units_text:
        texts.append(SourceFile.of("<import>.units", units_text))
    for source in texts:
        tree = parse_source(source, sink)
        if tree is not None:
            units.append(build_ast(tree, source.path, source.text))
    return resolve(units, sink)


def compile_beside(imported: Imported, policies: Path, exclude: Iterable[str | Path] = ()) -> model.Corpus:
    """The draft compiled beside the corpus in `policies` under a prefixed id (`IMPORT_PREFIX`), so it does not
    clash with an encoding of the same document; the draft itself is left as it was."""
    from .printer import render_policy

    draft_policy = imported.result.policy
    original = draft_policy.id
    draft_policy.id = IMPORT_PREFIX + original
    try:
        text = render_policy(draft_policy, imported.document.path)
    finally:
        draft_policy.id = original
    return compile_with(text, imported.units_text, policies, exclude)


def score_import(imported: Imported, encoded_id: str, policies: Path,
                 exclude: Iterable[str | Path] = ()) -> Score | None:
    """Score an `Imported` draft against the encoded policy `encoded_id` of the corpus in `policies`.
    The draft is compiled under a prefixed id so both live in one corpus; None when either is missing."""
    corpus = compile_beside(imported, policies, exclude)
    encoded, mine = corpus.policy(encoded_id), corpus.policy(IMPORT_PREFIX + imported.result.policy.id)
    if encoded is None or mine is None or encoded.kind is not model.PolicyKind.POLICY:
        return None
    return score(encoded, mine)


def score(encoded: model.Policy, imported: model.Policy) -> Score:
    mine = [t for t in encoded.tasks if t.kind in PAIRED]
    theirs = [t for t in imported.tasks if t.kind in PAIRED]
    pairs = _pair(mine, theirs)
    back = {v: k for k, v in pairs.items()}
    kind_b = {t.id: t.kind for t in theirs}
    measures = {name: _kind_measure(kinds, mine, theirs, pairs, back, kind_b)
                for name, kinds in (("tasks", WORK), ("clauses", (model.ItemKind.CLAUSE,)))}
    name_of = {t.id: t.id for t in mine} | {t.id: f"~{t.id}" for t in theirs if t.id not in back}

    def key(task: model.Task, encoded_side: bool) -> str:
        if encoded_side:
            return task.id
        return back[task.id] if task.id in back else name_of[task.id]  # not .get: its default is evaluated first

    def facts(tasks: Iterable[model.Task], encoded_side: bool,
              extract: Callable[[model.Task], Iterable[Fact]]) -> set[Fact]:
        return {(key(t, encoded_side), *fact) for t in tasks for fact in extract(t)}

    extractors: dict[str, Callable[[model.Task], Iterable[Fact]]] = {
        "units": lambda t: {(a.unit.unit,) for a in t.assignments},
        "unit_roles": lambda t: {(a.role.value, a.unit.unit) for a in t.assignments},
        "lead": lambda t: {(a.unit.unit,) for a in t.assignments if a.role is model.AssignmentRole.LEAD},
        "co_responsible": lambda t: {(a.unit.unit,) for a in t.assignments if a.role is model.AssignmentRole.CO_RESPONSIBLE},
        "cooperate": lambda t: {(a.unit.unit,) for a in t.assignments if a.role is model.AssignmentRole.COOPERATE},
        "deadlines": lambda t: {_deadline(d) for d in t.deadlines},
    }
    for name, extract in extractors.items():
        a, b = facts(mine, True, extract), facts(theirs, False, extract)
        measures[name] = Measure(tp=len(a & b), fp=len(b - a), fn=len(a - b),
                                 misses=sorted(map(_show, a - b)), extras=sorted(map(_show, b - a)))
    measures["targets"] = _targets(mine, theirs, key)
    return Score(encoded.id, measures, pairs)


def score_links(encoded: model.Policy, imported: model.Policy, pairs: dict[str, str], parent_encoded: str,
                parent_imported: str, parent_pairs: dict[str, str]) -> Measure:
    """The 落实 links of a child document to its parent, as (child measure, parent measure) facts.

    `pairs` and `parent_pairs` are the pairings (encoded id → imported id) of the child and of the parent, so an
    imported link counts when it joins the imported counterparts of an encoded link; a link from or to an item
    with no encoded counterpart is an extra (written with ~ and the imported id)."""
    back = {v: k for k, v in pairs.items()}
    back_parent = {v: k for k, v in parent_pairs.items()}
    truth = {(t.id, k.task) for t in encoded.tasks for k in t.implements if k.policy == parent_encoded}
    found = {(back.get(t.id, f"~{t.id}"), back_parent.get(k.task, f"~{k.task}"))
             for t in imported.tasks for k in t.implements if k.policy == parent_imported}
    return Measure(tp=len(truth & found), fp=len(found - truth), fn=len(truth - found),
                   misses=sorted(f"{a} → {b}" for a, b in truth - found),
                   extras=sorted(f"{a} → {b}" for a, b in found - truth))


def _kind_measure(kinds: Collection[model.ItemKind], mine: list[model.Task], theirs: list[model.Task],
                  pairs: dict[str, str], back: dict[str, str], kind_b: dict[str, model.ItemKind]) -> Measure:
    """Items of these kinds paired with an item of these kinds; a pair across kinds (a 条款 imported as a 任务)
    is a miss of one kind and an extra of the other, though the facts on it are still compared."""
    a = [t.id for t in mine if t.kind in kinds]
    b = [t.id for t in theirs if t.kind in kinds]
    hit = [x for x in a if x in pairs and kind_b[pairs[x]] in kinds]
    return Measure(tp=len(hit), fp=len(b) - len(hit), fn=len(a) - len(hit),
                   misses=[x for x in a if x not in hit],
                   extras=[y for y in b if y not in back or back[y] not in hit])


def _targets(mine: list[model.Task], theirs: list[model.Task], key: Callable[[model.Task, bool], str]) -> Measure:
    """Every target statement is one fact. Within a task, targets with the same comparator, value, unit, date and
    scope are matched one to one on their metric (maximum matching, the closest names first)."""
    groups: dict[Fact, tuple[list[str], list[str]]] = {}
    for side, tasks in ((0, mine), (1, theirs)):
        for t in tasks:
            for x in t.targets:
                groups.setdefault((key(t, side == 0), *_target(x)), ([], []))[side].append(x.metric)
    m = Measure()
    for (task, *rest), (a, b) in sorted(groups.items(), key=lambda kv: tuple(map(str, kv[0]))):
        matched = _match(a, b)
        m.tp += len(matched)
        m.fn += len(a) - len(matched)
        m.fp += len(b) - len(matched)
        m.misses += [_show((task, metric, *rest)) for i, metric in enumerate(a) if i not in matched]
        m.extras += [_show((task, metric, *rest)) for j, metric in enumerate(b) if j not in matched.values()]
    m.misses.sort()
    m.extras.sort()
    return m


def _match(a: list[str], b: list[str]) -> dict[int, int]:
    """Maximum one-to-one matching of metric names a[i] ↔ b[j] that name the same metric (augmenting paths;
    each name tries its closest candidates first)."""
    edges = {i: sorted((j for j in range(len(b)) if same_metric(x, b[j])), key=lambda j: _closeness(x, b[j]), reverse=True)
             for i, x in enumerate(a)}
    owner: dict[int, int] = {}  # j → i

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(len(a)):
        augment(i, set())
    return {i: j for j, i in owner.items()}


_PUNCT = str.maketrans("", "", "、，,；;：:“”\"\'（）() ")


def _metric_key(name: str) -> str:
    return _squash(name).translate(_PUNCT)


def same_metric(x: str, y: str) -> bool:
    """The shorter name (≥ 2 characters) reads, in order, within the longer: 起付线 in 居民医保住院起付线, 花生收获机械化率 in
    花生种植、收获机械化率; not 油菜种植机械化率 in 花生种植、收获机械化率."""
    short, long = sorted((_metric_key(x), _metric_key(y)), key=len)
    if len(short) < 2:
        return short == long
    rest = iter(long)
    return all(ch in rest for ch in short)


def _closeness(x: str, y: str) -> tuple[bool, bool, float]:
    a, b = _metric_key(x), _metric_key(y)
    return (a == b, (a in b or b in a), min(len(a), len(b)) / max(len(a), len(b), 1))


def _deadline(d: model.Deadline) -> Fact:
    """(kind, start, end, frequency, times, limit in days): "" or 0 where the kind has none."""
    frequency, times, days = "", 0, 0
    match d:
        case model.RecurringDeadline():
            frequency, times = d.frequency.value, d.times
        case model.EventLimitDeadline():
            days = d.limit_days or 0
    return (d.kind, str(d.first_day or ""), str(d.last_day or ""), frequency, times, days)


def _target(t: model.Target) -> Fact:
    """What a target says, besides its metric: comparator, value, unit, date and scope."""
    scope = "、".join(sorted(s.unit for s in t.scope))
    return (t.comparator.value, round(t.value, 4), t.unit or "", str(t.by or ""), f"范围 {scope}" if scope else "")


def _show(fact: Fact) -> str:
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
