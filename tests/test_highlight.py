"""Highlighting: the Pygments lexer (docs and site code blocks) and the VS Code TextMate grammar, both from the
grammar's own words, so neither falls behind a keyword added to grammar/luoshi.lark."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from pygments import lex
from pygments.token import Error, Keyword, Name, Number, Operator, String

from luoshi.syntax.highlight import LuoshiLexer, grammar_words, textmate_grammar

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(p for p in (ROOT / "tests" / "fixtures").rglob("*") if p.suffix in (".policy", ".units")
                 and "badinput" not in p.parts)[:40] + [ROOT / "tests" / "fixtures" / "corpus" / "synthetic-2026-1.policy"]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_lexing_keeps_every_character_and_finds_no_error(path: Path):
    text = path.read_text(encoding="utf-8")
    tokens = list(lex(text, LuoshiLexer()))
    assert "".join(v for _, v in tokens) == text
    assert not [v for t, v in tokens if t in Error]


def test_statements_names_values_and_pasted_clauses_are_told_apart():
    text = ('任务 2.6 "监测" {\n  （责任单位：市农业农村委、各涉农区政府）\n  时限 每半年一次\n  目标 粮食生产面积 稳定在 170万亩 以上 到"十四五"末\n'
            '  目标 粮食年产量 稳定在 90万吨 以上 期间 “十四五”期间\n  目标 产能 有提升\n  负责 各区政府（据主送）\n}\n')
    kinds = {v: t for t, v in lex(text, LuoshiLexer()) if v.strip()}
    assert kinds["任务"] in Keyword and kinds["时限"] in Keyword and kinds["目标"] in Keyword
    assert kinds["（责任单位："] in Keyword and kinds["市农业农村委"] in Name
    assert kinds["稳定在"] in Operator and kinds["以上"] in Operator and kinds["每半年"] in Operator
    assert kinds["170万亩"] in Number and kinds['"十四五"末'] in Number and kinds['"监测"'] in String
    assert kinds["期间"] in Keyword and kinds["“十四五”期间"] in Number and kinds["有提升"] in Operator
    assert kinds["（据主送）"] in Keyword


def test_every_keyword_of_the_grammar_is_highlighted():
    keywords, values = grammar_words()
    assert {"政策", "任务", "牵头规则", "不予落实", "落实"} <= set(keywords) and {"稳定在", "以上", "保持"} <= set(values)
    for word in keywords:
        tokens = [(t, v) for t, v in lex(f"{word} x", LuoshiLexer()) if v.strip()]
        assert tokens[0] == (Keyword, word), word


def test_the_vscode_grammar_is_the_generated_one():
    path = ROOT / "editors" / "vscode" / "syntaxes" / "luoshi.tmLanguage.json"
    assert json.loads(path.read_text(encoding="utf-8")) == textmate_grammar()  # regenerate: python -m luoshi.syntax.highlight
    package = json.loads((ROOT / "editors" / "vscode" / "package.json").read_text(encoding="utf-8"))
    assert package["contributes"]["grammars"][0]["path"] == "./syntaxes/luoshi.tmLanguage.json"
    keyword_rule = next(p for p in textmate_grammar()["patterns"] if p["name"] == "keyword.control.luoshi")
    assert re.match(keyword_rule["match"], "牵头规则 无").group(0) == "牵头规则"


def test_the_lexer_is_registered_as_a_pygments_entry_point():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    target = project["entry-points"]["pygments.lexers"]["luoshi"]
    module, _, name = target.partition(":")
    assert getattr(__import__(module, fromlist=[name]), name) is LuoshiLexer
    assert any(d.startswith("pygments") for d in project["dependencies"])


def test_site_code_blocks_are_highlighted_and_escaped():
    """The reference pages' fenced blocks (docs/dsl.md): the DSL through this lexer, other languages through theirs,
    an unknown one as plain text; every character escaped, nothing fetched."""
    from luoshi.syntax.highlight import html_code_blocks

    page = ('# 例\n\n```luoshi\n政策 a { 备注 "<script>alert(1)</script>" }\n```\n\n文字\n\n```toml\n[tool.luoshi]\n```\n\n'
            '```nosuchlanguage\n<b>x</b>\n```\n')
    out = html_code_blocks(page)
    assert "```" not in out and "<script>" not in out and "<b>x</b>" not in out
    assert '<span class="k">政策</span>' in out and "&lt;script&gt;" in out
    assert '<span class="k">[tool.luoshi]</span>' in out  # TOML's table header, by the TOML lexer
    assert "&lt;b&gt;x&lt;/b&gt;" in out
    assert out.count('<div class="luoshi-code"') == 3 and "文字" in out
    assert html_code_blocks(page) == out  # deterministic
    import markdown  # as mkdocs renders the page, with the site's extensions (mkdocs.yml)

    html = markdown.markdown(out, extensions=["tables", "admonition", "md_in_html", "toc"])
    assert html.count('<div class="highlight">') == 3 and "<script>" not in html
