"""Completion data in PostgreSQL: `luoshi comply postgresql://user@host/db?table=NAME`.

Supervision systems keep their 台账 in a database, not in files. The table's rows are streamed out of the server
into a temporary Parquet file with the table's own column types, and the engine reads that file exactly as it reads
a Parquet file a user gives: the same header mapping, the same validation, the same checks, the same report. Two
drivers (no server-side extension, nothing downloaded at run time): ADBC's PostgreSQL driver when installed (the
rows arrive as Arrow batches that DuckDB writes straight to Parquet: 1M rows in ~1.2 s of CPU and ~160 MB), else
psycopg 3's `COPY (SELECT …) TO STDOUT` through a CSV file (~1.7 s and ~360 MB: libpq hands each row to Python).

Rows are located by the table's key rather than a file row: when the table has a one-column integer primary key,
the rows are read in its order and every diagnostic names a row by its key value (`…?table=t:1042:3` is the row
whose key is 1042, third column); without one, by its position in the table's stored order (row 1 is the first).
The column is the table's column position, as `\\d table` lists them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..diagnostics import Sink
from .loaders import RawTable, map_columns, missing_columns
from .outcome import Evidence, Outcome

if TYPE_CHECKING:
    import duckdb

_T = TypeVar("_T")

SCHEMES = ("postgresql://", "postgres://")
INSTALL = ("安装 PostgreSQL 驱动：pip install 'luoshi[postgres]'（ADBC 或 psycopg 3）",
           "install the PostgreSQL driver: pip install 'luoshi[postgres]' (ADBC or psycopg 3)")
# PostgreSQL types → the DuckDB type the column gets in the Parquet file (anything else is read as text, as a CSV is)
_TYPES = {"date": "DATE", "timestamp without time zone": "TIMESTAMP", "boolean": "BOOLEAN", "smallint": "SMALLINT",
          "integer": "INTEGER", "bigint": "BIGINT", "double precision": "DOUBLE", "real": "FLOAT", "numeric": "DOUBLE"}


def is_url(text: str) -> bool:
    """Whether a DATA argument names a PostgreSQL table rather than a file."""
    return text.lower().startswith(SCHEMES)


@dataclass(frozen=True)
class Target:
    """A DATA URL taken apart: what libpq connects with, the table, and the name reports show (no password)."""

    conninfo: str
    table: str
    schema: str | None
    shown: str


def masked(url: str) -> str:
    """The URL as a message may show it: no password, no query (which may hold one: `?password=…`)."""
    parts = urlsplit(url)
    user, at, host = parts.netloc.rpartition("@")
    if ":" in user:
        user = user.split(":", 1)[0] + ":***"
    return urlunsplit((parts.scheme, f"{user}{at}{host}", parts.path, "", ""))


def parse_url(url: str) -> Target | None:
    """`postgresql://user[:password]@host[:port]/db?table=[schema.]name[&other libpq parameters]`; None without a
    table. The password never reaches a report: `shown` is the URL without it."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    table = next((v for k, v in query if k == "table"), "").strip()
    if not table:
        return None
    rest = [(k, v) for k, v in query if k != "table"]
    conninfo = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(rest), ""))
    shown = masked(url) + "?" + urlencode([("table", table)])
    schema, _, name = table.rpartition(".")
    return Target(conninfo, name, schema or None, shown)


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass
class Opened:
    """The tables read from PostgreSQL and how to turn a row position back into its key."""

    tables: list[RawTable]
    keys: dict[str, tuple[Path, str]]  # shown source → its Parquet file and the key's column there (tables with a key)

    def relocate(self, outcome: Outcome) -> None:
        """Rows of keyed tables named by their primary-key value instead of their position, in the diagnostics and
        in every result's evidence (the engine numbers the rows of the Parquet file it reads: 1, 2, 3 …)."""
        if not self.keys:
            return
        import duckdb

        evidence = [e for r in outcome.results for e in (*r.evidence, *(x for c in r.cases for x in c.evidence))]
        wanted: dict[str, set[int]] = {}
        for src, row in [(d.span.file, d.span.line) for d in outcome.diagnostics if d.span] + [(e.source, e.row) for e in evidence]:
            if src in self.keys:
                wanted.setdefault(src, set()).add(row)
        found: dict[tuple[str, int], int] = {}
        con = duckdb.connect()
        for src, positions in wanted.items():
            path, column = self.keys[src]
            rows = con.execute(f"SELECT file_row_number + 1, {_ident(column)} FROM read_parquet(?, file_row_number = true) "
                               "WHERE file_row_number + 1 IN (SELECT unnest(?))", [str(path), sorted(positions)]).fetchall()
            found |= {(src, int(p)): int(k) for p, k in rows}

        def moved(e: Evidence) -> Evidence:
            key = found.get((e.source, e.row))
            return e if key is None else dataclasses.replace(e, row=key)

        for i, d in enumerate(outcome.diagnostics):
            key = found.get((d.span.file, d.span.line)) if d.span else None
            if key is not None and d.span is not None:
                outcome.diagnostics[i] = dataclasses.replace(d, span=d.span.replace(line=key, end_line=key))
        outcome.results[:] = [dataclasses.replace(r, evidence=tuple(map(moved, r.evidence)),
                                                  cases=tuple(dataclasses.replace(c, evidence=tuple(map(moved, c.evidence)))
                                                              for c in r.cases)) for r in outcome.results]


@contextlib.contextmanager
def open_tables(urls: list[str], sink: Sink) -> Iterator[Opened]:
    """Each URL's table as a RawTable over a temporary Parquet file, removed when the block ends; problems with a
    whole table (no driver, no connection, no such table, missing columns) go to `sink` with the URL as location."""
    opened = Opened([], {})
    with tempfile.TemporaryDirectory(prefix="luoshi-pg-") as folder:
        for n, url in enumerate(urls):
            target = parse_url(url)
            if target is None:
                sink.emit("LS501", None, f"「{masked(url)}」没有指明表", f"'{masked(url)}' names no table",
                          hint=("在地址后加 ?table=表名", "add ?table=NAME to the address"))
                continue
            _read(target, Path(folder) / f"t{n}", sink, opened)
        yield opened


def _driver() -> str | None:
    """The driver to read with: ADBC's PostgreSQL driver when installed (the rows arrive as Arrow batches built in C,
    2–3× less CPU than psycopg, which hands COPY data to Python a row at a time), else psycopg 3; None without
    either. `LUOSHI_PG_DRIVER=psycopg` (or `adbc`) picks one, for comparing them."""
    import importlib.util

    wanted = os.environ.get("LUOSHI_PG_DRIVER", "").strip().lower()
    for name, module in (("adbc", "adbc_driver_postgresql"), ("psycopg", "psycopg")):
        if wanted in ("", name) and importlib.util.find_spec(module) is not None:
            return name
    return None


def _read(target: Target, stem: Path, sink: Sink, opened: Opened) -> None:
    driver = _driver()
    if driver is None:
        sink.emit("LS500", None, f"无法读取「{target.shown}」：没有安装 PostgreSQL 驱动", f"cannot read '{target.shown}': no PostgreSQL driver",
                  hint=INSTALL)
        return
    if driver == "adbc":
        import adbc_driver_manager

        errors: type[Exception] = adbc_driver_manager.Error
        session: type[_Adbc | _Psycopg] = _Adbc
    else:
        import psycopg

        errors, session = psycopg.Error, _Psycopg
    parquet = stem.with_suffix(".parquet")
    try:
        with session(target.conninfo) as con:
            columns = _columns(con, target)
            if not columns:
                sink.emit("LS500", None, f"数据库中没有表「{target.shown}」", f"the database has no table '{target.shown}'",
                          hint=("用 ?table=模式.表名 指明表", "name it as ?table=schema.name"))
                return
            mapped = map_columns([name for name, _ in columns], target.shown, sink)
            if not missing_columns(mapped, target.shown, sink):
                return
            key = _primary_key(con, target)
            stored = _key_column([name for name, _ in columns]) if key else None
            con.write(target, columns, key, parquet, stored)
    except errors as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        sink.emit("LS500", None, f"无法读取「{target.shown}」：{reason}", f"cannot read '{target.shown}': {reason}")
        return
    opened.tables.append(RawTable(target.shown, mapped, parquet=parquet))
    if stored is not None:
        opened.keys[target.shown] = (parquet, stored)


class _Adbc:
    """A connection through ADBC's PostgreSQL driver, at its low level: the DB-API layer imports pandas and pyarrow
    (0.3 s of CPU before the first row), while DuckDB reads the driver's Arrow streams itself (the Arrow C stream
    interface), for the catalogue queries as for the rows."""

    def __init__(self, conninfo: str) -> None:
        import adbc_driver_manager
        import adbc_driver_postgresql  # type: ignore[import-untyped]  # the package ships no stubs
        import duckdb

        self._manager = adbc_driver_manager
        self._stack = contextlib.ExitStack()
        database = self._stack.enter_context(adbc_driver_postgresql.connect(conninfo))
        self._connection = self._stack.enter_context(adbc_driver_manager.AdbcConnection(database))
        self._duck = duckdb.connect()
        self._duck.execute("SET threads = 1")  # as the CSV loader: the Parquet writer's threads cost CPU and memory

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self._duck.close()
        self._stack.close()

    def _run(self, sql: str, consume: Callable[[duckdb.DuckDBPyConnection], _T]) -> _T:
        """Run `sql` on the server and hand its result, registered in DuckDB as `result`, to `consume`."""
        with self._manager.AdbcStatement(self._connection) as statement:
            statement.set_sql_query(sql)
            stream, _ = statement.execute_query()
            self._duck.register("result", stream)
            try:
                return consume(self._duck)
            finally:
                self._duck.unregister("result")

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return self._run(sql, lambda duck: duck.execute("SELECT * FROM result").fetchall())

    def write(self, target: Target, columns: list[tuple[str, str]], key: str | None, parquet: Path, stored: str | None) -> None:
        """The rows arrive as Arrow record batches (the driver reads PostgreSQL's binary COPY in C) and DuckDB streams
        them into the Parquet file with the types and values the CSV route gives: text and numeric columns are sent
        as PostgreSQL prints them and cast by DuckDB as it casts the CSV's cells."""
        copy = f"COPY (SELECT {_typed(columns, stored, cast=True)} FROM result) TO '{_sql_path(parquet)}' (FORMAT parquet)"
        self._run(_select(target, columns, key, as_text=True), lambda duck: duck.execute(copy))


class _Psycopg:
    """A connection through psycopg 3 (the fallback when ADBC's driver is not installed)."""

    def __init__(self, conninfo: str) -> None:
        import psycopg

        self._con = psycopg.connect(conninfo, autocommit=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self._con.close()

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self._con.execute(sql).fetchall()]

    def write(self, target: Target, columns: list[tuple[str, str]], key: str | None, parquet: Path, stored: str | None) -> None:
        """Stream the rows as CSV into a file, then let DuckDB type them as the table does and write Parquet. COPY
        writes NULL unquoted and an empty text quoted, so the two stay apart (`allow_quoted_nulls = false`)."""
        import duckdb

        text = parquet.with_suffix(".csv")
        with open(text, "wb") as out, self._con.cursor().copy(
                f"COPY ({_select(target, columns, key, as_text=False)}) TO STDOUT (FORMAT csv, ENCODING 'UTF8')") as copy:
            out.writelines(copy)  # libpq hands COPY data over a row at a time
        types = {f"c{i}": _TYPES.get(kind, "VARCHAR") for i, (_, kind) in enumerate(columns)}
        if key:
            types["k"] = "BIGINT"
        db = duckdb.connect()
        rel = (f"read_csv(?, header = false, columns = {_struct(types)}, allow_quoted_nulls = false, quote = '\"', "
               f"escape = '\"', delim = ',', new_line = '\\n', auto_detect = false)")
        db.execute(f"COPY (SELECT {_typed(columns, stored, cast=False)} FROM {rel}) TO '{_sql_path(parquet)}' (FORMAT parquet)", [str(text)])
        text.unlink()


def _key_column(names: list[str]) -> str:
    """The name the key gets in the Parquet file, after the table's own columns: one no column of the table has,
    so the engine (which reads the columns it maps, by name) never sees it."""
    name = "__luoshi_key"
    while name in names:
        name += "_"
    return name


def _relation(target: Target) -> str:
    return (f"{_ident(target.schema)}." if target.schema else "") + _ident(target.table)


def _literal(text: str) -> str:
    """A SQL string literal (standard_conforming_strings, PostgreSQL's default since 9.1): the two drivers bind
    parameters differently, and the only value these queries take is the relation's quoted name."""
    return "'" + text.replace("'", "''") + "'"


def _columns(con: _Adbc | _Psycopg, target: Target) -> list[tuple[str, str]]:
    """The table's columns in their order, with their types; [] when there is no such table (or view)."""
    rows = con.rows(f"""SELECT a.attname, format_type(a.atttypid, NULL) FROM pg_attribute a
                          WHERE a.attrelid = to_regclass({_literal(_relation(target))}) AND a.attnum > 0
                          AND NOT a.attisdropped ORDER BY a.attnum""")
    return [(str(name), str(kind)) for name, kind in rows]


def _primary_key(con: _Adbc | _Psycopg, target: Target) -> str | None:
    """The table's primary key when it is one integer column (the row's name in diagnostics), else None."""
    rows = con.rows(f"""SELECT a.attname, format_type(a.atttypid, NULL) FROM pg_index i
                          JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
                          WHERE i.indrelid = to_regclass({_literal(_relation(target))}) AND i.indisprimary""")
    if len(rows) == 1 and rows[0][1] in ("smallint", "integer", "bigint"):
        return str(rows[0][0])
    return None


def _select(target: Target, columns: list[tuple[str, str]], key: str | None, as_text: bool) -> str:
    """The server-side query: the columns in the table's order (named c0, c1 … so no name needs quoting again),
    then the key as k, in key order. With `as_text`, every column the Parquet file does not type natively is sent
    as PostgreSQL prints it, exactly the text COPY's CSV holds."""
    cells = [f"{_ident(n)}::text AS c{i}" if as_text and (kind not in _TYPES or kind == "numeric") else f"{_ident(n)} AS c{i}"
             for i, (n, kind) in enumerate(columns)]
    if key:
        cells.append(f"{_ident(key)} AS k")
    order = f" ORDER BY {_ident(key)}" if key else ""
    return f"SELECT {', '.join(cells)} FROM {_relation(target)}{order}"


def _typed(columns: list[tuple[str, str]], stored: str | None, cast: bool) -> str:
    """DuckDB's select list over c0, c1 … (and k): each named as in the table (cast to the type the table gives it
    when `cast`), the key last under the name `stored`."""
    cells = [(f"CAST(c{i} AS {_TYPES.get(kind, 'VARCHAR')})" if cast else f"c{i}") + f" AS {_ident(n)}" for i, (n, kind) in enumerate(columns)]
    if stored is not None:
        cells.append(f"CAST(k AS BIGINT) AS {_ident(stored)}")
    return ", ".join(cells)


def _struct(types: dict[str, str]) -> str:
    return "{" + ", ".join(f"'{c}': '{t}'" for c, t in types.items()) + "}"


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def configured_source(root: Path) -> str | None:
    """`[tool.luoshi.comply] source = "postgresql://…"` in the project's pyproject.toml: where completion data is
    read from when `luoshi comply` is given no DATA."""
    import tomllib

    settings = root / "pyproject.toml"
    try:
        tool = tomllib.loads(settings.read_text(encoding="utf-8")).get("tool", {})
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    source = tool.get("luoshi", {}).get("comply", {}).get("source")
    return source if isinstance(source, str) and source.strip() else None
