"""`luoshi lsp`: the language server for editors, over stdin/stdout (lsp/server.py). Needs the `lsp` extra."""

from __future__ import annotations

import typer

from ._corpus import fail


def command() -> None:
    """启动语言服务器（标准输入输出），供编辑器使用。· Start the language server (stdio) for editors."""
    try:
        from ..lsp.server import main
    except ImportError as exc:  # pygls missing: say how to install it
        fail(f"语言服务器需要 pygls：pip install 'luoshi[lsp]'（{exc.name}）",
             f"the language server needs pygls: pip install 'luoshi[lsp]' ({exc.name})", "both")
    from ..driver import perf

    perf.FREEZE = False  # a long-lived process: each compile's objects must be freed when the next replaces it
    main()


def register(app: typer.Typer) -> None:
    app.command("lsp")(command)
