"""The verdicts per household: terminal table (ID numbers masked), JSON and the subdistrict's xlsx (one row per
household, the evidence beside; cells escaped against formula injection; the same bytes for the same input)."""

from __future__ import annotations

import json
from collections import defaultdict

from .. import model
from .engine import VERDICT_ZH, Finding, Result, RuleRef

_ORDER = [model.Verdict.CANCEL, model.Verdict.TAPER, model.Verdict.EVIDENCE, model.Verdict.VERIFY]


def _fmt(v: object) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    return "" if v is None else str(v)


def evidence(f: Finding) -> str:
    parts = [f"{k}={_fmt(v)}" for k, v in f.facts.items()]
    parts += [f"{t}：{rows}" for t, rows in f.rows.items() if rows]
    return "；".join(parts)


def by_household(result: Result) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = defaultdict(list)
    for f in result.findings:
        out[f.household].append(f)
    return dict(sorted(out.items()))


def summary(findings: list[Finding]) -> str:
    """The strongest suggestion first: 建议取消 > 渐退 > 需补充证明 > 需核实."""
    verdicts = {f.rule.rule.verdict for f in findings}
    return "、".join(VERDICT_ZH[v] for v in _ORDER if v in verdicts)


def text(result: Result) -> str:
    groups = by_household(result)
    lines = [(f"截至 {result.as_of}：{result.households} 户，{len(groups)} 户有结论（均为建议，须人工复核） · "
             f"as of {result.as_of}: {result.households} households, {len(groups)} with findings (suggestions to review)")]
    for hh, findings in groups.items():
        lines.append(f"{hh}  {summary(findings)}")
        for f in findings:
            lines.append(f"    {VERDICT_ZH[f.rule.rule.verdict]}  {f.rule.key}  {evidence(f)}")
    return "\n".join(lines) + "\n"


def to_json(result: Result) -> bytes:
    data = {
        "as_of": result.as_of.isoformat(), "households": result.households,
        "findings": [{"household": hh, "summary": summary(fs), "rules": [
            {"rule": f.rule.key, "verdict": f.rule.rule.verdict.value, "verdict_zh": VERDICT_ZH[f.rule.rule.verdict],
             "condition": f.rule.rule.condition, "text": f.rule.text, "label": f.rule.rule.label,
             "facts": dict(f.facts), "rows": f.rows} for f in fs]}
            for hh, fs in by_household(result).items()],
        "parameters": [{"parameter": p.name, "jurisdiction": p.jurisdiction, "value": p.value, "from": p.start.isoformat(),
                        "source": p.source} for (_, _), p in sorted(result.params_used.items())],
    }
    return (json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n").encode("utf-8")


def to_xlsx(result: Result) -> bytes:
    from openpyxl import Workbook

    from ..backends.office import append_row, save_workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None, "a new workbook has one sheet"
    ws.title = "比对结果"
    append_row(ws, ["户编号", "结论（建议，须复核）", "规则", "依据（事实与来源行）", "原文"])
    for hh, fs in by_household(result).items():
        append_row(ws, [hh, summary(fs), "\n".join(f.rule.key for f in fs), "\n".join(evidence(f) for f in fs),
                        "\n".join(dict.fromkeys((f.rule.rule.label or f.rule.text or "") for f in fs))])
    ps = wb.create_sheet("参数")
    append_row(ps, ["参数", "辖区", "值", "起始", "依据"])
    for (_, _), p in sorted(result.params_used.items()):
        append_row(ps, [p.name, p.jurisdiction, _fmt(p.value), p.start.isoformat(), p.source])
    return save_workbook(wb)


def explain(result: Result, household: str) -> str:
    """One household: each rule that fired, its condition and 原文, the facts with their source rows, and the
    parameter values used with the document that set them."""
    findings = [f for f in result.findings if f.household == household]
    if not findings:
        return f"{household}：截至 {result.as_of} 没有规则触发 · no rule fired on {result.as_of}\n"
    lines = [f"{household}：{summary(findings)}（建议，须人工复核 · suggestions to review）"]
    for f in findings:
        r = f.rule
        lines += [f"  规则 {r.key}  结论 {VERDICT_ZH[r.rule.verdict]}", f"    条件 {r.rule.condition}",
                  f"    原文 {r.rule.label or r.text or ''}"]
        lines.append(f"    户 {f.household}（{f.jurisdiction or '辖区未载'}），名册来源行 {f.source}")
        for k, v in f.facts.items():
            lines.append(f"    事实 {k} = {_fmt(v)}")
        for t, rows in f.rows.items():
            lines.append(f"    {t} 来源行 {rows or '（无）'}")
        for (name, j), p in sorted(result.params_used.items()):
            if name in r.checked.params and j == f.jurisdiction:
                lines.append(f"    参数 {name}（{j}）= {_fmt(p.value)}，自 {p.start} 起，依据：{p.source or '未载'}（{p.row}）")
    return "\n".join(lines) + "\n"


def suite(rules: list[RuleRef], folder: str) -> dict[str, bytes]:
    """The generated pytest suite: pytest.ini, conftest.py, rules.json and test_rules.py (text as repr literals)."""
    from ..backends.templating import environment
    from .engine import rules_json

    env = environment()
    env.filters["py"] = repr
    return {
        "pytest.ini": env.get_template("cases/pytest.ini.j2").render().encode("utf-8"),
        "conftest.py": env.get_template("cases/conftest.py.j2").render(folder=folder, count=len(rules)).encode("utf-8"),
        "rules.json": rules_json(rules),
        "test_rules.py": env.get_template("cases/test_rules.py.j2").render(rules=rules).encode("utf-8"),
    }
