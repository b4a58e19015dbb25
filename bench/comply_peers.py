"""`luoshi comply` beside its peers: the same checks on the same Parquet file done with pandas and with polars, the
verdicts asserted equal to luoshi's check by check before anything is timed (issue 21, item 3).

    python bench/comply_peers.py DATA.parquet [--as-of 2024-12-31] [--repeat 3] [--pg postgresql://…?table=NAME]
    python bench/comply_peers.py DATA.parquet --peer polars --plan PLAN.json   # one timed peer run (run.py uses it)

The peers read the plan luoshi compiles for the project (exported once as JSON: `Plan.to_json()`, the same file the
generated suite ships as checks.json) and do what a data engineer would write by hand: one scan of the five
columns that decide a verdict, a group-by on the text cells, names matched per distinct value (NFKC-folded, as
luoshi folds them), then one aggregation per kind of check on the matched ids. The few hundred per-check decisions
(periods of a recurring duty, the latest value of a target, working days of a case) are the same small Python
for both peers. They do **not** validate (no located diagnostics, no rows set aside — the sample data has no bad
rows, asserted), and they do not render a report: luoshi does both, so the ratio is an upper bound of its cost.

Each timed run is a fresh process (`run.py`'s wait4 wrapper): CPU seconds (user + sys) and peak RSS, medians.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
FIELDS = {"policy": "政策", "task": "任务", "unit": "单位", "scope": "范围", "status": "状态", "date": "日期",
          "metric": "指标", "value": "数值", "baseline": "基准值", "change": "变化", "case": "案件", "event": "事件"}
OPTIONAL = ("baseline", "change")  # read when the file has them (the bench data writes changes as 降低50% in 数值)
KEYS = ["policy", "task", "unit", "scope", "status", "metric", "value", "baseline", "change", "case", "event"]
UP, DOWN = ("提高", "增长", "增加", "上升", "提升"), ("降低", "下降", "减少", "压减")
_DIGITS = str.maketrans("０１２３４５６７８９．％，－＋", "0123456789.%,-+")


def number(value: str | None) -> tuple[float | None, bool, int]:
    """A 数值/基准值/变化 cell → (number, written in %, direction: +1 提高…, -1 降低…, 0 a level); what the bench data
    writes (42, 42%, ４２％, 1,200, 降低50%, 提高10%), not every form luoshi reads."""
    if value is None:
        return None, False, 0
    text = value.translate(_DIGITS).replace(",", "").replace(" ", "")
    direction = 0
    for words, sign in ((UP, 1), (DOWN, -1)):
        word = next((w for w in words if text.startswith(w)), None)
        if word:
            text, direction = text[len(word):].removeprefix("了"), sign
            break
    try:
        return float(text.rstrip("%")), text.endswith("%"), direction
    except ValueError:
        return None, False, 0


# ───────────── names: per distinct value, the same for both peers ─────────────


class Names:
    """The plan's catalogue as dictionaries from folded names to ids (what `Engine.resolve_names` matches)."""

    def __init__(self, plan):
        from luoshi.comply.engine import _STATUS
        from luoshi.comply.plan import fold_key, fold_number

        self.fold, self.fold_number, self.status_words = fold_key, fold_number, _STATUS
        self.policies = {k: p.id for p in plan.policies for k in p.keys}
        self.scopes = {p.id: p.scopes for p in plan.policies}
        self.tasks = {(t.policy, fold_key(t.id)): t for t in plan.tasks}
        self.assigned = {key: {k: a.unit for a in t.assigned for k in a.keys} for key, t in self.tasks.items()}

    def resolve(self, policy, task, unit, scope, status, metric, value, baseline, change, event) -> tuple | None:
        """A distinct combination of cells → (policy id, task id, unit id, scope id, done, metric, (number, percent,
        direction) of the value, of the baseline and of the change, which event), or None when a name is unknown
        (luoshi would set the row aside; asserted not to happen)."""
        pid = self.policies.get(self.fold_number(policy)) if policy else None
        entry = self.tasks.get((pid, self.fold(task))) if pid and task else None
        if entry is None:
            return None
        key = self.fold(unit) if unit else None
        uid = self.assigned[(pid, self.fold(task))].get(key) or entry.members.get(key)
        if uid is None:
            return None
        sid = self.scopes[pid].get(self.fold(scope)) if scope else None
        done = bool(status) and self.status_words.get(self.fold(status).lower()) == "done"
        name = entry.metrics.get(self.fold(metric)) if metric else None
        which = entry.events.get(self.fold(event)) if event else None
        return pid, entry.id, uid, sid, done, name, number(value), number(baseline), number(change), which


# ───────────── per-check decisions over the aggregates (small; shared) ─────────────


def verdicts(plan, as_of: dt.date, done: dict, done_days: dict, first: dict, values: dict,
             cases: dict) -> dict[str, str]:
    """Each check's reason (on_time, late, overdue, not_due, every_period, missing_period, met, missed, slow …)
    from the peer's aggregates: `done` (pid, tid, uid) → first done day; `done_days` key → sorted [(day, rows)]; `first` policy → first report day; `values` (pid, tid, metric, place) →
    [(day, row, num, pct, direction, baseline, change, change's direction)]; `cases` (pid, tid, uid) → [(case, start, end)]."""
    from luoshi.comply import workdays
    from luoshi.comply.periods import periods

    issued = {p.id: p.date for p in plan.policies}
    calendar: dict[dt.date, int] = {}
    out: dict[str, str] = {}
    for c in plan.checks:
        key = (c.policy, c.task, c.unit)
        if issued.get(c.policy) and issued[c.policy] > as_of:
            out[c.id] = "not_issued"
        elif c.kind.value == "deadline":
            on = done.get(key)
            out[c.id] = ("on_time" if on and on <= c.due else "late" if on else "overdue" if as_of > c.due else "not_due")
        elif c.kind.value == "recurring":
            start = c.window_start or first.get(c.policy)
            if not start:
                out[c.id] = "no_report"
                continue
            days = done_days.get(key, [])
            stamps = [d for d, _ in days]
            missing = open_ = 0
            spans = periods(c.frequency, start, min(c.window_end or as_of, as_of))
            for b, e in spans:
                n = sum(k for _, k in days[bisect.bisect_left(stamps, b):bisect.bisect_right(stamps, e)])
                if n < c.times:
                    missing, open_ = (missing + 1, open_) if e <= as_of else (missing, open_ + 1)
            out[c.id] = ("missing_period" if missing else "open_period" if open_ else "not_started" if not spans else "every_period")
        elif c.kind.value == "target":
            rows = sorted((r for r in values.get((c.policy, c.task, c.metric, c.scope or c.unit), ()) if r[0] <= (c.by or as_of)),
                          key=lambda r: (r[0], r[1]))
            if c.comparator in ("increase", "decrease"):  # a change already reached counts before its date
                out[c.id] = relative_verdict(c, rows, as_of)
                continue
            if c.by and c.by > as_of:
                out[c.id] = "not_due"
                continue
            last = max((r for r in rows if r[2] is not None), default=None, key=lambda r: (r[0], r[1]))
            if last is None:
                out[c.id] = "no_report"
                continue
            v = last[2] * 100 if c.target_unit == "%" and not last[3] and 0 <= last[2] <= 1 else last[2]
            t = c.threshold
            ok = {"le": v <= t + 1e-9, "gt": v > t, "lt": v < t, "eq": abs(v - t) <= 1e-9}.get(c.comparator, v >= t - 1e-9)
            out[c.id] = "met" if ok else "missed"
        else:  # working-day limit
            found = cases.get(key, [])
            if c.working_days and found and not calendar:  # one calendar over every case of every check
                every = [case for cs in cases.values() for case in cs]
                lo = min([s for _, s, _ in every] + [as_of])
                hi = max([e or s for _, s, e in every] + [as_of])
                calendar.update({d: cum for d, _, cum in workdays.calendar_rows(lo, hi)})
            slow = closed = 0
            for _, s, e in found:
                closed += e is not None
                if c.working_days:
                    used = calendar[e] - calendar[s] if e else None
                    running = calendar[as_of] - calendar[s]
                else:
                    used = (e - s).days if e else None
                    running = (as_of - s).days
                slow += (used is not None and used > c.limit_days) or (e is None and running > c.limit_days)
            out[c.id] = "slow" if slow else "within_limit" if closed else "open_cases" if found else "no_case"
    return out


def relative_verdict(c, rows: list[tuple], as_of: dt.date) -> str:
    """提高/降低 targets, written from the rule docs/dsl.md gives (not from luoshi's code): the latest row after the
    baseline date decides; a change (a 变化 cell, or a value with 提高/降低) is taken as reported, a level is compared
    with its row's 基准值, else with the latest level reported on or before the baseline date (relative in %)."""
    sign = 1 if c.comparator == "increase" else -1
    later = [r for r in rows if c.baseline_by is None or r[0] > c.baseline_by]
    if not later:
        return "not_due" if c.by and c.by > as_of else "no_report"
    _, _, num, _, direction, base, change, change_dir = later[-1]
    if change is not None or direction:
        size, way = (change, change_dir) if change is not None else (num, direction)
        v = size if way in (0, sign) else -size
    else:
        if base is None:
            levels = [r[2] for r in rows if c.baseline_by and r[0] <= c.baseline_by and r[2] is not None and not r[4]]
            if not levels:
                return "no_baseline"
            base = levels[-1]
        if (c.target_unit or "%") == "%":
            if base == 0:
                return "no_baseline"
            v = (num - base) / base * 100 * sign
        else:
            v = (num - base) * sign
    if v >= (c.threshold or 0) - 1e-9:
        return "met"
    return "not_due" if c.by and c.by > as_of else "missed"


def _facts(names: Names, groups: list[tuple]) -> tuple:
    """Grouped rows (cells…, first day, last day, first done day, rows, done rows per day) → the dictionaries
    `verdicts` reads. `groups` rows: (policy, task, unit, scope, status, metric, value, baseline, change, case, event, day, row, n)."""
    matched: dict[tuple, tuple | None] = {}
    done: dict = {}
    done_days: dict = {}
    first: dict = {}
    values: dict = {}
    starts: dict = {}
    for policy, task, unit, scope, status, metric, value, baseline, change, case, event, day, row, n in groups:
        cells = (policy, task, unit, scope, status, metric, value, baseline, change, event)
        if cells not in matched:
            matched[cells] = names.resolve(*cells)
        m = matched[cells]
        if m is None:
            raise SystemExit(f"the peers do not validate: unknown name in {cells}")
        pid, tid, uid, sid, is_done, metric_name, (num, pct, direction), (base, _, _), (chg, _, chg_dir), which = m
        key = (pid, tid, uid)
        if case is not None:
            slot = starts.setdefault((key, case), [None, None])
            if which == "start":
                slot[0] = day if slot[0] is None else min(slot[0], day)
            elif which == "end":
                slot[1] = day if slot[1] is None else max(slot[1], day)
            continue
        first[pid] = min(first.get(pid, day), day)
        if is_done:
            done[key] = min(done.get(key, day), day)
            done_days.setdefault(key, {}).setdefault(day, 0)
            done_days[key][day] += n
        if metric_name is not None and (num is not None or chg is not None):
            values.setdefault((pid, tid, metric_name, sid or uid), []).append((day, row, num, pct, direction, base, chg, chg_dir))
    cases: dict = {}
    for (key, case), (s, e) in starts.items():
        cases.setdefault(key, []).append((case, s, e))
    return done, {k: sorted(v.items()) for k, v in done_days.items()}, first, values, cases


# ───────────── the two peers: scan and group in the library ─────────────


def _fields(headers: list[str]) -> dict[str, str]:
    """The fields the file has: every one but the optional 基准值 and 变化 must be there."""
    return {f: h for f, h in FIELDS.items() if f not in OPTIONAL or h in headers}


def pandas_groups(path: Path, as_of: dt.date) -> list[tuple]:
    import pandas as pd
    import pyarrow.parquet as pq

    fields = _fields(pq.read_schema(path).names)
    frame = pd.read_parquet(path, columns=list(fields.values()), dtype_backend="pyarrow")
    frame.columns = list(fields)
    frame["row"] = range(1, len(frame) + 1)
    frame = frame[frame["date"] <= pd.Timestamp(as_of).date()]
    keys = [k for k in KEYS if k in fields]
    grouped = (frame.groupby(keys + ["date"], dropna=False, sort=False, observed=True)
               .agg(row=("row", "max"), n=("row", "size")).reset_index())
    grouped = grouped.astype(object).where(grouped.notna(), None)
    for k in set(KEYS) - set(keys):  # a column the file does not have: empty in every group
        grouped[k] = None
    return list(grouped[KEYS + ["date", "row", "n"]].itertuples(index=False, name=None))


def polars_groups(path: Path, as_of: dt.date) -> list[tuple]:
    import polars as pl

    scan = pl.scan_parquet(path)
    fields = _fields(scan.collect_schema().names())
    keys = [k for k in KEYS if k in fields]
    frame = (scan.select([pl.col(h).alias(f) for f, h in fields.items()])
             .with_row_index("row", offset=1)
             .filter(pl.col("date") <= as_of)
             .group_by(keys + ["date"]).agg(pl.col("row").max(), pl.len().alias("n"))
             .collect())
    frame = frame.with_columns([pl.lit(None, dtype=pl.String).alias(k) for k in KEYS if k not in fields])
    return frame.select(KEYS + ["date", "row", "n"]).rows()


PEERS = {"pandas": pandas_groups, "polars": polars_groups}


def peer_verdicts(peer: str, plan, path: Path, as_of: dt.date) -> dict[str, str]:
    groups = PEERS[peer](path, as_of)
    return verdicts(plan, as_of, *_facts(Names(plan), groups))


def luoshi_verdicts(plan, path: Path, as_of: dt.date) -> tuple[dict[str, str], int]:
    from luoshi.comply.engine import run
    from luoshi.comply.loaders import load_tables
    from luoshi.diagnostics import Sink

    sink = Sink()
    outcome = run(plan, load_tables([path], sink), as_of, sink)
    return {r.id: r.reason for r in outcome.results}, outcome.rows_set_aside


# ───────────── comparing and timing ─────────────


def export_plan(folder: Path, project: Path) -> tuple[object, Path]:
    """The plan of the project at `project` (luoshi compiles it, or takes the kept one) as JSON, as the peers read it."""
    from luoshi.comply.plancache import project_plan
    from luoshi.driver.project import find_project

    with contextlib.chdir(project):  # the corpus is compiled from the working directory, as `luoshi comply` does
        plan = project_plan(find_project(project)).plan
    if plan is None:
        raise SystemExit(f"the corpus at {project} has errors: run luoshi check there")
    path = folder / "plan.json"
    path.write_bytes(plan.to_json())
    return plan, path


def compare(plan, path: Path, as_of: dt.date) -> dict[str, int]:
    """Assert that each peer gives luoshi's verdict for every check; the counts of reasons."""
    ours, set_aside = luoshi_verdicts(plan, path, as_of)
    if set_aside:
        raise SystemExit(f"{set_aside} rows set aside: the peers do not validate, use data without bad rows")
    for peer in PEERS:
        theirs = peer_verdicts(peer, plan, path, as_of)
        differ = sorted(k for k in ours if ours[k] != theirs.get(k))
        if differ:
            raise SystemExit(f"{peer} differs from luoshi on {len(differ)} checks, e.g. "
                             + "; ".join(f"{k}: luoshi {ours[k]}, {peer} {theirs.get(k)}" for k in differ[:5]))
    counts: dict[str, int] = {}
    for reason in ours.values():
        counts[reason] = counts.get(reason, 0) + 1
    return counts


def _median(values: list[float]) -> float:
    s = sorted(values)
    return s[len(s) // 2] if len(s) % 2 else (s[len(s) // 2 - 1] + s[len(s) // 2]) / 2


def timed(label: str, cmd: list[str], repeat: int, cwd: Path, env: dict[str, str] | None = None) -> dict:
    """Median CPU and wall seconds and peak MB of `repeat` fresh runs (run.py's wait4 wrapper)."""
    return alternated([(label, cmd)], repeat, cwd, {label: env} if env else None)[0]


def alternated(steps: list[tuple[str, list[str]]], repeat: int, cwd: Path, envs: dict[str, dict[str, str]] | None = None) -> list[dict]:
    """`timed` for several steps, their runs alternated (one of each, `repeat` times): on a shared machine the load
    changes from minute to minute, and a ratio of two steps is only fair when both ran in the same minutes."""
    sys.path.insert(0, str(HERE))
    from run import _measure

    runs: dict[str, list[dict]] = {label: [] for label, _ in steps}
    for _ in range(repeat):
        for label, cmd in steps:
            runs[label].append(_measure(cmd, cwd, (envs or {}).get(label)))
    out = []
    for label, done in runs.items():
        bad = [r for r in done if r["exit"] not in (0, 1)]
        if bad:
            raise SystemExit(f"{label} failed: {bad[0]['stderr']}")
        out.append({"step": label, "cpu": _median([r["cpu"] for r in done]), "wall": _median([r["wall"] for r in done]),
                    "mb": _median([r["mb"] for r in done])})
    return out


def load_postgres(data: Path, dsn: str, table: str) -> str:
    """The Parquet file's rows as a PostgreSQL table (`id` its primary key in file order; 日期 a `date`), loaded
    with COPY: the database a supervision system would hold. Returns the table's luoshi URL."""
    import duckdb
    import psycopg

    with tempfile.TemporaryDirectory(prefix="luoshi-pg-load-") as folder:
        text = Path(folder) / "rows.csv"
        con = duckdb.connect()
        names = [name for name, *_ in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(data)]).fetchall()]
        con.execute(f"COPY (SELECT row_number() OVER () AS id, * FROM read_parquet('{data}')) TO '{text}' (HEADER false)")
        columns = ", ".join(f'"{n}" {"date" if n == "日期" else "text"}' for n in names)
        with psycopg.connect(dsn, autocommit=True) as db:
            db.execute(f'DROP TABLE IF EXISTS "{table}"')
            db.execute(f'CREATE TABLE "{table}" (id bigint PRIMARY KEY, {columns})')
            with db.cursor().copy(f'COPY "{table}" FROM STDIN (FORMAT csv)') as copy, open(text, "rb") as rows:
                while chunk := rows.read(1 << 20):
                    copy.write(chunk)
    return dsn + ("&" if "?" in dsn else "?") + f"table={table}"


def bench(data: Path, as_of: str, repeat: int, pg: str | None = None, cwd: Path = REPO) -> list[dict]:
    """Verify, then time luoshi, the bare DuckDB scan, pandas and polars (and luoshi over PostgreSQL) on `data`."""
    day = dt.date.fromisoformat(as_of)
    with tempfile.TemporaryDirectory(prefix="luoshi-peers-") as folder:
        plan, plan_path = export_plan(Path(folder), cwd)
        counts = compare(plan, data, day)
        print(f"  verdicts identical for {len(plan.checks)} checks ({counts})", file=sys.stderr, flush=True)
        out = Path(folder) / "out.json"
        py = sys.executable
        steps = [("luoshi comply", [py, "-m", "luoshi", "comply", str(data), "--as-of", as_of, "-f", "json", "-o", str(out), "--force"]),
                 ("bare DuckDB scan", [py, str(HERE / "stages.py"), "scan", str(data)])]
        steps += [(f"{peer} peer", [py, str(HERE / "comply_peers.py"), str(data), "--as-of", as_of, "--peer", peer, "--plan", str(plan_path)])
                  for peer in PEERS]
        drivers: dict[str, dict[str, str]] = {}
        if pg:  # each driver comply/postgres.py can read with (ADBC's Arrow batches, psycopg's COPY)
            steps += [(f"luoshi comply (PostgreSQL, {driver})", [py, "-m", "luoshi", "comply", pg, "--as-of", as_of, "-f", "json",
                                                                 "-o", str(out), "--force"]) for driver in ("adbc", "psycopg")]
            drivers = {label: {"LUOSHI_PG_DRIVER": label.rsplit(" ", 1)[1].rstrip(")")} for label, _ in steps[-2:]}
        rows = alternated(steps[:2], repeat, cwd)  # luoshi and the scan, whose ratio is the target: in the same minutes
        for label, cmd in steps[2:]:
            rows.append(timed(label, cmd, repeat, cwd, drivers.get(label)))
        for r in rows:
            print(f"  {r['step']}: cpu {r['cpu']:.2f} s, wall {r['wall']:.2f} s, {r['mb']:.0f} MB", file=sys.stderr, flush=True)
        return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", type=Path)
    parser.add_argument("--as-of", default="2024-12-31")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pg", help="also load the rows into this PostgreSQL database (a libpq URL) and time luoshi comply on it")
    parser.add_argument("--peer", choices=sorted(PEERS), help="run one peer once (what the timing runs)")
    parser.add_argument("--plan", type=Path, help="the exported plan (with --peer)")
    args = parser.parse_args()
    if args.peer:
        from luoshi.comply.plan import Plan

        plan = Plan.from_json(args.plan.read_bytes())
        result = peer_verdicts(args.peer, plan, args.data, dt.date.fromisoformat(args.as_of))
        print(json.dumps(result, ensure_ascii=False, sort_keys=True))
        return
    pg = load_postgres(args.data.resolve(), args.pg, "luoshi_bench") if args.pg else None
    rows = bench(args.data.resolve(), args.as_of, args.repeat, pg, cwd=Path.cwd())
    scan = next(r["cpu"] for r in rows if r["step"] == "bare DuckDB scan")
    print("| step | CPU s | wall s | MB | CPU ÷ scan |\n|---|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['step']} | {r['cpu']:.2f} | {r['wall']:.2f} | {r['mb']:.0f} | {r['cpu'] / scan:.2f} |")


if __name__ == "__main__":
    if "PYTHONPATH" not in os.environ:  # the checkout's luoshi, as run.py's other steps use it
        sys.path.insert(0, str(REPO / "compiler"))
    main()
