"""What of the document the draft does not use: the paragraphs and table rows no part of the draft holds.

Nothing the importer reads is dropped without a trace: after the draft is built, every paragraph of the document
is looked for in what the draft carries (title, 文号, date, issuers, addressees, preamble, notes, 待定, items'
titles, texts and clauses, the transmittal notice). A paragraph found nowhere is listed by `luoshi import
--report`, with its line, so a reviewer sees page furniture dropped on purpose beside text the importer could
not place. Matching ignores white space and punctuation, since the draft normalises both.
"""

from __future__ import annotations

import re

from ..syntax.unparse import date as written_date
from . import extracted as draft
from .clean import Para

_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def squash(text: str) -> str:
    return _NOISE.sub("", text or "")


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} if len(text) > 1 else {text}


def _carried(policy: draft.Policy) -> set[str]:
    """The character bigrams of everything the draft carries."""
    date = written_date(policy.date) if policy.date else None
    parts: list[str | None] = [policy.title, policy.number, date, policy.preamble, *policy.notes, *policy.todos]
    for mentions in (policy.issuers, policy.addressees, policy.cc):
        parts += [m.written for m in mentions] + ["".join(m.written for m in mentions)]
    for item in policy.items():
        parts += [item.title, item.text, item.clause, *item.notes, *item.todos]
        for mentions in (item.lead, item.responsible, item.cooperate):
            parts += [m.written for m in mentions] + ["".join(m.written for m in mentions)]
    out: set[str] = set()
    for part in parts:
        if part:
            out |= _bigrams(squash(_date_forms(part)))
    return out


def _date_forms(text: str) -> str:
    """2020年08月21日 as the draft writes it: 2020年8月21日."""
    return re.sub(r"(\d{4})年0?(\d{1,2})月0?(\d{1,2})日", lambda m: f"{m.group(1)}年{int(m.group(2))}月{int(m.group(3))}日", text)


def unused(paras: list[Para], policy: draft.Policy, covered: float = 0.9) -> list[tuple[int, str]]:
    """(line, text) of each paragraph or table row of the document of which the draft carries less than
    `covered` of its character pairs (a numbering marker or a joining word is not worth a line of report)."""
    carried = _carried(policy)
    out = []
    for p in paras:
        text = squash(_date_forms(" ".join(c for c in p.cells if c) if p.cells is not None else p.text))
        text = re.sub(r"^[一二三四五六七八九十\d]+", "", text)
        pairs = _bigrams(text)
        if text and len(pairs & carried) < covered * len(pairs):
            out.append((p.line, p.text))
    return out
