"""Rules along the implementation chain (LS310–LS313, LS318–LS320): is every parent measure carried out, by the
right units, in a policy issued after its parent, through links that make sense?"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..model import Corpus, ItemKind, Policy, Task, TaskKey
from .chain import encoded_parents
from .counterparts import misses
from .index import Index, index, policies
from .policy_rules import label
from .rule import finding, related, rule
from .summary import CorpusSummary


def _waived(child: Policy) -> dict[TaskKey, str]:
    """Parent tasks the child knowingly sets aside, with a reason (a blank reason waives nothing)."""
    found = [*child.waivers, *(w for t in child.tasks if t.waivers for w in t.waivers)]
    return {w.target: w.reason for w in found if w.target is not None and w.reason.strip()}


def _uncovered(ix: Index, task: Task, done: set[TaskKey]) -> list[Task]:
    """The top-most parent tasks under `task` that no child task implements and no waiver covers: a measure
    implemented as a whole covers its sub-tasks; one implemented in part reports only the parts left out."""
    if task.key in done:
        return []
    kids = [k for k in ix.children(task) if k.kind is ItemKind.TASK]
    if not any(_touched(ix, k, done) for k in kids):
        return [task]
    return [m for k in kids for m in _uncovered(ix, k, done)]


def _touched(ix: Index, task: Task, done: set[TaskKey]) -> bool:
    return any(t.key in done for t in ix.subtree(task))


@rule("LS310")
def unimplemented_parent_task(corpus: Corpus) -> Iterator[Diagnostic]:
    """Every task of an encoded parent is implemented by some child task, or waived with a reason."""
    ix = index(corpus)
    for child in policies(corpus):
        parents = encoded_parents(corpus, child)
        if not parents:
            continue
        waived = _waived(child)
        whole = {w.document for w in child.waivers if w.document and w.reason.strip()}
        done = {k for t in child.tasks for k in t.implements} | set(waived)
        for parent in parents:
            if parent.id in whole:
                continue
            for top in (t for t in parent.tasks if t.kind is ItemKind.TASK and t.parent is None):
                for missing in _uncovered(ix, top, done):
                    yield finding("LS310", child.span,
                                  (f"{child.id} 没有落实 {label(missing)}，也未写明不予落实的理由",
                                   f"{child.id} neither implements {missing.key} nor waives it with a reason"),
                                  (f"请在落实它的任务中写「落实 {missing.key}」，或写「不予落实 {missing.key} \"理由\"」",
                                   f"add '落实 {missing.key}' to the task that carries it out, or write '不予落实 {missing.key} \"reason\"'"),
                                  related(missing.span, "上级任务", "the parent task"))


@rule("LS311")
def lead_not_counterpart(corpus: Corpus) -> Iterator[Diagnostic]:
    """The unit that leads a parent task leads (or answers for) the child task through its local counterpart;
    the child's issuer counts, as it organises what its own document assigns (counterparts.py finds the misses)."""
    for link, heads, lead in misses(corpus).lead:
        shown = "、".join(a.unit.written for a in heads) or "（无）"
        yield finding("LS311", heads[0].unit.span if heads else link.task.span,
                      (f"{link.task.key} 由「{shown}」牵头（负责），不是上级 {link.parent.key} 牵头单位「{lead.unit.written}」的对应单位",
                       f"{link.task.key} is led by '{shown}', not by the counterpart of '{lead.unit.written}', which leads {link.parent.key}"),
                      (f"请由「{lead.unit.written}」在本级的对应单位牵头，并把其余单位记为「配合」；确需改由其他单位牵头的，用忽略注释写明理由",
                       f"let the local counterpart of '{lead.unit.written}' lead and list the others under 配合; if another unit must lead, suppress with the reason"),
                      related(lead.unit.span, "上级牵头单位", "the parent's lead"))


@rule("LS312")
def dropped_unit(corpus: Corpus) -> Iterator[Diagnostic]:
    """Every unit the parent task names (lead, responsible or cooperating) has a counterpart in the child (its
    issuer included)."""
    for key, first, r in misses(corpus).dropped:
        area = first.child.jurisdiction
        yield finding("LS312", first.task.span,
                      (f"{key} 的责任单位「{r.written}」在 {first.child.id} 中没有对应单位",
                       f"'{r.written}', responsible for {key}, has no counterpart in {first.child.id}"),
                      (f"请补列「{area}」中与之对应的单位；本级没有对应单位的，用忽略注释写明理由",
                       f"add its counterpart in '{area}'; if there is none, suppress with the reason"),
                      related(r.span, "上级任务中的该单位", "the unit in the parent task"))


@rule("LS313")
def added_unit(corpus: Corpus) -> Iterator[Diagnostic]:
    """A child unit the parent task does not name: often a sound local choice, worth a look all the same."""
    for found, r in misses(corpus).added:
        task = found[0].task
        parents = "、".join(str(link.parent.key) for link in found)
        yield finding("LS313", r.span,
                      (f"{task.key} 的「{r.written}」在上级 {parents} 中没有对应单位",
                       f"'{r.written}' in {task.key} has no counterpart in the parent {parents}"),
                      ("核对这是否为本级有意新增的单位；是的话可在「备注」中说明", "check that adding it is intended; if so, say why in a 备注"),
                      related(found[0].parent.span, "上级任务", "the parent task"))


@rule("LS318")
def issued_before_parent(corpus: Corpus) -> Iterator[Diagnostic]:
    """A policy cannot implement a document issued after it."""
    for child in corpus.policies:
        for pid in child.implements:
            parent = corpus.policy(pid)
            if parent and child.date and parent.date and child.date < parent.date:
                yield finding("LS318", child.span,
                              (f"{child.id} 成文于 {child.date}，早于其落实的 {pid}（{parent.date}）",
                               f"{child.id} is dated {child.date}, before {pid} ({parent.date}) which it implements"),
                              ("请核对两份文件的成文日期和落实关系", "check both issue dates and the 落实 link"),
                              related(parent.span, "上级政策", "the parent policy"))


@rule("LS319", reads=("links", "places"))
def implements_cycle(summary: CorpusSummary) -> Iterator[Diagnostic]:
    """Implementation runs one way, from a parent down to its children; a loop means a link is reversed."""
    edges = {p.id: [*p.implements, *p.task_links] for p in summary.policies}
    if not _has_cycle(edges):  # the usual case: no loop to find, and no networkx to import (0.06 s) for it
        return
    import networkx as nx  # imported here: it is slow to import and only this rule needs it

    graph: nx.DiGraph[str] = nx.DiGraph()
    for p in summary.policies:
        graph.add_edges_from((p.id, parent) for parent in p.implements)
        graph.add_edges_from((p.id, linked) for linked in p.task_links)
    for cycle in sorted(sorted(c) for c in nx.simple_cycles(graph)):
        start = min(cycle)
        policy = summary.policy(start)
        ring = nx.find_cycle(graph.subgraph(cycle), start)
        path = " → ".join([start, *(b for _, b in ring)])
        yield finding("LS319", policy.span if policy else None,
                      (f"落实关系形成循环：{path}", f"implements links form a cycle: {path}"),
                      ("请删去或反转其中方向错误的「落实」", "remove or reverse the link that points the wrong way"))


def _has_cycle(edges: dict[str, list[str]]) -> bool:
    """Does the graph (node → the nodes it points at; a target need not be a key) have a cycle? Kahn's algorithm:
    what is left after taking away every node with nothing pointing at it lies on or above a cycle."""
    indegree: dict[str, int] = dict.fromkeys(edges, 0)
    for targets in edges.values():
        for t in set(targets):
            indegree[t] = indegree.get(t, 0) + 1
    free = [n for n, d in indegree.items() if d == 0]
    left = len(indegree)
    while free:
        node = free.pop()
        left -= 1
        for t in set(edges.get(node, ())):
            indegree[t] -= 1
            if indegree[t] == 0:
                free.append(t)
    return left > 0


@rule("LS320")
def stray_link(corpus: Corpus) -> Iterator[Diagnostic]:
    """Task links agree with the policy's own 落实, point at work, and waivers give reasons."""
    named = _TaskOf(corpus)
    for child in corpus.policies:
        done = {k: t for t in child.tasks for k in t.implements}
        for t in child.tasks:
            for key in t.implements:
                if key.policy not in child.implements:
                    yield finding("LS320", t.span, (f"{t.key} 落实 {key}，但 {child.id} 未在政策一级「落实 {key.policy}」",
                                                    f"{t.key} implements {key} but {child.id} does not declare '落实 {key.policy}'"),
                                  (f"请在政策一级加「落实 {key.policy}」", f"add '落实 {key.policy}' at policy level"))
                target = named(key)
                if target is not None and target.kind is ItemKind.CLAUSE:
                    yield finding("LS320", t.span, (f"{t.key} 落实的 {key} 是条款，不分派工作", f"{t.key} implements {key}, a clause that assigns no work"),
                                  ("请改为落实相应的任务", "link the task that carries the work instead"), related(target.span, "条款", "the clause"))
        for w in [*child.waivers, *(w for t in child.tasks for w in t.waivers)]:
            what = w.target or w.document
            parent_id = w.target.policy if w.target else w.document
            if not w.reason.strip():
                yield finding("LS320", w.span, (f"不予落实 {what} 没有写明理由", f"the waiver of {what} gives no reason"),
                              ("请在引号中写明不予落实的理由", "write the reason in the quotes"))
            if parent_id not in child.implements:
                yield finding("LS320", w.span, (f"不予落实的 {what} 不属于 {child.id} 所落实的文件", f"{what} is waived but {child.id} does not implement {parent_id}"),
                              (f"请删去该条，或在政策一级加「落实 {parent_id}」", f"remove the waiver, or add '落实 {parent_id}'"))
            if w.target in done:
                yield finding("LS320", w.span, (f"{w.target} 既被 {done[w.target].key} 落实，又被写为不予落实", f"{w.target} is both implemented by {done[w.target].key} and waived"),
                              ("请删去其中一个", "remove one of the two"), related(done[w.target].span, "落实它的任务", "the implementing task"))


class _TaskOf:
    """`corpus.policy(key.policy).task(key.task)` (each a first match), with each named policy's tasks put in a
    dictionary the first time it is named: `Policy.task` scans its policy's tasks, once per link."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.tasks: dict[str, dict[str, Task]] = {}

    def __call__(self, key: TaskKey) -> Task | None:
        tasks = self.tasks.get(key.policy)
        if tasks is None:
            tasks = self.tasks[key.policy] = {}
            for t in named.tasks if (named := self.corpus.policy(key.policy)) else ():
                tasks.setdefault(t.id, t)
        return tasks.get(key.task)
