"""`luoshi units [NAME]`: browse the registry — the jurisdictions tree, one jurisdiction's units, one unit's role,
aliases, members and counterparts up and down; `--search` finds units and jurisdictions by part of a name.

The registry shown is the compiled one: the project's declarations plus what luoshi derives (the jurisdictions
around them from the division data, the standard units of each level, the members of collectives)."""

from __future__ import annotations

from typing import Annotated

import typer

from ..diagnostics.lang import Lang
from ..model import Corpus, Unit
from ..semantics.registry import fold
from ..semantics.standard_units import NOTE
from ._corpus import JurisdictionOpt, LangOpt, fail, find_jurisdiction, find_unit, load_corpus, say

LIMIT = 60  # lines of a listing before it says how many more there are


def command(
    name: Annotated[str | None, typer.Argument(help="辖区或单位的名称（如 云阳县、县卫健委、璧山区/区民政局）· a jurisdiction or unit", show_default=False)] = None,
    jurisdiction: JurisdictionOpt = None,
    search: Annotated[str | None, typer.Option("--search", "-s", help="按名称片段查找单位和辖区 · find units and jurisdictions by part of a name")] = None,
    lang: LangOpt = Lang.both,
) -> None:
    """浏览单位名录：辖区树、辖区的单位、单位的角色、别名、成员和上下级对应单位；可按名称查找。
    · Browse the registry: jurisdictions, their units, a unit's role, aliases, members and counterparts."""
    corpus = load_corpus(lang)
    if search:
        lines = _search(corpus, search)
    elif name is None:
        lines = _tree(corpus)
    elif _is_jurisdiction(corpus, name) and not jurisdiction:
        lines = _jurisdiction(corpus, find_jurisdiction(corpus, name, lang))
    else:
        lines = _unit(corpus, _found(corpus, find_unit(corpus, name, lang, jurisdiction=jurisdiction)), lang)
    if not lines:
        fail(f"没有找到「{search}」", f"nothing matches '{search}'", lang)
    typer.echo("\n".join(lines))


def register(app: typer.Typer) -> None:
    app.command("units")(command)


def _is_jurisdiction(corpus: Corpus, name: str) -> bool:
    key = fold(name)
    return any(key == fold(j.id) or key in map(fold, j.aliases) for j in corpus.jurisdictions)


def _children(corpus: Corpus) -> dict[str | None, list[str]]:
    kids: dict[str | None, list[str]] = {}
    for j in corpus.jurisdictions:
        kids.setdefault(j.parent, []).append(j.id)
    return kids


def _units_of(corpus: Corpus, jid: str) -> list[Unit]:
    return [u for u in corpus.units if u.jurisdiction == jid]


def _tree(corpus: Corpus) -> list[str]:
    """The top jurisdictions and two levels below them (a county's townships are counted, not listed)."""
    kids, lines = _children(corpus), []

    def walk(jid: str, depth: int) -> None:
        below = kids.get(jid, [])
        j = next(x for x in corpus.jurisdictions if x.id == jid)
        lines.append(f"{'  ' * depth}{jid}（{j.kind or '—'}，{len(_units_of(corpus, jid))} 个单位"
                     + (f"，下辖 {len(below)}" if below else "") + "）")
        if depth < 1:
            for child in below:
                walk(child, depth + 1)

    for top in kids.get(None, []):
        walk(top, 0)
    return lines


def _jurisdiction(corpus: Corpus, jid: str) -> list[str]:
    j = next(x for x in corpus.jurisdictions if x.id == jid)
    kids = _children(corpus).get(jid, [])
    lines = [f"辖区 {jid}：{j.kind or '—'}，{j.level or '—'}" + (f"，上级 {j.parent}" if j.parent else ""),
             f"  jurisdiction {jid}: kind {j.kind or '-'}, level {j.level or '-'}" + (f", parent {j.parent}" if j.parent else "")]
    if j.aliases:
        lines.append("  别名 aliases：" + "、".join(j.aliases))
    if kids:
        shown = kids[:LIMIT]
        lines.append(f"  下辖 {len(kids)} · below it: " + "、".join(shown) + ("……" if len(kids) > LIMIT else ""))
    lines.append("  单位 units：")
    for u in _units_of(corpus, jid):
        origin = "（模板）" if u.note == NOTE else ""
        members = f"，{len(u.members)} 个成员" if u.members else ""
        lines.append(f"    {u.name}　角色 {u.role or '—'}{members}{origin}")
    return lines


def _unit(corpus: Corpus, unit: Unit, lang: str) -> list[str]:
    lines = [f"单位 {unit.id}：{ {'unit': '单位', 'group': '群组', 'collective': '集体'}[unit.kind.value] }，角色 {unit.role or '—'}",
             f"  unit {unit.id}: {unit.kind.value}, role {unit.role or '-'}"]
    if unit.aliases:
        lines.append("  别名 aliases：" + "、".join(unit.aliases))
    if unit.part_of:
        lines.append(f"  隶属 part of：{unit.part_of}")
    if unit.note:
        lines.append(f"  备注 note：{unit.note}")
    if unit.members:
        shown = list(unit.members[:LIMIT])
        lines.append(f"  成员 {len(unit.members)} 个 · {len(unit.members)} members：" + "、".join(shown)
                     + ("……" if len(unit.members) > LIMIT else ""))
    if unit.role:
        parents = {j.id: j.parent for j in corpus.jurisdictions}
        up, current = [], parents.get(unit.jurisdiction)
        while current:
            up += [u.id for u in _units_of(corpus, current) if u.role == unit.role and u.kind == unit.kind]
            current = parents.get(current)
        down = [u.id for child in _children(corpus).get(unit.jurisdiction, [])
                for u in _units_of(corpus, child) if u.role == unit.role and u.kind == unit.kind]
        if up:
            lines.append("  上级对应单位 counterparts above：" + "、".join(up))
        if down:
            lines.append(f"  下级对应单位 {len(down)} 个 · counterparts below：" + "、".join(down[:LIMIT])
                         + ("……" if len(down) > LIMIT else ""))
    return lines


def _search(corpus: Corpus, text: str) -> list[str]:
    key = fold(text)
    lines = [f"辖区 jurisdiction  {j.id}" for j in corpus.jurisdictions
             if key in fold(j.id) or any(key in fold(a) for a in j.aliases)]
    lines += [f"单位 unit  {u.id}（{u.role or '—'}）" for u in corpus.units
              if key in fold(u.name) or any(key in fold(a) for a in u.aliases)]
    if len(lines) > LIMIT:
        lines = lines[:LIMIT] + [say(f"……另有 {len(lines) - LIMIT} 项，请给出更长的名称", f"… {len(lines) - LIMIT} more; give a longer name", "both")]
    return lines


def _found(corpus: Corpus, unit_id: str) -> Unit:
    """The unit `find_unit` returned the id of (it fails, printing why, when there is none)."""
    unit = corpus.unit(unit_id)
    assert unit is not None, "find_unit returns the id of a unit of the corpus"
    return unit
