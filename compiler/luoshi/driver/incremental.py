"""Incremental `luoshi check` and `luoshi lint`: after an edit, run again only the stages an edit can reach.

A full run is `pipeline.run_stages` (read → parse → registry → index → resolve each policy → assemble) and
`lint.engine.run_rules`; this module calls exactly those and keeps what each stage produced, per file, in
`.luoshi-cache/incremental/<salt>/state.sqlite` (`cachestore.Pack`, a sealed row per entry): the file's content key
(SHA-256 of path and text, as the AST cache), its parse and resolve diagnostics, the raw findings of the local lint
rules that lie in it, the policy ids its text refers to, and its policies' entries of the policy index (the `index`
stage's result) — in rows of `STATE_ROWS` files (`s/<mode>/r<i>`: marshal data, then the diagnostics pickled) —
and for the corpus, in the head (`s/<mode>/head`, naming its rows by tag): the registry's diagnostics and, per
corpus-wide rule, its findings with the digest of the inputs it read. Beside them the pack keeps the registry —
each unit and each jurisdiction's name table an entry, read when looked up — and the facts the corpus-wide rules
read of each file's policies (`lint.summary.PolicyFacts`), read only when such a rule runs again. An edit rewrites,
in one transaction, the head, the rows holding the files it redid and only the facts of those files. The salt
hashes the package's contents (code, templates, grammar) and the library versions; the state also records the
working folder, the project, the lint configuration and the list of files. `luoshi check` reads lint's state when
it has none of its own.

On a rebuild every file is hashed again unless its signature (device, inode, size, mtime, ctime) is the one
recorded when it was last hashed, well before that moment (`_stat`). The full run is done again, and recorded,
whenever the state cannot be trusted: no state, another salt, folder, configuration or file list, a file that
cannot be read, a changed file that declares jurisdictions, units or roles (the registry), a changed file whose
policy ids changed (a new, renamed or vanished policy, a syntax error that hides one), a duplicate id, any error
in the incremental path. Otherwise what each lint rule declares it reads (`lint/rule.py`) decides what runs again:

- dirty files: the changed ones (parsed again: `parse_packed`), and every file whose text refers to a policy id
  declared in a changed file (its references resolve against that policy's task ids, and its chain findings read
  that policy's model);
- context: the files of the policies the dirty ones refer to (their parents), resolved but not reported;
- the dirty and context files are indexed again (`index_policies`, over the kept index), their policies resolved
  (`resolve_policy`) against the kept registry, assembled (`assemble`) and the `policy` rules run on that small
  corpus; only findings lying in dirty files are kept (a context policy's own chain findings would lack its
  parents);
- a corpus-wide rule (reads `links`, `places`, `mentions` or `registry`) runs again, on the `CorpusSummary` made of
  every policy's kept facts, when the digest of an input it reads changed; else its kept findings are used;
- configuration and inline suppressions are applied to the whole set as a full run does (`lint.engine.finish`), so
  the output and its order are the same (ties in the order of places only occur within one rule and one file,
  whose relative order is kept).

No `policy` rule placed in a parent reads the parent's children (checked by tests/test_incremental.py against full
runs of random edits).
"""
from __future__ import annotations

import copy
import dataclasses
import hashlib
import io
import marshal
import os
import pickle
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from .. import model
from ..diagnostics import Diagnostic, Sink
from ..lint.rule import SUMMARY_INPUTS
from ..lint.summary import CorpusSummary, PolicyFacts, digest, policy_facts
from ..semantics.registry import Registry, build_registry
from ..semantics.resolve import PolicyIndex, assemble, index_policies, resolve_policy
from ..syntax import ast
from ..syntax.astcache import AstCache, SpanPickler, key, make_span
from ..syntax.source import SourceFile, Span, source_text
from . import perf
from .cachestore import Pack, Store, code_salt, enabled
from .listing import source_entries
from .pipeline import (
    Compilation,
    Outline,
    Stages,
    display_path,
    gather,
    known_ast,
    no_files,
    parse_packed,
    run_stages,
    select_ids,
)
from .project import ENV as PROJECT_ENV
from .project import Project, find_project
from .replay import RACY_NS, signature  # a file changed within RACY_NS is read even when its signature matches

if TYPE_CHECKING:
    from ..lint.config import LintConfig
    from ..lint.engine import LintResult
    from ..lint.rule import Rule

_V = TypeVar("_V")

STATE_VERSION = "7"
PACK = "state.sqlite"  # the state, the registry and the facts, a row per entry (cachestore.Pack)
UNIT_IDS = "registry-ids"  # the pack entry of the registry's unit ids, named in its head by their digest
RESTAT_SAVE = 32  # save the state when this many unchanged files were read only for want of a signature
# what the last run did (for tests and benchmarks): mode, dirty and context file counts, rules re-run
STATS: dict[str, object] = {}


# ── what is kept per file ──

# A file's (device, inode, size, mtime, ctime): `_stat`.
Signature = tuple[int, int, int, int, int]
# The files that declare the registry, each with its content key: what the saved registry was built from.
FilesKey = tuple[tuple[str, str], ...]  # (shown path, content key) of each file that declares units
RegistryKey = tuple[FilesKey, bool]  # … and the project's standard_units switch


@dataclass
class FileState:
    key: str
    registry: bool  # declares jurisdictions or roles
    stat: Signature | None = None  # (device, inode, size, mtime, ctime) when `key` was taken; None: always read it
    luoshi: bool = False  # the text names luoshi, so it may hold a suppression (lint/suppress.py)
    policies: tuple[str, ...] = ()  # ids, in file order
    refs: frozenset[str] = frozenset()  # policy ids (or 文号) named anywhere in the text
    parse: list[Diagnostic] = field(default_factory=list)
    resolve: list[Diagnostic] = field(default_factory=list)
    lint: list[Diagnostic] = field(default_factory=list)  # raw findings of the local rules lying in the file
    # what the corpus-wide rules read of its policies (`lint.summary.PolicyFacts`), pickled: kept in the pack
    # (`facts_at`, its entry's name) and read only when a corpus-wide rule runs again (at 10k they were 8 of the
    # state's 14 MB); `packed_facts` holds them from when this run made them until the state is saved
    packed_facts: bytes = b""
    facts_at: str = ""
    digests: dict[str, str] = field(default_factory=dict)  # summary input → digest of the facts' part of it

    def set_facts(self, facts: dict[str, PolicyFacts]) -> None:
        buffer = io.BytesIO()
        SpanPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(facts)
        self.packed_facts = buffer.getvalue()
        # 128 bits of each: a digest only tells whether the facts changed (2 of the 10k state's 14 MB at full length)
        self.digests = {name: digest(list(facts.values()), name)[:32] for name in SUMMARY_INPUTS}


@dataclass
class State:
    version: str
    context: tuple[str, str, bool, str]  # cwd, project root, its standard_units switch, lint configuration
    files: dict[str, FileState]  # shown path → state, in compile order
    registry_diags: list[Diagnostic]
    index: PolicyIndex  # the index stage's result, over every policy
    wide: dict[str, tuple[str, list[Diagnostic]]] = field(default_factory=dict)  # corpus-wide rule → (digest of
    # the inputs it read, its raw findings)
    inputs: dict[str, str] = field(default_factory=dict)  # `input_digests(files)` when saved ({}: not known)


@dataclass
class Outcome:
    compilation: Compilation
    lint: LintResult | None  # when linting
    mode: str  # "full" or "incremental"


# ── entry point ──

def check_and_lint(targets: list[str] | None = None, project: Project | None = None, config: LintConfig | None = None,
                   *, lint: bool = True) -> Outcome:
    """`compile_paths(targets)` and, with `lint`, `lint.engine.lint` of its corpus (with `config`), reusing what
    the last run of the same mode found for every file the changes cannot reach. `Outcome.compilation.corpus` is
    None after an incremental run: commands that need the model call `compile_paths`."""
    project = project or find_project()
    if lint and config is None:
        from ..lint.config import LintConfig

        config = LintConfig(root=project.root)
    with perf.gc_paused():
        run = _Run(targets, project, config if lint else None)
        try:
            outcome = run.go()
        finally:
            run.pack.close()  # nothing reads the registry's lazy units after the run (a lookup would open it again)
    _note(run, targets)
    return outcome


def _note(run: _Run, targets: list[str] | None) -> None:
    """Tell the transcript of this command (replay.py) which files and folders its answer depends on."""
    from . import replay

    recorder = replay.RECORDER
    if recorder is None or not run.signatures:
        return
    project = run.project
    recorder.root = project.cache_root
    start = Path(os.environ[PROJECT_ENV]).expanduser() if os.environ.get(PROJECT_ENV) else Path.cwd()
    recorder.watch_project(start.resolve(), project.root)
    if project.policies.is_dir():
        recorder.watch_tree(project.policies.resolve())
    else:
        recorder.watch([str(project.policies.resolve()), str(project.policies.resolve().parent)])
    for t in targets or []:
        path = Path(t).resolve()
        recorder.watch([str(path), str(path.parent)])
        if path.is_dir():
            recorder.watch_tree(path)
    recorder.sigs.update(run.signatures)


def _salt() -> str:
    from ..syntax.parse import grammar_text

    return code_salt(("pydantic", "lark", "networkx"), STATE_VERSION, grammar_text())


def rerun_set(rules: Iterable[Rule], config: LintConfig, old: dict[str, tuple[str, list[Diagnostic]]],
              digests: dict[str, str]) -> set[str]:
    """The corpus-wide rules to run again: those enabled whose inputs' digest (`digests`: input → digest) is not
    the one their kept findings were made from. Derived from what each rule declares it reads (lint/rule.py)."""
    out: set[str] = set()
    for r in rules:
        if r.local or not config.enabled(r.code):
            continue
        kept = old.get(r.code)
        if kept is None or kept[0] != rule_digest(r, digests):
            out.add(r.code)
    return out


def rule_digest(r: Rule, digests: dict[str, str]) -> str:
    """The digest of what rule `r` reads (its declared inputs, but `policy`)."""
    return hashlib.sha256("\0".join(f"{name}={digests[name]}" for name in sorted(r.reads)).encode()).hexdigest()


def input_digests(files: dict[str, FileState]) -> dict[str, str]:
    """input name → digest, for every input a corpus-wide rule can read (rule.INPUTS but `policy`)."""
    found: dict[str, str] = {}
    for name in SUMMARY_INPUTS:  # from each file's digests: a run hashes no facts but those of the files it redid
        h = hashlib.sha256()
        for shown, fs in files.items():
            h.update(f"{shown}\0{fs.digests.get(name, '')}\n".encode("utf-8", "surrogateescape"))
        found[name] = h.hexdigest()
    found["registry"] = hashlib.sha256(repr(_registry_key(files)).encode("utf-8", "surrogateescape")).hexdigest()
    return found


class _Fallback(Exception):
    """The stored state cannot be trusted for this run: do the full run."""


class _Run:
    def __init__(self, targets: list[str] | None, project: Project, config: LintConfig | None) -> None:
        self.targets, self.project, self.config = targets, project, config
        self.mode = "lint" if config is not None else "check"
        self.store = Store(project.cache_root, "incremental", _salt() if enabled() else None)
        self.pack = Pack(self.store, PACK)  # the registry and each file's facts, an entry each (cachestore.Pack)
        self._files: dict[Path, None] | None = None  # `gather`'s, made only when a run needs Paths (`files`)
        self.registry: Registry | None = None  # built when an incremental run needs it
        self.sources: Mapping[str, SourceFile] = {}
        self.context = (str(Path.cwd()), str(project.root), project.standard_units, repr(config))
        self.signatures: dict[str, Signature | None] = {}  # absolute path → signature taken before reading it
        self.kept: State | None = None  # the state loaded, whose rows are this mode's (`_save` keeps those unchanged)
        self.kept_tags: list[bytes] = []  # its rows' tags
        self.kept_split = False  # its index is in its rows

    def files(self) -> dict[Path, None]:
        """The files to compile as `gather` lists them (Paths): for the full run, made when it is needed."""
        if self._files is None:
            self._files = gather(self.targets, self.project)[0]
        return self._files

    def go(self) -> Outcome:
        now = time.time_ns()  # before any signature is taken (`_stat`)
        walked: dict[str, Signature | None] | None = None
        if self.targets:
            self._files, selected, wanted_ids = gather(self.targets, self.project)
            paths = _absolute(self._files)
        else:  # the project's files, as strings from the walk, with the signatures its entries took
            selected, wanted_ids = None, set()
            paths, walked = _project_paths(self.project, now)
        if self.store.folder is None or not paths:
            return self._full(selected, wanted_ids, save=False)
        state = self._load()
        if state is None:
            return self._full(selected, wanted_ids)
        try:
            return self._incremental(state, paths, selected, wanted_ids, now, walked)
        except _Fallback as why:
            reason = str(why)
        except Exception as exc:  # noqa: BLE001 — a fault here must not cost a result: the full run is always right
            reason = f"error: {type(exc).__name__}: {exc}"
        self.pack = Pack(self.store, PACK)  # what the failed run buffered is not written
        outcome = self._full(selected, wanted_ids)
        STATS["fallback"] = reason
        return outcome

    # ── the full run, recording what the next run needs ──
    def _full(self, selected: set[str] | None, wanted_ids: set[str], save: bool = True) -> Outcome:
        from ..lint.engine import LOCAL_RULES, finish, run_rules

        files = self.files()
        STATS.clear()
        STATS.update(mode="full")
        now = time.time_ns()
        absolute: dict[str, Signature | None] = {}
        stats = _stats(files, now, absolute) if save else {}  # before reading: an edit while reading is seen next time
        declared: dict[str, FileState] = {}  # shown path → what its AST declares, as the index stage sees it

        def seen(shown: str, outline: Outline) -> None:
            declared[shown] = _outlined("", outline)

        stages = run_stages([p.resolve() for p in files], {}, AstCache(self.project.cache_root),
                            self.project.standard_units, keep_asts=False, seen=seen)
        sink, corpus, sources = stages.sink(), stages.corpus, stages.sources
        selected = select_ids(wanted_ids, selected, lambda pid: getattr(corpus.policy(pid), "file", None), sink)
        no_files(files, wanted_ids, {}, self.project, sink)
        comp = Compilation(corpus, sink, sources, selected, wanted_ids)
        result = None
        raw: list[Diagnostic] = []
        if self.config is not None:
            raw = run_rules(corpus, self.config)  # = lint.engine.lint
            result = finish(raw, sources, self.config)
        local = [d for d in raw if d.code in LOCAL_RULES]
        trustworthy = (save and not stages.index_diags and all(d.span is not None for d in local)
                       and len(sources) == len({p.resolve() for p in files})
                       and all(d.span is not None and d.span.file in sources for d in stages.parse_diags))
        self.kept = None  # every row is written again
        if trustworthy:
            self.signatures = absolute
            state = self._record(stages, declared, raw, LOCAL_RULES, stats)
            if self.config is not None:
                self.pack.clear("f/")  # every file's facts are put again (`_save`)
            self._save_registry((_registry_key(state.files), self.project.standard_units), stages.registry)
            self._save(state)
        elif self.store.folder is not None:
            self._drop()
        return Outcome(comp, result, "full")

    def _record(self, stages: Stages, declared: dict[str, FileState], raw: list[Diagnostic],
                local_rules: frozenset[str], stats: dict[str, Signature | None]) -> State:
        from ..lint.rule import RULES

        per_file: dict[str, list[Diagnostic]] = {}
        for policy, diagnostics in stages.resolved:
            per_file.setdefault(policy.file, []).extend(diagnostics)
        raw_by_file: dict[str, list[Diagnostic]] = {}
        for d in raw:
            if d.code in local_rules and d.span is not None:  # `_full` records only when every one has a place
                raw_by_file.setdefault(d.span.file, []).append(d)
        files: dict[str, FileState] = {}
        for shown, source in stages.sources.items():
            fs = declared.get(shown) or _file_state("", None)
            fs.key = key(shown, source.text)
            fs.stat, fs.luoshi = stats.get(shown), "luoshi" in source.text
            fs.parse = [d for d in stages.parse_diags if d.span is not None and d.span.file == shown]
            fs.resolve = per_file.get(shown, [])
            fs.lint = raw_by_file.get(shown, [])
            if self.config is not None:
                fs.set_facts(_facts(stages.corpus, fs.policies))
            files[shown] = fs
        state = State(STATE_VERSION, self.context, files, list(stages.registry_diags), stages.index)
        if self.config is not None:
            digests = input_digests(files)
            for r in RULES:
                if not r.local and self.config.enabled(r.code):
                    state.wide[r.code] = (rule_digest(r, digests), [d for d in raw if d.code == r.code])
        return state

    # ── the incremental run ──
    def _incremental(self, state: State, paths: dict[str, str], selected: set[str] | None,
                     wanted_ids: set[str], now: int, walked: dict[str, Signature | None] | None = None) -> Outcome:
        """`walked`: each file's signature as the listing's walk took it (`_project_paths`), else each is taken here."""
        from ..lint.engine import finish

        texts: dict[str, str] = {}  # the files read: new or changed since their content key was taken
        stats = walked if walked is not None else {shown: _stat(path, now) for shown, path in paths.items()}
        kept_files = state.files
        for shown, sig in stats.items():
            old = kept_files.get(shown)
            if sig is None or old is None or old.stat != sig:
                texts[shown] = _read_text(paths[shown])
        sources = self.sources = _sources(texts, paths)
        if list(paths) != list(state.files):
            raise _Fallback("file list")
        changed = [s for s, text in texts.items() if key(s, text) != state.files[s].key]
        if self.config is not None:
            for s in changed:  # their facts are made again under their new key (`_redo`, `_save`)
                if state.files[s].facts_at:
                    self.pack.drop(state.files[s].facts_at)
        STATS.clear()
        STATS.update(mode="incremental", read=len(texts), changed=len(changed), dirty=0, context=0, rules=[])
        files_state = dict(state.files)
        restat = 0
        for s in texts:  # read and unchanged: note the signature, so the next run need not read it
            if stats[s] is not None and stats[s] != files_state[s].stat:
                files_state[s] = _copy(files_state[s])
                files_state[s].stat = stats[s]
                restat += 1
        cache = AstCache(self.project.cache_root)
        new_units: dict[str, ast.SourceUnit] = {}
        if changed:
            psink = Sink()
            packed = parse_packed({s: sources[s] for s in changed}, psink, cache)  # the parse stage, as the full run's
            new_units = {shown: unit for shown in packed if (unit := packed.first_load(shown, psink, cache))}
            parse_diags: dict[str, list[Diagnostic]] = {}
            for d in psink.items:
                if d.span is None or d.span.file not in sources:
                    raise _Fallback("parse diagnostic elsewhere")
                parse_diags.setdefault(d.span.file, []).append(d)
            for shown in changed:
                old = state.files[shown]
                fs = _file_state(key(shown, sources[shown].text), new_units.get(shown))
                if old.registry or fs.registry:
                    raise _Fallback("registry changed")
                if fs.policies != old.policies:
                    raise _Fallback("policy ids changed")
                fs.parse = parse_diags.get(shown, [])
                fs.stat, fs.luoshi = stats[shown], "luoshi" in sources[shown].text
                files_state[shown] = fs
        for shown in changed:  # a policy cited by its 文号 (落实 渝府办发〔2018〕161号) is found through the index
            if shown in new_units and _numbers(new_units[shown]) != {
                    pid: state.index.numbers[pid] for pid in files_state[shown].policies if pid in state.index.numbers}:
                raise _Fallback("文号 changed")
        changed_ids = {pid for s in changed for pid in files_state[s].policies}
        dirty = set(changed) | _citing(files_state, changed_ids, state.index)
        refs_of = {s: {state.index.id_of(r) for r in files_state[s].refs} for s in dirty}
        file_of = {pid: s for s, fs in files_state.items() for pid in fs.policies}
        context = {file_of[r] for s in dirty for r in refs_of[s] if r in file_of} - dirty
        STATS.update(dirty=len(dirty), context=len(context))
        index = state.index
        if dirty:
            index = self._redo(dirty, context, files_state, state.index, cache, new_units)
        # the compilation, in the order a full run reports (parse, registry, resolve; ties keep that order)
        sink = Sink()
        for fs in files_state.values():
            sink.items += fs.parse
        sink.items += state.registry_diags
        for fs in files_state.values():
            sink.items += fs.resolve
        selected = select_ids(wanted_ids, selected, file_of.get, sink)
        no_files(paths, wanted_ids, {}, self.project, sink)
        comp = Compilation(None, sink, sources, selected, wanted_ids)  # type: ignore[arg-type]
        # what the corpus-wide rules read changed only if a file redone has other digests (the file list and the
        # registry are those of the state, or this would be the full run): else the kept input digests hold
        same_inputs = all(files_state[s].digests == state.files[s].digests for s in dirty)
        new_state = State(STATE_VERSION, self.context, files_state, state.registry_diags, index, dict(state.wide),
                          dict(state.inputs) if same_inputs else {})
        result = None
        if self.config is not None:
            wide = self._corpus_wide(new_state, self.config)
            raw = [d for fs in files_state.values() for d in fs.lint] + wide
            # only a file that names luoshi can hold a suppression (lint/suppress.py): the others need no SourceFile
            result = finish(raw, {s: sources[s] for s, fs in files_state.items() if fs.luoshi}, self.config)
        if changed or restat >= RESTAT_SAVE or new_state.wide != state.wide or new_state.inputs != state.inputs:
            self._save(new_state, dirty | context)
        self.signatures = {paths[s]: sig for s, sig in stats.items()}
        return Outcome(comp, result, "incremental")

    def _redo(self, dirty: set[str], context: set[str], files_state: dict[str, FileState], kept: PolicyIndex,
              cache: AstCache, new_units: dict[str, ast.SourceUnit]) -> PolicyIndex:
        """Index, resolve (and lint) the dirty files again, with their parents' files as context: the index,
        resolve, assemble and lint stages on those files only. Returns the updated index."""
        from ..lint.engine import LOCAL_RULES, run_rules

        units: dict[str, ast.SourceUnit] = {}
        for shown in files_state:  # file order: policies index and resolve (and report) in the full run's order
            if shown not in dirty and shown not in context:
                continue
            unit = new_units[shown] if shown in new_units else known_ast(self.sources[shown], cache)
            if unit is None and files_state[shown].policies:
                raise _Fallback("AST missing")
            if unit is not None:
                units[shown] = unit
        registry = self._registry(files_state, self.sources, cache)
        policies = [p for unit in units.values() for p in unit.policies]
        index_sink = Sink()
        task_ids = kept.task_ids.lazy_copy() if isinstance(kept.task_ids, _TaskIds) else dict(kept.task_ids)
        index = PolicyIndex(dict(kept.kinds), task_ids, dict(kept.spans), dict(kept.parents), dict(kept.numbers),
                            dict(kept.file_jurisdictions), set(kept.duplicates))
        index.update(index_policies(policies, index_sink))  # the index stage, over the files resolved again
        if index_sink.items:
            raise _Fallback("index diagnostics")
        if _shares_number({p.id.text for p in policies}, kept, index):
            raise _Fallback("a 文号 shared with a policy not resolved again")  # LS221 is found across files
        resolved = []
        for shown, unit in units.items():
            diags: list[Diagnostic] = []
            for p in unit.policies:
                if not index.owns(p):
                    raise _Fallback("duplicate id")
                s = Sink()
                resolved.append(resolve_policy(p, registry, index, s))
                diags += s.items
            if shown in dirty:
                fs = files_state[shown] = _copy(files_state[shown])
                fs.resolve = diags
        if self.config is not None:
            corpus = _restricted(resolved, registry)
            found: dict[str, list[Diagnostic]] = {s: [] for s in dirty}
            for d in run_rules(corpus, self.config, LOCAL_RULES):
                if d.span is None:
                    raise _Fallback("a local finding without a place")
                if d.span.file in found:
                    found[d.span.file].append(d)
            for shown in dirty:
                fs = files_state[shown]
                fs.lint = found[shown]
                fs.set_facts(_facts(corpus, fs.policies))
        return index

    def _corpus_wide(self, state: State, config: LintConfig) -> list[Diagnostic]:
        """The raw findings of the enabled corpus-wide rules, in code order: kept, or found again from the summary
        of every policy's kept facts when an input a rule reads changed (`rerun_set`)."""
        from ..lint.engine import run_rules
        from ..lint.rule import RULES

        digests = state.inputs or input_digests(state.files)
        state.inputs = digests
        need = rerun_set(RULES, config, state.wide, digests)
        STATS["rules"] = sorted(need)
        if need:
            summary = registry = None
            takes = {r.takes for r in RULES if r.code in need}
            if "summary" in takes:
                reg = self._registry(state.files, self.sources, AstCache(self.project.cache_root))
                summary = CorpusSummary(self._all_facts(state.files), reg.units)
            if "registry" in takes:
                registry = assemble([], self._registry(state.files, self.sources, AstCache(self.project.cache_root)))
            found = run_rules(None, config, frozenset(need), summary=summary, registry=registry)
            for r in RULES:
                if r.code in need:
                    state.wide[r.code] = (rule_digest(r, digests), [d for d in found if d.code == r.code])
        out: list[Diagnostic] = []
        for code in sorted(state.wide):
            if config.enabled(code):
                out += state.wide[code][1]
        return out

    def _registry(self, files_state: dict[str, FileState], sources: Mapping[str, SourceFile],
                  cache: AstCache) -> Registry:
        """The registry: as the last full run kept it (loading 130,000 units takes a third of building them from
        their ASTs), or built again by the registry stage from the cached ASTs of the files that declare it."""
        if self.registry is not None:
            return self.registry
        wanted = (_registry_key(files_state), self.project.standard_units)
        try:
            data = self.pack.get("registry")
            saved: tuple[RegistryKey, Registry, bytes, tuple[str, ...], bytes | None] | None = \
                pickle.loads(data) if data is not None else None  # sealed by this user's key (cachestore.Pack)
            if saved is not None and saved[0] == wanted and isinstance(saved[2], bytes):
                _, registry, ids_digest, jids, jurisdictions = saved
                if jurisdictions is not None:
                    registry.jurisdictions = _decode_jurisdictions(jurisdictions)
                # read-only and lazy in place of the dicts: a registry is only read once built; each unit and
                # each jurisdiction's name table is read from the pack when first looked up, the list of unit
                # ids only when the units are listed or an id is not in the pack
                keys, tables = _Keys(lambda: self._unit_ids(ids_digest)), dict.fromkeys(jids)
                registry.units = _Packed(keys,  # type: ignore[assignment]
                                         lambda uid: _decode_unit(self._member("u/", uid, keys)))
                registry.names = _Packed(tables,  # type: ignore[assignment]
                                         lambda jid: marshal.loads(self._member("n/", jid, tables)))
                self.registry = registry
                return registry
        except Exception:  # noqa: BLE001 — missing or damaged: build it
            pass
        units = []
        for shown, fs in files_state.items():
            if fs.registry:
                unit = known_ast(sources[shown], cache)
                if unit is None:
                    raise _Fallback("registry AST missing")
                units.append(unit)
        self.registry = build_registry(units, Sink(), self.project.standard_units)
        self._save_registry(wanted, self.registry)
        self.pack.commit()
        return self.registry

    def _unit_ids(self, digest: bytes) -> str:
        """The registry's unit ids (`_Keys.join`), from their own pack entry: the one the registry's head names by
        its digest, else the run cannot go on (the full run)."""
        data = self.pack.get(UNIT_IDS)
        if data is None or hashlib.blake2b(data, digest_size=16).digest() != digest:
            raise _Fallback(f"pack entry {UNIT_IDS} missing or not the registry's")
        return data.decode("utf-8", "surrogateescape")

    def _member(self, prefix: str, key: str, keys: Collection[str]) -> bytes:
        """The pack entry of `key`, one of the saved registry's `keys` (KeyError: not one of them); one that is
        missing or damaged means the run cannot go on (the full run)."""
        data = self.pack.get(prefix + key)
        if data is not None:
            return data
        if key not in keys:
            raise KeyError(key)
        raise _Fallback(f"pack entry {prefix}{key} missing")

    def _all_facts(self, files: dict[str, FileState]) -> list[PolicyFacts]:
        """Every policy's facts (`lint.summary.PolicyFacts`), in file order: made by this run, or from the pack."""
        found = self.pack.get_many(fs.facts_at for fs in files.values() if fs.facts_at and not fs.packed_facts)
        out: list[PolicyFacts] = []
        for fs in files.values():
            data = fs.packed_facts or (found.get(fs.facts_at) if fs.facts_at else b"")
            if data is None:
                raise _Fallback(f"facts of {fs.key} missing")
            if data:
                facts: dict[str, PolicyFacts] = pickle.loads(data)  # sealed by this user's key (cachestore.Pack)
                out += facts.values()
        return out

    def _save_registry(self, wanted: RegistryKey, registry: Registry) -> None:
        """The registry without its units and name tables, and each unit and each jurisdiction's name table as
        an entry of its own in the pack (committed with the state, `_save`): a rebuild reads the few it looks up."""
        bare = copy.copy(registry)
        bare.units, bare.names, bare._tiers = {}, {}, {}
        jurisdictions = _encode_jurisdictions(registry.jurisdictions)
        if jurisdictions is not None:
            bare.jurisdictions = {}
        self.pack.clear("u/")
        self.pack.clear("n/")
        for uid, unit in registry.units.items():
            self.pack.put("u/" + uid, _encode_unit(unit))
        for jid, table in registry.names.items():
            self.pack.put("n/" + jid, marshal.dumps(table))
        ids = _Keys.join(registry.units).encode("utf-8", "surrogateescape")  # 6.5 MB at 10k: an entry of its own
        self.pack.put(UNIT_IDS, ids)
        self.pack.put("registry", _pickled((wanted, bare, hashlib.blake2b(ids, digest_size=16).digest(),
                                            tuple(registry.names), jurisdictions)))

    # ── the state on disk ──
    def _load(self) -> State | None:
        """This mode's state; for check, else lint's, which holds all a check needs (its lint part is not read,
        and check saves to its own rows), so a check after a lint is incremental too. Only rows sealed by this
        user's key are decoded (cachestore.Pack)."""
        for mode in [self.mode, *(["lint"] if self.mode == "check" else [])]:
            prefix = _state_prefix(mode)
            head = self.pack.get(prefix + "head")
            if head is None:
                continue
            try:
                _, _, _, tags, split = _head_of(head)
                found = self.pack.get_many(f"{prefix}r{i}" for i in range(len(tags)))  # every row, one query
                state = _decode_state(head, [found.get(f"{prefix}r{i}") for i in range(len(tags))])
            except Exception:  # noqa: BLE001 — our own rows from code that no longer reads them: a miss
                continue
            if state is not None and self._fits(state):
                if mode == self.mode:  # its rows are this mode's: an edit rewrites only those it changed
                    self.kept, self.kept_tags, self.kept_split = state, list(tags), split
                return state
        return None

    def _fits(self, state: State) -> bool:
        """Made in the same folder, for the same project and switches, with the same lint configuration (check: any)."""
        return state.context == self.context if self.config is not None else state.context[:3] == self.context[:3]

    def _save(self, state: State, redone: Collection[str] = ()) -> None:
        """The pack's new entries (each file's new facts, a registry built) and the state's rows that changed, with
        its head, in one transaction: a state is never written before what it names. A row is written again when
        one of its files' state is not the one loaded (`self.kept`) or was indexed again (`redone`)."""
        if self.config is not None:
            for fs in state.files.values():
                if fs.packed_facts:
                    fs.facts_at = f"f/{fs.key}"
                    self.pack.put(fs.facts_at, fs.packed_facts)
                    fs.packed_facts = b""
        if self.config is not None and not state.inputs:
            state.inputs = input_digests(state.files)
        prefix, kept = _state_prefix(self.mode), self.kept
        shown = list(state.files)
        if kept is not None and list(kept.files) != shown:
            kept = None
        if kept is None:
            self.pack.clear(prefix)
            split = _splits(state.index, state.files)
        else:
            split = self.kept_split
        tags: list[bytes] = []
        for i, chunk in enumerate(_chunks(shown)):
            if kept is not None and all(state.files[s] is kept.files[s] and s not in redone for s in chunk):
                tags.append(self.kept_tags[i])
                continue
            data = _encode_row(chunk, state, split)
            tags.append(data[:_TAG])
            self.pack.put(f"{prefix}r{i}", data)
        self.pack.put(prefix + "head", _encode_head(state, tags, split))
        if self.pack.commit():
            self.store.prune_salts()
        else:
            self._drop()

    def _drop(self) -> None:
        self.pack.clear(_state_prefix(self.mode))
        self.pack.commit()


# ── helpers ──

def _project_paths(project: Project, now: int) -> tuple[dict[str, str], dict[str, Signature | None] | None]:
    """shown path → resolved absolute path of each of the project's source files, in the full run's order (as
    `_absolute(gather(None, project)[0])`), and shown path → its signature (`_stat`) from the walk's entry when
    no file is a link (else None: `_stat` takes them). One `scandir` walk in Path order (`listing.source_entries`):
    no Path, no sort and no second `stat` per file (10k files: listing, sorting and signatures were ~0.07 s)."""
    if not project.policies.is_dir():
        return {}, None
    top = str(project.policies)
    entries = source_entries(top)
    if any(entry.is_symlink() for entry in entries):
        return _linked_paths(entries), None
    # no link: the walk followed no linked folder, so each file is the top folder resolved and its path below it
    real = os.path.realpath(top)
    absolute = [entry.path for entry in entries] if real == top else [real + entry.path[len(top):] for entry in entries]
    shown = _shown(absolute)
    if os.name == "nt":  # scandir's entries there know no device or inode
        return shown, None
    limit = now - RACY_NS
    sigs: dict[str, Signature | None] = {}
    try:
        for name, entry in zip(shown, entries):
            st = entry.stat()
            sig = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
            sigs[name] = None if max(sig[3], sig[4]) >= limit else sig
    except OSError:  # a file vanished since the listing: `_stat` says so (the full run)
        return shown, None
    return shown, sigs


def _linked_paths(entries: list[os.DirEntry[str]]) -> dict[str, str]:
    """`_project_paths`' paths when a file is a link: resolved in full (`Path.resolve`), the others by folder, then
    sorted by parts as Paths sort (a link's target may be anywhere)."""
    folders: dict[str, str] = {}
    found: dict[str, None] = {}
    for entry in entries:
        path = entry.path
        if entry.is_symlink():
            found[os.path.realpath(path)] = None  # = Path.resolve()
            continue
        head, name = os.path.split(path)
        folder = folders.get(head)
        if folder is None:
            folder = folders[head] = os.path.realpath(head)
        found[os.path.join(folder, name)] = None
    return _shown(sorted(found, key=lambda text: text.split(os.sep)))  # Path order (by parts), without Paths


def _absolute(files: Iterable[Path]) -> dict[str, str]:
    """shown path → resolved absolute path of each file, in the full run's order (`read_sources`)."""
    return _shown(str(p) for p in sorted(set(_resolved(files)), key=lambda p: p.parts))


def _shown(absolute: Iterable[str]) -> dict[str, str]:
    cwd = os.getcwd() + os.sep
    return {(text[len(cwd):] if text.startswith(cwd) else display_path(Path(text))): text  # = display_path, faster
            for text in absolute}


_INPUT_NAMES = tuple(sorted(SUMMARY_INPUTS))  # a frozenset's order is the process's hash seed's
STATE_ROWS = 256  # files per row of the state in the pack: an edit rewrites the rows holding the files it redid
_TAG = 8  # bytes of a row's tag: the head lists its rows' tags, so a head and rows of two runs do not mix


def _state_prefix(mode: str) -> str:
    """The names of a mode's state in the pack: `<prefix>head` and `<prefix>r<i>`, the i-th `STATE_ROWS` files."""
    return f"s/{mode}/"


def _chunks(shown: list[str]) -> list[list[str]]:
    return [shown[i:i + STATE_ROWS] for i in range(0, len(shown), STATE_ROWS)]


def _encode_head(state: State, tags: list[bytes], index_data: bool) -> bytes:
    """The state's head: version, context, the tags of its rows, then pickled what is corpus-wide (the registry's
    diagnostics, the corpus-wide rules' findings and input digests; the index when it cannot be split in rows)."""
    head = marshal.dumps((state.version, state.context, _INPUT_NAMES, tuple(tags), index_data))
    rest = _pickled((state.registry_diags, None if index_data else state.index, state.wide, state.inputs))
    return len(head).to_bytes(8, "little") + head + rest


def _head_of(head: bytes) -> tuple[str, tuple[str, str, bool, str], tuple[str, ...], tuple[bytes, ...], bool]:
    """A head's marshal part: version, context, summary inputs, its rows' tags, whether the index is in the rows."""
    size = int.from_bytes(head[:8], "little")
    version, context, inputs, tags, split = marshal.loads(head[8:8 + size])
    return version, context, inputs, tags, split


def _encode_row(shown: list[str], state: State, split: bool) -> bytes:
    """The files `shown` of the state as one row: each file's light row (key, signature, flags, ids, refs, digests)
    as marshal data, which loads ~10× faster than pickled dataclasses, with the index's entries of their policies
    (kinds by value, spans as tuples: `split`), then pickled the files' diagnostics (only where a file has any)."""
    files = state.files
    rows = tuple((s, fs.key, fs.registry, fs.stat, fs.luoshi, fs.policies, tuple(sorted(fs.refs)),
                  tuple(fs.digests.get(name, "") for name in _INPUT_NAMES) if fs.digests else (), fs.facts_at)
                 for s in shown for fs in (files[s],))
    index = _index_part(state.index, [pid for s in shown for pid in files[s].policies], shown) if split else None
    head = marshal.dumps((rows, index))
    diags = {s: (fs.parse, fs.resolve, fs.lint) for s in shown for fs in (files[s],) if fs.parse or fs.resolve or fs.lint}
    body = len(head).to_bytes(8, "little") + head + _pickled(diags)
    return hashlib.blake2b(body, digest_size=_TAG).digest() + body


def _decode_state(head: bytes, rows: list[bytes | None]) -> State | None:
    """The state from its head and its rows (each row's data, None where missing), or None when it was written for
    other summary inputs or a row is missing or not the one its head names (another run's)."""
    size = int.from_bytes(head[:8], "little")
    version, context, inputs, tags, split = _head_of(head)
    if version != STATE_VERSION or tuple(inputs) != _INPUT_NAMES:
        return None
    registry_diags, index, wide, digests = pickle.loads(head[8 + size:])
    parts: list[_IndexData] = []
    files: dict[str, FileState] = {}
    if len(rows) != len(tags):
        return None
    for tag, data in zip(tags, rows):
        if data is None or data[:_TAG] != tag:
            return None
        size = int.from_bytes(data[_TAG:_TAG + 8], "little")
        file_rows, part = marshal.loads(data[_TAG + 8:_TAG + 8 + size])
        diags = pickle.loads(data[_TAG + 8 + size:])
        if part is not None:
            parts.append(part)
        for shown, k, registry, stat, luoshi, policies, refs, row_digests, facts_at in file_rows:
            parse, resolve, lint = diags.get(shown, ([], [], []))
            files[shown] = FileState(k, registry, stat, luoshi, policies, frozenset(refs), parse, resolve, lint,
                                     facts_at=facts_at, digests=dict(zip(inputs, row_digests)))
    if split:
        index = _index_of(parts)
    return State(version, context, files, registry_diags, index, wide, digests)


_INDEX_FIELDS = ("kinds", "task_ids", "spans", "parents", "numbers", "file_jurisdictions", "duplicates")
_IndexData = tuple[dict[str, str], dict[str, set[str]] | bytes, dict[str, tuple[str, int, int, int, int]],
                   dict[str, list[str]], dict[str, str], dict[str, str]]


def _splits(index: PolicyIndex, files: dict[str, FileState]) -> bool:
    """Can the index be kept in rows, each file's policies' entries in its file's row? Only when it has the fields
    this knows and every entry is of a policy of the state's files (a full run with no index diagnostics: each id
    is declared once, so `duplicates` is empty and the rows need not carry it); else the index is pickled whole in
    the head, `duplicates` with it."""
    if tuple(f.name for f in dataclasses.fields(index)) != _INDEX_FIELDS or index.duplicates:
        return False
    ids = {pid for fs in files.values() for pid in fs.policies}
    return all(set(d) <= ids for d in (index.kinds, index.task_ids, index.spans, index.parents, index.numbers)) \
        and set(index.file_jurisdictions) <= set(files)


def _index_part(index: PolicyIndex, pids: list[str], shown: list[str]) -> _IndexData:
    """The index's entries of policies `pids` and files `shown` as marshal data (kinds by value, spans as tuples; the
    task ids as marshal bytes of their own, decoded when a policy's are looked up: `_TaskIds`)."""
    spans, task_ids = index.spans, index.task_ids
    kinds = {pid: index.kinds[pid].value for pid in pids if pid in index.kinds}
    tasks: dict[str, set[str]] = {}
    for pid in pids:
        try:
            tasks[pid] = task_ids[pid]  # a subscript: a `_TaskIds` decodes what it has not yet
        except KeyError:
            pass
    return (kinds, marshal.dumps(tasks) if set(tasks) <= set(kinds) else tasks,
            {pid: (s.file, s.line, s.column, s.end_line, s.end_column) for pid in pids if (s := spans.get(pid)) is not None},
            {pid: index.parents[pid] for pid in pids if pid in index.parents},
            {pid: index.numbers[pid] for pid in pids if pid in index.numbers},
            {s: index.file_jurisdictions[s] for s in shown if s in index.file_jurisdictions})


class _TaskIds(dict[str, set[str]]):
    """The index's task ids (policy id → its task ids; 200,000 ids at 10k files, three quarters of decoding the
    state), each row's decoded when one of its policies' is first looked up (`index[pid]`, as `resolve` reads them:
    dict's `__missing__`). Only subscripts decode: what is iterated, copied or tested with `in` is what was decoded,
    so the incremental run copies it with `lazy_copy` and encodes rows through subscripts (`_index_part`)."""

    def __init__(self, blobs: dict[str, bytes]) -> None:
        super().__init__()
        self._blobs = blobs  # policy id → the marshal bytes of its row's task ids (shared by the row's policies)

    def __missing__(self, pid: str) -> set[str]:
        blob = self._blobs.get(pid)
        if blob is None:
            raise KeyError(pid)
        for other, ids in marshal.loads(blob).items():
            self.setdefault(other, ids)  # an entry set since (indexed again) is newer than the row's
            self._blobs.pop(other, None)
        return self[pid]

    def lazy_copy(self) -> _TaskIds:
        copied = _TaskIds(dict(self._blobs))
        copied.update(self)
        return copied


def _index_of(parts: list[_IndexData]) -> PolicyIndex:
    """The index from its rows' parts, in file order (the order the index stage makes it in)."""
    blobs: dict[str, bytes] = {}
    index = PolicyIndex(task_ids=_TaskIds(blobs))
    kind_of: dict[str, ast.PolicyKind] = {}
    for kinds, task_ids, spans, parents, numbers, file_jurisdictions in parts:
        for pid, value in kinds.items():
            kind = kind_of.get(value)
            if kind is None:
                kind = kind_of[value] = ast.PolicyKind(value)
            index.kinds[pid] = kind
        if isinstance(task_ids, bytes):
            blobs.update(dict.fromkeys(kinds, task_ids))
        else:
            index.task_ids.update(task_ids)
        index.spans.update({pid: make_span(*t) for pid, t in spans.items()})
        index.parents.update(parents)
        index.numbers.update(numbers)
        index.file_jurisdictions.update(file_jurisdictions)
    return index


def _pickled(value: object) -> bytes:
    buffer = io.BytesIO()
    SpanPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


def _resolved(paths: Iterable[Path]) -> Iterator[Path]:
    """`p.resolve()` of each path, resolving each folder once (a file that is itself a link: in full)."""
    folders: dict[Path, Path] = {}
    for p in paths:
        if p.name in ("", ".", "..") or os.path.islink(p):
            yield p.resolve()
            continue
        folder = folders.get(p.parent)
        if folder is None:
            folder = folders[p.parent] = p.parent.resolve()
        yield folder / p.name


def _stat(path: Path | str, now: int) -> Signature | None:
    """The file's signature, when it can vouch for its content: as git does, a file is read and hashed again
    unless device, inode, size, modification and change time are those recorded when it was last read; and a
    file changed within `RACY_NS` of that moment is not trusted by its signature (an edit in the same clock tick
    would keep it), so it is read again. The change time cannot be set by tools that restore modification times."""
    try:
        sig = signature(str(path))
    except OSError:
        sig = None
    if sig is None:
        raise _Fallback("unreadable file")
    return None if max(sig[3], sig[4]) >= now - RACY_NS else sig


def _stats(files: Iterable[Path], now: int, absolute: dict[str, Signature | None]) -> dict[str, Signature | None]:
    """shown path → signature of each file (and in `absolute`, absolute path → signature)."""
    try:
        shown: dict[str, Signature | None] = {}
        for p in _resolved(files):
            shown[display_path(p)] = absolute[str(p)] = _stat(p, now)
        return shown
    except _Fallback:  # a file vanished: the full run reports it, and no signature is trusted
        absolute.clear()
        return {}


def _read_text(path: str) -> str:
    """The text `read_source` reads, or _Fallback: the full run reports a file it cannot read."""
    try:
        with open(path, "rb") as handle:
            return source_text(handle.read())
    except (OSError, UnicodeDecodeError):
        raise _Fallback("unreadable file") from None


class _Lazy(Mapping[str, _V]):
    """key → value, each made by `make(key)` when first asked for: a rebuild shows a few files' lines and looks up
    hundreds of the 130,000 units at 10k, so neither the 10,000 SourceFiles nor the units are made up front."""

    def __init__(self, keys: Collection[str], make: Callable[[str], _V]) -> None:
        self.keys_, self.make = keys, make
        self._made: dict[str, _V] = {}

    def __getitem__(self, key: str) -> _V:
        found = self._made.get(key)
        if found is None:
            if not self._known(key):
                raise KeyError(key)
            found = self._made[key] = self.make(key)
        return found

    def _known(self, key: str) -> bool:
        return key in self.keys_

    def __contains__(self, key: object) -> bool:
        return key in self.keys_

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys_)

    def __len__(self) -> int:
        return len(self.keys_)


class _Packed(_Lazy[_V]):
    """A `_Lazy` over pack entries, whose `make` raises KeyError for a key it does not have: a key is looked up in
    the pack before the (slow) list of keys is asked, so a rebuild's few hundred lookups cost a query each."""

    def _known(self, key: str) -> bool:
        return True

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        try:
            self[key]
        except KeyError:
            return False
        return True


class _Keys(Collection[str]):
    """The registry's 130,000 unit ids (at 10k files) as one NUL-joined string, read (`load`) when first asked
    for: a rebuild looks up a few hundred units, each found in the pack first (`_Packed`), and needs the list only
    to list the units or to tell a unit that is not one from a missing entry (reading and authenticating the 6.5 MB
    with the registry's head was ~0.02 s of a 10k edit). Membership is a substring search; iterating splits the
    string, once."""

    def __init__(self, load: Callable[[], str]) -> None:
        self._load: Callable[[], str] | None = load
        self._joined = ""
        self._split: list[str] | None = None

    @property
    def joined(self) -> str:
        if self._load is not None:
            self._joined, self._load = self._load(), None
        return self._joined

    @staticmethod
    def join(keys: Iterable[str]) -> str:
        return "".join(f"\0{k}" for k in keys) + "\0"

    def _all(self) -> list[str]:
        if self._split is None:
            self._split = self.joined[1:-1].split("\0") if len(self.joined) > 1 else []
        return self._split

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and "\0" not in key and f"\0{key}\0" in self.joined

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


def _sources(texts: dict[str, str], paths: dict[str, str]) -> _Lazy[SourceFile]:
    """shown path → SourceFile (the file read then, if this run did not need to)."""
    def make(shown: str) -> SourceFile:
        text = texts.get(shown)
        if text is None:
            text = texts[shown] = _read_text(paths[shown])
        return SourceFile.of(shown, text)

    return _Lazy(paths, make)


def _restricted(resolved: list[model.Policy], registry: Registry) -> model.Corpus:
    """The assemble stage over a few policies, for the local rules: every jurisdiction and role, and the
    registry's units looked up (through the shared lint Index) rather than listed — the local rules only look
    units up by id, and listing 130,000 units would decode every one."""
    from ..lint.index import Index, shared

    bare = copy.copy(registry)
    bare.units = {}
    corpus = assemble(resolved, bare)
    ix = Index(corpus)
    ix.__dict__["units"] = registry.units  # the cached_property's slot: id → Unit, as `Index.units` builds it
    shared(corpus, "index", lambda c: ix)
    return corpus


_UNIT_FIELDS = tuple(model.Unit.model_fields)
_UNIT_KIND, _UNIT_SPAN = _UNIT_FIELDS.index("kind"), _UNIT_FIELDS.index("span")


def _encode_unit(unit: model.Unit) -> bytes:
    """A unit as marshal data (its fields, the kind by value, the span as a tuple), or pickled when that fails.

    The marshal form is used only when it gives the unit back equal: every field read back equal (marshal keeps
    exact built-in types only, so a value it takes is its own copy), the kind a `UnitKind`, the span a `Span`, no
    other attribute, extra or private value. Checked on the row itself (one C comparison) instead of decoding a
    pydantic `Unit` and comparing it: a cold run writes every unit of the registry (~130,000 at 10k), and that
    decoding was two thirds of the writing (bench/README.md, "Round 11")."""
    try:
        d = unit.__dict__
        values = [d[name] for name in _UNIT_FIELDS]
        kind, span = values[_UNIT_KIND], values[_UNIT_SPAN]
        if (type(kind) is model.UnitKind and type(span) is Span and len(d) == len(_UNIT_FIELDS)
                and unit.__pydantic_extra__ is None and unit.__pydantic_private__ is None):
            values[_UNIT_KIND] = kind.value
            values[_UNIT_SPAN] = (span.file, span.line, span.column, span.end_line, span.end_column)
            row = (tuple(values), tuple(sorted(unit.__pydantic_fields_set__)))
            data = marshal.dumps(row)
            if marshal.loads(data) == row:
                return b"M" + data
    except Exception:  # noqa: BLE001 — a field marshal cannot hold: pickle the unit
        pass
    buffer = io.BytesIO()
    SpanPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(unit)
    return b"P" + buffer.getvalue()


def _decode_unit(data: bytes) -> model.Unit:
    if data[:1] == b"P":
        pickled: model.Unit = pickle.loads(data[1:])
        return pickled
    values, fields_set = marshal.loads(data[1:])
    d = dict(zip(_UNIT_FIELDS, values))
    d["kind"] = model.UnitKind(d["kind"])
    d["span"] = make_span(*d["span"])
    unit = object.__new__(model.Unit)
    object.__setattr__(unit, "__dict__", d)
    object.__setattr__(unit, "__pydantic_fields_set__", set(fields_set))
    object.__setattr__(unit, "__pydantic_extra__", None)
    object.__setattr__(unit, "__pydantic_private__", None)
    return unit


_JURISDICTION_FIELDS = tuple(model.Jurisdiction.model_fields)


def _encode_jurisdictions(jurisdictions: dict[str, model.Jurisdiction]) -> bytes | None:
    """The registry's jurisdictions as marshal data (each one's fields, the span as a tuple), or None when that does
    not give them back equal (they are then pickled with the registry's head): unpickling 10,000 pydantic models
    was the whole of the head's 0.08 s of CPU at 10k."""
    try:
        rows = []
        for jid, j in jurisdictions.items():
            values = [j.__dict__[name] for name in _JURISDICTION_FIELDS]
            span = values[_JURISDICTION_FIELDS.index("span")]
            values[_JURISDICTION_FIELDS.index("span")] = (span.file, span.line, span.column, span.end_line, span.end_column)
            rows.append((jid, tuple(values), tuple(sorted(j.__pydantic_fields_set__))))
        data = marshal.dumps(tuple(rows))
        if _decode_jurisdictions(data) == jurisdictions:
            return data
    except Exception:  # noqa: BLE001 — a field marshal cannot hold: the jurisdictions are pickled
        pass
    return None


def _decode_jurisdictions(data: bytes) -> dict[str, model.Jurisdiction]:
    span_at, names, new, put = _JURISDICTION_FIELDS.index("span"), _JURISDICTION_FIELDS, object.__new__, object.__setattr__
    cls, span_of = model.Jurisdiction, make_span
    out: dict[str, model.Jurisdiction] = {}
    fields_sets: dict[tuple[str, ...], set[str]] = {}
    for jid, values, fields_set in marshal.loads(data):
        d = dict(zip(names, values))
        d["span"] = span_of(*values[span_at])
        shared = fields_sets.get(fields_set)
        if shared is None:
            shared = fields_sets[fields_set] = set(fields_set)
        j = new(cls)
        put(j, "__dict__", d)
        put(j, "__pydantic_fields_set__", shared)  # one set per distinct set, as `Frozen` shares them
        put(j, "__pydantic_extra__", None)
        put(j, "__pydantic_private__", None)
        out[jid] = j
    return out


def _facts(corpus: model.Corpus, pids: Iterable[str]) -> dict[str, PolicyFacts]:
    """policy id → what the corpus-wide rules read of it, for the policies of one file."""
    out: dict[str, PolicyFacts] = {}
    for pid in pids:
        policy = corpus.policy(pid)
        if policy is None:
            raise _Fallback(f"policy {pid} not in the corpus")
        out[pid] = policy_facts(policy)
    return out


def _copy(fs: FileState) -> FileState:
    return copy.copy(fs)


def _file_state(k: str, unit: ast.SourceUnit | None) -> FileState:
    return FileState(k, False) if unit is None else _outlined(k, Outline.of(unit))


def _outlined(k: str, outline: Outline) -> FileState:
    return FileState(k, outline.declares, policies=outline.policies, refs=outline.refs)


def _numbers(unit: ast.SourceUnit) -> dict[str, str]:
    """Policy id → its 文号 as the index keeps it (`number_key`), for the policies of one file that print one."""
    from ..semantics.resolve import number_key

    found: dict[str, str] = {}
    for p in unit.policies:
        number = next((s.text for s in p.statements if isinstance(s, ast.DocNumber) and s.text), None)
        if number:
            found[p.id.text] = number_key(number)
    return found


def _citing(files: Mapping[str, FileState], ids: set[str], index: PolicyIndex) -> set[str]:
    """The files whose text refers to one of the policies `ids` (`{index.id_of(r) for r in fs.refs} & ids`): a set
    test per file, and `id_of` only for a reference that is not a policy id (a 文号). A reference that is one of
    `ids` names that policy (an id the index knows is its own `id_of`); mapping 10,000 files' references through
    `id_of` first took ~0.02 s of a 10k edit."""
    if not ids:
        return set()
    known = index.kinds.keys()
    found: set[str] = set()
    for shown, fs in files.items():
        refs = fs.refs
        if not refs.isdisjoint(ids) or (not known >= refs and any(
                index.id_of(r) in ids for r in refs if r not in known)):
            found.add(shown)
    return found


def _shares_number(redone: set[str], kept: PolicyIndex, index: PolicyIndex) -> bool:
    """Does a policy indexed again have (or had) the 文号 of a policy that was not? Then LS221 may appear or go
    away in a file this run does not resolve again: only the full run's index stage can say."""
    others = {number for pid, number in kept.numbers.items() if pid not in redone}
    return any(number in others for pid in redone for number in (kept.numbers.get(pid), index.numbers.get(pid)) if number)


def _registry_key(files_state: dict[str, FileState]) -> FilesKey:
    return tuple((shown, fs.key) for shown, fs in files_state.items() if fs.registry)
