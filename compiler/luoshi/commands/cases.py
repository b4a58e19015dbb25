"""`luoshi cases ROSTER… --as-of DATE`: the case rules (规则) of the corpus evaluated over a roster and its
comparison tables in DuckDB; per household the rules that fired, on which facts, with their 原文."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..diagnostics.lang import Lang
from ._corpus import ForceOpt, LangOpt, fail, load_corpus, write_file


def command(
    files: Annotated[list[Path], typer.Argument(help="名册和比对表（CSV 或 xlsx）· the roster and comparison tables")],
    as_of: Annotated[str, typer.Option("--as-of", help="判断日期 YYYY-MM-DD · the date to judge on")],
    params: Annotated[Path | None, typer.Option("--params", help="参数文件（参数,辖区,起始,终止,值,依据）· dated parameters")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="报告：.xlsx 或 .json · the report file")] = None,
    explain: Annotated[str | None, typer.Option("--explain", help="说明一户的结论 · explain one household")] = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.both,
) -> None:
    """按政策中的规则比对低保名册与社保、车辆、房产、工商数据，逐户给出建议（建议取消、渐退、需核实、需补充证明）。
    · Check the roster against the corpus's case rules; suggestions per household, for a person to review."""
    from ..cases import engine, report
    from ..cases.data import read_table
    from ..diagnostics import Sink

    try:
        on = dt.date.fromisoformat(as_of)
    except ValueError:
        fail(f"日期「{as_of}」无效，应为 YYYY-MM-DD", f"invalid date '{as_of}': use YYYY-MM-DD", lang)
    corpus = load_corpus(lang)
    sink = Sink()
    tables = [t for t in (read_table(p, sink) for p in files) if t is not None]
    if not any(t.kind == "名册" for t in tables):
        if list(sink):  # why each file was not read (damaged, a zip bomb, not a roster): never dropped unsaid
            from ..diagnostics.render import render_human

            typer.echo(render_human(list(sink), {}, lang=lang), err=True)
        fail("没有名册（需有户编号、身份证号两列）", "no roster among the files (columns 户编号 and 身份证号)", lang)
    parameters = engine.read_parameters(params, sink) if params else []
    rules = engine.corpus_rules(corpus)
    result = engine.evaluate(tables, rules, parameters, on, sink, only=explain)
    diagnostics = list(sink)
    if diagnostics:
        from ..diagnostics.render import render_human
        from ..driver.terminal import use_colour

        typer.echo(render_human(diagnostics, {}, colour=use_colour(sys.stderr), lang=lang), err=True)
    if explain is not None:
        typer.echo(report.explain(result, explain), nl=False)
        return
    if output is not None:
        data = report.to_xlsx(result) if output.suffix.lower() == ".xlsx" else report.to_json(result)
        write_file(output, data, force, lang)
    typer.echo(report.text(result), nl=False)


def sample(
    directory: Annotated[Path, typer.Argument(help="输出目录 · output directory")] = Path("sample-cases"),
    households: Annotated[int, typer.Option("--households", help="户数 · households")] = 1000,
    as_of: Annotated[str, typer.Option("--as-of", help="数据日期 · as of")] = "2024-12-31",
    seed: Annotated[int, typer.Option("--seed", help="随机种子 · random seed")] = 1,
) -> None:
    """生成逼真的名册和比对数据，按规则植入户，并写出植入清单 planted.json（身份证号为虚构，参数为样例值）。
    · Sample case data with households planted per rule (made-up ID numbers, fixture parameter values)."""
    from ..cases.sample import write

    for p in write(directory, households, dt.date.fromisoformat(as_of), seed):
        typer.echo(str(p))


def register(app: typer.Typer) -> None:
    app.command("cases")(command)
    app.command("sample-cases")(sample)
    app.command("cases-suite")(suite_command)


def suite_command(
    output: Annotated[Path, typer.Option("--output", "-o", help="输出目录 · output folder")] = Path("build/cases"),
    lang: LangOpt = Lang.both,
) -> None:
    """为每条案件规则生成一个 pytest 测试（用 --data、--as-of、--planted 运行）· a generated pytest test per case rule."""
    from ..cases import engine, report

    rules = engine.corpus_rules(load_corpus(lang))
    output.mkdir(parents=True, exist_ok=True)
    for name, data in report.suite(rules, str(output)).items():
        (output / name).write_bytes(data)
    typer.echo(f"已写出 {len(rules)} 条规则的测试到 {output} · wrote tests for {len(rules)} rules to {output}")
