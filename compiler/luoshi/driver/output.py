"""Writing build outputs safely: atomic writes, a manifest of what luoshi generated, nothing else touched.

A build that is interrupted at any point (Ctrl-C, kill -9, a full disk, a refused path) never blocks the next
one: before the first file is written the manifest already lists every file this build may leave behind (the
previous build's and this one's), so the next build knows them all as its own and finishes without --force; the
temporary files of a killed write (`.NAME.xxxxxxxx.tmp`) are removed by the next build. One build at a time writes
to a folder (a lock beside the manifest): a second refuses at once and says why. Files get the permissions
any new file gets (0644 under umask 022), not mkstemp's 0600.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks here; builds are not serialised
    fcntl = None  # type: ignore[assignment]  # the module or None, tested before each use

MANIFEST = ".luoshi-manifest.json"
LOCK = ".luoshi-lock"
_TEMP = re.compile(r"^\.(?P<name>.+)\.[A-Za-z0-9_]{8}\.tmp$")  # what `atomic_write` names its temporary files


class OutputError(Exception):
    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write(path: Path, data: bytes) -> None:
    """Write `path` whole or not at all (a temporary file beside it, renamed over it), with the permissions a new
    file gets under the umask. A device or pipe the user named (`-o /dev/null`, `/dev/stdout`, a FIFO) is written
    into, never renamed over (`_in_place`)."""
    if _in_place(path):
        with open(path, "wb") as handle:
            handle.write(data)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _in_place(path: Path) -> bool:
    """True for a character device or a FIFO, and for the links under /dev (/dev/stdout, /dev/fd/1): renaming a
    file over them replaces the device itself — run as root, `-o /dev/null --force` left a regular file at
    /dev/null, and every later `> /dev/null` on the machine failed. A block device is refused. Any other link is
    renamed over as before: a link planted in build/ must not lead a write outside it."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return False
    if stat.S_ISBLK(mode):
        raise OSError(errno.EPERM, "不写入块设备 · not writing to a block device", str(path))
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return True
    return stat.S_ISLNK(mode) and path.is_absolute() and path.parts[:2] == ("/", "dev")


def check_root(root: Path, sources: Path | None = None) -> None:
    """Refuse an output folder that is, lies in or holds the policy sources (`-o policies`, `-o .`, a build/ that
    is a symlink into policies/): writing and cleaning there could replace or delete what people wrote."""
    if sources is None:
        from .project import find_project

        sources = find_project().policies
    root, sources = root.resolve(), sources.resolve()
    if root == sources or sources in root.parents or root in sources.parents:
        raise OutputError(f"拒绝把输出写到政策文件所在的文件夹：{root}（政策文件在 {sources}）",
                          f"refusing to write outputs where the policy sources are: {root} (sources: {sources})")


def foreign_files(root: Path, names: Iterable[str]) -> list[str]:
    """Names that would overwrite a file an earlier run did not list in its manifest: somebody else's file."""
    ours = set(_read_manifest(root.resolve()))
    return sorted(name for name in names if name not in ours and (root / name).exists())


def write_outputs(root: Path, files: dict[str, bytes], *, force: bool = True, sources: Path | None = None) -> list[Path]:
    """Write `files` (relative name → bytes) under `root`; delete only files an earlier build listed in its
    manifest and this build no longer makes. Never writes outside `root`, never where the policy sources are,
    and, without `force`, never over a file it did not generate itself."""
    check_root(root, sources)
    root.mkdir(parents=True, exist_ok=True)
    with _locked(root):
        clash = [] if force else foreign_files(root, files)
        if clash:
            shown = "、".join(clash[:5]) + ("……" if len(clash) > 5 else "")
            raise OutputError(f"「{root}」中已有不是 luoshi 生成的文件：{shown}；未覆盖（确需覆盖请加 --force）",
                              f"'{root}' holds files luoshi did not generate: {', '.join(clash[:5])}; not overwritten (use --force)")
        root = root.resolve()
        previous = _read_manifest(root)
        targets = {}
        for name in sorted(files):
            target = (root / name).resolve()
            if root not in target.parents:
                raise OutputError(f"拒绝写到输出目录之外：{name}", f"refusing to write outside the output folder: {name}")
            targets[name] = target
        _remove_temporaries(root, set(previous) | set(files))
        # the journal: what this build may leave behind, written before any of it
        _write_manifest(root, set(previous) | set(files))
        written = []
        for name, target in targets.items():
            atomic_write(target, files[name])
            written.append(target)
        for stale in sorted(set(previous) - set(files)):
            path = (root / stale).resolve()
            if root in path.parents and path.is_file():
                path.unlink()
        _write_manifest(root, set(files))
        return written


def _write_manifest(root: Path, names: Iterable[str]) -> None:
    atomic_write(root / MANIFEST, (json.dumps(sorted(names), ensure_ascii=False, indent=1) + "\n").encode("utf-8"))


def _remove_temporaries(root: Path, names: set[str]) -> None:
    """Delete what a killed `atomic_write` left (`.NAME.xxxxxxxx.tmp`) beside a file luoshi writes here."""
    folders = {(root / name).parent for name in names} | {root}
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            match = _TEMP.match(entry.name)
            if match and entry.is_file(follow_symlinks=False):
                mine = os.path.relpath(os.path.join(folder, match["name"]), root).replace(os.sep, "/")
                if mine in names or mine == MANIFEST:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    """Hold the folder's build lock (an advisory lock on `.luoshi-lock`, released when the process ends however it
    ends); a second build refuses at once rather than interleave its files with this one's."""
    if fcntl is None:
        yield
        return
    fd = os.open(root / LOCK, os.O_RDWR | os.O_CREAT, 0o666 & ~_umask())
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(f"另一个 luoshi 正在写入「{root}」；请等它结束后再运行",
                              f"another luoshi run is writing to '{root}'; run again when it has finished") from None
        yield
    finally:
        os.close(fd)


def _read_manifest(root: Path) -> list[str]:
    try:
        data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        return [str(x) for x in data] if isinstance(data, list) else []
    except (OSError, ValueError):
        return []
