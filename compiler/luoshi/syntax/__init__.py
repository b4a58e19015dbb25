"""Syntax: source files and spans, the lark parser, the surface AST (one dataclass per statement), the
one DSL writer (unparse) and `luoshi fmt`, the AST cache and the Pygments lexer."""
