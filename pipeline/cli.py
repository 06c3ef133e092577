"""The `xxgk` command line.

Exit status: 0 the run finished (failed inputs are data, in the failures dataset); 1 with --strict when an
input failed, or when nothing under the paths could be read; 2 usage errors (a bad option, a missing path,
an --out that cannot be written); 3 another run holds the output root; 130 interrupted (Ctrl-C): what was
written stays, and the same command resumes.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import typer

from xxgk.pipeline.interrupt import interrupted_exit

STRICT_EXIT = 1
NOTHING_READ_EXIT = 1
USAGE_EXIT = 2
LOCK_BUSY_EXIT = 3
LISTED = 20  # failed inputs or checks printed before "… and N more"

app = typer.Typer(no_args_is_help=True, add_completion=False, rich_markup_mode="markdown")


def _version(value: bool) -> None:
    if value:
        from xxgk.version import __version__

        typer.echo(f"xxgk {__version__}")
        raise typer.Exit()


@app.callback()
def main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                      help="Print the version and exit.")) -> None:
    """xxgk: extract, crawl and re-extract 政府信息公开工作年度报告 (government information-disclosure annual
    reports).

    Exit status: 0 done; 1 --strict and an input failed, or nothing could be read; 2 usage error;
    3 another run holds --out; 130 interrupted (run the same command again to resume)."""


OUT_OPTION = typer.Option(Path("data/out"), "--out", help="Output root of the Parquet datasets.")
JOBS_OPTION = typer.Option(None, "--jobs", "-j", min=1, help="Worker processes. Default: all cores.")
EXECUTOR_OPTION = typer.Option("local", "--executor", help="local (processes here) or dask.")
BATCH_OPTION = typer.Option(200, "--batch-size", min=1, help="Reports per write (memory vs. write count).")
WAIT_OPTION = typer.Option(False, "--wait", help="Wait for another run on --out instead of exiting 3.")


@app.command()
def extract(
    paths: list[Path] = typer.Argument(None, help="Files or directories (walked recursively). "
                                       "Default: data/raw."),
    out: Path = OUT_OPTION,
    strict: bool = typer.Option(False, "--strict", help="Exit 1 if any input failed, naming them."),
    jobs: int = JOBS_OPTION,
    full: bool = typer.Option(False, "--full", help="Extract every input, also the unchanged ones."),
    executor: str = EXECUTOR_OPTION,
    scheduler: str = typer.Option(None, "--scheduler", help="Dask scheduler (host:port). Default with "
                                  "--executor dask: a local cluster of --jobs processes."),
    batch_size: int = BATCH_OPTION,
    wait: bool = WAIT_OPTION,
) -> None:
    """Extract reports into the Parquet datasets under --out.

    Incremental: an input whose bytes and rules_version are unchanged since its last extraction is
    skipped. `xxgk status OUT` lists failed inputs and failed checks."""
    paths = paths or [Path("data/raw")]
    missing = [p for p in paths if not p.exists()]
    if missing:
        _usage_error(f"no such file or directory: {missing[0]}")
    _check_executor(executor)
    _check_out(out)
    with interrupted_exit(lambda: _interrupted_run("extract", out)):
        from xxgk.pipeline.run import run_extract
        from xxgk.pipeline.sources import iter_input_files

        total = sum(1 for _ in iter_input_files(paths)) if sys.stderr.isatty() else None
        summary = _locked(lambda: _with_progress(
            lambda tick: run_extract(paths, out, jobs=jobs, full=full, executor=executor, scheduler=scheduler,
                                     batch_size=batch_size, wait=wait, on_progress=tick), total=total))
    _print_summary(out, summary)
    if not summary.reports:
        _hint_nothing_read(paths, out, summary)
        raise typer.Exit(NOTHING_READ_EXIT)
    if strict and summary.failures:
        _list_failed_sources(summary.failed_sources, out)
        raise typer.Exit(STRICT_EXIT)


@app.command()
def reextract(
    out: Path = OUT_OPTION,
    jobs: int = JOBS_OPTION,
    executor: str = EXECUTOR_OPTION,
    scheduler: str = typer.Option(None, "--scheduler", help="Dask scheduler address (host:port)."),
    batch_size: int = BATCH_OPTION,
    wait: bool = WAIT_OPTION,
) -> None:
    """Re-extract the reports last extracted with another rules_version (cron, after a rules change).

    The bytes are read again from where the catalog recorded each input; a report whose source is gone or
    has changed keeps its rows and is counted in the summary."""
    if not _is_output_root(out):
        _usage_error(f"--out {out} holds no xxgk output yet: run xxgk extract first")
    _check_executor(executor)
    with interrupted_exit(lambda: _interrupted_run("reextract", out)):
        from xxgk.pipeline.run import run_reextract

        summary = _locked(lambda: _with_progress(
            lambda tick: run_reextract(out, jobs=jobs, executor=executor, scheduler=scheduler,
                                       batch_size=batch_size, wait=wait, on_progress=tick), total=None))
    _print_summary(out, summary)
    for source in summary.missing_sources[:LISTED]:
        typer.echo(f"source gone or changed: {source}", err=True)


@app.command()
def status(
    out: Path = typer.Argument(Path("data/out"), help="Output root. Default: data/out."),
    limit: int = typer.Option(LISTED, "--limit", min=0, help="Failed inputs and checks listed at most."),
) -> None:
    """What an output root holds: counts, the last run, failed inputs and failed checks."""
    from xxgk.pipeline import status as st

    if not _is_output_root(out):
        _usage_error(f"{out} holds no xxgk output (no _catalog.sqlite, no reports/)")
    typer.echo(st.holdings(out).line(out))
    typer.echo(st.last_run(out) or "no run recorded")
    failures = st.failed_inputs(out)
    typer.echo(f"failed inputs: {len(failures)}")
    for row in failures.head(limit).itertuples():
        typer.echo(f"  {row.source}  [{row.stage}] {_one_line(row.message)}")
    _more(len(failures), limit)
    checks = st.failed_checks(out)
    typer.echo(f"failed checks: {len(checks)}")
    for row in checks.head(limit).itertuples():
        typer.echo(f"  {row.agency} {row.year} {row.check}: {_one_line(row.detail)}  ({row.source})")
    _more(len(checks), limit)


def _one_line(text, width: int = 160) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _more(total: int, shown: int) -> None:
    if total > shown:
        typer.echo(f"  … and {total - shown} more (--limit to see more)")


def _interrupted_run(command: str, out: Path) -> str:
    from xxgk.pipeline.status import catalog_counts

    counts = catalog_counts(out)
    written = (f"{out} holds {counts[0]} reports and {counts[1]} failed inputs, everything written before the "
               "interrupt" if counts else f"nothing was written to {out}")
    return f"{command} interrupted; {written}; run the same command again to resume"


def _print_summary(out: Path, summary) -> None:
    from xxgk.pipeline.status import holdings, run_line

    typer.echo(holdings(out).line(out))
    typer.echo(run_line(summary))


def _list_failed_sources(sources: list[str], out: Path) -> None:
    for source in sources[:LISTED]:
        typer.echo(f"failed: {source}", err=True)
    if len(sources) > LISTED:
        typer.echo(f"… and {len(sources) - LISTED} more", err=True)
    typer.echo(f"xxgk: {len(sources)} inputs failed (--strict); why: xxgk status {out}", err=True)


def _hint_nothing_read(paths: list[Path], out: Path, summary) -> None:
    from xxgk.pipeline.sources import nothing_to_read_hint

    if summary.extracted + summary.skipped == 0:
        typer.echo(f"xxgk: {nothing_to_read_hint(paths)}", err=True)
    else:
        typer.echo(f"xxgk: none of the {summary.failures} inputs could be read as a report; why: "
                   f"xxgk status {out}", err=True)


def _usage_error(message: str) -> None:
    typer.echo(f"xxgk: {message}", err=True)
    raise typer.Exit(USAGE_EXIT)


def _is_output_root(out: Path) -> bool:
    from xxgk.pipeline.status import is_output_root

    return is_output_root(out)


def _check_out(out: Path) -> None:
    """Exit 2 with one line when --out cannot be an output directory (a file, under a file, unwritable)."""
    from xxgk.pipeline.outdir import out_problem

    problem = out_problem(out)
    if problem:
        _usage_error(f"cannot write to --out {out}: {problem}")


def _check_executor(executor: str) -> None:
    if executor not in ("local", "dask"):
        _usage_error(f"--executor must be local or dask, not {executor!r}")
    if executor == "dask" and importlib.util.find_spec("distributed") is None:
        _usage_error("--executor dask needs Dask: pip install 'xxgk[dask]'")


def _locked(work):
    """Run work(); exit 3 with the lock holder in the message when another run holds the output root."""
    from xxgk.pipeline.lock import LockBusy

    try:
        return work()
    except LockBusy as busy:
        typer.echo(f"xxgk: {busy}", err=True)
        raise typer.Exit(LOCK_BUSY_EXIT) from None


def _with_progress(work, total: int | None):
    """Run work(tick) with a progress bar on a terminal, silently otherwise."""
    if not sys.stderr.isatty():
        return work(None)
    from rich.progress import Progress

    with Progress(transient=True) as progress:
        task = progress.add_task("extracting", total=total)
        return work(lambda: progress.advance(task))


@app.command()
def crawl(
    seeds: list[str] = typer.Argument(..., help="Portal list pages (or report pages) to start from."),
    raw: Path = typer.Option(Path("data/crawl"), "--raw", help="Where pages, attachments and "
                             "manifest.jsonl go."),
    max_pages: int = typer.Option(500, "--max-pages", min=1, help="List and report pages to fetch at most."),
    delay: float = typer.Option(1.0, "--delay", min=0.0, help="Seconds between two requests to one host."),
    allow_domain: list[str] = typer.Option(None, "--allow-domain", help="Domain to stay in (repeatable; "
                                           "host or host:port). Default: the seeds' hosts."),
    concurrency: int = typer.Option(4, "--concurrency", min=1, help="Requests in flight at most."),
    timeout: float = typer.Option(20.0, "--timeout", min=0.1, help="Connect and read timeout, seconds."),
    retries: int = typer.Option(2, "--retries", min=0, help="Retries after a 5xx or 429 answer, a timeout "
                                "or a connection error (backoff 1 s, doubling)."),
) -> None:
    """Crawl disclosure portals politely for annual reports into --raw.

    Obeys robots.txt and its Crawl-delay; a re-crawl into the same --raw asks with the saved ETag and
    Last-Modified and writes nothing for an unchanged file. Errors are listed on stderr. Exit 1 when
    no seed could be fetched. Then: xxgk extract data/crawl."""
    from xxgk.pipeline.crawl.crawler import run_crawl

    _check_out(raw)
    try:
        with interrupted_exit(lambda: f"crawl interrupted; the files saved under {raw} stay; run the same "
                              "command again to resume (unchanged files are not downloaded again)"):
            summary = run_crawl(seeds, raw, max_pages=max_pages, delay=delay, allow_domains=allow_domain or (),
                                concurrency=concurrency, timeout=timeout, retries=retries)
    except ValueError as exc:
        _usage_error(str(exc))
    for url, reason in summary.failures[:LISTED]:
        typer.echo(f"error: {url}: {reason}", err=True)
    if len(summary.failures) > LISTED:
        typer.echo(f"… and {len(summary.failures) - LISTED} more errors", err=True)
    typer.echo(summary.line())
    if summary.seeds_failed and summary.seeds_failed == summary.seeds:
        typer.echo("xxgk: no seed could be fetched (see the errors above)", err=True)
        raise typer.Exit(1)


if __name__ == "__main__":
    app(prog_name="xxgk")
