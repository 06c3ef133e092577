"""The `xxgk` console script: a Ctrl-C while the command line is still loading exits quietly too.

Kept to the standard library (and `xxgk/__init__.py` loads nothing at import), so the handler is in place
within milliseconds of start."""
from __future__ import annotations

import signal
import sys

INTERRUPTED_EXIT = 130  # pipeline.interrupt.INTERRUPTED_EXIT


def _interrupted_while_starting(signum, frame) -> None:
    sys.stderr.write("\nxxgk: interrupted before any work started; nothing was written\n")
    raise SystemExit(INTERRUPTED_EXIT)


def main() -> None:
    """Until a command's own handler takes over (pipeline.interrupt.interrupted_exit), Ctrl-C exits 130."""
    signal.signal(signal.SIGINT, _interrupted_while_starting)
    from xxgk.pipeline.cli import app

    app(prog_name="xxgk")
