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
unit responsible; the figures are kept in a note as printed, row by row.

Each figure column is read for its meaning (column_meanings): 「2021年任务(万m2)」 is the amount to add that year
(新增…, 截至 2021年底), 「2025年底总量」 the stock by then, 「2025年人均X」 the per-capita X by then; the metric is the row's
type, the table's subject (the title without its period, scope and 「建设推进计划表」) and the column's measure, as
docs/encoding.md writes them (等级应急避难场所新增避难面积). Columns of what exists (十三五已建成) and of the basis a
plan is computed from (规划人口) are no targets; a 0 in a plan column is no task for that year. A type row shorter
than the header is a row whose unit-wide cells (the basis columns: 规划人口, one figure per 街镇) are merged with the
row above; any other shortfall leaves the row's figures as printed, for the reviewer.
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


@dataclass(frozen=True)
class ColumnMeaning:
    """What a figure column counts: the metric's measure (新增避难面积), its unit (万m2), the year it is due by."""

    measure: str
    unit: str
    year: str


@dataclass(frozen=True)
class KeyedTarget:
    metric: str  # 等级应急避难场所新增避难面积
    value: str  # as printed: 3.35
    unit: str  # 万m2
    year: str  # 2021: due by the end of it


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


_PLAN = re.compile(r"^(\d{4})年(?:度)?(?:任务|目标|计划)")  # 2021年任务: what to add that year
_STOCK = re.compile(r"^(\d{4})年(?:底|末)?(?:总量|累计|总规模|规模|合计)")  # 2025年底总量: the stock by then
_PER_HEAD = re.compile(r"^(\d{4})年(?:底|末)?(人均[^（(]+)")  # 2025年人均避难面积: per capita, by then
BASIS = ("人口", "户数")  # what a plan is computed from, one figure per unit (merged over its type rows)
_GLOSS = re.compile(r"[（(]([^（）()]+)[）)]$")
_AREA_UNITS = ("m2", "㎡", "平方米", "公顷", "亩")
_TITLE_PERIOD = re.compile(r"^(?:[“\"][^”\"]*[”\"])?(?:\d{4}(?:年)?[—\-–至到~～]\d{4}年)?(?:期间|时期|年度)?")
_TITLE_SCOPE = re.compile(r"^(?:全区|全市|全县|全镇|各区|各街镇|本区|本市)")
_TITLE_TAIL = re.compile(r"(?:建设)?(?:推进|实施)?(?:计划|任务|目标|进度|安排|分解)*(?:一览)?表$")


def column_meanings(table: KeyedTable) -> list[ColumnMeaning | None]:
    """Each figure column's meaning, None for a column that is no target (what exists, the basis of the plan, a
    header not understood). The measure's noun comes from a 人均X column (X: 避难面积), else from the unit (面积)."""
    noun = next((m.group(2)[2:] for c in table.columns for m in [_PER_HEAD.match(c)] if m), "")
    meanings: list[ColumnMeaning | None] = []
    for column in table.columns:
        gloss = _GLOSS.search(column)
        unit = gloss.group(1) if gloss else ""
        thing = noun or ("面积" if unit.endswith(_AREA_UNITS) else "")
        if any(b in column for b in BASIS) or not thing:
            meanings.append(None)
        elif m := _PLAN.match(column):
            meanings.append(ColumnMeaning("新增" + thing, unit, m.group(1)))
        elif m := _STOCK.match(column):
            meanings.append(ColumnMeaning(thing, unit, m.group(1)))
        elif m := _PER_HEAD.match(column):
            meanings.append(ColumnMeaning(m.group(2), unit, m.group(1)))
        else:  # 十三五已建成: what exists, not what is due
            meanings.append(None)
    return meanings


def subject(title: str) -> str:
    """The table's subject, from its title: 「“十四五”期间全区应急避难场所建设推进计划表」 → 应急避难场所."""
    rest = _TITLE_SCOPE.sub("", _TITLE_PERIOD.sub("", _bare(title)))
    return _TITLE_TAIL.sub("", rest)


def aligned(table: KeyedTable, row: KeyedRow) -> list[int] | None:
    """The column each of the row's figures is in: left to right when the row is full; a row short by exactly the
    basis columns (规划人口, merged over the unit's type rows) skips those; None for any other shortfall."""
    width = len(table.columns)
    if len(row.figures) == width:
        return list(range(width))
    unit_wide = [i for i, c in enumerate(table.columns) if any(b in c for b in BASIS)]
    if len(row.figures) + len(unit_wide) == width:
        return [i for i in range(width) if i not in unit_wide]
    return None


def row_targets(table: KeyedTable, row: KeyedRow) -> list[KeyedTarget] | None:
    """The row's figures as dated targets, in column order; a 0 plan figure is none; None when the row's figures
    cannot be placed in columns (see aligned)."""
    columns = aligned(table, row)
    if columns is None:
        return None
    meanings = column_meanings(table)
    stem = row.kind + subject(table.title)
    out: list[KeyedTarget] = []
    for figure, i in zip(row.figures, columns):
        meaning = meanings[i]
        if meaning is None or float(figure.rstrip("%")) == 0:
            continue
        out.append(KeyedTarget(stem + meaning.measure, figure, meaning.unit, meaning.year))
    return out


def _bare(text: str) -> str:
    return re.sub(r"\s+", "", text)
