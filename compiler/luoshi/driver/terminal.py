"""What the terminal gets: colour decided in one place, for every command and every stream.

The conventions honoured, strongest first: `NO_COLOR` (set and not empty: never colour, https://no-color.org),
`FORCE_COLOR` (set, not empty and not `0`: colour even into a pipe, for CI logs that render it), `TERM=dumb` (no
colour, no cursor tricks), and otherwise colour only on a terminal.
"""

from __future__ import annotations

import os
from typing import TextIO


def _set(name: str) -> bool:
    return os.environ.get(name, "") not in ("", "0") if name == "FORCE_COLOR" else os.environ.get(name, "") != ""


def use_colour(stream: TextIO) -> bool:
    """Whether to write colour (ANSI escapes) to `stream`."""
    if _set("NO_COLOR"):
        return False
    if _set("FORCE_COLOR"):
        return True
    return os.environ.get("TERM") != "dumb" and _isatty(stream)


def interactive(stream: TextIO) -> bool:
    """Whether `stream` is a terminal that can redraw a line (a progress bar): a tty whose TERM is not dumb."""
    return os.environ.get("TERM") != "dumb" and _isatty(stream)


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or a stand-in stream (tests capture into objects without a fd)
        return False
