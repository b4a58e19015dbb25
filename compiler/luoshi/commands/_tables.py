"""Query answers as tables: a rich table on a terminal, tab-separated plain text when piped or redirected (so
`luoshi graph duties 区民政局 | sort` and spreadsheets get one clean row per line)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from ..driver.terminal import use_colour


def _plain_cell(value: object) -> str:
    return " ".join(str(value if value is not None else "").split())


def print_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[object]], *,
                caption: str | None = None, tty: bool | None = None) -> None:
    tty = sys.stdout.isatty() if tty is None else tty
    if not tty:
        lines = ["\t".join(columns)] + ["\t".join(_plain_cell(c) for c in row) for row in rows]
        sys.stdout.write("\n".join(lines) + "\n")
        if caption:
            sys.stderr.write(caption + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, caption=caption, show_lines=False, header_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(str(c if c is not None else "") for c in row))
    Console(no_color=not use_colour(sys.stdout)).print(table)
