"""What the graph, checklist and table commands share: load a clean corpus, turn what a user typed (区民政局,
璧山区/区民政局, yfbf-2018-161:2.2) into model ids, say what went wrong in both languages, and write one output
file without overwriting anything unasked.

Names typed on the command line are matched here, once, like the resolver matches names in policies: by name
or alias after NFKC folding, in the jurisdiction given (or the policy's), then its ancestors, then below it.
"""

from __future__ import annotations

import difflib
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar

import typer

from ..diagnostics.lang import Lang
from ..diagnostics.lang import say as say  # re-exported for the commands
from ..driver.output import atomic_write
from ..driver.project import find_project
from ..driver.terminal import use_colour

# The model, the driver's pipeline and the registry are imported where used: every command imports this module,
# and `luoshi comply` with a kept plan or `luoshi --version` need none of them (bench/README.md, "Round 9: start-up").
if TYPE_CHECKING:
    from ..comply.plan import Plan
    from ..driver.pipeline import Compilation
    from ..model import Corpus, TaskKey

LangOpt = Annotated[Lang, typer.Option("--lang", help="消息语言 · message language", envvar="LUOSHI_LANG")]
JurisdictionOpt = Annotated[str | None, typer.Option(
    "--jurisdiction", "-j", help="单位所在辖区，用于区分同名单位（如 璧山区）· the unit's jurisdiction, to tell same-named units apart")]
ForceOpt = Annotated[bool, typer.Option("--force", help="覆盖已有文件 · overwrite an existing file")]


def fail(zh: str, en: str, lang: str = "both", hint: tuple[str, str] | None = None) -> NoReturn:
    """A user error: one clear message (and what to do) on stderr, exit code 1, never a traceback."""
    from ..diagnostics.render import printable  # what the user typed is quoted: no escape reaches the terminal

    typer.echo(say("错误：" + printable(zh), "error: " + printable(en), lang), err=True)
    if hint:
        typer.echo(say("提示：" + printable(hint[0]), "help: " + printable(hint[1]), lang), err=True)
    raise typer.Exit(1)


def load_corpus(lang: str = "both") -> Corpus:
    """The project's whole corpus; with errors, show them and stop, as `luoshi build` does. Outside any project
    it says so, instead of a compile error about a missing policies/ folder."""
    from ..driver.pipeline import load_clean

    _require_project(lang)
    corpus, comp = load_clean()
    if corpus is None:
        stop_on_errors(comp, lang)
    return corpus


def _require_project(lang: str) -> None:
    project = find_project()
    if not project.policies.is_dir():
        fail(f"这里不是 luoshi 项目：{project.root} 及其上级没有 pyproject.toml 的 tool.luoshi 设置，也没有 policies/ 文件夹",
             f"not in a luoshi project: neither {project.root} nor a folder above it has a pyproject.toml with "
             "tool.luoshi settings or a policies/ folder", lang,
             hint=("用 luoshi --project 项目文件夹 …（或环境变量 LUOSHI_PROJECT）指定项目，或用 luoshi init 辖区 新建",
                   "name the project with luoshi --project DIR … (or LUOSHI_PROJECT), or start one with luoshi init"))


def load_plan(lang: str = "both") -> Plan:
    """The project's compliance plan (kept between runs, comply/plancache.py); with errors, show them and stop."""
    from ..comply.plancache import project_plan

    _require_project(lang)
    result = project_plan()
    if result.plan is None:
        assert result.compilation is not None, "project_plan gives the compilation when it has no plan"
        stop_on_errors(result.compilation, lang)
    return result.plan


def stop_on_errors(comp: Compilation, lang: str) -> NoReturn:
    """Show a compilation's diagnostics on stderr and stop with exit code 1."""
    from ..diagnostics.render import render_human

    colour = use_colour(sys.stderr)
    typer.echo(render_human(comp.diagnostics(), comp.sources, colour=colour, lang=lang), err=True)
    fail(f"政策文件有 {comp.sink.error_count} 个错误，请先修正（luoshi check）",
         f"the policies have {comp.sink.error_count} errors; fix them first (luoshi check)", lang)


def safe_file_name(name: str) -> str:
    """A name usable as a file name (backends/wording.py's), for the commands; the backends load when it is asked."""
    from ..backends.wording import safe_file_name as safe

    return safe(name)


def find_jurisdiction(corpus: Corpus, name: str, lang: str) -> str:
    from ..semantics.registry import fold

    key = fold(name)
    for j in corpus.jurisdictions:
        if key == fold(j.id) or key in map(fold, j.aliases):
            return j.id
    close = difflib.get_close_matches(name, [j.id for j in corpus.jurisdictions], n=3)
    fail(f"未知辖区「{name}」", f"unknown jurisdiction '{name}'", lang,
         hint=("是否指" + "、".join(close) + "？", "did you mean " + ", ".join(close) + "?") if close else
         ("可用的辖区：" + "、".join(j.id for j in corpus.jurisdictions), "known: " + ", ".join(j.id for j in corpus.jurisdictions)))


def find_policy(corpus: Corpus, policy_id: str, lang: str, *, encoded: bool = True) -> str:
    from ..driver.pipeline import display_path
    from ..model import PolicyKind
    from ..semantics.registry import fold

    policy = corpus.policy(policy_id)
    if policy is None:
        key = fold(policy_id)
        policy = next((p for p in corpus.policies if p.number and fold(p.number) == key), None)
    if policy is None and Path(policy_id).suffix == ".policy" and Path(policy_id).is_file():
        shown = display_path(Path(policy_id).resolve())  # a file path, as the hint 「或给出文件路径」 offers
        policy = next((p for p in corpus.policies if p.file == shown), None)
    if policy is None or (encoded and policy.kind is not PolicyKind.POLICY):
        ids = [p.id for p in corpus.policies if p.kind is PolicyKind.POLICY or not encoded]
        close = difflib.get_close_matches(policy_id, ids, n=3)
        what = ("是未编码的文件，没有任务", "is a declared document with no tasks") if policy else ("不存在", "does not exist")
        fail(f"政策「{policy_id}」{what[0]}", f"policy '{policy_id}' {what[1]}", lang,
             hint=("可用：" + "、".join(close or ids), "try: " + ", ".join(close or ids)))
    return policy.id


def find_task(corpus: Corpus, text: str, lang: str) -> TaskKey:
    policy_id, sep, task_id = text.partition(":")
    if not sep:
        fail(f"任务要写成「政策编号:任务编号」，如 yfbf-2018-161:2.2，而不是「{text}」",
             f"write a task as POLICY:TASK, e.g. yfbf-2018-161:2.2, not '{text}'", lang)
    pid = find_policy(corpus, policy_id, lang)
    policy = corpus.policy(pid)
    assert policy is not None, "find_policy gives only ids of the corpus"
    if policy.task(task_id) is None:
        close = difflib.get_close_matches(task_id, [t.id for t in policy.tasks], n=3)
        fail(f"政策「{pid}」中没有任务「{task_id}」", f"policy '{pid}' has no task '{task_id}'", lang,
             hint=("是否指" + "、".join(close) + "？", "did you mean " + ", ".join(close) + "?") if close else None)
    from ..model import TaskKey

    return TaskKey(policy=pid, task=task_id)


def _tiers(corpus: Corpus, jurisdiction: str | None) -> list[set[str]]:
    """Where to look, nearest first: the jurisdiction, each ancestor, then everything below it."""
    if jurisdiction is None:
        return [{j.id for j in corpus.jurisdictions}]
    parents = {j.id: j.parent for j in corpus.jurisdictions}
    tiers, current, seen = [{jurisdiction}], parents.get(jurisdiction), {jurisdiction}
    while current and current not in seen:
        tiers.append({current})
        seen.add(current)
        current = parents.get(current)

    def below(j: str) -> bool:
        p = parents.get(j)
        while p:
            if p == jurisdiction:
                return True
            p = parents.get(p)
        return False

    tiers.append({j.id for j in corpus.jurisdictions if below(j.id)})
    return tiers


def find_unit(corpus: Corpus, text: str, lang: str, *, jurisdiction: str | None = None,
              policy: str | None = None) -> str:
    """A unit id from a qualified id (璧山区/区民政局) or a name as officials write it, disambiguated by
    --jurisdiction or by the policy's jurisdiction."""
    if corpus.unit(text):
        return text
    where = find_jurisdiction(corpus, jurisdiction, lang) if jurisdiction else None
    if where is None and policy:
        named = corpus.policy(find_policy(corpus, policy, lang))
        assert named is not None, "find_policy gives only ids of the corpus"
        where = named.jurisdiction
    if "/" in text and where is None:
        head, _, name = text.partition("/")
        where, text = find_jurisdiction(corpus, head, lang), name
    from ..semantics.registry import fold
    from ..semantics.standard_units import NOTE as STANDARD_NOTE

    key = fold(text)
    for tier in _tiers(corpus, where):
        found = sorted(u.id for u in corpus.units if u.jurisdiction in tier and
                       (fold(u.name) == key or key in map(fold, u.aliases)))
        declared = [u for u in found if (unit := corpus.unit(u)) is not None and unit.note != STANDARD_NOTE]
        if len(found) > 1 and len(declared) == 1:  # a declared unit wins over the standard ones of other places
            return declared[0]
        if len(found) == 1:
            return found[0]
        if found:
            fail(f"「{text}」可指多个单位：{'、'.join(found)}", f"'{text}' can mean several units: {', '.join(found)}", lang,
                 hint=("用 --jurisdiction 指明辖区，或写成「辖区/单位」", "name the jurisdiction with --jurisdiction, or write JURISDICTION/UNIT"))
    names = sorted({u.name for u in corpus.units if any(u.jurisdiction in t for t in _tiers(corpus, where))})
    close = difflib.get_close_matches(text, names, n=3, cutoff=0.5)
    fail(f"未知单位「{text}」" + (f"（在{where}及其上下级中）" if where else ""),
         f"unknown unit '{text}'" + (f" (in {where}, above or below it)" if where else ""), lang,
         hint=("是否指" + "、".join(close) + "？", "did you mean " + ", ".join(close) + "?") if close else
         ("单位名录在 policies/units/ 中", "the unit registry is in policies/units/"))


def write_file(path: Path, data: bytes, force: bool, lang: str) -> None:
    """Write one generated file; an existing file is only replaced with --force."""
    if path.exists() and not force:
        fail(f"「{path}」已存在，未覆盖", f"'{path}' exists; not overwritten", lang,
             hint=("加 --force 覆盖，或用 -o 另选文件名", "add --force to replace it, or choose another name with -o"))
    if path.is_dir():
        fail(f"「{path}」是文件夹", f"'{path}' is a folder", lang)
    try:
        atomic_write(path, data)
    except OSError as exc:
        fail(f"无法写入「{path}」：{exc.strerror}", f"cannot write '{path}': {exc.strerror}", lang)
    typer.echo(say(f"已写入 {path}", f"wrote {path}", lang), err=True)


# Suffixes of files that are not text: a Markdown or CSV report written under one of these names is a file Excel
# or Word refuses to open, read by the user as a broken report.
BINARY_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".docx", ".doc", ".pdf", ".parquet", ".zip"})
_SUFFIX_ALIASES = {"markdown": "md", "htm": "html", "txt": "table"}
E = TypeVar("E", bound=Enum)


def output_format(ctx: typer.Context, fmt: E, output: Path | None, param: str = "fmt") -> E:
    """The format to write: `-f` when the user gave it, else the one -o's suffix names (`-o 督查报告.xlsx` is an
    xlsx, as `luoshi draft -o x.docx` always was), else the command's default. Without this, every command wrote
    its default text format under any name, and `-o report.xlsx` left a Markdown file Excel cannot open."""
    source = ctx.get_parameter_source(param)
    given = source is not None and source.name != "DEFAULT"  # by name: typer carries its own copy of click
    if given or output is None:
        return fmt
    suffix = output.suffix.lower().lstrip(".")
    suffix = _SUFFIX_ALIASES.get(suffix, suffix)
    for member in type(fmt):
        if str(member.value) == suffix or (suffix == "md" and str(member.value) == "markdown"):
            return member
    return fmt


def emit(data: bytes, output: Path | None, force: bool, lang: str, *, binary: bool, default_name: str) -> None:
    """Text goes to stdout unless -o is given; a binary format (xlsx, docx) always goes to a file, by default
    `default_name` in the working directory. Text is never written under the name of a binary file (x.xlsx)."""
    if output is not None and not binary and output.suffix.lower() in BINARY_SUFFIXES:
        fail(f"「{output}」的扩展名是 {output.suffix}，但所选格式是文本，写出的文件将无法用 Excel 或 Word 打开",
             f"'{output}' is named {output.suffix} but the chosen format is text: Excel or Word could not open it", lang,
             hint=(f"用 -f 选择与扩展名相符的格式，或换一个文件名（如 {output.stem}.md）",
                   f"pick the format matching the name with -f, or another name (e.g. {output.stem}.md)"))
    if output is None and not binary:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    write_file(output or Path(default_name), data, force, lang)
