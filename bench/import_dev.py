"""How well does `luoshi import` read real documents? Scores on the import development set.

    python bench/import_dev.py                 # every document that has a truth file: per-document and pooled table
    python bench/import_dev.py 01 02 --misses  # some documents, with what was missed and what was extra
    python bench/import_dev.py --markdown      # the table as Markdown (for bench/README.md)

The set is tests/fixtures/import/dev/: twenty real documents exactly as stored (Markdown with front matter, saved
HTML pages), and in truth/ a hand encoding of each (NN.policy, written by docs/encoding.md) with the registry of
the units they name. Every document is imported as stored, against that registry only (the truth files are not
shown to the importer); a chain child (02 and 03 → 01, 05 → 04) is imported beside the import of its parent,
so the 落实 links it proposes can be scored. Each import is then scored against its truth with
luoshi.importer.score: tasks, unit-role pairs, deadlines, targets and links, precision / recall / F1 per
document and pooled (true and false positives and misses summed over the documents).

A document the importer cannot import (it raises, or the draft does not compile) is not skipped: every fact of its
truth counts as missed, and so do the links of a child whose parent or self failed.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEV = REPO / "tests" / "fixtures" / "import" / "dev"
TRUTH = DEV / "truth"
sys.path.insert(0, str(REPO / "compiler"))

from luoshi import model  # noqa: E402
from luoshi.importer import Imported, Options, ReadError, import_path  # noqa: E402
from luoshi.importer.score import Measure, score, score_import, score_links  # noqa: E402
from luoshi.driver.pipeline import compile_paths  # noqa: E402
from luoshi.driver.project import find_project  # noqa: E402

# The measures of the table, in order: name in score.py → column heading.
COLUMNS = {"tasks": "任务 tasks", "unit_roles": "单位·角色 unit-role", "deadlines": "时限 deadlines",
           "targets": "目标 targets", "links": "落实 links"}


@dataclass
class DocScore:
    doc: str  # the two-digit number of the document
    policy: str  # the truth's policy id
    measures: dict[str, Measure]
    failure: str | None = None  # why the import failed, when it did
    details: list[str] = field(default_factory=list)

    def pooled(self) -> Measure:
        return pool([self.measures[name] for name in COLUMNS if name in self.measures])


def pool(measures) -> Measure:
    """True and false positives and misses summed: the pooled precision, recall and F1."""
    out = Measure()
    for m in measures:
        out.tp, out.fp, out.fn = out.tp + m.tp, out.fp + m.fp, out.fn + m.fn
    return out


def truth_corpus() -> model.Corpus:
    """The truth files and their registry, compiled as the fixture project they are (luoshi check runs there)."""
    return compile_paths(None, find_project(TRUTH)).corpus


def registry_corpus() -> model.Corpus:
    """Only the registry (truth/units/): what the importer may know about the documents' units."""
    return _compile({})


def _compile(drafts: dict[str, str]) -> model.Corpus:
    """The registry plus in-memory drafts (name → DSL text), resolved together."""
    from luoshi.syntax.astbuild import build_ast
    from luoshi.diagnostics import Sink
    from luoshi.syntax.parse import parse_source
    from luoshi.semantics.resolve import resolve
    from luoshi.syntax.source import SourceFile, read_source

    sink = Sink()
    sources = [read_source(p, str(p)) for p in sorted((TRUTH / "units").glob("*.units"))]
    sources += [SourceFile.of(name, text) for name, text in drafts.items()]
    asts = []
    for source in sources:
        tree = parse_source(source, sink)
        if tree is not None:
            asts.append(build_ast(tree, source.path, source.text))
    return resolve(asts, sink)


def documents() -> dict[str, Path]:
    """Document number → the fixture file as stored (NN_….txt)."""
    return {p.name[:2]: p for p in sorted(DEV.glob("[0-9][0-9]_*.txt"))}


def truths(corpus: model.Corpus) -> dict[str, model.Policy]:
    """Document number → its truth policy (truth/NN.policy)."""
    out = {}
    for p in corpus.policies:
        m = re.fullmatch(r"(\d\d)\.policy", Path(p.file).name)
        if m and p.kind is model.PolicyKind.POLICY:
            out[m.group(1)] = p
    return out


def parents(truth: dict[str, model.Policy]) -> dict[str, str]:
    """Child document number → parent document number, from the truths' own 落实 (01 ← 02, 03; 04 ← 05)."""
    number = {p.id: n for n, p in truth.items()}
    return {n: number[pid] for n, p in truth.items() for pid in p.implements if pid in number}


def _import(path: Path, corpus: model.Corpus) -> Imported:
    return import_path(path, corpus, Options(), f"tests/fixtures/import/dev/{path.name}")


def score_set(wanted: list[str] | None = None) -> list[DocScore]:
    """Import and score every document with a truth file (or the `wanted` numbers, plus their chain parents)."""
    corpus = truth_corpus()
    truth = truths(corpus)
    files = documents()
    chain = parents(truth)
    wanted = sorted(truth) if not wanted else sorted(n for n in wanted if n in truth)
    order = sorted(set(wanted) | {chain[n] for n in wanted if n in chain}, key=lambda n: (n in chain, n))
    registry = registry_corpus()
    imported: dict[str, Imported | None] = {}
    results: dict[str, DocScore] = {}
    for n in order:
        enc = truth[n]
        empty = {name: Measure(fn=m.tp) for name, m in score(enc, enc).measures.items()}
        empty["links"] = Measure(fn=_link_count(enc, truth[chain[n]]) if n in chain else 0)
        parent = imported.get(chain[n]) if n in chain else None
        context = _compile({f"<{chain[n]}>.policy": parent.policy_text}) if parent is not None else registry
        try:
            imp = _import(files[n], context)
            s = score_import(imp, enc.id, TRUTH)
        except ReadError as exc:
            imported[n] = None
            results[n] = DocScore(n, enc.id, empty, f"{exc.code}: {exc.en}")
            continue
        except Exception as exc:  # an importer crash on a real document is a failed import, scored as such
            imported[n] = None
            results[n] = DocScore(n, enc.id, empty, f"crash: {type(exc).__name__}: {exc}"[:120])
            continue
        if s is None:
            imported[n] = None
            results[n] = DocScore(n, enc.id, empty, "the draft does not compile beside the truth files")
            continue
        imported[n] = imp
        measures = {name: s.measures[name] for name in COLUMNS if name in s.measures}
        measures["links"] = empty["links"]
        if n in chain:
            measures["links"] = _links(enc, truth[chain[n]], imp, s.pairs, parent, results.get(chain[n]))
        results[n] = DocScore(n, enc.id, measures, details=_details(measures))
    return [results[n] for n in wanted]


def _link_count(child: model.Policy, parent: model.Policy) -> int:
    return sum(1 for t in child.tasks for k in t.implements if k.policy == parent.id)


def _links(child: model.Policy, parent: model.Policy, imp: Imported, pairs: dict[str, str],
           parent_imp: Imported | None, parent_score: DocScore | None) -> Measure:
    """The child's proposed 落实 links, read from the child's draft compiled beside its parent's draft."""
    if parent_imp is None or parent_score is None or parent_score.failure:
        return Measure(fn=_link_count(child, parent))
    both = _compile({"<parent>.policy": parent_imp.policy_text, "<child>.policy": imp.policy_text})
    mine = both.policy(imp.result.policy.id)
    if mine is None:
        return Measure(fn=_link_count(child, parent))
    parent_pairs = score_import(parent_imp, parent.id, TRUTH).pairs
    return score_links(child, mine, pairs, parent.id, parent_imp.result.policy.id, parent_pairs)


def _details(measures: dict[str, Measure], limit: int = 6) -> list[str]:
    lines = []
    for name, m in measures.items():
        for label, items in (("missed", m.misses), ("extra", m.extras)):
            if items:
                lines.append(f"    {label} {name}: " + "；".join(items[:limit]) + ("；…" if len(items) > limit else ""))
    return lines


def _cell(m: Measure) -> str:
    return f"{m.precision:.2f}/{m.recall:.2f}/{m.f1:.2f}" if m.compared or m.fp else "–"


def render(scores: list[DocScore], markdown: bool = False, misses: bool = False) -> str:
    """Per document P/R/F1 for each measure and all pooled, then the pooled row over the set."""
    head = ["doc", "policy", *COLUMNS.values(), "all F1", "import"]
    rows = []
    for s in scores:
        rows.append([s.doc, s.policy, *(_cell(s.measures[n]) for n in COLUMNS), f"{s.pooled().f1:.2f}",
                     s.failure or "ok"])
    pooled = {n: pool(s.measures[n] for s in scores) for n in COLUMNS}
    rows.append(["pooled", f"{len(scores)} docs", *(_cell(pooled[n]) for n in COLUMNS),
                 f"{pool(pooled.values()).f1:.2f}", f"{sum(1 for s in scores if s.failure)} failed"])
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines) + "\n"
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    out = ["  ".join(str(c).ljust(w) for c, w in zip(head, widths)).rstrip()]
    out.append("cells: precision/recall/F1 (– = nothing to compare)")
    for s, r in zip([*scores, None], rows):
        out.append("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())
        if misses and s is not None:
            out += s.details
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("docs", nargs="*", help="document numbers (01 … 20); default: all with a truth file")
    ap.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    ap.add_argument("--misses", action="store_true", help="list missed and extra facts per document")
    args = ap.parse_args(argv)
    sys.stdout.write(render(score_set([d.zfill(2) for d in args.docs] or None), args.markdown, args.misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
