"""lark's LALR parse of one file, run by a loop of our own over lark's parse table and lexers.

lark's parser loop (`ParserState.feed_token`) and its contextual lexer's loop (`ContextualLexer.lex`,
`BasicLexer.next_token`, `LineCounter.feed`) cost more than half the parse into the AST: a generator, a method
call and a `Token` built through two constructors per token, a tuple unpacked per action, a `ParseConf` read per
token (bench/README.md, "Round 11: the parse below the floor"). Here one function does both for a file that
parses: lark's table (`IntParseTable`: the same states, actions and gotos), each state's lexer as lexer.py splits
it (the same terminals, tried in lark's order, at the same position), lark's callbacks of each rule (its child
filter around the AST builder's methods) and of each token type (the UnlessCallback that retypes a keyword, the
bracket counter), called in the order lark calls them. The tokens are lark's `Token`s with the same positions.

A file that does not parse is parsed again by lark itself (`FallBack`): its exception, with the expected tokens
and the interactive parser, is what the syntax-error diagnostics read, and they stay lark's own.
tests/test_lalr_loop.py holds this loop's AST equal to the one built from lark's own tree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lark import Lark, Token
from lark.lexer import BasicLexer, ContextualLexer
from lark.parse_tree_builder import ChildFilterLALR_NoPlaceholders
from lark.parsers.lalr_analysis import Shift

from .lexer import FirstCharacterScanner, _Signatures

_new_str = str.__new__


class FallBack(Exception):
    """The loop met what lark would raise on: lark parses the file again, to raise it with its own details."""


# A token type's flags in a state's lexer (`_StateLexer.flags`); an ignored type without a callback is skipped.
_IGNORED, _NEWLINE, _CALLBACK = 1, 2, 4
_SKIPPED = _IGNORED | _CALLBACK  # both bits read: ignored, and no callback (flags & _SKIPPED == _IGNORED)

# A state's action on a symbol: the state to shift to (an int), or a reduction (size, callback, rule's name).
Action = int | tuple[int, Callable[[list[Any]], Any], str]


class _StateLexer:
    """One state's lexer: its split scanner's alternations by first character, token callbacks and ignored types."""

    __slots__ = ("by_character", "callback", "flags", "scanner")

    def __init__(self, lexer: BasicLexer, signatures: _Signatures) -> None:
        terminals, callback = signatures.unless(lexer)
        self.scanner = FirstCharacterScanner(terminals, (lexer.g_regex_flags, lexer.re, lexer.use_bytes), signatures)
        self.by_character = self.scanner.by_character
        self.callback: dict[str, Callable[[Token], Token]] = dict(callback)
        # what the loop asks of each token type, in one look-up: lark's `ignore_types`, `newline_types`, `callback`
        self.flags: dict[str, int] = {}
        for term in terminals:
            name = term.name
            self.flags[name] = ((_IGNORED if name in lexer.ignore_types else 0)
                                | (_NEWLINE if name in lexer.newline_types else 0)
                                | (_CALLBACK if name in self.callback else 0))


def _filter_function(callback: Any) -> Callable[[list[Any]], Any]:
    """lark's child filter of a rule (`ChildFilterLALR_NoPlaceholders`: the children of inlined `_rules` and
    repetitions spliced in, every other child kept) as straight-line code for its own list of children, calling
    the same node builder with a list of the same values; any other callback as it is. (Where lark's filter starts
    from an expanded child's list, so does this one: a repetition's run grows in place, bench/README.md "Round 10:
    one large file".)"""
    if type(callback) is not ChildFilterLALR_NoPlaceholders:
        return callback  # type: ignore[no-any-return]
    lines: list[str] = []
    for i, expand in callback.to_include:
        if not lines:
            lines.append(f"r = c[{i}].children" if expand else f"r = [c[{i}]]")
        else:
            lines.append(f"r += c[{i}].children" if expand else f"r.append(c[{i}])")
    body = "\n    ".join(lines or ["r = []"])
    env: dict[str, Any] = {"build": callback.node_builder}
    exec(f"def filtered(c):\n    {body}\n    return build(r)", env)  # made from lark's own list of indices
    return env["filtered"]  # type: ignore[no-any-return]


class TableParser:
    """lark's LALR parser (table, lexers, callbacks) of a loaded `Lark` with the contextual lexer, one start."""

    def __init__(self, lark: Lark, start: str = "start") -> None:
        frontend = lark.parser
        contextual = frontend.lexer
        assert isinstance(contextual, ContextualLexer), "the contextual lexer"
        inner = frontend.parser.parser
        table = inner.parse_table
        callbacks = inner.callbacks
        n = len(table.states)
        assert sorted(table.states) == list(range(n)), "lark's integer parse table"
        self.start: int = table.start_states[start]
        self.end: int = table.end_states[start]
        self.actions: list[dict[str, Action]] = []
        reductions: dict[Any, Callable[[list[Any]], Any]] = {}
        for state in range(n):
            row: dict[str, Action] = {}
            for symbol, (action, arg) in table.states[state].items():
                if action is Shift:
                    row[symbol] = arg
                else:
                    callback = reductions.get(arg)
                    if callback is None:
                        callback = reductions[arg] = _filter_function(callbacks[arg])
                    row[symbol] = (len(arg.expansion), callback, arg.origin.name)
            self.actions.append(row)
        signatures = _Signatures(list(lark.terminals))
        made: dict[int, _StateLexer] = {}
        self.lexers: list[_StateLexer] = []
        for state in range(n):
            lexer = contextual.lexers[state]
            if id(lexer) not in made:
                made[id(lexer)] = _StateLexer(lexer, signatures)  # type: ignore[arg-type]
            self.lexers.append(made[id(lexer)])
        # lark's callbacks at the shift of a token type (a transformer's attributes named as terminals: parse.py's
        # bracket counter), beside those of the rules
        self.token_callbacks: dict[str, Callable[[Token], Any]] = {
            k: v for k, v in callbacks.items() if isinstance(k, str)}

    def parse(self, text: str) -> Any:
        """The value of the start rule's callback for `text`; raises FallBack where lark would raise."""
        actions, lexers, token_callbacks = self.actions, self.lexers, self.token_callbacks
        states: list[int] = [self.start]
        values: list[Any] = []
        state = self.start
        end = len(text)
        pos, line, line_start = 0, 1, 0
        end_state = self.end
        token: Any = None  # the token being fed; None for `$END`
        while True:
            if pos < end:
                lexer = lexers[state]
                try:
                    mres = lexer.by_character[text[pos]]
                except KeyError:
                    mres = lexer.by_character[text[pos]] = lexer.scanner.alternations_for(text[pos])
                for mre in mres:
                    m = mre.match(text, pos)
                    if m is not None:
                        break
                else:
                    raise FallBack
                value = m.group()
                kind: str = m.lastgroup  # type: ignore[assignment]
                flags = lexer.flags[kind]
                skipped = flags & _SKIPPED == _IGNORED  # whitespace, a comment: only the lines it ends count
                if not skipped:
                    token = _new_str(Token, value)
                    token.type = kind
                    token.value = value
                    token.start_pos = pos
                    token.line = line
                    token.column = pos - line_start + 1
                if flags & _NEWLINE:
                    newlines = value.count("\n")
                    if newlines:
                        line += newlines
                        line_start = pos + value.rindex("\n") + 1
                pos += len(value)
                if skipped:
                    continue
                token.end_line = line
                token.end_column = pos - line_start + 1
                token.end_pos = pos
                if flags & _CALLBACK:
                    token = lexer.callback[kind](token)
                    kind = token.type
                if flags & _IGNORED:
                    continue
            else:  # the end of the text: lark's `$END`, which reduces until the start rule is
                kind, token = "$END", None
            while True:  # reduce as the token's lookahead asks, then shift it
                try:
                    action = actions[state][kind]
                except KeyError:
                    raise FallBack from None
                if action.__class__ is int:
                    if token is None:  # lark never shifts `$END`
                        raise FallBack
                    state = action
                    states.append(state)
                    values.append(token if kind not in token_callbacks else token_callbacks[kind](token))
                    break
                size, callback, origin = action  # type: ignore[misc]
                if size:
                    children = values[-size:]
                    del states[-size:]
                    del values[-size:]
                else:
                    children = []
                reduced = callback(children)
                state = actions[states[-1]][origin]  # type: ignore[assignment]
                states.append(state)
                values.append(reduced)
                if state == end_state and token is None:
                    return values[-1]
