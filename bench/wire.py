"""The AST's serialized form and the AST cache's writes, against what they replaced (bench/README.md, "Round 10").

    cd CORPUS && python /path/to/bench/wire.py [N]

Parses the corpus's first N source files (default 300) in this process with the collector off (as the parse
workers and the full run are), then prints, per file, the CPU of: encoding (pickle as before, the wire form of
syntax/astwire.py), decoding each, their zlib level-1 sizes, and writing them as AST cache entries (a sealed file
each, as before, against rows of one `cachestore.Pack`), each the best of 5, in a temporary folder.
"""

from __future__ import annotations

import gc
import pickle
import shutil
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any


def best(fn: Callable[[], Any], times: int = 5) -> float:
    """The least CPU seconds (user + system, of this process: `time.process_time`) of `times` calls of `fn`."""
    least = float("inf")
    for _ in range(times):
        start = time.process_time()
        fn()
        least = min(least, time.process_time() - start)
    return least


def main() -> None:
    from luoshi.diagnostics import Sink
    from luoshi.driver import cachestore
    from luoshi.driver.listing import source_files
    from luoshi.syntax import astwire
    from luoshi.syntax.parse import parse_ast
    from luoshi.syntax.source import read_source

    gc.disable()
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    files = source_files(Path("policies"))[:n]
    units = [u for u in (parse_ast(read_source(f, str(f)), Sink()) for f in files) if u is not None]
    count = len(units)
    pickled = [pickle.dumps(u, pickle.HIGHEST_PROTOCOL) for u in units]
    wired = [astwire.encode(u) for u in units]
    assert [astwire.decode(w) for w in wired] == units
    ms = 1000 / count
    print(f"{count} ASTs; ms a file (CPU, best of 5)")
    print(f"  encode   pickle {best(lambda: [pickle.dumps(u, pickle.HIGHEST_PROTOCOL) for u in units]) * ms:.3f}"
          f"   wire {best(lambda: [astwire.encode(u) for u in units]) * ms:.3f}")
    print(f"  decode   pickle {best(lambda: [pickle.loads(p) for p in pickled]) * ms:.3f}"
          f"   wire {best(lambda: [astwire.decode(w) for w in wired]) * ms:.3f}")
    print(f"  zlib(1)  pickle {sum(len(zlib.compress(p, 1)) for p in pickled) / count / 1024:.2f} KB"
          f"   wire {sum(len(zlib.compress(w, 1)) for w in wired) / count / 1024:.2f} KB")
    entries = [zlib.compress(w, 1) for w in wired]
    names = [f"{i:064x}" for i in range(count)]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)

        def as_files() -> None:
            shutil.rmtree(root / cachestore.CACHE_DIR, ignore_errors=True)
            store = cachestore.Store(root, "ast", "files")
            for name, data in zip(names, entries):
                store.write(f"{name[:2]}/{name}", data)

        def as_pack() -> None:
            shutil.rmtree(root / cachestore.CACHE_DIR, ignore_errors=True)
            pack = cachestore.Pack(cachestore.Store(root, "ast", "pack"), "asts.sqlite")
            for name, data in zip(names, entries):
                pack.put(name, data)
            pack.commit()
            pack.close()

        print(f"  cache writes   a file each {best(as_files) * ms * 1000:.0f} µs"
              f"   a pack row {best(as_pack) * ms * 1000:.0f} µs")


if __name__ == "__main__":
    main()
