"""lalr.py's loop over lark's table against lark's own parse: the same tree, token for token and position for
position, for every file of policies/ and the fixtures and for the seed corpus mutated and token soup (fuzz/);
and wherever lark raises, the loop hands the file back (`FallBack`) instead of returning anything.

The loop is run here with the callbacks of lark's tree parser (`parse.parser()`: a Tree per rule, nothing at the
tokens), so its result is compared with `parser().parse(text)` whole; test_parse_ast.py compares the ASTs that
`parse_ast` builds with it."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given
from lark import Token, Tree
from lark.exceptions import UnexpectedInput

from luoshi.diagnostics import Sink
from luoshi.syntax import parse
from luoshi.syntax.lalr import FallBack, TableParser
from luoshi.syntax.source import SourceFile

from conftest import FIXTURES, ROOT
from fuzz import strategies as fs

FILES = sorted(p for folder in (ROOT / "policies", FIXTURES) for p in folder.rglob("*")
               if p.suffix in (".policy", ".units"))


@lru_cache(maxsize=1)
def _loop() -> TableParser:
    return TableParser(parse.parser())


def _flat(tree: Tree[Token] | Token) -> list[object]:
    """A tree as a flat list: each node's rule and child count, each token's type, text and every position."""
    out: list[object] = []
    stack: list[Tree[Token] | Token] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Tree):
            out.append((str(node.data), len(node.children)))
            stack.extend(reversed(node.children))
        else:
            out.append((node.type, str(node), node.start_pos, node.line, node.column, node.end_line, node.end_column,
                        node.end_pos))
    return out


def _same(text: str) -> bool:
    """Assert the loop does what lark does on `text`; True when it parsed."""
    try:
        expected = parse.parser().parse(text)
    except UnexpectedInput:
        with pytest.raises(FallBack):
            _loop().parse(text)
        return False
    assert _flat(_loop().parse(text)) == _flat(expected)
    return True


def test_files_found():
    assert len(FILES) > 60


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_loop_builds_lark_s_tree(path: Path):
    _same(path.read_bytes().decode("utf-8", "replace"))


def test_the_policies_parse_in_the_loop_not_in_lark():
    """Every file of policies/ parses in the loop: the fallback is for errors only."""
    for path in FILES:
        if ROOT / "policies" in path.parents:
            assert _same(path.read_text(encoding="utf-8")), path


@fs.ci(150)
@given(case=fs.mutated_seed())
def test_the_loop_on_mutated_seed_files(case):
    _same(case[1])


@fs.ci(150)
@given(text=fs.token_soup())
def test_the_loop_on_token_soup(text):
    _same(text)


@pytest.mark.parametrize("text", [
    "", "# 只有注释\n", "   \n\n", '政策 a-1 { 任务 1 {', '政策 a-1 { 原文 "未闭合 }', "政策 a-1 { 牵头 @ }", "}",
    '政策 a-1 { 任务 1 { 目标 覆盖率 达到 90% 以上 范围 各镇（街道） 合计 期间 "十四五" "说明" } }\n# 尾注',
])
def test_the_loop_at_the_edges(text):
    _same(text)


def test_a_syntax_error_is_lark_s_own():
    """A file the loop hands back gets lark's diagnostic: the same code, place and expected tokens as the tree
    parser's (`parse_source`)."""
    text = '政策 a-1 {\n  任务 1 "甲" {\n    牵头 县民政局\n    时限 2019年13\n  }\n}\n'
    got = []
    for run in (parse.parse_ast, parse.parse_source):
        sink = Sink()
        assert run(SourceFile.of("x.policy", text), sink) is None
        got.append([(d.code, d.span.line, d.span.column, d.zh, d.en, d.hint_zh, d.hint_en) for d in sink.items])
    assert got[0] == got[1] and got[0]
