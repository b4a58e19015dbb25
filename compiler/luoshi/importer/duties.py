"""Duties written in prose, read sentence by sentence: who leads, who is responsible, who cooperates.

Documents without （责任单位：…） clauses or a table still say who does what, in a few fixed shapes:

    由区建设管理委牵头，区发展改革委、区财政局配合…   ← lead, cooperating units
    区建设管理委会同区发展改革委、区经委等部门共同推进…   ← 会同: the one who 会同 leads (docs/encoding.md)
    区民政局牵头，各街道配合…                          ← lead first, then cooperating units
    区绿化市容局负责… · 各区要… · 各部门按职责分工负责…   ← responsible
    区政府是…的责任主体                                ← responsible

A subject counts only when every name in it is a registry unit (a sentence subject is too easily a phrase) —
except as the last resort of `named_duties`: when nothing in a measure resolves, a subject every part of which is
shaped like an organ of a tier (市、区财政部门 · 镇人民政府、街道办事处 · 区养老服务指导单位) is kept as written and
proposed for the registry, rather than replaced by the addressees. The roles follow the lead-first convention of
docs/dsl.md: 牵头 only where the text says 牵头 or 会同.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..syntax.unparse import unit_name
from .units import ROLE_WORDS, Mention, UnitResolver, split_top

# A subject: the words of a clause before the duty word, with no sentence punctuation inside (、 and 和 allowed).
_SUBJECT = r"[^，,。；;：:“”《》□]{2,200}?"
_START = r"(?:^|(?<=[，,。；;：:]))\s*"
_ETC = r"(?P<etc>等(?:有关|相关)?(?:部门|单位|委办局)?)?"
_LEAD_WITH = re.compile(_START + r"由(?P<lead>" + _SUBJECT + r")牵头(?:[，,、]?(?:会同|联合)(?P<co>" + _SUBJECT + r")" + _ETC + r")?")
_LEAD_THEN = re.compile(_START + r"(?P<lead>" + _SUBJECT + r")牵头[，,]\s*(?P<co>" + _SUBJECT + r")" + _ETC
                        + r"(?:配合|协助|参与|协同)")
_TOGETHER = re.compile(_START + r"(?P<lead>" + _SUBJECT + r")会同(?P<co>" + _SUBJECT + r")" + _ETC
                       + r"(?=共同|[，,]|开展|推进|做好|制定|研究|加强|建立|组织|落实|负责)")
# 「民政部门要加强统筹协调，会同有关部门…。卫生健康、教育等有关部门要认真履职」: the 有关部门 one unit 会同 are
# named by the item itself, so the one who 会同 leads and those named cooperate (docs/encoding.md §4).
_WITH_OTHERS = re.compile(_START + r"(?P<lead>" + _SUBJECT + r")(?:要|应|负责)[^。；;]{0,30}?会同(?:有关|相关)(?:部门|单位)")
_OTHERS_NAMED = re.compile(_START + r"(?P<co>" + _SUBJECT + r")(?P<etc>等(?:有关|相关)部门)(?:要|应|负责)")
_LEADS = re.compile(_START + r"(?P<lead>" + _SUBJECT + r")(?:牵头负责|负责牵头|牵头)(?!单位|部门)")
_HELPS = re.compile(_START + r"(?P<co>" + _SUBJECT + r")" + _ETC + r"(?:依法|积极|主动|密切)?(?:积极配合|予以配合|配合|协助)"
                    r"(?!单位|部门)")
_OWNS = re.compile(_START + r"(?P<resp>" + _SUBJECT + r")(?:是|为)[^，,。；;]{0,40}?(?:责任主体|第一责任人|主体责任|主管部门)")
_DOES = re.compile(_START + r"(?P<resp>" + _SUBJECT + r")" + _ETC
                   + r"(?:按职责分工负责|按照职责分工负责|按照各自职责|按职责|分别负责|具体负责|主要负责(?!人|同志)|负责(?!人|同志)|"
                   r"要(?![求是素点])|应当|应(?![急用对答])|须|必须)")
_BY = re.compile(r"由(?P<resp>" + _SUBJECT + r")[，,]?(?=组织|负责|统一|落实|实施|开展|进行|指导|集中|做好|提供|审核|审批|认定|"
                 r"承担|安排|发放|制定|编制|建立|核实|按照|按|根据|将|向|报)")
_LEADING_WORDS = re.compile(r"^.*?(?:同时|另外|并且|其中|此外|由|请)")  # 经费由区财政局负责: the subject follows 由


@dataclass
class Duties:
    """The units a text assigns, by role (each unit once, in the order the text names them)."""

    lead: list[Mention] = field(default_factory=list)
    responsible: list[Mention] = field(default_factory=list)
    cooperate: list[Mention] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.lead or self.responsible or self.cooperate)

    def add(self, role: str, mentions: list[Mention]) -> None:
        """Add units in a role, unless the text gave them a role already (the first reading wins)."""
        seen = {m.unit or m.written for m in self.lead + self.responsible + self.cooperate}
        target = {"lead": self.lead, "responsible": self.responsible, "cooperate": self.cooperate}[role]
        for m in mentions:
            if (m.unit or m.written) not in seen:
                target.append(m)
                seen.add(m.unit or m.written)


def known_units(subject: str, resolver: UnitResolver, named: bool = False) -> list[Mention]:
    """The units of a subject made wholly of registry names (区建设管理委 · 区民政局、区财政局 · 区教育局和区体育局);
    nothing when any part is not a known name. With `named`, a part shaped like a tier's organ (`unit_shaped`)
    counts too: proposed for the registry, but only once the whole subject is read."""
    found = _known_units(subject, resolver, named)
    for m in found:
        if m.unit is None:
            resolver.mention(m.written)  # registers the proposal (with the policy's jurisdiction)
    return found


# A name the text writes as a tier's organ: 市财政部门 · 区民政部门 · 镇人民政府 · 街道办事处 · 区养老服务指导单位 ·
# 各区人民政府 · 县政府督查室 (泾县) · 新区党群工作部 (雄安). Not 区域… / 市场主体 / 区内…: the tier word must start a
# name, not a word.
_UNIT_SHAPED = re.compile(r"^(?:各(?:级)?)?(?:新区|省|市|区|县|镇|乡|街道)(?:级)?(?![域内外场])[\u4e00-\u9fff]{0,12}?"
                          r"(?:部门|人民政府|政府|办事处|委员会|局|委|办公室|督查室|指导单位|工作单位|工作部|宣传部|组织部|统战部)$"
                          r"|^(?:居民|村民)委员会$")


# A collective of a tier's governments written by the tiers alone: 各区县 · 各乡镇 · 各镇街 · 各县（市、区）.
_TIER_COLLECTIVE = re.compile(r"^各(?:省|市|区|县|镇|乡|街道|街)+$")
# What a collective writes in brackets as the alternative the same duty falls to: 镇人民政府（街道办事处）·
# 各区县（自治县）· 各乡镇（街道）· 各县（市、区）· 村（居）民委员会.
_ALTERNATIVE = re.compile(r"^(?P<base>[^（()）]+)[（(](?P<alt>[^（()）]{1,12})[）)](?P<tail>[^（()）]*)$")
_ALTERNATIVE_TIER = re.compile(r"^(?:(?:省|市|区|县|镇|乡|街道|街|村|居|社区|自治县|县级市|开发区|园区)[、，,]?)+"
                               r"(?:人民政府|政府|办事处|委员会|居委会|村委会)?$")


def unit_shaped(name: str) -> bool:
    """A name that can only be an organ of government, registered or not (`_UNIT_SHAPED`); not two of them joined
    by 和/及/与 (区民政部门和镇人民政府 is a list, 市人力资源和社会保障部门 one name). A collective written with the
    alternative its duty falls to in brackets (镇人民政府（街道办事处）, 各区县（自治县）, 村（居）民委员会: 17's
    articles) is one name when both readings are (各区县 and 各乡镇 name the tier's governments there; bare, 「各区要…」
    is left to the registry, or the table beside the text: 16's 附件2 puts 各区政府 on those items)."""
    alternative = _ALTERNATIVE.match(name)
    if alternative:
        base, alt, tail = alternative.group("base", "alt", "tail")
        if tail:  # 村（居）民委员会: the bracket offers another word inside the name
            return unit_shaped(base + tail)
        return (unit_shaped(base) or bool(_TIER_COLLECTIVE.match(base))) and (
            unit_shaped(alt) or bool(_ALTERNATIVE_TIER.match(alt)))
    if len(name) > 16 or not _UNIT_SHAPED.match(name) or _TWO_ORGANS.search(name):
        return False
    return not any(sep in name and all(_UNIT_SHAPED.match(b) for b in name.split(sep) if b)
                   for sep in ("以及", "和", "及", "与"))


# Two organs in one subject, the first acting on the second: 区民政部门委托镇人民政府 · 区民政部门会同区财政局.
# 部门 closes a name, so one inside a name is a sentence (verbs that are also words of names — 指导单位, 协调办公室,
# 组织部, 联合会 — are not read).
_TWO_ORGANS = re.compile(r"部门.|委托|会同")


def _known_units(subject: str, resolver: UnitResolver, named: bool) -> list[Mention]:
    subject = _LEADING_WORDS.sub("", subject.strip()).strip()
    # 所在镇政府、街道办事处或区政府相关部门(单位): each of the alternatives, without 所在 and the (单位) gloss
    core = distribute_tiers(re.sub(r"等(?:有关|相关)?(?:部门|单位|委办局)?$", "", subject))
    parts = [re.sub(r"^所在地?|[（(]单位[）)]$", "", p).strip() for part in split_top(core) for p in part.split("或")]
    parts = _pair_alternatives([p for p in parts if p], resolver)
    parts = _without_generic(parts, subject, resolver)
    if not parts:
        return []
    out: list[Mention] = []
    for part in parts:
        found = _one_name(part, resolver, named)
        if found is not None:
            out.append(found)
            continue
        for sep in ("以及", "和", "及", "与"):
            # 镇人民政府和街道办事处 may be the two halves of one registry name (_pair_alternatives)
            bits = _pair_alternatives([b for b in part.split(sep) if b], resolver) if sep in part else []
            resolved = [_one_name(b, resolver, named) for b in bits]
            if resolved and all(resolved):
                out += [m for m in resolved if m is not None]
                break
        else:
            return _atoms(core, resolver, named) or (by_roles(subject, resolver) if subject.endswith("部门") else [])
    return out


_GENERIC = frozenset(("单位", "部门", "各单位", "各部门", "有关单位", "相关单位"))


def _without_generic(parts: list[str], subject: str, resolver: UnitResolver) -> list[str]:
    """A list opened by 各 distributes it over bare words: 10's 「各相关职能部门、单位、村及联席办要…」 is each
    department, each unit, each village and the office. 「单位」 there names no one (each of whatever units there
    are): it is left out when the registry does not hold it and other names remain."""
    if not subject.startswith("各") or len(parts) < 2:
        return parts
    kept = [p for p in parts if p not in _GENERIC or resolver.mention(p, propose=False) is not None]
    return kept or parts


def _atoms(core: str, resolver: UnitResolver, named: bool = False) -> list[Mention]:
    """Every name of a list cut at 、 and 和/及/与 alike (市民政部门、区民政部门和镇人民政府、街道办事处), when each
    resolves; nothing otherwise."""
    bits = _pair_alternatives([b for b in split_top(re.sub(r"以及|[和及与]", "、", core)) if b], resolver)
    bits = _without_generic(bits, core, resolver)
    found = [_one_name(b, resolver, named) for b in bits]
    return [m for m in found if m is not None] if len(found) > 1 and all(found) else []


# Tiers a list can share one name across: 市、区财政部门 is 市财政部门 and 区财政部门.
_TIERS = "(?:市|区|县|镇|乡|街道)"
_SHARED = re.compile(r"(?:^|(?<=[、，,和及与]))(?P<tiers>" + _TIERS + r"(?:、" + _TIERS + r")+)(?:两级|三级)?"
                     r"(?P<name>[^、，,和及与]{2,})")


_ROLE_WORD = "(?:" + "|".join(re.escape(w) for w, _ in ROLE_WORDS) + ")"
_SHARED_SUFFIX = re.compile(r"(?:^|(?<=[、，,和及与]))(?P<tier>" + _TIERS + r")(?P<words>" + _ROLE_WORD + r"(?:、"
                            + _ROLE_WORD + r")+)(?P<suffix>部门)(?=$|[、，,和及与])")


def distribute_tiers(subject: str) -> str:
    """`市、区民政部门` → `市民政部门、区民政部门`; `区、镇人民政府和街道办事处` → `区人民政府、镇人民政府和街道办事处`:
    a name written once after several tiers is one name per tier (the usual shape of 广州's 办法). Likewise a tier's
    role words sharing one 部门: `市人力资源和社会保障、民政部门` → `市人力资源和社会保障部门、市民政部门`."""
    tiers = _SHARED.sub(lambda m: "、".join(t + m.group("name") for t in m.group("tiers").split("、")), subject)
    return _SHARED_SUFFIX.sub(lambda m: "、".join(m.group("tier") + w + m.group("suffix")
                                                 for w in m.group("words").split("、")), tiers)


def _one_name(part: str, resolver: UnitResolver, named: bool = False) -> Mention | None:
    """One registry name as running text writes it: whole; with 各 (所在镇政府 / 镇政府 is the collective 各镇政府);
    or, for `市财政部门` in a municipal text, the unit of that role in the policy's own jurisdiction; with `named`,
    a tier's organ the registry lacks, as written (not yet proposed: `known_units` does that)."""
    found = resolver.mention(part, propose=False) or (resolver.mention("各" + part, propose=False)
                                                      if not part.startswith("各") else None)
    if found is not None:
        return found
    own = (resolver.jurisdiction or "")[-1:]
    if own and part.startswith(own) and part.endswith("部门"):
        roles = by_roles(part[len(own):], resolver)
        if len(roles) == 1:
            return roles[0]
    if named and (unit_shaped(part) or _EACH_CONCERNED.match(part)):
        return Mention(part, unit_name(part), None)
    return None


# 「各有关单位要按照任务分工表，细化工作措施」 (绛县's 保障措施): the collective a plan's closing paragraph directs —
# every unit the plan names (docs/encoding.md §4 writes it as the collective 有关单位), not an unnamed actor.
_EACH_CONCERNED = re.compile(r"^各(?:有关|相关|责任|成员)(?:部门|单位|部门和单位)$")


def _pair_alternatives(bits: list[str], resolver: UnitResolver) -> list[str]:
    """`镇人民政府`, `街道办事处` → `镇人民政府（街道办事处）` where the registry writes the two as one collective."""
    out: list[str] = []
    for bit in bits:
        if out and resolver.lookup(f"{out[-1]}（{bit}）") is not None:  # one name, not a unit with sub-units
            out[-1] = f"{out[-1]}（{bit}）"
        else:
            out.append(bit)
    return out


def _with_etc(m: re.Match[str], name: str) -> str:
    """A subject with the 等有关部门 that closed it (卫生健康、教育等有关部门 is read by roles)."""
    etc = m.groupdict().get("etc") or ""
    return (m.group(name) or "") + etc if m.group(name) else ""


def sentences(text: str) -> list[str]:
    """A text cut after 。 and ；, the units a duty is written in."""
    return [s for s in re.split(r"(?<=[。；;])", text) if s.strip()]


def prose_duties(text: str, resolver: UnitResolver, named: bool = False) -> Duties:
    """Every duty the text assigns to registry units, sentence by sentence (lead and cooperating units first,
    then responsible subjects). With `named` (`named_duties`), tier organs the registry lacks count too."""
    from .values import mask_citations

    out = Duties()
    names = _names(resolver)
    above = _units_above(resolver)
    _lead_with_named_others(mask_citations(text), resolver, out, named)
    for sentence in sentences(mask_citations(text)):
        for pattern in (_LEAD_WITH, _LEAD_THEN, _TOGETHER):
            for m in pattern.finditer(sentence):
                lead = known_units(m.group("lead"), resolver, named)
                if lead:
                    out.add("lead", lead)
                    out.add("cooperate", known_units(_with_etc(m, "co"), resolver, named))
        for m in _LEADS.finditer(sentence):
            out.add("lead", known_units(m.group("lead"), resolver, named))
        for m in _HELPS.finditer(sentence):
            out.add("cooperate", known_units(_with_etc(m, "co"), resolver, named))
        for pattern in (_OWNS, _DOES, _BY):
            for m in pattern.finditer(sentence):
                out.add("responsible", known_units(_with_etc(m, "resp"), resolver, named))
        out.add("responsible", _opening_subject(sentence, names, above))
        for clause in re.split(r"(?<=[，,])", sentence)[1:]:  # 「…，我局将进行专项检查」: a later clause opening
            found = _opening_subject(clause, names, above)  # with a name, then what it will do or by when
            if found and _ACTS.match(clause.strip()[len(_opening_name(clause, names)):]):
                out.add("responsible", found)
        out.add("responsible", _agents(sentence, names))
    if out.lead and not out.cooperate:  # 牵头 with no named partner is no designated lead (docs/encoding.md)
        out.responsible[:0], out.lead = out.lead, []
    if len(out.lead) > 1:  # 「A、B牵头，C配合」: a task has one lead, joint leads are 负责 (docs/encoding.md §1, LS219)
        out.responsible[:0], out.lead = out.lead, []
    return out


def named_duties(text: str, resolver: UnitResolver) -> Duties:
    """The duties of a measure in which no registry unit acts, read with the actors the text names as written
    (19's 「市、区财政部门负责…」 in a city the registry does not hold): an actor the text names is kept, proposed
    for the registry with the policy's jurisdiction, rather than replaced by the addressees (docs/encoding.md
    §3). Only for that last resort: while any registry unit acts, unregistered subjects stay unread."""
    return prose_duties(text, resolver, named=True)


def _lead_with_named_others(text: str, resolver: UnitResolver, out: Duties, named: bool = False) -> None:
    """「A要…会同有关部门…」 with the 有关部门 named elsewhere in the item (「B、C等有关部门要…」): A leads, B and C
    cooperate. Read before the sentence-by-sentence pass, whose 「X要」 would make them all 负责; a 会同有关部门
    naming nobody stays 负责 A (docs/encoding.md §4)."""
    lead = next((found for m in _WITH_OTHERS.finditer(text)
                 if (found := known_units(m.group("lead"), resolver, named))), [])
    if not lead:
        return
    for m in _OTHERS_NAMED.finditer(text):
        co = [c for c in known_units(_with_etc(m, "co"), resolver, named)
              if (c.unit or c.written) not in {x.unit or x.written for x in lead}]
        if co:
            out.add("lead", lead)
            out.add("cooperate", co)
            return


_ACTS = re.compile(r"^(?:将|要|应|须|负责|立即|及时|于\d|在\d)")


def _opening_name(clause: str, names: list[tuple[str, Mention]]) -> str:
    """The registry names (joined by 及/和/与/、) a clause opens with, as written."""
    text, taken = clause.strip(), ""
    while True:
        name = next((n for n, _ in names if text.startswith(n)), None)
        if name is None:
            return taken
        taken, text = taken + name, text[len(name):]
        joined = re.match(r"^(?:及|和|与|、|以及)", text)
        if not joined or not any(text[joined.end():].startswith(n) for n, _ in names):
            return taken
        taken, text = taken + joined.group(0), text[joined.end():]


def _units_above(resolver: UnitResolver) -> frozenset[str | None]:
    """The units of the jurisdictions above the policy's own (its superiors)."""
    if resolver.jurisdiction is None:
        return frozenset()
    tiers = set(resolver.registry.ancestors(resolver.jurisdiction))
    return frozenset(uid for uid, unit in resolver.registry.units.items() if unit.jurisdiction in tiers)


def _names(resolver: UnitResolver) -> list[tuple[str, Mention]]:
    """Registry names (and aliases) of the policy's jurisdiction and above, longest first, as mentions."""
    out = []
    for name, _ in resolver.names_in_scope():
        if len(name) >= 2:
            found = resolver.mention(name, propose=False)
            if found is not None:
                out.append((name, found))
    return out


_AFTER_SUBJECT = re.compile(r"^(?:[的、和及与或等，,：:（(“]|以及|之间|所属|下属|范围|辖区|内|中)")


def _opening_subject(sentence: str, names: list[tuple[str, Mention]], above: frozenset[str | None] = frozenset()) -> list[Mention]:
    """A sentence that opens with a registry name and goes on with what it does (各居委对辖区内…进行… ·
    街道各部门在…指导下开展…): that unit. Several names joined by 及/和/与/、 are one subject (10's 「各村及营商办在
    确定减量时序时，应遵循…」). Not when the name is a modifier (居委会的…, 区财政局和 a word that is no unit)."""
    text = sentence.strip()
    found: list[Mention] = []
    while True:
        hit = next(((name, mention) for name, mention in names if text.startswith(name)), None)
        if hit is None:
            return []
        found.append(hit[1])
        rest = text[len(hit[0]):]
        joined = re.match(r"^(?:及|和|与|、|以及)", rest)
        if joined and any(rest[joined.end():].startswith(name) for name, _ in names):
            text = rest[joined.end():]
            continue
        if len(found) > 1 and any(m.unit in above for m in found):
            return []  # 「市委、市政府高度重视…」 in a district's notice: its superiors, narrated, not assigned
        return [] if not rest or _AFTER_SUBJECT.match(rest) else found


_AGENT_VERB = re.compile(r"(?:纳入|作|负责|组织|统一|核|向|对|进行|开展|牵头|督促|报|协调|落实|实施|提供|审|认定|发放|安排|制定|"
                         r"编制|建立|按|根据|将|承担|做好|指导|集中|确定|招标|上报|申请|下发|通知)")


def _agents(sentence: str, names: list[tuple[str, Mention]]) -> list[Mention]:
    """Every 由 + registry name in a sentence (由联席办向区财政局申请… · 由管理办核对校准后…): the agent of what
    follows, whatever the verb — the verb list of _BY misses most of them. Not when the name only modifies what
    follows (由区财政局的…)."""
    out: list[Mention] = []
    for m in re.finditer(r"由(?!于)", sentence):
        rest = sentence[m.end():]
        for name, mention in names:
            if rest.startswith(name):
                after = rest[len(name):]
                if len(name) < 3 and not _AGENT_VERB.match(after):
                    continue  # a 2-character alias is a name only before a verb (由居委纳入…, not 由消防安全工作分管领导)
                if after and not _AFTER_SUBJECT.match(after):
                    out.append(mention)
                break
    return out


def by_roles(subject: str, resolver: UnitResolver) -> list[Mention]:
    """`卫生健康、教育、人力社保等有关部门` → the units of those roles in the policy's jurisdiction."""
    words = re.sub(r"(等有关部门|等相关部门|等部门|有关部门|相关部门|部门)$", "", subject)
    for written, _ in ROLE_WORDS:  # 人力资源和社会保障 is one role word, not two split on 和
        if "和" in written:
            words = words.replace(written, written.replace("和", ""))
    out = []
    own = (resolver.jurisdiction or "")[-1:]
    for word in re.split(r"[、，,和及]", words):
        role = _role_of(word.strip()) or (_role_of(word.strip()[1:]) if own and word.strip().startswith(own) else None)
        uid = resolver.by_role(role) if role else None
        if uid:
            unit = resolver.registry.units[uid]
            out.append(Mention(unit.name, unit_name(unit.name), uid))
    return out


def _role_of(word: str) -> str | None:
    """The role a department word names (卫生健康 → 卫生健康, 人力资源社会保障 → 人力社保), if any."""
    return next((r for w, r in ROLE_WORDS if w == word or word.startswith(w)), None) if word else None
