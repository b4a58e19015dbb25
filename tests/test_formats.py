"""A table format is listed once, in backends/table.py: `luoshi table --format`, `luoshi build` and the site's
download links read that registry."""

from __future__ import annotations

import typer.main
from luoshi.backends import table
from luoshi.cli import app
from luoshi.driver.pipeline import compile_paths
from luoshi.site import downloads


def test_cli_and_site_read_the_backends_registry() -> None:
    command = typer.main.get_command(app).commands["table"]  # type: ignore[attr-defined]  # typer's own click
    fmt = next(p for p in command.params if p.name == "fmt")
    assert fmt.type_descriptor.annotation is table.TableFormat
    assert downloads.TABLE_FORMATS == table.FORMATS == tuple(table.FORMAT_SPECS)
    assert set(downloads.FORMAT_ZH) == set(table.FORMATS)


def test_every_format_renders_as_its_spec_says(in_root: object) -> None:
    corpus = compile_paths(None).corpus
    built = table.build_table(corpus, "bishan-2020-shjz")
    for fmt, spec in table.FORMAT_SPECS.items():
        data = table.render_table(built, fmt)
        if spec.binary:
            assert data.startswith(b"PK\x03\x04"), fmt  # an Office Open XML zip
        else:
            assert "区民政局" in data.decode("utf-8"), fmt
