"""The responsibility graph of a corpus: who owes what to whom, as one networkx multigraph.

Nodes are policies (and declared documents), sections, tasks (tasks, clauses and phases), units, groups and
collectives. Edges are typed (attribute `type`, also the edge key):

    contains        policy → section → task → sub-task (the document's own structure)
    leads           unit → task        (牵头)
    co-responsible  unit → task        (负责)
    cooperates      unit → task        (配合)
    member-of       unit → group or collective (the registry's 成员)
    part-of         sub-unit → unit    (the registry's 隶属: 区就业人才中心 → 区人力社保局)
    issued-by       policy → unit      (发文机关)
    implements      task → parent task, policy → parent policy or document (落实)
    waives          task or policy → parent task (不予落实, with the reason)

A unit named inside another's parentheses (区人力社保局（区就业人才中心、区社保中心）) gets its own role edge with
`via` set to the unit it was written under. A role edge's `written` is the name as the task wrote it, whole. Every value is a string, integer or boolean (GraphML has no null),
and nodes and edges are added in a fixed order, so every export of the same corpus is byte-identical.
The graph is built from the frozen model only; the docs site and the query verbs share it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Any

import networkx as nx

from ..model import AssignmentRole, Corpus, Policy, Task, TaskKey, UnitRef


class NodeType(str, Enum):
    POLICY = "policy"
    DOCUMENT = "document"
    SECTION = "section"
    TASK = "task"
    UNIT = "unit"
    GROUP = "group"
    COLLECTIVE = "collective"


class EdgeType(str, Enum):
    CONTAINS = "contains"
    LEADS = "leads"
    CO_RESPONSIBLE = "co-responsible"
    COOPERATES = "cooperates"
    MEMBER_OF = "member-of"
    PART_OF = "part-of"
    ISSUED_BY = "issued-by"
    IMPLEMENTS = "implements"
    WAIVES = "waives"

    @property
    def zh(self) -> str:
        return _EDGE_ZH[self]


_EDGE_ZH = {
    EdgeType.CONTAINS: "包含", EdgeType.LEADS: "牵头", EdgeType.CO_RESPONSIBLE: "负责", EdgeType.COOPERATES: "配合",
    EdgeType.MEMBER_OF: "成员", EdgeType.PART_OF: "隶属", EdgeType.ISSUED_BY: "发文", EdgeType.IMPLEMENTS: "落实",
    EdgeType.WAIVES: "不予落实",
}
ROLE_EDGE = {AssignmentRole.LEAD: EdgeType.LEADS, AssignmentRole.CO_RESPONSIBLE: EdgeType.CO_RESPONSIBLE,
             AssignmentRole.COOPERATE: EdgeType.COOPERATES}
EDGE_ROLE = {edge: role for role, edge in ROLE_EDGE.items()}
UNIT_TYPES = (NodeType.UNIT, NodeType.GROUP, NodeType.COLLECTIVE)


def policy_node(policy_id: str) -> str:
    return f"policy:{policy_id}"


def section_node(policy_id: str, section_id: str) -> str:
    return f"section:{policy_id}:{section_id}"


def task_node(key: TaskKey | str) -> str:
    return f"task:{key}"


def unit_node(unit_id: str) -> str:
    return f"unit:{unit_id}"


def _attrs(**values: object) -> dict[str, object]:
    """Node or edge attributes without empty values: GraphML cannot store None."""
    return {k: v for k, v in values.items() if v is not None and v != ""}


@dataclass(frozen=True)
class CorpusGraph:
    """The graph with the model it was built from, so queries can hand back model objects, not names."""

    corpus: Corpus
    graph: nx.MultiDiGraph[str]
    tasks: dict[str, Task]
    policies: dict[str, Policy]

    def task(self, node: str) -> Task:
        return self.tasks[node]

    def policy_of(self, node: str) -> Policy:
        return self.policies[self.tasks[node].key.policy]


def build_graph(corpus: Corpus) -> CorpusGraph:
    g: nx.MultiDiGraph[str] = nx.MultiDiGraph(name="luoshi")
    tasks: dict[str, Task] = {}
    policies = {p.id: p for p in corpus.policies}
    for unit in corpus.units:
        g.add_node(unit_node(unit.id), **_attrs(
            type=unit.kind.value, label=unit.name, unit=unit.id, jurisdiction=unit.jurisdiction,
            role=unit.role))
    for policy in corpus.policies:
        _add_policy(g, policy, tasks)
    for unit in corpus.units:
        for member in unit.members:
            _edge(g, unit_node(member), unit_node(unit.id), EdgeType.MEMBER_OF)
        if unit.part_of:
            _edge(g, unit_node(unit.id), unit_node(unit.part_of), EdgeType.PART_OF)
    for policy in corpus.policies:
        _add_links(g, policy)
    return CorpusGraph(corpus, g, tasks, policies)


def _add_policy(g: nx.MultiDiGraph[str], policy: Policy, tasks: dict[str, Task]) -> None:
    pnode = policy_node(policy.id)
    g.add_node(pnode, **_attrs(
        type=policy.kind.value, label=policy.number or policy.title or policy.id, policy=policy.id,
        number=policy.number, title=policy.title, jurisdiction=policy.jurisdiction, level=policy.level,
        date=policy.date.isoformat() if policy.date else None))
    items = sorted([(s.order, s) for s in policy.sections] + [(t.order, t) for t in policy.tasks], key=lambda x: x[0])
    for _, item in items:
        if isinstance(item, Task):
            node = task_node(item.key)
            tasks[node] = item
            g.add_node(node, **_attrs(
                type=NodeType.TASK.value, label=f"{item.id} {item.title or ''}".strip(), policy=policy.id,
                task=item.id, kind=item.kind.value, title=item.title, group=item.group, section=item.section,
                order=item.order))
            container = (task_node(TaskKey(policy=policy.id, task=item.parent)) if item.parent else
                         section_node(policy.id, item.section) if item.section else pnode)
        else:
            node = section_node(policy.id, item.id)
            g.add_node(node, **_attrs(
                type=NodeType.SECTION.value, label=f"{item.id} {item.title}", policy=policy.id, section=item.id,
                title=item.title, order=item.order))
            container = section_node(policy.id, item.parent) if item.parent else pnode
        _edge(g, container, node, EdgeType.CONTAINS)
    for ref in policy.issuers:
        _edge(g, pnode, unit_node(ref.unit), EdgeType.ISSUED_BY, written=ref.written)


def _add_links(g: nx.MultiDiGraph[str], policy: Policy) -> None:
    """Role edges and cross-document links, once every node exists."""
    pnode = policy_node(policy.id)
    for parent in policy.implements:
        _edge(g, pnode, policy_node(parent), EdgeType.IMPLEMENTS)
    for w in policy.waivers:
        target = task_node(w.target) if w.target else policy_node(w.document or "")
        _edge(g, pnode, target, EdgeType.WAIVES, reason=w.reason)
    for task in policy.tasks:
        tnode = task_node(task.key)
        for a in task.assignments:
            for ref, via in _mentions(a.unit):
                _edge(g, unit_node(ref.unit), tnode, ROLE_EDGE[a.role], written=a.unit.written, via=via,
                      inherited=a.inherited, others=ref.others, **({"inferred": True} if a.inferred else {}))
        for parent_task in task.implements:
            _edge(g, tnode, task_node(parent_task), EdgeType.IMPLEMENTS)
        for w in task.waivers:
            target = task_node(w.target) if w.target else policy_node(w.document or "")
            _edge(g, tnode, target, EdgeType.WAIVES, reason=w.reason)


def _mentions(ref: UnitRef, via: str | None = None) -> Iterable[tuple[UnitRef, str | None]]:
    """A unit reference and the sub-units written in its parentheses, each with the unit it was written under."""
    yield ref, via
    for sub in ref.subunits:
        yield from _mentions(sub, ref.unit)


def _edge(g: nx.MultiDiGraph[str], source: str, target: str, kind: EdgeType, **values: object) -> None:
    if source not in g or target not in g:
        return  # a dangling reference: the resolver has reported it
    key = kind.value if values.get("via") is None else f"{kind.value}|{values['via']}"
    if g.has_edge(source, target, key):
        return
    g.add_edge(source, target, key=key, **_attrs(type=kind.value, **values))


# ───────────── neighbourhoods ─────────────


def induced(g: nx.MultiDiGraph[str], nodes: set[str]) -> nx.MultiDiGraph[str]:
    """The subgraph on `nodes`, in the whole graph's order (networkx views do not promise one)."""
    out: nx.MultiDiGraph[str] = nx.MultiDiGraph(**g.graph)
    for node, data in g.nodes(data=True):
        if node in nodes:
            out.add_node(node, **data)
    for u, v, key, data in g.edges(keys=True, data=True):
        if u in nodes and v in nodes:
            out.add_edge(u, v, key=key, **data)
    return out


def edges_of(g: nx.MultiDiGraph[str], node: str, *types: EdgeType,
             incoming: bool = False) -> Iterator[tuple[str, dict[str, Any]]]:
    """(other end, edge data) of a node's edges of the given types, in graph order."""
    wanted = {t.value for t in types}
    edges = g.in_edges(node, data=True) if incoming else g.out_edges(node, data=True)
    for u, v, data in edges:
        if data["type"] in wanted:
            yield (u if incoming else v), data


def _containers(g: nx.MultiDiGraph[str], node: str) -> set[str]:
    """The node and everything that contains it, up to its policy."""
    out = {node}
    frontier = [node]
    while frontier:
        for up, _ in edges_of(g, frontier.pop(), EdgeType.CONTAINS, incoming=True):
            if up not in out:
                out.add(up)
                frontier.append(up)
    return out


def policy_view(cg: CorpusGraph, policy_id: str) -> nx.MultiDiGraph[str]:
    """A policy, its sections and tasks, the units they name, its issuers and the parent tasks it implements."""
    g = cg.graph
    root = policy_node(policy_id)
    nodes = {root} | nx.descendants(_typed_view(g, EdgeType.CONTAINS), root)
    for node in list(nodes):
        for unit, _ in edges_of(g, node, *ROLE_EDGE.values(), incoming=True):
            nodes.add(unit)
        for other, _ in edges_of(g, node, EdgeType.IMPLEMENTS, EdgeType.ISSUED_BY, EdgeType.WAIVES):
            nodes.add(other)
    return induced(g, nodes)


def unit_view(cg: CorpusGraph, unit_id: str) -> nx.MultiDiGraph[str]:
    """A unit, the groups it belongs to and its sub-units, and every task it is named in, with their policies."""
    g = cg.graph
    root = unit_node(unit_id)
    nodes = {root}
    for other, _ in edges_of(g, root, EdgeType.MEMBER_OF, EdgeType.PART_OF):
        nodes.add(other)
    for other, _ in edges_of(g, root, EdgeType.MEMBER_OF, EdgeType.PART_OF, incoming=True):
        nodes.add(other)
    for task, _ in edges_of(g, root, *ROLE_EDGE.values()):
        nodes |= _containers(g, task)
    return induced(g, nodes)


def task_view(cg: CorpusGraph, key: TaskKey | str) -> nx.MultiDiGraph[str]:
    """A task with its sub-tasks, everything implementing it down the chain and everything it implements, each
    with the units named, and the policies they belong to."""
    g = cg.graph
    root = task_node(key)
    implements = _typed_view(g, EdgeType.IMPLEMENTS)
    contains = _typed_view(g, EdgeType.CONTAINS)
    chain = {root} | nx.ancestors(implements, root) | nx.descendants(implements, root)
    tasks = set(chain)
    for node in chain:
        tasks |= {n for n in nx.descendants(contains, node) if g.nodes[n]["type"] == NodeType.TASK.value}
    nodes = set()
    for node in tasks:
        nodes |= _containers(g, node)
        for unit, _ in edges_of(g, node, *ROLE_EDGE.values(), incoming=True):
            nodes.add(unit)
    return induced(g, nodes)


def _typed_view(g: nx.MultiDiGraph[str], kind: EdgeType) -> nx.DiGraph[str]:
    view: nx.DiGraph[str] = nx.DiGraph()
    view.add_nodes_from(g)
    view.add_edges_from((u, v) for u, v, data in g.edges(data=True) if data.get("type") == kind.value)
    return view
