"""`--help` that fits an 80-column terminal in Chinese, in the language asked for.

Every help text in luoshi is written 「中文 · English」. Shown as one run, rich cut the Chinese half of an option's
help with 「…」 at 80 columns (a CJK run has no spaces to wrap at, and rich's default overflow is an ellipsis),
while the English survived. Here, just before help is printed: each text is split at its ` · English` separator and
shown per LUOSHI_LANG (zh: Chinese, en: English, otherwise Chinese first and English on its own line), and rich's
help text folds a long CJK run onto the next line instead of cutting it."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from .diagnostics.lang import say

# the separator before the English half: a middle dot between spaces, followed by what English starts with
_SEPARATOR = re.compile(r"\s*·\s+(?=[A-Za-z(\[\-'\"`])")


def pick(text: str | None, lang: str) -> str | None:
    """The help text in `lang`: zh, en, or both (Chinese, then English as a paragraph of its own)."""
    if not text:
        return text
    parts = _SEPARATOR.split(text, maxsplit=1)
    if len(parts) == 1:
        return text
    return say(parts[0].rstrip(), parts[1].strip(), lang, sep="\n\n")


def localize(command: Any, lang: str) -> None:
    """Rewrite the help of a command, its parameters and its sub-commands in place (once per process). Duck-typed:
    typer builds its commands on its own copy of click (typer._click), not on the `click` package."""
    command.help = pick(command.help, lang)
    if getattr(command, "short_help", None):
        command.short_help = pick(command.short_help, lang)
    for param in command.params:
        if getattr(param, "help", None):
            param.help = pick(param.help, lang)
    for sub in getattr(command, "commands", {}).values():
        localize(sub, lang)


def fold_long_runs() -> None:
    """Make rich fold a help text's unbreakable CJK run at the column edge instead of ending it with 「…」."""
    try:
        from typer import rich_utils
    except ImportError:  # without rich, click's own formatter wraps and never cuts
        return
    make = rich_utils._make_rich_text
    if getattr(make, "_luoshi_folds", False):
        return

    def folding(*args: Any, **kwargs: Any) -> Any:
        made = make(*args, **kwargs)
        if hasattr(made, "overflow"):
            made.overflow = "fold"
        return made

    setattr(folding, "_luoshi_folds", True)  # noqa: B010 — a mark on a function object, read back with getattr
    rich_utils._make_rich_text = folding


def wants_help(args: list[str]) -> bool:
    return not args or any(a in ("--help", "-h") for a in args)


def help_language() -> str:
    lang = os.environ.get("LUOSHI_LANG", "both")
    return lang if lang in ("zh", "en") else "both"


def top_help(args: list[str]) -> bool:
    """`luoshi`, `luoshi --help`, `luoshi -h`: the command list only, for which no command module is imported."""
    return all(a in ("--help", "-h") for a in args)


def static_commands(path: Path) -> list[tuple[str, str]]:
    """The (name, help) of the commands a command module's `register` adds, read from its source with `ast`
    instead of importing it: `luoshi --help` then costs no pypinyin, networkx, openpyxl or DuckDB (bench/help_cpu.py).
    Knows the forms the modules use: `app.command("x")(function)`, `@app.command("x")` on a nested function, and
    `root.add_typer(app)` of a module-level `app = typer.Typer(name=..., help=...)`."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions = {n.name: n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    typers: dict[str, tuple[str, str]] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and getattr(node.value.func, "attr", "") == "Typer":
            kw = {k.arg: k.value.value for k in node.value.keywords
                  if isinstance(k.value, ast.Constant) and isinstance(k.value.value, str)}
            for target in node.targets:
                if isinstance(target, ast.Name) and "name" in kw:
                    typers[target.id] = (str(kw["name"]), str(kw.get("help", "")))
    register = functions.get("register")
    if register is None:
        return []
    found: list[tuple[str, str]] = []

    def command_name(call: ast.Call) -> str | None:
        if (getattr(call.func, "attr", "") == "command" and call.args and isinstance(call.args[0], ast.Constant)
                and isinstance(call.args[0].value, str)):
            return call.args[0].value
        return None

    for walked in ast.walk(register):
        if isinstance(walked, ast.Call) and isinstance(walked.func, ast.Call) and (name := command_name(walked.func)) and walked.args:
            target = walked.args[0]
            doc = ast.get_docstring(functions[target.id]) if isinstance(target, ast.Name) and target.id in functions else ""
            found.append((name, doc or ""))
        elif isinstance(walked, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in walked.decorator_list:
                if isinstance(decorator, ast.Call) and (name := command_name(decorator)):
                    found.append((name, ast.get_docstring(walked) or ""))
        elif isinstance(walked, ast.Call) and getattr(walked.func, "attr", "") == "add_typer" and walked.args:
            target = walked.args[0]
            if isinstance(target, ast.Name) and target.id in typers:
                found.append(typers[target.id])
    return found
