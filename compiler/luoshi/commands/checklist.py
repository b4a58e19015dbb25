"""`luoshi checklist UNIT`: one unit's 责任清单 — every task it leads, shares or cooperates on, soonest first —
as Markdown (printed), xlsx (to filter and fill in) or docx (to print). `luoshi build` writes one per unit."""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ..backends import checklist as backend
from ..diagnostics.lang import Lang
from ..semantics.graph import build_graph
from ._corpus import (
    ForceOpt,
    JurisdictionOpt,
    LangOpt,
    emit,
    fail,
    find_policy,
    find_unit,
    load_corpus,
    output_format,
    safe_file_name,
)

MAX_YEARS = 20
DATE = re.compile(r"(\d{4})(?:年|[-/.](?=\d))?(?:(\d{1,2})(?:月|[-/.](?=\d))?(?:(\d{1,2})日?)?)?")


class ChecklistFormat(str, Enum):
    md = "md"
    xlsx = "xlsx"
    docx = "docx"


def parse_day(text: str, *, end: bool, lang: str) -> dt.date:
    """2025-03-31, 2025年3月31日, 2025-03 / 2025年3月 (a month), or 2025 / 2025年 (a year): a range's start takes
    the first day, its end the last."""
    m = DATE.fullmatch(text.strip())
    if not m:
        fail(f"无法识别日期「{text}」，请写成 2025-03-31、2025-03 或 2025",
             f"cannot read the date '{text}'; write 2025-03-31, 2025-03 or 2025", lang)
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if month is None:
            return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
        if day is None:
            first = dt.date(year, int(month), 1)
            return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1) if end else first
        return dt.date(year, int(month), int(day))
    except ValueError:
        fail(f"日期「{text}」不存在", f"the date '{text}' does not exist", lang)


def command(
    ctx: typer.Context,
    unit: Annotated[str, typer.Argument(help="单位，如 区民政局 或 璧山区/区民政局 · a unit, as written or as JURISDICTION/UNIT")],
    jurisdiction: JurisdictionOpt = None,
    policy: Annotated[str | None, typer.Option("--policy", "-p", help="只列一项政策的任务；也用于区分同名单位 · only this policy's tasks; also tells same-named units apart")] = None,
    fmt: Annotated[ChecklistFormat, typer.Option("--format", "-f", help="md（打印）、xlsx、docx · format")] = ChecklistFormat.md,
    start: Annotated[str | None, typer.Option("--from", help="周期性任务从哪天起逐次列出（默认政策本身的起始年，无年份时为今年）· expand recurring tasks from (default: the policies' own first year, else this year)")] = None,
    end: Annotated[str | None, typer.Option("--to", help="到哪天为止（默认政策本身的最后一年年底）· until (default: the end of the policies' own last year)")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="输出文件 · output file")] = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.both,
) -> None:
    """生成一个单位的责任清单：牵头、负责、配合的全部任务，按完成时限排序。· A unit's checklist: every task it owes, by due date."""
    fmt = output_format(ctx, fmt, output)
    corpus = load_corpus(lang)
    pid = find_policy(corpus, policy, lang) if policy else None
    uid = find_unit(corpus, unit, lang, jurisdiction=jurisdiction, policy=pid if not jurisdiction else None)
    cg = build_graph(corpus)
    first, last = backend.policy_years(cg, uid, pid)
    lo = parse_day(start, end=False, lang=lang) if start else dt.date(first, 1, 1)
    hi = parse_day(end, end=True, lang=lang) if end else dt.date(max(lo.year, last if not start else lo.year), 12, 31)
    if lo > hi:
        fail(f"起始日期 {lo} 晚于结束日期 {hi}", f"--from {lo} is after --to {hi}", lang)
    if hi.year - lo.year >= MAX_YEARS:
        fail(f"日期范围超过 {MAX_YEARS} 年", f"the range is longer than {MAX_YEARS} years", lang)
    checklist = backend.build_checklist(cg, uid, start=lo, end=hi, policy=pid)
    data = backend.render_checklist(checklist, corpus, fmt.value)
    name = f"{safe_file_name(checklist.unit.name)}工作任务清单.{fmt.value}"
    emit(data, output, force, lang, binary=fmt is not ChecklistFormat.md, default_name=name)


def register(app: typer.Typer) -> None:
    app.command("checklist")(command)

