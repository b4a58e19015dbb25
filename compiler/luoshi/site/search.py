"""The site's own search index: what officials type (a unit's name with or without its place, a 文号 or the tail of
one, a task's number or title) found by exact names first, then anywhere in a page's text.

Why not the theme's search: its query segmenter never tries a word that ends at the query's last character (民政
became 民*, matching 民航局 first), jieba split place names (璧|山区), its index stored every Chinese character as
a 6-byte escape, and its search worker is refused when the site is opened from a shared folder (file://).
This index is plain scripts (`assets/search-index.js` and its pieces under `assets/search/`, UTF-8, cut as
`search_index.py` says) that `assets/search.js` loads with <script> elements, which works from file:// too; the
matching is substring matching over each page's names, title and text, so a page is found exactly when it
contains what was typed.

Each page contributes (path, title, kind, names, text, tier): names are the exact forms a reader may type for it
(`exact_names`), text is the page's Markdown reduced to its words, without the blocks the page marks
`data-search-exclude` (a neighbour's names, diagrams, the comparison tables other pages hold). The tier puts the
registry's derived standard units that no policy gives a duty (the 37 other 区县's 县民政局 beside 云阳县's own,
each 区县's thirty-odd departments) after every other page: a reader typing 县民政局 or 民政 wants the units the
policies task; the derived ones stay findable, last. Those have no page of their own (`views.units_with_pages`):
their result (an `Entry`) opens their jurisdiction's page, which lists them (万州区民政局 opens 万州区's page).
"""

from __future__ import annotations

import functools
import html
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..model import Corpus, Policy, Task, Unit
from ..semantics.numerals import int_to_cn as cn_number
from ..semantics.standard_units import NOTE as STANDARD_NOTE
from .search_index import index_files

KIND_ORDER = ("单位", "角色", "政策", "辖区", "任务", "页面")   # ties between equally good matches, in this order
LEVEL_CHARS = ("省", "市", "县", "区", "镇", "乡", "街道")        # 县民政局 in 云阳县 is also 云阳县民政局
# words whose inside cut a query must not straddle: 民政 is not in 人民|政府 (the standard units' 各乡镇人民政府、
# 街道办事处 made every 各乡镇（街道） page a match for 民政); the cut is the '|'
STRADDLES = ("人民|政府", "人民|政协", "居民|政策")
TERMS = Path(__file__).resolve().parents[1] / "data" / "search_terms.toml"
FIRST_TIER, LAST_TIER = 0, 1  # search order before the score: declared units, units with duties, every other page first

_EXCLUDED = re.compile(r"<div[^>]*\bdata-search-exclude\b[^>]*>.*?</div>", re.DOTALL)
_FRONT = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
# a link's text and target may hold escaped brackets (a unit named [点我](…)办 is linked as [\[点我\]\(…\)办](…))
_LINK = re.compile(r"(?<!\\)!?\[((?:\\.|[^\]\\])*)\]\((?:\\.|[^)\\])*\)")
_ADMONITION = re.compile(r'^!!! \w+(?: "([^"]*)")?', re.MULTILINE)
# table rules first: alternatives are tried left to right, and `|` alone would take a rule's first character
_MARKUP = re.compile(r"^[ \t]*[-:|]+[ \t]*$|^-{3,}|\\([^\s])|[|*`#>]", re.MULTILINE)
_ESCAPED = re.compile(r"\\([^\s])")
_SPACE = re.compile(r"\s+")


def page_text(markdown: str) -> str:
    """A page's words as a reader sees them: no front matter, tags, link targets, table rules or emphasis marks,
    and none of the blocks the page keeps out of search."""
    text = _FRONT.sub("", markdown)
    text = _EXCLUDED.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = _LINK.sub(r"\1", text)
    text = _ADMONITION.sub(r"\1", text)
    text = _MARKUP.sub(_unmark, text)
    return html.unescape(_SPACE.sub(" ", text).strip())


def _unmark(found: re.Match[str]) -> str:
    """An escaped character is the text it stands for (`2\\.1\\.1` reads 2.1.1, `7\\*7` 7*7, `甲\\|乙局` 甲|乙局);
    any other mark is a space."""
    return found.group(1) or " "


def page_title(markdown: str) -> str:
    """A page's heading as text: links to their text, escapes to the characters they stand for, entities
    decoded (a unit named <script>…局 is titled so in the results, which search.js shows as text)."""
    found = re.search(r"^# (.+)$", _FRONT.sub("", markdown), re.MULTILINE)
    return html.unescape(_ESCAPED.sub(r"\1", _LINK.sub(r"\1", found.group(1))).strip()) if found else ""


def _short(jurisdiction: str) -> str:
    """云阳县 → 云阳, 草街街道 → 草街 (names are typed both ways); a name that is all suffix stays whole."""
    for suffix in ("街道", *LEVEL_CHARS, "自治县"):
        if jurisdiction.endswith(suffix) and len(jurisdiction) > len(suffix) + 1:
            return jurisdiction[: -len(suffix)]
    return jurisdiction


def unit_names(unit: Unit) -> list[str]:
    """Every form a reader may type for a unit: its name, its aliases, and each with its place: 县民政局 in 云阳县 is
    also 云阳县民政局 and 云阳县县民政局; 区民政局 in 璧山区 is 璧山区民政局."""
    names = [unit.name, *unit.aliases, f"{unit.name}（{unit.jurisdiction}）"]
    place, short = unit.jurisdiction, _short(unit.jurisdiction)
    for name in (unit.name, *unit.aliases):
        if name.startswith((place, short)):
            continue
        names += [place + name, short + name]
        for level in LEVEL_CHARS:
            if name.startswith(level) and place.endswith(level):
                names.append(place + name[len(level):])
    return list(dict.fromkeys(names))


def unit_tier(unit: Unit, has_duties: bool) -> int:
    """LAST_TIER for a derived standard unit (data/standard_units.toml) no policy gives a duty, FIRST_TIER else."""
    return LAST_TIER if unit.note == STANDARD_NOTE and not has_duties else FIRST_TIER


def unit_text(unit: Unit, kind_zh: str) -> str:
    """What a derived unit's search result says, in place of a page's text: its place, kind, role and names."""
    return " ".join((unit.name, unit.jurisdiction, kind_zh, *((f"角色 {unit.role}",) if unit.role else ()), *unit.aliases))


_DOCNO_YEAR = re.compile(r"[〔\[［（(【]\s*\d{4}\s*[〕\]］）)】]")


def policy_names(policy: Policy, label: str) -> list[str]:
    """A policy's 文号 (the index matches its tail too: 161号, 〔2018〕161号), the 文号 as said without its year
    (大足民发26号: how officials name a document of the current years), title, label and id."""
    bare = _DOCNO_YEAR.sub("", policy.number) if policy.number else None
    return list(dict.fromkeys(n for n in (policy.number, bare, policy.title, label, policy.id) if n))


def printed_numbers(task: Task) -> list[str]:
    """How the document prints a task numbered N.M inside section N: 二（二）, and （二） alone. Tasks numbered
    otherwise get none (their printed form is not derivable from the id)."""
    found = re.fullmatch(r"(\d+)\.(\d+)", task.id)
    if not found or task.section != found.group(1):
        return []
    section, item = (cn_number(int(g)) for g in found.groups())
    return [f"{section}（{item}）", f"（{item}）"]


def task_names(task: Task, label: str) -> list[str]:
    """A task's label (2.2 提升…), title, number and printed number (二（二））."""
    return list(dict.fromkeys(n for n in (label, task.title, task.id, *printed_numbers(task)) if n))


def exact_names(corpus: Corpus) -> list[str]:
    """The registry's names, for the segmenter of a query that no page contains whole (云阳 县民政局 临时救助):
    it splits the query at these words, longest first, trying every position to the last character."""
    words: set[str] = set()
    for u in corpus.units:
        words.update((u.name, *u.aliases))
    for j in corpus.jurisdictions:
        words.update((j.id, _short(j.id)))
    for p in corpus.policies:
        words.update(n for n in (p.number, p.title) if n)
    words.update(r.id for r in corpus.roles)
    words.update(u.role for u in corpus.units if u.role)
    return sorted(w for w in words if len(w) >= 2)


@functools.cache
def search_terms() -> dict[str, list[object]]:
    """What readers type that the policies say another way (data/search_terms.toml): the groups of words meaning the
    same (低保 = 最低生活保障), the question words a query drops (低保怎么申请 → 低保 申请), and the words a reader
    puts before or after what they look for (能申请低保吗 → 申请低保), dropped from a word no page holds whole.
    search.js reads them from the index's head."""
    with TERMS.open("rb") as handle:
        data = tomllib.load(handle)
    return {"synonyms": [list(group) for group in data["synonyms"]], "fillers": list(data["fillers"]),
            "leading": list(data["leading"]), "trailing": list(data["trailing"])}


@dataclass(frozen=True)
class Entry:
    """One search result: the HTML page it opens, its title, kind, exact names, text and tier."""

    href: str
    title: str
    kind: str
    names: list[str]
    text: str
    tier: int

    def row(self) -> list[object]:
        return [self.href, self.title, self.kind, self.names, self.text, self.tier]


def build_index(pages: dict[str, bytes], meta: dict[str, tuple[str, list[str], int]], words: list[str],
                entries: Sequence[Entry] = ()) -> dict[str, bytes]:
    """The index's files (`search_index.py`): the searchable pages and the entries without a page of their own,
    in search order: tier, then kind (units, roles, policies … first), then page and title (deterministic)."""
    found = [Entry(path[: -len(".md")] + ".html", page_title(pages[path].decode("utf-8")), kind, names,
                   page_text(pages[path].decode("utf-8")), tier) for path, (kind, names, tier) in meta.items()]
    rank = {kind: i for i, kind in enumerate(KIND_ORDER)}
    ordered = sorted([*found, *entries], key=lambda e: (e.tier, rank.get(e.kind, len(rank)), e.href, e.title))
    head: dict[str, object] = {"kinds": list(KIND_ORDER), "words": words, "straddles": list(STRADDLES),
                               **search_terms()}
    return index_files([e.row() for e in ordered], head)
