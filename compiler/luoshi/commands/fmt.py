"""`luoshi fmt [FILES…]`: rewrite policy and units files in the layout `unparse` writes (see fmt.py), in place;
`--check` for CI (exit 1 and list the files that would change), `--diff` to see the changes without writing.

A file that does not parse, or has a comment the layout cannot place, is reported and left as it is."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..diagnostics import Sink
from ..diagnostics.lang import Lang, say
from ..diagnostics.render import render_human
from ..driver.output import atomic_write
from ..driver.pipeline import SOURCE_SUFFIXES, display_path, source_files
from ..driver.project import find_project
from ..driver.terminal import use_colour
from ..syntax.fmt import format_source
from ..syntax.source import BOM, DecodeError, SourceFile, Span, read_source
from ._corpus import LangOpt, fail


def _files(paths: list[Path] | None, lang: str) -> list[Path]:
    if not paths:
        return source_files(find_project().policies)
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += source_files(p)
        elif p.is_file() and p.suffix in SOURCE_SUFFIXES:
            out.append(p)
        elif p.is_file():
            fail(f"「{p}」不是 .policy 或 .units 文件", f"'{p}' is not a .policy or .units file", lang)
        else:
            fail(f"找不到「{p}」", f"'{p}' does not exist", lang)
    return list(dict.fromkeys(out))


def command(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="政策或名录文件、文件夹（默认：整个 policies/）· policy or units files, folders (default: all of policies/)")] = None,
    check: Annotated[bool, typer.Option("--check", help="只检查：列出需要格式化的文件，有则退出码 1 · only check: list the files that would change, exit 1 if any")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="打印改动而不写入 · print the changes instead of writing them")] = False,
    lang: LangOpt = Lang.both,
) -> None:
    """按统一格式重写政策与名录文件（保留注释）。· Format policy and units files in place, keeping comments."""
    sink = Sink()
    sources: dict[str, SourceFile] = {}
    changed: list[str] = []
    for path in _files(paths, lang):
        shown = display_path(path)
        try:
            source = read_source(path, shown)
            raw = path.read_bytes()
        except DecodeError as exc:
            sink.emit("LS102", Span(file=shown, line=exc.line, column=exc.column, end_line=exc.line, end_column=exc.column + 1),
                      "文件不是 UTF-8 编码", "the file is not UTF-8", hint=("请另存为 UTF-8", "save it as UTF-8"))
            continue
        except OSError as exc:
            sink.emit("LS103", Span(file=shown, line=1, column=1, end_line=1, end_column=1),
                      f"无法读取文件：{exc.strerror}", f"cannot read the file: {exc.strerror}")
            continue
        sources[shown] = source
        formatted = format_source(source, sink)
        if formatted is None or formatted.encode("utf-8") == raw:
            continue
        changed.append(shown)
        if diff:
            before = raw.removeprefix(BOM).decode("utf-8").splitlines(keepends=True)
            sys.stdout.writelines(difflib.unified_diff(before, formatted.splitlines(keepends=True), shown, shown))
        elif not check:
            atomic_write(path, formatted.encode("utf-8"))
    if sink.items:
        colour = use_colour(sys.stderr)
        typer.echo(render_human(sink.items, sources, colour=colour, lang=lang), err=True)
    if check or diff:
        for shown in changed if check else ():
            typer.echo(say(f"需要格式化：{shown}", f"would reformat: {shown}", lang))
        typer.echo(say(f"{len(changed)} 个文件需要格式化", f"{len(changed)} files would be reformatted", lang), err=True)
        raise typer.Exit(1 if changed or sink.has_errors() else 0)
    typer.echo(say(f"已格式化 {len(changed)} 个文件", f"reformatted {len(changed)} files", lang), err=True)
    raise typer.Exit(1 if sink.has_errors() else 0)


def register(app: typer.Typer) -> None:
    app.command("fmt")(command)
