"""Source text → lark parse tree, with syntax errors turned into diagnostics.

The grammar lives in `grammar/luoshi.lark` (shipped inside the wheel as `luoshi/grammar/luoshi.lark`).
One LALR parser with the contextual lexer is built per process and reused.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from lark import Lark, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from .diagnostics import Sink
from .source import SourceFile, Span

# Words officials naturally write that are not statements, and the statement to use instead.
COMMON_MISTAKES: dict[str, tuple[str, str]] = {
    "责任单位": ("用「牵头」写牵头单位，「配合」写其余单位；无牵头单位时用「负责」",
               "write the lead unit with 牵头 and the rest with 配合; with no lead, use 负责"),
    "牵头单位": ("写作「牵头」", "write 牵头"),
    "配合单位": ("写作「配合」", "write 配合"),
    "完成时限": ("写作「时限」", "write 时限"),
    "时间": ("写作「时限」", "write 时限"),
    "发文单位": ("写作「发文机关」", "write 发文机关"),
    "日期": ("写作「成文日期」", "write 成文日期"),
    "主送单位": ("写作「主送」", "write 主送"),
    "内容": ("写作「原文」", "write 原文"),
    "章": ("写作「部分」", "write 部分"),
    "节": ("写作「部分」", "write 部分"),
}

TERMINAL_NAMES_ZH = {
    "NAME": "名称", "STRING": "带引号的文本", "TASK_ID": "编号（如 2.1）", "INT": "整数", "NUMBER": "数值",
    "ISO_DATE": "日期（如 2019-03-31）", "QUNIT": "计量单位", "LBRACE": "{", "RBRACE": "}",
    "$END": "文件结尾",
}


def grammar_text() -> str:
    """The grammar from the installed package, or from the repository's `grammar/` in a checkout."""
    try:
        return resources.files("luoshi").joinpath("grammar/luoshi.lark").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        repo = Path(__file__).resolve().parents[2] / "grammar" / "luoshi.lark"
        return repo.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def parser() -> Lark:
    return Lark(
        grammar_text(),
        parser="lalr",
        lexer="contextual",
        propagate_positions=True,
        maybe_placeholders=False,
        cache=False,
    )


@lru_cache(maxsize=1)
def _terminal_display() -> dict[str, str]:
    shown: dict[str, str] = {}
    for term in parser().terminals:
        pattern = term.pattern
        if pattern.type == "str":
            shown[term.name] = f"「{pattern.value}」"
        else:
            shown[term.name] = TERMINAL_NAMES_ZH.get(term.name, term.name)
    shown.update({k: v for k, v in TERMINAL_NAMES_ZH.items() if k not in shown})
    return shown


def _keywords() -> list[str]:
    return sorted({t.pattern.value for t in parser().terminals if t.pattern.type == "str" and len(t.pattern.value) > 1})


def parse_source(source: SourceFile, sink: Sink) -> Tree | None:
    """Parse one file; on a syntax error, emit one diagnostic and return None."""
    try:
        return parser().parse(source.text)
    except UnexpectedInput as exc:
        _report_syntax_error(source, exc, sink)
        return None


def _word_at(text: str, pos: int) -> str:
    m = re.match(r"[^\s\"{}()（）、，,:：]+", text[pos:])
    return m.group(0) if m else text[pos : pos + 1]


def _expected_list(expected: set[str]) -> str:
    shown = sorted({_terminal_display().get(e, e) for e in expected if not e.startswith("_")})
    chinese = [s for s in shown if not s.strip("「」").isascii()]
    shown = chinese or shown
    if len(shown) > 12:
        shown = shown[:12] + [f"…（共 {len(shown)} 种）"]
    return "、".join(shown)


def _report_syntax_error(source: SourceFile, exc: UnexpectedInput, sink: Sink) -> None:
    if isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END"):
        last = len(source.lines) or 1
        col = len(source.line(last)) + 1
        span = Span(file=source.path, line=last, column=col, end_line=last, end_column=col + 1)
        expected = "「}」" if "RBRACE" in exc.expected else _expected_list(set(exc.expected))
        sink.emit(
            "LS100", span, f"文件意外结束，缺少 {expected}", f"unexpected end of file; expected {expected}",
            hint=("检查「{」「}」是否成对", "check that every '{' has its '}'"),
        )
        return
    line, column = exc.line, exc.column
    pos = exc.pos_in_stream if exc.pos_in_stream is not None else 0
    if isinstance(exc, UnexpectedCharacters):
        word = _word_at(source.text, pos)
        expected_set = set(exc.allowed or ())
    else:
        assert isinstance(exc, UnexpectedToken)
        word = str(exc.token)
        expected_set = set(exc.expected)
    span = Span(file=source.path, line=line, column=column, end_line=line, end_column=column + max(1, len(word.splitlines()[0]) if word else 1))
    if word.startswith('"'):
        sink.emit("LS101", span, "文本的引号没有闭合", "a quoted text is not closed",
                  hint=("在文本末尾补上 \"，多行文本用 \"\"\"…\"\"\"", "close it with \", or use \"\"\"…\"\"\" for text over several lines"))
        return
    expected = _expected_list(expected_set)
    if word in COMMON_MISTAKES:
        zh_hint, en_hint = COMMON_MISTAKES[word]
        sink.emit("LS104", span, f"「{word}」不是语句关键字", f"'{word}' is not a statement keyword", hint=(zh_hint, en_hint))
        return
    candidates = [k for k in _keywords() if f"「{k}」" in {_terminal_display().get(e) for e in expected_set}]
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.5)
    hint = (f"是否应为「{close[0]}」？", f"did you mean '{close[0]}'?") if close else (f"此处应为：{expected}", f"expected here: {expected}")
    sink.emit("LS100", span, f"此处不能出现「{word}」", f"unexpected '{word}'", hint=hint)
