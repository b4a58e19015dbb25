"""Lark parse tree → surface AST (ast.py). The only way into the AST; every node gets its span.

The tree is walked bottom-up by `AstBuilder.build`, which looks each rule's method up in a table made once per
class: lark's public `Tree`/`Token`/`meta` only, and no per-call wrapper (lark's `Transformer` with `v_args`
rebuilds one on every call, about a quarter of building the AST).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any, ClassVar

from lark import Token, Tree

from . import ast
from .source import Span

_INDENTED_NEWLINE = re.compile(r"[ \t]*\n[ \t]*")

# English keyword aliases kept in the AST are stored in their Chinese form (the formatter writes Chinese).
_RANGE_WORDS = {"to": "至"}
_FROM_WORDS = {"from": "从"}
_LEAD_RULES = {"first": "首位", "none": "无"}
_FREQUENCIES = {"yearly": "每年", "half-yearly": "每半年", "quarterly": "每季度", "monthly": "每月", "weekly": "每周"}


_CN_DIGITS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _times(token: Token) -> int:
    """`2` or the printed `一次` · `两次` · `十二次` (CN_TIMES) as a number of times."""
    if token.type != "CN_TIMES":
        return int(token)
    digits = str(token)[:-1]
    if "十" not in digits:
        return _CN_DIGITS[digits]
    tens, _, ones = digits.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def unquote(token: str) -> str:
    """`"…"` with escapes, or `\"\"\"…\"\"\"` where single line breaks (and their indentation) join lines —
    Chinese text has no spaces between words — and a blank line stays a paragraph break."""
    if token.startswith('"""'):
        body = token[3:-3].strip()
        paragraphs = re.split(r"\n[ \t]*\n", body)
        return "\n".join(_INDENTED_NEWLINE.sub("", p).strip() for p in paragraphs)
    body = token[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


def ascii_digits(text: str) -> str:
    """A task id as one id whatever digits an IME typed: `任务 １`, `任务 1` and a reference to `２.１` or `2.1` are the
    same task (the grammar's digits are any Unicode decimal digit; `１` and `1` were two tasks, and `2.1` did not
    find `２.１`)."""
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in str(text))


Rule = Callable[[Any, Any, list], Any]


def _words(tree: Tree) -> str:
    return "".join(str(t) for t in tree.children)


# Factories for the rules that differ only in the node they make (called in the class body below).
def _text_stmt(cls: type[ast._Text]) -> Rule:
    def method(self: AstBuilder, meta: Any, children: list) -> ast._Text:
        return cls(text=unquote(children[0]), span=self._span(meta))
    return method


def _units_stmt(cls: type[ast._Units]) -> Rule:
    def method(self: AstBuilder, meta: Any, children: list) -> ast._Units:
        return cls(units=tuple(children[0]), span=self._span(meta))
    return method


def _name_stmt(cls: type[ast._Named]) -> Rule:
    def method(self: AstBuilder, meta: Any, children: list) -> ast._Named:
        return cls(name=self._name(children[0]), span=self._span(meta))
    return method


def _item(kind: ast.ItemKind) -> Rule:
    def method(self: AstBuilder, meta: Any, children: list) -> ast.Item:
        ident, *rest = children
        title = None
        if rest and isinstance(rest[0], Token):
            title = unquote(rest.pop(0))
        return ast.Item(kind=kind, id=ident, title=title, span=self._span(meta), entries=tuple(rest))
    return method


def _unit_decl(kind: ast.UnitDeclKind) -> Rule:
    def method(self: AstBuilder, meta: Any, children: list) -> ast.UnitDecl:
        name, *opts = children
        return ast.UnitDecl(kind=kind, name=self._name(name), span=self._span(meta), options=tuple(opts))
    return method


class AstBuilder:
    """One method per grammar rule, named as the rule; each takes the rule's `meta` and its built children."""

    _rules: ClassVar[dict[str, Rule]] = {}

    def __init__(self, path: str, text: str):
        self.path = path
        self.text = text

    def build(self, tree: Tree) -> Any:
        """The node for `tree`, its children built first. A rule without a method stays a Tree (the word
        rules: frequency, month_edge, before …), read by the rule above it."""
        children = [self.build(c) if isinstance(c, Tree) else c for c in tree.children]
        method = self._rules.get(tree.data)
        if method is None:
            return Tree(tree.data, children, tree.meta)
        return method(self, tree.meta, children)

    # ── helpers ──
    def _span(self, meta) -> Span:
        return Span(file=self.path, line=meta.line, column=meta.column, end_line=meta.end_line, end_column=meta.end_column)

    def _tok_span(self, tok: Token) -> Span:
        return Span(file=self.path, line=tok.line, column=tok.column, end_line=tok.end_line, end_column=tok.end_column)

    def _name(self, tok: Token) -> ast.Name:
        if tok.type == "STRING":
            return ast.Name(unquote(tok), self._tok_span(tok), quoted=True)
        if tok.type == "TASK_ID":
            return ast.Name(ascii_digits(tok), self._tok_span(tok))
        return ast.Name(str(tok), self._tok_span(tok))

    def _written(self, meta) -> str:
        return self.text[meta.start_pos : meta.end_pos]

    def _after_keyword(self, meta) -> str:
        """A statement's source text without its leading keyword: `时限 2019年3月底前` → `2019年3月底前`."""
        parts = self._written(meta).split(None, 1)
        return " ".join(parts[1].split()) if len(parts) > 1 else ""

    # ── top level ──
    def start(self, meta, children):
        return children

    def policy(self, meta, children):
        name, *rest = children
        return ast.Policy(kind=ast.PolicyKind.POLICY, id=self._name(name), span=self._span(meta), entries=tuple(rest))

    def document(self, meta, children):
        name, *rest = children
        return ast.Policy(kind=ast.PolicyKind.DOCUMENT, id=self._name(name), span=self._span(meta), entries=tuple(rest))

    # ── simple statements ──

    doc_number = _text_stmt(ast.DocNumber)
    title = _text_stmt(ast.Title)
    original = _text_stmt(ast.Original)
    note = _text_stmt(ast.Note)
    todo = _text_stmt(ast.Todo)


    issuer = _units_stmt(ast.Issuer)
    addressees = _units_stmt(ast.Addressees)
    copied = _units_stmt(ast.Copied)
    lead = _units_stmt(ast.Lead)
    responsible = _units_stmt(ast.Responsible)
    cooperate = _units_stmt(ast.Cooperate)
    members = _units_stmt(ast.Members)


    jurisdiction_ref = _name_stmt(ast.JurisdictionRef)
    level = _name_stmt(ast.Level)
    kind = _name_stmt(ast.JurisdictionKind)
    parent = _name_stmt(ast.Parent)
    role_ref = _name_stmt(ast.RoleRef)
    part_of = _name_stmt(ast.PartOf)

    def date_stmt(self, meta, children):
        return ast.DateStatement(date=children[0], span=self._span(meta))

    def implements(self, meta, children):
        return ast.Implements(refs=tuple(children[0]), span=self._span(meta))

    def cites(self, meta, children):
        return ast.Cites(refs=tuple(children[0]), span=self._span(meta))

    def waiver(self, meta, children):
        return ast.Waiver(refs=tuple(children[0]), text=unquote(children[1]), span=self._span(meta))

    def aliases(self, meta, children):
        return ast.Aliases(names=children[0], span=self._span(meta))

    def absent(self, meta, children):
        return ast.Absent(names=children[0], span=self._span(meta))

    def name_list(self, meta, children):
        return tuple(self._name(t) for t in children)

    # ── references ──
    def ref_list(self, meta, children):
        return children

    def task_ref(self, meta, children):
        return ast.Ref(str(children[0]), ascii_digits(children[1]), self._span(meta))

    def doc_ref(self, meta, children):
        return ast.Ref(str(children[0]), None, self._span(meta))

    def bare_task_ref(self, meta, children):
        return ast.Ref(None, ascii_digits(children[0]), self._span(meta))

    # ── units ──
    def unit_list(self, meta, children):
        return children

    def unit(self, meta, children):
        name = self._name(children[0])
        subunits = tuple(children[1]) if len(children) > 1 else ()
        return ast.UnitName(name, self._written(meta), subunits, self._span(meta))

    def quoted_unit(self, meta, children):
        name = self._name(children[0])
        return ast.UnitName(name, name.text, (), self._span(meta))

    def pasted_units(self, meta, children):
        """（责任单位：A、B） as the document prints it; resolve reads it with the policy's 牵头规则."""
        word = re.search(r"责任单位|牵头单位|配合单位", str(children[0])).group(0)
        return ast.Pasted(word=word, units=tuple(children[1]), span=self._span(meta))

    def lead_rule(self, meta, children):
        word = _words(children[0])
        return ast.LeadRule(rule=_LEAD_RULES.get(word, word), span=self._span(meta))

    def subunits(self, meta, children):
        return children[0]

    # ── items ──
    def item_id(self, meta, children):
        return self._name(children[0])


    task = _item(ast.ItemKind.TASK)
    clause = _item(ast.ItemKind.CLAUSE)
    phase = _item(ast.ItemKind.PHASE)

    def section(self, meta, children):
        ident, title, *rest = children
        return ast.Section(id=ident, title=unquote(title), span=self._span(meta), entries=tuple(rest))

    def group(self, meta, children):
        title, *rest = children
        return ast.Group(title=unquote(title), span=self._span(meta), entries=tuple(rest))

    # ── dates ──
    def cn_date(self, meta, children):
        year = int(children[0])
        month = day = edge = None
        for child in children[1:]:
            if isinstance(child, Tree):  # month_edge / year_edge
                edge = _words(child)
            elif month is None:
                month = int(child)
            else:
                day = int(child)
        return ast.CnDate(year, month, day, edge, self._span(meta))

    def plan_date(self, meta, children):
        """"十四五"末: the last year of a five-year plan (the nth plan ends in 1955 + 5n, from the third on), its end."""
        numeral = re.search(r"十([一二三四五六七八九]?)五", str(children[0])).group(1)
        n = 10 + (_CN_DIGITS[numeral] if numeral else 0)
        return ast.CnDate(1955 + 5 * n, None, None, "底", self._span(meta), plan=str(children[0]))

    def iso_date(self, meta, children):
        parts = [int(p) for p in str(children[0]).split("-")]
        return ast.CnDate(parts[0], parts[1], parts[2] if len(parts) > 2 else None, None, self._span(meta), iso=True)

    def range_start(self, meta, children):
        return int(children[0]) if isinstance(children[0], Token) else children[0]

    # ── deadlines ──
    def deadline(self, meta, children):
        make = children[0]
        label = unquote(children[1]) if len(children) > 1 else None
        return make(span=self._span(meta), label=label, written=self._after_keyword(meta))

    @staticmethod
    def _has(children, rule: str) -> Tree | None:
        return next((c for c in children if isinstance(c, Tree) and c.data == rule), None)

    @staticmethod
    def _sep(children) -> str:
        word = _words(next(c for c in children if isinstance(c, Tree) and c.data == "range_sep"))
        return _RANGE_WORDS.get(word, word)

    # A deadline spec returns a constructor waiting for the span, label and written text of its statement.
    def due(self, meta, children):
        end = next(c for c in children if isinstance(c, ast.CnDate))
        before, to = bool(self._has(children, "before")), bool(self._has(children, "due_to"))
        return lambda **kw: ast.Due(end=end, before=before, to=to, **kw)

    def period(self, meta, children):
        start, end = children[0], children[2]
        sep, before = self._sep(children), bool(self._has(children, "before"))
        return lambda **kw: ast.Period(start=start, end=end, sep=sep, before=before, **kw)

    def ongoing(self, meta, children):
        return ast.Ongoing

    def recurring(self, meta, children):
        frequency = _FREQUENCIES.get(word := _words(children[0]), word)
        counted = next((c for c in children[1:] if isinstance(c, Token)), None)
        times = _times(counted) if counted is not None else None
        times_written = str(counted) if counted is not None and counted.type == "CN_TIMES" else None
        dates = [c for c in children[1:] if isinstance(c, ast.CnDate)]
        window = ast.Window(start=dates[0], end=dates[1], sep=self._sep(children)) if dates else None
        return lambda **kw: ast.Recurring(frequency=frequency, times=times, window=window, times_written=times_written, **kw)

    def event_limit(self, meta, children):
        events = [unquote(c) for c in children if isinstance(c, Token) and c.type == "STRING"]
        word = _words(children[0])
        fields = {
            "from_word": _FROM_WORDS.get(word, word), "from_event": events[0],
            "to_event": events[1] if len(events) > 1 else None,
            "limit": next(c for c in children if isinstance(c, ast.Quantity)),
            "at_most": bool(self._has(children, "limit_max")),
            "within": _words(w) if (w := self._has(children, "within")) else None,
        }
        if len(events) > 1:
            fields["to_word"] = self._sep(children)
        return lambda **kw: ast.EventLimit(**fields, **kw)

    def term(self, meta, children):
        at_most = bool(self._has(children, "limit_max"))
        quantity = next(c for c in children if isinstance(c, ast.Quantity))
        label = next((unquote(c) for c in children if isinstance(c, Token) and c.type == "STRING"), None)
        return ast.Term(quantity, at_most, label, self._span(meta))

    def quantity(self, meta, children):
        unit = str(children[1]) if len(children) > 1 else None
        return ast.Quantity(str(children[0]), unit, self._span(meta))

    # ── targets ──
    def metric(self, meta, children):
        return self._name(children[0])

    def comparator(self, meta, children):
        return ("comparator", "".join(str(t) for t in children))

    def cleared(self, meta, children):
        return ("cleared", None)

    def by(self, meta, children):
        return ("by", children[0])

    def by_to(self, meta, children):
        return [("by", children[0]), ("by_word", "到")]

    def by_before(self, meta, children):
        return [("by", children[0]), ("by_word", "前")]

    def scope(self, meta, children):
        return ("scope", tuple(children[0]))

    def per(self, meta, children):
        return ("per", unquote(children[0]))

    def condition(self, meta, children):
        return ("condition", unquote(children[0]))

    def baseline(self, meta, children):
        return ("baseline", unquote(children[0]))

    def verdict(self, meta, children):
        return ("verdict", str(children[0]))

    def case_rule(self, meta, children):
        name, condition, verdict, *rest = children
        label = unquote(rest[0]) if rest else None
        return ast.CaseRule(name=ast.Name(str(name), self._tok_span(name)), condition=condition[1], verdict=verdict[1],
                            span=self._span(meta), label=label)

    def target(self, meta, children):
        metric, *rest = children
        fields: dict = {}
        comparator: str | None = None
        quantity: ast.Quantity | None = None
        within: str | None = None
        bound: str | None = None
        flat = [c for child in rest for c in (child if isinstance(child, list) else [child])]
        for child in flat:
            if isinstance(child, tuple):
                if child[0] == "comparator":
                    comparator = child[1]
                elif child[0] != "cleared":
                    fields[child[0]] = child[1]
            elif isinstance(child, ast.Quantity):
                quantity = child
            elif isinstance(child, Tree) and child.data == "bound":
                bound = _words(child)
            elif isinstance(child, Tree):  # within
                within = _words(child)
            elif isinstance(child, Token) and child.type == "STRING":
                fields["note"] = unquote(child)
        rule: ast.Compare | ast.Cleared = (ast.Cleared() if comparator is None or quantity is None else
                                           ast.Compare(comparator=comparator, quantity=quantity, within=within,
                                                                       bound=bound))
        return ast.Target(metric=metric, rule=rule, span=self._span(meta), written=self._after_keyword(meta), **fields)

    # ── registry ──
    def role(self, meta, children):
        name = self._name(children[0])
        description = next((unquote(c) for c in children[1:] if isinstance(c, Token)), None)
        aliases = next((c.names for c in children[1:] if isinstance(c, ast.Aliases)), ())
        return ast.RoleDecl(name=name, span=self._span(meta), description=description, aliases=aliases)


    unit_decl = _unit_decl(ast.UnitDeclKind.UNIT)
    group_decl = _unit_decl(ast.UnitDeclKind.GROUP)
    collective_decl = _unit_decl(ast.UnitDeclKind.COLLECTIVE)

    def jurisdiction(self, meta, children):
        name, *rest = children
        return ast.JurisdictionDecl(name=self._name(name), span=self._span(meta), entries=tuple(rest))


AstBuilder._rules = {name: attr for name, attr in vars(AstBuilder).items()
                     if not name.startswith("_") and name != "build" and callable(attr)}


def build_ast(tree: Tree, path: str, text: str) -> ast.SourceUnit:
    return ast.SourceUnit(path=path, decls=tuple(AstBuilder(path, text).build(tree)))


def read_fragment(rule: str, text: str) -> Any:
    """One statement or value read alone (`parse.FRAGMENTS`): `read_fragment("deadline", "时限 2019年底前")` is an
    `ast.Due`. For a program that holds DSL text a document was written in (luoshi draft carries its parent's
    deadlines as written); raises lark's UnexpectedInput when `text` is not that rule."""
    from .parse import fragment_parser

    return AstBuilder("<fragment>", text).build(fragment_parser().parse(text, start=rule))
