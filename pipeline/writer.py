"""The writer: applies batches of results in order (catalog → store → catalog) while extraction goes on.

A parallel run gives the writer a process of its own. Parquet encoding, file creation and the catalog's
writes then have a core and a GIL to themselves; as a thread of the main process, the writer was the
bottleneck of a 2-core run and spent a third of its time waiting for the GIL. The main process then reads
inputs and hands out work without loading pyarrow. A serial run (jobs=1: tests, debugging) keeps the
writer a thread, so errors come back as the exceptions they were.

Per batch: (1) the catalog records the inputs and marks the reports pending with their new partitions,
(2) the store rewrites the partitions (pipeline/store.py), (3) the catalog records the outcomes. A kill at
any point leaves every dataset readable; the next run re-extracts what was pending and removes rows left
in partitions the catalog still lists (`recover`).
"""
from __future__ import annotations

import os
import queue
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from xxgk.pipeline.catalog import Catalog, InputSeen, Outcome, now
from xxgk.pipeline.rows import ReportRows

POLL_SECONDS = 1.0  # how often a blocked hand-over looks whether the writer process is still alive


@dataclass
class Batch:
    reports: list[ReportRows] = field(default_factory=list)  # as columns; the writer turns them into Arrow
    failures: list[dict] = field(default_factory=list)
    seen: list[InputSeen] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)  # previous sha256 of sources whose bytes changed

    def __len__(self) -> int:
        return len(self.reports) + len(self.failures)


class WriterError(RuntimeError):
    """The writer process failed (its error, as text) or died."""


def write_batch(catalog: Catalog, store, batch: Batch, version: str, run_id: str) -> None:
    from xxgk.pipeline.store import to_arrow

    reports, failures = [], []
    unique: set[str] = set()  # the same bytes under two sources extracted twice in a batch: one report
    for report in batch.reports:
        if report.report_id not in unique:
            unique.add(report.report_id)
            reports.append(report)
    for failure in batch.failures:
        if failure["source_sha256"] not in unique:
            unique.add(failure["source_sha256"])
            failures.append(failure)
    ids = [r.report_id for r in reports] + [f["source_sha256"] for f in failures]
    when = now()
    with catalog.transaction():
        catalog.see(batch.seen, when)
        orphans = sorted({sha for sha in batch.replaced if sha not in unique and not catalog.is_referenced(sha)})
        destinations = {r.report_id: (r.agency, int(r.year)) for r in reports}
        catalog.begin_write({**destinations, **{f["source_sha256"]: None for f in failures}})
    old = catalog.locations(ids + orphans)
    purge = {rid: old.get(rid, set()) for rid in ids + orphans}
    if purge:
        store.apply(to_arrow(reports), failures, purge)
    outcomes = [Outcome(r.report_id, "ok", None, r.agency, int(r.year)) for r in reports]
    outcomes += [Outcome(f["source_sha256"], "failed", f["stage"], None, None) for f in failures]
    with catalog.transaction():
        catalog.end_write(outcomes, version, run_id, when)
        catalog.forget(orphans)


def collect_garbage(catalog: Catalog, store, version: str) -> int:
    """Remove the rows of reports no input holds any more (left by a run killed after a source changed)."""
    rows = catalog.db.execute("SELECT report_id FROM reports r WHERE NOT EXISTS "
                              "(SELECT 1 FROM inputs i WHERE i.sha256 = r.report_id)").fetchall()
    orphans = [r[0] for r in rows]
    if orphans:
        old = catalog.locations(orphans)
        store.apply([], [], {rid: old.get(rid, set()) for rid in orphans})
        with catalog.transaction():
            catalog.forget(orphans)
    return len(orphans)


def serve(out: Path, version: str, run_id: str, recover: bool,
          receive: Callable[[], Batch | None], report: Callable[[str, object], None]) -> None:
    """The writer's loop: recover from a killed run if asked, write every batch received until None, then
    make every dataset exist. Reports ("error", exception) at the first failure (later batches are
    received and dropped, so the sender never blocks) and ("done", None) at the end."""
    import pyarrow as pa

    from xxgk.pipeline.store import Store

    # Arrow on the C allocator: release_unused() then trims the heap (malloc_trim), so memory freed after
    # a batch goes back to the system (with mimalloc the writer held ~40 MB more)
    pa.set_memory_pool(pa.system_memory_pool())
    catalog, store = Catalog(out), Store(out)
    failed = False
    try:
        try:
            if recover:  # a killed run may have left temp files and orphaned rows
                store.clean_temp_files()
                collect_garbage(catalog, store, version)
        except BaseException as error:  # noqa: BLE001 - handed to the main process
            failed = True
            report("error", error)
        while (batch := receive()) is not None:
            if not failed:
                try:
                    write_batch(catalog, store, batch, version, run_id)
                except BaseException as error:  # noqa: BLE001 - handed to the main process
                    failed = True
                    report("error", error)
            del batch
            pa.default_memory_pool().release_unused()
        if not failed:
            store.ensure_datasets()
    except BaseException as error:  # noqa: BLE001
        if not failed:
            report("error", error)
    finally:
        catalog.close()
        report("done", None)


class ThreadWriter:
    """The writer as a thread of this process (serial runs)."""

    def __init__(self, out: Path, version: str, run_id: str, recover: bool):
        self.inbox: queue.Queue[Batch | None] = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=serve, name="xxgk-writer", daemon=True,
                                       args=(out, version, run_id, recover, self.inbox.get, self._report))

    def _report(self, kind: str, value) -> None:
        if kind == "error" and self.error is None:
            self.error = value

    def start(self) -> None:
        self.thread.start()

    def put(self, batch: Batch) -> None:
        self.check()
        self.inbox.put(batch)

    def check(self) -> None:
        if self.error is not None:
            raise self.error

    def close(self) -> None:
        """Send the end and wait for the last batch to be written (check() then tells how it went)."""
        self.inbox.put(None)
        self.thread.join()


def _serve_in_process(out, version, run_id, recover, inbox, outbox, parent: int) -> None:
    from xxgk.pipeline.executors import die_with_parent

    die_with_parent(parent)  # a killed run must not leave a writer going on without the lock

    def report(kind: str, value) -> None:
        if kind == "error":
            value = "".join(traceback.format_exception_only(type(value), value)).strip()
        outbox.put((kind, value))

    serve(out, version, run_id, recover, inbox.get, report)


class ProcessWriter:
    """The writer as a process of its own (parallel runs); batches are handed over through a queue."""

    def __init__(self, out: Path, version: str, run_id: str, recover: bool):
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        self.inbox = context.Queue(maxsize=1)
        self.outbox = context.Queue()
        self.error: str | None = None
        self.done = False
        self.process = context.Process(target=_serve_in_process, name="xxgk-writer", daemon=True,
                                       args=(out, version, run_id, recover, self.inbox, self.outbox, os.getpid()))

    def start(self) -> None:
        from xxgk.pipeline.interrupt import sigint_blocked

        with sigint_blocked():  # the main process alone handles Ctrl-C (pipeline.interrupt)
            self.process.start()

    def put(self, batch: Batch) -> None:
        self.check()
        self._send(batch)

    def _send(self, item: Batch | None) -> None:
        while True:
            try:
                self.inbox.put(item, timeout=POLL_SECONDS)
                return
            except queue.Full:  # the writer is busy: blocked, unless it failed or died
                self.check()

    def _receive(self, timeout: float | None) -> None:
        try:
            kind, value = self.outbox.get(timeout=timeout) if timeout else self.outbox.get_nowait()
        except queue.Empty:
            return
        if kind == "error" and self.error is None:
            self.error = value
        elif kind == "done":
            self.done = True

    def check(self) -> None:
        """Raise WriterError if the writer reported an error or died."""
        while not self.outbox.empty():
            self._receive(None)
        if self.error is not None:
            raise WriterError(f"writing the datasets failed: {self.error}")
        if not self.done and not self.process.is_alive():
            raise WriterError(f"the writer process died (exit code {self.process.exitcode})")

    def close(self) -> None:
        """Send the end and wait for the last batch to be written (check() then tells how it went)."""
        try:
            while self.process.is_alive():
                try:
                    self.inbox.put(None, timeout=POLL_SECONDS)
                    break
                except queue.Full:
                    self._receive(POLL_SECONDS)
            while not self.done and self.process.is_alive():
                self._receive(POLL_SECONDS)
            self._receive(None)
        finally:
            self.process.join(timeout=30)
            if self.process.is_alive():
                self.process.kill()


def make_writer(out: Path, version: str, run_id: str, recover: bool, jobs: int):
    return ThreadWriter(out, version, run_id, recover) if jobs <= 1 else ProcessWriter(out, version, run_id, recover)
