"""Incremental `luoshi check` and `luoshi lint`: after an edit, re-resolve and re-lint only what the edit can reach.

A full run (`compile_paths` + `lint`) is what this module reproduces, byte for byte, on every run. It keeps, in
`.luoshi-cache/incremental/<salt>/{lint,check}.pickle`, the result of the last run per file: the file's content key
(SHA-256 of path and text, as the AST cache), its parse and resolve diagnostics, the raw findings of the per-policy
lint rules that lie in it, and summaries — what each policy declares (kind, task ids), the policy ids its text
refers to, and what the corpus-wide lint rules read of it (implements edges, unit mentions, span); and in
`registry.pickle` the registry, each unit encoded on its own and decoded when looked up. The salt hashes the code
that decides what check and lint find (`SALTED`, lint/, every codes.py, the grammar) and the library versions; the
state also records the working folder, the project, the lint configuration and the list of files. `luoshi check`
reads lint's state when it has none of its own.

On a rebuild every file is hashed again unless its signature (device, inode, size, mtime, ctime) is the one
recorded when it was last hashed, well before that moment (`_stat`). The full run is done again, and recorded,
whenever the state cannot be trusted: no state, another salt, folder, configuration or file list, a file that
cannot be read, a changed file that declares jurisdictions, units or roles (the registry), a changed file whose
policy ids changed (a new, renamed or vanished policy, a syntax error that hides one), a duplicate id, a rule this
module does not know, any error in the incremental path. Otherwise:

- dirty files: the changed ones, and every file whose text refers to a policy id declared in a changed file (its
  references resolve against that policy's task ids, and its chain findings — LS310–LS318, LS320, all placed in
  the child — read that policy's model);
- context: the files of the policies the dirty ones refer to (their parents), resolved but not reported;
- the dirty and context policies are resolved against the registry and an index of every policy's declarations,
  and the per-policy rules run on that small corpus (`_restricted`); only findings lying in dirty files are kept (a
  context policy's own chain findings would lack its parents);
- the corpus-wide rules (`lint.engine.CORPUS_WIDE`: implements cycles, unused units, colliding names, isolated
  policies) run on light stand-ins for every policy built from the summaries, or are reused when what they read is
  unchanged (LS331 reads the registry only);
- everything else is the stored result; configuration and inline suppressions are applied to the whole set as a
  full run does (`lint.engine.finish`), so the output and its order are the same (ties in the order of places
  only occur within one rule and one file, whose relative order is kept).

No rule placed in a parent reads the parent's children (checked by tests/test_incremental.py against full runs of
random edits); a new rule must be classified in `LOCAL_RULES` or `CORPUS_WIDE`, or every run is a full one.
"""
from __future__ import annotations

import copy
import hashlib
import io
import marshal
import os
import pickle
import shutil
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import ast, model, perf
from .cache import CACHE_DIR, AstCache, _Pickler, _span, code_salt, key
from .diagnostics import Diagnostic, Sink
from .pipeline import (Compilation, _known, _parse_missing, _read_all, display_path, gather, no_files,
                       select_ids)
from .project import Project, find_project
from .registry import build_registry
from .resolve import _index_policies, _PolicyIndex, _PolicyResolver, _walk_items, assemble
from .source import SourceFile, Span, source_text

STATE_VERSION = "1"
LOCAL_RULES = frozenset({"LS301", "LS302", "LS303", "LS304", "LS305", "LS306", "LS307", "LS310", "LS311", "LS312",
                         "LS313", "LS314", "LS315", "LS316", "LS317", "LS318", "LS320"})
# luoshi's own modules whose code decides what check and lint find (with lint/*.py and every feature's codes.py):
# the state is salted with their text, so an edit to any of them starts over (other modules do not matter here).
SALTED = ("__init__.py", "ast.py", "astbuild.py", "cache.py", "codes.py", "dates.py", "diagnostics.py",
          "incremental.py", "model.py", "parse.py", "perf.py", "pipeline.py", "project.py", "registry.py",
          "resolve.py", "source.py", "divisions.py", "standard_units.py", "data/divisions.json.gz",
          "data/former_divisions.toml", "data/standard_units.toml")
RACY_NS = 2_000_000_000  # a file changed this recently (ns) is read even when its signature matches (`_stat`)
RESTAT_SAVE = 32  # save the state when this many unchanged files were read only for want of a signature
STATS: dict = {}  # what the last run did (for tests and benchmarks): mode, dirty and context file counts


# ── what is kept per file ──

@dataclass
class PolicySummary:
    """What the corpus-wide rules read of one resolved policy."""

    kind: model.PolicyKind
    span: Span
    implements: tuple[str, ...]
    task_links: tuple[str, ...]  # the policy ids of the tasks' 落实, in order of first mention
    mentions: str  # unit ids named (issuers, addressees, cc, assignments, target scopes; sub-units too), sorted,
    # joined by NUL (no source text holds one: parse.py refuses control characters); one string pickles faster


@dataclass
class FileState:
    key: str
    registry: bool  # declares jurisdictions or roles
    stat: tuple | None = None  # (device, inode, size, mtime, ctime) when `key` was taken; None: always read it
    luoshi: bool = False  # the text names luoshi, so it may hold a suppression (lint/suppress.py)
    policies: tuple[str, ...] = ()  # ids, in file order
    decls: dict[str, tuple[str, str]] = field(default_factory=dict)  # id → (kind, its task ids joined by NUL)
    refs: frozenset[str] = frozenset()  # policy ids named anywhere in the text
    parse: list[Diagnostic] = field(default_factory=list)
    resolve: list[Diagnostic] = field(default_factory=list)
    lint: list[Diagnostic] = field(default_factory=list)  # raw findings of LOCAL_RULES lying in the file
    summaries: dict[str, PolicySummary] = field(default_factory=dict)


@dataclass
class State:
    version: str
    context: tuple  # cwd, project root, lint configuration
    files: dict[str, FileState]  # shown path → state, in compile order
    registry_diags: list[Diagnostic]
    registry_lint: list[Diagnostic]  # LS331's raw findings (the registry only)
    unused: tuple[str, list[Diagnostic]] | None = None  # (digest of the unit mentions, LS330's raw findings)
    cycles: tuple[str, list[Diagnostic]] | None = None  # (digest of the implements edges, LS319's raw findings)


@dataclass
class Outcome:
    compilation: Compilation
    lint: object | None  # lint.engine.LintResult when linting
    mode: str  # "full" or "incremental"


# ── entry point ──

def check_and_lint(targets: list[str] | None = None, project: Project | None = None, config=None,
                   *, lint: bool = True) -> Outcome:
    """`compile_paths(targets)` and, with `lint`, `lint.engine.lint` of its corpus (with `config`), reusing what
    the last run of the same mode found for every file the changes cannot reach. `Outcome.compilation.corpus` is
    None after an incremental run: commands that need the model call `compile_paths`."""
    project = project or find_project()
    if lint and config is None:
        from .lint.config import LintConfig

        config = LintConfig(root=project.root)
    with perf.gc_paused():
        return _Run(targets, project, config if lint else None).go()


def _salt() -> str:
    from .parse import grammar_text

    here = Path(__file__).resolve().parent
    files = {*(here / m for m in SALTED), *here.glob("lint/*.py"), *here.glob("*/codes.py")}
    return code_salt(files, ("pydantic", "lark", "networkx"), STATE_VERSION, grammar_text())


class _Fallback(Exception):
    """The stored state cannot be trusted for this run: do the full run."""


class _Run:
    def __init__(self, targets, project: Project, config):
        self.targets, self.project, self.config = targets, project, config
        self.mode = "lint" if config is not None else "check"
        self.folder: Path | None = None
        self.registry = None  # built when an incremental run needs it
        self.sources: dict[str, SourceFile] = {}
        if os.environ.get("LUOSHI_NO_CACHE", "") in ("", "0"):
            self.folder = project.cache_root / CACHE_DIR / "incremental" / _salt()
        self.context = (str(Path.cwd()), str(project.root), repr(config))

    def go(self) -> Outcome:
        from .lint.rule import RULES

        files, selected, wanted_ids = gather(self.targets, self.project)
        known_rules = {r.code for r in RULES} <= LOCAL_RULES | _corpus_wide()
        if self.folder is None or not files or not known_rules:
            return self._full(files, selected, wanted_ids, save=False)
        state = self._load()
        if state is None:
            return self._full(files, selected, wanted_ids)
        try:
            return self._incremental(state, files, selected, wanted_ids)
        except _Fallback as why:
            reason = str(why)
        except Exception as exc:  # noqa: BLE001 — a fault here must not cost a result: the full run is always right
            reason = f"error: {type(exc).__name__}: {exc}"
        outcome = self._full(files, selected, wanted_ids)
        STATS["fallback"] = reason
        return outcome

    # ── the full run, recording what the next run needs ──
    def _full(self, files, selected, wanted_ids, save: bool = True) -> Outcome:
        from .lint.engine import finish, run_rules

        STATS.clear()
        STATS.update(mode="full")
        sink = Sink()
        cache = AstCache(self.project.cache_root)
        now = time.time_ns()
        stats = _stats(files, now) if save else {}  # before reading: an edit while reading is seen next time
        sources, units = _read_all([p.resolve() for p in files], sink, {}, cache)
        cache.finish()
        parse_items = list(sink.items)
        reg_sink, index_sink = Sink(), Sink()
        registry = build_registry(units, reg_sink)
        policies = [p for src in units for p in src.policies]
        index = _index_policies(policies, index_sink)
        per_file: dict[str, list[Diagnostic]] = {}
        resolved = []
        resolve_items: list[Diagnostic] = []
        for p in policies:
            if index.spans.get(p.id.text) is not p.span:
                continue
            s = Sink()
            resolved.append(_PolicyResolver(p, registry, index, s).run())
            resolve_items += s.items
            per_file.setdefault(p.span.file, []).extend(s.items)
        corpus = assemble(resolved, registry)
        sink.items += reg_sink.items + index_sink.items + resolve_items
        selected = select_ids(wanted_ids, selected, lambda pid: getattr(corpus.policy(pid), "file", None), sink)
        no_files(files, wanted_ids, {}, self.project, sink)
        comp = Compilation(corpus, sink, sources, selected, wanted_ids)
        result = None
        raw_by_file: dict[str, list[Diagnostic]] = {}
        wide: list[Diagnostic] = []
        if self.config is not None:
            raw = run_rules(corpus, self.config)  # = lint.engine.lint
            result = finish(raw, sources, self.config)
            wide = [d for d in raw if d.code not in LOCAL_RULES]
            for d in raw:
                if d.code in LOCAL_RULES:
                    raw_by_file.setdefault(d.span.file if d.span else "", []).append(d)
        trustworthy = (save and not index_sink.items and "" not in raw_by_file
                       and len(sources) == len({p.resolve() for p in files}) and all(d.span is not None and d.span.file in sources for d in parse_items)
                       and len(resolved) == len(policies))
        if trustworthy:
            state = self._record(units, sources, parse_items, reg_sink.items, per_file, raw_by_file, wide, corpus, stats)
            self._save(state)
            self._save_registry(_registry_key(state.files), registry)
        elif self.folder is not None:
            self._drop()
        return Outcome(comp, result, "full")

    def _record(self, units, sources, parse_items, registry_diags, per_file, raw_by_file, wide, corpus,
                stats: dict[str, tuple | None]) -> State:
        by_path = {u.path: u for u in units}
        files: dict[str, FileState] = {}
        for shown, source in sources.items():
            unit = by_path.get(shown)
            fs = _file_state(key(shown, source.text), unit)
            fs.stat, fs.luoshi = stats.get(shown), "luoshi" in source.text
            fs.parse = [d for d in parse_items if d.span.file == shown]
            fs.resolve = per_file.get(shown, [])
            fs.lint = raw_by_file.get(shown, [])
            if self.config is not None:
                fs.summaries = {pid: _summary(corpus.policy(pid)) for pid in fs.policies}
            files[shown] = fs
        state = State(STATE_VERSION, self.context, files, list(registry_diags), [])
        if self.config is not None:
            state.registry_lint = [d for d in wide if d.code == "LS331"]
            state.unused = (_mentioned(files), [d for d in wide if d.code == "LS330"])
            state.cycles = (_edges(files), [d for d in wide if d.code == "LS319"])
        return state

    # ── the incremental run ──
    def _incremental(self, state: State, files, selected, wanted_ids) -> Outcome:
        from .lint.engine import finish

        texts: dict[str, str] = {}  # the files read: new or changed since their content key was taken
        paths: dict[str, Path] = {}
        stats: dict[str, tuple | None] = {}
        cwd, now = os.getcwd() + os.sep, time.time_ns()
        for path in sorted(set(_resolved(files)), key=lambda p: p.parts):  # Path order, without its cost
            text = str(path)
            shown = text[len(cwd):] if text.startswith(cwd) else display_path(path)  # = display_path, faster
            paths[shown] = path
            sig = stats[shown] = _stat(path, now)
            old = state.files.get(shown)
            if sig is None or old is None or old.stat != sig:
                texts[shown] = _read_text(path)
        sources = self.sources = _sources(texts, paths)
        if list(paths) != list(state.files):
            raise _Fallback("file list")
        changed = [s for s, text in texts.items() if key(s, text) != state.files[s].key]
        STATS.clear()
        STATS.update(mode="incremental", read=len(texts), changed=len(changed), dirty=0, context=0)
        files_state = dict(state.files)
        restat = 0
        for s in texts:  # read and unchanged: note the signature, so the next run need not read it
            if stats[s] is not None and stats[s] != files_state[s].stat:
                files_state[s] = _copy(files_state[s])
                files_state[s].stat = stats[s]
                restat += 1
        cache = AstCache(self.project.cache_root)
        new_units: dict[str, ast.SourceUnit | None] = {}
        parse_diags: dict[str, list[Diagnostic]] = {}
        if changed:
            slots = [[sources[s], _known(sources[s], cache)] for s in changed]
            psink = Sink()
            _parse_missing([slot for slot in slots if slot[1] is None], psink, cache)
            for d in psink.items:
                if d.span is None or d.span.file not in sources:
                    raise _Fallback("parse diagnostic elsewhere")
                parse_diags.setdefault(d.span.file, []).append(d)
            for slot in slots:
                shown, unit = slot[0].path, slot[1]
                old = state.files[shown]
                fs = _file_state(key(shown, slot[0].text), unit)
                if old.registry or fs.registry:
                    raise _Fallback("registry changed")
                if fs.policies != old.policies:
                    raise _Fallback("policy ids changed")
                fs.parse = parse_diags.get(shown, [])
                fs.stat, fs.luoshi = stats[shown], "luoshi" in slot[0].text
                new_units[shown] = unit
                files_state[shown] = fs
        changed_ids = {pid for s in changed for pid in files_state[s].policies}
        dirty = set(changed) | {s for s, fs in files_state.items() if fs.refs & changed_ids}
        file_of = {pid: s for s, fs in files_state.items() for pid in fs.policies}
        context = {file_of[r] for s in dirty for r in files_state[s].refs if r in file_of} - dirty
        STATS.update(dirty=len(dirty), context=len(context))
        if dirty:
            self._redo(dirty, context, files_state, sources, cache, new_units)
        # the compilation, in the order a full run reports (parse, registry, resolve; ties keep that order)
        sink = Sink()
        for fs in files_state.values():
            sink.items += fs.parse
        sink.items += state.registry_diags
        for fs in files_state.values():
            sink.items += fs.resolve
        selected = select_ids(wanted_ids, selected, file_of.get, sink)
        no_files(files, wanted_ids, {}, self.project, sink)
        comp = Compilation(None, sink, sources, selected, wanted_ids)  # type: ignore[arg-type]
        new_state = State(STATE_VERSION, self.context, files_state, state.registry_diags, state.registry_lint,
                          state.unused, state.cycles)
        result = None
        if self.config is not None:
            wide = self._corpus_wide(new_state, dirty)
            raw = [d for fs in files_state.values() for d in fs.lint] + wide
            # only a file that names luoshi can hold a suppression (lint/suppress.py): the others need no SourceFile
            result = finish(raw, {s: sources[s] for s, fs in files_state.items() if fs.luoshi}, self.config)
        if changed or restat >= RESTAT_SAVE:
            self._save(new_state)
        return Outcome(comp, result, "incremental")

    def _redo(self, dirty: set[str], context: set[str], files_state: dict[str, FileState],
              sources: dict[str, SourceFile], cache: AstCache, new_units: dict) -> None:
        """Resolve (and lint) the dirty files again, with their parents' files as context."""
        from .lint.engine import run_rules

        units: dict[str, ast.SourceUnit] = {}
        for shown in sorted(dirty | context):
            unit = new_units[shown] if shown in new_units else _known(sources[shown], cache)
            if unit is None and files_state[shown].policies:
                raise _Fallback("AST missing")
            if unit is not None:
                units[shown] = unit
        registry = self._registry(files_state, sources, cache)
        index = _PolicyIndex()
        for fs in files_state.values():
            for pid, (kind, tasks) in fs.decls.items():
                index.kinds[pid] = kind
                index.task_ids[pid] = set(tasks.split("\0")) if tasks else set()
        resolved = []
        for shown in files_state:  # file order: policies resolve (and report) in the full run's order
            if shown not in units:
                continue
            fs = files_state[shown]
            diags: list[Diagnostic] = []
            for p in units[shown].policies:
                index.spans[p.id.text] = p.span
                index.parents[p.id.text] = [r.policy for s in p.statements if s.kind == "implements" for r in s.refs
                                            if r.policy and not r.task]
                s = Sink()
                resolved.append(_PolicyResolver(p, registry, index, s).run())
                diags += s.items
            if shown in dirty:
                fs = files_state[shown] = _copy(fs)
                fs.resolve = diags
        corpus = _restricted(resolved, registry)
        if self.config is not None:
            found: dict[str, list[Diagnostic]] = {s: [] for s in dirty}
            for d in run_rules(corpus, self.config, LOCAL_RULES):
                if d.span is None:
                    raise _Fallback("a local finding without a place")
                if d.span.file in found:
                    found[d.span.file].append(d)
            for shown in dirty:
                fs = files_state[shown]
                fs.lint = found[shown]
                fs.summaries = {pid: _summary(corpus.policy(pid)) for pid in fs.policies}

    def _corpus_wide(self, state: State, dirty: set[str]) -> list[Diagnostic]:
        """LS319, LS330, LS331, LS332 for the whole corpus, from the summaries."""
        from .lint.engine import run_rules

        wanted = {c for c in _corpus_wide() if self.config.enabled(c)}
        out: list[Diagnostic] = []
        registry_lint = state.registry_lint
        need = set()
        edges = _edges(state.files) if "LS319" in wanted else None
        if edges is not None and (state.cycles is None or state.cycles[0] != edges):
            need.add("LS319")
        mentioned = _mentioned(state.files) if "LS330" in wanted else None
        if mentioned is not None and (state.unused is None or state.unused[0] != mentioned):
            need.add("LS330")
        if "LS332" in wanted:
            need.add("LS332")
        found: list[Diagnostic] = []
        if need:
            registry = ((), (), ())
            if "LS330" in need:  # only LS330 reads the registry
                reg = self._registry(state.files, self.sources, AstCache(self.project.cache_root))
                c = model.Corpus(jurisdictions=tuple(sorted(reg.jurisdictions.values(), key=lambda j: j.id)),
                                 units=tuple(sorted(reg.units.values(), key=lambda u: u.id)),
                                 roles=tuple(sorted(reg.roles.values(), key=lambda r: r.id)))
                registry = (c.jurisdictions, c.units, c.roles)
            stub = _StubCorpus(state, registry, "LS330" in need)
            found = run_rules(stub, self.config, frozenset(need))  # type: ignore[arg-type]
        if "LS319" in need:
            state.cycles = (edges, [d for d in found if d.code == "LS319"])
        if "LS330" in need:
            state.unused = (mentioned, [d for d in found if d.code == "LS330"])
        for code in sorted(wanted):
            if code == "LS319":
                out += state.cycles[1]
            elif code == "LS330":
                out += state.unused[1]
            elif code == "LS331":
                out += registry_lint
            else:
                out += [d for d in found if d.code == code]
        return out

    def _registry(self, files_state: dict[str, FileState], sources: dict[str, SourceFile], cache: AstCache):
        """The registry: as the last full run pickled it (loading 130,000 units takes a third of building them
        from their ASTs), or built from the cached ASTs of the files that declare it, in compile order."""
        if self.registry is not None:
            return self.registry
        wanted = _registry_key(files_state)
        try:
            found, registry, units = pickle.loads((self.folder / "registry.pickle").read_bytes())
            if found == wanted:
                registry.units = _Lazy(units, lambda uid: _decode_unit(units[uid]))
                self.registry = registry
                return registry
        except Exception:  # noqa: BLE001 — missing or damaged: build it
            pass
        units = []
        for shown, fs in files_state.items():
            if fs.registry:
                unit = _known(sources[shown], cache)
                if unit is None:
                    raise _Fallback("registry AST missing")
                units.append(unit)
        self.registry = build_registry(units, Sink())
        self._save_registry(wanted, self.registry)
        return self.registry

    def _save_registry(self, wanted: tuple, registry) -> None:
        """The registry without its units, and each unit encoded on its own (`_LazyUnits`)."""
        bare = copy.copy(registry)
        bare.units, bare._tiers = {}, {}
        self._write("registry.pickle", (wanted, bare, {uid: _encode_unit(u) for uid, u in registry.units.items()}))

    # ── the state on disk ──
    def _load(self) -> State | None:
        """This mode's state; for check, else lint's, which holds all a check needs (its lint part is not read,
        and check saves to its own file), so a check after a lint is incremental too."""
        for name in [f"{self.mode}.pickle", *(["lint.pickle"] if self.mode == "check" else [])]:
            try:
                state = pickle.loads((self.folder / name).read_bytes())
            except Exception:  # noqa: BLE001 — a missing or damaged state is no state
                continue
            if isinstance(state, State) and state.version == STATE_VERSION and self._fits(state):
                return state
        return None

    def _fits(self, state: State) -> bool:
        """Made in the same folder, for the same project, with the same lint configuration (check: any)."""
        return state.context == self.context if self.config is not None else state.context[:2] == self.context[:2]

    def _save(self, state: State) -> None:
        self._write(f"{self.mode}.pickle", state)

    def _write(self, name: str, value) -> None:
        if self.folder is None:
            return
        buffer = io.BytesIO()
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
        try:
            base = self.project.cache_root / CACHE_DIR
            fresh = not base.exists()
            self.folder.mkdir(parents=True, exist_ok=True)
            if fresh:
                (base / ".gitignore").write_text("# made by luoshi: a cache, never commit it\n*\n", encoding="utf-8")
                (base / "CACHEDIR.TAG").write_text("Signature: 8a477f597d28d172789f06886806bc55\n# luoshi cache\n")
            for other in self.folder.parent.iterdir():
                if other != self.folder:
                    shutil.rmtree(other, ignore_errors=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
            with os.fdopen(fd, "wb") as out:
                out.write(buffer.getvalue())
            os.replace(tmp, self.folder / name)
        except OSError:
            pass

    def _drop(self) -> None:
        try:
            (self.folder / f"{self.mode}.pickle").unlink(missing_ok=True)
        except OSError:
            pass


# ── helpers ──

def _resolved(paths):
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


def _stat(path: Path, now: int) -> tuple | None:
    """The file's signature, when it can vouch for its content: as git does, a file is read and hashed again
    unless device, inode, size, modification and change time are those recorded when it was last read; and a
    file changed within `RACY_NS` of that moment is not trusted by its signature (an edit in the same clock tick
    would keep it), so it is read again. The change time cannot be set by tools that restore modification times."""
    try:
        st = os.stat(path)
    except OSError:
        raise _Fallback("unreadable file") from None
    if max(st.st_mtime_ns, st.st_ctime_ns) >= now - RACY_NS:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _stats(files, now: int) -> dict[str, tuple | None]:
    try:
        return {display_path(p): _stat(p, now) for p in _resolved(files)}
    except _Fallback:  # a file vanished: the full run reports it, and no signature is trusted
        return {}


def _read_text(path: Path) -> str:
    """The text `read_source` reads, or _Fallback: the full run reports a file it cannot read."""
    try:
        return source_text(path.read_bytes())
    except (OSError, UnicodeDecodeError):
        raise _Fallback("unreadable file") from None


class _Lazy(Mapping):
    """key → value, each made by `make(key)` when first asked for: a rebuild shows a few files' lines and looks up
    hundreds of the 130,000 units at 10k, so neither the 10,000 SourceFiles nor the units are made up front."""

    def __init__(self, keys, make):
        self.keys_, self.make, self._made = keys, make, {}

    def __getitem__(self, key):
        found = self._made.get(key)
        if found is None:
            found = self._made[key] = self.make(key)
        return found

    def __contains__(self, key) -> bool:
        return key in self.keys_

    def __iter__(self):
        return iter(self.keys_)

    def __len__(self) -> int:
        return len(self.keys_)


def _sources(texts: dict[str, str], paths: dict[str, Path]) -> _Lazy:
    """shown path → SourceFile (the file read then, if this run did not need to)."""
    def make(shown: str) -> SourceFile:
        text = texts.get(shown)
        if text is None:
            text = texts[shown] = _read_text(paths[shown])
        return SourceFile.of(shown, text)

    return _Lazy(paths, make)


def _corpus_wide() -> frozenset[str]:
    from .lint.engine import CORPUS_WIDE

    return CORPUS_WIDE


def _restricted(resolved: list[model.Policy], registry) -> model.Corpus:
    """A corpus of a few policies for the local rules: every jurisdiction and role, and the registry's units
    looked up (through the shared lint Index) rather than listed — the local rules only look units up by id."""
    from .lint.index import Index, shared

    corpus = model.Corpus(
        policies=tuple(sorted(resolved, key=lambda p: p.id)),
        jurisdictions=tuple(sorted(registry.jurisdictions.values(), key=lambda j: j.id)),
        roles=tuple(sorted(registry.roles.values(), key=lambda r: r.id)),
    )
    ix = Index(corpus)
    ix.__dict__["units"] = registry.units  # the cached_property's slot: id → Unit, as `Index.units` builds it
    shared(corpus, "index", lambda c: ix)
    return corpus


_UNIT_FIELDS = tuple(model.Unit.model_fields)


def _encode_unit(unit: model.Unit) -> bytes:
    """A unit as marshal data (its fields, the kind by value, the span as a tuple), or pickled when that fails."""
    try:
        values = []
        for name in _UNIT_FIELDS:
            value = unit.__dict__[name]
            if name == "kind":
                value = value.value
            elif name == "span":
                value = (value.file, value.line, value.column, value.end_line, value.end_column)
            values.append(value)
        data = b"M" + marshal.dumps((tuple(values), tuple(sorted(unit.__pydantic_fields_set__))))
        if _decode_unit(data) == unit:
            return data
    except Exception:  # noqa: BLE001 — a field marshal cannot hold: pickle the unit
        pass
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(unit)
    return b"P" + buffer.getvalue()


def _decode_unit(data: bytes) -> model.Unit:
    if data[:1] == b"P":
        return pickle.loads(data[1:])
    values, fields_set = marshal.loads(data[1:])
    d = dict(zip(_UNIT_FIELDS, values))
    d["kind"] = model.UnitKind(d["kind"])
    d["span"] = _span(*d["span"])
    unit = object.__new__(model.Unit)
    object.__setattr__(unit, "__dict__", d)
    object.__setattr__(unit, "__pydantic_fields_set__", set(fields_set))
    object.__setattr__(unit, "__pydantic_extra__", None)
    object.__setattr__(unit, "__pydantic_private__", None)
    return unit


def _copy(fs: FileState) -> FileState:
    return copy.copy(fs)


def _file_state(k: str, unit: ast.SourceUnit | None) -> FileState:
    if unit is None:
        return FileState(k, False)
    decls = {p.id.text: (p.kind, "\0".join(sorted({i.id.text for i in _walk_items(p.body)}))) for p in unit.policies}
    return FileState(k, bool(unit.jurisdictions or unit.roles), policies=tuple(p.id.text for p in unit.policies),
                     decls=decls, refs=frozenset(_refs(unit)))


def _refs(unit: ast.SourceUnit) -> set[str]:
    """Every policy id a file's text names in a reference (落实, 引用, 不予落实, task links)."""
    out: set[str] = set()

    def statements(stmts) -> None:
        for s in stmts:
            for r in s.refs:
                if r.policy:
                    out.add(r.policy)

    def body(nodes) -> None:
        for node in nodes:
            if isinstance(node, ast.Section):
                statements(node.statements)
                body(node.body)
            elif isinstance(node, ast.Group):
                body(node.items)
            elif isinstance(node, ast.Item):
                statements(node.statements)
                body(node.children)

    for p in unit.policies:
        statements(p.statements)
        body(p.body)
    return out


def _flat(ref: model.UnitRef):
    yield ref.unit
    for sub in ref.subunits:
        yield from _flat(sub)


def _summary(p: model.Policy) -> PolicySummary:
    mentions = {u for ref in (*p.issuers, *p.addressees, *p.cc) for u in _flat(ref)}
    for t in p.tasks:
        for a in t.assignments:
            mentions.update(_flat(a.unit))
        for g in t.targets:
            for s in g.scope:
                mentions.update(_flat(s))
    links = tuple(dict.fromkeys(k.policy for t in p.tasks for k in t.implements))  # first mention: the same graph
    return PolicySummary(p.kind, p.span, p.implements, links, "\0".join(sorted(mentions)))


def _mentioned(files: dict[str, FileState]) -> str:
    """A digest of every policy's unit mentions: LS330 reads only their union, so it is found again when this
    changes."""
    h = hashlib.sha256()
    for pid, s in sorted((pid, s) for fs in files.values() for pid, s in fs.summaries.items()):
        h.update(f"{pid}\1{s.mentions}\2".encode())
    return h.hexdigest()


def _edges(files: dict[str, FileState]) -> str:
    """A digest of the implements graph as LS319 builds it (policies by id; each one's policy-level, then task
    links)."""
    found = {pid: s for fs in files.values() for pid, s in fs.summaries.items()}
    return hashlib.sha256(repr([(pid, found[pid].implements, found[pid].task_links) for pid in sorted(found)]).encode()).hexdigest()


# Stand-ins for the corpus-wide rules: the attributes they read, nothing else.

class _Key:
    __slots__ = ("policy",)

    def __init__(self, policy: str):
        self.policy = policy


class _Ref:
    __slots__ = ("unit", "subunits")

    def __init__(self, unit: str):
        self.unit, self.subunits = unit, ()


class _StubTask:
    __slots__ = ("implements", "assignments", "targets")

    def __init__(self, links: tuple[str, ...]):
        self.implements, self.assignments, self.targets = tuple(_Key(p) for p in links), (), ()


class _StubPolicy:
    __slots__ = ("id", "kind", "span", "implements", "issuers", "addressees", "cc", "tasks")

    def __init__(self, pid: str, s: PolicySummary, mentions: bool):
        self.id, self.kind, self.span, self.implements = pid, s.kind, s.span, s.implements
        self.issuers = tuple(_Ref(u) for u in s.mentions.split("\0") if u) if mentions else ()
        self.addressees = self.cc = ()
        self.tasks = (_StubTask(s.task_links),) if s.task_links else ()


class _StubCorpus:
    def __init__(self, state: State, registry, mentions: bool):
        found = {pid: s for fs in state.files.values() for pid, s in fs.summaries.items()}
        self.policies = tuple(_StubPolicy(pid, found[pid], mentions) for pid in sorted(found))
        self._by_id = {p.id: p for p in self.policies}
        self.jurisdictions, self.units, self.roles = registry

    def policy(self, pid: str):
        return self._by_id.get(pid)


def _registry_key(files_state: dict[str, FileState]) -> tuple:
    return tuple((shown, fs.key) for shown, fs in files_state.items() if fs.registry)
