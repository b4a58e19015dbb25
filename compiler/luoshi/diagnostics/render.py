"""Diagnostic renderers: one for people (file:line:col, the source line and a caret, like rustc), one JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping

from ..syntax.source import SourceFile, Span, display_width
from . import Diagnostic
from .codes import Severity
from .lang import Lang, say

_COLOURS = {Severity.ERROR: "\033[1;31m", Severity.WARNING: "\033[1;33m", Severity.INFO: "\033[1;36m"}
_BOLD, _BLUE, _RESET = "\033[1m", "\033[1;34m", "\033[0m"


def _message(zh: str | None, en: str | None, lang: str) -> str:
    """`say`, but a diagnostic may lack one wording: then the other is shown, whatever `lang` asks. Each wording
    made `printable` first: a message quotes what the user wrote (a unit name, a data cell)."""
    zh, en = (printable(zh) if zh else zh), (printable(en) if en else en)
    if zh and en:
        return say(zh, en, lang)
    return (zh or "") if lang == Lang.zh or not en else en


QUOTED_SHOWN = 60  # characters of a quoted name shown in a message: 「县县…县县」 for a 3-million-character one
MESSAGE_SHOWN = 2000  # and of a whole message
# Characters that draw nothing but change what a terminal shows: zero-width marks and bidirectional overrides (a
# U+202E in a unit name reverses the rest of the line: "Trojan source"). Named in messages, where they explain
# why 「县民政局」 is unknown though it looks right.
INVISIBLE = re.compile(r"[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_LONG = "{" + str(QUOTED_SHOWN + 1) + ",}"
_QUOTED = re.compile(r"(「)([^「」\n]" + _LONG + r")(」)|(')([^'\s]" + _LONG + r")(')")


def _clip(match: re.Match[str]) -> str:
    """「…」 in Chinese, '…' (a name: no white space) in English, cut in the middle."""
    left, inner, right = match.groups()[:3] if match.group(1) else match.groups()[3:]
    return f"{left}{inner[:QUOTED_SHOWN - 12]}…{inner[-10:]}{right}"


def printable(text: str) -> str:
    """What may reach a terminal of a text that quotes user input: control characters (an ESC sequence in a CSV
    cell retitles the window or recolours the screen) as U+FFFD, invisible marks named (<U+202E>), a quoted
    name cut to QUOTED_SHOWN characters and the whole to MESSAGE_SHOWN (a 10 MB name was printed four times)."""
    text = _UNSHOWN.sub("\ufffd", text)
    text = INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)
    text = _QUOTED.sub(_clip, text)
    return text if len(text) <= MESSAGE_SHOWN else text[:MESSAGE_SHOWN - 20] + "…" + text[-19:]


def render_human(diags: Iterable[Diagnostic], sources: Mapping[str, SourceFile], *, colour: bool = False, lang: str = "both") -> str:
    out: list[str] = []
    for d in diags:
        out.append(_render_one(d, sources, colour, lang))
    return "\n".join(out)


def _render_one(d: Diagnostic, sources: Mapping[str, SourceFile], colour: bool, lang: str) -> str:
    sev_c = _COLOURS[d.severity] if colour else ""
    bold, blue, reset = (_BOLD, _BLUE, _RESET) if colour else ("", "", "")
    label = say(d.severity.zh, d.severity.value, lang, sep=" ") + f"[{d.code}]"
    where = f"{printable(str(d.span))}: " if d.span else ""
    lines = [f"{bold}{where}{reset}{sev_c}{label}{reset}{bold}: {_message(d.zh, d.en, lang)}{reset}"]
    if d.span and d.span.file in sources:
        lines += _excerpt(sources[d.span.file], d.span, blue, sev_c, reset)
    if d.hint_zh or d.hint_en:
        lines.append(f"   {blue}={reset} {_message('提示：' + (d.hint_zh or ''), 'help: ' + (d.hint_en or ''), lang)}")
    for r in d.related:
        lines.append(f"   {blue}={reset} {_message(r.zh, r.en, lang)}: {printable(str(r.span))}")
    return "\n".join(lines) + "\n"


SHOWN = 120  # characters of a long source line shown around the caret
_UNSHOWN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # control characters: never sent to the terminal


def _window(text: str, start: int, end: int) -> tuple[str, int, int]:
    """A long line (a 10 MB one-line file) cut to SHOWN characters around the caret, marked with …"""
    if len(text) <= SHOWN:
        return text, start, end
    left = max(0, min(start - SHOWN // 3, len(text) - SHOWN))
    right = left + SHOWN
    shift = left - (1 if left else 0)
    shown = ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")
    return shown, start - shift, min(end, right) - shift


def _excerpt(source: SourceFile, span: Span, blue: str, sev_c: str, reset: str) -> list[str]:
    text = source.line(span.line)
    number = str(span.line)
    pad = " " * len(number)
    start = max(span.column - 1, 0)
    end = span.end_column - 1 if span.end_line == span.line else len(text)
    end = max(end, start + 1)
    text, start, end = _window(INVISIBLE.sub("\ufffd", _UNSHOWN.sub("\ufffd", text)), start, end)
    caret = " " * display_width(text[:start]) + "^" * max(1, display_width(text[start:end]))
    return [f"{pad} {blue}|{reset}", f"{blue}{number} |{reset} {text}", f"{pad} {blue}|{reset} {sev_c}{caret}{reset}"]


def summary_line(errors: int, warnings: int, files: int, lang: str = "both") -> str:
    zh = f"检查了 {files} 个文件：{errors} 个错误，{warnings} 个警告"
    en = f"checked {files} files: {errors} errors, {warnings} warnings"
    return _message(zh, en, lang)


def render_json(diags: Iterable[Diagnostic], *, files: int) -> str:
    items = [d.to_json() for d in diags]
    payload = {
        "files": files,
        "errors": sum(1 for d in items if d["severity"] == "error"),
        "warnings": sum(1 for d in items if d["severity"] == "warning"),
        "diagnostics": items,
    }
    return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True)
