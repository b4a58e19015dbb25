"""Where the corpus is: the project's `[tool.luoshi]` settings in pyproject.toml, found upward from a start folder:
`--project DIR` (which sets LUOSHI_PROJECT for the commands), else LUOSHI_PROJECT, else the working directory."""

from __future__ import annotations

import hashlib
import os
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


def find_project(start: Path | None = None) -> Project:
    """The nearest folder at or above `start` whose pyproject.toml has `[tool.luoshi]`; without one, `start`
    itself with policies/ and build/ in it (a folder of .policy files works without a pyproject.toml)."""
    if start is None and os.environ.get(ENV):
        start = Path(os.environ[ENV]).expanduser()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                settings = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("luoshi")
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                settings = None
            if settings is not None:
                return Project(folder, folder / settings.get("policies", "policies"), folder / settings.get("output", "build"),
                               standard_units=settings.get("standard_units", True) is not False)
    return Project(here, here / "policies", here / "build", user_cache(here))
