"""How names are folded into lookup keys, on its own: the registry (registry.py) matches names with it, and so does
`luoshi comply` (comply/plan.py), which with a kept plan needs no registry, AST or model classes loaded."""

from __future__ import annotations

import unicodedata


def fold(name: str) -> str:
    """The lookup key of a name: NFKC-folded, without white space."""
    return "".join(unicodedata.normalize("NFKC", name).split())
