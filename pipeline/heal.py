"""Self-healing output: before a run plans its work, every file the catalog lists is checked cheaply
(present, the size recorded, Parquet's 'PAR1' magic at both ends). A missing or damaged file is
removed, and the reports of its partition (for the failures file: every failed input) are marked
pending, so this run extracts them again when it meets their inputs (`xxgk reextract` reads them
from the locations the catalog recorded). Damage is reported on stderr.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from xxgk.pipeline.catalog import Catalog

_MAGIC = b"PAR1"


def whole(path: str, size: int) -> bool:
    """True when `path` is a file of `size` bytes that starts and ends like a Parquet file."""
    try:
        with open(path, "rb") as fh:
            if os.fstat(fh.fileno()).st_size != size or size < 12:
                return False
            head = fh.read(4)
            fh.seek(-4, os.SEEK_END)
            return head == _MAGIC and fh.read(4) == _MAGIC
    except OSError:
        return False


def file_path(root: Path, dataset: str, agency: str, year: int) -> str:
    from xxgk.pipeline.rows import encode_partition_value

    if dataset == "failures":
        return f"{root}/failures/part-0.parquet"
    return f"{root}/{dataset}/agency={encode_partition_value(agency)}/year={int(year)}/part-0.parquet"


def heal(root: Path, catalog: Catalog) -> int:
    """Check every file the catalog lists; returns how many were missing or damaged."""
    damaged = 0
    for dataset, agency, year, size in catalog.files():
        path = file_path(root, dataset, agency, year)
        if whole(path, size):
            continue
        damaged += 1
        with catalog.transaction():
            if os.path.exists(path):
                os.unlink(path)  # its rows are extracted again; a damaged file would hide the others
            catalog.forget_file(dataset, agency, year)
            n = catalog.mark_pending(None if dataset == "failures" else agency, year)
        sys.stderr.write(f"xxgk: warning: {path} was missing or damaged; its {n} reports are extracted again\n")
    return damaged
