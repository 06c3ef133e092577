"""Ctrl-C in a real terminal (tmux: send-keys C-c, capture-pane), at any moment of a `--jobs 2` run of
thousands of inputs: the run stops within seconds, exits 130, says in one line what was written and that
the same command resumes, prints no traceback, and leaves output that reads back and that the next run
builds on. tests/ensure_tmux.sh (run by `make test`) installs tmux where it is missing."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pandas as pd
import pytest

from conftest import FIXTURES, ROOT
from helpers import catalog_count

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux missing: run tests/ensure_tmux.sh")]

INPUTS = 2000
STOP_SECONDS = 20  # generous: the CI machine is shared; measured 0.3-5.6 s on a loaded 2-core machine
EXIT = re.compile(r"^EXIT=(\d+)$", re.MULTILINE)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """INPUTS distinct real reports (the complete fixtures, each copy numbered, so each is its own bytes)."""
    root = tmp_path_factory.mktemp("many")
    sources = sorted(p for p in FIXTURES.glob("0*.txt") if "PARTIAL" not in p.name)
    for i in range(INPUTS):
        source = sources[i % len(sources)]
        (root / f"{i:05d}_{source.name}").write_bytes(source.read_bytes() + f"\n编号 {i}\n".encode())
    return root


class Terminal:
    """A tmux session running bash: type a command, press Ctrl-C, read the screen."""

    def __init__(self):
        self.name = f"xxgk-{uuid.uuid4().hex[:8]}"
        subprocess.run(["tmux", "new-session", "-d", "-s", self.name, "-x", "200", "-y", "50",
                        "bash --norc --noprofile"], check=True)

    def type(self, line: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, line, "Enter"], check=True)

    def ctrl_c(self) -> float:
        subprocess.run(["tmux", "send-keys", "-t", self.name, "C-c"], check=True)
        return time.monotonic()

    def screen(self) -> str:
        return subprocess.run(["tmux", "capture-pane", "-p", "-J", "-t", self.name], check=True,
                              capture_output=True, text=True).stdout

    def wait_for_exit(self, timeout: float) -> int | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            match = EXIT.search(self.screen())
            if match:
                return int(match.group(1))
            time.sleep(0.1)
        return None

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


@pytest.fixture
def terminal():
    term = Terminal()
    yield term
    term.close()


def command(corpus: Path, out: Path) -> str:
    return f"cd {ROOT} && {sys.executable} -m xxgk extract {corpus} --out {out} --jobs 2; echo EXIT=$?"


def reports_written(out: Path) -> int:
    return catalog_count(out, "outcome = 'ok' AND pending = 0")


def interrupt(terminal: Terminal, corpus: Path, out: Path, after, timeout: float = 240) -> tuple[str, float]:
    """Start the run, press Ctrl-C once `after()` is true; the screen and the seconds it took to stop."""
    terminal.type(command(corpus, out))
    deadline = time.monotonic() + timeout
    while not after() and time.monotonic() < deadline:
        time.sleep(0.05)
    sent = terminal.ctrl_c()
    code = terminal.wait_for_exit(STOP_SECONDS + 30)
    stopped = time.monotonic() - sent
    screen = terminal.screen()
    assert code == 130, screen
    assert "Traceback" not in screen and "KeyboardInterrupt" not in screen, screen
    return screen, stopped


def message(screen: str) -> str:
    lines = [line for line in screen.splitlines() if line.startswith("xxgk: ")]
    assert len(lines) == 1, screen
    assert "run the same command again to resume" in lines[0] or "nothing was written" in lines[0]
    return lines[0]


def test_ctrl_c_as_the_run_starts(terminal, corpus, tmp_path):
    """Pressed the moment the command line has checked --out (creating it): while the run takes the lock,
    opens the catalog, starts the writer and the workers. (Earlier than that is Python's own start-up.)"""
    out = tmp_path / "out"
    screen, stopped = interrupt(terminal, corpus, out, out.exists)
    assert stopped < STOP_SECONDS
    assert "interrupted" in message(screen)


def test_ctrl_c_while_extracting_keeps_what_was_written_and_the_same_command_resumes(terminal, corpus, tmp_path):
    out = tmp_path / "out"
    screen, stopped = interrupt(terminal, corpus, out, lambda: reports_written(out) >= 1)
    assert stopped < STOP_SECONDS, f"took {stopped:.1f}s to stop"
    line = message(screen)
    written = int(re.search(r"holds (\d+) reports", line).group(1))
    assert 1 <= written < INPUTS
    reports = pd.read_parquet(out / "reports")  # readable at once, each report once
    assert len(reports) == reports.report_id.nunique() == written
    # the same command again: starts from what was written, interrupted once more later on
    terminal.type("clear")
    screen, stopped = interrupt(terminal, corpus, out, lambda: reports_written(out) > written + 10)
    assert stopped < STOP_SECONDS, f"took {stopped:.1f}s to stop"
    again = int(re.search(r"holds (\d+) reports", message(screen)).group(1))
    assert again > written + 10
    assert set(reports.report_id) <= set(pd.read_parquet(out / "reports").report_id)
