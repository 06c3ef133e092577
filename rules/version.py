"""rules_version: the package version plus a hash of every file under rules/ (code and data)."""
from __future__ import annotations

import hashlib
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
    return f"{package}+{digest.hexdigest()[:12]}"
