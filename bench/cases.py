"""Time `luoshi cases` on a large roster with its comparison tables (default 1M households, ~2.5M members).

    python bench/cases.py                          # 1M households in /tmp/luoshi-bench/cases
    python bench/cases.py --households 100000

`luoshi sample-cases` makes the data (planted households for every rule, listed in planted.json); the run is timed
in its own process (wall time, and peak RSS from wait4), and its JSON report is checked to find exactly the planted
households per rule, so a fast wrong answer cannot pass for a result."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def timed(cmd: list[str], env: dict) -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if status:
        sys.exit(f"failed: {' '.join(cmd)}")
    return time.perf_counter() - start, usage.ru_maxrss // 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=1_000_000)
    ap.add_argument("--work", type=Path, default=Path("/tmp/luoshi-bench/cases"))
    args = ap.parse_args()
    env = {**os.environ, "PYTHONPATH": str(REPO / "compiler")}
    luoshi = [sys.executable, "-m", "luoshi"]
    data = args.work / str(args.households)
    if not (data / "planted.json").exists():
        t, _ = timed([*luoshi, "sample-cases", str(data), "--households", str(args.households)], env)
        print(f"sample-cases {args.households:,} households: {t:.1f} s")
    members = sum(1 for _ in (data / "名册.csv").open("rb")) - 1
    files = [str(data / f"{n}.csv") for n in ("名册", "社保", "车辆", "房产", "工商")]
    out = data / "result.json"
    t, rss = timed([*luoshi, "cases", *files, "--params", str(data / "参数.csv"), "--as-of", "2024-12-31",
                    "-o", str(out), "--force"], env)
    planted = json.loads((data / "planted.json").read_text("utf-8"))["planted"]
    got: dict[str, set[str]] = {}
    for f in json.loads(out.read_text("utf-8"))["findings"]:
        for r in f["rules"]:
            got.setdefault(r["rule"], set()).add(f["household"])
    exact = all(got.get(k, set()) == set(v) for k, v in planted.items()) and set(got) <= set(planted)
    print(f"luoshi cases: {args.households:,} households, {members:,} members, {len(planted)} rules: "
          f"{t:.1f} s wall, peak RSS {rss} MiB; planted households found exactly: {exact}")
    if not exact:
        sys.exit(1)


if __name__ == "__main__":
    main()
