"""The draft (and any policy) as a document a drafter edits: Word in the GB/T 9704 layout, and Markdown.
Checked on the real seeds: the 责任单位 clause the renderer writes is the clause the real documents print."""

from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest

from luoshi.backends.document import document, render_markdown
from luoshi.backends.wordfile import FONTS, render_docx

from draftkit import make_draft, scratch_corpus, seed_compilation
from seedtexts import responsibility_clauses, squash

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def county():
    checked = make_draft("yfbf-2018-161", "云阳县")
    return checked.compilation.corpus, "yfbf-2018-161-云阳县"


@pytest.fixture(scope="module")
def county_docx(county):
    return render_docx(*county)


def test_docx_page_is_a4_with_gbt9704_margins(county_docx):
    section = docx.Document(io.BytesIO(county_docx)).sections[0]
    sizes = (section.page_width, section.page_height, section.top_margin, section.bottom_margin, section.left_margin,
             section.right_margin)
    assert [round(x.mm, 1) for x in sizes] == [210, 297, 37, 35, 28, 26]  # stored in twips


def test_docx_names_fonts_with_fallbacks(county_docx):
    word = docx.Document(io.BytesIO(county_docx))
    east_asian = {s.name: s.element.rPr.rFonts.get(f"{W}eastAsia") for s in word.styles if s.element.rPr is not None
                  and s.element.rPr.rFonts is not None}
    assert east_asian["公文标题"] == "方正小标宋简体" and east_asian["公文正文"] == "仿宋_GB2312"
    assert east_asian["一级标题"] == "黑体" and east_asian["措施标题"] == "楷体_GB2312"
    table = zipfile.ZipFile(io.BytesIO(county_docx)).read("word/fontTable.xml").decode("utf-8")
    for font, fallback in FONTS.values():
        assert re.search(rf'w:name="{font}">\s*<w:altName w:val="{fallback}"', table), font
    lang = word.styles.element.find(f"{W}docDefaults").find(f"{W}rPrDefault").find(f"{W}rPr").find(f"{W}lang")
    assert lang.get(f"{W}eastAsia") == "zh-CN"  # proofed as Chinese, and Chinese glyph forms in fallback fonts


def test_docx_layout_of_a_draft(county_docx):
    """GB/T 9704: 份号/密级 slots, the red 发文机关标志, the 文号, the 印发通知 (title, 主送, 「现将…印发给你们」,
    signature), then the measures (title in whole words), the 附件 table and the 版记."""
    word = docx.Document(io.BytesIO(county_docx))
    paragraphs = [(p.style.name, p.text) for p in word.paragraphs]
    assert paragraphs[:4] == [("份号和密级", "份号："), ("份号和密级", "密级和保密期限："),
                              ("发文机关标志", "云阳县人民政府办公室文件"), ("发文字号", "〔　　〕　号")]
    assert word.styles["发文机关标志"].font.color.rgb == docx.shared.RGBColor(0xFF, 0, 0)
    titles = [text for style, text in paragraphs if style == "公文标题"]
    assert titles[0] == "关于印发云阳县加强城市特殊困难\n群众救助帮扶工作实施办法的通知"
    assert titles[1] == "云阳县加强城市特殊困难\n群众救助帮扶工作实施办法"  # never 「工作实 / 施办法」
    assert ("主送机关", "各乡镇（街道），县政府各部门，有关单位：") in paragraphs
    assert ("公文正文", "经县政府同意，现将《云阳县加强城市特殊困难群众救助帮扶工作实施办法》印发给你们，请认真贯彻执行。") in paragraphs
    assert [p for p in paragraphs if p[0] == "主送机关"] == [("主送机关", "各乡镇（街道），县政府各部门，有关单位：")]  # once
    assert ("一级标题", "二、加大政策救助力度") in paragraphs
    measure = next(text for _, text in paragraphs if text.startswith("（一）加强最低生活保障。"))
    assert measure.endswith("（责任单位：县民政局、县教委、县财政局、县卫生健康委、县残联。排在第一位的为牵头单位，下同）")
    todos = [text for _, text in paragraphs if text.startswith("【待定】")]
    assert any("「适时向社会公布」未给时间" in t for t in todos)
    assert ("附件标识", "附件") in paragraphs
    (table,) = word.tables
    header = [c.text for c in table.rows[0].cells]
    assert header == ["序号", "重点任务", "责任单位", "配合单位"] and len(table.rows) == 1 + 16
    first = [c.text for c in table.rows[1].cells]
    assert first[1].startswith("加强最低生活保障。") and first[2] == "县民政局" and "县教委" in first[3]
    assert paragraphs[-1] == ("版记", "云阳县人民政府办公室　　　　年　月　日印发")


def test_docx_is_reproducible(county, county_docx):
    assert render_docx(*county) == county_docx


@pytest.mark.parametrize("pid", ["yfbf-2018-161", "yyfbf-2019-22"])
def test_duty_clause_is_the_one_the_real_documents_print(pid):
    """Rendering the encoded seed gives back, in order, the （责任单位：…） clauses its 二、三、 print."""
    corpus = seed_compilation().corpus
    view = document(corpus, corpus.policy(pid))
    measures = [m for section in view.content if section.head[:2] in ("二、", "三、") for m in section.content]
    ours = [re.sub(r"[。.]排在第一位的为牵头单位([，,]下同)?", "", squash(m.duty)) for m in measures]
    printed = [f"(责任单位:{units})" for _, units in responsibility_clauses(pid)]
    assert len(printed) == 12 and ours == printed


def test_lead_sentence_once_with_xiatong_never_after_a_single_unit(county):
    """云阳 writes 「排在第一位的为牵头单位，下同」 once; the draft did after every clause, single units too."""
    view = document(*county[:1], county[0].policy(county[1]))
    duties = [m.duty for m in _measures(view.content) if m.duty]
    with_sentence = [d for d in duties if "排在第一位" in d]
    assert len(with_sentence) == 1 and with_sentence[0] == duties[0] and with_sentence[0].endswith("，下同）")
    single = [d for d in duties if "、" not in d.replace("（责任单位：", "")]
    assert "（责任单位：各乡镇（街道））" in single  # a single unit: nothing to rank, no sentence


def test_todos_in_documents_are_plain_chinese(county, county_docx):
    """The .policy keeps the DSL form of a 待定; the docx and md carry no DSL: no 「写作「时限 …」」, no 「请加「负责
    …」」, no 「（角色 …）」, no policy ids, no lint codes."""
    corpus, pid = county
    in_policy = corpus.policy(pid).todos + tuple(x for t in corpus.policy(pid).tasks for x in t.todos)
    assert any("（可写「目标 失能特困人员集中供养率" in t for t in in_policy)  # the DSL form, kept in the .policy
    paragraphs = [p.text for p in docx.Document(io.BytesIO(county_docx)).paragraphs]
    md = render_markdown(*county)
    todos = [t for t in paragraphs if t.startswith("【待定】")] + [line for line in md.splitlines() if "**待定**" in line]
    assert todos
    dsl = re.compile(r"写作「|可写「|请加「|（角色 |yfbf-|LS\d{3}|「(时限|目标|负责|牵头|配合) ")
    assert not [t for t in todos if dsl.search(t)]
    assert any("「逐步提升失能特困人员集中供养比例」未给数值，且按各地统计" in t for t in todos)


def test_a_missing_counterpart_reads_plainly_in_the_document(tmp_path):
    """In a county the division data does not know (测试县: 县民政局 only) 市规划自然资源局 has no counterpart: the
    .policy's 待定 names its role (「（角色 规划自然资源）」), the document's does not."""
    from luoshi.drafting.plan import DraftOptions, draft_policy
    from luoshi.drafting.verify import check_draft
    from luoshi.driver.project import Project

    thin = "辖区 测试县 {\n  类型 县\n  层级 县级\n  上级 重庆市\n  单位 县民政局 角色 民政\n}\n"
    comp = scratch_corpus(tmp_path, {"units/测试县.units": thin})
    project = Project(root=tmp_path, policies=tmp_path / "policies", output=tmp_path / "build")
    checked = check_draft(draft_policy(comp.corpus, "yfbf-2018-161", "测试县", DraftOptions()), "draft.policy", project)
    corpus, pid = checked.compilation.corpus, "yfbf-2018-161-测试县"
    assert any("「市规划自然资源局」（角色 规划自然资源）" in t for t in corpus.policy(pid).task("2.3").todos)
    todos = [line for line in render_markdown(corpus, pid).splitlines() if "**待定**" in line]
    assert any("「市规划自然资源局」在测试县没有对应单位" in t for t in todos)
    assert not [t for t in todos if "（角色 " in t]


def _measures(content):
    for node in content:
        if node.kind == "measure":
            yield node
        else:
            yield from _measures(node.content)


def test_markdown_of_a_draft(county):
    text = render_markdown(*county)
    assert text.startswith("**云阳县人民政府办公室文件**\n")
    assert "\n# 关于印发云阳县加强城市特殊困难群众救助帮扶工作实施办法的通知\n" in text
    assert "\n## 云阳县加强城市特殊困难群众救助帮扶工作实施办法\n" in text
    assert "| 序号 | 重点任务 | 责任单位 | 配合单位 |" in text and text.endswith("年　月　日印发\n")
    assert "**（一）加强最低生活保障**。根据健康人食品类支出" in text
    assert "> **待定**：「适时向社会公布」未给时间" in text
    assert "\n\n\n" not in text


HOSTILE = '''政策 hostile {
  标题 "<script>alert(1)</script> *加粗* | 表格"
  辖区 云阳县
  主送 县政府各部门
  部分 1 "总体 <b>要求</b>" {
    任务 1.1 "防注入" {
      原文 """防注入。文本含 <w:p>、&amp;、]]> 与 [链接](http://x) 以及 `代码`。"""
      牵头 县民政局
      待定 "<img src=x onerror=alert(1)>"
    }
  }
}
'''


def test_text_is_escaped_in_docx_and_markdown(tmp_path):
    comp = scratch_corpus(tmp_path, {"hostile.policy": HOSTILE})
    assert not comp.sink.has_errors()
    word = docx.Document(io.BytesIO(render_docx(comp.corpus, "hostile")))
    texts = [p.text for p in word.paragraphs]
    assert "<script>alert(1)</script> *加粗* | 表格" in texts  # shown as text, not markup
    assert any("<w:p>、&amp;、]]>" in t for t in texts)
    md = render_markdown(comp.corpus, "hostile")
    assert "<script>" not in md and "&lt;script&gt;" in md and "<img" not in md and "<b>" not in md
    assert r"\*加粗\*" in md and r"\[链接\]" in md and r"\`代码\`" in md
