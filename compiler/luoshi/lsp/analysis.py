"""One compile of the corpus as the editor sees it, and the lookups the server's features make in it.

The compile is the pipeline's: `gather` finds the project's files, `run_stages` reads, parses (through the AST
memo and cache, so only an edited file is parsed again), builds the registry, indexes, resolves and assembles;
the open documents' unsaved text goes in as `run_stages`' in-memory sources, replacing their files. Lint runs on
the result as `luoshi lint` runs it (the project's configuration, inline suppressions). Nothing here is a second
compiler: positions are answered from the AST's and the model's own spans.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .. import model
from ..diagnostics import Diagnostic, Sink
from ..driver.pipeline import Stages, display_path, gather, run_stages
from ..driver.project import Project
from ..lint.baseline import BaselineError, read_baseline
from ..lint.config import load_config
from ..lint.engine import lint
from ..semantics.printed import task_id_of_printed
from ..syntax import ast
from ..syntax.astcache import AstCache
from ..syntax.source import SourceFile, Span
from .positions import contains


@dataclass
class Snapshot:
    """The corpus compiled with the open documents, and what was found in it."""

    project: Project
    stages: Stages
    lint: list[Diagnostic]
    config_problems: list[Diagnostic] = field(default_factory=list)

    @property
    def corpus(self) -> model.Corpus:
        return self.stages.corpus

    def source(self, shown: str) -> SourceFile | None:
        return self.stages.sources.get(shown)

    def diagnostics(self, shown: str) -> list[Diagnostic]:
        """What `luoshi check` and `luoshi lint` report in the file shown as `shown`, in the order of places."""
        found = [d for d in (*self.stages.sink(), *self.lint) if d.span is not None and d.span.file == shown]
        return sorted(found, key=Diagnostic.sort_key)

    def policies_in(self, shown: str) -> list[model.Policy]:
        return [p for p in self.corpus.policies if p.file == shown]


def analyse(project: Project, documents: dict[Path, str]) -> Snapshot:
    """Compile `project`'s corpus with `documents` (absolute path → unsaved text) in place of their files."""
    files, _, _ = gather(None, project)
    extra = {display_path(path): text.replace("\r\n", "\n") for path, text in documents.items()}
    stages = run_stages([p.resolve() for p in files], extra, AstCache(project.root))
    config, problems = load_config(project)
    found = lint(stages.corpus, stages.sources, config).diagnostics
    baseline_path = config.baseline_path(project)
    if baseline_path.exists():  # as `luoshi lint` by default: the findings recorded in the baseline are not shown
        try:
            found = read_baseline(baseline_path).split(found, project.root)[0]
        except BaselineError as exc:
            problems = [*problems, _baseline_problem(exc, baseline_path)]
    return Snapshot(project, stages, found, problems)


def _baseline_problem(exc: BaselineError, path: Path) -> Diagnostic:
    """An unreadable baseline, reported at its first line (LS392, the code of lint configuration mistakes)."""
    sink = Sink()
    return sink.emit("LS392", Span(file=display_path(path), line=1, column=1, end_line=1, end_column=2), exc.zh, exc.en)


# ── what lies at a position ──

@dataclass(frozen=True)
class UnitAt:
    unit: model.Unit
    span: Span


@dataclass(frozen=True)
class RefAt:
    policy: str
    task: str | None
    span: Span


@dataclass(frozen=True)
class TaskAt:
    policy: model.Policy
    task: model.Task


def unit_refs(policy: model.Policy) -> Iterator[model.UnitRef]:
    """Every unit reference of a policy's model, with the sub-units written in parentheses."""
    def walk(refs: tuple[model.UnitRef, ...]) -> Iterator[model.UnitRef]:
        for ref in refs:
            yield ref
            yield from walk(ref.subunits)

    yield from walk(policy.issuers + policy.addressees + policy.cc)
    for task in policy.tasks:
        yield from walk(tuple(a.unit for a in task.assignments))
        for target in task.targets:
            yield from walk(target.scope)


def _ast_nodes(node: object, kind: type) -> Iterator[object]:
    """Every node of class `kind` under an AST node (the AST is frozen dataclasses and tuples of them)."""
    if isinstance(node, kind):
        yield node
    if isinstance(node, tuple):
        for item in node:
            yield from _ast_nodes(item, kind)
    elif dataclasses.is_dataclass(node) and not isinstance(node, type):
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            if isinstance(value, (tuple, ast.Ref)) or dataclasses.is_dataclass(value):
                yield from _ast_nodes(value, kind)


def unit_at(snap: Snapshot, shown: str, line: int, column: int) -> UnitAt | None:
    """The unit named at (line, column): a reference in a policy (resolved as the compiler resolved it), or a
    name in a units file or a policy that did not resolve, looked up in the registry from the enclosing
    jurisdiction."""
    best: model.UnitRef | None = None
    for policy in snap.policies_in(shown):
        for ref in unit_refs(policy):
            inside = ref.span.file == shown and contains(ref.span, line, column)
            if inside and (best is None or (ref.span.line, ref.span.column) >= (best.span.line, best.span.column)):
                best = ref  # the innermost: a sub-unit lies inside its unit's span
    if best is not None:
        unit = snap.corpus.unit(best.unit)
        return UnitAt(unit, best.span) if unit is not None else None
    source = snap.source(shown)
    if source is None:
        return None
    word = word_at(source.line(line), column)
    if word is None:
        return None
    text, start, end = word
    found = snap.stages.registry.lookup(text, jurisdiction_at(snap, shown, line))
    unit = snap.corpus.unit(found[0]) if len(found) == 1 else None
    if unit is None:
        return None
    return UnitAt(unit, Span(file=shown, line=line, column=start, end_line=line, end_column=end))


def ref_at(snap: Snapshot, shown: str, line: int, column: int) -> RefAt | None:
    """The policy or task reference (`落实 gf-2018-39:3.2`, `引用 …`, `不予落实 …`) at (line, column)."""
    unit = snap.stages.units.get(shown)
    if unit is None:
        return None
    for policy in unit.policies:
        if not contains(policy.span, line, column):
            continue
        for ref in _ast_nodes(policy.entries, ast.Ref):
            assert isinstance(ref, ast.Ref)
            if contains(ref.span, line, column):
                named = snap.stages.index.id_of(ref.policy) if ref.policy else policy.id.text  # an id or a 文号
                task = (task_id_of_printed(ref.task) or ref.task) if ref.task else None  # 二（五）: task 2.5
                return RefAt(named, task, ref.span)
    return None


def task_at(snap: Snapshot, shown: str, line: int) -> TaskAt | None:
    """The task whose header is on `line` (its id and title), as the model has it."""
    for policy in snap.policies_in(shown):
        for task in policy.tasks:
            if task.span.line == line:
                return TaskAt(policy, task)
    return None


def policy_at(snap: Snapshot, shown: str, line: int) -> model.Policy | None:
    """The policy whose block holds `line`."""
    for policy in snap.policies_in(shown):
        if policy.span.line <= line <= policy.span.end_line:
            return policy
    return None


_JURISDICTION = re.compile(r"^\s*辖区\s+([^\s{]+)")


def jurisdiction_at(snap: Snapshot, shown: str, line: int) -> str | None:
    """The jurisdiction names at `line` resolve in: the enclosing policy's, else the nearest `辖区` written above
    (a units file, or a policy whose text does not parse yet)."""
    policy = policy_at(snap, shown, line)
    if policy is not None and policy.jurisdiction:
        return policy.jurisdiction
    source = snap.source(shown)
    if source is None:
        return None
    for number in range(min(line, len(source.lines)), 0, -1):
        m = _JURISDICTION.match(source.line(number))
        if m:
            return snap.stages.registry.canonical_jurisdiction(m.group(1)) or m.group(1)
    return None


_SEPARATORS = set(" \t\u3000\"“”、，,（）(){}:：；;#")


def word_at(line: str, column: int) -> tuple[str, int, int] | None:
    """The name around the 1-based `column` (between separators): its text and 1-based start and end columns."""
    index = min(max(0, column - 1), len(line))
    if index == len(line) or line[index] in _SEPARATORS:
        index -= 1  # the cursor just after a name
    if index < 0 or line[index] in _SEPARATORS:
        return None
    start = index
    while start > 0 and line[start - 1] not in _SEPARATORS:
        start -= 1
    end = index + 1
    while end < len(line) and line[end] not in _SEPARATORS:
        end += 1
    return line[start:end], start + 1, end + 1


def duties(corpus: model.Corpus, unit_id: str) -> list[tuple[model.Policy, model.Task, model.Assignment]]:
    """Every assignment of the unit, in corpus order."""
    return [(p, t, a) for p in corpus.policies for t in p.tasks for a in t.assignments if a.unit.unit == unit_id]


def units_in_scope(snap: Snapshot, jurisdiction: str | None) -> list[model.Unit]:
    """The units a name can mean from `jurisdiction`: its own, then its ancestors' (the lookup tiers of the
    registry, without the descendants); every unit when the jurisdiction is unknown."""
    registry = snap.stages.registry
    tiers = registry.scope(jurisdiction)
    if jurisdiction in registry.jurisdictions:
        tiers = [[jurisdiction], *[[a] for a in registry.ancestors(jurisdiction)]]
    wanted = [j for tier in tiers for j in tier]
    order = {j: i for i, j in enumerate(wanted)}
    found = [u for u in snap.corpus.units if u.jurisdiction in order]
    return sorted(found, key=lambda u: (order[u.jurisdiction], u.name))
