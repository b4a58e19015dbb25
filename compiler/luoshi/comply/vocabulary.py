"""The words completion data may use, in one table: status words and the short names offices give units
(docs/data.md lists them, with the headers of `loaders.ALIASES` and the value forms of `values.py`).

A project adds its own words in its pyproject.toml (each office writes its sheets its own way, and the engineer
should not have to change luoshi for it):

    [tool.luoshi.comply]
    statuses = { done = ["已交账"], in_progress = ["攻坚中"] }
    headers = { value = ["完成数"], unit = ["责任科室"] }     # more column names for a field (loaders.FIELDS)
    units = { "卫健委" = "县卫生健康委", "民政" = "县民政局" }  # a name the office writes → the registered name or id

Words and names are compared after NFKC folding, without spaces, case-insensitively. A short name stands for the
registered unit whose name it shortens (县卫健委 → 县卫生健康委); the table is data, extended here.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Sink
from ..syntax.source import Span
from .plan import fold_key

STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "not_started": ("未开始", "未启动", "尚未开始", "尚未启动", "未开展", "暂未开展", "尚未开展", "暂未开启", "暂未启动",
                    "not_started", "not started", "todo"),
    # not done, whatever the office's tone: a deadline is met only by 已完成 (基本完成 says work remains; 序时推进 and
    # 长期坚持 say it goes on; 滞后 and 未完成 that it is behind: all are "not done" to a deadline check)
    "in_progress": ("进行中", "推进中", "正在进行", "办理中", "正在推进", "正在办理", "正在实施", "实施中", "持续推进",
                    "有序推进", "稳步推进", "按计划推进", "部分完成", "在办", "持续推进中", "正在推进中", "有序推进中",
                    "稳步推进中", "序时推进", "按序时推进", "按序时进度推进", "按时序推进", "按进度推进", "按计划进度推进",
                    "持续开展", "正在开展", "常态化推进", "长期坚持", "长期推进", "持续实施", "基本完成", "滞后", "进度滞后",
                    "推进滞后", "未完成", "尚未完成", "达进度", "达到序时进度", "超进度", "超序时进度",
                    "欠进度", "未达到序时进度", "推进缓慢", "进展缓慢", "否", "in_progress", "in progress", "ongoing"),
    "done": ("已完成", "完成", "已办结", "办结", "已落实", "已实施", "全面完成", "已全面完成", "提前完成", "按期完成",
             "按时完成", "如期完成", "已按期完成", "已按时完成", "是", "done", "completed", "complete", "finished"),
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


@dataclass(frozen=True)
class Vocabulary:
    """A project's words for completion data: status words (folded → code), header names (folded → field) and
    unit names (folded name the office writes → folded registered name or id), the defaults' additions."""

    statuses: dict[str, str] = field(default_factory=status_words)
    headers: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)


def project_vocabulary(root: Path | None, sink: Sink) -> Vocabulary:
    """The `[tool.luoshi.comply]` words of the project at `root`. An entry that cannot be used (an unknown status
    code or field, a word that is not text) is left out with an LS505 warning on its line of pyproject.toml; the
    rest still hold."""
    from .loaders import FIELDS

    settings = project_settings(root)
    where = _Where(root)
    statuses, headers, units = settings.get("statuses"), settings.get("headers"), settings.get("units")
    extra_statuses: dict[str, list[str]] = {}
    for code, words in _table(statuses, "statuses", where, sink).items():
        if code not in STATUS_WORDS:
            where.warn(sink, "statuses", code, f"状态「{code}」不是 {'、'.join(STATUS_WORDS)} 之一，未使用",
                       f"status '{code}' is not one of {', '.join(STATUS_WORDS)}; not used")
        elif (texts := _texts(words, f"statuses.{code}", where, sink)) is not None:
            extra_statuses[code] = texts
    extra_headers: dict[str, str] = {}
    for name, words in _table(headers, "headers", where, sink).items():
        if name not in FIELDS:
            where.warn(sink, "headers", name, f"字段「{name}」不是 {'、'.join(FIELDS)} 之一，未使用",
                       f"field '{name}' is not one of {', '.join(FIELDS)}; not used")
        elif (texts := _texts(words, f"headers.{name}", where, sink)) is not None:
            extra_headers.update({fold_key(t).lower(): name for t in texts})
    extra_units: dict[str, str] = {}
    for alias, target in _table(units, "units", where, sink).items():
        if not isinstance(target, str) or not target.strip():
            where.warn(sink, "units", alias, f"简称「{alias}」应对应一个单位名称（文字），未使用",
                       f"the short name '{alias}' should map to a unit name (text); not used")
        else:
            extra_units[fold_key(alias)] = fold_key(target)
    return Vocabulary(status_words(extra_statuses), extra_headers, extra_units)


def _table(value: object, key: str, where: _Where, sink: Sink) -> dict[str, object]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        where.warn(sink, key, key, f"「{key}」应为表（如 {key} = {{ … }}），未使用",
                   f"'{key}' should be a table ({key} = {{ … }}); not used")
        return {}
    return {str(k): v for k, v in value.items()}


def _texts(words: object, key: str, where: _Where, sink: Sink) -> list[str] | None:
    if isinstance(words, str):
        words = [words]
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        where.warn(sink, key, key, f"「{key}」应为文字的列表（如 [\"已交账\"]），未使用",
                   f"'{key}' should be a list of words (like [\"已交账\"]); not used")
        return None
    return [str(w) for w in words]


class _Where:
    """The line of pyproject.toml an entry of `[tool.luoshi.comply]` is on, for the warning's location."""

    def __init__(self, root: Path | None):
        self.file = str(root / "pyproject.toml") if root is not None else "pyproject.toml"
        try:
            self.lines = (root / "pyproject.toml").read_text(encoding="utf-8").splitlines() if root is not None else []
        except OSError:
            self.lines = []

    def line(self, key: str, entry: str) -> int:
        """The first line naming both the key and the entry (else the key, else the section)."""
        for want in ((key.split(".")[0], entry), (key.split(".")[0],), ("[tool.luoshi.comply]",)):
            for number, text in enumerate(self.lines, start=1):
                if all(w in text for w in want):
                    return number
        return 1

    def warn(self, sink: Sink, key: str, entry: str, zh: str, en: str) -> None:
        line = self.line(key, entry)
        sink.emit("LS505", Span(file=self.file, line=line, column=1, end_line=line, end_column=2), zh, en,
                  hint=("见 docs/data.md「本项目的词」", "see docs/data.md, 'A project's own words'"))
