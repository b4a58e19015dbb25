"""Run the rules over a corpus, then apply the configuration and the inline suppressions."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..diagnostics import Diagnostic
from ..model import Corpus
from ..source import SourceFile
from . import chain_rules, hygiene_rules, policy_rules, value_rules  # noqa: F401  (registers the rules)
from .config import LintConfig, lint_codes
from .rule import RULES
from .suppress import apply


@dataclass
class LintResult:
    diagnostics: list[Diagnostic]
    suppressed: list[tuple[Diagnostic, str]] = field(default_factory=list)


def run_rules(corpus: Corpus, config: LintConfig) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for r in sorted(RULES, key=lambda r: r.code):
        if config.enabled(r.code):
            out.extend(r.check(corpus))
    return out


def lint(corpus: Corpus, sources: dict[str, SourceFile] | None = None, config: LintConfig | None = None) -> LintResult:
    config = config or LintConfig()
    found = [config.severity_of(d) for d in run_rules(corpus, config)]
    ignored = [d for d in found if config.ignored(d)]
    found = [d for d in found if not config.ignored(d)]
    suppressed: list[tuple[Diagnostic, str]] = []
    if sources:
        quiet = {c for c in lint_codes() if not config.enabled(c)} | {d.code for d in ignored}
        found, suppressed, problems = apply(found, sources, quiet)
        found += [config.severity_of(d) for d in problems if config.enabled(d.code) and not config.ignored(d)]
    return LintResult(sorted(found, key=_order), sorted(suppressed, key=lambda p: _order(p[0])))


def lint_corpus(corpus: Corpus, sources: dict[str, SourceFile] | None = None, config: LintConfig | None = None) -> list[Diagnostic]:
    """The lint findings for a corpus, sorted by place: the API other commands (e.g. luoshi draft) call.

    `sources` (display path → SourceFile, as `Compilation.sources`) enables inline suppressions; `config`
    defaults to every rule at its default severity.
    """
    return lint(corpus, sources, config).diagnostics


def _order(d: Diagnostic) -> tuple:
    return (*d.sort_key(), d.en)
