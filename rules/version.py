"""rules_version: the package version plus a hash of every file under rules/ (code and data)."""
from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

RULES_DIR = Path(__file__).parent


@lru_cache(maxsize=1)
def rules_version() -> str:
    digest = hashlib.sha256()
    for path in sorted(RULES_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(path.relative_to(RULES_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    try:
        package = version("xxgk")
    except PackageNotFoundError:
        package = "0+unknown"
    # XXGK_RULES_SALT: an operator/bench/test knob that changes rules_version without editing rules/
    # (e.g. to force a re-extraction, or to simulate a rule change); unset in normal use.
    salt = os.environ.get("XXGK_RULES_SALT")
    if salt:
        digest.update(b"\0salt\0" + salt.encode())
    return f"{package}+{digest.hexdigest()[:12]}"
