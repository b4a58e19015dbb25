"""Fuzzing luoshi: the harness (what a run may and may not end in) and the hypothesis strategies (arbitrary and
mutated DSL, CSV and xlsx). Used by tests/test_fuzz_*.py (bounded, in CI) and bench/fuzz_long.py (long runs)."""
