"""WARC archive reading (warcio). Placeholder until the archive issue lands."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from parsers.document import RawDoc


def iter_warc(path: Path) -> Iterator[RawDoc]:
    raise NotImplementedError("WARC input is not implemented yet")
