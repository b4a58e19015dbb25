"""How well does `luoshi import` propose 落实 links? Scores the links alone, on two sets of chains.

    python bench/import_links.py            # both sets: per chain and pooled tp/fp/fn, P/R/F1, then each miss and extra
    python bench/import_links.py --dev      # only the development chains

- dev: the development set's chains (02, 03 → 01; 05 → 04), each child imported beside the import of its parent, as
  bench/import_dev.py does (its link column is the same figure);
- seeds: the seed chains of policies/ (云阳 22号 and 大足 26号 → 渝府办发〔2018〕161号), which links.py was not
  developed on: each seed text (tests/fixtures/seeds) is imported into a copy of policies/ without its own encoding,
  so it links to the encoded parent, and its links are compared with the hand encoding's through
  luoshi.importer.score.score_links (the child's items paired with the encoding's by text).

Also counted: how many proposed links carry a 待定 (unsure) and how many of the sure and unsure ones are right.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "compiler"))
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(HERE))

import import_dev  # noqa: E402
from seedtexts import SEED_OF_POLICY, SEEDS  # noqa: E402

from luoshi import model  # noqa: E402
from luoshi.driver.pipeline import compile_paths  # noqa: E402
from luoshi.driver.project import Project  # noqa: E402
from luoshi.importer import Imported, import_path  # noqa: E402
from luoshi.importer.score import Measure, score_import, score_links  # noqa: E402

SEED_CHILDREN = ("yyfbf-2019-22", "dzmf-2019-26")


@dataclass
class Chain:
    name: str
    links: Measure
    sure: tuple[int, int]  # (right, wrong) among the links without a 待定
    unsure: tuple[int, int]  # (right, wrong) among the links with one


def _sureness(imp: Imported, right: set[tuple[str, str]]) -> tuple[tuple[int, int], tuple[int, int]]:
    """(right, wrong) of the sure and of the unsure links of the draft; `right` holds (item id, "policy:task")."""
    counts = {True: [0, 0], False: [0, 0]}
    for item in imp.result.policy.items():
        for link in item.implements:
            unsure = any(t.startswith(f"落实 {link} ") for t in item.todos)
            counts[unsure][0 if (item.id, link) in right else 1] += 1
    return (counts[False][0], counts[False][1]), (counts[True][0], counts[True][1])


def dev_chains() -> list[Chain]:
    corpus = import_dev.truth_corpus()
    truth = import_dev.truths(corpus)
    files = import_dev.documents()
    registry = import_dev.registry_corpus()
    out = []
    for child, parent in sorted(import_dev.parents(truth).items()):
        up = import_dev._import(files[parent], registry)
        context = import_dev._compile({f"<{parent}>.policy": up.policy_text})
        imp = import_dev._import(files[child], context)
        mine, theirs = truth[child], truth[parent]
        pairs = score_import(imp, mine.id, import_dev.TRUTH)
        parent_pairs = score_import(up, theirs.id, import_dev.TRUTH)
        if pairs is None or parent_pairs is None:
            raise SystemExit(f"{child} or {parent} does not compile beside the truth files")
        both = import_dev._compile({"<parent>.policy": up.policy_text, "<child>.policy": imp.policy_text})
        drafted = both.policy(imp.result.policy.id)
        assert drafted is not None
        links = score_links(mine, drafted, pairs.pairs, theirs.id, up.result.policy.id, parent_pairs.pairs)
        to_draft = {v: k for k, v in parent_pairs.pairs.items()}
        back = {v: k for k, v in pairs.pairs.items()}
        encoded = {(t.id, k.task) for t in mine.tasks for k in t.implements if k.policy == theirs.id}
        right = {(it.id, link) for it in imp.result.policy.items() for link in it.implements
                 if (back.get(it.id), to_draft.get(link.split(":", 1)[1])) in encoded}
        out.append(Chain(f"{child} → {parent}", links, *_sureness(imp, right)))
    return out


def seed_chains() -> list[Chain]:
    root = REPO / "policies"
    full = compile_paths(None, Project(REPO, root, REPO / "build")).corpus
    out = []
    for pid in SEED_CHILDREN:
        hand = full.policy(pid)
        assert hand is not None
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "policies"
            skip = Path(hand.file).name
            shutil.copytree(root, folder, ignore=lambda d, names: [n for n in names if n == skip])
            corpus = compile_paths(None, Project(Path(tmp), folder, Path(tmp) / "build")).corpus
            imp = import_path(SEEDS / SEED_OF_POLICY[pid], corpus)
        scored = score_import(imp, pid, root)
        if scored is None:
            raise SystemExit(f"the import of {pid} does not compile beside policies/")
        drafted = _compiled_draft(imp, root)
        back = {v: k for k, v in scored.pairs.items()}
        for parent in sorted({k.policy for t in hand.tasks for k in t.implements}):
            up = full.policy(parent)
            assert up is not None
            links = score_links(hand, drafted, scored.pairs, parent, parent, {t.id: t.id for t in up.tasks})
            encoded = {(t.id, f"{k.policy}:{k.task}") for t in hand.tasks for k in t.implements}
            right = {(it.id, link) for it in imp.result.policy.items() for link in it.implements
                     if (back.get(it.id), link) in encoded}
            out.append(Chain(f"{pid} → {parent}", links, *_sureness(imp, right)))
    return out


def _compiled_draft(imp: Imported, root: Path) -> model.Policy:
    """The draft resolved beside policies/ under score.py's prefixed id (so it does not clash with the encoding)."""
    from luoshi.importer.score import IMPORT_PREFIX, compile_beside

    found = compile_beside(imp, root).policy(IMPORT_PREFIX + imp.result.policy.id)
    assert found is not None
    return found


def render(title: str, chains: list[Chain]) -> str:
    lines = [title, f"  {'chain':<34}{'tp':>4}{'fp':>4}{'fn':>4}{'P':>7}{'R':>7}{'F1':>7}   sure ok/wrong   unsure ok/wrong"]
    total = Measure()
    for c in chains:
        m = c.links
        total.tp, total.fp, total.fn = total.tp + m.tp, total.fp + m.fp, total.fn + m.fn
        lines.append(f"  {c.name:<34}{m.tp:>4}{m.fp:>4}{m.fn:>4}{m.precision:>7.2f}{m.recall:>7.2f}{m.f1:>7.2f}"
                     f"   {c.sure[0]:>4}/{c.sure[1]:<10}{c.unsure[0]:>4}/{c.unsure[1]}")
    lines.append(f"  {'pooled':<34}{total.tp:>4}{total.fp:>4}{total.fn:>4}{total.precision:>7.2f}"
                 f"{total.recall:>7.2f}{total.f1:>7.2f}")
    for c in chains:
        if c.links.misses:
            lines.append(f"  missed {c.name}: " + "；".join(c.links.misses))
        if c.links.extras:
            lines.append(f"  extra  {c.name}: " + "；".join(c.links.extras))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--dev", action="store_true", help="only the development chains")
    args = ap.parse_args(argv)
    sys.stdout.write(render("development chains (tests/fixtures/import/dev)", dev_chains()))
    if not args.dev:
        sys.stdout.write(render("seed chains (policies/, not developed on)", seed_chains()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
