"""Completion data in PostgreSQL: `luoshi comply postgresql://user@host/db?table=NAME`.

Supervision systems keep their 台账 in a database, not in files. The table's rows are streamed out of the server
with `COPY (SELECT …) TO STDOUT` (psycopg 3; no server-side extension, nothing downloaded at run time) into a
temporary Parquet file with the table's own column types, and the engine reads that file exactly as it reads a
Parquet file a user gives: the same header mapping, the same validation, the same checks, the same report.

Rows are located by the table's key rather than a file row: when the table has a one-column integer primary key,
the rows are read in its order and every diagnostic names a row by its key value (`…?table=t:1042:3` is the row
whose key is 1042, third column); without one, by its position in the table's stored order (row 1 is the first).
The column is the table's column position, as `\\d table` lists them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..diagnostics import Sink
from .loaders import RawTable, map_columns, missing_columns
from .outcome import Evidence, Outcome

if TYPE_CHECKING:
    import psycopg

SCHEMES = ("postgresql://", "postgres://")
INSTALL = ("安装 PostgreSQL 驱动：pip install 'luoshi[postgres]'（即 psycopg 3）",
           "install the PostgreSQL driver: pip install 'luoshi[postgres]' (psycopg 3)")
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
    keys: dict[str, Path]  # shown source → a Parquet file of the key column, in row order (tables with a key)

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
            rows = con.execute("SELECT file_row_number + 1, k FROM read_parquet(?, file_row_number = true) "
                               "WHERE file_row_number + 1 IN (SELECT unnest(?))", [str(self.keys[src]), sorted(positions)]).fetchall()
            found |= {(src, int(p)): int(k) for p, k in rows}

        def moved(e: Evidence) -> Evidence:
            key = found.get((e.source, e.row))
            return e if key is None else dataclasses.replace(e, row=key)

        for i, d in enumerate(outcome.diagnostics):
            key = found.get((d.span.file, d.span.line)) if d.span else None
            if key is not None and d.span is not None:
                outcome.diagnostics[i] = dataclasses.replace(d, span=d.span.model_copy(update={"line": key, "end_line": key}))
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


def _read(target: Target, stem: Path, sink: Sink, opened: Opened) -> None:
    try:
        import psycopg
    except ImportError:
        sink.emit("LS500", None, f"无法读取「{target.shown}」：没有安装 PostgreSQL 驱动", f"cannot read '{target.shown}': no PostgreSQL driver",
                  hint=INSTALL)
        return
    try:
        with psycopg.connect(target.conninfo, autocommit=True) as con:
            columns = _columns(con, target)
            if not columns:
                sink.emit("LS500", None, f"数据库中没有表「{target.shown}」", f"the database has no table '{target.shown}'",
                          hint=("用 ?table=模式.表名 指明表", "name it as ?table=schema.name"))
                return
            mapped = map_columns([name for name, _ in columns], target.shown, sink)
            if not missing_columns(mapped, target.shown, sink):
                return
            key = _primary_key(con, target)
            _copy(con, target, columns, key, stem, sink)
    except psycopg.Error as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        sink.emit("LS500", None, f"无法读取「{target.shown}」：{reason}", f"cannot read '{target.shown}': {reason}")
        return
    parquet = stem.with_suffix(".parquet")
    opened.tables.append(RawTable(target.shown, mapped, parquet=parquet))
    if key is not None:
        opened.keys[target.shown] = stem.with_suffix(".keys.parquet")


def _relation(target: Target) -> str:
    return (f"{_ident(target.schema)}." if target.schema else "") + _ident(target.table)


def _columns(con: psycopg.Connection[tuple[Any, ...]], target: Target) -> list[tuple[str, str]]:
    """The table's columns in their order, with their types; [] when there is no such table (or view)."""
    rows = con.execute("""SELECT a.attname, format_type(a.atttypid, NULL) FROM pg_attribute a
                          WHERE a.attrelid = to_regclass(%s) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""",
                       [_relation(target)]).fetchall()
    return [(name, kind) for name, kind in rows]


def _primary_key(con: psycopg.Connection[tuple[Any, ...]], target: Target) -> str | None:
    """The table's primary key when it is one integer column (the row's name in diagnostics), else None."""
    rows = con.execute("""SELECT a.attname, format_type(a.atttypid, NULL) FROM pg_index i
                          JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
                          WHERE i.indrelid = to_regclass(%s) AND i.indisprimary""", [_relation(target)]).fetchall()
    if len(rows) == 1 and rows[0][1] in ("smallint", "integer", "bigint"):
        name: str = rows[0][0]
        return name
    return None


def _copy(con: psycopg.Connection[tuple[Any, ...]], target: Target, columns: list[tuple[str, str]], key: str | None, stem: Path, sink: Sink) -> None:
    """Stream the rows as CSV into a file, then let DuckDB type them as the table does and write Parquet. COPY writes
    NULL unquoted and an empty text quoted, so the two stay apart (`allow_quoted_nulls = false`)."""
    import duckdb

    names = [name for name, _ in columns]
    select = ", ".join(_ident(n) for n in names) + (f", {_ident(key)}" if key else "")
    order = f" ORDER BY {_ident(key)}" if key else ""
    text = stem.with_suffix(".csv")
    with open(text, "wb") as out, con.cursor().copy(
            f"COPY (SELECT {select} FROM {_relation(target)}{order}) TO STDOUT (FORMAT csv, ENCODING 'UTF8')") as copy:
        out.writelines(copy)  # libpq hands COPY data over a row at a time
    types = {f"c{i}": _TYPES.get(kind, "VARCHAR") for i, (_, kind) in enumerate(columns)}
    if key:
        types["k"] = "BIGINT"
    db = duckdb.connect()
    rel = (f"read_csv(?, header = false, columns = {_struct(types)}, allow_quoted_nulls = false, quote = '\"', "
           f"escape = '\"', delim = ',', new_line = '\\n', auto_detect = false)")
    cells = ", ".join(f'c{i} AS "{n.replace(chr(34), chr(34) * 2)}"' for i, n in enumerate(names))
    db.execute(f"COPY (SELECT {cells} FROM {rel}) TO '{_sql_path(stem.with_suffix('.parquet'))}' (FORMAT parquet)", [str(text)])
    if key:
        db.execute(f"COPY (SELECT k FROM {rel}) TO '{_sql_path(stem.with_suffix('.keys.parquet'))}' (FORMAT parquet)", [str(text)])
    text.unlink()


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
