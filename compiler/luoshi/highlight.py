"""A Pygments lexer for the policy DSL (`.policy`, `.units`): code blocks in docs and the site, `pygmentize -l luoshi`.

The keywords are read from the grammar itself (every plain-string terminal of grammar/luoshi.lark), so a keyword
added there is highlighted without a second list to keep in step. Registered as the `luoshi` lexer through the
`pygments.lexers` entry point in pyproject.toml.
"""

from __future__ import annotations

from functools import lru_cache

from pygments.lexer import RegexLexer, words
from pygments.token import Comment, Keyword, Name, Number, Operator, Punctuation, String, Text, Whitespace

# Words of the grammar that qualify a value rather than open a statement: shown as operators.
_VALUE_WORDS = {
    "≥", ">=", "≤", "<=", ">", "<", "=", "达到", "不低于", "至少", "不少于", "不高于", "低于", "超过", "提高", "降低",
    "控制在", "稳定在", "保持", "不超过", "以内", "以上", "以下", "内", "前", "至", "到", "从", "自", "清零", "持续",
    "每年", "每半年", "每季度", "每月", "每周", "次", "底", "末", "初", "上旬", "中旬", "下旬", "上半年", "下半年",
    "首位", "无", "年", "月", "日",
}


@lru_cache(maxsize=1)
def grammar_words() -> tuple[list[str], list[str]]:
    """(statement keywords, value words) of the grammar, longest first so that 不予落实 wins over 落实."""
    from .parse import parser

    found = {t.pattern.value for t in parser().terminals if t.pattern.type == "str"}
    found -= set("{}()（）:、，,\"")
    values = sorted((w for w in found if w in _VALUE_WORDS), key=lambda w: (-len(w), w))
    keywords = sorted((w for w in found if w not in _VALUE_WORDS and w not in ("—", "–", "~", "～")), key=lambda w: (-len(w), w))
    return keywords, values


def _tokens() -> dict:
    keywords, values = grammar_words()
    return {
        "root": [
            (r"\s+", Whitespace),
            (r"(#|//)[^\n]*", Comment.Single),
            (r'["“]?十[一二三四五六七八九]?五["”]?(期末|末)', Number),
            (r'"""[\s\S]*?"""', String.Doc),
            (r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"', String.Double),
            (r"[（(][ \t\u3000]*(责任单位|牵头单位|配合单位)[ \t\u3000]*[：:]", Keyword.Pseudo),
            (r"\d{4}-\d{1,2}(-\d{1,2})?", Number),
            (r"\d+(\.\d+)?([%‰]|[^\s\d\"“”、，,（）(){}\[\]#:：;；<>=≥≤]+)?", Number),
            (words(keywords, suffix=r"(?=[\s{\"“]|$)"), Keyword),
            (words(values), Operator.Word),
            (r"[{}（）()、，,:：]", Punctuation),
            (r"[—–~～]", Operator),
            (r"[^\s\d\"“”、，,（）(){}\[\]#:：;；<>=≥≤%‰\-—–~～][^\s\"“”、，,（）(){}\[\]#:：;；<>=≥≤]*", Name),
            (r".", Text),
        ]
    }


class LuoshiLexer(RegexLexer):
    """落实 policy DSL."""

    name = "luoshi"
    aliases = ["luoshi", "policy"]
    filenames = ["*.policy", "*.units"]
    mimetypes = ["text/x-luoshi"]
    tokens = _tokens()


def textmate_grammar() -> dict:
    """The VS Code (TextMate) grammar of editors/vscode/syntaxes/luoshi.tmLanguage.json, from the same words as the
    lexer: `python -m luoshi.highlight` writes it, and a test checks that the file is what this returns."""
    import re

    keywords, values = grammar_words()
    alternation = lambda ws: "|".join(re.escape(w) for w in ws)  # noqa: E731 — longest first, as sorted
    return {
        "$schema": "https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json",
        "name": "luoshi", "scopeName": "source.luoshi", "fileTypes": ["policy", "units"],
        "patterns": [
            {"name": "comment.line.number-sign.luoshi", "match": "(#|//).*$"},
            {"name": "string.quoted.triple.luoshi", "begin": '"""', "end": '"""'},
            {"name": "string.quoted.double.luoshi", "begin": '"', "end": '"', "patterns": [
                {"name": "constant.character.escape.luoshi", "match": "\\\\."}]},
            {"name": "keyword.other.pasted.luoshi", "match": "[（(][ \\t\\u3000]*(责任单位|牵头单位|配合单位)[ \\t\\u3000]*[：:]"},
            {"name": "constant.numeric.plan.luoshi", "match": '["“]?十[一二三四五六七八九]?五["”]?(期末|末)'},
            {"name": "constant.numeric.date.luoshi", "match": "\\d{4}-\\d{1,2}(-\\d{1,2})?"},
            {"name": "constant.numeric.luoshi", "match": "\\d+(\\.\\d+)?([%‰]|[^\\s\\d\"“”、，,（）(){}\\[\\]#:：;；<>=≥≤]+)?"},
            {"name": "keyword.control.luoshi", "match": f"(?:{alternation(keywords)})(?=[\\s{{\"“]|$)"},
            {"name": "keyword.operator.word.luoshi", "match": f"(?:{alternation(values)})"},
            {"name": "punctuation.separator.luoshi", "match": "[{}（）()、，,:：]"},
        ],
    }


if __name__ == "__main__":  # python -m luoshi.highlight > editors/vscode/syntaxes/luoshi.tmLanguage.json
    import json

    print(json.dumps(textmate_grammar(), ensure_ascii=False, indent=2))
