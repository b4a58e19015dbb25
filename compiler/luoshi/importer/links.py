"""落实 links from an imported child document's measures to the parent measures they carry out.

A district plan that carries out a city opinion restates its measures, often under the same or a shifted number and
with the same key phrases (02's 4.1.3「落实镇政府管养职责」 carries out 01's 4.1.3 of the same title; 05's 1.3
「加强基层综合治理」 carries out 04's 1.3 and 1.4). So each child task is compared with every task of the parent by
a TF-IDF weighted cosine over character bigrams of its title and text (hand-rolled: the documents are small and
scikit-learn would be a heavy dependency for one vectoriser), with a small bonus when the titles match or the
numbers end alike. The best parent task is linked when it is similar enough; a second one too when it is nearly as
close (a child measure often merges two parent measures). A link that is not clearly the best is marked 待定, and
the parent measures no child measure links to are returned so the import can report them (and `luoshi lint` on the
chain then reports them as LS310).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from luoshi import model

from . import extracted as draft

LINK = 0.20  # the least similarity a link needs
SURE = 0.30  # at or above, and clearly ahead of the runner-up, a link is not marked 待定
SECOND = 0.55  # a second parent measure is linked when its similarity is at least this share of the best
REVERSE = 0.20  # the least similarity for linking a parent measure no child measure chose to its closest one
_NOISE = re.compile(r"[\s，。、；：:“”‘’\"'（）()《》〈〉【】\[\]—\-…!！?？0-9０-９a-zA-Z.]+")
_STOP = {"加强", "推进", "进一步", "完善", "建立", "健全", "工作", "落实", "全面", "强化", "提升", "各级", "相关"}


@dataclass
class Link:
    child: str  # the child item id
    parent: str  # "policy:task"
    score: float
    sure: bool


def _grams(text: str) -> Counter[str]:
    out: Counter[str] = Counter()
    for run in _NOISE.split(text):
        out.update(run[i:i + 2] for i in range(len(run) - 1))
    return out


def _vectors(docs: list[Counter[str]]) -> list[dict[str, float]]:
    """TF-IDF (sublinear tf, smoothed idf) over the given documents, each normalised to unit length."""
    df: Counter[str] = Counter()
    for d in docs:
        df.update(d.keys())
    n = len(docs)
    out = []
    for d in docs:
        v = {g: (1 + math.log(c)) * (math.log((1 + n) / (1 + df[g])) + 1) for g, c in d.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        out.append({g: x / norm for g, x in v.items()})
    return out


def _cos(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(g, 0.0) for g, x in a.items())


def _title_match(a: str | None, b: str | None) -> float:
    if not a or not b:
        return 0.0
    ga, gb = set(_grams(a)) - _STOP, set(_grams(b)) - _STOP
    if not ga or not gb:
        return 0.0
    return len(ga & gb) / min(len(ga), len(gb))


def _tail(number: str) -> str:
    return number.rsplit(".", 1)[-1]


def propose(items: list[draft.Item], parent: model.Policy) -> list[Link]:
    """Links from the child's measures (tasks outside any other task) to the parent's measures."""
    mine = list(_measures(items))
    theirs = [t for t in parent.tasks if t.kind is model.ItemKind.TASK and t.parent is None]
    if not mine or not theirs:
        return []
    vecs = _vectors([_grams(f"{it.title or ''}。{it.text}") for it in mine]
                    + [_grams(f"{t.title or ''}。{t.text or ''}") for t in theirs])
    cv, pv = vecs[:len(mine)], vecs[len(mine):]
    out: list[Link] = []
    for it, v in zip(mine, cv):
        scored = []
        for t, w in zip(theirs, pv):
            s = _cos(v, w) + 0.15 * _title_match(it.title, t.title)
            if _tail(it.id) == _tail(t.id) and it.title and t.title:
                s += 0.03
            scored.append((s, t.id))
        scored.sort(key=lambda x: (-x[0], x[1]))
        best, best_id = scored[0]
        if best < LINK:
            continue
        runner = scored[1][0] if len(scored) > 1 else 0.0
        second = runner >= SECOND * best and runner >= LINK
        sure = best >= SURE and not second and runner < 0.6 * best
        out.append(Link(it.id, f"{parent.id}:{best_id}", best, sure))
        if second:
            out.append(Link(it.id, f"{parent.id}:{scored[1][1]}", runner, False))
    # a parent measure no child measure chose is given to the child measure closest to it, when close enough:
    # a district often folds a city measure into one of its own (05's 3.10 carries out 04's 3.3 and 3.4)
    hit = {link.parent for link in out}
    for t, w in zip(theirs, pv):
        if f"{parent.id}:{t.id}" in hit:
            continue
        s, child = max(((_cos(v, w) + 0.15 * _title_match(it.title, t.title), it.id) for it, v in zip(mine, cv)),
                       key=lambda x: (x[0], x[1]))
        if s >= REVERSE:
            out.append(Link(child, f"{parent.id}:{t.id}", s, False))
    return out


def _measures(items: list[draft.Item]) -> Iterator[draft.Item]:
    """Tasks not inside another task: the measures a document sets (its sub-tasks carry out the same link)."""
    siblings_are_tasks = any(it.kind == "task" for it in items)
    for it in items:
        if it.kind == "task":
            yield it
        elif it.id.startswith("附件") or (it.kind == "section" and siblings_are_tasks):
            continue  # an annex is a document of its own; a part among tasks is a measure read as a 部分
        elif it.kind in ("section", "group"):
            yield from _measures(it.children)


def apply(policy: draft.Policy, parents: list[model.Policy]) -> tuple[list[tuple[draft.Item, str]], list[tuple[str, str]]]:
    """Write the proposed links into the draft's items (待定 on the unsure ones); returns the unsure links
    (item, its 待定) and the parent measures (policy id, task id) that no child measure links to."""
    by_id = {it.id: it for it in policy.items()}
    unsure: list[tuple[draft.Item, str]] = []
    unlinked: list[tuple[str, str]] = []
    for parent in parents:
        links = propose(policy.body, parent)
        for link in links:
            item = by_id[link.child]
            if link.parent not in item.implements:
                item.implements.append(link.parent)
            if not link.sure:
                todo = f"落实 {link.parent} 系按文字相近程度推定（相似度 {link.score:.2f}），请核对是否确为所落实的上级措施"
                item.todos.append(todo)
                unsure.append((item, todo))
        hit = {link.parent.split(":", 1)[1] for link in links}
        unlinked += [(parent.id, t.id) for t in parent.tasks
                     if t.kind is model.ItemKind.TASK and t.parent is None and t.id not in hit]
    return unsure, unlinked
