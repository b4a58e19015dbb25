"""The registry and resolve stages in one process: CPU seconds of `build_registry`, every `resolve_policy` and,
with a luoshi that still shares afterwards (before round 10: `driver/share.Sharer`), that pass — to compare two
versions of luoshi on the same ASTs (bench/README.md, "Round 10").

    PYTHONPATH=/path/to/other/compiler python bench/registry_resolve.py CORPUS [ROUNDS]

The files are parsed once and their ASTs kept pickled beside the corpus (`.registry-resolve.pickle`, reused while
the grammar and the AST classes are unchanged: delete it otherwise); each round builds the registry and resolves
every policy with the collector paused, as `driver/pipeline._resolve_all` runs them.
"""

from __future__ import annotations

import gc
import os
import pickle
import sys
import time
from pathlib import Path
from typing import Any


def main() -> None:
    folder, rounds = Path(sys.argv[1]).resolve(), int(sys.argv[2]) if len(sys.argv) > 2 else 1
    os.chdir(folder)
    from luoshi.diagnostics import Sink
    from luoshi.driver.pipeline import display_path, source_files
    from luoshi.driver.project import find_project
    from luoshi.semantics import resolve
    from luoshi.semantics.registry import build_registry
    from luoshi.syntax import parse
    from luoshi.syntax.source import SourceFile

    sharer: Any = None
    try:  # a luoshi from before round 10
        from luoshi.driver.share import Sharer as sharer  # type: ignore[no-redef]
    except ImportError:
        pass
    project = find_project()
    kept = folder / ".registry-resolve.pickle"
    if kept.exists():
        units = pickle.loads(kept.read_bytes())
    else:
        units = []
        for path in source_files(project.policies):
            unit = parse.parse_ast(SourceFile.of(display_path(path), path.read_text(encoding="utf-8")), Sink())
            if unit is not None:
                units.append(unit)
        kept.write_bytes(pickle.dumps(units))
    declaring = [u for u in units if u.jurisdictions or u.roles]
    policies = [p for u in units for p in u.policies]
    index = resolve.index_policies(policies, Sink())
    gc.freeze()
    gc.disable()
    clock = time.process_time
    for r in range(rounds):
        start = clock()
        registry = build_registry(declaring, Sink(), project.standard_units)
        built = clock()
        out = []
        if sharer is None:
            shared = resolve.Shared()
            out = [resolve.resolve_policy(p, registry, index, Sink(), shared) for p in policies if index.owns(p)]
            resolved = shared_at = clock()
        else:
            share = sharer()
            share.share_registry(registry.units.values(), registry.jurisdictions.values())
            out = [resolve.resolve_policy(p, registry, index, Sink()) for p in policies if index.owns(p)]
            resolved = clock()
            for m in out:
                share.share(m)
            shared_at = clock()
        print(f"round {r}: registry {built - start:.3f} resolve {resolved - built:.3f} share {shared_at - resolved:.3f} "
              f"total {shared_at - start:.3f} s CPU, {len(out)} policies", flush=True)
        del out, registry


if __name__ == "__main__":
    main()
