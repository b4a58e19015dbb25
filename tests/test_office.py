"""Reproducible office files and formula-safe cells."""

from __future__ import annotations

import io

import openpyxl
from docx import Document

from luoshi.backends.office import csv_safe, save_document, save_workbook, set_text


def _workbook(text: str):
    wb = openpyxl.Workbook()
    set_text(wb.active["A1"], text)
    return wb


def test_xlsx_bytes_are_reproducible():
    assert save_workbook(_workbook("区民政局")) == save_workbook(_workbook("区民政局"))


def test_docx_bytes_are_reproducible():
    def doc():
        d = Document()
        d.add_paragraph("关于加强城市特殊困难群众救助帮扶工作的意见")
        return save_document(d)
    assert doc() == doc()


def test_formula_text_stays_text_in_xlsx():
    data = save_workbook(_workbook('=HYPERLINK("http://x","点我")'))
    cell = openpyxl.load_workbook(io.BytesIO(data)).active["A1"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_csv_cells_are_defused():
    assert csv_safe("=1+1") == "'=1+1"
    assert csv_safe("@SUM(A1)") == "'@SUM(A1)"
    assert csv_safe("区民政局") == "区民政局"
    assert csv_safe(None) == ""


def test_rows_shorter_than_a_page_are_kept_together():
    from docx.oxml.ns import qn

    from luoshi.backends import officedoc as od

    assert od.cell_lines("区民政局", 24) == 1 and od.cell_lines("区" * 40, 24) > 5
    assert od.row_fits_page([("区民政局", 24), ("救助" * 100, 72)], landscape=False)
    assert not od.row_fits_page([("救助" * 1000, 72)], landscape=False)  # Word would have to cut it off
    document = Document()
    table = document.add_table(rows=2, cols=2)
    od.repeat_header(table.rows[0])
    od.keep_row_together(table.rows[0])
    od.keep_row_together(table.rows[0])  # once only
    od.keep_with_next(table.rows[1])
    trpr = table.rows[0]._tr.trPr
    assert [child.tag for child in trpr] == [qn("w:cantSplit"), qn("w:tblHeader")]  # the schema's order
    assert all(p.paragraph_format.keep_with_next for c in table.rows[1].cells for p in c.paragraphs)
