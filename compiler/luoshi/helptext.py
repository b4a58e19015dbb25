"""`--help` that fits an 80-column terminal in Chinese, in the language asked for.

Every help text in luoshi is written 「中文 · English」. Shown as one run, rich cut the Chinese half of an option's
help with 「…」 at 80 columns (a CJK run has no spaces to wrap at, and rich's default overflow is an ellipsis),
while the English survived. Here, just before help is printed: each text is split at its ` · English` separator and
shown per LUOSHI_LANG (zh: Chinese, en: English, otherwise Chinese first and English on its own line), and rich's
help text folds a long CJK run onto the next line instead of cutting it."""

from __future__ import annotations

import os
import re

# the separator before the English half: a middle dot between spaces, followed by what English starts with
_SEPARATOR = re.compile(r"\s*·\s+(?=[A-Za-z(\[\-'\"`])")


def pick(text: str | None, lang: str) -> str | None:
    """The help text in `lang`: zh, en, or both (Chinese, then English as a paragraph of its own)."""
    if not text:
        return text
    parts = _SEPARATOR.split(text, maxsplit=1)
    if len(parts) == 1:
        return text
    zh, en = parts[0].rstrip(), parts[1].strip()
    if lang == "zh":
        return zh
    if lang == "en":
        return en
    return f"{zh}\n\n{en}"


def localize(command, lang: str) -> None:
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

    def folding(*args, **kwargs):
        made = make(*args, **kwargs)
        if hasattr(made, "overflow"):
            made.overflow = "fold"
        return made

    folding._luoshi_folds = True
    rich_utils._make_rich_text = folding


def wants_help(args: list[str]) -> bool:
    return not args or any(a in ("--help", "-h") for a in args)


def help_language() -> str:
    lang = os.environ.get("LUOSHI_LANG", "both")
    return lang if lang in ("zh", "en") else "both"
