"""The frozen, typed model of a whole corpus: the one thing every backend reads.

Built once by `resolve.py`, without validation (`Frozen.trusted`, `UnitRef.trusted`, `Assignment.trusted`: the
values are luoshi's own, laid out as validation lays them out; the tests check each against validation: round 9);
never mutated (pydantic models with frozen=True; the most numerous nodes, `UnitRef` and `Assignment`, frozen
slotted pydantic dataclasses, and `Span`, `TaskKey` compact values: bench/README.md, rounds 7 and 8). Names are
already resolved: units are referenced by their qualified id (`璧山区/区民政局`), tasks by `TaskKey` (`yfbf-2018-161:2.1`).
`luoshi build` exports it as JSON, with the JSON Schema from `corpus_json_schema()`.
"""

from __future__ import annotations

import datetime as dt
import sys
import types
import typing
import weakref
from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any, ClassVar, Literal, NamedTuple, Self, TypeAlias, TypeVar, cast

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    SerializerFunctionWrapHandler,
    create_model,
    model_serializer,
)
from pydantic.dataclasses import dataclass
from pydantic_core import core_schema

from .syntax.source import Span

SCHEMA_VERSION = "2"  # 2: a deadline has only the fields of its kind (docs/architecture.md)


_FIELD_SETS: dict[frozenset[str], set[str]] = {}
_GIVEN: dict[tuple[str, ...], set[str]] = {}  # the names given to `trusted`, in their order → their shared set

# A dict of more than five keys costs more than a key-sharing one (sys.getsizeof, CPython 3.11: 25 keys 832
# bytes against 288): models with more fields than this keep their values in a key-sharing dict.
_SHARED_FROM = 6
_Fill: TypeAlias = Callable[[dict[str, Any]], dict[str, Any]]
_FILLS: dict[type[BaseModel], _Fill | None] = {}


_HOLDERS: dict[type[BaseModel], type] = {}


def _holder(cls: type[BaseModel]) -> type:
    """The plain class whose instances' `__dict__`s hold `cls`'s field values: one per model class, so every
    instance — validated (`_fill_for`) or trusted (`_maker_for`) — shares one keys table."""
    if cls not in _HOLDERS:
        _HOLDERS[cls] = type(f"{cls.__name__}Values", (), {"__module__": __name__})
    return _HOLDERS[cls]


def _fill_for(cls: type[BaseModel]) -> _Fill | None:
    """The function copying an instance's field values into a key-sharing dict of `cls`'s own (None: too few
    fields to gain). CPython shares a class's attribute names among the `__dict__`s of its instances when each
    sets them in the same order by attribute assignment; pydantic instead builds each instance a dict of its own,
    its keys table included. The values are copied by assignments to an instance of a plain class made for `cls`
    (generated code: 0.55 µs for a task's 25 fields, against 3.9 µs for a `setattr` loop)."""
    names = tuple(cls.model_fields)
    if len(names) < _SHARED_FROM or not all(name.isidentifier() for name in names):
        _FILLS[cls] = None
        return None
    holder = _holder(cls)
    lines = ["def fill(values):", " h = holder()", *(f" h.{name} = values[{name!r}]" for name in names),
             " return h.__dict__"]
    scope: dict[str, Any] = {"holder": holder}
    exec("\n".join(lines), scope)  # the code is built from the model's own field names
    fill = _FILLS[cls] = cast(_Fill, scope["fill"])
    return fill


def _share_keys(node: BaseModel) -> None:
    """`node`'s `__dict__` as a key-sharing dict (same keys, same order, same values: equality, dumps and
    `model_copy` unchanged)."""
    cls = type(node)
    fill = _FILLS[cls] if cls in _FILLS else _fill_for(cls)
    values = node.__dict__
    if fill is not None and len(values) == len(cls.model_fields):
        object.__setattr__(node, "__dict__", fill(values))


_Make: TypeAlias = Callable[[dict[str, Any]], dict[str, Any]]
_MAKERS: dict[type[BaseModel], _Make] = {}
# Set by the tests: every `trusted` instance is checked against the validated one (`_check_trusted`).
CHECK_TRUSTED = False


def _maker_for(cls: type[BaseModel]) -> _Make:
    """The function laying out a `trusted` instance's `__dict__`: every field in order, a default where the value
    is not given, in a key-sharing dict for the wider models (`_fill_for`). Generated from the model's own field
    names; a name that is no field of the model is refused (TypeError), as validation would refuse it."""
    names = tuple(cls.model_fields)
    defaults = {name: f.default for name, f in cls.model_fields.items() if not f.is_required()}
    if not all(name.isidentifier() for name in names) or any(
            f.default_factory is not None for f in cls.model_fields.values()):
        raise TypeError(f"{cls.__name__}: no trusted constructor")
    scope: dict[str, Any] = {"holder": _holder(cls), "intern": sys.intern, "interned": _interned,
                             "known": frozenset(names), "defaults": defaults, "name": cls.__name__}
    def value(name: str) -> str:
        return f"values.get({name!r}, defaults[{name!r}])" if name in defaults else f"values[{name!r}]"
    shared = len(names) >= _SHARED_FROM
    texts = _text_fields(cls)
    lines = ["def make(values):", f" h = {'holder()' if shared else '{}'}", " try:",
             "  if len(values) == len(known):"]  # every field given, or a name missing (KeyError)

    def put(name: str, value: str) -> str:
        kind = texts.get(name)
        if kind == "str":  # one string per value in the whole model, as it is built
            value = f"intern(v) if type(v := {value}) is str else v"
        elif kind == "strs":
            value = f"interned({value})"
        return f"h.{name} = {value}" if shared else f"h[{name!r}] = {value}"

    lines += [f"   {put(name, f'values[{name!r}]')}" for name in names]
    lines += ["  else:", "   if not values.keys() <= known:",
              "    raise KeyError",
              *(f"   {put(name, value(name))}" for name in names)]
    lines += [" except KeyError:",
              "  raise TypeError(f'{name}: unknown fields {sorted(values.keys() - known)},'",
              "                  f' missing {sorted(known - values.keys() - defaults.keys())}') from None",
              f" return {'h.__dict__' if shared else 'h'}"]
    exec("\n".join(lines), scope)  # the code is built from the model's own field names
    make = _MAKERS[cls] = cast(_Make, scope["make"])
    return make


def _text_fields(cls: type[BaseModel]) -> dict[str, str]:
    """`cls`'s fields that hold text: "str" for a `str` (or `str | None`), "strs" for a `tuple[str, ...]`. The
    trusted constructors intern them (`sys.intern`), so the model holds one string per value as it is built: equal
    names, ids and texts are new strings in every file's AST (1k corpus: 216,000 strings, 31,000 distinct)."""
    out: dict[str, str] = {}
    for name, info in cls.model_fields.items():
        annotation = info.annotation
        args = typing.get_args(annotation)
        if annotation is str or (typing.get_origin(annotation) in (typing.Union, types.UnionType)
                                 and set(args) == {str, type(None)}):
            out[name] = "str"
        elif typing.get_origin(annotation) is tuple and args == (str, ...):
            out[name] = "strs"
    return out


def _interned(values: object) -> object:
    """A tuple of strings with each string interned (anything else as it is: validation judges it)."""
    if type(values) is tuple and values and all(type(v) is str for v in values):
        return tuple(map(sys.intern, values))
    return values


_TEXTS: dict[type[BaseModel], tuple[tuple[str, str], ...]] = {}


def intern_texts(node: BaseModel) -> None:
    """Intern the text fields of a node built by validation (the registry's), in place, as `trusted` interns
    them: equal values only are swapped, before any reader sees the node."""
    cls = type(node)
    texts = _TEXTS.get(cls)
    if texts is None:
        texts = _TEXTS[cls] = tuple(_text_fields(cls).items())
    d = node.__dict__
    for name, kind in texts:
        value = d[name]
        if value is not None:
            d[name] = sys.intern(value) if kind == "str" else _interned(value)


def _check_trusted(node: BaseModel | UnitRef | Assignment, validated: BaseModel | UnitRef | Assignment) -> None:
    """`node` (built by `trusted`) is what validation made of the same values: equal, the same repr (a list
    for a tuple, an int for a float show there), the same dump and field set."""
    same = node == validated and repr(node) == repr(validated)
    if isinstance(node, BaseModel) and isinstance(validated, BaseModel):
        same = same and node.model_dump_json() == validated.model_dump_json() \
            and node.__pydantic_fields_set__ == validated.__pydantic_fields_set__ \
            and list(node.__dict__) == list(validated.__dict__)
    if not same:
        raise AssertionError(f"trusted {node!r} is not the validated {validated!r}")


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    @classmethod
    def trusted(cls, **values: Any) -> Self:
        """An instance from values luoshi's own code built, with no validation: what `cls(**values)` makes when
        every value already has its field's type (a tuple for a tuple, an enum member for an enum, a float for a
        float), in the same form — its values in a key-sharing dict in field order, the defaults of the fields not
        given, the given names as its shared field set. resolve.py builds the model this way: 142,000
        validations were a third of the resolve stage (bench/README.md, "Round 9"). Text read from users is
        validated where it is read; with `CHECK_TRUSTED` set (the tests), each instance is also validated and
        must come out equal, value for value and type for type."""
        make = _MAKERS[cls] if cls in _MAKERS else _maker_for(cls)
        node = _new(cls)
        _set(node, "__dict__", make(values))
        given = tuple(values)  # a call site gives the same names each time: its set found by them, not rebuilt
        shared = _GIVEN.get(given)
        if shared is None:
            shared = _GIVEN[given] = _FIELD_SETS.setdefault(frozenset(given), set(given))
        _set(node, "__pydantic_fields_set__", shared)
        _set(node, "__pydantic_extra__", None)
        _set(node, "__pydantic_private__", None)
        if CHECK_TRUSTED:
            _check_trusted(node, cls(**values))
        return node

    @classmethod
    def maker(cls, *names: str) -> Callable[..., Self]:
        """`trusted` for a call site that always gives the same fields: a constructor taking the values of `names`
        positionally (no keyword dictionary built, no field set looked up: 200,000 tasks at 10k files). What it
        makes is what `trusted(**dict(zip(names, values)))` makes (checked against validation as `trusted` is,
        with `CHECK_TRUSTED`)."""
        fields = tuple(cls.model_fields)
        if len(set(names)) != len(names) or not set(names) <= set(fields):
            raise TypeError(f"{cls.__name__}: unknown or repeated fields {sorted(set(names) - set(fields))}")
        make = _MAKERS[cls] if cls in _MAKERS else _maker_for(cls)  # refuses the classes `trusted` refuses
        texts = _text_fields(cls)
        defaults = {name: f.default for name, f in cls.model_fields.items() if not f.is_required()}
        missing = [name for name in fields if name not in names and name not in defaults]
        if missing:
            raise TypeError(f"{cls.__name__}: missing {missing}")
        shared = len(fields) >= _SHARED_FROM
        given = _FIELD_SETS.setdefault(frozenset(names), set(names))
        scope: dict[str, Any] = {"holder": _holder(cls), "intern": sys.intern, "interned": _interned, "str": str,
                                 "defaults": defaults, "cls": cls, "new": _new, "put": _set, "given": given,
                                 "module": sys.modules[__name__], "check": _check_trusted, "names": names}
        lines = [f"def make({', '.join('v_' + n for n in names)}):", f" h = {'holder()' if shared else '{}'}"]
        for name in fields:
            value = f"v_{name}" if name in names else f"defaults[{name!r}]"
            if name in names and texts.get(name) == "str":
                value = f"intern({value}) if type({value}) is str else {value}"
            elif name in names and texts.get(name) == "strs":
                value = f"interned({value}) if {value} else {value}"
            lines.append(f" h.{name} = {value}" if shared else f" h[{name!r}] = {value}")
        lines += [" node = new(cls)", f" put(node, '__dict__', {'h.__dict__' if shared else 'h'})",
                  " put(node, '__pydantic_fields_set__', given)", " put(node, '__pydantic_extra__', None)",
                  " put(node, '__pydantic_private__', None)", " if module.CHECK_TRUSTED:",
                  f"  check(node, cls(**dict(zip(names, ({''.join('v_' + n + ', ' for n in names)})))))",
                  " return node"]
        del make
        exec("\n".join(lines), scope)  # the code is built from the model's own field names
        return cast(Callable[..., Self], scope["make"])

    def model_post_init(self, context: object, /) -> None:
        """Every instance with the same fields given shares one field-name set: pydantic keeps a set per instance
        (216–728 bytes; a 1,000-file corpus has ~200,000 model nodes, so 124 MB of sets, a quarter of `luoshi
        check`'s memory). Frozen models never add to it; `model_copy(update=…)` copies it first.

        The field values of a model with six fields or more go into a key-sharing dict (`_share_keys`): a task's
        `__dict__` was 832 bytes, 16 MB of a 1,000-file corpus's model (bench/README.md, "Round 8")."""
        fields = self.__pydantic_fields_set__
        shared = _FIELD_SETS.setdefault(frozenset(fields), fields)
        if shared is not fields:
            object.__setattr__(self, "__pydantic_fields_set__", shared)
        _share_keys(self)

    def __setstate__(self, state: dict[Any, Any]) -> None:
        """Unpickled (a worker's result, a cached registry) as it was built: values in a key-sharing dict."""
        super().__setstate__(state)
        _share_keys(self)


class Sparse(Frozen):
    """A model some of whose fields came after the model was first published: each of `SPARSE` is written only
    where the text gives it (left out when None, False or empty), so corpus.json of every file without them
    stays as it was. One serializer for all of them."""

    SPARSE: ClassVar[tuple[str, ...]] = ()

    @model_serializer(mode="wrap")
    def _without_unset(self, handler: SerializerFunctionWrapHandler) -> Any:
        out = handler(self)
        if isinstance(out, dict):
            for name in self.SPARSE:
                if name in out and not out[name]:
                    del out[name]
        return out


# ───────────── registry ─────────────


class Role(Frozen):
    id: str
    description: str | None = None
    aliases: tuple[str, ...] = ()
    span: Span


class Jurisdiction(Frozen):
    id: str = Field(description="the jurisdiction's name, e.g. 云阳县")
    kind: str | None = Field(None, description="直辖市 省 市 县 区 自治县 乡 镇 街道")
    level: str | None = Field(None, description="国家级 省级 市级 县级 乡级 村级")
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    span: Span


class UnitKind(str, Enum):
    UNIT = "unit"
    GROUP = "group"
    COLLECTIVE = "collective"


class Unit(Frozen):
    id: str = Field(description="qualified id: 辖区/名称")
    name: str
    jurisdiction: str
    kind: UnitKind
    role: str | None = None
    aliases: tuple[str, ...] = ()
    members: tuple[str, ...] = Field((), description="unit ids of a group's or collective's named members")
    part_of: str | None = Field(None, description="the unit id this sub-unit belongs to")
    note: str | None = None
    span: Span


# ───────────── policies ─────────────


# The most numerous nodes (1k corpus: 54,000 unit references, 53,000 assignments) are slotted pydantic dataclasses,
# not models: validated, dumped and described in the JSON Schema as the models they were (same fields, same
# `additionalProperties: false`), 72 bytes each where a model and its `__dict__` were ~260. Every field is
# keyword-only through its `Field` (a dataclass-wide `kw_only` would list the fields with a `Field` first in the
# JSON Schema: pydantic sorts a dataclass's fields by their own `kw_only`).
_NODE = ConfigDict(extra="forbid", defer_build=True)


@dataclass(frozen=True, slots=True, config=_NODE)
class UnitRef:
    """A resolved mention of a unit, keeping the form officials wrote."""

    unit: str = Field(kw_only=True, description="unit id")
    written: str = Field(kw_only=True, description="exactly as written in the source, e.g. 区人力社保局（区就业人才中心、区社保中心）")
    subunits: tuple[UnitRef, ...] = Field(default=(), kw_only=True)
    others: bool = Field(default=False, kw_only=True, description="…其他成员单位: the group's members other than the task's responsible (lead or co-responsible) units")
    span: Span = Field(kw_only=True)

    def __post_init__(self) -> None:
        """One string per unit id and written form in the whole model (interned: a written form is a new string
        in every file that writes it)."""
        _set(self, "unit", sys.intern(self.unit))
        _set(self, "written", sys.intern(self.written))

    @classmethod
    def trusted(cls, *, unit: str, written: str, span: Span, subunits: tuple[UnitRef, ...] = (),
                others: bool = False) -> UnitRef:
        """A reference from values luoshi's own code built, with no validation (as `Frozen.trusted`)."""
        return unit_ref(unit, written, span, subunits, others)


class AssignmentRole(str, Enum):
    LEAD = "lead"
    CO_RESPONSIBLE = "co_responsible"
    COOPERATE = "cooperate"

    @property
    def zh(self) -> str:
        return {"lead": "牵头", "co_responsible": "负责", "cooperate": "配合"}[self.value]


@dataclass(frozen=True, slots=True, config=_NODE)
class Assignment:
    role: AssignmentRole = Field(kw_only=True)
    unit: UnitRef = Field(kw_only=True)
    inherited: bool = Field(default=False, kw_only=True, description="carried down from the enclosing task (a sub-task names no unit in this role)")
    inferred: bool = Field(default=False, kw_only=True, description="（据主送）: inferred from the addressees, the text naming no unit")

    @classmethod
    def trusted(cls, *, role: AssignmentRole, unit: UnitRef, inherited: bool = False,
                inferred: bool = False) -> Assignment:
        """An assignment from values luoshi's own code built, with no validation (as `Frozen.trusted`)."""
        return assignment(role, unit, inherited, inferred)

    @model_serializer(mode="wrap")
    def _without_unset(self, handler: SerializerFunctionWrapHandler) -> Any:
        """`inferred` came after the model was first published: written only when true (as `Sparse` does)."""
        out = handler(self)
        if isinstance(out, dict) and not out.get("inferred", True):
            del out["inferred"]
        return out


_set, _new = object.__setattr__, object.__new__
# the slots' own setters: a frozen dataclass refuses `setattr`, and `object.__setattr__` looks each slot up first
_ref_unit, _ref_written, _ref_subunits, _ref_others, _ref_span = (
    UnitRef.__dict__[name].__set__ for name in ("unit", "written", "subunits", "others", "span"))
_as_role, _as_unit, _as_inherited, _as_inferred = (
    Assignment.__dict__[name].__set__ for name in ("role", "unit", "inherited", "inferred"))


def unit_ref(unit: str, written: str, span: Span, subunits: tuple[UnitRef, ...] = (), others: bool = False) -> UnitRef:
    """`UnitRef.trusted`, positional: the resolver makes 2.7 references a task (540,000 at 10k files)."""
    node = _new(UnitRef)
    _ref_unit(node, sys.intern(unit))
    _ref_written(node, sys.intern(written))
    _ref_subunits(node, subunits)
    _ref_others(node, others)
    _ref_span(node, span)
    if CHECK_TRUSTED:
        _check_trusted(node, UnitRef(unit=unit, written=written, subunits=subunits, others=others, span=span))
    return node


def assignment(role: AssignmentRole, unit: UnitRef, inherited: bool = False, inferred: bool = False) -> Assignment:
    """`Assignment.trusted`, positional (as `unit_ref`)."""
    node = _new(Assignment)
    _as_role(node, role)
    _as_unit(node, unit)
    _as_inherited(node, inherited)
    _as_inferred(node, inferred)
    if CHECK_TRUSTED:
        _check_trusted(node, Assignment(role=role, unit=unit, inherited=inherited, inferred=inferred))
    return node


class Frequency(str, Enum):
    YEARLY = "yearly"
    HALF_YEARLY = "half_yearly"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"
    WEEKLY = "weekly"


class Quantity(Frozen):
    value: float
    unit: str | None = None
    text: str = Field(description="as written, e.g. 3个工作日")


def _kind_required(schema: dict[str, Any]) -> None:
    """`kind` has a default (each class knows its own) but is always written: the schema says it is there."""
    schema["required"] = ["kind", *schema.get("required", ())]


class _Deadline(Frozen):
    """What every deadline has: the wording, its label, its place. The kinds below add only what each has, so
    a reader `match`es on the class (or asks the methods here) and mypy refuses `end` read off an ongoing duty.
    `kind` names the class in corpus.json ("due", "period" …) and picks it back when the JSON is read."""

    model_config = ConfigDict(json_schema_extra=_kind_required)
    label: str | None = None
    written: str = Field(description="the deadline as written in the source")
    span: Span

    @property
    def due(self) -> dt.date | None:
        """The one day a one-off deadline falls due (a due date, a period's last day); None for the kinds that
        recur or never end, which have no single date to be late against."""
        return None

    @property
    def first_day(self) -> dt.date | None:
        """The first day the deadline names, if it names one (a period's start, 自…起, a window's start)."""
        return None

    @property
    def last_day(self) -> dt.date | None:
        """The last day the deadline names, if it names one (a due date, a period's end, a window's end)."""
        return None


class DueDeadline(_Deadline):
    """时限 2019年3月底前: done by a day."""

    kind: Literal["due"] = "due"
    end: dt.date = Field(description="the due date")

    @property
    def due(self) -> dt.date:
        return self.end

    @property
    def last_day(self) -> dt.date:
        return self.end


class PeriodDeadline(_Deadline):
    """时限 2019年4月至2019年8月底 · 2018—2020年: done within a period, so due by its last day."""

    kind: Literal["period"] = "period"
    start: dt.date
    end: dt.date = Field(description="the last day of the period")

    @property
    def due(self) -> dt.date:
        return self.end

    @property
    def first_day(self) -> dt.date:
        return self.start

    @property
    def last_day(self) -> dt.date:
        return self.end


class OngoingDeadline(_Deadline):
    """时限 持续 · 自2016年6月起: a standing duty, never done."""

    kind: Literal["ongoing"] = "ongoing"
    start: dt.date | None = Field(None, description="自…起: in force from this day")

    @property
    def first_day(self) -> dt.date | None:
        return self.start


class RecurringDeadline(_Deadline, Sparse):
    """时限 每半年1次 · 每月15日前 · 每年1次 2019年至2020年: done once (or `times` times) in every period."""

    SPARSE = ("day",)
    kind: Literal["recurring"] = "recurring"
    start: dt.date | None = Field(None, description="the first round starts: the window's start, or 自…起")
    end: dt.date | None = Field(None, description="the window's last day")
    frequency: Frequency
    times: int = Field(description="completions per period")
    day: int | None = Field(None, description="每月15日前: each round is due by this day of its month (else its last day)")

    @property
    def first_day(self) -> dt.date | None:
        return self.start

    @property
    def last_day(self) -> dt.date | None:
        return self.end


class EventLimitDeadline(_Deadline):
    """时限 从 "受理" 到 "办结" 不超过 3个工作日: each case, from one event to the next, within a limit."""

    kind: Literal["event_limit"] = "event_limit"
    from_event: str
    to_event: str | None = Field(None, description="None: 从 … 30日内, the limit counts from the event alone")
    limit: Quantity
    limit_days: int | None = Field(None, description="the limit in days (None for a limit in months or hours)")
    working_days: bool = Field(False, description="the limit counts Chinese working days")


# One class per kind, told apart by `kind` (pydantic reads the right class back from corpus.json).
Deadline: TypeAlias = Annotated[DueDeadline | PeriodDeadline | OngoingDeadline | RecurringDeadline | EventLimitDeadline,
                     Field(discriminator="kind")]


class Term(Frozen):
    quantity: Quantity
    months: float | None = Field(None, description="the duration in months, when it is one")
    at_most: bool = False
    label: str | None = None
    span: Span


class Comparator(str, Enum):
    GE = "ge"
    LE = "le"
    GT = "gt"
    LT = "lt"
    EQ = "eq"
    INCREASE = "increase"
    DECREASE = "decrease"


class TargetPeriod(Frozen):
    """The period a target holds over (期间: in each year of it) or sums over (累计: the total of it)."""

    start: dt.date
    end: dt.date
    cumulative: bool = Field(False, description="累计: the value is the period's total, not held in each year")
    written: str = Field(description="as written: “十四五”期间 · 2021—2025年")


class Target(Sparse):
    SPARSE = ("over", "shared")
    metric: str
    comparator: Comparator
    value: float
    unit: str | None = None
    written_comparator: str | None = None
    by: dt.date | None = None
    scope: tuple[UnitRef, ...] = ()
    per: str | None = None
    condition: str | None = None
    baseline: str | None = None
    note: str | None = None
    written: str
    span: Span
    over: TargetPeriod | None = Field(None, description="期间 / 累计: the period the target holds or sums over")
    shared: bool = Field(False, description="范围 … 合计: one figure for the scope's units together, not each's")



class GoalKind(str, Enum):
    """What a target with no number asks (the printed word says how much: 明显提升 asks more than 有提升)."""

    HOLD = "hold"  # 不减少 · 不下降 · 不降低: no worse than now
    IMPROVE = "improve"  # 有提升 · 明显提升
    FULL = "full"  # 全覆盖: every one covered


class Goal(Frozen):
    """A target with no number (「确保本市粮食种植面积不减少」): a duty to report on, never a figure to check — so
    it is kept apart from `Target` (whose comparator and value the compliance checks compute with)."""

    metric: str
    kind: GoalKind
    word: str = Field(description="as printed: 不减少 · 明显提升 · 全覆盖")
    by: dt.date | None = None
    over: TargetPeriod | None = None
    scope: tuple[UnitRef, ...] = ()
    shared: bool = Field(False, description="范围 … 合计: for the scope's units together")
    per: str | None = None
    condition: str | None = None
    baseline: str | None = None
    note: str | None = None
    written: str
    span: Span


class Verdict(str, Enum):
    """What a case rule suggests: always for a person to review (原则上 / 核实), never applied automatically."""

    CANCEL = "cancel"  # 建议取消
    TAPER = "taper"  # 渐退
    VERIFY = "verify"  # 需核实
    EVIDENCE = "evidence"  # 需补充证明


class CaseRule(Frozen):
    """A rule about individual cases (规则): a condition over case facts and what it suggests."""

    name: str
    condition: str = Field(description="the condition as written (luoshi/cases/expr.py)")
    verdict: Verdict
    label: str | None = Field(None, description="the words of the 原文 that state the outcome")
    span: Span


class TaskKey(NamedTuple):
    """A task's place: policy id and task id (`yfbf-2018-161:2.1`).

    A named pair, not a pydantic model: every task has one and every 落实 another (40,000 at 1,000 files), and a
    pydantic key with its `__dict__` was 264 bytes where this is 56; it hashes and compares in C (the lint rules
    key their dictionaries by it), and equals the plain `(policy, task)` pair. As a model field it reads, dumps
    and describes itself as the pydantic `TaskKey` did (`{"policy": …, "task": …}`)."""

    policy: str
    task: str

    def __str__(self) -> str:
        return f"{self.policy}:{self.task}"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        """A `TaskKey` as it is; a mapping (corpus.json read back) through `_TaskKeySchema`; dumped as a mapping."""
        return core_schema.no_info_wrap_validator_function(
            _task_key, handler.generate_schema(_TaskKeySchema),
            serialization=core_schema.plain_serializer_function_ser_schema(_task_key_dict))


# The validator and JSON Schema of a `TaskKey` field: the fields of the pydantic model TaskKey was (its schema
# definition is still called "TaskKey", with no additional properties).
_TaskKeySchema: type[Frozen] = create_model("TaskKey", __base__=Frozen, policy=(str, ...), task=(str, ...))


def _task_key(value: object, fields: core_schema.ValidatorFunctionWrapHandler) -> TaskKey:
    if type(value) is TaskKey:
        return value
    checked = fields(value).__dict__
    return TaskKey(checked["policy"], checked["task"])


def _task_key_dict(key: TaskKey) -> dict[str, str]:
    return {"policy": key.policy, "task": key.task}


class Waiver(Frozen):
    target: TaskKey | None = None
    document: str | None = None
    reason: str
    span: Span


class ItemKind(str, Enum):
    TASK = "task"
    CLAUSE = "clause"
    PHASE = "phase"


class Task(Sparse):
    """A task, clause or phase; sub-tasks are tasks whose `parent` is set."""
    SPARSE = ("goals",)

    key: TaskKey
    id: str
    kind: ItemKind
    title: str | None = None
    printed: str | None = Field(None, description="the number as the document prints it: 二（二）二是, or a table's 序号")
    text: str | None = None
    order: int = Field(description="document order within the policy")
    section: str | None = Field(None, description="id of the innermost enclosing section")
    parent: str | None = Field(None, description="id of the enclosing task, for sub-tasks")
    group: str | None = Field(None, description="the task group's title (a merged 重点任务 cell)")
    depth: int = 0
    assignments: tuple[Assignment, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    terms: tuple[Term, ...] = ()
    targets: tuple[Target, ...] = ()
    goals: tuple[Goal, ...] = Field((), description="targets with no number (不减少 · 有提升 · 全覆盖)")
    rules: tuple[CaseRule, ...] = Field((), description="case rules (规则) stated by this task's 原文")
    implements: tuple[TaskKey, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    cites: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    todos: tuple[str, ...] = Field((), description="open items (待定) still to resolve")
    span: Span



class Section(Frozen):
    id: str
    title: str
    order: int
    parent: str | None = None
    depth: int = 0
    text: str | None = None
    notes: tuple[str, ...] = ()
    todos: tuple[str, ...] = ()
    span: Span


class PolicyKind(str, Enum):
    POLICY = "policy"
    DOCUMENT = "document"


class Policy(Sparse):
    SPARSE = ("lead_rule",)
    id: str
    kind: PolicyKind
    number: str | None = Field(None, description="文号")
    title: str | None = None
    issuers: tuple[UnitRef, ...] = ()
    date: dt.date | None = None
    jurisdiction: str | None = None
    level: str | None = None
    addressees: tuple[UnitRef, ...] = ()
    cc: tuple[UnitRef, ...] = ()
    implements: tuple[str, ...] = Field((), description="ids of the parent policies or documents")
    cites: tuple[str, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    preamble: str | None = None
    notes: tuple[str, ...] = ()
    todos: tuple[str, ...] = ()
    sections: tuple[Section, ...] = ()
    tasks: tuple[Task, ...] = ()
    file: str
    span: Span
    lead_rule: str | None = Field(None, description="牵头规则 as declared: 首位 · 无 (None: not declared)")


    def task(self, task_id: str) -> Task | None:
        return next((t for t in self.tasks if t.id == task_id), None)


class Corpus(Frozen):
    schema_version: str = SCHEMA_VERSION
    policies: tuple[Policy, ...] = Field((), description="policies and external documents, sorted by id")
    jurisdictions: tuple[Jurisdiction, ...] = ()
    units: tuple[Unit, ...] = ()
    roles: tuple[Role, ...] = ()

    def policy(self, policy_id: str) -> Policy | None:
        return _by_id(self, "policies", Policy).get(policy_id)

    def unit(self, unit_id: str) -> Unit | None:
        return _by_id(self, "units", Unit).get(unit_id)


# Values derived from one corpus (lookup tables, indexes), computed once and kept beside the frozen model, so
# equality and dumps stay those of the fields; dropped with the corpus (a weakref finalizer), never stale.
_DERIVED: dict[tuple[int, str], object] = {}
_T = TypeVar("_T")
_Identified = TypeVar("_Identified", "Policy", "Unit")


def derived(corpus: Corpus, name: str, build: Callable[[Corpus], _T]) -> _T:
    """`build(corpus)`, computed once per corpus and `name` (callers must not mutate what they get): lookups that would otherwise scan the whole corpus per
    question (a scan per lookup made lint, the site and drafting quadratic in the number of policies)."""
    key = (id(corpus), name)
    try:
        return cast(_T, _DERIVED[key])  # what `build` made for this corpus and name
    except KeyError:
        pass
    found = _DERIVED[key] = build(corpus)
    weakref.finalize(corpus, _DERIVED.pop, key, None)  # before the corpus's id can be reused
    return found


def _by_id(corpus: Corpus, field: str, of: type[_Identified]) -> dict[str, _Identified]:
    """id → first policy / unit (`of`, the type of the field's items) with it."""
    def build(c: Corpus) -> dict[str, _Identified]:
        found: dict[str, _Identified] = {}
        for item in getattr(c, field):
            found.setdefault(item.id, item)
        return found

    return derived(corpus, f"by_id:{field}", build)


def corpus_json_schema() -> dict[str, Any]:
    schema = Corpus.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://luoshi.invalid/schema/corpus-v" + SCHEMA_VERSION + ".json"
    schema["title"] = "luoshi corpus model"
    return schema
