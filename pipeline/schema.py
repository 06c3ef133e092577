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
    ("replaced_bytes", pa.int32()),
    ("converted_traditional", pa.bool_()),
    ("rules_version", pa.string()),
    ("extracted_at", pa.timestamp("us", tz="UTC")),
    ("duplicate_of", pa.string()),  # the kept report of the same agency and year, null for it (pipeline.duplicates)
    ("division_code", pa.string()),
    ("agency_key", pa.string()),
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
    ("measure", pa.string()),
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
    ("measure", pa.string()),
    ("period", pa.string()),
    ("doubtful", pa.bool_()),
])

CHECKS = pa.schema([
    ("report_id", pa.string()),
    ("check", pa.string()),
    ("passed", pa.bool_()),
    ("expected", pa.float64()),
    ("actual", pa.float64()),
    ("detail", pa.string()),
    ("kind", pa.string()),
    ("rule", pa.string()),
    ("subject", pa.string()),
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

# one row per input source the catalog knows (every path of every run, duplicates included)
INPUTS = pa.schema([
    ("source", pa.string()),
    ("input_sha256", pa.string()),  # sha256 of the bytes (for an unread input: of its source and error)
    ("report_id", pa.string()),  # the report it is, null unless outcome = "report"
    ("outcome", pa.string()),  # report | failed | pending
    ("stage", pa.string()),  # of a failure
    ("size", pa.int64()),
    ("location", pa.string()),
    ("container", pa.string()),
    ("last_seen", pa.timestamp("us", tz="UTC")),
])

PARTITIONED = {"reports": REPORTS, "figures": FIGURES, "table_cells": TABLE_CELLS, "checks": CHECKS}
