"""Ids for imported policies and the documents they cite, in the corpus's own style: the pinyin initials of the
文号's issuer abbreviation, the year and the number (渝府办发〔2018〕161号 → yfbf-2018-161, 国发〔2018〕39号 →
gf-2018-39); a document with no 文号 gets the initials of its title (低收入家庭认定办法 → dsrjtrdbf)."""

from __future__ import annotations

import re

NUMBER = re.compile(r"^(.+?)\s*〔(\d{4})〕\s*第?(\d+)号$")
_TITLE_NOISE = re.compile(r"^关于(印发|转发|进一步|切实|做好|加强)?|的(通知|意见|决定|批复|函)$|[《》〈〉“”（）()、，,]")


def initials(text: str) -> str:
    from pypinyin import Style, lazy_pinyin  # imported here: ~0.25 s, paid by every `luoshi lint` otherwise

    letters = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore"))
    return re.sub(r"[^a-z0-9]", "", letters.lower())


def id_from_number(number: str | None) -> str | None:
    m = NUMBER.match(number or "")
    if not m:
        return None
    prefix = initials(m.group(1))
    return f"{prefix}-{m.group(2)}-{int(m.group(3))}" if prefix else None


def id_from_title(title: str, limit: int = 10) -> str:
    core = _TITLE_NOISE.sub("", title) or title
    return initials(core)[:limit] or "doc"


def unique(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate
