"""The installed package's version (pyproject.toml is its one home)."""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("xxgk")
except PackageNotFoundError:  # run from a source tree that is not installed
    __version__ = "0+unknown"
