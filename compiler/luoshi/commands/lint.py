"""`luoshi lint`: consistency checks within each policy and along the implementation chain, for people and CI.

The command is the driver: it compiles the corpus, runs `luoshi.lint` (pure), applies the baseline and
writes nothing except the baseline file when asked (`--write-baseline`).
"""

from __future__ import annotations

import sys
from collections import ChainMap
from collections.abc import Mapping
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from ..diagnostics import Diagnostic
from ..diagnostics.codes import Severity
from ..diagnostics.lang import Lang, say
from ..diagnostics.render import render_human
from ..driver.incremental import check_and_lint
from ..driver.output import atomic_write
from ..driver.pipeline import display_path
from ..driver.project import find_project
from ..driver.replay import disable, echo, watch_file
from ..driver.terminal import use_colour
from ..lint.baseline import BaselineError, fingerprints, is_baseline, read_baseline, render_baseline
from ..lint.config import load_config
from ..lint.report import render_json, summary_table
from ..syntax.source import SourceFile

if TYPE_CHECKING:  # imported by `register`: a plain `luoshi lint` runs without typer (luoshi.launch.lint_args)
    import typer

    from ._corpus import LangOpt


class LintFormat(str, Enum):
    human = "human"
    json = "json"
    sarif = "sarif"


def _say(zh: str, en: str, lang: str) -> None:
    echo(say(zh, en, lang), err=True)


def lint_command(
    paths: Annotated[list[str] | None, typer.Argument(
        help="只报告这些文件、文件夹或政策编号中的问题（默认：整个 policies/）· report only for these files, folders or policy ids (default: all)",
        show_default=False)] = None,
    fmt: Annotated[LintFormat, typer.Option("--format", "-f", help="输出格式：human、json、sarif · output format")] = LintFormat.human,
    strict: Annotated[bool, typer.Option("--strict", help="警告也使退出码为 1 · exit 1 on warnings too")] = False,
    baseline: Annotated[Path | None, typer.Option("--baseline", help="基线文件（默认 policies/.luoshi-lint-baseline.json）· baseline file", show_default=False)] = None,
    no_baseline: Annotated[bool, typer.Option("--no-baseline", help="不使用基线，报告全部问题 · ignore the baseline, report everything")] = False,
    write_baseline: Annotated[bool, typer.Option("--write-baseline", help="把现有问题写入基线文件 · record today's findings as the baseline")] = False,
    force: Annotated[bool, typer.Option("--force", help="允许覆盖不是基线的文件 · allow overwriting a file that is not a baseline")] = False,
    explain_code: Annotated[str | None, typer.Option("--explain", help="说明一条规则，如 LS312 · explain one rule, e.g. LS312", show_default=False)] = None,
    rules_doc: Annotated[bool, typer.Option("--rules-doc", help="输出规则参考（docs/rules.md）· print the rule reference (docs/rules.md)")] = False,
    lang: LangOpt = Lang.both,
) -> None:
    """检查政策内部及上下级政策之间的一致性（LS3xx），有错误时退出码为 1。· Check consistency within policies and along the implementation chain; exit 1 on errors."""
    import typer

    if rules_doc or explain_code:  # imported here: the rule documentation is not read by a run (~15 ms)
        from ..lint.docs import explain, render_rules_markdown
    if rules_doc:
        typer.echo(render_rules_markdown(), nl=False)
        raise typer.Exit(0)
    if explain_code:
        text = explain(explain_code)
        if text is None:
            _say(f"「{explain_code}」不是 lint 规则代码（见 docs/rules.md）", f"'{explain_code}' is not a lint rule code (see docs/rules.md)", lang.value)
            raise typer.Exit(1)
        typer.echo(text)
        raise typer.Exit(0)
    raise typer.Exit(_run(paths, fmt, strict, baseline, no_baseline, write_baseline, force, lang.value))


def _run(paths: list[str] | None, fmt: LintFormat, strict: bool, baseline_opt: Path | None, no_baseline: bool, write: bool, force: bool, lang: str) -> int:
    project = find_project()
    config, config_errors = load_config(project)
    outcome = check_and_lint(paths, project, config)  # reuses the last run's results where no edit reaches
    comp, result = outcome.compilation, outcome.lint
    assert result is not None, "a run given a lint configuration lints"
    baseline_path = baseline_opt or config.baseline_path(project)
    watch_file(baseline_path)  # a warm run replays this output only while the baseline is as it was
    if write:
        disable()  # writes a file: never answered from a transcript
        return _write_baseline(baseline_path, result.diagnostics, project.root, force, lang)

    def chosen(d: Diagnostic) -> bool:
        return comp.selected_files is None or d.span is None or d.span.file in comp.selected_files

    found = [d for d in result.diagnostics if chosen(d)]
    suppressed = [(d, why) for d, why in result.suppressed if chosen(d)]
    known: list[Diagnostic] = []
    stale = 0
    baseline = None
    if not no_baseline and baseline_path.exists():
        try:
            baseline = read_baseline(baseline_path)
        except BaselineError as exc:
            _say(exc.zh, exc.en, lang)
            return 1
        # Fingerprints number repeated findings within a file, so the split is made on the whole corpus's
        # findings and only then narrowed to the files asked for; stale entries are counted on whole runs only.
        found, known, stale = baseline.split(result.diagnostics, project.root)
        found, known = [d for d in found if chosen(d)], [d for d in known if chosen(d)]
        stale = stale if comp.selected_files is None else 0
    active = [*sorted(config_errors, key=Diagnostic.sort_key), *comp.diagnostics(), *found]
    files = len(comp.selected_files) if comp.selected_files is not None else len(comp.sources)
    if fmt is LintFormat.sarif:
        from ..lint.sarif import render_sarif  # with the rule documentation it carries: only for this format

        echo(render_sarif(active, project.root, known=known, suppressed=suppressed, lang=lang, baseline=baseline))
    elif fmt is LintFormat.json:
        echo(render_json(active, fingerprints(active, project.root), files=files, baselined=len(known),
                               suppressed=len(suppressed), stale=stale))
    else:
        sources = ChainMap({}, comp.sources)  # not a copy: an incremental run reads a file only to show it
        for d in config_errors:  # show the pyproject.toml line a setting was written on
            if d.span is not None:
                sources.setdefault(d.span.file, SourceFile.of(d.span.file, (project.root / "pyproject.toml").read_text(encoding="utf-8")))
        _human(active, sources, files, len(known), len(suppressed), stale, baseline_path, lang)
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return 1 if any(d.severity in failing for d in active) else 0


def _human(active: list[Diagnostic], sources: Mapping[str, SourceFile], files: int, known: int, suppressed: int, stale: int, baseline_path: Path, lang: str) -> None:
    text = render_human(active, sources, colour=use_colour(sys.stderr), lang=lang)
    if text:
        echo(text, err=True)
    if active:
        echo(summary_table(active, lang), err=True)
    errors = sum(1 for d in active if d.severity is Severity.ERROR)
    warnings = sum(1 for d in active if d.severity is Severity.WARNING)
    infos = len(active) - errors - warnings
    _say(f"检查了 {files} 个文件：{errors} 个错误，{warnings} 个警告，{infos} 个提示",
         f"checked {files} files: {errors} errors, {warnings} warnings, {infos} notes", lang)
    shown = display_path(baseline_path)
    if known:
        _say(f"另有 {known} 个问题已列入基线 {shown}，未显示（--no-baseline 显示全部）",
             f"{known} more findings are in the baseline {shown} and not shown (--no-baseline shows them)", lang)
    if stale:
        _say(f"基线中有 {stale} 个问题已不存在：请运行 luoshi lint --write-baseline 更新基线",
             f"{stale} baseline entries no longer occur: run luoshi lint --write-baseline to update it", lang)
    if suppressed:
        _say(f"{suppressed} 个问题已被忽略注释忽略", f"{suppressed} findings suppressed by comments", lang)


def _write_baseline(path: Path, diags: list[Diagnostic], root: Path, force: bool, lang: str) -> int:
    if path.exists() and not force and not is_baseline(path):
        _say(f"{display_path(path)} 已存在且不是 luoshi lint 的基线文件；未覆盖（确需覆盖请加 --force）",
             f"{display_path(path)} exists and is not a luoshi lint baseline; not overwritten (use --force to overwrite)", lang)
        return 1
    atomic_write(path, render_baseline(diags, root))
    _say(f"已把 {len(diags)} 个问题写入基线 {display_path(path)}；请审阅后提交",
         f"wrote {len(diags)} findings to the baseline {display_path(path)}; review and commit it", lang)
    return 0


def register(app: typer.Typer) -> None:
    # typer reads `lint_command`'s annotations from this module's globals, which name typer and LangOpt
    import typer as typer_

    from ._corpus import LangOpt as LangOpt_

    globals().update(typer=typer_, LangOpt=LangOpt_)
    app.command("lint")(lint_command)
