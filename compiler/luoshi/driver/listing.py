"""Which source files a project has, and how a path is shown: the part of the driver that `luoshi comply` with a
kept plan (comply/plancache.py) and `luoshi fmt` need, without the compiler's stages (lark, the AST, the model) that
importing pipeline.py loads."""

from __future__ import annotations

import os
from pathlib import Path

SOURCE_SUFFIXES = (".policy", ".units")


def display_path(path: Path) -> str:
    try:
        return os.path.relpath(path, Path.cwd())
    except ValueError:
        return str(path)


def source_files(folder: Path) -> list[Path]:
    """The source files under `folder`, as `folder.rglob("*")` filtered by suffix and `is_file` would list them
    (links to folders not followed, a link to a file kept), sorted as Paths sort (by parts). Walked with
    `os.scandir`, whose entries know their type: rglob's Paths and a `stat` per file were a third of a warm rebuild's
    listing at 10k files."""
    return [Path(path) for path, _link in source_paths(str(folder))]


def source_paths(folder: str) -> list[tuple[str, bool]]:
    """`source_files(folder)` as strings, each with whether it is a symbolic link (the walk's entries know): the
    incremental run resolves and shows 10,000 paths without a Path or an `lstat` per file."""
    return [(entry.path, entry.is_symlink()) for entry in source_entries(folder)]


def source_entries(folder: str) -> list[os.DirEntry[str]]:
    """The `os.scandir` entry of each source file under `folder`, in `source_files`' order: each folder's entries
    sorted by name and walked depth first, which is the order of the paths' parts (a folder's files come right
    after the entries before it by name), so 10,000 paths need no sort by split parts. An entry keeps the `stat`
    it took, so the incremental run's signatures cost one `stat` call per file and no other walk."""
    found: list[os.DirEntry[str]] = []
    _walk(folder, found)
    return found


def _walk(top: str, found: list[os.DirEntry[str]]) -> None:
    try:
        with os.scandir(top) as listing:
            entries = sorted(listing, key=_name)
    except OSError:  # as rglob: a folder that cannot be listed is skipped
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                _walk(entry.path, found)
            elif (name := entry.name).endswith(SOURCE_SUFFIXES) and name.rpartition(".")[0].lstrip(".") \
                    and entry.is_file():  # = `os.path.splitext(name)[1] in SOURCE_SUFFIXES`, without a call per file
                found.append(entry)
        except OSError:
            continue


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name
