"""The one registry of diagnostic codes (like mypy's error codes).

Every diagnostic luoshi emits has a code from this table; the docs' rule reference is generated from it.
LS1xx: reading and syntax · LS2xx: names, references and values (resolve) · LS3xx: consistency rules (lint).
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterator, KeysView, ValuesView
from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def zh(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    severity: Severity
    zh: str
    en: str


_CODES = [
    Code("LS100", "syntax", Severity.ERROR, "语法错误", "syntax error"),
    Code("LS101", "unterminated-string", Severity.ERROR, "文本引号未闭合", "unterminated string"),
    Code("LS102", "encoding", Severity.ERROR, "文件不是 UTF-8 编码", "file is not UTF-8"),
    Code("LS103", "unreadable", Severity.ERROR, "无法读取文件", "file cannot be read"),
    Code("LS104", "unknown-statement", Severity.ERROR, "未知语句", "unknown statement"),
    Code("LS105", "no-sources", Severity.ERROR, "没有找到政策文件", "no source files found"),
    Code("LS106", "unplaced-comment", Severity.ERROR, "格式化时无法安放的注释", "a comment the formatter cannot place"),
    Code("LS107", "unsafe-id", Severity.ERROR, "政策编号不能用作文件名", "policy id cannot be a file name"),
    Code("LS201", "unknown-unit", Severity.ERROR, "未知单位", "unknown unit"),
    Code("LS202", "duplicate-item", Severity.ERROR, "编号重复", "duplicate item id"),
    Code("LS203", "duplicate-policy", Severity.ERROR, "政策或文件编号重复", "duplicate policy or document id"),
    Code("LS204", "dangling-reference", Severity.ERROR, "引用的政策或任务不存在", "reference to a missing policy or task"),
    Code("LS205", "impossible-date", Severity.ERROR, "日期不存在", "impossible date"),
    Code("LS206", "unknown-jurisdiction", Severity.ERROR, "未知辖区", "unknown jurisdiction"),
    Code("LS207", "unknown-role", Severity.ERROR, "未知角色", "unknown role"),
    Code("LS208", "duplicate-unit", Severity.ERROR, "单位名称或别名重复", "duplicate unit name or alias"),
    Code("LS209", "level-mismatch", Severity.ERROR, "层级与辖区不符", "level does not match the jurisdiction"),
    Code("LS210", "misplaced-statement", Severity.ERROR, "语句不能用在此处", "statement not allowed here"),
    Code("LS211", "ambiguous-reference", Severity.ERROR, "任务引用不明确", "ambiguous task reference"),
    Code("LS212", "reversed-period", Severity.ERROR, "期间结束早于开始", "period ends before it starts"),
    Code("LS213", "bad-quantity", Severity.ERROR, "数量或单位无效", "invalid quantity or unit"),
    Code("LS214", "repeated-statement", Severity.ERROR, "语句重复", "statement repeated"),
    Code("LS215", "not-a-group", Severity.ERROR, "“其他成员单位”没有对应的群组", "'other members' of something that is not a group"),
    Code("LS216", "conflicting-jurisdiction", Severity.ERROR, "辖区属性冲突", "conflicting jurisdiction attributes"),
    Code("LS217", "unknown-value", Severity.ERROR, "取值无效", "unknown value"),
    Code("LS218", "ambiguous-unit", Severity.ERROR, "单位名称有歧义", "ambiguous unit name"),
    Code("LS219", "several-leads", Severity.WARNING, "牵头单位不止一个", "more than one lead unit"),
    Code("LS220", "self-implements", Severity.ERROR, "政策不能落实自身", "a policy implements itself"),
    Code("LS221", "duplicate-number", Severity.ERROR, "文号重复", "duplicate document number (文号)"),
    Code("LS222", "member-cycle", Severity.ERROR, "成员形成循环", "a group or collective among its own members"),
    Code("LS240", "rule-without-text", Severity.ERROR, "规则没有原文", "a case rule with no 原文"),
    Code("LS241", "unknown-fact", Severity.ERROR, "规则中的事实或参数不存在", "unknown fact or parameter in a rule"),
    Code("LS242", "unit-mismatch", Severity.ERROR, "规则比较的单位不一致", "a rule compares values of different units"),
    Code("LS243", "bad-condition", Severity.ERROR, "规则条件无法读取", "a rule condition cannot be read"),
    Code("LS230", "todo", Severity.WARNING, "待定事项", "an open item (待定) to resolve"),
]

# Feature packages keep their own code tables (a `CODES: list[Code]` in each module below), each in its range:
# LS3xx lint · LS4xx draft and diff · LS5xx completion data (LS55x case data) · LS6xx import.
FEATURE_CODE_MODULES = ("luoshi.lint.codes", "luoshi.comply.codes", "luoshi.importer.codes", "luoshi.cases.codes")


class _Registry(dict[str, "Code"]):
    """code id → Code, filled on first use from this module and every feature module that exists."""

    loaded = False

    def _load(self) -> None:
        if self.loaded:
            return
        self.loaded = True
        import importlib

        for c in _CODES:
            self[c.code] = c
        for name in FEATURE_CODE_MODULES:
            module = importlib.import_module(name)  # by name, on first use: those modules import this one
            for c in module.CODES:
                if c.code in self:
                    raise RuntimeError(f"diagnostic code {c.code} defined twice")
                self[c.code] = c

    def __getitem__(self, key: str) -> Code:
        self._load()
        return super().__getitem__(key)

    def __iter__(self) -> Iterator[str]:
        self._load()
        return super().__iter__()

    def __contains__(self, key: object) -> bool:
        self._load()
        return super().__contains__(key)

    def __len__(self) -> int:
        self._load()
        return super().__len__()

    def values(self) -> ValuesView[Code]:  # type: ignore[override]  # dict's own dict_values view type is private
        self._load()
        return super().values()

    def items(self) -> ItemsView[str, Code]:  # type: ignore[override]  # dict's own dict_items view type is private
        self._load()
        return super().items()

    def keys(self) -> KeysView[str]:  # type: ignore[override]  # dict's own dict_keys view type is private
        self._load()
        return super().keys()


CODES: dict[str, Code] = _Registry()


def code(code_id: str) -> Code:
    return CODES[code_id]
