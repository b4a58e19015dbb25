"""Where a cold `luoshi lint`'s memory goes: resident size after each stage of the pipeline, in one process.

    python bench/memstages.py CORPUS              # the corpus folder of `bench/synth.py` (cold: no AST cache)
    LUOSHI_JOBS=1 python bench/memstages.py CORPUS
    MEMSTAGES_KEEP=1 python bench/memstages.py CORPUS   # every AST kept, as before (and as the language server)

Runs the stages as `driver/pipeline.run_stages` does them (read → parse → registry → index → resolve → assemble;
without MEMSTAGES_KEEP read and parse are one step, `pipeline.read_packed`, so the row has no "read" column),
then the lint rules, with the collector paused as the CLI pauses it, and prints one Markdown row: RSS (MB, from
/proc/self/statm) after each stage, the process's peak RSS, CPU seconds and live Python objects. Parse workers
are forked and gone by the time the row is taken: `bench/run.py` measures the whole process tree.
"""

from __future__ import annotations

import gc
import os
import resource
import sys
import time
from pathlib import Path


def rss_mb() -> float:
    """This process's resident size now."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2 ** 20


def main() -> None:
    folder = Path(sys.argv[1]).resolve()
    os.chdir(folder)
    from luoshi.diagnostics import Sink
    from luoshi.driver import pipeline
    from luoshi.driver.project import find_project
    from luoshi.lint.config import LintConfig
    from luoshi.lint.engine import run_rules
    from luoshi.semantics.registry import build_registry
    from luoshi.semantics.resolve import Indexer, Shared, assemble, index_policies, resolve_policy
    from luoshi.syntax.astcache import AstCache

    project = find_project()
    gc.disable()
    row: dict[str, float] = {"start": rss_mb()}
    cpu0 = time.process_time()
    files, _, _ = pipeline.gather(None, project)
    sink = Sink()
    paths = [p.resolve() for p in files]
    if os.environ.get("MEMSTAGES_KEEP"):  # the stages as `run_stages(keep_asts=True)` runs them
        sources = pipeline.read_sources(paths, sink, {})
        row["read"] = rss_mb()
        units = pipeline.parse_sources(sources, sink, AstCache(None))
        row["parse + AST"] = rss_mb()
        registry = build_registry(list(units.values()), Sink(), project.standard_units)
        row["registry"] = rss_mb()
        policies = [p for unit in units.values() for p in unit.policies]
        index = index_policies(policies, Sink())
        row["index"] = rss_mb()
        resolved = [resolve_policy(p, registry, index, Sink()) for p in policies if index.owns(p)]
    else:  # as `run_stages(keep_asts=False)`: ASTs pickled between the stages (pipeline.Packed)
        cache = AstCache(None)
        # read and parse together: each text dropped once keyed, the parse reading the file again
        sources, packed = pipeline.read_packed(paths, sink, {}, cache)
        for shown, text in packed.texts.items():  # texts kept compressed after the parse
            sources[shown] = pipeline.PackedSource(shown, text)
        packed.texts.clear()
        row["parse + AST"] = rss_mb()
        indexer, declaring = Indexer(), []
        for shown in packed:
            heads = packed.heads.pop(shown, None)
            if heads is not None and not heads.declares:  # indexed from what the parse took (pipeline.Heads)
                indexer.add(heads.policies, heads.task_ids)
                continue
            unit = packed.first_load(shown, sink, cache)
            if unit is not None:
                if unit.jurisdictions or unit.roles:
                    declaring.append(unit)
                indexer.add(unit.policies)
        index = indexer.finish(Sink())
        row["index"] = rss_mb()
        registry = build_registry(declaring, Sink(), project.standard_units)
        del declaring  # as `run_stages`: the registry's files' ASTs go once it is built
        unit = None
        row["registry"] = rss_mb()
        shared = Shared()  # as `_resolve_all`: the compile's task keys and dates, one object each
        resolved = []
        for shown in packed:
            policies = packed[shown].policies
            packed.release(shown)  # as `_resolve_all`: each file's bytes go once it is resolved
            resolved += [resolve_policy(p, registry, index, Sink(), shared) for p in policies if index.owns(p)]
    row["resolve"] = rss_mb()
    corpus = assemble(resolved, registry)
    row["assemble"] = rss_mb()
    found = run_rules(corpus, LintConfig(root=project.root))
    row["lint"] = rss_mb()
    cpu = time.process_time() - cpu0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("| " + " | ".join(row) + " | peak | CPU s | objects | findings |")
    print("| " + " | ".join(f"{v:,.0f}" for v in row.values()) + f" | {peak:,.0f} | {cpu:.2f} | "
          f"{len(gc.get_objects()):,} | {len(found):,} |")


if __name__ == "__main__":
    main()
