"""Parent wording → local wording: what a drafter does first with a 市 text before deciding anything.

In order: punctuation to full width next to Chinese (GB/T 15834; extracted 市 texts often carry `,` and `()`),
every unit the text names → its counterpart's name (市民政局 → 县民政局, 各区县政府 → 各乡镇（街道）), then the
level words (我市 → 我县, 全市 → 全县, 本区县 → 本县, 区县级 → 县级, 市、区县财政 → 县财政局, 各区县 → the
target's 下级政府 collective). Words that merely contain 市 (城市, 市场) are never touched. A named unit with
no counterpart stays as written and is returned, so the draft can ask about it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Corpus, Policy
from .counterpart import CounterpartMap

_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "?": "？", "!": "！"}
_TITLE_TAIL = re.compile(r"(的)?(实施意见|实施办法|实施方案|实施细则|意见|办法|方案|通知|决定)$")
_PREAMBLE_TAIL = re.compile(r"(经[^，。；]*?同意，)?现(提出|制定|制订|就)[^。]*?如下[^。]*?[。：]$")


def _wide(ch: str) -> bool:
    return ord(ch) >= 0x2E80 or ch in "“”‘’"


def full_width_punctuation(text: str) -> str:
    """`,` `;` `:` `(` `)` next to a Chinese character become `，` `；` `：` `（` `）`; `1,000` stays."""
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch in _HALF_TO_FULL:
            before = out[-1] if out else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if (before and _wide(before)) or (after and _wide(after)):
                ch = _HALF_TO_FULL[ch]
        out.append(ch)
    return "".join(out)


@dataclass
class Localized:
    text: str
    unmatched: list[str] = field(default_factory=list)  # unit ids the text names that have no counterpart


class Localizer:
    def __init__(self, corpus: Corpus, counterparts: CounterpartMap, lower: str | None):
        self.corpus, self.map, self.lower = corpus, counterparts, lower
        self.ps, self.pt = counterparts.source_prefix, counterparts.target_prefix
        names: dict[str, str] = {}
        for unit in corpus.units:  # a text names its own jurisdiction's units (a 市 text never a 区's 相关部门)
            if unit.jurisdiction == counterparts.source and unit.jurisdiction != counterparts.target:
                for written in (unit.name, *unit.aliases):
                    names.setdefault(full_width_punctuation(written), unit.id)
        self._names = names
        alternation = "|".join(re.escape(n) for n in sorted(names, key=lambda n: (-len(n), n)))
        self._pattern = re.compile(alternation) if names else None

    def unit_name(self, unit_id: str | None) -> str | None:
        unit = self.corpus.unit(unit_id) if unit_id else None
        return unit.name if unit else None

    def text(self, text: str) -> Localized:
        out = Localized(full_width_punctuation(text))
        if self.ps == "市":
            out.text = re.sub(r"（自治县，以下简称区县）", "", out.text)
        if self._pattern is not None:
            out.text = self._pattern.sub(lambda m: self._replace(m.group(0), out), out.text)
        out.text = self._level_words(out.text)
        return out

    def _replace(self, written: str, out: Localized) -> str:
        source = self._names[written]
        found = self.map.of(source)
        if found.missing:
            if source not in out.unmatched:
                out.unmatched.append(source)
            return written
        return self.unit_name(found.unit) or written

    def _level_words(self, text: str) -> str:
        ps, pt = self.ps, self.pt
        if not ps or not pt or ps == pt:
            return text
        rules: list[tuple[str, str]] = []
        if ps == "市":
            rules += [("本区县", "本" + pt), ("区县域", pt + "域"), ("区县级", pt + "级"), ("市、" + pt, pt)]
            if self.lower:
                rules.append(("各区县", self.lower))
        rules += [("我" + ps, "我" + pt), ("全" + ps, "全" + pt), ("本" + ps, "本" + pt)]
        for old, new in rules:
            text = text.replace(old, new)
        for unit_name in {name for name in (self.lower, *self._counterpart_names()) if name is not None}:
            text = text.replace(f"{unit_name}、{unit_name}", unit_name)
        return text

    def _counterpart_names(self) -> set[str | None]:
        return {self.unit_name(c.unit) for c in self.map.resolved() if c.unit}

    # ── header ──
    def title(self, parent: Policy, jurisdiction: str, kind: str = "office") -> str:
        """关于加强城市特殊困难群众救助帮扶工作的意见 → 云阳县加强城市特殊困难群众救助帮扶工作实施办法 (a
        government office's measures), or 关于做好城市特殊困难群众救助帮扶工作的通知 (a bureau's or a township's
        notice, as 大足民发〔2019〕26号)."""
        core = (parent.title or parent.id).strip()
        core = re.sub(r"^关于", "", core)
        core = re.sub(r"^印发", "", core)
        core = _TITLE_TAIL.sub("", core)
        if parent.jurisdiction and core.startswith(parent.jurisdiction):
            core = core[len(parent.jurisdiction):]
        if kind != "office":  # the core without a document kind: 印发…实施办法的通知 → …
            core = re.sub(r"的$", "", _TITLE_TAIL.sub("", re.sub(r"的$", "", core)))
            return f"关于做好{re.sub(r'^(?:进一步|切实|全面)?(?:加强|做好|推进)', '', core)}的通知"
        return f"{jurisdiction}{core}实施办法"

    def basis(self, parent: Policy, kind: str = "office") -> str:
        """根据《重庆市人民政府办公厅关于……的意见》（渝府办发〔2018〕161号）精神，结合我县实际，制订如下办法。"""
        issuers = " ".join(self._full_name(r.unit, parent.jurisdiction) for r in parent.issuers)
        number = f"（{parent.number}）" if parent.number else ""
        if kind != "office":
            return f"根据《{issuers}{parent.title or ''}》{number}精神，结合我{self.pt or ''}实际，现就有关事项通知如下："
        return f"根据《{issuers}{parent.title or ''}》{number}精神，结合我{self.pt or ''}实际，制订如下办法。"

    def preamble(self, parent: Policy, kind: str = "office") -> str:
        basis = self.basis(parent, kind)
        if not parent.preamble:
            return basis
        text = self.text(parent.preamble).text
        replaced, count = _PREAMBLE_TAIL.subn(basis, text)
        return replaced if count else text + basis

    def _full_name(self, unit_id: str, jurisdiction: str | None) -> str:
        unit = self.corpus.unit(unit_id)
        if unit is None:
            return unit_id
        full = [a for a in unit.aliases if jurisdiction and jurisdiction in a]
        return max(full, key=len) if full else unit.name
