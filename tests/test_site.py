"""The docs site (`luoshi site`, then `mkdocs build --strict`), on the seed corpus and on a hostile policy: the
pages the issue asks for, policy text that cannot become markup, nothing fetched from outside, a search index
that knows the registry's names and is cut in pieces, and no file of the user's overwritten (two generations
giving the same bytes: test_reproducible.py).

The seed site is built once per session (tests/sitebuild.py, shared with test_site_browser.py and
test_reproducible.py)."""

from __future__ import annotations

import html
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import urllib.parse
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import codes, compile_texts
from luoshi.backends.checklist import build_checklist
from luoshi.cli import app
from luoshi.semantics.graph import build_graph
from luoshi.model import ItemKind, PolicyKind
from luoshi.driver.pipeline import compile_paths
from luoshi.driver.project import find_project
from luoshi.site import SiteInputs, render_site
from luoshi.site import diagrams, views
from luoshi.site.paths import jurisdiction_page, policy_page, role_page, task_page, unit_page
from luoshi.site.publish import write_site
from luoshi.semantics.standard_units import NOTE as STANDARD_NOTE
from sitebuild import ROOT, built_site

sys.path.insert(0, str(ROOT / "bench"))
import synth  # noqa: E402


@pytest.fixture(scope="module")
def site():
    built = built_site()
    assert built.cli_exit == 0, built.cli_output
    assert built.mkdocs.returncode == 0, built.mkdocs.stderr  # --strict: a broken link or warning fails
    return built


@pytest.fixture(scope="module")
def corpus():
    return compile_paths(None, find_project(ROOT)).corpus


def _html(site, page: str) -> str:
    return (site.html / page).read_text(encoding="utf-8")


def _text(markup: str) -> str:
    """The visible text of an HTML page's article (tags dropped, entities decoded)."""
    article = markup[markup.index("<article"):markup.index("</article>")]
    return html.unescape(re.sub(r"<[^>]+>", "", article))


# ───────────── pages ─────────────


def test_every_policy_task_and_unit_has_a_page(site, corpus):
    for name in ("index", "policies/index", "units/index", "matrix", "lint", "compliance", "glossary",
                 "diffs/index", "reference/dsl", "reference/rules", "roles/index", "roles/民政", "units/云阳县/index",
                 "matrix/yyfbf-2019-22"):
        assert (site.html / f"{name}.html").is_file(), name
    policies = [p for p in corpus.policies if p.kind is PolicyKind.POLICY]
    declared = sum(len(re.findall(r"^政策 ", f.read_text(encoding="utf-8"), re.M)) for f in (ROOT / "policies").glob("*.policy"))
    assert len(policies) == declared >= 7  # every 政策 of the sources, however many the corpus holds
    for p in policies:
        assert (site.html / f"policies/{p.id}.html").is_file()
        for t in p.tasks:
            page = site.sources / task_page(t)
            assert page.is_file() == (t.kind is not ItemKind.CLAUSE), t.key
    graph = build_graph(corpus)
    for u in corpus.units:
        if u.note != STANDARD_NOTE:  # declared in policies/units/: a page, duties or not
            assert (site.sources / unit_page(u)).is_file(), u.id
        elif build_checklist(graph, u.id).items:  # a derived unit that owes something (a collective's member)
            assert (site.sources / unit_page(u)).is_file(), u.id


def test_derived_units_no_policy_names_have_no_page_but_are_listed_and_found(site, corpus):
    """A derived standard unit that no policy names or tasks (万州区's 区民政局) gets no page and no checklist; its
    jurisdiction's page and the units overview's tables list it unlinked, and search opens that jurisdiction page.
    One that owes a duty as a collective's member (云阳县's townships, through 各乡镇（街道）) keeps both."""
    graph = build_graph(corpus)
    wanzhou = corpus.unit("万州区/区民政局")
    assert wanzhou is not None and wanzhou.note == STANDARD_NOTE and not build_checklist(graph, wanzhou.id).items
    assert not (site.sources / unit_page(wanzhou)).exists()
    assert not list((site.sources / "downloads" / "checklists").glob("万州区/区民政局.*"))
    jurisdiction = (site.sources / jurisdiction_page("万州区")).read_text(encoding="utf-8")
    assert re.search(r"^\| 区民政局 \| 单位 \| \[民政\]", jurisdiction, re.M), jurisdiction[:2000]
    owing = [u for u in corpus.units if u.note == STANDARD_NOTE and u.jurisdiction != "万州区"
             and build_checklist(graph, u.id).items]
    assert len(owing) >= 40  # 云阳县's 42 乡镇、街道 offices among them
    for u in owing:
        assert (site.sources / unit_page(u)).is_file(), u.id
    without = [u for u in corpus.units if not (site.sources / unit_page(u)).exists()]
    assert len(without) > 3000 and all(u.note == STANDARD_NOTE for u in without)
    shown = {str(p.relative_to(site.sources)) for p in site.sources.rglob("*.md")}
    assert len(shown) < 1000  # was 3,855 when every derived unit had its page
    entries = [d for d in _search_docs(site) if d[1] == "区民政局" and d[0] == "units/万州区/index.html"]
    assert len(entries) == 1 and entries[0][2] == "单位" and entries[0][5] == 1 and "万州区民政局" in entries[0][3]


def test_home_page_lists_policies_by_level_and_date_with_the_tree(site, corpus):
    text = _text(_html(site, "index.html"))
    numbers = [p.number for p in corpus.policies if p.kind is PolicyKind.POLICY and p.number]
    positions = [text.index(n) for n in ("国发〔2018〕39号", "渝府办发〔2018〕161号", "云阳府办发〔2019〕22号",
                                         "大足民发〔2019〕26号", "草街办发〔2024〕54号")]
    assert positions == sorted(positions)  # 国家 → 市 → 县 (by date) → 乡
    assert all(n in text for n in numbers)
    units = re.search(r"(\d+)\s*单位", text)
    assert units and int(units.group(1)) == len(corpus.units)
    tree = (site.sources / "index.md").read_text(encoding="utf-8")
    diagram = html.unescape(tree[tree.index('<pre class="luoshi-diagram-source">'):tree.index("</pre>")])
    for level in ("市级", "区县", "镇街"):
        assert f'["{level}"]' in diagram
    assert diagram.index('["市级"]') < diagram.index('["区县"]') < diagram.index('["镇街"]')


def test_policy_page_shows_original_text_beside_each_task_and_the_table_in_every_format(site, corpus):
    policy = corpus.policy("yyfbf-2019-22")
    page = _html(site, "policies/yyfbf-2019-22.html")
    text = _text(page)
    task = policy.task("2.2.2")
    assert task.text[:40] in text
    block = page[page.index('<div class="luoshi-subtask">', page.index('href="../tasks/yyfbf-2019-22/2.2.2.html"') - 200):]
    block = block[:block.index("</div>\n</div>\n</div>")]
    assert "青龙街道" in block and "失能特困人员集中供养率达到40%" in _text("<article>" + block + "</article>")
    for fmt in ("csv", "json", "xlsx", "docx", "html"):
        assert f'href="../downloads/tables/yyfbf-2019-22.{fmt}"' in page
        assert (site.html / f"downloads/tables/yyfbf-2019-22.{fmt}").stat().st_size > 0
    assert 'href="../tables/yyfbf-2019-22.html"' in page


def test_task_page_sets_parent_and_children_side_by_side_with_differences_marked(site):
    page = _html(site, "tasks/yfbf-2018-161/2.2.html")
    table = page[page.index('id="上下级对照"'):]
    table = table[table.index("<table>"):table.index("</table>")]
    header = _text("<article>" + table[:table.index("</thead>")] + "</article>")
    assert header.index("本项") < header.index("大足民发〔2019〕26号") < header.index("云阳府办发〔2019〕22号")
    rows = {re.sub(r"<[^>]+>", "", r.split("</td>")[0]).strip(): r for r in table.split("<tr>")[2:]}
    lead = rows["牵头"].split("<td>")[2:]  # 本项, 大足, 云阳
    assert "市民政局" in lead[0] and "<mark>（未列）</mark>" in lead[1]
    assert "县民政局" in lead[2] and "<mark>" not in lead[2]  # 县民政局 is 市民政局's counterpart (role 民政)
    assert "<mark>各镇街</mark>" in rows["负责"]


def test_measure_page_says_which_child_policies_have_not_carried_it_out(site):
    """161号 4.2 加强资金投入: 云阳 carries it out (its 5.2, linked), 大足 has no task that does and gives no reason
    (graph gaps, lint); the policy page sums each child policy up."""
    page = _html(site, "tasks/yfbf-2018-161/4.2.html")
    part = page[page.index('id="下级落实情况"'):]
    part = part[:part.index("</table>")]
    rows = {re.search(r"(云阳|大足)", r).group(1): r for r in part.split("<tr>")[2:]}
    assert "已落实" in rows["云阳"] and 'href="../yyfbf-2019-22/5.2.html"' in rows["云阳"]
    assert '<span class="luoshi-status luoshi-status-missing">未落实</span>' in rows["大足"]
    summary = _html(site, "policies/yfbf-2018-161.html")
    summary = summary[summary.index('id="下级落实情况"'):]
    summary = _text("<article>" + summary[:summary.index("</table>")] + "</article>")
    assert "大足民发〔2019〕26号" in summary and "4.2 加强资金投入" in summary and "4.4 加强督促检查" in summary
    assert "2.1" not in _text("<article>" + part + "</article>")


def test_unit_page_lists_its_checklist_place_and_counterparts(site, corpus):
    unit = corpus.unit("云阳县/县民政局")
    checklist = build_checklist(build_graph(corpus), unit.id)
    page = (site.sources / unit_page(unit)).read_text(encoding="utf-8")
    assert len(checklist.items) >= 5
    for item in checklist.items:
        assert f"({Path(task_page(item.duty.task)).name})" in page or f"/{item.duty.task.id}.md)" in page
    assert "luoshi-diagram" in page
    counterparts = page[page.index("## 各级对应单位"):]
    assert "[市民政局](../重庆市/市民政局.md)" in counterparts  # one level up
    assert "民政部" not in counterparts  # two levels up: on the role's page, not here
    assert "](../../roles/民政.md)" in counterparts
    role = (site.sources / "roles" / "民政.md").read_text(encoding="utf-8")
    for other in ("中国/民政部", "重庆市/市民政局", "云阳县/县民政局", "璧山区/区民政局"):
        assert f"(../{unit_page(other)})" in role, other


def _row(page: str, task: str) -> str:
    """The unit page's checklist row of a task (its link's file name), as HTML."""
    table = page[page.index('id="工作任务清单"'):]
    table = table[table.index("<tbody>"):table.index("</tbody>")]
    return next(r for r in table.split("<tr>") if f'/{task}.html"' in r)


def test_unit_page_gives_dates_from_deadlines_targets_and_phases(site):
    """云阳 县民政局: 2.2's targets are dated 2019年底 and 2020年底; the 实施步骤 phases, addressed to 县政府各部门 (a
    collective the registry lists no members of), reach it as one of the county's departments, each with its
    phase's dates; rows come by next due date (from the report's date), undated last; an ICS feed beside it."""
    page = _html(site, "units/云阳县/县民政局.html")
    assert "2020年12月31日" in _row(page, "2.2") and "2019年底前" in _row(page, "2.2")
    for task, date in (("4.1", "2019年3月31日"), ("4.2.2", "2019年8月31日"), ("4.3.1", "2019年12月31日")):
        row = _row(page, task)
        assert date in row and "阶段：" in row and "县政府各部门" in row, task
    firsts = re.findall(r'<tr>\s*<td>(.*?)</td>', page[page.index('id="工作任务清单"'):page.index('id="在责任体系中的位置"')], re.S)
    dated = [bool(re.search(r"\d+年\d+月\d+日", c)) for c in firsts]
    assert dated == sorted(dated, reverse=True) and dated.count(True) >= 5  # dated rows first
    feed = site.html / "downloads/calendars/云阳县/县民政局.ics"
    assert 'href="../../downloads/calendars/云阳县/县民政局.ics"' in urllib.parse.unquote(page)
    text = feed.read_bytes().decode("utf-8")
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    events = text.count("BEGIN:VEVENT")
    uids = re.findall(r"^UID:(\S+)\r$", text, re.M)
    assert events >= 5 and len(set(uids)) == events
    assert "DTSTART;VALUE=DATE:20190331" in text and "DTSTART;VALUE=DATE:20191231" in text


def test_calendar_text_is_escaped_and_folded():
    from luoshi.site.schedule import _escape, _fold

    assert _escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = _fold("SUMMARY:" + "落实" * 60)
    parts = folded.split("\r\n ")
    assert len(parts) > 2 and all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert "".join(parts) == "SUMMARY:" + "落实" * 60


def test_unit_page_shows_its_checks_with_evidence(site):
    """With a report, a unit's duty shows its checks: 2.2's 40% target 未通过 in 双江街道 with the data row behind
    it; 4.1, reported late by 县政府各部门, 未通过 on the page of each department."""
    page = _html(site, "units/云阳县/县民政局.html")
    row = _row(page, "2.2")
    assert '<span class="luoshi-status luoshi-status-fail">未通过</span>' in row and "双江街道" in row
    assert "证据：" in row and "reports.csv 第7行" in row
    assert "未通过" in _row(page, "4.1") and "reports.csv 第4行" in _row(page, "4.1")
    assert "未通过" in _row(_html(site, "units/云阳县/县财政局.html"), "4.1")


def test_compliance_page_rolls_up_by_place_expands_collectives_and_hides_local_paths(site):
    page = _html(site, "compliance.html")
    places = page[page.index('id="各辖区情况"'):]
    places = places[:places.index("</table>")]
    overdue = [int(n or 0) for n in re.findall(r'</a></td>\s*<td[^>]*>(\d*)</td>', places)]
    assert len(overdue) >= 4 and overdue == sorted(overdue, reverse=True) and overdue[0] > 0
    failing = page[page.index('id="未通过和无数据的检查"'):]
    # the departments to chase behind the collective 县政府各部门 (its members, from the standard units): each its
    # own row on 4.1, late by 县政府各部门's report (row 4 of reports.csv), and no row of the collective itself
    rows = [re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", "", r))) for r in failing.split("<tr>")]
    for department in ("县民政局", "县财政局"):
        row = next(r for r in rows if f"{department}（云阳县）" in r and "〔2019〕22号4.1启动部署阶段" in r)
        assert "逾期完成" in row and "reports.csv第4行" in row, row
    assert not any("县政府各部门" in r for r in rows)
    assert 'href="downloads/督查报告.xlsx"' in urllib.parse.unquote(page) and (site.html / "downloads/督查报告.xlsx").stat().st_size > 0
    assert str(site.root) not in page and "/tmp" not in _text(page) and str(ROOT) not in page
    assert "reports.csv" in _text(page)


def test_lint_and_diffs_are_worded_for_readers(site):
    """Findings name policies by 文号 and say what is wrong; rule codes, files and the advice to encoders
    (「落实 yfbf-2018-161:4.2」) are in the collapsed 编码信息. Comparison tables word targets as the checklist
    does, not in the policy language."""
    page = _html(site, "lint.html")
    readers = _text(page[:page.index('<details class="luoshi-coding"')] + "</article>")
    assert "大足民发〔2019〕26号 没有落实 渝府办发〔2018〕161号 4.2「加强资金投入」" in readers
    assert "yfbf-2018-161" not in readers and ".policy:" not in readers and "请在" not in readers
    coding = _text("<article>" + page[page.index('<details class="luoshi-coding"'):])
    assert "落实 yfbf-2018-161:4.2" in coding and "policies/dzmf-2019-26.policy:" in coding
    for name in ("tasks/yfbf-2018-161/2.2.html", "diffs/yyfbf-2019-22--yfbf-2018-161.html"):
        text = _text(_html(site, name))
        assert "失能特困人员集中供养率达到40%（" in text and "达到 40% 截至" not in text, name
    diff = _text(_html(site, "diffs/yyfbf-2019-22--yfbf-2018-161.html"))
    assert "← 渝府办发〔2018〕161号 2.1 加强最低生活保障" in diff
    policy = _html(site, "policies/yfbf-2018-161.html")
    assert "源文件" not in _text(policy[:policy.index('<details class="luoshi-coding"')] + "</article>")
    home = (site.sources / "index.md").read_text(encoding="utf-8")
    assert "luoshi site" not in home and "policies/" not in home.split("## ")[0]


# ───────────── pages stay bounded as the corpus grows ─────────────


@pytest.fixture(scope="module")
def family(tmp_path_factory):
    """A synthetic municipal family (bench/synth.py): 重庆市, 3 districts, 4 subdistricts each; every jurisdiction
    has a 民政 unit. Rendered in memory with listings cut after 4 jurisdictions (市 and 区, not the 12 街道) and
    diagrams after 5 boxes (3 counterparts below a unit), so the splitting the 1k corpus needs shows at this size."""
    root = tmp_path_factory.mktemp("family")
    synth.generate(root, districts=3, townships=4, tasks=6, seed=5)
    comp = compile_paths(None, find_project(root))
    assert not comp.sink.has_errors()
    mp = pytest.MonkeyPatch()
    mp.setattr(views, "MAX_LISTED", 4)
    mp.setattr(diagrams, "MAX_NODES", 5)
    mp.setattr(diagrams, "MAX_BELOW", 3)
    try:
        files = render_site(SiteInputs(comp.corpus))
    finally:
        mp.undo()
    return comp.corpus, {name: data.decode("utf-8") for name, data in files.items() if name.endswith(".md")}


def _links(pages: dict[str, str], name: str, text: str | None = None) -> set[str]:
    """The pages a page (or part of it) links, as site paths."""
    import posixpath

    found = set()
    for target in re.findall(r"\]\(([^)#\s]+\.md)(?:#[^)]*)?\)", pages[name] if text is None else text):
        found.add(posixpath.normpath(posixpath.join(posixpath.dirname(name), target)))
    return found


def test_a_unit_page_lists_counterparts_one_level_up_and_down_and_the_role_page_all(family):
    corpus, pages = family
    civil = [u for u in corpus.units if u.role == "民政"]
    levels = {j.id: j.level for j in corpus.jurisdictions}
    parent = {j.id: j.parent for j in corpus.jurisdictions}
    assert sorted(levels[u.jurisdiction] for u in civil).count("乡级") == 12
    for unit in civil:
        page = unit_page(unit)
        section = pages[page][pages[page].index("## 各级对应单位"):]
        listed = {p for p in _links(pages, page, section) if p.startswith("units/")}
        expected = {unit_page(u) for u in civil
                    if u.jurisdiction == parent.get(unit.jurisdiction) or parent.get(u.jurisdiction) == unit.jurisdiction}
        assert listed == expected, unit.id
        assert role_page("民政") in _links(pages, page, section)
        assert len(listed) <= 1 + 4  # the city above a district, or its 4 subdistricts below: never all 16
    city = next(u for u in civil if levels[u.jurisdiction] == "市级")
    city_section = pages[unit_page(city)][pages[unit_page(city)].index("## 各级对应单位"):]
    assert not any(levels[u.jurisdiction] == "乡级" and unit_page(u) in _links(pages, unit_page(city), city_section)
                   for u in civil)  # two levels down: not here
    assert {unit_page(u) for u in civil} <= _links(pages, role_page("民政"))  # the role's page: all 16
    role = pages[role_page("民政")]
    assert role.index("## 市级") < role.index("## 县级") < role.index("## 乡级")
    assert "## 乡级（12 个）" in role


def test_listing_pages_split_and_every_page_is_still_reachable(family):
    """Home, policies, units, matrix and diffs list the levels that fit (市, 区); the 12 subdistricts' policies and
    units are on their district's page; every page of the site is still reachable from the home page."""
    corpus, pages = family
    towns = [p for p in corpus.policies if p.level == "乡级"]
    assert len(towns) == 12
    for index in ("index.md", "policies/index.md", "units/index.md", "matrix.md", "diffs/index.md"):
        listed = _links(pages, index)
        assert not any(policy_page(p.id) in listed for p in towns), index
        assert not any(p.startswith(tuple(f"units/{t.jurisdiction}/" for t in towns)) for p in listed), index
    district = jurisdiction_page("第1区")
    assert district in _links(pages, "policies/index.md")
    for p in towns:
        if p.jurisdiction.startswith("第1区"):
            assert policy_page(p.id) in _links(pages, district)  # its subdistricts' policies, one click
    seen, todo = {"index.md"}, ["index.md"]
    while todo:
        for target in _links(pages, todo.pop()):
            if target in pages and target not in seen:
                seen.add(target)
                todo.append(target)
    assert sorted(set(pages) - seen) == []


def test_diagrams_stay_within_their_cap_on_a_wide_family(family):
    _, pages = family
    counts = {}
    for name, text in pages.items():
        for source in re.findall(r'<pre class="luoshi-diagram-source">(.*?)</pre>', text, re.S):
            counts[name] = len(re.findall(r"^\s*n\d+[\[({]", html.unescape(source), re.M))
    assert max(counts.values()) <= 5
    assert "图中未画出另外" in pages["index.md"] and "图中未画出另外" in pages[policy_page("syn-d1")]
    district = pages[unit_page("第1区/区民政局")]
    diagram = html.unescape(district[district.index('<pre class="luoshi-diagram-source">'):district.index("</pre>")])
    boxes = [line for line in diagram.splitlines() if "第1区第" in line]
    assert "另有 2 个下级对应单位" in diagram and len(boxes) == 2  # 2 of its 4 街道 offices, then 1 box


def test_diagrams_are_neighbourhoods_not_the_whole_graph(site):
    sizes = []
    for md in site.sources.rglob("*.md"):
        for source in re.findall(r'<pre class="luoshi-diagram-source">(.*?)</pre>', md.read_text(encoding="utf-8"), re.S):
            sizes.append(len(re.findall(r"^\s*n\d+[\[({]", html.unescape(source), re.M)))
    assert len(sizes) > 100 and max(sizes) <= 24


# ───────────── offline ─────────────


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href", "srcset", "action", "poster", "data") and value:
                self.urls.append(value)


def test_nothing_is_fetched_from_another_host(site):
    external = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)
    pages = list(site.html.rglob("*.html"))
    assert len(pages) > 300
    for page in pages:
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        assert not [u for u in parser.urls if external.match(u)], page
    for css in site.html.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert not re.search(r"@import|url\(\s*['\"]?(?:https?:)?//", text), css
    config = yaml_config(site)
    assert config["theme"]["font"] is False


def yaml_config(site) -> dict:
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    return yaml.load((site.root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)


# ───────────── Chinese search ─────────────


def _script(path: Path, prefix: str) -> object:
    text = path.read_text(encoding="utf-8")
    assert text.startswith(prefix) and text.endswith(";\n"), path
    return json.loads(text[len(prefix):-2].removesuffix(")"))


def _search_index(site) -> dict:
    """The index's head (search_index.py): what every query loads first."""
    return _script(site.html / "assets/search-index.js", "window.luoshiSearchIndex = ")


def _search_docs(site) -> list[list]:
    """Every page of the index, from its chunks in order (page number = position)."""
    head = _search_index(site)
    docs: list[list] = []
    for number, count in enumerate(head["chunks"]):
        rows = _script(site.html / head["folder"] / f"d-{number}.js", f'window.luoshiSearchShard("d",{number},')
        assert len(rows) == count
        docs += rows
    assert len(docs) == head["pages"]
    return docs


def _pages_with(site, chars) -> set[int]:
    """The page numbers the buckets list for every key of `chars` (characters, or pairs of characters side by
    side), as search.js reads them: a key's bucket is its code point, or a pair's first times 65,536 plus its
    second, modulo the bucket count."""
    head = _search_index(site)
    found = None
    for ch in chars:
        slot = ord(ch) if len(ch) == 1 else ord(ch[0]) * 65536 + ord(ch[1])
        number = slot % head["buckets"]
        bucket = _script(site.html / head["folder"] / f"c-{number}.js", f'window.luoshiSearchShard("c",{number},')
        pages, at = set(), 0
        for gap in bucket.get(ch, "").split(",") if bucket.get(ch) else []:
            at += int(gap, 36)
            pages.add(at)
        found = pages if found is None else found & pages
    return found or set()


def test_search_index_is_cut_so_a_query_loads_only_the_pages_holding_its_characters(site):
    """The index in pieces (search_index.py): every page holding a query (in its title, names or text, as
    search.js normalizes them) is among the pages the buckets list for the query's characters and for its pairs
    of characters side by side, and a query about one thing loads a few chunks, not the whole index. The pairs
    leave out the pages holding the characters apart: 低保标准's four characters are in the first chunk's pages,
    低保标准 itself is not, and neither are its three pairs together."""
    head = _search_index(site)
    docs = _search_docs(site)
    files = [site.html / "assets/search-index.js", *(site.html / head["folder"]).glob("*.js")]
    assert len(files) == 1 + len(head["chunks"]) + head["buckets"] and len(head["chunks"]) >= 2
    assert max(f.stat().st_size for f in files) < 2 * 1024 * 1024
    tiers = [d[5] for d in docs]
    assert tiers == sorted(tiers)  # derived units without a page come last: the first chunks hold the rest

    def norm(text: str) -> str:
        for a, b in (("［", "〔"), ("[", "〔"), ("］", "〕"), ("]", "〕"), ("（", "("), ("）", ")")):
            text = text.replace(a, b)
        return re.sub(r"\s+", "", text.lower())

    starts = [sum(head["chunks"][:i]) for i in range(len(head["chunks"]))]
    indexed = r"[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef0-9a-z]"
    for query in ("临时救助", "县民政局", "161号", "万州区民政局", "一事一议", "〔2018〕161号", "低保标准"):
        q = norm(query)
        holding = {i for i, d in enumerate(docs) if q in norm(" ".join([d[1], d[4], *d[3]]))}
        candidates = _pages_with(site, dict.fromkeys(c for c in q if re.match(indexed, c)))
        pairs = _pages_with(site, dict.fromkeys(a + b for a, b in zip(q, q[1:]) if re.match(indexed * 2, a + b)))
        assert holding and holding <= pairs <= candidates, query
        chunks = {max(i for i, s in enumerate(starts) if s <= page) for page in pairs}
        if query in ("临时救助", "万州区民政局", "一事一议", "低保标准"):
            assert len(chunks) < len(head["chunks"]), (query, len(chunks))
        if query == "低保标准":
            assert min(candidates) < starts[1] and min(pairs) == min(holding) >= starts[1], query


def test_search_index_holds_names_and_text_in_utf8(site):
    """The site's own index (luoshi/site/search.py): UTF-8, not \\uXXXX escapes; each unit with the forms a reader
    types (云阳县民政局, 璧山区民政局), each policy with its 文号, each page with its words and without the blocks
    it keeps out of search (a unit's counterparts, diagrams)."""
    raw = b"".join(p.read_bytes() for p in (site.html / "assets/search").glob("d-*.js"))
    assert "县民政局".encode("utf-8") in raw and b"\\u" not in raw
    docs = {d[0]: d for d in _search_docs(site) if d[2] != "单位" or not d[0].endswith("/index.html")}
    yunyang = docs["units/云阳县/县民政局.html"]
    assert yunyang[1] == "县民政局（云阳县）" and yunyang[2] == "单位"
    assert {"县民政局", "云阳县民政局", "云阳县县民政局"} <= set(yunyang[3])
    assert "璧山区民政局" in docs["units/璧山区/区民政局.html"][3]
    assert "渝府办发〔2018〕161号" in docs["policies/yfbf-2018-161.html"][3]
    assert "临时救助" in docs["tasks/yyfbf-2019-22/2.8.html"][4]
    assert "二（二）" in docs["tasks/yfbf-2018-161/2.2.html"][3]  # the task as the document prints its number
    assert "市民政局" not in yunyang[4]  # the counterpart one level up is data-search-exclude
    # tiers: 云阳县's declared 县民政局 first; 万州区's derived 区民政局, which no policy tasks, after every other page
    wanzhou = [d for d in _search_docs(site) if d[0] == "units/万州区/index.html" and d[1] == "区民政局"]
    assert yunyang[5] == 0 and [d[5] for d in wanzhou] == [1]
    assert docs["policies/yfbf-2018-161.html"][5] == 0
    assert "flowchart" not in " ".join(d[4] for d in docs.values())
    assert not [p for p in docs if p.startswith(("diffs/yyfbf", "tables/", "matrix/"))]  # searchable: false pages
    theme = json.loads((site.html / "search/search_index.json").read_text(encoding="utf-8"))
    assert theme["docs"] == []  # the theme's own index, never loaded, holds no page


# ───────────── determinism and the user's files ─────────────


# Two generations of this site give the same bytes: test_reproducible.py runs the same `luoshi site` command
# again in another process, hash seed and time zone, and compares it with this session's site.


def test_build_into_another_folder_keeps_the_search_box(tmp_path, monkeypatch):
    """`luoshi site -o elsewhere --build`: mkdocs.yml names site/.theme, but the theme override is the one written
    beside the pages, so the built site has the site's own search box (not the theme's, whose index is empty)."""
    for name in ("policies/units", "mkdocs.yml", "pyproject.toml"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, tmp_path / name)
    # one policy (上海's, which implements none of the others) is enough, and builds in a fifth of the time
    shutil.copy(ROOT / "policies" / "hfb-2021-39.policy", tmp_path / "policies")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["site", "-o", "elsewhere", "--build", "--lang", "en"])
    assert result.exit_code == 0, result.output
    home = (tmp_path / "build" / "site" / "index.html").read_text(encoding="utf-8")
    assert "data-luoshi-search" in home and 'data-md-component="search"' not in home


def test_a_file_the_user_wrote_is_never_overwritten(tmp_path, monkeypatch):
    comp = compile_texts(tmp_path, {"p.policy": EVIL_PARENT})
    files = render_site(SiteInputs(comp.corpus))
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.md").write_text("我的首页", encoding="utf-8")
    (out / "notes.md").write_text("我的笔记", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    refused = CliRunner().invoke(app, ["site", "--lang", "en"])
    assert refused.exit_code == 1 and "index.md" in refused.output and "--force" in refused.output
    assert (out / "index.md").read_text(encoding="utf-8") == "我的首页"
    assert not (out / "matrix.md").exists()
    assert CliRunner().invoke(app, ["site", "--force", "--lang", "en"]).exit_code == 0
    assert "# 落实：政策责任一览" in (out / "index.md").read_text(encoding="utf-8")
    write_site(out, files, force=False)  # luoshi's own files now: regenerating needs no --force
    assert (out / "notes.md").read_text(encoding="utf-8") == "我的笔记"


# ───────────── escaping ─────────────

EVIL_PARENT = ('政策 evilcity { 辖区 重庆市 文号 "渝<script>alert(1)</script>〔2020〕1号" 标题 "</title><script>alert(2)</script>" '
               '部分 一 "<b>甲</b> | 乙 {: onclick=alert(3) }" {\n'
               '  任务 1 "</pre><img src=x onerror=alert(4)>" { 原文 """救助 <iframe src=//evil.example></iframe>""" '
               '牵头 市民政局 配合 市财政局 }\n} }')
EVIL_CHILD = ('政策 evilcounty { 辖区 璧山区 落实 evilcity 标题 "<svg onload=alert(5)>\\"]; click n0 call alert(6)" '
              '部分 一 "x" {\n'
              '  任务 1 "一" { 原文 """临时救助 [点我](javascript:alert(7)) ![x](http://evil.example/x.png) '
              '{: onmouseover=alert(8) } # 不是标题 !!! danger "x" <script>alert(9)</script> ``` code ```""" '
              '牵头 区民政局 配合 区财政局 落实 evilcity:1 备注 "<style>body{display:none}</style>" }\n} }')

# units and a policy whose names are HTML, Markdown, templates and table cells (the registry quotes any name)
EVIL_UNITS = ('辖区 邪恶县 { 类型 县 层级 县级 上级 重庆市\n'
              '  单位 "<script>alert(21)</script>局" 角色 民政 别名 "坏局"\n'
              '  单位 "[点我](javascript:alert(22))办" 别名 "链接办"\n'
              '  单位 "{{ 7*7 }}委" 别名 "模板委"\n'
              '  单位 "甲|乙局" 别名 "竖线局"\n}\n')
EVIL_NAMES = ("<script>alert(21)</script>局", "[点我](javascript:alert(22))办", "{{ 7*7 }}委", "甲|乙局")
EVIL_LOCAL = ('政策 evillocal { 辖区 邪恶县 标题 "关于 | {{ config }} {% raw %} 的通知 [x](javascript:alert(23))" 部分 一 "x" {\n'
              '  任务 1 "任务 {{ 7*7 }} | 一" { 原文 """临时救助 {{ 7*7 }} {% if 1 %}IF{% endif %} 甲 | 乙""" '
              '牵头 "<script>alert(21)</script>局" 配合 "[点我](javascript:alert(22))办"、"{{ 7*7 }}委"、"甲|乙局" '
              '时限 2020年底前 }\n} }')


EVIL_REPORT = {  # as `luoshi comply --format json` writes it, with text a data file could hold
    "as_of": "2020-12-31", "files": ["完成情况<script>alert(10)</script>.csv", "[点我](javascript:alert(12)).csv"], "rows": {"read": 12, "set_aside": 1},
    "summary": {"pass": 3, "fail": 1, "pending": 0, "no_data": 1},
    "results": [{"status": "pass", "policy": "evilcounty", "task": "1", "unit": "璧山区/区民政局"}] * 3 + [
        {"status": "fail", "policy": "evilcounty", "task": "1", "unit": "璧山区/区民政局", "place": "璧山区",
         "message_zh": "逾期：<img src=x onerror=alert(11)>", "rule": "时限 | 2020年底前"},
        {"status": "no_data", "policy": "evilcounty", "task": "9", "unit": "<b>某单位</b>", "message_zh": "无数据"}],
}


class _Markup(HTMLParser):
    """What became markup: every tag with its attributes, and the text inside scripts and styles."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.raw: list[str] = []
        self._inside: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._inside = tag if tag in ("script", "style") else None

    def handle_endtag(self, tag):
        self._inside = None

    def handle_data(self, data):
        if self._inside:
            self.raw.append(data)


@pytest.fixture(scope="module")
def evil_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("evil")
    comp = compile_texts(root, {"city.policy": EVIL_PARENT, "county.policy": EVIL_CHILD, "evil.units": EVIL_UNITS,
                                "local.policy": EVIL_LOCAL})
    assert codes(comp) == []
    inputs = SiteInputs(comp.corpus, compliance_available=True, compliance=EVIL_REPORT, compliance_source="report.json")
    write_site(root / "site", render_site(inputs), force=False)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], cwd=root,
                           capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert build.returncode == 0, build.stderr
    return root


def test_policy_text_cannot_inject_markup(evil_site):
    pages = [p for p in (evil_site / "build" / "site").rglob("*.html") if "downloads" not in p.parts]
    shown = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        parser = _Markup()
        parser.feed(text)
        for tag, attrs in parser.tags:
            assert tag not in ("iframe", "style"), page
            assert not any(k.startswith("on") for k in attrs), (page, tag, attrs)
            urls = [v or "" for k, v in attrs.items() if k in ("href", "src", "action", "formaction", "srcset", "data", "poster")]
            assert not any("javascript:" in v or "evil.example" in v for v in urls), (page, tag)
        assert not any("alert(" in raw for raw in parser.raw), page  # not in a script or a style (nor out of <title>)
        shown += text.count("alert(")
    assert shown >= 9  # the text is shown, as text


def test_hostile_unit_names_read_as_text_on_their_pages_and_in_the_search_index(evil_site):
    """A unit named <script>…局, [点我](javascript:…)办, {{ 7*7 }}委 or 甲|乙局: its page's heading, the task's
    units and the search index (the rows search.js shows with textContent) all hold the name as written —
    not an entity (&lt;script&gt;), not a template's result (49), not cut at a table's | or a link's bracket."""
    html_site = evil_site / "build" / "site"
    task = _text((html_site / "tasks" / "evillocal" / "1.html").read_text(encoding="utf-8"))
    assert "{{ 7*7 }}" in task and "{% if 1 %}IF{% endif %}" in task and "甲 | 乙" in task
    rows = []
    for chunk in sorted((html_site / "assets" / "search").glob("d-*.js")):
        text = chunk.read_text(encoding="utf-8")
        rows += json.loads(text[text.index(",", text.index(",") + 1) + 1:-3])
    titles = {row[1] for row in rows}
    texts = " ".join(row[4] for row in rows)
    for name in EVIL_NAMES:
        page = html_site / unit_page(f"邪恶县/{name}").replace(".md", ".html")
        assert f"{name}（邪恶县）" in _text(page.read_text(encoding="utf-8")), name    # its heading
        assert name in task, name                                                   # the task's units
        assert f"{name}（邪恶县）" in titles, (name, sorted(t for t in titles if "邪恶县" in t))
        assert name in texts, name
    assert "&lt;" not in texts and "&amp;" not in texts and "49委" not in texts
    assert any("关于 | {{ config }} {% raw %} 的通知 [x](javascript:alert(23))" in t for t in titles)


def test_policy_text_cannot_break_out_of_a_diagram(evil_site):
    statement = re.compile(r'^(flowchart (TD|LR)|subgraph g\d+\["[^"]*"\]|end|\s*n\d+(\["[^"]*"\]|\("[^"]*"\)|\(\["[^"]*"\]\))'
                           r'|n\d+ (-->|-\.->)(\|"[^"]*"\|)? n\d+|g\d+ ~~~ g\d+|classDef \w+ [^"<>]*|class [n\d,]+ \w+)$')
    sources = []
    for md in (evil_site / "site").rglob("*.md"):
        sources += re.findall(r'<pre class="luoshi-diagram-source">(.*?)</pre>', md.read_text(encoding="utf-8"), re.S)
    assert len(sources) >= 4
    for source in sources:
        for line in html.unescape(source).splitlines():
            assert statement.match(line), line  # no `click`, no directive: labels stay inside their quotes


def test_last_compliance_report_links_its_failures_to_tasks_and_units(evil_site):
    page = (evil_site / "site" / "compliance.md").read_text(encoding="utf-8")
    assert "| 3 | 1 | 0 | 1 | 5 |" in page  # pass, fail, pending, no data, all
    failing = page[page.index("## 未通过和无数据的检查"):]
    assert "[区民政局](units/璧山区/区民政局.md)" in failing and "(tasks/evilcounty/1.md)" in failing
    assert "evilcounty:9" in failing  # a task the corpus does not have: shown, not linked
    text = _text((evil_site / "build" / "site" / "compliance.html").read_text(encoding="utf-8"))
    assert "逾期：<img src=x onerror=alert(11)>" in text and "<b>某单位</b>" in text


def test_unit_page_says_first_how_many_duties_are_past_due_due_this_year_and_failed(site):
    """What a 街道 or 县 official asks before reading the checklist: its line counts, as of the report's date
    (2020-12-31 here), the dates passed, due in the rest of the year, later and undated, and the failed checks —
    the same rows the table below lists."""
    for page in ("units/云阳县/县民政局.md", "units/璧山区/区民政局.md", "units/草街街道/草街街道办事处.md"):
        md = (site.sources / page).read_text(encoding="utf-8")
        line = re.search(r"\*\*截至2020年12月31日\*\*：时限已过 (\d+) 项，2020年内还将到期 (\d+) 项，以后到期 (\d+) 项，"
                         r"未列日期 (\d+) 项；核查未通过的任务 (\d+) 项", md)
        assert line, page
        rows = re.findall(r"^\| (?:<span class=\"luoshi-nowrap\">(\d{4})年(\d+)月(\d+)日</span>|未列日期) \|.*$", md, re.M)
        dates = [dt.date(int(y), int(m), int(d)) for y, m, d in rows if y]
        as_of = dt.date(2020, 12, 31)
        counted = (sum(d < as_of for d in dates), sum(d == as_of for d in dates), sum(d > as_of for d in dates),
                   len(rows) - len(dates))
        assert tuple(map(int, line.groups()[:4])) == counted, (page, line.group(0), counted)
        table = md[md.index("| 下次到期 |"):]
        failed = sum("luoshi-status-fail" in row for row in table.splitlines() if row.startswith("| "))
        assert int(line.group(5)) == failed, (page, line.group(0))
    assert int(re.search(r"时限已过 (\d+) 项", (site.sources / "units/云阳县/县民政局.md").read_text(encoding="utf-8")).group(1)) > 0


def test_lint_findings_link_to_their_rule(site):
    lint = _html(site, "lint.html")
    rules = _html(site, "reference/rules.html")
    anchors = re.findall(r'href="reference/rules\.html#([^"]+)"', lint)
    assert len(anchors) > 20
    for anchor in set(anchors):
        assert f'id="{anchor}"' in rules, anchor
    levels = re.findall(r"<td>(错误|警告|提示)</td>", lint)
    assert levels == sorted(levels, key=["错误", "警告", "提示"].index)  # errors first


# ───────────── reviewer's findings (issue 6) ─────────────


def test_table_page_embeds_the_html_table_with_merged_cells(site):
    page = _html(site, "tables/bishan-2020-shjz.html")
    table = page[page.index("<table>"):page.index("</table>")]
    sections = re.findall(r'<tr class="section"><th scope="rowgroup" colspan="(\d+)">([^<]+)</th></tr>', table)
    assert len(sections) >= 8 and all(n == "5" for n, _ in sections)  # a section row spans the whole row
    assert sections[0][1] == "一、建立健全分层分类的社会救助体系"
    assert any(int(n) > 1 for n in re.findall(r'<td class="title" rowspan="(\d+)">', table))  # 加强医疗救助 over 5–7
    assert "| 序号 |" not in table and "<p>" not in table  # passed through, not read as Markdown
    assert "hide:\n  - toc" in (site.sources / "tables/bishan-2020-shjz.md").read_text(encoding="utf-8")


def test_matrix_keeps_the_unit_column_in_view_and_names_each_task(site):
    css = (site.html / "assets/luoshi.css").read_text(encoding="utf-8")
    rule = re.search(r"\.luoshi-matrix table:not\(\[class\]\) \{([^}]*)\}", css)
    assert rule and "overflow: visible" in rule.group(1)  # Material's overflow:auto would pin the sticky cell
    page = _html(site, "matrix/bishan-2020-shjz.html")
    assert 'title="正文.1 充分认识《重点举措》的重要意义"' in page


def test_lint_page_has_no_empty_column_and_no_toc(site):
    assert "hide:\n  - toc" in (site.sources / "lint.md").read_text(encoding="utf-8")
    page = _html(site, "lint.html")
    rows = page[page.index("<tbody>"):page.index("</tbody>")].split("<tr>")[1:]
    header = page[page.index("<thead>"):page.index("</thead>")]
    columns = header.count("</th>")
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", r, re.S) for r in rows]
    assert rows and all(len(c) == columns for c in cells)
    for i in range(columns):
        assert any(c[i].strip() for c in cells), header  # no column is empty on every row
    assert '上级任务（<a href="tasks/yfbf-2018-161/' in page  # a finding's related note, linked to the task


def test_compliance_rule_is_worded_as_the_checklist_words_it(corpus):
    from luoshi.backends.wording import deadline_zh, target_zh
    from luoshi.site.render import _check_wording

    policy = corpus.policy("yfbf-2018-161")
    task = next(t for t in policy.tasks if t.targets)
    target = task.targets[0]
    found = _check_wording(corpus, {"policy": policy.id, "task": task.id, "source": str(target.span), "rule": "DSL"})
    assert found == target_zh(target) and '"' not in found
    policy = corpus.policy("yyfbf-2019-22")
    child = next(t for t in policy.tasks if t.parent and not t.deadlines and policy.task(t.parent).deadlines)
    deadline = policy.task(child.parent).deadlines[0]  # a check on the deadline the task inherits
    assert _check_wording(corpus, {"policy": policy.id, "task": child.id, "source": str(deadline.span), "rule": "x"}) == deadline_zh(deadline)
    assert _check_wording(corpus, {"policy": "nope", "task": "1", "source": "a:1:1", "rule": "截至 2020年底"}) == "截至 2020年底"


def test_index_tables_keep_dates_and_numbers_on_one_line(site):
    css = (site.html / "assets/luoshi.css").read_text(encoding="utf-8")
    assert re.search(r"\.luoshi-nowrap \{\s*white-space: nowrap;", css)
    for name in ("index.html", "policies/index.html"):
        page = _html(site, name)
        assert '<span class="luoshi-nowrap">渝府办发〔2018〕161号</span>' in page, name
        assert '<span class="luoshi-nowrap">2018年11月16日</span>' in page, name
    assert "hide:\n  - toc" in (site.sources / "policies/index.md").read_text(encoding="utf-8")  # 标题 gets the width


def test_search_text_has_no_table_rules():
    """A unit page opens with a table: its `|---|---|` rule once reached the search results' snippet as 「--- ---」."""
    from luoshi.site.search import page_text

    assert page_text("| 项目 | 内容 |\n|---|:---:|\n| 辖区 | 云阳县 |\n") == "项目 内容 辖区 云阳县"


def test_search_text_reads_escaped_numbers_as_printed(site):
    """A task page's heading escapes its number for Markdown (`2\\.1\\.1`): the search snippet showed 「2 .1 .1」."""
    from luoshi.site.search import page_text

    source = (site.sources / "tasks/yyfbf-2019-22/2.1.1.md").read_text(encoding="utf-8")
    assert "2\\.1\\.1" in source
    text = page_text(source)
    assert "云阳府办发〔2019〕22号 2.1.1 严格按照市政府规定同步提高城市低保标准" in text
    assert "yyfbf-2019-22:2.1.1" in text and " ." not in text


def test_reference_code_blocks_are_highlighted(site):
    """docs/dsl.md's examples on the site: highlighted by luoshi's Pygments lexer, styled by the theme's own CSS
    (no fence left as a paragraph, nothing fetched)."""
    page = _html(site, "reference/dsl.html")
    article = page[page.index("<article"):page.index("</article>")]
    assert "```" not in article
    text = (ROOT / "docs/dsl.md").read_text(encoding="utf-8")
    fenced = len(re.findall(r"^```", text, re.MULTILINE)) // 2  # every fenced block, luoshi's and plain ones
    assert re.search(r"^```luoshi$", text, re.MULTILINE)
    assert article.count('<div class="highlight">') == fenced
    assert '<span class="k">政策</span>' in article and '<span class="k">目标</span>' in article
