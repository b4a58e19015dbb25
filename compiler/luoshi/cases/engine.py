"""Evaluate every case rule over the whole roster in DuckDB: one SQL query per rule, compiled from its condition
(vectorised; no Python per household), with the facts and source rows that made it fire."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from .. import model
from ..comply.loaders import EncodingProblem, decode, parse_date
from ..diagnostics import Sink
from ..syntax.source import Span
from . import expr
from .data import CaseTable
from .facts import HOUSEHOLD, PARAMETERS, TABLES

VERDICT_ZH = {model.Verdict.CANCEL: "建议取消", model.Verdict.TAPER: "渐退", model.Verdict.VERIFY: "需核实",
              model.Verdict.EVIDENCE: "需补充证明"}


@dataclass(frozen=True)
class Parameter:
    name: str
    jurisdiction: str
    start: dt.date
    end: dt.date | None
    value: float | None
    source: str  # the document that set it
    row: str  # file:row


@dataclass(frozen=True)
class RuleRef:
    key: str  # policy:task/rule
    text: str | None  # the task's 原文
    rule: model.CaseRule
    node: expr.Node
    checked: expr.Checked
    scope: tuple[str, ...] | None = None  # the names of the policy's jurisdiction and those under it; None: anywhere


@dataclass
class Finding:
    household: str
    rule: RuleRef
    facts: dict[str, object]
    rows: dict[str, str]  # table → matching source rows
    jurisdiction: str | None = None
    source: str = ""  # the household's first roster row


@dataclass
class Result:
    as_of: dt.date
    households: int
    findings: list[Finding] = field(default_factory=list)
    params_used: dict[tuple[str, str], Parameter] = field(default_factory=dict)


def _scopes(corpus: model.Corpus) -> dict[str, tuple[str, ...]]:
    """Jurisdiction → its names and aliases and those of every jurisdiction under it: a rule of 合川区 applies to a
    household whose 辖区 or 镇街 is 合川区 or 草街街道, one of 重庆市 to every household in Chongqing."""
    parent = {j.id: j.parent for j in corpus.jurisdictions}
    names = {j.id: (j.id, *j.aliases) for j in corpus.jurisdictions}
    out: dict[str, list[str]] = {j: [] for j in parent}
    for j in parent:
        at: str | None = j
        while at is not None:
            out.setdefault(at, []).extend(names.get(j, (j,)))
            at = parent.get(at)
    return {j: tuple(sorted(set(v))) for j, v in out.items()}


def corpus_rules(corpus: model.Corpus) -> list[RuleRef]:
    out = []
    scopes = _scopes(corpus)
    for p in corpus.policies:
        for t in p.tasks:
            for r in t.rules:
                try:
                    node, checked = expr.check(r.condition)
                except expr.ConditionError:
                    continue  # `luoshi check` reports it
                scope = scopes.get(p.jurisdiction, (p.jurisdiction,)) if p.jurisdiction else None
                out.append(RuleRef(f"{p.id}:{t.id}/{r.name}", t.text, r, node, checked, scope))
    return out


def rules_json(rules: list[RuleRef]) -> bytes:
    """The rules as the generated suite reads them (no corpus needed to run it)."""
    import json

    data = [{"key": r.key, "text": r.text, "scope": list(r.scope) if r.scope is not None else None,
             "rule": r.rule.model_dump(mode="json")} for r in rules]
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def rules_from_json(data: bytes) -> list[RuleRef]:
    import json

    out = []
    for d in json.loads(data):
        rule = model.CaseRule.model_validate(d["rule"])
        node, checked = expr.check(rule.condition)
        out.append(RuleRef(d["key"], d["text"], rule, node, checked, tuple(d["scope"]) if d["scope"] is not None else None))
    return out


def read_parameters(path: Path, sink: Sink) -> list[Parameter]:
    """参数,辖区,起始,终止,值,依据 — one row per value in force over a period (as OpenFisca keeps them)."""
    source = str(path)
    try:
        text, _ = decode(path.read_bytes())
    except (OSError, EncodingProblem):
        sink.emit("LS500", None, f"无法读取参数文件「{source}」", f"cannot read parameter file '{source}'")
        return []
    records = list(csv.reader(io.StringIO(text, newline="")))
    if not records:
        return []
    head = [h.strip() for h in records[0]]
    need = ["参数", "辖区", "起始", "值"]
    if any(n not in head for n in need):
        sink.emit("LS503", Span(file=source, line=1, column=1, end_line=1, end_column=2),
                  "参数文件应有列：参数、辖区、起始、终止、值、依据", "a parameter file has columns 参数, 辖区, 起始, 终止, 值, 依据")
        return []
    col = {h: i for i, h in enumerate(head)}
    out = []
    for n, rec in enumerate(records[1:], start=2):
        def get(k: str, rec: list[str] = rec) -> str:
            return rec[col[k]].strip() if k in col and col[k] < len(rec) else ""

        if not any(rec):
            continue
        start, end = parse_date(get("起始")), parse_date(get("终止")) if get("终止") else None
        value = None
        if get("值"):
            try:
                value = float(get("值"))
            except ValueError:
                value = None
        if start is None or get("参数") not in PARAMETERS:
            sink.emit("LS551", Span(file=source, line=n, column=1, end_line=n, end_column=2),
                      f"第 {n} 行参数或起始日期无效", f"row {n}: unknown parameter or bad start date")
            continue
        out.append(Parameter(get("参数"), get("辖区"), start, end, value, get("依据"), f"{source}:{n}"))
    return out


def in_force(params: list[Parameter], name: str, jurisdiction: str, on: dt.date) -> Parameter | None:
    hits = [p for p in params if p.name == name and p.jurisdiction == jurisdiction and p.start <= on
            and (p.end is None or on <= p.end)]
    return max(hits, key=lambda p: p.start) if hits else None


def _arrow(columns: dict[str, list[object]], types: dict[str, pa.DataType]) -> pa.Table:
    return pa.table({name: pa.array(values, type=types.get(name, pa.string())) for name, values in columns.items()})


def _type(kind: str) -> pa.DataType:
    types: dict[str, pa.DataType] = {"number": pa.float64(), "date": pa.date32()}
    return types.get(kind, pa.string())


def load(con: duckdb.DuckDBPyConnection, tables: list[CaseTable], as_of: dt.date) -> None:
    """t_成员 and h (households) from the rosters; t_社保 … joined to households through the members' ID numbers."""
    member_cols = ["户编号", *TABLES["成员"], *[f for f in HOUSEHOLD if f not in ("户编号", "家庭年人均收入")], "源"]
    merged: dict[str, list[object]] = {c: [] for c in member_cols}
    by_kind: dict[str, dict[str, list[object]]] = {k: {c: [] for c in ["身份证号", *TABLES[k], "源"]} for k in TABLES if k != "成员"}
    for t in tables:
        target = merged if t.kind == "名册" else by_kind[t.kind]
        for i, row in enumerate(t.rows):
            for c in target:
                if c == "源":
                    target[c].append(f"{t.source}:{row}")
                else:
                    target[c].append(t.data[c][i] if c in t.data else None)
    types = {f.name: _type(f.kind) for f in (*HOUSEHOLD.values(), *TABLES["成员"].values())}
    con.register("raw_members", _arrow(merged, types))
    con.execute(f"""CREATE TABLE t_成员 AS SELECT 户编号, 身份证号, 姓名, 身份, 源,
        coalesce(年龄, floor(datediff('day', try_strptime(substr(身份证号, 7, 8), '%Y%m%d')::DATE, DATE '{as_of}') / 365.25)) AS 年龄
        FROM raw_members""")
    facts = [f for f in HOUSEHOLD if f not in ("户编号", "家庭年人均收入")]
    con.execute(f"""CREATE TABLE households AS SELECT 户编号, {', '.join(f'any_value({expr.ident(f)}) AS {expr.ident(f)}' for f in facts)},
        any_value(家庭月人均收入) * 12 AS 家庭年人均收入, min(源) AS 源 FROM raw_members GROUP BY 户编号""")
    for kind, cols in by_kind.items():
        ktypes = {f.name: _type(f.kind) for f in TABLES[kind].values()}
        con.register(f"raw_{kind}", _arrow(cols, ktypes))
        con.execute(f"CREATE TABLE {expr.ident('t_' + kind)} AS SELECT m.户编号, r.* FROM {expr.ident('raw_' + kind)} r "
                    f"JOIN (SELECT DISTINCT 户编号, 身份证号 FROM t_成员) m USING (身份证号)")


def evaluate(tables: list[CaseTable], rules: list[RuleRef], params: list[Parameter], as_of: dt.date, sink: Sink,
             only: str | None = None) -> Result:
    con = duckdb.connect()
    load(con, tables, as_of)
    juris = [r[0] for r in con.execute("SELECT DISTINCT 辖区 FROM households WHERE 辖区 IS NOT NULL ORDER BY 1").fetchall()]
    used = sorted({p for r in rules for p in r.checked.params})
    result = Result(as_of, con.execute("SELECT count(*) FROM households").fetchall()[0][0])
    pcols: dict[str, list[object]] = {"辖区": juris}
    for name in used:
        values: list[object] = []
        for j in juris:
            p = in_force(params, name, j, as_of)
            if p is None or p.value is None:
                sink.emit("LS550", None, f"参数「{name}」在 {as_of} 没有「{j}」的取值：用到它的规则对该辖区的户不作判断",
                          f"parameter '{name}' has no value for '{j}' on {as_of}: rules using it skip that jurisdiction's households",
                          hint=("在参数文件中填写该辖区该日期的取值及依据文件", "fill the value and its source document in the parameter file"))
                values.append(None)
            else:
                result.params_used[(name, j)] = p
                values.append(p.value)
        pcols[name] = values
    con.register("params", _arrow(pcols, {n: pa.float64() for n in used}))
    con.execute("CREATE VIEW h AS SELECT households.*" + "".join(f", params.{expr.ident(n)}" for n in used)
                + " FROM households LEFT JOIN params USING (辖区)")
    asof_sql = f"DATE '{as_of.isoformat()}'"
    for ref in rules:
        cond = expr.to_sql(ref.node).replace("__ASOF__", asof_sql)
        cols = [f"h.{expr.ident(f)}" for f in ref.checked.facts] + [f"h.{expr.ident(p)}" for p in ref.checked.params]
        for i, (table, inner) in enumerate(ref.checked.tables):
            where = f" AND {expr.to_sql(inner, table, 'x')}".replace("__ASOF__", asof_sql) if inner is not None else ""
            cols.append(f"(SELECT string_agg(x.源, '；' ORDER BY x.源) FROM {expr.ident('t_' + table)} x "
                        f"WHERE x.户编号 = h.户编号{where}) AS rows_{i}")
        filt = " AND h.户编号 = ?" if only else ""
        if ref.scope is not None:
            names = ", ".join(expr.sql_string(n) for n in ref.scope)
            filt += f" AND (h.辖区 IN ({names}) OR h.镇街 IN ({names}))"
        sql = f"SELECT h.户编号, h.辖区, h.源{''.join(', ' + c for c in cols)} FROM h WHERE coalesce({cond}, false){filt} ORDER BY h.户编号"
        for row in con.execute(sql, [only] if only else []).fetchall():
            checked = [*ref.checked.facts, *ref.checked.params]
            facts = dict(zip(checked, row[3:3 + len(checked)]))
            rows = {t: row[3 + len(checked) + i] or "" for i, (t, _) in enumerate(ref.checked.tables)}
            result.findings.append(Finding(row[0], ref, facts, rows, row[1], row[2]))
    result.findings.sort(key=lambda f: (f.household, f.rule.key))
    con.close()
    return result
