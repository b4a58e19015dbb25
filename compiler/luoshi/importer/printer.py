"""Draft → DSL text, through the jinja2 templates in templates/import/ (one Environment per call).

Every text crossing into the DSL goes through a filter that quotes and escapes it (`q`, `text`, `name`), and
unit lists are written from their `Mention.dsl` tokens; the printed draft is parsed back before it is returned,
so a draft that would not read as DSL is an importer bug reported as LS620, never a file written.
"""

from __future__ import annotations

import re
from collections import defaultdict

import jinja2

from . import draft
from .dsltext import long_text, name_token, quote
from .units import JurisdictionProposal, Proposal

KEYWORDS = {"section": "部分", "task": "任务", "clause": "条款", "phase": "阶段"}


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("luoshi", "templates/import"),
        autoescape=False,  # DSL, not HTML: the filters below do the escaping
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(q=quote, text=long_text, name=name_token,
                       units=lambda mentions: "、".join(m.dsl for m in mentions))
    return env


def render_policy(policy: draft.Policy, source: str) -> str:
    text = _environment().get_template("policy.policy.j2").render(p=policy, source=source, keyword=KEYWORDS)
    return re.sub(r"\n{3,}", "\n\n", text)


def render_units(proposals: list[Proposal], jurisdiction: JurisdictionProposal | None, source: str) -> str:
    """The proposed registry entries, one 辖区 block per jurisdiction (a new jurisdiction with its kind and level)."""
    by_jurisdiction: dict[str, list[dict]] = defaultdict(list)
    for p in proposals:
        note = f"luoshi import 提议，见 {source} 第 {p.first_line} 行" if p.first_line else f"luoshi import 提议（{source}）"
        if not p.role:
            note += "；角色未能推断，请补上「角色 …」"
        by_jurisdiction[p.jurisdiction].append({"kind": p.kind, "name": p.name, "role": p.role, "note": note})
    names = sorted(by_jurisdiction)
    if jurisdiction and jurisdiction.name not in names:
        names.insert(0, jurisdiction.name)
    blocks = []
    for name in names:
        new = jurisdiction is not None and jurisdiction.name == name
        blocks.append({"name": name, "new": new, "kind": jurisdiction.kind if new else None,
                       "level": jurisdiction.level if new else None, "units": by_jurisdiction.get(name, [])})
    text = _environment().get_template("units.units.j2").render(jurisdictions=blocks, source=source)
    return re.sub(r"\n{3,}", "\n\n", text)
