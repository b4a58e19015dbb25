"""`luoshi comply DATA --as-of DATE`: check completion data against every deadline, recurring obligation, target
and working-day limit of the corpus, and report who is late, which targets are missed, where. `luoshi build`
writes the same checks as a pytest suite under `compliance/`."""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..diagnostics.lang import Lang, say
from ..driver.terminal import use_colour
from ._corpus import ForceOpt, LangOpt, emit, fail, load_plan, output_format

if TYPE_CHECKING:
    from ..comply.outcome import Outcome
    from ..comply.plan import Plan
    from ..comply.scope import Scope


class ReportFormat(str, Enum):
    table = "table"
    markdown = "markdown"
    html = "html"
    xlsx = "xlsx"
    json = "json"


def command(
    ctx: typer.Context,
    data: Annotated[list[str] | None, typer.Argument(help="完成情况数据：CSV（UTF-8 或 GBK）、xlsx 或 Parquet 文件（- 为标准输入），或 PostgreSQL 表 postgresql://用户@主机/库?table=表名（默认 pyproject.toml 的 tool.luoshi.comply.source）· completion data: CSV (UTF-8 or GBK), xlsx or Parquet files (- for stdin), or a PostgreSQL table postgresql://user@host/db?table=NAME (default: tool.luoshi.comply.source in pyproject.toml)",
                                                        show_default=False)] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="核查日期，如 2020-12-31（默认今天）· check as of this date (default today)")] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="报告格式：table、markdown、html、xlsx（督查表，每个单位一页）、json · report format")] = ReportFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="报告文件（默认输出到终端；xlsx 默认 督查报告.xlsx）· report file")] = None,
    policy: Annotated[list[str] | None, typer.Option("--policy", metavar="政策", help="只核查此政策（文号或编号，可重复）· only this policy (文号 or id; repeatable)", show_default=False)] = None,
    jurisdiction: Annotated[list[str] | None, typer.Option("--jurisdiction", metavar="辖区", help="只核查此辖区及其下级的单位（可重复），如 云阳县 · only units of this jurisdiction and those within it (repeatable)", show_default=False)] = None,
    unit: Annotated[list[str] | None, typer.Option("--unit", metavar="单位", help="只核查此单位（名称或编号，可重复；集体含其成员）· only this unit (name or id; repeatable; a collective with its members)", show_default=False)] = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.both,
) -> None:
    """用完成情况数据核查各政策的时限、定期任务、目标和工作日时限，列出逾期、未达标和无数据的单位（有未通过的检查或有误的数据时退出码为 1）。
    · Check completion data against every deadline and target; exit 1 when a check fails or rows are bad."""
    from ..comply import report  # the engine (DuckDB, NumPy) loads only when the command runs
    from ..comply.engine import run
    from ..comply.loaders import load_tables, parse_date
    from ..comply.outcome import Status
    from ..comply.scope import ScopeError, select
    from ..comply.sheets import SheetContext, sheet_scope
    from ..comply.vocabulary import project_vocabulary
    from ..diagnostics import Sink
    from ..diagnostics.render import render_human
    from ..driver.project import find_project

    fmt = output_format(ctx, fmt, output)
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
    shown = shown_names(paths, Path.cwd())
    words = project_vocabulary(find_project().root, sink)  # [tool.luoshi.comply]: more status words, headers, unit names
    with postgres.open_tables([d for d in data if postgres.is_url(d)], sink) as database:  # PostgreSQL tables (postgres.py)
        # an office's sheet without a 政策 (单位, 任务) column is completed from its title, --policy, 填报单位 (sheets.py)
        context = SheetContext(plan, scope.policies if scope is not None else None, words.statuses, words.units)
        tables = load_tables(paths, sink, shown, words.headers, context)  # `-` is stdin; folders, pipes and devices are refused
        usable = bool(tables or database.tables)
        told = sheet_scope(context, [t.source for t in tables]) if scope is None and not database.tables else None
        if told is not None:  # office sheets naming their policy (and filer): that, not the whole corpus (sheets.py)
            scope, said = sheet_limits(plan, *told)
            policy, unit = said  # the report's scope reads as if given on the command line
            typer.echo(say(f"提示：各表写明了政策{'和填报单位' if unit else ''}，只核查 {'、'.join(policy + unit)}；"
                           f"核查其他政策或单位请用 --policy、--unit 或 --jurisdiction 指明",
                           f"note: the sheets name their policy{' and filing unit' if unit else ''}; only {', '.join(policy + unit)} "
                           f"is checked; name others with --policy, --unit or --jurisdiction", lang), err=True)
        try:
            outcome = run(plan, tables + database.tables, day, sink,
                          files=[shown[p] for p in paths] + [t.source for t in database.tables], scope=scope,
                          statuses=words.statuses, unit_names=words.units)
        finally:
            for table in tables:  # the temporary copies of CSV files (the process ends without collecting them)
                table.close()
        database.relocate(outcome)  # rows named by the table's primary key
    outcome.scope = " ".join(f"{flag} {v}" for flag, values in (("--policy", policy), ("--jurisdiction", jurisdiction), ("--unit", unit))
                             for v in values or ())
    colour = use_colour(sys.stderr)
    if outcome.diagnostics:
        typer.echo(render_human(outcome.diagnostics, {}, colour=colour, lang=lang), err=True)
    for name, registry in memberless_collectives(outcome):  # for whoever keeps the registry, not in the report
        typer.echo(say(f"提示：「{name}」在单位登记中没有成员，其任务无法按成员核查；在 {registry} 中为它加上「成员」",
                       f"hint: the registry lists no members of '{name}', so its duties cannot be checked per member; "
                       f"list them in {registry}", lang), err=True)
    if not usable:
        fail("没有可用的数据，未生成报告", "no usable data; no report made", lang)
    emit(report.render(outcome, fmt.value, lang), output, force, lang, binary=fmt is ReportFormat.xlsx, default_name="督查报告.xlsx")
    counts = outcome.counts()
    passed, failed, pending, no_data = (counts[s] for s in (Status.PASS, Status.FAIL, Status.PENDING, Status.NO_DATA))
    zh = (f"核查 {len(outcome.results)} 项：通过 {passed}，未通过 {failed}，未到期 {pending}，"
          f"无数据 {no_data}；数据 {outcome.rows_read} 行，剔除 {outcome.rows_set_aside} 行")
    en = (f"{len(outcome.results)} checks: {passed} pass, {failed} fail, {pending} pending, "
          f"{no_data} no data; {outcome.rows_read} rows, {outcome.rows_set_aside} set aside")
    typer.echo(say(zh, en, lang), err=True)
    raise typer.Exit(outcome.exit_code)


def sheet_limits(plan: Plan, policies: frozenset[str], filers: frozenset[str] | None) -> tuple[Scope, tuple[list[str], list[str]]]:
    """The scope of a run of office sheets (`sheets.sheet_scope`) and how it is named: the policies' 文号 and the
    filing units as written. A filer the registry does not know leaves the units open (its rows get LS513)."""
    from ..comply.scope import Scope, ScopeError, select

    labels = sorted(e.label if (e := plan.policy(pid)) is not None else pid for pid in policies)
    units: frozenset[str] | None = None
    try:
        found = select(plan, (), (), sorted(filers)) if filers else None
        units = found.units if found is not None else None
    except ScopeError:
        pass
    return Scope(policies, units), (labels, sorted(filers) if units is not None and filers else [])


def memberless_collectives(outcome: Outcome) -> list[tuple[str, str]]:
    """The collectives with duties in the run whose members the registry does not list, with the registry file to
    list them in (once each, sorted): the engineer's fix, said on the command line; the report tells the office."""
    found = {(r.check.unit_label, r.check.memberless) for r in outcome.results if r.check.memberless}
    return sorted(found)


def shown_names(paths: list[Path], cwd: Path) -> dict[Path, str]:
    """How each data file is named in the report (数据行, problems): as the user gave it when relative; an absolute
    path inside the working folder relative to it, else by its file name (a report printed for an office must not
    show `/home/…`, and must read the same on every machine). Two files shown alike keep their paths as given."""
    names: dict[Path, str] = {}
    for path in paths:
        if not path.is_absolute():
            names[path] = str(path)
            continue
        try:
            names[path] = str(path.relative_to(cwd))
        except ValueError:
            names[path] = path.name
    counts = Counter(names.values())
    return {p: (name if counts[name] == 1 else str(p)) for p, name in names.items()}


def register(app: typer.Typer) -> None:
    app.command("comply")(command)

