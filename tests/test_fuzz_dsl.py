"""Fuzzing the parser and resolver: arbitrary text, token soup and the seed corpus mutated as hands and editors
damage files. Whatever the input, `luoshi check` ends in a model or in diagnostics that point inside the input —
never an exception, never past its time bound. Derandomized (the same examples on every run) and bounded to a few
seconds each; bench/fuzz_long.py runs the same harness for as long as one likes. Each example compiles the whole
seed corpus (~0.25 s): the token soup and arbitrary text run half the examples they ran (50, 30; nothing in
them to cover but more draws), the seed mutations keep theirs (fewer left seed files undrawn)"""

from __future__ import annotations

import pytest
from hypothesis import given

from fuzz import strategies as fs
from fuzz.harness import DslProject



@pytest.fixture(scope="module")
def project():
    p = DslProject()
    yield p
    p.close()


@fs.ci(120)
@given(case=fs.mutated_seed())
def test_mutated_seed_files_end_in_a_model_or_located_diagnostics(project, case):
    name, text = case
    project.compile(name, text.encode("utf-8", "surrogatepass"))


@fs.ci(40)
@given(data=fs.mutated_seed(max_edits=3).flatmap(lambda c: fs.as_bytes(c[1]).map(lambda b: (c[0], b))))
def test_mutated_seed_bytes_in_any_encoding(project, data):
    name, raw = data
    project.compile(name, raw)


@fs.ci(50)
@given(text=fs.token_soup())
def test_token_soup_in_a_new_policy_file(project, text):
    project.compile("fuzz.policy", text.encode("utf-8", "surrogatepass"))


@fs.ci(30)
@given(text=fs.arbitrary_text())
def test_arbitrary_text_as_a_registry_file(project, text):
    project.compile("units/fuzz.units", text.encode("utf-8", "surrogatepass"))


# ───────────── the bounds themselves (CPU time, not the clock: see fuzz/strategies.ci) ─────────────


def _spin(seconds: float) -> None:
    import time

    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_an_example_over_its_cpu_bound_fails(monkeypatch):
    import hypothesis.strategies as st

    monkeypatch.setattr(fs, "EXAMPLE_CPU_SECONDS", 0.05)

    @fs.ci(3)
    @given(st.just(0))
    def slow(_):
        _spin(0.2)

    with pytest.raises(AssertionError, match="s of CPU"):
        slow()

    @fs.ci(3)
    @given(st.just(0))
    def quick(_):
        _spin(0.01)

    quick()  # within the bound: passes


def test_a_hang_is_stopped_by_its_cpu_time_or_the_clock():
    import time

    from fuzz.harness import Hang, time_limit

    with pytest.raises(Hang, match="CPU time"):  # spinning: the CPU-time bound (the clock's far off, whatever the load)
        with time_limit(0.3, wall_factor=1000):
            _spin(5)
    with pytest.raises(Hang, match="on the clock"):  # blocked, using no CPU: the clock's bound
        with time_limit(5, wall_factor=0.05):
            time.sleep(5)
