"""The grammar's text, on its own: the caches' salts hash it (driver/cachestore.py), and a run answered from a kept
cache (`luoshi comply` with a kept plan) then need not import lark, which parse.py does."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def grammar_text() -> str:
    """The grammar from the installed package, or from the repository's `grammar/` in a checkout."""
    try:
        return resources.files("luoshi").joinpath("grammar/luoshi.lark").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        repo = Path(__file__).resolve().parents[3] / "grammar" / "luoshi.lark"
        return repo.read_text(encoding="utf-8")
