"""Annex plan tables whose rows are keyed by a unit, not by a 序号, flattened one cell a line.

    “十四五”期间全区应急避难场所建设推进计划表                         ← the title
    街镇 / 类型 / 十三五已建成 / (万m2) / 2021年任务 / (万m2) / …      ← the header: a unit column, maybe a 类型 column
    南桥镇 / 等级 / 0.55 / 3.35 / 3.80 / …                           ← a row: its unit, its type, its figures
    社区 / 0.00 / 9.76 / …                                           ← the same unit's next type (the unit merged)
    海湾 / 旅游区 / 等级 / …                                         ← a unit name wrapped over two lines
    总计 / 等级 / …                                                  ← the total: not a unit's task

08's 附表1 assigns each 街镇 its plan in this shape; quantities.py needs a 序号 to cut rows, so the table was
reported unread. Here the rows are cut where words follow figures: the words before a run of figures are the
row's unit (and type), a single word is the next type of the unit above. Each unit becomes a task with that
unit responsible; the figures are kept in a note as printed, row by row, and the reviewer is told they are not
yet encoded as targets (which metric a column such as 「2021年任务」 counts is the table's, not the cell's, to say).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .clean import Para

# The column a plan table is keyed by: who each row is about.
KEY_COLUMNS = ("街镇", "镇街", "乡镇", "街道", "镇（街道）", "镇(街道)", "区", "区县", "各区", "地区", "单位", "责任单位", "部门")
TYPE_COLUMNS = ("类型", "类别", "分类", "种类")
TOTALS = ("总计", "合计", "小计", "全区", "全市", "全县")
_NUMERIC = re.compile(r"^-?\d+(?:\.\d+)?%?$")
_UNIT_GLOSS = re.compile(r"^[（(][^（）()]{1,8}[）)]$")  # (万m2) on its own line: the unit of the header cell above


@dataclass
class KeyedRow:
    kind: str  # the 类型 cell (等级 / 社区), "" when the table has no type column
    figures: list[str]  # as printed, left to right
    line: int


@dataclass
class KeyedGroup:
    key: str  # the unit as printed (南桥镇; 海湾旅游区 joined from two lines)
    line: int
    rows: list[KeyedRow] = field(default_factory=list)


@dataclass
class KeyedTable:
    title: str
    key_column: str  # 街镇
    columns: list[str]  # the figure columns' headers, units joined (十三五已建成(万m2))
    groups: list[KeyedGroup]
    line: int


def read_keyed_table(paras: list[Para]) -> KeyedTable | None:
    """The table, or None when the paragraphs are not one (no key column first in the header, fewer than two
    units, or a row with more figures than columns)."""
    lines = [p for p in paras if p.text.strip()]
    if any(p.cells is not None for p in lines):
        return None
    start = next((i for i, p in enumerate(lines[:3]) if _bare(p.text) in KEY_COLUMNS), None)
    if start is None:
        return None
    first_figure = next((i for i in range(start, len(lines)) if _NUMERIC.match(_bare(lines[i].text))), None)
    if first_figure is None:
        return None
    cells: list[str] = []
    for p in lines[start:first_figure]:
        text = _bare(p.text)
        if "。" in text or len(text) > 30:
            return None
        if _UNIT_GLOSS.match(text) and cells:
            cells[-1] += text
        else:
            cells.append(text)
    words = 2 if len(cells) > 1 and cells[1] in TYPE_COLUMNS else 1  # the first row's own words: unit (and type)
    header = cells[:-words]
    if len(header) <= words or header[words - 1] not in (KEY_COLUMNS + TYPE_COLUMNS):
        return None
    columns = header[words:]
    groups = _rows(lines[first_figure - words:], words, len(columns))
    if groups is None or len(groups) < 2:
        return None
    title = "".join(p.text.strip() for p in lines[:start])
    return KeyedTable(title, header[0], columns, groups, lines[start].line)


def _rows(lines: list[Para], words: int, width: int) -> list[KeyedGroup] | None:
    groups: list[KeyedGroup] = []
    pending: list[Para] = []  # the words before the next run of figures
    row: KeyedRow | None = None
    for p in lines:
        text = _bare(p.text)
        if "。" in text or len(text) > 30:
            break  # a note under the table
        if not _NUMERIC.match(text):
            if row is not None:
                row, pending = None, []
            pending.append(p)
            continue
        if row is None:
            if not pending:
                return None
            names = [_bare(w.text) for w in pending]
            kind = names[-1] if words == 2 else ""
            key = "".join(names[:-1] if words == 2 else names)
            if key and key in TOTALS:
                break  # the total row closes the table
            if key:
                groups.append(KeyedGroup(key, pending[0].line))
            elif not groups:
                return None
            row = KeyedRow(kind, [], pending[-1].line)
            groups[-1].rows.append(row)
        row.figures.append(text)
        if len(row.figures) > width:
            return None
    return groups


def _bare(text: str) -> str:
    return re.sub(r"\s+", "", text)
