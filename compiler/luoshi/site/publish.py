"""Writing the site's sources and building the HTML: the driver's side of `luoshi site`.

`site/` holds only generated files. luoshi keeps a manifest (site/.luoshi-manifest.json, which mkdocs ignores like
every dotfile); a file there that luoshi did not generate is never deleted, and never overwritten without --force.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..driver.output import MANIFEST, OutputError, _read_manifest, write_outputs


def foreign_files(root: Path, files: dict[str, bytes]) -> list[str]:
    """Names this build would overwrite that an earlier luoshi site did not write."""
    ours = set(_read_manifest(root.resolve()))
    return sorted(name for name in files if name not in ours and (root / name).exists())


def write_site(root: Path, files: dict[str, bytes], *, force: bool) -> list[Path]:
    clash = foreign_files(root, files)
    if clash and not force:
        shown = "、".join(clash[:5]) + ("……" if len(clash) > 5 else "")
        raise OutputError(f"「{root}」中已有不是 luoshi 生成的文件：{shown}；未覆盖（确需覆盖请加 --force）",
                          f"'{root}' holds files luoshi did not generate: {', '.join(clash[:5])}; not overwritten (use --force)")
    return write_outputs(root, files)


def build_html(config_file: Path, docs_dir: Path) -> Path:
    """`mkdocs build --strict` with the project's mkdocs.yml over `docs_dir`; returns the HTML folder. The theme
    override (the search box) is the one `luoshi site` wrote into `docs_dir/.theme`, wherever that folder is."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.utils.yaml import yaml_load

    # load_config takes any mkdocs.yml key as a keyword (typed as such, config_file_path among them)
    overrides: dict[str, Any] = {"docs_dir": str(docs_dir.resolve())}
    with open(config_file, encoding="utf-8") as f:
        theme = (yaml_load(f) or {}).get("theme")
    if isinstance(theme, dict) and (docs_dir / ".theme").is_dir():
        overrides["theme"] = {**theme, "custom_dir": str((docs_dir / ".theme").resolve())}
    config = load_config(str(config_file), strict=True, **overrides)
    build(config)
    return Path(config["site_dir"])


__all__ = ["MANIFEST", "OutputError", "build_html", "foreign_files", "write_site"]
