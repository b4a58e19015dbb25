"""`luoshi sample-data`: realistic completion data for the corpus, with known violations planted and listed in a
JSON file beside the data (completion.csv → completion.violations.json)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ..diagnostics.lang import Lang, say
from ._corpus import ForceOpt, LangOpt, fail, load_corpus, write_file


class Encoding(str, Enum):
    utf8 = "utf-8"
    utf8_bom = "utf-8-sig"
    gb18030 = "gb18030"


SUFFIXES = (".csv", ".xlsx", ".parquet")


def manifest_path(data: Path) -> Path:
    return data.with_name(data.stem + ".violations.json")


def command(
    output: Annotated[Path, typer.Option("--output", "-o", help="数据文件：.csv、.xlsx 或 .parquet · the data file")] = Path("completion.csv"),
    violations: Annotated[float, typer.Option("--violations", help="植入违规的比例（每项检查、每个案件），0 到 1 · share of checks and cases given a violation")] = 0.05,
    seed: Annotated[int, typer.Option("--seed", help="随机种子，相同种子得到相同数据 · random seed: same seed, same data")] = 1,
    as_of: Annotated[str | None, typer.Option("--as-of", help="数据截止日期（默认 2024-12-31）· last day of data (default 2024-12-31)")] = None,
    rows: Annotated[int | None, typer.Option("--rows", help="约多少行（多出的为临时救助案件）· about this many rows (the extra are 临时救助 cases)")] = None,
    encoding: Annotated[Encoding, typer.Option("--encoding", help="CSV 编码 · CSV encoding")] = Encoding.utf8,
    force: ForceOpt = False,
    lang: LangOpt = Lang.both,
) -> None:
    """为政策语料生成逼真的完成情况数据（各单位、各地区、逐月报告），按比例植入逾期、未达标和超时案件，并在旁边写出植入清单。
    · Realistic completion data with planted violations, listed beside the data."""
    from ..comply import sample
    from ..comply.checks import compile_plan
    from ..comply.loaders import parse_date

    if output.suffix.lower() not in SUFFIXES:
        fail(f"「{output}」：只能生成 .csv、.xlsx 或 .parquet", f"'{output}': write .csv, .xlsx or .parquet", lang)
    if not 0 <= violations <= 1:
        fail(f"--violations 应在 0 到 1 之间，而不是 {violations}", f"--violations must be between 0 and 1, not {violations}", lang)
    day = parse_date(as_of) if as_of else sample.DEFAULT_AS_OF
    if day is None:
        fail(f"无法识别的日期「{as_of}」", f"cannot read the date '{as_of}'", lang, hint=("写作 2024-12-31", "write it as 2024-12-31"))
    manifest = manifest_path(output)
    if manifest.exists() and not force:
        fail(f"「{manifest}」已存在，未覆盖", f"'{manifest}' exists; not overwritten", lang, hint=("加 --force 覆盖", "add --force to replace it"))
    corpus = load_corpus(lang)
    options = sample.SampleOptions(as_of=day, violations=violations, seed=seed, rows=rows)
    data = sample.generate(corpus, compile_plan(corpus), options)
    write_file(output, sample.encode(data, output.suffix.lower(), encoding.value), force, lang)
    write_file(manifest, sample.manifest_bytes(data, options, output.name), force, lang)
    typer.echo(say(f"{len(data.rows)} 行，植入 {len(data.planted)} 处违规，涉及 {len(data.failing)} 项检查",
                   f"{len(data.rows)} rows, {len(data.planted)} violations planted in {len(data.failing)} checks", lang), err=True)


def register(app: typer.Typer) -> None:
    app.command("sample-data")(command)
