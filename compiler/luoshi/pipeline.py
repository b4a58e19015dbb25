"""The driver: find source files, parse them, resolve the corpus, and say which diagnostics the user asked for.

A file is always checked in the context of its whole corpus (the registry and the other policies it refers
to), but only the diagnostics of the files, folders or policy ids the user named are reported.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from . import ast, model
from .astbuild import build_ast
from .diagnostics import Diagnostic, Sink
from .parse import parse_source
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
    return sorted(p for p in folder.rglob("*") if p.suffix in SOURCE_SUFFIXES and p.is_file())


def compile_paths(targets: list[str] | None = None, project: Project | None = None,
                  extra: dict[str, str] | None = None) -> Compilation:
    """Compile the project's corpus plus any named paths; select the named files, folders or policy ids.

    `extra` holds in-memory sources (shown name → text), compiled with the corpus and selected; a corpus file
    shown under the same name is replaced. `luoshi draft` checks a draft this way before writing it."""
    extra = extra or {}
    project = project or find_project()
    sink = Sink()
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
    sources, units = _read_all([p.resolve() for p in files], sink, extra)
    if extra:
        selected = (selected or set()) | set(extra)
    corpus = resolve(units, sink)
    for pid in sorted(wanted_ids):
        policy = corpus.policy(pid)
        if policy is None:
            sink.emit("LS105", None, f"「{pid}」既不是文件或文件夹，也不是政策编号", f"'{pid}' is not a file, folder or policy id",
                      hint=("用 luoshi check 查看全部政策", "run luoshi check to see every policy"))
            selected = selected if selected is not None else set()
        else:
            selected = (selected or set()) | {policy.file}
    if not files and not wanted_ids and not extra:
        sink.emit("LS105", None, f"在「{display_path(project.policies)}」中没有找到 .policy 或 .units 文件",
                  f"no .policy or .units files in '{display_path(project.policies)}'",
                  hint=("在 policies/ 中编写政策，或给出文件路径", "write policies under policies/, or name files"))
    return Compilation(corpus, sink, sources, selected, wanted_ids)


def _read_all(paths: list[Path], sink: Sink, extra: dict[str, str]) -> tuple[dict[str, SourceFile], list[ast.SourceUnit]]:
    sources: dict[str, SourceFile] = {}
    units: list[ast.SourceUnit] = []
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
        _parse_into(source, sources, units, sink)
    for shown, text in sorted(extra.items()):  # after the files: a clash of ids is reported in the extra source
        _parse_into(SourceFile.of(shown, text.replace("\r\n", "\n")), sources, units, sink)
    return sources, units


# (shown path, text) → AST of a file that parsed: the AST is frozen, so a file compiled again (a draft checked with
# its corpus, repeatedly) is not parsed again. Files with syntax errors are always re-parsed, to report them.
_PARSED: dict[tuple[str, str], ast.SourceUnit] = {}
_PARSED_MAX = 512


def _parse_into(source: SourceFile, sources: dict[str, SourceFile], units: list[ast.SourceUnit], sink: Sink) -> None:
    sources[source.path] = source
    key = (source.path, source.text)
    if key not in _PARSED:
        tree = parse_source(source, sink)
        if tree is None:
            return
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        _PARSED[key] = build_ast(tree, source.path, source.text)
    units.append(_PARSED[key])
