"""Per-unit checklists on the real seed corpus: which tasks a unit owes and why, deadlines resolved to dates and
recurring ones expanded, sorting, the xlsx and docx read back, and the command as a user types it."""

from __future__ import annotations

import datetime as dt
import io

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm
from typer.testing import CliRunner

from luoshi.backends import officedoc as od
from luoshi.backends.checklist import STATUSES, build_checklist, render, render_checklist
from luoshi.backends.occurrences import occurrences, window
from luoshi.cli import app
from luoshi.commands.checklist import parse_day
from luoshi.semantics.duties import duties
from luoshi.semantics.graph import build_graph
from luoshi.model import Frequency, RecurringDeadline
from luoshi.syntax.source import Span

from conftest import ROOT, check_golden
from test_graph import seed_corpus

GOLDEN = ROOT / "tests" / "golden" / "checklist"
YEAR_2025 = dict(start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))


@pytest.fixture(scope="module")
def cg():
    return build_graph(seed_corpus())


def _recurring(frequency: Frequency, times: int = 1, start=None, end=None) -> RecurringDeadline:
    span = Span(file="x", line=1, column=1, end_line=1, end_column=2)
    return RecurringDeadline(frequency=frequency, times=times, start=start, end=end, written="每年1次", span=span)


@pytest.mark.parametrize("frequency, times, dues, label", [
    (Frequency.YEARLY, 1, ["2024-12-31", "2025-12-31"], "2024年"),
    (Frequency.YEARLY, 2, ["2024-06-30", "2024-12-31", "2025-06-30", "2025-12-31"], "2024年上半年"),
    (Frequency.HALF_YEARLY, 1, ["2024-06-30", "2024-12-31", "2025-06-30", "2025-12-31"], "2024年上半年"),
    (Frequency.YEARLY, 5, ["2024-12-31", "2025-12-31"], "2024年（本期5次）"),
    (Frequency.QUARTERLY, 1, ["2024-03-31", "2024-06-30", "2024-09-30", "2024-12-31"] * 1 +
     ["2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31"], "2024年第1季度"),
])
def test_recurring_deadlines_expand_to_calendar_periods(frequency, times, dues, label):
    found = occurrences(_recurring(frequency, times), dt.date(2024, 1, 1), dt.date(2025, 12, 31))
    assert [str(o.due) for o in found] == dues and found[0].label == label


def test_monthly_and_weekly_occurrences():
    months = occurrences(_recurring(Frequency.MONTHLY), dt.date(2024, 2, 10), dt.date(2024, 3, 5))
    assert [(str(o.due), o.label) for o in months] == [("2024-02-29", "2024年2月"), ("2024-03-31", "2024年3月")]
    weeks = occurrences(_recurring(Frequency.WEEKLY), dt.date(2025, 1, 1), dt.date(2025, 1, 12))
    assert [str(o.due) for o in weeks] == ["2025-01-05", "2025-01-12"] and weeks[0].label == "2025年第1周"


def test_a_deadline_window_narrows_the_range():
    d = _recurring(Frequency.YEARLY, start=dt.date(2019, 1, 1), end=dt.date(2020, 12, 31))
    assert window(d, None, None) == (dt.date(2019, 1, 1), dt.date(2020, 12, 31))
    assert window(d, dt.date(2020, 1, 1), dt.date(2030, 12, 31)) == (dt.date(2020, 1, 1), dt.date(2020, 12, 31))
    assert window(_recurring(Frequency.YEARLY), None, None) is None


def test_checklist_has_every_duty_and_expands_recurring_checks(cg):
    checklist = build_checklist(cg, "璧山区/区民政局", **YEAR_2025)
    assert {str(i.duty.task.key) for i in checklist.items} == {str(d.task.key) for d in duties(cg, "璧山区/区民政局")}
    task4 = [i for i in checklist.items if i.duty.task.id == "4"]
    # 每年核查1次 and 每半年核查1次 (bishan task 4) over 2025: three checks, soonest first, at the top of the list
    assert [str(i.due) for i in task4] == ["2025-06-30", "2025-12-31", "2025-12-31"]
    assert checklist.items[:3] == tuple(task4)
    assert task4[0].deadline.startswith("每半年1次") and task4[0].deadline.endswith("2025年上半年")
    assert checklist.unlisted and checklist.unlisted[0][0] == "璧山区/区困难群众基本生活保障工作联席会议成员单位"


def test_without_a_range_a_recurring_task_is_one_undated_row(cg):
    checklist = build_checklist(cg, "璧山区/区民政局")
    (row,) = [i for i in checklist.items if i.duty.task.id == "4"]
    assert row.due is None and "每年1次" in row.deadline and "每半年1次" in row.deadline


def test_rows_sort_by_due_date_and_name_the_parent_task(cg):
    checklist = build_checklist(cg, "云阳县/县民政局")
    dated = [i.due for i in checklist.items if i.due]
    # the first row is 4.1 启动部署阶段, given to 县政府各部门: the collective's members (every department, 县民政局
    # among them) are derived from the standard units, so the duty reaches 县民政局
    assert dated == sorted(dated) and checklist.items[0].due == dt.date(2019, 3, 31)
    assert checklist.items[0].duty.task.id == "4.1" and checklist.items[0].duty.named == "云阳县/县政府各部门"
    assert all(i.due is None for i in checklist.items[len(dated):])
    row = next(i for i in checklist.items if i.duty.task.id == "2.1")
    # no date of its own: due when 云阳's 实施步骤 close (组织实施阶段, 2019年12月底); 2.2 by its targets' dates
    assert row.due == dt.date(2019, 12, 31) and row.deadline.startswith("按实施步骤：")
    assert [i.due for i in checklist.items if i.duty.task.id == "2.2"] == [dt.date(2019, 12, 31), dt.date(2020, 12, 31)]
    assert row.parents == "渝府办发〔2018〕161号 二（一） 加强最低生活保障"  # numbered as 161号 prints it


def test_steps_take_their_phase_deadline(cg):
    checklist = build_checklist(cg, "云阳县/各乡镇（街道）")
    step = next(i for i in checklist.items if i.duty.task.id == "4.2.1")
    assert step.due == dt.date(2019, 8, 31) and step.deadline_inherited
    assert step.deadline == "2019年4月至2019年8月底（精准对象阶段）"


def test_members_of_a_collective_get_its_tasks(cg):
    checklist = build_checklist(cg, "青龙街道/青龙街道办事处")
    listed = {i.duty.task.id: i.listed_as for i in checklist.items}
    assert listed["2.2.2"] == "青龙街道"
    assert listed["3.1"] == "各乡镇、街道（作为成员单位）"


def test_sub_unit_checklist_golden(cg, update_golden):
    checklist = build_checklist(cg, "璧山区/区就业人才中心")
    text = render_checklist(checklist, cg.corpus, "md").decode("utf-8")
    assert "区人力社保局（区就业人才中心、区社保中心）（作为下属单位列明）" in text
    check_golden(GOLDEN / "璧山区-区就业人才中心.md", text, update_golden)


def test_xlsx_is_one_filterable_sheet_with_dates_and_a_status_column(cg, tmp_path):
    checklist = build_checklist(cg, "璧山区/区民政局", **YEAR_2025)
    path = tmp_path / "c.xlsx"
    path.write_bytes(render_checklist(checklist, cg.corpus, "xlsx"))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["责任清单"]
    ws = wb.active
    headers = [c.value for c in ws[1]]
    assert headers == ["序号", "截止日期", "完成时限", "政策", "任务", "任务内容", "角色", "单位", "目标", "状态", "日期", "备注"]
    last = openpyxl.utils.get_column_letter(len(headers))
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:{last}{len(checklist.items) + 1}"
    assert ws.cell(2, 2).value == dt.datetime(2025, 6, 30) and "年" in ws.cell(2, 2).number_format
    column = {h: headers.index(h) + 1 for h in headers}
    status = openpyxl.utils.get_column_letter(column["状态"])
    (choice,) = [v for v in ws.data_validations.dataValidation if v.type == "list"]
    assert choice.formula1 == '"未开始,进行中,已完成"' and f"{status}2" in str(choice.sqref) and choice.showErrorMessage
    assert ws.cell(2, column["状态"]).value in (None, "") and ws.cell(2, column["日期"]).value is None
    assert "年" in ws.cell(2, column["日期"]).number_format  # a date typed in shows as 2025年6月30日
    # the columns `luoshi comply` reads, filled: 文号 or id, the dotted task id, the unit's name
    assert {ws.cell(r, column["政策"]).value for r in range(2, len(checklist.items) + 2)} == {"bishan-2020-shjz"}
    assert ws.cell(2, column["任务"]).value == "4" and ws.cell(2, column["单位"]).value == "区民政局"
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert ws.print_title_rows.replace("$", "") == "1:1"  # the header row on every printed page
    content = column["任务内容"]
    assert ws.cell(2, content).alignment.wrap_text and ws.column_dimensions["F"].width > ws.column_dimensions["A"].width
    assert ws.row_dimensions[2].height > 15 and ws.cell(2, content).font.name == "仿宋"
    # fitted to the page width at a scale that stays readable (not 12 columns at 40 %)
    assert ws.sheet_properties.pageSetUpPr.fitToPage and 0.6 <= od.print_scale(ws, landscape=True) < 1
    notes = [ws.cell(r, 1).value for r in range(len(checklist.items) + 2, ws.max_row + 1) if ws.cell(r, 1).value]
    assert notes[0].startswith("填写说明") and any("《" in n for n in notes)
    assert not any("luoshi" in str(c.value) for row in ws.iter_rows() for c in row if c.value)


def test_checklist_statuses_are_the_ones_comply_reads():
    from luoshi.comply.engine import STATUS_WORDS

    assert STATUSES == tuple(words[0] for words in STATUS_WORDS.values())


def _filled(cg, unit: str, tmp_path, fill) -> tuple:
    """A unit's xlsx checklist as the unit sends it back: `fill(row)` gives the 状态 and 日期 of a data row, or None."""
    checklist = build_checklist(cg, unit)
    wb = openpyxl.load_workbook(io.BytesIO(render_checklist(checklist, cg.corpus, "xlsx")))
    ws = wb.active
    headers = [c.value for c in ws[1]]
    filled = []
    for r in range(2, len(checklist.items) + 2):
        value = fill(r)
        if value:
            ws.cell(r, headers.index("状态") + 1).value, ws.cell(r, headers.index("日期") + 1).value = value
            filled.append(r)
    path = tmp_path / (unit.replace("/", "-") + ".xlsx")
    wb.save(path)
    return path, filled, len(checklist.items)


def _comply(cg, paths):
    from luoshi.comply.checks import compile_plan
    from luoshi.comply.engine import run
    from luoshi.comply.loaders import load_tables
    from luoshi.diagnostics import Sink

    sink = Sink()
    tables = load_tables(paths, sink)
    return tables, run(compile_plan(cg.corpus), tables, dt.date(2020, 12, 31), sink)


# a unit named itself (区民政局), under another unit (区就业人才中心), as a member of a collective (青龙街道办事处)
UNITS = ["璧山区/区民政局", "璧山区/区就业人才中心", "青龙街道/青龙街道办事处", "云阳县/县民政局"]


def test_a_filled_in_checklist_goes_back_to_comply(cg, tmp_path):
    """Each row's 政策, 任务 and 单位 are names `luoshi comply` knows, and its statuses are the ones it reads."""
    statuses = ["未开始", "进行中", "已完成"]
    files = [_filled(cg, unit, tmp_path, lambda r: (statuses[r % 3], dt.date(2020, 6, 30))) for unit in UNITS]
    tables, outcome = _comply(cg, [path for path, _, _ in files])
    assert len(tables) == len(UNITS)
    assert outcome.rows_read == sum(n for _, _, n in files) and outcome.rows_set_aside == 0
    assert not outcome.problems_by_code and not outcome.diagnostics  # no unknown policy, task, unit or status


def test_a_partly_filled_checklist_has_no_bad_row(cg, tmp_path):
    """A unit that reports on a few tasks: the filled rows are read without a problem, the lines it left empty
    (only 政策, 任务, 单位) are counted once as unfilled (LS517, information), never set aside as bad rows."""
    path, filled, n = _filled(cg, "璧山区/区民政局", tmp_path,
                              lambda r: {2: ("已完成", dt.date(2020, 6, 30)), 3: ("进行中", "2020年9月30日"),
                                         5: ("未开始", dt.date(2020, 10, 8))}.get(r))
    tables, outcome = _comply(cg, [path])
    assert filled == [2, 3, 5] and outcome.rows_read == n and outcome.rows_set_aside == 0
    assert not outcome.problems_by_code and not outcome.data_errors
    (note,) = outcome.diagnostics
    assert note.code == "LS517" and note.severity.value == "info" and note.span.line not in filled
    assert note.en.startswith(f"{n - len(filled)} rows name only a policy, task and unit")
    headers = [c.header for c in tables[0].columns.values()]
    assert {"政策", "任务", "单位", "状态", "日期", "备注"} <= set(headers)


def test_docx_prints_landscape_with_a_repeated_header(cg, tmp_path):
    checklist = build_checklist(cg, "璧山区/区民政局", **YEAR_2025)
    path = tmp_path / "c.docx"
    path.write_bytes(render_checklist(checklist, cg.corpus, "docx"))
    document = docx.Document(path)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    assert [round(x.mm) for x in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)] \
        == [28, 26, 35, 37]  # GB/T 9704's 156 × 225 mm type area, turned
    assert document.styles["Normal"].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert document.paragraphs[0].text == "区民政局工作任务清单"
    (table,) = document.tables
    assert len(table.rows) == 1 + len(checklist.items)
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.rows[1].cells[1].text == "2025年6月30日"
    assert "（任务内容见第1项）" in table.rows[2].cells[2].text  # a recurring task's text is printed once
    # one policy: named once above the table, not at the head of every row
    assert any(p.text.startswith("政策文件：《") for p in document.paragraphs)
    assert table.rows[1].cells[2].text.startswith("4 全面实施")
    # a short row is kept on one page; a long one may break, so a page is not left empty before it
    from luoshi.backends.checklist_office import SHORT_ROW_LINES

    def kept(row):
        return row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None

    lines = [max(od.cell_lines(c.text, c.width.mm) for c in row.cells) for row in table.rows[1:]]
    assert kept(table.rows[0]) and any(n > SHORT_ROW_LINES for n in lines)
    assert [kept(row) for row in table.rows[1:]] == [n <= SHORT_ROW_LINES for n in lines]


def test_printed_checklist_tells_the_reader_nothing_about_commands(cg, tmp_path):
    """The docx is printed for a unit: no command line in it; the Markdown (terminal) keeps the hint."""
    checklist = build_checklist(cg, "璧山区/区民政局")
    document = docx.Document(io.BytesIO(render_checklist(checklist, cg.corpus, "docx")))
    texts = [p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert not any("luoshi" in t or "--" in t for t in texts)
    assert "周期性任务未限定起止日期的列为一行，每个周期均须完成。" in texts
    assert "luoshi checklist --from/--to" in render_checklist(checklist, cg.corpus, "md").decode("utf-8")


def test_docx_leaves_out_columns_empty_on_every_row(cg):
    checklist = build_checklist(cg, "璧山区/区民政局")  # no range: Bishan's tasks have no dates
    assert not any(i.due for i in checklist.items)
    (table,) = docx.Document(io.BytesIO(render_checklist(checklist, cg.corpus, "docx"))).tables
    headers = [c.text for c in table.rows[0].cells]
    assert "截止日期" not in headers and headers[:2] == ["序号", "任务"] and "状态" in headers
    assert abs(sum(c.width for c in table.columns) - Mm(225)) < Mm(1)


def test_build_writes_a_checklist_per_unit_that_owes_anything(cg):
    files = render(seed_corpus(), formats=("md",))  # `luoshi build` adds xlsx and docx; test_cli builds it all
    owing = [u for u in seed_corpus().units if duties(cg, u.id)]
    assert len(files) == len(owing) + 1
    assert "checklists/璧山区/区就业人才中心.md" in files and "checklists/index.md" in files
    assert "%E5%8C%BA%E6%B0%91%E6%94%BF%E5%B1%80.md" in files["checklists/index.md"].decode()  # 区民政局.md, URL-encoded


@pytest.mark.parametrize("text, start, end", [
    ("2025", "2025-01-01", "2025-12-31"), ("2025年3月", "2025-03-01", "2025-03-31"),
    ("2024-02", "2024-02-01", "2024-02-29"), ("2025年3月31日", "2025-03-31", "2025-03-31"),
])
def test_dates_on_the_command_line(text, start, end):
    assert str(parse_day(text, end=False, lang="both")) == start and str(parse_day(text, end=True, lang="both")) == end


# ───────────── the command ─────────────

runner = CliRunner()


def test_cli_checklist_by_name_and_jurisdiction(in_root):
    result = runner.invoke(app, ["checklist", "区民政局", "--jurisdiction", "璧山区", "--from", "2025", "--to", "2025"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# 区民政局工作任务清单") and "2025年6月30日" in result.stdout
    qualified = runner.invoke(app, ["checklist", "璧山区/区民政局", "--from", "2025"])
    assert qualified.stdout == result.stdout
    alias = runner.invoke(app, ["checklist", "重庆市大足区民政局"])
    assert alias.exit_code == 0 and "大足区" in alias.stdout


def test_cli_checklist_says_which_units_a_name_can_mean(in_root):
    result = runner.invoke(app, ["checklist", "区民政局"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "璧山区/区民政局" in result.stderr and "大足区/区民政局" in result.stderr and "--jurisdiction" in result.stderr
    unknown = runner.invoke(app, ["checklist", "区民证局", "-j", "璧山区"])
    assert unknown.exit_code == 1 and "区民政局" in unknown.stderr  # a suggestion
    bad = runner.invoke(app, ["checklist", "区民政局", "-j", "璧山区", "--from", "2025-13"])
    assert bad.exit_code == 1 and "2025-13" in bad.stderr


def test_cli_checklist_writes_xlsx_without_overwriting(in_root, tmp_path):
    target = tmp_path / "清单.xlsx"
    args = ["checklist", "区人力社保局", "-j", "璧山区", "-f", "xlsx", "-o", str(target)]
    assert runner.invoke(app, args).exit_code == 0
    first = target.read_bytes()
    again = runner.invoke(app, args)
    assert again.exit_code == 1 and "--force" in again.stderr and target.read_bytes() == first
    assert runner.invoke(app, args + ["--force"]).exit_code == 0
    assert openpyxl.load_workbook(target).active.max_row > 1


def test_the_default_period_is_the_policies_own_years(cg):
    """`luoshi checklist` without --from/--to lists the years of the unit's policies (云阳 22号: 2019–2020), not the
    current year."""
    from luoshi.backends.checklist import policy_years

    assert policy_years(cg, "云阳县/县民政局") == (2019, 2020)
    assert policy_years(cg, "云阳县/县民政局", "yyfbf-2019-22") == (2019, 2020)
    first, last = policy_years(cg, "璧山区/区民政局")
    assert first <= last and last < dt.date.today().year + 10
