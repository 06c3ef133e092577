"""A batch run: stream inputs, extract each (in this process or a pool), write in batches, summarise."""
from __future__ import annotations

import hashlib
import multiprocessing
import time
import traceback
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from parsers.document import RawDoc, StageError
from pipeline.extract import extract
from pipeline.sources import iter_raw_docs
from pipeline.store import Store
from rules.records import Extraction
from rules.version import rules_version

BATCH_SIZE = 500  # reports held before a write; bounds memory whatever the number of inputs


@dataclass
class RunSummary:
    run_id: str
    reports: int = 0
    failures: int = 0
    cells: int = 0
    figures: int = 0
    checks: int = 0
    seconds: float = 0.0
    failed_sources: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.reports} reports, {self.failures} failures, {self.cells} cells, "
                f"{self.figures} figures, {self.checks} checks in {self.seconds:.1f}s")


def failure_row(raw: RawDoc, stage: str, error: str, message: str, run_id: str) -> dict:
    return {
        "source": raw.source,
        "source_sha256": hashlib.sha256(raw.data).hexdigest(),
        "stage": stage,
        "error": error,
        "message": message,
        "run_id": run_id,
        "at": datetime.now(timezone.utc),
    }


def extract_or_fail(raw: RawDoc, run_id: str) -> Extraction | dict:
    """extract(), with any error turned into a failures row: one bad page never aborts a batch."""
    try:
        return extract(raw)
    except StageError as error:
        return failure_row(raw, error.stage, "StageError", error.message, run_id)
    except Exception as error:  # noqa: BLE001 - the runner is the one place that catches broadly
        where = traceback.extract_tb(error.__traceback__)[-1]
        message = f"{error} (at {Path(where.filename).name}:{where.lineno})"
        return failure_row(raw, "extract", type(error).__name__, message, run_id)


def _extract_task(args: tuple[RawDoc, str]) -> Extraction | dict:
    return extract_or_fail(*args)


def extract_all(raws: Iterable[RawDoc], run_id: str, jobs: int) -> Iterator[Extraction | dict]:
    """Extraction results in input order, from a process pool when jobs > 1."""
    tasks = ((raw, run_id) for raw in raws)
    if jobs <= 1:
        yield from map(_extract_task, tasks)
        return
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        yield from pool.imap(_extract_task, tasks, chunksize=8)


def run_extract(paths: list[Path], out: Path, jobs: int = 1,
                on_progress: Callable[[], None] | None = None) -> RunSummary:
    """Extract every input under `paths` into the datasets under `out`."""
    started = time.perf_counter()
    summary = RunSummary(run_id=datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:6])
    store = Store(out)
    version = rules_version()
    batch: list[Extraction] = []
    failures: list[dict] = []
    processed: set[str] = set()

    def flush() -> None:
        store.write_reports(batch, version)
        store.write_failures(failures, processed)
        batch.clear()
        failures.clear()
        processed.clear()

    for result in extract_all(iter_raw_docs(paths), summary.run_id, jobs):
        if isinstance(result, Extraction):
            batch.append(result)
            processed.add(result.report_id)
            summary.reports += 1
            summary.cells += len(result.cells)
            summary.figures += len(result.figures)
            summary.checks += len(result.checks)
        else:
            failures.append(result)
            processed.add(result["source_sha256"])
            summary.failures += 1
            summary.failed_sources.append(result["source"])
        if len(batch) + len(failures) >= BATCH_SIZE:
            flush()
        if on_progress:
            on_progress()
    flush()
    store.ensure_datasets()
    summary.seconds = time.perf_counter() - started
    return summary
