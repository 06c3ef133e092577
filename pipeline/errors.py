"""Errors a user can act on: a run's fatal error as one or two lines naming the path and the fix, and
the exit code the README documents (a traceback only with --debug).

Exit codes: 0 done; 1 inputs failed (with --strict); 2 wrong usage; 3 another run holds the output
root; 4 disk full; 5 permission denied (or a file where a directory must be); 6 the output root is
damaged beyond self-repair; 7 a worker or writer process failed; 70 an internal error (a bug: rerun
with --debug and report it).
"""
from __future__ import annotations

import errno
import re
import sqlite3

DISK_FULL, PERMISSION, DAMAGED, PROCESS, INTERNAL = 4, 5, 6, 7, 70
_ERRNO = re.compile(r"\[Errno (\d+)\]")
_PATH = re.compile(r"""['"](/[^'"]+)['"]""")


def explain(error: BaseException) -> tuple[str, int]:
    """(message, exit code) for an error that ended a run."""
    text = str(error)
    number = getattr(error, "errno", None) or _errno_in(text)
    path = getattr(error, "filename", None) or _path_in(text)
    where = f" ({path})" if path else ""
    if number in (errno.ENOSPC, errno.EDQUOT) or "disk is full" in text or "No space left" in text:
        return (f"xxgk: disk full{where}: free some space (or write to another --out) and run again; "
                "the output is as the last complete batch left it and the next run goes on from there.",
                DISK_FULL)
    if number in (errno.EACCES, errno.EPERM, errno.EROFS) or "Permission denied" in text:
        return (f"xxgk: permission denied{where}: give this user write access to the output root "
                "(or choose another --out) and run again.", PERMISSION)
    if number in (errno.ENOTDIR, errno.EISDIR, errno.EEXIST):
        return (f"xxgk: cannot write{where}: a file stands where the output root needs a directory; "
                "choose another --out.", PERMISSION)
    if isinstance(error, sqlite3.DatabaseError) or "malformed" in text:
        return (f"xxgk: the run catalog is damaged ({text}): move <out>/_catalog.sqlite aside and run "
                "again; it is rebuilt and every input re-extracted.", DAMAGED)
    if type(error).__name__ in ("WriterError", "BrokenProcessPool"):
        return (f"xxgk: {text}; run again: the next run re-extracts what this one left unfinished.", PROCESS)
    return (f"xxgk: internal error: {type(error).__name__}: {text}\nRun again with --debug for the "
            "traceback and report it.", INTERNAL)


def _errno_in(text: str) -> int | None:
    match = _ERRNO.search(text)
    return int(match.group(1)) if match else None


def _path_in(text: str) -> str | None:
    match = _PATH.search(text)
    return match.group(1) if match else None
