"""The codes of case data problems (LS55x), loaded into the one registry by `luoshi.diagnostics.codes`.

Mistakes in a rule itself are LS24x (codes.py), reported by `luoshi check`; these arise only when `luoshi cases`
reads a roster, its comparison tables and parameter file for a date."""

from __future__ import annotations

from ..diagnostics.codes import Code, Severity

CODES: list[Code] = [
    Code("LS550", "parameter-without-value", Severity.WARNING, "参数在该日期没有取值", "a parameter has no value for the date"),
    Code("LS551", "case-data-row", Severity.WARNING, "案件数据行无效", "an invalid case data row"),
    Code("LS552", "case-table-unknown", Severity.ERROR, "无法识别的案件数据表", "a case data table that is not recognised"),
]
