"""`luoshi diff CHILD PARENT`: what a local policy changed from its parent, measure by measure — units by
counterpart role, targets, dates and text — on the terminal, or as Markdown or HTML for review and the docs site.

CHILD and PARENT are policy ids (or 文号), or .policy files outside the corpus (a draft not yet filed)."""

from __future__ import annotations

import io
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.console import Console

from ..diagnostics.lang import Lang
from ..diagnostics.render import render_human
from ..driver.pipeline import compile_paths, display_path
from ..driver.terminal import use_colour
from ..model import Corpus, PolicyKind
from ..policydiff.compare import Unrelated, compare
from ..policydiff.render import render_html, render_markdown, render_terminal
from ._corpus import ForceOpt, LangOpt, fail, find_policy, output_format, write_file


class DiffFormat(str, Enum):
    text = "text"
    md = "md"
    html = "html"


def command(
    ctx: typer.Context,
    child: Annotated[str, typer.Argument(help="本级政策（编号、文号或 .policy 文件）· the local policy (id, 文号 or .policy file)")],
    parent: Annotated[str, typer.Argument(help="上级政策（编号、文号或 .policy 文件）· the parent policy (id, 文号 or .policy file)")],
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f", help="text（终端）、md、html · output format")] = DiffFormat.text,
    raw: Annotated[bool, typer.Option("--raw-text", help="原文不按本级换算，直接比较 · compare the texts as printed, not localized")] = False,
    changes: Annotated[bool, typer.Option("--changes-only", help="只列有改动之处 · show only what changed")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="输出文件（默认打印）· output file (default: print)")] = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.both,
) -> None:
    """逐项对照本级政策与上级政策：单位（按对应角色）、目标、时限、原文的异同。
    · Compare a local policy with its parent, measure by measure: units by counterpart role, targets, dates, text."""
    fmt = output_format(ctx, fmt, output)
    files = [a for a in (child, parent) if a.endswith(".policy") and Path(a).is_file()]
    comp = compile_paths(files or None)
    if comp.sink.has_errors():
        typer.echo(render_human([d for d in comp.sink if d.severity.value == "error"], comp.sources, lang=lang), err=True)
        fail("政策文件有错误，请先修正（luoshi check）", "the policies have errors; fix them first (luoshi check)", lang)
    corpus = comp.corpus
    child_id, parent_id = _policy(corpus, child, lang), _policy(corpus, parent, lang)
    try:
        diff = compare(corpus, child_id, parent_id, raw=raw)
    except Unrelated:
        fail(f"「{child_id}」不落实「{parent_id}」，两者也不落实同一政策，无从逐项对照",
             f"'{child_id}' does not implement '{parent_id}', nor do both implement one policy: nothing to pair", lang,
             hint=("本级政策的任务用「落实 上级编号:任务编号」指向上级任务", "link the local tasks with 落实 PARENT:TASK"))
    if fmt is DiffFormat.md:
        data = render_markdown(diff, changes)
    elif fmt is DiffFormat.html:
        data = render_html(diff, changes)
    elif output is None:
        render_terminal(diff, _console(sys.stdout), changes)
        return
    else:
        buffer = io.StringIO()
        render_terminal(diff, Console(file=buffer, color_system=None, soft_wrap=True, highlight=False), changes)
        data = buffer.getvalue()
    if output is None:
        sys.stdout.write(data)
    else:
        write_file(output, data.encode("utf-8"), force, lang)


def register(app: typer.Typer) -> None:
    app.command("diff")(command)


def _console(stream: TextIO) -> Console:
    """Colour as terminal.use_colour decides; piped output is plain and never wrapped."""
    colour = use_colour(stream)
    return Console(file=stream, force_terminal=colour, color_system="auto" if colour else None, soft_wrap=True, highlight=False)


def _policy(corpus: Corpus, text: str, lang: str) -> str:
    """A policy id, or the one policy of a .policy file."""
    if not text.endswith(".policy"):
        return find_policy(corpus, text, lang)
    shown = display_path(Path(text).resolve())
    found = [p.id for p in corpus.policies if p.file == shown and p.kind is PolicyKind.POLICY]
    if len(found) != 1:
        fail(f"「{text}」中有 {len(found)} 项政策，请改用政策编号", f"'{text}' holds {len(found)} policies; give a policy id instead", lang)
    return found[0]
