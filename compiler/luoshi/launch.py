"""The `luoshi` entry point: answer a warm `lint` or `check` from its transcript (driver/replay.py) before anything
heavy is imported; run a plain `luoshi lint` (`lint_args`) without the command-line library; else run the command
line (cli.py), recording the transcript of a `lint` or `check`."""

from __future__ import annotations

import errno
import gc
import os
import sys
from collections.abc import Callable
from typing import NoReturn

STARTING = False  # the collector is off while the command line starts (`main`), until `started`

# `luoshi lint`'s options `lint_args` reads, with the values each takes (None: a flag). Every other option, a
# `--` or an option written some other way (`-fjson`, an abbreviation) goes to typer (cli.py).
LINT_OPTIONS: dict[str, tuple[str, ...] | None] = {
    "-f": ("human", "json", "sarif"), "--format": ("human", "json", "sarif"),
    "--lang": ("both", "zh", "en"), "--strict": None, "--no-baseline": None,
}
LintArgs = tuple[list[str] | None, str, bool, bool, str]  # paths, format, --strict, --no-baseline, --lang


def started() -> None:
    """The command line has imported the command it runs (`cli.main`): if `main` turned the collector off for
    the imports, what they made is moved out of its sight (`gc.freeze`: modules and classes live to the end of a
    one-shot process) and the collector runs again for the command itself."""
    global STARTING
    if STARTING:
        STARTING = False
        gc.freeze()
        gc.enable()


def main() -> None:
    # The collector is off while the command line starts (`started` freezes what the imports made and turns it
    # on again): importing what `luoshi lint` runs (pydantic, lark, the model, the AST classes) makes ~60,000
    # objects it tracks, none of them garbage, and the ~110 collections their growth set off were ~0.01-0.02 s of
    # CPU (`python -c "import …"` with and without `gc.disable()`, six pairs).
    gc.disable()
    from .driver import replay

    argv = sys.argv[1:]
    code = replay.replay(argv)
    if code is not None:
        os._exit(code)  # as cli._exit: the streams are flushed, nothing else to tear down
    if argv and argv[0] in replay.COMMANDS:
        replay.record(argv)
    global STARTING
    STARTING = True
    lint = lint_args(argv)
    if lint is not None:
        guard(lambda: _lint(lint), exit_now)
    from .cli import main as run

    run()


def lint_args(argv: list[str], environ: os._Environ[str] | dict[str, str] = os.environ) -> LintArgs | None:
    """`luoshi lint [PATHS] [-f|--format F] [--lang L] [--strict] [--no-baseline]` (options anywhere among the
    paths, each `--name value` or `--name=value`, the last one given winning) read as typer reads it, or None for
    any other command line. A one-file rebuild at 10k spent ~0.06 s of its CPU importing typer and building the
    command from its signature; tests/test_cli.py checks each form against typer's reading. `LUOSHI_PROJECT`
    (which typer's `--project` callback checks) sends the command to typer; `LUOSHI_LANG` is `--lang`'s default."""
    if argv[:1] != ["lint"] or environ.get("LUOSHI_PROJECT"):
        return None
    values: dict[str, str] = {}
    paths: list[str] = []
    lang_env = environ.get("LUOSHI_LANG")
    if lang_env is not None and lang_env not in LINT_OPTIONS["--lang"]:  # type: ignore[operator]
        return None  # typer says why it is refused
    args = iter(argv[1:])
    for arg in args:
        if not arg.startswith("-") or arg == "-":
            paths.append(arg)
            continue
        name, eq, value = arg.partition("=")
        if name not in LINT_OPTIONS or (eq and name.startswith("-") and not name.startswith("--")):
            return None
        choices = LINT_OPTIONS[name]
        if choices is None:
            if eq:
                return None
            values[name] = "1"
            continue
        if not eq:
            value = next(args, None)  # type: ignore[assignment]
            if value is None:
                return None
        if value not in choices:
            return None
        values["--format" if name == "-f" else name] = value
    return (paths or None, values.get("--format", "human"), "--strict" in values, "--no-baseline" in values,
            values.get("--lang", lang_env or "both"))


def _lint(args: LintArgs) -> NoReturn:
    """`luoshi lint` with `args` (`lint_args`), as cli.main runs it through typer."""
    from .driver import perf

    perf.FREEZE = True  # a one-shot process (see cli.main)
    from .commands.lint import LintFormat, _run

    started()
    paths, fmt, strict, no_baseline, lang = args
    try:
        code = _run(paths, LintFormat(fmt), strict, None, no_baseline, False, False, lang)
    except KeyboardInterrupt:  # as typer's standalone mode: nothing more written, exit code 130
        code = 130
    except OSError as exc:  # a closed pipe (`luoshi lint | head`): as typer, exit code 1 (exit_now's flush is quiet)
        if exc.errno != errno.EPIPE:
            raise
        code = 1
    raise SystemExit(code)


def guard(run: Callable[[], object], end: Callable[[str | int | None], NoReturn]) -> NoReturn:
    """Run a command and end the process with `end(code)`: the transcript recorded on the way out (replay.py), a
    project's bad settings said in one line, an unforeseen failure as a short bug report, never a wall of frames."""
    from .diagnostics.lang import Lang, say
    from .driver.project import ProjectError

    try:
        run()
    except SystemExit as done:
        _transcript(done.code)
        end(done.code)
    except ProjectError as exc:  # the project's settings, wherever a command first looked for them
        from .diagnostics.render import printable

        lang = os.environ.get("LUOSHI_LANG", Lang.both)
        sys.stderr.write(printable(say(f"{exc.where}: 错误：{exc.zh}", f"{exc.where}: error: {exc.en}", lang)) + "\n")
        end(1)
    except Exception as exc:  # noqa: BLE001 — the last guard: a bug in luoshi is reported, never a wall of frames
        if os.environ.get("LUOSHI_DEBUG"):
            import traceback

            traceback.print_exc()
        else:
            sys.stderr.write(bug_report(exc, sys.argv[1:]))
        end(70)  # EX_SOFTWARE: luoshi itself failed, not the input (1) or the command line (2)
    end(0)


def _transcript(code: str | int | None) -> None:
    """Record what a `lint` or `check` wrote, for the next run with the same inputs (driver/replay.py)."""
    from .driver import replay

    if replay.RECORDER is not None and (code is None or isinstance(code, int)):
        replay.RECORDER.commit(code or 0)


def bug_report(exc: BaseException, args: list[str]) -> str:
    """A short report of an unforeseen failure: what was run, which version, the error in one line and where in
    luoshi it arose, and what to do. The frames stay available with LUOSHI_DEBUG=1."""
    import re
    import shlex
    import traceback
    from pathlib import Path

    from . import __version__

    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if f"{os.sep}luoshi{os.sep}" in f.filename] or frames
    where = f" ({Path(ours[-1].filename).name}:{ours[-1].lineno})" if ours else ""
    message = (str(exc).splitlines() or [""])[0][:300]
    command = "luoshi " + " ".join(shlex.quote(a) for a in args)
    command, message = (re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", "?", t) for t in (command, message))  # no escapes reach the terminal
    return (f"luoshi 内部错误 · internal error in luoshi {__version__}\n"
            f"  命令 command: {command}\n"
            f"  错误 error: {type(exc).__name__}: {message}{where}\n"
            "  这是 luoshi 的缺陷，不是你的输入有误：请把以上几行报告给 luoshi 的维护者（项目的问题跟踪）；"
            "设置 LUOSHI_DEBUG=1 重新运行可看到完整的调用栈。\n"
            "  This is a bug in luoshi, not a mistake in your input: please report these lines to the luoshi "
            "maintainers (the project's issue tracker); rerun with LUOSHI_DEBUG=1 for the full traceback.\n")


def exit_now(code: str | int | None) -> NoReturn:
    """End the process without tearing the frozen heap down: the objects `gc.freeze()` moved out of the collector's
    sight are never freed at interpreter shutdown, so DuckDB's bindings printed ~40 lines of `nanobind: leaked …`
    after every `luoshi comply`, and freeing a large corpus object by object only costs time. Every output file is
    written and closed (atomically) before a command returns; only the standard streams need flushing."""
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code or 0)
