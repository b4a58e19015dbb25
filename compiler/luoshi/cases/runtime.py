"""What the generated case-rule suite (`luoshi cases-suite`) calls: its options and one evaluation per session."""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path

from ..diagnostics import Sink
from . import engine
from .data import read_table


def add_options(parser) -> None:
    parser.addoption("--data", action="append", default=[], help="名册和比对表 · roster and comparison tables")
    parser.addoption("--params", default=None, help="参数文件 · parameter file")
    parser.addoption("--as-of", default=None, help="判断日期 · date to judge on")
    parser.addoption("--planted", default=None, help="植入清单 planted.json：每条规则应恰好找出这些户 · expected households")


@lru_cache(maxsize=None)
def _evaluate(rules: Path, data: tuple[str, ...], params: str | None, as_of: str) -> dict[str, set[str]]:
    sink = Sink()
    tables = [t for t in (read_table(Path(p), sink) for p in data) if t is not None]
    parameters = engine.read_parameters(Path(params), sink) if params else []
    result = engine.evaluate(tables, engine.rules_from_json(rules.read_bytes()), parameters,
                             dt.date.fromisoformat(as_of), sink)
    fired: dict[str, set[str]] = {}
    for f in result.findings:
        fired.setdefault(f.rule.key, set()).add(f.household)
    return fired


def fired(config, rules: Path) -> dict[str, set[str]]:
    as_of = config.getoption("--as-of") or dt.date.today().isoformat()
    return _evaluate(rules, tuple(config.getoption("--data")), config.getoption("--params"), as_of)


def expected(config, key: str) -> set[str] | None:
    """The planted households of a rule, or None when no manifest was given (then no household may fire)."""
    path = config.getoption("--planted")
    if not path:
        return None
    return set(json.loads(Path(path).read_text("utf-8"))["planted"].get(key, []))
