"""The full run's memory cuts change nothing it finds: ASTs kept pickled between stages (`pipeline.Packed`) and
equal values shared across the model (`driver/share.Sharer`) give the model and diagnostics of the run that keeps
every AST and shares nothing; and the sharing is real (one object per value)."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

from luoshi import model
from luoshi.driver import pipeline
from luoshi.driver.share import Sharer
from luoshi.syntax.astcache import AstCache


def _stages(root: Path, keep_asts: bool) -> pipeline.Stages:
    files = pipeline.source_files(root / "policies")
    return pipeline.run_stages([p.resolve() for p in files], {}, AstCache(None), keep_asts=keep_asts)


def _walk(node: object) -> list[object]:
    out, todo = [], [node]
    while todo:
        n = todo.pop()
        out.append(n)
        if isinstance(n, model.BaseModel):
            todo.extend(n.__dict__.values())
        elif dataclasses.is_dataclass(n):  # the slotted nodes: unit references, assignments
            todo.extend(getattr(n, f.name) for f in dataclasses.fields(n))
        elif isinstance(n, tuple):
            todo.extend(n)
    return out


def test_packed_asts_give_the_kept_run_s_model_and_diagnostics(in_root):
    kept, packed = _stages(in_root, True), _stages(in_root, False)
    assert isinstance(packed.units, pipeline.Packed) and not isinstance(kept.units, pipeline.Packed)
    assert kept.corpus.model_dump_json() == packed.corpus.model_dump_json()
    assert [d.model_dump() for d in kept.sink()] == [d.model_dump() for d in packed.sink()]
    assert list(kept.units) == list(packed.units)
    shown = next(s for s in kept.units if s.endswith("yyfbf-2019-22.policy"))
    assert packed.units[shown] == kept.units[shown]  # unpickled on demand, equal to the kept AST
    assert packed.units[shown] is not packed.units[shown]


def test_shared_values_are_one_object_each(in_root):
    corpus = _stages(in_root, False).corpus
    nodes = _walk(corpus.policies) + _walk(corpus.units)
    keys = [n for n in nodes if type(n) is model.TaskKey]
    strings = [v for n in nodes if isinstance(n, model.BaseModel) for v in n.__dict__.values() if type(v) is str]
    refs = [n for n in nodes if type(n) is model.UnitRef]
    assert len(refs) > 400 and all(r.unit is sys.intern(r.unit) and r.written is sys.intern(r.written) for r in refs)
    assert len(keys) > len({(k.policy, k.task) for k in keys}) > 100  # repeated keys, on the seed corpus
    assert len({id(k) for k in keys}) == len({(k.policy, k.task) for k in keys})
    assert len(strings) > 2 * len(set(strings)) and len({id(s) for s in strings}) == len(set(strings))


def test_sharing_keeps_enums_and_equality():
    span = pipeline.Span(file="f", line=1, column=1, end_line=1, end_column=2)

    def make() -> model.Task:  # each string built anew, as each file's resolve builds its own
        ref = model.UnitRef(unit="".join(["璧山区/", "区民政局"]), written="".join(["区", "民政局"]), span=span)
        return model.Task(key=model.TaskKey("".join(["p", "1"]), "1"), id="1", kind=model.ItemKind.TASK, order=1,
                          assignments=(model.Assignment(role=model.AssignmentRole.LEAD, unit=ref),), span=span)

    sharer = Sharer()
    sharer._node(model.Role(id="task", span=span))  # a plain "task" first: equal to the Enum
    first, second = make(), make()
    sharer._node(first)
    sharer._node(second)
    assert first == second and second.kind is model.ItemKind.TASK
    assert second.assignments[0].role is model.AssignmentRole.LEAD
    assert second.key is first.key and second.key.policy is first.key.policy
    a, b = first.assignments[0].unit, second.assignments[0].unit  # interned as they are built
    assert b.unit is a.unit and b.written is a.written


