"""Loading of the rules data files in rules/data/ (TOML), cached."""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    """The parsed rules/data/<name>.toml."""
    with open(DATA_DIR / f"{name}.toml", "rb") as f:
        return tomllib.load(f)
