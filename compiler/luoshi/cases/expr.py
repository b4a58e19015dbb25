"""The condition language of case rules: read, checked against facts.py, compiled to one SQL expression.

    家庭月人均收入 > 低保标准 且 家庭月人均收入 <= 低保标准 × 1.5
    有 车辆(状态 != "注销")
    有 房产(购置日期 近 3年 且 来源 不属于 ("征地拆迁"))
    数 房产() >= 2
    有 成员(年龄 >= 70)

Keywords are Chinese first with English aliases (且 and · 或 or · 非 not · 有 any · 数 count · 近 within ·
属于 in · 不属于 not-in). A condition is evaluated per household, in SQL over the whole roster at once."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import cast

from ..diagnostics import Sink
from ..syntax.source import Span
from .facts import HOUSEHOLD, PARAMETERS, TABLES, Fact

_TOKEN = re.compile(r'\s*(?:(?P<num>\d+(?:\.\d+)?)(?P<unit>年|个月|月|日|天)?|(?P<str>"(?:[^"\\]|\\.)*")'
                    r'|(?P<op>>=|<=|!=|≥|≤|≠|[><=()×*+\-,，、（）])|(?P<word>[^\s\d"()（）><=!≥≤≠×*+\-,，、][^\s"()（）><=!≥≤≠×*+\-,，、]*))')
_ALIASES = {"and": "且", "or": "或", "not": "非", "any": "有", "count": "数", "within": "近", "in": "属于",
            "not-in": "不属于", "≥": ">=", "≤": "<=", "≠": "!=", "*": "×", "（": "(", "）": ")", "，": ",", "、": ","}
_KEYWORDS = {"且", "或", "非", "有", "数", "近", "属于", "不属于"}
_SQL_OPS = {">": ">", ">=": ">=", "<": "<", "<=": "<=", "=": "=", "!=": "<>"}


class ConditionError(Exception):
    pass


@dataclass(frozen=True)
class Node:
    op: str  # num · str · fact · param · cmp · and · or · not · any · count · within · in · notin · mul · add · sub
    value: object = None
    args: tuple[Node, ...] = ()
    unit: str | None = None


@dataclass
class _Parser:
    tokens: list[tuple[str, str, str | None]]
    pos: int = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos][1] if self.pos < len(self.tokens) else None

    def take(self, want: str | None = None) -> tuple[str, str, str | None]:
        if self.pos >= len(self.tokens):
            raise ConditionError(f"条件不完整{('，缺少「' + want + '」') if want else ''}|the condition ends too early")
        tok = self.tokens[self.pos]
        if want is not None and tok[1] != want:
            raise ConditionError(f"此处应为「{want}」，却是「{tok[1]}」|expected '{want}', found '{tok[1]}'")
        self.pos += 1
        return tok

    def expr(self) -> Node:
        node = self.conj()
        while self.peek() == "或":
            self.take()
            node = Node("or", args=(node, self.conj()))
        return node

    def conj(self) -> Node:
        node = self.neg()
        while self.peek() == "且":
            self.take()
            node = Node("and", args=(node, self.neg()))
        return node

    def neg(self) -> Node:
        if self.peek() == "非":
            self.take()
            return Node("not", args=(self.neg(),))
        return self.cmp()

    def cmp(self) -> Node:
        left = self.sum()
        op = self.peek()
        if op in _SQL_OPS:
            self.take()
            return Node("cmp", op, (left, self.sum()))
        if op == "近":
            self.take()
            kind, _, unit = self.take()
            if kind != "num" or unit is None:
                raise ConditionError("「近」后应为时长，如 3年、6个月|'近' needs a duration such as 3年 or 6个月")
            n = self.tokens[self.pos - 1][1]
            return Node("within", (float(n), unit), (left,))
        if op in ("属于", "不属于"):
            self.take()
            self.take("(")
            values = [self._string()]
            while self.peek() == ",":
                self.take()
                values.append(self._string())
            self.take(")")
            return Node("in" if op == "属于" else "notin", tuple(values), (left,))
        return left

    def _string(self) -> str:
        kind, text, _ = self.take()
        if kind != "str":
            raise ConditionError(f"「{text}」应为引号中的文字|'{text}' should be quoted text")
        return text

    def sum(self) -> Node:
        node = self.prod()
        while self.peek() in ("+", "-"):
            op = self.take()[1]
            node = Node("add" if op == "+" else "sub", args=(node, self.prod()))
        return node

    def prod(self) -> Node:
        node = self.atom()
        while self.peek() == "×":
            self.take()
            node = Node("mul", args=(node, self.atom()))
        return node

    def atom(self) -> Node:
        kind, text, unit = self.take()
        if kind == "num":
            if unit is not None:
                raise ConditionError(f"「{text}{unit}」只能用在「近」之后|'{text}{unit}' belongs after '近'")
            return Node("num", float(text))
        if kind == "str":
            return Node("str", text)
        if text == "(":
            node = self.expr()
            self.take(")")
            return node
        if text in ("有", "数"):
            _, table, _ = self.take()
            inner = None
            if self.peek() == "(":
                self.take()
                if self.peek() != ")":
                    inner = self.expr()
                self.take(")")
            return Node("any" if text == "有" else "count", table, (inner,) if inner is not None else ())
        if kind == "word" and text not in _KEYWORDS:
            return Node("fact", text)
        raise ConditionError(f"此处不能用「{text}」|'{text}' cannot stand here")


def _tokens(text: str) -> list[tuple[str, str, str | None]]:
    out: list[tuple[str, str, str | None]] = []
    pos, text = 0, text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ConditionError(f"无法读取「{text[pos:pos + 10]}」|cannot read '{text[pos:pos + 10]}'")
        pos = m.end()
        if m["num"]:
            out.append(("num", m["num"], m["unit"]))
        elif m["str"]:
            out.append(("str", m["str"][1:-1].replace('\\"', '"'), None))
        elif m["op"]:
            out.append(("op", _ALIASES.get(m["op"], m["op"]), None))
        elif m["word"]:
            word = _ALIASES.get(m["word"], m["word"])
            out.append(("word", word, None))
    return out


def parse(text: str) -> Node:
    p = _Parser(_tokens(text))
    node = p.expr()
    if p.pos != len(p.tokens):
        raise ConditionError(f"多余的「{p.tokens[p.pos][1]}」|unexpected '{p.tokens[p.pos][1]}'")
    return node


# ───────────── checking: names and units ─────────────

@dataclass
class Checked:
    """What a condition names, for evidence and explanation."""

    facts: list[str] = field(default_factory=list)  # household facts
    params: list[str] = field(default_factory=list)
    tables: list[tuple[str, Node | None]] = field(default_factory=list)  # 有/数 and their inner conditions


def _type(node: Node, table: str | None, out: Checked) -> tuple[str, str | None]:
    """(kind, unit) of a node; raises ConditionError with a bilingual message."""
    match node.op:
        case "num":
            return "number", None
        case "str":
            return "text", None
        case "fact":
            name = str(node.value)
            fact: Fact | None = TABLES[table].get(name) if table else None
            if fact is None and name in HOUSEHOLD:
                fact = HOUSEHOLD[name]
                out.facts.append(name) if name not in out.facts else None
            if fact is None and name in PARAMETERS:
                fact = PARAMETERS[name]
                out.params.append(name) if name not in out.params else None
            if fact is None:
                where = f"「{table}」表和户" if table else "户"
                known = "、".join([*(TABLES[table] if table else ()), *HOUSEHOLD, *PARAMETERS])
                raise ConditionError(f"UNKNOWN{where}的事实和参数中没有「{name}」（已知：{known}）"
                                     f"|no fact or parameter '{name}' (known: {known})")
            return fact.kind, fact.unit
        case "cmp":
            (lk, lu), (rk, ru) = _type(node.args[0], table, out), _type(node.args[1], table, out)
            if lk != rk:
                raise ConditionError(f"UNIT不能比较{lk}与{rk}|cannot compare {lk} with {rk}")
            if lu is not None and ru is not None and lu != ru:
                raise ConditionError(f"UNIT单位不一致：「{lu}」与「{ru}」|unit mismatch: '{lu}' vs '{ru}'")
            return "bool", None
        case "and" | "or" | "not":
            for a in node.args:
                if _type(a, table, out)[0] != "bool":
                    raise ConditionError("「且」「或」「非」只连接条件|且/或/非 join conditions only")
            return "bool", None
        case "mul" | "add" | "sub":
            (lk, lu), (rk, ru) = _type(node.args[0], table, out), _type(node.args[1], table, out)
            if lk != "number" or rk != "number":
                raise ConditionError("只有数值可以计算|only numbers can be computed with")
            if node.op != "mul" and lu and ru and lu != ru:
                raise ConditionError(f"UNIT单位不一致：「{lu}」与「{ru}」|unit mismatch: '{lu}' vs '{ru}'")
            if node.op == "mul" and lu and ru:
                raise ConditionError(f"UNIT不能将「{lu}」与「{ru}」相乘|cannot multiply '{lu}' by '{ru}'")
            return "number", lu or ru
        case "within":
            if _type(node.args[0], table, out)[0] != "date":
                raise ConditionError("「近」只用于日期|'近' applies to dates only")
            return "bool", None
        case "in" | "notin":
            if _type(node.args[0], table, out)[0] != "text":
                raise ConditionError("「属于」只用于文字|'属于' applies to text only")
            return "bool", None
        case "any" | "count":
            name = str(node.value)
            if name not in TABLES:
                raise ConditionError(f"UNKNOWN没有「{name}」表（已知：{'、'.join(TABLES)}）|no table '{name}' (known: {', '.join(TABLES)})")
            if table is not None:
                raise ConditionError("「有」「数」不能嵌套|有/数 cannot nest")
            inner = node.args[0] if node.args else None
            out.tables.append((name, inner))
            if inner is not None and _type(inner, name, out)[0] != "bool":
                raise ConditionError("「有」「数」括号中应为条件|有/数 take a condition")
            return ("bool", None) if node.op == "any" else ("number", None)
    raise ConditionError(f"无法检查「{node.op}」|cannot check '{node.op}'")


def check(text: str) -> tuple[Node, Checked]:
    """Parse and check a condition; raises ConditionError."""
    node = parse(text)
    out = Checked()
    kind, _ = _type(node, None, out)
    if kind != "bool":
        raise ConditionError("条件应为判断（比较、有、近 …）|a condition must be a test (a comparison, 有, 近 …)")
    return node, out


def check_condition(text: str, span: Span, sink: Sink) -> bool:
    """`luoshi check`'s view of a rule's condition: a located diagnostic per problem (LS241–LS243)."""
    try:
        check(text)
    except ConditionError as exc:
        message = str(exc)
        code = "LS243"
        for prefix, c in (("UNKNOWN", "LS241"), ("UNIT", "LS242")):
            if message.startswith(prefix):
                code, message = c, message[len(prefix):]
        zh, _, en = message.partition("|")
        sink.emit(code, span, f"规则条件「{text}」：{zh}", f"rule condition '{text}': {en}")
        return False
    return True


# ───────────── SQL ─────────────

def sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def to_sql(node: Node, table: str | None = None, alias: str = "t") -> str:
    """One SQL expression over the household view `h` (and, inside 有/数, the table's rows as `alias`)."""
    match node.op:
        case "num":
            return repr(float(node.value))  # type: ignore[arg-type]
        case "str":
            return sql_string(str(node.value))
        case "fact":
            name = str(node.value)
            if table is not None and name in TABLES[table]:
                return f"{alias}.{ident(name)}"
            return f"h.{ident(name)}"
        case "cmp":
            return f"({to_sql(node.args[0], table, alias)} {_SQL_OPS[str(node.value)]} {to_sql(node.args[1], table, alias)})"
        case "and" | "or":
            return f"({to_sql(node.args[0], table, alias)} {node.op.upper()} {to_sql(node.args[1], table, alias)})"
        case "not":
            return f"(NOT coalesce({to_sql(node.args[0], table, alias)}, false))"
        case "mul" | "add" | "sub":
            sym = {"mul": "*", "add": "+", "sub": "-"}[node.op]
            return f"({to_sql(node.args[0], table, alias)} {sym} {to_sql(node.args[1], table, alias)})"
        case "within":
            n, unit = cast("tuple[float, str]", node.value)  # as the parser builds a 近 node: (number, unit)
            part = {"年": "year", "个月": "month", "月": "month", "日": "day", "天": "day"}[unit]
            col = to_sql(node.args[0], table, alias)
            return f"({col} > __ASOF__ - INTERVAL {int(n)} {part} AND {col} <= __ASOF__)"
        case "in" | "notin":
            values = ", ".join(sql_string(v) for v in cast("tuple[str, ...]", node.value))  # the 属于 list
            col = to_sql(node.args[0], table, alias)
            return f"({col} IN ({values}))" if node.op == "in" else f"(coalesce({col}, '') NOT IN ({values}))"
        case "any" | "count":
            name = str(node.value)
            where = f" AND {to_sql(node.args[0], name, 'x')}" if node.args else ""
            sub = f"FROM {ident('t_' + name)} x WHERE x.户编号 = h.户编号{where}"
            return f"EXISTS (SELECT 1 {sub})" if node.op == "any" else f"(SELECT count(*) {sub})"
    raise ValueError(node.op)
