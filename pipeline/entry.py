"""The `xxgk` console script: Ctrl-C while the command line is still loading exits quietly too."""
from __future__ import annotations

import signal
import sys

from xxgk.pipeline.interrupt import INTERRUPTED_EXIT


def _interrupted_while_loading(signum, frame) -> None:
    sys.stderr.write("\nxxgk: interrupted while starting; nothing was written\n")
    raise SystemExit(INTERRUPTED_EXIT)


def main() -> None:
    signal.signal(signal.SIGINT, _interrupted_while_loading)
    from xxgk.pipeline.cli import app

    signal.signal(signal.SIGINT, signal.default_int_handler)
    app(prog_name="xxgk")
