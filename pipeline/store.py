"""Parquet datasets under one output root, Hive-partitioned by agency and year.

Each (agency, year) partition of a dataset is one file, rewritten atomically (temp file, then rename)
whenever a report in it changes, so readers see either the old or the new rows and a dataset never
grows into many small files. Agency names are percent-encoded where a character could escape the
directory or confuse a reader; pyarrow, pandas and DuckDB decode them back exactly.
"""
from __future__ import annotations

import os
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from xxgk.pipeline import schema
from xxgk.pipeline.duplicates import mark_duplicates
from xxgk.pipeline.rows import ReportRows, encode_partition_value, to_rows
from xxgk.rules.records import Extraction

PART_FILE = "part-0.parquet"
EMPTY_FILE = "_empty.parquet"  # an empty dataset's placeholder (Store.ensure_datasets)
FAILURES_FILE = "part-0.parquet"
# Parquet options for partition files. A partition holds one report or a few, so a file is small: snappy
# (Parquet's default codec, read everywhere) where zstd took 50 % longer; no dictionary pages and no column
# statistics, which in files this small cost 25 % of the encoding time and a fifth of the size and prune
# nothing that the partition path does not.
PARQUET_OPTIONS = {"compression": "snappy", "use_dictionary": False, "write_statistics": False}


def partition_file(root: Path, dataset: str, agency: str, year: int) -> str:
    """Path of a partition's file (a plain string: the writer builds thousands, and pathlib cost 0.4 ms
    per report)."""
    return f"{root}/{dataset}/agency={encode_partition_value(agency)}/year={int(year)}/{PART_FILE}"


def write_temp(table: pa.Table, path: str | Path) -> str:
    """Write `table` to a temp file beside `path` (made with its directory) and return the temp file's
    path; readers skip it (leading '.') until it is renamed over `path`."""
    directory, name = os.path.split(str(path))
    if not os.path.isdir(directory):  # a stat costs less than a mkdir failing on an existing directory
        os.makedirs(directory, exist_ok=True)
    tmp = f"{directory}/.{name}.{uuid.uuid4().hex}.tmp"
    try:
        with pa.OSFile(tmp, "wb") as f:  # native writes: a Python file object takes the GIL for every write
            pq.write_table(table, f, **PARQUET_OPTIONS)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return tmp


def write_table_atomic(table: pa.Table, path: Path) -> None:
    """Write a Parquet file so that readers never see a partial file (temp file in the same dir, fsync, rename)."""
    tmp = write_temp(table, path)
    try:
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):  # not renamed: the fsync failed
            os.unlink(tmp)


def to_arrow(reports: list[ReportRows]) -> list[ReportRows]:
    """The reports with their columns turned into Arrow tables of the datasets' schemas. The reports are
    converted together, one table per dataset, and each gets a zero-copy slice of it: a conversion per
    group of reports costs a fifth of one per report. Arrow holds a report in about a sixth of the
    memory of its Python columns."""
    tables: list[dict[str, pa.Table]] = [{} for _ in reports]
    for dataset, table_schema in schema.PARTITIONED.items():
        having = [i for i, r in enumerate(reports) if dataset in r.tables]
        if not having:
            continue
        columns: dict[str, list] = {name: [] for name in table_schema.names}
        for i in having:
            for name, values in reports[i].tables[dataset].items():
                columns[name].extend(values)
        table = pa.Table.from_pydict(columns, schema=table_schema)
        offset = 0
        for i in having:
            length = reports[i].count(dataset)
            tables[i][dataset] = table.slice(offset, length)
            offset += length
    return [replace(r, tables=t) for r, t in zip(reports, tables)]


Partition = tuple[str, int]  # (agency, year)


class Store:
    """The output root: partitioned datasets plus the failures dataset.

    Crash safety (kill -9 at any moment): every file is replaced by an atomic rename, so a reader sees
    either the old or the new content of each partition file, never a partial one; temp files start with
    '.' (readers skip them) and `clean_temp_files` removes the ones a killed run left. A report that moves
    partition (its agency or year changed) is first removed from its old partitions and only then written
    to the new one, so a crash can leave it missing from a dataset until the next run (which the catalog
    makes re-extract it) but never in two partitions at once.
    """

    def __init__(self, root: Path):
        self.root = Path(root)

    # -- reading -------------------------------------------------------------------------------
    def report_locations(self) -> dict[str, tuple[str, int]]:
        """report_id → (agency, year) for every report already stored (a full scan: the batch runner
        uses the catalog instead)."""
        base = self.root / "reports"
        locations: dict[str, tuple[str, int]] = {}
        if not base.exists():
            return locations
        for path in base.glob("agency=*/year=*/" + PART_FILE):
            agency, year = _partition_of(path)
            for rid in pq.read_table(path, columns=["report_id"]).column("report_id").to_pylist():
                locations[rid] = (agency, year)
        return locations

    # -- writing -------------------------------------------------------------------------------
    def write_reports(self, extractions: Iterable[Extraction], rules_version: str) -> None:
        """Replace the rows of each given report in every dataset (a report moved to another
        agency or year is removed from its old partition). Finds old partitions by scanning."""
        extracted_at = datetime.now(timezone.utc)
        rows = to_arrow([to_rows(ex, rules_version, extracted_at) for ex in extractions])
        if not rows:
            return
        old = self.report_locations()
        purge = {r.report_id: {old[r.report_id]} for r in rows if r.report_id in old}
        self.apply(rows, [], purge, failures_touched=False)

    def apply(self, reports: Iterable[ReportRows], failures: list[dict],
              purge: dict[str, set[Partition]], failures_touched: bool = True) -> None:
        """Make the stored rows of a batch of reports the new ones.

        reports: reports whose rows are (re)written, as Arrow (to_arrow); failures: failures rows of inputs that failed;
        purge: report_id → partitions that may hold old rows of it (from the catalog), for the reports of
        the batch and for reports to delete (no longer any input's). Every old row of those reports goes;
        failures rows of every report_id involved are replaced.
        Order: (1) partitions that reports leave lose them, (2) partitions that receive rows are rewritten,
        (3) the failures file — each step one atomic rename per file.
        """
        new_rows: dict[tuple[str, str, int], list[pa.Table]] = defaultdict(list)
        destination: dict[str, Partition] = {}
        for report in reports:
            key = (report.agency, int(report.year))
            destination[report.report_id] = key
            for dataset, table in report.tables.items():
                new_rows[(dataset, *key)].append(table)
        leaving: dict[Partition, set[str]] = defaultdict(set)
        for rid, partitions in purge.items():
            for key in partitions:
                if key != destination.get(rid):
                    leaving[key].add(rid)
        if leaving:  # (1)
            staged = _Staged()
            for key, rids in leaving.items():
                ids = pa.array(sorted(rids), pa.string())
                for dataset in schema.PARTITIONED:
                    self._rewrite_partition(staged, dataset, *key, ids, [], {})
            staged.commit()
        if destination:  # (2)
            staged = _Staged()
            ids = pa.array(sorted(set(destination) | set(purge)), pa.string())
            for key in dict.fromkeys(destination.values()):
                coming = {dataset: new_rows.get((dataset, *key), []) for dataset in schema.PARTITIONED}
                for dataset in schema.PARTITIONED:
                    self._rewrite_partition(staged, dataset, *key, ids, coming[dataset], coming)
            for dataset in {dataset for dataset, _, _ in new_rows}:  # partitions coming: no placeholder
                (self.root / dataset / EMPTY_FILE).unlink(missing_ok=True)
            staged.commit()
        if failures_touched:  # (3)
            processed = set(destination) | set(purge) | {f["source_sha256"] for f in failures}
            self.write_failures(failures, processed)

    def _rewrite_partition(self, staged: _Staged, dataset: str, agency: str, year: int, replaced_ids: pa.Array,
                           rows: list[pa.Table], coming: dict[str, list[pa.Table]]) -> None:
        path = partition_file(self.root, dataset, agency, year)
        table_schema = schema.PARTITIONED[dataset]
        parts = []
        changed = bool(rows)
        exists = os.path.exists(path)
        if exists:
            old = read_partition(path, table_schema)
            kept = old.filter(pc.invert(pc.is_in(old["report_id"], value_set=replaced_ids)))
            changed = changed or kept.num_rows != old.num_rows
            parts.append(kept)
        if not changed:
            return
        parts.extend(rows)
        table = pa.concat_tables(parts) if parts else table_schema.empty_table()
        if table.num_rows:
            if len(parts) > 1:
                # rows of a partition ordered by report (stable: a report's rows keep their order), so the
                # file's content does not depend on the order in which workers finished
                table = table.sort_by([("report_id", "ascending")])
            if dataset == "reports":
                table = mark_duplicates(table, lambda: self._completeness(agency, year, replaced_ids, coming))
            staged.replace(table, path)
        elif exists:
            staged.remove(Path(path), self.root / dataset)

    def _completeness(self, agency: str, year: int, replaced_ids: pa.Array,
                      coming: dict[str, list[pa.Table]]) -> dict[str, int]:
        """report_id → table cells + figures the partition holds once this batch is written."""
        counts: dict[str, int] = defaultdict(int)
        for dataset in ("table_cells", "figures"):
            parts = [t.select(["report_id"]) for t in coming.get(dataset, [])]
            path = partition_file(self.root, dataset, agency, year)
            if os.path.exists(path):
                old = pq.read_table(path, columns=["report_id"])
                parts.append(old.filter(pc.invert(pc.is_in(old["report_id"], value_set=replaced_ids))))
            for part in parts:
                for rid in part.column("report_id").to_pylist():
                    counts[rid] += 1
        return counts

    def write_failures(self, failures: list[dict], processed_sha256: set[str]) -> None:
        """Replace failures of the inputs processed in this batch with the new ones."""
        path = self.root / "failures" / FAILURES_FILE
        parts = []
        changed = bool(failures) or not path.exists()
        if path.exists():
            old = pq.read_table(path, schema=schema.FAILURES)
            keep = pc.invert(pc.is_in(old["source_sha256"], value_set=pa.array(list(processed_sha256), pa.string())))
            kept = old.filter(keep)
            changed = changed or kept.num_rows != old.num_rows
            parts.append(kept)
        if not changed:
            return
        if failures:
            parts.append(pa.Table.from_pylist(failures, schema=schema.FAILURES))
        table = pa.concat_tables(parts) if parts else schema.FAILURES.empty_table()
        write_table_atomic(table, path)

    def ensure_datasets(self) -> None:
        """Make every dataset exist, so readers find all five even when a run produced no rows of one.

        A dataset without partitions holds EMPTY_FILE, no rows with the full schema (agency and year as
        columns): DuckDB's `**/*.parquet` glob fails on a directory with no file, while pyarrow, pandas
        and Spark skip files whose name starts with '_'. It goes as soon as a partition is written."""
        for dataset, table_schema in schema.PARTITIONED.items():
            base = self.root / dataset
            base.mkdir(parents=True, exist_ok=True)
            has_partitions = any(entry.name.startswith("agency=") for entry in os.scandir(base))
            if not has_partitions and not (base / EMPTY_FILE).exists():
                empty = table_schema.append(pa.field("agency", pa.string())).append(pa.field("year", pa.int32()))
                write_table_atomic(empty.empty_table(), base / EMPTY_FILE)
        if not (self.root / "failures" / FAILURES_FILE).exists():
            write_table_atomic(schema.FAILURES.empty_table(), self.root / "failures" / FAILURES_FILE)

    def clean_temp_files(self) -> int:
        """Remove temp files a killed run left behind (call only while holding the output root's lock)."""
        removed = 0
        for dataset in (*schema.PARTITIONED, "failures"):
            base = self.root / dataset
            if base.exists():
                for tmp in base.rglob(".*.tmp"):
                    tmp.unlink(missing_ok=True)
                    removed += 1
        return removed


def read_partition(path: str | Path, table_schema: pa.Schema) -> pa.Table:
    """A partition file as a table of `table_schema` (a sixth of the time of read_table;
    a file of an older schema goes through read_table, which fills missing columns with nulls)."""
    with pa.OSFile(str(path)) as f:  # native reads, no read-ahead threads: no waits for the GIL in between
        table = pq.ParquetFile(f, pre_buffer=False).read(use_threads=False)
    return table if table.schema.equals(table_schema) else pq.read_table(path, schema=table_schema)


class _Staged:
    """File changes of one step, made visible together: every new file is written to a temp file first,
    then one sync makes them all durable, then each is renamed over its target (atomic per file) and
    emptied partitions are removed. One sync per step instead of one fsync per file: a batch touches
    thousands of small files, and per-file fsync was most of the time of a run."""

    def __init__(self):
        self.actions: list[tuple[str, str | Path, str | Path]] = []

    def replace(self, table: pa.Table, path: str) -> None:
        self.actions.append(("replace", write_temp(table, path), path))

    def remove(self, path: Path, stop: Path) -> None:
        self.actions.append(("remove", path, stop))

    def commit(self) -> None:
        if any(kind == "replace" for kind, _, _ in self.actions):
            os.sync()
        for kind, a, b in self.actions:
            if kind == "replace":
                os.replace(a, b)
            else:
                a.unlink(missing_ok=True)
                _remove_empty_dirs(a.parent, b)
        self.actions.clear()


def _partition_of(path: Path) -> tuple[str, int]:
    from urllib.parse import unquote

    agency = unquote(path.parent.parent.name.split("=", 1)[1])
    year = int(path.parent.name.split("=", 1)[1])
    return agency, year


def _remove_empty_dirs(directory: Path, stop: Path) -> None:
    while directory != stop and directory.exists() and not any(directory.iterdir()):
        directory.rmdir()
        directory = directory.parent

