"""Run the rules over a corpus, then apply the configuration and the inline suppressions."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..diagnostics import Diagnostic
from ..model import Corpus, derived
from ..syntax.source import SourceFile
from . import chain_rules, hygiene_rules, policy_rules, value_rules  # noqa: F401  (registers the rules)
from .config import LintConfig, lint_codes
from .rule import RULES
from .summary import CorpusSummary, summarize
from .suppress import apply


@dataclass
class LintResult:
    diagnostics: list[Diagnostic]
    suppressed: list[tuple[Diagnostic, str]] = field(default_factory=list)


# Derived from what each rule declares it reads (rule.py): the rules whose findings are kept per file by the
# incremental run, and those that read the whole corpus (through its summary or the registry alone).
LOCAL_RULES = frozenset(r.code for r in RULES if r.local)
CORPUS_WIDE = frozenset(r.code for r in RULES if not r.local)


def registry_corpus(corpus: Corpus) -> Corpus:
    """The corpus without its policies: the input of the rules that read the registry only (once per corpus)."""
    return derived(corpus, "registry-only", lambda c: c.model_copy(update={"policies": ()}))


def run_rules(corpus: Corpus | None, config: LintConfig, codes: frozenset[str] | None = None, *,
              summary: CorpusSummary | None = None, registry: Corpus | None = None) -> list[Diagnostic]:
    """The enabled rules' raw findings, in code order; `codes` limits them to those codes. Each rule gets the
    input it declares: the corpus, its summary (`summary`, else made from `corpus`) or the registry (`registry`,
    else the corpus without its policies). The incremental run gives `summary` and `registry` without a corpus."""
    out: list[Diagnostic] = []
    for r in sorted(RULES, key=lambda r: r.code):
        if not config.enabled(r.code) or (codes is not None and r.code not in codes):
            continue
        if r.takes == "corpus":
            out.extend(r.check(corpus))
        elif r.takes == "summary":
            out.extend(r.check(summary if summary is not None else summarize(_given(corpus, "summary"))))
        else:
            out.extend(r.check(registry if registry is not None else registry_corpus(_given(corpus, "registry"))))
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


def _given(corpus: Corpus | None, what: str) -> Corpus:
    """The corpus a rule's input is made from when the caller did not give the input itself."""
    if corpus is None:
        raise ValueError(f"run_rules: no {what} and no corpus to make it from")
    return corpus


def _order(d: Diagnostic) -> tuple[str, int, int, str, str]:
    return (*d.sort_key(), d.en)
