"""落实 links from an imported child document's measures to the parent measures they carry out.

A district plan that carries out a city opinion restates its measures, often under the same or a shifted number and
with the same key phrases (02's 4.1.3「落实镇政府管养职责」 carries out 01's 4.1.3 of the same title; 05's 1.3
「加强基层综合治理」 carries out 04's 1.3 and 1.4). So each child task is compared with every task of the parent by
a TF-IDF weighted cosine over the character bigrams and the words (jieba) of its title and text (hand-rolled:
the documents are small and scikit-learn would be a heavy dependency for one vectoriser), with a small bonus when
the titles match or the numbers end alike. The best parent measure is linked when it is similar enough. A child measure often merges
several parent measures, so it links others too when

- it restates one of their clauses (05's 4.12 copies 04's 4.4「加强消防缺水区域排查治理…」): clauses are matched
  across both documents, each parent clause going to the child clause closest to it, so wording two child
  measures share with the parent counts once;
- or one is nearly as close as the best and no other child measure has it as its clear match (02's 5.3 is near
  01's 5.2 only by a phrase 02's own 5.2 restates in full).

Those extra links stay in the parent part that the child's part carries out (the part holding most of its
measures' best matches), and so does a parent measure no child measure chose, given to the closest child
measure when close enough. A link that is not clearly the best is marked 待定, and the parent measures no child
measure links to are returned so the import can report them (and `luoshi lint` on the chain then reports them as
LS310).
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
MIN_CLAUSE = 8  # characters a clause needs to count as restated wording (shorter ones are stock phrases)
SAME_CLAUSE = 0.6  # Dice of bigrams at which a child clause restates a parent clause
REUSED = 16  # characters of restated parent clauses that link a measure beyond its best match
_NOISE = re.compile(r"[\s，。、；：:“”‘’\"'（）()《》〈〉【】\[\]—\-…!！?？0-9０-９a-zA-Z.]+")
_LEVEL = re.compile(r"[省市区县镇乡](?=级|政府|委|局|财政|交通|主管)")  # the level in 市级, 区政府, 县财政局 …
_STOP = {"加强", "推进", "进一步", "完善", "建立", "健全", "工作", "落实", "全面", "强化", "提升", "各级", "相关"}


@dataclass
class Link:
    child: str  # the child item id
    parent: str  # "policy:task"
    score: float
    sure: bool


def _grams(text: str) -> Counter[str]:
    """The features a measure is compared by: its character bigrams, and its words (jieba, two characters or
    more, stock verbs left out) so that a paraphrase sharing words in other company still meets (大足民发〔2019〕
    26号's 2.5, 2.6 and 3.3 reach 161号's 3.2 and 3.4 so, where bigrams alone stay under the floor). The level in
    a unit or government's name is left out (_LEVEL): a district restates the city's 市级统筹 as 区级统筹 and its
    市交通委 as 区交通委."""
    out: Counter[str] = Counter()
    for run in _NOISE.split(_LEVEL.sub("Ｌ", text)):
        out.update(run[i:i + 2] for i in range(len(run) - 1))
        out.update("词:" + w for w in _words(run) if len(w) >= 2 and w not in _STOP)
    return out


def _words(run: str) -> list[str]:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return list(jieba.cut(run))


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


@dataclass
class _Side:
    """One side's measures, as the matching reads them: id, title, text, innermost section, clauses."""

    ids: list[str]
    titles: list[str | None]
    texts: list[str]
    sections: list[str | None]

    def clauses(self) -> list[list[str]]:
        return [_clauses(t) for t in self.texts]


def propose(items: list[draft.Item], parent: model.Policy) -> list[Link]:
    """Links from the child's measures (tasks outside any other task) to the parent's measures."""
    found = list(_measures(items))
    theirs = [t for t in parent.tasks if t.kind is model.ItemKind.TASK and t.parent is None]
    if not found or not theirs:
        return []
    mine = _Side([it.id for it, _ in found], [it.title for it, _ in found], [it.text for it, _ in found],
                 [sec for _, sec in found])
    up = _Side([t.id for t in theirs], [t.title for t in theirs], [t.text or "" for t in theirs],
               [t.section for t in theirs])
    vecs = _vectors([_grams(f"{t or ''}。{x}") for t, x in zip(mine.titles, mine.texts)]
                    + [_grams(f"{t or ''}。{x}") for t, x in zip(up.titles, up.texts)])
    cv, pv = vecs[:len(mine.ids)], vecs[len(mine.ids):]
    sim = [[_cos(v, w) + 0.15 * _title_match(mine.titles[i], up.titles[j])
            + (0.03 if _tail(mine.ids[i]) == _tail(up.ids[j]) and mine.titles[i] and up.titles[j] else 0.0)
            for j, w in enumerate(pv)] for i, v in enumerate(cv)]
    reused = _reused_clauses(mine.clauses(), up.clauses())
    best = {i: max(range(len(up.ids)), key=lambda j: (row[j], up.ids[j])) for i, row in enumerate(sim)}
    best = {i: j for i, j in best.items() if sim[i][j] >= LINK}
    aligned = _aligned_sections(best, sim, mine.sections, up.sections)
    claimed = {j for i, j in best.items() if _clearly_ahead(sim[i], j)}
    out: list[Link] = []
    for i, j in sorted(best.items()):
        row = sim[i]
        extras = [k for k in range(len(up.ids)) if k != j and _extra(i, k, row[j], row[k], reused, claimed)
                  and _in_section(aligned, mine.sections[i], up.sections[k], up.sections[j])]
        sure = _clearly_ahead(row, j)  # an extra link found by restated clauses leaves the best as sure as it was
        out.append(Link(mine.ids[i], f"{parent.id}:{up.ids[j]}", row[j], sure))
        out += [Link(mine.ids[i], f"{parent.id}:{up.ids[k]}", row[k], False)
                for k in sorted(extras, key=lambda k: -row[k])]
    # a parent measure no child measure chose is given to the child measure closest to it, when close enough
    # and in the part that carries out the parent's part: a district often folds a city measure into one of
    # its own (05's 3.10 carries out 04's 3.3 and 3.4)
    hit = {link.parent for link in out}
    for j, pid in enumerate(up.ids):
        if f"{parent.id}:{pid}" in hit:
            continue
        near = [(sim[i][j], i) for i in range(len(mine.ids))
                if _in_section(aligned, mine.sections[i], up.sections[j], up.sections[best[i]] if i in best else None)]
        if not near:
            continue
        s, i = max(near, key=lambda x: (x[0], mine.ids[x[1]]))
        if s >= REVERSE:
            out.append(Link(mine.ids[i], f"{parent.id}:{pid}", s, False))
    return out


def _clearly_ahead(row: list[float], j: int) -> bool:
    """The measure j is well ahead of every other one in this row of similarities."""
    runner = max((s for k, s in enumerate(row) if k != j), default=0.0)
    return row[j] >= SURE and runner < 0.6 * row[j]


def _extra(i: int, k: int, best: float, s: float, reused: dict[tuple[int, int], int], claimed: set[int]) -> bool:
    """Does child measure i carry out parent measure k besides its best match? When it restates one of k's
    clauses (05's 4.12 copies 04's 4.4「加强消防缺水区域排查治理，完善市政消火栓新增…」), or when k is nearly as
    close as the best and no other child measure has k as its clear match (02's 5.3 is near 01's 5.2 only
    because both say 「及时发现并协调解决问题」, which 02's own 5.2 restates)."""
    if reused.get((i, k), 0) >= REUSED:
        return True
    return s >= SECOND * best and s >= LINK and k not in claimed


def _in_section(aligned: dict[str, str], child_section: str | None, parent_section: str | None,
                best_section: str | None) -> bool:
    """A measure that merges several parent measures merges neighbours: its extra links stay in the parent part
    its own part carries out (when the parts line up) or in the part of its best match (大足民发〔2019〕26号's
    part 二、 carries out 161号's 二、 mostly, but its 2.6 引导社会组织帮扶济困 carries out 三、's 3.2 and 3.4)."""
    if child_section is None or child_section not in aligned:
        return True
    return parent_section in (aligned[child_section], best_section)


def _aligned_sections(best: dict[int, int], sim: list[list[float]], mine: list[str | None],
                      theirs: list[str | None]) -> dict[str, str]:
    """Child part → the parent part its measures carry out: the part holding most of its measures' best matches
    (weighted by similarity), when that is more than half of them."""
    votes: dict[str, dict[str, float]] = {}
    for i, j in best.items():
        child, up = mine[i], theirs[j]
        if child is not None and up is not None:
            votes.setdefault(child, {})
            votes[child][up] = votes[child].get(up, 0.0) + sim[i][j]
    out = {}
    for sec, weights in votes.items():
        top = max(sorted(weights), key=lambda k: weights[k])
        if weights[top] > sum(weights.values()) / 2:
            out[sec] = top
    return out


_CLAUSE = re.compile(r"[，。；：;:！？!?\n]")
_QUIET = re.compile(r"[\s、“”‘’\"'（）()《》〈〉【】]")


def _clauses(text: str) -> list[str]:
    return [c for c in (_QUIET.sub("", x) for x in _CLAUSE.split(text)) if len(c) >= MIN_CLAUSE]


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def _reused_clauses(mine: list[list[str]], theirs: list[list[str]]) -> dict[tuple[int, int], int]:
    """(child measure, parent measure) → characters of the parent's clauses the child restates: a child clause
    and a parent clause that are each other's closest (Dice of bigrams ≥ SAME_CLAUSE) over both documents. Each
    parent clause goes to the one place that restates it best, so a phrase two child measures share with the
    parent counts once."""
    a = [(i, _bigrams(c)) for i, cs in enumerate(mine) for c in cs]
    b = [(j, c, _bigrams(c)) for j, cs in enumerate(theirs) for c in cs]
    if not a or not b:
        return {}
    dice = [[2 * len(ga & gb) / (len(ga) + len(gb)) for _, _, gb in b] for _, ga in a]
    best_b = [max(range(len(b)), key=lambda y: row[y]) for row in dice]
    best_a = [max(range(len(a)), key=lambda x: dice[x][y]) for y in range(len(b))]
    out: Counter[tuple[int, int]] = Counter()
    for x, y in enumerate(best_b):
        if best_a[y] == x and dice[x][y] >= SAME_CLAUSE:
            out[(a[x][0], b[y][0])] += len(b[y][1])
    return dict(out)


def _measures(items: list[draft.Item], section: str | None = None) -> Iterator[tuple[draft.Item, str | None]]:
    """Tasks not inside another task, with their innermost part: the measures a document sets (its sub-tasks
    carry out the same link). A part among more tasks than parts is a measure with sub-items read as a 部分
    (03's 五、（一）2.), left out; parts that outnumber the tasks beside them are parts (大足民发〔2019〕26号: 一、 is
    one exhortation, 二、 and 三、 hold the measures)."""
    sections_are_measures = _parts_are_measures(items)
    for it in items:
        if it.kind == "task":
            yield it, section
        elif it.id.startswith("附件") or (it.kind == "section" and sections_are_measures):
            continue  # an annex is a document of its own
        elif it.kind == "section":
            yield from _measures(it.children, it.id)
        elif it.kind == "group":
            yield from _measures(it.children, section)


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
        for part, found in suggest_for_parts(policy.body, parent):
            shown = "、".join(f"{ref}（相似度 {score:.2f}）" for ref, score in found)
            refs = "、".join(ref for ref, _ in found)
            todo = (f"本部分夹在任务之间，像一项措施：按文字它落实 {shown}，但「部分」不能写落实。"
                    f"若确是措施，请改为「任务」并写「落实 {refs}」；否则删去此条")
            part.todos.append(todo)
            unsure.append((part, todo))
        hit = {link.parent.split(":", 1)[1] for link in links}
        unlinked += [(parent.id, t.id) for t in parent.tasks
                     if t.kind is model.ItemKind.TASK and t.parent is None and t.id not in hit]
    return unsure, unlinked


def suggest_for_parts(items: list[draft.Item], parent: model.Policy) -> list[tuple[draft.Item, list[tuple[str, float]]]]:
    """Parts read among more tasks than parts (03's 五、（一）2.「落实属地主体责任」 with its sub-items) are measures
    the structure could not make tasks; a 部分 carries no 落实, so the links they would take (their own text and
    their items' against the parent's measures: the best, and a second nearly as close) are only suggested."""
    parts = list(_parts_among_tasks(items))
    theirs = [t for t in parent.tasks if t.kind is model.ItemKind.TASK and t.parent is None]
    if not parts or not theirs:
        return []
    texts = ["。".join(x.text for x in part.walk() if x.text) for part in parts]
    vecs = _vectors([_grams(f"{part.title or ''}。{text}") for part, text in zip(parts, texts)]
                    + [_grams(f"{t.title or ''}。{t.text or ''}") for t in theirs])
    out = []
    for part, v in zip(parts, vecs[:len(parts)]):
        scored = sorted(((_cos(v, w) + 0.15 * _title_match(part.title, t.title), t.id)
                         for t, w in zip(theirs, vecs[len(parts):])), key=lambda x: (-x[0], x[1]))
        best = scored[0][0]
        found = [(f"{parent.id}:{tid}", s) for s, tid in scored[:2] if s >= LINK and s >= SECOND * best]
        if found:
            out.append((part, found))
    return out


def _parts_among_tasks(items: list[draft.Item]) -> Iterator[draft.Item]:
    """The parts _measures leaves out as measures read as 部分 (annexes aside)."""
    sections_are_measures = _parts_are_measures(items)
    for it in items:
        if it.id.startswith("附件") or it.kind not in ("section", "group"):
            continue
        if it.kind == "section" and sections_are_measures:
            yield it
        else:
            yield from _parts_among_tasks(it.children)


def _parts_are_measures(siblings: list[draft.Item]) -> bool:
    """Parts among more tasks than parts are measures whose sub-items made them parts."""
    return sum(1 for it in siblings if it.kind == "task") > sum(1 for it in siblings if it.kind == "section")
