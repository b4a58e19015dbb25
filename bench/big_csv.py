"""A CSV of any size is checked within the memory of a Parquet run of the same rows (issue 23).

    python3 bench/big_csv.py --gib 2 --limit-mb 2048      # a 2 GiB CSV and its Parquet twin, each under 2 GiB

DuckDB writes the files (fast); each is then checked by `luoshi.comply` in a child process under an address-space
limit (RLIMIT_AS), one thread. Prints the rows, file sizes, times and peak RSS of both runs, and whether their
results agree. The suite runs the same comparison at 240 MB (tests/test_reliability_input.py)."""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

BYTES_PER_ROW = 72  # what make_data writes per row, about (measured: 1.83e9 bytes for 25.3M rows)


def main() -> None:
    from test_reliability_input import MEMORY_CHILD, make_data

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gib", type=float, default=2.0)
    parser.add_argument("--limit-mb", type=int, default=2048)
    parser.add_argument("--tmp", type=Path, default=None)
    args = parser.parse_args()
    rows = int(args.gib * (1 << 30) / BYTES_PER_ROW)
    summary = {"rows": rows, "limit_mb": args.limit_mb}
    with tempfile.TemporaryDirectory(prefix="luoshi-big-csv-", dir=args.tmp) as folder:
        for suffix in (".parquet", ".csv"):
            path = Path(folder) / f"data{suffix}"
            started = time.monotonic()
            make_data(path, rows)
            made = time.monotonic() - started
            started = time.monotonic()
            result = subprocess.run([sys.executable, "-c", MEMORY_CHILD, str(path), str(args.limit_mb)], cwd=ROOT,
                                    capture_output=True, text=True, env={**os.environ, "LUOSHI_JOBS": "1"})
            summary[suffix[1:]] = {"bytes": path.stat().st_size, "write_s": round(made, 1),
                                   "check_s": round(time.monotonic() - started, 1), "exit": result.returncode,
                                   "result": result.stdout.strip(), "error": result.stderr.strip()[-300:]}
            summary[suffix[1:]]["children_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
            path.unlink()
    summary["same_result"] = summary["csv"]["result"] == summary["parquet"]["result"] and summary["csv"]["exit"] == 0
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    sys.exit(0 if summary["same_result"] else 1)


if __name__ == "__main__":
    main()
