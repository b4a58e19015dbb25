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


def write_outputs(root: Path, files: dict[str, bytes]) -> list[Path]:
    """Write `files` (relative name → bytes) under `root`; delete only files an earlier build listed in its
    manifest and this build no longer makes. Never writes outside `root`."""
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
