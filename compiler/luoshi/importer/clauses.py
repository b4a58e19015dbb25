"""The responsibility clause that closes a measure, in its local and national forms.

- `（责任单位：市民政局、市教委。排在第一位的为牵头单位，下同）` — the Chongqing form;
- `（牵头单位：A；配合单位：B、C）` — roles named outright;
- `（人力资源社会保障部、财政部负责。列第一位者为牵头单位，下同）` — the State Council's form, with variants
  `（A、B等负责）` (an open list), `（A等有关部门和单位按职责分工负责）`, `（A、B，各省级人民政府按职责分工负责）`
  (a second, co-responsible group after the comma) and `（A、B牵头负责）` (joint leads);
- `（A牵头，B、C配合；持续推进）` · `（A、B牵头，C按职责分工负责）` — each group closed by the word giving its role, a
  time after the last ；/， the measure's 时限 (工作要点 of 陕西, 山西 …);
- `牵头单位:A` / `责任单位:B` / `完成时限:C` on lines of their own after the measure (辽宁, 浙江 分解方案), and
  `（除标注“分别牵头”外，列第一位为牵头或汇总单位，下同）` inside the first list of them.

`排在第一位的为牵头单位` / `列第一位者为牵头单位` (with 下同) declares the lead-first convention for the rest of the
document: the first unit leads, the others cooperate. Without it, one unit leads alone and several units share
the responsibility (负责) — the convention of a 责任分工 table's 责任单位 column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LEAD_FIRST = re.compile(r"[。；;，,]?\s*(?:除标注[“\"]?分别牵头[”\"]?(?:的)?外[，,]?)?"
                        r"(排在第一位的为牵头单位|排在第一位的是牵头单位|列第一位者为牵头单位|排名第一的为牵头单位|"
                        r"排在首位的为牵头单位|排第一位的为牵头单位|第一个单位为牵头单位|列首位的为牵头单位|"
                        r"列第一位(?:的)?为牵头(?:或汇总)?单位)[，,]?\s*(下同)?[。]?")
KEYED = re.compile(r"(责任单位|负责单位|责任部门|牵头单位|牵头部门|配合单位|配合部门|协同单位|参与单位|协办单位|支撑单位|支撑部门|"
                   r"支持单位|推进单位|实施单位)\s*[：:]")
COOPERATING_KEYS = ("配合", "协同", "参与", "协办", "支撑", "支持")  # 11: （牵头单位：A、B，支撑单位：C）
OPEN_LIST = re.compile(r"等((?:省|市|区|县)?级?(?:有关部门和单位|有关部门|有关单位|相关部门|相关单位)|部门)?$")
# 「A、B、C等省有关部门和各地级以上市人民政府按职责分工负责」 (广东): the open list closes before a further name
OPEN_INSIDE = re.compile(r"等((?:省|市|区|县)?级?(?:有关部门和单位|有关部门|有关单位|相关部门|相关单位))(?:和|及|以及|、)(?!单位)(?=.{2})")
# a clause's own time: 「（市市场监管局牵头，市级有关部门配合；长期坚持）」, 「完成时限：2023年11月底前」
WHEN_LABEL = re.compile(r"^(完成时限|完成时间|时限要求|时间要求|时间节点|办结时限)\s*[：:]")
WHEN_WORDS = re.compile(r"^(长期坚持|持续推进|持续实施|持续开展|长期推进|常态化推进|(?:\d{4}年)?(?:\d{1,2}月)?(?:底|末|上半年|下半年)?前?"
                        r"(?:完成|基本完成|取得阶段性成效)?|每(?:年|季度|半年|月|周)(?:\d|[一二两三四])?(?:次)?)$")
# the role a group of units is given by the word that closes it (咸阳 「（市政府办公室、市审改办牵头，市级各有关部门及各县
# 市区政府按职责分工负责）」): joint leads, those who carry it out, those who help
ROLE_ENDS = (("lead", re.compile(r"(?:分别|共同)?牵头(?:负责|抓总|实施|推进)?$")),
             ("cooperate", re.compile(r"(?:分别|共同|积极|按职责分工)?(?:配合|协助|参与|协同)$")),
             ("responsible", re.compile(r"(?:按照?职责分工|按职责|分别|共同)?(?:负责|落实|实施)$")))


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
    when: str | None = None  # the time the clause gives (长期坚持 · 2023年11月底前), read as the measure's 时限


# the brackets a clause is closed in: （…）, and [ ] or 【】 where a unit inside has brackets of its own (嘉鱼
# 「[牵头单位:县发改局(粮食局);责任单位:各镇人民政府]」), and 〔〕 (四川 「〔责任单位:省市场监管局〕」)
_CLOSERS = {"）": "（", ")": "(", "]": "[", "】": "【", "〕": "〔"}


def trailing_group(text: str) -> tuple[int, int] | None:
    """The span of the balanced （…） (or […], 【…】, 〔…〕) that ends the text (a final 。 allowed)."""
    end = len(text.rstrip("。 ."))
    if end == 0 or text[end - 1] not in _CLOSERS:
        return None
    close = text[end - 1]
    opens = "（(" if close in "）)" else _CLOSERS[close]
    closes = "）)" if close in "）)" else close
    depth = 0
    for i in range(end - 1, -1, -1):
        if text[i] in closes:
            depth += 1
        elif text[i] in opens:
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
    body = re.sub(r"[（(]\s*[）)]", "", LEAD_FIRST.sub("", body)).strip().rstrip("。")  # 「市水利局(除标注…下同)」
    lead_first = lead_first or declared
    body, aside = _split_aside(body)
    body, when = _split_when(body)
    keyed = list(KEYED.finditer(body))
    if keyed and keyed[0].start() == 0:
        clause = _keyed(written, body, keyed, lead_first, declared)
    elif (roles := _role_groups(body)) is not None:
        clause = Clause(written, roles, lead_first=lead_first, declared=declared)
        clause.notes += [f"原文「{g}」：所列单位共同牵头，多于一个时记为负责" for rule, g in roles
                         if rule == "lead" and re.search(r"[、，,和及]", g)]
        clause.notes += [f"原文「{g}{m.group(0)}」在牵头单位之后：各就职责协助牵头单位，记为配合" for rule, g in roles
                         if rule == "cooperate" and (m := re.match(r"按照?职责(?:分工)?负责", body[body.find(g) + len(g):]))]
    else:
        m = re.fullmatch(r"(.+?)(牵头负责|负责|牵头)", body)
        if not m or len(m.group(1)) > 200:
            return None
        clause = _national(written, m.group(1), m.group(2), lead_first, declared)
    clause.when = when
    if aside:
        clause.notes.append(f"条款另有说明：「{aside}」")
    return clause


def _split_aside(body: str) -> tuple[str, str | None]:
    """A sentence after the unit list that names no role of its own (四川 「〔责任单位:A、B按职责分工负责。具体任务均涉及
    相关市(州)人民政府,不再做分工,下同。〕」) comes off the clause: read into the list it made 「不再做分工」 and 「下同」
    units; it is kept as the item's note instead."""
    m = re.match(r"^([^。]+)。\s*(.+)$", body)
    if m is None or KEYED.search(m.group(2)) or WHEN_LABEL.match(m.group(2)) or WHEN_WORDS.match(m.group(2).strip("。 ")):
        return body, None
    return m.group(1), m.group(2).strip().rstrip("。")


# the State Council's 分工意见 close each clause with a time and what is due by then: 「（…按职责分工负责，6月底前出台政策
#措施）」 · 「…，3月底前下达」 · 「…，年内持续推进」 · 「…，长期坚持」
WHEN_DUE = re.compile(r"^(?:(?:\d{4}年)?\d{1,2}月(?:底|末|上旬|中旬|下旬)?前|\d{4}年(?:底|末)?前|年底前|年内|今年内|上半年|下半年|"
                      r"(?:\d{4}年)?(?:上半年|下半年)前?)(?![\d、])[^、；;，,（）()]{0,12}$")


def _split_when(body: str) -> tuple[str, str | None]:
    """A time closing the clause after a ；or ，(「…配合；持续推进」, 「…负责，2022年底前完成」, 「…负责，6月底前出台政策
    措施」) comes off it."""
    m = re.search(r"[；;，,]\s*([^；;，,]+)$", body)
    if m and m.group(1).strip() and (WHEN_WORDS.match(m.group(1).strip()) or WHEN_DUE.match(m.group(1).strip())):
        return body[: m.start()].rstrip(), m.group(1).strip()
    return body, None


def _role_groups(body: str) -> list[tuple[str, str]] | None:
    """「A、B牵头，C按职责分工负责」 · 「A牵头，B配合」 · 「A牵头，B、C配合」: groups separated by ，or ；, each closed by
    the word giving its role (a group with no word of its own takes the next one's, as 「A、B，C按职责分工负责」 does).
    None unless at least two roles are named this way or a lead is (the plain national 「A、B负责」 is `_national`'s)."""
    groups = [g.strip() for g in re.split(r"[，,；;]", body) if g.strip()]
    out: list[tuple[str, str]] = []
    by_duty: set[int] = set()  # the groups closed by 按职责分工负责 (each its own part)
    pending: list[str] = []
    for group in groups:
        role = next(((name, m) for name, pattern in ROLE_ENDS if (m := pattern.search(group))), None)
        if role is None:
            pending.append(group)
            continue
        name, m = role
        units = group[: m.start()].strip()
        if not units or len(units) > 120:
            return None
        for g in pending + [units]:
            if name == "responsible" and m.group(0).startswith("按"):
                by_duty.add(len(out))
            out.append((name, g))
        pending = []
    if pending or not out or not (any(r == "lead" for r, _ in out) or len({r for r, _ in out}) > 1):
        return None
    if out[0][0] == "lead":
        # 「A、B牵头，C、D按职责分工负责」: after the leads, those who carry out their own part of the work help the
        # leads — read as 负责 they could not be told from joint leads, who are 负责 themselves (docs/encoding.md §1)
        out = [("cooperate" if i in by_duty else rule, units) for i, (rule, units) in enumerate(out)]
    first_responsible = True
    ranked: list[tuple[str, str]] = []
    for rule, units in out:  # the first group of a 负责 list is ranked as the national form ranks it
        if rule == "responsible" and first_responsible and not any(r == "lead" for r, _ in out):
            rule, first_responsible = "ranked", False
        ranked.append((rule, units))
    return ranked


def labelled_clause(paras: list[str], lead_first: bool) -> tuple[int, Clause] | None:
    """Labels on lines of their own after a measure (鞍山 「1.地区生产总值增长6%左右。」 / 「牵头单位:区发改局」 /
    「责任单位:立山经济开发区,各街道」 / 「完成时限:2023年11月底前」): (how many closing paragraphs they are, the
    clause). None when the measure's last paragraph is not such a label."""
    count = 0
    for text in reversed(paras[1:]):
        t = text.strip()
        if (KEYED.match(t) or WHEN_LABEL.match(t)) and "。" not in t.rstrip("。"):
            count += 1
        else:
            break
    if not count:
        return None
    labels = [p.strip().rstrip("。") for p in paras[len(paras) - count:]]
    when = next((WHEN_LABEL.sub("", t).strip() for t in labels if WHEN_LABEL.match(t)), None)
    units = "；".join(t for t in labels if not WHEN_LABEL.match(t))
    clause = parse_clause(units, lead_first) if units else Clause("", lead_first=lead_first)
    if clause is None:
        return None
    clause.written = "；".join(labels)
    clause.when = when or clause.when
    return count, clause


def _keyed(written: str, body: str, keyed: list[re.Match[str]], lead_first: bool, declared: bool) -> Clause:
    clause = Clause(written, lead_first=lead_first, declared=declared)
    for i, m in enumerate(keyed):
        end = keyed[i + 1].start() if i + 1 < len(keyed) else len(body)
        units = body[m.end(): end].strip().strip("；;，,。")
        key = m.group(1)
        rule = "cooperate" if key.startswith(COOPERATING_KEYS) else "lead" if key.startswith("牵头") else "ranked"
        # 「责任单位:市人力社保局、市农业农村局分别牵头」 · 「牵头单位：市教育局、市卫健委按职责分工负责」: the closing
        # word gives the role, it is not part of the last name; 分别牵头 is each leading its own part (负责)
        if rule == "ranked" and (groups := _role_groups(units)) is not None and len(groups) > 1:
            # 四川 「〔责任单位:省市场监管局牵头,省司法厅、省发展改革委配合〕」: the label holds groups each closed by its role
            clause.lists += groups
            continue
        for name, pattern in ROLE_ENDS:
            ended = pattern.search(units)
            if ended is None or ended.start() == 0:
                continue
            units = units[: ended.start()].rstrip()
            if "分别" in ended.group(0) or name == "responsible":
                rule = "responsible"
                clause.notes.append(f"原文「{units}{ended.group(0)}」：所列单位各自负责，记为负责")
            else:
                rule = name
            break
        clause.lists.append((rule, units))
    joint = [units for rule, units in clause.lists if rule == "lead" and re.search(r"[、，,]", units)]
    if joint and not clause.lead_first:
        # 嘉鱼 「[牵头单位:县发改局(粮食局)、县农业农村局;责任单位:县人社局,县统计局]」: the joint leads are 负责
        # (docs/encoding.md §1); the 责任单位 beside them help them, or the two lists could not be told apart
        for i, (rule, units) in enumerate(clause.lists):
            if rule == "ranked":
                clause.lists[i] = ("cooperate", units)
                clause.notes.append(f"牵头单位「{joint[0]}」不止一个，记为负责；责任单位「{units}」协助牵头单位，记为配合")
    return clause


def _national(written: str, units: str, verb: str, lead_first: bool, declared: bool) -> Clause:
    clause = Clause(written, lead_first=lead_first, declared=declared)
    units = re.sub(r"(按照职责分工|按职责分工|按职责|分别|共同)$", "", units.strip())
    groups = [g for g in re.split(r"[，,；;]", units) if g.strip()]
    for index, group in enumerate(groups):
        # 「住房城乡建设部、国家发展改革委按职责分工负责，各地区分别负责」: each group closed by its own 负责
        group = re.sub(r"(按照职责分工|按职责分工|按职责|分别|共同)?(?(1)(?:负责)?|负责)$", "", group.strip()) \
            if index < len(groups) - 1 else re.sub(r"(按照职责分工|按职责分工|按职责|分别|共同)$", "", group.strip())
        inside = OPEN_INSIDE.search(group)
        if inside:
            clause.notes.append(f"原文「{group[: inside.end(1)]}」以「等」结尾，所列单位之外另有单位参与")
            group = group[: inside.start()] + "、" + inside.group(1) + "、" + group[inside.end():]
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
