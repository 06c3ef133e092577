"""Where the per-report work runs: in this process, in a pool of processes, or on a Dask cluster.

Every executor maps `extract_rows` (the pure `extract`, its errors turned into failures rows, its
records turned into columns where it ran) over a stream of RawDocs and yields one result per input
(a pipeline.rows.ReportRows, or a failures row as a dict), in any order. The rules_version the rows
carry is the runner's, passed with each task (a remote worker's checkout could differ). Each keeps a bounded
number of chunks in flight, so memory does not grow with the number of inputs. The raw bytes travel
with the task (not a path): a Dask worker on another machine needs no access to the input files.
"""
from __future__ import annotations

import hashlib
import os
import traceback
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, wait
from datetime import datetime, timezone
from itertools import islice
from pathlib import Path

from xxgk.parsers.document import RawDoc, StageError
from xxgk.pipeline.interrupt import sigint_blocked

CHUNK = 4  # inputs per task: amortises the per-task overhead of a pool or a cluster
WINDOW_PER_WORKER = 4  # chunks in flight per worker


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


def extract_or_fail(raw: RawDoc, run_id: str):
    """extract(), with any error turned into a failures row: one bad page never aborts a batch."""
    from xxgk.pipeline.extract import extract  # imported where the work runs (a no-change re-run never parses)

    try:
        return extract(raw)
    except StageError as error:
        return failure_row(raw, error.stage, "StageError", error.message, run_id)
    except Exception as error:  # noqa: BLE001 - the runner is the one place that catches broadly
        where = traceback.extract_tb(error.__traceback__)[-1]
        message = f"{error} (at {Path(where.filename).name}:{where.lineno})"
        return failure_row(raw, "extract", type(error).__name__, message, run_id)


def extract_rows(raw: RawDoc, run_id: str, rules_version: str):
    """One input → its rows as columns (pipeline.rows.ReportRows), or a failures row."""
    from xxgk.pipeline.rows import to_rows

    result = extract_or_fail(raw, run_id)
    if isinstance(result, dict):
        return result
    try:
        return to_rows(result, rules_version, datetime.now(timezone.utc))
    except StageError as error:  # e.g. an agency name that cannot be a partition directory
        return failure_row(raw, error.stage, "StageError", error.message, run_id)


def extract_chunk(raws: list[RawDoc], run_id: str, rules_version: str) -> list:
    return [extract_rows(raw, run_id, rules_version) for raw in raws]


def _chunks(raws: Iterable[RawDoc], size: int) -> Iterator[list[RawDoc]]:
    it = iter(raws)
    while chunk := list(islice(it, size)):
        yield chunk


def _windowed(submit, raws: Iterable[RawDoc], window: int, chunk: int) -> Iterator:
    """Submit chunks, keeping at most `window` in flight; yield results as chunks complete."""
    in_flight: set = set()
    for part in _chunks(raws, chunk):
        in_flight.add(submit(part))
        while len(in_flight) >= window:
            done, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                yield from future.result()
    while in_flight:
        done, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
        for future in done:
            yield from future.result()


class SerialExecutor:
    """In this process, in input order (jobs=1; tests and debugging)."""

    name = "serial"

    def __init__(self, jobs: int = 1):
        self.jobs = 1

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def map(self, raws: Iterable[RawDoc], run_id: str, rules_version: str) -> Iterator:
        for raw in raws:
            yield extract_rows(raw, run_id, rules_version)


def die_with_parent(parent: int) -> None:
    """Worker initializer: on Linux, ask the kernel to kill this worker when the run that started it dies
    (a run killed by cron's timeout or kill -9 must not leave idle workers behind); a run that died
    before this worker got here is noticed by its parent pid."""
    import ctypes
    import signal
    import sys

    if sys.platform.startswith("linux"):
        PR_SET_PDEATHSIG = 1
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


class ProcessExecutor:
    """A pool of `jobs` worker processes (spawn: no inherited state, the same on every platform)."""

    name = "processes"

    def __init__(self, jobs: int, chunk: int = CHUNK):
        self.jobs = jobs
        self.chunk = chunk
        self.pool = None

    def __enter__(self):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.pool = ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=die_with_parent, initargs=(os.getpid(),))
        return self

    def __exit__(self, kind, value, tb):
        if kind is not None:  # Ctrl-C or an error: the chunks being extracted are not waited for
            for process in list((self.pool._processes or {}).values()):
                process.kill()
        self.pool.shutdown(wait=True, cancel_futures=True)
        return False

    def _submit(self, part: list[RawDoc], run_id: str, rules_version: str):
        with sigint_blocked():  # workers start here: they never see the terminal's Ctrl-C (pipeline.interrupt)
            return self.pool.submit(extract_chunk, part, run_id, rules_version)

    def map(self, raws: Iterable[RawDoc], run_id: str, rules_version: str) -> Iterator:
        return _windowed(lambda part: self._submit(part, run_id, rules_version), raws,
                         self.jobs * WINDOW_PER_WORKER, self.chunk)


class DaskExecutor:
    """dask.distributed: the cluster at `scheduler` (host:port), or a LocalCluster of `jobs` worker
    processes with one thread each (the work is CPU-bound Python: threads would share one GIL).
    Connected when the first input needs extracting: a run with nothing new (the nightly cron job's
    usual case) does not pay a cluster's start-up."""

    name = "dask"

    def __init__(self, jobs: int, scheduler: str | None = None, chunk: int = CHUNK):
        self.jobs = jobs
        self.scheduler = scheduler
        self.chunk = chunk
        self.client = self.cluster = None

    def __enter__(self):
        return self

    def _connect(self) -> None:
        from dask.distributed import Client, LocalCluster

        with sigint_blocked():
            self._start(Client, LocalCluster)

    def _start(self, Client, LocalCluster) -> None:  # noqa: N803 - the classes, imported lazily
        if self.scheduler:
            self.client = Client(self.scheduler)
            workers = self.client.scheduler_info().get("workers", {})
            self.jobs = max(1, sum(w.get("nthreads", 1) for w in workers.values()))
        else:
            self.cluster = LocalCluster(n_workers=self.jobs, threads_per_worker=1, processes=True,
                                        dashboard_address=None)
            self.client = Client(self.cluster)

    def __exit__(self, *exc):
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        return False

    def map(self, raws: Iterable[RawDoc], run_id: str, rules_version: str) -> Iterator:
        from dask.distributed import as_completed

        chunks = _chunks(raws, self.chunk)
        first = next(chunks, None)
        if first is None:
            return
        self._connect()
        window = max(2, self.jobs * WINDOW_PER_WORKER)
        # pure=False: two chunks with equal content are still two tasks (Dask would otherwise
        # hash every chunk's bytes to build a task key)
        submit = lambda part: self.client.submit(extract_chunk, part, run_id, rules_version, pure=False)  # noqa: E731
        pending = as_completed([submit(first)])
        in_flight = 1
        for part in chunks:
            pending.add(submit(part))
            in_flight += 1
            while in_flight >= window:
                future = next(pending)
                in_flight -= 1
                yield from future.result()
                future.release()
        for future in pending:
            yield from future.result()
            future.release()


def make_executor(kind: str, jobs: int, scheduler: str | None = None):
    if kind == "dask":
        return DaskExecutor(jobs, scheduler)
    if kind not in ("local", "processes"):
        raise ValueError(f"unknown executor: {kind}")
    return SerialExecutor() if jobs <= 1 else ProcessExecutor(jobs)


def default_jobs() -> int:
    return os.cpu_count() or 1
