"""The words completion data may use, in one table: status words and the short names offices give units
(docs/data.md lists them, with the headers of `loaders.ALIASES` and the value forms of `values.py`).

A project adds status words in its pyproject.toml:

    [tool.luoshi.comply]
    statuses = { done = ["已交账"], in_progress = ["攻坚中"] }

Status words are compared after NFKC folding, without spaces, case-insensitively. A short name stands for the
registered unit whose name it shortens (县卫健委 → 县卫生健康委); the table is data, extended here.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from .plan import fold_key

STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "not_started": ("未开始", "未启动", "尚未开始", "尚未启动", "未开展", "暂未开展", "not_started", "not started", "todo"),
    "in_progress": ("进行中", "推进中", "正在进行", "办理中", "正在推进", "正在办理", "正在实施", "实施中", "持续推进",
                    "有序推进", "稳步推进", "按计划推进", "部分完成", "在办", "in_progress", "in progress", "ongoing"),
    "done": ("已完成", "完成", "已办结", "办结", "已落实", "已实施", "全面完成", "已全面完成", "done", "completed",
             "complete", "finished"),
}
STATUS_ZH = {"not_started": "未开始", "in_progress": "进行中", "done": "已完成"}

# (a part of a registered unit name, how offices shorten it): 县卫生健康委 is written 县卫健委
SHORT_NAMES: dict[str, str] = {
    "卫生健康委": "卫健委",
    "卫生健康委员会": "卫健委",
    "人力社保局": "人社局",
    "人力资源社会保障局": "人社局",
    "发展改革委": "发改委",
    "住房城乡建委": "住建委",
    "住房城乡建设委": "住建委",
    "规划自然资源局": "规资局",
    "生态环境局": "环保局",
    "市场监管局": "市监局",
    "退役军人事务局": "退役军人局",
    "农业农村委": "农委",
    "城市管理局": "城管局",
}


def status_words(extra: dict[str, list[str]] | None = None) -> dict[str, str]:
    """Folded status word → not_started | in_progress | done."""
    out = {fold_key(w).lower(): code for code, words in STATUS_WORDS.items() for w in words}
    for code, words in (extra or {}).items():
        if code in STATUS_WORDS:
            out.update({fold_key(w).lower(): code for w in words})
    return out


def short_forms(name: str, table: dict[str, str] | None = None) -> set[str]:
    """The short names offices write for a registered name: 县卫生健康委 → {县卫健委}."""
    out = set()
    for long, short in (table or SHORT_NAMES).items():
        if long in name:
            out.add(name.replace(long, short))
    return out


def project_settings(root: Path | None) -> dict[str, Any]:
    """`[tool.luoshi.comply]` of the project's pyproject.toml ({} when there is none or it cannot be read: the
    defaults still hold)."""
    if root is None:
        return {}
    try:
        data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    settings = data.get("tool", {}).get("luoshi", {}).get("comply", {})
    return settings if isinstance(settings, dict) else {}
