"""Tables flattened one cell a line, or aligned by spaces, as web and PDF extraction leave them, read back into
rows.

    任务类型 / 序号 / 工作任务 / 推进单位          ← the header: short lines, two or more known column names
    行动一：再造发展新极行动（…）                 ← a row spanning the table: a section label
    1 / “一江一河”地区：… / 区规划资源局、…        ← a row: its number, its text, its units
    旧住房更新改造 / 5 / 推进小梁薄板… / (none)   ← a merged 任务类型 cell, a merged 推进单位 cell

A merged cell is printed once, so rows lose cells: a row without a unit cell takes the one above (marked as
carried, so the draft says it was inferred), and a short line that is neither text nor units is the label of
the rows that follow. Which column a cell belongs to is read from its content (a unit list, a date, prose), not
from its position, since merged cells shift the positions. Only tables with a 序号 column are read (the numbers
are what separates the rows); any other flattened table is left as text, for the structure stage to report.
"""

from __future__ import annotations

import re

from .readers import Line

# Column names, as data: the header vocabulary of responsibility tables.
UNIT_COLUMNS = ("牵头单位", "牵头部门", "责任单位", "责任部门", "负责单位", "承办单位", "推进单位", "推进部门", "实施单位",
                "配合单位", "配合部门", "支撑单位", "协同单位", "协办单位", "参与单位", "主体单位", "行使主体")
TIME_COLUMNS = ("完成时限", "时间节点", "完成时间", "时间安排", "进度安排", "时限")
TEXT_COLUMNS = ("工作任务", "重点任务", "主要任务", "任务内容", "主要内容", "具体内容", "工作事项", "工作内容", "具体措施",
                "任务", "事项", "内容", "措施", "权力责任名称", "权力责任事项", "责任事项", "事项名称", "职责事项", "职责内容")
GROUP_COLUMNS = ("任务类型", "类别", "分类", "类型", "领域")
NUMBER_COLUMNS = ("序号", "编号")
# Columns of a 权力和责任清单 (03's 附件1) that neither name units nor state the work: kept as cells, never read
# as a task's text or its units.
OTHER_COLUMNS = ("权力责任类别", "权力类别", "责任类别", "事项类别", "设定依据", "实施依据", "法律依据", "政策依据", "依据",
                 "行使层级", "实施层级", "层级")
KNOWN = UNIT_COLUMNS + TIME_COLUMNS + TEXT_COLUMNS + GROUP_COLUMNS + NUMBER_COLUMNS + OTHER_COLUMNS + ("备注",)

_NUMBER = re.compile(r"^\d{1,3}$")
_SECTION_LABEL = re.compile(r"^(行动|任务|专项|第)?[一二三四五六七八九十]+[、：:]|^(行动|任务)[一二三四五六七八九十\d]+|^[（(][一二三四五六七八九十]+[）)]")
_UNIT_WORD = re.compile(r"(局|委|办|厅|部|街道|镇|乡|政府|集团|中心|专班|公司|单位|部门|机构|管委会|总办|协会|联合会|医院|学校|站|所|队|院)(、|，|$)")
_DATE = re.compile(r"\d{4}\s*年|年底|月底|季度|长期|持续|每年|每半年|每月|每周|前$")


def _kind(name: str) -> str | None:
    n = re.sub(r"\s+", "", name)
    for kind, names in (("number", NUMBER_COLUMNS), ("unit", UNIT_COLUMNS), ("time", TIME_COLUMNS),
                        ("group", GROUP_COLUMNS), ("text", TEXT_COLUMNS), ("other", OTHER_COLUMNS)):
        if n in names or (kind in ("unit", "time") and any(k in n for k in names)):
            return kind
    return "note" if n == "备注" else None


_GAP = re.compile(r"[ \t]{2,}|\u3000+|\t")


def _aligned(text: str) -> list[str]:
    """A line of a table aligned by spaces: its cells (2+ spaces, a tab or an ideographic space between)."""
    return [c for c in _GAP.split(text.strip()) if c]


def unflatten(lines: list[Line]) -> list[Line]:
    return _unflatten_cells(_unalign(lines))


def _unalign(lines: list[Line]) -> list[Line]:
    """Tables aligned by spaces (序号  工作任务  牵头单位  完成时限 over rows likewise spaced) → rows; a line
    that is one cell continues the text cell of the row above (a wrapped task)."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        header = _aligned(lines[i].text) if lines[i].cells is None else []
        kinds = [_kind(c) for c in header]
        if len(header) < 3 or None in kinds or "unit" not in kinds:
            out.append(lines[i])
            i += 1
            continue
        names = tuple(re.sub(r"\s+", "", c) for c in header)
        out.append(Line(" ".join(names), lines[i].line, names))
        text_at = next((n for n, k in enumerate(kinds) if k == "text"), len(kinds) - 1)
        i += 1
        while i < len(lines) and lines[i].cells is None:
            cells = _aligned(lines[i].text)
            if not cells:
                i += 1
                continue
            if len(cells) == 1 and out[-1].cells and out[-1].cells != names and not re.match(r"^[一二三四五六七八九十]+、|^附", cells[0]):
                row = list(out[-1].cells)
                row[text_at] += cells[0]
                out[-1] = Line(" ".join(c for c in row if c), out[-1].line, tuple(row))
                i += 1
                continue
            if len(cells) < 2:
                break
            row = (cells + [""] * len(names))[: len(names)] if len(cells) <= len(names) else \
                cells[:text_at] + [" ".join(cells[text_at: text_at + len(cells) - len(names) + 1])] + cells[text_at + len(cells) - len(names) + 1:]
            out.append(Line(" ".join(c for c in row if c), lines[i].line, tuple(row)))
            i += 1
    return out


def _unflatten_cells(lines: list[Line]) -> list[Line]:
    out: list[Line] = []
    i = 0
    while i < len(lines):
        header = _header_at(lines, i)
        if header is None:
            out.append(lines[i])
            i += 1
            continue
        cells, end = header
        names = tuple(re.sub(r"\s+", "", c.text) for c in cells)
        rows, i = _rows(lines, end, [_kind(c) for c in names], names)
        out.append(Line(" ".join(names), cells[0].line, names))
        out += rows
    return out


def _header_at(lines: list[Line], i: int) -> tuple[list[Line], int] | None:
    """A run of short lines from i (blank lines between) naming 3+ columns, one a number and one a unit column."""
    cells: list[Line] = []
    j = i
    while j < len(lines) and len(cells) < 12:
        text = re.sub(r"\s+", "", lines[j].text)
        if lines[j].cells is not None:
            break
        if text:
            if _kind(text) is None:
                break
            cells.append(lines[j])
        j += 1
    kinds = [_kind(c.text.strip()) for c in cells]
    if len(cells) >= 3 and "number" in kinds and "unit" in kinds:
        return cells, j
    return None


def _rows(lines: list[Line], i: int, kinds: list[str | None], names: tuple[str, ...]) -> tuple[list[Line], int]:
    """The rows under a header, up to a line that ends the table (an annex heading, a numbered heading)."""
    from .clean import ANNEX, DATE_LINE

    number_at = kinds.index("number")
    after = kinds[number_at + 1:]
    texts = [k for k in after if k in ("text", None)] or ["text"]
    slots = [n for n, k in enumerate(kinds) if k in ("unit", "time", "note") and n > number_at]
    group_at = next((n for n, k in enumerate(kinds) if k == "group"), None)
    columns = list(range(number_at + 1, len(kinds)))
    units_at = [n for n in columns if kinds[n] == "unit"]
    # A text column after the unit column, or columns that are neither (设定依据, 行使层级): the cells cannot be
    # told apart by their content, so a row with a cell for every column is read by position.
    positional = bool(units_at) and (any(kinds[n] == "other" for n in columns)
                                     or any(kinds[n] == "text" and n > units_at[0] for n in columns))
    out: list[Line] = []
    labels: list[str] = []
    previous: dict[int, str] = {}
    chunk: list[Line] = []
    number: Line | None = None

    def flush() -> None:
        nonlocal chunk, number
        if number is None:
            labels.extend(c.text.strip() for c in chunk)
            chunk = []
            return
        row = [""] * len(kinds)
        row[number_at] = number.text.strip()
        body = [c.text.strip() for c in chunk]
        if not positional:
            body = _rewrap(body, len(texts) + len(slots))
        if positional and len(body) >= len(columns):
            _by_position(row, body, columns, kinds)
            out.append(Line(" ".join(c for c in row if c), number.line, tuple(row)))
            chunk, number = [], None
            return
        text_cells, body = body[: len(texts)], body[len(texts):]
        for n, cell in zip([n for n, k in enumerate(kinds) if n > number_at and k in ("text", None)], text_cells):
            row[n] = cell
        filled: set[int] = set()
        for slot in slots:
            if body and (_UNIT_WORD.search(body[0]) if kinds[slot] == "unit" else
                         _DATE.search(body[0]) if kinds[slot] == "time" else len(body[0]) < 30):
                row[slot] = body.pop(0)
                filled.add(slot)
        carried = []
        for slot in slots:
            if slot not in filled and kinds[slot] == "unit" and slot in previous:
                row[slot] = previous[slot]
                carried.append(slot)
            if row[slot]:
                previous[slot] = row[slot]
        for label in labels:
            _label(label, out, kinds, number.line, group_at, previous)
        if group_at is not None:
            row[group_at] = previous.get(group_at, "")
        labels.clear()
        labels.extend(body)  # what is left over labels the rows that follow
        out.append(Line(" ".join(c for c in row if c), number.line, tuple(row),
                        carried=tuple(names[s] for s in carried)))
        chunk, number = [], None

    while i < len(lines):
        line = lines[i]
        text = line.text.strip()
        if line.cells is not None or ANNEX.match(text) or DATE_LINE.match(text):
            break
        if text and not _PAGE_FOOTER.match(text):  # 「— 2 —」: a page break inside the table
            if _NUMBER.match(text):
                flush()
                number = line
            else:
                chunk.append(line)
        i += 1
    flush()
    for label in labels:  # labels after the last row: not part of the table
        out.append(Line(label, i))
    return out, i


_PAGE_FOOTER = re.compile(r"^[-—–－]+\s*\d{1,3}\s*[-—–－]+$|^第\s*\d{1,3}\s*页$")
_ORGAN = re.compile(r"(局|委|办|厅|街道|镇|乡|政府|中心|大队|支队|公司|集团|管委会|联合会|单位|部门)")
_CELL_END = "。；;！!？?"
_MAX_WRAPPED = 16  # lines a cell: a PDF cell wrapped over more is a paragraph, not a table cell


def _line_kind(line: str) -> str:
    """What a line of a cell looks like: a unit list, a time, or prose (for rejoining cells wrapped over lines)."""
    if len(line) <= 12 and _DATE.search(line) and "。" not in line:
        return "time"
    if len(line) <= 40 and _ORGAN.search(line) and "。" not in line and not re.search(r"\d", line):
        return "unit"
    return "prose"


def _rewrap(body: list[str], cells: int) -> list[str]:
    """A PDF's text layer breaks every table cell at the cell's width (福州 鼓楼 「完成背街小巷改造提升20条，改」 /
    「善群众出行环境。」 · 「区城管局（牵头），」 / 「各街道」 · 「2024年12月」 / 「底前」): when a row has more lines than
    cells, lines of the same kind are joined back, first where a line stops at a comma or 、, then in order, until
    the row has one line a cell. A row is left as it is when it has no more lines than cells, when its last line
    is prose or a section label (lines after a row's cells label the rows that follow: 12's 「行动二：…」 /
    「旧区改造」), or when the lines cannot be joined down to one a cell."""
    if len(body) <= cells or _line_kind(body[-1]) == "prose" or any(_SECTION_LABEL.match(line) for line in body):
        return body
    if len(body) > _MAX_WRAPPED * cells:
        # Not one row's cells wrapped over lines but many rows read as one (序号 past 999 is not a row number):
        # each join rescans the row, so joining thousands of lines took minutes (Round 10, bench/import_big.py).
        return body
    lines = list(body)
    while len(lines) > cells:
        best: tuple[int, int] | None = None
        for i in range(len(lines) - 1):
            a, b = lines[i], lines[i + 1]
            continuing_date = _line_kind(a) == "time" and len(b) <= 4  # 「2024年12月」 / 「底前」
            if a[-1:] in _CELL_END or (_line_kind(a) != _line_kind(b) and not continuing_date):
                continue
            score = 2 if a[-1:] in "，、,（(" else 1
            if best is None or score > best[0]:
                best = (score, i)
        if best is None:
            break
        i = best[1]
        lines[i: i + 2] = [lines[i] + lines[i + 1]]
    return lines if len(lines) == cells else body


def _by_position(row: list[str], body: list[str], columns: list[int], kinds: list[str | None]) -> None:
    """Cells in column order; lines beyond the last column continue the last text column (a content cell of
    several paragraphs: 03's 附件1 row 4, 「区交通委应当…。」「县道的新建…」「乡道、村道的…」)."""
    extra = len(body) - len(columns)
    last_text = max((n for n in columns if kinds[n] == "text"), default=columns[-1])
    k = 0
    for n in columns:
        take = 1 + (extra if n == last_text else 0)
        row[n] = "".join(body[k: k + take])
        k += take


def _label(label: str, out: list[Line], kinds: list[str | None], line: int, group_at: int | None,
           previous: dict[int, str]) -> None:
    """A section row (行动一：…) spanning the table, or a merged group cell (旧区改造) for the rows below."""
    if _SECTION_LABEL.match(label) or group_at is None:
        out.append(Line(label, line, tuple([label] * len(kinds))))
        previous.pop(group_at, None) if group_at is not None else None
    else:
        previous[group_at] = label
