"""The resolver builds the model without validation (`Frozen.trusted`, `UnitRef.trusted`, `Assignment.trusted`):
what it builds must be what validation would have made of the same values."""

from __future__ import annotations

import sys

import pytest

from luoshi import model
from luoshi.driver.pipeline import compile_paths
from luoshi.syntax.source import Span

SPAN = Span("a.policy", 1, 1, 1, 2)


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every trusted instance validated too, and compared (`model._check_trusted`); no cache, so resolve runs."""
    monkeypatch.setattr(model, "CHECK_TRUSTED", True)
    monkeypatch.setenv("LUOSHI_NO_CACHE", "1")


def test_the_seed_corpus_built_trusted_is_the_validated_one(in_root, checked) -> None:
    comp = compile_paths(None)
    tasks = [t for p in comp.corpus.policies for t in p.tasks]
    assert len(tasks) > 150
    # every kind the resolver builds is there to be compared
    kinds = {type(d) for t in tasks for d in t.deadlines} | {type(x) for t in tasks for x in (*t.targets, *t.terms, *t.goals, *t.waivers)}
    assert {model.DueDeadline, model.PeriodDeadline, model.OngoingDeadline, model.RecurringDeadline,
            model.Target, model.Term} <= kinds
    assert any(a.inherited for t in tasks for a in t.assignments)


def test_a_value_of_another_type_fails_the_check(checked) -> None:
    with pytest.raises(AssertionError, match="not the validated"):
        model.Section.trusted(id="1", title="甲", order=1, notes=["a list, not a tuple"], span=SPAN)
    with pytest.raises(AssertionError, match="not the validated"):
        model.Quantity.trusted(value=3, text="3个月")  # an int where validation makes 3.0


def test_a_name_that_is_no_field_is_refused() -> None:
    with pytest.raises(TypeError, match=r"unknown fields \['valu'\], missing \[\]"):
        model.Quantity.trusted(value=1.0, text="1", valu=2.0)  # as many names as fields, one of them wrong
    with pytest.raises(TypeError, match=r"unknown fields \['valu'\], missing \['text'\]"):
        model.Quantity.trusted(value=1.0, valu=2.0)
    with pytest.raises(TypeError, match=r"unknown fields \[\], missing \['text'\]"):
        model.Quantity.trusted(value=1.0)  # a required field missing


def test_a_trusted_task_has_the_layout_of_a_validated_one() -> None:
    values = {"key": model.TaskKey("a", "1"), "id": "1", "kind": model.ItemKind.TASK, "order": 1, "title": "甲",
              "span": SPAN}
    trusted, validated = model.Task.trusted(**values), model.Task(**values)
    assert trusted == validated and trusted.model_dump_json() == validated.model_dump_json()
    assert list(trusted.__dict__) == list(model.Task.model_fields)
    assert trusted.__pydantic_fields_set__ is validated.__pydantic_fields_set__  # one shared set per field set
    assert sys.getsizeof(trusted.__dict__) == sys.getsizeof(validated.__dict__) < 400  # key-sharing, as validated
    ref = model.UnitRef.trusted(unit="".join(["重庆市/", "市财政局"]), written="市财政局", span=SPAN)
    assert ref.unit is sys.intern("重庆市/市财政局")
    assert ref == model.UnitRef(unit="重庆市/市财政局", written="市财政局", span=SPAN)
