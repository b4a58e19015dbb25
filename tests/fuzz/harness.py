"""What a fuzzed input may end in: a result, or diagnostics that each say where the problem is. Anything else —
an exception escaping luoshi, a run over its time bound, a diagnostic without a place or with a place outside
the input — is a failure.

One harness for the bounded CI tests (tests/test_fuzz_*.py) and the long runs (bench/fuzz_long.py), so the
two check the same thing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import signal
import tempfile
import threading
from pathlib import Path

from luoshi import model
from luoshi.diagnostics.codes import CODES
from luoshi.diagnostics import Diagnostic
from luoshi.driver.pipeline import Compilation, compile_paths
from luoshi.driver.project import Project
from luoshi.diagnostics.render import render_human, render_json

ROOT = Path(__file__).resolve().parents[2]
POLICIES = ROOT / "policies"
COMPLY_FIXTURES = ROOT / "tests" / "fixtures" / "comply"
# Whole-run or whole-file problems that have no line to point at; their message names the file instead.
UNPLACED_DSL = {"LS105"}
UNPLACED_DATA = {"LS500", "LS501"}
# A file that could not be decoded or read is not among the sources; these point into its raw bytes.
RAW_DSL = {"LS102", "LS103"}


class Hang(Exception):
    """An input that ran past its time bound."""


@contextlib.contextmanager
def time_limit(seconds: float, wall_factor: float = 6.0):
    """Turn a hang into an exception: past `seconds` of this process's CPU time (SIGPROF), or past `wall_factor`
    times that on the clock (SIGALRM), for a run blocked without using the CPU. A CPU-time bound, because the
    suite runs on every core (pytest-xdist) beside other builds: a loaded machine stretches the clock, not the
    work, and a clock bound then failed inputs that were fine. Only in the main thread, where pytest and the bench
    run."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _raise(signum, frame):
        used = "CPU time" if signum == signal.SIGPROF else "on the clock"
        raise Hang(f"no result after {seconds if signum == signal.SIGPROF else seconds * wall_factor} s {used}")

    previous = {sig: signal.signal(sig, _raise) for sig in (signal.SIGPROF, signal.SIGALRM)}
    signal.setitimer(signal.ITIMER_PROF, seconds)
    signal.setitimer(signal.ITIMER_REAL, seconds * wall_factor)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def seed_files() -> list[Path]:
    """The seed corpus: every policy and registry file, in a stable order."""
    return sorted(p for p in POLICIES.rglob("*") if p.suffix in (".policy", ".units"))


def _lines(text: str) -> list[str]:
    """Lines as lark counts them (\\n only): the line numbers a span must fall in."""
    return text.split("\n")


def check_located(d: Diagnostic, texts: dict[str, str], unplaced: set[str], sources: dict | None = None) -> None:
    """A diagnostic must have a known code and point inside a file that was read, or name its file."""
    assert d.code in CODES, f"unknown code {d.code}"
    assert d.zh and d.en, f"{d.code} without a message"
    if d.span is None:
        assert d.code in unplaced, f"{d.code} has no location: {d.en}"
        return
    s = d.span
    if d.code in RAW_DSL and s.file not in texts:
        assert s.line >= 1 and s.column >= 1, f"{d.code} has a bad span {s}"
        return
    assert s.file in texts, f"{d.code} points at {s.file!r}, not a file that was read"
    lines = _lines(texts[s.file])
    assert 1 <= s.line <= len(lines) + 1, f"{d.code} at line {s.line} of a {len(lines)}-line file"
    assert s.column >= 1 and (s.end_line, s.end_column) >= (s.line, s.column), f"{d.code} has a bad span {s}"
    if sources is not None and s.line <= len(lines):  # the line shown under the message is the line meant
        assert sources[s.file].line(s.line) == lines[s.line - 1], f"{d.code}: line {s.line} shown is not line {s.line}"


# ───────────── the DSL: parse + AST + resolve, then the diagnostics as users see them ─────────────


class DslProject:
    """A scratch copy of the seed corpus: one file at a time is replaced by fuzzed bytes and compiled with the rest,
    as `luoshi check` compiles it (reading, decoding, parsing, resolving against the registry and other policies)."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="luoshi-fuzz-"))
        shutil.copytree(POLICIES, self.root / "policies", ignore=shutil.ignore_patterns(".*"))
        self.project = Project(self.root, self.root / "policies", self.root / "build")
        self.names = sorted(str(p.relative_to(self.root / "policies")) for p in (self.root / "policies").rglob("*")
                            if p.suffix in (".policy", ".units"))

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def compile(self, name: str, data: bytes, seconds: float = 10.0) -> Compilation:
        """Compile the corpus with `name` (a seed file, or a new one) holding `data`; the seed is put back after."""
        return self.compile_files({name: data}, seconds)

    def compile_files(self, files: dict[str, bytes], seconds: float = 10.0) -> Compilation:
        paths = {self.root / "policies" / name: data for name, data in files.items()}
        originals = {path: path.read_bytes() if path.exists() else None for path in paths}
        for path, data in paths.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        try:
            with time_limit(seconds):
                comp = compile_paths(None, self.project)
                check_compilation(comp)
            return comp
        finally:
            for path, original in originals.items():
                if original is None:
                    path.unlink()
                else:
                    path.write_bytes(original)


def check_compilation(comp: Compilation) -> None:
    texts = {name: source.text for name, source in comp.sources.items()}
    diags = list(comp.sink)
    for d in diags:
        check_located(d, texts, UNPLACED_DSL, comp.sources)
    render_human(diags, comp.sources, lang="both")
    render_json(diags, files=len(comp.sources))
    assert isinstance(comp.corpus, model.Corpus)
    assert comp.sink.has_errors() or all(p.file in texts for p in comp.corpus.policies)


def clean_backends(comp: Compilation) -> None:
    """What `luoshi build` runs on an error-free corpus: every backend (long runs only: seconds per call)."""
    from luoshi.artifacts import render_all

    if comp.sink.has_errors():
        return
    render_all(comp.corpus)


# ───────────── completion data: loaders, then the DuckDB engine ─────────────


AS_OF = dt.date(2022, 12, 31)


def _data_texts(tables, outcome_diags, source: str) -> None:
    for d in outcome_diags:
        assert d.code in CODES, f"unknown code {d.code}"
        if d.span is None:
            assert d.code in UNPLACED_DATA, f"{d.code} has no location: {d.en}"
            assert source in d.zh and source in d.en, f"{d.code} names no file: {d.en}"
            continue
        file = d.span.file
        assert file == source or file.startswith(source + "["), f"{d.code} points at {file!r}, not {source!r}"
        assert d.span.line >= 1 and d.span.column >= 1, f"{d.code} has a bad span {d.span}"


def check_data_file(path: Path, plan=None, seconds: float = 20.0):
    """Load one data file (and, given a compliance plan, check it in DuckDB). Returns (tables, outcome or None)."""
    from luoshi.comply.engine import run
    from luoshi.comply.loaders import load_tables
    from luoshi.diagnostics import Sink

    source = str(path)
    sink = Sink()
    with time_limit(seconds):
        tables = load_tables([path], sink)
        for table in tables:
            if table.parquet is None and table.spill is None:
                assert all(len(values) == len(table.rows) for values in table.data.values()), "ragged columns"
                assert table.rows == sorted(set(table.rows)) and all(r >= 2 for r in table.rows), "bad row numbers"
        _data_texts(tables, list(sink), source)
        outcome = None
        if plan is not None:
            outcome = run(plan, tables, AS_OF, sink)
            _data_texts(tables, outcome.diagnostics, source)
            assert outcome.rows_read <= sum(len(t) for t in tables if t.parquet is None)  # blank rows are dropped
            assert 0 <= outcome.rows_set_aside <= outcome.rows_read
    return tables, outcome


def import_one(folder: Path, corpus, case: tuple[str, bytes]) -> None:
    """`luoshi import` on one document: a draft that reads back as DSL, or a ReadError (LS6xx): nothing else."""
    from luoshi.importer import ReadError, import_path

    suffix, data = case
    path = folder / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        import_path(path, corpus)
    except ReadError as exc:
        assert exc.code.startswith("LS6"), exc.code


def cli_one(folder: Path, argv: list[str]) -> None:
    """`luoshi ARGS` in-process (typer's runner) in a copy of the project under `folder`, an output named by -o
    there too: it ends with an exit code, never with an exception other than SystemExit."""
    import os
    import shutil

    from typer.testing import CliRunner

    from luoshi.cli import app

    project = folder / "project"
    if not project.exists():
        shutil.copytree(POLICIES, project / "policies")
        (project / "pyproject.toml").write_text('[tool.luoshi]\npolicies = "policies"\n', encoding="utf-8")
    args = list(argv)
    for i, a in enumerate(args):
        if a in ("-o", "--output") and i + 1 < len(args):
            args[i + 1] = str(folder / "out")
    cwd = os.getcwd()
    os.chdir(project)  # (a command that writes a default file name writes it here)
    try:
        result = CliRunner().invoke(app, args, catch_exceptions=True)
    finally:
        os.chdir(cwd)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception


def check_date_cells(cells: list[str], con=None) -> int:
    """Every cell through the comply engine's date reading (`_DATE_TEXT`, `_DAY`, the year range) in one DuckDB
    query: never an exception (20190230 ended every run in a strptime error), and a date only where the cell,
    digits made ASCII, names that day. Returns how many cells were checked."""
    import duckdb

    from luoshi.comply.engine import _DATE_TEXT, _DAY
    from luoshi.semantics.dates import MAX_YEAR, MIN_YEAR

    con = con or duckdb.connect()
    rows = con.execute(f"""SELECT raw, CASE WHEN year(day) BETWEEN {MIN_YEAR} AND {MAX_YEAR} THEN day END FROM (
        SELECT raw, {_DAY} AS day FROM (SELECT raw, {_DATE_TEXT} AS d FROM (SELECT unnest($cells) AS raw)))""",
                       {"cells": cells}).fetchall()  # as `Engine._lookups` reads them (year 0 is no date of ours)
    assert len(rows) == len(cells)
    for raw, day in rows:
        if day is not None:
            digits = "".join(c for c in ascii_digits_of(raw) if c.isdigit())
            assert str(day.year) in digits and f"{day.month}" in digits, (raw, day)
    return len(cells)


def ascii_digits_of(text: str) -> str:
    import unicodedata

    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def check_names(names: list[str]) -> int:
    """File and page names made from unit names: one name per unit (never two units in one file), never a path
    separator, never `.` or `..`. Returns how many names were checked."""
    from luoshi.backends.wording import distinct_file_name
    from luoshi.site.paths import distinct_slug

    for make in (distinct_file_name, distinct_slug):
        made = [make(n) for n in names]
        assert len(set(made)) == len(made), [(n, m) for n, m in zip(names, made) if made.count(m) > 1][:3]
        assert not [m for m in made if "/" in m or "\\" in m or m in (".", "..")]
    return len(names)
