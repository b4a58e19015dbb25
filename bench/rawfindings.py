"""Write `run_rules`' raw findings (repr, in order), then `lint`'s findings and suppressions, for a corpus folder:
the same file from two luoshi packages means the rules found the same, in the same order (bench/README.md,
"Round 10"). ROUNDS=3 also times `run_rules` three times.

    PYTHONPATH=DIR/compiler python bench/rawfindings.py CORPUS OUT.txt
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections import Counter
from pathlib import Path

from luoshi.driver.pipeline import compile_paths
from luoshi.driver.project import find_project
from luoshi.lint.config import LintConfig
from luoshi.lint.engine import lint, run_rules


def main() -> None:
    folder, out = Path(sys.argv[1]).resolve(), sys.argv[2]
    os.chdir(folder)
    gc.disable()
    comp = compile_paths(None, find_project())
    times = []
    for _ in range(int(os.environ.get("ROUNDS", "1"))):
        c = comp.corpus.model_copy()
        s = time.process_time()
        raw = run_rules(c, LintConfig())
        times.append(time.process_time() - s)
    res = lint(comp.corpus.model_copy(), comp.sources)
    with open(out, "w") as f:
        for d in raw:
            f.write(repr(d) + "\n")
        f.write("---\n")
        for d in res.diagnostics:
            f.write(repr(d) + "\n")
        for d, why in res.suppressed:
            f.write("S " + repr(d) + " " + why + "\n")
    print(folder.name, len(raw), "raw", dict(sorted(Counter(d.code for d in raw).items())), "run_rules", " ".join(f"{t:.3f}" for t in times), file=sys.stderr)


if __name__ == "__main__":
    main()
