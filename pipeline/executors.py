"""Where the per-report work runs: in this process, in a pool of processes, or on a Dask cluster.

Every executor maps `extract_rows` (the pure `extract`, its errors turned into failures rows, its
records turned into columns where it ran) over a stream of RawDocs and yields one result per input
(a pipeline.rows.ReportRows, or a failures row as a dict), in any order. The rules_version the rows
carry is the runner's, passed with each task (a remote worker's checkout could differ). Each keeps a bounded
number of chunks in flight, so memory does not grow with the number of inputs. The raw bytes travel
with the task (not a path): a Dask worker on another machine needs no access to the input files.
"""
from __future__ import annotations

import os
import traceback
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, wait
from datetime import datetime, timezone
from itertools import islice
from pathlib import Path

from xxgk.parsers import limits
from xxgk.parsers.document import RawDoc, StageError
from xxgk.parsers.limits import Limits
from xxgk.pipeline.interrupt import sigint_blocked
from xxgk.pipeline.rows import Failure

CHUNK = 4  # inputs per task: amortises the per-task overhead of a pool or a cluster
WINDOW_PER_WORKER = 4  # chunks in flight per worker


def failure_row(raw: RawDoc, stage: str, error: str, message: str, run_id: str) -> Failure:
    return Failure(raw.source, raw.input_id, stage, error, message, run_id, datetime.now(timezone.utc))


def extract_or_fail(raw: RawDoc, run_id: str):
    """extract(), with any error turned into a failures row: one bad page never aborts a batch."""
    from xxgk.pipeline.extract import extract  # imported where the work runs (a no-change re-run never parses)

    try:
        return extract(raw)
    except StageError as error:
        return failure_row(raw, error.stage, "StageError", error.message, run_id)
    except MemoryError:
        return failure_row(raw, "extract", "MemoryError", "out of memory: the input is too large for this "
                           "machine (lower the caps, e.g. --max-input-mb)", run_id)
    except Exception as error:  # noqa: BLE001 - the runner is the one place that catches broadly
        where = traceback.extract_tb(error.__traceback__)[-1]
        message = f"{error} (at {Path(where.filename).name}:{where.lineno})"
        return failure_row(raw, "extract", type(error).__name__, message, run_id)


def extract_rows(raw: RawDoc, run_id: str, rules_version: str):
    """One input → its rows as columns (pipeline.rows.ReportRows), or a Failure."""
    from xxgk.pipeline.rows import to_rows

    result = extract_or_fail(raw, run_id)
    if isinstance(result, Failure):
        return result
    try:
        return to_rows(result, rules_version, datetime.now(timezone.utc))
    except StageError as error:  # e.g. an agency name that cannot be a partition directory
        return failure_row(raw, error.stage, "StageError", error.message, run_id)


def extract_chunk(raws: list[RawDoc], run_id: str, rules_version: str, caps: Limits | None = None) -> list:
    if caps is not None:
        limits.use(caps)
    return [extract_rows(raw, run_id, rules_version) for raw in raws]


def _chunks(raws: Iterable[RawDoc], size: int) -> Iterator[list[RawDoc]]:
    it = iter(raws)
    while chunk := list(islice(it, size)):
        yield chunk


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


def start_worker(parent: int, caps: Limits) -> None:
    """Initializer of a pool worker: die with the run, take the run's caps, and load what extraction
    loads on first use, so that the time limit measures each input's own work."""
    import signal

    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the run stops its workers on Ctrl-C (pipeline.interrupt)
    limits.use(caps)
    warm_up()


def warm_up() -> None:
    """Load the gazetteer, dictionaries and rules (4 s on a busy machine) by extracting a small page."""
    from xxgk.rules.metadata import region_of

    region_of("福建省平潭县")
    page = ("<html><body><h1>某县人民政府2023年政府信息公开工作年度报告</h1><p>一、总体情况</p><table><tr><td>"
            "項目</td><td>数量</td></tr><tr><td>主动公开</td><td>3</td></tr></table></body></html>")
    extract_or_fail(RawDoc(page.encode("utf-8"), "warm-up.html", "html"), "warm-up")


class ProcessExecutor:
    """A pool of `jobs` worker processes (pebble; spawn: no inherited state, the same on every platform).

    One input per task, so the time limit is per input and a dead worker names its input: a worker past
    the time limit is killed and replaced, and the input becomes a `timeout` failure; an input whose
    worker died (killed, out of memory, a crash in C code) is retried once in a new worker, and becomes
    a `worker` failure ("worker died") if it kills that one too. The run goes on either way."""

    name = "processes"

    def __init__(self, jobs: int, caps: Limits | None = None):
        self.jobs = jobs
        self.caps = caps or limits.current()
        self.pool = None

    def __enter__(self):
        import multiprocessing

        from pebble import ProcessPool

        with sigint_blocked():  # the pool's threads, and so the workers they start, keep SIGINT blocked
            self.pool = ProcessPool(self.jobs, context=multiprocessing.get_context("spawn"),
                                    initializer=start_worker, initargs=(os.getpid(), self.caps))
        return self

    def __exit__(self, *exc):
        self.pool.stop() if exc[0] is not None else self.pool.close()
        self.pool.join()
        return False

    def _submit(self, raw: RawDoc, run_id: str, rules_version: str):
        with sigint_blocked():  # workers start here: they never see the terminal's Ctrl-C (pipeline.interrupt)
            return self.pool.schedule(extract_rows, (raw, run_id, rules_version),
                                      timeout=self.caps.timeout or None)

    def map(self, raws: Iterable[RawDoc], run_id: str, rules_version: str) -> Iterator:
        window = self.jobs * WINDOW_PER_WORKER * CHUNK
        tasks: dict = {}  # future → (raw, attempt)
        inputs = iter(raws)
        while True:
            while len(tasks) < window and (raw := next(inputs, None)) is not None:
                tasks[self._submit(raw, run_id, rules_version)] = (raw, 1)
            if not tasks:
                return
            done, _ = wait(list(tasks), return_when=FIRST_COMPLETED)
            for future in done:
                raw, attempt = tasks.pop(future)
                result = self._outcome(future, raw, attempt, run_id)
                if result is None:  # the worker died: once more, in a new one
                    tasks[self._submit(raw, run_id, rules_version)] = (raw, attempt + 1)
                else:
                    yield result

    def _outcome(self, future, raw: RawDoc, attempt: int, run_id: str):
        """The task's result; a Failure for a timeout or a second dead worker; None to retry."""
        from pebble import ProcessExpired

        try:
            return future.result()
        except TimeoutError:
            return failure_row(raw, "timeout", "Timeout", f"extraction took longer than {self.caps.timeout:g}s "
                               "(the time limit per input; raise it with --timeout); the worker was replaced",
                               run_id)
        except ProcessExpired as died:
            if attempt < 2:
                return None
            return failure_row(raw, "worker", "WorkerDied", f"worker died: the process extracting this input "
                               f"ended twice (exit code {died.exitcode}); the run went on", run_id)
        except Exception as error:  # noqa: BLE001 - e.g. a result that cannot be sent back
            return failure_row(raw, "extract", type(error).__name__, str(error), run_id)


class DaskExecutor:
    """dask.distributed: the cluster at `scheduler` (host:port), or a LocalCluster of `jobs` worker
    processes with one thread each (the work is CPU-bound Python: threads would share one GIL).
    Connected when the first input needs extracting: a run with nothing new (the nightly cron job's
    usual case) does not pay a cluster's start-up."""

    name = "dask"

    def __init__(self, jobs: int, scheduler: str | None = None, chunk: int = CHUNK, caps: Limits | None = None):
        self.jobs = jobs
        self.scheduler = scheduler
        self.chunk = chunk
        self.caps = caps or limits.current()
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
        submit = lambda part: self.client.submit(extract_chunk, part, run_id, rules_version, self.caps,  # noqa: E731
                                                 pure=False)
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


def make_executor(kind: str, jobs: int, scheduler: str | None = None, caps: Limits | None = None):
    if kind == "dask":
        return DaskExecutor(jobs, scheduler, caps=caps)
    if kind not in ("local", "processes"):
        raise ValueError(f"unknown executor: {kind}")
    return SerialExecutor() if jobs <= 1 else ProcessExecutor(jobs, caps)


def default_jobs() -> int:
    return os.cpu_count() or 1
