"""Layers point one way: the compiler and its features never import the command layer (`luoshi.commands`,
`luoshi.cli`), which prints and exits; a feature returns data and diagnostics and the command shows them. Checked
by walking every import statement of the package (also those inside functions)."""

from __future__ import annotations

import ast
from pathlib import Path

import luoshi

PACKAGE = Path(luoshi.__file__).resolve().parent
COMMAND_LAYER = ("luoshi.commands", "luoshi.cli")
# The entry points start the command layer: `python -m luoshi` and the `luoshi` script (`luoshi.launch`, which
# answers a warm run from its transcript before importing the command line).
ENTRY_POINTS = ("luoshi.__main__", "luoshi.launch")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """The absolute names of every module `path` imports, relative imports resolved."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)
    return found


def in_command_layer(name: str) -> bool:
    return any(name == layer or name.startswith(layer + ".") for layer in COMMAND_LAYER)


def test_no_feature_imports_the_command_layer():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = module_name(path)
        if in_command_layer(name) or name in ENTRY_POINTS:
            continue
        offenders += [(name, imported) for imported in sorted(imports(path)) if in_command_layer(imported)]
    assert offenders == []


def test_the_walk_sees_relative_imports():
    """The check above would pass vacuously if relative imports were misread: the command modules' own imports
    of each other are found."""
    found = imports(PACKAGE / "commands" / "comply.py")
    assert "luoshi.commands._corpus" in found and "luoshi.comply.plancache" not in found
    assert "luoshi.driver.pipeline" in imports(PACKAGE / "comply" / "plancache.py")
