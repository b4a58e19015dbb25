"""Injection, one test per boundary: policy text and data values written to attack each output format — HTML
(site pages, the compliance report, the table page), Markdown (tables, checklists, drafts), generated Python (the
compliance suite), xlsx and CSV cells (formulas), docx, DOT and Mermaid labels, SARIF and JSON — arrive as text,
never as markup, code or a formula. Each test names the protection it checks; removing it makes the test fail."""

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import docx
import markdown
import openpyxl
import pydot
import pytest

from helpers import compile_texts
from luoshi.backends import graph_export, table, table_office
from luoshi.backends.checklist import build_checklist, render_checklist
from luoshi.comply import report, suite
from luoshi.comply.checks import compile_plan
from luoshi.comply.engine import run
from luoshi.comply.loaders import load_tables
from luoshi.diagnostics import Sink
from luoshi.backends.document import render_markdown
from luoshi.backends.wordfile import render_docx
from luoshi.semantics.graph import build_graph, task_view
from luoshi.lint import lint
from luoshi.lint.sarif import render_sarif
from luoshi.diagnostics.render import render_json

SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://evil.example","点我")'
TITLE = f'{SCRIPT} *粗* | 竖线 [链](javascript:alert(2)) `码` ]]> &amp; {{{{7*7}}}}'
CODE = "\"\"\"; import os; os.system('touch PWNED') #"


def dsl(text: str) -> str:
    """A text as a one-line DSL string's content."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


UNITS = f'''辖区 恶意镇 {{
  类型 镇 层级 乡级 上级 璧山区
  单位 "{dsl(FORMULA)}"
  单位 "<img src=x onerror=alert(3)>"
  单位 "-2+3|x"
  单位 "@SUM(A1)"
}}
'''
POLICY = f'''政策 evil-1 {{
  标题 "{dsl(TITLE)}"
  辖区 璧山区
  原文 """<img src=x onerror=alert(4)>
# 不是标题
- 不是列表"""
  部分 1 "{SCRIPT}" {{
    任务 1.1 "+1+1 <b>粗</b> | \\" 引号 ]]>" {{
      原文 """{SCRIPT} 第一行
```
不是代码块"""
      牵头 "{dsl(FORMULA)}"
      负责 "<img src=x onerror=alert(3)>"、"-2+3|x"
      配合 "@SUM(A1)"、区民政局
      时限 2019年3月底前 "-2+3 <i>标</i>"
      目标 "+率<b>" 达到 40% 截至 2019年底
      备注 "{dsl(CODE)}"
    }}
  }}
}}
'''


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    comp = compile_texts(tmp_path_factory.mktemp("evil"), {"evil.units": UNITS, "evil.policy": POLICY})
    assert not comp.sink.has_errors(), [d.en for d in comp.sink]
    assert comp.corpus.policy("evil-1").title == TITLE
    return comp


def visible_html_tags(html: str) -> set[str]:
    return set(re.findall(r"<\s*(script|img|b|i|svg)\b", html, flags=re.I))


# ───────────── HTML ─────────────


def test_table_html_escapes_policy_text(corpus):
    """Protection: jinja2 autoescape for *.html templates (backends/templating.py)."""
    page = table.to_html(table.build_table(corpus.corpus, "evil-1")).decode("utf-8")
    assert not visible_html_tags(page)
    assert "&lt;img src=x onerror=alert(3)&gt;" in page and "&lt;b&gt;粗&lt;/b&gt;" in page


@pytest.fixture(scope="module")
def outcome(corpus, tmp_path_factory):
    data = tmp_path_factory.mktemp("evil-data") / "evil.csv"
    with data.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["政策", "任务", "单位", "状态", "日期", "备注"])
        out.writerow(["evil-1", "1.1", FORMULA, "已完成", "2019-03-20", SCRIPT])
        out.writerow(["evil-1", "1.1", "<img src=x onerror=alert(3)>", "办完了" + SCRIPT, "2019-03-20", ""])
        out.writerow(["evil-1", "1.1", "=1+1" + SCRIPT, "已完成", "2019-03-20", ""])
    sink = Sink()
    return run(compile_plan(corpus.corpus), load_tables([data], sink), dt.date(2019, 12, 31), sink)


def test_compliance_html_report_escapes_policy_and_data(outcome):
    """Protection: autoescape in the comply report's jinja2 environment (comply/report.py)."""
    page = report.render_html(outcome)
    assert "办完了" in page and "=1+1" in page  # the hostile rows are shown …
    assert not visible_html_tags(page)         # … as text
    assert "&lt;script&gt;" in page


def test_site_markdown_and_mermaid_escape_policy_text():
    """Protection: site/escape.py (md_inline, md_block, mermaid_label), through Python-Markdown as mkdocs runs it."""
    from luoshi.site.escape import md_block, md_inline, mermaid_label

    for text in (TITLE, "<img src=x onerror=alert(4)>\n# 不是标题\n- 不是列表", "甲\n{: onclick=alert(1) }"):
        html = markdown.markdown(str(md_block(text)), extensions=["attr_list", "tables"])
        assert not visible_html_tags(html) and "<h1" not in html and "<li" not in html and 'onclick="' not in html
        cell = markdown.markdown(f"| a |\n|---|\n| {md_inline(text)} |", extensions=["tables"])
        assert cell.count("<td>") == 1 and not visible_html_tags(cell)
    label = mermaid_label('甲"]; click A call alert(1); B["<b>')
    assert '"' not in label and "<" not in label and "]" not in label


# ───────────── Markdown ─────────────


def _md_html(data: bytes | str) -> str:
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    return markdown.markdown(text, extensions=["tables"])


def test_table_markdown_keeps_each_text_in_its_cell(corpus):
    """Protection: the md_cell filter (backends/templating.py)."""
    md = table.to_markdown(table.build_table(corpus.corpus, "evil-1")).decode("utf-8")
    html = _md_html(md)
    assert not visible_html_tags(html) and "<a " not in html and "<code>" not in html
    header = next(line for line in md.splitlines() if line.startswith("|"))
    row = next(line for line in md.splitlines() if "+1+1" in line)
    assert len(re.findall(r"(?<!\\)\|", row)) == len(re.findall(r"(?<!\\)\|", header))


def test_checklist_markdown_escapes_policy_text(corpus):
    """Protection: the md_cell filter in the checklist template."""
    cg = build_graph(corpus.corpus)
    unit = next(u.id for u in corpus.corpus.units if u.name == "-2+3|x")
    md = render_checklist(build_checklist(cg, unit), corpus.corpus, "md").decode("utf-8")
    html = _md_html(md)
    assert not visible_html_tags(html) and "<a " not in html and "<code>" not in html
    assert "&lt;b&gt;" in md or "\\<b\\>" in md


def test_draft_markdown_escapes_policy_text(corpus):
    """Protection: the md filters in templates/draft/document.md.j2."""
    html = _md_html(render_markdown(corpus.corpus, "evil-1"))
    assert not visible_html_tags(html) and "<h1>不是标题" not in html and "<li>不是列表" not in html
    assert "<pre>" not in html and "<a " not in html


# ───────────── generated Python ─────────────


def test_compliance_suite_holds_policy_text_as_data_only(corpus):
    """Protection: comply/suite.py writes every text as a Python literal (repr), never pasted into code."""
    files = suite.render(compile_plan(corpus.corpus))
    module = next(v for k, v in files.items() if "evil" in k).decode("utf-8")
    tree = ast.parse(module)
    imports = sorted(a.name for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names)
    assert imports == ["pytest"]
    strings = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    assert TITLE in strings or any(TITLE in s for s in strings)
    assert "os" not in {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


# ───────────── spreadsheets ─────────────

FORMULA_STARTS = ("=", "+", "-", "@")


def _cells(data: bytes):
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [c for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


@pytest.mark.parametrize("make", ["table", "checklist", "comply"])
def test_xlsx_cells_starting_like_formulas_are_text(corpus, outcome, make):
    """Protection: office.set_text / office.append_row (cells typed as strings, never formulas)."""
    if make == "table":
        data = table_office.to_xlsx(table.build_table(corpus.corpus, "evil-1"))
    elif make == "checklist":
        unit = next(u.id for u in corpus.corpus.units if u.name == FORMULA)
        data = render_checklist(build_checklist(build_graph(corpus.corpus), unit), corpus.corpus, "xlsx")
    else:
        data = report.render(outcome, "xlsx", "both")
    risky = [c for c in _cells(data) if c.value.startswith(FORMULA_STARTS)]
    assert risky, "the hostile texts should be in the workbook"
    assert all(c.data_type == "s" for c in risky), [(c.coordinate, c.value, c.data_type) for c in risky if c.data_type != "s"]
    book = zipfile_texts(data)
    assert "<f>" not in book and "HYPERLINK" in book


def zipfile_texts(data: bytes) -> str:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))


def test_csv_cells_starting_like_formulas_are_defused(corpus):
    """Protection: office.csv_safe (an apostrophe before = + - @ tab CR) in the table CSV."""
    text = table.to_csv(table.build_table(corpus.corpus, "evil-1")).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert any(FORMULA in c for c in cells) and any("+1+1" in c for c in cells)
    assert not [c for c in cells if c.startswith(FORMULA_STARTS + ("\t", "\r"))]
    assert any(c.startswith("'" + FORMULA) for c in cells) and any(c.startswith("'+1+1") for c in cells)


# ───────────── Word ─────────────


def test_docx_holds_policy_text_verbatim(corpus):
    """Protection: python-docx writes text as XML text nodes (escaped), and the parser refuses control characters
    XML cannot hold (tests/test_bad_input.py); the text comes back exactly as written."""
    for data in (render_docx(corpus.corpus, "evil-1"), table_office.to_docx(table.build_table(corpus.corpus, "evil-1"))):
        word = docx.Document(io.BytesIO(data))
        texts = [p.text for p in word.paragraphs] + [c.text for t in word.tables for r in t.rows for c in r.cells]
        assert any(FORMULA in t for t in texts) and any("<b>粗</b>" in t for t in texts)
        assert "<script>" not in zipfile_texts(data)


# ───────────── graph labels ─────────────


def test_dot_and_mermaid_labels_cannot_break_out(corpus):
    """Protection: graph_export._dot_quote and mermaid_text."""
    cg = build_graph(corpus.corpus)
    g = cg.graph
    # pydot's parser took ~10 s on the whole graph (2,300 nodes, nearly all the registry's standard units): it reads
    # the hostile task's neighbourhood, which holds every node with a markup character in its data (asserted)
    view = task_view(cg, "evil-1:1.1")
    marked = {n for n, data in g.nodes(data=True) if any(set(str(v)) & set('"<>|[]`') for v in data.values())}
    assert len(marked) >= 5 and marked <= set(view.nodes), marked - set(view.nodes)
    parsed = pydot.graph_from_dot_data(graph_export.to_dot(view).decode("utf-8"))
    assert parsed and len(parsed) == 1
    titles = {n.get_attributes().get("title") for n in parsed[0].get_nodes()}
    assert json.dumps(corpus.corpus.policy("evil-1").task("1.1").title, ensure_ascii=False) in titles
    mermaid = graph_export.to_mermaid(g).decode("utf-8")
    for line in mermaid.splitlines():
        if "1.1" in line and "粗" in line:
            label = line[line.index('("') + 2: line.rindex('")')]
            assert not set(label) & set('"<>[]|') and "#quot;" in label


# ───────────── SARIF and JSON ─────────────


HOSTILE_JSON = '"}]}, {"injected": true, "x": "</script>'


def _walk(value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v)
    else:
        yield value


def test_sarif_and_json_carry_policy_text_as_strings(tmp_path):
    """Protection: json.dumps for every machine-readable report (no text pasted into JSON by hand)."""
    comp = compile_texts(tmp_path, {"todo.policy": f'政策 todo-1 {{ 辖区 璧山区 待定 "{dsl(HOSTILE_JSON)}" }}'})
    findings = list(comp.sink) + lint(comp.corpus, comp.sources).diagnostics
    assert "LS230" in {d.code for d in findings}
    for text in (render_sarif(findings, tmp_path), render_json(findings, files=2)):
        values = list(_walk(json.loads(text)))
        assert "injected" not in values
        assert any(isinstance(v, str) and HOSTILE_JSON in v for v in values)


def test_policy_title_reaches_the_model_json_verbatim(corpus):
    from luoshi.backends import model_json

    data = json.loads(model_json.render(corpus.corpus)["model/corpus.json"])
    assert next(p for p in data["policies"] if p["id"] == "evil-1")["title"] == TITLE


def test_nothing_was_executed(tmp_path):
    assert not list(Path.cwd().glob("PWNED*")) and not list(tmp_path.glob("PWNED*"))
