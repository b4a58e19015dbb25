"""The AST's wire form: one file's `ast.SourceUnit` as nested tuples of plain values, written with `marshal`.

Every AST that crosses a process or reaches the cache is encoded in a parse worker and decoded in the parent (the
full run decodes each file's AST once to resolve it). With pickle that was 0.42 ms to encode and 0.35 ms to decode
a file of the 1k corpus, as much as a fifth of the parse itself: pickle makes a Python call for every node
(`__getstate__`/`__setstate__`) and another for every span (`Span.__reduce__` and `Span.__init__`), ~700 a file.
Here the code for each class is generated once from its dataclass fields and their annotations, so a span, an
enum or a plain value is written and read inline in its node's code, and only nodes cost a call:

- a node is the tuple `(class number, field values…)` in the order of its fields;
- a span is `(line, column, end_line, end_column)`, with its file as a fifth value when it is not the unit's path
  (nodes a program built carry `ast.NOWHERE`'s empty file);
- an enum is its value; a tuple field is a list; `str`, `int`, `bool` and None are themselves.

Decoding sets each slot through its descriptor, as pickle's `__setstate__` did (`ast._setstate`): no validation,
the values were the parse's. A field whose annotation names several classes (`Item.entries`) is dispatched on the
value's type, encoding, and on the class number, decoding. `marshal`'s own references keep one string shared where
the AST shared it (every span's file is the unit's path again). The format is the package's own: the AST cache's
folder is salted with the package's contents (cachestore.code_salt), so an entry written by other code is never
read, and a value this code cannot encode (a type no annotation allows) raises instead of being written.
"""

from __future__ import annotations

import dataclasses
import marshal
from collections.abc import Callable
from enum import Enum
from typing import Any

from . import ast
from .source import Span

_ATOMS = frozenset({"str", "int", "bool", "float", "str | None", "int | None", "bool | None"})
_SPAN_CID = 0  # a span where the field's type does not say so: (0, file, line, column, end_line, end_column)

Encoder = Callable[[Any, str], Any]
Decoder = Callable[[Any, str], Any]


def _classes() -> list[type]:
    """The AST's node classes in a fixed order (their definition order in ast.py): a node's class number."""
    return [cls for cls in vars(ast).values() if isinstance(cls, type) and dataclasses.is_dataclass(cls)
            and cls.__module__ == ast.__name__]


def _enums() -> dict[str, type[Enum]]:
    return {name: cls for name, cls in vars(ast).items() if isinstance(cls, type) and issubclass(cls, Enum)
            and cls.__module__ == ast.__name__}


def _node_names(kind: str, number: dict[str, int]) -> list[str] | None:
    """The node classes an annotation names (its type aliases expanded), or None when it admits anything else."""
    names: list[str] = []
    for part in kind.strip('"').split(" | "):
        part = part.strip().strip("()")
        if part in number:
            names.append(part)
            continue
        alias = vars(ast).get(part)
        if alias is None or isinstance(alias, type):
            return None
        inner = _node_names(alias if isinstance(alias, str) else " | ".join(a.__name__ for a in alias.__args__), number)
        if inner is None:
            return None
        names += inner
    return names


def _generate() -> tuple[dict[type, Encoder], list[Decoder]]:
    """One encoder and one decoder per node class, written out as straight-line code."""
    classes, enums = _classes(), _enums()
    number = {cls.__name__: i + 1 for i, cls in enumerate(classes)}  # 0 is a dynamic span
    env: dict[str, Any] = {"_new": object.__new__, "Span": Span}
    for n in ("file", "line", "column", "end_line", "end_column"):
        env[f"_s_{n}"] = getattr(Span, n).__set__
    for name, enum in enums.items():
        env[f"_m_{name}"] = enum._value2member_map_
    lines: list[str] = []
    for cls in classes:
        name, cid = cls.__name__, number[cls.__name__]
        env[f"_C_{name}"] = cls
        enc = [f"def _enc_{name}(o, path):"]
        dec = [f"def _dec_{name}(v, path):", f"    o = _new(_C_{name})"]
        out, slots = [str(cid)], ["_"]
        for f in dataclasses.fields(cls):
            setter = f"_set_{name}_{f.name}"
            env[setter] = getattr(cls, f.name).__set__
            kind, x = str(f.type), f"x_{f.name}"
            enc.append(f"    {x} = o.{f.name}")
            if kind in ("Span", "Span | None"):  # four values: (file, line) or line, column, end_line, end_column
                a, b, c, d = (f"{x}_{k}" for k in "abcd")
                first = f"{a} = {x}.line if {x}.file == path else ({x}.file, {x}.line)"
                rest = f"{b} = {x}.column; {c} = {x}.end_line; {d} = {x}.end_column"
                if kind == "Span":
                    enc.append(f"    {first}; {rest}")
                else:
                    enc.append(f"    if {x} is None:\n        {a} = {b} = {c} = {d} = None\n    else:\n"
                               f"        {first}; {rest}")
                out += [a, b, c, d]
                slots += [a, b, c, d]
                indent = "    "
                if kind == "Span | None":
                    dec.append(f"    if {a} is None:\n        {setter}(o, None)\n    else:")
                    indent = "        "
                dec.append(f"{indent}sp = _new(Span)\n"
                           f"{indent}if type({a}) is tuple:\n{indent}    _s_file(sp, {a}[0]); _s_line(sp, {a}[1])\n"
                           f"{indent}else:\n{indent}    _s_file(sp, path); _s_line(sp, {a})\n"
                           f"{indent}_s_column(sp, {b}); _s_end_line(sp, {c}); _s_end_column(sp, {d}); {setter}(o, sp)")
                continue
            slots.append(x)
            nodes = _node_names(kind, number)
            element = _node_names(kind[6:-6], number) if kind.startswith("tuple[") and kind.endswith(", ...]") else None
            if kind in _ATOMS:
                out.append(x)
                dec.append(f"    {setter}(o, {x})")
            elif kind in enums:
                out.append(f"{x}._value_")
                dec.append(f"    {setter}(o, _m_{kind}[{x}])")
            elif nodes is not None and len(nodes) == 1:
                out.append(f"_enc_{kind}({x}, path)")
                dec.append(f"    {setter}(o, _dec_{kind}({x}, path))")
            elif kind.endswith(" | None") and kind[:-7] in number:
                inner = kind[:-7]
                out.append(f"None if {x} is None else _enc_{inner}({x}, path)")
                dec.append(f"    {setter}(o, None if {x} is None else _dec_{inner}({x}, path))")
            elif nodes is not None:
                out.append(f"_ENC[type({x})]({x}, path)")
                dec.append(f"    {setter}(o, _DEC[{x}[0]]({x}, path))")
            elif element is not None and len(element) == 1:
                out.append(f"[_enc_{element[0]}(y, path) for y in {x}]")
                dec.append(f"    {setter}(o, tuple([_dec_{element[0]}(y, path) for y in {x}]))")
            elif element is not None:
                out.append(f"[_ENC[type(y)](y, path) for y in {x}]")
                dec.append(f"    {setter}(o, tuple([_DEC[y[0]](y, path) for y in {x}]))")
            else:  # `CnDate | int` and anything else: dispatched on the value
                out.append(f"_enc_any({x}, path)")
                dec.append(f"    {setter}(o, _dec_any({x}, path))")
        enc.append(f"    return ({', '.join(out)},)")
        dec.insert(1, f"    {', '.join(slots)}, = v")
        dec.append("    return o")
        lines += enc + dec
    lines += [
        "def _enc_any(x, path):",
        "    t = type(x)",
        "    if t is tuple:",
        "        return [_enc_any(y, path) for y in x]",
        "    e = _ENC.get(t)",
        "    if e is not None:",
        "        return e(x, path)",
        "    if t is Span:",
        f"        return ({_SPAN_CID}, x.file, x.line, x.column, x.end_line, x.end_column)",
        "    if x is None or t is str or t is int or t is bool or t is float:",
        "        return x",
        "    raise TypeError(f'not an AST value: {t.__name__}')",
        "def _dec_any(x, path):",
        "    t = type(x)",
        "    if t is list:",
        "        return tuple([_dec_any(y, path) for y in x])",
        "    if t is tuple:",
        f"        if x[0] == {_SPAN_CID}:",
        "            return Span(x[1], x[2], x[3], x[4], x[5])",
        "        return _DEC[x[0]](x, path)",
        "    return x",
    ]
    exec("\n".join(lines), env)  # the code made above from the AST's own field names: nothing read from outside
    encoders = {cls: env[f"_enc_{cls.__name__}"] for cls in classes}
    decoders: list[Decoder] = [_no_decoder] + [env[f"_dec_{cls.__name__}"] for cls in classes]
    env["_ENC"], env["_DEC"] = encoders, decoders
    return encoders, decoders


def _no_decoder(value: Any, path: str) -> Any:
    raise ValueError("a span where a node was expected")


_ENCODERS, _DECODERS = _generate()
_encode_unit: Encoder = _ENCODERS[ast.SourceUnit]


def encode(unit: ast.SourceUnit) -> bytes:
    """`unit` in its wire form (marshal of the nested tuples described above)."""
    return marshal.dumps((unit.path, _encode_unit(unit, unit.path)))


def decode(data: bytes) -> ast.SourceUnit:
    """The AST `encode` wrote; raises (ValueError, TypeError, IndexError, KeyError, EOFError) on other bytes."""
    path, value = marshal.loads(data)
    if type(path) is not str or type(value) is not tuple:
        raise ValueError("not an AST's wire form")
    unit = _DECODERS[value[0]](value, path)
    if type(unit) is not ast.SourceUnit:
        raise ValueError("not an AST's wire form")
    return unit
