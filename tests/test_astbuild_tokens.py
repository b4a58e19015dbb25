"""Spans from tokens: the parser keeps every token and the AST builder filters them itself (astbuild.py). These
tests hold that to what lark's `propagate_positions` and its own token filtering gave: the same trees, the same
span on every node, for every file in policies/ and the test fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest
from lark import Lark, Token, Tree
from lark.grammar import Terminal
from lark.load_grammar import load_grammar

from luoshi.syntax.astbuild import token_filter
from luoshi.syntax.parse import grammar_text, parser

from conftest import FIXTURES, ROOT

FILES = sorted(p for folder in (ROOT / "policies", FIXTURES) for p in folder.rglob("*")
               if p.suffix in (".policy", ".units"))


def _lark_filter() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """lark's own answer: the grammar loaded without keep_all_tokens; the token types its rules drop, those they
    keep, and the `!` rules (which keep all of theirs)."""
    grammar, _ = load_grammar(grammar_text(), "<luoshi>", None, False)
    _, rules, _ = grammar.compile(["start"], set())
    dropped = {s.name for r in rules if not r.options.keep_all_tokens for s in r.expansion
               if isinstance(s, Terminal) and s.filter_out}
    kept = {s.name for r in rules if not r.options.keep_all_tokens for s in r.expansion
            if isinstance(s, Terminal) and not s.filter_out}
    assert not dropped & kept, "a token type both dropped and kept: the builder could not filter by type"
    keep_all = {r.alias or r.origin.name for r in rules if r.options.keep_all_tokens}
    assert not any(not s.is_term and s.name.startswith("_") for r in rules if r.options.keep_all_tokens
                   for s in r.expansion), "a !rule inlines another rule"
    return frozenset(dropped), frozenset(kept), frozenset(keep_all)


def test_token_filter_is_the_one_lark_computes():
    dropped, keep_all = token_filter()
    lark_dropped, lark_kept, lark_keep_all = _lark_filter()
    # every type a rule drops is dropped, none a rule keeps is (the others stand only in `!` rules)
    assert lark_dropped <= dropped and not lark_kept & dropped
    assert keep_all == lark_keep_all
    assert {"frequency", "comparator", "range_sep"} <= keep_all and "lead" not in keep_all


def _filtered(tree: Tree[Token], dropped: frozenset[str], keep_all: frozenset[str]) -> Tree[Token]:
    keep = tree.data in keep_all
    return Tree(tree.data, [_filtered(c, dropped, keep_all) if isinstance(c, Tree) else c for c in tree.children
                            if isinstance(c, Tree) or keep or c.type not in dropped])


@pytest.fixture(scope="module")
def positioned() -> Lark:
    """The parser luoshi used before: lark filtering tokens and propagating positions."""
    return Lark(grammar_text(), parser="lalr", lexer="contextual", propagate_positions=True, maybe_placeholders=False)


def test_files_found():
    assert len(FILES) > 40 and any(p.suffix == ".units" for p in FILES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_spans_from_tokens_equal_propagated_positions(path: Path, positioned: Lark):
    text = path.read_text(encoding="utf-8")
    try:
        old = positioned.parse(text)
    except Exception:  # a fixture that is meant not to parse
        pytest.skip("does not parse")
    new = parser().parse(text)
    dropped, keep_all = token_filter()
    assert _filtered(new, dropped, keep_all) == old  # the same tree once filtered (Tree equality ignores meta)
    # node for node (the same walk over the same shape), the first and last token are lark's propagated span
    new_nodes, old_nodes = list(_walk(new)), list(_walk(old))
    assert len(new_nodes) == len(old_nodes)
    for ours, theirs in zip(new_nodes, old_nodes):
        assert ours.data == theirs.data
        if theirs.meta.empty:
            continue
        first, last = _first_token(ours), _last_token(ours)
        assert (first.line, first.column, last.end_line, last.end_column, first.start_pos, last.end_pos) == (
            theirs.meta.line, theirs.meta.column, theirs.meta.end_line, theirs.meta.end_column,
            theirs.meta.start_pos, theirs.meta.end_pos), f"{path.name}: {ours.data} at {theirs.meta.line}"


def _first_token(node: Tree[Token]) -> Token:
    """The first token of a subtree (the AST builder takes it at the reduction; here from the kept tree)."""
    child: Tree[Token] | Token = node
    while isinstance(child, Tree):
        child = child.children[0]
    return child


def _last_token(node: Tree[Token]) -> Token:
    child: Tree[Token] | Token = node
    while isinstance(child, Tree):
        child = child.children[-1]
    return child


def _walk(tree: Tree[Token]):
    """Every subtree, parent before children, in source order (the two trees have the same shape of subtrees:
    only tokens differ between them)."""
    yield tree
    for c in tree.children:
        if isinstance(c, Tree):
            yield from _walk(c)
