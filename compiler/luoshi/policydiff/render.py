"""`luoshi diff` for people: the terminal (rich; colour only on a terminal, `[-删去-]{+新增+}` markers otherwise),
Markdown and HTML (jinja2 templates, every policy text escaped) — the page the docs site publishes.

`render_markdown(diff)` and `render_html(diff)` return text and write nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.text import Text

from ..backends.templating import environment
from .compare import STATUS_ZH, MeasureDiff, PolicyDiff, PolicyRef, TextDiff, UnitLine, ValueLine

CONTEXT = 12  # characters of unchanged text shown around an edit
SYMBOL = {"same": "=", "moved": "~", "changed": "~", "removed": "-", "added": "+"}
STYLE = {"same": "dim", "moved": "yellow", "changed": "yellow", "removed": "red", "added": "green"}


@dataclass(frozen=True)
class Piece:
    op: str  # equal | delete | insert | gap
    text: str


def pieces(text: TextDiff) -> list[Piece]:
    """The edits with a little unchanged text around each; long unchanged stretches shown as …."""
    out: list[Piece] = []
    last = len(text.segments) - 1
    for index, (op, before, after) in enumerate(text.segments):
        if op == "equal":
            first, final = index == 0, index == last
            if len(before) <= (CONTEXT if first or final else 2 * CONTEXT):
                out.append(Piece("equal", before))
                continue
            if not first:
                out.append(Piece("equal", before[:CONTEXT]))
            out.append(Piece("gap", "…"))
            if not final:
                out.append(Piece("equal", before[-CONTEXT:]))
            continue
        if before:
            out.append(Piece("delete", before))
        if after:
            out.append(Piece("insert", after))
    return out if any(p.op in ("delete", "insert") for p in out) else []


def summary(diff: PolicyDiff) -> dict[str, int]:
    return {status: diff.total(status) for status in ("same", "moved", "changed", "removed", "added")}


@dataclass(frozen=True)
class Shown:
    """One measure as displayed: its lines (without unchanged ones when only changes are asked for)."""

    measure: MeasureDiff
    units: list[UnitLine]
    values: list[ValueLine]
    text: list[Piece]
    percent: int | None
    localization: list[Piece] = field(default_factory=list)  # the parent as written → in local words


def shown(diff: PolicyDiff, changes_only: bool = False) -> tuple[list[Shown], list[MeasureDiff]]:
    """(measures to show, measures left out because nothing in them changed)."""
    out, unchanged = [], []
    for m in diff.measures:
        units = [u for u in m.units if not changes_only or u.status != "same"]
        values = [v for v in m.values if not changes_only or v.status != "same"]
        text = pieces(m.text) if m.text else []
        if changes_only and not units and not values and not text:
            unchanged.append(m)
            continue
        localization = pieces(m.localization) if m.localization else []
        out.append(Shown(m, units, values, text, round(m.text.similarity * 100) if m.text else None, localization))
    return out, unchanged


def _context(diff: PolicyDiff, changes_only: bool) -> dict[str, Any]:
    measures, unchanged = shown(diff, changes_only)
    return {
        "diff": diff,
        "status": STATUS_ZH,
        "counts": summary(diff),
        "similarity": None if diff.similarity is None else round(diff.similarity * 100),
        "measures": measures,
        "unchanged_items": [(str(m.child.task), m.child_title) for m in unchanged],
        "left": diff.parent.id if diff.via else "上级",
        "right": diff.child.id if diff.via else "本级",
        "unimplemented_title": _titles(diff)[0],
        "added_title": _titles(diff)[1],
    }


def _titles(diff: PolicyDiff) -> tuple[str, str]:
    """Headings of the two leftover lists: parent and child, or (siblings) one policy and the other."""
    if diff.via:
        return f"{diff.parent.id} 中无对应措施的任务", f"{diff.child.id} 中无对应措施的任务"
    return "上级任务未被落实", "本级新增（未落实上级任务）"


def render_markdown(diff: PolicyDiff, changes_only: bool = False) -> str:
    text = environment().get_template("draft/diff.md.j2").render(**_context(diff, changes_only))
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def render_html(diff: PolicyDiff, changes_only: bool = False) -> str:
    """An HTML fragment (<article>), for a page of the docs site; every text escaped."""
    return environment().get_template("draft/diff.html.j2").render(**_context(diff, changes_only))


# ── terminal ──
def render_terminal(diff: PolicyDiff, console: Console, changes_only: bool = False) -> None:
    colour = console.color_system is not None
    console.print(Text.assemble(("对照 ", "bold"), (_policy(diff.child), "bold"), " ← ", (_policy(diff.parent), "bold")))
    if diff.via:
        console.print(Text(f"两者都落实 {diff.via}，按其任务逐项对照 · both implement {diff.via}; paired through its tasks", style="dim"))
    line = "；".join(f"{STATUS_ZH[s]} {n}" for s, n in summary(diff).items())
    similar = f"；原文平均相似度 {round(diff.similarity * 100)}%" if diff.similarity is not None else ""
    console.print(Text(f"逐项对照 {len(diff.measures)} 项措施：{line}{similar}"))
    measures, unchanged = shown(diff, changes_only)
    for item in measures:
        console.print()
        _measure(item, console, colour)
    missing, extra = _titles(diff)
    lists = (("无改动 · unchanged", [(m.child.task, m.child_title) for m in unchanged]),
             (f"{missing} · tasks nothing corresponds to", diff.unimplemented),
             (f"{extra} · items that correspond to nothing", diff.added))
    for title, items in lists:
        if items:
            console.print()
            console.print(Text(title, style="bold"))
            for task_id, task_title in items:
                console.print(Text(f"  {task_id} {task_title or ''}".rstrip()))


def _policy(ref: PolicyRef) -> str:
    where = f"{ref.jurisdiction} · " if ref.jurisdiction else ""
    return f"{ref.id}（{where}{ref.number or ref.title or ''}）"


def _measure(item: Shown, console: Console, colour: bool) -> None:
    m = item.measure
    console.print(Text.assemble((f"{m.child.task} {m.child_title or ''}".rstrip(), "bold"),
                                f"  ← {m.parent} {m.parent_title or ''}".rstrip()))
    for u in item.units:
        role = f"（{u.counterpart_role}）" if u.counterpart_role else ""
        before = f"{u.parent_duty} {u.parent_unit}" if u.parent_unit else ""
        after = f"{u.child_duty} {u.child_unit}" if u.child_unit else ""
        where = f"  [{u.where}]" if u.where else ""
        arrow = " → " if before and after else ""
        console.print(Text(f"  {SYMBOL[u.status]} 单位{role} {before}{arrow}{after}{where}", style=STYLE[u.status] if colour else ""))
    for v in item.values:
        arrow = " → " if v.parent and v.child else ""
        where = f"  [{v.where}]" if v.where else ""
        console.print(Text(f"  {SYMBOL[v.status]} {v.kind} {v.parent or ''}{arrow}{v.child or ''}{where}",
                           style=STYLE[v.status] if colour else ""))
    if item.localization:
        text = Text("  换算 上级原文 → 本级表述：")
        for piece in item.localization:
            text.append_text(_piece(piece, colour))
        console.print(text)
    if item.percent is not None:
        text = Text(f"  原文 相似度 {item.percent}%" + ("：" if item.text else "，无改动"))
        for piece in item.text:
            text.append_text(_piece(piece, colour))
        console.print(text)


def _piece(piece: Piece, colour: bool) -> Text:
    if piece.op == "delete":
        return Text(piece.text, style="red strike") if colour else Text(f"[-{piece.text}-]")
    if piece.op == "insert":
        return Text(piece.text, style="green underline") if colour else Text(f"{{+{piece.text}+}}")
    return Text(piece.text, style="dim" if piece.op == "gap" else "")
