"""Whether a directory can take a run's output: said in one line before any work starts."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def out_problem(out: Path) -> str | None:
    """Why `out` cannot be written (it is a file, lies under a file, or is not writable), else None.

    Creates `out` (and its parents) when missing, as the run would; writes and removes a probe file, so a
    read-only mount or a directory of another user is found even where the permission bits would pass."""
    out = Path(out)
    blocker = next((p for p in [out, *out.parents] if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        return "it is a file" if blocker == out else f"{blocker} is a file, not a directory"
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=out, prefix=".xxgk-probe-")
        os.close(fd)
        os.unlink(probe)
    except OSError as error:
        return error.strerror or str(error)
    return None
