"""What `luoshi lint` prints besides the findings: the summary table by code and severity, and the JSON report."""

from __future__ import annotations

import json
from collections import Counter

from ..diagnostics import Diagnostic
from ..diagnostics.codes import CODES, Severity
from ..diagnostics.lang import say
from ..syntax.source import display_width

LEVELS = (Severity.ERROR, Severity.WARNING, Severity.INFO)


def summary(diags: list[Diagnostic]) -> list[dict[str, str | int]]:
    """Counts per code and severity, in code order."""
    counts = Counter((d.code, d.severity) for d in diags)
    rows = []
    for code in sorted({d.code for d in diags}):
        row: dict[str, str | int] = {"code": code, "name": CODES[code].name}
        row.update({s.value: counts[(code, s)] for s in LEVELS})
        rows.append(row)
    return rows


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def summary_table(diags: list[Diagnostic], lang: str = "both") -> str:
    """A plain-text table (CJK-aware alignment) for the terminal."""
    head = tuple(say(z, e, lang, sep=" ") for z, e in zip(("代码", "名称", "错误", "警告", "提示"),
                                                          ("code", "name", "error", "warning", "info")))
    rows = [[str(r["code"]), str(r["name"]), *(str(r[s.value] or "") for s in LEVELS)] for r in summary(diags)]
    total = [say("合计", "total", lang, sep=" "), "",
             *(str(sum(1 for d in diags if d.severity is s)) for s in LEVELS)]
    table = [list(head), *rows, total]
    widths = [max(display_width(row[i]) for row in table) for i in range(len(head))]
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(row, widths)).rstrip() for row in table]
    rule = "-" * max(display_width(line) for line in lines)
    return "\n".join([lines[0], rule, *lines[1:-1], rule, lines[-1]])


def render_json(diags: list[Diagnostic], prints: list[str], *, files: int, baselined: int, suppressed: int, stale: int) -> str:
    items = []
    for d, fp in zip(diags, prints):
        item = d.to_json()
        item["fingerprint"] = fp
        items.append(item)
    payload = {
        "files": files,
        "errors": sum(1 for d in diags if d.severity is Severity.ERROR),
        "warnings": sum(1 for d in diags if d.severity is Severity.WARNING),
        "infos": sum(1 for d in diags if d.severity is Severity.INFO),
        "baselined": baselined,
        "suppressed": suppressed,
        "stale_baseline_entries": stale,
        "summary": summary(diags),
        "diagnostics": items,
    }
    return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True)
