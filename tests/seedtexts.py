"""Read the seed texts kept as fixtures (tests/fixtures/seeds), so encodings are checked against the documents
themselves, never against a copy typed by hand."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"

SEED_OF_POLICY = {
    "yfbf-2018-161": "002_57a59c8e20110500.txt",
    "yyfbf-2019-22": "001_b3ad167cf8d686be.txt",
    "dzmf-2019-26": "000_e78e4aad8a1576ad.txt",
    "bishan-2020-shjz": "003_ffb3ee5865d62b0e.txt",
    "cjbf-2024-54": "004_5fd2db55444a6bf5.txt",
}


def seed_text(policy_id: str) -> str:
    return (SEEDS / SEED_OF_POLICY[policy_id]).read_text(encoding="utf-8")


def squash(text: str) -> str:
    """Compare texts across PDF/HTML extraction noise: NFKC (full/half width) and no white space at all."""
    return "".join(unicodedata.normalize("NFKC", text).split())


RESPONSIBILITY = re.compile(r"\(责任单位:(.*?)(?:。排在第一位的为牵头单位,下同)?\)")


def responsibility_clauses(policy_id: str) -> list[tuple[int, str]]:
    """(position in the squashed text, the unit list as printed) of every （责任单位：…） clause, in order.
    The list is kept whole: "各乡镇、街道" is one collective, so splitting on 、 is the encoder's job."""
    text = squash(seed_text(policy_id))
    return [(m.start(), m.group(1).replace(",", "、")) for m in RESPONSIBILITY.finditer(text)]


@dataclass(frozen=True)
class TableRow:
    number: str
    title: str  # as printed; "" continues the merged cell above
    content: str
    responsible: str
    cooperating: str
    section: str


def bishan_table() -> list[TableRow]:
    """The 35 rows of Bishan's annex, from the flattened table: blocks of tab-indented cells."""
    text = (SEEDS / SEED_OF_POLICY["bishan-2020-shjz"]).read_text(encoding="utf-8")
    annex = text[text.index("重点任务责任分工\n\n\t序号") :]
    rows: list[TableRow] = []
    section = ""
    for block in annex.split("\n\n")[2:]:
        cells = [line[1:] if line.startswith("\t") else line for line in block.split("\n")]
        if not block.startswith("\t"):
            continue
        if len(cells) == 1:
            section = cells[0].strip()
            continue
        cells += [""] * (5 - len(cells))
        number, title, content, responsible, cooperating = (c.strip() for c in cells[:5])
        rows.append(TableRow(number, title, content, responsible, cooperating, section))
    return rows
