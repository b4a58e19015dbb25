"""A completion row's 任务 cell → the task it means.

Offices write the number the document prints (二（二）, （二）, 二（二）2, 二（二）二是, 第3项, a responsibility
table's 序号 3), the DSL's id (2.2.2) or the task's title; all name the same task. A reference that leaves out
the upper levels (（二）, 二是) names a task only when one task of the policy has that number at that level;
otherwise the candidates are listed. A row at a measure (二（二）) applies to the one sub-task below it that holds
the row's metric, or the reporting unit's duty (`TaskIndex.narrow`).

Reading is done once per distinct (policy, cell) pair, never per row.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..semantics.numerals import cn_to_int
from .plan import TaskEntry, fold_key

_CN = "零〇一二两三四五六七八九十百"
_CN_NUMBER = f"[{_CN}]+"
# one level of a printed number each: 二、 (一) 一是 1. (1); NFKC has already made （） into ()
_LEVELS = re.compile(
    rf"(?P<l0>{_CN_NUMBER})[、,.]?(?=\(|$)"
    rf"|\((?P<l1>{_CN_NUMBER})\)"
    rf"|(?P<l2cn>{_CN_NUMBER})是"
    rf"|(?P<l2>\d+)[.、]?(?=\(|$)"
    rf"|\((?P<l3>\d+)\)")
_ROW = re.compile(rf"(?:第|序号)?(?P<n>\d+|{_CN_NUMBER})项?")




def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


@dataclass(frozen=True)
class Written:
    """A printed number read back: level → number (level 0 二、, 1 （二）, 2 二是/2, 3 （2）), or a table row."""

    levels: tuple[tuple[int, int], ...] = ()
    row: int | None = None


def read_reference(text: str) -> Written | None:
    """二（二）2 → {0: 2, 1: 2, 2: 2}; （二） → {1: 2}; 第3项 / 序号3 → row 3; None when it is no printed number."""
    folded = _fold(text)
    if not folded:
        return None
    if folded.isdigit():
        return Written(row=int(folded))
    if folded.startswith(("第", "序号")) or folded.endswith("项"):
        m = _ROW.fullmatch(folded)
        n = cn_to_int(m.group("n")) if m else None
        return Written(row=n) if n is not None else None
    levels: dict[int, int] = {}
    pos = 0
    while pos < len(folded):
        m = _LEVELS.match(folded, pos)
        if m is None or m.end() == pos:
            return None
        group = m.lastgroup
        assert group is not None, "every alternative of _LEVELS is a named group"
        level = {"l0": 0, "l1": 1, "l2cn": 2, "l2": 2, "l3": 3}[group]
        if (level == 0 and pos != 0) or (levels and level <= max(levels)):
            return None
        n = cn_to_int(m.group(group))
        if n is None:
            return None
        levels[level] = n
        pos = m.end()
    return Written(levels=tuple(sorted(levels.items()))) if levels else None


class TaskIndex:
    """The tasks of one policy, by every way a row may name them."""

    def __init__(self, tasks: list[TaskEntry]):
        self.tasks = {t.id: t for t in tasks}
        self.by_key: dict[str, str] = {}
        titles: dict[str, set[str]] = {}
        for t in tasks:
            self.by_key[fold_key(t.id)] = t.id
            if t.title:
                titles.setdefault(fold_key(t.title), set()).add(t.id)
        for t in tasks:  # a printed label never hides an id (璧山's 1 is both)
            if t.printed:
                self.by_key.setdefault(_fold(t.printed), t.id)
        for key, ids in titles.items():
            if len(ids) == 1:
                self.by_key.setdefault(key, next(iter(ids)))
        self.children: dict[str, list[str]] = {}
        for t in tasks:
            if t.parent in self.tasks:
                self.children.setdefault(t.parent, []).append(t.id)

    def label(self, task_id: str) -> str:
        t = self.tasks[task_id]
        return f"{t.printed}（{t.id}）" if t.printed and t.printed != t.id else t.id

    def find(self, written: str) -> tuple[str | None, list[str]]:
        """(task id, []) when the cell names one task; (None, candidates) when it could be several; (None, [])
        when it names none."""
        found = self.by_key.get(fold_key(written)) or self.by_key.get(_fold(written))
        if found:
            return found, []
        ref = read_reference(written)
        if ref is None:
            return None, []
        if ref.row is not None:
            matches = [t.id for t in self.tasks.values() if t.row and t.chain == (ref.row,)]
        else:
            deepest = max(level for level, _ in ref.levels)
            matches = [t.id for t in self.tasks.values() if not t.row and len(t.chain) == deepest + 1
                       and all(t.chain[level] == n for level, n in ref.levels)]
        if len(matches) == 1:
            return matches[0], []
        return None, matches

    def descendants(self, task_id: str) -> list[str]:
        out, todo = [], list(self.children.get(task_id, ()))
        while todo:
            tid = todo.pop(0)
            out.append(tid)
            todo[:0] = self.children.get(tid, ())
        return out

    def narrow(self, task_id: str, metric: str | None, unit: str | None) -> tuple[str | None, list[str]]:
        """A row at a measure with a metric (or a unit) the measure itself does not hold: the one sub-task below
        it that does; (None, candidates) when several do; the measure itself when none does (the usual errors)."""
        task = self.tasks[task_id]
        below = self.descendants(task_id)
        if not below:
            return task_id, []
        if metric is not None:
            key = fold_key(metric)
            if key in task.metrics:
                return task_id, []
            holders = [t for t in below if key in self.tasks[t].metrics]
        elif unit is not None:
            key = fold_key(unit)
            if _holds(task, key):
                return task_id, []
            holders = [t for t in below if _holds(self.tasks[t], key)]
        else:
            return task_id, []
        if len(holders) == 1:
            return holders[0], []
        return (task_id, []) if not holders else (None, holders)


def _holds(task: TaskEntry, key: str) -> bool:
    return key in task.members or any(key in a.keys for a in task.assigned)
