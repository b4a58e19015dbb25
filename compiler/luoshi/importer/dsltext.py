"""Writing values as DSL tokens, for the fragments values.py still makes (deadlines, targets): the
writer's own rules (unparse.py: a name bare only when the grammar's NAME terminal reads it back whole and it is
no keyword), not a copy of them. The printer reads the fragments back into AST nodes (printer.py); units are AST
nodes from the start (`units.Mention.node`)."""

from __future__ import annotations

from ..syntax.unparse import bare_ok, name_token, quote

__all__ = ["bare_ok", "name_token", "quote"]
