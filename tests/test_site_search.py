"""The site's search as readers type into it (luoshi/site/search_index.py, assets/search.js): a 文号 with any
brackets and full-width digits, traditional characters, words separated by punctuation, a deadline, a query
nothing holds. The index side here; the browser side, on the built seed site, in headless Chromium below (the
fixtures of test_site_browser.py: served on localhost and opened as files)."""

from __future__ import annotations

import json

import pytest
from luoshi.site.search import build_index, search_terms
from luoshi.site.search_index import folds, index_files, normalize

from sitebuild import built_site
from test_site_browser import _no_browser, _result_titles, _search, base_url, browser, session, where  # noqa: F401

DOCNO = "渝府办发〔2018〕161号"


@pytest.mark.parametrize("typed", ["渝府办发[2018]161号", "渝府办发［2018］161号", "渝府办发【2018】161号", "渝府办发(2018)161号",
                                   "渝府办发（2018）161号", "渝府办发〔２０１８〕１６１号", "渝府办发 〔2018〕 161号", "渝府辦發〔2018〕161號",
                                   "渝府办发2018161号", "渝府办发 2018161号"])
def test_a_docno_typed_any_way_reads_as_printed(typed):
    assert normalize(typed) == normalize(DOCNO) == "渝府办发〔2018〕161号"


def test_traditional_characters_fold_to_simplified_and_nothing_else_moves():
    assert normalize("臨時救助 縣民政局 殘疾人 養老服務") == "临时救助县民政局残疾人养老服务"
    assert normalize("县民政局（云阳县）") == "县民政局(云阳县)"
    assert normalize("二（二）") == "二(二)"  # a bracket that is not round a year stays as it was
    # a bare year is bracketed only before a 文号's number: dates, task numbers and counts stay as they were
    for text in ("截至2019年底", "2018161号", "2.2.2019161号", "大足民发26号", "2019-161号", "第20191号"):
        assert normalize(text) == text, text
    table = folds()
    assert len(table) > 3000 and all(len(t) == len(s) == 1 and t != s for t, s in table.items())
    assert not set(table) & set("临时救助县民政局区教委残疾人低保")  # a simplified character is never folded


def test_the_head_carries_the_folds_its_pages_need_and_the_keys_of_a_traditional_query_are_the_simplified_ones():
    rows: list[list[object]] = [["a.html", "县民政局", "单位", ["县民政局"], "临时救助", 0],
                                ["b.html", "县教委", "单位", [], "教育资助", 0]]
    files = index_files(rows, {"kinds": [], "words": [], "straddles": []})
    head = json.loads(files["assets/search-index.js"].decode("utf-8").removeprefix("window.luoshiSearchIndex = ").removesuffix(";\n"))
    pairs = {head["folds"][i]: head["folds"][i + 1] for i in range(0, len(head["folds"]), 2)}
    assert pairs["臨"] == "临" and pairs["縣"] == "县" and pairs["資"] == "资"
    assert "養" not in pairs  # 养 is on no page: folding 養 could lead to no match
    assert len(head["folds"]) < 400


def test_a_policy_is_named_by_its_docno_without_the_year_too():
    from luoshi.model import Policy
    from luoshi.site.search import policy_names

    policy = Policy.model_construct(id="dzmf-2019-26", number="大足民发〔2019〕26号", title="关于切实做好…的通知")
    assert policy_names(policy, "大足民发〔2019〕26号")[:2] == ["大足民发〔2019〕26号", "大足民发26号"]


def test_synonym_groups_are_apart_and_as_search_compares_them_and_reach_the_head():
    """search_terms.toml: each way of saying a thing in one group only (a word in two groups would be replaced
    in whichever came first), written as normalize() leaves it (search.js compares them normalized), and the
    groups, the question words and a reader's leading and trailing words are in the index's head, which search.js
    reads."""
    terms = search_terms()
    members = [m for group in terms["synonyms"] for m in group]
    assert len(members) == len(set(members)) and all(len(group) >= 2 for group in terms["synonyms"])
    assert all(normalize(m) == m for m in [*members, *terms["fillers"], *terms["leading"], *terms["trailing"]])
    assert ["低保", "最低生活保障"] in terms["synonyms"] and "怎么" in terms["fillers"]
    files = build_index({}, {}, [])
    head = json.loads(files["assets/search-index.js"].decode("utf-8").removeprefix("window.luoshiSearchIndex = ").removesuffix(";\n"))
    assert all(head[k] == terms[k] for k in ("synonyms", "fillers", "leading", "trailing"))


@pytest.mark.parametrize("said", ["<script>alert(1)</script>局", "[点我](javascript:alert(2))办", "{{ 7*7 }}委", "甲|乙局",
                                  "2.1.1", "a \\ b", "&amp; &lt;", "*强调* _x_ #1 `c`", "![x](http://evil.example/x.png) 图"])
def test_the_index_holds_escaped_text_as_written(said):
    """What the site's Markdown escapes (escape.md_inline: entities, then a backslash before Markdown's marks)
    reads back as written in the search index, in a heading, a link's text and a table cell: search.js shows it
    with textContent, so &lt; would show as &lt; and a dropped | or * would change a name."""
    from luoshi.site.escape import md_inline
    from luoshi.site.search import page_text, page_title

    assert page_title(f"# [{md_inline(said)}](a.md)") == said
    assert page_text(f"# {md_inline(said)}\n\n| 单位 | [{md_inline(said)}](../x.md) |\n|---|---|\n") == f"{said} 单位 {said}"


# ───────────── in the browser, on the seed site ─────────────

# what a reader types → the page that must come first
FIRST = {
    "渝府办发【2018】161号": "policies/yfbf-2018-161.html",
    "渝府办发(2018)161号": "policies/yfbf-2018-161.html",
    "渝府办发〔２０１８〕１６１号": "policies/yfbf-2018-161.html",
    "云阳府办发（2019）22号": "policies/yyfbf-2019-22.html",
    "縣民政局": "units/云阳县/县民政局.html",
    "璧山區教委": "units/璧山区/区教委.html",
    "教委": "units/云阳县/县教委.html",
    "161号文": "policies/yfbf-2018-161.html",
    "22号文件": "policies/yyfbf-2019-22.html",
    "大足民发26号": "policies/dzmf-2019-26.html",
    "渝府办发2018161号": "policies/yfbf-2018-161.html",  # the year typed with no bracket
    "云阳府办发201922号": "policies/yyfbf-2019-22.html",
    "渝府办发2018 161": "policies/yfbf-2018-161.html",   # year and number typed apart, no brackets, no 号
    "渝府办发 2018年161号": "policies/yfbf-2018-161.html",
    "云阳府办发【2019】 22": "policies/yyfbf-2019-22.html",
}


@pytest.mark.parametrize("query", sorted(FIRST))
def test_what_readers_type_lands_on_the_page(session, where, query):  # noqa: F811
    page, _ = session
    found = _search(page, where, query)
    assert found[0] == FIRST[query], (query, found[:5])


def test_traditional_characters_find_the_simplified_text(session, where):  # noqa: F811
    page, _ = session
    found = _search(page, where, "臨時救助")
    assert {"tasks/yyfbf-2019-22/2.8.html", "tasks/yfbf-2018-161/2.8.html"} <= set(found[:6]), found[:6]
    assert page.locator(".md-search-result mark").first.inner_text() == "临时救助"  # marked in the snippet


@pytest.mark.parametrize("query", ["临时救助，低保", "临时救助？", "低保、临时救助", "「临时救助」"])
def test_punctuation_between_words_separates_them(session, where, query):  # noqa: F811
    page, _ = session
    found = _search(page, where, query)
    assert found, query
    for path in found[:10]:
        text = (built_site().html / path).read_text(encoding="utf-8")
        assert "临时救助" in text, (query, path)


def test_a_deadline_finds_the_tasks_due_then_before_the_checklists_that_repeat_it(session, where):  # noqa: F811
    page, _ = session
    found = _search(page, where, "2019年底")
    assert found[0].startswith("tasks/") and "tasks/yyfbf-2019-22/2.2.2.html" in found[:3], found[:5]


def test_a_query_nothing_holds_says_so_and_what_to_try(session, base_url):  # noqa: F811
    page, _ = session
    page.goto(base_url + "index.html")
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("量子计算")
    box.press("End")
    page.wait_for_selector("[data-luoshi-search][data-luoshi-done]", state="attached")
    meta = page.inner_text(".md-search-result__meta")
    assert "没有找到包含“量子计算”的页面" in meta and "161号" in meta
    assert page.locator("li.md-search-result__item").count() == 0


@pytest.mark.parametrize("typed, word", [("特困人员共养", "特困人员供养"), ("临时求助", "临时救助"), ("县民证局", "县民政局"),
                                         ("最低生活保单", "最低生活保障")])
def test_a_mistyped_character_shows_the_word_it_mistypes_and_says_so(session, where, typed, word):  # noqa: F811
    page, _ = session
    found = _search(page, where, typed)
    meta = page.inner_text(".md-search-result__meta")
    assert f"没有找到“{typed}”，以下是“{word}”的结果" in meta, meta
    assert found and all(_holds_one(path, _said(word)) for path in found[:10])
    if word == "县民政局":
        assert found[0] == "units/云阳县/县民政局.html"


@pytest.mark.parametrize("typed, shown, words", [("救助帮扶提高 2019", "救助 帮扶 提高 2019", ("救助", "帮扶", "提高", "2019")),
                                                 ("低保标准提高", "低保 标准 提高", ("低保", "标准", "提高"))])
def test_shorthand_nothing_holds_whole_is_read_as_its_two_character_words(session, where, typed, shown, words):  # noqa: F811
    """特困供养 for 特困人员救助供养: no page holds it and no one-character fix explains it, so its words are looked
    for each on its own, and the line above the results says so."""
    page, _ = session
    found = _search(page, where, typed)
    meta = page.inner_text(".md-search-result__meta")
    assert f"没有找到“{typed}”，以下是“{shown}”的结果" in meta, meta
    assert found and all(all(_holds_one(path, _said(w)) for w in words) for path in found[:10])


def test_a_docno_typed_apart_reads_whole_and_a_date_is_left_alone(session, where):  # noqa: F811
    """渝府办发2018 161 is one 文号, found as printed (no 「没有找到」 line); 2019年底 161 stays a date and a number."""
    page, _ = session
    _search(page, where, "渝府办发2018 161")
    meta = page.inner_text(".md-search-result__meta")
    assert "没有找到" not in meta and _result_titles(page)[0].startswith(DOCNO), meta


def _holds_one(path: str, words: tuple[str, ...]) -> bool:
    text = (built_site().html / path).read_text(encoding="utf-8")
    return any(w in text for w in words)


def _said(word: str) -> tuple[str, ...]:
    """`word` and the other ways of saying it search_terms.toml gives (低保: 最低生活保障), as search.js's
    variants() makes them."""
    out = [word]
    for group in search_terms()["synonyms"]:
        found = max((m for m in group if m in word), key=len, default="")
        if found:
            out += [said.replace(found, m) for said in list(out) for m in group if m != found]
    return tuple(out)


@pytest.mark.parametrize("typed, means, first", [
    ("特困供养 2019", _said("特困供养"), "tasks/dzmf-2019-26/2.2.html"),
    ("残疾人补贴", ("残疾人两项补贴", "两项补贴", "困难残疾人生活补贴"), "tasks/cjbf-2024-54/2.9.html"),
    ("低保怎么申请", ("低保", "最低生活保障"), "tasks/cjbf-2024-54/3.1.html"),
])
def test_what_a_citizen_asks_in_plain_words_finds_the_policy_wording(session, where, typed, means, first):  # noqa: F811
    """No page says 残疾人补贴 (they say 残疾人两项补贴) and none says 怎么: the synonyms and question words of
    data/search_terms.toml find the measures, and the line above the results names the other wording."""
    page, _ = session
    found = _search(page, where, typed)
    assert first in found[:5], (typed, found[:5])
    assert all(_holds_one(path, means) for path in found[:10]), found[:10]
    if typed == "低保怎么申请":
        assert all(_holds_one(path, ("申请",)) for path in found[:10]), found[:10]
    else:
        assert "同义说法" in page.inner_text(".md-search-result__meta")


def test_a_short_name_finds_the_pages_that_spell_it_out(session, where):  # noqa: F811
    """低保 = 最低生活保障: a reader typing 低保 临时救助 also gets 国发〔2018〕39号 4.11, whose text says only
    最低生活保障; both wordings marked."""
    page, _ = session
    found = _search(page, where, "低保 临时救助")
    assert "tasks/gf-2018-39/4.11.html" in found, found
    text = (built_site().html / "tasks/gf-2018-39/4.11.html").read_text(encoding="utf-8")
    assert "低保" not in text and "最低生活保障" in text
    marked = set(page.eval_on_selector_all(".md-search-result mark", "marks => marks.map(m => m.innerText)"))
    assert {"低保", "最低生活保障"} <= marked, marked


@pytest.mark.parametrize("typed, means, first", [
    ("能申请低保吗", (_said("低保"), ("申请",)), "tasks/cjbf-2024-54/3.1.html"),
    ("低保在哪里申请呢", (_said("低保"), ("申请",)), "tasks/cjbf-2024-54/3.1.html"),
    ("请问残疾人补贴怎么领", (_said("残疾人补贴"),), "tasks/cjbf-2024-54/2.9.html"),
    ("如何办理特困供养", (_said("特困供养"),), "tasks/dzmf-2019-26/2.2.html"),
    ("我想申请临时救助", (("临时",), ("救助",), ("申请",)), "tasks/cjbf-2024-54/2.7.html"),
])
def test_a_readers_own_words_around_the_question_are_dropped(session, where, typed, means, first):  # noqa: F811
    """能…吗, 我想…, 请问…怎么领, 如何办理…: what a reader puts around what they look for is on no page; it is dropped
    (search_terms.toml's fillers, leading and trailing words; a single character a question word cuts off), the
    synonyms still apply, and the shorthand fallback keeps 低保 whole (it read 能申 请低 保吗, finding nothing)."""
    page, _ = session
    found = _search(page, where, typed)
    assert first in found[:5], (typed, found[:5])
    assert all(all(_holds_one(path, words) for words in means) for path in found[:10]), found[:10]
    meta = page.inner_text(".md-search-result__meta")
    assert "我想" not in meta.split("以下是")[-1] and "能申" not in meta, meta


def test_a_word_a_page_holds_whole_is_not_trimmed(session, where):  # noqa: F811
    """能 and 要 begin a reader's question (能申请低保吗) but also words the pages hold (能力提升, 要求): those stay."""
    page, _ = session
    found = _search(page, where, "能力提升")
    assert found and all(_holds_one(path, ("能力提升",)) for path in found[:10]), found[:10]
