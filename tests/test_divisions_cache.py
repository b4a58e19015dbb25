"""The division tables kept in the user's cache folder (divisions.load): built from the data once, then read back
as they were built; a damaged or foreign file is never trusted, only rebuilt."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from luoshi.semantics import divisions


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    divisions.load.cache_clear()
    yield tmp_path / "luoshi"
    divisions.load.cache_clear()  # the next test reads the tables of the user's own cache again


def _tables(d: divisions.Divisions) -> tuple[object, ...]:
    return (d.rows, d.children, d.by_name, d.tops, d.source, d.former, d.former_of)


def test_the_tables_read_back_are_the_tables_built(cache_home: Path) -> None:
    built = divisions.load()
    [kept] = cache_home.glob("divisions-*.marshal")
    divisions.load.cache_clear()
    read = divisions.load()
    assert read is not built and _tables(read) == _tables(built)
    (yunyang,) = read.find("云阳县")
    assert len(read.below(yunyang.code, 1)) == 42 and [d.name for d in read.find("开县")] == ["开州区"]
    assert read.get(yunyang.code) is yunyang  # one Division per code, made when first asked for
    assert kept.stat().st_size > 1_000_000


@pytest.mark.parametrize("damage", [b"", b"\x00not marshal", b"\xe9\x01\x00\x00\x00"])  # empty, garbage, the int 1
def test_a_damaged_file_is_rebuilt(cache_home: Path, damage: bytes) -> None:
    built = divisions.load()
    [kept] = cache_home.glob("divisions-*.marshal")
    kept.write_bytes(damage)
    divisions.load.cache_clear()
    assert _tables(divisions.load()) == _tables(built)
    assert kept.read_bytes() != damage  # rebuilt and written again


def test_an_unwritable_cache_folder_only_costs_a_rebuild(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    divisions.load.cache_clear()
    try:
        assert [d.name for d in divisions.load().find("闸北区")] == ["静安区"]
    finally:
        divisions.load.cache_clear()
