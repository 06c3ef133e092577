"""The `xxgk` command line."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import typer

app = typer.Typer(no_args_is_help=True, add_completion=False,
                  help="Chinese government information-disclosure annual reports → Parquet.")


@app.callback()
def main() -> None:
    """xxgk: extract, crawl and re-extract 政府信息公开工作年度报告."""


@app.command()
def extract(
    paths: list[Path] = typer.Argument(None, help="Files or directories (walked recursively). Default: data/raw"),
    out: Path = typer.Option(Path("data/out"), "--out", help="Output root of the Parquet datasets."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 if any input failed."),
    jobs: int = typer.Option(None, "--jobs", "-j", min=1, help="Worker processes. Default: all cores."),
    full: bool = typer.Option(False, "--full", help="Extract every input, also those unchanged since their "
                              "last extraction with the same rules_version."),
    executor: str = typer.Option("local", "--executor", help="local (processes on this machine) or dask."),
    scheduler: str = typer.Option(None, "--scheduler", help="Dask scheduler address (host:port). "
                                  "Default with --executor dask: a local cluster of --jobs worker processes."),
    batch_size: int = typer.Option(200, "--batch-size", min=1, help="Reports per write."),
    wait: bool = typer.Option(False, "--wait", help="Wait for another run on --out to finish instead of exiting 3."),
) -> None:
    """Extract reports into the Parquet datasets reports, figures, table_cells, checks, failures.

    Incremental: inputs whose bytes and rules_version are unchanged since their last extraction are
    skipped (the run catalog is <out>/_catalog.sqlite)."""
    from xxgk.pipeline.run import run_extract
    from xxgk.pipeline.sources import iter_input_files

    paths = paths or [Path("data/raw")]
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise typer.BadParameter(f"no such file or directory: {missing[0]}", param_hint="PATHS")
    _check_executor(executor)
    total = sum(1 for _ in iter_input_files(paths)) if sys.stderr.isatty() else None
    summary = _locked(lambda: _with_progress(
        lambda tick: run_extract(paths, out, jobs=jobs, full=full, executor=executor, scheduler=scheduler,
                                 batch_size=batch_size, wait=wait, on_progress=tick), total=total))
    typer.echo(summary.line())
    if strict and summary.failures:
        raise typer.Exit(1)


@app.command()
def reextract(
    out: Path = typer.Option(Path("data/out"), "--out", help="Output root of the Parquet datasets."),
    jobs: int = typer.Option(None, "--jobs", "-j", min=1, help="Worker processes. Default: all cores."),
    executor: str = typer.Option("local", "--executor", help="local (processes on this machine) or dask."),
    scheduler: str = typer.Option(None, "--scheduler", help="Dask scheduler address (host:port)."),
    batch_size: int = typer.Option(200, "--batch-size", min=1, help="Reports per write."),
    wait: bool = typer.Option(False, "--wait", help="Wait for another run on --out to finish instead of exiting 3."),
) -> None:
    """Re-extract only the reports last extracted with another rules_version (for cron after a rules change).

    The bytes are read again from the path the catalog recorded for each input; a report whose source is
    gone or has changed is skipped (its rows stay) and counted in the summary line."""
    from xxgk.pipeline.run import run_reextract

    _check_executor(executor)
    summary = _locked(lambda: _with_progress(
        lambda tick: run_reextract(out, jobs=jobs, executor=executor, scheduler=scheduler,
                                   batch_size=batch_size, wait=wait, on_progress=tick), total=None))
    typer.echo(summary.line())
    for source in summary.missing_sources[:20]:
        typer.echo(f"source gone or changed: {source}", err=True)


LOCK_BUSY_EXIT = 3


def _check_executor(executor: str) -> None:
    if executor not in ("local", "dask"):
        raise typer.BadParameter("must be local or dask", param_hint="--executor")
    if executor == "dask" and importlib.util.find_spec("distributed") is None:
        raise typer.BadParameter("needs Dask: pip install 'xxgk[dask]'", param_hint="--executor")


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
    raw: Path = typer.Option(Path("data/raw"), "--raw", help="Raw dir: pages, attachments and manifest.jsonl."),
    max_pages: int = typer.Option(500, "--max-pages", min=1, help="Most list and report pages to fetch."),
    delay: float = typer.Option(1.0, "--delay", min=0.0, help="Seconds between two requests to one host."),
    allow_domain: list[str] = typer.Option(None, "--allow-domain",
                                           help="Domain to stay in (repeatable; host or host:port). "
                                                "Default: the seeds' hosts."),
    concurrency: int = typer.Option(4, "--concurrency", min=1, help="Requests in flight at most."),
    timeout: float = typer.Option(20.0, "--timeout", min=0.1, help="Connect and read timeout, seconds."),
    retries: int = typer.Option(2, "--retries", min=0,
                                help="Retries after a 5xx / 429 answer or a timeout (backoff 1 s, doubling)."),
) -> None:
    """Crawl disclosure portals politely for 政府信息公开 annual reports into the raw dir.

    robots.txt (and its Crawl-delay) is obeyed; a re-crawl into the same raw dir asks with the saved
    ETag / Last-Modified and writes nothing for an unchanged file. Errors are listed on stderr."""
    from xxgk.pipeline.crawl.crawler import run_crawl

    try:
        summary = run_crawl(seeds, raw, max_pages=max_pages, delay=delay, allow_domains=allow_domain or (),
                            concurrency=concurrency, timeout=timeout, retries=retries)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="SEED_URL") from exc
    for url, reason in summary.failures[:20]:
        typer.echo(f"error: {url}: {reason}", err=True)
    if len(summary.failures) > 20:
        typer.echo(f"… and {len(summary.failures) - 20} more errors", err=True)
    typer.echo(summary.line())


if __name__ == "__main__":
    app()
