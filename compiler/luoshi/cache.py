"""A cache of parsed files, keyed by content hash, so a rebuild after editing one file parses one file.

What is cached is the AST of one file (`ast.SourceUnit`), under the SHA-256 of its shown path and text, in
`.luoshi-cache/ast/<salt>/` beside the project's pyproject.toml. The salt hashes everything the AST depends on
besides the text: luoshi's version, the grammar, the modules that build the AST, Python's and pydantic's versions;
a change of any of them starts a new folder and removes the old one. This cache holds nothing after the AST:
`compile_paths` (the backends, `luoshi build`) always computes the registry, the resolved model and the lint
findings from all files, so an edit to a parent policy, a unit registry or a file's name can never leave a stale
child, finding or reference behind. `luoshi check` and `luoshi lint` also keep their results per file in
`.luoshi-cache/incremental/` and redo only what an edit can reach (see incremental.py).

A cache entry that cannot be read (truncated, corrupt, from another version) is ignored and rewritten; a cache
folder that cannot be written is not an error. `LUOSHI_NO_CACHE=1` turns the cache off.

Spans are pydantic models, and pickling them the default way is slow and large; entries store each span as a
plain tuple and rebuild it with `_span` (no validation: the values were validated when first parsed).
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import shutil
import sys
import tempfile
from importlib import metadata
from pathlib import Path

from . import __version__, ast
from .source import Span

CACHE_DIR = ".luoshi-cache"
_FIELDS = frozenset(Span.model_fields)
_new, _set = object.__new__, object.__setattr__


def _span(file: str, line: int, column: int, end_line: int, end_column: int) -> Span:
    span = _new(Span)
    _set(span, "__dict__", {"file": file, "line": line, "column": column, "end_line": end_line, "end_column": end_column})
    _set(span, "__pydantic_fields_set__", _FIELDS)
    _set(span, "__pydantic_extra__", None)
    _set(span, "__pydantic_private__", None)
    return span


def _span_checked(*args) -> Span:
    return Span(file=args[0], line=args[1], column=args[2], end_line=args[3], end_column=args[4])


# If a pydantic release lays its models out differently, fall back to the validating constructor.
_probe = ("f", 1, 2, 3, 4)
if not (_span(*_probe) == _span_checked(*_probe) and _span(*_probe).model_dump() == _span_checked(*_probe).model_dump()):
    _span = _span_checked  # noqa: F811


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj):
        if type(obj) is Span:
            d = obj.__dict__
            return _span, (d["file"], d["line"], d["column"], d["end_line"], d["end_column"])
        return NotImplemented


def dumps(unit: ast.SourceUnit) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(unit)
    return buffer.getvalue()


def loads(data: bytes, path: str) -> ast.SourceUnit | None:
    """The AST in `data`, or None when it is not a readable AST of `path` (a corrupt or foreign entry)."""
    try:
        unit = pickle.loads(data)
    except Exception:  # noqa: BLE001 — any damage to a cache file only means a cache miss
        return None
    return unit if isinstance(unit, ast.SourceUnit) and unit.path == path else None


def library_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def code_salt(files, libraries, *texts: str) -> str:
    """The salt of a cache: luoshi's version, Python's and `libraries`' versions, `texts` and the bytes of the luoshi
    `files` whose code decides what is cached. Any change is another salt, so nothing made by other code is reused
    (the AST cache here, the incremental state in incremental.py, the kept plan in comply/plancache.py)."""
    h = hashlib.sha256()
    for part in (__version__, sys.version, *map(library_version, libraries), *texts):
        h.update(part.encode("utf-8") + b"\0")
    here = Path(__file__).resolve().parent
    for path in sorted(set(files)):
        h.update(str(path.relative_to(here)).encode("utf-8") + b"\0")
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"-")
    return h.hexdigest()[:16]


def _salt() -> str:
    from .parse import grammar_text

    here = Path(__file__).resolve().parent
    return code_salt((here / m for m in ("ast.py", "astbuild.py", "parse.py", "source.py", "cache.py")),
                     ("pydantic", "lark"), grammar_text())


def key(path: str, text: str) -> str:
    # a name that is not UTF-8 (unzipped from a Windows archive) holds surrogates: hashed as the bytes it was
    return hashlib.sha256(path.encode("utf-8", "surrogateescape") + b"\0" + text.encode("utf-8", "surrogatepass")).hexdigest()


class AstCache:
    """Per-project store of ASTs: `get` and `put` by key, `finish` to drop entries no run uses any more."""

    def __init__(self, root: Path | None):
        self.folder: Path | None = None
        self.used: set[str] = set()
        self.hits = self.misses = 0
        if root is None or os.environ.get("LUOSHI_NO_CACHE", "") not in ("", "0"):
            return
        self.base = root / CACHE_DIR
        self.folder = self.base / "ast" / _salt()

    def get(self, k: str, path: str) -> ast.SourceUnit | None:
        if self.folder is None:
            return None
        self.used.add(k)
        try:
            data = (self.folder / k[:2] / k).read_bytes()
        except OSError:
            self.misses += 1
            return None
        unit = loads(data, path)
        self.hits += unit is not None
        self.misses += unit is None
        return unit

    def put(self, k: str, data: bytes) -> None:
        if self.folder is None:
            return
        self.used.add(k)
        target = self.folder / k[:2] / k
        try:
            if not self.base.exists():
                self.base.mkdir(parents=True)
                (self.base / ".gitignore").write_text("# made by luoshi: a cache, never commit it\n*\n", encoding="utf-8")
                (self.base / "CACHEDIR.TAG").write_text("Signature: 8a477f597d28d172789f06886806bc55\n# luoshi cache\n")
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, target)  # atomic: a reader sees the old entry, the new one, or none
        except OSError:
            self.folder = None  # a read-only checkout: run without the cache

    def finish(self) -> None:
        """Remove other salts' folders, and this folder's entries when most of them are no longer used."""
        if self.folder is None or not self.folder.is_dir():
            return
        try:
            for other in self.folder.parent.iterdir():
                if other != self.folder:
                    shutil.rmtree(other, ignore_errors=True)
            entries = [p for d in self.folder.iterdir() if d.is_dir() for p in d.iterdir()]
            if len(entries) > 2 * len(self.used) + 64:
                for p in entries:
                    if p.name not in self.used:
                        p.unlink(missing_ok=True)
        except OSError:
            pass
