"""Where the parent process of a cold `luoshi lint -f json` spends its CPU, stage by stage.

    cd CORPUS && rm -rf .luoshi-cache && python /path/to/bench/parentstages.py [lint -f json]

Wraps the driver's stage functions with `time.process_time` (CPU of this process, its threads included: the
worker pool's result thread too) and `time.perf_counter` (wall), runs the command line in this process and prints,
on stderr, the parent's CPU and wall, the CPU of the parse workers it reaped, and each wrapped function's totals
(a function a version of luoshi does not have is left out). The stages nest (`_resolve_all` holds
`resolve_policy` and `loads`), so the rows do not add up. The command's own output goes to stdout.
No profiler: the figures are the run's own, not inflated by tracing. The CLI ends with `os._exit`
(cli._exit), so that is patched to raise SystemExit here.
"""

from __future__ import annotations

import collections
import os
import sys
import time
from collections.abc import Callable
from typing import Any

TOTALS: collections.Counter[str] = collections.Counter()
WALL: collections.Counter[str] = collections.Counter()


def wrap(owner: Any, name: str, label: str | None = None) -> None:
    """Replace `owner.name` by the same function timed into TOTALS[label or name] (CPU) and WALL (wall clock)."""
    inner: Callable[..., Any] | None = getattr(owner, name, None)
    if inner is None:
        return

    def timed(*args: Any, **kwargs: Any) -> Any:
        start, wall = time.process_time(), time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            TOTALS[label or name] += time.process_time() - start
            WALL[label or name] += time.perf_counter() - wall
    setattr(owner, name, timed)


def main() -> None:
    import luoshi.cli as cli
    from luoshi.driver import incremental, pipeline
    from luoshi.lint import engine
    from luoshi.syntax import astcache

    for owner, name, label in [
        (pipeline, "read_sources", None), (pipeline, "parse_packed", None), (pipeline, "_registry_of", None),
        (pipeline, "_resolve_all", None), (pipeline, "resolve_policy", None), (pipeline, "assemble", None),
        (pipeline, "loads", "astcache.loads"), (astcache.AstCache, "put", "AstCache.put"),
        (engine, "run_rules", None), (engine, "finish", "lint finish"), (pipeline, "run_stages", None),
        (pipeline, "_parse_into", None), (pipeline.Indexer, "finish", "Indexer.finish"),
        (incremental._Run, "_full", "incremental._full"), (incremental, "_stats", "incremental._stats"),
        (incremental._Run, "_record", "incremental._record"), (incremental._Run, "_save", "incremental._save"),
        (incremental._Run, "_save_registry", "incremental._save_registry"),
        (incremental, "_file_state", "incremental._file_state"),
    ]:
        wrap(owner, name, label)

    def no_exit(code: int) -> None:
        raise SystemExit(code)

    cli._exit = no_exit
    sys.argv = ["luoshi", *(sys.argv[1:] or ["lint", "-f", "json"])]
    start, wall = time.process_time(), time.perf_counter()
    try:
        cli.main()
    except SystemExit:
        pass
    parent, wall = time.process_time() - start, time.perf_counter() - wall
    reaped = os.times()
    print(f"parent CPU {parent:.2f} s (wall {wall:.2f} s), parse workers {reaped.children_user + reaped.children_system:.2f} s",
          file=sys.stderr)
    print(f"  {'':28s} {'CPU s':>7s} {'wall s':>7s}", file=sys.stderr)
    for label, seconds in TOTALS.most_common():
        print(f"  {label:28s} {seconds:7.2f} {WALL[label]:7.2f}", file=sys.stderr)


if __name__ == "__main__":
    main()
