"""The `xxgk` command line."""
from __future__ import annotations

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
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes."),
) -> None:
    """Extract reports into the Parquet datasets reports, figures, table_cells, checks, failures."""
    from pipeline.run import run_extract
    from pipeline.sources import iter_input_files

    paths = paths or [Path("data/raw")]
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise typer.BadParameter(f"no such file or directory: {missing[0]}", param_hint="PATHS")
    summary = _with_progress(lambda tick: run_extract(paths, out, jobs=jobs, on_progress=tick),
                             total=sum(1 for _ in iter_input_files(paths)))
    typer.echo(summary.line())
    if strict and summary.failures:
        raise typer.Exit(1)


def _with_progress(work, total: int):
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
    allow_domain: list[str] = typer.Option(None, "--allow-domain", help="Domain to stay in (repeatable). Default: the seeds' hosts."),
    concurrency: int = typer.Option(4, "--concurrency", min=1, help="Requests in flight at most."),
    timeout: float = typer.Option(20.0, "--timeout", min=0.1, help="Connect and read timeout, seconds."),
) -> None:
    """Crawl disclosure portals politely for 政府信息公开 annual reports into the raw dir."""
    from pipeline.crawl import run_crawl

    try:
        summary = run_crawl(seeds, raw, max_pages=max_pages, delay=delay, allow_domains=allow_domain or (),
                            concurrency=concurrency, timeout=timeout)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="SEED_URL") from exc
    typer.echo(summary.line())


if __name__ == "__main__":
    app()
