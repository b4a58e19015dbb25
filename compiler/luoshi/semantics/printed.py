"""A task's number as the document prints it, and a written task reference read back into numbers.

The DSL numbers tasks by their position (`2.2.2`); the document prints 二、（二）二是. Offices name a task the way
the document prints it (二（二）, （二）, 二（二）2, 第3项, a responsibility table's 序号), so a completion row, a
checklist and a fill-in template all need the printed form, and comply needs to read any of these back.

The printed style follows the levels of Chinese official documents (GB/T 9704: 一、（一）1.（1）); the third level
is 一是、二是 where the measure's own text enumerates that way (云阳 22号), 1. where it prints 1. or 1、, and not
printed otherwise (a sub-task the encoder split out of unnumbered text). A task numbered on its own inside a
section it does not extend (璧山's annex rows 1–35 under 一、二、…) is a table row: its 序号 is printed as is.
"""

from __future__ import annotations

import re

from .numerals import cn_to_int
from .numerals import int_to_cn as cn_number

_ENUMERATED = re.compile(r"一是")
_NUMBERED = re.compile(r"(^|[。；;\s])1[.．、]")




_PRINTED_ID = re.compile(r"([一二三四五六七八九十]+)[（(]([一二三四五六七八九十]+)[）)](?:([一二三四五六七八九十]+)是|(\d+))?")


def task_id_of_printed(written: str) -> str | None:
    """二（五） → 2.5, 二（二）二是 and 二（二）2 → 2.2.2: a reference written as the document prints the task (the
    inverse of `printed_label` for its first three levels); None when `written` is not such a number."""
    m = _PRINTED_ID.fullmatch(written)
    if m is None:
        return None
    parts = [cn_to_int(m.group(1)), cn_to_int(m.group(2))]
    if m.group(3) is not None:
        parts.append(cn_to_int(m.group(3)))
    elif m.group(4) is not None:
        parts.append(int(m.group(4)))
    if any(p is None for p in parts):
        return None
    return ".".join(str(p) for p in parts)


def numbers(task_id: str) -> tuple[int, ...] | None:
    """The numeric chain of a DSL id: `2.2.2` → (2, 2, 2); `正文.1` → (1,) (a named part is not numbered);
    None when a component after the named parts is not a number (`结语`)."""
    parts = task_id.split(".")
    while parts and not parts[0].isdigit():
        parts.pop(0)
    if not parts or not all(p.isdigit() for p in parts):
        return None
    return tuple(int(p) for p in parts)


def is_row_number(task_id: str, section: str | None) -> bool:
    """A single number inside a section whose id it does not extend: a table's 序号 (璧山 附件 1–35)."""
    return "." not in task_id and task_id.isdigit() and section is not None and not section.isdigit()


def printed_label(task_id: str, section: str | None, parent_text: str | None) -> str | None:
    """二（二）二是 for 云阳 `2.2.2`, 二（三） for 国发 `2.3`, 1 for 璧山's row `1`; None when the document prints no
    number for the task."""
    if is_row_number(task_id, section):
        return task_id
    chain = numbers(task_id)
    if chain is None or len(chain) > 4:
        return None
    out = []
    for level, n in enumerate(chain):
        if level == 0:
            out.append(cn_number(n))
        elif level == 1:
            out.append(f"（{cn_number(n)}）")
        elif level == 2:
            if parent_text and _ENUMERATED.search(parent_text):
                out.append(f"{cn_number(n)}是")
            elif parent_text and _NUMBERED.search(parent_text):
                out.append(str(n))
            else:
                return None
        else:
            out.append(f"（{n}）")
    return "".join(out)
