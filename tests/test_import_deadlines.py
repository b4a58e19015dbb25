"""Deadline phrasings of the import development set (tests/fixtures/import/dev/), each on its real sentence: what
`luoshi import` reads as a 时限 (issue 17, item 5). Years a sentence leaves out come from the document's date."""

from __future__ import annotations

import pytest

from helpers import deadline_text

from luoshi.importer import values


@pytest.mark.parametrize("sentence, year, specs", [
    # 07 五、（四）: dates with no year are in the document's year (2022); 每季度…前 recurs, and the dates it
    # lists in parentheses are read too
    ("请服务办于7月21日前上报《附件1：独居老人排摸统计表》至消委办（街道安监所邮箱）。此后，请于每季度最后一个周五前"
     "（9月30日、12月30日），更新报送《附件1：独居老人排摸统计表》至街道安监所邮箱。", 2022,
     ["每季度", "2022年7月21日前", "2022年9月30日", "2022年12月30日"]),
    # 20 四、（一）2.: 于5月12日前 · 于5月18日 in a 2026 notice
    ("教育部门办幼儿园应于5月12日前将本园的电脑派位招生计划报区教育局审核。电脑派位招生计划将通过天河区政府官方网站"
     "于5月18日向社会公告。", 2026, ["2026年5月12日前", "2026年5月18日"]),
    # 20 四、（二）1.: a span of days with no year
    ("符合优先考虑条件的本区户籍小区业主子女的报名时间为4月26日至4月28日，", 2026, ["2026年4月26日至2026年4月28日"]),
    # 09 二、（二） and （六）: a year opening a clause before the work to do dates it (by that year's end)
    ("聚焦已划定的80万亩粮食生产功能区，2021年组织开展划定情况“回头看”，确保总量不减少，质量不下降。", None, ["2021年底"]),
    ("及时更新上海农业地理信息公共服务系统数据。2021年，组织开展撂荒地专项检查。", None, ["2021年底"]),
    # 12 三、（五）: a yearly review (年度考核) recurs every year
    ("配合市级部门落实城市更新评估体系、开展城市更新工作任务推进情况专项年度考核，引导本区城市更新工作向规范化方向发展。",
     None, ["每年"]),
    # 19 第二十八条 / 18 第三条: a payment every month
    ("资助费用由镇人民政府、街道办事处按照财务管理规定，每月支付给服务机构。", None, ["每月"]),
    # 18 第三条: figures between 每月 and the payment do not hide it
    ("供养服务机构每月按照不低于特困人员基本生活供养金20%的标准向特困人员发放零用钱。", None, ["每月"]),
    # a per-person monthly amount is a benefit's size, not a duty's frequency
    ("按照每人每月发放300元的标准给予补贴。", None, []),
    # 19 第二十九条: 每年2月底前 is a date inside every year — a yearly duty, not 2月底 of no year
    ("每年2月底前，镇人民政府、街道办事处应当完成上年度服务资助资金的清算工作，报区民政部门审核。", None, ["每年"]),
    # 18 第四条 / 19 第三十七条: limits counted from an event the sentence names
    ("区民政部门应在特困人员签订供养意愿书之日起1个月内，为有集中供养意愿的特困人员落实集中供养服务；", None,
     ['从 "特困人员签订供养意愿书之日" 1个月 内']),
    ("区民政部门应当在受理申请后1个月内完成实地核实，符合资助条件的，报市民政部门核实。", None, ['从 "受理申请" 1个月 内']),
    # 17 第八、九条, 16 三、（一）, 19 第三十条: the event a limit counts from ends in 之后 / 的 / 后 / 之日起 (no 内)
    ("开展先行急难救助后,应当在紧急情况解除之后10个工作日内,登记救助对象、救助事由、救助金额等信息,", None,
     ['从 "紧急情况解除" 10个工作日 内']),
    ("区民政部门应当自收到镇人民政府(街道办事处)审核意见及相关材料的3个工作日内作出审批决定。", None,
     ['从 "收到镇人民政府(街道办事处)审核意见及相关材料" 3个工作日 内']),
    ("各区要结合实际，于本文印发后3个月内出台辖区实施方案，细化工作目标和措施，", None, ['从 "本文印发" 3个月 内']),
    ("由区养老服务指导单位会同镇人民政府、街道办事处自收到复核申请之日起15个工作日采取入户调查、邻里访问、信函索证等方式组织复核。",
     None, ['从 "收到复核申请之日" 15个工作日 内']),
    # 03 五、（三）: 年度 with words before 考核
    ("农村公路考核按照有关规定实施年度绩效考核，绩效考核结果作为区政府统筹安排农村公路管养经费的重要依据。", None, ["每年"]),
    # 16 二、（四）4.: 「2024年，选取…试点」
    ("2024年，选取部分基层医疗卫生机构试点，开展家庭医生签约服务按人头付费方式改革。", None, ["2024年底"]),
    # a limit with no event named (应在5个工作日内) is left for the reviewer, not given an invented event
    ("镇人民政府、街道办事处应在5个工作日内完成初核并提交区养老服务指导单位核实。", None, []),
    # 云阳 seed 2.5: 从2019年春季学期起，到2020年 is the period 2019–2020, not 截至 2020年底
    ("从2019年春季学期起，到2020年：高中阶段在校城乡低保对象和城乡特困学生免费提供教科书。", None, ["2019年至2020年"]),
    # 13 一、（十）: 「一年一体检」 is once a year (「五年一评估」 has no DSL period and stays unread)
    ("提出推进城市高质量发展的工作任务清单，建立本区“一年一体检，五年一评估”的城市体检评估常态化工作机制。", None, ["每年1次"]),
    # 08 四、（三）（四）: two years running are one period
    ("区政府将增加投入，2021年和2022年对成批量集中直接设置的项目由区政府统一保障，", None, ["2021—2022年"]),
    ("对可直接设置的，2021年、2022年由区民防办、区应急管理局统一指导、集中认定，", None, ["2021—2022年"]),
    # dates that set no duty: 20 二、 a birth window, 13 三、（二） a data cutoff, 03 四、 how things stand at a date
    ("2026年秋季小班入园的新生应为2022年9月1日至2023年8月31日期间出生的适龄幼儿。", None, []),
    ("建立城市体检基础数据库。采用数据截止日期为2020年12月31日。", None, []),
    ("县道截至2020年底，全区县道总里程427公里，桥梁371座。", None, []),
    # a bare year that opens no work is no deadline
    ("2019年春季学期开始实施。", None, []),
    # docs/encoding.md §9: 持续 / 常态化 inside a sentence is how the work is done, not a period (05 （十一）, 161号 3.3,
    # 大足 2.8); a 完成时限 cell that is only 长期坚持 / 持续推进 is one
    ("持续开展行业部门、街镇、居村干部和基层治理骨干人员消防安全教育培训，着力提升消防安全监管业务能力。", None, []),
    ("结合季节特点和火灾规律常态化开展风险提示，加强案例警示和隐患曝光，", None, []),
    ("各区县政府要整合资源,持续做好元旦、春节等重要节日走访慰问,不断完善走访慰问机制。", None, []),
    ("各镇街要制定困难对象联系帮扶方案，落实机关、社区干部帮扶对象，建立帮扶名册，开展常态性帮扶工作。", None, []),
    ("长期坚持", None, ["持续"]),
    ("持续推进。", None, ["持续"]),
])
def test_deadline_phrasings(sentence: str, year: int | None, specs: list[str]) -> None:
    found = values.extract(sentence, year=year)
    assert [deadline_text(d) for d in found.deadlines] == specs


def test_a_date_without_year_and_no_document_date_is_asked_not_guessed() -> None:
    """20 四、（一）2. with no document date: 「5月12日前」 becomes a 待定 question, never a guessed year."""
    found = values.extract("教育部门办幼儿园应于5月12日前将本园的电脑派位招生计划报区教育局审核。")
    assert found.deadlines == []
    assert found.todos == ["「5月12日前」未写年份：请补全为「某年5月12日前」"]


def test_document_year_reaches_the_draft() -> None:
    """20 imported as stored: its 2026 date dates 4.1.2's 于5月12日前 (the Context carries the document's year)."""
    from conftest import FIXTURES
    from luoshi.driver.pipeline import compile_paths
    from luoshi.driver.project import find_project
    from luoshi.importer import import_path

    truth = FIXTURES / "import" / "dev" / "truth"
    corpus = compile_paths(None, find_project(truth)).corpus
    path = next((FIXTURES / "import" / "dev").glob("20_*.txt"))
    imported = import_path(path, corpus)
    specs = {deadline_text(d) for i in imported.result.policy.items() for d in i.deadlines}
    assert {"2026年5月12日前", "2026年4月26日至2026年4月28日"} <= specs
