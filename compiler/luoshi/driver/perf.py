"""Speed at scale: parse files on every core, keep the garbage collector out of bulk work, show progress.

Measured on a 1,000-file synthetic corpus (bench/README.md): Python's cyclic collector re-scans the whole growing
AST and model again and again while they are built, which cost about half of `luoshi check`; it is paused while
the corpus is compiled (nothing built then is garbage) and, in the command-line process only, what was built is
then moved out of its sight with `gc.freeze()` so the lint rules and backends do not pay for it either.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol, TypeVar

from ..diagnostics.lang import Lang, say
from .terminal import interactive

_T = TypeVar("_T")
_R = TypeVar("_R")

PARALLEL_MIN = 64  # fewer files to parse than this: one process is faster than starting workers
PROGRESS_MIN = 200  # files; fewer finish before a bar would be worth drawing
FREEZE = False  # set by the command line (`cli.main`), never in a library or test process


@contextmanager
def gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        if FREEZE:
            gc.freeze()


def workers(jobs: int) -> int:
    """How many worker processes to parse `jobs` files with: 0 means parse in this process."""
    if jobs < PARALLEL_MIN or os.environ.get("LUOSHI_JOBS") == "1":
        return 0
    import multiprocessing  # here, not at import: an edit's run parses a file or two in-process and needs none of it

    if "fork" not in multiprocessing.get_all_start_methods():
        return 0
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    wanted = int(os.environ.get("LUOSHI_JOBS", "0") or 0) or cpus
    return wanted if wanted > 1 else 0


def parallel_map(fn: Callable[[_T], _R], items: list[_T], n_workers: int, chunk: int = 16) -> Iterator[_R]:
    """`fn` over `items` in forked workers, results in order. Fork shares the parser the parent already built."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    with context.Pool(n_workers) as pool:
        yield from pool.imap(fn, items, chunksize=chunk)


class Advance(Protocol):
    """What `progress` yields: called with the number of items done since the last call (one by default)."""

    def __call__(self, n: int = 1) -> None: ...


@contextmanager
def progress(total: int, zh: str, en: str) -> Iterator[Advance]:
    """A rich progress bar on stderr for long runs on a terminal; elsewhere (pipes, CI, tests) nothing."""
    if total < PROGRESS_MIN or not interactive(sys.stderr):
        yield lambda n=1: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    label = say(zh, en, os.environ.get("LUOSHI_LANG", Lang.both))
    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total)

        def advance(n: int = 1) -> None:
            bar.advance(task, n)
        yield advance
