"""Lark parse tree → surface AST (ast.py). The only way into the AST; every node gets its span."""

from __future__ import annotations

import re
import unicodedata

from lark import Token, Transformer, Tree, v_args
from lark import visitors as _visitors
from lark.exceptions import GrammarError, VisitError

from . import ast
from .source import Span

_INDENTED_NEWLINE = re.compile(r"[ \t]*\n[ \t]*")


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


@v_args(meta=True)
class AstBuilder(Transformer):
    """Method names match grammar rules (lark's convention)."""

    def __init__(self, path: str, text: str):
        super().__init__()
        self.path = path
        self.text = text

    def _call_userfunc(self, tree, new_children=None):
        """lark's own dispatch, minus the cost of `v_args`: lark rebuilds the method's wrapper (functools.
        update_wrapper) on every call, about a quarter of building the AST. Same call, same VisitError."""
        f = _meta_rules().get(tree.data)
        if f is None:
            return super()._call_userfunc(tree, new_children)
        try:
            return f(self, tree.meta, new_children if new_children is not None else tree.children)
        except GrammarError:
            raise
        except Exception as e:
            raise VisitError(tree.data, tree, e) from e

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

    def _policy(self, kind, meta, children):
        name, *rest = children
        statements = tuple(c for c in rest if isinstance(c, ast.Statement))
        body = tuple(c for c in rest if isinstance(c, (ast.Section, ast.Item, ast.Group)))
        return ast.Policy(kind, self._name(name), self._span(meta), statements, body)

    def policy(self, meta, children):
        return self._policy("policy", meta, children)

    def document(self, meta, children):
        return self._policy("document", meta, children)

    # ── simple statements ──
    def _text_stmt(kind):
        def method(self, meta, children):
            return ast.Statement(kind, self._span(meta), text=unquote(children[0]))
        return method

    doc_number = _text_stmt("doc_number")
    title = _text_stmt("title")
    original = _text_stmt("original")
    note = _text_stmt("note")
    todo = _text_stmt("todo")

    def _units_stmt(kind):
        def method(self, meta, children):
            return ast.Statement(kind, self._span(meta), units=tuple(children[0]))
        return method

    issuer = _units_stmt("issuer")
    addressees = _units_stmt("addressees")
    copied = _units_stmt("copied")
    lead = _units_stmt("lead")
    responsible = _units_stmt("responsible")
    cooperate = _units_stmt("cooperate")

    def _name_stmt(kind):
        def method(self, meta, children):
            return ast.Statement(kind, self._span(meta), name=self._name(children[0]))
        return method

    jurisdiction_ref = _name_stmt("jurisdiction")
    level = _name_stmt("level")
    kind = _name_stmt("kind")
    parent = _name_stmt("parent")
    role_ref = _name_stmt("role")
    part_of = _name_stmt("part_of")

    def date_stmt(self, meta, children):
        return ast.Statement("date", self._span(meta), date=children[0])

    def implements(self, meta, children):
        return ast.Statement("implements", self._span(meta), refs=tuple(children[0]))

    def cites(self, meta, children):
        return ast.Statement("cites", self._span(meta), refs=tuple(children[0]))

    def waiver(self, meta, children):
        return ast.Statement("waiver", self._span(meta), refs=tuple(children[0]), text=unquote(children[1]))

    def aliases(self, meta, children):
        return ("aliases", children[0])

    def name_list(self, meta, children):
        return tuple(self._name(t) for t in children)

    def members(self, meta, children):
        return ("members", tuple(children[0]))

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

    def subunits(self, meta, children):
        return children[0]

    # ── items ──
    def item_id(self, meta, children):
        return self._name(children[0])

    def _item(kind):
        def method(self, meta, children):
            ident, *rest = children
            title = None
            if rest and isinstance(rest[0], Token):
                title = unquote(rest.pop(0))
            return ast.Item(
                kind, ident, title, self._span(meta),
                statements=tuple(c for c in rest if isinstance(c, ast.Statement)),
                deadlines=tuple(c for c in rest if isinstance(c, ast.Deadline)),
                terms=tuple(c for c in rest if isinstance(c, ast.Term)),
                targets=tuple(c for c in rest if isinstance(c, ast.Target)),
                children=tuple(c for c in rest if isinstance(c, ast.Item)),
            )
        return method

    task = _item("task")
    clause = _item("clause")
    phase = _item("phase")

    def section(self, meta, children):
        ident, title, *rest = children
        return ast.Section(
            ident, unquote(title), self._span(meta),
            statements=tuple(c for c in rest if isinstance(c, ast.Statement)),
            body=tuple(c for c in rest if isinstance(c, (ast.Section, ast.Item, ast.Group))),
        )

    def group(self, meta, children):
        title, *rest = children
        return ast.Group(
            unquote(title), self._span(meta),
            items=tuple(c for c in rest if isinstance(c, ast.Item)),
            notes=tuple(c.text for c in rest if isinstance(c, ast.Statement) and c.text),
        )

    # ── dates ──
    def cn_date(self, meta, children):
        year = int(children[0])
        month = day = edge = None
        for child in children[1:]:
            if isinstance(child, Tree):  # month_edge / year_edge
                edge = "".join(str(t) for t in child.children)
            elif month is None:
                month = int(child)
            else:
                day = int(child)
        return ast.CnDate(year, month, day, edge, self._span(meta))

    def iso_date(self, meta, children):
        parts = [int(p) for p in str(children[0]).split("-")]
        return ast.CnDate(parts[0], parts[1], parts[2] if len(parts) > 2 else None, None, self._span(meta), iso=True)

    def range_start(self, meta, children):
        return children[0]

    # ── deadlines ──
    def deadline(self, meta, children):
        spec = children[0]
        label = unquote(children[1]) if len(children) > 1 else None
        return ast.Deadline(**{**spec, "span": self._span(meta), "label": label, "written": self._after_keyword(meta)})

    def due(self, meta, children):
        return {"kind": "due", "end": children[0]}

    def period(self, meta, children):
        start, end = children
        if isinstance(start, Token):
            return {"kind": "period", "start_year": int(start), "end": end}
        return {"kind": "period", "start": start, "end": end}

    def ongoing(self, meta, children):
        return {"kind": "ongoing"}

    def recurring(self, meta, children):
        frequency = "".join(str(t) for t in children[0].children)
        times = next((int(c) for c in children[1:] if isinstance(c, Token)), None)
        dates = [c for c in children[1:] if isinstance(c, ast.CnDate)]
        return {"kind": "recurring", "frequency": frequency, "times": times,
                "start": dates[0] if dates else None, "end": dates[1] if len(dates) > 1 else None}

    def event_limit(self, meta, children):
        events = [unquote(c) for c in children if isinstance(c, Token) and c.type == "STRING"]
        at_most = any(isinstance(c, Tree) and c.data == "limit_max" for c in children)
        limit = next(c for c in children if isinstance(c, ast.Quantity))
        return {"kind": "event_limit", "from_event": events[0], "to_event": events[1] if len(events) > 1 else None,
                "limit": limit, "at_most": at_most}

    def limit_max(self, meta, children):
        return Tree("limit_max", [])

    def term(self, meta, children):
        at_most = any(isinstance(c, Tree) and c.data == "limit_max" for c in children)
        quantity = next(c for c in children if isinstance(c, ast.Quantity))
        label = next((unquote(c) for c in children if isinstance(c, Token) and c.type == "STRING"), None)
        return ast.Term(quantity, at_most, label, self._span(meta))

    def quantity(self, meta, children):
        unit = str(children[1]) if len(children) > 1 else None
        return ast.Quantity(str(children[0]), unit, self._span(meta))

    # ── targets ──
    def metric(self, meta, children):
        return ("metric", self._name(children[0]).text)

    def comparator(self, meta, children):
        return ("comparator", "".join(str(t) for t in children))

    def cleared(self, meta, children):
        return ("comparator", None)

    def by(self, meta, children):
        return ("by", children[0])

    def scope(self, meta, children):
        return ("scope", tuple(children[0]))

    def per(self, meta, children):
        return ("per", unquote(children[0]))

    def condition(self, meta, children):
        return ("condition", unquote(children[0]))

    def baseline(self, meta, children):
        return ("baseline", unquote(children[0]))

    def target(self, meta, children):
        fields: dict = {"quantity": None}
        for child in children:
            if isinstance(child, tuple):
                fields[child[0]] = child[1]
            elif isinstance(child, ast.Quantity):
                fields["quantity"] = child
            elif isinstance(child, Token) and child.type == "STRING":
                fields["note"] = unquote(child)
        return ast.Target(span=self._span(meta), written=self._after_keyword(meta), **fields)

    # ── registry ──
    def role(self, meta, children):
        name = self._name(children[0])
        description = next((unquote(c) for c in children[1:] if isinstance(c, Token)), None)
        aliases = next((c[1] for c in children[1:] if isinstance(c, tuple)), ())
        return ast.RoleDecl(name, self._span(meta), description, aliases)

    def _unit_decl(kind):
        def method(self, meta, children):
            name, *opts = children
            fields: dict = {}
            for opt in opts:
                if isinstance(opt, tuple):
                    fields[opt[0]] = opt[1]
                elif opt.kind == "role":
                    fields["role"] = opt.name
                elif opt.kind == "part_of":
                    fields["part_of"] = opt.name
                elif opt.kind == "note":
                    fields["note"] = opt.text
            return ast.UnitDecl(kind, self._name(name), self._span(meta), **fields)
        return method

    unit_decl = _unit_decl("unit")
    group_decl = _unit_decl("group")
    collective_decl = _unit_decl("collective")

    def jurisdiction(self, meta, children):
        name, *rest = children
        fields: dict = {"units": [], "children": []}
        for child in rest:
            if isinstance(child, ast.UnitDecl):
                fields["units"].append(child)
            elif isinstance(child, ast.JurisdictionDecl):
                fields["children"].append(child)
            elif isinstance(child, tuple):
                fields["aliases"] = child[1]
            else:
                fields[child.kind] = child.name
        fields["units"], fields["children"] = tuple(fields["units"]), tuple(fields["children"])
        return ast.JurisdictionDecl(self._name(name), self._span(meta), **fields)


def build_ast(tree: Tree, path: str, text: str) -> ast.SourceUnit:
    decls = AstBuilder(path, text).transform(tree)
    return ast.SourceUnit(
        path=path,
        policies=tuple(d for d in decls if isinstance(d, ast.Policy)),
        jurisdictions=tuple(d for d in decls if isinstance(d, ast.JurisdictionDecl)),
        roles=tuple(d for d in decls if isinstance(d, ast.RoleDecl)),
    )


_META_RULES: dict[str, object] | None = None


def _meta_rules() -> dict[str, object]:
    """Rule name → the plain function `v_args(meta=True)` wrapped, for AstBuilder's dispatch. Empty (lark's own
    dispatch for every rule) if lark's wrapper is not laid out as in the lark this was written against."""
    global _META_RULES
    if _META_RULES is None:
        wrapper, meta_call = getattr(_visitors, "_VArgsWrapper", None), getattr(_visitors, "_vargs_meta", None)
        found: dict[str, object] = {}
        if wrapper is not None and meta_call is not None:
            for klass in reversed(AstBuilder.__mro__):
                for name, attr in vars(klass).items():
                    if isinstance(attr, wrapper) and attr.visit_wrapper is meta_call and not name.startswith("_"):
                        found[name] = attr.base_func
        _META_RULES = found
    return _META_RULES
