"""Ctrl-C: a run stops within seconds, says what was written and that the same command resumes.

The main process alone handles SIGINT: worker and writer processes are started with SIGINT blocked
(`sigint_blocked`), so a Ctrl-C in the terminal (sent to the whole process group) cannot kill them in the
middle of a write or print their tracebacks; the main process stops handing out work, lets the writer
write what was already extracted, and stops the workers. A second Ctrl-C during that clean-up exits at once
(the catalog and the store are made to survive a kill at any point).
"""
from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

INTERRUPTED_EXIT = 130


@contextlib.contextmanager
def sigint_blocked() -> Iterator[None]:
    """Block SIGINT in this thread while child processes are started: they inherit the blocked mask and so
    never receive the terminal's Ctrl-C (the parent stops them). A SIGINT arriving meanwhile is delivered
    when the block ends."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _exit_now(signum, frame) -> None:
    os.write(2, b"\nxxgk: interrupted again: stopped at once; the same command resumes\n")
    os._exit(INTERRUPTED_EXIT)


@contextlib.contextmanager
def second_interrupt_exits() -> Iterator[None]:
    """While cleaning up after a Ctrl-C, a second one exits at once instead of raising mid clean-up."""
    try:
        previous = signal.signal(signal.SIGINT, _exit_now)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def interrupted_exit(out: Path, command: str) -> Iterator[None]:
    """Turn a KeyboardInterrupt in the block into one line on stderr and exit status 130."""
    import typer

    try:
        yield
    except KeyboardInterrupt:
        with second_interrupt_exits():
            message = f"xxgk: {command} interrupted; {_written(out)}; run the same command again to resume"
        sys.stderr.write("\n" + message + "\n")
        raise typer.Exit(INTERRUPTED_EXIT) from None


def _written(out: Path) -> str:
    """What the output root holds now, in a few words (or why that cannot be told)."""
    try:
        from xxgk.pipeline.status import holdings

        counts = holdings(out)
    except Exception as error:  # noqa: BLE001 - a message, whatever state the output is in
        return f"the output under {out} is readable (could not count it: {type(error).__name__})"
    return (f"{out} keeps every report written before the interrupt: {counts.reports} reports, "
            f"{counts.failures} failed inputs")
