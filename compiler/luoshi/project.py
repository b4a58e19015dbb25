"""Where the corpus is: the project's `[tool.luoshi]` settings in pyproject.toml, found from the working directory."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    root: Path
    policies: Path
    output: Path


def find_project(start: Path | None = None) -> Project:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                settings = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("luoshi")
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                settings = None
            if settings is not None:
                return Project(folder, folder / settings.get("policies", "policies"), folder / settings.get("output", "build"))
    return Project(here, here / "policies", here / "build")
