"""The driver: find source files, run the compiler's stages over them, and say which diagnostics the user asked for.

The stages, each one function, run in this order by `run_stages`, which keeps every stage's result (`Stages`):

    read_sources   paths → SourceFile per file                      (source.py)
    parse_sources  SourceFile → AST, through the AST cache and a worker pool (cache.py, perf.py)
    build_registry ASTs → jurisdictions, units, roles               (registry.py)
    index_policies ASTs → what each policy declares: kind, task ids, parents (resolve.py)
    resolve_policy one policy's AST → its model, against registry and index (resolve.py)
    assemble       resolved policies + registry → the frozen Corpus (resolve.py)
    lint           rules over the corpus / its summary / the registry (lint/engine.py)

The full run (`compile_paths`, and `luoshi check`/`lint` when nothing is kept) calls `run_stages`; the
incremental run (incremental.py) keeps what `run_stages` returned per file and, after an edit, calls the same stage
functions on the files the edit can reach. A file is always checked in the context of its whole corpus (the
registry and the other policies it refers to), but only the diagnostics of the files, folders or policy ids the
user named are reported.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from .. import model
from ..diagnostics import Diagnostic, Sink
from ..semantics.registry import Registry, build_registry
from ..semantics.resolve import Indexer, PolicyIndex, Shared, assemble, index_entry, index_policies, resolve_policy
from ..syntax import ast
from ..syntax.astcache import AstCache, dumps, key, loads
from ..syntax.parse import ast_parser, parse_ast
from ..syntax.source import DecodeError, SourceFile, Span, read_source
from . import perf
from .listing import SOURCE_SUFFIXES as SOURCE_SUFFIXES  # re-exported: listing.py is the light part of the driver
from .listing import display_path as display_path
from .listing import source_files as source_files
from .listing import source_paths as source_paths
from .project import Project, find_project


@dataclass
class Compilation:
    corpus: model.Corpus
    sink: Sink
    sources: dict[str, SourceFile]
    selected_files: set[str] | None = None  # None: everything
    selected_policies: set[str] = field(default_factory=set)

    def diagnostics(self) -> list[Diagnostic]:
        if self.selected_files is None:
            return list(self.sink)
        return [d for d in self.sink if d.span is None or d.span.file in self.selected_files]

    def context_errors(self) -> int:
        shown = set(map(id, self.diagnostics()))
        return sum(1 for d in self.sink if id(d) not in shown and d.severity.value == "error")


def compile_paths(targets: list[str] | None = None, project: Project | None = None,
                  extra: dict[str, str] | None = None) -> Compilation:
    """Compile the project's corpus plus any named paths; select the named files, folders or policy ids.

    `extra` holds in-memory sources (shown name → text), compiled with the corpus and selected; a corpus file
    shown under the same name is replaced. `luoshi draft` checks a draft this way before writing it."""
    with perf.gc_paused():
        return _compile(targets, project or find_project(), extra or {})


def load_clean(project: Project | None = None) -> tuple[model.Corpus | None, Compilation]:
    """The project's whole corpus, or None when it has errors, with the compilation that holds the diagnostics:
    what a feature that needs an error-free model starts from. Prints nothing; the command layer shows the
    diagnostics (commands/_corpus.py)."""
    comp = compile_paths(None, project)
    return (None if comp.sink.has_errors() else comp.corpus), comp


def _compile(targets: list[str] | None, project: Project, extra: dict[str, str]) -> Compilation:
    files, selected, wanted_ids = gather(targets, project)
    stages = run_stages([p.resolve() for p in files], extra, AstCache(project.cache_root), project.standard_units,
                        keep_asts=False)
    sink = stages.sink()
    if extra:
        selected = (selected or set()) | set(extra)
    corpus = stages.corpus
    selected = select_ids(wanted_ids, selected, lambda pid: getattr(corpus.policy(pid), "file", None), sink)
    no_files(files, wanted_ids, extra, project, sink)
    return Compilation(corpus, sink, stages.sources, selected, wanted_ids)


@dataclass
class Stages:
    """What each stage of one full run produced, with its diagnostics apart (the incremental run keeps them)."""

    sources: dict[str, SourceFile]  # shown path → source, in compile order
    units: Mapping[str, ast.SourceUnit]  # shown path → AST, for the files that parsed (Packed: made on demand)
    parse_diags: list[Diagnostic]  # reading and parsing
    registry: Registry
    registry_diags: list[Diagnostic]
    index: PolicyIndex
    index_diags: list[Diagnostic]
    resolved: list[tuple[model.Policy, list[Diagnostic]]]  # each policy, with what resolving it reported
    corpus: model.Corpus

    def sink(self) -> Sink:
        """Every diagnostic, in the order of the stages (parse, registry, index, each policy in file order)."""
        sink = Sink()
        sink.items += self.parse_diags + self.registry_diags + self.index_diags
        for _, diagnostics in self.resolved:
            sink.items += diagnostics
        return sink


def run_stages(paths: list[Path], extra: dict[str, str], cache: AstCache, standard_units: bool = True, *,
               keep_asts: bool = True, seen: Callable[[str, Outline], None] | None = None) -> Stages:
    """read → parse → registry → index → resolve each policy → assemble, over the files at `paths` and the
    in-memory `extra` sources (shown name → text); `standard_units`: the project's switch (Project).

    With `keep_asts` false (`luoshi check`, `lint`, `build`: nothing after the model reads an AST) no more than one
    policy file's AST is alive at a time: each file's AST is kept compressed in its wire form (`Packed`, a tenth
    of the objects' size; syntax/astwire.py), decoded to be resolved (and shown to `seen`, with its shown path, then) and, when it
    came from the cache or declares jurisdictions or roles, once more before, to be indexed; a file parsed in this
    run is indexed from what its parse took for the index (`Heads`). `seen` is shown each file's `Outline` as it
    is indexed: for a file parsed in this run, the one its worker took. A file's bytes are released once it is
    resolved. No text is held here while the workers parse: a file is read here only to key it, and its worker
    reads it again (`read_packed`); the texts the workers read are kept compressed from then on (`PackedSource`);
    `Stages.units`
    then parses a file again when asked for its AST. The results are those of `keep_asts`."""
    if keep_asts:
        return _run_kept(paths, extra, cache, standard_units, seen)
    sink = Sink()
    sources, packed = read_packed(paths, sink, extra, cache)
    cache.finish()
    for shown, text in packed.texts.items():  # what the workers parsed: the text kept compressed from now on
        sources[shown] = PackedSource(shown, text)
    packed.texts.clear()
    reg_sink, index_sink = Sink(), Sink()
    indexer, declaring = Indexer(), []
    for shown in packed:  # file order: the index stage's, a file at a time
        heads = packed.heads.pop(shown, None)
        if heads is not None and not heads.outline.declares:
            indexer.add(heads.policies, heads.task_ids)
            if seen is not None:
                seen(shown, heads.outline)
            continue
        unit = packed.first_load(shown, sink, cache)
        if unit is None:
            continue
        if unit.jurisdictions or unit.roles:
            declaring.append((sources[shown], unit))  # the registry's files (a few): kept until it is built
        indexer.add(unit.policies)
        if seen is not None:
            seen(shown, Outline.of(unit))
    registry = _registry_of(declaring, standard_units, reg_sink)
    del declaring
    index = indexer.finish(index_sink)
    resolved = _resolve_all(packed, registry, index)
    corpus = assemble([policy for policy, _ in resolved], registry)
    return Stages(sources, packed, sink.items, registry, reg_sink.items, index, index_sink.items, resolved, corpus)


# The registry this process built last, by what it was built from: the declaring files' (shown path, text) in file
# order and the project's standard_units switch. One entry: a corpus compiled again with only its policies changed
# (the fuzz tests, `luoshi draft`'s check beside the corpus, a test module per corpus) reuses it.
_REGISTRY: dict[tuple[bool, tuple[tuple[str, str], ...]], tuple[Registry, list[Diagnostic]]] = {}


def _registry_of(declaring: list[tuple[SourceFile, ast.SourceUnit]], standard_units: bool, sink: Sink) -> Registry:
    """The registry stage: `build_registry` over the declaring files' ASTs, or the registry this process last
    built from the same files. Deriving the standard units of the 38 区县 (3,412 units) was half of a seed
    compile, and the same files give the same registry (an AST is a function of path and text; the division data
    ship with luoshi). A built registry is only read: its lookup tables fill in lazily and alike for every reader,
    and the resolver only reads it. Its diagnostics are reported again each time."""
    key = (standard_units, tuple((source.path, source.text) for source, _ in declaring))
    found = _REGISTRY.get(key)
    if found is None:
        built = Sink()
        found = (build_registry([unit for _, unit in declaring], built, standard_units), built.items)
        _REGISTRY.clear()
        _REGISTRY[key] = found
    sink.items.extend(found[1])
    return found[0]


def _run_kept(paths: list[Path], extra: dict[str, str], cache: AstCache, standard_units: bool,
              seen: Callable[[str, Outline], None] | None) -> Stages:
    """`run_stages` keeping every AST (`Stages.units` a plain dict): the language server reads them."""
    sink = Sink()
    sources = read_sources(paths, sink, extra)
    units = parse_sources(sources, sink, cache)
    cache.finish()
    if seen is not None:
        for shown, unit in units.items():
            seen(shown, Outline.of(unit))
    reg_sink, index_sink = Sink(), Sink()
    registry = build_registry(list(units.values()), reg_sink, standard_units)
    index = index_policies([p for unit in units.values() for p in unit.policies], index_sink)
    resolved = _resolve_all(units, registry, index)
    corpus = assemble([policy for policy, _ in resolved], registry)
    return Stages(sources, units, sink.items, registry, reg_sink.items, index, index_sink.items, resolved, corpus)


def _resolve_all(units: Mapping[str, ast.SourceUnit], registry: Registry,
                 index: PolicyIndex) -> list[tuple[model.Policy, list[Diagnostic]]]:
    """The resolve stage: each policy the index owns (else a duplicate id, reported by the index), file by file in
    the order of `units`, resolved with its own diagnostics, its values shared with the registry's and the other
    policies' as they are built (strings interned, task keys and dates through one `resolve.Shared`). `units` may be `Packed` (each file's AST decoded when asked for, one at a time).

    Measured and not done (bench/README.md, "Round 8"): resolving in forked workers that inherit the ASTs, the
    registry and the index and send back each batch's models pickled. The models' pickling, the workers' own lookup
    tables and copied pages cost more CPU than they take off this process (1k: 2.2 → 3.8 s CPU for the stage)."""
    resolved: list[tuple[model.Policy, list[Diagnostic]]] = []
    shared = Shared()  # the policies' task keys and dates, one object per value (strings: interned as built)
    release = units.release if isinstance(units, Packed) else None
    for shown in units:
        unit = units[shown]
        if release is not None:
            release(shown)
        for p in unit.policies:
            if index.owns(p):
                policy_sink = Sink()
                resolved.append((resolve_policy(p, registry, index, policy_sink, shared), policy_sink.items))
    return resolved


class Outline(NamedTuple):
    """What the incremental state keeps of a file's AST (incremental.FileState): whether it declares jurisdictions
    or roles (then it is the registry's), its policies' ids in file order, and every policy id (or 文号) its text
    names in a reference (落实, 引用, 不予落实, task links). Taken by the parse worker with the `Heads`, on its
    core: walking every statement of every file in the parent was ~0.14 ms a file of the cold run's serial part
    (bench/README.md, "Round 11")."""

    declares: bool
    policies: tuple[str, ...]
    refs: frozenset[str]

    @classmethod
    def of(cls, unit: ast.SourceUnit) -> Outline:
        return cls(bool(unit.jurisdictions or unit.roles), tuple(p.id.text for p in unit.policies), _refs(unit))


def _refs(unit: ast.SourceUnit) -> frozenset[str]:
    """Every policy id a file's text names in a reference (落实, 引用, 不予落实, task links)."""
    out: set[str] = set()
    kinds = (ast.Implements, ast.Cites, ast.Waiver)

    def statements(stmts: Iterable[ast.Statement]) -> None:
        for s in stmts:
            if isinstance(s, kinds):
                out.update(r.policy for r in s.refs if r.policy)

    def body(nodes: Iterable[ast.Section | ast.Item | ast.Group]) -> None:
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
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class Heads:
    """What the index stage reads of one file, taken where it was parsed while its AST was alive: each policy
    with its statements only and its task ids (`resolve.index_entry`), and its `Outline` (whether the file declares
    jurisdictions or roles: then the registry needs its whole AST). A few KB beside the AST's wire form; it spares
    the full run one decoding of every AST it parsed (bench/README.md, "Round 8")."""

    policies: tuple[ast.Policy, ...]
    task_ids: tuple[set[str], ...]
    outline: Outline

    @classmethod
    def of(cls, unit: ast.SourceUnit) -> Heads:
        entries = [index_entry(p) for p in unit.policies]
        return cls(tuple(p for p, _ in entries), tuple(ids for _, ids in entries), Outline.of(unit))


class Packed(Mapping[str, ast.SourceUnit]):
    """shown path → AST of each file that parsed, in file order, each kept compressed in its wire form
    (`astcache.dumps`: the cache entry's bytes; 1k corpus: ~4 KB a file, against ~150 KB of AST objects) and
    decoded when asked for: a new AST each time.

    The resolve stage `release`s each file's bytes once it has its AST (10k corpus: ~40 MB no stage after it
    reads); a released file asked for again (a test, a caller of `Stages.units`) is parsed again from its source,
    which gives an equal AST (an AST is a function of path and text).

    `texts`: the compressed text of each file a worker parsed (`PackedSource`), until `run_stages` takes them."""

    def __init__(self, sources: dict[str, SourceFile]) -> None:
        self.sources = sources
        self.data: dict[str, bytes] = {}  # shown path → astcache.dumps(AST); b"" while not yet parsed, or released
        self.heads: dict[str, Heads] = {}  # shown path → what the index reads, for the files parsed in this run
        self.texts: dict[str, bytes] = {}  # shown path → zlib(UTF-8 text), from the parse workers

    def put(self, shown: str, data: bytes) -> None:
        self.data[shown] = data

    def release(self, shown: str) -> None:
        """Drop the file's bytes (its place in file order stays): `__getitem__` parses it again if asked."""
        self.data[shown] = b""

    def first_load(self, shown: str, sink: Sink, cache: AstCache) -> ast.SourceUnit | None:
        """The file's AST, the first time: an entry the cache held is only now known to decode as an AST of this
        path; one that does not (a foreign or damaged entry) is parsed here instead, as a cache miss is."""
        unit = loads(self.data[shown], shown)
        if unit is None:
            source = self.sources[shown]
            unit = parse_ast(source, sink)
            if unit is None:
                del self.data[shown]
                return None
            data = dumps(unit)  # put in the file's place: file order kept
            cache.put(key(source.path, source.text), data)
            cache.flush()
            self.put(shown, data)
        return unit

    def __getitem__(self, shown: str) -> ast.SourceUnit:
        data = self.data[shown]
        unit = loads(data, shown) if data else parse_ast(self.sources[shown], Sink())
        if unit is None:  # only after `first_load` made or checked the entry: cannot fail unless memory is damaged
            raise KeyError(shown)
        return unit

    def __iter__(self) -> Iterator[str]:
        # over a copy of the names: `first_load` takes out a file whose entry and text do not parse while its
        # callers iterate (a sealed entry holding another path's AST was "dictionary keys changed during iteration")
        return iter(list(self.data))

    def __len__(self) -> int:
        return len(self.data)


def parse_packed(sources: dict[str, SourceFile], sink: Sink, cache: AstCache,
                 reading: Iterable[tuple[Path | None, SourceFile]] = ()) -> Packed:
    """The parse stage of a full run that keeps no AST (`run_stages(keep_asts=False)`; the incremental run's
    changed files): each file's encoded AST from this process's memo, the AST cache (not yet decoded) or parsed
    (on every core when there are many). `reading`: more sources, as `read_packed` reads them one at a time, each
    added to `sources` and looked up as it comes; one given with its file and not found has its text dropped (the
    parse reads the file again)."""
    packed = Packed(sources)
    missing: list[_Miss] = []
    for source in sources.values():
        _look_up(packed, source, None, missing, cache)
    for path, source in reading:
        sources[source.path] = source
        _look_up(packed, source, None if path is None else str(path), missing, cache)
    _parse_into(packed, missing, sink, cache)
    cache.flush()  # the new entries, in one transaction
    return packed


def read_packed(paths: list[Path], sink: Sink, extra: dict[str, str], cache: AstCache) -> tuple[dict[str, SourceFile], Packed]:
    """The read and parse stages of `run_stages(keep_asts=False)` as `parse_packed(read_sources(...))` gives them,
    without this process holding every text while the workers parse. Each file is read and keyed one at a time;
    when there are enough files to parse them as the workers do (`perf.PARALLEL_MIN`), the text of one the memo
    and cache do not know is dropped at once and its worker reads the file again, keys and parses it, and sends
    back the text compressed (`PackedSource`). At 10k files the texts were ~90 MB of this process's peak while
    the workers parsed (bench/README.md, "Round 9 (continued)"). A file that cannot be read the second time (gone
    or changed in between) is reported as the read stage reports it; the AST is cached under the key of the text
    the worker parsed."""
    sources: dict[str, SourceFile] = {}
    drop = len(paths) >= perf.PARALLEL_MIN
    if drop and not extra and not _PARSED and cache.empty():
        return sources, _parse_unread(paths, sources, sink, cache)
    reading = ((path if drop else None, source) for path, source in _read_each(paths, sink, extra))
    return sources, parse_packed(sources, sink, cache, reading)


def _parse_unread(paths: list[Path], sources: dict[str, SourceFile], sink: Sink, cache: AstCache) -> Packed:
    """`read_packed` when neither this process's memo nor the AST cache holds anything (a cold run): no file is
    read or keyed here to be looked up, each one's worker reads it (`_parse_one`), keys and parses it. Reading and
    keying every file here before the workers start was ~0.2 ms a file on the cold run's serial path (10k:
    ~2 s; bench/README.md, "Round 11"). The diagnostics are `read_packed`'s, in its order: what reading reports
    (names that are not UTF-8 here, files that cannot be read in the workers) in file order, before the parse's."""
    packed = Packed(sources)
    start = len(sink.items)
    reads: list[tuple[int, list[Diagnostic]]] = []  # (place in file order, what reading the file reported)
    missing: list[_Miss] = []
    places: list[int] = []
    for place, path in enumerate(sorted(set(paths))):
        named = Sink()
        shown = _shown_name(path, named)
        if shown is None:
            reads.append((place, named.items))
            continue
        sources[shown] = SourceFile(shown, "")  # the file's place; its worker sends its text back
        packed.data[shown] = b""
        missing.append(_Miss(shown, str(path), None))
        places.append(place)
    cache.missed(len(missing))
    failed: list[list[Diagnostic]] = []
    _parse_into(packed, missing, sink, cache, failed)
    cache.flush()
    reads += [(places[i], diagnostics) for i, diagnostics in enumerate(failed) if diagnostics]
    sink.items[start:start] = [d for _, diagnostics in sorted(reads, key=lambda r: r[0]) for d in diagnostics]
    return packed


@dataclass(slots=True)
class _Miss:
    """A file neither memo nor cache knew: its source, or (text dropped) the file to read it from again."""

    shown: str
    file: str | None
    source: SourceFile | None


def _look_up(packed: Packed, source: SourceFile, file: str | None, missing: list[_Miss], cache: AstCache) -> None:
    """Put the file's encoded AST from the memo or cache into `packed`, else add it to `missing`: with its text
    dropped when `file` (where to read it again) is given, `packed.sources` holding an empty placeholder until
    `_parse_into` puts the file's source back."""
    unit = _PARSED.get((source.path, source.text))
    data = dumps(unit) if unit is not None else cache.data(key(source.path, source.text))
    packed.data[source.path] = b""  # the file's place in file order
    if data is not None:
        packed.put(source.path, data)
    elif file is not None:
        packed.sources[source.path] = SourceFile(source.path, "")
        missing.append(_Miss(source.path, file, None))
    else:
        missing.append(_Miss(source.path, None, source))


def _parse_into(packed: Packed, missing: list[_Miss], sink: Sink, cache: AstCache,
                failed: list[list[Diagnostic]] | None = None) -> None:
    """Parse the `missing` files into `packed` (on every core when there are many); put each one's source back
    into `packed.sources` (whole when it was parsed here to be remembered, else as the compressed text in
    `packed.texts`), or take out a file that could not be read again. `failed`, when given, gets one list per
    missing file: what reading it reported (then not put in `sink`), empty when it was read."""
    n_workers = perf.workers(len(missing))
    remember = not n_workers and len(missing) < perf.PARALLEL_MIN
    with perf.progress(len(missing), "解析", "parsing") as advance:
        jobs = [(m.shown, m.file, None if m.source is None else m.source.text) for m in missing]
        if n_workers:
            ast_parser()  # built once here, shared with the forked workers
            results: Iterable[Parsed] = perf.parallel_map(_parse_one, jobs, n_workers)
        elif remember:
            results = (_parse_remembered(job, packed.sources) for job in jobs)
        else:
            results = map(_parse_one, jobs)
        for miss, (data, diagnostics, heads, text, file_key) in zip(missing, results):
            if failed is not None:
                failed.append([] if file_key else diagnostics)
            if failed is None or file_key:
                sink.items.extend(diagnostics)
            if data is None:
                del packed.data[miss.shown]
            else:
                cache.put(file_key, data)
                packed.put(miss.shown, data)
                if heads is not None:
                    packed.heads[miss.shown] = heads
            if text is not None:
                packed.texts[miss.shown] = text
            elif not file_key:  # not read again: no source
                del packed.sources[miss.shown]
            advance()


class PackedSource(SourceFile):
    """A source file whose text is kept compressed (zlib of its UTF-8; the 1k corpus's ~20 KB texts: ~4 KB) and
    decompressed each time it is read. After the parse the full run reads a file's text only to key its state,
    look for suppressions and show a diagnostic's line, so the 10k corpus's ~96 MB of texts need not stay whole
    through resolve and lint. The text last read is kept (one), as the suppression pass reads a file's text many
    times in a row. Equal to, hashed and pickled as the `SourceFile` of the same path and text."""

    __slots__ = ("_packed",)
    _packed: bytes
    _last: tuple[str, bytes, str] | None = None  # (path, packed, text) of the text last read

    def __init__(self, path: str, packed: bytes) -> None:
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "_packed", packed)
        object.__setattr__(self, "_lines", None)

    # read-only as SourceFile's own is (its __setattr__ refuses): the text computed instead of stored
    @property
    def text(self) -> str:  # type: ignore[override]
        last = PackedSource._last
        if last is not None and last[0] == self.path and last[1] is self._packed:
            return last[2]
        text: str = zlib.decompress(self._packed).decode("utf-8", "surrogatepass")
        PackedSource._last = (self.path, self._packed, text)
        return text

    @staticmethod
    def pack(text: str) -> bytes:
        return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)


# What parsing one file gives: the AST as `astcache.dumps` made it and what the index reads of it, or the syntax
# error's diagnostics (or the read stage's, for a file read again that cannot be); the text compressed
# (`PackedSource`) unless it was parsed here to be remembered; and the AST cache's key of the text parsed ("": the
# file could not be read).
Parsed = tuple[bytes | None, list[Diagnostic], Heads | None, bytes | None, str]


def gather(targets: list[str] | None, project: Project) -> tuple[dict[Path, None], set[str] | None, set[str]]:
    """The files to compile (the project's, then those named), the shown paths selected (None: all), and the
    names that are neither files nor folders (policy ids, looked up once the corpus is resolved)."""
    files: dict[Path, None] = {}
    if project.policies.is_dir():
        files.update(dict.fromkeys(source_files(project.policies)))
    selected: set[str] | None = None
    wanted_ids: set[str] = set()
    if targets:
        selected = set()
        for t in targets:
            path = Path(t)
            kind = path_kind(path)
            if kind == "dir":
                found = source_files(path)
                files.update(dict.fromkeys(found))
                selected.update(display_path(p.resolve()) for p in found)
            elif kind == "file":
                files[path] = None
                selected.add(display_path(path.resolve()))
            else:
                wanted_ids.add(t)
    return files, selected, wanted_ids


def path_kind(path: Path) -> str | None:
    """"dir", "file" or None for a name on the command line. A name the system cannot look up at all (longer than
    a file name may be: ENAMETOOLONG, which pathlib's is_dir raises in Python 3.11) is no file: it is then read as
    a policy id and reported as an unknown one, instead of a traceback."""
    try:
        return "dir" if path.is_dir() else "file" if path.is_file() else None
    except OSError:
        return None


def select_ids(wanted_ids: set[str], selected: set[str] | None, file_of: Callable[[str], str | None],
               sink: Sink) -> set[str] | None:
    """Add the files of the policy ids asked for to the selection (`file_of(id)`: its file, or None when no
    policy has that id, which is reported)."""
    for pid in sorted(wanted_ids):
        file = file_of(pid)
        if file is None:
            sink.emit("LS105", None, f"「{pid}」既不是文件或文件夹，也不是政策编号", f"'{pid}' is not a file, folder or policy id",
                      hint=("用 luoshi check 查看全部政策", "run luoshi check to see every policy"))
            selected = selected if selected is not None else set()
        else:
            selected = (selected or set()) | {file}
    return selected


def no_files(files: Collection[object], wanted_ids: Collection[str], extra: Collection[str], project: Project,
             sink: Sink) -> None:
    if not files and not wanted_ids and not extra:
        sink.emit("LS105", None, f"在「{display_path(project.policies)}」中没有找到 .policy 或 .units 文件",
                  f"no .policy or .units files in '{display_path(project.policies)}'",
                  hint=("在 policies/ 中编写政策，或给出文件路径", "write policies under policies/, or name files"))


def read_sources(paths: list[Path], sink: Sink, extra: dict[str, str]) -> dict[str, SourceFile]:
    """The read stage: shown path → source of each file (sorted), then of each in-memory source; a file that
    cannot be read or decoded is reported and left out."""
    return {source.path: source for _path, source in _read_each(paths, sink, extra)}


def _read_each(paths: list[Path], sink: Sink, extra: dict[str, str]) -> Iterator[tuple[Path | None, SourceFile]]:
    """`read_sources` one file at a time, each with the path it was read from (None: an in-memory source)."""
    for path in sorted(set(paths)):
        if display_path(path) in extra:
            continue
        shown = _shown_name(path, sink)
        if shown is None:
            continue
        source = _read_one(path, shown, sink)
        if source is not None:
            yield path, source
    for shown, text in sorted(extra.items()):  # after the files: a clash of ids is reported in the extra source
        yield None, SourceFile.of(shown, text.replace("\r\n", "\n"))


def _shown_name(path: Path, sink: Sink) -> str | None:
    """The file's shown path, or None (reported) when its name is not UTF-8."""
    shown = display_path(path)
    if not _utf8_name(shown):  # unzipped from a Windows archive: a name no output, cache or terminal can carry
        shown = shown.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        sink.emit("LS103", Span(file=shown, line=1, column=1, end_line=1, end_column=1),
                  "文件名不是 UTF-8 编码（常见于解压 Windows 压缩包），未读取", "the file name is not UTF-8 (as unzipping a Windows archive gives); not read",
                  hint=("把文件改成 UTF-8 的名字（如 convmv -f gbk -t utf-8 --notest）", "rename it to a UTF-8 name (e.g. convmv -f gbk -t utf-8 --notest)"))
        return None
    return shown


# The largest file read (bytes). A file's cost is linear in its size (bench/README.md, "Round 10: one large file":
# 100,000 tasks, 32 MB, check in 41 s CPU and 1.4 GB), so a file past this is refused at once, not checked for
# minutes and gigabytes: no document is near it (the largest seed is 32 KB), and a corpus that large is many files.
MAX_FILE_BYTES = 50_000_000


def _read_one(path: Path, shown: str, sink: Sink) -> SourceFile | None:
    """One file's source, or None when it cannot be read or decoded, or is larger than `MAX_FILE_BYTES` (reported;
    the size is taken from the file system, so a huge file is not read to be refused)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            mb, limit = f"{size / 1e6:.1f}", f"{MAX_FILE_BYTES // 1_000_000}"
            sink.emit("LS103", Span(file=shown, line=1, column=1, end_line=1, end_column=1),
                      f"文件过大（{mb} MB，上限 {limit} MB），未读取", f"the file is too large ({mb} MB, the limit is {limit} MB); not read",
                      hint=("把它拆分为多个文件（每个政策一个文件，或按部分拆分）", "split it into several files (one policy per file, or by section)"))
            return None
        return read_source(path, shown)
    except DecodeError as exc:
        span = Span(file=shown, line=exc.line, column=exc.column, end_line=exc.line, end_column=exc.column + 1)
        hint = (f"文件似乎是 {exc.encoding_hint} 编码，请另存为 UTF-8", f"it looks like {exc.encoding_hint}; save it as UTF-8") \
            if exc.encoding_hint else ("请另存为 UTF-8", "save it as UTF-8")
        sink.emit("LS102", span, "文件不是 UTF-8 编码", "the file is not UTF-8", hint=hint)
    except OSError as exc:
        sink.emit("LS103", Span(file=shown, line=1, column=1, end_line=1, end_column=1),
                  f"无法读取文件：{exc.strerror}", f"cannot read the file: {exc.strerror}")
    return None


def parse_sources(sources: dict[str, SourceFile], sink: Sink, cache: AstCache) -> dict[str, ast.SourceUnit]:
    """The parse stage: shown path → AST of each source that parses (in the order of `sources`), from this
    process's memo, the AST cache, or parsed (on every core when there are many); syntax errors go to `sink`."""
    slots = [_Slot(source, known_ast(source, cache)) for source in sources.values()]
    _parse_missing([slot for slot in slots if slot.unit is None], sink, cache)
    cache.flush()
    return {slot.source.path: slot.unit for slot in slots if slot.unit is not None}


@dataclass
class _Slot:
    """A source and its AST, filled in by `_parse_missing` when neither memo nor cache had it."""

    source: SourceFile
    unit: ast.SourceUnit | None


def _utf8_name(name: str) -> bool:
    try:
        name.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


# (shown path, text) → AST of a file that parsed: the AST is frozen, so a file compiled again (a draft checked with
# its corpus, repeatedly) is not parsed again. Files with syntax errors are always re-parsed, to report them.
_PARSED: dict[tuple[str, str], ast.SourceUnit] = {}
_PARSED_MAX = 512


def _remember(source: SourceFile, unit: ast.SourceUnit) -> ast.SourceUnit:
    if len(_PARSED) >= _PARSED_MAX:
        _PARSED.clear()
    _PARSED[(source.path, source.text)] = unit
    return unit


def known_ast(source: SourceFile, cache: AstCache) -> ast.SourceUnit | None:
    """The AST from this process's memo or the on-disk cache (see cache.py), or None: the file must be parsed."""
    unit = _PARSED.get((source.path, source.text))
    if unit is None:
        unit = cache.get(key(source.path, source.text), source.path)
        if unit is not None:
            _remember(source, unit)
    return unit


def _parse_one(job: tuple[str, str | None, str | None]) -> Parsed:
    """Parse and build one file's AST (in a worker process): `job` is the shown path and the file to read it from
    (then its text is None) or its text. The AST encoded as the cache stores it and what the index reads of it
    (`Heads`), or the syntax error; the text compressed, as the parent keeps it from now on (compressed here, on
    the worker's core); and the text's cache key."""
    shown, file, text = job
    sink = Sink()
    source = _read_one(Path(file), shown, sink) if text is None and file is not None else SourceFile.of(shown, text or "")
    if source is None:
        return None, sink.items, None, None, ""
    unit = parse_ast(source, sink)
    packed = PackedSource.pack(source.text)
    file_key = key(source.path, source.text)
    if unit is None:
        return None, sink.items, None, packed, file_key
    return dumps(unit), [], Heads.of(unit), packed, file_key


def _parse_remembered(job: tuple[str, str | None, str | None], sources: dict[str, SourceFile]) -> Parsed:
    """`_parse_one` in this process for a few files (a draft checked again and again with its corpus): the AST
    also goes to this process's memo and the source, whole, back to `sources`."""
    shown, file, text = job
    sink = Sink()
    source = _read_one(Path(file), shown, sink) if text is None and file is not None else SourceFile.of(shown, text or "")
    if source is None:
        return None, sink.items, None, None, ""
    sources[shown] = source
    unit = parse_ast(source, sink)
    file_key = key(source.path, source.text)
    if unit is None:
        return None, sink.items, None, None, file_key
    _remember(source, unit)
    return dumps(unit), [], Heads.of(unit), None, file_key


def _parse_missing(slots: list[_Slot], sink: Sink, cache: AstCache) -> None:
    """Parse the files neither memo nor cache knew: on every core when there are many (see perf.py)."""
    n_workers = perf.workers(len(slots))
    with perf.progress(len(slots), "解析", "parsing") as advance:
        if n_workers:
            ast_parser()  # built once here, shared with the forked workers
            jobs = [(s.source.path, None, s.source.text) for s in slots]
            results = perf.parallel_map(_parse_one, jobs, n_workers)
            for slot, (data, diagnostics, _heads, _text, _key) in zip(slots, results):
                sink.items.extend(diagnostics)
                unit = loads(data, slot.source.path) if data is not None else None
                if data is not None and unit is not None:
                    cache.put(key(slot.source.path, slot.source.text), data)
                    slot.unit = _remember(slot.source, unit)
                advance()
            return
        for slot in slots:
            source = slot.source
            unit = parse_ast(source, sink)
            if unit is not None:
                slot.unit = _remember(source, unit)
                if cache.folder is not None:
                    cache.put(key(source.path, source.text), dumps(slot.unit))
            advance()
