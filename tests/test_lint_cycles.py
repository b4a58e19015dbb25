"""LS319's precheck (`chain_rules._has_cycle`): the rule imports networkx and enumerates cycles only when the
implements graph has one, so the precheck must say "a cycle" exactly when networkx would find one."""

from __future__ import annotations

import random

import networkx as nx

from luoshi.lint.chain_rules import _has_cycle


def test_the_precheck_agrees_with_networkx_on_random_graphs() -> None:
    rng = random.Random(21)
    cyclic = 0
    for _ in range(400):
        n = rng.randint(1, 12)
        nodes = [f"p{i}" for i in range(n)]
        # targets may repeat, point at the node itself, or at a policy with no entry of its own (a declared one)
        edges = {v: [rng.choice([*nodes, "declared"]) for _ in range(rng.randint(0, 3))] for v in nodes}
        graph: nx.DiGraph[str] = nx.DiGraph()
        graph.add_nodes_from(edges)
        graph.add_edges_from((v, t) for v, targets in edges.items() for t in targets)
        expected = not nx.is_directed_acyclic_graph(graph)
        assert _has_cycle(edges) is expected, edges
        cyclic += expected
    assert 50 < cyclic < 350  # both answers were asked for many times


def test_a_chain_and_a_loop() -> None:
    assert not _has_cycle({"county": ["city"], "town": ["county", "city"], "city": []})
    assert _has_cycle({"county": ["city"], "city": ["county"]})
    assert _has_cycle({"self": ["self"]})
