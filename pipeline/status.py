"""What an output root holds, in words: the end-of-run summary and `xxgk status`.

A run's summary says two things apart: what the output now holds (read from the datasets themselves, so a
no-change re-run still shows every cell) and what this run did (pipeline.run.RunSummary).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

COUNTED = ("reports", "table_cells", "figures", "checks", "failures")


@dataclass
class Holdings:
    """Row counts of an output root's datasets, and how many checks failed."""

    reports: int = 0
    table_cells: int = 0
    figures: int = 0
    checks: int = 0
    failures: int = 0
    failed_checks: int = 0

    def line(self, out: Path) -> str:
        return (f"{out} holds {_n(self.reports, 'report')}: {_n(self.table_cells, 'cell')}, "
                f"{_n(self.figures, 'figure')}, {_n(self.checks, 'check')} ({self.failed_checks} failed); "
                f"{_n(self.failures, 'failed input')}")


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def holdings(out: Path) -> Holdings:
    """Row counts read from the Parquet footers (no data pages are read), failed checks from one column."""
    import pyarrow.dataset as ds

    counts = Holdings()
    for name in COUNTED:
        base = Path(out) / name
        if base.is_dir():
            setattr(counts, name, ds.dataset(base, format="parquet").count_rows())
    checks = Path(out) / "checks"
    if counts.checks:
        counts.failed_checks = ds.dataset(checks, format="parquet").count_rows(filter=~ds.field("passed"))
    return counts


def run_line(summary) -> str:
    """What this run did (a pipeline.run.RunSummary)."""
    inputs = summary.extracted + summary.skipped
    text = (f"this run: {_n(inputs, 'input')} in {summary.seconds:.1f}s, {summary.extracted} extracted "
            f"({_n(summary.cells, 'cell')}, {_n(summary.figures, 'figure')}, {_n(summary.checks, 'check')}), "
            f"{summary.skipped} unchanged; of them {_n(summary.reports, 'report')}, {summary.failures} failed")
    if summary.missing:
        text += f"; {summary.missing} sources gone or changed (their rows kept)"
    return text


def is_output_root(out: Path) -> bool:
    from xxgk.pipeline.catalog import CATALOG_NAME

    return (Path(out) / CATALOG_NAME).is_file() or (Path(out) / "reports").is_dir()


def failed_inputs(out: Path):
    """The failures dataset as a DataFrame, newest first."""
    import xxgk

    frame = xxgk.read(out, "failures")
    return frame.sort_values(["at", "source"], ascending=[False, True]).reset_index(drop=True)


def failed_checks(out: Path):
    """The checks that did not pass, with their report's agency, year and source."""
    import xxgk

    checks = xxgk.read(out, "checks", passed=False)
    reports = xxgk.read(out, "reports")[["report_id", "source"]]
    frame = checks.merge(reports, on="report_id", how="left")
    return frame.sort_values(["agency", "year", "check"]).reset_index(drop=True)


def catalog_counts(out: Path) -> tuple[int, int] | None:
    """(reports, failed inputs) as the catalog records them, without loading pyarrow; None without a catalog."""
    import sqlite3

    from xxgk.pipeline.catalog import CATALOG_NAME

    path = Path(out) / CATALOG_NAME
    if not path.is_file():
        return None
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = dict(db.execute("SELECT outcome, count(*) FROM reports WHERE pending = 0 GROUP BY outcome"))
    finally:
        db.close()
    return rows.get("ok", 0), rows.get("failed", 0)


def last_run(out: Path) -> str | None:
    """The last run as the catalog recorded it, in one line; None before any run."""
    import sqlite3

    from xxgk.pipeline.catalog import CATALOG_NAME

    path = Path(out) / CATALOG_NAME
    if not path.is_file():
        return None
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = db.execute("SELECT run_id, command, started, finished, extracted, skipped FROM runs "
                         "ORDER BY started DESC LIMIT 1").fetchone()
    finally:
        db.close()
    if row is None:
        return None
    run_id, command, started, finished, extracted, skipped = row
    if finished is None:
        return f"last run: {command} {run_id}, started {started[:19]}, did not finish (interrupted or failed)"
    return (f"last run: {command} {run_id}, finished {finished[:19]}: {extracted} extracted, "
            f"{skipped} unchanged")
