"""The `luoshi` entry point: answer a warm `lint` or `check` from its transcript (driver/replay.py) before anything
heavy is imported, else run the command line (cli.py), recording the transcript of a `lint` or `check`."""

from __future__ import annotations

import os
import sys


def main() -> None:
    from .driver import replay

    argv = sys.argv[1:]
    code = replay.replay(argv)
    if code is not None:
        os._exit(code)  # as cli._exit: the streams are flushed, nothing else to tear down
    if argv and argv[0] in replay.COMMANDS:
        replay.RECORDER = replay.Recorder(argv)
    from .cli import main as run

    run()
