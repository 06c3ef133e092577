"""Helpers shared by test modules (import from here, never from another test file)."""
from __future__ import annotations

import io
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def read_fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def write_warc(path: Path, pages: list[tuple[str, str | None, bytes]], gzipped: bool = True) -> Path:
    """A WARC archive with one 200 response record per (url, content_type, body)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gzipped)
        for url, content_type, body in pages:
            headers = [("Content-Type", content_type)] if content_type else []
            http_headers = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=http_headers))
    return path


def cell_values(data: bytes, source: str = "report.html") -> dict[tuple[str, str, str], float | None]:
    """(table, row_key, column_key) → value of every cell extracted from `data`."""
    from xxgk.parsers.document import RawDoc
    from xxgk.pipeline.extract import extract

    ex = extract(RawDoc(data, source, "html" if source.endswith(".html") else "text"))
    return {(c.table, c.row_key, c.column_key): c.value for c in ex.cells}


def share_kept(original: dict, damaged: dict) -> float:
    """The share of the original's cells the damaged input still gives with the same value."""
    return sum(1 for key, value in original.items() if damaged.get(key) == value) / max(1, len(original))


ROOT = Path(__file__).resolve().parent.parent
DATASETS = ["reports", "figures", "table_cells", "checks"]


def xxgk(*args: str, **kwargs):
    """`python -m xxgk ARGS` as a child process (stdout and stderr piped, text)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "XXGK_RULES_SALT": ""}
    return subprocess.Popen([sys.executable, "-m", "xxgk", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def catalog_count(out: Path, where: str) -> int:
    """Rows of the run catalog's reports table matching `where`, read-only (0 while there is no catalog yet
    or a writer holds it): how far a running child process has got."""
    import sqlite3

    path = out / "_catalog.sqlite"
    if not path.exists():
        return 0
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
        try:
            return db.execute(f"SELECT count(*) FROM reports WHERE {where}").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return 0


def read_dataset(out: Path, dataset: str):
    """All rows of a dataset with its partition columns, canonical order, run-specific columns dropped."""
    import pandas as pd
    import pyarrow.dataset as ds

    path = out / dataset
    if not any(path.rglob("*.parquet")):
        return pd.DataFrame()
    frame = ds.dataset(path, partitioning="hive" if dataset not in ("failures", "inputs") else None)
    frame = frame.to_table().to_pandas()
    frame = frame.drop(columns=[c for c in ("extracted_at", "run_id", "at", "last_seen") if c in frame.columns])
    frame = frame.astype(str)
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def snapshot(out: Path, datasets=(*DATASETS, "failures")) -> dict:
    return {name: read_dataset(out, name) for name in datasets}


def assert_same_output(a: dict, b: dict) -> None:
    import pandas as pd

    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


def children_of(pid: int) -> list[int]:
    """Child process ids of `pid` (Linux /proc)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(p) for p in fh.read().split()]
    except OSError:
        return []


def holds_file(pid: int, name: str) -> bool:
    import os

    try:
        return any(os.readlink(f"/proc/{pid}/fd/{fd}").endswith(name) for fd in os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return False
