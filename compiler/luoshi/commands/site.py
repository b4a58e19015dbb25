"""`luoshi site`: generate the docs site's Markdown sources into site/ (then `mkdocs build --strict`, or
`luoshi site --build`, makes the HTML in build/site/). The site works offline: Mermaid is bundled, fonts are the
reader's own, and search (with Chinese word segmentation by jieba) runs in the browser."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ..diagnostics.lang import Lang, say
from ..driver.output import OutputError
from ..driver.pipeline import compile_paths, display_path
from ..driver.project import Project, find_project
from ..site import SiteInputs, features, render_site
from ..site.publish import build_html, write_site
from ._corpus import ForceOpt, LangOpt, fail

DEFAULT_REPORT = "compliance-report.json"  # under the project's output folder (build/)
WORKBOOK = "督查报告.xlsx"                   # `luoshi comply --format xlsx`'s default name, looked for beside the report


def command(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="网站源文件目录（默认 site/）· folder for the site's sources (default site/)")] = None,
    compliance: Annotated[Path | None, typer.Option("--compliance", "-c", help="最近一次核查报告（luoshi comply --format json 的输出；默认 build/compliance-report.json）· the last compliance report (JSON from luoshi comply)")] = None,
    workbook: Annotated[Path | None, typer.Option("--workbook", help="督查表（luoshi comply --format xlsx 的输出；默认核查报告旁的 督查报告.xlsx），网站提供下载 · the 督查 workbook to offer for download")] = None,
    build: Annotated[bool, typer.Option("--build", help="生成后运行 mkdocs build --strict，输出 HTML 到 build/site/ · then build the HTML with mkdocs --strict")] = False,
    force: ForceOpt = False,
    lang: LangOpt = Lang.both,
) -> None:
    """生成文档网站：首页、每项政策、每个任务、每个单位的页面，责任矩阵、检查结果、核查报告和术语。
    · Generate the docs site: a page per policy, task and unit, the matrix, lint findings, compliance and glossary."""
    project = find_project()
    comp = compile_paths(None, project)
    if comp.sink.has_errors():
        from ..diagnostics.render import render_human

        typer.echo(render_human([d for d in comp.sink if d.severity.value == "error"], comp.sources, lang=lang), err=True)
        fail(f"政策文件有 {comp.sink.error_count} 个错误，未生成网站（luoshi check）",
             f"the policies have {comp.sink.error_count} errors; no site generated (luoshi check)", lang)
    report, source = _report(project, compliance, lang)
    inputs = SiteInputs(
        corpus=comp.corpus,
        lint=features.lint_findings(comp.corpus, comp.sources, project),
        diffs=features.policy_diffs(comp.corpus),
        compliance_available=True,
        compliance=report, compliance_source=source, workbook=_workbook(report, source, compliance, workbook, project, lang),
        dsl_reference=_doc(project, "dsl.md"),
        rules_reference=features.rules_reference(),
        encoding_reference=_doc(project, "encoding.md"),
    )
    files = render_site(inputs)
    out_dir = output or project.root / "site"
    try:
        written = write_site(out_dir, files, force=force)
    except OutputError as exc:
        fail(exc.zh, exc.en, lang)
    pages = sum(1 for name in files if name.endswith(".md"))
    typer.echo(say(f"已生成 {len(written)} 个文件到 {display_path(out_dir)}（{pages} 个页面）",
                   f"wrote {len(written)} files to {display_path(out_dir)} ({pages} pages)", lang), err=True)
    if build:
        _build(project, out_dir, lang)


def _report(project: Project, option: Path | None, lang: str) -> tuple[dict[str, Any] | None, str | None]:
    path = option or project.output / DEFAULT_REPORT
    if option is None and not path.is_file():
        return None, None
    try:
        return features.read_compliance_report(path), display_path(path)
    except features.ReportError as exc:
        fail(exc.zh, exc.en, lang, hint=("用 luoshi comply 数据 --format json -o 报告.json 生成", "write one with luoshi comply DATA --format json -o REPORT.json"))


def _workbook(report: dict[str, Any] | None, source: str | None, option: Path | None, given: Path | None, project: Project,
              lang: str) -> bytes | None:
    """The 督查 workbook's bytes: --workbook, else 督查报告.xlsx beside the report, when there is a report."""
    if report is None:
        return None
    path = given or (option or project.output / DEFAULT_REPORT).parent / WORKBOOK
    try:
        return path.read_bytes()
    except OSError as exc:
        if given is not None:
            fail(f"无法读取督查表「{display_path(path)}」：{exc.strerror}", f"cannot read the workbook '{display_path(path)}': {exc.strerror}", lang)
        return None


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def _build(project: Project, docs_dir: Path, lang: str) -> None:
    config = project.root / "mkdocs.yml"
    if not config.is_file():
        fail(f"没有找到 {display_path(config)}", f"{display_path(config)} not found", lang)
    import logging

    from mkdocs.exceptions import MkDocsException

    warnings: list[str] = []

    class Keep(logging.Handler):  # the warnings strict mode aborts on: said with the failure, not lost
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                warnings.append(" ".join(record.getMessage().split()))

    logger, keep = logging.getLogger("mkdocs"), Keep()
    logger.addHandler(keep)
    try:
        site_dir = build_html(config, docs_dir)
    except MkDocsException as exc:
        said = "".join(f"\n  {w}" for w in warnings[:20])
        fail(f"mkdocs 构建失败：{exc}{said}", f"mkdocs build failed: {exc}{said}", lang)
    finally:
        logger.removeHandler(keep)
    typer.echo(say(f"网站已构建到 {display_path(site_dir)}", f"site built in {display_path(site_dir)}", lang), err=True)


def register(app: typer.Typer) -> None:
    app.command("site")(command)

def _doc(project: Project, name: str) -> str | None:
    """A page of the project's docs/ (or, for a project without one, of luoshi's own checkout)."""
    return _read(project.root / "docs" / name) or _read(Path(__file__).resolve().parents[3] / "docs" / name)
