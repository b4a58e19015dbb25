"""Responsibility-division tables: Bishan's generated table equals its seed annex row for row; 161号's and 云阳's
（责任单位：…） lists come out split into 责任单位 and 配合单位; every format carries the same rows (xlsx and docx
read back with openpyxl and python-docx); text is escaped where it crosses into Markdown, HTML and CSV."""

from __future__ import annotations

import csv
import io
import json

import docx
import openpyxl
import pytest
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm
from typer.testing import CliRunner

from luoshi.backends.table import SectionRow, build_table, parse_columns, render, render_table, TableError
from luoshi.cli import app

from conftest import ROOT, check_golden
from helpers import codes, compile_texts
from seedtexts import bishan_table, responsibility_clauses, seed_text, squash
from test_graph import seed_corpus

GOLDEN = ROOT / "tests" / "golden" / "table"


@pytest.fixture(scope="module")
def bishan():
    return build_table(seed_corpus(), "bishan-2020-shjz")


def _effective_titles(rows) -> list[str]:
    """The title each row sits under: an empty (merged) cell continues the one above."""
    out, current = [], ""
    for r in rows:
        current = r.title or current
        out.append(current)
    return out


def test_bishan_table_equals_the_seed_annex_row_for_row(bishan):
    seed = bishan_table()
    rows = bishan.task_rows
    assert len(rows) == len(seed) == 35
    assert [r.number for r in rows] == [s.number for s in seed]
    merged = _effective_titles([type("R", (), {"title": r.title if r.title_rows else ""}) for r in rows])
    assert merged == _effective_titles(seed)
    assert [r.content for r in rows] == [s.content for s in seed]
    assert [r.responsible_text for r in rows] == [s.responsible for s in seed]
    assert [r.cooperating_text for r in rows] == [s.cooperating for s in seed]
    assert [r.section for r in rows] == [s.section for s in seed]
    sections = [r.label for r in bishan.rows if isinstance(r, SectionRow)]
    assert sections == list(dict.fromkeys(s.section for s in seed))
    assert bishan.annex and squash(bishan.heading) in squash(seed_text("bishan-2020-shjz"))


def test_bishan_group_titles_are_merged_cells(bishan):
    spans = {r.title: r.title_rows for r in bishan.task_rows if r.title_rows > 1}
    assert spans == {"加强医疗救助": 3, "做实教育救助": 3, "推进住房救助": 2, "强化就业救助": 2, "抓好受灾人员救助": 3}
    covered = sum(spans.values()) + sum(1 for r in bishan.task_rows if r.title_rows == 1)
    assert covered == 35


@pytest.mark.parametrize("pid", ["yfbf-2018-161", "yyfbf-2019-22"])
def test_lead_first_clauses_split_into_responsible_and_cooperating(pid):
    table = build_table(seed_corpus(), pid)
    seed = squash(seed_text(pid))
    positions = sorted((seed.index(squash(r.content)), i) for i, r in enumerate(table.task_rows))
    matched = 0
    for pos, units in responsibility_clauses(pid):
        row = table.task_rows[max(p for p in positions if p[0] < pos)[1]]
        assert row.responsible[0].role == "lead", row.task  # the first unit leads …
        joined = "、".join(x for x in (row.responsible[0].written, row.cooperating_text) if x)
        assert squash(joined) == squash(units), row.task  # … the rest cooperate, in the printed order
        assert all(u.role == "co_responsible" for u in row.responsible[1:]), row.task  # (a sub-task's 负责 units)
        matched += 1
    assert matched == 12


def test_a_phase_whose_steps_name_the_units_becomes_a_merged_group():
    table = build_table(seed_corpus(), "yyfbf-2019-22", columns=("deadline",))
    steps = [r for r in table.task_rows if r.task.startswith("4.2.")]
    assert [r.title_rows for r in steps] == [3, 0, 0] and steps[0].title == "精准对象阶段"
    assert all(r.deadline == "2019年4月至2019年8月底（精准对象阶段）" for r in steps)
    # numbered as the document prints them: what a unit writes in its completion sheet's 任务 column
    assert [r.number for r in steps] == ["四（二）一是", "四（二）二是", "四（二）三是"]
    assert next(r.number for r in table.task_rows if r.task == "2.1") == "二（一）"


def test_columns_add_deadlines_and_targets():
    assert parse_columns("完成时限,目标") == ("deadline", "target") == parse_columns("target deadline")
    with pytest.raises(TableError):
        parse_columns("备注")
    table = build_table(seed_corpus(), "yfbf-2018-161", columns=parse_columns("完成时限，目标"))
    row = next(r for r in table.task_rows if r.task == "2.4")
    assert row.deadline.startswith("2018—2020年")
    assert "医保目录外费用占比控制在15%以内" in row.target and "居民医保住院报销比例提高10%" in row.target


def test_csv_rows_are_the_table_and_formula_safe(bishan):
    text = render_table(bishan, "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["序号", "所属部分", "重点任务", "具体内容", "责任单位", "配合单位"]
    seed = bishan_table()
    assert [r[0] for r in rows[1:]] == [s.number for s in seed]
    assert [r[5] for r in rows[1:]] == [s.cooperating for s in seed]
    assert [r[2] for r in rows[1:]] == _effective_titles(seed)


def test_json_keeps_unit_ids_and_written_forms(bishan):
    data = json.loads(render_table(bishan, "json"))
    row = next(r for r in data["rows"] if r.get("task") == "13")
    assert row["responsible"][0] == {"unit": "璧山区/区人力社保局", "written": "区人力社保局（区就业人才中心、区社保中心）",
                                     "role": "co_responsible"}
    assert [r["label"] for r in data["rows"] if r["type"] == "section"][0] == "一、建立健全分层分类的社会救助体系"


def test_html_has_merged_cells_and_escapes(tmp_path, monkeypatch, update_golden):
    monkeypatch.chdir(tmp_path)
    policy = ('政策 t { 辖区 璧山区 标题 "测试<b>通知</b>"\n'
              '部分 一 "甲 | 乙" { 任务组 "做实*教育*救助" {\n'
              '  任务 1 "一" { 原文 """<script>x</script> a|b [链接](http://x) =1+1""" 牵头 区民政局 配合 区财政局 }\n'
              '  任务 2 "二" { 原文 "第二项" 负责 区民政局、区人力社保局（区就业人才中心） } } }\n'
              '部分 二 "丙" { 条款 二.1 "没有单位" { 原文 "x" } } }')
    comp = compile_texts(tmp_path, {"t.policy": policy})
    assert codes(comp) == []
    table = build_table(comp.corpus, "t", columns=("deadline", "target"))
    html = render_table(table, "html").decode("utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;通知" in html
    assert '<td class="title" rowspan="2">做实*教育*救助</td>' in html
    assert "丙" not in html  # a section with no task row shows no header
    check_golden(GOLDEN / "escaping.md", render_table(table, "md").decode("utf-8"), update_golden)
    check_golden(GOLDEN / "escaping.html", html, update_golden)
    csv_text = render_table(table, "csv").decode("utf-8-sig")
    assert "'=1+1" not in csv_text  # only cells starting with = are prefixed
    assert list(csv.reader(io.StringIO(csv_text)))[1][3].startswith("<script>")


def test_xlsx_reads_back_with_merges_widths_and_print_titles(bishan, tmp_path):
    path = tmp_path / "t.xlsx"
    path.write_bytes(render_table(bishan, "xlsx"))
    ws = openpyxl.load_workbook(path).active
    header = next(r for r in range(1, 6) if ws.cell(r, 1).value == "序号")
    assert [ws.cell(header, c).value for c in (1, 2, 4, 5)] == ["序号", "重点任务", "责任单位", "配合单位"]
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert f"B{header}:C{header}" in merged
    numbers = {ws.cell(r, 1).value: r for r in range(header + 1, ws.max_row + 1)}
    first, last = numbers["5"], numbers["7"]
    assert f"B{first}:B{last}" in merged and ws.cell(first, 2).value == "加强医疗救助"
    section_row = numbers["一、建立健全分层分类的社会救助体系"]
    assert f"A{section_row}:E{section_row}" in merged
    seed = bishan_table()
    got = [(ws.cell(numbers[s.number], 3).value, ws.cell(numbers[s.number], 4).value or "",
            ws.cell(numbers[s.number], 5).value or "") for s in seed]
    assert got == [(s.content, s.responsible, s.cooperating) for s in seed]
    assert ws.cell(first, 3).alignment.wrap_text and ws.column_dimensions["C"].width > ws.column_dimensions["A"].width
    assert ws.print_title_rows.replace("$", "") == f"{header}:{header}" and ws.freeze_panes == f"A{header + 1}"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 and ws.page_setup.orientation == "portrait"
    assert ws.row_dimensions[first].height > 15  # wrapped text shows in full


def test_docx_reads_back_in_official_layout(bishan, tmp_path):
    path = tmp_path / "t.docx"
    path.write_bytes(render_table(bishan, "docx"))
    document = docx.Document(path)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(x.mm) for x in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)] \
        == [37, 35, 28, 26]
    # the title broken as the seed annex sets it, never inside its book title (GB/T 9704 7.3.3)
    assert [p.text for p in document.paragraphs[:2]] == ["附件", "重庆市璧山区贯彻落实\n《重庆市改革完善社会救助制度重点举措》\n重点任务责任分工"]
    assert document.paragraphs[1].text.replace("\n", "") == bishan.heading
    (table,) = document.tables
    assert len(table.rows) == 1 + len(bishan.rows)
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    texts = [[c.text for c in row.cells] for row in table.rows]
    seed = bishan_table()
    body = [t for t in texts[1:] if t[0] in {s.number for s in seed}]
    assert [(t[2], t[3], t[4]) for t in body] == [(s.content, s.responsible, s.cooperating) for s in seed]
    assert [t[1] for t in body] == _effective_titles(seed)  # a merged cell reads the same in every row
    assert abs(sum(c.width for c in table.columns) - Mm(156)) < Mm(1)  # the portrait type area, content widest
    assert max(range(5), key=lambda i: table.columns[i].width) == 2
    cell = table.rows[2].cells[2].paragraphs[0].paragraph_format
    assert cell.line_spacing_rule == WD_LINE_SPACING.EXACTLY and cell.line_spacing.pt == 14.7  # 固定值, any font
    rfonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    fonts = next(p for p in document.part.package.parts if str(p.partname) == "/word/fontTable.xml").blob.decode()
    assert 'w:name="仿宋_GB2312"' in fonts and 'w:val="仿宋"' in fonts
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"  # not the template's en-US


def test_docx_rows_do_not_break_across_pages_and_sections_keep_with_their_tasks(bishan, tmp_path):
    """A page holding only the tail of a row (page 8 of the reviewed render) or a section row alone at the foot of a
    page (page 5) cannot happen: every row is w:cantSplit, every section row keeps with the next."""
    path = tmp_path / "t.docx"
    path.write_bytes(render_table(bishan, "docx"))
    (table,) = docx.Document(path).tables
    assert all(row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    sections = [row for row, entry in zip(table.rows[1:], bishan.rows) if isinstance(entry, SectionRow)]
    assert len(sections) == 8
    assert all(p.paragraph_format.keep_with_next for row in sections for c in row.cells for p in c.paragraphs)
    tasks = [row for row, entry in zip(table.rows[1:], bishan.rows) if not isinstance(entry, SectionRow)]
    assert not any(p.paragraph_format.keep_with_next for row in tasks for c in row.cells for p in c.paragraphs)


@pytest.mark.parametrize("title, per_line, lines", [
    ("重庆市璧山区贯彻落实《重庆市改革完善社会救助制度重点举措》重点任务责任分工", 20,
     ["重庆市璧山区贯彻落实", "《重庆市改革完善社会救助制度重点举措》", "重点任务责任分工"]),
    ("重庆市璧山区贯彻落实《重庆市改革完善社会救助制度重点举措》重点任务责任分工", 28,
     ["重庆市璧山区贯彻落实", "《重庆市改革完善社会救助制度重点举措》重点任务责任分工"]),
    ("《关于加强城市特殊困难群众救助帮扶工作的意见》重点任务责任分工", 28,
     ["《关于加强城市特殊困难群众救助帮扶工作的意见》", "重点任务责任分工"]),
    ("区民政局工作任务清单", 20, ["区民政局工作任务清单"]),
])
def test_titles_break_where_the_sense_allows(title, per_line, lines):
    from luoshi.backends.officedoc import title_lines

    assert title_lines(title, per_line) == lines


def test_a_book_title_longer_than_a_line_breaks_between_words():
    from luoshi.backends.officedoc import title_lines

    lines = title_lines("《关于进一步做好社会救助兜底解忧精准保障工作的通知》重点任务责任分工", 20)
    assert "".join(lines) == "《关于进一步做好社会救助兜底解忧精准保障工作的通知》重点任务责任分工"
    assert len(lines) == 2 and all(len(line) <= 20 for line in lines)
    assert lines[0].endswith("兜底解忧") and lines[1].startswith("精准保障")  # between words, not inside one


def test_xlsx_fits_the_page_width_only_at_a_readable_scale():
    from luoshi.backends import officedoc as od

    ws = openpyxl.Workbook().active
    for letter, width in zip("ABCDE", (6, 13, 58, 22, 28)):  # the Bishan table: 127 characters, about 64 %
        ws.column_dimensions[letter].width = width
        ws[f"{letter}1"] = "x"
    od.print_setup(ws, landscape=False, title_rows="1:1")
    assert 0.6 <= od.print_scale(ws, landscape=False) < 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    wide = openpyxl.Workbook().active  # 12 wide columns would print at 40 %: print at 60 %, two pages wide, instead
    for c in range(1, 13):
        wide.cell(1, c).value = "x"
        wide.column_dimensions[openpyxl.utils.get_column_letter(c)].width = 30
    od.print_setup(wide, landscape=True, title_rows="1:1")
    assert od.print_scale(wide, landscape=True) < 0.6
    assert not wide.sheet_properties.pageSetUpPr or not wide.sheet_properties.pageSetUpPr.fitToPage
    assert wide.page_setup.scale == 60


def test_wide_tables_print_landscape(tmp_path):
    table = build_table(seed_corpus(), "yfbf-2018-161", columns=("deadline", "target"))
    path = tmp_path / "t.docx"
    path.write_bytes(render_table(table, "docx"))
    section = docx.Document(path).sections[0]
    assert section.page_width > section.page_height
    # the 156 × 225 mm type area turned with the paper, the binding edge (28 mm) at the top
    assert [round(x.mm) for x in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)] \
        == [28, 26, 35, 37]
    assert abs(sum(c.width for c in docx.Document(path).tables[0].columns) - Mm(225)) < Mm(1)


def test_build_writes_every_policy_table_identically_twice():
    formats = ("md", "json", "xlsx")  # test_cli builds every format twice and compares the bytes
    first, second = render(seed_corpus(), formats), render(seed_corpus(), formats)
    policies = [p.id for p in seed_corpus().policies if p.kind.value == "policy" and build_table(seed_corpus(), p.id).task_rows]
    assert sorted(first) == sorted(f"tables/{p}.{f}" for p in policies for f in formats)
    assert all(first[k] == second[k] for k in first)


# ───────────── the command ─────────────

runner = CliRunner()


def test_cli_table_by_document_number_to_stdout(in_root):
    result = runner.invoke(app, ["table", "渝府办发〔2018〕161号", "-f", "csv", "--columns", "目标"])
    assert result.exit_code == 0, result.output
    header = next(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert header[-1] == "目标"


def test_cli_table_errors_are_clear(in_root, tmp_path):
    result = runner.invoke(app, ["table", "bishan-2020-shjzz"])
    assert result.exit_code == 1 and "bishan-2020-shjz" in result.stderr and "Traceback" not in result.output
    result = runner.invoke(app, ["table", "ywbf-2020-30"])
    assert result.exit_code == 1 and "未编码" in result.stderr
    result = runner.invoke(app, ["table", "bishan-2020-shjz", "--columns", "备注"])
    assert result.exit_code == 1 and "完成时限" in result.stderr
    target = tmp_path / "t.docx"
    target.write_text("mine")
    result = runner.invoke(app, ["table", "bishan-2020-shjz", "-f", "docx", "-o", str(target)])
    assert result.exit_code == 1 and "--force" in result.stderr and target.read_text() == "mine"
    result = runner.invoke(app, ["table", "bishan-2020-shjz", "-f", "docx", "-o", str(target), "--force"])
    assert result.exit_code == 0 and target.read_bytes().startswith(b"PK")


@pytest.mark.parametrize("pid, task, units", [
    ("yyfbf-2019-22", "2.2", ["县民政局", "青龙街道", "双江街道", "各乡镇（街道）"]),   # 2.2.2's 负责
    ("yyfbf-2019-22", "2.8", ["县民政局", "各乡镇（街道）"]),                          # 2.8.4's 负责
    ("cjbf-2024-54", "2.10", ["各村（社区）（据主送）", "街道各部门（据主送）", "草街街道办事处"]),  # addressees taken (据主送); 2.10.4's 负责
])
def test_a_measure_row_carries_its_sub_tasks_units(pid, task, units):
    """The units a sub-task (一是、二是 …) names itself are in its measure's row, as the checklists have them."""
    row = next(r for r in build_table(seed_corpus(), pid).task_rows if r.task == task)
    assert [u.written for u in row.responsible] == units
    from luoshi.backends.checklist import build_checklist
    from luoshi.semantics.graph import build_graph

    cg = build_graph(seed_corpus())
    for cell in row.responsible[1:]:  # and each of those units' checklists has the measure's sub-task
        tasks = {str(item.duty.task.key) for item in build_checklist(cg, cell.unit).items}
        assert any(key.startswith(f"{pid}:{row.task}.") for key in tasks), cell.unit
