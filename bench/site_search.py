"""The site's search at scale: the largest file `luoshi site` writes, and how long Chromium takes to show the first
search result and the complete list, from the site opened as files (file://, the hardest case: no server cache).

    python bench/synth.py /tmp/s1k --size 1k
    python bench/site_search.py /tmp/s1k                       # luoshi site into /tmp/s1k/site, then the browser
    python bench/site_search.py /tmp/s1k --no-generate --query 市民政局 --query 低保标准
    python bench/site_search.py .                              # the seed corpus (the repository's root)

No mkdocs build: the search runs in a small page (`search-bench.html`, written beside the site's sources and
removed afterwards) with the theme's search box markup and the site's own assets/search.js, exactly as a built
page loads it. Each query runs in a fresh page, so nothing of the index is cached between queries. Two clocks:
the page's own (performance.now, from the search box's first focus or input event to the first result in the
list: what the reader waits, as tests/test_site_browser.py asserts it) and this script's (from the driver's fill
to the driver seeing the result, which adds the browser driver's round trips, long on a loaded machine).
`--repeat N` runs each query N times and reports the medians. Needs Debian's chromium and playwright (the test
extras). Prints a table; `--json FILE` also writes the figures.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

LIMIT_BYTES = 10 * 1024 * 1024
DEFAULT_QUERIES = ("市民政局", "区民政局", "低保标准", "syn-city号", "2.1", "临时救助")
HARNESS = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>search bench</title></head><body>
<input type="checkbox" id="__search">
<div class="md-search" data-luoshi-search role="dialog">
  <form class="md-search__form" name="luoshi-search"><input type="text" class="md-search__input" name="query"></form>
  <div class="md-search-result"><div class="md-search-result__meta"></div>
    <ol class="md-search-result__list" role="presentation"></ol></div>
</div>
<script src="assets/search.js"></script>
</body></html>
"""
CLOCK = """
window.luoshiBenchClock = {};
document.addEventListener('DOMContentLoaded', () => {
  const clock = window.luoshiBenchClock, box = document.querySelector('input.md-search__input');
  const start = () => { if (clock.start === undefined) { clock.start = performance.now(); } };
  box.addEventListener('focus', start, true);
  box.addEventListener('input', start, true);
  new MutationObserver(() => {
    if (clock.first === undefined && document.querySelector('li.md-search-result__item')) { clock.first = performance.now(); }
    if (clock.done === undefined && document.querySelector('[data-luoshi-done]')) { clock.done = performance.now(); }
  }).observe(document.body, {subtree: true, childList: true, attributes: true});
});
"""


def generate(project: Path, out: Path) -> dict[str, float]:
    """`luoshi site` into `out`: its wall and CPU seconds (the child's)."""
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "luoshi", "--project", str(project), "site", "-o", str(out), "--force",
                           "--lang", "en"], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(done.stderr[-3000:])
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"wall_s": round(time.monotonic() - started, 2), "cpu_s": round(usage.ru_utime + usage.ru_stime, 2)}


def sizes(out: Path) -> dict[str, object]:
    files = [p for p in out.rglob("*") if p.is_file()]
    largest = max(files, key=lambda p: p.stat().st_size)
    index = [p for p in files if p.name == "search-index.js" or p.parent.name == "search"]
    return {"files": len(files), "largest": str(largest.relative_to(out)), "largest_bytes": largest.stat().st_size,
            "over_10mb": sorted(str(p.relative_to(out)) for p in files if p.stat().st_size > LIMIT_BYTES),
            "index_files": len(index), "index_bytes": sum(p.stat().st_size for p in index),
            "largest_index_file_bytes": max((p.stat().st_size for p in index), default=0)}


def browse(out: Path, queries: list[str], repeat: int = 1) -> list[dict[str, object]]:
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        sys.exit("no chromium: apt-get install chromium")
    harness = out / "search-bench.html"
    harness.write_text(HARNESS, encoding="utf-8")
    results = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, headless=True)
            for query in queries:
                runs = [_once(browser, harness, out, query) for _ in range(repeat)]
                row = dict(runs[-1])
                for key in ("first_result_s", "complete_s", "page_first_ms", "page_done_ms"):
                    values = [r[key] for r in runs if isinstance(r[key], (int, float))]
                    row[key] = round(statistics.median(values), 3) if values else None
                row["runs"] = repeat
                results.append(row)
            browser.close()
    finally:
        harness.unlink()
    return results


def _once(browser: Any, harness: Path, out: Path, query: str) -> dict[str, object]:
    """One query in a fresh page: both clocks, what it loaded and what it shows."""
    page = browser.new_page()
    loaded: list[str] = []
    page.on("request", lambda r, loaded=loaded: loaded.append(r.url))
    page.add_init_script(CLOCK)
    page.goto(harness.as_uri())
    box = page.locator("input.md-search__input")
    started = time.monotonic()
    box.fill(query)
    box.press("End")
    first = None
    try:
        page.wait_for_selector("li.md-search-result__item", timeout=60_000)
        first = time.monotonic() - started
    except Exception:  # noqa: BLE001 - a query with no result: the time to "done" says it
        pass
    page.wait_for_selector("[data-luoshi-search][data-luoshi-done]", state="attached", timeout=300_000)
    complete = time.monotonic() - started
    clock = page.evaluate("window.luoshiBenchClock")
    shown = page.inner_text(".md-search-result__meta")
    top = page.eval_on_selector_all("li.md-search-result__item a", "as => as.slice(0, 3).map(a => a.href)")
    index = [u for u in loaded if "/assets/search" in u and not u.endswith("search.js")]
    read = sum((out / u.split(out.as_uri() + "/", 1)[-1]).stat().st_size for u in index if u.startswith(out.as_uri()))
    page.close()
    return {"query": query, "first_result_s": None if first is None else round(first, 3),
            "complete_s": round(complete, 3),
            "page_first_ms": round(clock["first"] - clock["start"]) if "first" in clock else None,
            "page_done_ms": round(clock["done"] - clock["start"]),
            "meta": shown, "files_loaded": len(index), "bytes_loaded": read,
            "chunks_loaded": sum(1 for u in index if "/d-" in u),
            "top": [t.split(out.as_uri() + "/", 1)[-1] for t in top]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path, help="a luoshi project (bench/synth.py's output, or the repository)")
    parser.add_argument("--out", type=Path, help="the site's sources (default PROJECT/site)")
    parser.add_argument("--no-generate", action="store_true", help="measure the site already in --out")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each query (fresh pages); medians reported")
    parser.add_argument("--query", action="append", help=f"a query to time (default: {', '.join(DEFAULT_QUERIES)})")
    args = parser.parse_args()
    out = (args.out or args.project / "site").resolve()
    report: dict[str, object] = {"project": str(args.project.resolve()), "site": str(out)}
    if not args.no_generate:
        report["generate"] = generate(args.project.resolve(), out)
    report["sizes"] = sizes(out)
    report["queries"] = browse(out, args.query or list(DEFAULT_QUERIES), args.repeat)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    s = report["sizes"]
    assert isinstance(s, dict)
    print(f"files {s['files']}, largest {s['largest']} {s['largest_bytes'] / 1e6:.2f} MB, over 10 MB: {s['over_10mb'] or 'none'}")
    print(f"search index: {s['index_files']} files, {s['index_bytes'] / 1e6:.1f} MB, largest {s['largest_index_file_bytes'] / 1e6:.2f} MB")
    print("| query | first result, page (ms) | complete, page (ms) | first result, driver (s) | complete, driver (s) "
          "| index files loaded | chunks | MB loaded | shown |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for q in report["queries"]:  # type: ignore[union-attr]
        print(f"| {q['query']} | {q['page_first_ms']} | {q['page_done_ms']} | {q['first_result_s']} | {q['complete_s']} "
              f"| {q['files_loaded']} | {q['chunks_loaded']} | {q['bytes_loaded'] / 1e6:.2f} | {q['meta']} |")


if __name__ == "__main__":
    main()
