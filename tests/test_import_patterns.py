"""`luoshi import` on the development set, failure pattern by failure pattern (tests/fixtures/import/dev/: 20 real documents as stored — Markdown
with front matter from a Shanghai archive, saved Guangzhou web pages): every one imports, and each failure
pattern found on them is pinned by a test built from the document's own sentences.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from luoshi.importer import import_path
from luoshi.importer.readers import read_document
from luoshi.driver.pipeline import compile_paths
from luoshi.driver.project import Project
from luoshi.syntax import unparse

from conftest import FIXTURES, ROOT
from helpers import deadline_text, target_parts

DEV = FIXTURES / "import" / "dev"
DOCS = sorted(DEV.glob("[0-9][0-9]_*.txt"))


def doc(number: str) -> Path:
    return next(p for p in DOCS if p.name.startswith(number))


@pytest.fixture(scope="module")
def corpus():
    return compile_paths(None, Project(ROOT, ROOT / "policies", ROOT / "build")).corpus


@pytest.fixture(scope="module")
def shanghai_like():
    """The main corpus: its registry knows none of these units, so a duty block's actor is proposed."""
    return compile_paths(None, Project(ROOT, ROOT / "policies", ROOT / "build")).corpus


@pytest.fixture(scope="module")
def shanghai():
    """The truth files' fixture project: a registry of the Shanghai units 01, 02, 04 and 05 name."""
    truth = DEV / "truth"
    return compile_paths(None, Project(truth, truth, truth / "build")).corpus


def test_development_set_is_all_here():
    assert len(DOCS) == 20


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name[:2])
def test_every_document_imports_as_stored(path, corpus):
    """No LS620 (the draft is parsed back inside import_path), a title, a jurisdiction and at least one item; no
    archive note, front-matter field or page furniture in the draft."""
    imported = import_path(path, corpus, shown=path.name)
    p = imported.result.policy
    assert p.title and p.jurisdiction and p.issuers and p.date
    assert any(True for _ in p.items())
    for noise in ("本文正文由脚本", "官方链接", "发布单位:", "网站标识码", "用户登录", "ICP备", "扫一扫"):
        assert noise not in imported.policy_text, noise


@pytest.mark.parametrize("path", DOCS[:15], ids=lambda p: p.name[:2])
def test_front_matter_is_read_then_dropped(path, corpus):
    """The archive's 文号 (the texts themselves do not print it) becomes the policy's; 发布日期 is only a fallback:
    the date printed under the signature wins (01: 成文 2020年8月21日, published 2020-08-26)."""
    document = read_document(path)
    assert document.fmt == "md" and document.meta["文号"]
    assert not any(l.text.startswith(("---", "标题:", "> ")) for l in document.lines)
    p = import_path(path, corpus).result.policy
    assert p.number == document.meta["文号"]
    if path.name.startswith("01"):
        assert unparse.date(p.date) == "2020年8月21日"


def test_markdown_heading_is_its_own_paragraph(corpus):
    """11: `# …的通知` then `各镇人民政府、街道办事处，区政府各部门：` — the heading was glued onto the addressees."""
    p = import_path(doc("11"), corpus).result.policy
    assert p.title == "关于转发区建设管理委制订的《松江区城市更新2025年度实施计划》的通知"
    # 各镇人民政府、街道办事处 is one name of 松江区's 各镇（街道） collective in the registry's standard units
    assert [m.written for m in p.addressees] == ["各镇人民政府、街道办事处", "区政府各部门"]


def test_issuer_before_yinfa_without_guanyu(corpus):
    """09: 「上海市人民政府办公厅印发《…工作方案》的通知」 has no 关于: the issuer is still split off the title."""
    p = import_path(doc("09"), corpus).result.policy
    assert [m.written for m in p.issuers] == ["上海市人民政府办公厅"]
    assert p.title.startswith("印发《关于坚决制止耕地")


@pytest.mark.parametrize("number, place, level", [
    ("02", "崇明区", "县级"), ("15", "奉贤区", "县级"), ("07", "古美路街道", "乡级"), ("01", "上海市", "市级"),
    ("20", "天河区", "县级"),
])
def test_issuer_gives_its_deepest_place(corpus, number, place, level):
    """上海市崇明区人民政府办公室 is a district's office: 辖区 崇明区 层级 县级, not the shortest place name 上海市."""
    p = import_path(doc(number), corpus).result.policy
    assert (p.jurisdiction, p.level) == (place, level)


def test_saved_page_keeps_the_text_only(corpus):
    """17 as saved: menus, a 政策解读 box, the footer and the body repeated as one hidden line around the text.
    The import starts at the title (with the 文号 printed above it) and ends at the date."""
    document = read_document(doc("17"))
    assert document.fmt == "html" and document.meta["标题"] == "广州市人民政府办公厅关于印发广州市临时救助实施细则的通知"
    texts = [l.text for l in document.lines]
    assert texts[0] == "穗府办规〔2021〕19号" and texts[1] == document.meta["标题"]
    assert sum("第一条 为完善广州市社会救助体系" in t for t in texts) == 1  # not the repeat
    assert not any(len(t) > 1000 for t in texts)
    p = import_path(doc("17"), corpus).result.policy
    assert p.number == "穗府办规〔2021〕19号" and unparse.date(p.date) == "2021年12月1日"


def test_page_information_box_gives_number_and_date(corpus):
    """16: the page prints 文号/成文日期 only in its 索引号 box, which is page furniture and not the text."""
    document = read_document(doc("16"))
    assert document.meta["文号"] == "穗卫函〔2023〕1930号" and document.meta["成文日期"] == "2023-10-19"
    assert not any(l.text.startswith("索引号") for l in document.lines)
    p = import_path(doc("16"), corpus).result.policy
    assert p.number == "穗卫函〔2023〕1930号" and unparse.date(p.date) == "2023年10月19日"


def test_published_date_is_flagged_when_used(tmp_path, corpus):
    """A front matter's 发布日期 stands in for a 成文日期 the text does not print, with a 待定 saying so."""
    text = doc("14").read_text(encoding="utf-8")
    text = re.sub(r"\n2017年7月14日\n", "\n", text)
    path = tmp_path / "14.md"
    path.write_text(text, encoding="utf-8")
    imported = import_path(path, corpus)
    assert unparse.date(imported.result.policy.date) == "2017年7月14日"
    assert any("发布日期" in t for t in imported.result.policy.todos)


PDF = FIXTURES / "import" / "pdf" / "09_sh-shi_gengdi-feinonghua.pdf"  # 09's text printed to A4 by Chromium


def test_pdf_text_layer_imports_like_the_text(corpus):
    """A PDF of 09 (lines wrapped at the page width, page numbers 「— 1 —」 in the footer) reads into the same
    items, unit assignments and values as the stored text."""
    def shape(imported):
        return [(i.id, [m.unit or m.written for m in i.lead + i.responsible + i.cooperate],
                 [deadline_text(d) for d in i.deadlines], [t.rule for t in i.targets]) for i in imported.result.policy.items()]
    pdf, text = import_path(PDF, corpus), import_path(doc("09"), corpus)
    assert pdf.document.fmt == "pdf"
    assert shape(pdf) == shape(text) and len(shape(pdf)) >= 6
    assert unparse.date(pdf.result.policy.date) == "2021年5月31日" and "— 1 —" not in pdf.policy_text


def test_pdf_without_text_layer_is_refused(tmp_path, corpus):
    """A scan has no text to import: LS607 says so, rather than an empty draft."""
    from pypdf import PdfWriter

    from luoshi.importer import ReadError

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    scan = tmp_path / "scan.pdf"
    with scan.open("wb") as f:
        writer.write(f)
    with pytest.raises(ReadError) as exc:
        import_path(scan, corpus)
    assert exc.value.code == "LS607"


@pytest.mark.parametrize("number, addressees", [
    ("09", ["各区人民政府", "市政府各委、办、局"]),
    ("12", ["区政府各委、办、局", "各街道办事处", "彭浦镇政府"]),
])
def test_collective_unit_forms_are_never_split(corpus, number, addressees):
    """「区政府各委、办、局，各街道办事处、彭浦镇政府：」 was read as 区政府各委 + 「办、局、各街道办事处」."""
    p = import_path(doc(number), corpus).result.policy
    assert [m.written for m in p.addressees] == addressees
    from luoshi.importer.units import UnitResolver, registry_of

    resolver = UnitResolver(registry_of(corpus), "崇明区")
    assert [m.written for m in resolver.mentions("市科协，各有关区、县级市")] == ["市科协", "各有关区、县级市"]
    assert [m.written for m in resolver.mentions("各区、各部门")] == ["各区", "各部门"]
    proposed = [x.name for x in import_path(doc(number), corpus).result.proposals]
    assert len(proposed) == len(set(proposed)) and not any(n in ("办", "局", "办、局") for n in proposed)


def _items(imported):
    return {i.id: i for i in imported.result.policy.items()}


def test_flattened_annex_table_one_cell_a_line(corpus):
    """12's annex: 任务类型/序号/工作任务/推进单位, one cell a line; 推进单位 is a unit column, 行动一：… rows span
    the table, 旧住房更新改造 is a merged group cell, and rows 5–7 print no unit (merged): they take row 4's,
    with a 待定 saying the unit was carried down."""
    imported = import_path(doc("12"), corpus)
    items = _items(imported)
    assert len([i for i in items if i.isdigit()]) == 27
    assert [m.written for m in items["1"].responsible][:2] == ["区规划资源局", "区建设管理委"]
    assert [m.written for m in items["5"].responsible] == [m.written for m in items["4"].responsible]
    assert any("合并单元格" in t for t in items["5"].todos) and not any("合并单元格" in t for t in items["4"].todos)
    assert "任务组 \"旧住房更新改造\"" in imported.policy_text
    assert "行动二：重塑美丽新居行动（人居环境品质提升行动）" in imported.policy_text


def test_unread_annex_is_reported_not_glued(corpus):
    """08's 附表3 (no numeric column) is not read: an LS615 and a 待定 (附表2 and 附表4, with 序号 rows, are read by
    quantities.py, 附表1, a plan keyed by 街镇, by keyedtable.py), and none of its cells ends up in the last task
    of the body (五、)."""
    imported = import_path(doc("08"), corpus)
    unread = [i for i in imported.issues if i.code == "LS615"]
    assert [i.line for i in unread] == [1023] and all("未能读入" in i.zh for i in unread)
    assert sum("未能读入" in t for t in imported.result.policy.todos) == 1
    last = list(imported.result.policy.items())[-1]
    assert "南桥镇" not in last.text and "十三五已建成" not in last.text


def test_annex_listing_without_its_content_is_said(corpus):
    """07 ends with 「附件：」 and four attachment titles whose content the stored text lacks: one LS615 naming
    them, and no task made of a title."""
    imported = import_path(doc("07"), corpus)
    unread = [i for i in imported.issues if i.code == "LS615"]
    assert len(unread) == 1 and "古美路街道独居老人排摸统计表" in unread[0].zh
    assert not any(i.text.startswith("古美路街道独居老人排摸统计表") for i in imported.result.policy.items())


def test_items_directly_under_a_part(corpus):
    """07's 二、职责分工 numbers its seven offices 1. … 7. with no （一） level between: seven tasks, not one."""
    items = _items(import_path(doc("07"), corpus))
    assert [k for k in items if k.startswith("2.")] == [f"2.{n}" for n in range(1, 8)]
    assert items["2.2"].text.startswith("派出所。")


def test_annex_in_numbered_text_is_its_own_part(corpus):
    """03's 附件2 路长制实施方案 is numbered text: a part 附件2 with its own items, apart from the body (附件1, the
    权力和责任清单, is a table: its part is 「附件」, as every task table's)."""
    p = import_path(doc("03"), corpus).result.policy
    assert [x.id for x in p.body] == ["正文", "附件", "附件2"]
    assert p.body[2].title.startswith("奉贤区农村公路路长制实施方案") and p.body[2].children


def test_number_before_a_figure_is_not_a_decimal(tmp_path, corpus):
    """「11.121人才梯队项目」 after item 10 is item 11 (the 121-person programme), not the decimal 11.121."""
    text = ("关于印发人才工作方案的通知\n各有关单位：\n一、主要任务\n"
            "10.实施青年人才培养计划，每年选派20名骨干赴外培训。（责任单位：区人力社保局）\n"
            "11.121人才梯队项目。5年内重点引进100名高层次人才。（责任单位：区科委）\n")
    path = tmp_path / "talent.txt"
    path.write_text(text, encoding="utf-8")
    items = _items(import_path(path, corpus))
    assert "1.11" in items and items["1.11"].text.startswith("121人才梯队项目")
    assert "区科委" not in [m.written for m in items["1.10"].responsible + items["1.10"].lead]


def test_unnumbered_paragraphs_are_items_with_their_own_actors(shanghai):
    """04's 一、完善消防安全责任体系 is five unnumbered paragraphs (…各区政府要… / 各部门要… / 各乡镇（街道）要… /
    各居（村）委要… / 社会单位要…): five items 1.1–1.5, each with the actor its own paragraph names; the
    paragraphs naming none get no stand-in (the text names actors beyond its addressees), a 待定 says so."""
    items = _items(import_path(doc("04"), shanghai))
    assert [k for k in items if k.startswith("1.")] == ["1.1", "1.2", "1.3", "1.4", "1.5"]
    assert items["1.3"].text.startswith("各乡镇（街道）要根据经济社会发展情况")
    assert [m.written for m in items["1.3"].responsible] == ["各乡镇（街道）"]
    bare = [i for i in items.values() if i.kind == "task" and not i.responsible]
    assert bare and all(any("未点名承办单位" in t for t in i.todos) for i in bare)
    assert not any(any("暂按主送单位" in t for t in i.todos) for i in items.values())


def test_principles_paragraphs_are_clauses_and_goals_one(shanghai):
    """01's 二、基本原则 has three titled paragraphs (完善制度，力求实效。…): clauses 2.1–2.3; 三、工作目标's two
    paragraphs (到2022年… / 到2035年…) stay one clause."""
    items = _items(import_path(doc("01"), shanghai))
    assert [(k, items[k].kind) for k in ("2.1", "2.2", "2.3")] == [("2.1", "clause"), ("2.2", "clause"), ("2.3", "clause")]
    assert items["3"].kind == "clause" and "3.1" not in items


def test_heading_line_is_a_title_not_text(shanghai):
    """01's 「（一）加强组织领导」 stands on its own line above 「相关区政府要加强统筹和指导…」: the title is not
    glued into the text, so the paragraph's actor (相关区政府) is read."""
    item = _items(import_path(doc("01"), shanghai))["5.1"]
    assert item.title == "加强组织领导" and item.text.startswith("相关区政府要")
    assert "相关区政府" in [m.written for m in item.responsible]


def test_opening_year_dates_the_targets_not_a_deadline(shanghai):
    """01's 三、工作目标: 「到2022年，基本建立…农村公路列养率保持100%…」 — the year is the targets' date (截至
    2022年底), 保持 is 稳定在, and the 工作目标 clause gets no deadline of its own."""
    item = _items(import_path(doc("01"), shanghai))["3"]
    assert item.kind == "clause" and item.deadlines == []
    rules = {target_parts(t) for t in item.targets}
    assert ("农村公路列养率", "稳定在 100%", "截至 2022年底") in rules


def test_year_opening_a_later_sentence_dates_what_follows(shanghai):
    """12 二、（二）2.: 「…切实解决…。到2025年，全面完成…，完成既有多层住宅加装电梯700台，创建20个…特色小区」 —
    the horizon inside the measure dates its counts (截至 2025年底) and is no deadline of the measure."""
    from luoshi.importer import extracted as draft
    from luoshi.importer.items import Context, _values
    from luoshi.importer.units import UnitResolver, registry_of

    item = draft.Item("task", "1", None)
    ctx = Context(UnitResolver(registry_of(shanghai), "静安区"), [])
    _values(item, "持续巩固“美丽家园”建设成果。到2025年，全面完成中心城区零星二级旧里以下房屋改造，"
                  "完成既有多层住宅加装电梯700台，创建20个新时代“美丽家园”特色小区。", [], ctx)
    assert item.deadlines == []
    assert {target_parts(t) for t in item.targets} >= {
        ("既有多层住宅加装电梯", "达到 700台", "截至 2025年底"), ("新时代“美丽家园”特色小区", "达到 20个", "截至 2025年底")}


@pytest.mark.parametrize("sentence, spec", [
    ("各区要在分析排查风险隐患的基础上，每年挂牌督改一批重大火灾隐患。", "每年"),          # 04 二、
    ("镇级路长应组织相关人员巡查每月不少于1次", "每月1次"),                          # 03 附件2
    ("技术状况评定每年不少于一次", "每年1次"),                                        # 03 附件2
])
def test_recurring_duties(sentence, spec):
    """A duty that recurs is a recurring deadline — with or without a count, never a 「不少于1次」 target."""
    from luoshi.importer import values

    found = values.extract(sentence)
    assert [deadline_text(d) for d in found.deadlines] == [spec] and found.targets == []


def test_validity_period_is_not_a_deadline(shanghai):
    """04's 「有效期至2029年6月30日」 says how long the 意见 is valid; no task gets it as a deadline."""
    imported = import_path(doc("04"), shanghai)
    assert not any("2029年6月30日" in deadline_text(d) for i in imported.result.policy.items() for d in i.deadlines)


def test_chinese_numerals_through_cn2an():
    from luoshi.importer.clean import cn_number, marker

    assert [cn_number(x) for x in ("十二", "二十三", "一百零五", "一二", "5")] == [12, 23, 105, None, 5]
    assert marker("二十一、加强组织保障")[:2] == (1, 21)


def test_report_lists_what_the_draft_does_not_use(corpus):
    """Nothing is dropped silently: what 08's draft does not carry (the note under 附表1) is listed as not used
    (by line); every paragraph of 04 is used. `luoshi import --report` prints the list after the scores."""
    assert import_path(doc("04"), corpus).unused == []
    unused = import_path(doc("08"), corpus).unused
    assert (102, "附表1：") in unused and any(text.startswith("此推进任务指标参照2020年") for _, text in unused)
    assert not any(text.startswith("一、基本原则") for _, text in unused)


def test_cli_report_prints_the_unused_text(tmp_path):
    import os
    import subprocess
    import sys

    import shutil

    truth = tmp_path / "truth"  # a copy: the run leaves a parse cache in the project it runs in
    shutil.copytree(DEV / "truth", truth, ignore=shutil.ignore_patterns(".luoshi-cache"))
    result = subprocess.run([sys.executable, "-m", "luoshi", "import", str(doc("04")), "--report", "hfbg-2024-6",
                             "--lang", "zh"], cwd=truth, capture_output=True, text=True,
                            env={**os.environ, "COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    assert "任务 tasks" in result.stdout and "原文段落均已用于草稿" in result.stdout


def test_joint_issuers_from_the_signature(corpus):
    """16's title says 「广州市卫生健康委等4部门」; the notice is signed by the four, two names a line: the issuers
    are the four, with a 待定 saying how they were read."""
    p = import_path(doc("16"), corpus).result.policy
    assert [m.written for m in p.issuers] == ["广州市卫生健康委员会", "广州市财政局", "广州市人力资源和社会保障局", "广州市医疗保障局"]
    assert any("等4部门" in t for t in p.todos)


def test_table_beside_the_task_table_is_reported(corpus):
    """16's 附件1 (an indicator table: no unit column) sits beside 附件2 (the 任务分工表): the task table is read,
    the other is an LS615, never dropped silently."""
    imported = import_path(doc("16"), corpus)
    assert any(i.code == "LS615" and "监测指标体系" in i.zh for i in imported.issues)
    assert any(item.lead for item in imported.result.policy.items())


@pytest.mark.parametrize("sentence, deadlines, targets", [
    # 12 附件 row 7: a bare count with a unit, no comparator
    ("完成既有多层住宅加装电梯700台", [], [("既有多层住宅加装电梯", "达到 700台", "")]),
    # 12 附件 row 8: the metric after the number, as written (no 数 added: docs/encoding.md names it as the text does)
    ("创建20个新时代“美丽家园”特色小区", [], [("新时代“美丽家园”特色小区", "达到 20个", "")]),
    # 11 三、（三）: verb, number and unit before the object; 打造创建 / 改建或新建 are verbs, not the metric
    ("实施7公里燃气老化管道改造。", [], [("燃气老化管道改造", "达到 7公里", "")]),
    ("改建或新建9座左右口袋公园，打造创建3个高品质“美丽街区”", [],
     [("口袋公园", "达到 9座", ""), ("高品质“美丽街区”", "达到 3个", "")]),
    ("认定启动3个“城中村”整体改造类项目", [], [("“城中村”整体改造类项目", "达到 3个", "")]),
    ("完成3.44平方公里低效产业用地处置任务", [], [("低效产业用地处置任务", "达到 3.44平方公里", "")]),
    # 17 第八条: a limit counted from an event
    ("镇人民政府(街道办事处)在受理之日起3个工作日内,根据入户调查、民主评议等情况,提出审核意见",
     ['从 "受理之日" 3个工作日 内'], []),
    # issue 17's unseen documents: 「2012年起5年内」 is a period, and the count's date is its end
    ("2012年起5年内重点引进100名高层次人才", ["2012年至2016年"], [("高层次人才", "达到 100名", "截至 2016年底")]),
    ("2024年一季度前完成排查，二季度完成整改", ["2024年3月底前", "2024年6月底"], []),
    # 01 四、（一）3.: a per-entity count in Chinese numerals (不少于一名)
    ("强化管理站人员和职责配置，每25—30公里乡道、村道配备不少于一名农村公路专管员，做到乡道、村道管理养护全覆盖；", [],
     [("农村公路专管员人数", "不少于 1名", '每 "25—30公里乡道、村道"')]),
    # 17 第十条: what is counted is before the comparator, nothing after it (was 「人人数」)
    ("入户调查人员应当不少于2人,并在调查时出示有效证件。", [], [("入户调查人员", "不少于 2人", "")]),
    # 12 二、（三）: a planned length written approximately (约), and 应急 is no modal 应 (was 「急避难场所建设」)
    ("完成架空线入地和杆箱整治约48公里，完成燃气老化管道改造约36公里", [],
     [("架空线入地和杆箱整治", "达到 48公里", ""), ("燃气老化管道改造", "达到 36公里", "")]),
    ("完成应急避难场所建设144.45万平方米。", [], [("应急避难场所建设", "达到 144.45万平方米", "")]),
    # 14 四、（一）: 新增 and 累计 of one count, named by what grows (was the metric 「达到」)
    # (and 「实现X的全覆盖」 after them is X覆盖率 100%, dated by the same year, as 14's truth encodes it)
    ("2017年本区绿色账户要新增覆盖14.3万户，累计达到30.3万户，实现垃圾分类居住区绿色账户的全覆盖", [],
     [("绿色账户新增覆盖", "达到 14.3万户", "截至 2017年底"), ("绿色账户累计覆盖", "达到 30.3万户", "截至 2017年底"),
      ("垃圾分类居住区绿色账户覆盖率", "达到 100%", "截至 2017年底")]),
    # 09 一、: 稳定在…以上 is a bound (≥), and 「“十四五”期间」 dates the target by the plan's end, off the metric
    ("“十四五”期间粮食生产面积稳定在170万亩以上，年产量稳定在90万吨以上。", [],
     [("粮食生产面积", "稳定在 170万亩 以上", "截至 2025年底"), ("年产量", "稳定在 90万吨 以上", "截至 2025年底")]),
    # 20 三、（一）: a share fixed at a value; the year in the sentence is the intake's, not a date to reach it by
    ("教育部门办幼儿园2026年面向社会电脑派位招生的比例为90%。", [],
     [("教育部门办幼儿园面向社会电脑派位招生比例", "= 90%", "")]),
    # 08 一、（一） and 11 一、（三）11.: a share of a whole is 「X占Y比例」; without a comparator only when called a target
    ("其中等级应急避难场所建设面积应不少于总量的30%。", [], [("等级应急避难场所建设面积占总量比例", "不少于 30%", "")]),
    ("推进海绵城市达标评估，落实海绵城市达标区面积占建成区50%的目标要求", [],
     [("落实海绵城市达标区面积占建成区比例", "达到 50%", "")]),
    # 16 二、（一）3.: 培育 is a verb that sets a count like 培养; the 到2025年 inside the sentence dates the count and
    # is no deadline of its own (was a second fact, 时限 2025年底)
    ("培育省、市家庭医生培训示范基地，到2025年，为各区至少培育1家广州市家庭医生培训示范基地，", [],
     [("广州市家庭医生培训示范基地", "达到 1家", "截至 2025年底")]),
    # 16 二、（二）3.: 「到2025年，全部X均应Y」 is a share of 100% (Y的X比例), dated, and no deadline of its own; with
    # no date it is how a rule reads, not an aim
    ("经家庭医生评估可将处方用药量最长放宽至3个月，到2025年，全部社区卫生服务中心和镇卫生院均应提供长期处方服务。", [],
     [("提供长期处方服务的社区卫生服务中心和镇卫生院比例", "达到 100%", "截至 2025年底")]),
    ("全部费用均由区财政承担。", [], []),
    # 08 四、（二）: 「2025年前完成总目标的75%」 is a dated target (the share of the whole done), not a deadline
    ("确保推进进度，2025年前完成总目标的75%(详见附表),2035年前全部完成建设任务。", ["2035年前"],
     [("总目标完成比例", "达到 75%", "截至 2025年底")]),
    # not targets: a state looked at (06 清零情况), work listed (06 开展…清零), what was done (13 新增了), a list of
    # counts (13), a count in a gloss (08 包括6个等级), a current share (14 占比近30%)
    ("结合社区、村委安全隐患指数和动态隐患清零情况，实时掌握本地区消防工作动态", [], []),
    ("部署并牵头开展区域消防安全综合治理、重点消防隐患排查整治、风险隐患协同清零，总结推广消防工作经验", [], []),
    ("N是市级层面结合上海市实际，新增了34个指标", [], []),
    ("区级体检指标传导沿用住房城乡建设部65个基础性指标和市级新增34个指标的同时，结合本区自身发展战略", [], []),
    ("本区应急避难场所建设类型分为等级应急避难场所(包括6个等级)和社区应急避难场所2类", [], []),
    ("盒饭、瓶罐、塑料、衣物等生活垃圾及油漆罐、灯管等有毒有害垃圾占比近30%", [], []),
    # 12 二、（二）2.: 每年完成… is a figure for each year (每 "年", undated); counts listed after one verb share it
    ("每年完成80万平米屋面及相关设施改造、多高层综合整治及里弄全项目修缮，创建20个新时代“美丽家园”特色小区、"
     "10个新时代“美丽家园”示范小区。", [],
     [("屋面及相关设施改造", "达到 80万平米", '每 "年"'), ("新时代“美丽家园”特色小区", "达到 20个", ""),
      ("新时代“美丽家园”示范小区", "达到 10个", "")]),
    # 19 第十条: 「每处建筑面积」 after a count of sites is the area of each of those sites (was 「每处建筑面积原则上」)
    ("每个社区、行政村应当设置至少1个村居颐康服务站，每处建筑面积原则上不少于200平方米，并应当具备日间照料", [],
     [("村居颐康服务站数", "至少 1个", '每 "社区、行政村"'), ("村居颐康服务站建筑面积", "不少于 200平方米", '每 "处"')]),
    # 19 第十条: the entity a count is per stops at the modal (每个区应当单独设置…)
    ("每个区应当单独设置至少1个区级综合养老服务中心，", [], [("区级综合养老服务中心数", "至少 1个", '每 "区"')]),
    # 01 四、（二）2. and 02 四、（二）1.: a funding floor per length and year, one per kind of road, named by the road
    # and what the money is for (docs/encoding.md §10); 「不得低于」 is 不低于; a rate to compute by is no floor
    ("除市下达的成品油税费改革资金外，区级公共财政资金用于乡道、村道养护应不低于区和镇政府投入资金总额的50%，其中用于农村"
     "公路日常养护的总额不得低于县道每年每公里1万元，乡道每年每公里5000元，村道每年每公里3000元。", [],
     [("县道日常养护资金", "不低于 1万元", '每 "县道每年每公里"'), ("乡道日常养护资金", "不低于 5000元", '每 "乡道每年每公里"'),
      ("村道日常养护资金", "不低于 3000元", '每 "村道每年每公里"')]),
    ("其中：镇级配套资金用于乡道、村道日常养护经费总额要求不得低于乡道每年每公里5000元，村道每年每公里3000元；", [],
     [("乡道日常养护资金", "不低于 5000元", '每 "乡道每年每公里"'), ("村道日常养护资金", "不低于 3000元", '每 "村道每年每公里"')]),
    ("养护资金按照县道每年每公里1万元测算。", [], []),
    # 16 二、（二）6.: a share of the facilities doing something, 「N%的X完成Y」 / 「加强N%的X<Y>」 / 「在N%的X设置Y」
    ("实施基层中医药服务能力提升工程，100%的社区卫生服务中心和镇卫生院完成中医馆设置，加强15%的中医馆内涵建设，提升服务能力。"
     "探索在10%的社区卫生服务站设置中医阁，", [],
     [("完成中医馆设置的社区卫生服务中心和镇卫生院比例", "达到 100%", ""), ("加强内涵建设的中医馆比例", "达到 15%", ""),
      ("设置中医阁的社区卫生服务站比例", "达到 10%", "")]),
    ("目前约30%的社区卫生服务中心已完成中医馆设置。", [], []),
    # 07 四、（五）: 「X都应安装Y」 is a coverage duty, at least one Y for each X (docs/encoding.md §11), undated
    ("原则上，辖区实有独居老人家中都应安装独立式烟感报警器，有条件的地方引导和鼓励安装简易喷淋。", [],
     [("独立式烟感报警器", "至少 1个", '每 "辖区实有独居老人家中"')]),
    ("有条件的地方引导和鼓励安装简易喷淋。", [], []),
    # 03 三、（三）: a ratio followed by what it is of, and the same ratio of the next thing after 「、」
    ("年均专项养护工程按道路总里程比例县道不低于13%、乡、村道不低于8%，", [],
     [("县道年均专项养护工程按道路总里程比例", "不低于 13%", ""),
      ("乡、村道年均专项养护工程按道路总里程比例", "不低于 8%", "")]),
    # 14 三、（一）'s 「实现X的全覆盖」 is a coverage of 100% (above); how work is done (03 「做到…全覆盖」) and a hedge
    # (16 「基本实现家庭全覆盖」) are not
    # 09 一、 and 二、（二）: areas listed before what they are of, closing on 保护底线 (a floor on the area kept) or 任务
    # (the last noun shared, each its own verb); the 2035 dates the floors, no deadline of its own
    ("坚决守住耕地红线，确保至2035年全市202万亩耕地、150万亩永久基本农田保护底线。", [],
     [("耕地保护面积", "不低于 202万亩", "截至 2035年底"), ("永久基本农田保护面积", "不低于 150万亩", "截至 2035年底")]),
    ("到2025年，完成新增建设13万亩、改造提升11万亩高标准农田任务。", [],
     [("新增建设高标准农田", "达到 13万亩", "截至 2025年底"), ("改造提升高标准农田", "达到 11万亩", "截至 2025年底")]),
    ("全市现有耕地202万亩、永久基本农田150万亩。", [], []),
    ("做到乡道、村道管理养护全覆盖", [], []),
    ("基本实现家庭全覆盖", [], []),
])
def test_values_from_usual_phrasings(sentence, deadlines, targets):
    from luoshi.importer import values

    found = values.extract(sentence)
    assert [deadline_text(d) for d in found.deadlines] == deadlines
    assert [target_parts(t) for t in found.targets] == targets


def test_supporting_units_clause(corpus):
    """11: 「（牵头单位：经济技术开发区、九里亭街道，支撑单位：区规划资源局、区建设管理委、区经委）」 — 支撑单位
    after a 「，」 is its own list (配合), not glued onto the last lead unit."""
    items = _items(import_path(doc("11"), corpus))
    item = items["1.1.1"]
    assert [m.written for m in item.lead + item.responsible] == ["经济技术开发区", "九里亭街道"]
    assert [m.written for m in item.cooperate] == ["区规划资源局", "区建设管理委", "区经委"]


def test_unknown_unit_is_proposed_once_with_where_it_was_read(corpus):
    imported = import_path(doc("11"), corpus)
    names = [p.name for p in imported.result.proposals]
    # 区规划资源局 is a standard unit of 松江区 now (the registry); 区住房保障房屋管理局 is not
    assert len(names) == len(set(names)) and "区住房保障房屋管理局" in names and "区规划资源局" not in names
    issue = next(i for i in imported.issues if i.code == "LS610" and "「区住房保障房屋管理局」" in i.zh)
    assert "原文「" in issue.zh


def test_chapters_and_articles(corpus):
    """19 is a 管理办法 in 第一章 … 第七章 and 第一条 … 第五十二条; 17's 第十一条 lists （一）（二）（三） inside the
    article. Chapters are parts, articles are items (52, not 3 of them merged), and （一） stays inside its
    article."""
    p19 = import_path(doc("19"), corpus).result.policy
    articles = [i for chapter in p19.body for i in chapter.children]
    assert len(p19.body) == 7 and len(articles) == 52
    assert p19.body[0].title == "总则"
    items17 = _items(import_path(doc("17"), corpus))
    assert [k for k in items17 if "." not in k] == [str(n) for n in range(1, 19)]
    assert "11.1" in items17 and items17["11.1"].text.startswith("申请事项属于非紧急情况")


def test_duty_blocks_open_with_their_actor(shanghai_like):
    """07's 「1.街道消委办。牵头开展…」 and 08's 「区民防办：负责制定…」: the block's opening name is its actor
    (牵头 right after it names no partner: 负责, docs/encoding.md §1); 08's 「附表：1、…」 listing and its 「2、…」
    lines are not items of 五、."""
    items07 = _items(import_path(doc("07"), shanghai_like))
    assert not items07["2.1"].lead and [m.written for m in items07["2.1"].responsible] == ["街道消委办"]
    assert [m.written for m in items07["2.2"].responsible] == ["派出所"]
    items08 = _items(import_path(doc("08"), shanghai_like))
    assert [m.written for m in items08["正文.5.2"].responsible] == ["区民防办"]  # 正文: the 附表 are read too
    assert [m.written for m in items08["正文.5.11"].responsible] == ["区经委（商务委）"]
    assert not any("十三五" in (i.title or "") for i in items08.values())


# 12's annex rows, as other archives store such a table: aligned by spaces, or as a Markdown pipe table.
ROWS_12 = [("2", "推进走马塘片区规划研究", "区规划资源局、区建设管理委、区发展改革委、区商务委、区国资委、市北高新集团"),
           ("7", "完成既有多层住宅加装电梯700台", "区“两旧”专班、区房管局、区旧改总办、区成套办、各相关街镇")]
HEAD_12 = ("上海市静安区人民政府办公室关于转发区建设管理委《静安区“卓越城区”城市更新行动方案（2023-2025年）》的通知\n\n"
           "区政府各委、办、局，各街道办事处、彭浦镇政府：\n\n"
           "区建设管理委《静安区“卓越城区”城市更新行动方案（2023-2025年）》已经区政府第72次常务会议通过，现转发给你们，"
           "请认真按照执行。\n\n上海市静安区人民政府办公室\n\n2023年12月12日\n\n附件\n\n"
           "静安区“卓越城区”城市更新行动重点任务清单（2023-2025年）\n\n")


def _table_items(imported):
    return {i.id: ([m.written for m in i.lead + i.responsible], i.text) for i in imported.result.policy.items()
            if i.kind == "task"}


def test_table_aligned_by_spaces(tmp_path, corpus):
    """A plain-text table whose columns are spaced out (序号  工作任务  推进单位), a wrapped task continuing on
    the next line: rows by column, the units of the 推进单位 column."""
    lines = ["序号    工作任务                        推进单位"]
    for number, task, units in ROWS_12:
        lines.append(f"{number}       {task[:8]}        {units}")
        lines.append(f"        {task[8:]}")
    path = tmp_path / "12-aligned.txt"
    path.write_text(HEAD_12 + "\n".join(lines) + "\n", encoding="utf-8")
    items = _table_items(import_path(path, corpus))
    assert items["7"] == (ROWS_12[1][2].split("、"), ROWS_12[1][1])
    assert items["2"][1] == ROWS_12[0][1]


def test_markdown_pipe_table(tmp_path, corpus):
    """The same rows as a Markdown pipe table under a front matter: read as table rows, the rule line dropped."""
    table = ["| 序号 | 工作任务 | 推进单位 |", "|---|---|---|"] + [f"| {n} | {t} | {u} |" for n, t, u in ROWS_12]
    path = tmp_path / "12.md"
    path.write_text("---\n标题: 静安区卓越城区\n文号: 静府办发〔2023〕13号\n---\n\n" + HEAD_12 + "\n".join(table) + "\n",
                    encoding="utf-8")
    imported = import_path(path, corpus)
    assert imported.document.fmt == "md" and imported.result.policy.number == "静府办发〔2023〕13号"
    items = _table_items(imported)
    assert items["2"] == (ROWS_12[0][2].split("、"), ROWS_12[0][1])
    assert "|---|" not in imported.policy_text


def test_task_table_rows_go_onto_the_body_items_they_repeat(corpus):
    """16 assigns its work in 附件2's 任务分工表, whose 任务 column repeats the body's headings (「有序扩大家庭医生
    来源。」 over three rows, 「不断优化签约服务团队。」 one row); the body items themselves name no unit. Each body
    item gets its rows' units — one row on the item, several rows as its sub-tasks — never the addressees, and
    the table's 「/」 (no 配合单位) is no unit."""
    p = import_path(doc("16"), corpus).result.policy
    body = {i.title: i for x in p.body if not x.id.startswith("附件") for i in x.walk() if i.kind == "task"}
    assert not any(x.id.startswith("附件") and any(i.kind == "task" for i in x.walk()) for x in p.body)
    assert not any(any("暂按主送单位" in t or "任务分工表：" in t for t in i.todos) for i in body.values())
    source = body["有序扩大家庭医生来源"]
    assert [c.text[:10] for c in source.children] == ["现阶段家庭医生包括全", "根据服务人口、功能定", "各区要引导符合条件的"]
    assert [[m.written for m in c.cooperate] for c in source.children] == [
        ["市卫生健康委"], ["市卫生健康委", "市人社局"], ["市卫生健康委"]]
    assert not source.targets and source.children[0].targets  # 「不低于4人」 on the row that states it
    team = body["不断优化签约服务团队"]
    assert not team.children and [m.written for m in team.lead] == ["各区政府"]
    assert any("序号2" in n for n in team.notes)
    assert not any(m.written == "/" for i in p.items() for m in i.cooperate + i.lead + i.responsible)


def test_dated_targets_that_share_a_metric_or_say_da():
    """16 一、 and 二、（一）1.: 「达80%以上」 is a target (达 before a number); 「覆盖率力争达到95%」 keeps its metric
    (力争 after it); 「到2023年，力争每万常住人口家庭医生数不低于4人，到2025年不低于4.66人」 is two dated targets on one
    metric — the second was read as a 2025 deadline."""
    from luoshi.importer.values import extract

    def facts(text: str) -> list[tuple[str, str, str]]:
        return [target_parts(t) for t in extract(text).targets]

    assert facts("到2023年，重点人群签约服务覆盖率达80%以上，重点人群续约率达80%以上。") == [
        ("重点人群签约服务覆盖率", "达到 80%", "截至 2023年底"), ("重点人群续约率", "达到 80%", "截至 2023年底")]
    assert ("重点人群签约服务覆盖率", "达到 95%", "截至 2035年底") in facts(
        "到2035年，签约服务覆盖率达到75%以上，基本实现家庭全覆盖，重点人群签约服务覆盖率力争达到95%，满意度达到90%左右。")
    found = extract("由全科向专科拓展，到2023年，力争每万常住人口家庭医生数不低于4人，到2025年不低于4.66人。")
    assert [target_parts(t) for t in found.targets] == [
        ("每万常住人口家庭医生数", "不低于 4人", "截至 2023年底"), ("每万常住人口家庭医生数", "不低于 4.66人", "截至 2025年底")]
    assert not found.deadlines
    assert not extract("各项指标均已达标，服务达成预期。").targets  # 达 only straight before a number


def test_part_headings_without_numbers_become_parts(corpus):
    """15's 方案 heads its parts 「总体要求」「重点整治内容」「工作安排」「工作要求」 with no 一、: its 1.–4. items under
    重点整治内容 were lost in the preamble. The headings are numbered 1–4 in order, with a 待定 that says so; the
    notice's signature 上海市奉贤区民政局 is no heading."""
    p = import_path(doc("15"), corpus).result.policy
    assert [(x.id, x.title) for x in p.body] == [
        ("1", "总体要求"), ("2", "重点整治内容"), ("3", "工作安排"), ("4", "工作要求")]
    assert [c.id for c in p.body[1].children] == ["2.1", "2.2", "2.3", "2.4"]
    assert p.body[1].children[0].text.startswith("对养老服务机构未落实消防安全责任制")
    assert any("总体要求、重点整治内容、工作安排、工作要求" in t and "1–4" in t for t in p.todos)


def test_articles_stating_the_rules_own_frame_are_clauses(corpus):
    """A 办法's purpose (19 第一条 「为了规范…，根据…，制定本办法。」), scope (第二条 「…适用本办法。」), definitions
    (第四条 「本办法所称…是指…」, 17 第二条 「本实施细则所称临时救助,是指…」) and entry into force (17 第十八条
    「本实施细则自印发之日起施行,有效期5年。…」) are 条款, though they use duty verbs (规范, 制定); 19 第五条, which
    says who does what, stays a 任务."""
    def kinds(number: str) -> dict[str, str]:
        p = import_path(doc(number), corpus).result.policy
        return {i.text[:12]: i.kind for i in p.items() if i.kind in ("task", "clause")}

    nineteen = kinds("19")
    assert nineteen["为了规范本市居家社区养老"] == nineteen["在本市行政区域范围内开展"] == "clause"
    assert nineteen["本办法所称居家社区养老服"] == "clause"
    assert nineteen["市民政部门是本市居家社区"] == "task"
    # 06 二、（二）2.(3): 「…实时掌握本地区消防工作动态，及时发布火灾预警信息」 asks for work (掌握, 发布): a 任务
    assert kinds("06")["结合社区、村委安全隐患指"] == "task"
    seventeen = kinds("17")
    assert seventeen["本实施细则所称临时救助,"] == seventeen["本实施细则自印发之日起施"] == "clause"


def test_yi_yao_er_yao_split_a_measure_like_yi_shi(corpus):
    """14 三、4.: 「各街道、镇作为本辖区内装修垃圾处理工作的责任主体…。一要充分发挥社区自治作用…。二要根据…五要做好…」 —
    一要…五要 are five sub-tasks of the measure, as 一是…五是 are."""
    p = import_path(doc("14"), corpus).result.policy
    parent = next(i for i in p.items() if i.text.startswith("各街道、镇作为本辖区内装修垃圾处理工作的责任主体"))
    assert [c.id for c in parent.children] == [f"{parent.id}.{n}" for n in range(1, 6)]
    assert parent.children[0].text.startswith("充分发挥社区自治作用")
    assert parent.children[4].text.startswith("做好装修垃圾非法处理现象的排查与整治工作")


def test_paragraphs_under_a_subheading_each_naming_an_actor_are_items(shanghai):
    """20's 「（一）公告」 stands over two unnumbered paragraphs, 「…各园应在招生工作开始前…」 and 「教育部门办幼儿园应于
    5月12日前…」: two items 4.1.1 and 4.1.2, each with its own actor, not one item with both. 13's 「（四）编制体检
    工作报告」 over 「工作报告成果主要包括…」 and 「指标数据应准确说明…」 names no unit: it stays one item."""
    items = _items(import_path(doc("20"), shanghai))
    assert [k for k in items if k.startswith("4.1.")] == ["4.1.1", "4.1.2"]
    assert [m.unit for m in items["4.1.1"].responsible] == ["天河区/各幼儿园"]
    assert [m.unit for m in items["4.1.2"].responsible] == ["天河区/教育部门办幼儿园"]
    thirteen = _items(import_path(doc("13"), shanghai))
    report = next(i for i in thirteen.values() if i.title == "编制体检工作报告")
    assert not report.children and "指标数据应准确说明" in report.text


def test_power_and_responsibility_list_flattened_one_cell_a_line(shanghai):
    """03's 附件1 权力和责任清单, one cell a line: 序号 / 权力责任名称 / 行使主体 / 权力责任类别 / 设定依据 / 行使层级 /
    权力责任事项. Every 序号 after the first follows a row ending in a sentence (「…公路的具体管理。」 then 「2」), and was
    dropped as a page number; the columns are read by position (the 事项 column comes after the units), the name is
    the title, the 事项 the text, even when it runs over three lines (row 4), and 行使主体 with no 配合 column is 负责."""
    p = import_path(doc("03"), shanghai).result.policy
    annex = next(x for x in p.body if x.title.startswith("奉贤区农村公路管理养护权力和责任清单"))
    rows = {i.id: i for i in annex.children}
    assert list(rows) == [str(n) for n in range(1, 25)]
    assert rows["1"].title == "公路的具体管理" and rows["1"].text == "区交通委按照其职责权限，负责所辖区域内公路的具体管理。"
    assert rows["4"].text.endswith("跨乡（镇）的乡道、村道建设计划，区交通委应当负责协调。")
    assert [m.unit for m in rows["2"].responsible] == ["奉贤区/各街镇"] and not rows["2"].lead
    assert all(not r.lead for r in rows.values())
    assert "中华人民共和国公路法" not in rows["1"].text


def test_single_unit_of_a_clause_without_lead_first_is_responsible(shanghai):
    """01 四、（一）3.「…（责任单位：相关区政府）」: the document declares no lead-first rule, so its one unit is 负责,
    not 牵头 (docs/encoding.md §1); a 责任单位 column beside a 配合单位 column (璧山's table) stays the lead's, which
    tests/test_import.py's seed scores hold."""
    items = _items(import_path(doc("01"), shanghai))
    assert [m.unit for m in items["4.1.3"].responsible] == ["上海市/相关区政府"] and not items["4.1.3"].lead


def test_plan_table_keyed_by_unit_without_a_number(shanghai):
    """08's 附表1 「“十四五”期间全区应急避难场所建设推进计划表」, one cell a line: 街镇 / 类型 / 十三五已建成 (万m2) /
    2021年任务 … / 2025年人均避难面积(m2), then 南桥镇 / 等级 / 0.55 / … / 社区 / 0.00 / … — rows keyed by the 街镇,
    no 序号 (the table was reported unread). One task per 街镇 with that unit responsible (海湾 / 旅游区 wrapped
    over two lines is one name), the 总计 row no task."""
    p = import_path(doc("08"), shanghai).result.policy
    plan = next(x for x in p.body if x.title == "“十四五”期间全区应急避难场所建设推进计划表")
    assert [i.title for i in plan.children][:3] == ["南桥镇", "奉城镇", "四团镇"] and len(plan.children) == 13
    assert [i.title for i in plan.children][-2:] == ["海湾旅游区", "头桥集团"]
    assert [m.unit for m in plan.children[0].responsible] == ["奉贤区/南桥镇"]
    assert [m.unit for m in plan.children[11].responsible] == ["奉贤区/海湾旅游区"]


def test_plan_table_columns_are_dated_targets(shanghai):
    """08's 附表1 as docs/encoding.md §10 and the truth encode it: each figure of a plan column is a dated target named
    from the row's type, the table's subject and the column's meaning — 「2021年任务(万m2)」 3.35 on 南桥镇's 等级 row
    is 等级应急避难场所新增避难面积 达到 3.35万m2 截至 2021年底, 「2025年底总量」 the stock (避难面积, the noun of the
    「人均避难面积」 column), 「2025年人均避难面积(m2)」 the per-capita figure. 十三五已建成 (what exists) and
    2025年规划人口 (the basis) are no targets and stay in a note; the 社区 row, one figure short because 规划人口 is
    merged over the 街镇's two rows, is aligned by skipping that column; 庄行镇's 等级 2021年任务 0.00 is no target."""
    p = import_path(doc("08"), shanghai).result.policy
    plan = next(x for x in p.body if x.title == "“十四五”期间全区应急避难场所建设推进计划表")
    nanqiao = [target_parts(t) for t in plan.children[0].targets]
    assert len(nanqiao) == 14
    assert nanqiao[0] == ("等级应急避难场所新增避难面积", "达到 3.35万m2", "截至 2021年底")
    assert nanqiao[5:7] == [("等级应急避难场所避难面积", "达到 19.13万m2", "截至 2025年底"),
                            ("等级应急避难场所人均避难面积", "达到 0.69m2", "截至 2025年底")]
    assert nanqiao[-1] == ("社区应急避难场所人均避难面积", "达到 1.61m2", "截至 2025年底")
    assert not any("0.55" in rule or "27.73" in rule for _, rule, _ in nanqiao)
    assert plan.children[0].notes[0] == "南桥镇（等级）：十三五已建成(万m2) 0.55，2025年规划人口（万） 27.73"
    zhuanghang = [target_parts(t) for t in plan.children[4].targets]
    assert len(zhuanghang) == 13 and zhuanghang[0][1:] == ("达到 0.3025万m2", "截至 2022年底")
    assert len(plan.todos) == 1 and "指标名称按表头推定" in plan.todos[0]


def test_part_introduction_naming_an_actor_is_item_zero(shanghai):
    """03 五、（一） opens, before its 1. 2. …, with 「区级相关部门要发挥好承上启下作用，全面负责农村公路管理养护体制改革的
    具体工作。…」: that paragraph is the part's item 0 (5.1.0) with its actor, not the part's text (docs/encoding.md
    §7); a part whose introduction names no unit keeps it as its text."""
    items = _items(import_path(doc("03"), shanghai))
    intro = items["正文.5.1.0"]
    assert intro.kind == "task" and intro.text.startswith("区级相关部门要发挥好承上启下作用")
    assert [m.unit for m in intro.responsible] == ["奉贤区/区级相关部门"] and not items["正文.5.1"].text
    assert "正文.1.0" not in items


def test_principles_are_clauses_and_listed_principles_no_sub_tasks(shanghai):
    """20's 一、招生原则 （一）适龄优先 （二）免试入园 （三）公正公开 are principles: 条款, not tasks (as 基本原则's are);
    三、（一）'s 「自主招生遵循以下原则：一是解决幼儿园原招生渠道幼儿的入园需求…；二是有利于幼儿园健康、稳定发展。」
    lists principles of the measure, not two sub-tasks (14's 一要…五要 still are)."""
    items = _items(import_path(doc("20"), shanghai))
    assert [items[k].kind for k in ("1.1", "1.2", "1.3")] == ["clause", "clause", "clause"]
    assert items["3.1"].kind == "task" and not items["3.1"].children and "二是有利于" in items["3.1"].text


def test_lines_listing_what_an_item_introduces_stay_in_its_text(shanghai):
    """20 四、（三）2.「电脑派位录取过程如下：」 over （1）…（3）, the program's steps, and 13 三、（四）'s 「体检报告主要内容
    包括：」 over 1.…4.: the listed lines are the item's text, not sub-tasks (docs/encoding.md §7). 10's 「需街道采购专业
    服务如下：」 over （一）可研报告服务 with a paragraph of its own keeps its three titled measures."""
    twenty = _items(import_path(doc("20"), shanghai))
    assert not twenty["4.3.2"].children and "（3）派位程序将为每一所区教育部门办幼儿园进行派位" in twenty["4.3.2"].text
    thirteen = _items(import_path(doc("13"), shanghai))
    report = next(i for i in thirteen.values() if i.title == "形成体检报告")
    assert not report.children and "1.本区城市体检总体情况；" in report.text and "4.制定重点行动计划。" in report.text
    ten = _items(import_path(doc("10"), shanghai))
    assert [i.title for i in ten["6"].children] == ["可研报告服务", "综合评估服务", "拆房服务"]
