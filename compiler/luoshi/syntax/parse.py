"""Source text → lark parse tree, with syntax errors turned into diagnostics.

The grammar lives in `grammar/luoshi.lark` (shipped inside the wheel as `luoshi/grammar/luoshi.lark`).
One LALR parser with the contextual lexer is built per process and reused.
"""

from __future__ import annotations

import difflib
import os
import re
import threading
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from ..diagnostics import Sink
from . import ast
from .grammar import grammar_text as grammar_text  # re-exported: where the parser's users look for it
from .lalr import FallBack, TableParser
from .source import SourceFile, Span

if TYPE_CHECKING:
    from .astbuild import AstBuilder

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

# Printed wording the grammar does not take, matched on the text from the error on: the accepted form nearest to it.
# (The wording it does take — 每半年一次, 到2025年, 2025年底前, 到"十四五"末, 稳定在 170万亩 以上, 期间 “十四五”期间,
# 不减少, （责任单位：A、B）— is in
# the grammar itself; docs/dsl.md has the table.)
PRINTED_FORMS: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"不超过"), "目标中写作「控制在 数值 以内」（如 控制在 5% 以内）", "in a target, write 控制在 <number> 以内 (e.g. 控制在 5% 以内)"),
    (re.compile(r"(不减弱|不走样|不缩水|有所增加|稳步提升)"),
     "「{0}」：没有数值的定性目标写作「目标 指标 不减少」（可用 不减少、不下降、不降低、有提升、有所提升、明显提升、显著提升、"
     "全覆盖），原文的说法写进说明文本",
     "'{0}': write a target with no number as 目标 <metric> 不减少 (or 不下降, 不降低, 有提升, 有所提升, 明显提升, 显著提升, "
     "全覆盖), the printed wording in its note"),
    (re.compile(r"(\d{4})年?(至|到|—|-)(\d{4})年?(期间)?(保持|不低于)"),
     "按期间的目标写作「目标 指标 不低于 数值 期间 {0}年至{2}年」（期间内每年；期间的总数用「累计」）",
     "write a target over a period as 目标 <metric> 不低于 <number> 期间 {0}年至{2}年 (each year of it; 累计 for its total)"),
    (re.compile(r"范围"), "「范围」是目标的选项：写在「目标 指标 达到 数值」之后；辖区本身不是单位，写「各区政府」之类的单位",
     "范围 is an option of a target, written after 目标 <metric> 达到 <number>; a jurisdiction is not a unit: name the units"),
]

# Expected tokens listed in a hint at most: past this, the closest few and a pointer to the table in docs/dsl.md.
MAX_SHOWN = 6

# Full-width punctuation an IME leaves in, where the DSL wants the half-width sign (（）、， are accepted as they are).
FULL_WIDTH = {"｛": "{", "｝": "}", "“": '"', "”": '"', "＂": '"', "：": ":", "＝": "="}

TERMINAL_NAMES_ZH = {
    "NAME": "名称", "STRING": "带引号的文本", "TASK_ID": "编号（如 2.1）", "INT": "整数", "NUMBER": "数值",
    "ISO_DATE": "日期（如 2019-03-31）", "QUNIT": "计量单位", "LBRACE": "{", "RBRACE": "}",
    "$END": "文件结尾",
}


# Every token stays in the tree (keywords, braces, separators): the AST builder takes each node's span from its
# first and last token, then drops the tokens lark would have filtered (astbuild.token_filter). lark's own
# `propagate_positions` computes the same spans with a wrapper around every reduction: 1.6× the bare parse.
PARSER_OPTIONS: dict[str, object] = {"parser": "lalr", "lexer": "contextual", "keep_all_tokens": True,
                                     "propagate_positions": False, "maybe_placeholders": False}


def _lark(start: list[str] | None = None, variant: str = "", transformer: object = None,
          lark_class: type[Lark] = Lark) -> Lark:
    """The grammar's LALR parser with its tables cached (`_parser_cache`), from the default start or the given ones;
    with `transformer`, lark calls its attributes at each reduction (and at each shift of a token type it names)
    instead of building a Tree (lark's tables are the same: the cache file is shared)."""
    text = grammar_text()
    options: dict[str, object] = {"start": start} if start else {}
    if transformer is not None:
        options["transformer"] = transformer
    return lark_class(text, **PARSER_OPTIONS, cache=_parser_cache(text, variant or "grammar"), **options)


@lru_cache(maxsize=1)
def parser() -> Lark:
    return _lark()


# Rules a program may read alone (`astbuild.read_fragment`): what luoshi draft carries over as its parent wrote it.
FRAGMENTS = ("deadline", "term", "target", "unit", "date")


@lru_cache(maxsize=1)
def fragment_parser() -> Lark:
    """The grammar's parser started at one of FRAGMENTS instead of a whole file (a second table: `parser()` keeps
    its single start, so `parser().parse(text)` needs no start argument)."""
    return _lark(list(FRAGMENTS), "fragments")


def _parser_cache(text: str, variant: str = "grammar") -> str | bool:
    """Where lark keeps the built LALR tables (0.14 s to build, 0.02 s to load: a tenth of a one-file rebuild).
    In the user's own cache folder, never the shared temporary folder lark would pick (its cache is a pickle, and
    a pickle another user can write is code that user runs); lark checks the grammar's hash stored in the file."""
    import hashlib

    import lark

    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "luoshi"
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    digest = hashlib.sha256(f"{lark.__version__}\0{sorted(PARSER_OPTIONS.items())}\0{text}".encode()).hexdigest()[:16]
    return str(root / f"{variant}-{digest}.lark-cache")


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


# Deeper trees than this are refused: building the AST and resolving recurse once per level, and Python's stack
# ends near 1,000 frames. Real documents nest a few levels (一、（一）1.（1）); 100 leaves room for any of them.
MAX_DEPTH = 100


# Control characters (text pasted from PDF or a terminal) are invisible in an editor, break every xlsx and docx
# (XML cannot hold them) and can drive a terminal: refused where they are, before anything is built on them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def _control_character(source: SourceFile, sink: Sink) -> bool:
    """Report the first control character of the file, if it has one."""
    control = _CONTROL.search(source.text)
    if control is None:
        return False
    at = control.start()
    line = source.text.count("\n", 0, at) + 1
    column = at - (source.text.rfind("\n", 0, at) + 1) + 1
    code = f"U+{ord(control.group()):04X}"
    sink.emit("LS100", Span(file=source.path, line=line, column=column, end_line=line, end_column=column + 1),
              f"文件中有不可见的控制字符 {code}", f"an invisible control character {code} in the file",
              hint=("删去它（常见于从 PDF、网页或终端复制的文本）", "delete it (it often comes with text copied from a PDF, "
                    "a web page or a terminal)"))
    return True


def parse_source(source: SourceFile, sink: Sink) -> Tree[Token] | None:
    """Parse one file into lark's tree (every token kept); on a syntax error, emit one diagnostic and return None.
    For callers that want the tree itself (the importer, tests); the compiler reads files with `parse_ast`."""
    if _control_character(source, sink):
        return None
    try:
        tree = parser().parse(source.text)
    except UnexpectedInput as exc:
        _report_syntax_error(source, exc, sink)
        return None
    deep = _too_deep(tree)
    if deep is not None:
        _report_too_deep(source, deep, sink)
        return None
    return tree


def parse_ast(source: SourceFile, sink: Sink) -> ast.SourceUnit | None:
    """Parse one file straight into its AST: lalr.py's loop over lark's table calls the AST builder's methods at
    each reduction, so no parse tree is built (`ast_parser`); on a syntax error (the loop's `FallBack`), lark parses
    the file again and its exception makes the one diagnostic, and None is returned. The same AST, spans and
    written text included, as `astbuild.build_ast(parse_source(…))` (tests/test_parse_ast.py), the same
    diagnostics, and the same depth guard: a file whose brackets nest `NEST_CHECKED` deep or more (no document
    does) is parsed again into a tree for the exact check, `_too_deep`, and refused as `parse_source` refuses it."""
    if _control_character(source, sink):
        return None
    lark, builder, brackets = ast_parser()
    with _AST_PARSING:
        builder.reset(source.path, source.text)
        brackets.reset()
        try:
            decls: list[Any] = _TABLE[0].parse(source.text)  # start's callback: the decls
        except FallBack:  # not parsed: lark parses it again and raises its own error
            builder.reset(source.path, source.text)
            brackets.reset()
            try:
                decls = lark.parse(source.text)  # type: ignore[assignment]
            except UnexpectedInput as exc:
                _report_syntax_error(source, exc, sink)
                return None
        finally:
            builder.reset("", "")
        deepest = brackets.deepest
    if deepest >= NEST_CHECKED:
        deep = _too_deep(parser().parse(source.text))
        if deep is not None:
            _report_too_deep(source, deep, sink)
            return None
    return ast.SourceUnit(path=source.path, decls=tuple(decls))


# `ast_parser()`'s table, lexers and callbacks, run by lalr.py's loop (made with it, before workers fork).
_TABLE: list[TableParser] = []


# The parse-time builder is one object per process, reset for each file: one file is parsed at a time.
_AST_PARSING = threading.Lock()

# How deep brackets nest before `parse_ast` checks the tree's depth exactly. Only `{…}` (sections, items,
# jurisdictions) and `（…）` (a unit's subunits, pasted units) let the grammar recurse; each level of them adds at
# most 3 levels to the tree (unit → subunits → unit_list → unit), and the rest of a file at most 12 (start → policy
# → … → deadline → recurring → since → cn_date → month_edge): brackets nested less than 25 deep make a tree of at
# most 12 + 3 × 24 = 84 < MAX_DEPTH levels (tests/test_parse_ast.py checks the worst case against `_too_deep`).
NEST_CHECKED = 25


class _Brackets:
    """Counts how deep brackets nest while lark parses: its callbacks for the bracket tokens (lark calls a
    transformer's attribute named as a token type at each shift of that type; no other token is touched)."""

    def __init__(self) -> None:
        self.depth = 0
        self.deepest = 0

    def reset(self) -> None:
        self.depth = self.deepest = 0

    def open(self, token: Token) -> Token:
        self.depth += 1
        if self.depth > self.deepest:
            self.deepest = self.depth
        return token

    def close(self, token: Token) -> Token:
        self.depth -= 1
        return token


@lru_cache(maxsize=1)
def ast_parser() -> tuple[Lark, AstBuilder, _Brackets]:
    """The grammar's parser with the AST builder's callbacks in place of lark's tree building (lark's public
    `transformer=` of the LALR parser: an object with an attribute per rule, called with the reduction's children,
    which lark has already spliced for inlined `_rules`), and the bracket counter's per-token callbacks. Its
    lexer tries only the terminals that can begin with the character at hand (lexer.py): the same tokens. A file is
    parsed by lalr.py's loop over this parser's table, lexers and callbacks (`_TABLE`, made here with it so forked
    workers share it); lark's own `parse` runs only for a file that loop cannot parse, to raise lark's error.

    The callbacks are made from the rules lark has just loaded (`_AstLark`), not from the tree parser's: loading
    lark's tables is most of a one-file rebuild's parse (0.05 s of CPU each), and a rebuild need not load them twice."""
    from .astbuild import AstBuilder, token_filter
    from .lexer import split_by_first_character

    brackets = _Brackets()
    builders: list[AstBuilder] = []

    class _AstLark(Lark):
        def _prepare_callbacks(self) -> None:  # lark calls it once its rules and terminals are known
            terminals = list(self.terminals)
            token_filter(terminals)  # the builder's filter, from these terminals: no tree parser is loaded for it
            builders[:] = [AstBuilder()]
            transformer = SimpleNamespace(**_ast_callbacks(builders[0], brackets, self.rules, terminals))
            self.options.transformer = transformer  # type: ignore[assignment]  # lark reads its attributes only
            super()._prepare_callbacks()

    lark = _lark(transformer=SimpleNamespace(), lark_class=_AstLark)
    split_by_first_character(lark)
    _TABLE[:] = [TableParser(lark)]
    return lark, builders[0], brackets


def _ast_callbacks(builder: AstBuilder, brackets: _Brackets, rules: list[Any],
                   terminals: list[Any]) -> dict[str, object]:
    """The AST builder's callback of each rule, and the bracket counter's of each bracket token type."""
    callbacks: dict[str, object] = dict(builder.callbacks(rules))
    for term in terminals:
        if term.pattern.type == "str" and term.pattern.value in ("{", "（", "("):
            callbacks[term.name] = brackets.open
        elif term.pattern.type == "str" and term.pattern.value in ("}", "）", ")"):
            callbacks[term.name] = brackets.close
    callbacks["PASTED_ROLE"] = brackets.open  # （责任单位： opens what pasted_units closes with ）
    return callbacks


def _report_too_deep(source: SourceFile, deep: Tree[Token], sink: Sink) -> None:
    first: Tree[Token] | Token = deep
    while isinstance(first, Tree):  # its first token (every rule below `start` matches one at least)
        first = first.children[0]
    line, column = first.line or 1, first.column or 1
    span = Span(file=source.path, line=line, column=column, end_line=line, end_column=column + 1)
    sink.emit("LS100", span, f"嵌套超过 {MAX_DEPTH} 层", f"nested more than {MAX_DEPTH} levels deep",
              hint=("部分、任务和括号不能无限嵌套：检查「{」「}」或「（」「）」是否成对", "sections, tasks and brackets "
                    "cannot nest without end: check that every '{' and '（' is closed where it should be"))


def _too_deep(tree: Tree[Token]) -> Tree[Token] | None:
    """The first node past MAX_DEPTH levels, found without recursion (the point is not to recurse)."""
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return node
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tree))
    return None


def _word_at(text: str, pos: int) -> str:
    m = re.match(r"[^\s\"{}()（）、，,:：]+", text[pos:])
    return m.group(0) if m else text[pos : pos + 1]


def _expected_list(expected: set[str], word: str = "") -> str:
    """What may stand here, in Chinese. Never a dump: past MAX_SHOWN, the forms closest to what was written."""
    shown = sorted({_terminal_display().get(e, e) for e in expected if not e.startswith("_")})
    chinese = [s for s in shown if not s.strip("「」").isascii()]
    shown = chinese or shown
    if len(shown) > MAX_SHOWN:
        closest = difflib.get_close_matches(word, shown, n=len(shown), cutoff=0) if word else []
        ranked = sorted(shown, key=lambda s: (s not in closest, closest.index(s) if s in closest else 0, s))
        shown = ranked[:MAX_SHOWN - 1] + ["…（其余写法见 docs/dsl.md「原文写法」表）"]
    return "、".join(shown)


def _printed_form(source: SourceFile, line: int, column: int) -> tuple[str, str] | None:
    """The nearest accepted form for printed wording on the line from the error on (PRINTED_FORMS)."""
    text, at = source.line(line), max(0, column - 1)
    for pattern, zh, en in PRINTED_FORMS:
        for m in pattern.finditer(text):
            if m.end() > at and m.start() <= at + 12:  # the wording is where the parser stopped, or just after
                return zh.format(*m.groups()), en.format(*m.groups())
    return None


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
    if word.startswith('"') and isinstance(exc, UnexpectedCharacters):  # the lexer found no closing quote
        sink.emit("LS101", span, "文本的引号没有闭合", "a quoted text is not closed",
                  hint=("在文本末尾补上 \"，多行文本用 \"\"\"…\"\"\"", "close it with \", or use \"\"\"…\"\"\" for text over several lines"))
        return
    expected = _expected_list(expected_set, word)
    if isinstance(exc, UnexpectedToken) and exc.token.type == "STRING":  # a whole quoted text, in the wrong place
        _report_misplaced_text(source, pos, span, word.splitlines()[0], expected, sink)
        return
    if word[:1] in FULL_WIDTH:
        half = FULL_WIDTH[word[:1]]
        sink.emit("LS100", span, f"此处不能出现全角的「{word[:1]}」", f"unexpected full-width '{word[:1]}'",
                  hint=(f"改为半角的「{half}」", f"write the half-width '{half}' instead"))
        return
    if word in COMMON_MISTAKES:
        zh_hint, en_hint = COMMON_MISTAKES[word]
        sink.emit("LS104", span, f"「{word}」不是语句关键字", f"'{word}' is not a statement keyword", hint=(zh_hint, en_hint))
        return
    printed = _printed_form(source, line, column)
    if printed is not None:
        shown = word if len(word) <= 40 else word[:40] + "…"
        sink.emit("LS100", span, f"此处不能出现「{shown}」", f"unexpected '{shown}'", hint=printed)
        return
    candidates = [k for k in _keywords() if f"「{k}」" in {_terminal_display().get(e) for e in expected_set}]
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.5) if len(word) <= 40 else []
    word = word if len(word) <= 40 else word[:40] + "…"  # a 10 MB line is not repeated in the message
    hint = (f"是否应为「{close[0]}」？", f"did you mean '{close[0]}'?") if close else (f"此处应为：{expected}", f"expected here: {expected}")
    sink.emit("LS100", span, f"此处不能出现「{word}」", f"unexpected '{word}'", hint=hint)


def _report_misplaced_text(source: SourceFile, pos: int, span: Span, text: str, expected: str, sink: Sink) -> None:
    """A closed quoted text where none may stand. Glued to the name before it (`目标 率"x" 达到 40%`), the writer
    most likely meant one name with quotes in it: say so, rather than that a quote is not closed."""
    before = source.text[pos - 1] if pos > 0 else " "
    name = _name_before(source.text, pos)
    if before == '"':  # `标题 "甲"""`: two quoted texts side by side, not a name (the hint said 名称「」)
        hint = ("两段带引号的文本紧挨在一起：删去多余的引号；多行的原文用三个引号括起（\"\"\"…\"\"\"）",
                'two quoted texts stand side by side: delete the extra quotes; a text of several lines is written '
                'between three quotes (""" … """)')
    elif not before.isspace() and before not in "{}" and name:
        hint = (f"名称「{name}」后面紧跟着带引号的文本 {text}：名称里有引号时，把整个名称写在引号里（如 \"{name}{text.strip(chr(34))}\"），"
                f"否则在两者之间加空格",
                f"the name '{name}' runs into the quoted text {text}: to write a name with quotes in it, quote the whole "
                f"name (e.g. \"{name}{text.strip(chr(34))}\"); otherwise put a space between them")
    else:
        hint = (f"此处应为：{expected}", f"expected here: {expected}")
    sink.emit("LS100", span, f"此处不能出现带引号的文本 {text}", f"a quoted text {text} cannot stand here", hint=hint)


def _name_before(text: str, pos: int) -> str:
    m = re.search(r"[^\s\"{}()（）、，,:：]+$", text[max(0, pos - 200):pos])
    return m.group(0) if m else ""
