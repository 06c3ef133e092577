"""Near-duplicate reports: one agency and year read from different bytes (a re-saved page, a mirror, a page
and its PDF). All are kept; every one but the kept one names it in `duplicate_of`, so analysts drop them
with one filter (`duplicate_of IS NULL`).

The kept one, by this rule: an HTML or text page over a PDF copy; then the most complete (most table cells
plus prose figures); then the earliest source (in string order, so the choice never depends on run order).
It is decided where an (agency, year) partition of `reports` is written (pipeline/store.py), over all the
reports the partition holds after the write, so it stays right however the reports arrived.
"""
from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import pyarrow as pa

PDF_SUFFIXES = (".pdf",)


def is_pdf(source: str | None) -> bool:
    """True when the source names a PDF file (a path or a URL, its query string aside)."""
    path = urlsplit(source).path if source and "://" in source else (source or "")
    return path.lower().endswith(PDF_SUFFIXES)


def kept_first(report_id: str, source: str | None, completeness: int) -> tuple:
    """The sort key of the rule above: the kept report sorts first."""
    return (is_pdf(source), -completeness, source or "", report_id)


def mark_duplicates(reports: pa.Table, completeness: Callable[[], dict[str, int]]) -> pa.Table:
    """`reports` (one partition's rows) with `duplicate_of` set: null for the kept report, its report_id for
    the others. `completeness()` (report_id → cells + figures) is asked only when there are two or more."""
    if reports.num_rows < 2:
        column = pa.nulls(reports.num_rows, pa.string())
    else:
        counts = completeness()
        ids = reports.column("report_id").to_pylist()
        sources = reports.column("source").to_pylist()
        kept = min(zip(ids, sources), key=lambda pair: kept_first(pair[0], pair[1], counts.get(pair[0], 0)))[0]
        column = pa.array([None if rid == kept else kept for rid in ids], pa.string())
    index = reports.schema.get_field_index("duplicate_of")
    return reports.set_column(index, "duplicate_of", column)
