"""Drafting local implementation measures from a parent policy (`luoshi draft`).
(`luoshi diff` is policydiff/; a policy as an official document is backends/document.py.)

- `counterpart.py`  a parent's unit → the unit with the same role in the target jurisdiction (Unit.role)
- `localize.py`     市-level wording → 县/区-level wording, punctuation, title and preamble
- `schedule.py`     deadlines carried over, shifted by a rule (`--advance 1个月`), as AST nodes
- `plan.py`         the draft itself: sections, measures, units, links, targets and every 待定
- `printer.py`      the draft → AST → DSL text, written by `unparse` (the one writer) so it parses back
"""
