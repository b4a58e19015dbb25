"""lark's contextual lexer, with each state's terminals split by the character a token can begin with.

lark lexes a token by matching one alternation of every terminal the parser's state accepts, `(?P<A>…)|(?P<B>…)|…`,
and the first alternative that matches wins. Python's `re` tries the alternatives one by one, and a named group
hides a literal first character from its quick rejection: a `}` or a keyword after a task's statement was found
after 60–100 failed alternatives (bench/README.md, "Round 8"). Here each state's lexer matches, at the first
character it meets, the alternation lark's own `Scanner` builds over the terminals that can begin with that
character, in lark's order: the alternatives left out cannot match there, so the same terminal wins with the same text — and where
none is left, none would have matched, so lark raises the same error at the same place (its error path reads the
state's terminals, which are unchanged). The grammar and its tables are lark's own; `parse.ast_parser` uses this,
in lark's lexer loop and in lalr.py's (the tree parser `parse.parser()` and the bench floor keep lark's scanner).
"""

from __future__ import annotations

import re
from re import _constants as C
from re import _parser as sre_parse
from typing import Any

from lark import Lark
from lark.lexer import BasicLexer, CallChain, ContextualLexer, Scanner, TerminalDef, _create_unless

_CATEGORIES = {C.CATEGORY_DIGIT: r"\d", C.CATEGORY_NOT_DIGIT: r"\D", C.CATEGORY_SPACE: r"\s",
               C.CATEGORY_NOT_SPACE: r"\S", C.CATEGORY_WORD: r"\w", C.CATEGORY_NOT_WORD: r"\W"}


def _charset(items: list[tuple[Any, Any]]) -> str | None:
    parts: list[str] = []
    for op, av in items:
        if op is C.NEGATE:
            parts.insert(0, "^")
        elif op is C.LITERAL:
            parts.append(re.escape(chr(av)))
        elif op is C.RANGE:
            parts.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op is C.CATEGORY and av in _CATEGORIES:
            parts.append(_CATEGORIES[av])
        else:
            return None
    return "[" + "".join(parts) + "]"


def _firsts(items: Any) -> tuple[list[str] | None, bool]:
    """Classes of the characters a match of the parsed pattern `items` can begin with (None: any character), and
    whether it can match the empty string. Conservative: what it does not know, any character may begin."""
    classes: list[str] = []
    for op, av in items:
        if op is C.ASSERT_NOT:  # a lookahead only narrows what follows
            continue
        if op is C.LITERAL:
            return classes + [re.escape(chr(av))], False
        if op is C.NOT_LITERAL:
            return classes + [f"[^{re.escape(chr(av))}]"], False
        if op is C.IN:
            charset = _charset(av)
            return (None, False) if charset is None else (classes + [charset], False)
        if op is C.SUBPATTERN or op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is C.BRANCH:
            if op is C.SUBPATTERN:
                found, empty = _firsts(av[-1])
            elif op is C.BRANCH:
                alternatives = [_firsts(alt) for alt in av[1]]
                if any(a is None for a, _ in alternatives):
                    return None, False
                found = [c for a, _ in alternatives for c in (a or [])]
                empty = any(e for _, e in alternatives)
            else:
                found, empty = _firsts(av[2])
                empty = empty or av[0] == 0
            if found is None:
                return None, False
            classes += found
            if not empty:
                return classes, False
            continue
        return None, False
    return classes, True


def first_characters(term: TerminalDef) -> re.Pattern[str] | None:
    """One character a token of `term` can begin with, as a pattern; None when that is not known."""
    if term.pattern.flags:
        return None
    classes, empty = _firsts(sre_parse.parse(term.pattern.to_regexp()))
    if classes is None or empty:
        return None
    return re.compile("|".join(classes))


class FirstCharacterScanner:
    """A state's scanner (lark's `Scanner.match` and `allowed_types`) that matches only the terminals that can begin
    with the character at the position, in lark's order."""

    def __init__(self, terminals: list[TerminalDef], settings: tuple[Any, Any, Any], signatures: _Signatures) -> None:
        self.allowed_types = {t.name for t in terminals}
        self._terminals = terminals
        self._settings = settings
        self._signatures = signatures
        self.by_character: dict[str, list[re.Pattern[str]]] = {}

    def match(self, text: Any, pos: int) -> tuple[str, str] | None:
        """lark's `Scanner.match`, over the alternation(s) for the character at `pos`."""
        whole = text.text
        try:
            mres = self.by_character[whole[pos]]
        except KeyError:
            mres = self.by_character[whole[pos]] = self.alternations_for(whole[pos])
        for mre in mres:
            m = mre.match(whole, pos, text.end)
            if m:
                return m.group(0), m.lastgroup  # type: ignore[return-value]
        return None

    def alternations_for(self, character: str) -> list[re.Pattern[str]]:
        starts = self._signatures.of(character)
        names = tuple(t.name for t in self._terminals if t.name in starts)
        if not names:
            return []
        mres: list[re.Pattern[str]] = self._signatures.scanner(names, self._terminals, self._settings)._mres
        return mres


class _Signatures:
    """Which terminals can begin with a character (asked once per character), and one lark `Scanner` per list of
    terminals, shared by the states that have the same list."""

    def __init__(self, terminals: list[TerminalDef]) -> None:
        self._literal: dict[str, set[str]] = {}
        self._classes: list[tuple[str, re.Pattern[str] | None]] = []
        for term in terminals:
            if term.pattern.type == "str" and not term.pattern.flags:
                self._literal.setdefault(term.pattern.value[0], set()).add(term.name)
            else:
                self._classes.append((term.name, first_characters(term)))
        self._known: dict[str, frozenset[str]] = {}
        self._scanners: dict[tuple[str, ...], Scanner] = {}
        self._unless: dict[tuple[str, ...], tuple[list[TerminalDef], dict[str, Any]]] = {}

    def unless(self, lexer: BasicLexer) -> tuple[list[TerminalDef], dict[str, Any]]:
        """What lark's `BasicLexer._build_scanner` makes of a state's terminals before compiling its scanner: the
        terminals to match (a keyword that the name pattern also matches is left to the name's callback, which
        retypes it) and the callback of each token type. Made once per list of terminals (states share lists)."""
        names = tuple(t.name for t in lexer.terminals)
        made = self._unless.get(names)
        if made is None:
            terminals, callback = _create_unless(  # type: ignore[no-untyped-call]
                lexer.terminals, lexer.g_regex_flags, lexer.re, lexer.use_bytes)
            for type_, f in lexer.user_callbacks.items():
                if type_ in callback:  # as lark: an UnlessCallback first, then the user's
                    callback[type_] = CallChain(  # type: ignore[no-untyped-call]
                        callback[type_], f, lambda t, type_=type_: t.type == type_)
                else:
                    callback[type_] = f
            made = self._unless[names] = (terminals, callback)
        return made

    def of(self, character: str) -> frozenset[str]:
        found = self._known.get(character)
        if found is None:
            names = set(self._literal.get(character, ()))
            names.update(name for name, first in self._classes if first is None or first.match(character))
            found = self._known[character] = frozenset(names)
        return found

    def scanner(self, names: tuple[str, ...], terminals: list[TerminalDef], settings: tuple[Any, Any, Any]) -> Scanner:
        made = self._scanners.get(names)
        if made is None:
            chosen = [t for t in terminals if t.name in names]
            made = self._scanners[names] = Scanner(chosen, *settings)  # type: ignore[no-untyped-call]
        return made


def split_by_first_character(lark: Lark) -> None:
    """Give each state's lexer of `lark` (LALR with the contextual lexer) a `FirstCharacterScanner`'s match."""
    contextual = lark.parser.lexer
    assert isinstance(contextual, ContextualLexer), "the contextual lexer"
    signatures = _Signatures(list(lark.terminals))
    lexers: dict[int, BasicLexer] = {id(lexer): lexer for lexer in contextual.lexers.values()}  # type: ignore[misc]
    for lexer in lexers.values():
        _split_when_first_used(lexer, signatures)


def _split_when_first_used(lexer: BasicLexer, signatures: _Signatures) -> None:
    """lark's lexer loop (`next_token`) calls `self.match(text, pos)` for each token: this instance's own `match`
    becomes the split scanner's, made when the state first lexes (lark builds each state's scanner on first use
    too: building the 119 at once is 0.05 s a process). It is made from the terminals and callbacks lark's
    `_build_scanner` would make, without compiling lark's alternation of every terminal of the state, which the
    split scanner never matches (half the regular expressions a one-file rebuild compiled, bench/README.md "Round
    9"). lark's error path still reads its own scanner (`allowed_types`), built then."""

    def first_match(text: Any, pos: int) -> tuple[str, str] | None:
        terminals, callback = signatures.unless(lexer)
        lexer.callback = dict(callback)
        split = FirstCharacterScanner(terminals, (lexer.g_regex_flags, lexer.re, lexer.use_bytes), signatures)
        lexer.match = split.match  # type: ignore[method-assign]
        return split.match(text, pos)

    lexer.match = first_match  # type: ignore[method-assign]
