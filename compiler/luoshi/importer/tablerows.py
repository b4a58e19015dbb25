"""An annex 任务分工表 whose rows repeat the body's measures, put back on those measures.

16's 附件2 lists, under 序号 1–24, the items of the body's 二、 and 三、 by their headings (「有序扩大家庭医生来源。」)
with the units of each; the body items themselves name no unit. Read apart, the draft had every measure twice —
once in the body without units, once in the annex with them — and a reviewer had to pair them by hand. Here a
table entry whose task name is the heading of exactly one body item without units is moved onto it:

- one row: its units (and any 待定 of its own) go onto the body item, which keeps its text, deadlines and targets;
- several rows (a rowspan 任务 cell over rows with different units): each row becomes a sub-task of the body item,
  the targets and deadlines then live on the rows that state them (docs/encoding.md, as in truth/16.policy).

A name that matches no heading, or several, stays in the annex as it was: nothing is guessed.
"""

from __future__ import annotations

import re

from . import extracted as draft


def _heading(title: str | None) -> str:
    """A heading as the table and the body both write it, without its closing stop and spaces."""
    return re.sub(r"[\s。．.；;：:]+$", "", re.sub(r"\s+", "", title or ""))


def rows_into_body(p: draft.Policy, beside: str, displaced: list[str] | None = None) -> int:
    """Move annex table entries onto the body items they repeat (see the module doc); `beside` is the 待定 a body
    item without units carries in a document with a table. Returns how many body items received rows; the names
    of prose-proposed units the rows replaced are added to `displaced` (their proposals may now be unused)."""
    annexes = [s for s in p.body if s.kind == "section" and s.id == "附件"]
    bodies = [s for s in p.body if s.kind == "section" and s.id != "附件" and not s.id.startswith("附件")]
    waiting: dict[str, list[draft.Item]] = {}
    for section in bodies:
        for item in section.walk():
            if item.kind == "task" and (beside in item.todos or _proposed_from_prose(item)) and not item.children:
                waiting.setdefault(_heading(item.title), []).append(item)
    moved = 0
    for annex in annexes:
        for entry in list(annex.children):
            rows = entry.children if entry.kind == "group" else [entry] if entry.kind == "task" else []
            found = waiting.get(_heading(entry.title), [])
            if not rows or len(found) != 1 or any(r.kind != "task" or r.children for r in rows):
                continue
            if displaced is not None and _proposed_from_prose(found[0]):
                displaced += [m.written for m in found[0].lead + found[0].responsible + found[0].cooperate]
            _attach(found[0], rows, beside)
            waiting.pop(_heading(entry.title))
            annex.children.remove(entry)
            moved += 1
    p.body[:] = [s for s in p.body if not (s in annexes and not s.children)]
    return moved


NAMED_IN_PROSE = "单位取自正文所写的主体（单位名录中没有，已提议登记）"


def _proposed_from_prose(item: draft.Item) -> bool:
    """An item whose only units are actors its prose names that the registry lacks (「各相关部门要…」): the table
    row that repeats it says who does the work, as for an item naming no one."""
    assigned = item.lead + item.responsible + item.cooperate
    return bool(assigned) and all(m.unit is None for m in assigned) and any(NAMED_IN_PROSE in n for n in item.notes)


def _attach(item: draft.Item, rows: list[draft.Item], beside: str) -> None:
    if beside in item.todos:
        item.todos.remove(beside)
    if _proposed_from_prose(item):
        item.lead, item.responsible, item.cooperate = [], [], []
        item.notes = [n for n in item.notes if NAMED_IN_PROSE not in n]
    numbers = "、".join(dict.fromkeys(r.id for r in rows))
    if len(rows) == 1:
        row = rows[0]
        item.lead, item.responsible, item.cooperate = row.lead, row.responsible, row.cooperate
        item.deadlines += [d for d in row.deadlines if d not in item.deadlines]
        item.todos += [t for t in row.todos if t not in item.todos]
        item.notes.append(f"单位取自附件任务分工表序号{numbers}")
        return
    item.notes.append(f"附件任务分工表序号{numbers}：{len(rows)} 行，各行为一个子任务")
    item.targets, item.deadlines = [], []  # stated again, each on the row whose text states it
    for k, row in enumerate(rows, start=1):
        row.id, row.title = f"{item.id}.{k}", None
        item.children.append(row)
