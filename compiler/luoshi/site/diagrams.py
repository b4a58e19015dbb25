"""The site's diagrams, drawn from the responsibility graph as neighbourhoods, never the whole graph: the
implementation tree of the corpus (policies only, levels as columns: 国家 → 市 → 区县 → 镇街), one policy's parents and children, one task's chain (市 → 县 →
镇街, lead units in each box), one unit's place (its unit above and below, groups, the policies it works on).

Each diagram is capped at `MAX_NODES`; what is left out is counted so the page can say so.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..backends.wording import task_label
from ..model import AssignmentRole, Corpus, Policy, Task, TaskKey, Unit
from ..semantics.duties import Duty
from ..semantics.graph import CorpusGraph, EdgeType, edges_of, task_node
from . import views
from .mermaid import Flowchart

MAX_NODES = 24
MAX_BELOW = 6   # counterparts one level down drawn in a unit's diagram before the rest become one box
LEVEL_GROUP = {"国家级": "国家", "省级": "省级", "市级": "市级", "县级": "区县", "乡级": "镇街"}


@dataclass(frozen=True)
class Diagram:
    source: str
    omitted: int = 0


def _policy_box(chart: Flowchart, policy: Policy, *, css: str | None = None, group: str | None = None) -> str:
    key = f"policy:{policy.id}"
    chart.node(key, views.label(policy), policy.jurisdiction or "", shape="round",
               css=css or ("doc" if policy.kind.value == "document" else "policy"), group=group)
    return key


def implementation_tree(corpus: Corpus) -> Diagram:
    """Every encoded policy and every document linked by 落实, grouped by level, parent above child: whole levels
    from the top down while they fit in MAX_NODES; below the last level drawn, each policy gets one box counting
    the documents that implement it (a province's thousand 镇街 documents are listed, not drawn)."""
    linked = {p.id for p in corpus.policies if p.implements} | {pid for p in corpus.policies for pid in p.implements}
    shown = [p for p in corpus.policies if p.kind.value == "policy" or p.id in linked]
    shown.sort(key=lambda p: (views.level_rank(p.level), p.id))
    children: dict[str, list[Policy]] = {}
    for p in shown:
        for parent in dict.fromkeys(p.implements):
            children.setdefault(parent, []).append(p)
    blocks: list[list[Policy]] = []
    for p in shown:
        if not blocks or views.level_rank(blocks[-1][0].level) != views.level_rank(p.level):
            blocks.append([])
        blocks[-1].append(p)

    def undrawn(drawn: set[str]) -> dict[str, list[Policy]]:
        return {pid: rest for pid in drawn if (rest := [c for c in children.get(pid, ()) if c.id not in drawn])}

    drawn: list[Policy] = []
    for block in blocks:
        ids = {p.id for p in drawn} | {p.id for p in block}
        if drawn and len(ids) + len(undrawn(ids)) > MAX_NODES:
            break
        drawn += block
    drawn = drawn[:MAX_NODES]
    ids = {p.id for p in drawn}
    chart = Flowchart("TD")
    for p in drawn:
        _policy_box(chart, p, group=LEVEL_GROUP.get(p.level or ""))  # a document of unknown level floats freely
    for p in drawn:
        for parent in p.implements:
            if f"policy:{parent}" in chart:
                chart.edge(f"policy:{parent}", f"policy:{p.id}")  # every arrow is 落实 (the page says so)
    more = undrawn(ids)
    for p in drawn:
        rest = more.get(p.id)
        if rest and len(chart) < MAX_NODES:
            level = LEVEL_GROUP.get(rest[0].level or "")
            chart.node(f"more:{p.id}", f"另有 {len(rest)} 项{level or '下级'}文件", shape="stadium", css="doc", group=level)
            chart.edge(f"policy:{p.id}", f"more:{p.id}")
    chart.stack(*LEVEL_GROUP.values())
    return Diagram(chart.source(), len(shown) - len(drawn))


def policy_chain(corpus: Corpus, policy: Policy) -> Diagram:
    """The policy, what it implements and cites, and the policies that implement it (left to right: a policy
    citing five documents stays as narrow as the page), at most MAX_NODES boxes: a county document implemented
    by a hundred 镇街 documents draws the first ones and counts the rest (its page lists them all)."""
    chart = Flowchart("LR")
    _policy_box(chart, policy, css="focus")
    for pid in policy.implements:
        parent = corpus.policy(pid)
        if parent:
            _policy_box(chart, parent)
            chart.edge(f"policy:{pid}", f"policy:{policy.id}", "落实")
    cited = [c for c in (corpus.policy(pid) for pid in policy.cites) if c and f"policy:{c.id}" not in chart]
    room = MAX_NODES - len(chart) - len({c.id for c in cited})
    omitted = 0
    for child in views.policy_children(corpus, policy.id):
        if f"policy:{child.id}" in chart:
            chart.edge(f"policy:{policy.id}", f"policy:{child.id}", "落实")
        elif room > 0:
            room -= 1
            _policy_box(chart, child)
            chart.edge(f"policy:{policy.id}", f"policy:{child.id}", "落实")
        else:
            omitted += 1
    for c in cited:
        if f"policy:{c.id}" not in chart:
            _policy_box(chart, c)
            chart.edge(f"policy:{policy.id}", f"policy:{c.id}", "引用", dashed=True)
    return Diagram(chart.source(), omitted)


def _leads(corpus: Corpus, task: Task) -> str:
    names = [a.unit.written for a in task.assignments if a.role is not AssignmentRole.COOPERATE and not a.inherited]
    return ("牵头/负责：" + "、".join(names)) if names else ""


def task_chain(cg: CorpusGraph, key: TaskKey) -> Diagram:
    """Every task above this one (what it carries out) and below it (what carries it out), with their
    responsible units: the 市 → 县 → 镇街 chain of one measure."""
    chart = Flowchart("TD")
    corpus = cg.corpus
    order: list[str] = []
    up, down = [task_node(key)], [task_node(key)]
    seen = {task_node(key)}
    edges: list[tuple[str, str]] = []
    while up:
        node = up.pop(0)
        order.append(node)
        for parent, _ in edges_of(cg.graph, node, EdgeType.IMPLEMENTS):
            edges.append((parent, node))
            if parent not in seen:
                seen.add(parent)
                up.append(parent)
    while down:
        node = down.pop(0)
        if node not in order:
            order.append(node)
        for child, _ in edges_of(cg.graph, node, EdgeType.IMPLEMENTS, incoming=True):
            edges.append((node, child))
            if child not in seen:
                seen.add(child)
                down.append(child)
    drawn = order[:MAX_NODES]
    for node in sorted(drawn, key=lambda n: (views.level_rank(cg.policy_of(n).level), n)):
        task, policy = cg.task(node), cg.policy_of(node)
        chart.node(node, views.label(policy), task_label(task), _leads(corpus, task),
                   css="focus" if node == task_node(key) else "task")
    for a, b in dict.fromkeys(edges):
        if a in chart and b in chart:
            chart.edge(a, b, "落实")
    return Diagram(chart.source(), len(order) - len(drawn))


def unit_place(cg: CorpusGraph, unit: Unit, duties: list[Duty]) -> Diagram:
    """The unit; the unit it belongs to and its sub-units; the groups it is a member of; its counterparts one
    level up and down (past MAX_BELOW below, the first few and one box counting the rest, which the page lists);
    and each policy it works on, the edge saying in which roles."""
    corpus = cg.corpus
    chart = Flowchart("LR")
    me = f"unit:{unit.id}"
    chart.node(me, unit.name, unit.jurisdiction, css="focus")
    budget = MAX_NODES - 1
    omitted = 0

    def add_unit(other: Unit, label: str, *, outgoing: bool, dashed: bool = False) -> None:
        nonlocal budget, omitted
        if budget <= 0:
            omitted += 1
            return
        budget -= 1
        key = f"unit:{other.id}"
        chart.node(key, other.name, other.jurisdiction, css="unit", shape="stadium" if other.kind.value != "unit" else "box")
        chart.edge(me, key, label, dashed=dashed) if outgoing else chart.edge(key, me, label, dashed=dashed)

    if unit.part_of and (whole := corpus.unit(unit.part_of)):
        add_unit(whole, "隶属", outgoing=True)
    for sub in views.sub_units(corpus, unit):
        add_unit(sub, "隶属", outgoing=False)
    for group in views.groups_of(corpus, unit):
        add_unit(group, "成员", outgoing=True)
    near = views.nearest_counterparts(corpus, unit)
    below = near.below
    if len(below) > MAX_BELOW:  # a district's 民政局 and its 99 街道 offices: a few, then one box for the rest
        below = below[:MAX_BELOW - 1]
    for other in near.above + below:
        add_unit(other, "对应", outgoing=views.level_rank(_level(corpus, other)) > views.level_rank(_level(corpus, unit)),
                 dashed=True)
    rest = len(near.below) - len(below)
    if rest and budget > 0:
        budget -= 1
        chart.node(f"more:{unit.id}", f"另有 {rest} 个下级对应单位", "见“各级对应单位”", shape="stadium", css="doc")
        chart.edge(me, f"more:{unit.id}", "对应", dashed=True)
    elif rest:
        omitted += rest
    for pid, counts in views.role_counts(duties).items():
        if budget <= 0:
            omitted += 1
            continue
        budget -= 1
        policy = corpus.policy(pid)
        assert policy is not None, "a duty's policy is in the corpus"
        _policy_box(chart, policy)
        chart.edge(me, f"policy:{pid}", " ".join(f"{role}{n}项" for role, n in sorted(counts.items(), key=_role_order)))
    return Diagram(chart.source(), omitted)


def _role_order(item: tuple[str, int]) -> int:
    return ["牵头", "负责", "配合"].index(item[0])


def _level(corpus: Corpus, unit: Unit) -> str | None:
    return views.jurisdiction_level(corpus, unit.jurisdiction)
