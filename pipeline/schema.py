"""Arrow schemas of the output datasets (OUTPUT.md). agency and year live in the partition path."""
from __future__ import annotations

import pyarrow as pa

PARTITION_KEYS = ("agency", "year")

REPORTS = pa.schema([
    ("report_id", pa.string()),
    ("title", pa.string()),
    ("published", pa.date32()),
    ("province", pa.string()),
    ("city", pa.string()),
    ("county", pa.string()),
    ("template", pa.string()),
    ("source", pa.string()),
    ("encoding", pa.string()),
    ("converted_traditional", pa.bool_()),
    ("rules_version", pa.string()),
    ("extracted_at", pa.timestamp("us", tz="UTC")),
    ("duplicate_of", pa.string()),  # the kept report of the same agency and year, null for it (pipeline.duplicates)
])

FIGURES = pa.schema([
    ("report_id", pa.string()),
    ("section", pa.string()),
    ("metric", pa.string()),
    ("category", pa.string()),
    ("value", pa.float64()),
    ("unit", pa.string()),
    ("text", pa.string()),
    ("approximate", pa.bool_()),
])

TABLE_CELLS = pa.schema([
    ("report_id", pa.string()),
    ("table", pa.string()),
    ("row_key", pa.string()),
    ("row_label", pa.string()),
    ("column_key", pa.string()),
    ("value", pa.float64()),
    ("raw_value", pa.string()),
    ("unit", pa.string()),
])

CHECKS = pa.schema([
    ("report_id", pa.string()),
    ("check", pa.string()),
    ("passed", pa.bool_()),
    ("expected", pa.float64()),
    ("actual", pa.float64()),
    ("detail", pa.string()),
])

FAILURES = pa.schema([
    ("source", pa.string()),
    ("source_sha256", pa.string()),
    ("stage", pa.string()),
    ("error", pa.string()),
    ("message", pa.string()),
    ("run_id", pa.string()),
    ("at", pa.timestamp("us", tz="UTC")),
])

PARTITIONED = {"reports": REPORTS, "figures": FIGURES, "table_cells": TABLE_CELLS, "checks": CHECKS}
