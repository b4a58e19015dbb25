"""Reading what officials actually send: GB18030 text, docx with merged table cells, HTML tables, and the
extraction noise of PDF text (broken lines, page numbers, stray spaces in dates) — built from the seed texts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from luoshi.importer import import_path
from luoshi.importer.clean import paragraphs, squeeze
from luoshi.importer.readers import read_document
from luoshi.backends.office import save_document
from luoshi.driver.pipeline import compile_paths
from luoshi.driver.project import Project
from luoshi.syntax import unparse

from conftest import ROOT
from seedtexts import SEED_OF_POLICY, SEEDS, bishan_table

SEED_161 = SEEDS / SEED_OF_POLICY["yfbf-2018-161"]


@pytest.fixture(scope="module")
def corpus():
    return compile_paths(None, Project(ROOT, ROOT / "policies", ROOT / "build")).corpus


def test_gb18030_text_imports_like_utf8(tmp_path, corpus):
    gbk = tmp_path / "161.txt"
    gbk.write_bytes(SEED_161.read_text(encoding="utf-8").encode("gb18030"))
    a, b = import_path(gbk, corpus, shown="161.txt"), import_path(SEED_161, corpus, shown="161.txt")
    assert a.document.encoding == "gb18030" and a.policy_text == b.policy_text


def test_pdf_noise_is_undone(tmp_path, corpus):
    """Every line broken in two, page-number lines, spaces inside dates and numbers."""
    out = []
    for n, line in enumerate(SEED_161.read_text(encoding="utf-8").splitlines()):
        line = line.replace("2018年11月12日", "2018 年 11 月 12日").replace("15%", "15 %")
        out += [line[: len(line) // 2], line[len(line) // 2:]] if len(line) > 60 else [line]
        if n % 7 == 6:
            out.append("— 3 —")
    noisy = tmp_path / "noisy.txt"
    noisy.write_text("\n".join(out), encoding="utf-8")
    a, b = import_path(noisy, corpus, shown="x.txt"), import_path(SEED_161, corpus, shown="x.txt")
    assert unparse.date(a.result.policy.date) == "2018年11月12日"
    assert [(i.id, [m.unit for m in i.lead + i.cooperate]) for i in a.result.policy.items()] == \
           [(i.id, [m.unit for m in i.lead + i.cooperate]) for i in b.result.policy.items()]
    assert "控制在 15% 以内" in a.policy_text


def test_squeeze_keeps_latin_spaces_only():
    assert squeeze("2019 年 3 月底前，一 门受理") == "2019年3月底前，一门受理"
    assert squeeze("5G network  and 12349") == "5G network and 12349"


def test_docx_tables_with_merged_cells(tmp_path, corpus):
    """Bishan's annex as a real Word table: the 重点任务 title cell merged down over its group."""
    rows = bishan_table()
    document = docx.Document()
    document.add_paragraph("关于贯彻落实《重庆市改革完善社会救助制度重点举措》的通知")
    document.add_paragraph("各镇党委、政府，街道党工委、办事处：")
    document.add_paragraph("一、抓紧细化《重点举措》的落实措施")
    document.add_paragraph("各镇街、相关部门要结合实际，进一步细化实化具体落实措施。")
    document.add_paragraph("中共重庆市璧山区委办公室")
    document.add_paragraph("附件")
    document.add_paragraph("重点任务责任分工")
    table = document.add_table(rows=1, cols=5)
    for cell, text in zip(table.rows[0].cells, ("序号", "重点任务", "具体内容", "责任单位", "配合单位")):
        cell.text = text
    group_top = None
    for row in rows[:12]:
        cells = table.add_row().cells
        for cell, text in zip(cells, (row.number, row.title, row.content, row.responsible, row.cooperating)):
            cell.text = text
        if row.title:
            group_top = cells[1]
        elif group_top is not None:
            group_top.merge(cells[1])
    path = tmp_path / "bishan.docx"
    path.write_bytes(save_document(document))
    imported = import_path(path, corpus, shown="bishan.docx")
    assert '任务组 "加强医疗救助"' in imported.policy_text
    items = {i.id: i for i in imported.result.policy.items()}
    assert [m.unit for m in items["5"].lead] == ["璧山区/区医保局"]
    assert items["6"].title == "加强重特大疾病救助" and items["正文.1"].responsible


def test_html_table_with_rowspan():
    html = ("<p>附件</p><table><tr><td>序号</td><td>重点任务</td><td>责任单位</td></tr>"
            "<tr><td>1</td><td rowspan=2>做实教育救助</td><td>区教委</td></tr>"
            "<tr><td>2</td><td>区民政局</td></tr></table>")
    from luoshi.importer.readers import read_html

    rows = [l.cells for l in read_html(html) if l.cells]
    assert rows[1] == ("1", "做实教育救助", "区教委") and rows[2] == ("2", "做实教育救助", "区民政局")


def test_paragraphs_rejoin_pdf_lines():
    lines = read_document(SEEDS / SEED_OF_POLICY["yyfbf-2019-22"]).lines
    paras = [p.text for p in paragraphs(lines)]
    assert "关于印发云阳县加强城市特殊困难群众救助帮扶工作实施办法的通知" in paras
    assert any(p.startswith("（一）加强最低生活保障。一是") and p.endswith("纳入低保救助范围。") for p in paras)


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "luoshi", "import", *args], cwd=cwd, capture_output=True, text=True, env=env)


def test_cli_writes_refuses_to_overwrite_and_reports(tmp_path):
    out = tmp_path / "draft.policy"
    seed = str(SEEDS / SEED_OF_POLICY["dzmf-2019-26"])
    first = _cli(seed, "-o", str(out))
    assert first.returncode == 0, first.stderr
    assert out.read_text(encoding="utf-8").startswith("# 关于切实做好")
    again = _cli(seed, "-o", str(out))
    assert again.returncode == 1 and "LS605" in again.stderr and "--force" in again.stderr
    report = _cli(seed, "--report", "dzmf-2019-26")
    assert report.returncode == 0 and "任务 tasks" in report.stdout and "1.00" in report.stdout
    assert "政策 dzmf-2019-26" not in report.stdout  # scores instead of the draft


def test_cli_report_with_output_writes_the_draft_and_scores_it(tmp_path):
    out = tmp_path / "draft.policy"
    seed = str(SEEDS / SEED_OF_POLICY["dzmf-2019-26"])
    both = _cli(seed, "-o", str(out), "--report", "dzmf-2019-26")
    assert both.returncode == 0, both.stderr
    assert "政策 dzmf-2019-26" in out.read_text(encoding="utf-8") and "项待定" in both.stderr
    assert "任务 tasks" in both.stdout and "目标 targets" in both.stdout
    assert _cli(seed, "-o", str(out), "--report", "dzmf-2019-26").returncode == 1  # still never overwrites


def test_cli_unreadable_file_names_it(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00\xd8\x00" * 3)
    result = _cli(str(bad))
    assert result.returncode == 1 and "LS602" in result.stderr and "bad.txt:1:" in result.stderr
    assert "Traceback" not in result.stderr
    assert _cli(str(tmp_path / "policy.pdf")).returncode == 1


def test_cli_damaged_pdf_says_so_once(tmp_path):
    """A truncated PDF: one located LS601 saying what to do, none of pypdf's own log lines ("EOF marker not found")."""
    bad = tmp_path / "通知.pdf"
    bad.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    result = _cli(str(bad))
    assert result.returncode == 1 and "LS601" in result.stderr and "通知.pdf:1:1" in result.stderr
    assert "另存" in result.stderr and "EOF marker" not in result.stderr and "Traceback" not in result.stderr
