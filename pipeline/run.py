"""Batch runs: stream the inputs, skip the unchanged ones, extract the rest on an executor, write in batches.

One run holds the output root's lock (pipeline/lock.py) from start to end. The main thread reads and
hashes each input and asks the catalog whether its bytes were already extracted with the current
rules_version; only new, changed or stale inputs go to the executor (pipeline/executors.py). Results are
gathered into batches of `batch_size` reports that the writer (pipeline/writer.py: a process of its own
in parallel runs) applies while the executor keeps working. A kill at any point leaves every dataset
readable; the next run re-extracts what was pending and removes rows left in partitions the catalog
still lists. At most a few batches and a bounded window of tasks are held at once, so memory does not
grow with the number of inputs.
"""
from __future__ import annotations

import hashlib
import os
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from xxgk.parsers.document import RawDoc, StageError
from xxgk.pipeline.catalog import Catalog, InputSeen
from xxgk.pipeline.executors import default_jobs, make_executor
from xxgk.pipeline.interrupt import second_interrupt_exits
from xxgk.pipeline.lock import OutputLock
from xxgk.pipeline.rows import ReportRows
from xxgk.pipeline.sources import WARC_SUFFIXES, iter_input_docs
from xxgk.pipeline.writer import Batch, make_writer
from xxgk.rules.version import rules_version

BATCH_SIZE = 200  # reports per write; at most three batches are held (collecting, queued, writing)
SEEN_FLUSH = 5000  # unchanged inputs recorded per catalog transaction


@dataclass
class RunSummary:
    run_id: str
    reports: int = 0  # inputs that are a report (extracted now, or unchanged since a successful extraction)
    failures: int = 0  # inputs that failed (now, or unchanged since they failed)
    extracted: int = 0
    skipped: int = 0
    missing: int = 0  # reextract: sources that are gone or changed (their rows are kept)
    cells: int = 0
    figures: int = 0
    checks: int = 0
    seconds: float = 0.0
    failed_sources: list[str] = field(default_factory=list)
    missing_sources: list[str] = field(default_factory=list)

    def line(self) -> str:
        text = (f"{self.reports} reports, {self.failures} failures, {self.cells} cells, "
                f"{self.figures} figures, {self.checks} checks in {self.seconds:.1f}s "
                f"({self.extracted} extracted, {self.skipped} unchanged")
        if self.missing:
            text += f", {self.missing} sources gone or changed: rows kept"
        return text + ")"


def new_run_id() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:6]


def iter_inputs(paths: Iterable[Path]) -> Iterator[tuple[RawDoc, str, str]]:
    """(RawDoc, location, container) for every input under `paths`: where its bytes can be read again."""
    for path, docs in iter_input_docs(paths):
        container = "warc" if path.name.lower().endswith(WARC_SUFFIXES) else "file"
        location = os.path.abspath(path)
        try:
            for raw in docs:
                yield raw, location, container
        except StageError as error:  # an unreadable archive: one failures row for the file
            yield RawDoc(b"", str(path), "html", error=error.message), location, container


class Runner:
    def __init__(self, out: Path, jobs: int | None = None, full: bool = False, executor: str = "local",
                 scheduler: str | None = None, batch_size: int = BATCH_SIZE,
                 on_progress: Callable[[], None] | None = None, command: str = "extract"):
        self.out = Path(out)
        self.jobs = jobs or default_jobs()
        self.full = full
        self.executor_kind = executor
        self.scheduler = scheduler
        self.batch_size = max(1, batch_size)
        self.on_progress = on_progress
        self.command = command
        self.version = rules_version()
        self.summary = RunSummary(run_id=new_run_id())

    def run(self, inputs: Iterable[tuple[RawDoc, str, str]]) -> RunSummary:
        started = time.perf_counter()
        self.catalog = catalog = Catalog(self.out)
        try:
            recover = catalog.last_run_unfinished()  # the writer cleans up after a killed run first
            catalog.start_run(self.summary.run_id, self.command, self.version)
            self.writer = make_writer(self.out, self.version, self.summary.run_id, recover, self.jobs)
            self.writer.start()
            self.batch = Batch()
            self.in_flight: dict[str, tuple[InputSeen, str | None]] = {}
            try:
                with make_executor(self.executor_kind, self.jobs, self.scheduler) as executor:
                    for result in executor.map(self._plan(inputs), self.summary.run_id, self.version):
                        self._collect(result)
                self._flush()
            except KeyboardInterrupt:  # write what was extracted, then stop (the run stays unfinished)
                with second_interrupt_exits():
                    self._flush()
                raise
            finally:
                with second_interrupt_exits():
                    self.writer.close()
            self.writer.check()
            s = self.summary
            catalog.finish_run(s.run_id, s.extracted, s.skipped, s.reports, s.failures)
        finally:
            catalog.close()
        self.summary.seconds = time.perf_counter() - started
        return self.summary

    def _plan(self, inputs: Iterable[tuple[RawDoc, str, str]]) -> Iterator[RawDoc]:
        """The inputs to extract; unchanged ones are recorded as seen and counted, not yielded."""
        s = self.summary
        for raw, location, container in inputs:
            sha = hashlib.sha256(raw.data).hexdigest()
            seen = InputSeen(raw.source, sha, len(raw.data), location, container)
            previous = self.catalog.previous_sha256(raw.source)
            replaced = previous if previous and previous != sha else None
            if sha in self.in_flight:  # the same bytes twice in this run: one report
                self._seen(seen, replaced)
                s.skipped += 1
                self._tick()
                continue
            outcome = None if self.full else self.catalog.is_current(sha, self.version)
            if outcome:
                self._seen(seen, replaced)
                s.skipped += 1
                if outcome == "ok":
                    s.reports += 1
                else:
                    s.failures += 1
                    s.failed_sources.append(raw.source)
                self._tick()
                continue
            self.in_flight[sha] = (seen, replaced)
            yield raw

    def _seen(self, seen: InputSeen, replaced: str | None) -> None:
        self.batch.seen.append(seen)
        if replaced:
            self.batch.replaced.append(replaced)
        if len(self.batch.seen) >= SEEN_FLUSH:
            self._flush()

    def _collect(self, result) -> None:
        s = self.summary
        if isinstance(result, ReportRows):
            sha = result.report_id
            self.batch.reports.append(result)
            s.reports += 1
            s.cells += result.count("table_cells")
            s.figures += result.count("figures")
            s.checks += result.count("checks")
        else:
            sha = result["source_sha256"]
            self.batch.failures.append(result)
            s.failures += 1
            s.failed_sources.append(result["source"])
        s.extracted += 1
        seen, replaced = self.in_flight.pop(sha)
        self.batch.seen.append(seen)
        if replaced:
            self.batch.replaced.append(replaced)
        if len(self.batch) >= self.batch_size:
            self._flush()
        self._tick()

    def _flush(self) -> None:
        if len(self.batch) or self.batch.seen:
            self.writer.put(self.batch)
        self.batch = Batch()

    def _tick(self) -> None:
        if self.on_progress:
            self.on_progress()


def run_extract(paths: list[Path], out: Path, jobs: int | None = None, full: bool = False,
                executor: str = "local", scheduler: str | None = None, batch_size: int = BATCH_SIZE,
                wait: bool = False, on_progress: Callable[[], None] | None = None) -> RunSummary:
    """Extract the inputs under `paths` into the datasets under `out`: new, changed and stale inputs
    only, unless `full`. Raises LockBusy when another run holds `out` (unless `wait`)."""
    with OutputLock(out, wait=wait):
        runner = Runner(out, jobs, full, executor, scheduler, batch_size, on_progress, "extract")
        return runner.run(iter_inputs(paths))


def run_reextract(out: Path, jobs: int | None = None, executor: str = "local", scheduler: str | None = None,
                  batch_size: int = BATCH_SIZE, wait: bool = False,
                  on_progress: Callable[[], None] | None = None) -> RunSummary:
    """Re-extract the reports last extracted with another rules_version (or left unfinished by a crash),
    reading their bytes again from the location the catalog recorded. A report whose source is gone or
    no longer holds the same bytes is skipped and counted as missing; its rows stay as they are."""
    with OutputLock(out, wait=wait):
        version = rules_version()
        catalog = Catalog(out)
        try:
            wanted: dict[tuple[str, str], set[str]] = defaultdict(set)  # (location, container) → report_ids
            missing: list[str] = []
            for rid, _ in catalog.stale(version):
                sources = [(loc, c) for _, loc, c in catalog.sources_of(rid) if loc and Path(loc).exists()]
                if sources:
                    wanted[sources[0]].add(rid)
                else:
                    missing.extend(s for s, _, _ in catalog.sources_of(rid)[:1] or [(rid, None, None)])
        finally:
            catalog.close()
        runner = Runner(out, jobs, True, executor, scheduler, batch_size, on_progress, "reextract")

        def inputs() -> Iterator[tuple[RawDoc, str, str]]:
            for (location, _container), rids in sorted(wanted.items()):
                found = set()
                for raw, loc, cont in iter_inputs([Path(location)]):
                    sha = hashlib.sha256(raw.data).hexdigest()
                    if sha in rids and sha not in found:
                        found.add(sha)
                        yield raw, loc, cont
                for _rid in sorted(rids - found):
                    runner.summary.missing += 1
                    runner.summary.missing_sources.append(location)

        summary = runner.run(inputs())
        summary.missing += len(missing)
        summary.missing_sources.extend(missing)
        return summary
