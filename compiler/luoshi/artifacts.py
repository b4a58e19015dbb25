"""What `luoshi build` writes: one explicit list of producers, each `Corpus → {relative name: bytes}`.

A new build output is one line here (and its producer in its own backend or feature); the CLI, the fuzz harness
and the benchmark all read this list, so nothing is discovered by scanning modules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .backends import checklist, graph_export, model_json, table
from .model import Corpus


def comply_suite(corpus: Corpus) -> dict[str, bytes]:
    """The generated pytest suite of compliance checks (`compliance/`), from the corpus's compiled plan."""
    # on use: DuckDB and the plan compiler are not needed to render the others
    from .comply import suite
    from .comply.checks import compile_plan

    return suite.render(compile_plan(corpus))


@dataclass(frozen=True)
class Producer:
    """One kind of build output: a short name (for timings and messages) and the function that renders it."""

    name: str
    render: Callable[[Corpus], dict[str, bytes]]


PRODUCERS: tuple[Producer, ...] = (
    Producer("model", model_json.render),
    Producer("checklists", checklist.render),
    Producer("compliance", comply_suite),
    Producer("graph", graph_export.render),
    Producer("tables", table.render),
)


def render_all(corpus: Corpus) -> dict[str, bytes]:
    """Every build output, in the order of PRODUCERS (so the manifest lists them the same way each time)."""
    out: dict[str, bytes] = {}
    for producer in PRODUCERS:
        out.update(producer.render(corpus))
    return out
