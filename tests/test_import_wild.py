"""`luoshi import` on documents from other cities and provinces, in the shapes they are published in
(tests/fixtures/import-wild/, SOURCES.md says where each shape was seen): label lines after each measure (辽宁),
a lead-first rule declared inside a 责任单位 line (浙江), 工作要点 items closed by 「（A牵头，B配合；长期坚持）」 (陕西),
a county page whose body and annex table sit inside a layout table (山西), joint issuers and ①② measures (四川),
a docx task table with merged cells (浙江), the text layer of a PDF with mastheads, page numbers and table cells
wrapped over lines (福建); round 11: 〔〕 clauses (四川), the State Council's clauses closing with a time and its result,
a numbered notice signed before the 方案 it issues (湖北), a title printed twice on a page, and a task table kept as
an xlsx workbook (杭州).

Every document imports without a crash, quickly, to a draft that `luoshi check` accepts beside the project's
files with nothing but LS230 (待定) warnings; each general cause found by reading the drafts is pinned by the
sentence or table it was found in."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from helpers import deadline_text, target_parts
from luoshi.driver.pipeline import compile_paths
from luoshi.driver.project import Project
from luoshi.importer import import_path
from luoshi.importer.clauses import labelled_clause, parse_clause

WILD = FIXTURES / "import-wild"
DOCUMENTS = sorted(p.name for p in WILD.iterdir() if p.suffix in (".txt", ".html", ".docx", ".pdf", ".xlsx", ".xls"))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A copy of the project's policies/: its registry holds none of these cities."""
    root = tmp_path_factory.mktemp("wild")
    shutil.copytree(ROOT / "policies", root / "policies")
    return Project(root, root / "policies", root / "build")


@pytest.fixture(scope="module")
def corpus(project):
    return compile_paths(None, project).corpus


@pytest.fixture(scope="module")
def imported(corpus):
    return {name: import_path(WILD / name, corpus) for name in DOCUMENTS}


def _items(imported, name: str) -> dict:
    return {i.id: i for i in imported[name].result.policy.items()}


def _written(mentions) -> list[str]:
    return [m.written for m in mentions]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_document_imports_quickly_and_checks(project, corpus, name):
    """No crash, no hang (each well under a few seconds), and the draft with its proposed registry entries checks
    with only LS230 (待定) warnings: the official's review starts from a draft the compiler accepts."""
    started = time.perf_counter()
    result = import_path(WILD / name, corpus)
    assert time.perf_counter() - started < 20
    stem = Path(name).stem.replace(".", "-")
    path = project.policies / f"{stem}.policy"
    path.write_text(result.policy_text, encoding="utf-8")
    targets = [str(path)]
    if result.units_text:
        units = project.policies / "units" / f"{stem}.units"
        units.write_text(result.units_text, encoding="utf-8")
        targets.append(str(units))
    try:
        found = [f"{d.code} {d.span}: {d.zh}" for d in compile_paths(targets, project).diagnostics()]
    finally:
        for target in targets:
            Path(target).unlink()
    assert [f for f in found if not f.startswith("LS230")] == []
    assert [i for i in result.result.policy.items() if i.kind == "task"]


def test_label_lines_after_a_measure_are_its_clause(imported):
    """鞍山 shape: 「1.地区生产总值增长6%左右。」 then 「牵头单位:区发改局」 and 「责任单位:立山经济开发区,各街道」 on lines of
    their own (half-width colons, a blank line between). They were glued into the measure's text and the
    addressees stood in for every unit; now they are the clause, and a 「完成时限:」 line its 时限."""
    items = _items(imported, "01_ls-qu_zhongdian-fenjie.txt")
    assert _written(items["1.1"].lead) == ["区发改局"] and _written(items["1.1"].responsible) == ["立山经济开发区", "各街道"]
    assert items["1.1"].text == "地区生产总值增长6%左右。" and not items["1.1"].inferred
    assert _written(items["1.2"].responsible) == ["各街道", "区税务局"]  # 「各街道,区税务局」: two names
    assert [deadline_text(d) for d in items["2.1.5"].deadlines] == ["2023年11月底前"]
    assert _written(items["2.2.8"].responsible) == ["区卫生健康局", "区城市管理局", "各街道"]
    assert [deadline_text(d) for d in items["2.2.8"].deadlines] == ["持续"]
    assert labelled_clause(["巩固创建成果。", "责任单位:区卫生健康局", "完成时限:持续推进"], False) is not None
    assert labelled_clause(["巩固创建成果。责任单位要加强领导。"], False) is None


def test_the_masthead_is_not_part_of_the_issuer(imported):
    """「鞍山市立山区人民政府文件」 and 「福州市鼓楼区人民政府办公室文件」 above the 文号 (the red-letter masthead) were
    glued to the title's issuer: 发文机关 「鞍山市立山区人民政府文件立山区人民政府」, 辖区 「文件立山区」."""
    policy = imported["01_ls-qu_zhongdian-fenjie.txt"].result.policy
    assert _written(policy.issuers) == ["立山区人民政府"] and policy.jurisdiction == "立山区"
    # the page prints the title again after the 文号, and the notice carries the 方案 its title names in 《》:
    # one title, and no 文件 declared for the 方案 and 落实 it (the 方案 is this text); （此件公开发布） is no title
    assert policy.title == "关于印发《立山区2023年重点工作任务分解和责任分工方案》的通知"
    assert not policy.implements and not policy.documents
    assert "原文为所附《立山区2023年重点工作任务分解和责任分工方案》" in policy.notes
    policy = imported["07_gl-qu_renwu-qingdan.pdf.txt"].result.policy
    assert _written(policy.issuers) == ["福州市鼓楼区人民政府办公室"] and policy.jurisdiction == "鼓楼区"


def test_lead_first_rule_declared_in_a_unit_list(imported):
    """丽水 shape: 「责任单位:市发改委、市经信局…、市水利局(除标注“分别牵头”外,列第一位为牵头或汇总单位,下同)」 declares
    the lead-first rule for the rest of the document; 「市人力社保局、市农业农村局分别牵头」 is each responsible for
    its part. Before: no lead anywhere, 「市水利局(…)」 and 「市农业农村局分别牵头」 proposed as units."""
    items = _items(imported, "02_ls-shi_zeren-fenjie.txt")
    assert _written(items["1.3"].lead) == ["市发改委"]
    assert _written(items["1.3"].cooperate) == ["市经信局", "市财政局", "市交通运输局", "市水利局"]
    assert _written(items["1.4"].responsible) == ["市人力社保局", "市农业农村局"] and not items["1.4"].lead
    assert _written(items["2.1.5"].lead) == ["市商务局"]  # 下同: the rule holds for the items after it
    assert "分别牵头" not in (imported["02_ls-shi_zeren-fenjie.txt"].units_text or "")


def test_role_words_closing_each_group_of_a_clause(imported):
    """咸阳 shape (and the State Council's 工作要点): 「（市行政审批服务局牵头，市司法局配合；持续推进）」,
    「（市市场监管局牵头，市公安局、市税务局、市人力资源社会保障局配合）」, 「（市政府办公室、市审改办牵头，市级各有关部门
    及各县市区政府按职责分工负责）」. Before, only 「…负责」 or 「…牵头」 closing the whole clause was read: 「市审改办牵头」
    was proposed as a unit, the leads were lost and 「持续推进」 / 「长期坚持」 were not the 时限."""
    items = _items(imported, "03_xy-shi_gongzuo-yaodian.txt")
    assert _written(items["1.2"].lead) == ["市行政审批服务局"] and _written(items["1.2"].cooperate) == ["市司法局"]
    assert [deadline_text(d) for d in items["1.2"].deadlines] == ["持续", "每季度1次"]
    assert _written(items["2.4"].lead) == ["市市场监管局"] and [deadline_text(d) for d in items["2.4"].deadlines] == ["持续"]
    assert _written(items["3.6"].cooperate) == ["市公安局", "市税务局", "市人力资源社会保障局"]
    assert "牵头" not in "".join(_written(items["1.1"].responsible))
    clause = parse_clause("市工商联、市发展改革委按职责分工负责", False)
    assert clause is not None and clause.lists == [("ranked", "市工商联、市发展改革委")]
    # the national forms read as before
    assert parse_clause("人力资源社会保障部、财政部负责", False).lists == [("ranked", "人力资源社会保障部、财政部")]
    assert parse_clause("教育部、人力资源社会保障部，各省级人民政府按职责分工负责", False).lists == [
        ("ranked", "教育部、人力资源社会保障部"), ("responsible", "各省级人民政府")]


def test_a_bare_frequency_in_a_deadline_cell(imported):
    """北仑 task table: the 完成时限 cell 「每季度」 over 「每季度开展一次养老机构安全隐患排查」 left a 待定 「无法识别为日期」
    although the row's text says it: a bare frequency is a recurring 时限, the row's own 每季度1次 kept."""
    items = _items(imported, "06_bl-qu_renwu-fengong.docx")
    row = next(i for i in items.values() if i.text.startswith("每季度开展一次"))
    assert [deadline_text(d) for d in row.deadlines] == ["每季度1次"] and not row.todos
    # 「改造提升村(社区)居家养老服务站10家」: the verb is 改造提升, what is counted the stations (it read 「提升村…」)
    from helpers import target_parts

    upgraded = next(i for i in items.values() if i.text.startswith("改造提升"))
    assert [target_parts(t) for t in upgraded.targets] == [("村(社区)居家养老服务站", "达到 10家", "")]


def test_a_page_inside_a_layout_table_with_a_nested_annex_table(imported):
    """绛县 shape: the body's paragraphs and the annex 分工表 sit in one layout cell, and one 具体措施 cell holds a
    small table. The annex rows came out before the body (the inner rows were written when they closed), the
    layout cell's text became one row, the issuer was the table's text and the annex was not read at all. Now
    the layout cell's paragraphs come first, in order, and a nested table's rows are its cell's text."""
    from luoshi.importer.readers import read_document

    lines = read_document(WILD / "04_jx-xian_shishi-fangan.html").lines
    texts = [line.text for line in lines]
    assert texts.index("一、工作目标") < texts.index("附件") < next(i for i, l in enumerate(lines) if l.cells)
    row = next(l for l in lines if l.cells and l.cells[0] == "4")
    assert row.cells[2] == "建立专业镇企业联系制度；帮助企业解决实际困难"
    policy = imported["04_jx-xian_shishi-fangan.html"].result.policy
    assert _written(policy.issuers) == ["绛县人民政府办公室"] and policy.jurisdiction == "绛县"
    items = _items(imported, "04_jx-xian_shishi-fangan.html")
    assert _written(items["2.3"].lead) == ["县工信局"]  # the table's row 4 carries the body's （三）
    assert [deadline_text(d) for d in items["2.2.1"].deadlines] == ["持续"]


def test_joint_issuers_on_the_title_line_and_circled_numbers(imported):
    """成都 shape: 「成都市发展和改革委员会 成都市民政局 关于印发…的通知」 on one line (the spaces squeezed out) gave no
    title, no issuer and the jurisdiction 待定; ① ② under 「2.盘活存量资源。」 ran into one measure whose clause was
    the last one's (市国资委's lead lost)."""
    policy = imported["05_cd-shi_shishi-fangan.html"].result.policy
    assert _written(policy.issuers) == ["成都市发展和改革委员会", "成都市民政局"] and policy.jurisdiction == "成都市"
    assert policy.title == "关于印发成都市城市社区嵌入式服务设施建设工程实施方案的通知"
    items = _items(imported, "05_cd-shi_shishi-fangan.html")
    assert _written(items["2.1.2.1"].lead) == ["市国资委"] and _written(items["2.1.2.1"].cooperate) == ["市财政局"]
    assert [deadline_text(d) for d in items["2.1.2.1"].deadlines] == ["持续"]  # 「…,长期坚持。」 closing the measure
    assert _written(items["2.1.2.2"].responsible) == ["市教育局", "市卫健委"]
    # 「每个示范社区至少设置1处托育点」: 托育点 counted per 示范社区 (it read 「示范社区 至少 1处 每 "个"」)
    from helpers import target_parts

    assert target_parts(items["2.2.3"].targets[0]) == ("托育点数", "至少 1处", '每 "示范社区"')


def test_table_cells_wrapped_over_lines_in_a_pdf_text_layer(imported):
    """鼓楼 shape: every cell of the task list broken at the cell's width (「完成背街小巷改造提升20条，改」 / 「善群众
    出行环境。」, 「区城管局、区市场」 / 「监管局」, 「2024年12月」 / 「底前」) and a 「— 2 —」 inside the table. Before: the
    rows' text cut at the first line, every row without units, 「底前」 and 「— 2 —」 read as section titles."""
    items = _items(imported, "07_gl-qu_renwu-qingdan.pdf.txt")
    tasks = [i for i in items.values() if i.kind == "task"]
    assert [i.text for i in tasks][:2] == ["完成背街小巷改造提升20条，改善群众出行环境。", "开展违法建设专项治理，全年拆除违法建设不少于5万平方米。"]
    assert not [i for i in items.values() if i.kind == "section" and i.id != "附件"]
    assert _written(tasks[0].lead) == ["区城管局"] and _written(tasks[0].cooperate) == ["各街道"]  # 「区城管局（牵头），各街道」
    assert _written(tasks[3].responsible) == ["区城管局", "区市场监管局"]
    assert [deadline_text(d) for d in tasks[0].deadlines] == ["2024年12月底前"]
    assert [deadline_text(d) for d in tasks[3].deadlines] == ["每月1次"]


def test_a_yearly_count_is_per_year_not_per_entity():
    """绛县 「围绕轴承制造等特色产业,每年实施技术改造项目不少于5个。」 gave 「人数 不少于 5个 每 "年实施技术改造项目"」."""
    from helpers import target_parts
    from luoshi.importer import values

    found = values.extract("围绕轴承制造等特色产业,每年实施技术改造项目不少于5个。")
    assert [target_parts(t) for t in found.targets] == [("技术改造项目数", "不少于 5个", '每 "年"')]


def test_growth_rates_and_grade_names_as_targets(imported):
    """丽水 / 鞍山 shape, the 主要预期目标 of a 政府工作报告 分解: 「生产总值增长6%以上」, 「地区生产总值增长6%左右」 set no
    target before (a reviewer had to write each); 「力争引进20亿级项目不少于3个、50亿级项目不少于1个」 gave targets named
    「亿级项目不少于1个数」 with the values 3 and 50 (the 50 of 「50亿级」 read as a second value). Now: X增速 不低于 /
    达到 N% (左右 in the note), and a figure naming a class (20亿级, 4A级) is part of the noun."""
    from helpers import target_parts
    from luoshi.importer import values

    items = _items(imported, "02_ls-shi_zeren-fenjie.txt")
    assert [target_parts(t) for t in items["1.1"].targets] == [("生产总值增速", "不低于 6%", "")]
    assert [target_parts(t) for t in items["1.3"].targets] == [("固定资产投资增速", "达到 10%", "")]
    assert [target_parts(t) for t in items["2.1.7"].targets] == [("20亿级项目", "不少于 3个", ""), ("50亿级项目", "不少于 1个", "")]
    growth = _items(imported, "01_ls-qu_zhongdian-fenjie.txt")["1.1"].targets
    assert [(target_parts(t), t.note) for t in growth] == [(("地区生产总值增速", "达到 6%", ""), "左右")]
    assert not values.extract("居民收入增长与经济增长基本同步。").targets
    assert [target_parts(t) for t in values.extract("全年税收收入比上年增长10%。").targets] == [("税收收入增速", "达到 10%", "")]
    assert not values.extract("比上年增长10%。").targets
    # the real 丽水 page: 招引 is a verb of a count like 引进
    assert [target_parts(t) for t in values.extract("每年招引亿元以上制造业项目100个。").targets] == [
        ("亿元以上制造业项目", "达到 100个", '每 "年"')]


def test_the_page_line_under_the_title_is_not_the_title(imported):
    """丽水's page prints 「时间:… 浏览次数: 信息来源: …」 under the heading; it was glued to the title."""
    policy = imported["02_ls-shi_zeren-fenjie.txt"].result.policy
    assert policy.title == "关于印发2023年市政府工作报告重点工作责任分解的通知"
    assert _written(policy.issuers) == ["丽水市人民政府办公室"]


def test_a_law_portal_copy_without_the_notice_title(imported):
    """山西 shape (a law portal's copy): 「发文机关:…」 「发布日期:…」 「文号 :…」 lines stand where the notice's title
    would be. Number, issuer and date are read; the title the text does not print is a 待定 that says so, not a
    silent gap. 「每年培训农村转移劳动力5万人次」 counts 人次 (it read 5万人, the 次 dropped)."""
    result = imported["08_sx-sheng_shishi-fangan.html"]
    policy = result.result.policy
    assert policy.number == "晋政发〔2019〕9号" and _written(policy.issuers) == ["山西省人民政府"]
    assert policy.title is None and any(t.startswith("未识别出标题") for t in policy.todos)
    assert '待定 "未识别出标题' in result.policy_text
    items = _items(imported, "08_sx-sheng_shishi-fangan.html")
    assert [t.rule.quantity.unit for t in items["2.1"].targets] == ["万人次"]
    assert _written(items["2.3"].responsible) == ["省人力资源社会保障厅", "省住房城乡建设厅"]
    assert "持续" in [deadline_text(d) for d in items["2.3"].deadlines]


def test_malformed_pages_never_hang_or_crash():
    """Pages as they come: tables nested three deep, rows outside any table, a cell never closed, a colspan of a
    billion. Each reads in well under a second, in document order where there is one."""
    from luoshi.importer.readers import read_html

    pages = ["<table><tr><td><p>一、总体要求</p><table><tr><td>1</td><td>县民政局</td></tr></table><p>二、重点任务</p></td></tr></table>",
             "<table><tr><td>a</td><td><table><tr><td><table><tr><td>深</td></tr></table></td></tr></table></td></tr></table>",
             "<tr><td>无表</td></tr><td>游离</td></table></tr>",
             "<table>" * 300 + "<tr><td>x" + "</td></tr></table>" * 300,
             '<table><tr><td colspan="1000000000">a</td></tr><tr><td rowspan="1000000000">b</td></tr></table>',
             "<table><tr><td><p>x</p><tr><td>未闭合"]
    started = time.perf_counter()
    lines = [read_html(page) for page in pages]
    assert time.perf_counter() - started < 2
    assert [l.text for l in lines[0]] == ["一、总体要求", "1 县民政局", "二、重点任务"]
    assert len(lines[4][0].cells or ()) == 200


# ───────────── round 9 ─────────────


def test_a_collective_written_with_its_bracketed_alternative(corpus):
    """广州 17 第三条, against a registry that does not hold 广州: 「镇人民政府(街道办事处)负责临时救助受理…」 named
    no one (the name ends in a bracket, so it was not shaped like an organ) and the whole subject list was lost;
    「村(居)民委员会依法协助…」 likewise, with 依法 before 协助. The class: a collective written with the alternative
    its duty falls to in brackets (各镇人民政府（街道办事处）、各区县（自治县）、各乡镇（街道）), proposed as one 集体."""
    from luoshi.importer.duties import named_duties, unit_shaped
    from luoshi.importer.units import UnitResolver, registry_of

    resolver = UnitResolver(registry_of(corpus), "广州市")
    d = named_duties("市民政部门负责统筹开展全市临时救助工作,区民政部门负责本行政区域内临时救助审批、临时救助金发放和监督"
                     "管理等工作。镇人民政府(街道办事处)负责临时救助受理、调查核实、审核、受区民政部门委托审批和发放临时救助金"
                     "等工作。村(居)民委员会依法协助做好临时救助对象的主动发现、协助申请、调查核实、公示等工作。", resolver)
    assert _written(d.responsible) == ["市民政部门", "区民政部门", "镇人民政府(街道办事处)"]
    assert _written(d.cooperate) == ["村(居)民委员会"]
    proposal = resolver.proposals["镇人民政府(街道办事处)"]
    assert (proposal.kind, proposal.role) == ("集体", "下级政府")
    # 第九条: one organ acting on another is two units, never one name 「区民政部门委托镇人民政府(街道办事处)」
    d = named_duties("急难型临时救助人均救助金额不超过本市2个月最低生活保障标准的,由区民政部门委托镇人民政府(街道办事处)"
                     "审批并拨付后,报区民政部门备案。", resolver)
    assert "区民政部门委托镇人民政府(街道办事处)" not in _written(d.responsible)
    d = named_duties("区民政部门以及镇人民政府(街道办事处)应发挥政府主导作用。", resolver)
    assert _written(d.responsible) == ["区民政部门", "镇人民政府(街道办事处)"]
    assert all(unit_shaped(n) for n in ("各镇人民政府（街道办事处）", "各区县（自治县）", "各乡镇（街道）", "各县（市、区）",
                                        "市有关部门", "区级各部门"))
    assert not any(unit_shaped(n) for n in ("各区", "市民政局（牵头）", "区城管局(配合)", "区域（街道）"))


def test_a_standard_per_person_and_a_flow_indicator_as_targets():
    """丽水 责任分解 8. and 9.: 「低保标准提高到每人每月1000元以上」 set no target (money is no target elsewhere) and
    「新增城镇就业2万人」 named the metric 城镇就业 (the stock), where the indicator is the flow 新增城镇就业."""
    from helpers import target_parts
    from luoshi.importer import values

    found = values.extract("每月按时足额发放城乡低保金,低保标准提高到每人每月1000元以上。")
    assert [target_parts(t) for t in found.targets] == [("低保标准", "不低于 1000元", '每 "人每月"')]
    found = values.extract("到2025年，城乡低保标准每人每月不低于800元。")
    assert [target_parts(t) for t in found.targets] == [("城乡低保标准", "不低于 800元", '截至 2025年底 每 "人每月"')]
    found = values.extract("新增城镇就业2万人,城镇调查失业率控制在5%以内。")
    assert ("新增城镇就业", "达到 2万人", "") in [target_parts(t) for t in found.targets]
    assert [target_parts(t)[0] for t in values.extract("绿色账户要新增覆盖14.3万户，累计达到30.3万户。").targets] == [
        "绿色账户新增覆盖", "绿色账户累计覆盖"]  # 新增 with no noun of its own still names what grows before it
    # 绛县 一、: 「培育规模以上企业20家以上」 is a floor
    assert [target_parts(t) for t in values.extract("培育规模以上企业20家以上。").targets] == [
        ("规模以上企业", "不低于 20家", "")]


def test_annex_rows_folded_into_the_body_keep_the_text_numbering(imported):
    """绛县: every row of the annex 分工表 went onto the body's measures, yet the body kept the ids 正文.2.1 … made
    to keep it apart from an annex that was no longer there. Now 二、（一） is 2.1 as in the text; and the 保障措施
    paragraph 「各有关单位要按照任务分工表,细化工作措施,每季度将进展情况报县工信局」 has its actor and its
    recurring 时限 instead of a bare 待定."""
    items = _items(imported, "04_jx-xian_shishi-fangan.html")
    assert "2.1.1" in items and "2.3" in items and not any(i.startswith("正文") for i in items)
    closing = items["3"]
    assert _written(closing.responsible) == ["各有关单位"] and not closing.todos
    assert [(deadline_text(d), d.label) for d in closing.deadlines] == [("每季度", "将进展情况报县工信局")]


def test_a_provincial_opinion_with_lead_and_responsible_labels_in_one_clause(imported):
    """湖北 省政府 意见 shape: 「(牵头单位:省发展改革委;责任单位:省商务厅、…,各市、州、县人民政府)」 closing each
    measure, 「;长期坚持」 inside the clause; 「电价平均降低5%」 gave the metric 「一般工商业电价平」 (平均's 均 read as
    the 均 of 「均达到」) and 「案件按期清零」 the metric 「…案件按期」. The 保障措施 paragraph naming no one in a
    document that assigns every measure by clause had the addressees (every government and department) put on it."""
    from helpers import target_parts

    items = _items(imported, "09_hb-sheng_yingshang-yijian.txt")
    assert _written(items["2.1"].lead) == ["省发展改革委"]
    assert _written(items["2.1"].responsible) == ["省商务厅", "省市场监管局", "省司法厅", "各市、州、县人民政府"]
    assert [target_parts(t) for t in items["2.3"].targets] == [("一般工商业电价", "降低 5%", "")]
    assert [target_parts(t)[0] for t in items["2.4"].targets] == ["政府违约失信案件"]
    assert [deadline_text(d) for d in items["2.4"].deadlines] == ["持续"]
    closing = items["3.2"]
    assert not (closing.lead or closing.responsible or closing.cooperate)
    assert [t for t in closing.todos if t.startswith("保障措施未点名承办单位")]
    assert _written(items["3.1"].responsible) == ["省优化营商环境领导小组办公室"]  # a paragraph that names its actor


def test_a_task_table_with_one_unit_a_line_in_its_cells(imported):
    """谯城 分解表 shape (a page that is only the table): 「区财政局<br/>区税务局」 in the 主要责任单位 cell read as one
    unit 「区财政局区税务局」; 「各乡镇人民政府、街道办事处」 was split into 各乡镇人民政府 and a unit 街道办事处;
    「城镇、农村常住居民人均可支配收入分别增长5.2%、8%左右」 gave one target named 「农村…收入分别增速」."""
    from helpers import target_parts

    items = _items(imported, "10_bz-qu_fenjie-biao.html")
    assert _written(items["2"].responsible) == ["区财政局", "区税务局"]  # two leads: 负责 (docs/encoding.md §1)
    assert _written(items["2"].cooperate) == ["区政府有关部门", "各乡镇人民政府、街道办事处"]
    assert [target_parts(t) for t in items["3"].targets] == [("城镇常住居民人均可支配收入增速", "达到 5.2%", ""),
                                                             ("农村常住居民人均可支配收入增速", "达到 8%", "")]
    assert [target_parts(t)[:2] for t in items["4"].targets] == [("新开工亿元以上项目", "达到 60个"),
                                                                ("新增规模以上工业企业", "达到 30户")]
    assert ("城乡低保标准", "达到 780元", '每 "人每月"') in [target_parts(t) for t in items["5"].targets]
    proposals = imported["10_bz-qu_fenjie-biao.html"].result.proposals
    kinds = {p.name: (p.kind, p.role) for p in proposals}
    assert kinds["相关街道办事处"] == ("集体", "下级政府") and kinds["各乡镇人民政府、街道办事处"] == ("集体", "下级政府")


def test_an_open_list_closed_before_a_further_name(imported):
    """广东 实施方案 shape: 「(省发展改革委、交通运输厅、水利厅、住房城乡建设厅、能源局等省有关部门和各地级以上市人民
    政府按职责分工负责)」 proposed 「能源局等省有关部门和各地级以上市人民政府」 as one unit; 「每年推介项目不少于200个」
    gave 「人数 … 每 "年推介项目"」."""
    from helpers import target_parts

    items = _items(imported, "11_gd-sheng_minjian-touzi.txt")
    assert _written(items["1.1.2"].responsible) == ["省发展改革委", "省交通运输厅", "省水利厅", "省住房城乡建设厅", "省能源局",
                                                   "省有关部门", "各地级以上市人民政府"]  # the tier written once
    assert [target_parts(t) for t in items["1.1.1"].targets] == [("项目数", "不少于 200个", '每 "年"')]
    # 国发〔2018〕39号's 「等有关部门和单位」 is one open remainder, not 有关部门 and a unit 单位
    clause = parse_clause("人力资源社会保障部、财政部、教育部等有关部门和单位负责", False)
    assert clause is not None and clause.lists == [("ranked", "人力资源社会保障部、财政部、教育部、有关部门和单位")]


def test_a_county_responsibility_list_with_a_leader_column(imported):
    """霍山 责任清单 shape: 序号 / 重点工作 / 责任领导 (a person: no unit) / 牵头单位 / 配合单位 (one unit a line) /
    完成时限 with 「全年」「长期」「每年」. 「全年」 was a 待定 「无法识别为日期」; 「盘活闲置企业10家,盘活存量土地400亩」
    and 「帮助企业招聘员工500人以上」 set no target."""
    from helpers import target_parts

    items = _items(imported, "12_hs-xian_zeren-qingdan.html")
    first = items["1"]
    assert _written(first.lead) == ["县招商服务中心"] and _written(first.cooperate) == ["县发改委", "县自然资源局"]
    assert [deadline_text(d) for d in first.deadlines] == ["2025年底前"] and not first.todos
    assert [target_parts(t)[:2] for t in items["2"].targets] == [("盘活闲置企业", "达到 10家"), ("盘活存量土地", "达到 400亩")]
    assert [deadline_text(d) for d in items["4"].deadlines] == ["持续", "每月1次"]
    assert [target_parts(t)[:2] for t in items["5"].targets] == [("招聘员工", "不低于 500人")]
    assert [deadline_text(d) for d in items["5"].deadlines] == ["每年"]
    assert not any("张三" in m.written for i in items.values() for m in i.lead + i.responsible + i.cooperate)
    # the list is the notice's content, under no 附件 heading: its rows are the draft's items, not an annex part's
    assert [i.id for i in imported["12_hs-xian_zeren-qingdan.html"].result.policy.body] == ["1", "2", "3", "4", "5"]
    assert [(s.id, s.title) for s in imported["10_bz-qu_fenjie-biao.html"].result.policy.body] == [
        ("一", "2025年经济社会发展的主要预期目标"), ("二", "2025年重点工作任务")]


def test_what_is_to_be_done_within_a_limit():
    """广州 17 第八、九条: the limit 「在受理之日起3个工作日内,」 closes its clause, and its label was the clause's actor
    「镇人民政府(街道办事处)」; 「应当自收到…的3个工作日内作出审批决定」 was labelled 「区民政部门应当自作出审批决定」."""
    from luoshi.importer import values

    found = values.extract("镇人民政府(街道办事处)在受理之日起3个工作日内,根据入户调查、民主评议等情况,提出审核意见,认定符合"
                           "救助条件的,应当同时确定救助项目和金额。")
    assert [(deadline_text(d), d.label) for d in found.deadlines] == [
        ('从 "受理之日" 3个工作日 内', "根据入户调查、民主评议等情况，提出审核意见")]
    found = values.extract("区民政部门应当自收到镇人民政府(街道办事处)审核意见及相关材料的3个工作日内作出审批决定。")
    assert [d.label for d in found.deadlines] == ["区民政部门应当作出审批决定"]


def test_two_collectives_joined_by_ji_and_a_coordinating_office(imported):
    """咸阳 「（市政府办公室、市审改办牵头，市级各有关部门及各县市区政府按职责分工负责）」 proposed one unit 「市级各有关部门
    及各县市区政府」; 湖北's 「省优化营商环境领导小组办公室」 was proposed with the role 政府办公室 (the government's
    own office), which a 领导小组's office is not."""
    items = _items(imported, "03_xy-shi_gongzuo-yaodian.txt")
    assert _written(items["1.1"].cooperate) == ["市级各有关部门", "各县市区政府"]
    proposals = {p.name: p for p in imported["09_hb-sheng_yingshang-yijian.txt"].result.proposals}
    assert proposals["省优化营商环境领导小组办公室"].role is None


def test_a_docx_unit_cell_with_a_paragraph_per_unit(tmp_path, corpus):
    """A Word 分工表 whose 配合单位 cell holds one unit a paragraph (the way offices type them): read as one name
    「区发改局区财政局」 before; each paragraph is a unit when every one is an organ's name, and a text cell wrapped
    over paragraphs stays one text."""
    import docx

    d = docx.Document()
    for text in ("北仑区人民政府办公室关于印发2024年重点工作任务分工的通知", "仑政办发〔2024〕30号", "各街道办事处,区政府各部门:",
                 "现将《2024年重点工作任务分工表》印发给你们,请认真贯彻执行。", "宁波市北仑区人民政府办公室", "2024年3月12日",
                 "附件", "2024年重点工作任务分工表"):
        d.add_paragraph(text)
    table = d.add_table(rows=2, cols=5)
    for c, text in enumerate(("序号", "工作内容", "牵头单位", "配合单位", "完成时限")):
        table.cell(0, c).text = text
    table.cell(1, 0).text = "1"
    table.cell(1, 1).text = "新建街道级居家养老服务中心2家,"
    table.cell(1, 1).add_paragraph("完善社区养老服务网络。")
    table.cell(1, 2).text = "区民政局"
    table.cell(1, 3).text = "区发改局"
    table.cell(1, 3).add_paragraph("区财政局")
    table.cell(1, 3).add_paragraph("各街道办事处")
    table.cell(1, 4).text = "2024年12月底前"
    path = tmp_path / "fengong.docx"
    d.save(str(path))
    row = next(i for i in import_path(path, corpus).result.policy.items() if i.kind == "task")
    assert _written(row.lead) == ["区民政局"] and _written(row.cooperate) == ["区发改局", "区财政局", "各街道办事处"]
    assert row.text.startswith("新建街道级居家养老服务中心2家,") and "完善社区养老服务网络" in row.text


def test_a_year_end_without_its_year():
    """谯城 「改造城镇老旧小区20个,年底前全部完工」: 年底前 with no year set no deadline. It is the end of the document's
    year (每年年底前 recurs; with no document date it is a 待定, never a guess)."""
    from luoshi.importer import values

    found = values.extract("改造城镇老旧小区20个,年底前全部完工。", year=2025)
    assert [(deadline_text(d), d.label) for d in found.deadlines] == [("2025年底前", "全部完工")]
    assert [deadline_text(d) for d in values.extract("每年年底前报送工作总结。", year=2025).deadlines] == ["每年"]
    assert values.extract("年底前全部完工。").todos == ["「年底前」未写年份：请补全为「某年年底前」"]


def test_a_table_row_replaces_units_the_prose_only_proposed():
    """广州 16 三、（一）: 「各相关部门要切实加强统筹协调…」 (a registry without 各相关部门) proposed it, and the body item
    then kept it instead of the annex 任务分工表's row for that item (16 0.99 → 0.89 in a first step). The row's units
    are the item's, and the proposal no longer used by the draft is not put to the reviewer as a 待定."""
    dev = FIXTURES / "import" / "dev"
    truth = dev / "truth"
    registry = compile_paths(None, Project(truth, truth, truth / "build")).corpus
    result = import_path(dev / "16_gz-shi_jiating-yisheng.txt", registry)
    item = next(i for i in result.result.policy.items() if i.title and i.title.startswith("加强组织领导"))
    assert "各相关部门" not in _written(item.lead + item.responsible + item.cooperate)
    assert item.lead or item.responsible
    assert "各相关部门" not in [p.name for p in result.result.proposals]


def test_joint_leads_and_those_who_carry_out_their_part(imported):
    """咸阳 「（市政府办公室、市审改办牵头，市级各有关部门及各县市区政府按职责分工负责）」 and 广东 「(省发展改革委、省政务服务和
    数据管理局牵头,省有关部门按职责分工负责)」: the joint leads were 负责 (docs/encoding.md §1: one lead a task) and so were
    the units after them, so the draft could not tell who leads. Those who carry out their own part after the leads
    help them: 配合, with a note; joint leads stay 负责 with theirs; a lone lead stays 牵头 (山西 「省人力资源社会保障厅
    牵头,各市人民政府按职责分工负责」), and 「A、B按职责分工负责」 with no lead is still 负责 for both."""
    items = _items(imported, "03_xy-shi_gongzuo-yaodian.txt")
    assert _written(items["1.1"].responsible) == ["市政府办公室", "市审改办"]
    assert _written(items["1.1"].cooperate) == ["市级各有关部门", "各县市区政府"] and not items["1.1"].lead
    assert any("按职责分工负责」在牵头单位之后" in n for n in items["1.1"].notes)
    guangdong = _items(imported, "11_gd-sheng_minjian-touzi.txt")["1.2.3"]
    assert _written(guangdong.responsible) == ["省发展改革委", "省政务服务和数据管理局"]
    assert _written(guangdong.cooperate) == ["省有关部门"]
    shanxi = _items(imported, "08_sx-sheng_shishi-fangan.html")["2.2"]
    assert _written(shanxi.lead) == ["省人力资源社会保障厅"] and _written(shanxi.cooperate) == ["各市人民政府"]
    assert parse_clause("市市场监管局牵头，市公安局、市税务局配合", False).lists == [
        ("lead", "市市场监管局"), ("cooperate", "市公安局、市税务局")]
    assert parse_clause("省市场监管局、省司法厅按职责分工负责", False).lists == [("ranked", "省市场监管局、省司法厅")]
    # a plain 负责 after the lead (no 按职责分工) names those who carry the whole of it out: still 负责
    assert parse_clause("省交通运输厅牵头，各市州人民政府负责", False).lists == [
        ("lead", "省交通运输厅"), ("responsible", "各市州人民政府")]


def test_the_tier_written_once_for_a_list(imported, corpus):
    """广东 「(省发展改革委、交通运输厅、水利厅、住房城乡建设厅、能源局等省有关部门…)」 proposed 交通运输厅, 水利厅 … as
    names of their own in 广东省; a district's 「区发展改革委、财政局」 likewise. The tier printed on the first name is
    each bare department's after it; a name with a tier or place of its own, a collective, or 市场监管局 (市场 is no
    tier) is left as written, and so is a bare name the registry knows as written but not with the tier."""
    from luoshi.importer.units import tier_written_once

    item = _items(imported, "11_gd-sheng_minjian-touzi.txt")["1.1.2"]
    assert _written(item.responsible)[:5] == ["省发展改革委", "省交通运输厅", "省水利厅", "省住房城乡建设厅", "省能源局"]
    proposals = [p.name for p in imported["11_gd-sheng_minjian-touzi.txt"].result.proposals]
    assert "交通运输厅" not in proposals and "省交通运输厅" in proposals

    def unknown(name: str) -> bool:
        return False

    assert tier_written_once(["区发展改革委", "财政局", "市场监管局", "各街道"], unknown) == [
        "区发展改革委", "区财政局", "区市场监管局", "各街道"]
    assert tier_written_once(["县公安局", "团县委", "民政局"], unknown) == ["县公安局", "团县委", "民政局"]
    assert tier_written_once(["市委组织部", "宣传部"], unknown) == ["市委组织部", "市委宣传部"]
    assert tier_written_once(["市财政局", "国网湖北省电力有限公司"], unknown) == ["市财政局", "国网湖北省电力有限公司"]
    assert tier_written_once(["区教育局", "税务局"], lambda name: name == "税务局") == ["区教育局", "税务局"]


def test_a_level_to_bring_a_time_or_share_down_to():
    """咸阳 and 湖北 「企业开办时间压缩至1个工作日以内」 was no target (a time unit was taken for a deadline's, and
    压缩至 was no comparator); 「将工程建设项目审批时间控制在80个工作日以内」 gave 「项目审批时间控制在 达到 80个」 (建设
    read as the verb of a count of 80个, the 个 of 个工作日); 「满意度不低于80分」 and 「专利授权量达到5万件以上」 were none
    (分, 件 no units). A time a text brings down to is ≤ (控制在 … 以内, the written word in the note); a bare
    「不超过3个工作日」 after an event stays the event's limit."""
    from luoshi.importer import values

    def parts(text: str) -> list[tuple[str, str, str]]:
        return [target_parts(t) for t in values.extract(text).targets]

    assert parts("推行企业开办“一网通办”，企业开办时间压缩至1个工作日以内。") == [("企业开办时间", "控制在 1个工作日 以内", "")]
    assert values.extract("企业开办时间压缩至1个工作日以内。").targets[0].note == "原文「压缩至1个工作日以内」"
    assert parts("将工程建设项目审批时间控制在80个工作日以内。") == [("工程建设项目审批时间", "控制在 80个工作日 以内", "")]
    assert parts("全省知识产权保护社会满意度不低于80分，专利授权量达到5万件以上。") == [
        ("全省知识产权保护社会满意度", "不低于 80分", ""), ("专利授权量", "达到 5万件", "")]
    assert parts("一般工商业电价平均降低5%。") == [("一般工商业电价", "降低 5%", "")]
    assert parts("群众办事平均跑动次数降至0.5次以下。")[0][1] == "控制在 0.5次 以内"
    assert parts("打造15分钟社区生活圈。") == []
    assert parts("自受理之日起不超过3个工作日办结。") == []  # a limit on an event, not a level of a metric


def test_a_deadline_label_reads_as_a_sentence():
    """天河区 20 「请家长于2026年5月24日至5月26日带齐启慧学校或幼儿园指定的资料」 labelled its 时限 「请家长于带齐…」, 「应于
    5月12日前将…」 「应于将…」, 「报名时间为4月26日至4月28日」 「…报名时间为」, and 「于6月5日发出《新生录取通知书》」 lost the
    title to the mask that keeps its numbers from being read: 「…幼儿园于发出」. The label is now what is left read as
    a sentence: the preposition or copula the date leaves behind goes, the title is quoted."""
    from luoshi.importer import values

    def labels(text: str) -> list[str | None]:
        return [d.label for d in values.extract(text, year=2026).deadlines]

    assert labels("请家长于2026年5月24日至5月26日带齐启慧学校或幼儿园指定的资料，携同孩子到启慧学校或幼儿园报名。") == [
        "请家长带齐启慧学校或幼儿园指定的资料"]
    assert labels("教育部门办幼儿园应于5月12日前将本园的电脑派位招生计划报区教育局审核。") == [
        "教育部门办幼儿园应将本园的电脑派位招生计划报区教育局审核"]
    assert labels("符合优先考虑条件的本区户籍小区业主子女的报名时间为4月26日至4月28日，报名方式为现场报名。") == [
        "符合优先考虑条件的本区户籍小区业主子女的报名时间"]
    assert labels("教育部门办幼儿园于6月5日发出《新生录取通知书》。") == ["教育部门办幼儿园发出《新生录取通知书》"]
    assert labels("2026年5月24日至5月27日，到幼儿园进行资格审核。") == ["到幼儿园进行资格审核"]


def test_a_county_notice_with_its_place_unprinted_and_bracketed_clauses(imported):
    """嘉鱼 (湖北) 责任分解 (round 10): the issuer printed as 「县人民政府办公室」 over a title broken over four lines, so the
    辖区 was 待定辖区; 附件1's measures sit under short part headings (「一、2021年经济社会发展主要目标」) and the
    whole annex was reported as 「只列出标题」, its measures dropped; a clause in square brackets because a unit
    in it has brackets of its own (「[牵头单位:县发改局(粮食局);责任单位:各镇人民政府,嘉鱼经济开发区]」) was left in
    the text. The place is the one county the title and addressees print whose first character opens the 文号
    (a 待定 says so); every annex measure is read; [ ] closes a clause like （）; joint leads in a 牵头单位 label
    are 负责, the 责任单位 beside them 配合."""
    result = imported["13_jy-xian_zeren-fenjie.txt"].result
    assert result.policy.jurisdiction == "嘉鱼县" and result.jurisdiction is not None
    assert result.jurisdiction.parent == "咸宁市"
    assert any("推断辖区为湖北省咸宁市嘉鱼县" in t for t in result.policy.todos)
    assert not any("只列出标题" in t for t in result.policy.todos)
    items = _items(imported, "13_jy-xian_zeren-fenjie.txt")
    assert {"附件1.1.1", "附件1.2.6", "附件2.2"} <= set(items)
    first = items["附件1.1.1"]
    assert _written(first.lead) == ["县发改局(粮食局)"] and _written(first.responsible) == ["各镇人民政府", "嘉鱼经济开发区"]
    assert "牵头单位" not in first.text
    joint = items["附件1.1.3"]
    assert _written(joint.responsible) == ["县发改局(粮食局)", "县农业农村局"]
    assert _written(joint.cooperate) == ["县人社局", "县统计局"]
    # the tier written once in 「县市场监管局、住建局、自然资源和规划局」
    assert _written(items["附件1.2.5"].responsible) == ["县市场监管局", "县住建局", "县自然资源和规划局"]


def test_a_county_page_with_its_site_around_and_main_and_other_units(imported):
    """华容 (湖南) page (round 10): the site's bar, menu, breadcrumb, 索引号 list, 「来源:… 浏览量:1 | 大 | 中 | 小 |」
    and footer around the text, the title 「2021年县政府重点工作任务(华政发〔2021〕2号)」 in an <h1> that no 名称 box
    repeats, and a table with 县政府分线领导 (a person) / 主要责任单位 / 其他责任单位. The text started at the notice's
    first sentence (no title, no 文号, no 主送), 其他责任单位 was unread, 「12月底前全部竣工验收」 set no 时限. The
    page's <title> (the site's name cut off) finds the title; a 文号 in brackets closing the title is the 文号;
    其他责任单位 (and 协同责任单位) help the 主要责任单位, who leads; a month's end without a year is in the
    document's year."""
    policy = imported["14_hr-xian_zhongdian-renwu.html"].result.policy
    assert (policy.title, policy.number) == ("2021年县政府重点工作任务", "华政发〔2021〕2号")
    assert _written(policy.addressees) == ["各乡镇人民政府", "县直各单位"]
    items = _items(imported, "14_hr-xian_zhongdian-renwu.html")
    assert _written(items["2"].lead) == ["县工信局"] and _written(items["2"].cooperate) == ["县统计局", "各乡镇人民政府"]
    assert _written(items["1"].responsible) == ["县发改局", "县工信局"]  # two main units: joint, 负责
    assert _written(items["3"].cooperate) == ["县市场监管局", "县公安局", "县税务局"]
    assert [deadline_text(d) for d in items["6"].deadlines] == ["2021年12月底前"]
    assert not any(p in " ".join(i.text for i in items.values()) for p in ("张三", "湘ICP备", "首页"))


def test_a_portal_page_with_a_two_column_metadata_box_and_a_merged_row_number(imported):
    """泾县 (安徽) page (round 10): breadcrumb 「您现在所在的位置: 网站首页> …」, the metadata box two label-value pairs a
    row, the title, then 「发布时间:… 来源:… 浏览次数: 字体:[大 中 小]」 — joined onto the addressees, so 主送 opened with
    「发布时间:2023-01-30…各乡镇人民政府」; a 分解表 牵头县领导 (a person) / 牵头责任单位 / 协同责任单位, and 序号 3 merged
    over two rows, so two tasks were numbered 3 and the draft did not check (LS202). The page's line is a
    paragraph of its own; 协同责任单位 help the 牵头责任单位; rows sharing a 序号 are 3.1 and 3.2, a note saying so;
    「县政府督查室要…」 names its actor."""
    policy = imported["15_jx-xian_fenjie-luoshi.html"].result.policy
    assert _written(policy.addressees) == ["各乡镇人民政府", "县政府各部门", "各直属机构"]
    assert (policy.title, policy.number) == ("关于分解落实政府工作报告目标任务的通知", "泾政〔2023〕1号")
    items = _items(imported, "15_jx-xian_fenjie-luoshi.html")
    assert "3" not in items and {"3.1", "3.2"} <= set(items)
    assert _written(items["3.2"].lead) == ["县住建局"] and _written(items["3.2"].cooperate) == ["泾川镇人民政府"]
    assert [deadline_text(d) for d in items["3.2"].deadlines] == ["2023年10月底前"]
    assert _written(items["1"].lead) == ["县发展改革委"] and _written(items["1"].cooperate) == ["县统计局", "各乡镇人民政府"]
    assert _written(items["4"].cooperate) == ["县卫健委", "县财政局"]  # the tier written once
    assert _written(items["正文.3"].responsible) == ["县政府督查室"]


def test_a_new_area_plan_five_levels_deep(imported):
    """雄安新区 (河北) 实施方案 (round 10): two issuers on lines of their own (党工委, 管委会), the 方案's title over two
    lines, measures numbered 一、(一)1.(1)① five levels deep, clauses 「(责任单位:新区规划建设局、改革发展局,三县政府)」
    (the tier 新区 written once) and a 保障措施 paragraph 「新区党群工作部要会同有关部门…」. The draft proposed the
    jurisdiction with the kind 「新区」, which the registry refuses (LS217), 「改革发展局」 without its tier, and the
    保障措施 paragraph without its actor. A 新区 is proposed as a 区; the tier 新区 carries; 新区党群工作部 acts."""
    result = imported["16_xa-xinqu_shishi-fangan.txt"].result
    assert result.jurisdiction is not None and result.jurisdiction.kind == "区"
    assert _written(result.policy.issuers) == ["中共河北雄安新区工作委员会", "河北雄安新区管理委员会"]
    items = _items(imported, "16_xa-xinqu_shishi-fangan.txt")
    deepest = items["2.1.1.1.1"]
    assert items["2.1.1.1"].kind == "section" and deepest.kind == "task"
    assert _written(deepest.responsible) == ["新区规划建设局", "新区改革发展局", "三县政府"]
    assert [deadline_text(d) for d in deepest.deadlines] == ["2021年6月底前"]
    assert _written(items["3.2"].responsible) == ["新区党群工作部"]


def test_a_count_held_at_nought():
    """嘉鱼 「每季度开展一次安全生产大检查,全年较大以上生产安全事故起数为零」 set no target: a count 为零 / 保持为零 is
    held at nought (清零, = 0), the words quoted in a note; a rate 为0.5% stays a share, 零增长 is none."""
    from luoshi.importer import values

    found = values.extract("每季度开展一次安全生产大检查,全年较大以上生产安全事故起数为零。")
    assert [target_parts(t) for t in found.targets] == [("较大以上生产安全事故起数", "清零", "")]
    assert found.targets[0].note == "原文「较大以上生产安全事故起数为零」"
    assert [target_parts(t)[1] for t in values.extract("重大事故发生数保持为零。").targets] == ["清零"]
    assert [target_parts(t)[1] for t in values.extract("人口自然增长率为0.5%。").targets] == ["= 0.5%"]
    assert values.extract("实现零增长。").targets == []


def test_one_agency_under_two_names(imported):
    """嘉鱼 「[牵头单位:县发改局(粮食局);…]」: a merged agency printed with its second name in brackets was proposed as one
    unit named 「县发改局(粮食局)」. It is proposed as 县发改局 with the written form and 县粮食局 as aliases, so the draft's
    name checks as written and a later 「县粮食局」 finds the same unit; a unit with a sub-unit in brackets
    (「区人力社保局（区就业人才中心）」) and a collective's alternative are not read so."""
    from luoshi.importer.units import merged_agency

    units = imported["13_jy-xian_zeren-fenjie.txt"].units_text or ""
    assert '单位 县发改局 角色 发展改革 别名 "县发改局(粮食局)"、县粮食局' in units
    assert merged_agency("区商务委(口岸办)") == ("区商务委", "区口岸办")
    assert merged_agency("区人力社保局（区就业人才中心）") is None
    assert merged_agency("镇人民政府（街道办事处）") is None


# ───────────── round 11 (17–22): 四川, 北京 石景山, 国务院, 武汉 蔡甸, 黄石 下陆, 杭州 余杭 ─────────────


def test_a_clause_in_tortoise_shell_brackets(imported):
    """四川 shape: every measure closed by 「〔责任单位:…〕」. The 〔〕 were not read as a clause's brackets: every item fell
    back on 「原文此段未点名承办单位」 with its units lost. Inside it, 「A牵头,B、C配合」 under the 责任单位 label gives each
    group its role (「省市场监管局牵头」 was proposed as a unit), and the sentence after the list (「具体任务均涉及相关
    市(州)人民政府,不再做分工,下同。」) is a note, not the units 「不再做分工」 and 「下同」; 「;长期坚持」 is the 时限."""
    items = _items(imported, "17_sc-sheng_liutong-fangan.txt")
    assert _written(items["1.1"].responsible) == ["省发展改革委", "省市场监管局", "省商务厅", "省大数据中心"]
    assert "条款另有说明：「具体任务均涉及相关市(州)人民政府,不再做分工,下同」" in items["1.1"].notes
    # 「下同」: the aside holds for the measures after it in its part (1.2, 1.3), not for the next part's
    same = "第 1.1 项条款另有说明「具体任务均涉及相关市(州)人民政府,不再做分工,下同」（原文「下同」），本项同样适用"
    assert same in items["1.2"].notes and same in items["1.3"].notes
    assert not any("下同" in n for n in items["2.4"].notes) and sum("下同" in n for n in items["1.1"].notes) == 1
    assert _written(items["1.3"].lead) == ["省市场监管局"] and _written(items["1.3"].cooperate) == ["省司法厅", "省发展改革委"]
    assert _written(items["3.6"].cooperate) == ["省现代流通体系建设联席会议成员单位"]
    assert [deadline_text(d) for d in items["2.5"].deadlines] == ["持续"]
    units = imported["17_sc-sheng_liutong-fangan.txt"].units_text or ""
    assert "不再做分工" not in units and "下同" not in units and "牵头" not in units


def test_a_level_raised_to(imported):
    """「县级寄递公共配送中心覆盖率提高到95%以上」 set no target: 提高 read as an increase by, and 「到95%」 is not a
    number after it. 提高到 / 提高至 / 提升到 / 提升至 are a level to reach (达到); 「目前…提升至900吨/日」 is what has been
    done (dev 14), not a level to reach; 「提高5个百分点」 stays an increase by."""
    from luoshi.importer import values

    items = _items(imported, "17_sc-sheng_liutong-fangan.txt")
    assert [target_parts(t) for t in items["2.5"].targets][0] == ("县级寄递公共配送中心覆盖率", "达到 95%", "")
    assert [target_parts(t) for t in values.extract("县域商业网点覆盖率提升至90%。").targets] == [("县域商业网点覆盖率", "达到 90%", "")]
    assert values.extract("目前机械化分拣设备已基本到位，日常分拣处置能力提升至900吨/日。").targets == []
    assert [target_parts(t)[1] for t in values.extract("城镇化率提高5个百分点。").targets] == ["提高 5个百分点"]


def test_a_pdf_page_number_heading_wrap_and_a_title_citing_itself(imported):
    """石景山 shape (a PDF's text layer): 「— — — 2 —」 between the notice's date and the 方案's title was kept as a 序号
    (short lines around it) and glued into the title (「《———2—石景山区…》」); the part heading wrapped at the page's
    width left 「领导」 as the part's text; the notice's 「印发《…〈关于…的意见〉…》」 — the 方案 itself, its inner 《》
    written 〈〉 — was declared a document the notice carries out (落实), with the issuer 「石景山区贯彻落实〈」."""
    policy = imported["18_sjs-qu_renwu-fenjie.pdf.txt"].result.policy
    assert "原文为所附《石景山区贯彻落实《关于加强新时代街道工作的意见》的任务分解方案》" in policy.notes
    assert [d.title for d in policy.documents] == ["关于加强新时代街道工作的意见"]  # the 市委's 意见, the real parent
    items = _items(imported, "18_sjs-qu_renwu-fenjie.pdf.txt")
    assert items["1"].title == "提高基层党建工作水平,加强党对基层治理的全面领导" and not items["1"].text
    assert _written(items["1.1"].lead) == ["区委组织部"]  # 「协办单位:」 wrapped over two lines: 配合
    assert _written(items["1.1"].cooperate) == ["区委编办", "区民政局(区委社会工委)", "园区党工委", "各街道党工委"]
    assert _written(items["2.3"].cooperate)[-1] == "区“吹哨报到”改革专项小组成员单位"


def test_the_state_councils_clause_closing_with_a_time_and_its_result(imported):
    """国发 部门分工意见 shape: 「（商务部牵头,…等按职责分工负责,6月底前出台政策措施）」, 「…,3月底前下达」, 「…,年内持续
    推进」. Only a bare time closed a clause: these were not clauses at all (商务部 lost, units taken from the prose),
    the 时限 read again from the sentence as 「出台政策措施)」; 「A、B按职责分工负责,各地区分别负责」 made
    「国家发展改革委按职责分工负责」 a unit."""
    items = _items(imported, "19_gwy_bumen-fengong.txt")
    assert _written(items["2.2.3"].lead) == ["商务部"]
    assert _written(items["2.2.3"].cooperate) == ["国家发展改革委", "工业和信息化部", "财政部"]
    assert [deadline_text(d) for d in items["2.2.3"].deadlines] == ["2024年6月底前"]
    assert [deadline_text(d) for d in items["1.1.2"].deadlines] == ["2024年12月底前"]  # once, not again as 「完成)」
    assert [deadline_text(d) for d in items["1.1.1"].deadlines] == ["持续"] and not items["1.1.1"].todos
    assert _written(items["1.1.1"].responsible) == ["国家发展改革委", "人力资源社会保障部"]
    assert _written(items["2.3.6"].responsible) == ["住房城乡建设部", "国家发展改革委", "各地区"]


def test_a_numbered_notice_before_the_plan_it_issues(imported):
    """蔡甸 shape: the notice's own 「一、…」 「二、…」, its signature and date, then the 方案 with its own numbering. The
    date was taken as the text's end and everything after it dropped as page furniture: the 方案 — every target
    and unit — was lost without a word, the 文号 box (「文    号」 in a cell of its own) unread, the page's 「2024-01-05
    10:00 区人民政府办公室」 glued to the title. A 「（一）地区生产总值增长6.5%以上」 line over 「责任单位：…」 is the
    measure, the label its clause; the place missing from 「区人民政府办公室」 is the signature's (蔡甸区)."""
    imported_20 = imported["20_cd-qu_mubiao-fenjie.html"]
    policy = imported_20.result.policy
    assert policy.number == "蔡政办〔2024〕1号" and policy.jurisdiction == "蔡甸区"
    assert policy.title == "关于印发2024年区《政府工作报告》确定的主要目标任务责任分解方案的通知"
    assert any("每季度最后一个月的30日前" in n for n in policy.notes)  # the notice's requirements, kept
    items = _items(imported, "20_cd-qu_mubiao-fenjie.html")
    assert items["1.1"].title == "地区生产总值增长6.5%以上" and _written(items["1.1"].responsible) == ["区发展和改革局"]
    assert [target_parts(t) for t in items["1.1"].targets] == [("地区生产总值增速", "不低于 6.5%", "")]
    assert _written(items["2.2.3"].lead) == ["区教育局"] and [deadline_text(d) for d in items["2.2.3"].deadlines] == ["2024年8月底前"]
    assert not [line for line, text in imported_20.unused if "老旧小区" in text]


def test_a_title_printed_twice_on_a_page(imported):
    """下陆 shape: the page's <h1> title, then the text's own over three lines (「区人民政府办公室」 / 「关于印发…的」 /
    「通 知」), read as one title 「…的通知区人民政府办公室关于印发…的」."""
    policy = imported["21_xl-qu_zeren-fenjie.html"].result.policy
    assert policy.title == "关于印发2024年区政府重点工作责任分解的通知"
    items = _items(imported, "21_xl-qu_zeren-fenjie.html")
    assert _written(items["1.1.1"].lead) == ["区经信局"]
    assert _written(items["1.2.3"].responsible) == ["区安委会成员单位", "各街办(新区)"]


def test_a_task_table_kept_as_an_xlsx_workbook(imported):
    """余杭 shape as a workbook: 「luoshi import 分解表.xlsx」 was refused (LS603). Rows read as a docx table's: the part
    row merged across, the 项目 merged down naming a group, 「区发改局」/「（区金融办）」/「区经信局」 in one cell two
    units (the second name in brackets kept with its unit), a 序号 typed as a number, a date cell, and 「全年」 dated
    by the year the title names (the table prints no date)."""
    items = _items(imported, "22_yh-qu_fenjie-biao.xlsx")
    groups = [i.title for i in imported["22_yh-qu_fenjie-biao.xlsx"].result.policy.items() if i.kind == "group"]
    assert groups == ["厚植创新发展源动力", "壮大科技创新主力军", "办好民生实事"]
    assert _written(items["4"].responsible) == ["区发改局（区金融办）", "区经信局"]
    # 「各平台、镇街」: one 各 shared by two collectives, each written whole (it was the one collective 「各平台、镇街」)
    assert _written(items["4"].cooperate) == ["区科技局", "区财政局", "区商务局", "各平台", "各镇街"]
    assert [deadline_text(d) for d in items["3"].deadlines] == ["2024年底前"]
    assert [deadline_text(d) for d in items["6"].deadlines] == ["每季度1次"]
    assert len([i for i in items.values() if i.kind == "task"]) == 6
    # the 牵头领导 column names people, not units: kept as the row's note (it was dropped without a word)
    assert "牵头领导：李四" in items["2"].notes and not _written(items["2"].cooperate)[0].startswith("李四")
    assert "牵头领导：王五、赵六" in items["4"].notes  # 「王五」 / 「赵六」 on two lines of the cell: two people
    assert "责任领导：张三" in _items(imported, "12_hs-xian_zeren-qingdan.html")["1"].notes


def test_an_xlsx_that_cannot_be_read_says_why(tmp_path, corpus):
    """Workbooks as offices send them: an old .xls renamed, a damaged file, an empty one, one with a hidden sheet.
    Each is a located error saying what to do, never a traceback; a hidden sheet is reported (LS615) with its first
    row quoted, not silently left out."""
    import openpyxl

    from luoshi.importer import ReadError
    from luoshi.importer.readers import read_document

    old = tmp_path / "分工表.xlsx"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    with pytest.raises(ReadError) as err:
        read_document(old)
    assert err.value.code == "LS601" and "另存为 xlsx" in err.value.zh
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes((WILD / "22_yh-qu_fenjie-biao.xlsx").read_bytes()[:3000])
    with pytest.raises(ReadError) as err:
        read_document(damaged)
    assert err.value.code == "LS601"
    with pytest.raises(ReadError) as err:
        read_document(tmp_path / "分工表.xls")
    assert err.value.code in ("LS601", "LS603")
    (tmp_path / "旧.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ReadError) as err:
        read_document(tmp_path / "旧.xls")
    assert err.value.code == "LS601" and "另存为 xlsx" in err.value.zh
    book = openpyxl.load_workbook(WILD / "22_yh-qu_fenjie-biao.xlsx")
    hidden = book.create_sheet("旧版")
    hidden.append(["1", "推进旧城改造", "区住建局"])
    hidden.sheet_state = "hidden"
    path = tmp_path / "hidden.xlsx"
    book.save(path)
    result = import_path(path, corpus)
    said = [i for i in result.issues if i.code == "LS615"]
    assert len(said) == 1 and "工作表「旧版」已隐藏" in said[0].zh and said[0].line == 13
    assert result.document.source_text.splitlines()[12] == "1 推进旧城改造 区住建局"
    assert "推进旧城改造" not in result.policy_text.replace("待定", "")
    assert any("旧版" in t for t in result.result.policy.todos)


def test_an_old_xls_workbook_is_read_as_an_xlsx_is(imported, tmp_path, corpus):
    """An Excel 97–2003 .xls (BIFF8, saved by LibreOffice Calc from an xlsx: make_xls.py) was refused with 「另存为
    .xlsx」: it reads as the xlsx 分工表 does — the title and part rows merged across, 重点任务 merged down naming a
    group, a date cell. A WPS .et in that format reads the same; an .xls that is a web page (a site's 「导出 Excel」)
    reads as the page. In it, 「各街道党工委、办事处」 is each 街道党工委 and each 街道办事处, and two people on two
    lines of the 责任领导 cell are 「张三、李四」."""
    name = "23_sjs-qu_renwu-fengong.xls"
    result = imported[name].result
    items = _items(imported, name)
    assert result.policy.title == "2024年区优化营商环境重点任务分工表"
    assert [i.title for i in result.policy.items() if i.kind == "group"] == ["推进“一网通办”", "强化要素保障"]
    assert _written(items["1"].cooperate) == ["区大数据中心", "各街道党工委", "各街道办事处"]
    assert _written(items["3"].cooperate) == ["区发改委", "各平台", "各镇街"]
    assert "责任领导：张三、李四" in items["1"].notes and "责任领导：王五、赵六" in items["4"].notes
    assert [deadline_text(d) for d in items["2"].deadlines] == ["2024年10月31日"]
    assert [target_parts(t)[:2] for t in items["1"].targets] == [("新增“一件事”集成服务事项", "达到 20项")]
    et = tmp_path / "分工表.et"
    et.write_bytes((WILD / name).read_bytes())
    assert import_path(et, corpus).policy_text.replace(str(et), "X") == \
        imported[name].policy_text.replace(str(WILD / name), "X")
    page = tmp_path / "导出.xls"
    page.write_text("<html><body><table><tr><td>序号</td><td>重点任务</td><td>责任单位</td></tr>"
                    "<tr><td>1</td><td>开展消防安全检查。</td><td>区应急管理局</td></tr></table></body></html>", encoding="utf-8")
    assert _written(_items({"p": import_path(page, corpus)}, "p")["1"].responsible) == ["区应急管理局"]
    from luoshi.importer import ReadError

    cut = tmp_path / "cut.xls"
    cut.write_bytes((WILD / name).read_bytes()[:5000])  # a file cut short in transit: said, never a traceback
    with pytest.raises(ReadError) as err:
        import_path(cut, corpus)
    assert err.value.code == "LS601" and "另存为 xlsx" in err.value.zh


def test_a_formula_with_no_calculated_value_is_said(tmp_path, corpus):
    """A workbook written by a program (openpyxl, a system's export) holds formulas with no cached value: the cell read
    as empty without a word. It is said (LS615) at its row, the caret on the formula in the quoted row, naming the
    cell and asking for a recalculation in Excel or WPS; a formula Excel calculated and saved reads as its value."""
    import re
    import zipfile

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "重点任务", "牵头单位", "完成时限", "备注"])
    sheet.append([1, "开展消防安全检查。", "区应急管理局", "=TEXT(DATE(2024,6,30),\"yyyy年m月d日\")&\"前\"", None])
    sheet.append([2, "开展燃气安全检查。", "区住建局", "=D2", "=\"每季度\""])
    made = tmp_path / "made.xlsx"
    book.save(made)
    result = import_path(made, corpus)
    said = [i for i in result.issues if i.code == "LS615"]
    assert [(i.line, "D2" in i.zh) for i in said[:1]] == [(2, True)] and len(said) == 3
    assert "重新计算并保存" in said[0].zh and "recalculate" in said[0].en
    quoted = result.document.source_text.splitlines()[1]
    assert quoted[said[0].column - 1:].startswith("=TEXT(")
    # the same sheet as Excel saves it: each formula with its value cached (<v>)
    saved = tmp_path / "saved.xlsx"
    values = iter(["2024年6月30日前", "2024年6月30日前", "每季度"])
    with zipfile.ZipFile(made) as src, zipfile.ZipFile(saved, "w") as out:
        for entry in src.infolist():
            data = src.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb"(<c [^>]*?)(?: t=\"\w+\")?(>\s*<f>.*?</f>)\s*(?:<v\s*/>|<v>\s*</v>)?",
                              lambda m: m[1] + b' t="str"' + m[2] + f"<v>{next(values)}</v>".encode(), data)
            out.writestr(entry, data)
    cached = import_path(saved, corpus)
    assert not [i for i in cached.issues if i.code == "LS615"]
    assert [deadline_text(d) for d in _items({"c": cached}, "c")["1"].deadlines] == ["2024年6月30日前"]


def test_a_shared_each_and_people_on_lines():
    """「各X、Y」: Y a collective of its own under the shared 各 (各平台、镇街 → 各镇街), or the other organ of X's place
    (各街道党工委、办事处 → 各街道办事处); a collective's own enumeration (各委、办、局 · 各镇、街道 · 各乡镇人民政府、
    街道办事处) stays one. A cell of people one a line is a list; a wrapped 「长期」 / 「坚持」 is not."""
    from luoshi.importer.readers import _cell_text
    from luoshi.importer.units import _shared_each

    assert _shared_each("各平台", "镇街") == "各镇街" and _shared_each("各街道党工委", "办事处") == "各街道办事处"
    assert [_shared_each(a, b) for a, b in (("各委", "办"), ("各镇", "街道"), ("各乡镇人民政府", "街道办事处"), ("市发改委", "镇街"))] \
        == [None] * 4
    assert _cell_text("张三\n李四（副区长）") == "张三、李四（副区长）" and "、" not in _cell_text("长期\n坚持")


def test_a_limit_label_ends_at_a_whole_piece_and_quotes_stay_paired():
    """Read on 国发〔2018〕39号 （十二） (/work/shared/corpus, not a fixture): what is due within 30日 was cut at 60
    characters inside a phrase (「…，合理确定补贴等」 of 「补贴等标准」); it now ends at the last whole piece that fits.
    A metric opening with a quoted name (「新增“一件事”集成服务事项20项」, fixture 23) lost its opening quote only
    (「一件事”集成服务事项」); a pair of quotes stays, a lone one goes."""
    from luoshi.importer import values

    found = values.extract("各省、自治区、直辖市人民政府要在本意见印发之日起30日内，制定出台具体实施办法，组织有关部门结合本地实际和"
                           "财力水平合理确定享受政策的困难企业范围，突出重点帮扶对象，合理确定补贴等标准，确保各项政策尽快落地。")
    assert [d.label for d in found.deadlines] == ["制定出台具体实施办法，组织有关部门结合本地实际和财力水平合理确定享受政策的困难企业范围，"
                                                  "突出重点帮扶对象"]
    assert [target_parts(t)[0] for t in values.extract("建成“智慧农场”示范基地10个。").targets] == ["“智慧农场”示范基地"]
    assert [target_parts(t)[0] for t in values.extract("建成“美丽街区”20个。").targets] == ["美丽街区"]
    # fixture 22 「新建改建普惠性幼儿园6所」 counted 「改建普惠性幼儿园」: the second verb is the verb's, not the noun's
    assert [target_parts(t)[0] for t in values.extract("新建改建普惠性幼儿园6所，新增学位2700个。").targets] == ["普惠性幼儿园", "学位"]
    assert [target_parts(t)[0] for t in values.extract("新增建设用地1000亩。").targets] == ["新增建设用地"]
