"""`luoshi draft PARENT --for JURISDICTION`: a first draft of local implementation measures, in the DSL (to keep
encoding), as Word (to edit in the official layout) or Markdown. The draft is checked with the corpus (and linted)
before anything is written; nothing existing is overwritten without --force."""

from __future__ import annotations

import re
import sys
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ..backends.document import render_markdown
from ..backends.wordfile import render_docx
from ..diagnostics.lang import Lang, say
from ..diagnostics.render import render_human
from ..drafting.plan import STANDARD_PHASES, Draft, DraftOptions, draft_policy
from ..drafting.schedule import ScheduleError, parse_advance
from ..drafting.verify import Checked, check_draft
from ..driver.pipeline import display_path
from ..model import Corpus, ItemKind
from ..syntax.unparse import bare_ok
from ._corpus import ForceOpt, LangOpt, fail, find_jurisdiction, find_policy, find_unit, load_corpus, write_file
from .checklist import parse_day

_UNSAFE = re.compile(r"[\\/*?|]")  # a draft id is a DSL name (no : " < >); these are left for a file name


class DraftKind(str, Enum):
    """What kind of document (plan.KINDS): who is tasked, and how the document reads."""

    office = "office"
    bureau = "bureau"
    subdistrict = "subdistrict"


class DraftFormat(str, Enum):
    policy = "policy"
    docx = "docx"
    md = "md"


def command(
    parent: Annotated[str, typer.Argument(help="上级政策的编号或文号，如 yfbf-2018-161 · the parent policy's id or 文号")],
    jurisdictions: Annotated[list[str], typer.Option("--for", help="为哪个辖区起草（可多次给出，或用、分隔）· the jurisdiction(s) to draft for (repeat, or separate with 、)")],
    issuer: Annotated[str | None, typer.Option("--issuer", help="发文机关（默认：上级发文机关的对应单位）· the issuing unit (default: the counterpart of the parent's issuer)")] = None,
    kind: Annotated[DraftKind | None, typer.Option("--kind", help="文种：office 政府办实施办法（上级单位换为本级对应单位）、bureau 部门通知（本部门主办、下级承办、其他部门为协调对象）、subdistrict 乡镇街道通知（村社区承办）；默认按发文机关 · kind of document: office (a government office's 实施办法), bureau (a bureau's notice: the level below does the work), subdistrict (a township's notice); default from the issuer")] = None,
    date: Annotated[str | None, typer.Option("--date", help="成文日期，如 2019-02-28；早于它的时限标为待定 · issue date; deadlines before it become 待定")] = None,
    sections: Annotated[list[str] | None, typer.Option("--section", "-s", help="只转入上级的这些部分（编号，可多次给出）· carry over only these parent sections (ids; repeat)")] = None,
    advance: Annotated[str | None, typer.Option("--advance", help="本级时限较上级提前，如 1个月、15日、10个工作日 · local deadlines this much before the parent's")] = None,
    phases: Annotated[bool, typer.Option("--phases", help="加入实施步骤（启动部署、组织实施、总结评估）· add a phased schedule (实施步骤)")] = False,
    phase: Annotated[list[str] | None, typer.Option("--phase", help="自定实施阶段名称（可多次给出）· name the phases yourself (repeat)")] = None,
    policy_id: Annotated[str | None, typer.Option("--id", help="初稿的政策编号（只起草一个辖区时）· the draft's policy id (one jurisdiction only)")] = None,
    title: Annotated[str | None, typer.Option("--title", help="初稿标题 · the draft's title")] = None,
    formats: Annotated[list[DraftFormat] | None, typer.Option("--format", "-f", help="policy（政策语言）、docx、md；可多次给出 · output format(s)")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="输出文件；起草多个辖区或多种格式时为文件夹 · output file, or folder for several drafts or formats")] = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.both,
) -> None:
    """按上级政策为本级起草落实措施初稿：单位换为对应单位，表述改为本级，逐项「落实」，须本级确定的写「待定」。
    · Draft local implementation measures of a parent policy: counterpart units, local wording, a 落实 link per
    task, and a 待定 for everything a person must decide."""
    corpus = load_corpus(lang)
    pid = find_policy(corpus, parent, lang)
    targets = [find_jurisdiction(corpus, j, lang) for item in jurisdictions for j in _split(item)]
    options = _options(corpus, pid, targets, date, sections or [], advance, phases, phase or [], policy_id, title, lang)
    options = replace(options, kind=kind.value if kind else None)
    kinds = formats or [_format_of(output)]
    several = len(targets) * len(kinds) > 1
    plans = [(j, draft_policy(corpus, pid, j, _for(corpus, options, issuer, j, lang))) for j in targets]
    files: list[tuple[Path | None, bytes]] = []
    for j, draft in plans:
        destination = {k: _destination(output, draft, k, several) for k in kinds}
        policy_path = destination.get(DraftFormat.policy)
        shown = display_path(policy_path.resolve()) if policy_path else f"{draft.id}.policy"
        existing = [str(p) for p in destination.values() if p is not None and p.exists()]
        if existing and not force:  # before checking: a draft checked under an existing file's name replaces it
            fail(f"已存在，未覆盖：{'、'.join(existing)}", f"already exist, not overwritten: {', '.join(existing)}", lang,
                 hint=("加 --force 覆盖，或用 -o 另选位置", "add --force to replace them, or choose another place with -o"))
        taken = corpus.policy(draft.id)
        if taken is not None and taken.file != shown:
            fail(f"编号「{draft.id}」已被 {taken.file} 使用", f"the id '{draft.id}' is already used by {taken.file}", lang,
                 hint=("用 --id 另定编号，或用 -o 指向该文件并加 --force 重新起草", "choose another id with --id, or point -o at that file and add --force"))
        checked = check_draft(draft, shown)
        if checked.errors:
            typer.echo(render_human(checked.errors, checked.compilation.sources, lang=lang), err=True)
            fail("生成的初稿未通过检查（这是 luoshi 的缺陷，请报告）", "the generated draft does not check (a luoshi bug; please report it)", lang)
        files += [(destination[k], _render(checked, draft, k)) for k in kinds]
        _summary(corpus, pid, j, draft, checked, lang)
    _write(files, force, lang)


def register(app: typer.Typer) -> None:
    app.command("draft")(command)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace("，", "、").replace(",", "、").split("、") if part.strip()]


def _options(corpus: Corpus, pid: str, targets: list[str], date: str | None, sections: list[str], advance: str | None,
             phases: bool, phase: list[str], policy_id: str | None, title: str | None, lang: str) -> DraftOptions:
    """The drafter's choices, each checked; a bad one stops with what to write instead."""
    parent = corpus.policy(pid)
    assert parent is not None, "find_policy gives only ids of the corpus"
    for j in targets:
        if j == parent.jurisdiction:
            fail(f"「{pid}」本身就是{j}的政策，请为下级辖区起草", f"'{pid}' is {j}'s own policy; draft for a jurisdiction below it", lang)
    tops = [s.id for s in parent.sections if s.parent is None] + [t.id for t in parent.tasks if t.parent is None and t.section is None]
    unknown = [s for s in sections if s not in tops]
    if unknown:
        fail(f"上级政策没有部分「{'、'.join(unknown)}」", f"the parent has no section {', '.join(unknown)}", lang,
             hint=("可选：" + "、".join(tops), "one of: " + ", ".join(tops)))
    try:
        rule = parse_advance(advance) if advance else None
    except ScheduleError as exc:
        fail(exc.zh, exc.en, lang)
    if policy_id and len(targets) > 1:
        fail("--id 只能用于一个辖区", "--id needs a single jurisdiction", lang)
    if policy_id and not _is_name(policy_id):
        fail(f"政策编号「{policy_id}」不能含空白、引号、括号或冒号，也不能以数字开头", f"the id '{policy_id}' cannot hold spaces, quotes, brackets or colons, nor start with a digit", lang)
    return DraftOptions(date=parse_day(date, end=True, lang=lang) if date else None, sections=tuple(sections), advance=rule,
                        phases=tuple(phase) or (STANDARD_PHASES if phases else ()), policy_id=policy_id, title=title)


def _is_name(text: str) -> bool:
    return bare_ok(text)


def _for(corpus: Corpus, options: DraftOptions, issuer: str | None, jurisdiction: str, lang: str) -> DraftOptions:
    """The options for one jurisdiction: --issuer names a unit there (or above it)."""
    if not issuer:
        return options
    return replace(options, issuer=find_unit(corpus, issuer, lang, jurisdiction=jurisdiction))


def _format_of(output: Path | None) -> DraftFormat:
    suffix = output.suffix.lstrip(".").lower() if output else ""
    return DraftFormat(suffix) if suffix in DraftFormat.__members__ else DraftFormat.policy


def _destination(output: Path | None, draft: Draft, kind: DraftFormat, several: bool) -> Path | None:
    """stdout (None) for one text draft without -o; -o itself for one draft; else {id}.{ext} in -o or here."""
    name = f"{_UNSAFE.sub('_', draft.id)}.{kind.value}"
    if output is None:
        return Path(name) if several or kind is DraftFormat.docx else None
    return output / name if several or output.is_dir() else output


def _render(checked: Checked, draft: Draft, kind: DraftFormat) -> bytes:
    if kind is DraftFormat.docx:
        return render_docx(checked.compilation.corpus, draft.id)
    if kind is DraftFormat.md:
        return render_markdown(checked.compilation.corpus, draft.id).encode("utf-8")
    return checked.text.encode("utf-8")


def _summary(corpus: Corpus, pid: str, jurisdiction: str, draft: Draft, checked: Checked, lang: str) -> None:
    policy, parent = checked.compilation.corpus.policy(draft.id), corpus.policy(pid)
    assert policy is not None and parent is not None, "the draft compiled; find_policy gives only ids of the corpus"
    linked = sum(1 for t in policy.tasks if t.implements)
    parent_tasks = sum(1 for t in parent.tasks if t.kind is not ItemKind.CLAUSE)
    zh = f"{jurisdiction}：初稿 {draft.id}，落实上级 {parent_tasks} 项任务中的 {linked} 项；待定 {checked.todos} 项（luoshi check 以 LS230 提示）"
    en = f"{jurisdiction}: draft {draft.id}, {linked} of the parent's {parent_tasks} tasks carried over; {checked.todos} open items (LS230)"
    if checked.others:
        zh += f"；luoshi lint 另有 {len(checked.others)} 项"
        en += f"; luoshi lint reports {len(checked.others)} more"
    typer.echo(say(zh, en, lang), err=True)


def _write(files: list[tuple[Path | None, bytes]], force: bool, lang: str) -> None:
    """Nothing is written unless every file can be: an existing file stops the whole run without --force."""
    existing = [str(path) for path, _ in files if path is not None and path.exists()]
    if existing and not force:
        fail(f"已存在，未覆盖：{'、'.join(existing)}", f"already exist, not overwritten: {', '.join(existing)}", lang,
             hint=("加 --force 覆盖，或用 -o 另选位置", "add --force to replace them, or choose another place with -o"))
    for path, data in files:
        if path is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            write_file(path, data, force, lang)
