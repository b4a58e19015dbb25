"""Source → surface AST (ast.py), built while lark parses. The only way into the AST; every node gets its span.

Each grammar rule has a method here, and lark calls it at the rule's reduction (`parse.parse_ast`: the LALR
parser's `transformer=`, a plain callback per rule taking the reduced children), so no parse tree is built and
walked again: at 1k files that tree was 358,000 nodes, and walking it cost as much as building them. The same
callbacks can be driven over a tree lark already built (`build_ast`: fragments, the importer, tests), bottom-up
in the order of the reductions; tests/test_parse_ast.py holds the two equal.

Spans come from the tokens, not from lark's `propagate_positions` (which costs 1.6× the bare parse: a Python
wrapper around every reduction). The parser keeps every token (`keep_all_tokens`, parse.py), so a node's first
token, a keyword included, is its first child; its last token is the last the parser shifted (`AstBuilder`). The
callback then drops the tokens lark would have filtered out (`token_filter`), so each rule's method sees the
children it always saw.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, Literal, Protocol, overload

from lark import Token, Tree
from lark.grammar import Rule as Rule_
from lark.lexer import TerminalDef

from . import ast
from .astcache import make_span
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


def _plan_last_year(written: str) -> int:
    """"十四五" → 2025: the nth five-year plan (from the third on) ends in 1955 + 5n."""
    plan = re.search(r"十([一二三四五六七八九]?)五", written)
    assert plan is not None, "the grammar's PLAN_END and PLAN_SPAN terminals hold 十…五"
    numeral = plan.group(1)
    return 1955 + 5 * (10 + (_CN_DIGITS[numeral] if numeral else 0))


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
    text = str(text)
    if text.isascii():  # ASCII digits are their own decimal value: nothing to change (nearly every id)
        return text
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


# A rule's children: lark tokens, the Trees of rules without a method, and what the methods below built for the
# rules beneath (AST nodes, lists, field pairs) — their types depend on the grammar rule, so the methods read them.
Children = list[Any]
Rule = Callable[[Any, Children, Children], Any]
# A target's optional part (`("per", "每万人")`), gathered by `target` into the Target's keyword arguments.
Field = tuple[str, Any]


class DeadlineMaker(Protocol):
    """What a deadline spec builds: a constructor waiting for its statement's span, label and written text."""

    def __call__(self, *, span: Span, label: str | None, written: str) -> ast.Deadline: ...



def _compare(comparator: str, quantity: ast.Quantity, within: str | None, bound: str | None) -> ast.Compare:
    quantity, within = _split_within(quantity, within)
    return ast.Compare(comparator=comparator, quantity=quantity, within=within, bound=bound)


def _split_within(quantity: ast.Quantity, within: str | None) -> tuple[ast.Quantity, str | None]:
    """`30日内` / `15%以内` written without a space: the unit token takes the 内 (a unit may be any word), so it is
    given back to `within`, as if written `30日 内` — the form documented in docs/dsl.md."""
    unit = quantity.unit
    if within is None and unit:
        for word in ("以内", "内"):
            if unit.endswith(word) and len(unit) > len(word):
                return dataclasses.replace(quantity, unit=unit[: -len(word)]), word
    return quantity, within

def _words(tree: Tree[Token]) -> str:
    return "".join(str(t) for t in tree.children)


# Factories for the rules that differ only in the node they make (called in the class body below).
def _text_stmt(cls: type[ast._Text]) -> Rule:
    def method(self: AstBuilder, raw: Children, children: Children) -> ast._Text:
        return cls(text=unquote(children[0]), span=self._span(raw))
    return method


def _units_stmt(cls: type[ast._Units]) -> Rule:
    def method(self: AstBuilder, raw: Children, children: Children) -> ast._Units:
        return cls(units=tuple(children[0]), span=self._span(raw))
    return method


def _assigned_stmt(cls: type[ast.Lead | ast.Responsible | ast.Cooperate]) -> Rule:
    """牵头 / 负责 / 配合, with the （据主送） mark of units inferred from the addressees."""
    def method(self: AstBuilder, raw: Children, children: Children) -> ast._Units:
        return cls(units=tuple(children[0]), span=self._span(raw), inferred=len(children) > 1)
    return method


def _name_stmt(cls: type[ast._Named]) -> Rule:
    def method(self: AstBuilder, raw: Children, children: Children) -> ast._Named:
        return cls(name=self._name(children[0]), span=self._span(raw))
    return method


def _item(kind: ast.ItemKind) -> Rule:
    def method(self: AstBuilder, raw: Children, children: Children) -> ast.Item:
        ident, *rest = children
        title = None
        if rest and isinstance(rest[0], Token):
            title = unquote(rest.pop(0))
        return ast.Item(kind=kind, id=ident, title=title, span=self._span(raw), entries=tuple(rest))
    return method


def _unit_decl(kind: ast.UnitDeclKind) -> Rule:
    def method(self: AstBuilder, raw: Children, children: Children) -> ast.UnitDecl:
        name, *opts = children
        return ast.UnitDecl(kind=kind, name=self._name(name), span=self._span(raw), options=tuple(opts))
    return method


def _token_filter_of(terminals: Iterable[TerminalDef], grammar: str) -> tuple[frozenset[str], frozenset[str]]:
    """What lark would filter out of a tree without `keep_all_tokens`: the token types its rules drop (the
    grammar's quoted strings, which lark names itself, and `_NAMES`) and the rules that keep every token (written
    `!rule`). Read from the parser's terminals and the grammar's text, so nothing is built for it (lark's rules
    with `keep_all_tokens` on no longer say which tokens they would drop; loading the grammar again to ask is
    0.25 s). tests/test_astbuild_tokens.py holds it equal to the filtering lark's own grammar loader computes:
    a named terminal written as a plain string, or a `!rule` with an alias, would break it there."""
    dropped = frozenset(t.name for t in terminals if t.pattern.type == "str" or t.name.startswith("_"))
    keep_all = frozenset(m.group(2) for m in _KEEP_ALL_RULE.finditer(grammar) if "!" in m.group(1))
    return dropped, keep_all


# A rule definition at the start of a line: `!frequency:`, `?!x:`, `name.2:` (lark's modifiers, then the name).
_KEEP_ALL_RULE = re.compile(r"^([!?]*)([a-z_][a-z_0-9]*)(?:\.\d+)?\s*:", re.MULTILINE)


def token_filter(terminals: Iterable[TerminalDef] | None = None) -> tuple[frozenset[str], frozenset[str]]:
    """`_token_filter_of` the grammar's terminals, made once per process: of `terminals` when given (those of a
    parser of the grammar just loaded: `parse.ast_parser` loads no second parser for them), else of `parse.parser()`'s."""
    global _FILTER
    if _FILTER is None:
        from .parse import grammar_text, parser

        _FILTER = _token_filter_of(parser().terminals if terminals is None else terminals, grammar_text())
    return _FILTER


_FILTER: tuple[frozenset[str], frozenset[str]] | None = None


def _without_dropped(rules: list[Rule_], dropped: frozenset[str]) -> frozenset[str]:
    """The rules none of whose reductions can hold a token to drop, counting the tokens inlined `_rules` splice in
    (`unit: NAME subunits?`): their children need no filtering."""
    inlined: dict[str, list[Rule_]] = {}
    for rule in rules:
        if rule.origin.name.startswith("_"):
            inlined.setdefault(rule.origin.name, []).append(rule)

    def drops(rule: Rule_, seen: frozenset[str]) -> bool:
        for symbol in rule.expansion:
            if symbol.is_term:
                if symbol.name in dropped:
                    return True
            elif symbol.name in inlined and symbol.name not in seen:
                if any(drops(r, seen | {symbol.name}) for r in inlined[symbol.name]):
                    return True
        return False

    names = {rule.alias or rule.origin.name for rule in rules}
    return frozenset(n for n in names if not any(drops(r, frozenset()) for r in rules if (r.alias or r.origin.name) == n))


class _Splice(list[Any]):
    """What an inlined `_rule` reduces to: lark's ChildFilter splices its `children` into the parent's (a copy: lark
    appends to the list it takes). A list made in C, where a Tree would run Python code at each of the ~450
    reductions of a file's keywords, separators and repetitions."""

    __slots__ = ()
    children = property(list.copy)


class _Run:
    """What a repetition (`x*`, `x+`: lark's left-recursive `__rule_star_N`) reduces to: the run's list itself,
    not a copy. lark reduces a run once per repeated item, taking the run so far as `children` and appending the
    item to that list ("optimize for left-recursion": safe in LALR, where a reduced value is used once); a copy at
    each step, as `_Splice` makes, cost the whole run so far: a section of 20,000 tasks parsed in 11 s where 200
    sections of 100 took 6 s, and 40,000 in one section 40 s (bench/README.md, "Round 10: one large file"). One
    Python call a repetition's item; the short inlined rules (keywords, separators) stay `_Splice`."""

    __slots__ = ("children",)

    def __init__(self, children: list[Any]) -> None:
        self.children = children


# lark's names for the rules it makes of `x*` and `x+` (lark/load_grammar.py, EBNF_to_BNF): `__section_star_2`.
_REPETITION = re.compile(r"__\w+_(?:star|plus)_\d+")


class AstBuilder:
    """One method per grammar rule, named as the rule. Each is called at the rule's reduction with `raw`, the rule's
    children as lark reduced them (every token kept: the first gives the span's start and a statement's written
    text) and `children`, the same without the tokens lark would have filtered (keywords, braces, separators;
    `token_filter`), rules beneath already built.

    The last token of a rule's subtree is not in `raw` when the rule ends with another rule (a unit's closing
    `）` is inside its `subunits`), and the value built for that rule (a list, a deadline maker) does not hold it.
    It is the last token the parser shifted before the reduction: LALR reduces a rule when the token after it is
    seen, before shifting that token, and every rule reduced in between ends with the same token. So each
    reduction whose last child is a token remembers it (`_last`), and a rule whose last child is a built value
    finds the value's last token there: no per-token call, nothing stored on the values. (`start` of an empty
    file is the only rule that matches no token.)"""

    _rules: ClassVar[dict[str, Rule]] = {}

    def __init__(self, path: str = "", text: str = "") -> None:
        self.path = path
        self.text = text
        self._last: Token | None = None
        self._dropped, self._keep_all = token_filter()
        self._callbacks: dict[str, Callable[[Children], Any]] = {}

    def reset(self, path: str, text: str) -> None:
        """Ready for the next file (one builder serves every file its parser reads)."""
        self.path, self.text, self._last = path, text, None

    # ── the two drivers of the same callbacks ──
    def callbacks(self, rules: Iterable[Rule_]) -> dict[str, Callable[[Children], Any]]:
        """A callback for each rule lark reduces: a method's, a Tree for a rule without one (the word rules:
        frequency, month_edge, before …, read by the rule above), and for an inlined `_rule` a list whose children
        lark splices into its parent. lark calls them with the children of the reduction (parse.ast_parser)."""
        if self._callbacks:
            return self._callbacks
        rules = list(rules)
        bare = _without_dropped(rules, self._dropped)
        for name in sorted({r.alias or r.origin.name for r in rules}):
            if _REPETITION.fullmatch(name):
                self._callbacks[name] = _Run
            elif name.startswith("_"):
                self._callbacks[name] = _Splice
            else:
                self._callbacks[name] = self._reduce(name, self._rules.get(name), name in self._keep_all or name in bare)
        return self._callbacks

    def _reduce(self, name: str, method: Rule | None, keep_all: bool) -> Callable[[Children], Any]:
        dropped = self._dropped

        def reduce(raw: Children) -> Any:
            if raw and raw[-1].__class__ is Token:
                self._last = raw[-1]
            children = raw if keep_all else [c for c in raw if c.__class__ is not Token or c.type not in dropped]
            if method is None:
                return Tree(name, children)
            return method(self, raw, children)
        return reduce

    def build(self, tree: Tree[Token]) -> Any:
        """The node for a parse tree of `parse.parser()` (every token kept): the same callbacks the parse-time
        builder calls, called bottom-up over the tree (a fragment, a caller that holds a tree). In this order the
        last child's subtree is the one built just before, as at a reduction, so `_last` holds as there."""
        if not self._callbacks:
            from .parse import parser

            self.callbacks(parser().rules)
        stack: list[tuple[Tree[Token], list[Any]]] = [(tree, [])]
        result: Any = None
        while stack:  # without recursion: parse.parse_source refuses deep trees, but a caller may hold any tree
            node, built = stack[-1]
            if len(built) < len(node.children):
                child = node.children[len(built)]
                if isinstance(child, Tree):
                    stack.append((child, []))
                else:
                    built.append(child)
                continue
            stack.pop()
            result = self._callbacks[str(node.data)](built)
            if stack:
                stack[-1][1].append(result)
        return result

    # ── helpers ──
    # Spans are made without validation (lark's positions are ints, the path a str): a file has ~350 of them, each a
    # slotted `Span` of 72 bytes (syntax/source.py).
    # The lexer gives every token all its positions (`Token` types them optional for tokens made by hand): read
    # here without a check per position, a quarter of building the AST when each went through `_at`.
    def _span(self, raw: Children) -> Span:
        first: Any = raw[0]
        last: Any = self._last
        while first.__class__ is not Token:
            if isinstance(first, Tree):  # a `!rule` (over_word): all its tokens kept
                first = first.children[0]
            else:  # a built node: its span starts at its first token
                span: Span = first.span
                return make_span(self.path, span.line, span.column, last.end_line, last.end_column)
        token: Any = first
        return make_span(self.path, token.line, token.column, last.end_line, last.end_column)

    def _tok_span(self, tok: Any) -> Span:
        return make_span(self.path, tok.line, tok.column, tok.end_line, tok.end_column)

    def _name(self, tok: Any) -> ast.Name:
        span = make_span(self.path, tok.line, tok.column, tok.end_line, tok.end_column)
        kind = tok.type
        if kind == "STRING":
            return ast.Name(unquote(tok), span, quoted=True)
        if kind == "TASK_ID":
            return ast.Name(ascii_digits(tok), span)
        return ast.Name(str(tok), span)

    def _written(self, raw: Children) -> str:
        """The source text of a rule that starts with a token (unit, deadline, target)."""
        first: Any = raw[0]
        last: Any = self._last
        written: str = self.text[first.start_pos : last.end_pos]
        return written

    def _after_keyword(self, raw: Children) -> str:
        """A statement's source text without its leading keyword: `时限 2019年3月底前` → `2019年3月底前`."""
        parts = self._written(raw).split(None, 1)
        return " ".join(parts[1].split()) if len(parts) > 1 else ""

    # ── top level ──
    def start(self, raw: Children, children: Children) -> Children:
        return children

    def policy(self, raw: Children, children: Children) -> ast.Policy:
        name, *rest = children
        return ast.Policy(kind=ast.PolicyKind.POLICY, id=self._name(name), span=self._span(raw), entries=tuple(rest))

    def document(self, raw: Children, children: Children) -> ast.Policy:
        name, *rest = children
        return ast.Policy(kind=ast.PolicyKind.DOCUMENT, id=self._name(name), span=self._span(raw), entries=tuple(rest))

    # ── simple statements ──

    doc_number = _text_stmt(ast.DocNumber)
    title = _text_stmt(ast.Title)
    original = _text_stmt(ast.Original)
    note = _text_stmt(ast.Note)
    todo = _text_stmt(ast.Todo)


    issuer = _units_stmt(ast.Issuer)
    addressees = _units_stmt(ast.Addressees)
    copied = _units_stmt(ast.Copied)
    lead = _assigned_stmt(ast.Lead)
    responsible = _assigned_stmt(ast.Responsible)
    cooperate = _assigned_stmt(ast.Cooperate)
    members = _units_stmt(ast.Members)


    jurisdiction_ref = _name_stmt(ast.JurisdictionRef)
    level = _name_stmt(ast.Level)
    kind = _name_stmt(ast.JurisdictionKind)
    parent = _name_stmt(ast.Parent)
    role_ref = _name_stmt(ast.RoleRef)
    part_of = _name_stmt(ast.PartOf)

    def date_stmt(self, raw: Children, children: Children) -> ast.DateStatement:
        return ast.DateStatement(date=children[0], span=self._span(raw))

    def implements(self, raw: Children, children: Children) -> ast.Implements:
        return ast.Implements(refs=tuple(children[0]), span=self._span(raw))

    def cites(self, raw: Children, children: Children) -> ast.Cites:
        return ast.Cites(refs=tuple(children[0]), span=self._span(raw))

    def waiver(self, raw: Children, children: Children) -> ast.Waiver:
        return ast.Waiver(refs=tuple(children[0]), text=unquote(children[1]), span=self._span(raw))

    def aliases(self, raw: Children, children: Children) -> ast.Aliases:
        return ast.Aliases(names=children[0], span=self._span(raw))

    def absent(self, raw: Children, children: Children) -> ast.Absent:
        return ast.Absent(names=children[0], span=self._span(raw))

    def name_list(self, raw: Children, children: Children) -> tuple[ast.Name, ...]:
        return tuple(self._name(t) for t in children)

    # ── references ──
    def ref_list(self, raw: Children, children: Children) -> Children:
        return children

    def task_ref(self, raw: Children, children: Children) -> ast.Ref:
        return ast.Ref(str(children[0]), ascii_digits(children[1]), self._span(raw))

    def doc_ref(self, raw: Children, children: Children) -> ast.Ref:
        return ast.Ref(str(children[0]), None, self._span(raw))

    def bare_task_ref(self, raw: Children, children: Children) -> ast.Ref:
        return ast.Ref(None, ascii_digits(children[0]), self._span(raw))

    # ── units ──
    def unit_list(self, raw: Children, children: Children) -> Children:
        return children

    def unit(self, raw: Children, children: Children) -> ast.UnitName:
        name = self._name(children[0])
        subunits = tuple(children[1]) if len(children) > 1 else ()
        return ast.UnitName(name, self._written(raw), subunits, self._span(raw))

    def quoted_unit(self, raw: Children, children: Children) -> ast.UnitName:
        name = self._name(children[0])
        return ast.UnitName(name, name.text, (), self._span(raw))

    def pasted_units(self, raw: Children, children: Children) -> ast.Pasted:
        """（责任单位：A、B） as the document prints it; resolve reads it with the policy's 牵头规则."""
        found = re.search(r"责任单位|牵头单位|配合单位", str(children[0]))
        assert found is not None, "the grammar's PASTED_ROLE terminal holds one of the three words"
        word = found.group(0)
        return ast.Pasted(word=word, units=tuple(children[1]), span=self._span(raw))

    def lead_rule(self, raw: Children, children: Children) -> ast.LeadRule:
        word = _words(children[0])
        return ast.LeadRule(rule=_LEAD_RULES.get(word, word), span=self._span(raw))

    def subunits(self, raw: Children, children: Children) -> Children:
        units: Children = children[0]
        return units

    # ── items ──
    def item_id(self, raw: Children, children: Children) -> ast.Name:
        return self._name(children[0])


    task = _item(ast.ItemKind.TASK)
    clause = _item(ast.ItemKind.CLAUSE)
    phase = _item(ast.ItemKind.PHASE)

    def section(self, raw: Children, children: Children) -> ast.Section:
        ident, title, *rest = children
        return ast.Section(id=ident, title=unquote(title), span=self._span(raw), entries=tuple(rest))

    def group(self, raw: Children, children: Children) -> ast.Group:
        title, *rest = children
        return ast.Group(title=unquote(title), span=self._span(raw), entries=tuple(rest))

    # ── dates ──
    def cn_date(self, raw: Children, children: Children) -> ast.CnDate:
        year = int(children[0])
        month = day = edge = None
        for child in children[1:]:
            if isinstance(child, Tree):  # month_edge / year_edge
                edge = _words(child)
            elif month is None:
                month = int(child)
            else:
                day = int(child)
        return ast.CnDate(year, month, day, edge, self._span(raw))

    def plan_date(self, raw: Children, children: Children) -> ast.CnDate:
        """"十四五"末: the last year of a five-year plan (the nth plan ends in 1955 + 5n, from the third on), its end."""
        return ast.CnDate(_plan_last_year(str(children[0])), None, None, "底", self._span(raw), plan=str(children[0]))

    def iso_date(self, raw: Children, children: Children) -> ast.CnDate:
        parts = [int(p) for p in str(children[0]).split("-")]
        return ast.CnDate(parts[0], parts[1], parts[2] if len(parts) > 2 else None, None, self._span(raw), iso=True)

    def range_start(self, raw: Children, children: Children) -> int | ast.CnDate:
        return int(children[0]) if isinstance(children[0], Token) else children[0]

    # ── deadlines ──
    def deadline(self, raw: Children, children: Children) -> ast.Deadline:
        make: DeadlineMaker = children[0]
        label = unquote(children[1]) if len(children) > 1 else None
        return make(span=self._span(raw), label=label, written=self._after_keyword(raw))

    @staticmethod
    def _has(children: Children, rule: str) -> Tree[Token] | None:
        return next((c for c in children if isinstance(c, Tree) and c.data == rule), None)

    @staticmethod
    def _sep(children: Children) -> str:
        word = _words(next(c for c in children if isinstance(c, Tree) and c.data == "range_sep"))
        return _RANGE_WORDS.get(word, word)

    # A deadline spec returns a constructor waiting for the span, label and written text of its statement.
    def due(self, raw: Children, children: Children) -> DeadlineMaker:
        end = next(c for c in children if isinstance(c, ast.CnDate))
        before, to = bool(self._has(children, "before")), bool(self._has(children, "due_to"))

        def make(*, span: Span, label: str | None, written: str) -> ast.Due:
            return ast.Due(end=end, before=before, to=to, span=span, label=label, written=written)
        return make

    def period(self, raw: Children, children: Children) -> DeadlineMaker:
        start, end = children[0], children[2]
        sep, before = self._sep(children), bool(self._has(children, "before"))

        def make(*, span: Span, label: str | None, written: str) -> ast.Period:
            return ast.Period(start=start, end=end, sep=sep, before=before, span=span, label=label, written=written)
        return make

    def ongoing(self, raw: Children, children: Children) -> DeadlineMaker:
        since = self._since(children)
        written_ongoing = raw[0].__class__ is Token  # 持续 written (its token is not kept), not 自…起 alone

        def make(*, span: Span, label: str | None, written: str) -> ast.Ongoing:
            return ast.Ongoing(since=since, written_ongoing=written_ongoing, span=span, label=label, written=written)
        return make

    def since(self, raw: Children, children: Children) -> Tree[ast.CnDate]:
        """自2021年7月起: kept as a tree holding the date, read by the deadline rule above it (`_since`)."""
        return Tree("since", [next(c for c in children if isinstance(c, ast.CnDate))])

    @staticmethod
    def _since(children: Children) -> ast.CnDate | None:
        found = next((c for c in children if isinstance(c, Tree) and c.data == "since"), None)
        date = found.children[0] if found is not None else None
        return date if isinstance(date, ast.CnDate) else None

    def recurring(self, raw: Children, children: Children) -> DeadlineMaker:
        frequency = _FREQUENCIES.get(word := _words(children[0]), word)
        counted = next((c for c in children[1:] if isinstance(c, Token)), None)
        times = _times(counted) if counted is not None else None
        times_written = str(counted) if counted is not None and counted.type == "CN_TIMES" else None
        dates = [c for c in children[1:] if isinstance(c, ast.CnDate)]
        window = ast.Window(start=dates[0], end=dates[1], sep=self._sep(children)) if dates else None
        day_tree = self._has(children, "period_day")
        day = int(str(day_tree.children[0])) if day_tree is not None else None
        day_before = bool(day_tree is not None and self._has(day_tree.children, "before"))
        since = self._since(children)

        def make(*, span: Span, label: str | None, written: str) -> ast.Recurring:
            return ast.Recurring(frequency=frequency, times=times, window=window, times_written=times_written,
                                 day=day, day_before=day_before, since=since, span=span, label=label, written=written)
        return make

    def event_limit(self, raw: Children, children: Children) -> DeadlineMaker:
        events = [unquote(c) for c in children if isinstance(c, Token) and c.type == "STRING"]
        word = _words(children[0])
        from_word = _FROM_WORDS.get(word, word)
        to_event = events[1] if len(events) > 1 else None
        at_most = bool(self._has(children, "limit_max"))
        limit, within = _split_within(next(c for c in children if isinstance(c, ast.Quantity)),
                                      _words(w) if (w := self._has(children, "within")) else None)
        to_word = self._sep(children) if len(events) > 1 else "到"  # EventLimit's default when there is no second event

        def make(*, span: Span, label: str | None, written: str) -> ast.EventLimit:
            return ast.EventLimit(from_word=from_word, from_event=events[0], to_event=to_event, limit=limit,
                                  at_most=at_most, within=within, to_word=to_word, span=span, label=label,
                                  written=written)
        return make

    def term(self, raw: Children, children: Children) -> ast.Term:
        at_most = bool(self._has(children, "limit_max"))
        quantity = next(c for c in children if isinstance(c, ast.Quantity))
        label = next((unquote(c) for c in children if isinstance(c, Token) and c.type == "STRING"), None)
        return ast.Term(quantity, at_most, label, self._span(raw))

    def quantity(self, raw: Children, children: Children) -> ast.Quantity:
        unit = str(children[1]) if len(children) > 1 else None
        return ast.Quantity(str(children[0]), unit, self._span(raw))

    # ── targets ──
    def metric(self, raw: Children, children: Children) -> ast.Name:
        return self._name(children[0])

    def comparator(self, raw: Children, children: Children) -> Field:
        return ("comparator", "".join(str(t) for t in children))

    def cleared(self, raw: Children, children: Children) -> Field:
        return ("cleared", None)

    def qualitative(self, raw: Children, children: Children) -> Field:
        word = str(children[0])
        return ("qualitative", ast.QUALITATIVE_ALIASES.get(word, word))

    def by(self, raw: Children, children: Children) -> Field:
        return ("by", children[0])

    def by_to(self, raw: Children, children: Children) -> list[Field]:
        return [("by", children[0]), ("by_word", "到")]

    def by_before(self, raw: Children, children: Children) -> list[Field]:
        return [("by", children[0]), ("by_word", "前")]

    def over(self, raw: Children, children: Children) -> Field:
        """期间 / 累计 and a period: a range of dates, or a five-year plan as printed ("十四五" = 2021年至2025年底)."""
        cumulative = _words(children[0]) in ("累计", "cumulative")
        span = self._span(raw)
        if isinstance(children[1], Token) and children[1].type == "PLAN_SPAN":
            last = _plan_last_year(str(children[1]))
            return ("over", ast.Over(start=last - 4, end=ast.CnDate(last, None, None, "底", span), span=span,
                                     plan=str(children[1]), cumulative=cumulative))
        start, end = children[1], children[3]
        return ("over", ast.Over(start=start, end=end, span=span, sep=self._sep(children), cumulative=cumulative))

    def scope(self, raw: Children, children: Children) -> Field | list[Field]:
        if len(children) > 1:  # 合计: one figure for the units together
            return [("scope", tuple(children[0])), ("shared", True)]
        return ("scope", tuple(children[0]))

    def per(self, raw: Children, children: Children) -> Field:
        return ("per", unquote(children[0]))

    def condition(self, raw: Children, children: Children) -> Field:
        return ("condition", unquote(children[0]))

    def baseline(self, raw: Children, children: Children) -> Field:
        return ("baseline", unquote(children[0]))

    def verdict(self, raw: Children, children: Children) -> Field:
        return ("verdict", str(children[0]))

    def case_rule(self, raw: Children, children: Children) -> ast.CaseRule:
        name, condition, verdict, *rest = children
        label = unquote(rest[0]) if rest else None
        return ast.CaseRule(name=ast.Name(str(name), self._tok_span(name)), condition=condition[1], verdict=verdict[1],
                            span=self._span(raw), label=label)

    def target(self, raw: Children, children: Children) -> ast.Target:
        metric, *rest = children
        fields: dict[str, Any] = {}
        comparator: str | None = None
        quantity: ast.Quantity | None = None
        within: str | None = None
        bound: str | None = None
        qualitative: str | None = None
        flat = [c for child in rest for c in (child if isinstance(child, list) else [child])]
        for child in flat:
            if isinstance(child, tuple):
                if child[0] == "comparator":
                    comparator = child[1]
                elif child[0] == "qualitative":
                    qualitative = child[1]
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
        rule: ast.Compare | ast.Cleared | ast.Qualitative = (
            ast.Qualitative(word=qualitative) if qualitative is not None else
            ast.Cleared() if comparator is None or quantity is None else
            _compare(comparator, quantity, within, bound))
        return ast.Target(metric=metric, rule=rule, span=self._span(raw), written=self._after_keyword(raw), **fields)

    # ── registry ──
    def role(self, raw: Children, children: Children) -> ast.RoleDecl:
        name = self._name(children[0])
        description = next((unquote(c) for c in children[1:] if isinstance(c, Token)), None)
        aliases = next((c.names for c in children[1:] if isinstance(c, ast.Aliases)), ())
        return ast.RoleDecl(name=name, span=self._span(raw), description=description, aliases=aliases)


    unit_decl = _unit_decl(ast.UnitDeclKind.UNIT)
    group_decl = _unit_decl(ast.UnitDeclKind.GROUP)
    collective_decl = _unit_decl(ast.UnitDeclKind.COLLECTIVE)

    def jurisdiction(self, raw: Children, children: Children) -> ast.JurisdictionDecl:
        name, *rest = children
        return ast.JurisdictionDecl(name=self._name(name), span=self._span(raw), entries=tuple(rest))


AstBuilder._rules = {name: attr for name, attr in vars(AstBuilder).items()
                     if not name.startswith("_") and name not in ("build", "reset", "callbacks") and callable(attr)}


def build_ast(tree: Tree[Token], path: str, text: str) -> ast.SourceUnit:
    return ast.SourceUnit(path=path, decls=tuple(AstBuilder(path, text).build(tree)))


@overload
def read_fragment(rule: Literal["deadline"], text: str) -> ast.Deadline: ...
@overload
def read_fragment(rule: Literal["date"], text: str) -> ast.CnDate: ...
@overload
def read_fragment(rule: Literal["term"], text: str) -> ast.Term: ...
@overload
def read_fragment(rule: Literal["target"], text: str) -> ast.Target: ...
@overload
def read_fragment(rule: Literal["unit"], text: str) -> ast.UnitName: ...
@overload
def read_fragment(rule: str, text: str) -> ast.Deadline | ast.CnDate | ast.Term | ast.Target | ast.UnitName: ...
def read_fragment(rule: str, text: str) -> ast.Deadline | ast.CnDate | ast.Term | ast.Target | ast.UnitName:
    """One statement or value read alone (`parse.FRAGMENTS`): `read_fragment("deadline", "时限 2019年底前")` is an
    `ast.Due`. For a program that holds DSL text a document was written in (luoshi draft carries its parent's
    deadlines as written); raises lark's UnexpectedInput when `text` is not that rule."""
    from .parse import fragment_parser

    node: ast.Deadline | ast.CnDate | ast.Term | ast.Target | ast.UnitName = AstBuilder("<fragment>", text).build(
        fragment_parser().parse(text, start=rule))
    return node
