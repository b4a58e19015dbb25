"""The `luoshi` entry point: answer a warm `lint` or `check` from its transcript (driver/replay.py) before anything
heavy is imported, else run the command line (cli.py), recording the transcript of a `lint` or `check`."""

from __future__ import annotations

import gc
import os
import sys

STARTING = False  # the collector is off while the command line starts (`main`), until `started`


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
        replay.RECORDER = replay.Recorder(argv)
    global STARTING
    STARTING = True
    from .cli import main as run

    run()
