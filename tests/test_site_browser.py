"""End to end: the docs site of the seed corpus, built by `luoshi site` and `mkdocs build --strict`, served on
localhost and driven in headless Chromium (Debian's `chromium`, through Playwright; `playwright install` is
never used). The reader's questions: does the home page render, does Chinese search find words inside
sentences, does a unit page list its tasks, do the diagrams render, and does any page ask for anything that is
not on this machine (the site runs on an intranet with no internet).

Without a Chromium on the machine the test never passes: in CI (`.ci/run` installs the browser and sets
LUOSHI_REQUIRE_BROWSER=1) it fails and says how to install one; elsewhere (the README's test command on a machine
with nothing but Python) it is reported as skipped with that same message in the summary (`-ra`), so the
rest of the suite still runs on a bare machine and nobody mistakes the site for tested.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import threading
import urllib.parse

import pytest

from sitebuild import ROOT, built_site

INSTALL = ("无法运行浏览器测试：没有找到 Chromium。请安装 Debian 的 chromium 软件包（sudo apt-get install chromium），"
           "并安装测试依赖（python3 -m pip install -e '.[test]'）；不要用 `playwright install`。 · "
           "cannot run the browser test: no Chromium found. Install Debian's chromium package "
           "(sudo apt-get install chromium) and the test extras (python3 -m pip install -e '.[test]').")
TIMEOUT_MS = 30_000  # a loaded 2-core CI machine can take over 15 s for the first search index load


def _no_browser() -> None:
    """Fail in CI, where the browser is required; elsewhere skip, saying plainly why."""
    if os.environ.get("LUOSHI_REQUIRE_BROWSER") == "1":
        pytest.fail(INSTALL, pytrace=False)
    pytest.skip(INSTALL)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module")
def base_url():
    """The built HTML, served by http.server on 127.0.0.1 (a free port) for the whole module."""
    site = built_site()
    assert site.cli_exit == 0, site.cli_output
    assert site.mkdocs.returncode == 0, site.mkdocs.stderr
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(_QuietHandler, directory=str(site.html)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        _no_browser()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def session(browser, base_url):
    """One browser context for every check, recording each request any page (or its search worker) makes."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    yield page, requests
    context.close()


def _open(page, base_url: str, path: str) -> None:
    page.goto(base_url + urllib.parse.quote(path))
    page.wait_for_load_state("networkidle")


def _site_path(url: str, base_url: str) -> str:
    """A result link as a path under the site's root, whether the site is served or opened as files."""
    return urllib.parse.unquote(url[len(base_url):] if url.startswith(base_url) else urllib.parse.urlsplit(url).path)


def _search(page, base_url: str, query: str) -> list[str]:
    """Type `query` into the search box of a freshly opened home page; the result links, as site paths.

    The site's search (assets/search.js) runs on input and on keyup; a key press (End) follows the text, as the
    reader's own next key stroke would after an input method commits it."""
    _open(page, base_url, "index.html")
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")
    page.wait_for_selector("[data-luoshi-search][data-luoshi-done]", state="attached")  # every chunk it needs
    page.wait_for_selector("li.md-search-result__item a.md-search-result__link")
    hrefs = page.eval_on_selector_all("li.md-search-result__item a.md-search-result__link",
                                      "links => links.map(a => a.href)")
    return [_site_path(h, base_url) for h in hrefs]


def test_home_page_renders(session, base_url):
    page, _ = session
    _open(page, base_url, "index.html")
    assert page.title().startswith("落实")
    assert page.inner_text("h1") == "落实：政策责任一览"
    rows = page.locator("article table tbody tr")
    # one row per encoded policy, however many policies/ holds; with the division data's 镇街 the seed corpus holds
    # more than MAX_LISTED jurisdictions, so the 乡级 policies (草街街道's) are listed under their 区县 instead
    declared = sum(len(re.findall(r"^政策 ", f.read_text(encoding="utf-8"), re.M)) for f in (ROOT / "policies").glob("*.policy"))
    below = re.search(r"另有 (\d+) 项政策（乡级 \d+ 项）", page.inner_text("article"))
    assert below is not None
    assert rows.count() + int(below.group(1)) == declared >= 7
    assert "云阳府办发〔2019〕22号" in page.inner_text("article table")
    page.wait_for_selector(".luoshi-diagram svg")


def test_search_finds_words_inside_sentences(session, base_url):
    """临时救助 occurs inside longer runs of Chinese (2.8 发挥临时救助作用, 2.3 积极开展临时救助): the site's own
    index matches what was typed anywhere in a page's text, and every result shown contains it."""
    page, _ = session
    found = _search(page, base_url, "临时救助")
    assert {"tasks/yyfbf-2019-22/2.8.html", "tasks/yfbf-2018-161/2.8.html", "tasks/dzmf-2019-26/2.3.html"} <= set(found), found
    assert "缺少" not in page.inner_text(".md-search-result")


# What officials type, and the page that must come first. Run on the served site and on the site opened from a
# shared folder (file://), where the theme's search worker was refused.
FIRST = {
    "县民政局": "units/云阳县/县民政局.html",
    "云阳县民政局": "units/云阳县/县民政局.html",
    "璧山区民政局": "units/璧山区/区民政局.html",
    "161号": "policies/yfbf-2018-161.html",
    "〔2018〕161号": "policies/yfbf-2018-161.html",
    "渝府办发〔2018〕161号": "policies/yfbf-2018-161.html",
}


@pytest.fixture(scope="module", params=["http", "file"])
def where(request, base_url):
    """The site's address: served on localhost, or the built folder opened as files."""
    return base_url if request.param == "http" else built_site().html.as_uri() + "/"


@pytest.mark.parametrize("query", sorted(FIRST))
def test_search_puts_the_named_page_first(session, where, query):
    page, _ = session
    found = _search(page, where, query)
    assert found[0] == FIRST[query], (query, found[:5])


def test_search_for_a_role_finds_its_units_not_similar_words(session, where):
    """民政 is a role: its page or its units come first; 民航 (same first character) is nowhere near the top."""
    page, _ = session
    found = _search(page, where, "民政")
    assert found[0] == "roles/民政.html" or found[0].startswith("units/") and "民政" in found[0], found[:5]
    titles = _result_titles(page)[:5]
    assert not [t for t in titles if "民航" in t], titles
    assert all("民政" in t for t in titles), titles


def test_search_lists_only_pages_that_contain_the_words(session, where):
    """一事一议 is found only on pages whose text holds it (not on 一览 or 一致性检查)."""
    page, _ = session
    found = _search(page, where, "一事一议")
    assert len(found) >= 3, found
    for path in found:
        text = (built_site().html / path).read_text(encoding="utf-8")
        assert "一事一议" in text, path


def test_search_loads_only_the_index_pieces_a_query_needs_and_finds_units_and_tasks(session, where):
    """The index is cut (luoshi/site/search_index.py): a query loads the head, the buckets of its characters and
    pairs of characters and the chunks of the pages holding them all, not every chunk; it still finds a task by words of its text, a unit with a
    page first, and a derived unit without one on its jurisdiction's page."""
    page, requests = session
    before = len(requests)
    found = _search(page, where, "临时救助")
    assert "tasks/yyfbf-2019-22/2.8.html" in found, found
    pieces = [u for u in requests[before:] if "/assets/search/" in u]
    chunks = {u for u in pieces if "/d-" in u}
    assert chunks and [u for u in pieces if "/c-" in u], pieces
    head = (built_site().html / "assets" / "search-index.js").read_text(encoding="utf-8")
    total = len(re.search(r'"chunks":\[([^\]]*)\]', head).group(1).split(","))
    assert len(chunks) < total, (len(chunks), total)
    assert _search(page, where, "万州区民政局")[0] == "units/万州区/index.html"
    assert "区民政局" in _result_titles(page)[0]
    assert _search(page, where, "县民政局")[0] == "units/云阳县/县民政局.html"


# The reader's clock, kept by the page itself (performance.now): from the first focus or key stroke in the search
# box (the head of the index starts loading on focus) to the first result in the list. The browser driver's own
# round trips, slow on a loaded 2-core machine, are not what the reader waits for and are not counted.
_CLOCK = """() => {
  const clock = window.luoshiTestClock = {};
  const box = document.querySelector('input.md-search__input');
  const start = () => { if (clock.start === undefined) { clock.start = performance.now(); } };
  box.addEventListener('focus', start, true);
  box.addEventListener('input', start, true);
  new MutationObserver((_, observer) => {
    if (document.querySelector('li.md-search-result__item')) { clock.first = performance.now(); observer.disconnect(); }
  }).observe(document.querySelector('.md-search-result__list'), {childList: true});
}"""
LATE = "低保标准"   # only task text holds it; units' and policies' pages, first in search order, hold its characters apart
FIRST_RESULT_MS = 1000


def _chunk_pages(html) -> tuple[list[str], list[int]]:
    """Every page of the index, normalized as search.js compares them (title, text, names), and the chunk of each."""
    prefix = "window.luoshiSearchIndex = "
    head = json.loads((html / "assets/search-index.js").read_text(encoding="utf-8")[len(prefix):-2])
    hays: list[str] = []
    chunk_of: list[int] = []
    for number, count in enumerate(head["chunks"]):
        text = (html / head["folder"] / f"d-{number}.js").read_text(encoding="utf-8")
        rows = json.loads(text[len(f'window.luoshiSearchShard("d",{number},'):-3])
        assert len(rows) == count
        hays += [re.sub(r"\s+", "", " ".join([r[1], r[4], *r[3]]).lower()) for r in rows]
        chunk_of += [number] * count
    return hays, chunk_of


@pytest.mark.parametrize("query", ["县民政局", "161号", "临时救助", LATE])
def test_first_result_shows_within_a_second_and_no_chunk_without_a_match_loads_before_it(session, where, query):
    """Issue 21 item 5: the first result within 1 s of the reader's first key stroke, the index's head included.
    低保标准's first match is in a later chunk than the first (every page holding all four of its characters,
    where the index once filtered by characters alone, begins in chunk 0): the pairs of characters the index
    also lists (search_index.py) keep the chunks without a match from loading before it."""
    page, requests = session
    hays, chunk_of = _chunk_pages(built_site().html)
    matches = [i for i, hay in enumerate(hays) if query in hay]
    first_chunk = chunk_of[matches[0]]
    if query == LATE:
        holding_chars = [i for i, hay in enumerate(hays) if set(query) <= set(hay)]
        assert first_chunk >= 2 and chunk_of[holding_chars[0]] == 0, (first_chunk, chunk_of[holding_chars[0]])
    _open(page, where, "index.html")
    page.evaluate(_CLOCK)
    before = len(requests)
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")
    page.wait_for_selector("[data-luoshi-search][data-luoshi-done]", state="attached")
    clock = page.evaluate("window.luoshiTestClock")
    waited = clock["first"] - clock["start"]
    assert waited < FIRST_RESULT_MS, (query, round(waited))
    loaded = [int(m.group(1)) for u in requests[before:] if (m := re.search(r"/assets/search/d-(\d+)\.js$", u))]
    assert loaded and loaded[0] == first_chunk, (query, first_chunk, loaded)


def _result_titles(page) -> list[str]:
    return page.eval_on_selector_all("li.md-search-result__item article h1", "titles => titles.map(h => h.innerText)")


def test_unit_page_lists_its_tasks(session, base_url):
    page, _ = session
    _open(page, base_url, "units/云阳县/县民政局.html")
    assert page.inner_text("h1") == "县民政局（云阳县）"
    checklist = page.locator("article table", has_text="完成时限").inner_text()
    for task in ("2.1 加强最低生活保障", "2.2 提升特困人员救助供养水平", "2.8 发挥临时救助作用"):
        assert task in checklist
    links = page.eval_on_selector_all("article table a", "links => links.map(a => a.getAttribute('href'))")
    assert "../../tasks/yyfbf-2019-22/2.2.html" in [urllib.parse.unquote(h) for h in links]


def test_diagram_renders_to_svg(session, base_url):
    """The task's implementation chain: 市 2.2 above its 区县 children, each box drawn by the bundled Mermaid."""
    page, _ = session
    _open(page, base_url, "tasks/yfbf-2018-161/2.2.html")
    page.wait_for_selector(".luoshi-diagram.luoshi-rendered svg")
    svg = page.inner_text(".luoshi-diagram-svg")
    for label in ("渝府办发〔2018〕161号", "云阳府办发〔2019〕22号", "大足民发〔2019〕26号"):
        assert label in svg
    assert page.locator(".luoshi-diagram.luoshi-failed").count() == 0
    assert not page.is_visible("pre.luoshi-diagram-source")


def test_dark_palette_redraws_diagrams(session, base_url):
    page, _ = session
    _open(page, base_url, "index.html")
    page.wait_for_selector(".luoshi-diagram.luoshi-rendered svg")
    page.click("form[data-md-component='palette'] label:visible")
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    page.wait_for_function("document.querySelector('.luoshi-diagram-svg svg').id !== 'luoshi-diagram-0'")
    assert page.locator(".luoshi-diagram.luoshi-failed").count() == 0


@pytest.fixture(scope="module")
def phone(browser, base_url):
    """A 390 px wide screen, as an official's phone."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    context.close()


def test_on_a_phone_tables_become_cards_or_scroll_and_diagrams_keep_their_size(phone, base_url):
    """The home table's rows as cards (the title readable, not three characters wide); the Bishan table scrolls
    sideways with its content column readable (it was 38,700 px tall), its downloads above it; a diagram keeps
    its drawn width and scrolls rather than shrinking to unreadable labels; the page itself never scrolls
    sideways."""
    _open(phone, base_url, "index.html")
    title = phone.locator(".luoshi-cards td[data-label='标题']").first
    assert title.bounding_box()["width"] > 250
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    _open(phone, base_url, "tables/bishan-2020-shjz.html")
    assert phone.evaluate("document.documentElement.scrollHeight") < 20_000
    first_row = phone.locator(".luoshi-table-page tr#task-1 td").nth(2)
    assert first_row.bounding_box()["width"] > 150
    downloads = phone.locator("article a", has_text="Excel").first.bounding_box()["y"]
    assert downloads < phone.locator(".luoshi-table-page table").bounding_box()["y"]
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    _open(phone, base_url, "policies/yfbf-2018-161.html")
    phone.wait_for_selector(".luoshi-diagram.luoshi-rendered svg")
    natural = phone.evaluate("document.querySelector('.luoshi-diagram-svg svg').viewBox.baseVal.width")
    drawn = phone.locator(".luoshi-diagram-svg svg").first.bounding_box()["width"]
    assert natural > 390 and drawn >= natural - 1


def test_on_a_phone_the_compliance_page_is_a_summary_with_each_place_and_unit_folded(phone, base_url):
    """It was 92,000 px tall at 390 px, 448 cards in one list: now the counts fit the screen, each place's
    failing checks are folded under a line of its counts, and a place of many is folded again per unit."""
    _open(phone, base_url, "compliance.html")
    assert phone.evaluate("document.documentElement.scrollHeight") < 10_000
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    for table in phone.locator(".luoshi-counts table").all():   # the counts: no sideways scrolling
        assert table.evaluate("t => t.scrollWidth <= t.clientWidth + 1")
    county = phone.locator("details.luoshi-place:not(.luoshi-place-unit)").first
    assert county.locator("> summary").inner_text().startswith("云阳县：逾期 ")
    assert not county.locator(".luoshi-cards td").first.is_visible()
    county.locator("> summary").click()
    unit = county.locator("details.luoshi-place-unit").first
    unit.locator("> summary").click()
    card = unit.locator(".luoshi-cards td[data-label='任务']").first
    assert card.is_visible() and card.bounding_box()["width"] > 200


def test_on_a_phone_a_subdistricts_pages_fit_the_screen(phone, base_url):
    """A 街道 official's own pages at 390 px: the jurisdiction's units as cards with their counts in view (the
    table hid 牵头/负责 off to the right), and the unit page's task list starting on the first screen."""
    _open(phone, base_url, "units/人和街道/index.html")
    for table in phone.locator("article table").all():
        assert table.evaluate("t => t.scrollWidth <= t.clientWidth + 1")
    assert phone.locator(".luoshi-cards td[data-label='负责']").first.is_visible()
    _open(phone, base_url, "units/人和街道/人和街道办事处.html")
    assert phone.locator("h2", has_text="工作任务清单").bounding_box()["y"] < 700


def test_mermaid_is_loaded_only_where_a_diagram_is(session, base_url):
    page, requests = session
    before = len(requests)
    _open(page, base_url, "lint.html")
    assert not [u for u in requests[before:] if u.endswith("mermaid.min.js")]
    before = len(requests)
    _open(page, base_url, "tasks/yfbf-2018-161/2.2.html")
    page.wait_for_selector(".luoshi-diagram.luoshi-rendered svg")
    assert [u for u in requests[before:] if u.endswith("mermaid.min.js")]


# Each visible run of text whose colour against the background behind it is under WCAG 2.1 AA's ratio (4.5:1, or
# 3:1 for large text); Mermaid's labels (drawn over their boxes' fill, which this walk does not see) left out.
_LOW_CONTRAST = """() => {
  const rgb = s => s.match(/[\\d.]+/g).map(Number);
  const lum = c => c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const behind = e => { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor);
    if (c.length < 4 || c[3] > 0.5) { return c; } } return [255, 255, 255]; };
  const low = [];
  for (const e of document.querySelectorAll('body *')) {
    if (e.closest('.luoshi-diagram') || ![...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) { continue; }
    const box = e.getBoundingClientRect(), style = getComputedStyle(e);
    if (!box.width || !box.height || style.visibility === 'hidden') { continue; }
    const fg = rgb(style.color), bg = behind(e), a = fg.length > 3 ? fg[3] : 1;
    const l1 = lum([0, 1, 2].map(i => fg[i] * a + bg[i] * (1 - a))), l2 = lum(bg);
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05), size = parseFloat(style.fontSize);
    const large = size >= 24 || (parseInt(style.fontWeight) >= 700 && size >= 18.66);
    if (ratio < (large ? 3 : 4.5)) { low.push(`${e.tagName}.${e.className} ${e.innerText.slice(0, 12)} ${ratio.toFixed(2)}`); }
  }
  return low;
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_contrast_meets_wcag_aa_in_both_palettes(browser, base_url, scheme):
    """The header, links and status words (通过, 未通过, 无数据, 已落实, 未列) read at 4.5:1 or more on the light and
    the dark palette: the theme's red was 3.45:1 for every link and the header's title."""
    context = browser.new_context(locale="zh-CN", color_scheme=scheme)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        for path in ("units/云阳县/县民政局.html", "tasks/yfbf-2018-161/2.2.html"):
            _open(page, base_url, path)
            assert page.evaluate(_LOW_CONTRAST) == [], (scheme, path)
    finally:
        context.close()


def test_only_localhost_was_asked(session, base_url):
    """Runs last in this module: every request of every page above (scripts, styles, fonts, the search index
    and worker, images) went to the local server."""
    _, requests = session
    assert len(requests) > 20
    host = urllib.parse.urlsplit(base_url).netloc
    foreign = sorted({u for u in requests if urllib.parse.urlsplit(u).netloc != host and not u.startswith(("data:", "blob:", "file:"))})
    assert foreign == []


class _SubPathHandler(_QuietHandler):
    """The site as an intranet server hosts it: under /docs/, its 404.html for any address it does not have."""

    def _local(self) -> bool:
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        if not path.startswith("/docs/") or not os.path.isfile(os.path.join(self.directory, path[len("/docs/"):])):
            return False
        self.path = path[len("/docs"):]
        return True

    def do_GET(self):
        if self._local():
            return super().do_GET()
        body = (built_site().html / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_HEAD(self):
        if self._local():
            return super().do_HEAD()
        self.send_response(404)
        self.end_headers()


def test_the_404_page_works_under_a_sub_path_and_from_a_folder(browser, base_url):
    """mkdocs writes 404.html with links from the server's root (/assets/…) when mkdocs.yml has no site_url: under
    /docs/ it had no styles, no menu and dead links. Its links are relative and it finds the site's root itself.
    (base_url: the built site, and this test on the worker that built it.)"""
    site = built_site().html
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_SubPathHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        docs = f"http://127.0.0.1:{server.server_port}/docs/"
        for address, home in ((site.as_uri() + "/404.html", site.as_uri() + "/index.html"),
                              (docs + "units/云阳县/没有这个单位.html", docs + "index.html")):
            page.goto(address)
            page.wait_for_load_state("networkidle")
            assert page.inner_text("h1") == "找不到这个页面"
            assert page.eval_on_selector(".md-header", "h => getComputedStyle(h).position") == "sticky"  # styled
            assert page.eval_on_selector("article a", "a => a.href") == home
        page.click("label.md-header__button[for=__search] >> visible=true")   # the search box, from a missing page two folders deep
        page.locator("input.md-search__input").fill("县民政局")
        page.locator("input.md-search__input").press("End")
        page.wait_for_selector("[data-luoshi-search][data-luoshi-done]", state="attached")
        first = page.eval_on_selector("li.md-search-result__item a", "a => a.href")
        assert urllib.parse.unquote(first) == docs + "units/云阳县/县民政局.html"
    finally:
        context.close()
        server.shutdown()
        server.server_close()
