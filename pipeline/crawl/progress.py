"""The crawl's progress display."""
from __future__ import annotations

import sys


class Progress:
    """A rich progress bar on stderr when it is a terminal (or when asked); otherwise nothing."""

    def __init__(self, enabled: bool | None):
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._bar = None

    def __enter__(self) -> Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._bar = Progress(
                TextColumn("crawl"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                console=Console(stderr=True), transient=True,
            )
            self._bar.__enter__()
            self._task = self._bar.add_task("", total=0)
        return self

    def add(self) -> None:
        if self._bar is not None:
            self._bar.update(self._task, total=self._bar.tasks[0].total + 1)

    def advance(self, url: str) -> None:
        if self._bar is not None:
            self._bar.update(self._task, advance=1, description=url[-60:])

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)
