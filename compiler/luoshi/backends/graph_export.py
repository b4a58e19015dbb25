"""Responsibility-graph exports: GraphML and node-link JSON (networkx's own writers), DOT and Mermaid.

DOT and Mermaid are written here rather than through pydot (a test-only dependency) or a Mermaid library (none
is installed): both are a few lines of text, every identifier is quoted or replaced by a positional id, and every
label is escaped, so a unit or title holding quotes, brackets, `|`, `#` or a newline cannot break the file.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import networkx as nx

from ..model import Corpus, PolicyKind
from ..semantics.graph import EdgeType, NodeType, build_graph, policy_view

FORMATS = ("graphml", "json", "dot", "mermaid")
MERMAID_MAX_EDGES = 500  # Mermaid refuses larger diagrams unless the page that renders it raises maxEdges
SUFFIX = {"graphml": "graphml", "json": "json", "dot": "dot", "mermaid": "mmd"}

_DOT_SHAPES = {
    NodeType.POLICY.value: "folder", NodeType.DOCUMENT.value: "note", NodeType.SECTION.value: "tab",
    NodeType.TASK.value: "box", NodeType.UNIT.value: "ellipse", NodeType.GROUP.value: "doubleoctagon",
    NodeType.COLLECTIVE.value: "octagon",
}
_DOT_STYLES = {
    EdgeType.LEADS.value: 'color="#b22222", penwidth=2', EdgeType.CO_RESPONSIBLE.value: 'color="#d2691e", penwidth=1.5',
    EdgeType.COOPERATES.value: 'color="#4682b4"', EdgeType.CONTAINS.value: 'color="#999999"',
    EdgeType.IMPLEMENTS.value: 'color="#2e8b57", style=dashed', EdgeType.WAIVES.value: 'color="#808080", style=dotted',
    EdgeType.MEMBER_OF.value: 'color="#6a5acd", style=dotted', EdgeType.PART_OF.value: 'color="#6a5acd", style=dotted',
    EdgeType.ISSUED_BY.value: 'color="#555555", style=dashed',
}
_MERMAID_SHAPES = {
    NodeType.POLICY.value: ('[["', '"]]'), NodeType.DOCUMENT.value: ('[/"', '"/]'), NodeType.SECTION.value: ('["', '"]'),
    NodeType.TASK.value: ('("', '")'), NodeType.UNIT.value: ('(["', '"])'), NodeType.GROUP.value: ('{{"', '"}}'),
    NodeType.COLLECTIVE.value: ('{{"', '"}}'),
}
_MERMAID_ARROWS = {
    EdgeType.LEADS.value: "==>", EdgeType.CO_RESPONSIBLE.value: "==>", EdgeType.COOPERATES.value: "-->",
    EdgeType.CONTAINS.value: "---", EdgeType.IMPLEMENTS.value: "-.->", EdgeType.WAIVES.value: "-.->",
    EdgeType.MEMBER_OF.value: "-.->", EdgeType.PART_OF.value: "-.->", EdgeType.ISSUED_BY.value: "-.->",
}


def to_graphml(g: nx.MultiDiGraph[str]) -> bytes:
    return ("\n".join(nx.generate_graphml(g, encoding="utf-8", prettyprint=True)) + "\n").encode("utf-8")


def to_json(g: nx.MultiDiGraph[str]) -> bytes:
    try:
        data = nx.node_link_data(g, edges="edges")
    except TypeError:  # networkx < 3.4 names the keyword `link`
        data = nx.node_link_data(g, link="edges")  # type: ignore[call-arg]  # the stubs know only the new keyword
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _dot_quote(text: object) -> str:
    escaped = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", "\\n")
    return f'"{escaped}"'


def to_dot(g: nx.MultiDiGraph[str]) -> bytes:
    lines = [f"digraph {_dot_quote(g.graph.get('name', 'luoshi'))} {{",
             '  graph [rankdir=LR, fontname="Noto Sans CJK SC", charset="UTF-8"];',
             '  node [fontname="Noto Sans CJK SC", fontsize=10];',
             '  edge [fontname="Noto Sans CJK SC", fontsize=9];']
    for node, data in g.nodes(data=True):
        attrs = [f"label={_dot_quote(data.get('label', node))}", f"shape={_DOT_SHAPES.get(data['type'], 'box')}"]
        attrs += [f"{k}={_dot_quote(v)}" for k, v in sorted(data.items()) if k not in ("label",)]
        lines.append(f"  {_dot_quote(node)} [{', '.join(attrs)}];")
    for u, v, data in g.edges(data=True):
        kind = data["type"]
        attrs = [f"label={_dot_quote(EdgeType(kind).zh)}", _DOT_STYLES.get(kind, "")]
        attrs += [f"{k}={_dot_quote(v_)}" for k, v_ in sorted(data.items())]
        lines.append(f"  {_dot_quote(u)} -> {_dot_quote(v)} [{', '.join(a for a in attrs if a)}];")
    lines.append("}")
    return ("\n".join(lines) + "\n").encode("utf-8")


_MERMAID_ESCAPES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "|": "#124;", "&": "#amp;",
                    "`": "#96;", "[": "#91;", "]": "#93;", "{": "#123;", "}": "#125;"}


def mermaid_text(text: object) -> str:
    """A label Mermaid shows verbatim: markup characters become entity codes, line breaks become spaces."""
    flat = " ".join(str(text).split())
    return "".join(_MERMAID_ESCAPES.get(c, c) for c in flat)


def to_mermaid(g: nx.MultiDiGraph[str]) -> bytes:
    ids = {node: f"n{i}" for i, node in enumerate(g.nodes)}
    lines = ["flowchart LR"]
    for node, data in g.nodes(data=True):
        open_, close = _MERMAID_SHAPES.get(data["type"], ('["', '"]'))
        lines.append(f"  {ids[node]}{open_}{mermaid_text(data.get('label', node))}{close}:::{data['type']}")
    for u, v, data in g.edges(data=True):
        kind = data["type"]
        arrow = _MERMAID_ARROWS.get(kind, "-->")
        label = "" if kind == EdgeType.CONTAINS.value else f"|{mermaid_text(EdgeType(kind).zh)}|"
        lines.append(f"  {ids[u]} {arrow}{label} {ids[v]}")
    lines += [
        "  classDef policy fill:#fdf6e3,stroke:#b58900",
        "  classDef document fill:#f5f5f5,stroke:#999999",
        "  classDef section fill:#ffffff,stroke:#cccccc",
        "  classDef task fill:#eef5ff,stroke:#4682b4",
        "  classDef unit fill:#fff0f0,stroke:#b22222",
        "  classDef group fill:#f3efff,stroke:#6a5acd",
        "  classDef collective fill:#f3efff,stroke:#6a5acd",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


WRITERS: dict[str, Callable[[nx.MultiDiGraph[str]], bytes]] = {
    "graphml": to_graphml, "json": to_json, "dot": to_dot, "mermaid": to_mermaid,
}


def export(g: nx.MultiDiGraph[str], fmt: str) -> bytes:
    return WRITERS[fmt](g)


def render(corpus: Corpus) -> dict[str, bytes]:
    """The whole corpus and each encoded policy, in every format: graph/corpus.graphml, graph/<policy>.mmd, …
    A view too big for Mermaid to draw gets no .mmd (the docs site draws policies, not the corpus)."""
    cg = build_graph(corpus)
    views = {"corpus": cg.graph}
    views |= {p.id: policy_view(cg, p.id) for p in corpus.policies if p.kind is PolicyKind.POLICY}
    return {f"graph/{name}.{SUFFIX[fmt]}": export(g, fmt) for name, g in views.items() for fmt in FORMATS
            if fmt != "mermaid" or g.number_of_edges() <= MERMAID_MAX_EDGES}
