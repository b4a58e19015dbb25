"""The embedded engine: completion data and compiled checks as DuckDB tables, every check evaluated in SQL.

1. `raw`: each file is read once and grouped (DuckDB, both cores) to one row per combination of its cells, with how
   many rows of the file have it and the first and last of their row numbers. The date only splits a group where a
   row needs its own date: a done status, a metric, a case, or a date that is missing or not a date. Every other
   row (the monthly "in progress" reports that make up most of the data) is grouped without its date, which is
   kept as the first and last day (and row) on or before the as-of date and the count after it, all a check reads
   of such a row. A small lookup of each file's distinct dates, statuses and policies, read before the big scan,
   tells the scan which rows those are; another, of each text column's distinct values with their hashes, lets
   the scan group a text cell on its hash and look its text up per group (`Engine._group`). Only whether a row has a note matters, and only for a row whose policy is
   blank (only such a row can be blank throughout), so ten million numbered notes neither split groups nor are
   read in full. Cells are then cleaned in SQL (trimmed; the apostrophe `office.csv_safe` puts before = + - @
   removed) once per distinct value of each column. The 1k benchmark's ten million rows are 0.4 million groups,
   the seed benchmark's a few thousand; everything after this scan works on the groups, and the data file itself
   is never copied (Parquet is read where it lies).
2. Names: each distinct policy, task, unit, scope, status, metric and event value is matched once against the
   plan's catalogue (a handful of values, however many rows), and joined back; dates and numbers are parsed in
   SQL (2019-03-31, 2019/3/31, 2019年3月31日, 20190331; 42, 42%, 0.42, ４２％).
3. `problems`: one row per bad cell of a group (with its count); a row with any problem is set aside, the
   others become `reports` (status and metric rows) and `events` (case rows of working-day limits). Only the
   bad cells shown one by one (the first DETAIL_LIMIT) need their row numbers: a second scan finds them.
4. Evaluation: joins and aggregations of `checks` (and `periods`, `calendar`) with `reports` and `events`;
   a count is a sum of counts (done, metric and case rows are grouped by their date), the earliest report of a
   group its first day and row on or before the as-of date (`fd`, `fr`), the latest its last (`ld`, `lr`).
   Python only words the results.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from dataclasses import field as _field
from typing import Any

import duckdb

from ..diagnostics import Diagnostic, Sink
from ..driver import perf
from ..semantics.dates import MAX_YEAR, MIN_YEAR
from ..syntax.source import Span
from . import workdays
from .loaders import FIELDS, Column, RawTable, is_fraction_column, spare_connection
from .messages import no_members, not_issued, problem_message, result_for
from .outcome import CheckResult, Outcome
from .periods import periods
from .plan import CheckKind, Plan, TaskEntry, fold_key, fold_number
from .refs import TaskIndex
from .relative import RELATIVE, achieved
from .scope import Scope
from .values import read_value
from .vocabulary import STATUS_WORDS, status_words  # noqa: F401 — STATUS_WORDS is read from here by the checklist

DETAIL_LIMIT = 1000  # bad cells listed one by one; the rest are counted by code
_STATUS = status_words()
COL = {f: ("case_id" if f == "case" else f) for f in FIELDS}
# A result row by column name, as DuckDB returns it: the values' types are the query's.
_Row = dict[str, Any]
_BLANKS = " \t\r\n\u3000"
# (a fill-in template's target rows name their metric and place already: still unfilled without a value or date)
_UNFILLED = ("NOT coarse AND coalesce(status, date, value, baseline, change, note, case_id, event) IS NULL "
             "AND policy IS NOT NULL AND task IS NOT NULL AND unit IS NOT NULL")
_CELLS = ", ".join(f"c_{COL[f]}" for f in FIELDS)  # each cell as text, in `cells` and `raw`
_KEYS = tuple(f for f in FIELDS if f not in ("date", "note"))  # the cells that always split a group
_EPOCH = "DATE '1900-01-01'"
_LISTED_CELLS = 100_000  # `Engine.table`: the tables of a run go in as lists up to this many cells in all (~0.05 s)
COLUMN_HASH = "hash({})"  # what `Engine._group` groups a text cell on (a test swaps in one that collides)
_SHIFT = 1 << 40  # a day and a row number in one BIGINT, (day - _EPOCH) × _SHIFT + row: min and max order by both
# Parquet types grouped as they are: their text is one text per value (a DOUBLE, say, is cast to text row by row,
# as it always was, so that two values with one text, or one value with two, cannot make a difference)
_AS_TYPED = {"VARCHAR", "DATE", "TIMESTAMP", "BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
             "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT"}


def _clean(expr: str) -> str:
    """A cell as text: trimmed, empty → NULL, without the apostrophe that defuses = + - @ in CSV."""
    undefused = f"CASE WHEN regexp_matches({expr}, '^''[-=+@\t\r]') THEN {expr}[2:] ELSE {expr} END"
    return f"nullif(trim({undefused}, '{_BLANKS}'), '')"


# a month (2019-12, 2019年12月) is its last day: a report of "done in December" cannot be shown to be earlier
_DAY = """CASE WHEN regexp_full_match(d, '\\d{8}') THEN try_strptime(d, '%Y%m%d')::DATE
               WHEN regexp_full_match(d, '\\d{4}-\\d{1,2}-\\d{1,2}') THEN try_strptime(d, '%Y-%m-%d')::DATE
               WHEN regexp_full_match(rtrim(d, '-'), '\\d{4}-\\d{1,2}') THEN last_day(try_strptime(rtrim(d, '-') || '-1', '%Y-%m-%d'))::DATE END"""
_DATE_TEXT = """regexp_replace(regexp_replace(regexp_replace(
        translate(raw, '０１２３４５６７８９／．－', '0123456789/.-'),
        '\\s*[T ]([01]?\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d+)?)?$', ''), '\\s*[年月/.]\\s*', '-', 'g'), '日$', '')"""
_VALUE_TEXT = "replace(replace(translate(value, '０１２３４５６７８９．％，－＋', '0123456789.%,-+'), ',', ''), ' ', '')"


def _literal(text: str) -> str:
    """`text` as a SQL string literal (quotes doubled; only printable text is written this way)."""
    return "'" + text.replace("'", "''") + "'"


def _note_key(expr: str) -> str:
    """The note is never checked, only whether the row has one: a constant stands for any note that cleans to
    text, so ten million numbered notes do not make ten million groups (a note that is only white space or
    a defusing apostrophe is kept as written: cleaning decides)."""
    return f"CASE WHEN trim({expr}, '{_BLANKS}') IN ('', '''') THEN {expr} WHEN {expr} IS NOT NULL THEN 'x' END"


@dataclass
class _Source:
    """Where one table's rows come from, as SQL: the relation, its row number and each field's cell as the file
    types it (Parquet: DATE, DOUBLE …; CSV and xlsx: text). Cells are grouped as they are, cast to text per group."""

    tid: int
    src: str
    relation: str
    params: dict[str, object]
    row: str
    cells: dict[str, str]
    blank_policy: bool = True  # whether a row's policy can be blank (set by `Engine._lookups`)
    day: str = "d.day"  # a row's date parsed: `dates_T` joined, or, for a DATE column, the date itself (`_lookups`)
    done: str = "st.k IS NOT NULL"  # whether a row's status means done: `done_T` joined, or its few texts (`_lookups`)
    text_columns: list[str] = _field(default_factory=list)  # the text columns with a `texts_T_C` lookup (`Engine._texts`)
    hashed: list[str] | None = None  # the columns grouped on their hashes; None: on their texts (`Engine._texts`)
    constant: list[str] = _field(default_factory=list)  # the text columns with one value in every row (`Engine._texts`)

    def select(self) -> str:
        return (f"SELECT {self.row} AS r, " + ", ".join(f"{self.cells.get(f, 'NULL::VARCHAR')} AS k_{COL[f]}" for f in FIELDS)
                + f" FROM {self.relation}")

    def rows(self) -> str:
        """Each row with what decides its group: `day` (its date, parsed), `fine` (the row needs its own date: a
        done status, a metric, a case, or no valid date) and `nk` (whether it has a note, only where the policy is
        blank: no other row can be blank throughout)."""
        t = self.tid
        nk = (f"CASE WHEN s.k_policy IS NULL OR s.k_policy IN (SELECT k FROM blank_{t} WHERE k IS NOT NULL) "
              f"THEN {_note_key('CAST(s.k_note AS VARCHAR)')} END" if self.blank_policy else "NULL::VARCHAR")
        joins = (f" LEFT JOIN dates_{t} d ON s.k_date = d.k" if self.day == "d.day" else "") + (
            f" LEFT JOIN done_{t} st ON s.k_status = st.k" if self.done.startswith("st.") else "")
        return f"""SELECT s.*, {self.day} AS day,
                   ({self.day} IS NULL OR s.k_metric IS NOT NULL OR s.k_case_id IS NOT NULL OR {self.done}) AS fine, {nk} AS nk
            FROM ({self.select()}) s{joins}"""

    def texts(self) -> str:
        """Each row's row number and cells as text, as they are in `cells` (for finding the rows of a group)."""
        cells = ", ".join(f"CAST(k_{COL[f]} AS VARCHAR) AS c_{COL[f]}" for f in _KEYS)
        return (f"SELECT r, {cells}, NOT fine AS coarse, CAST(CASE WHEN fine THEN k_date END AS VARCHAR) AS c_date, "
                f"nk AS c_note FROM ({self.rows()})")


class Engine:
    """One run: an in-memory DuckDB database holding the plan, the data and the results."""

    def __init__(self, plan: Plan, as_of: dt.date, scope: Scope | None = None, statuses: dict[str, str] | None = None,
                 unit_names: dict[str, str] | None = None):
        self.plan, self.as_of, self.scope = (scope.limit(plan) if scope else plan), as_of, scope
        self.statuses = statuses or _STATUS  # folded status word → code (`vocabulary.status_words`)
        self.unit_names = unit_names or {}  # a project's names for units, folded → the registered name, folded
        self.outside = 0  # data rows about policies or units outside the scope (`_outside_scope`)
        self.fanned: list[tuple[str, str, str, str, list[str]]] = []  # (policy, task cell, group, unit, sub-tasks): rows at a group (`_narrow`)
        self.listed = 0  # cells put into tables as lists (`table`)
        self.con = spare_connection() or duckdb.connect()  # the database `loaders.read_parquet` opened, if unused
        self.con.execute("SET enable_progress_bar = false")  # a long scan drew a bar into the report on stdout
        if os.environ.get("LUOSHI_JOBS") == "1":  # one core, as for parsing (DuckDB uses every core by default)
            self.con.execute("SET threads = 1")
        self.columns: dict[str, dict[str, Column]] = {}
        self.sources: list[_Source] = []
        self._set_aside: dict[str, int] = {}  # table → how many problems had been found when it was made
        self.con.execute("CREATE TABLE cells (tid INTEGER, src VARCHAR, " + ", ".join(f"c_{COL[f]} VARCHAR" for f in FIELDS)
                         + ", coarse BOOLEAN, n BIGINT, lo BIGINT, hi BIGINT, day DATE, n_after BIGINT, f BIGINT, l BIGINT)")
        self._checks_table()

    # ───────────── tables from Python ─────────────

    def table(self, name: str, schema: dict[str, str], rows: Sequence[tuple[object, ...]]) -> None:
        """Create `name` with `schema` and fill it from Python rows, a column at a time, not row by row: as lists
        unnested in SQL while the run's tables are small (the seed corpus's: ~1,500 rows in all), else through NumPy
        columns: ~8× faster per cell, but its import costs ~0.07 s of CPU, more than a small corpus's tables do."""
        self.con.execute(f"CREATE OR REPLACE TABLE {name} (" + ", ".join(f"{c} {t}" for c, t in schema.items()) + ")")
        if not rows:
            return
        cells = len(rows) * len(schema)
        if self.listed + cells <= _LISTED_CELLS and "numpy" not in sys.modules:
            self.listed += cells
            lists = {f"c{i}": [r[i] for r in rows] for i in range(len(schema))}
            self.con.execute(f"INSERT INTO {name} SELECT " + ", ".join(f"CAST(unnest($c{i}) AS {t})" for i, t in enumerate(schema.values())),
                             lists)
            return
        import numpy as np

        columns = {c: np.asarray([r[i] for r in rows], dtype=object) for i, c in enumerate(schema)}
        self.con.register("incoming", columns)
        self.con.execute(f"INSERT INTO {name} SELECT " + ", ".join(f"CAST({c} AS {t})" for c, t in schema.items()) + " FROM incoming")
        self.con.unregister("incoming")

    def _checks_table(self) -> None:
        schema = {"id": "VARCHAR", "kind": "VARCHAR", "policy": "VARCHAR", "task": "VARCHAR", "unit": "VARCHAR",
                  "due": "DATE", "times": "INTEGER", "metric": "VARCHAR", "comparator": "VARCHAR", "threshold": "DOUBLE",
                  "percent": "BOOLEAN", "target_unit": "VARCHAR", "by_date": "DATE", "scope": "VARCHAR", "limit_days": "INTEGER",
                  "working": "BOOLEAN"}
        self.table("checks", schema, [
            (c.id, c.kind.value, c.policy, c.task, c.unit, c.due, c.times, c.metric, c.comparator, c.threshold,
             c.target_unit == "%", c.target_unit, c.by, c.scope, c.limit_days, c.working_days) for c in self.plan.checks])
        # who may report for a check: its unit, and for a member of a collective (青龙街道 of 各乡镇（街道）) also the
        # collective in its own name (a report of 各乡镇（街道） speaks for each member)
        self.table("duty", {"id": "VARCHAR", "unit": "VARCHAR"},
                   [(c.id, c.unit) for c in self.plan.checks] + [(c.id, c.collective) for c in self.plan.checks if c.collective])

    # ───────────── 1. loading ─────────────

    def load(self, tables: list[RawTable]) -> None:
        """Per table: its distinct dates, statuses and policies (`_lookups`), then one aggregating scan into `cells`
        (`_group`); then `raw`: the groups with their cells cleaned, numbered `kid`."""
        for tid, t in enumerate(tables):
            self.columns[t.source] = t.columns
            if t.parquet is not None:
                types = {name: kind for name, kind, *_ in
                         self.con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(t.parquet)]).fetchall()}
                source = _Source(tid, t.source, "read_parquet($path, file_row_number = true)", {"path": str(t.parquet)},
                                 "file_row_number + 1", {f: f'"{c.header}"' if types.get(c.header) in _AS_TYPED
                                                         else f'CAST("{c.header}" AS VARCHAR)' for f, c in t.columns.items()})
            elif t.spill is not None:  # a CSV, read by DuckDB from its numbered UTF-8 copy (loaders.Spill)
                source = _Source(tid, t.source, t.spill.relation(), {"path": str(t.spill.path)}, "r",
                                 {f: f"f_{f}" for f in t.spill.fields})
            else:
                import numpy as np

                incoming = {"row": np.asarray(t.rows, dtype=np.int64)}
                incoming |= {COL[f]: np.asarray(t.data[f], dtype=object) for f in FIELDS if f in t.data}
                self.con.register(f"incoming_{tid}", incoming)  # stays registered for the second scan (`_bad_rows`)
                source = _Source(tid, t.source, f"incoming_{tid}", {}, "row", {f: f"CAST({COL[f]} AS VARCHAR)" for f in t.data})
            self.sources.append(source)
            self._lookups(source)
            self._group(source)
        cleaned, joins = [], []
        # each column's distinct values cleaned once; the columns where cleaning changes a value are found in one query
        # (a table a column cost 13 queries for what is usually none), and only theirs are made and joined back
        distinct = " UNION ALL ".join(f"SELECT {i} AS c, k FROM (SELECT DISTINCT c_{COL[f]} AS k FROM cells WHERE c_{COL[f]} IS NOT NULL)"
                                      for i, f in enumerate(FIELDS))
        changed = {FIELDS[i] for (i,) in self.con.execute(f"SELECT DISTINCT c FROM ({distinct}) WHERE {_clean('k')} IS DISTINCT FROM k")
                   .fetchall()}
        for f in FIELDS:
            c = COL[f]
            if f in changed:
                self.con.execute(f"CREATE TABLE clean_{c} AS SELECT k, {_clean('k')} AS v FROM (SELECT DISTINCT c_{c} AS k FROM cells "
                                 f"WHERE c_{c} IS NOT NULL)")
                cleaned.append(f"clean_{c}.v AS {c}")
                joins.append(f"LEFT JOIN clean_{c} ON c.c_{c} = clean_{c}.k")
            else:
                cleaned.append(f"c.c_{c} AS {c}")
        # `kid` numbers the groups in file and row order (a group's first row is its own); a group kept without its
        # date has a valid one, so only groups with their dates can be blank throughout. Without a cell to clean (the
        # usual case) `raw` is a view of `cells`, which no step changes once loaded.
        kind = "TABLE" if joins else "VIEW"
        self.con.execute(f"CREATE {kind} raw_all AS SELECT * FROM (SELECT c.tid * {_SHIFT} + c.lo AS kid, c.*, " + ", ".join(cleaned)
                         + " FROM cells c " + " ".join(joins) + ") WHERE coarse OR coalesce(" + ", ".join(COL[f] for f in FIELDS)
                         + ") IS NOT NULL")
        # a line of a checklist sheet the unit left empty (only its policy, task and unit): not a report, not an error
        self.con.execute(f"CREATE VIEW raw AS SELECT * FROM raw_all WHERE NOT ({_UNFILLED})")

    def unfilled(self) -> list[tuple[str, int, int]]:
        """(file, rows, first row) of the lines that name only a policy, task and unit: counted, never set aside."""
        return self.con.execute(f"SELECT src, sum(n), min(lo) FROM raw_all WHERE {_UNFILLED} GROUP BY src ORDER BY src").fetchall()

    def _lookups(self, source: _Source) -> None:
        """What the scan needs to know of a table's values before it reads its rows, each from the distinct values of
        one column (a few hundred, however many rows): `texts_T_C` each text column's values with their hashes
        (`_texts`), `dates_T` each date parsed (2019-03-31, 2019/3/31, 2019年3月31日, 20190331), `done_T` the
        statuses that mean done, `blank_T` the policies that clean to nothing. The status and policy lookups are
        taken from `texts_T_C` where the column is text (each `SELECT DISTINCT` of a column reads it in full)."""
        t, rel, params = source.tid, f"({source.select()})", source.params
        types = dict(self.con.execute(f"SELECT column_name, column_type FROM (DESCRIBE {source.select()})", params).fetchall())
        source.hashed = self._texts(source, types)

        def distinct(key: str) -> str:  # a column's distinct values (NULL among them) as `k`
            return (f"(SELECT k FROM texts_{t}_{key})" if key in source.text_columns else f"(SELECT DISTINCT {key} AS k FROM {rel})")

        def execute(sql: str, key: str) -> None:  # with the source's parameters where `distinct(key)` reads the source
            self.con.execute(sql, None if key in source.text_columns else params)

        # Ten million rows need not each be joined to these lookups (~0.15 s at 10M rows): a DATE column's date is
        # itself (what `dates_T` makes of its text: in the years luoshi reads, else none), and a text status is done
        # when it is one of the few texts of `done_T`, written into the query as literals.
        if types.get("k_date") == "DATE":
            source.day = f"CASE WHEN s.k_date BETWEEN DATE '{MIN_YEAR:04d}-01-01' AND DATE '{MAX_YEAR:04d}-12-31' THEN s.k_date END"
        else:
            self.con.execute(f"""CREATE TABLE dates_{t} AS
                SELECT k, CASE WHEN year(day) BETWEEN {MIN_YEAR} AND {MAX_YEAR} THEN day END AS day
                FROM (SELECT k, {_DAY} AS day FROM (SELECT k, {_DATE_TEXT} AS d FROM (
                    SELECT k, {_clean('CAST(k AS VARCHAR)')} AS raw
                    FROM (SELECT DISTINCT k_date AS k FROM {rel} WHERE k_date IS NOT NULL))))""", params)
        execute(f"CREATE TABLE statuses_{t} AS SELECT k, {_clean('CAST(k AS VARCHAR)')} AS v "
                f"FROM {distinct('k_status')} WHERE k IS NOT NULL", "k_status")
        done = [v for (v,) in self.con.execute(f"SELECT DISTINCT v FROM statuses_{t} WHERE v IS NOT NULL").fetchall()
                if self.statuses.get(fold_key(v).lower()) == "done"]
        self.con.execute(f"CREATE TABLE done_{t} AS SELECT k FROM statuses_{t} WHERE list_contains($done, v)", {"done": done})
        # (the distinct values first: DuckDB would otherwise push the cleaning down onto every row)
        execute(f"CREATE TABLE blank_{t} AS SELECT k FROM {distinct('k_policy')} WHERE {_clean('CAST(k AS VARCHAR)')} IS NULL", "k_policy")
        source.blank_policy = self._number(f"SELECT count(*) FROM blank_{t}") > 0
        keys = [k for (k,) in self.con.execute(f"SELECT k FROM done_{t} ORDER BY k").fetchall()]
        if types.get("k_status") == "VARCHAR" and len(keys) <= 64 and all(k.isprintable() for k in keys):
            source.done = f"coalesce(s.k_status IN ({', '.join(_literal(k) for k in keys)}), false)" if keys else "false"

    def _group(self, source: _Source) -> None:
        """The aggregating scan, rows → groups of equal cells (`kdate`: the date where the row needs it, else NULL).
        Cells are grouped as the file types them and cast to text per group (`_AS_TYPED`: one text per value).

        A hash group-by on ten text cells spends its time comparing each row's texts with its group's (~75 % of the
        scan, `EXPLAIN ANALYZE`), and carrying texts through an aggregate costs as much. So a text column is grouped
        on the 64-bit hash of its cell (`COLUMN_HASH`), and each group's texts are looked up afterwards from the
        column's distinct values (`_texts`: cheap, DuckDB reads a Parquet dictionary once per row group). Exact: the
        lookup shows whether two distinct texts of a column share a hash, and if any do the table is grouped on the
        texts themselves. Typed cells (dates, numbers) are grouped as they are. A field the table has no column for
        is NULL in every row: it is left out of the grouping and put back as NULL; so is a text column whose lookup
        holds one value (at 1k the file's 范围, 案件 and 事件 are NULL throughout: 12 keys → 9, the grouping ~7 % less
        CPU), taken back from its lookup, and the note key where no policy is blank (then it is NULL in every row)."""
        t = source.tid
        constant = {k: f"t_{k}.k" for k in source.constant} | ({} if source.blank_policy else {"nk": "NULL::VARCHAR"})
        every = [f"k_{COL[f]}" for f in _KEYS if f in source.cells] + ["kdate", "nk"]
        keys = [k for k in every if k not in constant]
        encoded = f"(day - {_EPOCH}) * {_SHIFT} + r"
        rows = f"SELECT *, CASE WHEN fine THEN k_date END AS kdate FROM ({source.rows()})"
        # (CASE inside the aggregate rather than FILTER: the same values, ~0.03 s less CPU at 10M rows, bench/README.md)
        aggregates = f"""count(*) AS n, min(r) AS lo, max(r) AS hi,
                         CASE WHEN fine THEN min(day) END AS gday, count(CASE WHEN day > $as_of THEN 1 END) AS n_after,
                         min(CASE WHEN day <= $as_of THEN {encoded} END) AS f, max(CASE WHEN day <= $as_of THEN {encoded} END) AS l"""
        params = {"as_of": self.as_of, **source.params}
        hashed = [k for k in source.hashed if k in keys] if source.hashed is not None else []  # None: on the texts
        back = ", ".join(f"t_{k}.k AS {k}" if k in hashed else f"g.{k}" if k in keys else f"{constant[k]} AS {k}" for k in every)
        joins = " ".join(f"LEFT JOIN texts_{t}_{k} t_{k} ON g.h_{k} = t_{k}.h" for k in hashed) + "".join(
            f" CROSS JOIN texts_{t}_{k} t_{k}" for k in source.constant)  # (one row each)
        group = ", ".join(f"h_{k}" if k in hashed else k for k in keys)
        hashes = "".join(f", {COLUMN_HASH.format(k)} AS h_{k}" for k in hashed)
        grouped = f"""(SELECT {back}, g.fine, g.n, g.lo, g.hi, g.gday, g.n_after, g.f, g.l FROM (
            SELECT {group}, fine, {aggregates}
            FROM (SELECT *{hashes} FROM ({rows}))
            GROUP BY {group}, fine) g {joins})"""
        as_text = ", ".join(f"CAST(k_{COL[f]} AS VARCHAR) AS c_{COL[f]}" if f in source.cells else f"NULL AS c_{COL[f]}"
                            for f in _KEYS)
        self.con.execute(f"""INSERT INTO cells BY NAME
            SELECT {t} AS tid, $src AS src, {as_text}, NOT fine AS coarse, CAST(kdate AS VARCHAR) AS c_date,
                   nk AS c_note, n, lo, hi, gday AS day, n_after, f, l
            FROM {grouped}""", {"src": source.src, **params})

    def _texts(self, source: _Source, types: dict[str, str]) -> list[str] | None:
        """`texts_T_C` for each text column C of the table that the file holds: its distinct texts (NULL among them)
        with their hashes (`COLUMN_HASH`), listed in `source.text_columns`, those with one value in `source.constant`. The
        columns to group on their hashes, or None if a column has two texts with one hash (all the tables are made either
        way: `_lookups` reads them)."""
        t, rel = source.tid, f"({source.select()})"
        source.text_columns = [f"k_{COL[f]}" for f in _KEYS if f in source.cells and types.get(f"k_{COL[f]}") == "VARCHAR"]
        for k in source.text_columns:
            self.con.execute(f"CREATE TEMP TABLE texts_{t}_{k} AS SELECT k, {COLUMN_HASH.format('k')} AS h "
                             f"FROM (SELECT DISTINCT {k} AS k FROM {rel})", source.params)
        # texts sharing a hash, and the columns with one value, all columns in one aggregate (one query per column
        # cost ~0.02 s more at seed)
        every = " UNION ALL ".join(f"SELECT {i} AS c, h FROM texts_{t}_{k}" for i, k in enumerate(source.text_columns))
        counts = self.con.execute(f"SELECT c, count(*), count(DISTINCT h) FROM ({every}) GROUP BY c").fetchall() if every else []
        source.constant = [source.text_columns[c] for c, n, _ in counts if n == 1]
        collided = any(n != hashes for _, n, hashes in counts)
        return None if collided else list(source.text_columns)

    # ───────────── 2. names ─────────────

    def _distinct(self, sql: str) -> list[tuple[Any, ...]]:
        return self.con.execute(sql).fetchall()

    def _number(self, sql: str, params: object = None) -> int:
        """The number a one-row count or sum query returns."""
        row = self.con.execute(sql, params).fetchone()
        assert row is not None, "an aggregate query returns one row"
        return int(row[0])

    def resolve_names(self) -> None:
        plan = self.plan
        policy_keys = {k: p.id for p in plan.policies for k in p.keys}
        policy_names = sorted({p.label for p in plan.policies} | {p.id for p in plan.policies})
        self.table("pol", {"raw": "VARCHAR", "policy_id": "VARCHAR", "hint": "VARCHAR"}, [
            (v, pid, None if pid else _close(v, policy_names))
            for (v,) in self._distinct("SELECT DISTINCT policy FROM raw WHERE policy IS NOT NULL")
            for pid in [policy_keys.get(fold_number(v))]])
        tasks = {(t.policy, fold_key(t.id)): t for t in plan.tasks}
        task_ids: dict[str, list[str]] = {p.id: [] for p in plan.policies}
        for t in plan.tasks:
            task_ids[t.policy].append(t.id)
        self.indexes = indexes = _Indexes(plan)
        rows = []
        for pid, v in self._distinct("SELECT DISTINCT pol.policy_id, r.task FROM raw r JOIN pol ON r.policy = pol.raw "
                                     "WHERE pol.policy_id IS NOT NULL AND r.task IS NOT NULL"):
            index = indexes[pid]
            tid, candidates = index.find(v)
            entry = tasks.get((pid, fold_key(tid))) if tid else None
            hint = None if entry else ("、".join(map(index.label, candidates)) if candidates else _close(v, task_ids[pid]))
            rows.append((pid, v, entry.id if entry else None, bool(entry and entry.events), hint, bool(candidates),
                         bool(entry and index.children.get(entry.id))))
        self.table("tsk", {"policy_id": "VARCHAR", "raw": "VARCHAR", "task_id": "VARCHAR", "has_limit": "BOOLEAN", "hint": "VARCHAR",
                           "ambiguous": "BOOLEAN", "measure": "BOOLEAN"}, rows)
        self._narrow(tasks)
        self._resolve_task_values(tasks)
        self._resolve_scopes_and_statuses()

    def _narrow(self, tasks: dict[tuple[str, str], TaskEntry]) -> None:
        """`rdr`: a row at a measure (二（二）) whose metric or unit belongs to one sub-task below it is that sub-task's
        (`TaskIndex.narrow`); several such sub-tasks make a row with a metric ambiguous (the metric is one task's).
        A row without a metric at a group whose sub-tasks the unit owes several of (「四（三）组织实施阶段」, 县民政局
        owing 4.3.1 and 4.3.2) is the unit's report on the whole group, as the office means it: it counts for each
        of them (`rdr` holds a row for each, and the join repeats the report; `fanned` says so). Only rows naming
        a measure that has sub-tasks are looked at, once per distinct (task, metric, unit)."""
        rows: list[tuple[object, ...]] = []
        for pid, raw, tid, metric, unit in self._distinct(
                "SELECT DISTINCT tsk.policy_id, tsk.raw, tsk.task_id, r.metric, r.unit FROM raw r JOIN pol ON r.policy = pol.raw "
                "JOIN tsk ON tsk.policy_id = pol.policy_id AND tsk.raw = r.task WHERE tsk.measure"):
            index = self.indexes[pid]
            found, candidates = index.narrow(tid, metric, unit)
            if found is None and metric is None and unit is not None:
                for sub in candidates:
                    rows.append((pid, raw, metric, unit, sub, bool(tasks[(pid, fold_key(sub))].events), None, False))
                self.fanned.append((pid, raw, tid, unit, candidates))
            elif found != tid:
                entry = tasks.get((pid, fold_key(found))) if found else None
                rows.append((pid, raw, metric, unit, found, bool(entry and entry.events),
                             "、".join(map(index.label, candidates)) or None, bool(candidates)))
        self.table("rdr", {"policy_id": "VARCHAR", "raw": "VARCHAR", "metric": "VARCHAR", "unit": "VARCHAR", "task_id": "VARCHAR",
                           "has_limit": "BOOLEAN", "hint": "VARCHAR", "ambiguous": "BOOLEAN"}, rows)
        self.narrowed = bool(rows)

    def _named_tasks(self) -> str:
        """Each row's policy and task as matched (narrowed to a sub-task where `rdr` says so): a relation of `raw`
        with `policy_id`, `task_id`, `has_limit`, `task_hint` and `task_ambiguous` added."""
        if not self.narrowed:
            return ("(SELECT r.*, pol.policy_id, pol.hint AS policy_hint, tsk.task_id, coalesce(tsk.has_limit, false) AS has_limit, "
                    "tsk.hint AS task_hint, coalesce(tsk.ambiguous, false) AS task_ambiguous FROM raw r "
                    "LEFT JOIN pol ON r.policy = pol.raw LEFT JOIN tsk ON tsk.policy_id = pol.policy_id AND tsk.raw = r.task)")
        return """(SELECT r.*, pol.policy_id, pol.hint AS policy_hint,
                   CASE WHEN rdr.raw IS NULL THEN tsk.task_id ELSE rdr.task_id END AS task_id,
                   coalesce(CASE WHEN rdr.raw IS NULL THEN tsk.has_limit ELSE rdr.has_limit END, false) AS has_limit,
                   CASE WHEN rdr.raw IS NULL THEN tsk.hint ELSE rdr.hint END AS task_hint,
                   coalesce(CASE WHEN rdr.raw IS NULL THEN tsk.ambiguous ELSE rdr.ambiguous END, false) AS task_ambiguous
            FROM raw r LEFT JOIN pol ON r.policy = pol.raw LEFT JOIN tsk ON tsk.policy_id = pol.policy_id AND tsk.raw = r.task
            LEFT JOIN rdr ON rdr.policy_id = pol.policy_id AND rdr.raw = r.task AND rdr.metric IS NOT DISTINCT FROM r.metric
                 AND rdr.unit IS NOT DISTINCT FROM r.unit)"""

    def _task_rows(self, column: str) -> list[tuple[Any, ...]]:
        return self._distinct(f"SELECT DISTINCT policy_id, task_id, {column} FROM {self._named_tasks()} "
                              f"WHERE task_id IS NOT NULL AND {column} IS NOT NULL")

    def _resolve_task_values(self, tasks: dict[tuple[str, str], TaskEntry]) -> None:
        """Units, metrics and events are matched within their task: 县民政局 is known to 2.2 as its lead."""
        known_units = {k for u in self.plan.units for k in u.keys}
        labels = {u.id: u.name for u in self.plan.units}
        all_names = sorted(set(labels.values()))
        unit_rows: list[tuple[object, ...]] = []
        folded: dict[str, str] = {}  # each distinct name folded once (a unit reports on many tasks)
        by_task: dict[tuple[str, str], tuple[TaskEntry, dict[str, str]]] = {}  # each task's entry and its assigned units' keys, built once
        closest: dict[str, str | None] = {}  # an unknown name's closest unit name
        registries = {p.id: p.registry for p in self.plan.policies}
        for pid, tid, v in self._task_rows("unit"):
            if (pid, tid) not in by_task:
                entry = tasks[(pid, fold_key(tid))]
                by_task[(pid, tid)] = entry, {k: a.unit for a in entry.assigned for k in a.keys}
            entry, assigned = by_task[(pid, tid)]
            key = folded.get(v)
            if key is None:
                key = fold_key(v)
                if key not in known_units:  # 卫健委 = "县卫生健康委" in [tool.luoshi.comply] units
                    key = self.unit_names.get(key, key)
                folded[v] = key
            if key in assigned:
                unit_rows.append((pid, tid, v, assigned[key], "ok", None))
            elif key in entry.members:
                unit_rows.append((pid, tid, v, entry.members[key], "ok", None))
            else:
                names = sorted({labels.get(a.unit, a.unit) for a in entry.assigned})
                if not names:  # a group of sub-tasks (四（三）) none of which the unit owes: the units they name
                    below = [tasks[(pid, fold_key(t))] for t in self.indexes[pid].descendants(tid)]
                    names = sorted({labels.get(a.unit, a.unit) for t in below for a in t.assigned})
                verdict = "not_assigned" if key in known_units else "unknown"
                empty = [a for a in entry.assigned if a.memberless]
                if verdict == "unknown":  # the closest of the task's units, else of all (once per value: 13,000 at 1k)
                    hint = _close(v, names) or (closest[v] if v in closest else closest.setdefault(v, _close(v, all_names)))
                    hint = f"{hint or ''}\t{registries.get(pid) or ''}"
                elif empty:  # 县财政局 on a duty of 县政府各部门, which names no members: say so, with where to name them
                    verdict = "memberless"
                    hint = "、".join(labels.get(a.unit, a.unit) for a in empty) + f"\t{empty[0].memberless}"
                else:
                    hint = "、".join(names)
                unit_rows.append((pid, tid, v, None, verdict, hint))
        self.table("unt", {"policy_id": "VARCHAR", "task_id": "VARCHAR", "raw": "VARCHAR", "unit_id": "VARCHAR",
                           "verdict": "VARCHAR", "hint": "VARCHAR"}, unit_rows)
        metric_rows = [(pid, tid, v, tasks[(pid, fold_key(tid))].metrics.get(fold_key(v)),
                        "、".join(tasks[(pid, fold_key(tid))].metrics.values()) or None) for pid, tid, v in self._task_rows("metric")]
        self.table("met", {"policy_id": "VARCHAR", "task_id": "VARCHAR", "raw": "VARCHAR", "metric_name": "VARCHAR", "hint": "VARCHAR"}, metric_rows)
        event_rows = [(pid, tid, v, tasks[(pid, fold_key(tid))].events.get(fold_key(v)),
                       "、".join(k for k in tasks[(pid, fold_key(tid))].events if not k.isascii()) or None) for pid, tid, v in self._task_rows("event")]
        self.table("evt", {"policy_id": "VARCHAR", "task_id": "VARCHAR", "raw": "VARCHAR", "which": "VARCHAR", "hint": "VARCHAR"}, event_rows)

    def _resolve_scopes_and_statuses(self) -> None:
        scopes = {p.id: p.scopes for p in self.plan.policies}
        places: dict[str, list[str]] = {}  # a policy's place names, sorted once (a city's: every unit below it)

        def hint(pid: str, v: str) -> str | None:
            if pid not in places:
                places[pid] = sorted({k.rpartition("/")[2] for k in scopes[pid]})
            return _close(v, places[pid])

        self.table("scp", {"policy_id": "VARCHAR", "raw": "VARCHAR", "scope_id": "VARCHAR", "hint": "VARCHAR"}, [
            (pid, v, sid, None if sid else hint(pid, v))
            for pid, v in self._distinct("SELECT DISTINCT pol.policy_id, r.scope FROM raw r JOIN pol ON r.policy = pol.raw "
                                         "WHERE pol.policy_id IS NOT NULL AND r.scope IS NOT NULL")
            for key in [fold_key(v)] for sid in [scopes[pid].get(key) or scopes[pid].get(self.unit_names.get(key, ""))]])
        self.table("sts", {"raw": "VARCHAR", "code": "VARCHAR"}, [
            (v, self.statuses.get(fold_key(v).lower())) for (v,) in self._distinct("SELECT DISTINCT status FROM raw WHERE status IS NOT NULL")])

    # ───────────── 3. validation ─────────────

    def _values(self) -> None:
        """`vmap`: each distinct 数值, 基准值 and 变化 cell read once: number, unit of measure, direction. Plain numbers
        (42, 42%, ４２％, 1,200) are read in SQL; the rest (百分之四十五, 0户, 降低50%) by `values.read_value`, which
        also refuses what a value cannot mean (-5%, 1e-400, 12%%, 1_000). `fraction`: the files whose 数值 header
        says its numbers are fractions (数值（小数））."""
        cells = " UNION ".join(f"SELECT DISTINCT {c} AS value FROM raw WHERE {c} IS NOT NULL" for c in ("value", "baseline", "change"))
        self.con.execute(f"""CREATE TABLE vmap AS SELECT value, try_cast(rtrim(v, '%') AS DOUBLE) AS num,
                   CASE WHEN ends_with(v, '%') THEN '%' END AS unit, 0 AS dir
            FROM (SELECT value, {_VALUE_TEXT} AS v FROM ({cells})) WHERE regexp_full_match(v, '\\d+(\\.\\d+)?%?')""")
        others = []
        for (text,) in self._distinct(f"SELECT value FROM ({cells}) EXCEPT SELECT value FROM vmap"):
            found = read_value(text)
            if found is not None:
                others.append((text, found.num, found.unit, found.direction))
        if others:
            self.table("vmore", {"value": "VARCHAR", "num": "DOUBLE", "unit": "VARCHAR", "dir": "INTEGER"}, others)
            self.con.execute("INSERT INTO vmap SELECT * FROM vmore")
        fractions = [(src,) for src, columns in self.columns.items() if "value" in columns and is_fraction_column(columns["value"].header)]
        self.table("fraction", {"src": "VARCHAR"}, fractions)
        # each target metric's unit of measure and whether it is relative (提高/降低), for the value rules
        self.table("munits", {"policy_id": "VARCHAR", "task_id": "VARCHAR", "metric_name": "VARCHAR", "target_unit": "VARCHAR",
                              "relative": "BOOLEAN", "rate": "BOOLEAN"},
                   sorted({(c.policy, c.task, c.metric, c.target_unit, c.comparator in RELATIVE, c.target_unit == "%")
                           for c in self.plan.checks if c.kind is CheckKind.TARGET}, key=str))

    def parse(self) -> None:
        """`parsed`: each group with its names matched and its value read; `fd`/`fr` and `ld`/`lr` its first and last
        day and row on or before the as-of date (a group with its date: that date, its first and last row). Values
        are read once per distinct value (42, 42%, 0.42, ４２％)."""
        self._values()
        self.con.execute(f"""CREATE TABLE parsed AS
            SELECT r.* EXCLUDE (tid, f, l, {_CELLS}),
                   CASE WHEN coarse THEN {_EPOCH} + (f // {_SHIFT})::INTEGER ELSE day END AS fd,
                   CASE WHEN coarse THEN f % {_SHIFT} ELSE lo END AS fr,
                   CASE WHEN coarse THEN {_EPOCH} + (l // {_SHIFT})::INTEGER ELSE day END AS ld,
                   CASE WHEN coarse THEN l % {_SHIFT} ELSE hi END AS lr,
                   unt.unit_id, unt.verdict, unt.hint AS unit_hint, scp.scope_id, scp.hint AS scope_hint,
                   sts.code AS status_code, met.metric_name, met.hint AS metric_hint, evt.which, evt.hint AS event_hint,
                   vmap.num, vmap.unit AS vunit, vmap.dir, bmap.num AS base_num, bmap.unit AS base_unit,
                   cmap.num AS chg_num, cmap.unit AS chg_unit, cmap.dir AS chg_dir, (r.src IN (SELECT src FROM fraction)) AS fraction
            FROM {self._named_tasks()} r
            LEFT JOIN vmap ON vmap.value = r.value
            LEFT JOIN vmap bmap ON bmap.value = r.baseline
            LEFT JOIN vmap cmap ON cmap.value = r.change
            LEFT JOIN unt ON unt.policy_id = r.policy_id AND unt.task_id = r.task_id AND unt.raw = r.unit
            LEFT JOIN scp ON scp.policy_id = r.policy_id AND scp.raw = r.scope
            LEFT JOIN sts ON sts.raw = r.status
            LEFT JOIN met ON met.policy_id = r.policy_id AND met.task_id = r.task_id AND met.raw = r.metric
            LEFT JOIN evt ON evt.policy_id = r.policy_id AND evt.task_id = r.task_id AND evt.raw = r.event""")

    def _outside_scope(self) -> None:
        """Rows about a policy or unit outside `--policy`/`--jurisdiction`/`--unit` are not this run's business:
        dropped (a row whose names are unknown stays, to be reported)."""
        if self.scope is None:
            return
        keep = []
        if self.scope.policies is not None:
            keep.append("(policy_id IS NULL OR list_contains($policies, policy_id))")
        if self.scope.units is not None:
            keep.append("(unit_id IS NULL OR list_contains($units, unit_id) OR coalesce(list_contains($units, scope_id), false))")
        where = " AND ".join(keep)
        params = {k: sorted(v or ()) for k, v in (("policies", self.scope.policies), ("units", self.scope.units)) if f"${k}" in where}
        self.outside = self._number(f"SELECT coalesce(sum(n), 0) FROM (SELECT {'DISTINCT' if self.fanned else ''} kid, n FROM parsed WHERE NOT ({where}))", params)
        self.con.execute(f"DELETE FROM parsed WHERE NOT ({where})", params)

    def validate(self) -> None:
        """Every bad cell of a group into `problems` (with the group's count); the groups without one into `good`."""
        self.parse()
        self._outside_scope()
        self.con.execute("CREATE TABLE problems (kid BIGINT, src VARCHAR, field VARCHAR, code VARCHAR, value VARCHAR, "
                         "hint VARCHAR, n BIGINT)")
        self.con.execute(_row_rules_sql())
        self._keep("parsed", "ok1")
        first, last = workdays.covered_years()
        self.con.execute(f"""INSERT INTO problems
            SELECT kid, src, 'date', 'LS533', date, '{first}–{last}', n FROM ok1 o
            WHERE case_id IS NOT NULL AND year(day) NOT BETWEEN {first} AND {last} AND EXISTS (
                SELECT 1 FROM checks c WHERE c.kind = 'limit' AND c.working AND c.policy = o.policy_id AND c.task = o.task_id)""")
        self.con.execute("""INSERT INTO problems
            SELECT kid, src, CASE WHEN scope IS NULL THEN 'unit' ELSE 'scope' END, 'LS525', coalesce(scope, unit), metric_name, n
            FROM ok1 o WHERE metric_name IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM checks c WHERE c.kind = 'target' AND c.policy = o.policy_id AND c.task = o.task_id
                AND c.metric = o.metric_name AND coalesce(c.scope, c.unit) = coalesce(o.scope_id, o.unit_id))""")
        self._value_rules()
        self._keep("ok1", "ok2")
        self.con.execute("""INSERT INTO problems
            SELECT o.kid, o.src, 'case', 'LS532', o.case_id, CASE WHEN k.s IS NULL THEN 'no_start' ELSE 'reversed' END, o.n
            FROM ok2 o JOIN (SELECT policy_id, task_id, unit_id, case_id, min(day) FILTER (WHERE which = 'start') AS s,
                                    max(day) FILTER (WHERE which = 'end') AS e
                             FROM ok2 WHERE case_id IS NOT NULL GROUP BY ALL) k USING (policy_id, task_id, unit_id, case_id)
            WHERE k.s IS NULL OR k.e < k.s""")
        self._keep("ok2", "good")
        # views, not copies: each check query reads the few columns it needs (a copy of the 0.4 million groups' 23
        # columns at 1k cost ~0.13 s of CPU); `good` and what it reads are never changed once made
        as_of = f"DATE '{self.as_of.isoformat()}'"  # (a view takes no parameters; a date's ISO text is a safe literal)
        self.con.execute("CREATE VIEW reports AS SELECT src, policy_id, task_id, unit_id, scope_id, status, status_code, metric_name, "
                         "value, num, vunit, dir, base_num, chg_num, chg_dir, fraction, day, n, hi, fd, fr, ld, lr "
                         f"FROM good WHERE case_id IS NULL AND fd <= {as_of}")
        self.con.execute(f"CREATE VIEW events AS SELECT * FROM good WHERE case_id IS NOT NULL AND day <= {as_of}")

    def _value_rules(self) -> None:
        """A value in another unit of measure than its target's (LS526: 8000元 for a target in %; a relative
        target's level may be in any unit, its baseline in the same), and values no data can hold (LS527: a rate
        above 100 %, a reduction beyond 100 %, a change on a level target)."""
        self.con.execute("""INSERT INTO problems
            SELECT o.kid, o.src, f.field, 'LS526', f.written, m.target_unit, o.n
            FROM ok1 o JOIN munits m USING (policy_id, task_id, metric_name)
            CROSS JOIN LATERAL (VALUES ('value', o.value, o.vunit), ('baseline', o.baseline, o.base_unit),
                                       ('change', o.change, o.chg_unit)) f(field, written, unit)
            -- a target written without a unit (清零: 起数为零) takes a count in any unit (0户, 0起)
            WHERE f.unit IS NOT NULL AND m.target_unit IS NOT NULL AND m.target_unit <> f.unit
              AND NOT (m.relative AND f.unit IN ('%', '个百分点') AND m.target_unit IN ('%', '个百分点'))
              AND NOT (f.unit IN ('元', '万元') AND m.target_unit IN ('元', '万元'))
              -- a relative target's level and baseline are in the measured thing's own unit (起付线 800元)
              AND NOT (m.relative AND (f.field = 'baseline' OR (f.field = 'value' AND o.dir = 0)))""")
        self.con.execute("""INSERT INTO problems
            SELECT o.kid, o.src, 'baseline', 'LS526', o.baseline, o.vunit, o.n
            FROM ok1 o JOIN munits m USING (policy_id, task_id, metric_name)
            WHERE m.relative AND o.dir = 0 AND o.vunit IS NOT NULL AND o.base_unit IS NOT NULL AND o.vunit <> o.base_unit""")
        self.con.execute("""INSERT INTO problems
            SELECT o.kid, o.src, 'value', 'LS527', o.value, 'rate', o.n FROM ok1 o JOIN munits m USING (policy_id, task_id, metric_name)
            WHERE m.rate AND NOT m.relative AND o.dir = 0 AND coalesce(o.vunit, '%') = '%'
              AND CASE WHEN o.fraction AND o.vunit IS NULL THEN o.num * 100 ELSE o.num END > 100""")
        self.con.execute("""INSERT INTO problems
            SELECT o.kid, o.src, CASE WHEN o.dir <> 0 THEN 'value' ELSE 'change' END, 'LS527',
                   CASE WHEN o.dir <> 0 THEN o.value ELSE o.change END, 'reduction', o.n
            FROM ok1 o JOIN munits m USING (policy_id, task_id, metric_name)
            WHERE m.relative AND coalesce(o.vunit, o.chg_unit, m.target_unit) = '%'
              AND ((o.dir = -1 AND o.num > 100) OR (coalesce(o.chg_dir, 0) = -1 AND o.chg_num > 100))""")
        self.con.execute("""INSERT INTO problems
            SELECT o.kid, o.src, CASE WHEN o.dir <> 0 THEN 'value' ELSE 'change' END, 'LS527',
                   CASE WHEN o.dir <> 0 THEN o.value ELSE o.change END, 'level', o.n
            FROM ok1 o JOIN munits m USING (policy_id, task_id, metric_name)
            WHERE NOT m.relative AND (o.dir <> 0 OR o.change IS NOT NULL)""")

    def _keep(self, source: str, target: str) -> None:
        """The groups of `source` without a problem: a view when no problem was found since `source` was made
        (the tables are never changed once made, so the view always shows the same rows), else a copy."""
        found = self._number("SELECT count(*) FROM problems")
        if found == self._set_aside.get(source, 0):
            self.con.execute(f"CREATE VIEW {target} AS SELECT * FROM {source}")
        else:
            self.con.execute(f"CREATE TABLE {target} AS SELECT * FROM {source} p "
                             "WHERE NOT EXISTS (SELECT 1 FROM problems q WHERE q.kid = p.kid)")
        self._set_aside[target] = found

    def _bad_rows(self) -> list[tuple[Any, ...]]:
        """The first DETAIL_LIMIT bad cells with their row numbers: a second scan of the files that have bad rows,
        matching each row to its group (only the first DETAIL_LIMIT bad rows of each file are kept)."""
        self.con.execute("CREATE TABLE bad_rows (src VARCHAR, row BIGINT, kid BIGINT)")
        tids = {t for (t,) in self.con.execute("SELECT DISTINCT tid FROM raw WHERE kid IN (SELECT kid FROM problems)").fetchall()}
        match = " AND ".join(f"s.c_{COL[f]} IS NOT DISTINCT FROM b.c_{COL[f]}" for f in FIELDS) + " AND s.coarse = b.coarse"
        for source in self.sources:
            if source.tid in tids:
                self.con.execute(f"""INSERT INTO bad_rows SELECT $src, s.r, b.kid FROM ({source.texts()}) s
                    JOIN (SELECT * FROM raw WHERE tid = {source.tid} AND kid IN (SELECT kid FROM problems)) b ON {match}
                    ORDER BY s.r LIMIT {DETAIL_LIMIT}""", {"src": source.src, **source.params})
        return self.con.execute(f"""SELECT b.src, b.row, q.field, q.code, q.value, q.hint FROM bad_rows b JOIN problems1 q USING (kid)
            ORDER BY b.src, b.row, q.field, q.code LIMIT {DETAIL_LIMIT}""").fetchall()

    def problems(self, sink: Sink) -> tuple[int, dict[str, int], int]:
        """Bad cells as diagnostics (the first DETAIL_LIMIT), rows set aside, counts by code, cells not listed."""
        # a report on a group of sub-tasks is a group of `parsed` for each (`_narrow`): its bad cells are one each
        self.con.execute(f"CREATE {'TABLE' if self.fanned else 'VIEW'} problems1 AS SELECT {'DISTINCT' if self.fanned else ''} * FROM problems")
        counts = {code: int(n) for code, n in self.con.execute("SELECT code, sum(n) FROM problems1 GROUP BY code ORDER BY code").fetchall()}
        rows = self._bad_rows() if counts else []
        for src, row, field, code, value, hint in rows:
            column = self.columns.get(src, {}).get(field)
            index = column.index if column else 0
            zh, en, help_ = problem_message(code, field, value, hint, column)
            sink.emit(code, Span(file=src, line=row, column=index + 1, end_line=row, end_column=index + 2), zh, en, hint=help_)
        set_aside = self.count("raw WHERE kid IN (SELECT kid FROM problems)")
        return set_aside, counts, max(0, sum(counts.values()) - len(rows))

    def fanned_notes(self) -> list[tuple[str, int, str, str]]:
        """(file, first row, 中文, English) for each task cell a unit wrote at a group of sub-tasks it owes several
        of (`_narrow`): the report counts for each, said once per file where it is first."""
        out = []
        for pid, raw, tid, unit, subs in self.fanned:
            index = self.indexes[pid]
            title = index.tasks[tid].title or ""
            group = f"{index.label(tid)}{title}"
            labels = "、".join(map(index.label, subs))
            for src, row in self.con.execute("SELECT r.src, min(r.lo) FROM raw r JOIN pol ON r.policy = pol.raw WHERE pol.policy_id = ? "
                                             "AND r.task = ? AND r.unit = ? AND r.metric IS NULL GROUP BY r.src ORDER BY r.src",
                                             [pid, raw, unit]).fetchall():
                out.append((src, int(row), f"任务 {group} 是一组任务：本行按「{unit}」承担的其中各项（{labels}）各计一次（同样的行都如此）",
                            f"task {group} is a group of tasks: the row counts for each of those '{unit}' owes in it ({labels}; so do all such rows)"))
        return out

    def count(self, where: str, params: list[object] | None = None) -> int:
        """How many data rows the groups of `where` stand for."""
        return self._number(f"SELECT coalesce(sum(n), 0) FROM {where}", params or [])

    def later(self) -> int:
        """How many good data rows are dated after the as-of date."""
        return self._number("SELECT coalesce(sum(CASE WHEN coarse THEN n_after WHEN day > ? THEN n ELSE 0 END), 0) "
                            f"FROM {'(SELECT DISTINCT kid, coarse, n_after, day, n FROM good)' if self.fanned else 'good'}",
                            [self.as_of])

    # ───────────── 4. evaluation ─────────────

    def evaluate(self) -> list[CheckResult]:
        facts: dict[str, _Row] = {}
        for query in (self._deadlines, self._recurring, self._targets, self._limits):
            facts.update(query())
        issued = {p.id: p.date for p in self.plan.policies}
        return [not_issued(check, day) if (day := issued.get(check.policy)) and day > self.as_of
                else no_members(result_for(check, facts.get(check.id, {}), self.as_of)) for check in self.plan.checks]

    def _rows(self, sql: str, params: list[object] | dict[str, object] | None = None) -> list[_Row]:
        cursor = self.con.execute(sql, params or [])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def _deadlines(self) -> dict[str, _Row]:
        rows = self._rows("""
            SELECT id, due, done_on, done_row, last_row,
                   CASE WHEN done_on <= due THEN 'on_time' WHEN done_on IS NOT NULL THEN 'late'
                        WHEN $as_of > due THEN 'overdue' ELSE 'not_due' END AS reason
            FROM (SELECT c.id, c.due,
                         min(r.fd) FILTER (WHERE r.status_code = 'done') AS done_on,
                         arg_min({'src': r.src, 'row': r.fr, 'status': r.status, 'day': r.fd}, (r.fd, r.src, r.fr))
                             FILTER (WHERE r.status_code = 'done') AS done_row,
                         arg_max({'src': r.src, 'row': r.lr, 'status': r.status, 'day': r.ld}, (r.ld, r.src, r.lr))
                             FILTER (WHERE r.status_code IS NOT NULL) AS last_row
                  FROM checks c JOIN duty d ON d.id = c.id
                  LEFT JOIN reports r ON r.policy_id = c.policy AND r.task_id = c.task AND r.unit_id = d.unit
                  WHERE c.kind = 'deadline' GROUP BY c.id, c.due)""", {"as_of": self.as_of})
        return {r["id"]: r for r in rows}

    def _recurring(self) -> dict[str, _Row]:
        checks = [c for c in self.plan.checks if c.kind is CheckKind.RECURRING]
        if not checks:
            return {}
        first = dict(self.con.execute("SELECT policy_id, min(fd) FROM reports GROUP BY policy_id").fetchall())
        rows: list[tuple[object, ...]] = []
        starts: dict[str, dt.date | None] = {}
        for c in checks:
            start = c.window_start or first.get(c.policy)
            starts[c.id] = start
            last = min(c.window_end or self.as_of, self.as_of)
            if start:
                assert c.frequency is not None, "a recurring check has its frequency"
                rows += [(c.id, b, e) for b, e in periods(c.frequency, start, last)]
        self.table("periods", {"id": "VARCHAR", "p_start": "DATE", "p_end": "DATE"}, rows)
        counted = self._rows("""
            SELECT p.id, p.p_start, p.p_end, c.times, coalesce(sum(r.n), 0) AS n
            FROM periods p JOIN checks c ON c.id = p.id JOIN duty d ON d.id = c.id
            LEFT JOIN reports r ON r.policy_id = c.policy AND r.task_id = c.task AND r.unit_id = d.unit
                 AND r.status_code = 'done' AND r.day BETWEEN p.p_start AND p.p_end
            GROUP BY ALL ORDER BY p.id, p.p_start""")
        facts: dict[str, _Row] = {c.id: {"start": starts[c.id], "periods": 0, "missing": [], "open": []} for c in checks}
        for p in counted:
            fact = facts[p["id"]]
            fact["periods"] += 1
            if p["n"] < p["times"]:
                fact["missing" if p["p_end"] <= self.as_of else "open"].append(p["p_start"])
        return facts

    def _targets(self) -> dict[str, _Row]:
        rows = self._rows("""
            WITH latest AS (
                SELECT c.id, r.src, r.hi AS row, r.day, r.value AS written,
                       CASE WHEN r.fraction AND r.vunit IS NULL AND c.percent THEN r.num * 100
                            WHEN r.vunit = '万元' AND c.target_unit = '元' THEN r.num * 10000
                            WHEN r.vunit = '元' AND c.target_unit = '万元' THEN r.num / 10000 ELSE r.num END AS v,
                       row_number() OVER (PARTITION BY c.id ORDER BY r.day DESC, r.src DESC, r.hi DESC) AS k
                FROM checks c JOIN reports r ON r.policy_id = c.policy AND r.task_id = c.task AND r.metric_name = c.metric
                     AND coalesce(r.scope_id, r.unit_id) = coalesce(c.scope, c.unit)
                WHERE c.kind = 'target' AND c.comparator NOT IN ('increase', 'decrease') AND r.num IS NOT NULL
                      AND r.day <= coalesce(c.by_date, $as_of))
            SELECT c.id, l.src, l.row, l.day, l.written, l.v,
                   CASE WHEN c.by_date > $as_of THEN 'not_due' WHEN l.v IS NULL THEN 'no_report'
                        WHEN CASE c.comparator WHEN 'le' THEN l.v <= c.threshold + 1e-9 WHEN 'gt' THEN l.v > c.threshold
                                               WHEN 'lt' THEN l.v < c.threshold WHEN 'eq' THEN abs(l.v - c.threshold) <= 1e-9
                                               ELSE l.v >= c.threshold - 1e-9 END THEN 'met' ELSE 'missed' END AS reason
            FROM checks c LEFT JOIN latest l ON l.id = c.id AND l.k = 1
            WHERE c.kind = 'target' AND c.comparator NOT IN ('increase', 'decrease')""", {"as_of": self.as_of})
        return {r["id"]: r for r in rows} | self._relative()

    def _relative(self) -> dict[str, _Row]:
        """提高/降低 targets: the change each check's data shows (`relative.achieved`), in Python over the few metric
        rows of those targets."""
        checks = {c.id: c for c in self.plan.checks if c.kind is CheckKind.TARGET and c.comparator in RELATIVE}
        if not checks:
            return {}
        rows = self._rows("""
            SELECT c.id, r.src, r.hi AS row, r.day, r.value AS written, r.num, r.vunit, r.dir, r.base_num, r.chg_num, r.chg_dir
            FROM checks c JOIN reports r ON r.policy_id = c.policy AND r.task_id = c.task AND r.metric_name = c.metric
                 AND coalesce(r.scope_id, r.unit_id) = coalesce(c.scope, c.unit)
            WHERE c.kind = 'target' AND c.comparator IN ('increase', 'decrease') AND (r.num IS NOT NULL OR r.chg_num IS NOT NULL)
                  AND r.day <= coalesce(c.by_date, $as_of)
            ORDER BY c.id, r.day, r.src, r.hi""", {"as_of": self.as_of})
        by_check: dict[str, list[_Row]] = {cid: [] for cid in checks}
        for r in rows:
            by_check[r["id"]].append(r)
        return {cid: achieved(checks[cid], by_check[cid], self.as_of) for cid in checks}

    def _calendar(self) -> None:
        span = self.con.execute("SELECT min(day), max(day) FROM events").fetchone()
        assert span is not None, "an aggregate query returns one row"
        first = min(filter(None, (span[0], self.as_of)))
        last = max(filter(None, (span[1], self.as_of)))
        self.table("calendar", {"d": "DATE", "workday": "BOOLEAN", "cum": "INTEGER"}, workdays.calendar_rows(first, last))

    def _limits(self) -> dict[str, _Row]:
        if not any(c.kind is CheckKind.LIMIT for c in self.plan.checks):
            return {}
        self._calendar()
        cases = self._rows("""
            WITH k AS (
                SELECT policy_id, task_id, unit_id, case_id,
                       min(day) FILTER (WHERE which = 'start') AS s, max(day) FILTER (WHERE which = 'end') AS e,
                       arg_min({'src': src, 'row': lo}, (day, src, lo)) FILTER (WHERE which = 'start') AS s_row,
                       arg_max({'src': src, 'row': hi}, (day, src, hi)) FILTER (WHERE which = 'end') AS e_row
                FROM events GROUP BY ALL),
            u AS (
                SELECT c.id, c.limit_days, k.case_id, k.s, k.e, k.s_row, k.e_row,
                       CASE WHEN c.working THEN ce.cum - cs.cum ELSE datediff('day', k.s, k.e) END AS used,
                       CASE WHEN c.working THEN ca.cum - cs.cum ELSE datediff('day', k.s, $as_of) END AS running
                FROM checks c JOIN duty d ON d.id = c.id JOIN k ON k.policy_id = c.policy AND k.task_id = c.task AND k.unit_id = d.unit
                LEFT JOIN calendar cs ON cs.d = k.s LEFT JOIN calendar ce ON ce.d = k.e
                LEFT JOIN calendar ca ON ca.d = $as_of
                WHERE c.kind = 'limit')
            SELECT id, count(*) AS cases, count(e) AS closed,
                   list({'case': case_id, 's': s, 'e': e, 'used': coalesce(used, running), 's_row': s_row, 'e_row': e_row}
                        ORDER BY s, case_id) FILTER (WHERE used > limit_days OR (e IS NULL AND running > limit_days)) AS slow
            FROM u GROUP BY id""", {"as_of": self.as_of})
        return {r["id"]: r for r in cases}


ROW_RULES: list[tuple[str, str, str, str]] = [
    # (code, field, condition on `parsed`, hint)
    ("LS510", "policy", "policy IS NULL", "NULL"),
    ("LS510", "task", "task IS NULL", "NULL"),
    ("LS510", "unit", "unit IS NULL", "NULL"),
    ("LS510", "date", "date IS NULL AND NOT coarse", "CASE WHEN status_code IN ('in_progress', 'not_started') THEN 'undone' END"),
    ("LS510", "status", "status IS NULL AND metric IS NULL AND value IS NULL AND case_id IS NULL", "NULL"),
    ("LS510", "event", "case_id IS NOT NULL AND event IS NULL AND has_limit", "NULL"),
    ("LS511", "policy", "policy IS NOT NULL AND policy_id IS NULL", "policy_hint"),
    ("LS512", "task", "policy_id IS NOT NULL AND task IS NOT NULL AND task_id IS NULL AND NOT task_ambiguous", "task_hint"),
    ("LS518", "task", "policy_id IS NOT NULL AND task IS NOT NULL AND task_id IS NULL AND task_ambiguous", "task_hint"),
    ("LS513", "unit", "verdict = 'unknown'", "unit_hint"),
    ("LS514", "unit", "verdict = 'not_assigned'", "unit_hint"),
    ("LS519", "unit", "verdict = 'memberless'", "unit_hint"),
    ("LS515", "scope", "policy_id IS NOT NULL AND scope IS NOT NULL AND scope_id IS NULL", "scope_hint"),
    ("LS516", "status", "status IS NOT NULL AND case_id IS NULL AND status_code IS NULL", "NULL"),
    ("LS520", "date", "date IS NOT NULL AND day IS NULL", "NULL"),
    ("LS521", "value", "value IS NOT NULL AND num IS NULL", "NULL"),
    ("LS521", "baseline", "baseline IS NOT NULL AND base_num IS NULL", "NULL"),
    ("LS521", "change", "change IS NOT NULL AND chg_num IS NULL", "NULL"),
    ("LS522", "value", "value IS NOT NULL AND metric IS NULL", "NULL"),
    ("LS522", "baseline", "baseline IS NOT NULL AND metric IS NULL", "NULL"),
    ("LS522", "change", "change IS NOT NULL AND metric IS NULL", "NULL"),
    ("LS523", "metric", "metric IS NOT NULL AND value IS NULL AND change IS NULL", "NULL"),
    ("LS524", "metric", "metric IS NOT NULL AND task_id IS NOT NULL AND metric_name IS NULL", "metric_hint"),
    ("LS531", "case", "case_id IS NOT NULL AND task_id IS NOT NULL AND NOT has_limit", "NULL"),
    ("LS530", "event", "case_id IS NOT NULL AND has_limit AND event IS NOT NULL AND which IS NULL", "event_hint"),
]


def _row_rules_sql() -> str:
    """Every rule of ROW_RULES in one pass over `parsed` (one query, not one each: each query has a fixed cost and
    reads every group again): a group that breaks any rule gets the list of the problems it has, unnested into
    `problems`; a group that breaks none is skipped before any list is built."""
    problems = ", ".join(f"CASE WHEN {where} THEN {{'field': '{field}', 'code': '{code}', 'value': {COL[field]}, "
                         f"'hint': CAST({hint} AS VARCHAR)}} END" for code, field, where, hint in ROW_RULES)
    any_rule = " OR ".join(f"({where})" for _, _, where, _ in ROW_RULES)
    return f"""INSERT INTO problems SELECT kid, src, p.field, p.code, p.value, p.hint, n
        FROM (SELECT kid, src, n, unnest(list_filter([{problems}], lambda x: x IS NOT NULL)) AS p FROM parsed WHERE {any_rule})"""


class _Indexes(dict[str, TaskIndex]):
    """Policy id → its `TaskIndex`, built on first use (a run touches the few policies its data names)."""

    def __init__(self, plan: Plan):
        super().__init__()
        self.by_policy: dict[str, list[TaskEntry]] = {}
        for t in plan.tasks:
            self.by_policy.setdefault(t.policy, []).append(t)

    def __missing__(self, pid: str) -> TaskIndex:
        index = self[pid] = TaskIndex(self.by_policy.get(pid, []))
        return index


def _close(value: str, candidates: list[str]) -> str | None:
    found = difflib.get_close_matches(value, candidates, n=1, cutoff=0.6)
    return found[0] if found else None


def run(plan: Plan, tables: list[RawTable], as_of: dt.date, sink: Sink, files: list[str] | None = None,
        mark: Callable[[str], None] | None = None, scope: Scope | None = None, statuses: dict[str, str] | None = None,
        unit_names: dict[str, str] | None = None) -> Outcome:
    """Load, validate and evaluate: the whole of `luoshi comply` and of the generated suite, minus the words.
    `mark(step)` is called as each step ends (bench/stages.py times them). `statuses` and `unit_names`: a project's
    own words (`vocabulary.Vocabulary`)."""
    with perf.gc_paused():  # the results and rows built here are kept; the collector would only re-scan them
        return _run(plan, tables, as_of, sink, files, mark or (lambda step: None), scope, statuses, unit_names)


def _run(plan: Plan, tables: list[RawTable], as_of: dt.date, sink: Sink, files: list[str] | None,
         mark: Callable[[str], None], scope: Scope | None, statuses: dict[str, str] | None,
         unit_names: dict[str, str] | None = None) -> Outcome:
    engine = Engine(plan, as_of, scope, statuses, unit_names)
    mark("checks table")
    engine.load(tables)
    mark("scan and group")
    engine.resolve_names()
    mark("names")
    engine.validate()
    mark("validation")
    results = engine.evaluate()
    mark("evaluation")
    problem_sink = Sink()
    for src, rows, first in engine.unfilled():
        problem_sink.emit("LS517", Span(file=src, line=first, column=1, end_line=first, end_column=2),
                          f"{rows} 行只写了政策、任务和单位，没有状态、日期、指标或数值（未填写的清单行），不计入核查",
                          f"{rows} rows name only a policy, task and unit, with no status, date, metric or value "
                          "(unfilled checklist lines): not counted",
                          hint=("填写状态和日期后即计入", "fill in the status and date to have them counted"))
    for src, row, zh, en in engine.fanned_notes():
        column = engine.columns.get(src, {}).get("task")
        index = column.index if column else 0
        problem_sink.emit("LS506", Span(file=src, line=row, column=index + 1, end_line=row, end_column=index + 2), zh, en)
    set_aside, counts, unlisted = engine.problems(problem_sink)
    rows_read = engine.count("raw_all")  # every row read, the unfilled lines (LS517) too
    later = engine.later()
    mark("bad rows and counts")
    diagnostics: list[Diagnostic] = list(sink) + list(problem_sink)
    return Outcome(as_of=as_of, results=results, diagnostics=diagnostics, files=files or sorted({t.source for t in tables}),
                   rows_read=rows_read, rows_set_aside=set_aside, rows_after_as_of=later, rows_outside_scope=engine.outside,
                   problems_by_code=counts,
                   problems_not_listed=unlisted)
