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
from ._corpus import ForceOpt, LangOpt, emit, fail, load_plan, say


class ReportFormat(str, Enum):
    table = "table"
    markdown = "markdown"
    html = "html"
    xlsx = "xlsx"
    json = "json"


def command(
    data: Annotated[Optional[list[str]], typer.Argument(help="完成情况数据：CSV（UTF-8 或 GBK）、xlsx 或 Parquet 文件（- 为标准输入），或 PostgreSQL 表 postgresql://用户@主机/库?table=表名（默认 pyproject.toml 的 tool.luoshi.comply.source）· completion data: CSV (UTF-8 or GBK), xlsx or Parquet files (- for stdin), or a PostgreSQL table postgresql://user@host/db?table=NAME (default: tool.luoshi.comply.source in pyproject.toml)",
                                                        show_default=False)] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="核查日期，如 2020-12-31（默认今天）· check as of this date (default today)")] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="报告格式：table、markdown、html、xlsx（督查表，每个单位一页）、json · report format")] = ReportFormat.table,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="报告文件（默认输出到终端；xlsx 默认 督查报告.xlsx）· report file")] = None,
    policy: Annotated[Optional[list[str]], typer.Option("--policy", metavar="政策", help="只核查此政策（文号或编号，可重复）· only this policy (文号 or id; repeatable)", show_default=False)] = None,
    jurisdiction: Annotated[Optional[list[str]], typer.Option("--jurisdiction", metavar="辖区", help="只核查此辖区及其下级的单位（可重复），如 云阳县 · only units of this jurisdiction and those within it (repeatable)", show_default=False)] = None,
    unit: Annotated[Optional[list[str]], typer.Option("--unit", metavar="单位", help="只核查此单位（名称或编号，可重复；集体含其成员）· only this unit (name or id; repeatable; a collective with its members)", show_default=False)] = None,
    force: ForceOpt = False,
    lang: LangOpt = "both",
) -> None:
    """用完成情况数据核查各政策的时限、定期任务、目标和工作日时限，列出逾期、未达标和无数据的单位（有未通过的检查或有误的数据时退出码为 1）。
    · Check completion data against every deadline and target; exit 1 when a check fails or rows are bad."""
    from ..comply import report  # the engine (DuckDB, NumPy) loads only when the command runs
    from ..comply.engine import run
    from ..comply.loaders import load_tables, parse_date
    from ..comply.scope import ScopeError, select
    from ..comply.vocabulary import project_settings, status_words
    from ..project import find_project
    from ..diagnostics import Sink
    from ..render import render_human

    day = parse_date(as_of) if as_of else dt.date.today()
    if day is None:
        fail(f"无法识别的核查日期「{as_of}」", f"cannot read the as-of date '{as_of}'", lang, hint=("写作 2020-12-31", "write it as 2020-12-31"))
    if output and output.exists() and not force:
        fail(f"「{output}」已存在，未覆盖", f"'{output}' exists; not overwritten", lang,
             hint=("加 --force 覆盖，或用 -o 另选文件名", "add --force to replace it, or choose another name with -o"))
    from ..comply import postgres

    data = data or [s for s in [postgres.configured_source(find_project().root)] if s]
    if not data:
        fail("没有指明完成情况数据", "no completion data given", lang,
             hint=("给出数据文件，或在 pyproject.toml 的 [tool.luoshi.comply] 中写 source", "name a data file, or set source in [tool.luoshi.comply]"))
    plan = load_plan(lang)  # kept between runs while the corpus and luoshi are unchanged (plancache.py)
    try:
        scope = select(plan, policy or [], jurisdiction or [], unit or [])
    except ScopeError as exc:
        fail(exc.zh, exc.en, lang, hint=exc.hint)
    sink = Sink()
    paths = [Path(d) for d in data if not postgres.is_url(d)]
    shown = {p: str(p) for p in paths}
    settings = project_settings(find_project().root)  # [tool.luoshi.comply]: more status words
    with postgres.open_tables([d for d in data if postgres.is_url(d)], sink) as database:  # PostgreSQL tables (postgres.py)
        tables = load_tables(paths, sink, shown)  # `-` is stdin; folders, pipes and devices are refused
        usable = bool(tables or database.tables)
        try:
            outcome = run(plan, tables + database.tables, day, sink,
                          files=[shown[p] for p in paths] + [t.source for t in database.tables], scope=scope,
                          statuses=status_words(settings.get("statuses")))
        finally:
            for table in tables:  # the temporary copies of CSV files (the process ends without collecting them)
                table.close()
        database.relocate(outcome)  # rows named by the table's primary key
    outcome.scope = " ".join(f"{flag} {v}" for flag, values in (("--policy", policy), ("--jurisdiction", jurisdiction), ("--unit", unit))
                             for v in values or ())
    colour = sys.stderr.isatty() and "NO_COLOR" not in os.environ
    if outcome.diagnostics:
        typer.echo(render_human(outcome.diagnostics, {}, colour=colour, lang=lang), err=True)
    if not usable:
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
