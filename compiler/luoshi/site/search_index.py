"""The search index's files: a small head, the pages in small chunks, and which pages hold each character and
each pair of adjacent characters.

One index file was 164 MB at 1,001 policies (36,000 pages, their text): every query loaded all of it. Cut into
1 MB chunks filtered by single characters, a query still waited 1.7 s for its first result at 1k when its words
were only in task text (低保标准): the units' and policies' pages, first in search order, held each of its
characters apart, so a dozen chunks without a match loaded first. Now `assets/search-index.js` holds only what
every query needs (the kinds, the registry's names for the segmenter, the straddled words, how the rest is cut),
and the rest is cut in two ways:

- `assets/search/d-N.js`: the pages (href, title, kind, names, text, tier) in chunks of about CHUNK_BYTES, units,
  roles and policies first (search order), so the pages a name query opens arrive with the first chunks; small,
  so the first result waits for one small file.
- `assets/search/c-N.js`: for each key, the pages whose title, names or text (as `search.js` normalizes them)
  hold it, as gaps between page numbers in base 36. A key is a character a reader may type (CJK, full-width
  forms, digits and Latin letters: INDEXED) or two such characters side by side (`_keys`); keys go to bucket
  `_slot(key)` mod the bucket count, whose arithmetic search.js repeats.

A query loads the head, the buckets of its keys (the pairs inside each piece the segmenter may cut it into, and
the characters no pair covers), then only the chunks of the pages holding every key: a page that matches holds
them all, so the result is the one a search over every page gives, and a page merely holding the characters
apart (低, 保, 标, 准 in a unit's page) is no longer loaded. Pages and queries are compared after `normalize()`
(NFKC, lower case, traditional characters simplified, a 文号's year in 〔〕 whatever brackets were typed, no
spaces); the head carries the traditional → simplified pairs its pages need, for search.js to do the same. Each file is a plain script
(`window.luoshiSearchShard(...)`) loaded by a <script> element, which also works from file://. The files are
deterministic: pages in a fixed order, buckets and chunks numbered from it.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

HEAD = "assets/search-index.js"
FOLDER = "assets/search"
CHUNK_BYTES = 1 << 18          # a chunk of pages: about 256 KB (the first result waits for one)
BUCKET_BYTES = 1 << 17         # the key buckets: about 128 KB each on average (a query loads one per key)
MAX_BUCKETS = 4096

# what search.js's normalize() does to a query and a page, and the characters it filters pages by
_BRACKETS = str.maketrans({"［": "〔", "[": "〔", "【": "〔", "］": "〕", "]": "〕", "】": "〕", "（": "(", "）": ")"})
_SPACE = re.compile(r"\s+")
_YEAR = re.compile(r"\((\d{4})\)")   # 渝府办发(2018)161号 typed for 〔2018〕
_BARE_YEAR = re.compile(r"([^\d〔第.\-/])((?:19|20)\d{2})(\d{1,4}号)")  # 渝府办发2018161号: the year typed with no bracket
_CLASS = "[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef0-9a-z]"
INDEXED = re.compile(_CLASS)   # = search.js's INDEXED
_RUN = re.compile(_CLASS + "{2,}")
TRADITIONAL = Path(__file__).resolve().parents[1] / "data" / "traditional.txt"


@functools.cache
def folds() -> dict[str, str]:
    """Traditional character → simplified (OpenCC's t2s, data/traditional.txt): a reader typing 臨時救助 or 縣民政局
    (a Hong Kong or Taiwan input method, a text copied from an old scan) finds 临时救助 and 县民政局."""
    pairs = "".join(line for line in TRADITIONAL.read_text(encoding="utf-8").splitlines() if not line.startswith("#"))
    return {pairs[i]: pairs[i + 1] for i in range(0, len(pairs) - 1, 2)}


@functools.cache
def _fold_table() -> dict[int, str]:
    return {ord(t): s for t, s in folds().items()}


def normalize(text: str) -> str:
    """A query or a page as search.js compares them: NFKC (full-width digits and letters half-width, （ ( ), lower
    case, traditional characters simplified, every bracket around a 文号's year 〔〕 (【2018】, [2018], (2018)), a
    year typed with no bracket before the number put in 〔〕 (渝府办发2018161号: years 1900–2099, the number 1–4 digits),
    no spaces. search.js's normalize() does the same, in the same order."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_fold_table()).translate(_BRACKETS)
    return _BARE_YEAR.sub(r"\1〔\2〕\3", _YEAR.sub(r"〔\1〕", _SPACE.sub("", text)))


def _keys(hay: str) -> set[str]:
    """Every indexed character of `hay` and every two indexed characters side by side in it."""
    keys = set(INDEXED.findall(hay))
    for run in _RUN.findall(hay):
        keys.update(map("".join, itertools.pairwise(run)))
    return keys


def _slot(key: str) -> int:
    """A key's number before the modulo: its code point, or for a pair the first's times 65,536 plus the second's
    (search.js computes the same, in doubles, exact below 2**53)."""
    return ord(key) if len(key) == 1 else ord(key[0]) * 65536 + ord(key[1])


def _script(before: str, value: object, after: str = ");\n") -> bytes:
    """`value` (or JSON already written, a str) as a script: `before`, the JSON, `after`."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    # A script, not JSON: keep the two line separators JavaScript once refused inside strings out of it.
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"{before}{text}{after}".encode()


def _gaps(numbers: Iterable[int]) -> str:
    """1, 2, 3, 10 → "1,1,1,7" in base 36: a dense list costs two bytes a page."""
    out, last = [], 0
    for n in numbers:
        gap = n - last
        out.append(_SMALL[gap] if gap < len(_SMALL) else _base36(gap))
        last = n
    return ",".join(out)


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        n, r = divmod(n, 36)
        text = digits[r] + text
        if n == 0:
            return text


_SMALL = [_base36(n) for n in range(36 * 36)]   # the gaps of all but the sparsest lists, written once


def _chunks(rows: Sequence[list[object]], chunk_bytes: int) -> list[list[str]]:
    """Consecutive rows as JSON (each written once), each list about `chunk_bytes` of UTF-8."""
    chunks: list[list[str]] = [[]]
    size = 0
    for row in rows:
        text = json.dumps(row, ensure_ascii=False, separators=(",", ":"))
        n = len(text.encode("utf-8")) + 1
        if chunks[-1] and size + n > chunk_bytes:
            chunks.append([])
            size = 0
        chunks[-1].append(text)
        size += n
    return chunks


def index_files(rows: Sequence[list[object]], head: dict[str, object], *,
                chunk_bytes: int = CHUNK_BYTES, bucket_bytes: int = BUCKET_BYTES) -> dict[str, bytes]:
    """{path under site/: script} for `rows` ([href, title, kind, names, text, tier], in search order) and the
    head's other keys (kinds, words, straddles)."""
    chunks = _chunks(rows, chunk_bytes)
    pages_of: defaultdict[str, list[int]] = defaultdict(list)
    for number, row in enumerate(rows):
        names = row[3] if isinstance(row[3], list) else []
        for key in _keys(normalize(" ".join([str(row[1]), str(row[4]), *map(str, names)]))):
            pages_of[key].append(number)
    lists = {key: _gaps(numbers) for key, numbers in sorted(pages_of.items())}
    total = sum(len(k.encode("utf-8")) + len(v) + 6 for k, v in lists.items())
    buckets = min(MAX_BUCKETS, max(1, math.ceil(total / bucket_bytes)))
    by_bucket: list[dict[str, str]] = [{} for _ in range(buckets)]
    for key, gaps in lists.items():
        by_bucket[_slot(key) % buckets][key] = gaps
    # the traditional characters whose simplified form some page holds (no other can lead to a match): search.js
    # folds the query and the pages with them as normalize() above did
    fold = "".join(t + simple for t, simple in folds().items() if simple in pages_of)
    files = {HEAD: _script("window.luoshiSearchIndex = ", {
        **head, "pages": len(rows), "chunks": [len(c) for c in chunks], "buckets": buckets, "folder": FOLDER,
        "folds": fold}, ";\n")}
    for number, chunk in enumerate(chunks):
        files[f"{FOLDER}/d-{number}.js"] = _script(f'window.luoshiSearchShard("d",{number},', "[" + ",".join(chunk) + "]")
    for number, found in enumerate(by_bucket):
        files[f"{FOLDER}/c-{number}.js"] = _script(f'window.luoshiSearchShard("c",{number},', found)
    return files
