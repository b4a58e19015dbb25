"""One policy file with very many tasks: `luoshi check` and `luoshi lint` cold, tasks -> CPU s -> MB.

    python bench/bigfile.py [--tasks 5000,20000,50000,100000] [--parent] [--per-section 0] [--dir /tmp/bigfile-proj]
                            [--compiler /other/luoshi/compiler] [--commands check,lint -f json]

Writes a project in --dir (the repository's registry files and 渝府办发〔2018〕161号, plus `big.policy`: sections
of 100 tasks shaped like 161号's, each with a lead, partners, a deadline and a target; `--parent` adds to each
task a `落实` of one of 161号's measures), then runs each command cold (the cache deleted) in its own process and
reports the CPU of the process and its reaped workers and the peak RSS (`wait4`). Why: a file's cost should grow
with its tasks, not with their square; the same tasks spread over many files cost ~0.4 ms each.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PARENTS = ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7"]
UNITS = ["市民政局", "市财政局", "市教委", "市卫生健康委", "市人力社保局", "市医保局", "市应急局"]


def policy_text(tasks: int, parent: bool, per_section: int = 100) -> str:
    """A valid policy of `tasks` tasks in sections of `per_section` (ids N.M), deterministic."""
    out = ['政策 big-2018-1 {', '  文号 "渝府办发〔2018〕999号"', '  标题 "大文件"', '  发文机关 市政府办公厅',
           '  成文日期 2018年11月12日', '  辖区 重庆市', '  层级 市级', '']
    for n in range(tasks):
        sec, item = divmod(n, per_section)
        if item == 0:
            if n:
                out.append('  }')
            out.append(f'  部分 {sec + 1} "第{sec + 1}部分" {{')
        lead, partner = UNITS[n % len(UNITS)], UNITS[(n + 1) % len(UNITS)]
        out.append(f'    任务 {sec + 1}.{item + 1} "任务{n}" {{')
        out.append(f'      原文 """第{n}项任务。加强最低生活保障，同步提高城市低保标准。"""')
        out.append(f'      牵头 {lead}')
        out.append(f'      配合 {partner}')
        if parent:
            out.append(f'      落实 yfbf-2018-161:{PARENTS[n % len(PARENTS)]}')
        out.append('      时限 2019年底前')
        out.append(f'      目标 低保覆盖率{n} 达到 {n % 90 + 5}% 截至 2020年底')
        out.append('    }')
    if tasks:
        out.append('  }')
    out.append('}')
    return "\n".join(out) + "\n"


def make_project(root: Path, tasks: int, parent: bool, per_section: int = 100) -> Path:
    """(Re)write the project at `root` with a `big.policy` of `tasks` tasks; returns the policy path."""
    pol = root / "policies"
    if pol.exists():
        shutil.rmtree(pol)
    shutil.copytree(REPO / "policies" / "units", pol / "units")
    shutil.copy(REPO / "policies" / "yfbf-2018-161.policy", pol)
    (root / "pyproject.toml").write_text('[tool.luoshi]\npolicies = "policies"\noutput = "build"\n', encoding="utf-8")
    path = pol / "big.policy"
    path.write_text(policy_text(tasks, parent, per_section), encoding="utf-8")
    return path


def run_cold(root: Path, argv: list[str], timeout: float, compiler: Path = REPO / "compiler",
             ) -> tuple[float, float, float, int]:
    """Run `luoshi ARGV` (of `compiler`) in `root` with no cache: (CPU s, wall s, peak RSS MB, exit code)."""
    shutil.rmtree(root / ".luoshi-cache", ignore_errors=True)
    env = dict(os.environ, PYTHONPATH=str(compiler))
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "luoshi", *argv], cwd=root, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            return float("nan"), timeout, float("nan"), -9
        time.sleep(0.05)
    wall = time.monotonic() - start
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tasks", default="5000,20000,50000,100000")
    ap.add_argument("--parent", action="store_true", help="each task 落实s one of 161号's measures")
    ap.add_argument("--per-section", type=int, default=100, help="tasks per 部分 (one section: --per-section 0)")
    ap.add_argument("--dir", type=Path, default=Path("/tmp/bigfile-proj"))
    ap.add_argument("--commands", default="check,lint -f json")
    ap.add_argument("--compiler", type=Path, default=REPO / "compiler", help="another luoshi (a before run)")
    ap.add_argument("--timeout", type=float, default=300.0)
    args = ap.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    print(f"{'tasks':>8} {'MB file':>8}  {'command':14} {'CPU s':>8} {'wall s':>8} {'peak MB':>8} {'exit':>4}")
    for tasks in (int(t) for t in args.tasks.split(",")):
        path = make_project(args.dir, tasks, args.parent, args.per_section or max(tasks, 1))
        size = path.stat().st_size / 1e6
        for command in args.commands.split(","):
            cpu, wall, peak, code = run_cold(args.dir, command.split(), args.timeout, args.compiler)
            print(f"{tasks:>8} {size:>8.1f}  {command:14} {cpu:>8.2f} {wall:>8.2f} {peak:>8.0f} {code:>4}", flush=True)


if __name__ == "__main__":
    main()
