"""Duties written in prose (luoshi.importer.duties), from real sentences of the development set: who leads,
who is responsible and who cooperates, read per sentence against the registry of the truth files."""

from __future__ import annotations

import pytest
from conftest import FIXTURES
from helpers import deadline_text, target_parts
from luoshi import model
from luoshi.importer import import_path
from luoshi.importer.duties import prose_duties
from luoshi.importer.units import UnitResolver, registry_of
from luoshi.driver.pipeline import compile_paths
from luoshi.driver.project import Project

DEV = FIXTURES / "import" / "dev"


@pytest.fixture(scope="module")
def registry() -> model.Corpus:
    """The truth files' fixture project: the units the development documents name."""
    truth = DEV / "truth"
    return compile_paths(None, Project(truth, truth, truth / "build")).corpus


def _names(mentions) -> list[str]:
    return [m.unit.split("/")[-1] for m in mentions]


def test_together_with_makes_the_first_the_lead(registry):
    """13 四、: 「区建设管理委会同区发展改革委、区经委…等部门共同推进」 — 会同 leads, the others cooperate; the
    sentence before names the responsible 区政府 (「…是…的责任主体」)."""
    resolver = UnitResolver(registry_of(registry), "崇明区")
    d = prose_duties("区政府是推进本区城市体检工作的责任主体，由分管副区长牵头统筹协调城市体检工作中的重大事项，"
                     "区建设管理委会同区发展改革委、区经委、区教育局等部门共同推进城市体检工作。", resolver)
    assert _names(d.lead) == ["区建设管理委"]
    assert _names(d.cooperate) == ["区发展改革委", "区经委", "区教育局"]
    assert _names(d.responsible) == ["区政府"]  # 分管副区长 is a person, not a unit: not read


def test_by_whom_with_alternatives(registry):
    """08 三、（一）: 「由所在镇政府、街道(开发区)办事处、头桥集团或区政府相关部门(单位),组织评估」 — every
    alternative is responsible, without 所在 and the (单位) gloss."""
    resolver = UnitResolver(registry_of(registry), "奉贤区")
    d = prose_duties("按照权属关系，由所在镇政府、街道(开发区)办事处、头桥集团或区政府相关部门(单位),组织评估和方案设计。",
                     resolver)
    assert not d.lead and not d.cooperate
    assert _names(d.responsible) == ["各镇政府", "街道（开发区）办事处", "头桥集团", "区政府相关部门"]


def test_a_phrase_is_never_a_unit(registry):
    """Subjects that are not wholly registry names give nothing: no unit is proposed from running text."""
    resolver = UnitResolver(registry_of(registry), "奉贤区")
    assert not prose_duties("应急避难场所建设完成后，相关资料及经纬度信息要及时报送。", resolver)
    assert not resolver.proposals


def test_duty_heading_gives_its_unit_to_the_duties_below(registry):
    """06 二、（二）1.「乡镇消防安全委员会职责」over （1）…（8）: one task of that collective, its duties below it
    (no 待定 asking for a unit on each of them)."""
    path = next(DEV.glob("06_*.txt"))
    p = import_path(path, registry, shown=path.name).result.policy
    items = {i.id: i for i in p.items()}
    heading = items["2.2.1"]
    assert heading.kind == "task" and [m.unit for m in heading.responsible] == ["崇明区/各乡镇消防安全委员会"]
    duties = [c for c in heading.children if c.kind == "task"]
    assert len(duties) == 8
    assert all(not c.responsible and not any("承办单位" in t for t in c.todos) for c in duties)


def test_lead_needs_a_named_partner(registry):
    """06 二、（三）「由乡镇消防安全委员会牵头相关部门联勤联动…」: 牵头 with no named partner is 负责
    (docs/encoding.md §1), not a designated lead."""
    resolver = UnitResolver(registry_of(registry), "崇明区")
    d = prose_duties("由乡镇消防安全委员会牵头相关部门联勤联动、协同配合、联合执法，督促火灾隐患整改到位。", resolver)
    assert not d.lead and _names(d.responsible) == ["各乡镇消防安全委员会"]


def test_collective_next_to_a_unit_is_split(registry):
    """03 三、（一）「各街镇、开发区、头桥集团要负责…」: 各街镇 and 开发区 are each registry names, so 开发区 is
    not read as one more member of 各街镇 (while 区政府各委、办、局 stays one collective)."""
    resolver = UnitResolver(registry_of(registry), "奉贤区")
    d = prose_duties("各街镇、开发区、头桥集团要负责落实乡道、村道的管理养护体制改革具体工作。", resolver)
    assert _names(d.responsible) == ["各街镇", "开发区", "头桥集团"]
    assert [m.written for m in resolver.mentions("区政府各委、办、局")] == ["区政府各委、办、局"]


def test_annexed_plan_never_borrows_the_addressees(registry):
    """03 附件2 路长制实施方案: its items that name no unit carry a 待定, not the notice's addressees."""
    path = next(DEV.glob("03_*.txt"))
    p = import_path(path, registry, shown=path.name).result.policy
    annex = [i for top in p.body if top.id.startswith("附件") for i in top.walk() if i.kind == "task"]
    addressed = {m.unit for m in p.addressees}
    assert annex and not any(any("暂按主送单位" in t for t in i.todos) for i in annex)
    # an addressee may be responsible only where the item itself names it (附件1's 「区交通委、街镇应当…」)
    borrowed = [i.id for i in annex if not i.clause
                for m in i.responsible if m.unit in addressed and m.written not in (i.text or "")]
    assert not borrowed
    assert any("承办单位" in t for i in annex for t in i.todos)


def test_quantity_table_flattened_one_cell_a_line(registry):
    """08 附表4 「2021年全区直接设置应急避难场所明细表」: 序号 rows (kept, not dropped as page numbers), the
    merged 权属部门 carried down with a 待定, the title's one year as the deadline, each numeric column a dated
    target; the header printed again after a page break is not a row. 附表2's 经费预算（万元） is no target."""
    path = next(DEV.glob("08_*.txt"))
    p = import_path(path, registry, shown=path.name).result.policy
    sites = next(s for s in p.body if s.title and s.title.startswith("2021年全区直接设置"))
    rows = [i for i in sites.children if i.kind == "task"]
    assert len(rows) == 75
    first, second = rows[0], rows[1]
    assert first.title.startswith("奉贤区实验小学(东校)") and [m.unit for m in first.responsible] == ["奉贤区/区教育局"]
    assert [m.unit for m in second.responsible] == ["奉贤区/区教育局"] and any("合并单元格" in t for t in second.todos)
    assert [deadline_text(d) for d in first.deadlines] == ["2021年底"] and any("表题" in t for t in first.todos)
    assert ("避难面积", "达到 0.98万平方米", "截至 2021年底") in {target_parts(t) for t in first.targets}
    assert {t.metric.text for t in first.targets} == {"避难面积"}  # 最大避难人数 is the site's capacity, no target
    assert not any("万平方米）" in i.title for i in rows)  # the repeated header
    projects = next(s for s in p.body if s.title and s.title.endswith("建设项目表"))
    one = projects.children[0]
    assert [deadline_text(d) for d in one.deadlines] == ["2021年底"]
    assert {t.metric.text for t in one.targets} == {"数量", "避难面积"}  # 经费预算、年度预算 are budgets


def test_sentence_opening_with_a_unit_names_its_actor(registry):
    """07 四、（二）「各居委对辖区内60岁以上的独居老人进行一次全面排摸梳理」: a sentence opening with a registry
    name and going on with what it does assigns that unit; a name used as a modifier (「居委会的…」) does not."""
    resolver = UnitResolver(registry_of(registry), "古美路街道")
    d = prose_duties("动态排查定级、分类建档。各居委对辖区内60岁以上的独居老人进行一次全面排摸梳理。", resolver)
    assert _names(d.responsible) == ["各居委会"]
    assert not prose_duties("各居委的工作人员要熟悉情况。", resolver).responsible


def test_statement_without_work_is_a_clause(registry):
    """13 一、（一）「生态宜居。反映城市的大气、水、绿地等各类生态环境要素保护情况…」 names no actor, no date, no number
    and asks for nothing: a 条款 (docs/encoding.md §7), not a task with a 待定 asking for its unit; 三、（一）
    「建立工作机制…明确责任领导…」 asks for work and stays a task."""
    path = next(DEV.glob("13_*.txt"))
    items = {i.id: i for i in import_path(path, registry, shown=path.name).result.policy.items()}
    assert items["1.1"].kind == "clause" and not any("承办单位" in t for t in items["1.1"].todos)
    assert items["3.1"].kind in ("task", "phase")


def test_tiers_share_one_name(registry):
    """19 第六条、第八条、第九条: 「市、区财政部门」 is the city's 财政局 and the districts' collective; 「市人力资源和
    社会保障、民政部门」 two departments of the city; 「区、镇人民政府和街道办事处」 the districts and the registry's
    one collective 镇人民政府（街道办事处） — never a phrase dropped because no single name matches it."""
    resolver = UnitResolver(registry_of(registry), "广州市")
    assert _names(prose_duties("市、区财政部门负责居家社区养老服务财政资金保障工作。", resolver).responsible) == [
        "市财政局", "区财政部门"]
    assert _names(prose_duties("市人力资源和社会保障、民政部门负责建立养老服务从业人员的职业技能评价体系。",
                               resolver).responsible) == ["市人社局", "市民政局"]
    assert _names(prose_duties("区、镇人民政府和街道办事处应按照国家、省、市的规划要求和建设标准配置社区养老服务设施。",
                               resolver).responsible) == ["各区政府", "镇人民政府（街道办事处）"]
    d = prose_duties("市、区民政部门和镇人民政府、街道办事处应当建立居家社区养老服务工作机制。", resolver)
    assert _names(d.responsible) == ["市民政局", "区民政部门", "镇人民政府（街道办事处）"]
    assert not resolver.proposals


def test_by_a_registry_name_names_the_agent(registry):
    """10 七、1.: 「由联席办向区财政局申请立项资金，区财政局下发资金后，由管理办核对校准后，通知各村申请资金」 — 由 + a
    registry name is the agent whatever the verb (核对 is not in the 由X负责/组织… list); 07's 「由居委纳入重点关注
    对象」 too, but not 06's 「由消防安全工作分管领导担任」, where the 2-character alias 消防 begins another word."""
    touqiao = UnitResolver(registry_of(registry), "头桥街道")
    d = prose_duties("区规资局立项批文下发后，由联席办向区财政局申请立项资金，区财政局下发资金后，由管理办核对校准后，"
                     "通知各村申请资金。", touqiao)
    assert {"联席办", "管理办"} <= set(_names(d.responsible))
    gumei = UnitResolver(registry_of(registry), "古美路街道")
    assert _names(prose_duties("独居老人由居委纳入重点关注对象。", gumei).responsible) == ["各居委会"]
    chongming = UnitResolver(registry_of(registry), "崇明区")
    assert not prose_duties("副主任由消防安全工作分管领导担任。", chongming)


def test_names_joined_by_ji_he_or_dun_open_a_sentence_together(registry):
    """10 四、: 「各村及营商办在确定减量时序时，应遵循先易后难原则…」 — two registry names joined by 及 open the
    sentence: both are its subject (the first alone was read as a modifier, 「各村及…」, and nothing was kept)."""
    resolver = UnitResolver(registry_of(registry), "头桥街道")
    d = prose_duties("各村及营商办在确定减量时序时，应遵循先易后难原则，突出重点减量化对象。", resolver)
    assert _names(d.responsible) == ["各村", "营商办"]


def test_superiors_named_together_are_narrated_not_assigned():
    """璧山's notice: 「市委、市政府高度重视社会救助工作…」 — the municipal party committee and government, above the
    district that writes, are what the text tells of, not units it assigns work to."""
    from conftest import ROOT

    corpus = compile_paths(None, Project(ROOT, ROOT / "policies", ROOT / "build")).corpus
    resolver = UnitResolver(registry_of(corpus), "璧山区")
    assert not prose_duties("市委、市政府高度重视社会救助工作，《重点举措》是市委、市政府对当前和今后一个时期社会救助工作的"
                            "总体部署。", resolver)


def test_a_later_clause_opening_with_a_name_and_what_it_will_do(registry):
    """20 五、（二）: 「…严禁在招生工作中出现虚假宣传、违规收费…等违法违规行为，我局将进行专项检查，…」 — 我局 (the 区教育局)
    opens a clause with what it will do: it is responsible too. 四、（三）1.: 「…网上报名截止后（5月22日下午3点），
    区教育局幼儿招生负责科室立即对报名数据进行备份」 likewise. A name opening a later clause without such a verb
    (「…，区财政局下发资金后」) is not read this way."""
    resolver = UnitResolver(registry_of(registry), "天河区")
    d = prose_duties("严禁在招生工作中出现虚假宣传、违规收费、管理混乱、考试或变相考试入园等违法违规行为，我局将进行专项检查，"
                     "一旦发现有违法违规行为，将依据相关规定予以追究责任，依法依规予以查处。", resolver)
    assert _names(d.responsible) == ["区教育局"]
    d = prose_duties("教育部门办幼儿园网上报名截止后（5月22日下午3点），区教育局幼儿招生负责科室立即对报名数据进行备份，"
                     "随即启动电脑派位程序。", resolver)
    assert "区教育局幼儿招生负责科室" in _names(d.responsible)
    towns = UnitResolver(registry_of(registry), "头桥街道")
    assert "区财政局" not in _names(prose_duties("由联席办向区财政局申请立项资金，区财政局下发资金后，由管理办核对校准后，"
                                                 "通知各村申请资金。", towns).responsible)


@pytest.fixture(scope="module")
def seed_registry() -> model.Corpus:
    """The project's own corpus (policies/): the units the five seeds name."""
    root = FIXTURES.parent.parent
    return compile_paths(None, Project(root, root / "policies", root / "build")).corpus


def test_together_with_others_named_later_in_the_item(seed_registry):
    """云阳 5.1 (the seed 渝云阳府办发〔2019〕22号): 「民政部门要加强统筹协调，会同有关部门…。教育、财政…等有关部门要
    认真履职」 — the 有关部门 民政 会同 are named in the item, so 民政 leads and they cooperate (as policies/ encodes
    it), rather than all being 负责."""
    resolver = UnitResolver(registry_of(seed_registry), "云阳县")
    d = prose_duties("各乡镇（街道）要抓好落实，认真履行城市特殊困难群众救助帮扶申请受理、调查审核、救助帮扶等职责。"
                     "民政部门要加强统筹协调，会同有关部门不断完善救助帮扶政策措施，全面掌握政策落实情况。"
                     "教育、财政、人社、住建、城管、水利、卫健、应急、医疗、残联、气象等有关部门要认真履职，"
                     "确保各项救助帮扶政策落到实处。", resolver)
    assert _names(d.lead) == ["县民政局"]
    assert "县财政局" in _names(d.cooperate) and "县医保局" in _names(d.cooperate)
    assert _names(d.responsible) == ["各乡镇（街道）"]


def test_together_with_unnamed_others_stays_responsible(registry):
    """01 五、（二）「市交通委要会同有关部门加强跟踪督查」: nobody named for 有关部门 — 市交通委 is 负责 (docs/encoding.md §4)."""
    resolver = UnitResolver(registry_of(registry), "上海市")
    d = prose_duties("各区政府要结合加快交通强国建设要求，积极开展改革试点工作。市交通委要会同有关部门加强跟踪督查，"
                     "及时总结推广成功经验。", resolver)
    assert not d.lead and not d.cooperate
    assert "市交通委" in _names(d.responsible)


def test_joint_leads_in_prose_are_responsible(registry):
    """「A、B牵头，C配合」 in a measure's sentence: a task has one lead (LS219), so two leads are 负责 together and
    C cooperates — as a 牵头单位 column naming two is read (docs/encoding.md §1)."""
    resolver = UnitResolver(registry_of(registry), "崇明区")
    d = prose_duties("区发展改革委、区经委牵头，区教育局配合，每季度开展一次专项检查。", resolver)
    assert not d.lead and _names(d.responsible)[:2] == ["区发展改革委", "区经委"]
    assert _names(d.cooperate) == ["区教育局"]
    one = prose_duties("区发展改革委牵头，区教育局配合，每季度开展一次专项检查。", resolver)
    assert _names(one.lead) == ["区发展改革委"] and _names(one.cooperate) == ["区教育局"]
