"""The library's entry points: `extract` one input into a `Report`, `read` a dataset of an output root."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from os import PathLike
from pathlib import Path

from xxgk.parsers.document import RawDoc, StageError
from xxgk.rules.records import Cell, Check, Extraction, Figure

ExtractError = StageError
"""Raised when an input cannot become a report; `.stage` (read|fetch|decode|parse|extract|write) and
`.message` say where and why. In a batch the same error becomes a row of the `failures` dataset."""

DATASETS = ("reports", "table_cells", "figures", "checks", "failures", "inputs")
PARTITIONED = ("reports", "table_cells", "figures", "checks")


@dataclass
class Report:
    """One extracted report: its metadata, table cells, prose figures and checks."""

    extraction: Extraction
    rules_version: str
    extracted_at: datetime

    agency = property(lambda self: self.extraction.meta.agency)
    year = property(lambda self: self.extraction.meta.year)
    title = property(lambda self: self.extraction.meta.title)
    template = property(lambda self: self.extraction.meta.template)
    published = property(lambda self: self.extraction.meta.published)
    report_id = property(lambda self: self.extraction.report_id)
    source = property(lambda self: self.extraction.source)

    @property
    def cells(self) -> list[Cell]:
        return self.extraction.cells

    @property
    def figures(self) -> list[Figure]:
        return self.extraction.figures

    @property
    def checks(self) -> list[Check]:
        return self.extraction.checks

    def to_frames(self) -> dict:
        """pandas DataFrames named, typed and ordered like the Parquet datasets as `read` returns them
        (agency and year last): 'reports', 'table_cells', 'figures', 'checks'."""
        import pyarrow as pa

        from xxgk.pipeline import schema
        from xxgk.pipeline.rows import to_rows
        from xxgk.pipeline.store import to_arrow

        (rows,) = to_arrow([to_rows(self.extraction, self.rules_version, self.extracted_at)])
        frames = {}
        for dataset, table_schema in schema.PARTITIONED.items():
            table = rows.tables.get(dataset, table_schema.empty_table())
            table = table.append_column(pa.field("agency", pa.string()),
                                        pa.array([rows.agency] * len(table), pa.string()))
            table = table.append_column(pa.field("year", pa.int32()), pa.array([rows.year] * len(table), pa.int32()))
            frames[dataset] = table.to_pandas()
        return frames


def extract(input: str | PathLike | bytes, source: str | None = None) -> Report:
    """Extract one report from a file path or from its bytes.

    `source` names the input in the output (default: the path; '<bytes>' for bytes); its suffix tells
    HTML from plain text when the bytes do not. Raises ExtractError when the input cannot become a
    report."""
    from xxgk.pipeline.extract import extract as extract_one
    from xxgk.rules.version import rules_version

    raw = _raw_doc(input, source)
    if raw.error:
        raise ExtractError("read", raw.error)
    return Report(extract_one(raw), rules_version(), datetime.now(timezone.utc))


def _raw_doc(input: str | PathLike | bytes, source: str | None) -> RawDoc:
    from xxgk.pipeline.sources import kind_of, read_input

    if isinstance(input, (bytes, bytearray, memoryview)):
        name = source or "<bytes>"
        return RawDoc(bytes(input), name, kind_of(Path(name)) if source else "auto")
    path = Path(input)
    if not path.is_file():
        raise ExtractError("read", f"no such file: {path}")
    docs = list(read_input(path))
    if len(docs) != 1:
        raise ExtractError("read", f"{path} holds {len(docs)} reports, not one: run `xxgk extract {path}` "
                                   "or iterate xxgk.pipeline.sources.iter_raw_docs([path])")
    raw = docs[0]
    return RawDoc(raw.data, source, raw.kind, raw.http_charset, raw.fetched_at, raw.error) if source else raw


def read(out_root: str | PathLike, dataset: str, **filters):
    """A dataset of an output root as a pandas DataFrame, `year` an integer and `agency` a string.

    Filters are column=value (or a list of values), e.g. `read(out, "table_cells", agency="平潭综合实验区",
    year=[2020, 2021])`; agency and year select partitions before any file is opened."""
    import pyarrow as pa
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    from xxgk.pipeline import schema

    if dataset not in DATASETS:
        raise ValueError(f"unknown dataset {dataset!r}: one of {', '.join(DATASETS)}")
    base = Path(out_root) / dataset
    if dataset in ("failures", "inputs"):  # one file each, not partitioned
        flat = schema.FAILURES if dataset == "failures" else schema.INPUTS
        table = pq.read_table(base, schema=flat) if base.exists() else flat.empty_table()
        return _filtered(table.to_pandas(), filters)
    full = schema.PARTITIONED[dataset].append(pa.field("agency", pa.string())).append(pa.field("year", pa.int32()))
    if not base.exists():
        return full.empty_table().to_pandas()
    partitioning = ds.partitioning(pa.schema([("agency", pa.string()), ("year", pa.int32())]), flavor="hive")
    data = ds.dataset(base, format="parquet", partitioning=partitioning, schema=full)
    return data.to_table(filter=_expression(filters)).to_pandas()


def _expression(filters: dict):
    import pyarrow.dataset as ds

    expression = None
    for column, value in filters.items():
        field = ds.field(column)
        term = field.isin(list(value)) if isinstance(value, (list, tuple, set, frozenset)) else field == value
        expression = term if expression is None else expression & term
    return expression


def _filtered(frame, filters: dict):
    for column, value in filters.items():
        values = list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]
        frame = frame[frame[column].isin(values)]
    return frame.reset_index(drop=True)


def compare(out_root: str | PathLike, agency: str, measures: list[str] | None = None):
    """One agency's measures by year as a DataFrame: one row per measure, one column per year, then the
    change from each year shown to the next ("2021 change"). `agency` is a name as printed, another spelling
    of the same body, or an agency_key; values come from the tables, else from prose
    (`.attrs["from_prose"]` lists those). Default measures: rules/data/measures.toml [compare]."""
    from xxgk.pipeline.compare import compare as compare_years

    return compare_years(out_root, agency, measures)


__all__ = ["DATASETS", "ExtractError", "Report", "compare", "extract", "read"]
