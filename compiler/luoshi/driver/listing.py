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
    found: list[tuple[tuple[str, ...], str, bool]] = []
    _walk(folder, (), found)
    found.sort()
    return [(path, link) for _parts, path, link in found]


def _walk(top: str, parts: tuple[str, ...], found: list[tuple[tuple[str, ...], str, bool]]) -> None:
    try:
        entries = list(os.scandir(top))
    except OSError:  # as rglob: a folder that cannot be listed is skipped
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                _walk(entry.path, (*parts, entry.name), found)
            elif os.path.splitext(entry.name)[1] in SOURCE_SUFFIXES and entry.is_file():
                found.append(((*parts, entry.name), entry.path, entry.is_symlink()))
        except OSError:
            continue
