"""`luoshi import` on texts it was not tuned on: general causes found by importing the two State Council documents,
the five seeds and a development document against a registry that does not hold its city, each pinned by the
real sentence (copied here: tests never read /work/shared)."""

from __future__ import annotations

import pytest

from conftest import FIXTURES, ROOT
from helpers import deadline_text, target_parts
from luoshi import model
from luoshi.driver.pipeline import compile_paths
from luoshi.driver.project import Project
from luoshi.importer import import_path, values
from luoshi.importer.duties import named_duties, prose_duties, unit_shaped
from luoshi.importer.units import UnitResolver, registry_of

DEV = FIXTURES / "import" / "dev"


@pytest.fixture(scope="module")
def corpus() -> model.Corpus:
    """The project's corpus: its registry holds Chongqing, Shanghai and the State Council, not Guangzhou."""
    return compile_paths(None, Project(ROOT, ROOT / "policies", ROOT / "build")).corpus


def test_unregistered_actors_written_in_the_text_are_kept(corpus):
    """19 第六条 「市、区财政部门负责居家社区养老服务财政资金保障工作。」 in a city the registry lacks: the actors
    are the ones written (one per tier), proposed with the document's jurisdiction; the lower tier's organ is
    every district's (集体). The registry-only reading stays as it was: nothing from running text."""
    sentence = ("市、区财政部门负责居家社区养老服务财政资金保障工作。市人力资源和社会保障、民政部门负责建立养老服务从业人员的"
                "职业技能评价体系，完善技能培训制度以及激励机制。")
    assert not prose_duties(sentence, UnitResolver(registry_of(corpus), "广州市"))
    resolver = UnitResolver(registry_of(corpus), "广州市")
    duties = named_duties(sentence, resolver)
    assert [m.written for m in duties.responsible] == ["市财政部门", "区财政部门", "市人力资源和社会保障部门", "市民政部门"]
    assert all(m.unit is None for m in duties.responsible) and not duties.lead and not duties.cooperate
    kinds = {p.name: (p.kind, p.role, p.jurisdiction) for p in resolver.proposals.values()}
    assert kinds["市财政部门"] == ("单位", "财政", "广州市")
    assert kinds["区财政部门"] == ("集体", "财政", "广州市")


def test_town_governments_and_committees_as_written(corpus):
    """19 第七条: 「镇人民政府、街道办事处负责本辖区…工作」, 「居民委员会、村民委员会协助做好…」 — two collectives of
    the lower tiers responsible (下级政府), the committees cooperating (村社区); never the addressees."""
    resolver = UnitResolver(registry_of(corpus), "广州市")
    duties = named_duties("镇人民政府、街道办事处负责本辖区居家社区养老服务的组织实施、设施建设与管理、服务开展、资金申请等工作。"
                          "居民委员会、村民委员会协助做好居家社区养老服务工作。", resolver)
    assert [m.written for m in duties.responsible] == ["镇人民政府", "街道办事处"]
    assert [m.written for m in duties.cooperate] == ["居民委员会", "村民委员会"]
    roles = {p.name: (p.kind, p.role) for p in resolver.proposals.values()}
    assert roles["镇人民政府"] == ("集体", "下级政府") and roles["居民委员会"] == ("集体", "村社区")


def test_a_list_joined_by_he_is_two_names_and_a_phrase_is_none():
    """「区民政部门和镇人民政府」 is two organs; 「市人力资源和社会保障部门」 one; 「服务机构」, 「区域内」 are none."""
    assert unit_shaped("市人力资源和社会保障部门") and unit_shaped("区养老服务指导单位")
    assert not unit_shaped("区民政部门和镇人民政府")
    assert not unit_shaped("服务机构") and not unit_shaped("区域内各单位") and not unit_shaped("市场主体")


def test_named_actors_replace_the_stand_ins_in_the_draft(corpus):
    """Doc 19 imported against a registry without Guangzhou: 第六条 and 第七条 name their actors, so the draft
    writes them (proposed in the units draft) and no （据主送） stand-in or its 待定."""
    imported = import_path(DEV / "19_gz-shi_jujia-yanglao.txt", corpus)
    items = {i.id: i for i in imported.result.policy.items()}
    art6, art7 = items["1.6"], items["1.7"]
    assert [m.written for m in art6.responsible][:2] == ["市财政部门", "区财政部门"] and not art6.inferred
    assert [m.written for m in art7.responsible] == ["镇人民政府", "街道办事处"] and not art7.inferred
    assert not any("主送" in t for t in art6.todos + art7.todos)
    assert "集体 区财政部门 角色 财政" in (imported.units_text or "")


def test_the_head_of_a_committee_is_not_a_duty(corpus):
    """03 附件2: 「村级路长由村民委员会主要负责同志担任」 — 负责同志 is a person (who holds the post), not a duty of
    the committee."""
    resolver = UnitResolver(registry_of(corpus), "奉贤区")
    assert not named_duties("村级路长：各建制村设立村级路长及护路员。村级路长由村民委员会主要负责同志担任。", resolver)


def test_a_count_inside_a_parenthesis_ends_at_its_bracket():
    """19 第七条: 「安排相应人员（每5000名户籍老年人配备1名，不足5000名的至少配备1名）」 — the metric was 「）人数」
    (the words after the number ran past the closing bracket) per 「不足5000名的」. The count glosses the noun
    before the （ and its base is the 每… inside it."""
    found = values.extract("应当根据辖区内户籍老年人数量在基层现有工作力量中安排相应人员（每5000名户籍老年人配备1名，"
                           "不足5000名的至少配备1名），承担居家社区养老服务申请受理、资助资格核实等具体事务。")
    assert [target_parts(t) for t in found.targets] == [("人员数", "至少 1名", '每 "5000名户籍老年人"')]


def test_a_count_opening_its_sentence_counts_per_its_own_subject():
    """19 第十条 「（一）区级社区养老服务设施。每个区应当单独设置至少1个区级综合养老服务中心」: the base is 区, read
    from the sentence the count is in; with no comma before it the base ran from the start of the text (「区、镇
    人民政府和街道办事处…」)."""
    found = values.extract("区、镇人民政府和街道办事处应统筹设施资源，设置以下社区养老服务设施：（一）区级社区养老服务设施。"
                           "每个区应当单独设置至少1个区级综合养老服务中心，每处建筑面积不少于1000平方米。")
    assert [target_parts(t) for t in found.targets] == [
        ("区级综合养老服务中心数", "至少 1个", '每 "区"'), ("区级综合养老服务中心建筑面积", "不少于 1000平方米", '每 "处"')]


def test_an_article_listing_what_it_sets_up_is_one_item(corpus):
    """19 第十条 「…设置以下社区养老服务设施：」 over （一）…（三）, 第三十六条 「…可以按规定申请以下补贴：」 over entries of
    several paragraphs: what the article lists is its content (one item with its targets), not sub-tasks."""
    items = {i.id: i for i in import_path(DEV / "19_gz-shi_jujia-yanglao.txt", corpus).result.policy.items()}
    art10 = items["2.10"]
    assert not art10.children and "2.10.1" not in items
    assert [target_parts(t)[0] for t in art10.targets] == [
        "区级综合养老服务中心数", "区级综合养老服务中心建筑面积", "街镇级综合养老服务中心（颐康中心）数",
        "街镇级综合养老服务中心（颐康中心）建筑面积", "村居颐康服务站数", "村居颐康服务站建筑面积"]
    assert not items["5.36"].children and not items["2.14"].children


def test_parallel_metrics_each_get_their_target():
    """国发〔2018〕42号 （二）: 「马铃薯种植、收获机械化率均达到45%」 is two targets of 45%; 「花生种植、收获机械化率分别
    达到65%和55%」 pairs each metric with its value — no 待定 left asking which metric is which."""
    found = values.extract("到2025年，薄弱环节机械化全面突破，其中马铃薯种植、收获机械化率均达到45%，棉花收获机械化率达到60%，"
                           "花生种植、收获机械化率分别达到65%和55%，设施农业、畜牧养殖、水产养殖和农产品初加工机械化率总体达到50%左右。",
                           values.year_end(2025))
    assert [target_parts(t)[:2] for t in found.targets] == [
        ("马铃薯种植机械化率", "达到 45%"), ("马铃薯收获机械化率", "达到 45%"), ("棉花收获机械化率", "达到 60%"),
        ("花生种植机械化率", "达到 65%"), ("花生收获机械化率", "达到 55%"),
        ("设施农业、畜牧养殖、水产养殖和农产品初加工机械化率", "达到 50%")]
    assert not found.todos


@pytest.mark.parametrize("metric, parts", [
    ("城镇和农村低保标准", ["城镇低保标准", "农村低保标准"]),
    ("小麦、水稻、玉米种植面积", ["小麦种植面积", "水稻种植面积", "玉米种植面积"]),
    ("设施农业、畜牧养殖、水产养殖和农产品初加工机械化率", ["设施农业、畜牧养殖、水产养殖和农产品初加工机械化率"]),
    ("丘陵山区县（市、区）农作物耕种收综合机械化率", ["丘陵山区县（市、区）农作物耕种收综合机械化率"]),
])
def test_split_metric_only_splits_parallel_words(metric, parts):
    assert values.split_metric(metric) == parts


def test_a_start_and_a_run_of_years_is_a_period():
    """国发〔2018〕39号 （五）: 「从2019年1月1日起，实施三年百万青年见习计划」 is 2019年1月1日至2021年12月31日 (the
    reviewed encoding's period), not a start date left open with a 待定."""
    found = values.extract("扩大就业见习补贴范围。从2019年1月1日起，实施三年百万青年见习计划；将就业见习补贴范围由离校未就业"
                           "高校毕业生扩展至16—24岁失业青年。")
    assert [deadline_text(d) for d in found.deadlines] == ["2019年1月1日至2021年12月31日"] and not found.todos
    assert [deadline_text(d) for d in values.extract("从2020年3月起，开展两年专项行动。").deadlines] == ["2020年3月至2022年2月底"]
    assert values.extract("从2019年1月1日起，失业保险费率下调。").todos  # no run of years: still a start only


def test_units_named_in_the_text_beside_a_clause_of_collectives(corpus):
    """国发〔2018〕39号 （十三）: the clause is 「（各有关部门和单位按职责分工负责）」, the text 「人力资源社会保障部要统筹
    协调…。财政部要加大资金支持力度…」: both ministries are responsible too (policies/gf-2018-39 5.13). A clause
    naming a ministry of its own (（五）「人力资源社会保障部等有关部门和单位负责」) takes nothing from the text."""
    items = {i.id: i for i in import_path(FIXTURES / "corpus" / "02_guowuyuan-cujin-jiuye-guofa-2018-39.plain.txt",
                                          corpus).result.policy.items()}
    assert [m.written for m in items["5.13"].lead] == ["各有关部门和单位"]
    assert [m.written for m in items["5.13"].responsible] == ["人力资源社会保障部", "财政部"]
    assert [m.written for m in items["2.5"].lead + items["2.5"].responsible] == ["人力资源社会保障部"]


@pytest.fixture(scope="module")
def truth_registry() -> model.Corpus:
    """The truth files' fixture project: the units the development documents name."""
    truth = DEV / "truth"
    return compile_paths(None, Project(truth, truth, truth / "build")).corpus


def test_a_list_opened_by_ge_leaves_out_the_word_unit(truth_registry):
    """10 八、（一）: 「各相关职能部门、单位、村及联席办要坚决落实…」 — each department, each village and the office;
    「单位」 (each of whatever units) names no one and no longer blocks the others (truth 8.1: 街道各职能部门、各村、
    联席办). A list that does not open with 各 still needs every name."""
    resolver = UnitResolver(registry_of(truth_registry), "头桥街道")
    duties = prose_duties("对于土地减量化工作，主要领导抓，分管领导具体抓，各相关职能部门、单位、村及联席办要坚决落实、统一思想。",
                          resolver)
    assert [m.unit for m in duties.responsible] == ["头桥街道/街道各职能部门", "头桥街道/各村", "头桥街道/联席办"]
    assert not prose_duties("联席办、单位要坚决落实。", resolver)


def test_paragraphs_staged_by_a_horizon_are_items(corpus):
    """12 二、（三）「智创和谐新境行动」: an introduction, then four paragraphs 「到2025年，在…方面，…」, none naming an
    actor. Each paragraph is an item (docs/encoding.md §7), its 到2025年 dates its targets (no deadline of its own)
    and its 一是…二是… are its content: the targets land on the paragraph that states them (truth 2.3.2–2.3.5),
    not on sub-tasks cut across paragraphs."""
    items = {i.id: i for i in import_path(DEV / "12_sh-jingan_zhuoyue-chengqu.txt", corpus).result.policy.items()}
    part = items["正文.2.3"]
    assert [c.text[:12] for c in part.children] == [
        "优化功能品质，推进公共空", "到2025年，在公共服务", "到2025年，在公共空间", "到2025年，在市政基础", "到2025年，在绿色节能"]
    works = items["正文.2.3.4"]
    assert not works.children and not works.deadlines
    assert [target_parts(t)[:2] for t in works.targets][:2] == [("架空线入地和杆箱整治", "达到 48公里"),
                                                                ("燃气老化管道改造", "达到 36公里")]
    assert [target_parts(t)[:2] for t in items["正文.2.3.2"].targets] == [("“15分钟社区生活圈”示范性街镇", "达到 3个")]
