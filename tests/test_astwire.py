"""The AST's wire form (syntax/astwire.py): what the parse workers send and the AST cache keeps gives back the very
AST the parse made, for every source file of the seed corpus and the fixtures, spans and enums included; a span of
another file keeps its file; bytes that are not a wire form of the path asked for are a miss, never an AST."""

from __future__ import annotations

import dataclasses
import pickle
import zlib
from pathlib import Path

import pytest

from luoshi.diagnostics import Sink
from luoshi.syntax import ast, astcache, astwire
from luoshi.syntax.parse import parse_ast
from luoshi.syntax.source import Span, read_source

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted([*ROOT.joinpath("policies").rglob("*.policy"), *ROOT.joinpath("policies").rglob("*.units"),
                  *ROOT.joinpath("tests", "fixtures").rglob("*.policy"), *ROOT.joinpath("tests", "fixtures").rglob("*.units")])


def parsed(path: Path) -> ast.SourceUnit | None:
    return parse_ast(read_source(path, str(path.relative_to(ROOT))), Sink())


def nodes(value: object) -> list[object]:
    """Every node, span and value in `value`, depth first, with its type: equality alone would not see a tuple
    come back as a list or an enum as its string."""
    found: list[object] = [type(value)]
    if isinstance(value, tuple):
        for x in value:
            found += nodes(x)
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            found += nodes(getattr(value, f.name))
    elif isinstance(value, Span):
        found.append(value._key())
    else:
        found.append(value)
    return found


def test_every_source_file_comes_back_the_same():
    units = [u for u in map(parsed, SOURCES) if u is not None]
    assert len(units) >= 40  # the seed corpus, its unit registries and the fixtures
    kinds: set[type] = set()
    for unit in units:
        back = astwire.decode(astwire.encode(unit))
        assert back == unit
        shape = nodes(back)
        assert shape == nodes(unit)
        kinds.update(t for t in shape if isinstance(t, type))
    # the files exercise the encoders' branches: enums, optional spans, unions, nested units, ints in a union
    assert {ast.ItemKind, ast.PolicyKind, ast.UnitDeclKind, ast.UnitName, ast.Target, ast.Due, ast.JurisdictionDecl} <= kinds


def test_spans_of_another_file_keep_it():
    unit = next(u for u in map(parsed, SOURCES) if u is not None and u.policies)
    moved = dataclasses.replace(unit, path="elsewhere.policy")  # every span now names a file that is not the unit's
    back = astwire.decode(astwire.encode(moved))
    assert back == moved and back.policies[0].span.file == unit.path
    built = ast.SourceUnit("x.policy", (dataclasses.replace(unit.policies[0], span=ast.NOWHERE),))
    assert astwire.decode(astwire.encode(built)).policies[0].span == ast.NOWHERE


def test_the_cache_entry_is_the_wire_form_and_a_foreign_entry_is_a_miss():
    unit = next(u for u in map(parsed, SOURCES) if u is not None)
    data = astcache.dumps(unit)
    assert astcache.loads(data, unit.path) == unit
    assert astcache.loads(data, "another.policy") is None  # an entry under the wrong key
    assert astcache.loads(zlib.compress(pickle.dumps(unit)), unit.path) is None  # an older luoshi's pickle
    assert astcache.loads(data[:len(data) // 2], unit.path) is None  # truncated
    assert astcache.loads(zlib.compress(b"\x00" * 64), unit.path) is None


def test_a_value_no_annotation_allows_is_refused():
    unit = next(u for u in map(parsed, SOURCES) if u is not None and u.policies)
    policy = unit.policies[0]
    odd_name = dataclasses.replace(policy.id, text=object())  # type: ignore[arg-type]
    odd = ast.SourceUnit(unit.path, (dataclasses.replace(policy, id=odd_name),))
    with pytest.raises(ValueError):  # marshal's "unmarshallable object": never written
        astwire.encode(odd)
