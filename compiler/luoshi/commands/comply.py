"""`luoshi comply DATA --as-of DATE`: check completion data against every deadline, recurring obligation, target
and working-day limit of the corpus, and report who is late, which targets are missed, where. `luoshi build`
writes the same checks as a pytest suite under `compliance/`."""

from __future__ import annotations

import datetime as dt
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..model import Corpus
from ._corpus import ForceOpt, LangOpt, emit, fail, say


class ReportFormat(str, Enum):
    table = "table"
    markdown = "markdown"
    html = "html"
    xlsx = "xlsx"
    json = "json"


def command(
    data: Annotated[list[Path], typer.Argument(help="完成情况数据：CSV（UTF-8 或 GBK）、xlsx 或 Parquet 文件，- 为标准输入 · completion data: CSV (UTF-8 or GBK), xlsx or Parquet; - for stdin",
                                               show_default=False)],
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="核查日期，如 2020-12-31（默认今天）· check as of this date (default today)")] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="报告格式：table、markdown、html、xlsx（督查表，每个单位一页）、json · report format")] = ReportFormat.table,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="报告文件（默认输出到终端；xlsx 默认 督查报告.xlsx）· report file")] = None,
    force: ForceOpt = False,
    lang: LangOpt = "both",
) -> None:
    """用完成情况数据核查各政策的时限、定期任务、目标和工作日时限，列出逾期、未达标和无数据的单位（有未通过的检查或有误的数据时退出码为 1）。
    · Check completion data against every deadline and target; exit 1 when a check fails or rows are bad."""
    from ..comply import report  # the engine (DuckDB, NumPy) loads only when the command runs
    from ..comply.engine import run
    from ..comply.loaders import load_tables, parse_date
    from ..comply.plancache import project_plan
    from ..diagnostics import Sink
    from ..render import render_human

    day = parse_date(as_of) if as_of else dt.date.today()
    if day is None:
        fail(f"无法识别的核查日期「{as_of}」", f"cannot read the as-of date '{as_of}'", lang, hint=("写作 2020-12-31", "write it as 2020-12-31"))
    if output and output.exists() and not force:
        fail(f"「{output}」已存在，未覆盖", f"'{output}' exists; not overwritten", lang,
             hint=("加 --force 覆盖，或用 -o 另选文件名", "add --force to replace it, or choose another name with -o"))
    plan = project_plan(lang)  # kept between runs while the corpus and luoshi are unchanged (plancache.py)
    sink = Sink()
    shown = {p: str(p) for p in data}
    tables = load_tables(list(data), sink, shown)  # `-` is stdin; folders, pipes and devices are refused
    try:
        outcome = run(plan, tables, day, sink, files=[shown[p] for p in data])
    finally:
        for table in tables:  # the temporary copies of CSV files (the process ends without collecting them)
            table.close()
    colour = sys.stderr.isatty() and "NO_COLOR" not in os.environ
    if outcome.diagnostics:
        typer.echo(render_human(outcome.diagnostics, {}, colour=colour, lang=lang), err=True)
    if not tables:
        fail("没有可用的数据，未生成报告", "no usable data; no report made", lang)
    emit(report.render(outcome, fmt.value, lang), output, force, lang, binary=fmt is ReportFormat.xlsx, default_name="督查报告.xlsx")
    counts = outcome.counts()
    zh = (f"核查 {len(outcome.results)} 项：通过 {counts['pass']}，未通过 {counts['fail']}，未到期 {counts['pending']}，"
          f"无数据 {counts['no_data']}；数据 {outcome.rows_read} 行，剔除 {outcome.rows_set_aside} 行")
    en = (f"{len(outcome.results)} checks: {counts['pass']} pass, {counts['fail']} fail, {counts['pending']} pending, "
          f"{counts['no_data']} no data; {outcome.rows_read} rows, {outcome.rows_set_aside} set aside")
    typer.echo(say(zh, en, lang), err=True)
    raise typer.Exit(outcome.exit_code)


def register(app: typer.Typer) -> None:
    app.command("comply")(command)


def artifacts(corpus: Corpus) -> dict[str, bytes]:
    from ..comply import suite
    from ..comply.checks import compile_plan

    return suite.render(compile_plan(corpus))
