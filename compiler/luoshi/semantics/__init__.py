"""Semantics: the unit registry and name lookup, resolution of the AST into the model (units, task links,
dates, targets), printed task numbers, and the questions the model answers (graph, duties)."""
