"""Writing values as DSL tokens, for the fragments values.py and units.py make: the writer's own rules
(unparse.py: a name bare only when the grammar's NAME terminal reads it back whole and it is no keyword), not a
copy of them. The printer reads the fragments back into AST nodes (printer.py)."""

from __future__ import annotations

from ..syntax.unparse import bare_ok, name_token, quote

__all__ = ["bare_ok", "name_token", "quote", "unit_token"]


def unit_token(name: str) -> str:
    """A unit name as a token: bare if the grammar reads it back whole, else quoted (then looked up whole)."""
    return name_token(name)
