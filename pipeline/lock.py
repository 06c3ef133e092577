"""One run at a time per output root: an exclusive fcntl.flock on `<out>/.lock`.

The kernel releases the lock when the process dies (even by kill -9), so a crashed run never leaves a
stale lock behind. The file holds the pid and start time of the holder, for the message a second
run prints. POSIX only (fcntl).
"""
from __future__ import annotations

import fcntl
import os
from datetime import datetime, timezone
from pathlib import Path

LOCK_NAME = ".lock"


class LockBusy(Exception):
    """Another run holds the output root."""


class OutputLock:
    def __init__(self, root: Path, wait: bool = False):
        self.path = Path(root) / LOCK_NAME
        self.wait = wait
        self.fd: int | None = None

    def __enter__(self) -> OutputLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if self.wait else fcntl.LOCK_NB))
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise LockBusy(f"another xxgk run is writing to {self.path.parent} ({holder}); "
                           "try again when it has finished, or pass --wait to wait for it") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} since {datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S} UTC\n".encode(), 0)
        self.fd = fd
        return self

    def __exit__(self, *exc) -> bool:
        if self.fd is not None:
            os.ftruncate(self.fd, 0)
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None
        return False
