"""`luoshi lint`: consistency rules within a policy and along the implementation chain (codes LS3xx).

Use `lint_corpus(corpus, sources, config)` to lint a compiled corpus; `load_config(project)` reads
`[tool.luoshi.lint]`. The command itself is `luoshi.commands.lint`.
"""

from .config import LintConfig, load_config
from .engine import LintResult, lint, lint_corpus

__all__ = ["LintConfig", "LintResult", "lint", "lint_corpus", "load_config"]
