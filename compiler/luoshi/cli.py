"""The `luoshi` command line. 中文在前，English after: every command and option explains itself in both."""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from . import __version__, commands, helptext
from .commands._corpus import LangOpt
from .diagnostics.lang import Lang, say
from .diagnostics.render import render_human, render_json, summary_line
from .driver.output import OutputError, check_root, write_outputs
from .driver.project import ENV as PROJECT_ENV
from .driver.project import find_project
from .driver.terminal import use_colour
from .launch import bug_report as bug_report  # re-exported: where the command line's users look for it
from .launch import exit_now as _exit
from .launch import guard

if TYPE_CHECKING:  # the compiler's stages load when a command compiles: not for `--version`, help or `comply`
    from .driver.pipeline import Compilation

_app = typer.Typer(
    name="luoshi",
    help="落实 luoshi：把政策文件编码为可检查的规则，生成责任清单、责任分工表、文档网站和合规检查。 · "
         "luoshi: policy-as-code for Chinese policy documents — responsibility graphs, checklists, tables, a docs site "
         "and compliance tests, compiled from one DSL.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class CheckFormat(str, Enum):
    human = "human"
    json = "json"


PathsArg = Annotated[list[str] | None, typer.Argument(
    help="政策文件、文件夹或政策编号（默认：整个 policies/）· policy files, folders or ids (default: all of policies/)",
    show_default=False)]


def _report(comp: Compilation, lang: str, fmt: CheckFormat = CheckFormat.human) -> int:
    from .driver.replay import echo  # noted in the transcript a warm run replays

    diags = comp.diagnostics()
    files = len(comp.selected_files) if comp.selected_files is not None else len(comp.sources)
    if fmt is CheckFormat.json:
        echo(render_json(diags, files=files))
    else:
        text = render_human(diags, comp.sources, colour=use_colour(sys.stderr), lang=lang)
        if text:
            echo(text, err=True)
        errors = sum(1 for d in diags if d.severity.value == "error")
        warnings = sum(1 for d in diags if d.severity.value == "warning")
        echo(summary_line(errors, warnings, files, lang), err=True)
        hidden = comp.context_errors()
        if hidden:
            zh = f"所依赖的其他文件中另有 {hidden} 个错误（运行 luoshi check 查看）"
            en = f"{hidden} more errors in other files of the corpus (run luoshi check to see them)"
            echo(say(zh, en, lang), err=True)
    return 1 if any(d.severity.value == "error" for d in diags) else 0


@_app.command()
def check(
    paths: PathsArg = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f", help="输出格式 · output format")] = CheckFormat.human,
    lang: LangOpt = Lang.both,
) -> None:
    """解析政策文件、核对单位和引用，报告所有问题（有错误时退出码为 1）。· Parse and resolve; report every problem (exit 1 on errors)."""
    from .driver.incremental import (
        check_and_lint,  # reuses the last check's results where no edit reaches (incremental.py)
    )

    comp = check_and_lint(paths, lint=False).compilation
    raise typer.Exit(_report(comp, lang, fmt))


@_app.command()
def build(
    paths: PathsArg = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="输出目录（默认 build/）· output folder (default build/)")] = None,
    lang: LangOpt = Lang.both,
    force: Annotated[bool, typer.Option("--force", help="覆盖输出目录中不是 luoshi 生成的同名文件 · overwrite files luoshi did not generate")] = False,
) -> None:
    """编译语料并运行所有后端，写入输出目录。· Compile the corpus and run every backend into the output folder."""
    # from the project root, whatever the working folder: spans in model/corpus.json and compliance/checks.json are
    # then relative to the root, and a build from policies/ writes the same bytes as one from the root
    from .driver.pipeline import compile_paths, path_kind

    shown_output, output = output, output.resolve() if output else None
    paths = [str(Path(p).resolve()) if path_kind(Path(p)) else p for p in paths] if paths else paths
    os.chdir(find_project().root)
    comp = compile_paths(paths)
    status = _report(comp, lang)
    if comp.sink.has_errors():
        zh, en = "有错误，未生成输出", "errors found; nothing was built"
        typer.echo(say(zh, en, lang), err=True)
        raise typer.Exit(1) from None
    out_dir = output or find_project().output
    try:
        check_root(out_dir, find_project().policies)  # before the backends run: say it at once
    except OutputError as exc:
        typer.echo(say(exc.zh, exc.en, lang), err=True)
        raise typer.Exit(1) from None
    from .artifacts import render_all  # on use: the backends are not needed by the other commands

    artifacts = render_all(comp.corpus)
    try:
        written = write_outputs(out_dir, artifacts, force=force, sources=find_project().policies)
    except OutputError as exc:
        typer.echo(say(exc.zh, exc.en, lang), err=True)
        raise typer.Exit(1) from None
    except OSError as exc:  # -o names a file, a folder without write permission …
        zh, en = f"无法写入「{out_dir}」：{exc.strerror}", f"cannot write '{out_dir}': {exc.strerror}"
        typer.echo(say(zh, en, lang), err=True)
        raise typer.Exit(1) from None
    policies = sum(1 for p in comp.corpus.policies if p.kind.value == "policy")
    tasks = sum(len(p.tasks) for p in comp.corpus.policies)
    out_dir = shown_output or out_dir
    zh = f"已生成 {len(written)} 个文件到 {out_dir}（{policies} 项政策，{tasks} 个条目，{len(comp.corpus.units)} 个单位）"
    en = f"wrote {len(written)} files to {out_dir} ({policies} policies, {tasks} items, {len(comp.corpus.units)} units)"
    typer.echo(say(zh, en, lang), err=True)
    raise typer.Exit(status)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"luoshi {__version__}")
        raise typer.Exit()


def _project(value: Path | None) -> Path | None:
    """`--project DIR`: every command then finds the project from DIR instead of the working directory (through
    LUOSHI_PROJECT, which project.find_project reads), wherever it runs."""
    if value is None:
        return None
    if not value.is_dir():
        zh, en = f"项目文件夹不存在：{value}", f"no such project folder: {value}"
        typer.echo(say(f"错误：{zh}", f"error: {en}"), err=True)
        raise typer.Exit(2)
    os.environ[PROJECT_ENV] = str(value.resolve())
    return value


@_app.callback()
def _main(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本 · show the version")] = False,
    project: Annotated[Path | None, typer.Option(
        "--project", "-P", callback=_project, envvar=PROJECT_ENV, show_default=False,
        help="项目文件夹（含写有 tool.luoshi 一节的 pyproject.toml，或 policies/；默认从当前目录向上查找）"
             " · the project folder (default: found upward from the current directory)")] = None,
) -> None:
    """落实 luoshi · policy-as-code."""
    if use_colour(sys.stderr):  # FORCE_COLOR into a pipe: else typer.echo strips the escapes again off a terminal
        ctx.color = True


_REGISTERED: set[str] = set()
BUILT_IN = ("check", "build")


def _register(names: list[str] | None = None) -> typer.Typer:
    """Add the sub-commands of the named command modules (all of them by default) to the app, each module once."""
    wanted = None if names is None else set(names)
    for info in pkgutil.iter_modules(commands.__path__):
        name = info.name
        if name.startswith("_") or name in _REGISTERED or (wanted is not None and name not in wanted):
            continue
        _REGISTERED.add(name)
        importlib.import_module(f"{commands.__name__}.{name}").register(_app)
    return _app


def _modules_for(args: list[str]) -> list[str] | None:
    """The command modules a command line needs: none for check/build or `--version`, the one named after the sub-command
    (lint → commands/lint.py), or None (all) for anything else (help, options, a command named otherwise).
    Importing every module costs ~0.8 s at start (pypinyin, networkx, openpyxl), the floor of every rebuild."""
    if helptext.top_help(args):
        return []  # the command list: read from the modules' source (`_list_commands`), none imported
    if args[:1] == ["--version"]:
        return []  # answered by the eager `--version` option before any command is looked up
    if not args or args[0].startswith("-"):
        return None
    if args[0] in BUILT_IN:
        return []
    module = args[0].replace("-", "_")
    known = {m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_")}
    return [module] if module in known else None


def _list_commands(app: typer.Typer) -> None:
    """For `luoshi --help` only: each command module's commands as stand-ins with its name and help, read from
    the source, so the list costs no command module's imports (0.59 s of CPU before, bench/help_cpu.py)."""
    folder = Path(commands.__file__).parent
    for info in pkgutil.iter_modules(commands.__path__):
        if info.name.startswith("_") or info.name in _REGISTERED:
            continue
        for name, text in helptext.static_commands(folder / f"{info.name}.py"):
            def stand_in() -> None:
                """Listed only."""
            app.command(name, help=text)(stand_in)


def __getattr__(name: str) -> typer.Typer:
    """`luoshi.cli.app`, for tests and tools: the app with every sub-command registered."""
    if name == "app":
        return _register()
    raise AttributeError(name)


def main() -> None:
    from .driver import perf

    perf.FREEZE = True  # a one-shot process: what the compiler built lives to the end (see perf.py)
    guard(_command, lambda code: _exit(code))  # `_exit` looked up when the command ends: tests replace it


def _command() -> None:
    app = _register(_modules_for(sys.argv[1:]))
    from .launch import started

    started()  # the command's modules are imported: the collector on again (luoshi.launch)
    if helptext.top_help(sys.argv[1:]):
        _list_commands(app)
    if helptext.wants_help(sys.argv[1:]):
        command = typer.main.get_command(app)
        helptext.localize(command, helptext.help_language())
        helptext.fold_long_runs()
        command(prog_name="luoshi")
    else:
        app()


if __name__ == "__main__":
    main()
