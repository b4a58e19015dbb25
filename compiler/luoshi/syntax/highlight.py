"""A Pygments lexer for the policy DSL (`.policy`, `.units`): code blocks in docs and the site, `pygmentize -l luoshi`.

The keywords are read from the grammar itself (every plain-string terminal of grammar/luoshi.lark), so a keyword
added there is highlighted without a second list to keep in step. Registered as the `luoshi` lexer through the
`pygments.lexers` entry point in pyproject.toml.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, ClassVar

from pygments.lexer import Lexer, RegexLexer, words
from pygments.token import Comment, Keyword, Name, Number, Operator, Punctuation, String, Text, Whitespace

# Words of the grammar that qualify a value rather than open a statement: shown as operators.
_VALUE_WORDS = {
    "≥", ">=", "≤", "<=", ">", "<", "=", "达到", "不低于", "至少", "不少于", "不高于", "低于", "超过", "提高", "降低",
    "控制在", "稳定在", "保持", "不超过", "以内", "以上", "以下", "内", "前", "至", "到", "从", "自", "起", "清零", "持续",
    "每年", "每半年", "每季度", "每月", "每周", "次", "底", "末", "初", "上旬", "中旬", "下旬", "上半年", "下半年",
    "首位", "无", "年", "月", "日",
    "不减少", "不下降", "不降低", "有提升", "有所提升", "明显提升", "显著提升", "全覆盖", "no_decrease", "improve",
    "full_coverage",
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


def _tokens() -> dict[str, list[Any]]:  # pygments' own type for a lexer's token table
    keywords, values = grammar_words()
    return {
        "root": [
            (r"\s+", Whitespace),
            (r"(#|//)[^\n]*", Comment.Single),
            (r'["“]?十[一二三四五六七八九]?五["”]?(期末|末|期间|时期)', Number),
            (r'"""[\s\S]*?"""', String.Doc),
            (r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"', String.Double),
            (r"[（(][ \t\u3000]*(责任单位|牵头单位|配合单位)[ \t\u3000]*[：:]", Keyword.Pseudo),
            (r"[（(][ \t\u3000]*据主送[ \t\u3000]*[）)]", Keyword.Pseudo),
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
    aliases: ClassVar[list[str]] = ["luoshi", "policy"]
    filenames: ClassVar[list[str]] = ["*.policy", "*.units"]
    mimetypes: ClassVar[list[str]] = ["text/x-luoshi"]
    tokens = _tokens()


def textmate_grammar() -> dict[str, Any]:
    """The VS Code (TextMate) grammar of editors/vscode/syntaxes/luoshi.tmLanguage.json, from the same words as the
    lexer: `python -m luoshi.syntax.highlight` writes it, and a test checks that the file is what this returns."""
    import re

    keywords, values = grammar_words()

    def alternation(ws: list[str]) -> str:  # longest first, as sorted
        return "|".join(re.escape(w) for w in ws)

    return {
        "$schema": "https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json",
        "name": "luoshi", "scopeName": "source.luoshi", "fileTypes": ["policy", "units"],
        "patterns": [
            {"name": "comment.line.number-sign.luoshi", "match": "(#|//).*$"},
            {"name": "string.quoted.triple.luoshi", "begin": '"""', "end": '"""'},
            {"name": "string.quoted.double.luoshi", "begin": '"', "end": '"', "patterns": [
                {"name": "constant.character.escape.luoshi", "match": "\\\\."}]},
            {"name": "keyword.other.pasted.luoshi", "match": "[（(][ \\t\\u3000]*(责任单位|牵头单位|配合单位)[ \\t\\u3000]*[：:]"},
            {"name": "keyword.other.inferred.luoshi", "match": "[（(][ \\t\\u3000]*据主送[ \\t\\u3000]*[）)]"},
            {"name": "constant.numeric.plan.luoshi", "match": '["“]?十[一二三四五六七八九]?五["”]?(期末|末|期间|时期)'},
            {"name": "constant.numeric.date.luoshi", "match": "\\d{4}-\\d{1,2}(-\\d{1,2})?"},
            {"name": "constant.numeric.luoshi", "match": "\\d+(\\.\\d+)?([%‰]|[^\\s\\d\"“”、，,（）(){}\\[\\]#:：;；<>=≥≤]+)?"},
            {"name": "keyword.control.luoshi", "match": f"(?:{alternation(keywords)})(?=[\\s{{\"“]|$)"},
            {"name": "keyword.operator.word.luoshi", "match": f"(?:{alternation(values)})"},
            {"name": "punctuation.separator.luoshi", "match": "[{}（）()、，,:：]"},
        ],
    }


# ── code blocks of the docs site ──

_FENCE = re.compile(r"^(?P<indent>[ \t]*)```[ \t]*(?P<lang>[\w+-]*)[^\n]*\n(?P<code>.*?)^(?P=indent)```[ \t]*$", re.DOTALL | re.MULTILINE)
LUOSHI_LANGS = ("luoshi", "policy", "units")


def html_code_blocks(markdown_text: str) -> str:
    """The fenced code blocks of a Markdown page (docs/dsl.md shown as the site's reference) as highlighted HTML:
    the policy DSL (```luoshi) through this lexer, other named languages through theirs, the rest escaped as plain
    text. The site's Markdown has no fenced-code extension (mkdocs.yml), so without this a fence was a paragraph;
    Pygments escapes every character it emits and the classes are styled by the theme's own CSS, so the page
    stays offline and the text written in a block cannot become markup."""
    from pygments import highlight as render
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import TextLexer, get_lexer_by_name
    from pygments.util import ClassNotFound

    formatter = HtmlFormatter(cssclass="highlight", wrapcode=True)

    def block(m: re.Match[str]) -> str:
        lang, code = m.group("lang").lower(), m.group("code")
        indent = m.group("indent")
        code = "\n".join(line.removeprefix(indent) for line in code.split("\n"))
        lexer: Lexer
        try:
            lexer = LuoshiLexer() if lang in LUOSHI_LANGS else get_lexer_by_name(lang) if lang else TextLexer()
        except ClassNotFound:
            lexer = TextLexer()
        return f'{indent}<div class="luoshi-code" markdown="0">\n{render(code, lexer, formatter).rstrip()}\n</div>'

    return _FENCE.sub(block, markdown_text)


if __name__ == "__main__":  # python -m luoshi.syntax.highlight > editors/vscode/syntaxes/luoshi.tmLanguage.json
    import json

    print(json.dumps(textmate_grammar(), ensure_ascii=False, indent=2))
