"""The 督查 report of a compliance run: a terminal table, Markdown, HTML, an xlsx with one sheet per unit, JSON.

Every format says the same things in the same order: what data was read and how many rows were set aside, a
summary per policy, per unit and per place (pass / fail / pending / no data), then each failure with the rows
that show it, then the bad rows. Markdown and HTML come from templates in `templates/comply/`; every cell is
escaped for its format (`md` filter, HTML autoescape, `office.set_text` in xlsx).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..backends.office import append_row, save_workbook
from ..diagnostics.lang import say
from ..syntax.source import display_width
from .outcome import (
    STATUS_ORDER,
    CheckResult,
    Outcome,
    Status,
    by_place,
    by_policy,
    by_unit,
    summarise,
    unit_names,
)

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

FORMATS = ("table", "markdown", "html", "xlsx", "json")
CASES_SHOWN = 20
_INVALID_SHEET = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))


@dataclass(frozen=True)
class SummaryRow:
    name: str
    counts: tuple[int, ...]  # in STATUS_ORDER

    @property
    def total(self) -> int:
        return sum(self.counts)


def _rows(groups: list[tuple[str, Counter[Status]]]) -> list[SummaryRow]:
    return [SummaryRow(name, tuple(c[s] for s in STATUS_ORDER)) for name, c in groups]


def view(outcome: Outcome) -> dict[str, Any]:
    """What every format shows, as plain data for the templates."""
    counts = outcome.counts()
    return {
        "as_of": outcome.as_of.isoformat(),
        "files": outcome.files,
        "rows_read": outcome.rows_read,
        "rows_set_aside": outcome.rows_set_aside,
        "rows_after_as_of": outcome.rows_after_as_of,
        "statuses": [(s.zh, s.value) for s in STATUS_ORDER],
        "total": SummaryRow("合计 total", tuple(counts[s] for s in STATUS_ORDER)),
        "sections": [("按政策", "by policy", _rows(by_policy(outcome))), ("按单位", "by unit", _rows(by_unit(outcome))),
                     ("按地区", "by place", _rows(by_place(outcome)))],
        "failures": outcome.failures,
        "result_groups": [("未通过的检查", "failing checks", outcome.failed), ("无数据的检查", "checks without data", outcome.no_data)],
        "rows_outside_scope": outcome.rows_outside_scope,
        "scope": outcome.scope,
        "problems": list(outcome.diagnostics),
        "problems_not_listed": outcome.problems_not_listed,
        "cases_shown": CASES_SHOWN,
    }


# ───────────── terminal ─────────────


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - display_width(text))
    return gap + text if right else text + gap


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(display_width(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(r: list[str]) -> str:
        return "  ".join(_pad(c, w, right=i > 0) for i, (c, w) in enumerate(zip(r, widths))).rstrip()

    return [line(header), "  ".join("─" * w for w in widths), *map(line, rows)]


def _say(zh: str, en: str, lang: str) -> str:
    return say(zh, en, lang)


def render_table(outcome: Outcome, lang: str = "both") -> str:
    v = view(outcome)
    out = [_say(f"落实情况核查（截至 {v['as_of']}）", f"compliance as of {v['as_of']}", lang), _data_line(outcome, lang), ""]
    header = [""] + [_say(zh, en, lang) for zh, en in v["statuses"]] + [_say("合计", "total", lang)]
    for zh, en, rows in v["sections"]:
        out.append(_say(zh, en, lang))
        body = [[r.name, *map(str, r.counts), str(r.total)] for r in rows]
        out += _table(header, body + [[_say("合计", "total", lang), *map(str, v["total"].counts), str(v["total"].total)]]) + [""]
    for zh, en, group in v["result_groups"]:  # 未通过 and 无数据 kept apart (未到期 is only counted)
        out.append(_say(f"{zh}（{len(group)} 项）", f"{en} ({len(group)})", lang))
        for r in group:
            out += _failure_lines(r, lang)
        if not group:
            out.append("  " + _say("无", "none", lang))
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _data_line(outcome: Outcome, lang: str) -> str:
    files = "、".join(outcome.files) or "-"
    zh = f"数据：{files}，读取 {outcome.rows_read} 行，剔除有误的 {outcome.rows_set_aside} 行"
    en = f"data: {', '.join(outcome.files) or '-'}; {outcome.rows_read} rows read, {outcome.rows_set_aside} set aside"
    if outcome.rows_after_as_of:
        zh += f"，{outcome.rows_after_as_of} 行晚于核查日未计入"
        en += f", {outcome.rows_after_as_of} dated after the as-of date not counted"
    if outcome.rows_outside_scope:
        zh += f"，{outcome.rows_outside_scope} 行不在核查范围内"
        en += f", {outcome.rows_outside_scope} outside the scope"
    if outcome.scope:
        zh += f"；核查范围：{outcome.scope}"
        en += f"; scope: {outcome.scope}"
    return _say(zh, en, lang)


def _failure_lines(r: CheckResult, lang: str) -> list[str]:
    mark = "✗" if r.status is Status.FAIL else "?"
    lines = [f"{mark} {r.id}", f"    {r.status.zh} {r.status.value}: {r.message(lang)}",
             f"    {_say('依据', 'rule', lang)}: {r.check.written} ({r.check.source})"]
    lines += [f"    {e.where}  {_say(e.zh, e.en, lang) if lang != 'both' else e.zh}" for e in r.evidence[:CASES_SHOWN]]
    if len(r.cases) * 2 > CASES_SHOWN:
        lines.append("    " + _say(f"……共 {len(r.cases)} 个超时案件", f"… {len(r.cases)} cases over the limit in all", lang))
    return lines


# ───────────── Markdown, HTML ─────────────


def render_markdown(outcome: Outcome) -> str:
    from ..backends.templating import environment  # Jinja, for the Markdown and HTML reports only

    return environment().get_template("comply/report.md.j2").render(**view(outcome))


def render_html(outcome: Outcome) -> str:
    from ..backends.templating import environment

    return environment().get_template("comply/report.html.j2").render(**view(outcome))


# ───────────── xlsx ─────────────


def sheet_title(name: str, taken: set[str]) -> str:
    """A worksheet name Excel accepts (≤ 31 characters, none of []:*?/\\), unique in the workbook."""
    base = name.translate(_INVALID_SHEET).strip("'")[:31] or "_"
    title, n = base, 1
    while title in taken:
        n += 1
        title = f"{base[:31 - len(str(n)) - 1]}~{n}"
    taken.add(title)
    return title


def _append(ws: Worksheet, values: list[object]) -> None:
    """Numbers stay numbers; everything else is safe text (so a date or a float is shown as written)."""
    append_row(ws, [v if isinstance(v, int) else ("" if v is None else str(v)) for v in values])


UNIT_COLUMNS = [("政策", 20), ("任务", 12), ("单位", 14), ("检查", 30), ("状态", 7), ("说明", 48), ("依据", 40), ("数据行", 22)]
SUMMARY_COLUMNS = [("", 34), ("通过", 9), ("未通过", 9), ("未到期", 9), ("无数据", 9), ("合计", 9)]
LIST_COLUMNS = [("检查", 44), ("状态", 8), ("说明", 56), ("依据", 44), ("数据行", 22)]


def check_name(r: CheckResult) -> str:
    """A check in Chinese: 时限 2019-03-31, 目标 失能特困人员集中供养率≥40% 截至2019-12-31 青龙街道, 定期 每半年1次."""
    detail = r.id.rsplit("::", 1)[1]
    detail = detail.split("[", 1)[1].rsplit("]", 1)[0] if "[" in detail else detail
    return f"{r.check.kind.zh} {detail}"


def basis(r: CheckResult) -> str:
    """依据: the 文号, the measure as printed and the words the rule rests on (no DSL path)."""
    c = r.check
    return f"{c.policy_label} {c.printed or c.task}「{c.written}」"


def _widths(ws: Worksheet, columns: Sequence[tuple[str, float]]) -> None:
    from openpyxl.utils import get_column_letter

    for i, (_, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def _wrap_rows(ws: Worksheet, columns: Sequence[tuple[str, float]], first: int) -> None:
    """Wrapped text, top-aligned, and each row as tall as its longest cell (Excel does not grow rows on opening)."""
    from openpyxl.styles import Alignment

    from ..backends.officedoc import row_height

    wrap = Alignment(wrap_text=True, vertical="top")
    for row in ws.iter_rows(min_row=first):
        texts: list[tuple[str, float]] = []
        for cell, (_, width) in zip(row, columns):
            cell.alignment = wrap
            texts.append(("" if cell.value is None else str(cell.value), width))
        number = row[0].row
        assert number is not None, "a worksheet's cells know their row"
        ws.row_dimensions[number].height = row_height(texts)


def _print(ws: Worksheet, *, landscape: bool, title_rows: str) -> None:
    """A4, header rows repeated, and always fitted to one page width: LibreOffice and WPS draw CJK text wider than
    Excel's digit-width estimate (`officedoc.print_setup`), and a column pushed onto a page of its own is lost."""
    from ..backends.officedoc import print_setup

    print_setup(ws, landscape=landscape, title_rows=title_rows)
    page_setup = ws.sheet_properties.pageSetUpPr
    assert page_setup is not None, "openpyxl gives every new sheet its page set-up properties"
    page_setup.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_setup.scale = None


def render_xlsx(outcome: Outcome) -> bytes:
    """The 督查 workbook, ready to print (A4 landscape, fitted to the page width, header rows repeated, columns
    sized): 汇总 (counts by policy, unit and place), 未通过和无数据 (each failing check, the two kept apart), a 汇总
    sheet per jurisdiction, 问题数据 (bad rows),
    then one sheet per unit with all of its checks — a collective's sheet lists its members' rows — so each sheet
    can be sent to the unit it concerns. Checks are named in Chinese, 依据 is 文号 + printed measure + text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from ..backends.officedoc import row_height

    v = view(outcome)
    wb = Workbook()
    summary = wb.active
    assert summary is not None, "a new workbook has one sheet"
    summary.title = "汇总"
    taken = {"汇总", "问题数据"}
    _append(summary, [f"落实情况核查（截至 {v['as_of']}）"])
    _append(summary, [_data_line(outcome, "zh")])
    for zh, _en, rows in v["sections"]:
        _append(summary, [])
        _append(summary, [zh] + [s for s, _ in v["statuses"]] + ["合计"])
        for r in rows + [v["total"]]:
            _append(summary, [r.name, *r.counts, r.total])
    _widths(summary, SUMMARY_COLUMNS)
    for row in (1, 2):  # the title and the data line across the page
        summary.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(SUMMARY_COLUMNS))
    summary["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    summary.row_dimensions[2].height = row_height([(_data_line(outcome, "zh"), sum(w for _, w in SUMMARY_COLUMNS))])
    _print(summary, landscape=False, title_rows="1:1")
    listed = wb.create_sheet("未通过和无数据")  # 未通过 and 无数据 apart, each with what to look at
    taken.add(listed.title)
    _append(listed, [c for c, _ in LIST_COLUMNS])
    for zh, _en, group in v["result_groups"]:
        _append(listed, [f"{zh}（{len(group)} 项）"])
        for r in group:
            _append(listed, [f"{r.check.unit_label}：{check_name(r)}", r.status.zh, r.zh, basis(r), _where(r)])
    _widths(listed, LIST_COLUMNS)
    _wrap_rows(listed, LIST_COLUMNS, 2)
    _print(listed, landscape=True, title_rows="1:1")
    names = unit_names(outcome.results)
    places = sorted({r.check.place for r in outcome.results if r.check.place})
    for place in places:  # a summary per jurisdiction: its units' counts, then its failing checks
        ws = wb.create_sheet(sheet_title(f"汇总-{place}", taken))
        _append(ws, [f"{place}：落实情况核查（截至 {v['as_of']}）"])
        _append(ws, ["单位"] + [s for s, _ in v["statuses"]] + ["合计"])
        mine = [r for r in outcome.results if r.check.place == place]
        for name, counts in summarise(mine, lambda r: names[r.check.unit]):
            _append(ws, [name, *(counts[s] for s in STATUS_ORDER), sum(counts.values())])
        _widths(ws, SUMMARY_COLUMNS)
        for row in ws.iter_rows(min_row=2, max_row=2):
            for cell in row:
                cell.font = Font(bold=True)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(SUMMARY_COLUMNS))
        _print(ws, landscape=False, title_rows="1:2")
    problems = wb.create_sheet("问题数据")
    _append(problems, ["文件", "行", "列", "代码", "问题", "提示"])
    for d in v["problems"]:
        span = d.span
        _append(problems, [span.file if span else "", span.line if span else "", span.column if span else "", d.code, d.zh, d.hint_zh or ""])
    problem_columns = [("文件", 24), ("行", 6), ("列", 5), ("代码", 8), ("问题", 60), ("提示", 50)]
    _widths(problems, problem_columns)
    _wrap_rows(problems, problem_columns, 2)
    _print(problems, landscape=True, title_rows="1:1")
    collectives: dict[str, list[CheckResult]] = {}
    for r in outcome.results:
        if r.check.collective:
            collectives.setdefault(r.check.collective, []).append(r)
    sheets = {uid: [r for r in outcome.results if r.check.unit == uid] for uid in names}
    labels = dict(names)
    for cid, rows in collectives.items():  # 各乡镇（街道）: its members' rows together
        labels.setdefault(cid, cid.rpartition("/")[2])
        sheets[cid] = sheets.get(cid, []) + rows
    for uid in sorted(sheets, key=lambda u: labels[u]):
        ws = wb.create_sheet(sheet_title(labels[uid], taken))
        _append(ws, [c for c, _ in UNIT_COLUMNS])
        for r in sheets[uid]:
            _append(ws, [r.check.policy_label, r.check.printed or r.check.task, names.get(r.check.unit, r.check.unit_label),
                         check_name(r), r.status.zh, r.zh, basis(r), _where(r)])
        _widths(ws, UNIT_COLUMNS)
        _wrap_rows(ws, UNIT_COLUMNS, 2)
        _print(ws, landscape=True, title_rows="1:1")
    for ws in wb.worksheets:
        for cell in ws[1]:
            cell.font = Font(bold=True)
    return save_workbook(wb)


def _where(r: CheckResult) -> str:
    shown = [e.where for e in r.evidence[:CASES_SHOWN]]
    return "、".join(shown) + ("……" if len(r.evidence) > CASES_SHOWN else "")


# ───────────── JSON ─────────────


def outcome_json(outcome: Outcome) -> dict[str, Any]:
    def result(r: CheckResult) -> dict[str, Any]:
        return {
            "id": r.id, "kind": r.check.kind.value, "policy": r.check.policy, "task": r.check.task, "unit": r.check.unit,
            "place": r.check.place, "status": r.status.value, "reason": r.reason, "message": r.en, "message_zh": r.zh,
            "rule": r.check.written, "source": r.check.source,
            "evidence": [{"source": e.source, "row": e.row, "text": e.zh} for e in r.evidence],
            "cases": [{"case": c.case, "start": c.start.isoformat(), "end": c.end.isoformat() if c.end else None, "used": c.used}
                      for c in r.cases],
        }

    counts = outcome.counts()
    return {
        "as_of": outcome.as_of.isoformat(),
        "files": outcome.files,
        "rows": {"read": outcome.rows_read, "set_aside": outcome.rows_set_aside, "after_as_of": outcome.rows_after_as_of,
                 "outside_scope": outcome.rows_outside_scope},
        "scope": outcome.scope or None,
        "summary": {s.value: counts[s] for s in STATUS_ORDER},
        "results": [result(r) for r in outcome.results],
        "problems": [d.to_json() for d in outcome.diagnostics],
        "problems_by_code": outcome.problems_by_code,
    }


def render_json(outcome: Outcome) -> str:
    return json.dumps(outcome_json(outcome), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def render(outcome: Outcome, fmt: str, lang: str = "both") -> bytes:
    match fmt:
        case "xlsx":
            return render_xlsx(outcome)
        case "markdown":
            return render_markdown(outcome).encode("utf-8")
        case "html":
            return render_html(outcome).encode("utf-8")
        case "json":
            return render_json(outcome).encode("utf-8")
    return render_table(outcome, lang).encode("utf-8")
