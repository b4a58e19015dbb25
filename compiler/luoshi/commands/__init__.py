"""Sub-commands beyond check/build, one module each, registered at start-up (cli._register).

A module here defines `register(app: typer.Typer) -> None` to add its command(s); modules are loaded in name
order, so `--help` listings are stable. What `luoshi build` writes is not here: it is the list in artifacts.py.
"""
