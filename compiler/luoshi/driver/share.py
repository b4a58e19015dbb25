"""One object per value in the resolved model: equal strings, task keys and dates shared across policies.

Resolving builds each policy's model from its own AST, so the unit id `璧山区/区民政局`, the policy id of every
`TaskKey`, a jurisdiction's name or a `written` form is a new string in every task that names it: on the 1k
corpus 216,000 strings of which 31,000 distinct (17 MB of copies), and 40,000 `TaskKey`s of which 20,000
distinct (bench/README.md, "Round 6"). The full run passes every resolved policy through one `Sharer`, which
replaces each such value by the first equal one it saw, starting with the registry's units. The model stays frozen and equal to what it was (only
equal values are swapped, in the instances' own `__dict__`, before any reader sees them); spans are left alone
(no two are equal).

Each model class is walked by its plan (`_plan`): only the fields whose declared type can hold a shared value (a
string, a task key, a date, a nested model or a tuple of them). Spans, numbers, flags and enums are never
looked at: on the 1k corpus that halves the values visited (bench/README.md, "Round 8").
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Iterable
from enum import Enum
from typing import cast

from pydantic import BaseModel

from .. import model
from ..syntax.source import Span

# Leaf types that never hold a shared value: a field whose declared type is made only of these (or
# enums, `str` ones included: the old walk kept them as they were too) is not walked.
_INERT: tuple[type, ...] = (type(None), int, float, bool, Span)


def _inert(annotation: object) -> bool:
    """Can no value of this declared type hold a string, task key, date or model? (`str | None` can; `int`,
    `Span`, an enum, `bool` cannot.)"""
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return all(_inert(a) for a in args)
    if origin is typing.Literal:
        return False  # a literal string: walked, as a str
    if not isinstance(annotation, type):
        return False
    return issubclass(annotation, Enum) or (issubclass(annotation, _INERT) and not issubclass(annotation, str))


_PLANS: dict[type[BaseModel], tuple[str, ...]] = {}


def _plan(cls: type[BaseModel]) -> tuple[str, ...]:
    """The names of `cls`'s fields that may hold a shared value, in declaration order (computed once a class)."""
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = tuple(name for name, info in cls.model_fields.items() if not _inert(info.annotation))
    return plan


class Sharer:
    """Equal values → one object, over every policy `share`d with the same instance (one compile)."""

    def __init__(self) -> None:
        self.strings: dict[str, str] = {}
        self.keys: dict[model.TaskKey, model.TaskKey] = {}
        self.dates: dict[dt.date, dt.date] = {}

    def share(self, policy: model.Policy) -> model.Policy:
        """`policy`, its nodes now holding the shared values (changed in place; returned for chaining)."""
        self._node(policy)
        return policy

    def share_registry(self, units: Iterable[model.Unit], jurisdictions: Iterable[model.Jurisdiction]) -> None:
        """The registry's units and jurisdictions (130,000 units at 10k, each repeating its jurisdiction's name):
        shared first, so the model's unit ids become the registry's own strings."""
        for node in (*jurisdictions, *units):
            self._node(node)

    def _node(self, node: BaseModel) -> None:
        d = node.__dict__
        for name in _PLANS.get(type(node)) or _plan(type(node)):
            value = d[name]
            if value is None:
                continue
            new = self._value(value)
            if new is not value:
                d[name] = new

    def _value(self, value: object) -> object:
        kind = type(value)  # exact types: a str Enum equals its value, and must stay an Enum
        if kind is str:
            text = cast(str, value)
            return self.strings.setdefault(text, text)
        if kind is tuple:
            old = cast(tuple[object, ...], value)
            changed: list[object] | None = None
            for i, item in enumerate(old):
                new = self._value(item)
                if new is not item:
                    if changed is None:
                        changed = list(old)
                    changed[i] = new
            return old if changed is None else tuple(changed)
        if kind is model.TaskKey:
            key = cast(model.TaskKey, value)
            found = self.keys.get(key)
            if found is None:
                policy, task = (self.strings.setdefault(key.policy, key.policy), self.strings.setdefault(key.task, key.task))
                shared = key if policy is key.policy and task is key.task else model.TaskKey(policy, task)
                found = self.keys[shared] = shared
            return found
        if kind is dt.date:
            day = cast(dt.date, value)
            return self.dates.setdefault(day, day)
        if isinstance(value, BaseModel):
            self._node(value)
        return value  # spans (all distinct, and not models), ints, floats, enums, None stay as they are
