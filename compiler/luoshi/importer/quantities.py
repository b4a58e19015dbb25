"""Annex tables of quantities, flattened one cell a line: plan tables and lists of projects or sites.

    2021年全区直接设置应急避难场所明细表                         ← the title (its one year dates every row)
    序号 / 权属部门 / 应急避难场所单位名称 / 地址 / 避难面积 / （万平方米） / …   ← the header; a wrapped unit joins its cell
    1 / 区教育局 / 奉贤区实验小学(东校) / 南桥镇秀南路161号 / 0.98 / …
    2 / 奉贤区实验小学(西校) / 南桥镇解放西路666号 / 0.76 / …           ← 权属部门 merged over rows: printed once

Rows are cut at the 序号 (1, 2, 3 … in order). A merged cell is printed once, so a row may lack cells: its
numbers fill the numeric columns from the left, its words fill the word columns from the right, and a word
column left empty takes the cell of the row above (the reviewer is told so). Each row becomes a task: the unit
column (权属部门, 责任单位 …) its responsible units, the year of its date column — or the title's one year — its
deadline, each numeric column a target dated the same (money columns are budgets and capacity columns —
最大避难人数 — facts about the site: never targets).

Tables without a 序号 column are not read here: without the numbers the rows cannot be told apart from the
cells, and the annex is reported as unread (LS615) rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .clean import Para
from .flattened import NUMBER_COLUMNS, UNIT_COLUMNS

_NUMERIC = re.compile(r"^\d+(?:\.\d+)?%?$")
_UNIT_GLOSS = re.compile(r"^[（(]([^（）()]{1,8})[）)]$")  # （万平方米） on its own line: the unit of the cell above
_HEADER_UNIT = re.compile(r"^(.+?)\s*[（(]([^（）()]{1,8})[）)]$")
_YEAR = re.compile(r"(\d{4})年")
# What a numeric column is counted in (类型（等级） is a word column: 等级 is no unit)
MEASURE_UNIT = re.compile(r"m2|m²|平方米|公顷|亩|公里|km|米|吨|个|处|所|家|户|人|名|张|床|辆|台|套|次|项|元|%|‰")
MONEY = ("元", "万元", "亿元")  # a money column is a budget, not a target
# 最大避难人数 · 可容纳人数: what a site holds, a fact about it, not a figure to reach (docs/encoding.md, 08's 附表4)
CAPACITY = re.compile(r"^(?:最大|最多)|容纳|容量")
OWNER_COLUMNS = ("权属部门", "权属单位", "主管部门", "主管单位", "管理单位", "建设单位")
DATE_COLUMNS = ("建设时间", "完成时间", "实施时间", "完成时限", "时间节点", "年度", "时间")
COUNT_COLUMNS = ("数量", "个数")  # counted without a printed unit: in 个


@dataclass
class Column:
    name: str  # the header cell without its unit: 避难面积
    unit: str  # （万平方米） → 万平方米; "" when none
    kind: str  # number | owner | date | word


@dataclass
class QuantityRow:
    number: int
    cells: list[str]  # one per column after 序号 ("" where the row has none)
    printed: list[str]  # the cells as printed, in order
    carried: list[str] = field(default_factory=list)  # names of the columns taken from the row above
    line: int = 0


@dataclass
class QuantityTable:
    title: str
    columns: list[Column]  # the columns after 序号
    rows: list[QuantityRow]
    line: int
    year: str | None  # the title's one year, when it has exactly one
    left_over: list[Para] = field(default_factory=list)  # text after the last row (a note under the table)


def _column(cell: str) -> Column:
    name = re.sub(r"\s+", "", cell)
    m = _HEADER_UNIT.match(name)
    base, unit = (m.group(1), m.group(2)) if m and MEASURE_UNIT.search(m.group(2)) else (name, "")
    if any(base == c or base.startswith(c) for c in OWNER_COLUMNS) or any(c in base for c in UNIT_COLUMNS):
        kind = "owner"
    elif base in DATE_COLUMNS:
        kind = "date"
    elif unit or base in COUNT_COLUMNS:
        kind = "number"
    else:
        kind = "word"
    return Column(base, unit or ("个" if base in COUNT_COLUMNS else ""), kind)


def read_quantity_table(paras: list[Para]) -> QuantityTable | None:
    """A flattened table with a 序号 column and at least one numeric column, or None."""
    lines = [p for p in paras if p.text.strip()]
    if len(lines) < 4 or any(p.cells is not None for p in lines):
        return None
    start = next((i for i, p in enumerate(lines[:3]) if re.sub(r"\s+", "", p.text) in NUMBER_COLUMNS), None)
    if start is None:
        return None
    title = "".join(p.text.strip() for p in lines[:start])
    header: list[str] = []
    i = start + 1
    while i < len(lines) and lines[i].text.strip() != "1":
        text = lines[i].text.strip()
        if len(text) > 20 or "。" in text:
            return None
        if _UNIT_GLOSS.match(text) and header:
            header[-1] += text
        else:
            header.append(text)
        i += 1
    columns = [_column(c) for c in header]
    if not columns or not any(c.kind == "number" for c in columns) or i >= len(lines):
        return None
    rows: list[QuantityRow] = []
    chunk: list[Para] = []
    number = 0
    left_over: list[Para] = []
    printed_header = {re.sub(r"\s+", "", p.text) for p in lines[start:i]}
    for p in lines[i:]:
        text = p.text.strip()
        if re.sub(r"\s+", "", text) in printed_header:  # the header printed again after a page break
            continue
        if text == str(number + 1) and (number == 0 or chunk):
            if number:
                rows.append(_row(number, chunk, columns, rows))
            number, chunk = number + 1, []
            continue
        if "。" in text or len(text) > 60:  # prose under the table: a note, not a cell
            left_over = lines[lines.index(p):]
            break
        chunk.append(p)
    if number and chunk:
        rows.append(_row(number, chunk, columns, rows))
    if len(rows) < 2:
        return None
    years = set(_YEAR.findall(title))
    return QuantityTable(title, columns, rows, lines[start].line, years.pop() if len(years) == 1 else None, left_over)


def _row(number: int, chunk: list[Para], columns: list[Column], above: list[QuantityRow]) -> QuantityRow:
    """Cells to columns: numbers left to right over the numeric columns, words right to left over the others;
    a word column the row does not fill takes the cell of the row above (a merged cell)."""
    printed = [p.text.strip() for p in chunk]
    numbers = [c for c in printed if _NUMERIC.match(c)]
    words = [c for c in printed if not _NUMERIC.match(c)]
    cells = [""] * len(columns)
    for n, value in zip([n for n, c in enumerate(columns) if c.kind == "number"], numbers):
        cells[n] = value
    word_at = [n for n, c in enumerate(columns) if c.kind != "number"]
    for n, value in zip(reversed(word_at), reversed(words)):
        cells[n] = value
    carried = []
    previous = above[-1].cells if above else None
    for n in word_at[: max(0, len(word_at) - len(words))]:
        if previous is not None and previous[n]:
            cells[n] = previous[n]
            carried.append(columns[n].name)
    return QuantityRow(number, cells, printed, carried, chunk[0].line if chunk else 0)
