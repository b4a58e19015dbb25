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

The cache folder holds a `.gitignore` of `*` and a `CACHEDIR.TAG`, so git and backup tools skip it; a folder
salted by other code is removed when a new one is started (`Store.prune_salts`). A folder that cannot be written
is not an error: the run goes on without the cache.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import secrets
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
    here = Path(__file__).resolve().parents[1]
    return sorted((p for p in here.rglob("*") if p.suffix in SOURCE_SUFFIXES and "__pycache__" not in p.parts
                   and p.is_file()), key=lambda p: p.parts)


@lru_cache(maxsize=1)
def package_digest() -> str:
    """A hash of every source file of the luoshi package (code, templates, data, grammar) and of the grammar the
    parser reads: what the package *is*, so no list of module names has to be kept in step with the code."""
    from ..syntax.parse import grammar_text

    here = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for path in _package_files():
        h.update(str(path.relative_to(here)).encode("utf-8", "surrogateescape") + b"\0")
        try:
            h.update(path.read_bytes())
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


class Store:
    """One cache: sealed entries in `<project>/.luoshi-cache/<name>/<salt>/` (no salt: `<name>/`).

    `folder` is None when the cache is off (no project, `LUOSHI_NO_CACHE`, no trusted key, a folder that cannot
    be written, a cache folder that is a link)."""

    def __init__(self, root: Path | None, name: str, salt: str | None = None):
        self.folder: Path | None = None
        self.key: bytes | None = None
        self.base = base = (root / CACHE_DIR) if root is not None else None
        if base is None or not enabled():
            return
        key = signing_key()
        if key is None or base.is_symlink():
            return
        self.key = key
        self.folder = base / name / salt if salt else base / name

    def _name(self, rel: str) -> str:
        return str(self.folder.relative_to(self.base) / rel) if self.folder is not None and self.base is not None else rel

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

    def remove(self, rel: str) -> None:
        if self.folder is not None:
            try:
                (self.folder / rel).unlink(missing_ok=True)
            except OSError:
                pass

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
