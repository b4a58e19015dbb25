"""`luoshi import FILE [-o OUT] [--parent PARENT] [--report POLICY]`: a policy document → a DSL draft (and proposed
registry entries). With --parent (a policy id, its .policy file or the parent document), each measure is linked
(落实) to the parent measures it carries out.

Reads .txt (UTF-8 or GB18030), Markdown (with a front matter), .docx, .html (a saved page), .pdf (text layer) and .xlsx, .xls or WPS .et (a 分工表 kept as a workbook); writes the draft to OUT (or prints it), and the registry
entries it proposes for units the registry lacks to OUT's name with `.units`. Nothing is overwritten without
--force. With --report, the import is scored against the corpus's encoding of the same document: the scores are
printed instead of the draft, or, with -o, after the draft is written; then the paragraphs and table rows of the
document the draft does not carry, by line.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from luoshi.commands._corpus import LangOpt
from luoshi.diagnostics import Sink
from luoshi.diagnostics.lang import Lang, say
from luoshi.diagnostics.render import render_human
from luoshi.driver.output import atomic_write
from luoshi.driver.pipeline import compile_paths, display_path
from luoshi.driver.project import find_project
from luoshi.driver.terminal import use_colour
from luoshi.importer import Imported, Options, ReadError, import_path
from luoshi.importer.score import render_score, score_import
from luoshi.model import Corpus
from luoshi.syntax.source import SourceFile, Span


def _say(lang: str, zh: str, en: str) -> str:
    return say(zh, en, lang)


def register(app: typer.Typer) -> None:
    @app.command("import")
    def import_(
        file: Annotated[Path, typer.Argument(help="要导入的政策文件（.txt、.md、.docx、.html、.pdf、.xlsx、.xls、.et）· the policy document to import", show_default=False)],
        output: Annotated[Path | None, typer.Option("--output", "-o", help="草稿写到此 .policy 文件（默认输出到屏幕）· write the draft here (default: print it)")] = None,
        policy_id: Annotated[str | None, typer.Option("--id", help="政策编号（默认由文号生成，如 yfbf-2018-161）· policy id (default: from the 文号)")] = None,
        jurisdiction: Annotated[str | None, typer.Option("--jurisdiction", help="辖区（默认由发文机关推断）· jurisdiction (default: from the issuer)")] = None,
        report: Annotated[str | None, typer.Option("--report", help="与语料中已编码的政策比对，报告精确率和召回率及未用于草稿的原文（有 -o 时先写出草稿）· score against this encoded policy and list the text not used (with -o, after writing the draft)")] = None,
        parent: Annotated[str | None, typer.Option("--parent", help="本文件所落实的上级文件：语料中的政策编号，或其 .policy/原文文件；各措施按文字对应加「落实」链接（默认：正文引用其文号且已在语料中时自动对应）· the parent this document carries out: a policy id of the corpus, or its .policy or document file; each measure gets 落实 links by matching text (default: automatic when the document cites the 文号 of a policy in the corpus)")] = None,
        force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件 · overwrite existing output files")] = False,
        lang: LangOpt = Lang.both,
    ) -> None:
        """把政策文件（txt/md/docx/html/pdf/xlsx/xls/et）转为待审核的 DSL 草稿；未决事项写成「待定」。· Import a policy document as a DSL draft to review; open questions become 待定."""
        shown = display_path(file)
        corpus = compile_paths(None).corpus
        if output is not None and output.exists():  # re-importing over a draft: what it declares is not context
            replaced = display_path(output.resolve())
            corpus = corpus.model_copy(update={"policies": tuple(p for p in corpus.policies if p.file != replaced)})
        try:
            parent_id = None
            if parent:
                corpus, parent_id = _parent(parent, corpus)
            imported = import_path(file, corpus, Options(policy_id, jurisdiction, parent_id), shown)
        except ReadError as exc:
            _fail(shown if not parent or parent_id else parent, exc, lang)
        _print_issues(imported, shown, lang)
        if output is not None:
            _write(imported, output, force, lang)
        elif not report:
            typer.echo(imported.policy_text, nl=False)
            if imported.units_text:
                typer.echo("\n# ── 单位名录草稿（请另存为 .units 文件）· proposed registry entries (save as a .units file) ──")
                typer.echo(imported.units_text, nl=False)
        if report:
            _report(imported, report, lang, output)


def _parent(parent: str, corpus: Corpus) -> tuple[Corpus, str]:
    """(the corpus the child is imported against, the parent's id): a policy id of the corpus as it is; a .policy
    file compiled beside the corpus; any other document imported first and its draft compiled beside the corpus."""
    path = Path(parent)
    if not path.is_file():
        if corpus.policy(parent) is None:
            raise ReadError("LS608", f"--parent「{parent}」既不是文件，也不是语料中的政策编号",
                            f"--parent '{parent}' is neither a file nor a policy id of the corpus")
        return corpus, parent
    shown = display_path(path)
    if path.suffix == ".policy":
        text = path.read_text(encoding="utf-8")
    else:
        imported = import_path(path, corpus, Options(), shown)
        if corpus.policy(imported.result.policy.id) is not None:  # the parent is already encoded in the project
            return corpus, imported.result.policy.id
        text = imported.policy_text
    name = shown if path.suffix == ".policy" else f"{shown}.policy"
    comp = compile_paths(None, extra={name: text})
    found = [p for p in comp.corpus.policies if p.file == name and p.kind.value == "policy"]
    if not found:
        raise ReadError("LS608", f"上级文件 {shown} 中没有可用的政策（草稿无法编译）",
                        f"the parent file {shown} holds no policy that compiles")
    return comp.corpus, found[-1].id


def _write(imported: Imported, output: Path, force: bool, lang: str) -> None:
    """The draft to OUT and the proposed registry entries beside it, never over an existing file without --force."""
    targets = {output: imported.policy_text}
    if imported.units_text:
        targets[output.with_suffix(".units")] = imported.units_text
    existing = [p for p in targets if p.exists()]
    if existing and not force:
        names = "、".join(display_path(p) for p in existing)
        typer.echo(_say(lang, f"错误[LS605]: 输出文件已存在：{names}（加 --force 覆盖）",
                        f"error[LS605]: output exists: {names} (use --force to overwrite)"), err=True)
        raise typer.Exit(1)
    for path, text in targets.items():
        atomic_write(path, text.encode("utf-8"))
    todos = sum(1 for line in imported.policy_text.splitlines() if line.lstrip().startswith("待定 "))
    typer.echo(_say(lang, f"已写出 {'、'.join(display_path(p) for p in targets)}：{todos} 项待定，审核后运行 luoshi check",
                    f"wrote {', '.join(display_path(p) for p in targets)}: {todos} open items (待定); review, then run luoshi check"),
               err=True)


def _fail(shown: str, exc: ReadError, lang: str) -> None:
    sink = Sink()
    sink.emit(exc.code, Span(file=shown, line=exc.line, column=exc.column, end_line=exc.line, end_column=exc.column + 1),
              exc.zh, exc.en)
    typer.echo(render_human(sink, {}, lang=lang), err=True)
    raise typer.Exit(1)


def _print_issues(imported: Imported, shown: str, lang: str) -> None:
    """Each open item as a diagnostic pointing at its line in the imported document."""
    sink = Sink()
    for issue in imported.issues:
        span = Span(file=shown, line=issue.line or 1, column=issue.column, end_line=issue.line or 1, end_column=issue.column + 1)
        sink.emit(issue.code, span, issue.zh, issue.en,
                  hint=("草稿中已写为「待定」，核对原文后改写并删去", "written into the draft as 待定: check the text, settle it, remove it"))
    text = imported.document.source_text
    sources = {shown: SourceFile.of(shown, text)} if text is not None else {}
    if len(sink):
        typer.echo(render_human(sink, sources, colour=use_colour(sys.stderr), lang=lang), err=True)


def _report(imported: Imported, policy_id: str, lang: str, written: Path | None = None) -> None:
    """The scores; a draft just written into policies/ is not part of the corpus it is scored against."""
    result = score_import(imported, policy_id, find_project().policies, exclude=[written, written.with_suffix(".units")] if written else [])
    if result is None:
        typer.echo(_say(lang, f"错误[LS606]: 语料中没有已编码的政策「{policy_id}」",
                        f"error[LS606]: no encoded policy '{policy_id}' in the corpus"), err=True)
        raise typer.Exit(1)
    typer.echo(render_score(result), nl=False)
    typer.echo(render_unused(imported.unused, lang), nl=False)


def render_unused(unused: list[tuple[int, str]], lang: str, shown: int = 40) -> str:
    """The document's paragraphs and rows the draft does not carry, by line: page furniture dropped on purpose
    and text the importer could not place, for a person to look at."""
    if not unused:
        return _say(lang, "原文段落均已用于草稿", "every paragraph of the document is used in the draft") + "\n"
    lines = [_say(lang, f"未用于草稿的原文（{len(unused)} 段）", f"text not used in the draft ({len(unused)} paragraphs)")]
    lines += [f"  {line:>5}  {text[:70]}" for line, text in unused[:shown]]
    if len(unused) > shown:
        lines.append(f"  … {len(unused) - shown}")
    return "\n".join(lines) + "\n"
