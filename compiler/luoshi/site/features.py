"""The other features the site shows, each behind one function: the one place the site imports them.

The site reuses their public functions (tables, checklists, lint, diff, compliance) through these adapters, so
what the site takes from each feature is listed here. A feature with nothing to say returns an empty value.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ..backends import table as backend
from ..diagnostics import Diagnostic
from ..model import Corpus
from ..policydiff import compare as diff
from ..policydiff import render as diffrender

if TYPE_CHECKING:
    from ..driver.project import Project
    from ..syntax.source import SourceFile

# ───────────── responsibility tables ─────────────


def table_files(corpus: Corpus, policy_id: str, formats: tuple[str, ...] | None = None) -> dict[str, bytes] | None:
    """The policy's responsibility table in every format (`tables/<policy>.<fmt>`), {} when it names no unit."""
    table = backend.build_table(corpus, policy_id)
    if not table.task_rows:
        return {}
    return {f"tables/{policy_id}.{fmt}": backend.render_table(table, fmt) for fmt in formats or backend.FORMATS}


# ───────────── lint findings ─────────────


def lint_findings(corpus: Corpus, sources: dict[str, SourceFile], project: Project) -> list[Diagnostic] | None:
    """Every finding of `luoshi lint` with the project's configuration and inline suppressions (the baseline is
    for CI and does not hide findings here)."""
    from .. import lint  # on use: the lint rules are a third of the site's import time

    config, _problems = lint.load_config(project)
    found: list[Diagnostic] = lint.lint(corpus, sources, config).diagnostics
    return found


def rules_reference() -> str | None:
    from ..lint import docs

    return docs.render_rules_markdown()


# ───────────── diffs between a policy and its parent ─────────────


@dataclass(frozen=True)
class Diffs:
    pairs: dict[tuple[str, str], diff.PolicyDiff]   # (child, parent) → each pair's comparison
    markdown: dict[tuple[str, str], str]   # the `luoshi diff --format md` page of each pair
    module: ModuleType                     # draft.diffrender, for per-measure views


def value_wording(corpus: Corpus) -> dict[str, str]:
    """`luoshi diff`'s text of each target (失能特困人员集中供养率 达到 40% 截至 2019年底 范围 …) → the checklist's
    wording of it (失能特困人员集中供养率达到40%（范围：各乡镇（街道）；2019年底前）), so the site's comparison tables
    read like the rest of the site. draft.diff words a target with `target_text` by default."""
    from ..backends.wording import target_zh

    out: dict[str, str] = {}
    for p in corpus.policies:
        for t in p.tasks:
            for g in t.targets:
                out.setdefault(diff.target_text(g), target_zh(g))
    return out


def policy_diffs(corpus: Corpus) -> Diffs | None:
    pairs = {pair: diff.compare(corpus, *pair) for pair in diff.implementation_pairs(corpus)}
    return Diffs(pairs, {pair: diffrender.render_markdown(d) for pair, d in pairs.items()}, diffrender)


# ───────────── the last compliance report ─────────────


class ReportError(ValueError):
    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


def read_compliance_report(path: Path) -> dict[str, Any]:
    """A report written by `luoshi comply DATA --format json -o FILE`: checked for the keys the page shows."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReportError(f"无法读取核查报告「{path}」：{exc.strerror}", f"cannot read the compliance report '{path}': {exc.strerror}") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise ReportError(f"核查报告「{path}」不是 JSON：{exc}", f"the compliance report '{path}' is not JSON: {exc}") from exc
    missing = [k for k in ("as_of", "summary", "results") if not isinstance(data, dict) or k not in data]
    if missing:
        raise ReportError(f"「{path}」不是 luoshi comply --format json 的报告（缺少 {'、'.join(missing)}）",
                          f"'{path}' is not a report of luoshi comply --format json (missing {', '.join(missing)})")
    assert isinstance(data, dict), "a value that is not an object misses every key"
    return data
