"""How offices write a cell of a completion sheet, read as what it means: dates (2019.6, 3月底, 6月上旬, 第二季度,
「6月30日前」, 19年6月, 2019年, 6-8月, and a date in a sentence: 已于8月完成), statuses (已完成（提前）, 已经完成,
完成85%, 已于2019年6月完成, ✓ ○ × marks with the sheet's legend), units with a 牵头/配合 mark, figures in 万
(1.2万人), and the period a title reports on. Pure functions of the text (and the sheet's year): `sheets.complete`
applies them to a sheet's columns and says once, where it is, what was read.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence

from .plan import fold_key

_SERIAL = re.compile(r"\d{5}(?:\.0+)?")
_MONTH_ONLY = re.compile(r"(?:(?P<y>(?:19|20)\d\d)\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?:(?P<d>\d{1,2})\s*[日号]?|(?P<end>底|末|份|)|(?P<xun>上旬|中旬|下旬))\s*$")
# 「2019年第二季度」「二季度末」「上半年」「年底」: a completion dated by the period it fell in, read as its last day
_PERIOD_DATE = re.compile(r"(?:(?P<y>(?:19|20)\d\d)\s*年\s*(?:度\s*)?)?(?:第?(?P<q>[一二三四1-4])\s*季度|(?P<h>上半年|下半年)|(?P<e>年底|年末|全年))\s*[末底]?\s*$")
_YEAR_ONLY = re.compile(r"((?:19|20)\d\d)\s*年度?(?:内|以内)?")
_MONTHS = re.compile(r"(?:(?P<y>(?:19|20)\d\d)\s*年\s*)?(?P<m1>\d{1,2})\s*(?:月\s*)?(?:-|—|–|~|～|至|到)\s*(?P<m2>\d{1,2})\s*月\s*(?:底|末)?")
_BEFORE = re.compile(r"\s*(?:之?前|以前|左右)\s*$")  # 「6月30日前」: by then, which is the date the cell gives


def normal_date(text: str, year: int | None) -> str:
    """A date cell as the engine reads dates: an Excel serial number (44286) is its day; 3月底, 3月31日 take the
    sheet's year; 2021年3月底 is 2021-03 (the month's last day); 6月上旬 is the 10th, 中旬 the 20th, 下旬 the month;
    a period (2019年第二季度, 上半年, 年底, 2019年, 6-8月) is its last day; 「6月30日前」 is 6月30日. Anything else is
    left as written. A completion dated by a period is read at its latest: a deadline check never gains by the reading."""
    s = unicodedata.normalize("NFKC", text).strip()
    if _SERIAL.fullmatch(s):
        number = int(float(s))
        if 20000 <= number <= 80000:  # 1954 … 2119: a day count, not 20190331 or a year
            return (dt.date(1899, 12, 30) + dt.timedelta(days=number)).isoformat()
        return text
    s = _BEFORE.sub("", s)
    if year is not None and (short := SHORT_YEAR.match(s)) is not None:
        s = f"{short_year(int(short.group(1)), year) or short.group(1)}年{s[short.end():]}"
    if (whole := _YEAR_ONLY.fullmatch(s)) is not None:  # 「2019年」: done in that year, read at its end
        return f"{whole.group(1)}-12-31"
    if (span := _MONTHS.fullmatch(s)) is not None:  # 「2019年6-8月」「6月至8月」: done by the last of those months
        s = f"{span.group('y') + '年' if span.group('y') else ''}{span.group('m2')}月"
    if (p := _PERIOD_DATE.fullmatch(s)) is not None:
        y = int(p.group("y")) if p.group("y") else year
        if y is None:
            return text
        month, day = _QUARTER_END[p.group("q")] if p.group("q") else (6, 30) if p.group("h") == "上半年" else (12, 31)
        return f"{y:04d}-{month:02d}-{day:02d}"
    m = _MONTH_ONLY.fullmatch(s)
    if m is None:
        if (said := date_in_text(s)) is not None and said != s:
            return normal_date(said, year)
        return s if s != unicodedata.normalize("NFKC", text).strip() else text
    y = int(m.group("y")) if m.group("y") else year
    month = int(m.group("m"))
    if y is None or not 1 <= month <= 12:
        return text
    if m.group("d"):
        return f"{y:04d}-{month:02d}-{int(m.group('d')):02d}"
    if m.group("xun") in ("上旬", "中旬"):  # by the 10th, by the 20th; 下旬 is the month's end, as 6月 is
        return f"{y:04d}-{month:02d}-{10 if m.group('xun') == '上旬' else 20}"
    return f"{y:04d}-{month:02d}"


# 「19年6月」: a year without its century, read in the century of the sheet's own year (its title's, its 填报日期's)
SHORT_YEAR = re.compile(r"(\d\d)\s*年(?=\s*(?:\d|第|[一二三四]季|上半|下半|年?底|末))")


def short_year(yy: int, year: int) -> int | None:
    """A two-digit year as the four-digit year nearest the sheet's `year` (19 on a 2019 sheet is 2019, 18 is 2018,
    99 on a 2001 sheet 1999), None when that is more than ten years off it (99 on a 2019 sheet is not guessed)."""
    full = min((year - year % 100 + yy + shift for shift in (-100, 0, 100)), key=lambda y: abs(y - year))
    return full if abs(full - year) <= 10 else None


# a date written in a sentence: 「已于2019年6月完成」「2019年6月底前已完成」「于8月20日办结」「已完成（2019.11）」
_DATE_IN_TEXT = re.compile(r"(?:(?:19|20)\d\d\s*年\s*)?(?:第?[一二三四1-4]\s*季度|[上下]半年|\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号]|\s*(?:上旬|中旬|下旬|底|末))?)"
                           r"|(?:19|20)\d\d\s*[.\-/]\s*\d{1,2}(?:\s*[.\-/]\s*\d{1,2})?(?!\d)|(?:19|20)\d\d\s*年(?:底|末)")
_AROUND_DATE = re.compile(r"^(?:已经?|均已|全部|已全部)?\s*(?:于|在)?\s*$")
_AFTER_DATE = re.compile(r"^\s*(?:之?前|以前)?\s*(?:已经?|均已|已?全部|已?全面)?\s*(?:完成|办结|落实|实施|印发|出台|启动|建立|开展)?了?\s*[。.；;]?\s*$")


def date_in_text(text: str) -> str | None:
    """The one date a sentence gives when the sentence only says that the work was done then (「已于2019年6月完成」 →
    2019年6月, 「2019.12前已完成」 → 2019.12); None for anything else (a sentence with two dates, or one saying
    more than when: 「计划于12月完成」 is a plan, not a completion)."""
    s = unicodedata.normalize("NFKC", text).strip()
    found = list(_DATE_IN_TEXT.finditer(s))
    if len(found) != 1:
        return None
    m = found[0]
    if _AROUND_DATE.match(s[: m.start()]) and _AFTER_DATE.match(s[m.end():]):
        return m.group(0)
    return None


def status_date(text: str) -> str | None:
    """The date a status cell gives with its word: 「已于2019年6月完成」, 「已完成（2019.11）」, 「已完成，2019年11月」 → the
    date as written; None when the cell gives none (or several)."""
    s = unicodedata.normalize("NFKC", text).strip()
    if (said := date_in_text(s)) is not None:
        return said
    head = _STATUS_CUT.sub("", s)
    rest = s[len(head):].strip().strip("（）()【】[]，,。；;：: ")
    return rest if rest and date_in_text(rest) == rest else None


_DONE_VERB = re.compile(r"完成|办结|落实|印发|出台|建立|实施")
_STARTED_VERB = re.compile(r"启动|开展")
_QUALIFIED = re.compile(r"部分|未|尚|但|除|不|待|基本")
_MARK_CHARS = "√✓✔☑○◯△×✗✘✕☒"
_STATUS_CUT = re.compile(r"[（(【\[].*$|[，,。；;：:、!！\s].*$", re.S)


# office variants of the status words: 已经完成, 全部完成, 均已完成 are 已完成
_STATUS_VARIANT = re.compile(r"^(?:已经|已全部|全部|均已)(?=完成|落实|办结)")


def normal_status(text: str, statuses: Mapping[str, str]) -> str:
    """已完成（提前） → 已完成; 「已完成。3月20日印发方案」 → 已完成: the status word a cell begins with, when what
    follows it is a remark (in brackets, or after punctuation). Anything else is left as written."""
    key = fold_key(text).lower()
    if not key or key in statuses:
        return text
    ticked = text.strip().lstrip(_MARK_CHARS).strip()  # 「√已完成」: the mark beside the word says it again
    if ticked != text.strip() and ticked and fold_key(ticked).lower() in statuses:
        return ticked
    plain = _STATUS_VARIANT.sub("已", unicodedata.normalize("NFKC", text).strip())
    if plain != text.strip() and fold_key(plain).lower() in statuses:
        return plain
    whole = unicodedata.normalize("NFKC", text).strip()
    if (when := date_in_text(whole)) is not None:  # 已于2019年6月完成: done, on the day it gives (`status_date`)
        verb = whole[whole.index(when) + len(when):]
        return "已完成" if _DONE_VERB.search(verb) else "进行中" if _STARTED_VERB.search(verb) else text
    head = _STATUS_CUT.sub("", whole)
    if _QUALIFIED.search(whole[len(head):]):
        return text  # 已完成（部分）, 已完成，但尚未验收: not the word alone; refused, so the office says which
    return head if head != text and fold_key(head).lower() in statuses else text


_CLAUSES = re.compile(r"[，,。；;！!]+")
_NEGATED = re.compile(r"(?:未|尚未|没有|暂未|仍未)(?:全部|全面)?(?:完成|启动|开展|落实)")
_CODE_WORD = {"done": "已完成", "in_progress": "进行中", "not_started": "未开始"}
_RANK = {"not_started": 0, "in_progress": 1, "done": 2}


def prose_status(text: str, statuses: Mapping[str, str]) -> tuple[str, str | None] | None:
    """A 完成情况 written as a paragraph (「已于2019年11月30日全面完成。全年开发公益性岗位120个」, 「截至2019年12月，
    已完成全年任务的80%，正在推进。」): the status its clauses say, the least done of them (a share below 100 % is
    in progress, whatever verb goes with it), with the date of the clause that says it, else the first date the
    text gives (截至…: the day it reports on), as written. None when the text is no such paragraph, says nothing
    a status word says, or says something is not done (「尚未完成验收」: the office should say which)."""
    whole = unicodedata.normalize("NFKC", text).strip()
    clauses = [c.strip() for c in _CLAUSES.split(whole) if c.strip()]
    if len(clauses) < 2 or _NEGATED.search(whole) or fold_key(normal_status(text, statuses)).lower() in statuses:
        # (「正在推进，已形成初稿」: the word and a remark, which `normal_status` reads, keeping the office's word)
        return None
    found: list[tuple[str, str | None]] = []
    for clause in clauses:
        code = statuses.get(fold_key(normal_status(clause, statuses)).lower())
        share = _PERCENT.search(clause)
        if share and float(share.group(1)) < 100:
            code = "in_progress"
        if code in _RANK:
            dated = _DATE_IN_TEXT.search(clause)
            found.append((code, dated.group(0) if dated else None))
    if not found:
        return None
    least, day = min(found, key=lambda f: _RANK[f[0]])
    if day is None and (first := _DATE_IN_TEXT.search(whole)) is not None:
        day = first.group(0)
    return _CODE_WORD[least], day


_PERCENT = re.compile(r"(?:已?完成|完成进度|完成率|进度|已完成进度)?\s*[:：]?\s*(\d{1,3}(?:\.\d+)?)\s*%")


def percent_status(text: str) -> str | None:
    """「完成85%」, 「进度85%」, 「85%」 → 进行中; 「完成100%」 → 已完成; 「完成0%」 → 未开始: the share of the work done,
    which offices write in the status column; None for anything else (其他文字照常按状态词读)."""
    m = _PERCENT.fullmatch(unicodedata.normalize("NFKC", text).strip())
    if m is None:
        return None
    share = float(m.group(1))
    return "已完成" if share >= 100 else "未开始" if share == 0 else "进行中"


# a 牵头/配合 mark beside a unit's name: 县民政局（牵头）, 牵头：县民政局, 县财政局（配合单位）, ★县民政局
_UNIT_MARK = re.compile(r"[（(【\[]\s*(?:牵头|配合|主责|主办|协办|责任)(?:单位|部门)?\s*[）)】\]]"
                        r"|(?:牵头|配合|主责|主办|协办)(?:单位|部门)?\s*[：:]|[★☆※＊*]"
                        r"|(?<=[局委办会院府处室部厅站所队])(?:牵头|配合)(?:单位)?(?=$|[、，,；;\s])")


def normal_unit(text: str) -> str:
    """A unit cell without the marks offices add to say who leads (县民政局（牵头） → 县民政局, 「牵头：县民政局；
    配合：县财政局」 → 「县民政局；县财政局」): the mark says the unit's part in the task, which the policy already
    says; the name is what is checked."""
    out = _UNIT_MARK.sub("", text).strip()
    return re.sub(r"^[；;，,、\s]+|[；;，,、\s]+$", "", out) if out != text else text


# the period a sheet's title reports on, whose last day dates a row left without a date: (year, month, day)
_PERIOD = re.compile(r"((?:19|20)\d\d)\s*年\s*(?:度\s*)?[（(]?\s*(?:第?([一二三四1-4])\s*季度|(上半年)|(前三季度)|(下半年|全年))")
_QUARTER_END = {"一": (3, 31), "1": (3, 31), "二": (6, 30), "2": (6, 30), "三": (9, 30), "3": (9, 30), "四": (12, 31), "4": (12, 31)}


def period_end(title: str | None) -> str | None:
    """The last day of the period a title names (2021年第一季度 → 2021-03-31, 2021年上半年 → 2021-06-30), or None."""
    m = _PERIOD.search(unicodedata.normalize("NFKC", title)) if title else None
    if m is None:
        return None
    month, day = _QUARTER_END[m.group(2)] if m.group(2) else (6, 30) if m.group(3) else (9, 30) if m.group(4) else (12, 31)
    return f"{int(m.group(1)):04d}-{month:02d}-{day:02d}"


# 「1.2万人」: a count in 万 (tens of thousands) with its unit of measure; 万元 is a unit of its own and stays
_WAN = re.compile(r"(\d+(?:\.\d+)?)\s*万\s*(人次|人|户|个|件|次|家|名|所|套|张|项)?")


def tens_of_thousands(text: str) -> str | None:
    """1.2万人 → 12000人, 3万 → 30000: a figure written in 万, as the number it is (None when it is not one)."""
    m = _WAN.fullmatch(unicodedata.normalize("NFKC", text).strip())
    if m is None:
        return None
    number = round(float(m.group(1)) * 10000, 6)
    return f"{number:.6f}".rstrip("0").rstrip(".") + (m.group(2) or "")


# the marks offices tick a status with, and what each means when the sheet gives no legend
MARKS = {"√": "已完成", "✓": "已完成", "✔": "已完成", "☑": "已完成", "○": "进行中", "◯": "进行中", "△": "进行中",
         "×": "未完成", "✗": "未完成", "✘": "未完成", "✕": "未完成", "☒": "未完成"}
_LEGEND = re.compile("([" + "".join(MARKS) + r"])\s*(?:表示|代表|为|指|[:：=＝])\s*([^，,；;。、\s（(]+)")


def legend(notes: Sequence[str], words: Mapping[str, str]) -> dict[str, str]:
    """The marks a 注 line under the table explains (「注：√表示已完成，○表示正在推进，×表示未启动」), each → its
    status word (only words that are status words)."""
    found: dict[str, str] = {}
    for text in notes:
        for m in _LEGEND.finditer(unicodedata.normalize("NFC", text)):
            if fold_key(m.group(2)).lower() in words:
                found.setdefault(m.group(1), m.group(2))
    return found


def parse_day(text: str) -> dt.date | None:
    """2021-03-31, 2021/3/31, 2021年3月31日 or 2021.3.31 → its date; anything else None."""
    from .loaders import parse_date

    return parse_date(unicodedata.normalize("NFKC", text).replace(".", "-"))
