"""What a lint rule is: a code, what it reads, and a pure function of that input → Iterable[Diagnostic].

What a rule reads is declared with it (`@rule("LS330", reads=("mentions", "registry"))`), and the driver derives
from it how the rule is run and when it must run again after an edit (incremental.py):

- `policy` (the default): one policy at a time, with the policies it implements and the registry. Its input is
  the corpus; every finding lies in the file of the policy it is about, and the incremental run keeps findings
  per file, re-running the rule only for the files an edit can reach.
- `registry`: the jurisdictions, units and roles only. Its input is the corpus without its policies.
- `links` (each policy's kind, 落实 and task links), `places` (each policy's span), `mentions` (the units each
  policy names), with or without `registry`: a summary of the whole corpus (summary.py). The rule runs again
  when the digest of any input it reads changed.

Rules never print, never read files and never look a unit up by name: they read the frozen model only, so the
drafting engine can lint a draft corpus that was never written to disk. Every message says what was found and
then what to do about it (`finding`), so an official reading one line knows the next step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..diagnostics import Diagnostic, Related
from ..diagnostics.codes import CODES
from ..syntax.source import Span

Check = Callable[[Any], Iterable[Diagnostic]]  # Corpus for `policy` and `registry` rules, CorpusSummary otherwise
SUMMARY_INPUTS = frozenset({"links", "places", "mentions"})
INPUTS = frozenset({"policy", "registry"}) | SUMMARY_INPUTS


@dataclass(frozen=True)
class Rule:
    code: str
    check: Check
    reads: frozenset[str] = frozenset({"policy"})

    @property
    def name(self) -> str:
        return CODES[self.code].name

    @property
    def local(self) -> bool:
        """Reads one policy (and its parents, the registry): its findings can be kept per file."""
        return "policy" in self.reads

    @property
    def takes(self) -> str:
        """The input the rule is called with: "corpus", "registry" (a corpus without policies) or "summary"."""
        if self.local:
            return "corpus"
        return "summary" if self.reads & SUMMARY_INPUTS else "registry"


RULES: list[Rule] = []


def rule(code: str, reads: str | Iterable[str] = "policy") -> Callable[[Check], Check]:
    """Register a check under its code with what it reads; the registry keeps definition order (code order)."""
    inputs = frozenset([reads] if isinstance(reads, str) else reads)
    if not inputs or inputs - INPUTS or ("policy" in inputs and len(inputs) > 1):
        raise ValueError(f"rule {code}: reads={sorted(inputs)}; give 'policy', or any of {sorted(INPUTS - {'policy'})}")

    def register(check: Check) -> Check:
        RULES.append(Rule(code, check, inputs))
        return check

    return register


def finding(code: str, span: Span | None, what: tuple[str, str], todo: tuple[str, str],
            related: Iterable[Related] = ()) -> Diagnostic:
    """A diagnostic whose message is the finding followed by what to do (中文；English)."""
    return Diagnostic(
        code=code,
        zh=f"{what[0]}；{todo[0]}",
        en=f"{what[1]}; {todo[1]}",
        span=span,
        severity=CODES[code].severity,
        related=tuple(related),
    )


def related(span: Span | None, zh: str, en: str) -> list[Related]:
    return [Related(span, zh, en)] if span is not None else []
