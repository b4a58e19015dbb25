"""One very large policy file: its parse grows with its tasks, not their square, and a file past the size limit is
refused with a located diagnostic instead of being checked for minutes (bench/README.md, "Round 10: one large
file"). Not timed against the clock: the bound is relative, a 20,000-task file against a 2,000-task one."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from luoshi.diagnostics import Sink
from luoshi.driver import pipeline
from luoshi.syntax import ast, parse
from luoshi.syntax.source import SourceFile

ROOT = Path(__file__).resolve().parent.parent


def one_section(tasks: int) -> str:
    """A policy whose `tasks` tasks all sit in one section: the shape that parsed in quadratic time."""
    body = "".join(f"    任务 1.{i + 1} {{ 牵头 市民政局 }}\n" for i in range(tasks))
    return f'政策 big-1 {{\n  辖区 重庆市\n  部分 1 "一" {{\n{body}  }}\n}}\n'


def parse_cpu(text: str, repeat: int) -> tuple[float, ast.SourceUnit]:
    """The least CPU time of `repeat` parses of `text` (the least: load on the machine only adds), and the AST."""
    best = float("inf")
    for _ in range(repeat):
        sink = Sink()
        start = time.process_time()
        unit = parse.parse_ast(SourceFile("big.policy", text), sink)
        best = min(best, time.process_time() - start)
        assert unit is not None and not sink.items
    return best, unit


def test_one_section_of_many_tasks_parses_in_linear_time() -> None:
    parse.ast_parser()
    small_cpu, _ = parse_cpu(one_section(2_000), 3)
    large_cpu, unit = parse_cpu(one_section(20_000), 2)
    section = unit.decls[0].body[-1]  # type: ignore[attr-defined]
    assert [item.id.text for item in section.body][::5000] == ["1.1", "1.5001", "1.10001", "1.15001"]
    assert len(section.body) == 20_000
    # ten times the tasks: ~10x the CPU when linear; 34x measured before the fix (a copy of the run at each task)
    ratio = large_cpu / small_cpu
    assert ratio < 20, f"20,000 tasks took {ratio:.1f}x the CPU of 2,000"


def test_a_file_past_the_limit_is_refused_at_its_first_line(tmp_path: Path) -> None:
    (tmp_path / "policies").mkdir()
    (tmp_path / "pyproject.toml").write_text('[tool.luoshi]\npolicies = "policies"\n', encoding="utf-8")
    huge = tmp_path / "policies" / "huge.policy"
    with huge.open("wb") as f:  # sparse: 60 MB on paper, nothing on disk, never read
        f.truncate(pipeline.MAX_FILE_BYTES + 10_000_000)
    env = {"PYTHONPATH": str(ROOT / "compiler"), "LUOSHI_NO_CACHE": "1", "COLUMNS": "200", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "luoshi", "check"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    out = done.stdout + done.stderr
    assert "policies/huge.policy:1:1: 错误 error[LS103]: 文件过大（60.0 MB，上限 50 MB），未读取" in out
    assert "the file is too large (60.0 MB, the limit is 50 MB); not read" in out
    assert "split it into several files" in out
