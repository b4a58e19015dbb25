"""The driver: find source files, parse them, resolve the corpus, and say which diagnostics the user asked for.

A file is always checked in the context of its whole corpus (the registry and the other policies it refers
to), but only the diagnostics of the files, folders or policy ids the user named are reported.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from . import ast, model, perf
from .astbuild import build_ast
from .cache import AstCache, dumps, key, loads
from .diagnostics import Diagnostic, Sink
from .parse import parse_source, parser
from .project import Project, find_project
from .resolve import resolve
from .source import DecodeError, SourceFile, Span, read_source

SOURCE_SUFFIXES = (".policy", ".units")


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


def display_path(path: Path) -> str:
    try:
        return os.path.relpath(path, Path.cwd())
    except ValueError:
        return str(path)


def source_files(folder: Path) -> list[Path]:
    # sorted as Paths sort (by parts), without pathlib's slow comparisons
    return sorted((p for p in folder.rglob("*") if p.suffix in SOURCE_SUFFIXES and p.is_file()), key=lambda p: p.parts)


def compile_paths(targets: list[str] | None = None, project: Project | None = None,
                  extra: dict[str, str] | None = None) -> Compilation:
    """Compile the project's corpus plus any named paths; select the named files, folders or policy ids.

    `extra` holds in-memory sources (shown name → text), compiled with the corpus and selected; a corpus file
    shown under the same name is replaced. `luoshi draft` checks a draft this way before writing it."""
    with perf.gc_paused():
        return _compile(targets, project or find_project(), extra or {})


def _compile(targets: list[str] | None, project: Project, extra: dict[str, str]) -> Compilation:
    sink = Sink()
    files, selected, wanted_ids = gather(targets, project)
    cache = AstCache(project.cache_root)
    sources, units = _read_all([p.resolve() for p in files], sink, extra, cache)
    cache.finish()
    if extra:
        selected = (selected or set()) | set(extra)
    corpus = resolve(units, sink)
    selected = select_ids(wanted_ids, selected, lambda pid: getattr(corpus.policy(pid), "file", None), sink)
    no_files(files, wanted_ids, extra, project, sink)
    return Compilation(corpus, sink, sources, selected, wanted_ids)


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
            if path.is_dir():
                found = source_files(path)
                files.update(dict.fromkeys(found))
                selected.update(display_path(p.resolve()) for p in found)
            elif path.is_file():
                files[path] = None
                selected.add(display_path(path.resolve()))
            else:
                wanted_ids.add(t)
    return files, selected, wanted_ids


def select_ids(wanted_ids: set[str], selected: set[str] | None, file_of, sink: Sink) -> set[str] | None:
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


def no_files(files, wanted_ids, extra, project: Project, sink: Sink) -> None:
    if not files and not wanted_ids and not extra:
        sink.emit("LS105", None, f"在「{display_path(project.policies)}」中没有找到 .policy 或 .units 文件",
                  f"no .policy or .units files in '{display_path(project.policies)}'",
                  hint=("在 policies/ 中编写政策，或给出文件路径", "write policies under policies/, or name files"))


def _read_all(paths: list[Path], sink: Sink, extra: dict[str, str],
              cache: AstCache) -> tuple[dict[str, SourceFile], list[ast.SourceUnit]]:
    sources: dict[str, SourceFile] = {}
    slots: list[list] = []  # [source, AST or None], in the order resolve sees the files
    for path in sorted(set(paths)):
        shown = display_path(path)
        if shown in extra:
            continue
        try:
            source = read_source(path, shown)
        except DecodeError as exc:
            span = Span(file=shown, line=exc.line, column=exc.column, end_line=exc.line, end_column=exc.column + 1)
            hint = (f"文件似乎是 {exc.encoding_hint} 编码，请另存为 UTF-8", f"it looks like {exc.encoding_hint}; save it as UTF-8") \
                if exc.encoding_hint else ("请另存为 UTF-8", "save it as UTF-8")
            sink.emit("LS102", span, "文件不是 UTF-8 编码", "the file is not UTF-8", hint=hint)
            continue
        except OSError as exc:
            sink.emit("LS103", Span(file=shown, line=1, column=1, end_line=1, end_column=1),
                      f"无法读取文件：{exc.strerror}", f"cannot read the file: {exc.strerror}")
            continue
        slots.append([source, None])
    for shown, text in sorted(extra.items()):  # after the files: a clash of ids is reported in the extra source
        slots.append([SourceFile.of(shown, text.replace("\r\n", "\n")), None])
    for slot in slots:
        sources[slot[0].path] = slot[0]
        slot[1] = _known(slot[0], cache)
    _parse_missing([slot for slot in slots if slot[1] is None], sink, cache)
    return sources, [unit for _, unit in slots if unit is not None]


# (shown path, text) → AST of a file that parsed: the AST is frozen, so a file compiled again (a draft checked with
# its corpus, repeatedly) is not parsed again. Files with syntax errors are always re-parsed, to report them.
_PARSED: dict[tuple[str, str], ast.SourceUnit] = {}
_PARSED_MAX = 512


def _remember(source: SourceFile, unit: ast.SourceUnit) -> ast.SourceUnit:
    if len(_PARSED) >= _PARSED_MAX:
        _PARSED.clear()
    _PARSED[(source.path, source.text)] = unit
    return unit


def _known(source: SourceFile, cache: AstCache) -> ast.SourceUnit | None:
    """The AST from this process's memo or the on-disk cache (see cache.py), or None: the file must be parsed."""
    unit = _PARSED.get((source.path, source.text))
    if unit is None:
        unit = cache.get(key(source.path, source.text), source.path)
        if unit is not None:
            _remember(source, unit)
    return unit


def _parse_one(job: tuple[str, str]) -> tuple[bytes | None, list[Diagnostic]]:
    """Parse and build one file's AST (in a worker process): the AST pickled as the cache stores it, or the
    syntax error."""
    source = SourceFile.of(*job)
    sink = Sink()
    tree = parse_source(source, sink)
    return (None, sink.items) if tree is None else (dumps(build_ast(tree, source.path, source.text)), [])


def _parse_missing(slots: list[list], sink: Sink, cache: AstCache) -> None:
    """Parse the files neither memo nor cache knew: on every core when there are many (see perf.py)."""
    n_workers = perf.workers(len(slots))
    with perf.progress(len(slots), "解析", "parsing") as advance:
        if n_workers:
            parser()  # built once here, shared with the forked workers
            results = perf.parallel_map(_parse_one, [(s[0].path, s[0].text) for s in slots], n_workers)
            for slot, (data, diagnostics) in zip(slots, results):
                sink.items.extend(diagnostics)
                unit = loads(data, slot[0].path) if data is not None else None
                if unit is not None:
                    cache.put(key(slot[0].path, slot[0].text), data)
                    slot[1] = _remember(slot[0], unit)
                advance()
            return
        for slot in slots:
            source = slot[0]
            tree = parse_source(source, sink)
            if tree is not None:
                slot[1] = _remember(source, build_ast(tree, source.path, source.text))
                if cache.folder is not None:
                    cache.put(key(source.path, source.text), dumps(slot[1]))
            advance()
