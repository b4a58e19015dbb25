"""Where the corpus is: the project's `[tool.luoshi]` settings in pyproject.toml, found upward from a start folder:
`--project DIR` (which sets LUOSHI_PROJECT for the commands), else LUOSHI_PROJECT, else the working directory."""

from __future__ import annotations

import hashlib
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

ENV = "LUOSHI_PROJECT"


@dataclass(frozen=True)
class Project:
    root: Path
    policies: Path
    output: Path
    cache_home: Path | None = None  # where .luoshi-cache/ goes when not in `root` (no project found)
    # `standard_units = false`: no division data and no derived standard units (a corpus of its own, complete
    # jurisdictions, such as bench/synth.py's synthetic one that declares the real 重庆市 but invented 区)
    standard_units: bool = True

    @property
    def cache_root(self) -> Path:
        """The folder that holds .luoshi-cache/: the project's root, or, outside any project, a folder of the user's
        cache directory for this working directory, so running luoshi never leaves a cache where it happens to run."""
        return self.cache_home or self.root


def user_cache(folder: Path) -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "luoshi" / hashlib.sha256(str(folder).encode("utf-8")).hexdigest()[:16]


class ProjectError(Exception):
    """A `[tool.luoshi]` luoshi cannot use: said in both languages with its place (cli.main prints it, exit 1),
    where a wrong type used to end in an internal error and unparseable TOML was skipped, its settings lost."""

    def __init__(self, where: str, zh: str, en: str) -> None:
        super().__init__(f"{where}: {en}")
        self.where, self.zh, self.en = where, zh, en


_SETTINGS = {"policies": str, "output": str, "standard_units": bool}


def _settings(pyproject: Path) -> dict[str, object] | None:
    """The file's `[tool.luoshi]` table, or None when it has none. A file that cannot be read as TOML is skipped
    unless it mentions tool.luoshi: then it is the user's project, and its error is theirs to fix."""
    text = pyproject.read_text(encoding="utf-8", errors="replace")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        if "tool.luoshi" not in text:
            return None
        at = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        where = f"{pyproject}:{at.group(1)}:{at.group(2)}" if at else str(pyproject)
        reason = re.sub(r"\s*\(at .*\)$", "", str(exc))
        raise ProjectError(where, f"pyproject.toml 不是有效的 TOML：{reason}",
                           f"pyproject.toml is not valid TOML: {reason}") from None
    tool = data.get("tool")
    settings = tool.get("luoshi") if isinstance(tool, dict) else None
    if settings is None:
        return None
    if not isinstance(settings, dict):
        raise ProjectError(str(pyproject), "[tool.luoshi] 应为一节设置（表），如 policies = \"policies\"",
                           "[tool.luoshi] must be a table of settings, such as policies = \"policies\"")
    for key, kind in _SETTINGS.items():
        if key in settings and not isinstance(settings[key], kind):
            want = ("文件夹路径（带引号的文本）", "a folder path (a quoted string)") if kind is str else ("布尔值 true 或 false", "true or false")
            raise ProjectError(str(pyproject), f"[tool.luoshi] 的 {key} 应为{want[0]}，而不是 {settings[key]!r}",
                               f"{key} in [tool.luoshi] must be {want[1]}, not {settings[key]!r}")
    return settings


def find_project(start: Path | None = None) -> Project:
    """The nearest folder at or above `start` whose pyproject.toml has `[tool.luoshi]`; without one, `start`
    itself with policies/ and build/ in it (a folder of .policy files works without a pyproject.toml)."""
    if start is None and os.environ.get(ENV):
        start = Path(os.environ[ENV]).expanduser()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            settings = _settings(pyproject)
            if settings is not None:
                return Project(folder, folder / str(settings.get("policies", "policies")),
                               folder / str(settings.get("output", "build")),
                               standard_units=settings.get("standard_units", True) is not False)
    return Project(here, here / "policies", here / "build", user_cache(here))
