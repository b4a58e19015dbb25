"""A small Mermaid flowchart writer: nodes get generated ids (n0, n1 …), labels go through `mermaid_label`, so
no policy text can close a label or inject a directive. The diagrams themselves are chosen in diagrams.py."""

from __future__ import annotations

from dataclasses import dataclass, field

from .escape import mermaid_label

LABEL_LIMIT = 28
# Readable in the light and the dark palette: text stays dark on the light fill; a document (not encoded) has no
# fill, so its text keeps the theme's colour.
CLASS_STYLES = {"focus": "fill:#ffcdd2,stroke:#c62828,stroke-width:2px,color:#000",
                "doc": "fill:none,stroke:#9e9e9e,stroke-dasharray:4 3"}
SHAPES = {"box": ('["', '"]'), "round": ('("', '")'), "stadium": ('(["', '"])'), "hexagon": ('{{"', '"}}')}


@dataclass
class Flowchart:
    direction: str = "TD"
    nodes: dict[str, str] = field(default_factory=dict)          # key → node id
    lines: list[str] = field(default_factory=list)
    groups: dict[str, list[str]] = field(default_factory=dict)   # subgraph title → node ids
    classes: dict[str, list[str]] = field(default_factory=dict)  # class name → node ids
    stacked: list[str] = field(default_factory=list)             # subgraph titles drawn one after the other

    def node(self, key: str, *label_lines: str, shape: str = "box", css: str | None = None,
             group: str | None = None) -> str:
        """Add a node once (later calls return its id); each label line is escaped and cut separately."""
        if key in self.nodes:
            return self.nodes[key]
        nid = f"n{len(self.nodes)}"
        self.nodes[key] = nid
        label = "<br/>".join(mermaid_label(line, LABEL_LIMIT) for line in label_lines if line)
        left, right = SHAPES[shape]
        statement = f"{nid}{left}{label}{right}"
        if group is None:
            self.lines.append(statement)
        else:
            self.groups.setdefault(group, []).append(statement)
        if css:
            self.classes.setdefault(css, []).append(nid)
        return nid

    def edge(self, source: str, target: str, label: str | None = None, *, dashed: bool = False) -> None:
        arrow = "-.->" if dashed else "-->"
        text = f'|"{mermaid_label(label, LABEL_LIMIT)}"|' if label else ""
        self.lines.append(f"{self.nodes[source]} {arrow}{text} {self.nodes[target]}")

    def stack(self, *titles: str) -> None:
        """Draw these subgraphs one after the other (invisible links), in this order, whether or not an edge
        joins them: without it Mermaid puts unlinked groups side by side and the diagram grows too wide to read."""
        self.stacked = [t for t in titles if t in self.groups]

    def __contains__(self, key: str) -> bool:
        return key in self.nodes

    def __len__(self) -> int:
        return len(self.nodes)

    def source(self) -> str:
        out = [f"flowchart {self.direction}"]
        for index, (title, statements) in enumerate(self.groups.items()):
            out.append(f'subgraph g{index}["{mermaid_label(title)}"]')
            out += ["  " + s for s in statements]
            out.append("end")
        ids = {title: f"g{index}" for index, title in enumerate(self.groups)}
        out += [f"{ids[a]} ~~~ {ids[b]}" for a, b in zip(self.stacked, self.stacked[1:])]
        out += self.lines
        out += [f"classDef {name} {style}" for name, style in CLASS_STYLES.items() if name in self.classes]
        for css, members in sorted(self.classes.items()):
            out.append(f"class {','.join(members)} {css}")
        return "\n".join(out) + "\n"
