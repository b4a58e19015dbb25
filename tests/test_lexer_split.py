"""The AST parser's lexer (syntax/lexer.py) tries, at each position, only the terminals that can begin with the
character there: at every position of real and odd texts, in every state of the parser, it finds what lark's own
scanner finds (the same terminal and text, or nothing)."""

from __future__ import annotations

import pytest
from lark.lexer import Scanner, UnlessCallback
from lark.utils import TextSlice

from luoshi.syntax import lexer, parse

from conftest import FIXTURES, ROOT

ODD = ('政策 a-1 { 任务 １.２ "甲" { 牵头 县民政局（据主送） （责任单位：甲、乙） 时限 “十四五”期末 2019-03-31 '
       '每半年一次 自2021年7月起 ～ – — ~ ≥ <= % ‰ 　  # 注释\n // 注释\n """多\n行""" "转\\"义" \x7f \ufeff 𠀀 a_b-c.d '
       '二（五）2 0.5 15% 30日内 ｛ ｝ ： ＝ }')


def _texts() -> list[str]:
    paths = [ROOT / "policies" / "yfbf-2018-161.policy", next((ROOT / "policies" / "units").glob("*.units"))]
    paths += sorted(FIXTURES.rglob("*.policy"))[:2]
    texts = [p.read_text(encoding="utf-8") for p in paths]
    assert len(texts) == 4
    bad = sorted((ROOT / "tests" / "badinput").glob("*.policy"))[:8]
    return texts + [p.read_bytes().decode("utf-8", "replace") for p in bad] + [ODD]


def test_the_first_characters_of_luoshi_terminals_are_known():
    known = {t.name: lexer.first_characters(t) for t in parse.parser().terminals if t.pattern.type == "re"}
    assert known["NAME"] is not None and known["NAME"].match("甲") and not known["NAME"].match("1")
    assert known["PLAN_END"] is not None and {c for c in '"“十甲' if known["PLAN_END"].match(c)} == set('"“十')
    assert known["QUNIT"] is not None and known["QUNIT"].match("%") and not known["QUNIT"].match("-")


@pytest.mark.parametrize("index", range(len(_texts())))
def test_every_state_scanner_finds_what_lark_finds(index: int):
    """Each state's split scanner is made from the terminals and callbacks lark's `_build_scanner` makes
    (`_Signatures.unless`, without compiling lark's scanner): the same callbacks, and the same tokens found."""
    text = _texts()[index]
    states = parse.parser().parser.lexer.lexers  # lark's contextual lexer: one lexer per parser state
    lexers = {id(s): s for s in states.values()}
    signatures = lexer._Signatures(list(parse.parser().terminals))
    sliced = TextSlice.cast_from(text)
    positions = range(len(text)) if len(text) < 3000 else range(0, len(text), 7)
    for state in lexers.values():
        terminals, callback = signatures.unless(state)
        split = lexer.FirstCharacterScanner(terminals, (state.g_regex_flags, state.re, state.use_bytes), signatures)
        scanner = state.scanner  # lark's, which sets its callbacks
        assert [t.name for t in terminals] == [t.name for t in scanner.terminals]
        assert {k: type(v) for k, v in callback.items()} == {k: type(v) for k, v in state.callback.items()}
        for k, v in callback.items():
            if isinstance(v, UnlessCallback):
                assert [t.name for t in v.scanner.terminals] == [t.name for t in state.callback[k].scanner.terminals]
        assert split.allowed_types == scanner.allowed_types
        for pos in positions:
            assert split.match(sliced, pos) == Scanner.match(scanner, sliced, pos), (pos, text[pos:pos + 12])
