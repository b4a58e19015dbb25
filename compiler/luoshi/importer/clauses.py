"""The responsibility clause that closes a measure, in its local and national forms.

- `（责任单位：市民政局、市教委。排在第一位的为牵头单位，下同）` — the Chongqing form;
- `（牵头单位：A；配合单位：B、C）` — roles named outright;
- `（人力资源社会保障部、财政部负责。列第一位者为牵头单位，下同）` — the State Council's form, with variants
  `（A、B等负责）` (an open list), `（A等有关部门和单位按职责分工负责）`, `（A、B，各省级人民政府按职责分工负责）`
  (a second, co-responsible group after the comma) and `（A、B牵头负责）` (joint leads).

`排在第一位的为牵头单位` / `列第一位者为牵头单位` (with 下同) declares the lead-first convention for the rest of the
document: the first unit leads, the others cooperate. Without it, one unit leads alone and several units share
the responsibility (负责) — the convention of a 责任分工 table's 责任单位 column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LEAD_FIRST = re.compile(r"[。；;，,]?\s*(排在第一位的为牵头单位|排在第一位的是牵头单位|列第一位者为牵头单位|排名第一的为牵头单位|"
                        r"排在首位的为牵头单位|排第一位的为牵头单位|第一个单位为牵头单位|列首位的为牵头单位)[，,]?\s*(下同)?[。]?")
KEYED = re.compile(r"(责任单位|负责单位|责任部门|牵头单位|牵头部门|配合单位|配合部门|协同单位|参与单位|协办单位|支撑单位|支撑部门|"
                   r"支持单位|推进单位|实施单位)\s*[：:]")
COOPERATING_KEYS = ("配合", "协同", "参与", "协办", "支撑", "支持")  # 11: （牵头单位：A、B，支撑单位：C）
OPEN_LIST = re.compile(r"等(有关部门和单位|有关部门|有关单位|相关部门|部门)?$")


@dataclass
class Clause:
    """The unit lists of a clause (as written), each with the rule that gives its units their roles once the
    registry has split the list: `ranked` (lead-first, or one lead / several co-responsible), `lead` (one lead,
    or several co-responsible), `responsible`, `cooperate`."""

    written: str
    lists: list[tuple[str, str]] = field(default_factory=list)  # (rule, units as written)
    lead_first: bool = False  # lead-first applies to this clause (declared here or earlier)
    declared: bool = False  # this clause declares the convention
    notes: list[str] = field(default_factory=list)


def trailing_group(text: str) -> tuple[int, int] | None:
    """The span of the balanced （…） that ends the text (a final 。 allowed)."""
    end = len(text.rstrip("。 ."))
    if end == 0 or text[end - 1] not in "）)":
        return None
    depth = 0
    for i in range(end - 1, -1, -1):
        if text[i] in "）)":
            depth += 1
        elif text[i] in "（(":
            depth -= 1
            if depth == 0:
                return i, end
    return None


def split_clause(text: str, lead_first: bool) -> tuple[str, Clause | None]:
    """(the text without its clause, the clause) — or (text, None) when the text ends with no clause."""
    span = trailing_group(text)
    if span is None:
        return text, None
    start, end = span
    clause = parse_clause(text[start + 1: end - 1], lead_first)
    if clause is None:
        return text, None
    rest = text[:start].rstrip() + text[end:].strip().lstrip("。")
    return rest, clause


def parse_clause(body: str, lead_first: bool) -> Clause | None:
    """The clause's units by role, or None when the parenthesis is not a responsibility clause."""
    written = body
    declared = bool(LEAD_FIRST.search(body))
    body = LEAD_FIRST.sub("", body).strip().rstrip("。")
    lead_first = lead_first or declared
    keyed = list(KEYED.finditer(body))
    if keyed and keyed[0].start() == 0:
        return _keyed(written, body, keyed, lead_first, declared)
    m = re.fullmatch(r"(.+?)(牵头负责|负责|牵头)", body)
    if not m or len(m.group(1)) > 200:
        return None
    return _national(written, m.group(1), m.group(2), lead_first, declared)


def _keyed(written: str, body: str, keyed: list[re.Match[str]], lead_first: bool, declared: bool) -> Clause:
    clause = Clause(written, lead_first=lead_first, declared=declared)
    for i, m in enumerate(keyed):
        end = keyed[i + 1].start() if i + 1 < len(keyed) else len(body)
        units = body[m.end(): end].strip().strip("；;，,。")
        key = m.group(1)
        rule = "cooperate" if key.startswith(COOPERATING_KEYS) else "lead" if key.startswith("牵头") else "ranked"
        clause.lists.append((rule, units))
    return clause


def _national(written: str, units: str, verb: str, lead_first: bool, declared: bool) -> Clause:
    clause = Clause(written, lead_first=lead_first, declared=declared)
    units = re.sub(r"(按照职责分工|按职责分工|按职责|分别|共同)$", "", units.strip())
    groups = [g for g in re.split(r"[，,；;]", units) if g.strip()]
    for index, group in enumerate(groups):
        group = re.sub(r"(按照职责分工|按职责分工|按职责|分别|共同)$", "", group.strip())
        m = OPEN_LIST.search(group)
        if m:
            clause.notes.append(f"原文「{group}」以「等」结尾，所列单位之外另有单位参与")
            group = group[: m.start()] + ("、" + m.group(1) if m.group(1) else "")
        if verb.startswith("牵头") and index == 0:
            clause.lists.append(("lead", group))
            clause.notes.append(f"原文「{group}{verb}」：所列单位共同牵头，多于一个时记为负责")
        else:
            clause.lists.append(("ranked" if index == 0 else "responsible", group))
    return clause
