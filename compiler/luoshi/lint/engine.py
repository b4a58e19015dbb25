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


# Rules that read the whole corpus at once (the implements graph, every unit mention, every link): the incremental
# build (luoshi/incremental.py) recomputes them from per-policy summaries instead of caching them per file. Every
# other rule's findings lie in the file of the policy they are about and read only that policy, the policies it
# implements and the registry.
CORPUS_WIDE = frozenset({"LS319", "LS330", "LS331", "LS332"})


def run_rules(corpus: Corpus, config: LintConfig, codes: frozenset[str] | None = None) -> list[Diagnostic]:
    """The enabled rules' raw findings, in code order; `codes` limits them to those codes."""
    out: list[Diagnostic] = []
    for r in sorted(RULES, key=lambda r: r.code):
        if config.enabled(r.code) and (codes is None or r.code in codes):
            out.extend(r.check(corpus))
    return out


def lint(corpus: Corpus, sources: dict[str, SourceFile] | None = None, config: LintConfig | None = None) -> LintResult:
    config = config or LintConfig()
    return finish(run_rules(corpus, config), sources, config)


def finish(raw: list[Diagnostic], sources: dict[str, SourceFile] | None, config: LintConfig) -> LintResult:
    """Configuration (severity, per-file ignores), then inline suppressions, then the order of places: what `lint`
    does with the rules' raw findings. Ties keep the order of `raw`."""
    found = [config.severity_of(d) for d in raw]
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
