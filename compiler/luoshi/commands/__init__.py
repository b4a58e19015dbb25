"""Sub-commands beyond check/build, one module each, discovered at start-up.

A module here defines `register(app: typer.Typer) -> None` to add its command(s), and may define
`artifacts(corpus: Corpus) -> dict[str, bytes]` to contribute files to `luoshi build` (relative names under the
output folder). Modules are loaded in name order, so outputs and `--help` listings are stable.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def command_modules() -> list[ModuleType]:
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
    return [importlib.import_module(f"{__name__}.{name}") for name in names]
