"""The one store behind luoshi's three caches (parsed files, the incremental state of check/lint, the comply plan):
where they live, how an entry is written atomically, how it is authenticated, and what salts its folder.

Entries are pickles, and unpickling runs whatever code the pickle names; a `.luoshi-cache/` committed to a policy
repository must not run its author's code on `luoshi check` in a fresh clone. So every entry is sealed with an
HMAC-SHA256 under a key that only this user holds: 32 random bytes in the user's own cache directory
(`$XDG_CACHE_HOME/luoshi/cache-key`, default `~/.cache/luoshi/`), made on first use, never read from the project.
An entry whose seal does not verify (forged, copied from another user, damaged, or written by an older luoshi) is
a cache miss: it is never unpickled, and it is rewritten. A key file that another user could have written (not
ours, or writable by group or others) is not trusted: the caches are then off, as they are with
`LUOSHI_NO_CACHE=1` or when no key can be made.

Entries a run reads only a few of (the registry's 130,000 units at 10k files), and entries a run writes many of
(an AST per file: one file each cost ~15 times the CPU of a row), are rows of a `Pack`, one SQLite file, each row
sealed the same way and checked when read. The AST cache's entries are not pickles (syntax/astwire.py), and are
sealed all the same.

The cache folder holds a `.gitignore` of `*` and a `CACHEDIR.TAG`, so git and backup tools skip it; a folder
salted by other code is removed when a new one is started (`Store.prune_salts`). A folder that cannot be written
is not an error: the run goes on without the cache.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import shutil
import stat
import sys
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, BinaryIO

from .. import __version__

CACHE_DIR = ".luoshi-cache"
MAGIC = b"luoshi-sealed-1\n"
_MAC = hashlib.sha256().digest_size
KEY_NAME = "cache-key"


def enabled() -> bool:
    return os.environ.get("LUOSHI_NO_CACHE", "") in ("", "0")


def user_cache_dir() -> Path:
    """The user's own cache directory (XDG), outside any project: where the signing key lives."""
    base = os.environ.get("XDG_CACHE_HOME") or ""
    return (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "luoshi"


@lru_cache(maxsize=8)
def _key_at(folder: Path) -> bytes | None:
    path = folder / KEY_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # made before (or by a concurrent run, which wrote it before we read it below)
        else:
            import secrets  # once per machine: every other run only reads the key

            with os.fdopen(fd, "wb") as out:
                out.write(secrets.token_bytes(32))
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            st = os.fstat(handle.fileno())
            key = handle.read()
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode) or st.st_mode & 0o022 or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
        return None  # someone else could have chosen this key
    return key if len(key) >= 32 else None


def signing_key() -> bytes | None:
    """This user's cache key, made on first use; None when there is none to trust (the caches are then off)."""
    return _key_at(user_cache_dir())


def seal(name: str, data: bytes, key: bytes) -> bytes:
    """`data` with a MAC over the entry's name and bytes (an entry moved to another name does not verify)."""
    return MAGIC + hmac.new(key, name.encode("utf-8", "surrogateescape") + b"\0" + data, hashlib.sha256).digest() + data


def unseal(name: str, blob: bytes, key: bytes) -> bytes | None:
    """The data of a sealed entry, or None when its seal does not verify."""
    head = len(MAGIC)
    if blob[:head] != MAGIC or len(blob) < head + _MAC:
        return None
    mac, data = blob[head:head + _MAC], blob[head + _MAC:]
    good = hmac.new(key, name.encode("utf-8", "surrogateescape") + b"\0" + data, hashlib.sha256).digest()
    return data if hmac.compare_digest(mac, good) else None


@cache
def library_version(name: str) -> str:
    from importlib import metadata  # on use: a replayed run (replay.py) reads the store and needs none of it

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


# What can change what a cache holds: code, templates, data files, the grammar. Not the site's static assets
# (a 2.6 MB script the compiler never reads, which would be a third of a warm `luoshi lint`'s reading).
SOURCE_SUFFIXES = (".py", ".lark", ".j2", ".txt", ".json", ".toml", ".csv")


def _package_files() -> list[Path]:
    return [Path(path) for _rel, path in _package_paths()]


@lru_cache(maxsize=1)
def _package_paths() -> tuple[tuple[str, str], ...]:
    """(path below the package, path) of each of the package's source files (`SOURCE_SUFFIXES`, no `__pycache__`),
    sorted by parts: `Path.rglob` filtered by suffix and `is_file`, listed with `os.scandir` as strings (each
    folder's entries sorted by name and walked depth first is the order of the parts). Every run that opens a
    cache hashes them (`package_digest`): the Paths and a `stat` per file were 6 ms of it."""
    here = str(Path(__file__).resolve().parents[1])
    found: list[tuple[str, str]] = []

    def walk(top: str, rel: str) -> None:
        try:
            with os.scandir(top) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            return
        for entry in entries:
            name = entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    if name != "__pycache__":
                        walk(entry.path, f"{rel}{name}{os.sep}")
                    continue
                dot = name.rfind(".")  # = Path.suffix
                if 0 < dot < len(name) - 1 and name[dot:] in SOURCE_SUFFIXES and entry.is_file():
                    found.append((rel + name, entry.path))
            except OSError:
                continue

    walk(here, "")
    return tuple(found)


@lru_cache(maxsize=1)
def package_digest() -> str:
    """A hash of every source file of the luoshi package (code, templates, data, grammar) and of the grammar the
    parser reads: what the package *is*, so no list of module names has to be kept in step with the code."""
    from ..syntax.grammar import grammar_text  # not parse.py: a kept plan's run needs no lark

    h = hashlib.sha256()
    for rel, path in _package_paths():
        h.update(rel.encode("utf-8", "surrogateescape") + b"\0")
        try:
            with open(path, "rb") as handle:
                h.update(handle.read())
        except OSError:
            h.update(b"-")
        h.update(b"\0")
    h.update(grammar_text().encode("utf-8"))
    return h.hexdigest()


def code_salt(libraries: Iterable[str] = (), *texts: str) -> str:
    """The salt of a cache: the package's contents, luoshi's and Python's versions, `libraries`' versions and
    `texts`. Any change is another salt, so nothing made by other code is reused."""
    h = hashlib.sha256()
    for part in (__version__, sys.version, package_digest(), *map(library_version, libraries), *texts):
        h.update(part.encode("utf-8") + b"\0")
    return h.hexdigest()[:16]


def _plain(rel: str) -> bool:
    """Whether `rel` joins a folder as a string would, without pathlib's normalising (no empty, `.` or absolute part):
    every name luoshi's caches use."""
    return bool(rel) and rel[0] not in "/." and rel[-1] != "/" and "//" not in rel and "/." not in rel


class Store:
    """One cache: sealed entries in `<project>/.luoshi-cache/<name>/<salt>/` (no salt: `<name>/`).

    `folder` is None when the cache is off (no project, `LUOSHI_NO_CACHE`, no trusted key, a folder that cannot
    be written, a cache folder, store folder or salt folder that is a link)."""

    def __init__(self, root: Path | None, name: str, salt: str | None = None):
        self.folder: Path | None = None
        self.key: bytes | None = None
        self._label: tuple[Path, str] | None = None  # (folder, its path below base): `_name`'s prefix
        self.base = base = (root / CACHE_DIR) if root is not None else None
        if base is None or not enabled():
            return
        key = signing_key()
        folder = base / name / salt if salt else base / name
        # a link anywhere from the cache folder down (a repository can commit one) points at what is not ours:
        # `prune_salts` and `keep_only` remove what they find beside the entries, there as here
        if key is None or any(p.is_symlink() for p in (base, base / name, folder)):
            return
        self.key = key
        self.folder = folder

    def _name(self, rel: str) -> str:
        """The name an entry is sealed under: its path below the cache folder. The folder's part is worked out once
        (`Path.relative_to` was 7.5 µs a call: 0.1 s of a cold 1k lint, which seals ~16,000 entries)."""
        if self.folder is None or self.base is None:
            return rel
        if self._label is None or self._label[0] != self.folder:
            self._label = (self.folder, str(self.folder.relative_to(self.base)))
        return f"{self._label[1]}/{rel}" if _plain(rel) else str(self.folder.relative_to(self.base) / rel)

    def read(self, rel: str) -> bytes | None:
        """The data of entry `rel`, or None: missing, unreadable or not sealed by this user's key."""
        if self.folder is None or self.key is None:  # both set together (__init__)
            return None
        try:
            blob = (self.folder / rel).read_bytes()
        except OSError:
            return None
        return unseal(self._name(rel), blob, self.key)

    def load(self, rel: str) -> Any:  # whatever was pickled there: the caller knows what it stored
        """The object pickled in entry `rel`, or None. Only an entry this user's key sealed is unpickled."""
        data = self.read(rel)
        if data is None:
            return None
        try:
            return pickle.loads(data)
        except Exception:  # noqa: BLE001 — our own entry from code that no longer reads it: a miss
            return None

    def write(self, rel: str, data: bytes) -> bool:
        """Seal and write entry `rel` atomically; False (and the cache off) when the folder cannot be written."""
        if self.folder is None or self.key is None or self.base is None:  # all set together (__init__)
            return False
        from .output import atomic_write  # the one atomic write, for outputs and caches alike

        target = self.folder / rel
        try:
            self._make_base(self.base)
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(target, seal(self._name(rel), data, self.key))
        except OSError:
            self.folder = None  # a read-only checkout: run without the cache
            return False
        return True

    def dump(self, rel: str, value: object, pickler: Callable[[BinaryIO], pickle.Pickler] | None = None) -> bool:
        """Pickle `value` (with `pickler(buffer)` when given) into entry `rel`."""
        if self.folder is None:
            return False
        if pickler is None:
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        else:
            import io

            buffer = io.BytesIO()
            pickler(buffer).dump(value)
            data = buffer.getvalue()
        return self.write(rel, data)

    def prune_salts(self) -> None:
        """Remove the folders of other salts beside this one (made by other code: never read again)."""
        if self.folder is None or not self.folder.parent.is_dir():
            return
        try:
            for other in self.folder.parent.iterdir():
                if other != self.folder and other.is_dir():
                    shutil.rmtree(other, ignore_errors=True)
        except OSError:
            pass

    def keep_only(self, rel: str) -> None:
        """Remove every other entry of a flat store (one entry per project, as the plan)."""
        if self.folder is None:
            return
        try:
            for other in self.folder.iterdir():
                if other.name != rel and other.is_file():
                    other.unlink(missing_ok=True)
        except OSError:
            pass

    def _make_base(self, base: Path) -> None:
        if not (base / ".gitignore").exists():
            base.mkdir(parents=True, exist_ok=True)
            (base / ".gitignore").write_text("# made by luoshi: a cache, never commit it\n*\n", encoding="utf-8")
            (base / "CACHEDIR.TAG").write_text("Signature: 8a477f597d28d172789f06886806bc55\n# luoshi cache\n")


class Pack:
    """Many small sealed entries in one SQLite file beside a store's entries (`<store folder>/<name>`): what a
    rebuild reads a few of — the registry's units and name tables, each file's lint facts — without reading,
    authenticating and unpickling all of them (at 10k files the registry alone was a 49 MB entry, ~0.8 s to load).

    Each row holds its entry's MAC (`seal`'s, over the pack's and the entry's names and the bytes), checked when the
    row is read: a row not sealed by this user's key reads as missing, as a `Store` entry does. Writes are buffered
    and made in one transaction by `commit`; a pack that cannot be opened, read or written (damaged, locked past
    the timeout, a read-only folder) reads as empty and takes no writes."""

    TIMEOUT = 5.0  # seconds to wait for another luoshi run's transaction on the same pack

    def __init__(self, store: Store, name: str) -> None:
        self.store, self.name = store, name
        self._db: Any = None  # sqlite3.Connection, opened on first use (the module is imported then too)
        self._broken = store.folder is None or store.key is None
        self._puts: dict[str, bytes] = {}
        self._drops: set[str] = set()
        self._clear: list[str] = []  # name prefixes whose entries go before the puts

    def _conn(self) -> Any:
        if self._db is None and not self._broken:
            import sqlite3

            assert self.store.folder is not None
            path = self.store.folder / self.name
            if path.is_symlink():  # committed in place of the pack: SQLite would write rows into what it points at
                try:
                    path.unlink()
                except OSError:
                    self._broken = True
                    return None
            for attempt in range(2):
                db = None
                try:
                    self.store.folder.mkdir(parents=True, exist_ok=True)
                    db = sqlite3.connect(str(path), timeout=self.TIMEOUT, isolation_level=None)
                    db.execute("CREATE TABLE IF NOT EXISTS entries (name TEXT PRIMARY KEY, mac BLOB, data BLOB) WITHOUT ROWID")
                    self._db = db
                    break
                except (sqlite3.Error, OSError) as exc:
                    if db is not None:
                        db.close()
                    # not a database (damaged, or planted): started again, once; a locked or unopenable one is
                    # left to its owner (OperationalError) and the run goes on without the pack
                    damaged = isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError)
                    if attempt == 0 and damaged:
                        try:
                            path.unlink(missing_ok=True)
                            continue
                        except OSError:
                            pass
                    self._broken = True
                    break
        return self._db

    def _mac(self, name: str, data: bytes) -> bytes:
        assert self.store.key is not None
        label = f"{self.store._name(self.name)}\0{name}".encode("utf-8", "surrogateescape")
        return hmac.new(self.store.key, label + b"\0" + data, hashlib.sha256).digest()

    def get(self, name: str) -> bytes | None:
        """The data of entry `name`, or None: missing, or not sealed by this user's key."""
        return self.get_many([name]).get(name)

    def get_many(self, names: Iterable[str]) -> dict[str, bytes]:
        """name → data of those of `names` that are present and sealed by this user's key."""
        wanted = list(dict.fromkeys(names))
        found = {n: self._puts[n] for n in wanted if n in self._puts}
        rest = [n for n in wanted if n not in found and n not in self._drops]
        db = self._conn()
        if db is None or not rest:
            return found
        import sqlite3

        try:
            for start in range(0, len(rest), 500):  # SQLite's limit on parameters is 999 in old builds
                chunk = rest[start:start + 500]
                rows = db.execute(f"SELECT name, mac, data FROM entries WHERE name IN ({','.join('?' * len(chunk))})",
                                  chunk).fetchall()
                for name, mac, data in rows:
                    if isinstance(mac, bytes) and isinstance(data, bytes) and hmac.compare_digest(mac, self._mac(name, data)):
                        found[name] = data
        except sqlite3.Error:
            self._broken, self._db = True, None
        return found

    def empty(self) -> bool:
        """No entry to read: none buffered and none in the file (or it cannot be read)."""
        if self._puts:
            return False
        db = self._conn()
        if db is None:
            return True
        import sqlite3

        try:
            return db.execute("SELECT 1 FROM entries LIMIT 1").fetchone() is None
        except sqlite3.Error:
            self._broken, self._db = True, None
            return True

    def put(self, name: str, data: bytes) -> None:
        self._puts[name] = data
        self._drops.discard(name)

    def drop(self, name: str) -> None:
        self._puts.pop(name, None)
        self._drops.add(name)

    def clear(self, prefix: str) -> None:
        """Remove every entry whose name starts with `prefix` (before this commit's puts)."""
        self._clear.append(prefix)
        for name in [n for n in self._puts if n.startswith(prefix)]:
            del self._puts[name]

    def commit(self) -> bool:
        """Make the buffered writes in one transaction; False (and nothing written) when that fails."""
        puts, drops, clear = self._puts, self._drops, self._clear
        self._puts, self._drops, self._clear = {}, set(), []
        if not (puts or drops or clear):
            return True
        db = self._conn()
        if db is None:
            return False
        import sqlite3

        try:
            self.store._make_base(self.store.base)  # type: ignore[arg-type]  # set with folder (Store.__init__)
            db.execute("BEGIN IMMEDIATE")
            try:
                for prefix in clear:
                    db.execute("DELETE FROM entries WHERE substr(name, 1, ?) = ?", (len(prefix), prefix))
                db.executemany("DELETE FROM entries WHERE name = ?", [(n,) for n in drops])
                db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)",
                               [(n, self._mac(n, data), data) for n, data in puts.items()])
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        except (sqlite3.Error, OSError):
            self._broken, self._db = True, None
            return False
        return True

    def prune(self, keep: set[str], limit: int) -> None:
        """Remove every entry not in `keep` when the pack holds more than `limit` entries (a cache of files whose
        texts have since changed); reads the names only."""
        db = self._conn()
        if db is None:
            return
        import sqlite3

        try:
            names = [name for (name,) in db.execute("SELECT name FROM entries")]
            if len(names) > limit:
                db.execute("BEGIN IMMEDIATE")
                try:
                    db.executemany("DELETE FROM entries WHERE name = ?", [(n,) for n in names if n not in keep])
                    db.execute("COMMIT")
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
        except sqlite3.Error:
            self._broken, self._db = True, None

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
