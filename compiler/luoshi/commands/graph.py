"""`luoshi graph`: export the responsibility graph, and the questions asked of it every day, as tables.

    luoshi graph export [--policy P | --unit U | --task P:T] [--format graphml|json|dot|mermaid]
    luoshi graph duties 区民政局 --jurisdiction 璧山区     what a unit owes, across policies
    luoshi graph chain yfbf-2018-161:2.2                  who carries a task down the chain (市 → 县 → 镇街)
    luoshi graph gaps [POLICY]                            parent tasks with no local implementation
    luoshi graph top [--jurisdiction J]                   units with the most lead tasks
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ..backends import graph_export
from ..backends.wording import policy_label, task_label
from ..diagnostics.lang import Lang
from ..model import AssignmentRole, Corpus
from ..semantics.duties import ROLE_ORDER, chain, coverage, duties, loads
from ..semantics.graph import build_graph, policy_view, task_view, unit_view
from ._corpus import (
    ForceOpt,
    JurisdictionOpt,
    LangOpt,
    emit,
    fail,
    find_jurisdiction,
    find_policy,
    find_task,
    find_unit,
    load_corpus,
    output_format,
    say,
)
from ._tables import print_table

app = typer.Typer(
    name="graph",
    help="责任关系图：导出（GraphML、JSON、DOT、Mermaid）和日常查询。· The responsibility graph: exports and everyday queries.",
    no_args_is_help=True,
)


class GraphFormat(str, Enum):
    graphml = "graphml"
    json = "json"
    dot = "dot"
    mermaid = "mermaid"


PolicyOpt = Annotated[str | None, typer.Option("--policy", "-p", help="只看一项政策（编号或文号）· one policy (id or 文号)")]


@app.command("export")
def export(
    ctx: typer.Context,
    fmt: Annotated[GraphFormat, typer.Option("--format", "-f", help="导出格式 · format")] = GraphFormat.graphml,
    policy: PolicyOpt = None,
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="只看一个单位及其任务 · one unit and its tasks")] = None,
    jurisdiction: JurisdictionOpt = None,
    task: Annotated[str | None, typer.Option("--task", "-t", help="只看一项任务及其落实链，如 yfbf-2018-161:2.2 · one task and its implementation chain")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="输出文件（默认打印）· output file (default: print)")] = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.both,
) -> None:
    """导出整个语料或一项政策、一个单位、一项任务周边的责任关系图。· Export the graph of the corpus, or of one policy, unit or task."""
    fmt = output_format(ctx, fmt, output)
    if sum(x is not None for x in (policy, unit, task)) > 1:
        fail("--policy、--unit、--task 只能选一个", "choose one of --policy, --unit, --task", lang)
    corpus = load_corpus(lang)
    cg = build_graph(corpus)
    g = cg.graph
    if policy:
        g = policy_view(cg, find_policy(corpus, policy, lang))
    elif unit:
        g = unit_view(cg, find_unit(corpus, unit, lang, jurisdiction=jurisdiction))
    elif task:
        g = task_view(cg, find_task(corpus, task, lang))
    if fmt is GraphFormat.mermaid and g.number_of_edges() > graph_export.MERMAID_MAX_EDGES:
        typer.echo(say(f"注意：图有 {g.number_of_edges()} 条边，Mermaid 默认最多绘制 {graph_export.MERMAID_MAX_EDGES} 条；"
                       "可用 --policy、--unit 或 --task 缩小范围",
                       f"note: {g.number_of_edges()} edges; Mermaid draws at most {graph_export.MERMAID_MAX_EDGES} "
                       "by default: narrow it with --policy, --unit or --task", lang), err=True)
    emit(graph_export.export(g, fmt.value), output, force, lang, binary=False, default_name="")


def _name(corpus: Corpus, unit_id: str) -> str:
    unit = corpus.unit(unit_id)
    return unit.name if unit else unit_id


@app.command("duties")
def duties_command(
    unit: Annotated[str, typer.Argument(help="单位，如 区民政局 或 璧山区/区民政局 · a unit, as written or as JURISDICTION/UNIT")],
    jurisdiction: JurisdictionOpt = None,
    policy: PolicyOpt = None,
    lang: LangOpt = Lang.both,
) -> None:
    """一个单位承担哪些任务（牵头、负责、配合），涉及哪些政策。· What a unit owes (lead, shared, cooperating), across policies."""
    corpus = load_corpus(lang)
    uid = find_unit(corpus, unit, lang, jurisdiction=jurisdiction, policy=policy if not jurisdiction else None)
    cg = build_graph(corpus)
    found = duties(cg, uid, find_policy(corpus, policy, lang) if policy else None)
    rows = [(policy_label(d.policy), task_label(d.task), d.role.zh, d.written, d.through.zh) for d in found]
    per_policy: dict[str, dict[AssignmentRole, int]] = {}
    for d in found:
        per_policy.setdefault(policy_label(d.policy), dict.fromkeys(ROLE_ORDER, 0))[d.role] += 1
    summary = "；".join(f"{p}：" + "、".join(f"{r.zh}{n}项" for r, n in c.items() if n) for p, c in per_policy.items())
    print_table(f"{uid} 承担的任务 · duties", ["政策文件", "任务", "角色", "列明为", "方式"], rows,
                caption=say(f"共{len(found)}项。{summary}" if found else "没有列明的任务", f"{len(found)} tasks", lang))


@app.command("chain")
def chain_command(
    task: Annotated[str, typer.Argument(help="任务，写成 政策编号:任务编号，如 yfbf-2018-161:2.2 · POLICY:TASK")],
    lang: LangOpt = Lang.both,
) -> None:
    """一项任务沿落实链（市 → 县 → 镇街）涉及哪些单位。· Which units a task involves down the implementation chain."""
    corpus = load_corpus(lang)
    key = find_task(corpus, task, lang)
    steps = chain(build_graph(corpus), key)
    rows = []
    for s in steps:
        units = {r: "、".join(_name(corpus, u) for u in ids) for r, ids in s.units.items()}
        rows.append((s.policy.level or "", s.policy.jurisdiction or "", policy_label(s.policy),
                     "  " * s.depth + ("└ " if s.depth else "") + task_label(s.task),
                     units[AssignmentRole.LEAD], units[AssignmentRole.CO_RESPONSIBLE], units[AssignmentRole.COOPERATE],
                     "、".join(_name(corpus, u) for u in s.members)))
    involved = {u for s in steps for ids in s.units.values() for u in ids} | {u for s in steps for u in s.members}
    print_table(f"{key} 的落实链 · implementation chain", ["层级", "辖区", "政策文件", "任务", "牵头", "负责", "配合", "所含成员"],
                rows, caption=say(f"{len(steps)}项任务，涉及{len(involved)}个单位", f"{len(steps)} tasks, {len(involved)} units", lang))


@app.command("gaps")
def gaps_command(
    policy: Annotated[str | None, typer.Argument(help="下级政策（默认全部）· the implementing policy (default: all)")] = None,
    lang: LangOpt = Lang.both,
) -> None:
    """上级政策中哪些任务在下级政策中没有对应的落实任务。· Parent tasks with no local implementation."""
    corpus = load_corpus(lang)
    found = coverage(build_graph(corpus), find_policy(corpus, policy, lang) if policy else None)
    rows = []
    for cov in found:
        for gap in cov.gaps:
            status = f"不予落实：{gap.waived}" if gap.waived else "未落实"
            rows.append((policy_label(cov.policy), policy_label(cov.parent), task_label(gap.task), status))
    lines = [f"{policy_label(c.policy)} 落实 {policy_label(c.parent)}：{c.tasks}项中{c.covered}项有对应任务" for c in found]
    print_table("没有对应落实任务的上级任务 · parent tasks with no local implementation",
                ["下级政策", "上级政策", "上级任务", "状态"], rows,
                caption="\n".join(lines) or say("没有落实已编码上级政策的政策", "no policy implements an encoded parent", lang))


@app.command("top")
def top_command(
    jurisdiction: JurisdictionOpt = None,
    policy: PolicyOpt = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="显示前几名 · how many to show")] = 10,
    lang: LangOpt = Lang.both,
) -> None:
    """哪些单位牵头的任务最多。· Which units carry the most lead tasks."""
    corpus = load_corpus(lang)
    where = find_jurisdiction(corpus, jurisdiction, lang) if jurisdiction else None
    pid = find_policy(corpus, policy, lang) if policy else None
    found = loads(build_graph(corpus), jurisdiction=where, policy=pid)
    rows = []
    for rank, load in enumerate(found[:limit], 1):
        c = load.counts
        unit = corpus.unit(load.unit)
        assert unit is not None, "loads() counts the corpus's own units"
        rows.append((rank, unit.name, unit.jurisdiction, c[AssignmentRole.LEAD], c[AssignmentRole.CO_RESPONSIBLE],
                     c[AssignmentRole.COOPERATE], sum(c.values()), load.policies))
    print_table("牵头任务最多的单位 · units by lead tasks", ["排名", "单位", "辖区", "牵头", "负责", "配合", "合计", "政策数"], rows,
                caption=say(f"共{len(found)}个单位承担任务", f"{len(found)} units carry tasks", lang))


def register(root: typer.Typer) -> None:
    root.add_typer(app)

