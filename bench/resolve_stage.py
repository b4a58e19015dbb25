"""The resolve stage alone, in one process: CPU seconds of `resolve_policy` over every policy of a corpus, and a
digest of what it made (each policy's JSON dump and repr, and its diagnostics), to compare two versions of luoshi.

    python bench/resolve_stage.py CORPUS [ROUNDS]        # e.g. the 1k corpus of bench/synth.py; 3 rounds
    LUOSHI_CHECK_TRUSTED=1 python bench/resolve_stage.py CORPUS 1   # every node also validated and compared

The files are parsed once (no cache); each round unpickles the ASTs again, builds the registry and the index, then
times the resolve stage with the collector paused, as `driver/pipeline.run_stages` pauses it (perf.gc_paused).
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
import time
from pathlib import Path


def main() -> None:
    folder, rounds = Path(sys.argv[1]).resolve(), int(sys.argv[2]) if len(sys.argv) > 2 else 3
    os.chdir(folder)
    from luoshi import model
    from luoshi.diagnostics import Sink
    from luoshi.driver.pipeline import display_path, source_files
    from luoshi.driver.project import find_project
    from luoshi.semantics.registry import build_registry
    from luoshi.semantics.resolve import index_policies, resolve_policy
    from luoshi.syntax import parse
    from luoshi.syntax.source import SourceFile

    if os.environ.get("LUOSHI_CHECK_TRUSTED") and hasattr(model, "CHECK_TRUSTED"):
        model.CHECK_TRUSTED = True
    units = []
    for path in source_files(find_project().policies):
        unit = parse.parse_ast(SourceFile.of(display_path(path), path.read_text(encoding="utf-8")), Sink())
        if unit is not None:
            units.append(unit)
    data = pickle.dumps(units)
    gc.freeze()
    for r in range(rounds):
        fresh = pickle.loads(data)
        sink = Sink()
        registry = build_registry(fresh, sink)
        policies = [p for u in fresh for p in u.policies]
        index = index_policies(policies, sink)
        gc.disable()
        start = time.process_time()
        out = []
        for p in policies:
            if index.owns(p):
                policy_sink = Sink()
                out.append((resolve_policy(p, registry, index, policy_sink), policy_sink.items))
        seconds = time.process_time() - start
        gc.enable()
        tasks = sum(len(p.tasks) for p, _ in out)
        print(f"round {r}: resolve {seconds:.3f} s CPU, {len(out)} policies, {tasks} tasks", flush=True)
    digest = hashlib.sha256()
    for p, diagnostics in out:
        digest.update(p.model_dump_json().encode() + repr(p).encode() + repr(diagnostics).encode())
    print("digest", digest.hexdigest())


if __name__ == "__main__":
    main()
