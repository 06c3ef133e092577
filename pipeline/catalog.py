"""The run catalog: an SQLite database embedded in the output root (`<out>/_catalog.sqlite`).

It records what every run saw and did, so that a re-run only does the work that changed:

- ``inputs``: one row per input source (path or URL) with the sha256 and size of its bytes, where the
  bytes can be read again (``location``: an absolute file path, or a WARC file holding the record),
  and when it was first and last seen.
- ``reports``: one row per report (keyed by report_id = sha256 of the raw bytes): the rules_version,
  outcome (``ok`` | ``failed`` + stage), agency, year and extracted_at of its last extraction, and a
  ``pending`` flag set while its rows are being written.
- ``locations``: every (agency, year) partition that may hold rows of a report. A new partition is
  recorded *before* rows are written there and the old ones are dropped only *after* the rows have
  left them, so the set always covers every partition that holds rows of the report — a crash at any
  moment leaves nothing the next run cannot find and remove.
- ``files``: every Parquet file the store wrote (dataset, partition, size), so that a run can check
  cheaply that they are all still there and whole (pipeline/heal.py).
- ``runs``: one row per run (command, counts, start/end).

A catalog SQLite cannot read is set aside (renamed `_catalog.sqlite.damaged-<time>`, with a warning)
and a new one made: the next run then extracts every input again.

The file name starts with '_' so that Parquet readers globbing the output root ignore it. WAL mode lets
analysts read the catalog while a run writes it; writes are grouped in one transaction per batch.
"""
from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

CATALOG_NAME = "_catalog.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS inputs (
    source      TEXT PRIMARY KEY,
    sha256      TEXT NOT NULL,
    size        INTEGER NOT NULL,
    location    TEXT,
    container   TEXT NOT NULL DEFAULT 'file',
    first_seen  TEXT NOT NULL,
    last_seen   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS inputs_sha256 ON inputs(sha256);
CREATE TABLE IF NOT EXISTS reports (
    report_id     TEXT PRIMARY KEY,
    rules_version TEXT,
    outcome       TEXT,
    stage         TEXT,
    agency        TEXT,
    year          INTEGER,
    extracted_at  TEXT,
    run_id        TEXT,
    pending       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS reports_rules_version ON reports(rules_version);
CREATE TABLE IF NOT EXISTS locations (
    report_id TEXT NOT NULL,
    agency    TEXT NOT NULL,
    year      INTEGER NOT NULL,
    PRIMARY KEY (report_id, agency, year)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS files (
    dataset TEXT NOT NULL,
    agency  TEXT NOT NULL,
    year    INTEGER NOT NULL,
    size    INTEGER NOT NULL,
    PRIMARY KEY (dataset, agency, year)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS runs (
    run_id    TEXT PRIMARY KEY,
    command   TEXT,
    rules_version TEXT,
    started   TEXT,
    finished  TEXT,
    extracted INTEGER,
    skipped   INTEGER,
    reports   INTEGER,
    failures  INTEGER
);
"""


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class InputSeen:
    """One input of a run, as the catalog records it."""

    source: str
    sha256: str
    size: int
    location: str | None
    container: str = "file"  # "file" | "warc"


@dataclass(frozen=True)
class Outcome:
    """The result of one report's extraction, recorded once its rows are written."""

    report_id: str
    outcome: str  # "ok" | "failed"
    stage: str | None
    agency: str | None
    year: int | None


class Catalog:
    def __init__(self, root: Path, check: bool = False):
        """Open (or make) the catalog of the output root; with `check`, one that SQLite finds damaged is
        set aside and a new one made."""
        self.path = Path(root) / CATALOG_NAME
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._open(check)
        except sqlite3.DatabaseError as error:
            if not check or isinstance(error, sqlite3.OperationalError) and "locked" in str(error):
                raise
            self.db.close()
            self._set_aside(error)
            self._open(check=False)

    def _open(self, check: bool) -> None:
        self.db = sqlite3.connect(self.path, isolation_level=None, timeout=60)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        if check and self.db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("quick_check found damage")
        self.db.executescript(_SCHEMA)

    def _set_aside(self, error: Exception) -> None:
        aside = self.path.with_name(f"{CATALOG_NAME}.damaged-{datetime.now(timezone.utc):%Y%m%dT%H%M%S}")
        for suffix in ("", "-wal", "-shm"):
            source = Path(str(self.path) + suffix)
            if source.exists():
                os.replace(source, str(aside) + suffix)
        sys.stderr.write(f"xxgk: warning: the run catalog {self.path} was damaged ({error}); set aside as "
                         f"{aside.name} and rebuilt: every input is extracted again.\n")

    # -- files the store wrote -----------------------------------------------------------------
    def record_files(self, files: dict[tuple[str, str, int], int | None]) -> None:
        """(dataset, agency, year) → size of each file written, None for each file removed."""
        self.db.executemany("INSERT OR REPLACE INTO files(dataset, agency, year, size) VALUES (?, ?, ?, ?)",
                            [(*key, size) for key, size in files.items() if size is not None])
        self.db.executemany("DELETE FROM files WHERE dataset = ? AND agency = ? AND year = ?",
                            [key for key, size in files.items() if size is None])

    def files(self) -> list[tuple[str, str, int, int]]:
        return self.db.execute("SELECT dataset, agency, year, size FROM files").fetchall()

    def forget_file(self, dataset: str, agency: str, year: int) -> None:
        self.db.execute("DELETE FROM files WHERE dataset = ? AND agency = ? AND year = ?", (dataset, agency, year))

    def mark_pending(self, agency: str | None, year: int | None) -> int:
        """Make the reports of a partition (or, with agency None, every failed input) extract again."""
        if agency is None:
            return self.db.execute("UPDATE reports SET pending = 1 WHERE outcome = 'failed'").rowcount
        return self.db.execute("UPDATE reports SET pending = 1 WHERE report_id IN (SELECT report_id FROM "
                               "locations WHERE agency = ? AND year = ?)", (agency, year)).rowcount

    def input_rows(self) -> Iterator[tuple]:
        """Every input source with its id, size, where it is read, when last seen, and its outcome."""
        yield from self.db.execute(
            "SELECT i.source, i.sha256, i.size, i.location, i.container, i.last_seen, r.outcome, r.stage "
            "FROM inputs i LEFT JOIN reports r ON r.report_id = i.sha256 ORDER BY i.source")

    def close(self) -> None:
        self.db.close()

    def transaction(self):
        return _Transaction(self.db)

    # -- reading -------------------------------------------------------------------------------
    def previous_sha256(self, source: str) -> str | None:
        row = self.db.execute("SELECT sha256 FROM inputs WHERE source = ?", (source,)).fetchone()
        return row[0] if row else None

    def state(self, report_id: str) -> tuple[str | None, str | None, bool] | None:
        """(rules_version, outcome, pending) of the report's last extraction, None if never extracted."""
        row = self.db.execute("SELECT rules_version, outcome, pending FROM reports WHERE report_id = ?",
                              (report_id,)).fetchone()
        return (row[0], row[1], bool(row[2])) if row else None

    def is_current(self, report_id: str, rules_version: str) -> str | None:
        """The outcome ('ok'/'failed') when the report was last extracted, completely, with these rules."""
        state = self.state(report_id)
        if state and state[0] == rules_version and not state[2] and state[1] in ("ok", "failed"):
            return state[1]
        return None

    def locations(self, report_ids: Iterable[str]) -> dict[str, set[tuple[str, int]]]:
        out: dict[str, set[tuple[str, int]]] = {}
        ids = list(report_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for rid, agency, year in self.db.execute(
                    f"SELECT report_id, agency, year FROM locations WHERE report_id IN ({marks})", chunk):
                out.setdefault(rid, set()).add((agency, int(year)))
        return out

    def is_referenced(self, report_id: str) -> bool:
        """True while some input source still holds these bytes."""
        return self.db.execute("SELECT 1 FROM inputs WHERE sha256 = ? LIMIT 1", (report_id,)).fetchone() is not None

    def stale(self, rules_version: str) -> Iterator[tuple[str, str]]:
        """(report_id, rules_version) of reports last extracted with other rules (or left pending)."""
        rows = self.db.execute(
            "SELECT report_id, rules_version FROM reports WHERE rules_version IS NOT ? OR pending = 1 "
            "ORDER BY report_id", (rules_version,)).fetchall()
        yield from rows

    def sources_of(self, report_id: str) -> list[tuple[str, str | None, str]]:
        """(source, location, container) of every input recorded with these bytes."""
        return self.db.execute("SELECT source, location, container FROM inputs WHERE sha256 = ? ORDER BY source",
                               (report_id,)).fetchall()

    def last_run_unfinished(self) -> bool:
        """True when the last run did not finish (killed, or it failed): its temp files and orphans may
        be left behind. Also True for a catalog that has seen no run yet."""
        row = self.db.execute("SELECT finished FROM runs ORDER BY started DESC LIMIT 1").fetchone()
        return row is None or row[0] is None

    def counts(self) -> dict[str, int]:
        rows = self.db.execute("SELECT outcome, count(*) FROM reports GROUP BY outcome").fetchall()
        return {outcome or "none": n for outcome, n in rows}

    # -- writing (call inside a transaction) -----------------------------------------------------
    def see(self, inputs: Iterable[InputSeen], when: str) -> None:
        self.db.executemany(
            "INSERT INTO inputs(source, sha256, size, location, container, first_seen, last_seen) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(source) DO UPDATE SET sha256 = excluded.sha256, "
            "size = excluded.size, location = excluded.location, container = excluded.container, "
            "last_seen = excluded.last_seen",
            [(i.source, i.sha256, i.size, i.location, i.container, when, when) for i in inputs])

    def begin_write(self, destinations: dict[str, tuple[str, int] | None]) -> None:
        """Before rows are written: mark the reports pending and record their new partitions."""
        self.db.executemany(
            "INSERT INTO reports(report_id, pending) VALUES (?, 1) "
            "ON CONFLICT(report_id) DO UPDATE SET pending = 1", [(rid,) for rid in destinations])
        self.db.executemany("INSERT OR IGNORE INTO locations(report_id, agency, year) VALUES (?, ?, ?)",
                            [(rid, *key) for rid, key in destinations.items() if key is not None])

    def end_write(self, outcomes: Iterable[Outcome], rules_version: str, run_id: str, when: str) -> None:
        """After rows are written: record each outcome; a report now lives in one partition at most."""
        outcomes = list(outcomes)
        self.db.executemany(
            "UPDATE reports SET rules_version = ?, outcome = ?, stage = ?, agency = ?, year = ?, "
            "extracted_at = ?, run_id = ?, pending = 0 WHERE report_id = ?",
            [(rules_version, o.outcome, o.stage, o.agency, o.year, when, run_id, o.report_id) for o in outcomes])
        for o in outcomes:
            if o.agency is None:
                self.db.execute("DELETE FROM locations WHERE report_id = ?", (o.report_id,))
            else:
                self.db.execute("DELETE FROM locations WHERE report_id = ? AND NOT (agency = ? AND year = ?)",
                                (o.report_id, o.agency, o.year))

    def forget(self, report_ids: Iterable[str]) -> None:
        """After a report's rows were removed for good (its bytes are no longer any input's)."""
        ids = [(rid,) for rid in report_ids]
        self.db.executemany("DELETE FROM locations WHERE report_id = ?", ids)
        self.db.executemany("DELETE FROM reports WHERE report_id = ?", ids)

    def start_run(self, run_id: str, command: str, rules_version: str) -> None:
        with self.transaction():
            self.db.execute("INSERT INTO runs(run_id, command, rules_version, started) VALUES (?, ?, ?, ?)",
                            (run_id, command, rules_version, now()))

    def finish_run(self, run_id: str, extracted: int, skipped: int, reports: int, failures: int) -> None:
        with self.transaction():
            self.db.execute("UPDATE runs SET finished = ?, extracted = ?, skipped = ?, reports = ?, failures = ? "
                            "WHERE run_id = ?", (now(), extracted, skipped, reports, failures, run_id))


class _Transaction:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, kind, value, tb):
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")
        return False
