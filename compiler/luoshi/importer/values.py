"""Dates, deadlines, terms and numeric targets found in a measure's text, as AST nodes (`ast.Due`, `ast.Period`,
`ast.Target` …) with neutral spans: the printer hands them to `unparse`, the one DSL writer, and the importer
compares them as values (two deadlines are the same when their nodes are equal), never as text.

Recognised (after stray spaces are gone):
- deadlines: `2019年3月底前`, `2019年4月至2019年8月底`, `2019年1月1日至12月31日`, `2018—2020年`, `到2020年底`,
  a cell that is only `持续推进` / `长期坚持` (not 持续做好… inside a sentence: a manner), `每年核查1次`,
  `本意见印发之日起30日内`, `从发现、受理到发放临时救助金…不得超过3个工作日`,
  `签订供养意愿书之日起1个月内`, `受理申请后1个月内`, `在紧急情况解除之后10个工作日内`, `于本文印发后3个月内`, `一年一体检`,
  `2021年和2022年` (2021—2022年), `2024年一季度`, `每年2月底前` / `每季度最后一个周五前` / `每月支付` / `每月按照…发放`
  (recurring), `专项年度考核` (每年), `2021年，组织开展…` (by that year's end), `从2019年春季学期起，到2020年` (a period),
  and dates with no year (`于5月12日前`, `4月26日至4月28日`) in the document's year — a 待定 question when it has none;
- not deadlines: a birth window (`…期间出生`), a data cutoff (`数据截止日期为…`), how things stand (`截至2020年底，全区…`);
- terms: `给予6个月渐退期`, `不超过1年的低保就业补贴`;
- targets: `达到40%`, `分别达到40%、50%` (paired with `2019年、2020年`), `控制在15%以内`, `超过10亿千瓦`,
  `稳定在11亿千瓦左右`, `稳定在170万亩以上` (≥), `提高10%`, `至少1名` / `不少于一名` (per `每个村（社区）`), `动态清零`;
  counts with no comparator (`完成…加装电梯700台`, `约48公里`, `新增覆盖14.3万户，累计达到30.3万户`, `每年完成…`
  per year, `创建20个A、10个B`); shares (`比例为90%`, `不少于总量的30%`, `2025年前完成总目标的75%`,
  `到2025年，全部X均应Y`, `100%的X完成Y`, `加强15%的X内涵建设`); funding floors per length (`不得低于县道每年每公里
  1万元，乡道每年每公里5000元`, one per road, per `县道每年每公里`); coverage duties (`X家中都应安装Y`: at least 1 per X;
  `实现X的全覆盖`: X覆盖率 100%); a ratio of each thing in turn (`比例县道不低于13%、乡、村道不低于8%`); areas listed before
  their noun (`202万亩耕地、150万亩永久基本农田保护底线`, `新增建设13万亩、改造提升11万亩高标准农田任务`); dated by `到2025年`,
  `“十四五”期间` or `2012年起5年内` (a date that dates a target is no
  deadline of its own).
Not targets: money caps (`最高不超过15万元`), ages and multiples (`70岁`, `1.5倍`), thresholds of
eligibility (`…达到25%…的，可申请`), counts reported done (`新增了34个指标`), counts in a gloss (`(包括6个等级)`),
how things stand (`占比近30%`, `动态隐患清零情况`). What cannot be settled — a start with no end (`从2019年1月1日起`), a
`分别` list that pairs with nothing, one value `均` for a list of metrics (马铃薯种植、收获机械化率均达到45%) —
becomes a 待定 question, never a guess.
"""

from __future__ import annotations

import contextvars
import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..semantics.numerals import CN_COUNTS, CN_NUMERALS
from ..semantics.numerals import cn_to_int as cn_number
from ..syntax import ast
from ..syntax.unparse import bare_ok, unit_name
from ..syntax.unparse import date as written_date
from .extracted import Term

N = ast.NOWHERE

_FW = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
YEAR = r"(\d{4})年"
DAY = r"(\d{4})年(\d{1,2})月(\d{1,2})日"
YEAR_ONLY = re.compile(r"^(\d{4})年(?:度)?$")  # a table's date cell: 2021年
# 「压缩至1个工作日以内」 · 「缩短到3天」 · 「降至5%以下」: a level to bring something down to (≤), printed 控制在 … 以内;
# before 降低 in the alternation, which alone is a decrease by (降低5%)
CUT_TO = ("压缩至", "压缩到", "压减至", "压减到", "缩短至", "缩短到", "减少至", "减少到", "降低至", "降低到", "下降至", "下降到", "降至",
          "降到", "控制到")
# 「覆盖率提高到95%以上」 · 「提升至90%」: a level to raise something to (达到), before 提高 (an increase by) in the alternation
RAISE_TO = ("提高到", "提高至", "提升到", "提升至")
COMPARATORS = ("不低于", "不少于", "不超过", "不高于", "控制在", "稳定在", "保持在", "保持", "达到", "至少", "超过", *CUT_TO,
               *RAISE_TO, "提高", "降低", "达")  # 达80%以上: 达 straight before a number (never 达标, 达成), after 达到
SAME_AS = ({"保持在": "稳定在", "保持": "稳定在", "达": "达到"} | dict.fromkeys(CUT_TO, "控制在")
           | dict.fromkeys(RAISE_TO, "达到"))  # one comparator in the DSL
# what a count is counted in (个 not of 个工作日 / 个月 / 个百分点, which are units of their own)
COUNT_UNITS = "个(?!工作日|月|百分点|小时)|人次|人|名|户|家|所|项|件|台|座|吨|条|辆|套|处|间|张|场|栋|平方公里|公里|平方米|平米|公顷|亩"
QUANTITY = (r"(\d+(?:\.\d+)?)\s*(%|‰|个工作日|亿千瓦|万千瓦|千瓦|个百分点|(?:万|亿)?(?:" + COUNT_UNITS
            + r")|次|天|日|小时|周|个月|年|分(?![钟之]))?")
# a time the text brings down to a level (企业开办时间压缩至1个工作日以内, 审批时限控制在80个工作日以内): a target,
# where a bare 「不超过3个工作日」 after an event is the event's limit (时限)
TIME_METRIC = re.compile(r"(时间|时长|时限|周期|用时|天数|环节)$")
NOT_TARGET_UNITS = ("元", "万元", "亿元", "岁", "周岁", "倍")
# 完成…加装电梯700台 · 新增…518个 · 累计引进100名: a count with a unit and no comparator (达到 is meant)
_BARE_VERBS = "完成|新开工|新增|盘活|招聘|吸纳|累计|建成|创建|引进|招引|培养|培育|新建|改建|打造|改造提升|提升改造|改造|培训|发展|建设|实施|推进|启动|认定"
# verbs whose count is a flow named with the verb: 新增城镇就业 · 新开工亿元以上项目 · 盘活存量土地 · 招聘员工
_FLOW_VERBS = ("新增", "新开工", "盘活", "招聘", "吸纳")
_BARE = re.compile(r"(" + _BARE_VERBS + r")([^，,。；;、：:\d□]{0,16}?)"
                   r"(?<![第每约近超逾])(约)?(\d+(?:\.\d+)?)\s*((?:万|亿)?(?:" + COUNT_UNITS + r"))(?![\d元岁倍%])"
                   r"([^，,。；;、]{0,16})")
_MORE_COUNTS = re.compile(r"、(\d+(?:\.\d+)?)\s*((?:万|亿)?(?:" + COUNT_UNITS + r"))(?![\d元岁倍%])([^，,。；;、\d]{2,16})")
_ANOTHER_COUNT = re.compile(r"\d+(?:\.\d+)?\s*(?:万|亿)?(?:" + COUNT_UNITS + r")")  # 34个 (but not “15分钟社区生活圈”)
PER_UNITS = ("人", "名", "个", "户", "家", "所", "项", "处")
LEAD_WORDS = re.compile(r"^.*?(力争将|力争使|力争|确保|争取|实现|推动|将|使|把|其中|全面|抓好)")


@dataclass
class Found:
    deadlines: list[ast.Deadline] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    targets: list[ast.Target] = field(default_factory=list)
    todos: list[str] = field(default_factory=list)


def unlabelled(d: ast.Deadline) -> ast.Deadline:
    """The deadline without its label: what two deadlines are compared by (2019年底 found twice is one deadline)."""
    return dataclasses.replace(d, label=None)


def quantity(value: str, unit: str | None) -> ast.Quantity:
    """`40`, `%` → 40%; an empty unit is none, as the grammar reads `达到 40`."""
    return ast.Quantity(value, unit or None, N)


def metric_name(text: str) -> ast.Name:
    """A metric as the writer prints it: bare when the grammar reads it back whole, else quoted."""
    return ast.Name(text, N, quoted=not bare_ok(text))


def target(metric: str, rule: ast.Compare | ast.Cleared, by: ast.CnDate | None = None, *, scope: str | None = None,
           per: str | None = None, condition: str | None = None, note: str | None = None) -> ast.Target:
    """A target statement's node, with the scope a unit of the document's jurisdiction."""
    return ast.Target(metric=metric_name(metric), rule=rule, span=N, by=by,
                      scope=(unit_name(scope),) if scope else (), per=per, condition=condition, note=note)


def reach(value: str, unit: str | None) -> ast.Compare:
    """达到 700台: the rule of a count written without a comparator (完成…700台 · 表中的 0.98万平方米)."""
    return ast.Compare(comparator="达到", quantity=quantity(value, unit))


_GRADE = re.compile(r"\d+(?:\.\d+)?(?:亿|千万|百万|万|千)级|\d+[A-Z]级|[\d一二三四五]星级")


# 「地区生产总值增长6.2%左右」 · 「规上工业增加值增长8%」 · 「生产总值增长6%以上」: the growth a 政府工作报告 分解 sets
_GROWTH = re.compile(r"([^，,。；;、：:\d%]{2,24}?)(年均|同比)?增长(\d+(?:\.\d+)?)%(以上|左右)?")
_GROWTH_LEAD = re.compile(r"^(?:努力|力争|确保|争取)?(?:实现|推动|保持|促进)?")


_GROWTH_EACH = re.compile(r"([^，,。；;：:\d%]{2,30}?)分别增长(\d+(?:\.\d+)?)%((?:[、和]\d+(?:\.\d+)?%)+)(以上|左右)?")


def _growth(t: str, found: Found, used: list[tuple[int, int]], by_default: ast.CnDate | None) -> None:
    """A growth rate as a target on the quantity that grows: 「固定资产投资增长10%」 → 固定资产投资增速 达到 10%;
    以上 is a floor (不低于), 左右 goes in the note, as 左右 does for other targets. Rates of parallel quantities
    written once (谯城 「城镇、农村常住居民人均可支配收入分别增长5.2%、8%左右」) are one target each."""
    for m in _GROWTH_EACH.finditer(t):
        subjects = split_metric(_GROWTH_LEAD.sub("", m.group(1).strip()))
        rates = [m.group(2), *re.findall(r"\d+(?:\.\d+)?", m.group(3))]
        if len(subjects) != len(rates) or not _free(used, m.start(2), m.end()):
            continue
        used.append((m.start(2), m.end()))
        comparator = "不低于" if m.group(4) == "以上" else "达到"
        for subject, rate in zip(subjects, rates):
            found.targets.append(target(subject + "增速", ast.Compare(comparator=comparator, quantity=quantity(rate, "%")),
                                        by_default, note="左右" if m.group(4) == "左右" else None))
    for m in _GROWTH.finditer(t):
        if not _free(used, m.start(3), m.end()):
            continue
        subject = _GROWTH_LEAD.sub("", re.split(r"[和与及]", m.group(1))[-1].strip())
        subject = re.sub(r"(比上年|比去年|较上年|比上年同期|同比)$", "", re.sub(r"^(全年|今年|全市|全区|全县)", "", subject))
        if len(subject) < 2 or subject.endswith(("的", "比", "率", "速")) or subject.startswith(("比", "较")):
            continue  # 「比上年增长」 and 「增速增长」 say nothing of what grows
        used.append((m.start(3), m.end()))
        comparator = "不低于" if m.group(4) == "以上" else "达到"
        rule = ast.Compare(comparator=comparator, quantity=quantity(m.group(3), "%"))
        found.targets.append(target(subject + (m.group(2) or "") + "增速", rule, by_default,
                                    note="左右" if m.group(4) == "左右" else None))


def mask_citations(text: str) -> str:
    """Blank out 《titles》 and （文号） so their dates and numbers are not read as the measure's own."""
    def blank(m: re.Match[str]) -> str:
        return "□" * len(m.group(0))
    text = re.sub(r"《[^《》]*》", blank, text)
    return re.sub(r"[（(][^（）()]*〔\d{4}〕[^（）()]*[）)]", blank, text)


def extract(text: str, by_default: ast.CnDate | None = None, scope_names: Sequence[str] = (), *,
            year: int | None = None) -> Found:
    """Everything countable in one measure's text. `year` is the document's own (its date): what a date written
    without one (`于5月12日前`, `4月26日至4月28日`) falls in."""
    unmasked = text.translate(_FW)
    t = mask_citations(unmasked)
    token = _UNMASKED.set(unmasked)
    try:
        return _extract(t, by_default, scope_names, year)
    finally:
        _UNMASKED.reset(token)


def _extract(t: str, by_default: ast.CnDate | None, scope_names: Sequence[str], year: int | None) -> Found:
    found = Found()
    # 「20亿级项目」, 「4A级景区」, 「三星级」: a figure naming a class of thing, never a count or a target value
    used: list[tuple[int, int]] = [m.span() for m in _GRADE.finditer(t)]
    _targets(t, found, used, by_default, scope_names)
    _growth(t, found, used, by_default)
    _event_limits(t, found, used)
    _terms(t, found, used)
    _recurring_before(t, found, used)
    _once_each(t, found, used)
    _dates(t, found, used)
    _clause_years(t, found, used)
    _yearless(t, found, used, year)
    _recurring(t, found, used)
    _ongoing(t, found, used)
    return found


def _free(used: list[tuple[int, int]], start: int, end: int) -> bool:
    return all(end <= a or start >= b for a, b in used)


def sentence_at(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (between 。；) that holds a match."""
    left = max(text.rfind(c, 0, start) for c in "。；;") + 1
    rights = [i for i in (text.find(c, end) for c in "。；;") if i >= 0]
    return left, (min(rights) if rights else len(text))


# the word that ties a date to its verb, left dangling once the date is cut out: 「请家长于（5月24日至26日）带齐…」,
# 「应于（5月12日前）将…报…」; 应 / 请 / 将 stay, 于 goes
_DATE_PREPOSITION = re.compile(r"(?:于|在|截至|截止)$")
# the date as the predicate: 「报名时间为（4月26日至4月28日）」 — the label is what the date is the time of
_DATE_COPULA = re.compile(r"(?:定为|确定为|为|是)$")
# the text before masking (mask_citations): a label quotes 《新生录取通知书》, never the blank that hid it from the dates
_UNMASKED: contextvars.ContextVar[str | None] = contextvars.ContextVar("unmasked", default=None)


def clause_at(text: str, start: int, end: int) -> str | None:
    """The clause around a match (between ，。；), without it: a label for a deadline, read as a sentence of its
    own — a preposition or copula the date leaves behind is dropped (「请家长于带齐…」 was printed before)."""
    left = max(text.rfind(c, 0, start) for c in "，,。；;：") + 1
    rights = [i for i in (text.find(c, end) for c in "，,。；;") if i >= 0]
    right = min(rights) if rights else len(text)
    original = _UNMASKED.get()
    if original is not None and len(original) == len(text):
        text = original
    before, after = text[left:start], text[end:right]
    if after.strip("，,、：: ") and not after.lstrip().startswith(("（", "(")):
        before = _DATE_PREPOSITION.sub("", before)
    else:
        before = _DATE_COPULA.sub("", _DATE_PREPOSITION.sub("", before))
    label = (before + after).strip("，,、：: ")
    if len(label) < 4:  # `2019年1月1日至12月31日，对…` — the date opens the sentence: label with what follows
        _, s_right = sentence_at(text, start, end)
        label = text[end:s_right].strip("，,、：: ")
    label = re.sub(r"[（(]\s*[）)]", "", label.replace("□", ""))[:60]
    return label or None


def _whole_pieces(label: str, limit: int = 60) -> str:
    """What is due within a limit, over `limit` characters, cut after its last whole piece (at a ，or ；) that fits:
    39号 （十二）'s read 「制定出台具体实施办法，…，合理确定补贴等」, the cut inside 「补贴等标准」. A first piece over
    the limit is cut at it."""
    if len(label) <= limit:
        return label
    cut = max((m.start() for m in re.finditer(r"[，,；;]", label[: limit + 1])), default=0)
    return label[:cut] if cut >= 4 else label[:limit]


# ───────────── dates ─────────────


def cn_date(y: str | int, m: str | int | None = None, d: str | int | None = None, edge: str | None = None) -> ast.CnDate:
    """2019年3月底 from the matched digits (a missing month or day is None, as is an empty edge)."""
    return ast.CnDate(int(y), int(m) if m else None, int(d) if d and m else None, edge or None, N)


def year_end(year: str | int) -> ast.CnDate:
    """2020年底: the date a bare 到2020年 means."""
    return cn_date(year, edge="底")


_PERIOD_DAYS = re.compile(DAY + r"(?:起)?[至到—–\-~～]" + r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")
_PERIOD_MONTHS = re.compile(r"(\d{4})年(\d{1,2})月(?:份)?[至到—–\-~～](?:(\d{4})年)?(\d{1,2})月(底|末)?(前)?")
_PERIOD_YEARS = re.compile(r"(\d{4})(?:年)?[至到—–\-~～](\d{4})年(底|末)?")
_DUE = re.compile(r"(?:(?:到|至|截至|于|在)\s*)?(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日|(底|末|上旬|中旬|下旬|初))?|(底|末|上半年|下半年))?(之前|以前|前)?")
_START_ONLY = re.compile(r"(?:从|自)(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?(?:起|开始)")
# 从2019年1月1日起，实施三年百万青年见习计划: a start and how many years the programme runs (国发〔2018〕39号 （五）)
_START_RUNS = re.compile(r"(?:从|自)(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?(?:起|开始)[，,]?(?:实施|开展|启动|组织实施|用)"
                         r"(\d+|[" + CN_NUMERALS + r"两]{1,2})年(?![\d月底末内以来])")


_QUARTER = re.compile(r"(?:(\d{4})年)?第?([" + CN_NUMERALS[:4] + r"1-4])季度(末|底)?(前)?(?!汇总|报表|工作)")
_START_YEARS = re.compile(r"(?:从|自)?(\d{4})年(?:起|开始)[，,]?(\d+|[" + CN_NUMERALS + r"]{1,2})年(?:内|以内|时间)")
_YEAR_PAIR = re.compile(r"(?<![\d至到—–\-~～])(\d{4})年[和、及](\d{4})年(?![\d月底末]|[至到—–\-~～])")
# 从2019年春季学期起，到2020年: a start in a year and an end year → 2019年至2020年 (the season is dropped)
_START_TO = re.compile(r"(?:从|自)(\d{4})年[^，,。；;\d]{0,6}?(?:起|开始)[，,]?(?:到|至)(\d{4})年(底|末)?")


def _not_a_deadline(t: str, start: int, end: int) -> bool:
    """Dates that set no duty: a birth window (2022年9月1日至2023年8月31日期间出生的适龄幼儿, 20), a data cutoff
    (采用数据截止日期为2020年12月31日, 13), how things stand at a date (截至2020年底，全区县道总里程427公里, 03)."""
    return bool(re.match(r"(?:期间|以后|以前|之后|之前|前|后)?出生", t[end:end + 4])
                or re.search(r"数据[^，。；]{0,6}(?:截止|截至)[^，。；]{0,4}$", t[max(0, start - 14):start])
                or (t[start:start + 2] == "截至" and re.match(r"[，,](?:全|本|现有|已|共有)", t[end:end + 3])))


def _run_of_years(m: re.Match[str], label: str | None) -> ast.Period:
    """The period of `_START_RUNS`: from the start to the day before the same date N years on (2019年1月1日起三年 →
    2019年1月1日至2021年12月31日); a start with no day runs to the end of the last month or year."""
    import datetime

    year, month, day = int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)
    years = int(m.group(4)) if m.group(4).isdigit() else (cn_number(m.group(4).replace("两", "二")) or 1)
    start = cn_date(year, month or None, day or None)
    if not month:
        return ast.Period(start=start, end=cn_date(year + years - 1), span=N, label=label)
    if not day:
        back = (year + years) * 12 + month - 2  # the month before the same month N years on
        return ast.Period(start=start, end=cn_date(back // 12, back % 12 + 1, edge="底"), span=N, label=label)
    end = datetime.date(year + years, month, day) - datetime.timedelta(days=1)
    return ast.Period(start=start, end=cn_date(end.year, end.month, end.day), span=N, label=label)


def _dates(t: str, found: Found, used: list[tuple[int, int]]) -> None:
    for m in _START_YEARS.finditer(t):  # 2012年起5年内 → 2012年至2016年, not 截至 2012年底
        if _free(used, m.start(), m.end()):
            used.append(m.span())
            last = int(m.group(1)) + (cn_number(m.group(2)) or 1) - 1
            found.deadlines.append(ast.Period(start=cn_date(m.group(1)), end=cn_date(last), span=N,
                                              label=clause_at(t, *m.span())))
    for m in _START_TO.finditer(t):
        if _free(used, m.start(), m.end()) and int(m.group(1)) < int(m.group(2)):
            used.append(m.span())
            found.deadlines.append(ast.Period(start=cn_date(m.group(1)), end=cn_date(m.group(2), edge=m.group(3)), span=N,
                                              label=clause_at(t, *m.span())))
    for m in _YEAR_PAIR.finditer(t):  # 2021年和2022年对…统一保障: two years running are the period 2021—2022年
        if _free(used, m.start(), m.end()) and int(m.group(2)) == int(m.group(1)) + 1:
            used.append(m.span())
            found.deadlines.append(ast.Period(start=int(m.group(1)), end=cn_date(m.group(2)), sep="—", span=N,
                                              label=clause_at(t, *m.span())))
    year = None
    for m in _QUARTER.finditer(t):  # 2024年一季度（前）→ 2024年3月底（前）; 二季度 after it → 2024年6月底
        if not _free(used, m.start(), m.end()) or t[max(0, m.start() - 1): m.start()] == "每":
            continue
        used.append(m.span())
        year = m.group(1) or year
        month = 3 * (cn_number(m.group(2)) or 1)
        if year:
            found.deadlines.append(ast.Due(end=cn_date(year, month, edge="底"), before=bool(m.group(4)), span=N,
                                           label=clause_at(t, *m.span())))
        else:
            found.todos.append(f"「{m.group(0)}」未写年份：请补全为「某年{month}月底前」")
    for m in _START_RUNS.finditer(t):
        if _free(used, m.start(), m.end()):
            used.append(m.span())
            found.deadlines.append(_run_of_years(m, clause_at(t, *m.span())))
    for m in _START_ONLY.finditer(t):
        if _free(used, m.start(), m.end()):
            used.append(m.span())
            found.todos.append(f"「{m.group(0)}」只写了起始时间：请补全期间（如「时限 {written_date(cn_date(*m.group(1, 2, 3)))}至…」）或删去此项")
    for m in _PERIOD_DAYS.finditer(t):
        if _free(used, m.start(), m.end()):
            used.append(m.span())
            if _not_a_deadline(t, *m.span()):
                continue
            end_year = m.group(4) or m.group(1)
            found.deadlines.append(ast.Period(start=cn_date(*m.group(1, 2, 3)), end=cn_date(end_year, m.group(5), m.group(6)),
                                              span=N, label=clause_at(t, *m.span())))
    for m in _PERIOD_MONTHS.finditer(t):
        if _free(used, m.start(), m.end()):
            used.append(m.span())
            end = cn_date(m.group(3) or m.group(1), m.group(4), edge=m.group(5))
            found.deadlines.append(ast.Period(start=cn_date(m.group(1), m.group(2)), end=end, span=N,
                                              label=clause_at(t, *m.span())))
    for m in _PERIOD_YEARS.finditer(t):
        if _free(used, m.start(), m.end()) and int(m.group(1)) < int(m.group(2)):
            used.append(m.span())
            label = clause_at(t, *m.span())
            if "至" in m.group(0) or "到" in m.group(0):  # 2019年至2020年
                found.deadlines.append(ast.Period(start=cn_date(m.group(1)), end=cn_date(m.group(2)), span=N, label=label))
            else:  # 2018—2020年: the bare year opens the range, as printed
                found.deadlines.append(ast.Period(start=int(m.group(1)), end=cn_date(m.group(2)), sep="—", span=N,
                                                  label=label))
    for m in _DUE.finditer(t):
        if not _free(used, m.start(), m.end()):
            continue
        y, mo, d, medge, yedge, before = m.groups()
        if "有效期" in t[max(0, m.start() - 4): m.start() + 1] or _not_a_deadline(t, *m.span()):
            used.append(m.span())  # 有效期至2029年6月30日: how long the policy is valid, not a duty's deadline
            continue
        lead = m.group(0)[:1] in "到至截于在"
        if not (mo or yedge or before or lead):
            continue  # a bare year in running text (2019年春季学期) is not a deadline by itself
        used.append(m.span())
        due = ast.Due(end=cn_date(y, mo, d, edge=medge or yedge), before=bool(before), span=N, label=clause_at(t, *m.span()))
        if not (mo or yedge) and lead:  # 到2020年: by its end
            due = dataclasses.replace(due, end=year_end(y), before=False)
        found.deadlines.append(due)


def _recurring(t: str, found: Found, used: list[tuple[int, int]]) -> None:
    freq = {"年": "每年", "半年": "每半年", "季度": "每季度", "季": "每季度", "月": "每月", "周": "每周"}
    for m in re.finditer(r"(?<!每人)每(半年|季度|年|季|月|周)([^，。；、]{0,12}?)(\d+|[" + CN_COUNTS + r"]{1,3})次", t):
        if "享受" in m.group(2) or "领取" in m.group(2) or not _free(used, m.start(), m.end()):
            continue
        used.append(m.span())
        times = cn_number(m.group(3))
        found.deadlines.append(ast.Recurring(frequency=freq[m.group(1)], times=times, span=N, label=clause_at(t, *m.span())))
    # 每年挂牌督改一批… · 每年向区委报告 · 每月15日前报送: a duty that recurs, with no count written
    for m in re.finditer(r"(?<![每人户])每(半年|季度|年|季|月|周)(?![每\d" + CN_COUNTS + r"]|享受|领取|补助|补贴|发放标准)"
                         r"([^，。；、]{0,10}?)(开展|组织|挂牌|报告|报送|上报|更新|评估|检查|发布|公布|通报|召开|督导|培训|演练|考核|评定|体检|核查|复核|走访|巡查|抽查|支付|拨付|发放|报(?![表名]))", t):
        if not _free(used, m.start(), m.end()) or re.search(r"\d", m.group(2)):
            continue
        used.append(m.span())
        # 每季度将进展情况报县工信局: 报 alone says what goes to whom only with its object, so the label keeps it
        span = (m.start(), m.start() + 1 + len(m.group(1))) if m.group(3) == "报" else m.span()
        found.deadlines.append(ast.Recurring(frequency=freq[m.group(1)], span=N, label=clause_at(t, *span)))


    # 每月按照不低于…20%的标准向特困人员发放零用钱: a payment every month, whatever the clause says of its amount
    for m in re.finditer(r"(?<![每人户])每(半年|季度|年|季|月)(?!享受|领取|补助|补贴|发放标准)[^，。；]{0,30}?(?:发放|支付|拨付)(?!标准)", t):
        if _free(used, m.start(), m.end()):
            used.append(m.span())
            found.deadlines.append(ast.Recurring(frequency=freq[m.group(1)], span=N, label=clause_at(t, *m.span())))
    # 开展城市更新工作任务推进情况专项年度考核: a yearly review is a duty every year
    for m in re.finditer(r"(?:开展|组织|进行|实施)[^，。；]{0,20}?年度[^，。；\d]{0,8}?(?:考核|评估|评价|检查)", t):
        if _free(used, m.start(), m.end()):
            used.append(m.span())
            found.deadlines.append(ast.Recurring(frequency="每年", span=N, label=clause_at(t, *m.span())))


# 每年2月底前 · 每月15日前 · 每季度最后一个周五前: a date inside every period, so a duty that recurs
_RECURRING_BEFORE = re.compile(r"(?<![每人户])每(半年|季度|年|季|月|周)(?:\d{1,2}月份?)?(?:\d{1,2}日|底|末|最后一个[^，。；、\d]{1,4}?)?"
                               r"(?:之前|以前|前)")


# 一年一体检 · 一季一通报: once in every period
_ONCE_EACH = re.compile(r"(?<![\d十百])一(年|季度|季|月|周)一(?:次|体检|评估|考核|通报|检查|报告|更新|督查|排查|评议)")


def _once_each(t: str, found: Found, used: list[tuple[int, int]]) -> None:
    freq = {"年": "每年", "季度": "每季度", "季": "每季度", "月": "每月", "周": "每周"}
    for m in _ONCE_EACH.finditer(t):
        if _free(used, m.start(), m.end()):
            used.append(m.span())
            found.deadlines.append(ast.Recurring(frequency=freq[m.group(1)], times=1, span=N, label=clause_at(t, *m.span())))


def _recurring_before(t: str, found: Found, used: list[tuple[int, int]]) -> None:
    freq = {"年": "每年", "半年": "每半年", "季度": "每季度", "季": "每季度", "月": "每月", "周": "每周"}
    for m in _RECURRING_BEFORE.finditer(t):
        if _free(used, m.start(), m.end()):
            used.append(m.span())
            # the dates a parenthesis lists after it (每季度最后一个周五前（9月30日、12月30日）) stay to be read
            found.deadlines.append(ast.Recurring(frequency=freq[m.group(1)], span=N, label=clause_at(t, *m.span())))


# 2021年组织开展…“回头看” · 2021年，组织开展撂荒地专项检查: a year opening a clause before what is to be done in it
_CLAUSE_YEAR = re.compile(r"(?:^|(?<=[，,。；;：:]))(\d{4})年[，,]?(?=组织|开展|完成|启动|实施|出台|制定|建成|实现|编制|推进|选取|建立)")


def _clause_years(t: str, found: Found, used: list[tuple[int, int]]) -> None:
    for m in _CLAUSE_YEAR.finditer(t):
        if _free(used, m.start(), m.end()):
            used.append(m.span())
            found.deadlines.append(ast.Due(end=year_end(m.group(1)), span=N, label=clause_at(t, *m.span())))


_MD = r"(?<![\d年月.])(\d{1,2})月(\d{1,2})日"
_YEARLESS_PERIOD = re.compile(_MD + r"[至到—–\-~～](?:(\d{1,2})月)?(\d{1,2})日")
_YEARLESS_DUE = re.compile(_MD + r"(之前|以前|前)?")
_YEAR_END = re.compile(r"(?:今年|本年|当年|(?<![\d年]))(?:年底|年末)(?:之前|以前|前)")
# 华容 「12月底前全部竣工验收」: a month's end in the document's year (a 每月 / 每年 before it recurs)
_YEARLESS_MONTH_END = re.compile(r"(?<![\d年月.每])(\d{1,2})月(底|末)(之前|以前|前)")


def _yearless(t: str, found: Found, used: list[tuple[int, int]], year: int | None) -> None:
    """`于5月12日前` · `4月26日至4月28日` · `（5月22日下午3点）`: a date with no year is in the document's year; with no
    document date it becomes a 待定 question, never a guess."""
    def period(m: re.Match[str], year: int) -> ast.Deadline:
        return ast.Period(start=cn_date(year, m.group(1), m.group(2)),
                          end=cn_date(year, m.group(3) or m.group(1), m.group(4)), span=N, label=clause_at(t, *m.span()))

    def due(m: re.Match[str], year: int) -> ast.Deadline:
        return ast.Due(end=cn_date(year, m.group(1), m.group(2)), before=bool(m.group(3)), span=N,
                       label=clause_at(t, *m.span()))

    for m in _YEAR_END.finditer(t):  # 谯城 「改造城镇老旧小区20个,年底前全部完工」: the end of the document's year
        if not _free(used, m.start(), m.end()) or "每" in t[max(0, m.start() - 3): m.start()]:
            continue  # 每年年底前 recurs (_recurring_before)
        used.append(m.span())
        if year is None:
            found.todos.append(f"「{m.group(0)}」未写年份：请补全为「某年年底前」")
        else:
            found.deadlines.append(ast.Due(end=year_end(year), before=True, span=N, label=clause_at(t, *m.span())))
    for m in _YEARLESS_MONTH_END.finditer(t):
        if not _free(used, m.start(), m.end()) or not 1 <= int(m.group(1)) <= 12 or "每" in t[max(0, m.start() - 3): m.start()]:
            continue
        used.append(m.span())
        if year is None:
            found.todos.append(f"「{m.group(0)}」未写年份：请补全为「某年{m.group(0)}」")
        else:
            found.deadlines.append(ast.Due(end=cn_date(year, m.group(1), edge=m.group(2)), before=True, span=N,
                                           label=clause_at(t, *m.span())))
    for pattern, make in ((_YEARLESS_PERIOD, period), (_YEARLESS_DUE, due)):
        for m in pattern.finditer(t):
            if not _free(used, m.start(), m.end()):
                continue
            used.append(m.span())
            if year is None:
                found.todos.append(f"「{m.group(0)}」未写年份：请补全为「某年{m.group(0)}」")
            else:
                found.deadlines.append(make(m, year))


_ONGOING_PERIOD = re.compile(r"\s*(持续开展|持续推进|持续实施|持续|长期坚持|长期|常态化开展|常态化)\s*[。.]?\s*")


def _ongoing(t: str, found: Found, used: list[tuple[int, int]]) -> None:
    """时限 持续 only where the whole text is the period (a 完成时限 cell 「长期坚持」): a 持续做好 / 常态化开展 inside a
    sentence says how the work is done, not when (docs/encoding.md §9). Stage headings 「…阶段（持续开展）」 are
    read in items.py."""
    m = _ONGOING_PERIOD.fullmatch(t)
    if m and _free(used, m.start(1), m.end(1)):
        used.append(m.span(1))
        found.deadlines.append(ast.Ongoing(span=N, label=None))


def _limit_label(t: str, start: int, end: int) -> str | None:
    """What must be done within a limit. 17 第八条 「镇人民政府(街道办事处)在受理之日起3个工作日内,根据入户调查…,提出审核
    意见,认定符合救助条件的,…」: the limit closes its clause, so the clause's own words are its actor; what is to be
    done follows, up to a condition (…的) or the sentence's end. The 自/在 opening the limit is part of it."""
    start -= 1 if start > 0 and t[start - 1] in "在自从于" else 0
    if re.match(r"\s*[，,]", t[end:]):
        _, s_right = sentence_at(t, start, end)
        after: list[str] = []
        for piece in re.split(r"[，,]", t[end:s_right].strip("，, 。；;")):
            if not piece or piece.endswith("的"):
                break
            after.append(piece)
        label = _whole_pieces("，".join(after))
        if len(label) >= 4:
            return label
    return clause_at(t, start, end)


def _event_limits(t: str, found: Found, used: list[tuple[int, int]]) -> None:
    # …印发之日起30日内 · 签订供养意愿书之日起1个月内 · 受理申请后1个月内 · 核实同意后的1个月内
    for m in re.finditer(r"(?:在|自|从|于)?((?:本\S{0,4}?)?(?:印发|发布|施行|实施|受理|收到[^，。；]{0,16}?|申请)之日|"
                         r"(?<=[在自从于])[^，。；在自从于]{2,16}?之日|(?<=[在于])(?:受理|收到|核实|审核|批准|签订)[^，。；]{0,12}?(?=后))"
                         r"(?:起|后的|后)(\d+)(个工作日|日|天|个月)内", t):
        if _free(used, m.start(), m.end()):
            used.append(m.span())
            found.deadlines.append(ast.EventLimit(from_event=m.group(1), to_event=None, limit=quantity(m.group(2), m.group(3)),
                                                  within="内", span=N, label=_limit_label(t, *m.span())))
    # 在紧急情况解除之后10个工作日内 · 自收到…相关材料的3个工作日内 · 于本文印发后3个月内 · 自收到复核申请之日起15个工作日
    for m in re.finditer(r"(?<=[在自从于])([^，。；在自从于\d]{2,30}?)(之日起|之日后|之后|后的|后|的)(\d+)(个工作日|日|天|个月)(内|以内)?", t):
        if _free(used, m.start(), m.end()) and (m.group(5) or m.group(2) == "之日起"):
            used.append(m.span())
            event = m.group(1) + ("之日" if m.group(2).startswith("之日") else "")
            found.deadlines.append(ast.EventLimit(from_event=event, to_event=None, limit=quantity(m.group(3), m.group(4)),
                                                  within="内", span=N, label=_limit_label(t, *m.span())))
    pattern = r"从([^，。；]{1,16}?)到([^，。；]{1,16}?)[，,]?(?:原则上|一般)?(?:不得超过|不超过|最多)(\d+)(个工作日|日|天|小时)"
    for m in re.finditer(pattern, t):
        if _free(used, m.start(), m.end()):
            used.append(m.span())
            found.deadlines.append(ast.EventLimit(from_event=m.group(1), to_event=m.group(2), limit=quantity(m.group(3), m.group(4)),
                                                  at_most=True, span=N, label=_limit_label(t, *m.span())))


def _terms(t: str, found: Found, used: list[tuple[int, int]]) -> None:
    for m in re.finditer(r"给予(\d+)个月的?([^，。；]{0,8}?期)", t):
        if _free(used, m.start(), m.end()):
            used.append(m.span())
            found.terms.append(Term(ast.Quantity(m.group(1), "个月", ast.NOWHERE), False, m.group(2)))
    for m in re.finditer(r"(?<!最高)不超过(\d+)(年|个月)的([^，。；]{2,12})", t):
        if _free(used, m.start(), m.end()):
            used.append(m.span())
            found.terms.append(Term(ast.Quantity(m.group(1), m.group(2), ast.NOWHERE), True, m.group(3)))


# ───────────── targets ─────────────

# 不少于一名 · 至少两个: a small count in Chinese numerals, before a measure word of people or things
_CN_COUNT = r"|[" + CN_COUNTS + r"]{1,3}(?=[名个人户家所项处间])"
_TARGET = re.compile(r"(分别|(?<!平)均|总体)?(" + "|".join(COMPARATORS) + r")\s*(?:落实|配备|安排|设置|有)?\s*"
                     + QUANTITY.replace(r"(\d+(?:\.\d+)?)", r"(\d+(?:\.\d+)?" + _CN_COUNT + ")", 1)
                     + r"((?:\s*[、和及]\s*\d+(?:\.\d+)?\s*(?:%|‰|亿千瓦|万千瓦|千瓦)?(?![\d.]|(?:亿|千万|百万|万|千)?级))*)"
                     r"(以内|以下|以上|左右)?")
_CLEARED = re.compile(r"(动态)?[“\"]?清零[”\"]?")
# 嘉鱼 「全年较大以上生产安全事故起数为零」: a count held at nought, read as 清零 (= 0); a count's name before it
_NOUGHT = re.compile(r"(?<=[数量])(?:保持为零|为零|为0)(?![\d.%增])")


def _targets(t: str, found: Found, used: list[tuple[int, int]], by_default: ast.CnDate | None,
             scope_names: Sequence[str]) -> None:
    last: tuple[int, tuple[str, str | None, str | None]] | None = None  # the sentence and metric of the last target
    qualified: tuple[int, str] | None = None  # where the last 「比例县道不低于13%」 ended, and its metric (比例)
    for m in _TARGET.finditer(t):
        prefix, comparator, number, unit, more, suffix = m.groups()
        if not number[0].isdigit():
            number = str(cn_number(number) or "")
            if not number:
                continue
        comparator = SAME_AS.get(comparator, comparator)
        unit = unit or ""
        after = t[m.end(): m.end() + 2]
        if any(after.startswith(u) for u in NOT_TARGET_UNITS):
            continue
        if unit in ("个月", "年", "天", "日", "小时", "周", "个工作日") and not (
                comparator in ("控制在", "不超过", "不高于") and TIME_METRIC.search(
                    _metric(t, sentence_at(t, m.start(), m.end())[0], m.start(), scope_names)[0])):
            continue
        if t[max(0, m.start() - 2): m.start()] == "最高" or (not unit and not more):
            continue
        if unit == "次" and re.search(r"每(半年|季度|年|季|月|周)[^，。；]{0,4}$", t[max(0, m.start() - 8): m.start()]):
            continue  # 巡查每月不少于1次: a frequency (a recurring deadline), not a target
        s_left, s_right = sentence_at(t, m.start(), m.end())
        if m.group(2) in RAISE_TO and re.search(r"目前|现已|已经|已(?=[^，,；;]*$)", t[s_left: m.start()]):
            continue  # 14 「目前…日常分拣处置能力提升至900吨/日」: what has been done, not a level to reach
        if re.search(r"的[，,]可", t[m.end(): s_right]) or t[m.end(): m.end() + 1] == "的":
            continue  # an eligibility threshold (…达到25%…的，可申请), or a condition (超过100人的企业)
        values = [number] + re.findall(r"\d+(?:\.\d+)?", more or "")
        metric, condition, scope = _metric(t, s_left, m.start(), scope_names)
        if not metric and last is not None and last[0] == s_left and _only_a_date(t, s_left, m.start()):
            metric, condition, scope = last[1]  # 到2023年…家庭医生数不低于4人，到2025年不低于4.66人: the same metric
        metric, qualified = _qualified(t, m, metric, qualified)
        if comparator in ("至少", "不少于") and unit in PER_UNITS:
            metric, per, condition = _per_metric(t, s_left, m, unit)
        else:
            per = None
        each = re.match(r"^每(处|个|所|家|座|间)", metric)
        if each and per is None:  # …设置至少1个村居颐康服务站，每处建筑面积不少于200平方米: the site counted before
            per, metric = each.group(1), metric[each.end():]
            if last is not None and last[0] == s_left:
                metric = re.sub(r"人?数$", "", last[1][0]) + metric
        if not metric:
            continue
        last = (s_left, (metric, condition, scope))
        used.append(m.span())
        within = "以内" if suffix in ("以内", "以下") and comparator in ("控制在", "不超过", "不高于") else None
        written = t[m.start(2): m.end(2)]
        cut = f"原文「{written}{t[m.start(3): m.end()]}」" if written in CUT_TO else None
        if cut:  # 压缩至1个工作日: the level to bring it down to, 以内 whether printed or not
            within = "以内"
        bound = suffix if suffix in ("以上", "以下") and comparator == "稳定在" else None  # 稳定在170万亩以上: ≥
        note = cut or ("左右" if suffix == "左右" else None)
        years, year_spans = _years_before(t, s_left, m.start())
        used.extend(year_spans)
        # one target per value (分别达到40%、50%), each dated by its year when the years pair with the values
        value_units = [unit]
        if len(values) > 1 and prefix != "均":
            units = re.findall(r"(%|‰|亿千瓦|万千瓦|千瓦)", more or "")
            value_units += [u or unit for u in (units + [""] * len(values))[: len(values) - 1]]
        plan = _PLAN.search(t[s_left: m.start()])
        by_plan = year_end(_plan_last_year(plan.group(1))) if plan and not years else None  # “十四五”期间…: its end
        dates = [year_end(y) for y in years] if len(years) == len(values) > 1 and prefix != "均" else \
            [by_plan or _by(years, by_default)] * len(value_units)
        parallel = split_metric(metric) if prefix == "均" or (len(values) > 1 and len(years) != len(values)) else [metric]
        if prefix == "均" and len(parallel) > 1:  # 马铃薯种植、收获机械化率均达到45%: each metric reaches it
            rule = ast.Compare(comparator=comparator, quantity=quantity(values[0], unit), within=within, bound=bound)
            for name in parallel:
                found.targets.append(target(name, rule, dates[0], scope=scope, per=per, condition=condition, note=note))
            continue
        metrics = parallel if len(parallel) == len(values) > 1 else [metric] * len(values)
        for v, u, by, name in zip(values, value_units, dates, metrics):
            rule = ast.Compare(comparator=comparator, quantity=quantity(v, u), within=within, bound=bound)
            found.targets.append(target(name, rule, by, scope=scope, per=per, condition=condition, note=note))
        if len(values) > 1 and prefix != "均":
            if len(years) == len(values) or len(parallel) == len(values):
                continue
            found.todos.append(f"「{t[s_left:m.end() + len(suffix or '')].replace('□', '')}」：分别对应的指标不明，请为各目标核对指标名称")
            continue
        if prefix == "均" and re.search(r"[、和及]", metric):
            found.todos.append(f"「{metric}均{t[m.start() + len(prefix):m.end() + len(suffix or '')]}」：一个目标写了并列的几项指标，"
                               "请核对是否应按各项拆为几个目标")
    _counts_before_noun(t, found, used, by_default)
    _bare_counts(t, found, used, by_default)
    _shares(t, found, used, by_default)
    _shares_of(t, found, used, by_default)
    _all_of(t, found, used, by_default)
    _per_length_floors(t, found, used)
    _per_head_standards(t, found, used, by_default)
    _shares_of_things(t, found, used, by_default)
    _every_one_has(t, found, used)
    _full_coverage(t, found, used, by_default)
    for m in _NOUGHT.finditer(t):
        s_left, _ = sentence_at(t, m.start(), m.end())
        metric = re.sub(r"^(全年|全县|全市|全区|全省|年内)", "", _clip_metric(t[s_left: m.start()]))
        if len(metric) >= 3 and _free(used, m.start(), m.end()):
            used.append(m.span())
            found.targets.append(target(metric, ast.Cleared(), note=f"原文「{metric}{m.group(0)}」"))
    for m in _CLEARED.finditer(t):
        if re.match(r"情况|等", t[m.end():]):  # 动态隐患清零情况: a state looked at, not one to reach
            continue
        s_left, _ = sentence_at(t, m.start(), m.end())
        metric = _clip_metric(t[s_left: m.start()])
        if re.search(r"开展|部署", metric):  # 牵头开展…、风险隐患协同清零: a list of work to do, not a metric
            continue
        if metric and _free(used, m.start(), m.end()):
            used.append(m.span())
            found.targets.append(target(metric, ast.Cleared()))


_PLAN = re.compile(r"[“\"]?(十[一二三四五六七八九]?五)[”\"]?(?:期间|时期|末|期末)")
_SHARE = re.compile(r"(比例|比重|占比|率)为(\d+(?:\.\d+)?)%")


def _plan_last_year(plan: str) -> int:
    """十四五 → 2025: the nth five-year plan ends in 1955 + 5n."""
    return 1955 + 5 * (cn_number(plan[:-1]) or 0)


def _shares(t: str, found: Found, used: list[tuple[int, int]], by_default: ast.CnDate | None) -> None:
    """`面向社会电脑派位招生的比例为90%`: a share fixed at a value (=), as docs/encoding.md §10 reads an admission ratio.
    Dated only by a 到YYYY年 the paragraph opens with: a year inside the sentence says which intake, not by when."""
    for m in _SHARE.finditer(t):
        if not _free(used, m.start(2), m.end()):
            continue
        s_left, _ = sentence_at(t, m.start(), m.end())
        metric = _clip_metric(re.sub(r"\d{4}年(?:度)?", "", t[s_left: m.end(1)])).replace("的", "")
        if len(metric) < 3:
            continue
        used.append((m.start(2), m.end()))
        found.targets.append(target(metric, ast.Compare(comparator="=", quantity=quantity(m.group(2), "%")), by_default))


# 等级应急避难场所建设面积应不少于总量的30% · 落实海绵城市达标区面积占建成区50%的目标要求: a share of a whole
_SHARE_OF = re.compile(r"(?:(不低于|不少于|达到|不超过|完成)([^，,。；;\d%]{1,8}?)的|占([^，,。；;\d%]{1,8}?)的?)(\d+(?:\.\d+)?)%")


def _shares_of(t: str, found: Found, used: list[tuple[int, int]], by_default: ast.CnDate | None) -> None:
    """A share of a whole, written with its whole: the metric is 「X占Y比例」 (docs/encoding.md §10, 08's 2.0); a
    share with no comparator only when the text calls it a target (11's 「…占建成区50%的目标要求」)."""
    for m in _SHARE_OF.finditer(t):
        comparator, whole = (m.group(1), m.group(2)) if m.group(1) else ("达到", m.group(3))
        if not _free(used, m.start(4), m.end()) or not (m.group(1) or re.match(r"的?目标", t[m.end():])):
            continue  # without a comparator only 「…占建成区50%的目标」 is one: 占比近30% is how things stand
        s_left, _ = sentence_at(t, m.start(), m.end())
        if comparator == "完成":  # 2025年前完成总目标的75%: the share of the whole done, dated by the 年前 before it
            dated = re.search(r"(\d{4})年(?:底)?(?:之?前)$", t[s_left: m.start()])
            if not dated:
                continue
            used.extend([(m.start(4), m.end()), (s_left + dated.start(), m.start())])
            rule = ast.Compare(comparator="达到", quantity=quantity(m.group(4), "%"))
            found.targets.append(target(f"{whole}完成比例", rule, year_end(dated.group(1))))
            continue
        subject, condition, _ = _metric(t, s_left, m.start(), ())
        subject = re.sub(r"(应当|应|要|须)$", "", subject)
        if len(subject) < 2 or condition:
            continue
        used.append((m.start(4), m.end()))
        years, year_spans = _years_before(t, s_left, m.start())
        used.extend(year_spans)
        rule = ast.Compare(comparator=comparator, quantity=quantity(m.group(4), "%"))
        found.targets.append(target(f"{subject}占{whole}比例", rule, _by(years, by_default)))


_ALL_OF = re.compile(r"(?:全部|所有)([^，,。；;、\d]{2,20}?)均(?:应当|应|要|须|需)?([^，,。；;\d]{2,20})")


def _all_of(t: str, found: Found, used: list[tuple[int, int]], by_default: ast.CnDate | None) -> None:
    """`到2025年，全部社区卫生服务中心和镇卫生院均应提供长期处方服务`: every one of them is a share of 100%, named as
    docs/encoding.md names a share (提供长期处方服务的社区卫生服务中心和镇卫生院比例), dated like any target."""
    for m in _ALL_OF.finditer(t):
        if not _free(used, m.start(), m.end()):
            continue
        s_left, _ = sentence_at(t, m.start(), m.end())
        years, year_spans = _years_before(t, s_left, m.start())
        if not (years or by_default):
            continue  # 全部…均… with no date is how a rule reads (全部费用均由…承担), not an aim
        used.append(m.span())
        used.extend(sp for sp in year_spans if t[sp[0]] in "到至截")
        metric = f"{m.group(2).strip()}的{m.group(1).strip()}比例"
        found.targets.append(target(metric, reach("100", "%"), _by(years, by_default), note=f"原文「{m.group(0)}」"))


# 不得低于县道每年每公里1万元，乡道每年每公里5000元: a floor per length (or area) and year, one per kind of road
_FLOOR = re.compile(r"(不得低于|不应低于|不低于|不得少于|不少于)((?:[^，,。；;\d每]{1,6}每(?:年|月)?每(?:公里|千米|平方米|亩)"
                    r"\d+(?:\.\d+)?(?:万|亿)?元[，,、]?)+)")
_FLOOR_ITEM = re.compile(r"([^，,。；;\d每]{1,6})(每(?:年|月)?每(?:公里|千米|平方米|亩))(\d+(?:\.\d+)?)((?:万|亿)?元)")
_PURPOSE = re.compile(r"用于(?:[^，,。；;、和的\d]{0,6}?(?:公路|道)[、和及]?)*([^，,。；;、的\d]{2,8}?)的?(?:经费|资金)?总额")


def _per_length_floors(t: str, found: Found, used: list[tuple[int, int]]) -> None:
    """`其中用于农村公路日常养护的总额不得低于县道每年每公里1万元，乡道每年每公里5000元`: one floor per kind of road,
    named by the road and what the money is for (县道日常养护资金), per 「县道每年每公里」, as docs/encoding.md §10
    writes it. Money is no target elsewhere (NOT_TARGET_UNITS): here the amount is the duty, a minimum to spend."""
    for m in _FLOOR.finditer(t):
        if not _free(used, m.start(), m.end()):
            continue
        s_left, _ = sentence_at(t, m.start(), m.end())
        purposes = list(_PURPOSE.finditer(t, s_left, m.start()))
        purpose = purposes[-1].group(1) if purposes else ""
        used.append(m.span())
        for item in _FLOOR_ITEM.finditer(m.group(2)):
            what = item.group(1).strip("，,、 ")
            rule = ast.Compare(comparator=m.group(1).replace("得", "").replace("应", ""), quantity=quantity(item.group(3), item.group(4)))
            found.targets.append(target(f"{what}{purpose}资金", rule, per=f"{what}{item.group(2)}"))


# 低保标准提高到每人每月1000元以上 · 城乡低保标准每人每月不低于800元: a standard of money per person (or household)
# and period — the other amount of money a measure sets as its duty (NOT_TARGET_UNITS keeps money out elsewhere).
_PER_HEAD = r"每(?:人|户|名)(?:每(?:年|月|天|日))?"
_STANDARD_TO = re.compile(r"([^，,。；;：:\d]{2,16}?)(提高到|提高至|提升到|提升至|调整到|调整至|调整为|达到|不低于|不少于)"
                          r"(" + _PER_HEAD + r")(\d+(?:\.\d+)?)((?:万)?元)(以上|左右)?")
_STANDARD_PER = re.compile(r"([^，,。；;：:\d]{2,16}?)(" + _PER_HEAD + r")(提高到|提高至|达到|不低于|不少于|不得低于)"
                           r"(\d+(?:\.\d+)?)((?:万)?元)(以上|左右)?")
_RAISE = {"提高到": "达到", "提高至": "达到", "提升到": "达到", "提升至": "达到", "调整到": "达到", "调整至": "达到",
          "调整为": "达到", "不得低于": "不低于"}


def _per_head_standards(t: str, found: Found, used: list[tuple[int, int]], by_default: ast.CnDate | None) -> None:
    """`低保标准提高到每人每月1000元以上` → 低保标准 不低于 1000元 每 "人每月" (and 「…标准每人每月不低于800元」):
    a standard per person and month is the measure's figure to reach, dated like any target of its sentence;
    「提高到…以上」 is a floor, 「提高到…」 alone a level to reach."""
    hits = [(m.start(), m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6), m.span())
            for m in _STANDARD_TO.finditer(t)]
    hits += [(m.start(), m.group(1), m.group(3), m.group(2), m.group(4), m.group(5), m.group(6), m.span())
             for m in _STANDARD_PER.finditer(t)]
    for _, before, verb, per, number, unit, suffix, span in sorted(hits):
        start = span[0] + len(before)
        if not _free(used, start, span[1]):
            continue
        metric = _clip_metric(before)
        if len(metric) < 2:
            continue
        used.append((start, span[1]))
        comparator = "不低于" if suffix == "以上" else _RAISE.get(verb, verb)
        s_left, _ = sentence_at(t, start, span[1])
        years, _ = _years_before(t, s_left, start)
        found.targets.append(target(metric, ast.Compare(comparator=comparator, quantity=quantity(number, unit)),
                                    _by(years, by_default), per=per[1:], note="左右" if suffix == "左右" else None))


# 100%的社区卫生服务中心和镇卫生院完成中医馆设置 · 加强15%的中医馆内涵建设 · 在10%的社区卫生服务站设置中医阁
_FACILITY = r"(?:馆|站|院|中心|所|室|校|园|机构|社区|村|户|企业|小区)"
_SHARE_DOING = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)%的([^，,。；;、的\d%]{1,20}?" + _FACILITY
                          + r")(完成|设置|建成|实现|开展|提供|配备|建立)([^，,。；;\d%]{2,10})")
_DOING_SHARE = re.compile(r"(加强|推进|实施|开展|完成)(\d+(?:\.\d+)?)%的([^，,。；;、的\d%]{1,12}?" + _FACILITY
                          + r")([^，,。；;\d%]{2,8})")


def _shares_of_things(t: str, found: Found, used: list[tuple[int, int]], by_default: ast.CnDate | None) -> None:
    """A share of the facilities that do something, written 「N%的X<verb>Y」 or 「<verb>N%的X<Y>」: the metric is
    the share of X doing it, named as docs/encoding.md names a share (完成中医馆设置的社区卫生服务中心和镇卫生院比例)."""
    hits = [(m.span(), m.group(1), f"{m.group(3)}{m.group(4)}的{m.group(2)}比例") for m in _SHARE_DOING.finditer(t)]
    hits += [(m.span(), m.group(2), f"{m.group(1)}{m.group(4)}的{m.group(3)}比例") for m in _DOING_SHARE.finditer(t)]
    for span, value, metric in sorted(hits):
        if not _free(used, *span):
            continue
        s_left, _ = sentence_at(t, *span)
        years, year_spans = _years_before(t, s_left, span[0])
        used.append(span)
        used.extend(year_spans)
        found.targets.append(target(metric, reach(value, "%"), _by(years, by_default)))


# 辖区实有独居老人家中都应安装独立式烟感报警器: every one of them is to have one
_EVERY_HAS = re.compile(r"([^，,。；;：:]{2,20}?)(?:都|均)(?:应当|应|要|须|必须)(安装|配备|配置|设置)([^，,。；;、\d]{2,12})")


def _every_one_has(t: str, found: Found, used: list[tuple[int, int]]) -> None:
    """A coverage duty, 「X都应安装Y」: at least one Y for each X (docs/encoding.md §11), not a note. Dated only by a
    year in its own sentence: the duty stands, it is not reached once."""
    for m in _EVERY_HAS.finditer(t):
        if not _free(used, m.start(), m.end()):
            continue
        each = re.sub(r"^(原则上|确保|今后|目前)+", "", LEAD_WORDS.sub("", m.group(1))).strip()
        if len(each) < 2:
            continue
        s_left, _ = sentence_at(t, m.start(), m.end())
        years, _spans = _years_before(t, s_left, m.start())
        used.append(m.span())
        rule = ast.Compare(comparator="至少", quantity=quantity("1", "个"))
        found.targets.append(target(m.group(3), rule, _by(years, None), per=each, note=f"原文「{m.group(0)}」"))


_QUALIFIED = re.compile(r"^(.{2,}?(?:比例|比重|占比|率))([^的、，,\d%]{1,4})$")  # 按道路总里程比例 | 县道


def _qualified(t: str, m: re.Match[str], metric: str, last: tuple[int, str] | None) -> tuple[str, tuple[int, str] | None]:
    """03's 「年均专项养护工程按道路总里程比例县道不低于13%、乡、村道不低于8%」: a ratio followed by what it is of (县道)
    is that thing's ratio (县道年均专项养护工程按道路总里程比例), and the next 「、乡、村道不低于8%」 the same ratio of
    the next thing. Returns the metric and what the next comparator may continue."""
    between = t[last[0]: m.start()] if last is not None else ""
    if last is not None and (more := re.fullmatch(r"[、和及]([^，,。；;\d%]{1,6})", between)):
        return more.group(1) + last[1], (m.end(), last[1])
    q = _QUALIFIED.match(metric)
    if q is None:
        return metric, None
    return q.group(2) + q.group(1), (m.end(), q.group(1))


_FULL_COVERAGE = re.compile(r"实现([^，,。；;：:的\d]{2,20})的全覆盖")


def _full_coverage(t: str, found: Found, used: list[tuple[int, int]], by_default: ast.CnDate | None) -> None:
    """`2017年…实现垃圾分类居住区绿色账户的全覆盖`: a coverage of 100% (X覆盖率), dated like any target. Only 「实现X的
    全覆盖」: 「做到…管理养护全覆盖」「每月全覆盖一次」 say how work is done, 「基本实现家庭全覆盖」 hedges."""
    for m in _FULL_COVERAGE.finditer(t):
        if not _free(used, m.start(), m.end()) or t[max(0, m.start() - 2): m.start()] == "基本":
            continue
        s_left, _ = sentence_at(t, m.start(), m.end())
        years, _spans = _years_before(t, s_left, m.start())
        used.append(m.span())
        found.targets.append(target(f"{m.group(1)}覆盖率", reach("100", "%"), _by(years, by_default)))


_AREA = r"\d+(?:\.\d+)?(?:万|亿)?(?:亩|公顷|平方公里)"
_COUNT_LIST = re.compile(r"((?:[^，,。；;、\d年]{0,8}?" + _AREA + r"[^，,。；;、\d]{0,10}、)+[^，,。；;、\d]{0,8}?" + _AREA
                         + r"[^，,。；;、\d]{1,12}?)(保护底线|任务)")
_COUNT_PART = re.compile(r"^([^\d]*?)(\d+(?:\.\d+)?)((?:万|亿)?(?:亩|公顷|平方公里))(.*)$")


def _counts_before_noun(t: str, found: Found, used: list[tuple[int, int]], by_default: ast.CnDate | None) -> None:
    """Areas listed before what they are of, closing on 任务 or 保护底线 (09): 「完成新增建设13万亩、改造提升11万亩高标准农田
    任务」 — the last part's noun is shared, each metric its own verb + the noun (新增建设高标准农田, 达到); 「确保至2035年
    全市202万亩耕地、150万亩永久基本农田保护底线」 — each part names its land, and a 保护底线 is a floor on the area kept
    (耕地保护面积 不低于 202万亩)."""
    for m in _COUNT_LIST.finditer(t):
        if not _free(used, m.start(), m.end()):
            continue
        parts = [_COUNT_PART.match(p) for p in m.group(1).split("、")]
        if any(p is None for p in parts):
            continue
        matched = [p for p in parts if p is not None]
        shared = all(not p.group(4) for p in matched[:-1]) and matched[-1].group(4)
        floor = m.group(2) == "保护底线"
        s_left, _ = sentence_at(t, m.start(), m.end())
        years, year_spans = _years_before(t, s_left, m.start())
        by = _by(years, by_default)
        made: list[ast.Target] = []
        for p in matched:
            verb = re.sub(r"^.*?(完成|实现|确保|全市|全区|全县)", "", p.group(1)).strip()
            if shared:
                metric = verb + matched[-1].group(4)
            else:
                metric = p.group(4).strip() + ("保护面积" if floor else "")
            if len(metric) < 2:
                made = []
                break
            rule = ast.Compare(comparator="不低于" if floor else "达到", quantity=quantity(p.group(2), p.group(3)))
            made.append(target(metric, rule, by))
        if made:
            used.append(m.span())
            used.extend(year_spans)
            found.targets.extend(made)


def _only_a_date(t: str, s_left: int, start: int) -> bool:
    """The clause before a comparator is a date and nothing else (「，到2025年不低于…」): it goes on the metric of the
    target before it in the sentence."""
    clause_left = max(t.rfind(c, s_left, start) for c in "，,：:") + 1
    return bool(re.fullmatch(r"\s*(?:到|至|力争)*\d{4}年(?:底|末)?(?:力争|达到)?\s*", t[max(s_left, clause_left): start]))


def _unquote(text: str) -> str:
    """Quotes off the ends only where they are not half of a pair inside: “美丽街区” → 美丽街区, but
    “城中村”整体改造类项目 and 高品质“美丽街区” keep theirs."""
    if text.startswith("“") and text.endswith("”") and text.count("“") == 1 and text.count("”") == 1:
        return text[1:-1]
    if text.startswith("“") and text.count("“") > text.count("”"):
        text = text[1:]
    if text.endswith("”") and text.count("”") > text.count("“"):
        text = text[:-1]
    return text.strip('"')


# a second building verb after the first (新建改建 · 新建、改扩建): part of the verb, never of the noun counted
_MORE_BUILDING = re.compile(r"^(?:[、和或]?(?:新建|改扩建|改建|扩建|建成|创建))+")


def _bare_counts(t: str, found: Found, used: list[tuple[int, int]], by_default: ast.CnDate | None) -> None:
    """`完成既有多层住宅加装电梯700台` → 既有多层住宅加装电梯 达到 700台; `创建20个…特色小区` → 特色小区… 达到 20个.
    The metric is the words between the verb and the number, else those after the unit. 新增 and 累计 name what
    grows before them (`绿色账户要新增覆盖14.3万户，累计达到30.3万户`: 绿色账户新增覆盖 · 绿色账户累计覆盖)."""
    last: tuple[int, str] | None = None  # the sentence and metric of the last 新增 count
    for m in _BARE.finditer(t):
        verb, between, about, number, unit, after = m.groups()
        start, end = m.start(4), m.end(5)
        if not _free(used, start, end) or re.match(r"^\s*(以上|以下|左右)?的", after) or between.startswith("了"):
            continue  # 新增了34个指标: 了 reports what was done, not a figure to reach
        if len(re.findall(r"[（(]", between)) > len(re.findall(r"[）)]", between)):
            continue  # 建设类型分为…(包括6个等级): a count in a gloss, not a figure to reach
        s_left, _ = sentence_at(t, start, end)
        if re.fullmatch(r"(?:" + _BARE_VERBS + r"|或|和|、)*", between.strip()):  # 打造创建3个… · 改建或新建9座…
            between = ""
        elif (more := _MORE_BUILDING.match(between)) and len(between) - more.end() >= 2:
            between = between[more.end():]  # 新建改建普惠性幼儿园6所: 幼儿园, not 改建普惠性幼儿园
        metric = _clip_metric(between) if len(between.strip()) >= 2 else \
            re.sub(r"^(的|以上|左右)", "", after)
        if verb == "累计" and re.fullmatch(r"\s*(?:达到|达|为)?\s*", between) and last and last[0] == s_left:
            metric = last[1].replace("新增", "累计", 1)  # 新增覆盖14.3万户，累计达到30.3万户: the same count, in total
        elif verb in _FLOW_VERBS and len(between.strip()) > (2 if verb == "新增" else 1) and not metric.startswith(("新增", "累计", "新开工")):
            metric = verb + metric  # 新增城镇就业2万人: the indicator is 新增城镇就业 (a flow), not the 城镇就业 stock
        elif verb == "新增" and len(between.strip()) <= 2:
            subject = re.sub(r"^(本区|本市|全区|全市|本镇|本街道)|(要|应|将|须)$", "", _clip_metric(t[s_left: m.start()]))
            if len(subject) >= 2:
                metric = subject + verb + between.strip()
                last = (s_left, metric)
        metric = _unquote(metric.strip("、 "))
        if len(metric) < 2 or _ANOTHER_COUNT.search(metric):  # 65个基础性指标和市级新增34个指标: counts, no metric
            continue
        used.append((start, end))
        years, year_spans = _years_before(t, s_left, start)
        if not (t[max(0, m.start() - 2): m.start()] == "每年"):  # 到2025年，…培育1家…: the year dates the count, no
            used.extend(sp for sp in year_spans if t[sp[0]] in "到至截")  # deadline of its own (2012年起5年内 stays one)
        prefix = "累计" if verb == "累计" else ""
        about = about or ""  # 完成…整治约48公里: the planned figure, written approximately
        note: str | None = f"原文「{prefix or verb}…{about}{number}{unit}」，无比较词，按「达到」记" if not prefix \
            else f"累计{about}"
        yearly = t[max(0, m.start() - 2): m.start()] == "每年"  # 每年完成80万平米…: a figure for each year, undated
        by = None if yearly else _by(years, by_default)
        rule = reach(number, unit)
        if after.startswith("以上"):  # 培育规模以上企业20家以上: a floor, not a figure to hit
            rule, note = ast.Compare(comparator="不低于", quantity=quantity(number, unit)), None
        found.targets.append(target(metric, rule, by, per="年" if yearly else None, note=note))
        if between:
            continue
        # 创建20个…特色小区、10个…示范小区: more counts of the same verb, listed after the first
        end_of_list = m.end()
        for more in _MORE_COUNTS.finditer(t, m.end()):
            if more.start() != end_of_list:
                break
            end_of_list = more.end()
            metric = _unquote(more.group(3).strip())
            if len(metric) < 2 or not _free(used, more.start(1), more.end(2)):
                break
            used.append((more.start(1), more.end(2)))
            found.targets.append(target(metric, reach(more.group(1), more.group(2)), by, per="年" if yearly else None,
                                        note=f"原文「{verb}…{more.group(1)}{more.group(2)}」，无比较词，按「达到」记"))


def split_metric(metric: str) -> list[str]:
    """Parallel metrics written once: `花生种植、收获机械化率` → 花生种植机械化率, 花生收获机械化率; `城镇和农村低保
    标准` → 城镇低保标准, 农村低保标准. The first item carries the shared head, the last the shared tail; the items
    are words of one length (jieba: the first part's last word, the last part's first word and every middle part).
    `[metric]` when it is no such list (`丘陵山区县（市、区）…` has its 、 in brackets; `设施农业、…和农产品初加工
    机械化率` lists items of different lengths, which cannot be told from the tail)."""
    parts = [p for p in re.split(r"[、和及与]", metric) if p]
    if len(parts) < 2 or re.search(r"[（(）)]", metric):
        return [metric]
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    first, last = parts[0], parts[-1]
    size = len(jieba.lcut(first)[-1])
    if len(jieba.lcut(last)[0]) != size or len(last) <= size or any(len(p) != size for p in parts[1:-1]):
        return [metric]
    head, tail = first[: len(first) - size], last[size:]
    return [head + item + tail for item in [first[len(first) - size:], *parts[1:-1], last[:size]]]


def _by(years: list[str], by_default: ast.CnDate | None) -> ast.CnDate | None:
    """The end of the last year written before the number, else the date the paragraph opens with."""
    return year_end(years[-1]) if years else by_default


def _years_before(t: str, s_left: int, start: int) -> tuple[list[str], list[tuple[int, int]]]:
    """Years written before the number in its sentence (to the last 。): `2019年、2020年` · `2019年至2020年` ·
    `2018—2020年` · `到2020年`; with the spans of the lists a target consumes (a 分别 pairing, `到2020年`)."""
    left = t.rfind("。", 0, start) + 1
    head = t[left:start]
    started = _START_YEARS.search(head)
    if started:  # 2012年起5年内…引进100名: by the end of the fifth year
        return ([str(int(started.group(1)) + (cn_number(started.group(2)) or 1) - 1)],
                [(left + started.start(), left + started.end())])
    pairing = "分别" in t[max(left, start - 4): start + 4]
    ranges = list(re.finditer(r"(\d{4})\s*年?\s*[至到—–\-~～]\s*(\d{4})\s*年", head))
    m = ranges[-1] if ranges else None  # the last range before the date
    if m:
        span = [(left + m.start(), left + m.end())] if pairing else []
        years = [str(y) for y in range(int(m.group(1)), int(m.group(2)) + 1)] if pairing else [m.group(2)]
        return years, span
    found = list(re.finditer(r"(?:到|至|截至)?(\d{4})年(?:底|末)?(?:[、和](?=\d{4}年))?", head))
    spans = [(left + f.start(), left + f.end()) for f in found if pairing or f.group(0)[:1] in "到至截"]
    return [f.group(1) for f in found], spans


def _clip_metric(text: str) -> str:
    """The noun phrase a comparator applies to: the clause before it, without leading verbs and context."""
    seg = re.split(r"[，,。；;：:]", text)[-1] if text else ""
    depth, cut = 0, 0
    for i, ch in enumerate(seg):  # an unclosed （ opens a parenthesis the metric is inside: start after it
        if ch in "（(":
            depth, cut = depth + 1, (i + 1 if depth == 0 else cut)
        elif ch in "）)":
            depth = max(0, depth - 1)
    seg = seg[cut:] if depth else seg
    seg = re.sub(r"(力争|确保|争取|原则上)$", "", seg)  # 覆盖率力争达到95%: the aim word after the metric, not before it
    seg = LEAD_WORDS.sub("", seg)
    seg = re.sub(r"^(\d{4}年(底|末)?|到\d{4}年|原则上|要|应(?!急)|其中|逐步|进一步)+", "", seg)
    seg = re.sub(r"(动态|总体|平均|均|分别|累计|按期|比例?较\S*)$", "", seg)  # 电价平均降低5% · 案件按期清零
    return _unquote(seg.replace("□", "").strip("\"、 "))  # “智慧农场”示范基地 keeps its pair of quotes


def _metric(t: str, s_left: int, start: int, scope_names: Sequence[str]) -> tuple[str, str | None, str | None]:
    """(metric, condition, scope): `…在定点医疗机构住院的医保目录外费用占比` → condition before the last 的."""
    clause_left = max(t.rfind(c, s_left, start) for c in "，,：:") + 1
    raw = t[max(s_left, clause_left): start]
    raw = re.sub(r"^(\d{4}年?(底|末)?[、和至到—–\-~～]?)+", "", raw)
    raw = re.sub("^" + _PLAN.pattern, "", raw)  # “十四五”期间粮食生产面积: the period dates the target (by its end)
    scope = None
    for name in scope_names:
        if raw.startswith(name) and len(raw) > len(name) + 1:
            scope, raw = name, raw[len(name):]
            break
    metric = _clip_metric(raw)
    condition = None
    if "的" in metric and not metric.endswith("的"):
        condition, metric = metric.rsplit("的", 1)
        condition = condition.strip() or None
    return metric, condition, scope


def _balanced(tail: str) -> str:
    """The text after a number up to a bracket that closes one opened before it: 「…至少配备1名）」 ends at the ）."""
    depth = 0
    for i, ch in enumerate(tail):
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            if depth == 0:
                return tail[:i]
            depth -= 1
    return tail


def _glossed(t: str, s_left: int, start: int) -> tuple[str, str | None] | None:
    """A count inside a parenthesis that glosses a noun: 「安排相应人员（每5000名户籍老年人配备1名，不足5000名的至少
    配备1名）」 → (相应人员, 5000名户籍老年人): the noun before the （ is what is counted, a 每… inside it the base."""
    opened = -1
    for i in range(start - 1, s_left - 1, -1):
        if t[i] in "）)":
            return None  # a closed parenthesis before the count: it is not inside one
        if t[i] in "（(":
            opened = i
            break
    if opened < 0:
        return None
    before = re.split(r"[，,。；;：:、]", t[s_left:opened])[-1]
    noun = re.sub(r"^.*?(?:落实|配备|安排|设置|配置|确定|建立)", "", before)
    noun = re.sub(r"^(相应的?|必要的?|一定数量的?)", "", noun).strip()
    per = re.match(r"每(\d+(?:\.\d+)?[名人户个位家][^，,。；;）)]*?)(?:配备|安排|设置|配置|落实|不少于|至少)", t[opened + 1: start])
    return (noun, per.group(1) if per else None) if len(noun) >= 2 else None


_PER_PERIOD = re.compile(r"^每(年|半年|季度|月|周)度?(?:实施|完成|开展|新建|建成|建设|改造|培育|引进|组织|举办|召开|培训|新增|打造|"
                         r"创建|发展|认定|评选|推出|招引|推介|签约|新开工|开工|落地|帮扶|走访|举办|征集|发布|办理|救助|资助|"
                         r"吸纳|安置|转移|引导)([\u4e00-\u9fff]{2,20})$")


def _per_metric(t: str, s_left: int, m: re.Match[str], unit: str) -> tuple[str, str | None, str | None]:
    """`每个村（社区）至少落实1名社会救助协理员` → (社会救助协理员人数, per 村（社区）). Inside a parenthesis the text
    after the count stops at its ）, and an empty count glosses the noun before the （ (`_glossed`)."""
    tail = _balanced(re.split(r"[，,。；;、]", t[m.end():], maxsplit=1)[0])  # 「不少于12个、50亿级项目…」: the next count
    noun = re.sub(r"^(落实|配备|安排|设置|建立)", "", tail).strip()
    glossed = _glossed(t, s_left, m.start()) if not noun else None
    if glossed is not None:
        noun, base = glossed
        return noun + ("数" if noun.endswith("人员") else "人数" if unit in ("人", "名") else "数"), base, None
    head = t[max(s_left - 1, *(t.rfind(c, s_left, m.start()) for c in "，,：:")) + 1: m.start()]
    head = re.sub(r"^.*?(确保|原则上|保证)", "", head)
    head = re.sub(r"(落实|配备|安排|有)$", "", head)
    condition = None
    yearly = _PER_PERIOD.match(head) if not noun else None
    if yearly:  # 绛县 「每年实施技术改造项目不少于5个」: a count for each year of what the verb does, not per entity
        counted = yearly.group(2).strip()
        return counted + ("人数" if unit in ("人", "名") else "" if counted.endswith("数") else "数"), yearly.group(1), None
    if not noun and not head.startswith("每"):  # 入户调查人员应当不少于2人: what is counted is before the comparator
        subject = re.sub(r"(应当|应该|必须|应|要|须)$", "", head).strip()
        # 「力争引进20亿级项目不少于12个、50亿级项目不少于2个」: each count's own noun, without 力争 and the verb
        subject = re.split(r"(?<=\d[个名家项处所人户座])、", subject)[-1]
        subject = re.sub(r"^(?:力争|确保|争取)?(?:引进|招引|培育|新建|建成|创建|打造)", "", subject)
        if len(subject) >= 2:
            return subject, None, None
    per = re.split(r"应当|应该|必须|应|要|须", re.sub(r"^每个?", "", head))[0].strip() or None
    noun = noun or "人"
    metric = noun + ("人数" if unit in ("人", "名") and not noun.endswith("人数") else "数" if not noun.endswith("数") else "")
    return metric, per, condition
