"""The AST built during the parse (`parse.parse_ast`: lark calls astbuild's methods at each reduction) is the AST
built from lark's tree (`astbuild.build_ast(parse_source(…))`): spans, written text and diagnostics included, for
every file of policies/ and the test fixtures; and its cheaper depth guard refuses exactly what the tree walk
refuses."""

from __future__ import annotations

from pathlib import Path

import pytest
from lark import Token, Tree

from luoshi.diagnostics import Sink
from luoshi.syntax import parse
from luoshi.syntax.astbuild import build_ast
from luoshi.syntax.source import SourceFile

from conftest import FIXTURES, ROOT

FILES = sorted(p for folder in (ROOT / "policies", FIXTURES, ROOT / "tests" / "badinput") for p in folder.rglob("*")
               if p.suffix in (".policy", ".units"))


def _both(path: str, text: str) -> tuple[tuple[str, list[tuple[str, int, int, str, str]]], ...]:
    """(repr of the AST or None, the diagnostics) from the parse-time builder, then from the tree."""
    out = []
    for inline in (True, False):
        sink = Sink()
        source = SourceFile.of(path, text)
        if inline:
            unit = parse.parse_ast(source, sink)
        else:
            tree = parse.parse_source(source, sink)
            unit = build_ast(tree, source.path, source.text) if tree is not None else None
        out.append((repr(unit), [(d.code, d.span.line, d.span.column, d.zh, d.en) for d in sink.items]))
    return tuple(out)


def test_files_found():
    assert len(FILES) > 60 and any(p.suffix == ".units" for p in FILES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_parse_time_ast_equals_the_tree_built_one(path: Path):
    text = path.read_bytes().decode("utf-8", "replace")
    inline, from_tree = _both(str(path), text)
    assert inline == from_tree


@pytest.mark.parametrize("text", [
    "",                                                     # an empty file: `start` matches no token
    "# 只有注释\n",
    '政策 a-1 { 辖区 云阳县 任务 1 "甲" { 牵头 县民政局（县社保中心（县就业中心）） 时限 每月15日前 自2021年7月起 } }',
    '政策 a-1 { 任务 1 "甲" { 负责 各区政府（据主送） 时限 持续 } 任务 2 { （责任单位：县民政局、县财政局） } }',
    '政策 a-1 { 任务 1 { 目标 覆盖率 达到 90% 以上 范围 各镇（街道） 合计 期间 "十四五" "说明" } }',
    '政策 a-1 { 任务 1 { 时限 从 "受理" 到 "办结" 不超过 30日内 } 任务 2 { 时限 2018—2020年底前 "阶段" } }',
    '政策 a-1 { 任务 1 {',                                   # unexpected end of file
    '政策 a-1 { 任务 1 { 责任单位 县民政局 } }',             # a common mistake
    '政策 a-1 { 原文 "未闭合 }',                             # a quote never closed
])
def test_small_texts_agree(text: str):
    inline, from_tree = _both("t.policy", text)
    assert inline == from_tree


def _height(tree: Tree[Token]) -> int:
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((c, depth + 1) for c in node.children if isinstance(c, Tree))
    return deepest


def _nested_units(depth: int) -> str:
    """A policy whose brackets nest `depth` deep, all but its two braces a unit's subunits (3 tree levels each, the
    deepest the grammar allows per bracket), beside a deadline with the longest chain of rules under a statement."""
    inner = "、".join(["县民政局"]) + "（县甲" * (depth - 2) + "）" * (depth - 2)
    return (f'政策 a-1 {{ 任务 1 "甲" {{ 牵头 {inner} 时限 每月15日前 1次 2021年3月底至2021年4月上旬 自2021年7月底起 '
            f'目标 率 达到 5% 以上 以内 期间 2021年初至2025年底 }} }}')


def test_brackets_below_the_checked_depth_make_a_tree_within_the_limit():
    """The fast guard's premise (parse.NEST_CHECKED): brackets nested less deep cannot make a tree deeper than
    MAX_DEPTH, so the exact walk is only needed past it."""
    depth = parse.NEST_CHECKED - 1
    tree = parse.parser().parse(_nested_units(depth))
    assert _height(tree) <= parse.MAX_DEPTH
    assert _height(parse.parser().parse(_nested_units(depth - 1))) < _height(tree)  # the depth is the units'


@pytest.mark.parametrize("levels", [parse.NEST_CHECKED - 1, parse.NEST_CHECKED, 95, 96, 150])
def test_deep_nesting_is_refused_exactly_as_the_tree_walk_refuses_it(levels: int):
    sections = ("政策 deep-1 {\n  辖区 云阳县\n" + "".join(f'部分 {i} "节" {{\n' for i in range(1, levels))
                + '任务 1 "甲" { 牵头 县民政局 }\n' + "}\n" * levels)
    units = _nested_units(min(levels, 60))
    for text in (sections, units):
        inline, from_tree = _both("deep.policy", text)
        assert inline == from_tree
    # start, policy, levels - 1 sections, the task, its lead, unit_list, unit: past 100 from 96 braces on
    assert (_both("deep.policy", sections)[0][0] == "None") == (levels >= 96)
