"""SARIF 2.1.0 output, for code scanning (GitHub) and any SARIF viewer.

Columns count Unicode code points, as luoshi's spans do (`columnKind`). Paths are relative to the project
root (`%SRCROOT%`). Findings already in the baseline are kept with `baselineState: unchanged`; suppressed ones
carry an in-source suppression with its reason, so a viewer can show them as dismissed rather than lose them.
SARIF 2.1.0 asks for all-or-none (§3.27.23, §3.27.24): every result carries `suppressions` (empty when not
suppressed: luoshi always reads the suppression comments), and when a baseline was compared, every result
carries its `baselineState`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..diagnostics import Diagnostic
from ..diagnostics.codes import CODES, Severity
from ..diagnostics.render import _message as _text
from ..syntax.source import Span
from .baseline import Baseline, fingerprints
from .config import project_path
from .ruledocs import doc

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
ROOT_ID = "%SRCROOT%"


def artifact_location(file: str, root: Path) -> dict[str, Any]:
    """A source file as SARIF wants it: a URI reference (RFC 3986), so spaces, %, # and Chinese characters are
    percent-encoded (UTF-8); relative to %SRCROOT% inside the project, a file: URI outside it."""
    path = project_path(file, root)
    if path.startswith("/"):
        return {"uri": "file://" + quote(path, safe="/")}
    return {"uri": quote(path, safe="/"), "uriBaseId": ROOT_ID}


def _location(span: Span, root: Path) -> dict[str, Any]:
    return {"physicalLocation": {
        "artifactLocation": artifact_location(span.file, root),
        "region": {"startLine": span.line, "startColumn": span.column, "endLine": span.end_line,
                   "endColumn": max(span.end_column, 1)},
    }}


def _rule(code: str, lang: str) -> dict[str, Any]:
    c = CODES[code]
    described = doc(code)
    out = {
        "id": code,
        "name": c.name,
        "shortDescription": {"text": _text(c.zh, c.en, lang)},
        "defaultConfiguration": {"level": LEVEL[c.severity]},
    }
    if described:
        out["fullDescription"] = {"text": _text(described.zh, described.en, lang)}
        out["help"] = {"text": _text(described.zh, described.en, lang),
                       "markdown": f"{described.zh}\n\n{described.en}\n\n见 docs/rules.md · see docs/rules.md"}
    return out


def _result(d: Diagnostic, index: dict[str, int], fp: str, root: Path, lang: str) -> dict[str, Any]:
    message = _text(d.zh, d.en, lang)
    if d.hint_zh or d.hint_en:
        message += "\n" + _text(d.hint_zh, d.hint_en, lang)
    result: dict[str, Any] = {"ruleId": d.code, "ruleIndex": index[d.code], "level": LEVEL[d.severity], "message": {"text": message},
                    "partialFingerprints": {"luoshiFinding/v1": fp}}
    if d.span:
        result["locations"] = [_location(d.span, root)]
    related = [dict(_location(r.span, root), id=i + 1, message={"text": _text(r.zh, r.en, lang)})
               for i, r in enumerate(d.related) if r.span]
    if related:
        result["relatedLocations"] = related
    return result


def render_sarif(new: list[Diagnostic], root: Path, *, known: Sequence[Diagnostic] = (),
                 suppressed: Sequence[tuple[Diagnostic, str]] = (),
                 lang: str = "both", baseline: Baseline | None = None) -> str:
    """The SARIF log: `new` findings, plus those in the `baseline` (`known`) and those suppressed in the source."""
    everything = [*new, *known, *(d for d, _ in suppressed)]
    codes = sorted({*(c for c in CODES if c.startswith("LS3")), *(d.code for d in everything)})
    index = {code: i for i, code in enumerate(codes)}
    reported = [*new, *known]
    prints = dict(zip(map(id, reported), fingerprints(reported, root)))
    hidden = [d for d, _ in suppressed]
    prints.update(zip(map(id, hidden), fingerprints(hidden, root)))

    def state(d: Diagnostic, default: str) -> dict[str, Any]:
        if baseline is None:
            return {}
        return {"baselineState": "unchanged" if prints[id(d)] in baseline.fingerprints else default}

    results = []
    for d in new:
        results.append(dict(_result(d, index, prints[id(d)], root, lang), suppressions=[], **state(d, "new")))
    for d in known:
        results.append(dict(_result(d, index, prints[id(d)], root, lang), suppressions=[], baselineState="unchanged"))
    for d, reason in suppressed:
        results.append(dict(_result(d, index, prints[id(d)], root, lang), **state(d, "new"),
                            suppressions=[{"kind": "inSource", "justification": reason}]))
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "luoshi lint", "version": __version__, "rules": [_rule(c, lang) for c in codes]}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(log, ensure_ascii=False, indent=2)
