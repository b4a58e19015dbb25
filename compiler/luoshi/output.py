"""Writing build outputs safely: atomic writes, a manifest of what luoshi generated, nothing else touched."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

MANIFEST = ".luoshi-manifest.json"


class OutputError(Exception):
    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


def atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


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


def foreign_files(root: Path, names) -> list[str]:
    """Names that would overwrite a file an earlier run did not list in its manifest: somebody else's file."""
    ours = set(_read_manifest(root.resolve()))
    return sorted(name for name in names if name not in ours and (root / name).exists())


def write_outputs(root: Path, files: dict[str, bytes], *, force: bool = True, sources: Path | None = None) -> list[Path]:
    """Write `files` (relative name → bytes) under `root`; delete only files an earlier build listed in its
    manifest and this build no longer makes. Never writes outside `root`, never where the policy sources are,
    and, without `force`, never over a file it did not generate itself."""
    check_root(root, sources)
    clash = [] if force else foreign_files(root, files)
    if clash:
        shown = "、".join(clash[:5]) + ("……" if len(clash) > 5 else "")
        raise OutputError(f"「{root}」中已有不是 luoshi 生成的文件：{shown}；未覆盖（确需覆盖请加 --force）",
                          f"'{root}' holds files luoshi did not generate: {', '.join(clash[:5])}; not overwritten (use --force)")
    root = root.resolve()
    previous = _read_manifest(root)
    written = []
    for name in sorted(files):
        target = (root / name).resolve()
        if root not in target.parents:
            raise OutputError(f"拒绝写到输出目录之外：{name}", f"refusing to write outside the output folder: {name}")
        atomic_write(target, files[name])
        written.append(target)
    for stale in sorted(set(previous) - set(files)):
        path = (root / stale).resolve()
        if root in path.parents and path.is_file():
            path.unlink()
    atomic_write(root / MANIFEST, (json.dumps(sorted(files), ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    return written


def _read_manifest(root: Path) -> list[str]:
    try:
        data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        return [str(x) for x in data] if isinstance(data, list) else []
    except (OSError, ValueError):
        return []
