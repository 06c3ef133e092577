"""Ctrl-C: a run stops within seconds, says what was written and that the same command resumes.

The main process alone handles SIGINT: worker and writer processes are started with SIGINT blocked
(`sigint_blocked`), so a Ctrl-C in the terminal (sent to the whole process group) cannot kill them in the
middle of a write or print their tracebacks; the main process stops handing out work, lets the writer
write what was already extracted, and stops the workers. A second Ctrl-C during that clean-up exits at once
(the catalog and the store are made to survive a kill at any point). Before a command's work starts, a
Ctrl-C exits quietly too (pipeline.entry).
"""
from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterator

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
def interrupted_exit(describe: Callable[[], str]) -> Iterator[None]:
    """Ctrl-C in the block raises KeyboardInterrupt, which becomes one line on stderr (`describe()`: what was
    interrupted and what was written) and exit status 130."""
    import typer

    with contextlib.suppress(ValueError):  # ValueError: not the main thread (tests)
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    except KeyboardInterrupt:
        with second_interrupt_exits():
            message = describe()
        sys.stderr.write(f"\nxxgk: {message}\n")
        raise typer.Exit(INTERRUPTED_EXIT) from None
