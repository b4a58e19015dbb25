"""Spans and task keys are compact values, not pydantic models (bench/README.md, "Round 7"), and unit references and
assignments slotted pydantic dataclasses ("Round 8"), yet a model field typed `Span`, `TaskKey`, `UnitRef` or
`Assignment` reads, dumps and describes them exactly as the pydantic models did: corpus.json and its JSON Schema
are unchanged."""

from __future__ import annotations

import copy
import json
import pickle
import sys

import pytest
from pydantic import TypeAdapter

from luoshi import model
from luoshi.syntax.source import Span

SPAN = Span(file="policies/a.policy", line=300, column=3, end_line=301, end_column=9)
AS_JSON = {"file": "policies/a.policy", "line": 300, "column": 3, "end_line": 301, "end_column": 9}
REF = TypeAdapter(model.UnitRef)


def test_a_span_is_a_small_immutable_value():
    assert SPAN == Span(**AS_JSON) and hash(SPAN) == hash(Span(**AS_JSON))
    assert SPAN != SPAN.replace(column=4) and SPAN.replace(column=4).column == 4 and SPAN.column == 3
    assert SPAN != tuple(AS_JSON.values())  # not a tuple, so nothing walking tuples descends into it
    assert str(SPAN) == "policies/a.policy:300:3"
    assert repr(SPAN) == "Span(file='policies/a.policy', line=300, column=3, end_line=301, end_column=9)"
    with pytest.raises(AttributeError):
        SPAN.line = 1  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del SPAN.file
    with pytest.raises(TypeError):
        SPAN.replace(row=1)
    assert not hasattr(SPAN, "__dict__") and sys.getsizeof(SPAN) <= 80
    assert pickle.loads(pickle.dumps(SPAN)) == SPAN and copy.deepcopy(SPAN) is SPAN


def test_a_span_field_dumps_and_reads_back_as_before():
    ref = model.UnitRef(unit="璧山区/区民政局", written="区民政局", span=SPAN)
    assert ref.span is SPAN  # taken as it is, not copied
    assert REF.dump_python(ref)["span"] == AS_JSON and json.loads(REF.dump_json(ref))["span"] == AS_JSON
    assert REF.validate_json(REF.dump_json(ref)) == ref
    back = REF.validate_python(REF.dump_python(ref))
    assert back == ref and type(back.span) is Span
    with pytest.raises(ValueError):
        REF.validate_python({**REF.dump_python(ref), "span": {**AS_JSON, "line": "three"}})
    with pytest.raises(ValueError):
        REF.validate_python({**REF.dump_python(ref), "span": {"file": "a"}})


def test_unit_references_and_assignments_are_slotted_and_frozen_and_dump_as_the_models_did():
    sub = model.UnitRef(unit="璧山区/区就业人才中心", written="区就业人才中心", span=SPAN)
    ref = model.UnitRef(unit="璧山区/区人力社保局", written="区人力社保局（区就业人才中心）", subunits=(sub,), span=SPAN)
    lead = model.Assignment(role=model.AssignmentRole.LEAD, unit=ref)
    for node in (ref, lead):
        assert not hasattr(node, "__dict__") and sys.getsizeof(node) <= 80
        assert pickle.loads(pickle.dumps(node)) == node and hash(pickle.loads(pickle.dumps(node))) == hash(node)
    with pytest.raises(AttributeError):
        ref.unit = "x"  # type: ignore[misc]
    with pytest.raises(ValueError):  # a model's `extra="forbid"`: an unknown field is refused
        REF.validate_python({**REF.dump_python(ref), "extra": 1})
    task = model.Task(key=model.TaskKey("p", "1"), id="1", kind=model.ItemKind.TASK, order=1, span=SPAN,
                      assignments=(lead, model.Assignment(role=model.AssignmentRole.COOPERATE, unit=sub, inferred=True)))
    dumped = json.loads(task.model_dump_json())["assignments"]
    assert dumped[0] == {"role": "lead", "unit": {"unit": "璧山区/区人力社保局", "written": "区人力社保局（区就业人才中心）",
                         "subunits": [{"unit": "璧山区/区就业人才中心", "written": "区就业人才中心", "subunits": [],
                                       "others": False, "span": AS_JSON}], "others": False, "span": AS_JSON},
                         "inherited": False}  # `inferred` written only when true, as before
    assert dumped[1]["inferred"] is True
    assert model.Task.model_validate_json(task.model_dump_json()) == task
    defs = model.corpus_json_schema()["$defs"]
    assert defs["Assignment"]["additionalProperties"] is False and defs["UnitRef"]["additionalProperties"] is False
    assert list(defs["Assignment"]["properties"]) == ["role", "unit", "inherited", "inferred"]
    assert defs["UnitRef"]["required"] == ["unit", "written", "span"]


def test_the_json_schema_still_describes_a_span_object():
    schema = model.corpus_json_schema()
    assert schema["$defs"]["Span"] == {
        "description": "A region of a source file: 1-based line and column, end inclusive-exclusive like lark's.",
        "properties": {"file": {"title": "File", "type": "string"}, "line": {"title": "Line", "type": "integer"},
                       "column": {"title": "Column", "type": "integer"},
                       "end_line": {"title": "End Line", "type": "integer"},
                       "end_column": {"title": "End Column", "type": "integer"}},
        "required": ["file", "line", "column", "end_line", "end_column"], "title": "Span", "type": "object"}
    assert schema["$defs"]["UnitRef"]["properties"]["span"] == {"$ref": "#/$defs/Span"}
    assert schema["$defs"]["Task"]["properties"]["span"] == {"$ref": "#/$defs/Span"}


def test_a_task_key_is_a_named_pair_that_dumps_as_before():
    key = model.TaskKey(policy="yfbf-2018-161", task="2.1")
    assert key == ("yfbf-2018-161", "2.1") and {key: 1}[("yfbf-2018-161", "2.1")] == 1  # hashed and compared in C
    assert str(key) == "yfbf-2018-161:2.1" and repr(key) == "TaskKey(policy='yfbf-2018-161', task='2.1')"
    waiver = model.Waiver(target=key, reason="r", span=SPAN)
    assert waiver.target is key
    assert waiver.model_dump()["target"] == {"policy": "yfbf-2018-161", "task": "2.1"}
    back = model.Waiver.model_validate_json(waiver.model_dump_json())
    assert back == waiver and type(back.target) is model.TaskKey
    with pytest.raises(ValueError):  # a plain pair is not a key in corpus.json, nor an object with other fields
        model.Waiver.model_validate({**waiver.model_dump(), "target": ["yfbf-2018-161", "2.1"]})
    with pytest.raises(ValueError):
        model.Waiver.model_validate({**waiver.model_dump(), "target": {"policy": "p", "task": "1", "x": 1}})
    schema = model.corpus_json_schema()["$defs"]
    assert schema["TaskKey"] == {"additionalProperties": False, "properties": {
        "policy": {"title": "Policy", "type": "string"}, "task": {"title": "Task", "type": "string"}},
        "required": ["policy", "task"], "title": "TaskKey", "type": "object"}
    assert schema["Task"]["properties"]["key"] == {"$ref": "#/$defs/TaskKey"}
