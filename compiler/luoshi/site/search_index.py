"""The search index's files: a small head, the pages in chunks, and which pages hold each character.

One index file was 164 MB at 1,001 policies (36,000 pages, their text): every query loaded all of it. Now
`assets/search-index.js` holds only what every query needs (the kinds, the registry's names for the segmenter,
the straddled words, and how the rest is cut), and the rest is cut in two ways:

- `assets/search/d-N.js`: the pages (href, title, kind, names, text, tier) in chunks of about CHUNK_BYTES, units,
  roles and policies first (`_order`), so the pages a name query opens arrive with the first chunks.
- `assets/search/c-N.js`: for each character a reader may type (CJK, full-width forms, digits and Latin letters,
  as `search.js` normalizes them), the pages whose title, names or text hold it, as gaps between page numbers in
  base 36; characters go to bucket (code point mod the bucket count).

A query loads the head, the buckets of its characters, then only the chunks of the pages that hold every one of
its characters: a page that matches holds them all, so the result is the one a search over every page gives.
Each file is a plain script (`window.luoshiSearchShard(...)`) loaded by a <script> element, which also works
from file://. The files are deterministic: pages in a fixed order, buckets and chunks numbered from it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence

HEAD = "assets/search-index.js"
FOLDER = "assets/search"
CHUNK_BYTES = 1 << 20          # a chunk of pages: about 1 MB
BUCKET_BYTES = 1 << 19         # the character buckets: about 512 KB each on average
MAX_BUCKETS = 4096

# what search.js's normalize() does to a query and a page, and the characters it filters pages by
_BRACKETS = str.maketrans({"［": "〔", "[": "〔", "］": "〕", "]": "〕", "（": "(", "）": ")"})
_SPACE = re.compile(r"\s+")
INDEXED = re.compile(r"[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef0-9a-z]")   # = search.js's INDEXED


def normalize(text: str) -> str:
    return _SPACE.sub("", text.lower().translate(_BRACKETS))


def _script(before: str, value: object, after: str = ");\n") -> bytes:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    # A script, not JSON: keep the two line separators JavaScript once refused inside strings out of it.
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"{before}{text}{after}".encode()


def _gaps(numbers: Iterable[int]) -> str:
    """1, 2, 3, 10 → "1,1,1,7" in base 36: a dense list costs two bytes a page."""
    out, last = [], 0
    for n in numbers:
        out.append(_base36(n - last))
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


def _chunks(rows: Sequence[list[object]]) -> list[list[list[object]]]:
    """Consecutive rows, each list about CHUNK_BYTES of script."""
    chunks: list[list[list[object]]] = [[]]
    size = 0
    for row in rows:
        n = len(json.dumps(row, ensure_ascii=False).encode("utf-8"))
        if chunks[-1] and size + n > CHUNK_BYTES:
            chunks.append([])
            size = 0
        chunks[-1].append(row)
        size += n
    return chunks


def index_files(rows: Sequence[list[object]], head: dict[str, object]) -> dict[str, bytes]:
    """{path under site/: script} for `rows` ([href, title, kind, names, text, tier], in search order) and the
    head's other keys (kinds, words, straddles)."""
    chunks = _chunks(rows)
    pages_of: dict[str, list[int]] = {}
    for number, row in enumerate(rows):
        names = row[3] if isinstance(row[3], list) else []
        hay = normalize(" ".join([str(row[1]), str(row[4]), *map(str, names)]))
        for char in sorted(set(INDEXED.findall(hay))):
            pages_of.setdefault(char, []).append(number)
    lists = {char: _gaps(numbers) for char, numbers in sorted(pages_of.items())}
    total = sum(len(c.encode("utf-8")) + len(v) + 6 for c, v in lists.items())
    buckets = min(MAX_BUCKETS, max(1, math.ceil(total / BUCKET_BYTES)))
    by_bucket: list[dict[str, str]] = [{} for _ in range(buckets)]
    for char, gaps in lists.items():
        by_bucket[ord(char) % buckets][char] = gaps
    files = {HEAD: _script("window.luoshiSearchIndex = ", {
        **head, "pages": len(rows), "chunks": [len(c) for c in chunks], "buckets": buckets, "folder": FOLDER}, ";\n")}
    for number, chunk in enumerate(chunks):
        files[f"{FOLDER}/d-{number}.js"] = _script(f'window.luoshiSearchShard("d",{number},', chunk)
    for number, found in enumerate(by_bucket):
        files[f"{FOLDER}/c-{number}.js"] = _script(f'window.luoshiSearchShard("c",{number},', found)
    return files
