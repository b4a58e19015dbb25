"""Documents a policy names: `《重庆市人民政府办公厅关于…的意见》（渝府办发〔2018〕161号）`,
`重庆市民政局关于印发《兜底解忧精准保障行动方案》的通知（渝民〔2023〕88号）`, `《低收入家庭认定办法》`.

A citation in the preamble or the title (根据… · 为贯彻落实… · 关于贯彻落实…的通知) is a parent the policy
implements (落实); one in the body is cited (引用). `（以下简称《重点举措》）` makes a short name for the
document just cited, and later uses of it are the same document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from luoshi.semantics.registry import fold

TITLE = re.compile(r"《([^《》]{2,120})》")
NUMBER = re.compile(r"[（(]\s*([^（）()，。]{1,20}?〔\s*\d{4}\s*〕\s*\d+\s*号)\s*[）)]")
ALIAS = re.compile(r"[（(]以下简称《([^《》]{1,30})》[）)]")
DOC_WORDS = re.compile(r"(通知|意见|办法|方案|规定|细则|决定|规程|规范|制度|举措|条例|法|计划|纲要|备案|规划|标准|措施|要点|批复|函)$")


@dataclass(frozen=True)
class Citation:
    title: str  # as cited, issuer prefix included when printed
    number: str | None
    start: int
    end: int


def find(text: str) -> list[Citation]:
    """Citations in order; a short name (以下简称) maps to the citation it abbreviates."""
    out: list[Citation] = []
    aliases: dict[str, Citation] = {}
    taken: list[tuple[int, int]] = []
    for m in NUMBER.finditer(text):
        number = re.sub(r"\s+", "", m.group(1))
        head = text[: m.start()]
        title = None
        if head.endswith("》"):
            t = list(TITLE.finditer(head))
            if t:
                title, start = t[-1].group(1), t[-1].start()
        else:
            w = re.search(r"([^，。；、：:《》]{0,30}?关于(?:印发|转发)?《[^《》]+》的(?:通知|意见|决定))$", head)
            if w:
                lead = re.match(r"^(以及|和|及|与)", w.group(1).strip())
                title = w.group(1).strip()[lead.end() if lead else 0:]
                start = w.start() + (lead.end() if lead else 0)
        if title:
            c = Citation(title, _normal(number), start, m.end())
            out.append(c)
            taken.append((start, m.end()))
    for m in TITLE.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        name = m.group(1)
        if not DOC_WORDS.search(name):
            continue
        out.append(Citation(name, None, m.start(), m.end()))
    out.sort(key=lambda c: c.start)
    for m in ALIAS.finditer(text):
        before = [c for c in out if c.end <= m.start() + 1]
        if before:
            aliases[m.group(1)] = before[-1]
    return [c for c in out if c.number or c.title not in aliases]


def short_names(text: str) -> dict[str, str]:
    """short name → the title it stands for (（以下简称《重点举措》）)."""
    found = find(text)
    out = {}
    for m in ALIAS.finditer(text):
        before = [c for c in found if c.end <= m.start() + 1]
        if before:
            out[m.group(1)] = before[-1].title
    return out


def _normal(number: str) -> str:
    return re.sub(r"\s+", "", number)


def key(title: str) -> str:
    """Compare titles across 〈〉/《》 and issuer prefixes."""
    t = fold(title).replace("〈", "《").replace("〉", "》")
    return t[t.find("关于"):] if "关于" in t else t
