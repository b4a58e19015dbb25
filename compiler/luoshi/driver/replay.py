"""A warm `luoshi lint` or `luoshi check` whose inputs did not change answers from its last run's output.

The incremental run (incremental.py) makes a rebuild after an edit cheap, but a run after *no* edit still pays for
importing the compiler (pydantic, lark, the model: ~0.3 s of CPU) and for loading its state. Yet its answer is a
function of the command line, the environment, the files it read and the code that read them. So every run of
`lint` or `check` records, beside its state, a *transcript*: what it wrote to stdout and stderr, its exit code, and
the signature (device, inode, size, mtime, ctime) of every file and folder its answer depends on:

- each source file compiled, and each folder searched for them (a file added, removed or renamed changes its
  folder's mtime);
- the project: for each folder from the start folder up to the project root, its pyproject.toml (or that there is
  none: `find_project` stops at the first with `[tool.luoshi]`); the lint baseline file (or its absence, through
  its folder);
- the code: the file of every module loaded by the run, every file of the luoshi package (templates, grammar,
  data), and every folder of `sys.path` (a package installed or removed there changes it) but the working
  folder, which `python -m` puts there and which holds the project's `.luoshi-cache/` (a module dropped into the
  project's root that shadows a library is not seen).

The transcript is keyed by the command line, the working folder, the environment (all of it, but `OLDPWD` and
`_`), which standard streams are terminals (and their size), the interpreter and `sys.path`; it is sealed with
the user's cache key (cachestore.py) and stored in the project's `.luoshi-cache/replay/`, so removing the cache
removes it. `python -m luoshi` (and the `luoshi` script) look for it before importing anything else
(`luoshi.launch`); when every signature is the recorded one, the output is written again and the process ends with
the recorded exit code, and otherwise the command runs as usual.

What keeps this exact: a transcript is only recorded when no signature was taken within `RACY_NS` of a change to
that file (as git treats "racy" index entries, and as incremental.py does: an edit in the same clock tick as the
recording would keep size and mtime; the change time is set by the kernel and cannot be restored by tools), when
the output holds no terminal escape (colour is decided per terminal), and when every byte of the output went
through `echo`. Nothing is replayed with `LUOSHI_NO_CACHE=1`, and a command that writes a file
(`--write-baseline`) records nothing.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import signal
import sys
import time
from collections.abc import Iterable
from pathlib import Path

FORMAT = "1"
RACY_NS = 2_000_000_000  # a file changed this recently is not vouched for by its signature (also incremental.py's)
COMMANDS = ("lint", "check")
VOLATILE_ENV = ("OLDPWD", "_")  # set by the shell to the previous folder and the last command: not inputs
FOLDER = "replay"
KEEP = 32  # transcripts kept per project (one per command line, folder and environment); the oldest go first

# A signature, or None for "no such file".
Sig = tuple[int, int, int, int, int] | None


def signature(path: str) -> Sig:
    """(device, inode, size, mtime, ctime) of `path`, or None when there is no such file: as git, a file whose
    signature is the one recorded is taken as unchanged (incremental.py's `_stat` reads it too)."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def run_key(argv: list[str]) -> str:
    """What, besides the files, decides a run's output: the command line, the working folder, the environment,
    the terminals, the interpreter and where it imports from."""
    ttys = []
    for fd in (0, 1, 2):
        try:
            tty = os.isatty(fd)
        except OSError:
            tty = False
        size: tuple[int, int] | None = None
        if tty:
            try:
                size = tuple(os.get_terminal_size(fd))  # type: ignore[assignment]
            except OSError:
                size = None
        ttys.append((tty, size))
    env = sorted((k, v) for k, v in os.environ.items() if k not in VOLATILE_ENV)
    from .. import __version__

    parts = (FORMAT, __version__, argv, os.getcwd(), env, ttys, sys.executable, sys.version, sys.path)
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogateescape")).hexdigest()[:32]


def replay(argv: list[str]) -> int | None:
    """Write the recorded output of this command line and return its exit code, or None when there is no
    transcript whose every signature still holds (the command must run)."""
    if not argv or argv[0] not in COMMANDS or not all(_utf8(stream) for stream in (sys.stdout, sys.stderr)):
        return None  # click re-encodes text for a stream it finds misconfigured: let it
    from .cachestore import Store, enabled

    if not enabled():
        return None
    try:
        from .project import find_project

        store = Store(find_project().cache_root, FOLDER)
        data = store.read(run_key(argv))
        if data is None:
            return None
        watched, out, err, code = marshal.loads(data)
        for path, sig in watched:
            if signature(path) != sig:
                return None
    except Exception:  # noqa: BLE001 — a damaged transcript, an unreadable folder: run the command
        return None
    for stream, text in ((sys.stdout, out), (sys.stderr, err)):
        try:
            if text:
                stream.write(text)
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`luoshi lint | head`): as cli._exit, the code still stands
            pass
    return int(code)


def _utf8(stream: object) -> bool:
    import codecs

    try:
        return codecs.lookup(str(getattr(stream, "encoding", "") or "")).name == "utf-8"
    except LookupError:
        return False


class Recorder:
    """What one run of `lint` or `check` wrote, and the files and folders its answer depends on."""

    def __init__(self, argv: list[str]) -> None:
        self.argv = list(argv)
        self.start = time.time_ns()
        self.out: list[str] = []
        self.err: list[str] = []
        self.paths: dict[str, None] = {}  # files and folders whose signatures are recorded
        self.trees: list[Path] = []  # folders whose every subfolder is recorded too (walked by `commit`)
        self.sigs: dict[str, Sig] = {}  # … those whose signatures the run itself took (incremental.py)
        self.root: Path | None = None
        self.off = False  # something this module cannot replay happened (a file written, output it did not see)

    def watch(self, paths: Iterable[str]) -> None:
        self.paths.update(dict.fromkeys(paths))

    def watch_tree(self, folder: Path) -> None:
        """A folder searched for source files, and every folder under it: walked when the transcript is stored
        (`commit`), not by a run that will store none (the run after an edit; the walk lists 10,000 files at 10k)."""
        self.paths[str(folder)] = None
        self.trees.append(folder)

    def _walk_trees(self) -> None:
        for folder in self.trees:
            for top, _dirs, _files in os.walk(folder):
                self.paths[top] = None
        self.trees = []

    def watch_project(self, start: Path, root: Path) -> None:
        """The pyproject.toml (or its absence) of every folder `find_project` looked at, from `start` up to the root."""
        for folder in (start, *start.parents):
            self.paths[str(folder / "pyproject.toml")] = None
            if folder == root:
                break

    def watch_code(self) -> None:
        """Every module loaded, the luoshi package's files and the folders Python imports from."""
        from .cachestore import _package_files

        for module in list(sys.modules.values()):
            file = getattr(module, "__file__", None)
            if isinstance(file, str):
                self.paths[os.path.abspath(file)] = None
        self.watch(str(p) for p in _package_files())
        cwd = os.getcwd()  # `python -m` puts it first; it holds .luoshi-cache/, so its mtime is that of the run
        self.watch(folder for p in sys.path if (folder := os.path.abspath(p or ".")) != cwd)

    def commit(self, code: int) -> bool:
        """Seal and store the transcript, unless a signature is racy, the output holds an escape or the run did
        something a transcript cannot repeat. Returns whether it was stored."""
        if self.off or self.root is None:
            return False
        if any(sig is None for sig in self.sigs.values()):
            return False  # the run could not vouch for a file (changed while or just before it ran): no need to
            # take the signatures of ~1,000 code files to find that out (the run after an edit)
        out, err = "".join(self.out), "".join(self.err)
        if "\x1b" in out or "\x1b" in err:
            return False
        self._walk_trees()
        self.watch_code()
        limit = self.start - RACY_NS
        watched: list[tuple[str, Sig]] = []
        for path in self.paths:
            if path in self.sigs and self.sigs[path] is None:
                return False  # the run could not vouch for this file (changed while or just before it ran)
            sig = self.sigs[path] if path in self.sigs else signature(path)
            if sig is not None and max(sig[3], sig[4]) >= limit:
                return False  # changed too recently for its signature to vouch for its content
            watched.append((path, sig))
        for path, sig in self.sigs.items():
            if path not in self.paths:
                if sig is None:
                    return False
                watched.append((path, sig))
        from .cachestore import Store

        store = Store(self.root, FOLDER)
        name = run_key(self.argv)
        if not store.write(name, marshal.dumps((watched, out, err, code))):
            return False
        _prune(store.folder, KEEP)
        return True


def _prune(folder: Path | None, keep: int) -> None:
    if folder is None:
        return
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in entries[keep:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


RECORDER: Recorder | None = None  # set by `luoshi.launch` for a command that may be replayed


def echo(text: str, err: bool = False) -> None:
    """`typer.echo(text, err=err)` as the command line's context makes it (colour kept where `use_colour` says so,
    cli.py's `_main`), noted in the transcript. Text without an escape goes to a UTF-8 stream as click would write
    it, without importing typer (a plain `luoshi lint` runs without it: luoshi.launch.lint_args)."""
    if RECORDER is not None:
        (RECORDER.err if err else RECORDER.out).append(text + "\n")
    try:
        _write(text, err)
    except BaseException:  # a closed pipe (`luoshi lint | head`), Ctrl-C: the reader did not get this run's output
        disable()
        raise


def _write(text: str, err: bool) -> None:
    stream = sys.stderr if err else sys.stdout
    if "\x1b" not in text and os.name != "nt" and stream is not None and _utf8(stream):
        stream.write(text + "\n")  # click.echo: the text, a newline, a flush; escapes only are stripped off a tty
        stream.flush()
        return
    import typer

    from .terminal import use_colour

    typer.echo(text, err=err, color=True if use_colour(sys.stderr) else None)


def watch_file(path: Path) -> None:
    """A file the run read if it exists (its absence, through its folder, if not)."""
    if RECORDER is not None:
        path = Path(os.path.abspath(path))
        RECORDER.watch([str(path), str(path.parent)])


def disable() -> None:
    """This run cannot be replayed (it writes a file, prints what `echo` does not see, or did not finish)."""
    if RECORDER is not None:
        RECORDER.off = True


def _interrupted(signum: int, frame: object) -> None:
    """Ctrl-C: the run is not recorded (its exit code, 130 or typer's 1, and any output so far are not what the
    command answers), then Python's own KeyboardInterrupt."""
    disable()
    signal.default_int_handler(signum, frame)  # type: ignore[arg-type]


def record(argv: list[str]) -> None:
    """Record this run's transcript (a `lint` or `check`), unless it is interrupted."""
    global RECORDER
    RECORDER = Recorder(argv)
    signal.signal(signal.SIGINT, _interrupted)  # luoshi.launch.main: the main thread
