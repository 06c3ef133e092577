"""One report's output rows as plain columns, built where the report was extracted.

This module does not import pyarrow: a worker process only extracts and hands back columns (lists of
Python values, cheap to pickle), and the writer turns a whole batch into Arrow at once
(pipeline/store.py). Keeping pyarrow out of the workers saves about 40 MB per worker process.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from xxgk.parsers.document import StageError
from xxgk.rules.records import Extraction

# Column names of each partitioned dataset, in file order (pipeline/schema.py gives their Arrow types;
# a test keeps the two in step). agency and year live in the partition path.
COLUMNS: dict[str, tuple[str, ...]] = {
    "reports": ("report_id", "title", "published", "province", "city", "county", "template", "source",
                "encoding", "converted_traditional", "rules_version", "extracted_at", "duplicate_of"),
    "figures": ("report_id", "section", "metric", "category", "value", "unit", "text", "approximate"),
    "table_cells": ("report_id", "table", "row_key", "row_label", "column_key", "value", "raw_value", "unit"),
    "checks": ("report_id", "check", "passed", "expected", "actual", "detail"),
}
_RECORDS = {"figures": "figures", "table_cells": "cells", "checks": "checks"}  # dataset → Extraction attribute

_UNSAFE = set('%/\\:*?"<>|#=.+&') | {chr(i) for i in range(32)} | {" ", "\x7f"}
MAX_SEGMENT_BYTES = 240


def encode_partition_value(value: str) -> str:
    """Percent-encode the characters that could escape a directory or break a reader; keep Chinese as is."""
    encoded = "".join("".join(f"%{b:02X}" for b in ch.encode("utf-8")) if ch in _UNSAFE else ch for ch in value)
    if len(("agency=" + encoded).encode("utf-8")) > MAX_SEGMENT_BYTES:
        raise StageError("write", f"agency name too long for a partition directory: {value[:40]}…")
    return encoded


Columns = dict[str, list]  # column name → values, one per row


@dataclass
class ReportRows:
    """One report's rows of every partitioned dataset, as columns (report_id included, partition
    columns not); a dataset without rows is left out."""

    report_id: str
    source: str
    agency: str
    year: int
    tables: dict[str, Columns]

    def count(self, dataset: str) -> int:
        """Rows of `dataset` (the tables are columns in a worker, Arrow tables once converted)."""
        return len(self.tables[dataset]["report_id"]) if dataset in self.tables else 0


def to_rows(ex: Extraction, rules_version: str, extracted_at: datetime) -> ReportRows:
    """An Extraction as ReportRows. Raises StageError('write') when its agency cannot be a partition."""
    agency, year = ex.meta.agency, int(ex.meta.year)
    encode_partition_value(agency)
    report = {
        "report_id": ex.report_id, "title": ex.meta.title, "published": ex.meta.published,
        "province": ex.meta.province, "city": ex.meta.city, "county": ex.meta.county,
        "template": ex.meta.template, "source": ex.source, "encoding": ex.encoding,
        "converted_traditional": ex.converted_traditional, "rules_version": rules_version,
        "extracted_at": extracted_at, "duplicate_of": None}  # set where the partition is written
    tables = {"reports": {name: [report[name]] for name in COLUMNS["reports"]}}
    for dataset, attribute in _RECORDS.items():
        if records := getattr(ex, attribute):
            tables[dataset] = _columns(dataset, ex.report_id, records)
    return ReportRows(ex.report_id, ex.source, agency, year, tables)


def _columns(dataset: str, report_id: str, records: list) -> Columns:
    """Records → columns of the dataset (asdict() deep-copies every record: ten times slower)."""
    columns = {"report_id": [report_id] * len(records)}
    for name in COLUMNS[dataset][1:]:
        columns[name] = [getattr(record, name, None) for record in records]
    return columns
