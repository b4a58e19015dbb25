"""CPU time of `luoshi --help` (and `luoshi COMMAND --help`) against the import floor of its dependencies.

    python bench/help_cpu.py [--runs 5]

Each run is a fresh process; the CPU time is the child's user + system time (resource.RUSAGE_CHILDREN), the median
of the runs is printed. The floor is a process that only imports what the CLI cannot start without (typer, rich,
pydantic, lark). `luoshi --help` registers every command, so it loads each command module and whatever that module
imports at the top (pypinyin, networkx, openpyxl, duckdb …); the difference to the floor is that cost.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys

CASES = {
    "floor: import typer, rich, pydantic, lark": [sys.executable, "-c", "import typer, rich, pydantic, lark"],
    "luoshi --help": [sys.executable, "-m", "luoshi", "--help"],
    "luoshi check --help": [sys.executable, "-m", "luoshi", "check", "--help"],
    "luoshi draft --help": [sys.executable, "-m", "luoshi", "draft", "--help"],
}


def cpu(cmd: list[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
                   env={**os.environ, "COLUMNS": "80"})
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    print(f"{'command':45} {'CPU s (median of %d)' % runs:>22}")
    for label, cmd in CASES.items():
        print(f"{label:45} {statistics.median(cpu(cmd) for _ in range(runs)):>22.3f}")


if __name__ == "__main__":
    main()
