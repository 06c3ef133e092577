"""rules_version: the package version plus a hash of everything that decides the rows of a report:
every file under rules/ (code and data), the parsers, and the per-report extraction function."""
from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

RULES_DIR = Path(__file__).parent
PROJECT_DIR = RULES_DIR.parent
HASHED = [RULES_DIR, PROJECT_DIR / "parsers", PROJECT_DIR / "pipeline" / "extract.py"]


def _hashed_files() -> list[Path]:
    files = []
    for root in HASHED:
        files += [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]
    return sorted(p for p in files if "__pycache__" not in p.parts and p.suffix != ".pyc")


@lru_cache(maxsize=1)
def rules_version() -> str:
    digest = hashlib.sha256()
    for path in _hashed_files():
        digest.update(path.relative_to(PROJECT_DIR).as_posix().encode())
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
