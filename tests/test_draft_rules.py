"""The drafting rules one by one: DSL quoting that parses back, date rules, wording, counterparts."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.syntax.astbuild import build_ast
from luoshi.diagnostics import Sink
from luoshi.drafting.counterpart import CounterpartMap, localized_name, lower_collective
from luoshi.syntax.unparse import long_text, quote
from luoshi.syntax.unparse import name_token as name
from luoshi.drafting.localize import Localizer, full_width_punctuation
from luoshi.drafting.schedule import ScheduleError, cn_end, cn_start, parse_advance
from luoshi.syntax.parse import parse_source
from luoshi.syntax.source import SourceFile

from draftkit import seed_compilation


def parsed_text(literal: str) -> str:
    source = SourceFile.of("t.policy", f"政策 p {{ 原文 {literal} }}")
    sink = Sink()
    tree = parse_source(source, sink)
    assert tree is not None, [d.en for d in sink]
    return build_ast(tree, "t.policy", source.text).policies[0].statements[0].text


@pytest.mark.parametrize("text", [
    "普通文本。", 'He said "hi"', 'ends with a quote"', 'has """ inside', "back\\slash", "两段\n第二段", "tab\there",
])
def test_texts_parse_back_exactly(text):
    assert parsed_text(long_text(text, "  ")) == text
    assert parsed_text(quote(text)) == text


def test_names_are_bare_only_when_they_lex_as_one_name():
    assert name("县民政局") == "县民政局"
    assert name("各乡镇（街道）") == '"各乡镇（街道）"'  # （） would read as sub-units
    assert name("至") == '"至"' and name("2号楼") == '"2号楼"' and name("a b") == '"a b"'


def test_advance_rules():
    month = parse_advance("1个月")
    assert month.apply(dt.date(2020, 12, 31)) == dt.date(2020, 11, 30)  # a month's end stays a month's end
    assert month.apply(dt.date(2020, 3, 15)) == dt.date(2020, 2, 15)
    assert parse_advance("2周").apply(dt.date(2019, 3, 31)) == dt.date(2019, 3, 17)
    # 2019-10-08 (Tue) minus 1 working day skips the National Day holiday to 2019-09-30
    assert parse_advance("1个工作日").apply(dt.date(2019, 10, 8)) == dt.date(2019, 9, 30)
    assert parse_advance("0") is None
    with pytest.raises(ScheduleError):
        parse_advance("一个月")


def test_dates_are_written_as_officials_write_them():
    assert cn_end(dt.date(2020, 12, 31)) == "2020年底" and cn_end(dt.date(2019, 3, 31)) == "2019年3月底"
    assert cn_end(dt.date(2019, 3, 15)) == "2019年3月15日"
    assert cn_start(dt.date(2018, 1, 1)) == "2018年" and cn_start(dt.date(2019, 4, 1)) == "2019年4月"


def test_punctuation_is_made_full_width_next_to_chinese_only():
    assert full_width_punctuation("乡镇(街道),社区;1,000 (a)") == "乡镇（街道），社区；1,000 (a)"


def test_counterparts_by_role():
    corpus = seed_compilation().corpus
    county = CounterpartMap(corpus, "重庆市", "云阳县")
    assert county.of("重庆市/市政府各部门").unit == "云阳县/县政府各部门"  # by the localized name
    assert county.of("重庆市/区县财政").unit == "云阳县/县财政局"  # the one unit of the role
    assert county.of("重庆市/市规划自然资源局").unit == "云阳县/县规划自然资源局"  # a standard unit of the county
    assert county.of("重庆市/市国资委").missing  # the template has no 国资委 at county level
    assert lower_collective(corpus, county) == "各乡镇（街道）"
    district = CounterpartMap(corpus, "重庆市", "璧山区")
    assert district.of("重庆市/各区县政府").unit == "璧山区/各镇街" and not district.of("重庆市/各区县政府").alternatives
    assert set(district.of("重庆市/有关单位").alternatives) >= {"璧山区/区属单设中学", "璧山区/区管医疗机构"}
    assert localized_name("市级有关部门", "市", "区") == "区级有关部门"


def test_wording_rules():
    corpus = seed_compilation().corpus
    county = CounterpartMap(corpus, "重庆市", "云阳县")
    local = Localizer(corpus, county, lower_collective(corpus, county))
    text = local.text("市、区县财政要将资金纳入本级预算。各区县(自治县,以下简称区县)在分类分档…搭建全市平台,落实我市政策,城市居民。")
    assert text.text == "县财政局要将资金纳入本级预算。各乡镇（街道）在分类分档…搭建全县平台，落实我县政策，城市居民。"
    assert local.text("经市委同意").text == "经县委同意"  # 县委: a standard unit of the county
    assert local.text("经市国资委同意").unmatched == ["重庆市/市国资委"]  # no counterpart: left as written, reported
