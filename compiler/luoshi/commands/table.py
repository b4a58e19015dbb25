"""`luoshi table POLICY`: the policy's 重点任务责任分工表 in the layout of Bishan's annex, as Markdown, HTML, CSV,
JSON, xlsx or docx. `luoshi build` writes every policy's table in every format."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..backends import table as backend
from ..backends.table import TableFormat
from ..diagnostics.lang import Lang
from ._corpus import ForceOpt, LangOpt, emit, fail, find_policy, load_corpus, output_format


def command(
    ctx: typer.Context,
    policy: Annotated[str, typer.Argument(help="政策编号或文号，如 bishan-2020-shjz · policy id or 文号")],
    fmt: Annotated[TableFormat, typer.Option("--format", "-f", help="输出格式 · format")] = TableFormat.md,
    columns: Annotated[str | None, typer.Option("--columns", "-c", help="增加的列：完成时限、目标（逗号分隔）· extra columns: 完成时限 (deadline), 目标 (target)")] = None,
    section: Annotated[str | None, typer.Option("--section", "-s", help="只取一个部分（默认：责任分工附件，没有则全文）· one section (default: the responsibility annex, else the whole policy)")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="输出文件 · output file")] = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.both,
) -> None:
    """生成政策的重点任务责任分工表（序号、重点任务、责任单位、配合单位）。· A policy's responsibility-division table."""
    fmt = output_format(ctx, fmt, output)
    corpus = load_corpus(lang)
    pid = find_policy(corpus, policy, lang)
    try:
        table = backend.build_table(corpus, pid, section=section, columns=backend.parse_columns(columns))
    except backend.TableError as exc:
        fail(exc.zh, exc.en, lang)
    if not table.task_rows:
        fail(f"政策「{pid}」没有列明责任单位的任务", f"policy '{pid}' has no task with responsible units", lang)
    binary = backend.FORMAT_SPECS[fmt].binary
    emit(backend.render_table(table, fmt.value), output, force, lang, binary=binary,
         default_name=f"{pid}-责任分工.{fmt.value}")


def register(app: typer.Typer) -> None:
    app.command("table")(command)

