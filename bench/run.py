"""The benchmarks, end to end, in one command: generate each corpus size, time every stage, print one table.

    python bench/run.py                                   # seed and 1k corpora, comply on 1M rows for the seed
    python bench/run.py --sizes seed,1k,10k --rows seed=1m,1k=10m --site 100,1k
    python bench/run.py --sizes seed --rows seed=10m --peers seed --pg postgresql://…   # comply, its peers, PostgreSQL
    python bench/run.py --sizes seed,1k,10k --edits       # only a cold lint, warm runs and edits (issue 21)

Each step runs in a fresh process; its wall time, CPU time (user + sys, workers included) and peak memory (the
largest resident size of the process and the workers it waited for, from wait4) are measured by the OS, and the
peak memory of the whole process tree summed (PSS, sampled from /proc every 50 ms: a parent and its parse workers
together). The machine is shared: compare CPU seconds and memory, not wall times. Steps
marked «in-process» are timed inside one process (bench/stages.py) and share that process's peak memory.
Baselines run in the same session: lark's own LALR parse of the same files with luoshi's grammar on both cores
(bench/stages.py `lark`: luoshi's lark options, and propagate_positions as luoshi parsed before), divided into the
cold `luoshi lint` of the same run, and a plain DuckDB scan of the same completion data. Results also go to WORK/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402

AS_OF = "2024-12-31"


def count(text: str) -> int:
    text = text.lower().replace("_", "")
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * scale)


def _measure(cmd: list[str], cwd: Path, env: dict | None = None) -> dict:
    """Run `cmd` in a small wrapper process that reaps it with wait4: wall seconds, CPU seconds (the command and
    the workers it reaped) and peak RSS in MB, as the OS accounts them."""
    wrapper = [sys.executable, str(HERE / "run.py"), "--exec", json.dumps(cmd)]
    done = subprocess.run(wrapper, cwd=cwd, capture_output=True, env={**os.environ, **(env or {})})
    try:
        result = json.loads(done.stdout.decode().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        raise RuntimeError(done.stderr.decode()[-2000:]) from None
    return result


def _tree_memory(root: int) -> tuple[int, int]:
    """Resident and proportional (PSS: a page shared by n processes counts 1/n) bytes of `root` and every process
    below it right now, from /proc. wait4's peak is the largest single process; a parent and its forked workers
    are only seen together this way."""
    below: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(f"/proc/{entry.name}/stat").read_text()
            except OSError:
                continue
            below.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry.name))
    rss = pss = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        todo += below.get(pid, [])
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith(("Rss:", "Pss:")):
                    kb = int(line.split()[1]) * 1024
                    rss, pss = (rss + kb, pss) if line.startswith("Rss:") else (rss, pss + kb)
        except (OSError, ValueError):
            continue
    return rss, pss


def exec_and_report(cmd: list[str]) -> None:
    """Inside the wrapper: run the command with its output captured, reap it with wait4, print the figures. A
    thread samples the memory of the whole process tree every 50 ms (`_tree_memory`): the peak summed over the
    command and its workers."""
    started = time.perf_counter()
    peaks = [0, 0]
    with open(os.devnull, "wb") as null:
        out_path = Path(os.environ.get("BENCH_STDOUT", os.devnull))
        with open(out_path, "wb") if out_path != Path(os.devnull) else null as out:
            proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE)
            done = threading.Event()

            def sample() -> None:
                while not done.wait(0.05):
                    rss, pss = _tree_memory(proc.pid)
                    peaks[:] = [max(peaks[0], rss), max(peaks[1], pss)]

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            err = proc.stderr.read()
            done.set()
            sampler.join()
            _, status, usage = os.wait4(proc.pid, 0)
    print(json.dumps({"wall": time.perf_counter() - started, "cpu": usage.ru_utime + usage.ru_stime,
                      "mb": usage.ru_maxrss / 1024, "rss_sum": peaks[0] / 2 ** 20, "pss_sum": peaks[1] / 2 ** 20,
                      "exit": os.waitstatus_to_exitcode(status), "stderr": err.decode("utf-8", "replace")[-1500:]}))


class Bench:
    def __init__(self, work: Path):
        self.work = work
        self.rows: list[dict] = []

    def record(self, size: str, step: str, r: dict, note: str = "") -> dict:
        row = {"size": size, "step": step, "wall": r.get("wall"), "cpu": r.get("cpu"), "mb": r.get("mb"),
               "pss_sum": r.get("pss_sum"), "rss_sum": r.get("rss_sum"), "exit": r.get("exit", 0), "note": note}
        self.rows.append(row)
        (self.work / "results.json").write_text(json.dumps({"machine": machine(), "rows": self.rows}, ensure_ascii=False, indent=1))
        shown = " ".join(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}" for k, v in row.items() if k != "size" and v is not None)
        print(f"  [{size}] {shown}", file=sys.stderr, flush=True)
        if r.get("exit") not in (0, None) and "comply" not in step:
            print(r.get("stderr", ""), file=sys.stderr)
        return r

    def ratio(self, size: str, step: str, r: dict, floor: dict, note: str) -> None:
        """A row of two measured steps of this run divided: CPU by CPU, wall by wall (both ran on both cores,
        under the same load; the machine is shared, so CPU is the figure to compare across runs)."""
        cpu, wall = r["cpu"] / floor["cpu"], r["wall"] / floor["wall"]
        row = {"size": size, "step": step, "wall": None, "cpu": None, "mb": None, "pss_sum": None, "rss_sum": None,
               "exit": 0, "ratio_cpu": cpu, "ratio_wall": wall, "note": f"CPU {cpu:.2f}×, wall {wall:.2f}×; {note}"}
        self.rows.append(row)
        (self.work / "results.json").write_text(json.dumps({"machine": machine(), "rows": self.rows}, ensure_ascii=False, indent=1))
        print(f"  [{size}] {step}: {row['note']}", file=sys.stderr, flush=True)

    def luoshi(self, size: str, step: str, cwd: Path, *args: str, note: str = "", env: dict | None = None) -> dict:
        return self.record(size, step, _measure([sys.executable, "-m", "luoshi", *args], cwd, env), note)

    def stage(self, size: str, cwd: Path, *args: str) -> dict:
        env = {"BENCH_STDOUT": str(cwd / ".bench-stage.json")}
        proc = _measure([sys.executable, str(HERE / "stages.py"), *args], cwd, env)
        inner = json.loads((cwd / ".bench-stage.json").read_text(encoding="utf-8"))
        for step, seconds in inner.items():
            if isinstance(seconds, float):
                baseline = step in ("lark parse", "duckdb scan")
                self.record(size, step, {"wall": seconds, "mb": proc["mb"]}, "baseline, in-process" if baseline else "in-process")
        return {**proc, **inner}


def prepare(size: str, work: Path, rows: int | None) -> Path:
    project = work / size
    if not (project / "pyproject.toml").exists():
        print(f"generating {size} …", file=sys.stderr, flush=True)
        print(synth.copy_seed(project) if size == "seed" else synth.generate(project, *synth.SIZES[size], 1), file=sys.stderr)
    data = project / "completion.parquet"
    if rows and (not data.exists() or json.loads((project / ".bench-data.json").read_text()).get("rows") != rows):
        made = synth.completion_data(project, rows, 1)
        (project / ".bench-data.json").write_text(json.dumps(made))
        print(made, file=sys.stderr)
    return project


def _edit(path: Path) -> None:
    """A real edit that changes the AST: the policy's title gets a new revision mark each run."""
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition('标题 "')
    path.write_text(f'{head}{sep}修订{time.time_ns()} {rest}', encoding="utf-8")


def run_size(bench: Bench, size: str, rows: int | None, site: bool, build: bool, peers: dict | None = None) -> None:
    project = prepare(size, bench.work, rows)
    cache = project / ".luoshi-cache"
    shutil.rmtree(cache, ignore_errors=True)
    floor = bench.record(size, "lark parse (luoshi's options, 2 processes)", _measure(
        [sys.executable, str(HERE / "stages.py"), "lark", "luoshi", "2"], project), "baseline: the parse floor")
    bench.record(size, "lark parse (propagate_positions, 2 processes)", _measure(
        [sys.executable, str(HERE / "stages.py"), "lark", "positions", "2"], project), "baseline: as luoshi parsed before round 7")
    bench.stage(size, project, "compile")
    shutil.rmtree(cache, ignore_errors=True)
    bench.luoshi(size, "luoshi check (cold)", project, "check")
    shutil.rmtree(cache, ignore_errors=True)  # cold: an empty cache (LUOSHI_NO_CACHE would also skip writing it)
    bench.luoshi(size, "luoshi check (1 core, cold)", project, "check", env={"LUOSHI_JOBS": "1"})
    shutil.rmtree(cache, ignore_errors=True)
    lint = bench.luoshi(size, "luoshi lint (cold) = check + lint", project, "lint", note="target: 10k files < 30 s")
    bench.ratio(size, "luoshi lint (cold) ÷ lark parse", lint, floor, "target at 10k: ≤ 1.3× (issue 21)")
    bench.luoshi(size, "luoshi lint (warm, nothing changed)", project, "lint")
    child, parent = ("yyfbf-2019-22", "yfbf-2018-161") if size == "seed" else ("syn-d1-t1", "syn-d1")
    _edit(project / "policies" / f"{child}.policy")
    bench.luoshi(size, "luoshi lint after editing 1 file", project, "lint", note="target: < 2 s")
    _edit(project / "policies" / f"{parent}.policy")
    bench.luoshi(size, "luoshi lint after editing a parent", project, "lint")
    if build:
        bench.stage(size, project, "backends")
        bench.luoshi(size, "luoshi build (warm cache)", project, "build", "-o", "build")
    if site:
        shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
        bench.luoshi(size, "luoshi site", project, "site", "-o", "site", "--force")
        bench.record(size, "mkdocs build", _measure([sys.executable, "-m", "mkdocs", "build", "-q"], project))
    if rows:
        data = str(project / "completion.parquet")
        bench.stage(size, project, "scan", data)
        bench.record(size, "duckdb scan (process)", _measure([sys.executable, str(HERE / "stages.py"), "scan", data], project),
                     f"baseline, {rows:,} rows")
        bench.luoshi(size, "luoshi comply", project, "comply", data, "--as-of", AS_OF, "-f", "json", "-o",
                     str(project / "comply.json"), "--force", note=f"{rows:,} rows; target (issue 21) ≤ 1.5× scan, CPU and wall")
        if peers:
            compliance_peers(bench, size, project, rows, peers)


def run_edits(bench: Bench, size: str, repeat: int) -> None:
    """The incremental steps of `run_size` alone, each edit `repeat` times: a cold `luoshi lint` (it records the
    state), warm runs (the second replayed from the transcript: the first has one, the cold run's files being
    older than the racy window), then edits of a child and of its parent, each followed by `luoshi lint`."""
    project = prepare(size, bench.work, None)
    shutil.rmtree(project / ".luoshi-cache", ignore_errors=True)
    bench.luoshi(size, "luoshi lint (cold) = check + lint", project, "lint")
    for _ in range(2):
        bench.luoshi(size, "luoshi lint (warm, nothing changed)", project, "lint")
    child, parent = ("yyfbf-2019-22", "yfbf-2018-161") if size == "seed" else ("syn-d1-t1", "syn-d1")
    for _ in range(repeat):
        _edit(project / "policies" / f"{child}.policy")
        bench.luoshi(size, "luoshi lint after editing 1 file", project, "lint", note="target at 10k: ≤ 0.5 s CPU (issue 21)")
    for _ in range(repeat):
        _edit(project / "policies" / f"{parent}.policy")
        bench.luoshi(size, "luoshi lint after editing a parent", project, "lint")


def run_floor(bench: Bench, size: str, before: Path | None, positions: bool = True) -> None:
    """Only issue 21's parse-floor figure: the bare lark parse on both cores, then luoshi's parse into its AST alone
    (the same pool) and a cold `luoshi lint -f json` (cache removed) with this luoshi and, given `before`, with that
    one first, each divided by the floor; the two JSON outputs are compared byte for byte (`.floor-lint-*.json` in
    the project folder)."""
    project = prepare(size, bench.work, None)
    cache = project / ".luoshi-cache"
    floor = bench.record(size, "lark parse (luoshi's options, 2 processes)", _measure(
        [sys.executable, str(HERE / "stages.py"), "lark", "luoshi", "2"], project), "baseline: the parse floor")
    if positions:
        bench.record(size, "lark parse (propagate_positions, 2 processes)", _measure(
            [sys.executable, str(HERE / "stages.py"), "lark", "positions", "2"], project),
            "baseline: as luoshi parsed before round 7")
    runs = [("before", {"PYTHONPATH": str(before)})] if before else []
    for label, env in [*runs, ("after", {})]:
        # the parse stage alone (stages.py lark ast), with this luoshi and the one before
        parsed = bench.record(size, f"luoshi parse + AST (2 processes){' ' + label if before else ''}",
                              _measure([sys.executable, str(HERE / "stages.py"), "lark", "ast", "2"], project, env),
                              "the parse stage alone: no cache, nothing pickled back (before parse_ast: the tree, then build_ast)")
        bench.ratio(size, f"luoshi parse + AST{' ' + label if before else ''} ÷ lark parse", parsed, floor,
                    "goal (issue 21 item 2): ≤ ~1.1×")
        shutil.rmtree(cache, ignore_errors=True)
        out = project / f".floor-lint-{label}.json"
        lint = bench.luoshi(size, f"luoshi lint -f json (cold){' ' + label if before else ''}", project, "lint", "-f",
                            "json", env={**env, "BENCH_STDOUT": str(out)})
        bench.ratio(size, f"luoshi lint (cold){' ' + label if before else ''} ÷ lark parse", lint, floor,
                    "target at 10k: ≤ 1.3× (issue 21)")
    if before:
        same = (project / ".floor-lint-before.json").read_bytes() == (project / ".floor-lint-after.json").read_bytes()
        print(f"  [{size}] lint -f json before and after: {'identical' if same else 'DIFFERENT'}", file=sys.stderr)


def compliance_peers(bench: Bench, size: str, project: Path, rows: int, options: dict) -> None:
    """luoshi comply beside the bare scan, the pandas and polars peers (verdicts asserted equal first) and, with a
    PostgreSQL server, luoshi comply on the same rows in a table: CPU medians of `repeat` fresh runs
    (bench/comply_peers.py)."""
    import comply_peers

    data = (project / "completion.parquet").resolve()
    pg = comply_peers.load_postgres(data, options["pg"], f"bench_{size}") if options.get("pg") else None
    for r in comply_peers.bench(data, AS_OF, options["repeat"], pg, cwd=project):
        bench.record(size, f"peers: {r['step']}", {"wall": r["wall"], "cpu": r["cpu"], "mb": r["mb"]},
                     f"{rows:,} rows; median of {options['repeat']}")


def run_before(bench: Bench, size: str, rows: int | None, code: Path) -> None:
    """The whole commands with another luoshi (e.g. `git archive HEAD compiler | tar -x -C /tmp/before`), for the
    before column of an optimisation: PYTHONPATH puts its package first."""
    project = prepare(size, bench.work, rows)
    env = {"PYTHONPATH": str(code), "LUOSHI_NO_CACHE": "1"}
    label = f"{size} (before)"
    bench.luoshi(label, "luoshi check (cold)", project, "check", env=env)
    bench.luoshi(label, "luoshi lint (cold) = check + lint", project, "lint", env=env)
    if rows:
        bench.luoshi(label, "luoshi comply", project, "comply", str(project / "completion.parquet"), "--as-of", AS_OF,
                     "-f", "json", "-o", str(project / "comply-before.json"), "--force", note=f"{rows:,} rows", env=env)


def table(rows: list[dict]) -> str:
    out = ["| size | step | wall s | cpu s | peak MB (largest process) | peak MB (all processes, PSS) | note |",
           "|---|---|---:|---:|---:|---:|---|"]
    for r in rows:
        cells = [f"{r[k]:.2f}" if isinstance(r[k], float) else "" for k in ("wall", "cpu")]
        mb, summed = (f"{r[k]:,.0f}" if r.get(k) else "" for k in ("mb", "pss_sum"))
        note = r["note"] + (f" (exit {r['exit']})" if r["exit"] else "")
        out.append(f"| {r['size']} | {r['step']} | {cells[0]} | {cells[1]} | {mb} | {summed} | {note} |")
    return "\n".join(out)


def machine() -> str:
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()
    model = next((line.split(":", 1)[1].strip() for line in lscpu if line.startswith("Model name")), "?")
    mem = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), "0")
    return f"{os.cpu_count()} CPUs ({model}), {int(mem) / 1024 ** 2:.0f} GiB RAM, Python {sys.version.split()[0]}"


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--exec":
        exec_and_report(json.loads(sys.argv[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="seed,1k", help="comma-separated: seed, " + ", ".join(synth.SIZES))
    parser.add_argument("--rows", default="seed=1m", help="completion rows per size for luoshi comply, e.g. seed=1m,1k=10m")
    parser.add_argument("--site", default="seed,100", help="sizes to also build the site for (luoshi site + mkdocs build)")
    parser.add_argument("--build", default="seed,100", help="sizes to run the backends of luoshi build for (the office "
                        "documents, one per unit, make this the slowest step)")
    parser.add_argument("--before", type=Path, help="a folder holding another luoshi package: time its check, lint, comply")
    parser.add_argument("--peers", default="seed", help="sizes with completion rows to also time the pandas and polars "
                        "peers of luoshi comply for (bench/comply_peers.py; needs the bench extra)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per peer timing (the median is shown)")
    parser.add_argument("--pg", default=os.environ.get("LUOSHI_BENCH_PG_DSN"),
                        help="a PostgreSQL database (libpq URL) to load the rows into and time luoshi comply on "
                        "(default: $LUOSHI_BENCH_PG_DSN; without it, no PostgreSQL row)")
    parser.add_argument("--floor", action="store_true", help="only the parse floor: the bare lark parse on both cores "
                        "and a cold luoshi lint (with --before: that luoshi's too, outputs compared), and their ratios")
    parser.add_argument("--no-positions", action="store_true", help="with --floor: leave out the propagate_positions "
                        "baseline (a 10k run on a loaded machine is long enough)")
    parser.add_argument("--edits", action="store_true", help="only the incremental steps: a cold luoshi lint, warm "
                        "runs, and --repeat edits of a child and of a parent, each linted (issue 21's one-edit target)")
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "luoshi-bench")
    args = parser.parse_args()
    rows = {k: count(v) for k, v in (part.split("=") for part in args.rows.split(",") if part)}
    sites = set(filter(None, args.site.split(",")))
    args.work.mkdir(parents=True, exist_ok=True)
    bench = Bench(args.work)
    print(f"machine: {machine()}", file=sys.stderr)
    for size in filter(None, args.sizes.split(",")):
        if args.edits:
            run_edits(bench, size, args.repeat)
        elif args.floor:
            run_floor(bench, size, args.before.resolve() if args.before else None, not args.no_positions)
        elif args.before:
            run_before(bench, size, rows.get(size), args.before.resolve())
        else:
            peers = {"repeat": args.repeat, "pg": args.pg} if size in args.peers.split(",") and rows.get(size) else None
            run_size(bench, size, rows.get(size), size in sites, size in args.build.split(","), peers)
    (args.work / "results.json").write_text(json.dumps({"machine": machine(), "rows": bench.rows}, ensure_ascii=False, indent=1))
    print(f"machine: {machine()}\n")
    print(table(bench.rows))


if __name__ == "__main__":
    main()
