"""`luoshi template --jurisdiction 云阳县` / `--unit 青龙街道`: the completion workbook an office fills in and
`luoshi comply` reads back unchanged (comply/template.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..diagnostics.lang import Lang, say
from ._corpus import ForceOpt, LangOpt, emit, fail, load_plan


def command(
    jurisdiction: Annotated[list[str] | None, typer.Option("--jurisdiction", metavar="辖区", help="为此辖区（含下级）的单位生成，如 云阳县（可重复）· for the units of this jurisdiction and those within it (repeatable)", show_default=False)] = None,
    unit: Annotated[list[str] | None, typer.Option("--unit", metavar="单位", help="为此单位生成（名称或编号，可重复；集体含其成员）· for this unit (repeatable; a collective with its members)", show_default=False)] = None,
    policy: Annotated[list[str] | None, typer.Option("--policy", metavar="政策", help="只列此政策（文号或编号，可重复）· only this policy (repeatable)", show_default=False)] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="输出文件（默认 填报表-名称.xlsx）· output file")] = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.both,
) -> None:
    """生成落实情况填报表（xlsx）：每项任务、每个目标一行，下拉选择状态，任务信息列锁定，附填写说明；填好后可直接用 luoshi comply 核查。
    · Write the completion workbook a jurisdiction or unit fills in; `luoshi comply` reads it back as it is."""
    from ..backends.wording import safe_file_name
    from ..comply import template
    from ..comply.scope import ScopeError, select

    if not (jurisdiction or unit):
        fail("请用 --jurisdiction 或 --unit 指明为谁生成填报表", "name whom the workbook is for with --jurisdiction or --unit", lang,
             hint=("如 luoshi template --jurisdiction 云阳县 或 --unit 青龙街道", "e.g. luoshi template --unit 青龙街道"))
    plan = load_plan(lang)
    try:
        scope = select(plan, policy or [], jurisdiction or [], unit or [])
    except ScopeError as exc:
        fail(exc.zh, exc.en, lang, hint=exc.hint)
    names = "、".join([*(jurisdiction or []), *(unit or [])])
    rows = template.rows(plan, scope)
    if not rows:
        fail(f"「{names}」没有需要填报的任务或目标", f"'{names}' has no duty or target to report on", lang)
    data = template.render(plan, scope, f"{names} 落实情况填报表")
    stem = safe_file_name("_".join([*(jurisdiction or []), *(unit or [])]))
    emit(data, output, force, lang, binary=True, default_name=f"填报表-{stem}.xlsx")
    typer.echo(say(f"填报表：{len(rows)} 行（{names}）", f"completion workbook: {len(rows)} rows ({names})", lang), err=True)


def register(app: typer.Typer) -> None:
    app.command("template")(command)
