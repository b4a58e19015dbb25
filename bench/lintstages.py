"""The registry and the lint rules of a cold run, timed alone in one process (bench/README.md, "Round 9").

    python bench/lintstages.py CORPUS            # CPU s of build_registry and run_rules, three times each
    python bench/lintstages.py CORPUS --rules    # and each rule's share (in code order, each run on a fresh corpus)
    python bench/lintstages.py CORPUS --profile  # and cProfile of one more `run_rules` (top 40 by own time)

Compiles the corpus as `luoshi lint` does (`run_stages`, the collector paused), then times `build_registry` on the
declaring files' ASTs with the division tables' in-process copy dropped (`divisions.load` reads the user's cache
folder again, as a new process does), and `run_rules` on a copy of the corpus, so nothing derived from an earlier
run (the Index, the links, the counterpart pass) is reused. Set PYTHONPATH to compare two luoshi packages.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path
from typing import Any

from luoshi.diagnostics import Sink
from luoshi.driver import pipeline
from luoshi.driver.project import find_project
from luoshi.lint.config import LintConfig
from luoshi.lint.engine import run_rules
from luoshi.lint.rule import RULES
from luoshi.semantics import divisions, standard_units
from luoshi.semantics import registry as registry_module
from luoshi.syntax.astcache import AstCache


def main() -> None:
    folder = Path(sys.argv[1]).resolve()
    per_rule = "--rules" in sys.argv[2:]
    profile = "--profile" in sys.argv[2:]
    os.chdir(folder)
    gc.disable()  # as the CLI runs the stages
    project = find_project()
    files, _, _ = pipeline.gather(None, project)
    declaring: list[Any] = []
    build = registry_module.build_registry

    def keep(units: list[Any], sink: Sink, on: bool = True) -> registry_module.Registry:
        declaring[:] = [list(units), on]
        return build(units, sink, on)

    pipeline.build_registry = keep  # type: ignore[assignment]  # to see the declaring files' ASTs
    stages = pipeline.run_stages([p.resolve() for p in files], {}, AstCache(project.cache_root),
                                 project.standard_units, keep_asts=False)
    units, on = declaring

    registry_times = []
    for _ in range(3):
        divisions.load.cache_clear()
        standard_units.template.cache_clear()
        standard_units.department_roles.cache_clear()
        start = time.process_time()
        build(units, Sink(), on)
        registry_times.append(time.process_time() - start)
    rule_times = []
    for _ in range(3):
        corpus = stages.corpus.model_copy()  # a new object: nothing derived from the last run is found for it
        start = time.process_time()
        found = run_rules(corpus, LintConfig())
        rule_times.append(time.process_time() - start)
    print(f"{folder.name}: build_registry", " ".join(f"{t:.3f}" for t in registry_times),
          f"s ({len(stages.registry.units)} units); run_rules", " ".join(f"{t:.3f}" for t in rule_times),
          f"s ({len(found)} findings)")
    if per_rule:
        corpus = stages.corpus.model_copy()
        for r in sorted(RULES, key=lambda r: r.code):
            start = time.process_time()
            run_rules(corpus, LintConfig(), frozenset([r.code]))
            print(f"  {r.code} {time.process_time() - start:.3f}")
    if profile:
        import cProfile
        import pstats

        corpus = stages.corpus.model_copy()
        profiler = cProfile.Profile()
        profiler.runcall(run_rules, corpus, LintConfig())
        pstats.Stats(profiler).sort_stats("tottime").print_stats(40)


if __name__ == "__main__":
    main()
