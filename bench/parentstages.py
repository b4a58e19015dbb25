"""Where the parent process of a cold `luoshi lint -f json` spends its CPU, stage by stage.

    cd CORPUS && rm -rf .luoshi-cache && python /path/to/bench/parentstages.py [lint -f json]

Wraps the driver's stage functions with `time.process_time` (CPU of this process, its threads included: the
worker pool's result thread too), runs the command line in this process and prints, on stderr, the parent's CPU,
the CPU of the parse workers it reaped, and each wrapped function's total. The stages nest (`_resolve_all` holds
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


def wrap(owner: Any, name: str, label: str | None = None) -> None:
    """Replace `owner.name` by the same function timed into TOTALS[label or name]."""
    inner: Callable[..., Any] = getattr(owner, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return inner(*args, **kwargs)
        finally:
            TOTALS[label or name] += time.process_time() - start
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
        (engine, "run_rules", None),
        (incremental._Run, "_record", "incremental._record"), (incremental._Run, "_save", "incremental._save"),
    ]:
        wrap(owner, name, label)

    def no_exit(code: int) -> None:
        raise SystemExit(code)

    cli._exit = no_exit
    sys.argv = ["luoshi", *(sys.argv[1:] or ["lint", "-f", "json"])]
    start = time.process_time()
    try:
        cli.main()
    except SystemExit:
        pass
    parent = time.process_time() - start
    reaped = os.times()
    print(f"parent CPU {parent:.2f} s, parse workers {reaped.children_user + reaped.children_system:.2f} s",
          file=sys.stderr)
    for label, seconds in TOTALS.most_common():
        print(f"  {label:24s} {seconds:6.2f}", file=sys.stderr)


if __name__ == "__main__":
    main()
