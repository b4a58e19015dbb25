"""How well does `luoshi import` read the five seed documents? Pooled F1 against their encodings in policies/.

    python bench/import_seeds.py            # the table: per seed and pooled
    python bench/import_seeds.py --misses   # with what was missed and what was extra, per seed and measure

Each seed text (tests/fixtures/seeds/) is imported against the project's corpus and scored with
luoshi.importer.score against its hand encoding: tasks, unit-role pairs, deadlines and targets, precision / recall
/ F1 per seed and pooled (true and false positives and misses summed). This is the "five seeds" figure that
bench/README.md quotes beside the development set's table (links are not scored: no seed is imported beside its
parent here). A second table scores the two State Council documents (tests/fixtures/corpus/, plain text) against
their reviewed encodings policies/gf-2018-39 and gf-2018-42 the same way: texts from another level of government
the importer was not developed on, pooled on their own so the seeds' figure stays comparable.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "compiler"))
sys.path.insert(0, str(REPO / "tests"))

from seedtexts import SEED_OF_POLICY, SEEDS  # noqa: E402

from luoshi import model  # noqa: E402
from luoshi.driver.pipeline import compile_paths  # noqa: E402
from luoshi.driver.project import Project  # noqa: E402
from luoshi.importer import import_path  # noqa: E402
from luoshi.importer.score import Measure, score_import  # noqa: E402

MEASURES = ("tasks", "unit_roles", "deadlines", "targets")


def _add(total: Measure, m: Measure) -> None:
    total.tp, total.fp, total.fn = total.tp + m.tp, total.fp + m.fp, total.fn + m.fn


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--misses", action="store_true", help="list missed and extra facts per seed")
    args = ap.parse_args()
    corpus = compile_paths(None, Project(REPO, REPO / "policies", REPO / "build")).corpus
    _table("seed", {pid: SEEDS / SEED_OF_POLICY[pid] for pid in sorted(SEED_OF_POLICY)}, corpus, args.misses)
    print()
    _table("national", {pid: NATIONAL / name for pid, name in sorted(NATIONAL_TEXTS.items())}, corpus, args.misses)


NATIONAL = REPO / "tests" / "fixtures" / "corpus"
NATIONAL_TEXTS = {"gf-2018-39": "02_guowuyuan-cujin-jiuye-guofa-2018-39.plain.txt",
                  "gf-2018-42": "03_guowuyuan-nongye-jixiehua-guofa-2018-42.plain.txt"}


def _table(label: str, texts: dict[str, Path], corpus: model.Corpus, misses: bool) -> None:
    """One table: per document and pooled, each text imported and scored against its encoding in policies/."""
    pooled = Measure()
    by_measure = {name: Measure() for name in MEASURES}
    print(f"{label:<18} " + " ".join(f"{name:>10}" for name in MEASURES) + "        F1")
    for pid, path in texts.items():
        measures = score_import(import_path(path, corpus), pid, REPO / "policies").measures
        mine = Measure()
        for name in MEASURES:
            _add(mine, measures[name])
            _add(by_measure[name], measures[name])
        _add(pooled, mine)
        print(f"{pid:<18} " + " ".join(f"{measures[name].f1:>10.2f}" for name in MEASURES) + f"  {mine.f1:>8.3f}")
        for name in MEASURES if misses else ():
            for kind, items in (("missed", measures[name].misses), ("extra", measures[name].extras)):
                if items:
                    print(f"    {kind} {name}: " + "；".join(items))
    print(f"{'pooled':<18} " + " ".join(f"{by_measure[name].f1:>10.2f}" for name in MEASURES) + f"  {pooled.f1:>8.3f}")


if __name__ == "__main__":
    main()
