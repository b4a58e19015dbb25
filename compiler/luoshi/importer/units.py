"""Units as the document writes them, resolved against the corpus's registry — or proposed as new entries.

The registry is the compiled corpus's (`corpus.units`, `corpus.jurisdictions`), looked up with the compiler's own
`Registry.lookup` (jurisdiction, then ancestors, then descendants; NFKC-folded), so a name the importer resolves
is a name `luoshi check` resolves. A list such as `县民政局、县教委` is split on 、 and ， — but only where the
registry agrees: `各乡镇、街道` is one collective, `区人力社保局（区就业人才中心、区社保中心）` one unit with
sub-units, `工业和信息化部` one ministry. A name the registry does not know becomes a `Proposal` — a draft
registry entry with the kind and counterpart role guessed from its name — never a silent guess.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from luoshi import model
from luoshi.semantics.registry import Registry, fold

from ..syntax import ast
from ..syntax.unparse import unit_name

OTHERS = "其他成员单位"
UNKNOWN_JURISDICTION = "待定辖区"

# Words in a unit's name → its counterpart role (roles declared in policies/units/*.units). Longest first.
ROLE_WORDS: tuple[tuple[str, str], ...] = (
    ("困难群众基本生活保障工作联席会议", "困难群众基本生活保障联席会议"), ("人力资源社会保障", "人力社保"),
    ("人力资源和社会保障", "人力社保"), ("住房和城乡建设", "住房城乡建设"), ("住房城乡建设", "住房城乡建设"),
    ("退役军人事务", "退役军人事务"), ("规划和自然资源", "规划自然资源"), ("规划自然资源", "规划自然资源"),
    ("自然资源", "规划自然资源"), ("卫生健康", "卫生健康"), ("医疗保障", "医保"), ("发展改革", "发展改革"),
    ("发展和改革", "发展改革"), ("人力社保", "人力社保"), ("乡村振兴", "扶贫"), ("残疾人联合会", "残联"),
    ("应急管理", "应急"), ("城市管理", "城市管理"), ("红十字会", "红十字会"), ("妇女联合会", "妇联"),
    ("政法委", "政法委"), ("网信办", "网信办"), ("宣传部", "宣传部"), ("共青团", "团委"), ("团委", "团委"),
    ("人社", "人力社保"), ("民政", "民政"), ("财政", "财政"), ("教育", "教育"), ("教委", "教育"), ("卫健", "卫生健康"),
    ("医保", "医保"), ("残联", "残联"), ("应急", "应急"), ("城管", "城市管理"), ("水利", "水利"), ("气象", "气象"),
    ("住建", "住房城乡建设"), ("住房保障", "住房城乡建设"), ("扶贫", "扶贫"), ("发改", "发展改革"), ("统计", "统计"),
    ("税务", "税务"), ("司法", "司法"), ("公安", "公安"), ("法院", "法院"), ("检察院", "检察院"), ("妇联", "妇联"),
    ("交通", "交通"), ("审计", "审计"), ("医疗", "医保"),
)
COLLECTIVE = re.compile(r"^各|^相关(?!部门$|单位$)[\u4e00-\u9fff]{1,8}(?:政府|办事处|街道|乡镇|镇|区|县)$|各部门$|各部委$|有关部门|有关单位|各级|所属|直属机构$|部门和单位$")


@dataclass(frozen=True)
class Mention:
    """A unit as written in the document, the AST node the draft writes for it (unparse prints it), and what it
    resolved to (None: proposed)."""

    written: str
    node: ast.UnitName
    unit: str | None


@dataclass(frozen=True)
class Proposal:
    """A draft registry entry for a name the registry lacks."""

    name: str
    jurisdiction: str
    kind: str  # 单位 / 集体 / 群组
    role: str | None
    first_line: int
    written_in: str = ""  # the list or sentence it was first read from, for the reviewer
    # 嘉鱼 「县发改局(粮食局)」, one agency under two names: registered as 县发改局, with the written form and 县粮食局
    # as aliases (so the draft's name resolves as written)
    merged: tuple[str, str] | None = None


@dataclass
class JurisdictionProposal:
    name: str
    kind: str | None
    level: str | None
    parent: str | None


def registry_of(corpus: model.Corpus) -> Registry:
    """The compiler's Registry, rebuilt from a compiled corpus (the model keeps everything lookup needs)."""
    names: dict[str, dict[str, str]] = {j.id: {} for j in corpus.jurisdictions}
    for u in corpus.units:
        table = names.setdefault(u.jurisdiction, {})
        for n in (u.name, *u.aliases):
            table.setdefault(fold(n), u.id)
    alias = {fold(j.id): j.id for j in corpus.jurisdictions}
    for j in corpus.jurisdictions:
        for a in j.aliases:
            alias.setdefault(fold(a), j.id)
    return Registry(roles={r.id: r for r in corpus.roles}, jurisdictions={j.id: j for j in corpus.jurisdictions},
                    units={u.id: u for u in corpus.units}, names=names, jurisdiction_alias=alias)


def guess_role(name: str, roles: set[str], lower: bool = False) -> str | None:
    """The counterpart role a name suggests, among the roles the registry declares. `lower`: the name opens
    with a tier below the policy's (镇人民政府 in a 市's policy is the 下级政府 collective). A bracketed alternative
    closing the name (镇人民政府（街道办事处）) does not change the role: the name before it decides."""
    name = re.sub(r"(?<=.{2})[（(][^（()）]{1,12}[）)]$", "", name)
    if name.endswith("成员单位") and "联席会议" in name:
        role = "困难群众基本生活保障联席会议" if "困难群众" in name else None
        return role if role in roles else None
    if _LOWER_ORGAN.match(name):
        return "村社区" if "村社区" in roles else None
    if lower and re.search(r"政府$|办事处$", name):
        return "下级政府" if "下级政府" in roles else None
    if COLLECTIVE.search(name):
        if re.search(r"政府$|人民政府|街道$|办事处$|乡镇|区县", name):
            return "下级政府" if "下级政府" in roles else None
        if "有关单位" in name or "部门和单位" in name:
            return "有关单位" if "有关单位" in roles else None
        if "部门" in name or "部委" in name or "机构" in name:
            return "政府部门" if "政府部门" in roles else None
    if name in ("国务院", "中央人民政府") and "政府" in roles:
        return "政府"
    bare = name.replace("人民政府", "政府").replace("人民", "")
    for word, role in ROLE_WORDS:
        if word in bare and role in roles:
            return role
    if re.search(r"(领导小组|指挥部|工作专班|联席会议)办公室$", name):
        return None  # 湖北 「省优化营商环境领导小组办公室」: a coordinating body's office, not the government's
    if re.search(r"(委|党委|党工委)办公(厅|室)$", name):
        return "党委办公室"
    if re.search(r"办公(厅|室)$", name):
        return "政府办公室"
    if re.search(r"(人民政府|政府|办事处)$", name):
        return "政府"
    return None


# Tiers from the top; a name opening with a tier below the policy's own names every unit of that tier.
_TIER_RANK = {"省": 0, "自治区": 0, "市": 1, "州": 1, "区": 2, "县": 2, "镇": 3, "乡": 3, "街道": 3, "村": 4, "社区": 4}
_LOWER_ORGAN = re.compile(r"^(?:居民|村民)委员会$")


def _tier(name: str) -> int | None:
    """The rank of the tier a name opens with (区民政部门 → 2), or ends with for a jurisdiction (广州市 → 1)."""
    return next((rank for word, rank in sorted(_TIER_RANK.items(), key=lambda x: -len(x[0])) if name.startswith(word)),
                None)


def guess_kind(name: str, jurisdiction: str | None = None) -> str:
    """单位, 集体 or 群组. In a 市's policy, 区民政部门 and 镇人民政府 are each district's and each town's (集体, as
    tests/fixtures/import/dev/truth/units/广州市.units registers them), and so are 居民委员会 and 村民委员会."""
    if name.endswith("成员单位"):
        return "群组"
    if COLLECTIVE.search(name) or _LOWER_ORGAN.match(name):
        return "集体"
    own = next((rank for word, rank in sorted(_TIER_RANK.items(), key=lambda x: -len(x[0]))
                if jurisdiction and jurisdiction.endswith(word)), None)
    below = _tier(name)
    return "集体" if own is not None and below is not None and below > own else "单位"


@dataclass
class UnitResolver:
    """Resolves names within one policy's jurisdiction; collects proposals for the names it cannot."""

    registry: Registry
    jurisdiction: str | None
    proposals: dict[str, Proposal] = field(default_factory=dict)
    context: str = ""  # the list being read (mentions() sets it), recorded with a proposal

    # ── single names ──
    def lookup(self, name: str) -> str | None:
        if self.jurisdiction is not None and self.jurisdiction not in self.registry.jurisdictions:
            return None  # a jurisdiction the registry lacks: every unit of the draft is proposed with it
        found = self.registry.lookup(name, self.jurisdiction)
        if len(found) == 1:
            return found[0]
        if not found and name.endswith(OTHERS):
            base = self.registry.lookup(name[: -len(OTHERS)] + "成员单位", self.jurisdiction)
            if len(base) == 1 and self.registry.units[base[0]].kind is model.UnitKind.GROUP:
                return base[0]
        return None

    def mention(self, written: str, line: int = 0, *, propose: bool = True) -> Mention | None:
        """One unit as written: whole, or as a unit with sub-units; else proposed (or None)."""
        name = clean_name(written)
        if not name:
            return None
        uid = self.lookup(name)
        if uid:
            return Mention(name, unit_name(name), uid)
        m = re.fullmatch(r"(.+?)[（(](.+)[）)]", name)
        if m:
            base, subs = self.lookup(m.group(1)), split_top(m.group(2))
            sub_ids = [self.lookup(s) for s in subs]
            if base and subs and all(sub_ids):
                return Mention(name, unit_name(m.group(1), tuple(unit_name(s) for s in subs)), base)
        if not propose:
            return None
        self._propose(name, line)
        return Mention(name, unit_name(name), None)

    def _propose(self, name: str, line: int) -> None:
        if name in self.proposals:  # proposed once, however often the document names it
            return
        kind = guess_kind(name, self.jurisdiction)
        lower = kind == "集体" and guess_kind(name) == "单位"
        merged = merged_agency(name)
        self.proposals[name] = Proposal(name, self.jurisdiction or UNKNOWN_JURISDICTION, kind,
                                        guess_role(merged[0] if merged else name, set(self.registry.roles), lower), line,
                                        self.context or name, merged)

    # ── lists ──
    def mentions(self, text: str, line: int = 0) -> list[Mention]:
        """A written list of units, split where the registry agrees (greedy, longest first)."""
        self.context = text
        tokens = tier_written_once(self._merge_fragments([t for t in split_top(text) if clean_name(t)]),
                                   lambda name: self.mention(name, propose=False) is not None)
        out: list[Mention] = []
        i = 0
        while i < len(tokens):
            for j in range(len(tokens), i, -1):
                joined = "、".join(tokens[i:j])
                found = self.mention(joined, line, propose=False) if j > i + 1 else None
                if found:
                    out.append(found)
                    i = j
                    break
            else:
                out += self._one(tokens[i], line)
                i += 1
        return list({m.written: m for m in out}.values())

    def _merge_fragments(self, tokens: list[str]) -> list[str]:
        """`各省、自治区、直辖市人民政府`: pieces that are not names by themselves join the next piece."""
        from .clean import looks_like_org

        out: list[str] = []
        pending: list[str] = []
        for t in tokens:
            opened = pending[0] if len(pending) == 1 else out[-1] if out and not pending else ""
            if opened and (each := _shared_each(clean_name(opened), clean_name(t))) and not any(
                    self.mention(name, propose=False) for name in (clean_name(t), f"{clean_name(opened)}、{clean_name(t)}")):
                # 各平台、镇街 · 各街道党工委、办事处: one 各 shared by two collectives, each written whole
                if pending:
                    out.append(pending.pop())
                out.append(each)
                continue
            if not pending and out and (_continues_collective(out[-1], clean_name(t)) or _other_half(out[-1], clean_name(t))) and not (
                    self.mention(clean_name(out[-1]), propose=False) and self.mention(clean_name(t), propose=False)):
                # 区政府各委、办、局 · 各有关区、县级市: one collective, never split — unless both sides are
                # registry names of their own (各街镇、开发区: the collective 各街镇 and the unit 开发区)
                out[-1] += "、" + t
                continue
            if pending and (clean_name(t).startswith("各") or (  # 市科协，各有关区: 各 opens a new name
                    clean_name(pending[0]).startswith("各") and _DEPARTMENT.search(clean_name(t)))):
                # 「各街道,区税务局」 (鞍山): a department's full name after a short collective is a name of its own
                # (a government, 「各省、自治区、直辖市人民政府」, still closes the collective it ends)
                out.append("、".join(pending))
                pending = []
            pending.append(t)
            if len(clean_name(t)) >= 4 or looks_like_org(clean_name(t)) or self.mention(clean_name(t), propose=False):
                out.append("、".join(pending))
                pending = []
        if pending:
            out.append("、".join(pending))
        return out

    def _one(self, token: str, line: int) -> list[Mention]:
        found = self.mention(token, line, propose=False)
        if found:
            return [found]
        for sep in ("以及", "和", "及", "与"):  # 区管医疗机构和区属重点国有企业 — only if every part resolves
            parts = [p for p in token.split(sep) if p]
            if len(parts) > 1:
                resolved = [self.mention(p, line, propose=False) for p in parts]
                if all(resolved):
                    return [m for m in resolved if m]
                if len(parts) == 2 and all(_collective_shaped(p) for p in parts):
                    # 咸阳 「市级各有关部门及各县市区政府」: two collectives, each proposed, never one name
                    return [m for p in parts if (m := self.mention(p, line)) is not None]
        found = self.mention(token, line)
        return [found] if found else []

    # ── roles ──
    def by_role(self, role: str) -> str | None:
        """The one unit with this role in the policy's own jurisdiction (民政部门 → 县民政局)."""
        if self.jurisdiction is None:
            return None
        hits = [u.id for u in self.registry.units.values()
                if u.jurisdiction == self.jurisdiction and u.role == role and u.kind is model.UnitKind.UNIT
                and u.part_of is None]
        return hits[0] if len(hits) == 1 else None

    def names_in_scope(self) -> list[tuple[str, str]]:
        """(name or alias as written in the registry, unit id) for the policy's jurisdiction and ancestors."""
        tiers = [self.jurisdiction, *self.registry.ancestors(self.jurisdiction)] if self.jurisdiction else []
        out = []
        for uid, unit in self.registry.units.items():
            if unit.jurisdiction in tiers:
                out += [(n, uid) for n in (unit.name, *unit.aliases)]
        return sorted(out, key=lambda x: (-len(x[0]), x[0]))


# The short organ or place words a collective enumerates after 各: 各委、办、局 · 各有关区、县级市 · 各镇、街道.
COLLECTIVE_TAILS = frozenset(("委", "办", "局", "部", "厅", "室", "办公室", "县", "县级市", "市", "区", "镇", "乡", "街道",
                              "街", "直属机构", "直属单位", "事业单位", "自治县", "开发区"))


_DEPARTMENT = re.compile(r"^[\u4e00-\u9fff]{2,}(局|委员会|委|办公室|厅|部|中心|院|队|所|站|联合会|集团|公司)$")


def _continues_collective(previous: str, token: str) -> bool:
    """`token` is one more member of the enumeration `previous` opened with 各/有关/相关 (…各委 + 办 + 局)."""
    m = re.search(r"(各|有关|相关)(有关|相关)?([\u4e00-\u9fff]{1,3})(、[\u4e00-\u9fff]{1,4})*$", previous)
    return bool(m) and token in COLLECTIVE_TAILS


# The organs of a place a collective names (各街道党工委 · 各镇人民政府), and the places and bodies a 各 enumerates
# that are collectives of their own (各平台 · 各镇街 · 各园区), unlike the short words of COLLECTIVE_TAILS.
_ORGANS = ("党工委", "党委", "工委", "人民政府", "政府", "办事处", "管委会", "居委会", "村委会")
_PLACE_ORGAN = re.compile(rf"^各([\u4e00-\u9fff]{{1,4}}?)({'|'.join(_ORGANS)})$")
_EACH_PLACE = re.compile(r"^[\u4e00-\u9fff]{0,3}(?:镇街|街镇|乡镇|街道|社区|村|平台|园区|开发区|景区|片区|学校|医院|银行|企业|部门|单位)$")


def _shared_each(previous: str, token: str) -> str | None:
    """The collective `token` names when the 各 of `previous` is shared: 「各街道党工委、办事处」 is each 街道党工委 and
    each 街道办事处; 「各平台、镇街」 each 平台 and each 镇街 (docs/encoding.md §5). None when `token` names nothing
    by that 各: a short word of a collective's own enumeration (各委、办、局 · 各镇、街道) stays in it."""
    if token in COLLECTIVE_TAILS or token.startswith("各"):
        return None
    if (m := _PLACE_ORGAN.match(previous)) and token in _ORGANS:
        return f"各{m[1]}{token}"
    if re.fullmatch(r"各[\u4e00-\u9fff]{2,4}", previous) and not _PLACE_ORGAN.match(previous) and _EACH_PLACE.match(token) \
            and len(token) <= 4:
        return f"各{token}"
    return None


# 「各乡镇人民政府、街道办事处」 (谯城): the towns' governments and the subdistricts' offices, one collective written
# as a pair — the second half alone (街道办事处) names no one.
_GOVERNMENTS = re.compile(r"^各[\u4e00-\u9fff]{1,4}(?:人民政府|政府)$")


def _other_half(previous: str, token: str) -> bool:
    """`token` is the office half of the pair of collectives `previous` opens (各乡镇人民政府 + 街道办事处)."""
    return bool(_GOVERNMENTS.match(previous.split("、")[-1])) and token in ("街道办事处", "办事处", "街道")


def _collective_shaped(name: str) -> bool:
    """A collective's name as a list writes it (各县市区政府 · 市级各有关部门 · 各乡镇人民政府): 各 and an organ's ending."""
    return bool(re.match(r"^(?:(?:省|市|区|县)级)?各[\u4e00-\u9fff（）()、]{1,12}(?:部门|单位|政府|人民政府|办事处|机构)$", name))


# 「省发展改革委、交通运输厅、水利厅」 · 「区发展改革委、财政局」: the tier is printed on the first name of a list only.
_TIER_PREFIX = re.compile(r"^(自治区|新区|省|市|区|县)(委)?(?=[\u4e00-\u9fff]{2})")  # 雄安 「新区规划建设局、改革发展局」
# a bare department: an organ's name that opens with no tier and names no place or tier of its own (团县委 · 市场监管局
# opens with 市场, not 市 · 城乡 and 城市 are words, not tiers)
_BARE_DEPARTMENT = re.compile(r"^[\u4e00-\u9fff]{2,14}(局|厅|委员会|委|办公室|办|署|中心)$")
_TIER_WORDS = re.compile(r"(?:省|市|区|县|镇|乡|州|盟|旗)(?:委|政府|人民政府)|^(?:团|各|有关|相关|所属|国家|中央|全国)")
_NOT_TIERS = re.compile(r"市场|城市|城乡|区域|社区|县域|乡村|市政|都市")


_MERGED = re.compile(r"^([\u4e00-\u9fff]{2,16}?(?:局|委|办|厅))[（(]([\u4e00-\u9fff]{2,10}?(?:局|委|办|厅|署))[）)]$")


def merged_agency(name: str) -> tuple[str, str] | None:
    """(the name, the other name with the first's tier) of one agency written under two names (「县发改局(粮食局)」,
    「区商务委(区口岸办)」: a 局 or 委 in brackets after another, as merged agencies are printed) — not a unit with a
    sub-unit in brackets (「区人力社保局（区就业人才中心）」: a 中心, 站, 所 …), nor a collective's alternative."""
    m = _MERGED.match(name)
    if m is None:
        return None
    base, other = m.groups()
    tier = _TIER_PREFIX.match(base)
    if tier and not _TIER_PREFIX.match(other):
        other = tier.group(0) + other
    return base, other


def tier_written_once(tokens: list[str], known: Callable[[str], bool]) -> list[str]:
    """A list that prints the tier on its first name only (广东 「省发展改革委、交通运输厅、水利厅…」, a district's
    「区发展改革委、财政局」): each bare department after it is that tier's (省交通运输厅, 区财政局), as the reader of
    the list understands it; the tier carries on until a name opens with another tier or a collective (各…). A
    party committee's tier goes on its departments (「市委组织部、宣传部」 → 市委宣传部). A bare name the registry knows
    as written, and does not know with the tier, is left as written (`known`)."""
    out: list[str] = []
    tier: tuple[str, bool] | None = None  # (the tier word, a party committee's)
    for token in tokens:
        name = clean_name(token)
        m = _TIER_PREFIX.match(name)
        if m and not _NOT_TIERS.match(name):
            tier = (m.group(1), bool(m.group(2)))
        elif tier and (_BARE_DEPARTMENT.match(name) or (tier[1] and name.endswith("部"))) and \
                not _TIER_WORDS.search(name) and not re.search(r"[省市区县镇乡州]", _NOT_TIERS.sub("", name)):
            full = tier[0] + ("委" if tier[1] and name.endswith("部") else "") + name
            if known(full) or not known(name):
                token = token.replace(name, full, 1)
        else:
            tier = None
        out.append(token)
    return out


def clean_name(text: str) -> str:
    """Strip what surrounds a name in running text: list words, 等, 按职责分工, quotes, stray punctuation."""
    t = text.strip().strip("，,、。；;：: “”\"")
    t = re.sub(r"^(由|和|及|以及|与)", "", t)
    t = re.sub(r"(按职责分工|按照职责分工|分别|共同|等)$", "", t)
    t = re.sub(r"(按职责分工|按照职责分工|分别|共同|等)$", "", t)
    return t.strip()


def split_top(text: str) -> list[str]:
    """Split on 、 ， , ； outside parentheses."""
    out: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in text:
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        if depth == 0 and ch in "、，,；;":
            out.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    out.append("".join(current).strip())
    return [t for t in out if t]
