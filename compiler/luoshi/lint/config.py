"""`[tool.luoshi.lint]` in pyproject.toml: which rules run, at what severity, and where they are ignored.

```toml
[tool.luoshi.lint]
disable = ["LS313", "unused-unit"]          # codes, names or code prefixes ("LS33")
enable = ["LS3"]                            # when given, only these run (default: every rule)
severity = { LS302 = "error", LS330 = "warning" }
per-file-ignores = { "dzmf-*.policy" = ["LS311"] }
baseline = "policies/.luoshi-lint-baseline.json"
```

Mistakes in this table are diagnostics (LS392) pointing at pyproject.toml, never a traceback.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from ..diagnostics import Diagnostic
from ..diagnostics.codes import CODES, Severity
from ..driver.pipeline import display_path
from ..driver.project import Project
from ..syntax.source import Span

SEVERITIES = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO,
              "错误": Severity.ERROR, "警告": Severity.WARNING, "提示": Severity.INFO}
KEYS = ("enable", "disable", "severity", "per-file-ignores", "baseline")
BASELINE_NAME = ".luoshi-lint-baseline.json"


def lint_codes() -> list[str]:
    return sorted(c for c in CODES if c.startswith("LS3"))


def matches(selector: str, code: str) -> bool:
    """A selector is a code, a code prefix (LS31) or a rule name (dropped-unit)."""
    return code.startswith(selector.upper()) or CODES[code].name == selector


def project_path(file: str, root: Path) -> str:
    """A source path as written relative to the project root (POSIX), whatever the working directory."""
    path = Path(file).resolve()
    try:
        return path.relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


@dataclass(frozen=True)
class LintConfig:
    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    baseline: str | None = None
    root: Path = field(default_factory=Path.cwd)

    def enabled(self, code: str) -> bool:
        if self.enable and not any(matches(s, code) for s in self.enable):
            return False
        return not any(matches(s, code) for s in self.disable)

    def severity_of(self, d: Diagnostic) -> Diagnostic:
        for selector, severity in self.severity:
            if matches(selector, d.code):
                return replace(d, severity=severity)
        return d

    def ignored(self, d: Diagnostic) -> bool:
        """Ignored for its file by `per-file-ignores` (patterns match the path from the right: 'dzmf-*.policy')."""
        if d.span is None or not self.per_file_ignores:
            return False
        path = PurePosixPath(project_path(d.span.file, self.root))
        return any(path.match(pattern) and any(matches(s, d.code) for s in codes) for pattern, codes in self.per_file_ignores)

    def baseline_path(self, project: Project) -> Path:
        return project.root / self.baseline if self.baseline else project.policies / BASELINE_NAME


def load_config(project: Project) -> tuple[LintConfig, list[Diagnostic]]:
    """The project's lint settings and any mistakes in them (LS392)."""
    pyproject = project.root / "pyproject.toml"
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return LintConfig(root=project.root), []
    return parse_config(text, display_path(pyproject), project.root)


def parse_config(text: str, file: str = "pyproject.toml", root: Path | None = None) -> tuple[LintConfig, list[Diagnostic]]:
    """The `[tool.luoshi.lint]` settings in the text of a pyproject.toml shown as `file`, and their mistakes.

    A file that is not valid TOML gives the defaults (`find_project` does not take such a file as a project).
    """
    root = root or Path.cwd()
    try:
        table = tomllib.loads(text).get("tool", {}).get("luoshi", {}).get("lint", {})
    except tomllib.TOMLDecodeError:
        return LintConfig(root=root), []
    if not isinstance(table, dict):
        return LintConfig(root=root), [_error(_Locator(file, text), "lint", "「tool.luoshi.lint」应为表", "'tool.luoshi.lint' must be a table")]
    return _parse(table, _Locator(file, text), root)


@dataclass
class _Locator:
    """Finds the pyproject.toml line of a setting, so a mistake is reported where it was written."""

    file: str
    text: str

    def span(self, needle: str) -> Span:
        lines = self.text.splitlines()
        header = next((i for i, line in enumerate(lines) if line.strip() == "[tool.luoshi.lint]"), 0)
        for i in range(header, len(lines)):
            col = lines[i].find(needle)
            if col >= 0:
                return Span(file=self.file, line=i + 1, column=col + 1, end_line=i + 1, end_column=col + 1 + len(needle))
        return Span(file=self.file, line=header + 1, column=1, end_line=header + 1, end_column=2)


def _error(where: _Locator, needle: str, zh: str, en: str) -> Diagnostic:
    return Diagnostic(code="LS392", zh=zh, en=en, span=where.span(needle), severity=CODES["LS392"].severity,
                      hint_zh="见 docs/rules.md 的「配置」一节", hint_en="see the configuration section of docs/rules.md")


def _selectors(value: object, key: str, where: _Locator, errors: list[Diagnostic]) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors.append(_error(where, key, f"「{key}」应为规则代码的列表，如 [\"LS313\"]", f"'{key}' must be a list of rule codes, e.g. [\"LS313\"]"))
        return ()
    out = []
    for v in value:
        if any(matches(v, c) for c in lint_codes()):
            out.append(v)
        else:
            errors.append(_error(where, v, f"「{v}」不是 lint 规则的代码或名称", f"'{v}' is not a lint rule code or name"))
    return tuple(out)


def _parse(table: dict[str, Any], where: _Locator, root: Path) -> tuple[LintConfig, list[Diagnostic]]:
    errors: list[Diagnostic] = []
    for key in sorted(set(table) - set(KEYS)):
        errors.append(_error(where, key, f"未知的 lint 配置项「{key}」（可用：{'、'.join(KEYS)}）", f"unknown lint setting '{key}' (known: {', '.join(KEYS)})"))
    enable = _selectors(table.get("enable", []), "enable", where, errors)
    disable = _selectors(table.get("disable", []), "disable", where, errors)
    severity: list[tuple[str, Severity]] = []
    levels = table.get("severity", {})
    if not isinstance(levels, dict):
        errors.append(_error(where, "severity", "「severity」应为表，如 { LS302 = \"error\" }", "'severity' must be a table, e.g. { LS302 = \"error\" }"))
        levels = {}
    for selector, level in levels.items():
        if str(level) not in SEVERITIES:
            errors.append(_error(where, str(level), f"严重程度「{level}」无效（可用 error、warning、info）", f"severity '{level}' is not error, warning or info"))
        elif _selectors([selector], "severity", where, errors):
            severity.append((selector, SEVERITIES[str(level)]))
    ignores: list[tuple[str, tuple[str, ...]]] = []
    patterns = table.get("per-file-ignores", {})
    if not isinstance(patterns, dict):
        errors.append(_error(where, "per-file-ignores", "「per-file-ignores」应为表：文件模式 = [代码]", "'per-file-ignores' must be a table: pattern = [codes]"))
        patterns = {}
    for pattern, codes in patterns.items():
        ignores.append((pattern, _selectors(codes, pattern, where, errors)))
    baseline = table.get("baseline")
    if baseline is not None and not isinstance(baseline, str):
        errors.append(_error(where, "baseline", "「baseline」应为文件路径", "'baseline' must be a file path"))
        baseline = None
    config = LintConfig(enable, disable, tuple(severity), tuple(ignores), baseline, root)
    return config, errors
