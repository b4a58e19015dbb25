"""`luoshi comply postgresql://…?table=NAME`: completion data read from a real PostgreSQL server gives the report the
equivalent Parquet file gives, byte for byte (but for the source's name), and bad rows are named by the table and
the row's primary key.

The server comes from LUOSHI_TEST_PG_DSN (a libpq URL of a database the tests may create tables in). `.ci/run`
installs Debian's postgresql, starts a throw-away cluster, sets the URL and LUOSHI_REQUIRE_PG=1: there a missing or
unreachable server fails the tests. Elsewhere (a bare machine with nothing but Python) they are skipped, saying how
to get a server, so nobody mistakes the PostgreSQL source for tested.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from luoshi.comply import sample
from luoshi.comply.checks import compile_plan
from luoshi.comply.postgres import configured_source, parse_url
from luoshi.driver.pipeline import compile_paths

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2024-12-31"
HEAD = ["政策", "任务", "单位", "范围", "状态", "日期", "指标", "数值", "备注", "案件", "事件"]
INSTALL = ("no PostgreSQL server for the tests: install one (apt-get install -y postgresql), start a cluster and set "
           "LUOSHI_TEST_PG_DSN=postgresql://user@/db?host=SOCKET_DIR&port=PORT (.ci/run does all of this)")


def _no_server(reason: str) -> None:
    """Fail in CI, where the server is required; elsewhere skip, saying plainly why."""
    message = f"{INSTALL} [{reason}]"
    if os.environ.get("LUOSHI_REQUIRE_PG") == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def dsn() -> str:
    url = os.environ.get("LUOSHI_TEST_PG_DSN")
    if not url:
        _no_server("LUOSHI_TEST_PG_DSN is not set")
    try:
        import psycopg
    except ImportError:
        _no_server("psycopg is not installed: pip install 'luoshi[postgres]'")
    try:
        psycopg.connect(url, connect_timeout=5).close()
    except psycopg.Error as exc:
        _no_server(f"cannot connect: {str(exc).strip()[:200]}")
    return url


def _with_table(dsn: str, table: str) -> str:
    return dsn + ("&" if "?" in dsn else "?") + f"table={table}"


def load(dsn: str, name: str, columns: str, csv_path: Path) -> str:
    """Create a table with `columns` and COPY the header-less CSV into it, as a 台账 system would hold it; its name
    is `name` and this process's id, so two test runs on one server do not share a table."""
    import psycopg

    table = f"{name}_{os.getpid()}"
    with psycopg.connect(dsn, autocommit=True) as con:
        con.execute(f'DROP TABLE IF EXISTS "{table}"')
        con.execute(f'CREATE TABLE "{table}" ({columns})')
        with con.cursor().copy(f'COPY "{table}" FROM STDIN (FORMAT csv)') as copy, open(csv_path, "rb") as data:
            while chunk := data.read(1 << 20):
                copy.write(chunk)
    return table


def drop(dsn: str, *tables: str) -> None:
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as con:
        for table in tables:
            con.execute(f'DROP TABLE IF EXISTS "{table}"')


def cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "luoshi", *args], cwd=ROOT, capture_output=True, text=True, env=env, check=False)


def comply(data: str, out: Path, fmt: str = "json") -> tuple[subprocess.CompletedProcess, bytes]:
    result = cli("comply", data, "--as-of", AS_OF, "--format", fmt, "-o", str(out), "--force")
    assert "Traceback" not in result.stderr, result.stderr
    return result, out.read_bytes() if out.exists() else b""


# ───────────── a million rows: the same report as from Parquet ─────────────


@pytest.fixture(scope="module")
def million(dsn, tmp_path_factory) -> Iterator[tuple[Path, str]]:
    """The seed corpus's sample data with planted violations, repeated to 1,000,000 rows: as a Parquet file, and as
    a PostgreSQL table (日期 a `date` column, `id` its primary key, numbered in the file's order)."""
    folder = tmp_path_factory.mktemp("pg")
    corpus = compile_paths(None).corpus
    small = folder / "small.parquet"
    small.write_bytes(sample.to_parquet(sample.generate(corpus, compile_plan(corpus), sample.SampleOptions(violations=0.3, seed=4))))
    big, text = folder / "big.parquet", folder / "big.csv"
    con = duckdb.connect()
    n = con.execute("SELECT count(*) FROM read_parquet(?)", [str(small)]).fetchone()[0]
    cells = ", ".join(f'"{h}"' for h in HEAD)
    con.execute(f"""CREATE TABLE big AS SELECT {cells} FROM (SELECT *, file_row_number AS r FROM read_parquet('{small}', file_row_number = true)),
                    range({-(-1_000_000 // n)}) t(copy) ORDER BY copy, r LIMIT 1000000""")
    con.execute(f"COPY big TO '{big}' (FORMAT parquet)")
    con.execute(f"COPY (SELECT row_number() OVER () AS id, * FROM big) TO '{text}' (HEADER false)")
    assert con.execute("SELECT count(*) FROM read_parquet(?)", [str(big)]).fetchone()[0] == 1_000_000
    columns = "id bigint PRIMARY KEY, " + ", ".join(f'"{h}" {"date" if h == "日期" else "text"}' for h in HEAD)
    table = load(dsn, "completion_1m", columns, text)
    yield big, _with_table(dsn, table)
    drop(dsn, table)


@pytest.fixture(params=["adbc", "psycopg"])
def driver(request, monkeypatch) -> str:
    """Each driver luoshi reads PostgreSQL with (LUOSHI_PG_DRIVER, inherited by the `luoshi` processes): ADBC's when
    installed, psycopg's otherwise; both must give the same reports."""
    import importlib.util

    module = {"adbc": "adbc_driver_postgresql", "psycopg": "psycopg"}[request.param]
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed: pip install 'luoshi[postgres]'")
    monkeypatch.setenv("LUOSHI_PG_DRIVER", request.param)
    return request.param


@pytest.mark.parametrize("fmt", ["json", "markdown"])
def test_a_million_rows_from_postgresql_give_the_parquet_report(million, tmp_path, fmt, driver):
    parquet, url = million
    from_file, file_report = comply(str(parquet), tmp_path / f"file.{fmt}", fmt)
    from_db, db_report = comply(url, tmp_path / f"db.{fmt}", fmt)
    assert from_file.returncode == 1 and from_db.returncode == 1, from_db.stderr  # planted violations fail checks
    from luoshi.commands.comply import shown_names

    # the file as the report names it (`luoshi comply` runs in ROOT: a file outside it is named by its file name)
    shown, path = parse_url(url).shown, shown_names([parquet], ROOT)[parquet]
    if fmt == "markdown":  # Markdown escapes the names' underscores
        shown, path = shown.replace("_", "\\_"), path.replace("_", "\\_")
    assert shown.encode() in db_report and b"host=" not in db_report  # named without its connection settings
    assert db_report.replace(shown.encode(), path.encode()) == file_report
    if fmt == "json":
        report = json.loads(db_report)
        assert report["rows"]["read"] == 1_000_000
        assert {r["status"] for r in report["results"]} >= {"pass", "fail"}
    assert from_db.stderr.splitlines()[-1] == from_file.stderr.splitlines()[-1]  # the summary line


# ───────────── bad rows: named by table and key ─────────────

ROWS = [  # id, then the HEAD cells
    (101, "云阳府办发〔2019〕22号", "4.1", "各乡镇（街道）", None, "已完成", "2019-03-20", None, None, None, None, None),
    (205, "云阳府办发〔2019〕22号", "4.1", "各乡镇（街道）", None, "已完成", "2019-13-45", None, None, None, None, None),
    (309, "云阳府办发〔2019〕22号", "4.1", "不存在的单位", None, "已完成", "2019-03-25", None, None, None, None, None),
    (412, "云阳府办发〔2019〕22号", "4.1", "各乡镇（街道）", None, "已完成", "2019-03-28", None, None, None, None, None),
]


@pytest.fixture(scope="module")
def bad(dsn, tmp_path_factory) -> Iterator[tuple[Path, str, str]]:
    """Four rows, the second with an impossible date, the third with a unit no policy knows: a keyed table (ids 101,
    205, 309, 412), the same table without a key, and the same rows as a Parquet file (all columns text)."""
    folder = tmp_path_factory.mktemp("pgbad")
    con = duckdb.connect()
    con.execute("CREATE TABLE t (id BIGINT, " + ", ".join(f'"{h}" VARCHAR' for h in HEAD) + ")")
    con.executemany("INSERT INTO t VALUES (" + ", ".join("?" * (len(HEAD) + 1)) + ")", [list(r) for r in ROWS])
    parquet, text = folder / "bad.parquet", folder / "bad.csv"
    con.execute(f"COPY (SELECT * EXCLUDE (id) FROM t ORDER BY id) TO '{parquet}' (FORMAT parquet)")
    con.execute(f"COPY (SELECT * FROM t ORDER BY id) TO '{text}' (HEADER false)")
    cells = ", ".join(f'"{h}" text' for h in HEAD)
    keyed = load(dsn, "bad_keyed", "id integer PRIMARY KEY, " + cells, text)
    plain = load(dsn, "bad_plain", "id integer, " + cells, text)
    yield parquet, _with_table(dsn, keyed), _with_table(dsn, plain)
    drop(dsn, keyed, plain)


def _problems(report: bytes) -> list[tuple[str, int, int, str]]:
    return [(p["span"]["file"], p["span"]["line"], p["span"]["column"], p["code"]) for p in json.loads(report)["problems"]]


def test_bad_rows_are_named_by_table_and_primary_key(bad, tmp_path, driver):
    parquet, keyed, plain = bad
    _, file_report = comply(str(parquet), tmp_path / "file.json")
    result, keyed_report = comply(keyed, tmp_path / "keyed.json")
    _, plain_report = comply(plain, tmp_path / "plain.json")
    assert result.returncode == 1
    by_file = _problems(file_report)
    # the file: rows 2 and 3 (first data row is 1), 日期 is column 6 and 单位 column 3
    assert [(line, column, code) for _, line, column, code in by_file] == [(2, 6, "LS520"), (3, 3, "LS513")]
    # the keyed table: the same cells, named by the rows' ids; the columns count the id column (it is the first)
    shown = parse_url(keyed).shown
    assert _problems(keyed_report) == [(shown, 205, 7, "LS520"), (shown, 309, 4, "LS513")]
    # the table without a key: rows by their position in the table's order
    assert _problems(plain_report) == [(parse_url(plain).shown, 2, 7, "LS520"), (parse_url(plain).shown, 3, 4, "LS513")]
    assert f"{shown}:205:7" in result.stderr  # the human diagnostics name the row by its key too
    # evidence rows are keys too: 4.1's on-time report is row 1 of the file and id 101 of the table
    file_rows = {e["row"] for r in json.loads(file_report)["results"] for e in r["evidence"]}
    keyed_rows = {e["row"] for r in json.loads(keyed_report)["results"] for e in r["evidence"]}
    assert file_rows == {1} and keyed_rows == {101}
    without_places = json.loads(keyed_report)
    assert without_places["rows"] == json.loads(file_report)["rows"]


def test_a_missing_table_or_server_is_a_diagnostic_not_a_traceback(dsn, tmp_path, driver):
    result, _ = comply(_with_table(dsn, "no_such_table"), tmp_path / "none.json")
    assert result.returncode != 0
    assert "LS500" in result.stderr and "数据库中没有表" in result.stderr and "has no table" in result.stderr
    result, _ = comply("postgresql://nobody@/nothing?host=/nonexistent&table=t", tmp_path / "none.json")
    assert result.returncode != 0 and "LS500" in result.stderr and "无法读取" in result.stderr


def test_the_project_source_is_read_when_no_data_is_given(bad, tmp_path):
    """`[tool.luoshi.comply] source` in a project's pyproject.toml: `luoshi comply` with no DATA reads that table."""
    _, keyed, _ = bad
    project = tmp_path / "project"
    shutil.copytree(ROOT / "policies", project / "policies")
    (project / "pyproject.toml").write_text(f'[tool.luoshi]\npolicies = "policies"\n\n[tool.luoshi.comply]\nsource = "{keyed}"\n',
                                            encoding="utf-8")
    env = {**os.environ, "COLUMNS": "200"}
    run = [sys.executable, "-m", "luoshi", "comply", "--as-of", AS_OF, "--format", "json", "-o", "r.json"]
    result = subprocess.run(run, cwd=project, capture_output=True, text=True, env=env, check=False)
    assert "Traceback" not in result.stderr
    _, direct = comply(keyed, tmp_path / "direct.json")
    assert (project / "r.json").read_bytes() == direct


# ───────────── without a server ─────────────


def test_the_url_is_shown_without_password_or_connection_settings():
    target = parse_url("postgresql://ops:s3cret@db.example:5432/supervision?sslmode=require&table=tasks.done")
    assert target.shown == "postgresql://ops:***@db.example:5432/supervision?table=tasks.done"
    assert (target.schema, target.table) == ("tasks", "done")
    assert "s3cret" in target.conninfo and "sslmode=require" in target.conninfo and "table=" not in target.conninfo
    assert parse_url("postgresql://ops@db/supervision") is None  # no table: LS501
    result = cli("comply", "postgresql://ops:s3cret@/nothing?host=/nonexistent&password=s3cret", "--as-of", AS_OF)
    assert result.returncode != 0 and "LS501" in result.stderr and "postgresql://ops:***@/nothing" in result.stderr
    assert "s3cret" not in result.stderr


def test_the_source_can_come_from_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.luoshi]\npolicies = "p"\n\n[tool.luoshi.comply]\n'
                                             'source = "postgresql://ops@db/supervision?table=done"\n', encoding="utf-8")
    assert configured_source(tmp_path) == "postgresql://ops@db/supervision?table=done"
    (tmp_path / "pyproject.toml").write_text('[tool.luoshi]\npolicies = "p"\n', encoding="utf-8")
    assert configured_source(tmp_path) is None


# ───────────── the two drivers: the same typed rows ─────────────


def test_both_drivers_write_the_same_typed_rows(dsn, tmp_path, monkeypatch):
    """Every column type the Parquet file types (dates, timestamps, booleans, integers, floats, numeric) and one it
    does not (jsonb, read as text as PostgreSQL prints it), NULL apart from an empty text: ADBC's Arrow batches and
    psycopg's CSV give the same cells, and a keyed table's rows keep their keys."""
    import importlib.util

    from luoshi.comply.postgres import open_tables
    from luoshi.diagnostics import Sink

    for module in ("adbc_driver_postgresql", "psycopg"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"{module} is not installed: pip install 'luoshi[postgres]'")
    import psycopg

    table = f"typed_{os.getpid()}"
    with psycopg.connect(dsn, autocommit=True) as con:
        con.execute(f'DROP TABLE IF EXISTS "{table}"')
        con.execute(f'''CREATE TABLE "{table}" (id integer PRIMARY KEY, "政策" text, "任务" text, "单位" text, "状态" text,
                        "日期" date, "数值" numeric, "倍数" double precision, "比例" real, "次数" smallint, "达标" boolean,
                        "上报" timestamp, "附注" jsonb)''')
        con.execute(f'''INSERT INTO "{table}" VALUES
                        (7, '某政策', '1', '甲单位', '已完成', '2024-03-01', 1.50, 0.1, 2.5, 3, true, '2024-03-01 08:30:00', '{{"a": [1, 2]}}'),
                        (3, '', NULL, '"乙",单位', '进行中', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                        (12, '某政策', '2', E'丙\\n单位', '已完成', '2019-12-31', 12345678901234.5678, -1e300, 0, -2, false, '1999-01-01', '[]')''')
    url = _with_table(dsn, table)
    seen = {}
    try:
        for driver in ("adbc", "psycopg"):
            monkeypatch.setenv("LUOSHI_PG_DRIVER", driver)
            sink = Sink()
            with open_tables([url], sink) as opened:
                assert not sink.items, sink.items
                (raw,) = opened.tables
                con = duckdb.connect()
                seen[driver] = (con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(raw.parquet)]).fetchall(),
                                con.execute("SELECT * FROM read_parquet(?)", [str(raw.parquet)]).fetchall())
    finally:
        drop(dsn, table)
    types, rows = seen["adbc"]
    assert seen["psycopg"] == seen["adbc"]
    assert [kind for _, kind, *_ in types] == ["INTEGER", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "DATE", "DOUBLE", "DOUBLE",
                                               "FLOAT", "SMALLINT", "BOOLEAN", "TIMESTAMP", "VARCHAR", "BIGINT"]
    assert [r[0] for r in rows] == [3, 7, 12] and [r[-1] for r in rows] == [3, 7, 12]  # key order, the key stored last
    assert rows[0][1] == "" and rows[0][2] is None and rows[0][3] == '"乙",单位'
    assert rows[1][6] == 1.5 and rows[1][12] == '{"a": [1, 2]}' and rows[2][3] == "丙\n单位"
