"""The long fuzz run: the CI fuzz tests' harness and strategies (tests/fuzz/), for minutes or hours instead of a
minute, with fresh random seeds, a memory ceiling and a per-input time bound, on every target in turn.

    python3 bench/fuzz_long.py --minutes 10                   # hypothesis, every target, round robin
    python3 bench/fuzz_long.py --minutes 30 --targets dsl-mutated,csv --backends
    python3 bench/fuzz_long.py --engine atheris --targets dsl-mutated --minutes 10   # coverage-guided (pip install atheris)

Each failure is shrunk by hypothesis and printed with the blob to replay it (`@reproduce_failure`); at the end a
JSON summary gives the examples tried and the distinct failures per target (also written with --json FILE).
Failures are told apart by exception type and the place in luoshi that raised it.
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

TARGETS = ("dsl-mutated", "dsl-bytes", "dsl-soup", "dsl-text", "csv", "csv-checks", "xlsx", "xlsx-checks", "import",
           "cli", "date-cells", "names")
BATCHED = {"date-cells", "names"}  # one example is a batch; each cell or name counts as one input


def build_target(name: str, ctx: dict):
    """(strategy, function of one example) for a target; the function raises on a failure."""
    from fuzz import strategies as fs
    from fuzz.harness import check_data_file, check_date_cells, check_names, clean_backends, cli_one, import_one

    project, folder = ctx["project"], ctx["folder"]
    backends = ctx["backends"]

    def dsl(file_name: str, data: bytes) -> None:
        comp = project.compile(file_name, data)
        if backends:
            clean_backends(comp)

    if name == "dsl-mutated":
        return fs.mutated_seed(max_edits=10), lambda case: dsl(case[0], case[1].encode("utf-8", "surrogatepass"))
    if name == "dsl-bytes":
        strategy = fs.mutated_seed(max_edits=4).flatmap(lambda c: fs.as_bytes(c[1]).map(lambda b: (c[0], b)))
        return strategy, lambda case: dsl(case[0], case[1])
    if name == "dsl-soup":
        return fs.token_soup(max_size=120), lambda text: dsl("fuzz.policy", text.encode("utf-8", "surrogatepass"))
    if name == "dsl-text":
        return fs.arbitrary_text(2000), lambda text: dsl("units/fuzz.units", text.encode("utf-8", "surrogatepass"))
    if name in ("csv", "csv-checks"):
        plan = ctx["plan"] if name.endswith("checks") else None
        return fs.csv_bytes(), lambda data: check_data_file(fs.write(folder, "completion.csv", data), plan)
    if name in ("xlsx", "xlsx-checks"):
        plan = ctx["plan"] if name.endswith("checks") else None
        return fs.xlsx_bytes(), lambda data: check_data_file(fs.write(folder, "督查.xlsx", data), plan)
    if name == "import":
        corpus = ctx["corpus"]
        return fs.import_document(), lambda case: import_one(folder, corpus, case)
    if name == "cli":
        return fs.command_line(), lambda argv: cli_one(folder, argv)
    if name == "date-cells":
        import duckdb

        con = duckdb.connect()
        return fs.date_cells(), lambda cells: check_date_cells(cells, con)
    if name == "names":
        return fs.names(), check_names
    raise SystemExit(f"unknown target {name}; known: {', '.join(TARGETS)}")


def signature(exc: BaseException) -> str:
    """Exception type and the innermost frame inside luoshi (or the harness): one line per distinct bug."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/luoshi/" in f.filename] or [f for f in frames if "/fuzz/" in f.filename] or frames
    where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?"
    message = str(exc).splitlines()[0][:160] if str(exc) else ""
    return f"{type(exc).__name__} at {where}: {message}"


SLOWEST = 5  # the slowest examples kept per target, with their time and size (a timeout under load, or real?)


def _counted(body, tried: Counter, name: str, slow: dict[str, list[tuple[float, int]]]):
    def one(example):
        tried[name] += len(example) if name in BATCHED else 1
        started = time.perf_counter()
        try:
            body(example)
        finally:
            took = time.perf_counter() - started
            kept = slow.setdefault(name, [])
            if len(kept) < SLOWEST or took > kept[-1][0]:
                size = len(example) if isinstance(example, (bytes, str, list, tuple)) else 0
                kept.append((round(took, 3), size))
                kept.sort(reverse=True)
                del kept[SLOWEST:]
    return one


def run_hypothesis(targets: list[str], ctx: dict, minutes: float, seed: int, chunk: int) -> dict:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as fixed_seed
    from hypothesis.errors import InvalidArgument

    tried: Counter = Counter()
    failures: dict[str, dict] = {}
    slow: dict[str, list[tuple[float, int]]] = {}  # target → its slowest examples: (seconds, size)
    deadline = time.monotonic() + minutes * 60
    for round_number in itertools.count():
        for name in targets:
            if time.monotonic() > deadline:
                return {"examples": dict(tried), "failures": failures, "slowest_seconds_size": slow}
            strategy, body = build_target(name, ctx)

            test = fixed_seed(seed + round_number * 1000 + TARGETS.index(name))(
                settings(max_examples=chunk, database=None, deadline=None, derandomize=False, print_blob=True,
                         report_multiple_bugs=True, phases=[Phase.generate, Phase.shrink],
                         suppress_health_check=list(HealthCheck))(given(strategy)(_counted(body, tried, name, slow))))
            try:
                test()
            except (KeyboardInterrupt, InvalidArgument):
                raise
            except BaseException as exc:  # noqa: BLE001 — every escape is a finding
                for sub in getattr(exc, "exceptions", None) or [exc]:
                    key = signature(sub)
                    entry = failures.setdefault(key, {"target": name, "count": 0})
                    entry["count"] += 1
                    if entry["count"] == 1:
                        print(f"\n=== {name}: {key}\n" + "".join(traceback.format_exception(sub))[-4000:], flush=True)
            print(f"[{time.strftime('%H:%M:%S')}] round {round_number} {name}: {tried[name]} tried, "
                  f"{len(failures)} distinct failures so far", flush=True)
    return {"examples": dict(tried), "failures": failures, "slowest_seconds_size": slow}


def run_atheris(targets: list[str], ctx: dict, minutes: float) -> None:
    """Coverage-guided: libFuzzer's mutations of the bytes hypothesis draws from, with luoshi instrumented."""
    import atheris
    from hypothesis import HealthCheck, given, settings

    if len(targets) != 1:
        raise SystemExit("--engine atheris takes one --targets name")
    strategy, body = build_target(targets[0], ctx)
    counter = Counter()

    @settings(database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def one(example):
        counter["tried"] += 1
        if counter["tried"] % 500 == 0:
            print(f"[{time.strftime('%H:%M:%S')}] {counter['tried']} tried", flush=True)
        body(example)

    atheris.Setup([sys.argv[0], f"-max_total_time={int(minutes * 60)}", "-rss_limit_mb=4096"],
                  one.hypothesis.fuzz_one_input)
    atheris.Fuzz()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--targets", default=",".join(TARGETS))
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--chunk", type=int, default=200, help="examples per target before moving to the next")
    parser.add_argument("--memory-mb", type=int, default=3072, help="address-space ceiling: a blow-up is a MemoryError")
    parser.add_argument("--backends", action="store_true", help="also run every `luoshi build` backend on clean corpora")
    parser.add_argument("--engine", choices=("hypothesis", "atheris"), default="hypothesis")
    parser.add_argument("--json", type=Path, help="write the summary here too")
    args = parser.parse_args()
    targets = [t for t in args.targets.split(",") if t]
    limit = args.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    if args.engine == "atheris":
        import atheris

        with atheris.instrument_imports(include=["luoshi"]):
            import luoshi.comply.engine  # noqa: F401
            import luoshi.driver.pipeline  # noqa: F401
    from fuzz.harness import DslProject
    from luoshi.comply.checks import compile_plan
    from luoshi.driver.pipeline import compile_paths
    from luoshi.driver.project import Project

    project = DslProject()
    with tempfile.TemporaryDirectory(prefix="luoshi-fuzz-long-") as folder:
        corpus = compile_paths(None, Project(ROOT, ROOT / "policies", ROOT / "build")).corpus
        ctx = {"project": project, "folder": Path(folder), "backends": args.backends, "plan": compile_plan(corpus),
               "corpus": corpus}
        started = time.monotonic()
        try:
            if args.engine == "atheris":
                run_atheris(targets, ctx, args.minutes)
                return
            summary = run_hypothesis(targets, ctx, args.minutes, args.seed, args.chunk)
        finally:
            project.close()
    summary.update(seed=args.seed, minutes=round((time.monotonic() - started) / 60, 1),
                   total_examples=sum(summary["examples"].values()),
                   peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
    text = json.dumps(summary, ensure_ascii=False, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    sys.exit(1 if summary["failures"] else 0)


if __name__ == "__main__":
    main()
