"""A cache of parsed files, keyed by content hash, so a rebuild after editing one file parses one file.

What is cached is the AST of one file (`ast.SourceUnit`), under the SHA-256 of its shown path and text, as a row
of `.luoshi-cache/ast/<salt>/asts.sqlite` beside the project's pyproject.toml, sealed as every luoshi cache entry is
(cachestore.py: an entry this user's key did not seal is never unpickled). The salt hashes everything the AST
depends on besides the text: the contents of the luoshi package and its grammar, luoshi's, Python's, pydantic's
and lark's versions; a change of any of them starts a new folder and removes the old one. This cache holds nothing after the AST:
`compile_paths` (the backends, `luoshi build`) always computes the registry, the resolved model and the lint
findings from all files, so an edit to a parent policy, a unit registry or a file's name can never leave a stale
child, finding or reference behind. `luoshi check` and `luoshi lint` also keep their results per file in
`.luoshi-cache/incremental/` and redo only what an edit can reach (see incremental.py).

A cache entry that cannot be read (truncated, corrupt, from another version) is ignored and rewritten; a cache
folder that cannot be written is not an error. `LUOSHI_NO_CACHE=1` turns the cache off.

An entry is the AST's wire form (astwire.py: nested tuples of plain values written with marshal, each class's
code generated from its fields) compressed with zlib (`dumps`), rebuilt without validation (the values were
validated when first parsed). It replaced the AST's pickle: 0.55 → 0.18 ms to encode a file of the 1k corpus (in
the parse worker) and 0.41 → 0.36 ms to decode it (in the parent), the same AST (bench/README.md, "Round 10").
"""

from __future__ import annotations

import hashlib
import pickle
import zlib
from pathlib import Path

from ..driver.cachestore import CACHE_DIR, Pack, Store, code_salt, enabled  # noqa: F401  (CACHE_DIR re-exported)
from . import ast
from .astwire import decode, encode
from .source import Span

# A span without validation (the callers' values are lark's ints and a path): spans are plain slotted values now
# (source.Span), so this is their constructor; kept under this name for the AST builder and the incremental run.
make_span = Span


class SpanPickler(pickle.Pickler):
    """The pickler of the incremental state's entries (incremental.py), which hold spans and AST nodes. Spans
    reduce to their five values (`Span.__reduce__`), so this adds nothing to pickle's own: kept as the one name
    those writers use. The AST cache's own entries are not pickles (`dumps`)."""


def dumps(unit: ast.SourceUnit) -> bytes:
    """The AST as the cache stores it and the full run keeps it between stages (pipeline.Packed): its wire form
    (astwire.py), compressed with zlib at level 1 (1k corpus: 21.4 → 4.4 KB a file, 0.13 ms). Compressed once,
    where the AST is made (a parse worker), the bytes cross the pipe, are sealed, written and kept without another
    pass."""
    return zlib.compress(encode(unit), 1)


def loads(data: bytes, path: str) -> ast.SourceUnit | None:
    """The AST in `data` (as `dumps` made it), or None when it is not a readable AST of `path` (a corrupt or
    foreign entry). `data` is either made in this run (a parse worker's result) or an entry whose seal verified
    (cachestore.py)."""
    try:
        unit = decode(zlib.decompress(data))
    except Exception:  # noqa: BLE001 — any damage to a cache file only means a cache miss
        return None
    return unit if isinstance(unit, ast.SourceUnit) and unit.path == path else None


def _salt() -> str:
    from .parse import grammar_text

    return code_salt(("pydantic", "lark"), grammar_text())


def key(path: str, text: str) -> str:
    # a name that is not UTF-8 (unzipped from a Windows archive) holds surrogates: hashed as the bytes it was
    return hashlib.sha256(path.encode("utf-8", "surrogateescape") + b"\0" + text.encode("utf-8", "surrogatepass")).hexdigest()


PACK = "asts.sqlite"  # the entries, a sealed row each (cachestore.Pack)


class AstCache:
    """Per-project store of ASTs: `get` and `put` by key, `flush` to write what was put, `finish` to drop entries
    no run uses any more.

    The entries are rows of one SQLite file (`cachestore.Pack`, each row sealed as a `Store` entry is), written in
    one transaction by `flush`: a cold run writes one entry per file, and a file each (a temporary file, written,
    renamed) was ~150–190 µs CPU an entry against ~10 µs a row (1k corpus; bench/README.md, "Round 10"). Puts are
    buffered until `flush`, holding the same bytes the run keeps anyway (pipeline.Packed), so nothing is copied."""

    def __init__(self, root: Path | None):
        self.used: set[str] = set()
        self.hits = self.misses = 0
        self.root = root
        self._store: Store | None = None
        self._pack: Pack | None = None

    @property
    def store(self) -> Store:
        """Made on first use: a run that parses nothing (a warm `luoshi lint`) never computes the salt."""
        if self._store is None:
            self._store = Store(self.root, "ast", _salt() if self.root is not None and enabled() else None)
        return self._store

    @property
    def pack(self) -> Pack:
        if self._pack is None:
            self._pack = Pack(self.store, PACK)
        return self._pack

    @property
    def folder(self) -> Path | None:
        return self.store.folder

    def get(self, k: str, path: str) -> ast.SourceUnit | None:
        data = self.data(k)
        unit = loads(data, path) if data is not None else None
        if data is not None and unit is None:
            self.hits, self.misses = self.hits - 1, self.misses + 1
        return unit

    def data(self, k: str) -> bytes | None:
        """The sealed entry's AST as `dumps` made it, not yet decoded (`loads` checks it is an AST of the path):
        the full run keeps ASTs so between its stages (pipeline.Packed)."""
        if self.store.folder is None:
            return None
        self.used.add(k)
        data = self.pack.get(k)
        self.hits += data is not None
        self.misses += data is None
        return data

    def empty(self) -> bool:
        """Can no `data` be found (no folder, or a pack with no entry yet)? A cold run then need not read and key
        each file to look it up (pipeline.read_packed); each file counts as a miss, as looking it up would."""
        return self.store.folder is None or self.pack.empty()

    def missed(self, n: int) -> None:
        """Count `n` files not looked up because the cache is `empty`."""
        self.misses += n

    def put(self, k: str, data: bytes) -> None:
        """Add the entry; written by the next `flush`."""
        if self.store.folder is None:
            return
        self.used.add(k)
        self.pack.put(k, data)

    def flush(self) -> None:
        """Write the entries put since the last flush, in one transaction (none when the pack cannot be written)."""
        if self._pack is not None:
            self._pack.commit()

    def finish(self) -> None:
        """Write what was put; remove other salts' folders, and this pack's entries when most of them are no longer
        used (checked only after a run that added entries: only then can the pack have grown)."""
        self.flush()
        folder = self.store.folder
        if folder is None or not folder.is_dir():
            return
        self.store.prune_salts()
        if self._pack is not None and self.misses:
            self._pack.prune(self.used, 2 * len(self.used) + 64)
