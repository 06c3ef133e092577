"""A polite crawler for agency disclosure portals: finds the annual reports and keeps their raw bytes.

Starting from seed URLs (usually a portal's 政府信息公开年报 list page) it follows the list's pagination,
fetches every page whose link text or title names a 政府信息公开 annual report, and saves the page's
bytes unchanged as `<raw>/<host>/<sha256(url)[:16]>.html`, with linked attachments (.pdf .doc .docx
.wps) saved the same way beside it; `manifest.jsonl` in the raw dir records each file's provenance
(see pipeline.manifest).

Politeness and safety: robots.txt (protego; RFC 9309 defaults) and its Crawl-delay, one delay per host
between requests, a cap on concurrent requests, retries with exponential backoff on 5xx, 429 (after its
Retry-After) and timeouts only, connect and read timeouts (and a floor on the speed of a body), a
response size cap, http/https only, redirects followed by hand and only inside the allowed domains, a
clear User-Agent, conditional GET (ETag / Last-Modified) for files already saved, and file names that no
URL can steer outside the raw dir.

Portals write one link many ways: URLs are normalised (case, default port, fragment, `;jsessionid`,
dot segments, percent-encoding) and de-duplicated with their query parameters sorted. Links are read
with their title attribute, an image's alt text, or the table row / list item around them when their
own text says nothing ("年报", "查看"); pages with a <meta refresh> or frames lead on to their targets.

The crawl is a few steps, one module each (as a Scrapy project has spiders, items and pipelines):

| module | its job |
|---|---|
| `settings` | CrawlSettings, USER_AGENT |
| `urls` | URL normalisation, allowed domains, hash file names, attachment suffixes |
| `content` | HTML or not, declared charset |
| `links` | the keyword patterns; links sorted into reports / list pages / pagination / attachments; page_role |
| `robots` | robots.txt per origin (protego) |
| `http` | Fetcher: throttle, retries and backoff, timeouts, size cap, manual redirects, conditional GET |
| `store` | RawStore: atomic hash-named files plus the manifest (pipeline.manifest) |
| `progress` | the progress bar |
| `crawler` (this) | the frontier and its thread pool (Crawler), CrawlSummary, run_crawl |
"""
from __future__ import annotations

import threading
from collections.abc import Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from xxgk.pipeline.crawl.content import declared_charset, is_html, is_plain_text, page_codec
from xxgk.pipeline.crawl.http import Fetcher, Response
from xxgk.pipeline.crawl.links import PageLinks, names_report, page_role, parse_links
from xxgk.pipeline.crawl.progress import Progress
from xxgk.pipeline.crawl.settings import DEFAULT_RAW_DIR, USER_AGENT, CrawlSettings
from xxgk.pipeline.crawl.store import RawStore
from xxgk.pipeline.crawl.urls import (
    attachment_suffix, crawl_key, host_allowed, host_dir_name, is_http_url, normalize_url, seed_domains,
    stored_name,
)

__all__ = [  # the crawler's public API, re-exported from the step modules
    "LISTS_DIR", "USER_AGENT", "CrawlSettings", "CrawlSummary", "Crawler", "PageLinks", "attachment_suffix",
    "host_allowed",
    "host_dir_name", "is_http_url", "names_report", "normalize_url", "page_role", "parse_links", "run_crawl",
    "seed_domains", "stored_name",
]

PAGE_SUFFIX = ".html"
LISTS_DIR = ".lists"  # under the raw dir: list pages and their own manifest
TEXT_SUFFIX = ".txt"
TEXT_TITLE_CHARS = 400  # a text/plain report names itself in its first lines


@dataclass
class CrawlSummary:
    """What a crawl did. `fetched` counts files downloaded and saved (new or changed)."""

    fetched: int = 0
    unchanged: int = 0
    skipped_robots: int = 0
    skipped_offsite: int = 0
    skipped_limit: int = 0
    list_pages: int = 0
    not_reports: int = 0
    moved: int = 0  # pages that only sent the browser on (<meta http-equiv="refresh">)
    errors: int = 0  # URLs that could not be fetched (no connection, 4xx, 5xx after retries, timeouts, …)
    seeds: int = 0
    seeds_failed: int = 0  # seeds that could not be fetched (an error, robots.txt, off-domain)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (url, reason) for each error
    saved: list[str] = field(default_factory=list)  # manifest paths written in this crawl
    unchanged_paths: list[str] = field(default_factory=list)
    robots_skipped_urls: list[str] = field(default_factory=list)
    offsite_urls: list[str] = field(default_factory=list)
    requested: list[str] = field(default_factory=list)  # every URL sent over HTTP, in order
    requested_at: list[float] = field(default_factory=list)  # when each was sent (time.monotonic())

    def line(self) -> str:
        """The one-line summary the CLI prints."""
        return (
            f"fetched {self.fetched}, unchanged {self.unchanged}, skipped by robots {self.skipped_robots}, "
            f"errors {self.errors} (list pages {self.list_pages}, off-domain skipped "
            f"{self.skipped_offsite}, over page limit {self.skipped_limit})"
        )


@dataclass(frozen=True)
class Task:
    url: str
    via: str  # "seed" | "pagination" | "report" | "candidate" | "column_item" | "attachment"


@dataclass
class Outcome:
    """What one task came to; the crawl loop folds these into the summary (single-threaded)."""

    task: Task
    result: str  # "fetched" | "unchanged" | "list" | "not_report" | "moved" | "robots" | "offsite" | "error"
    path: str | None = None
    reason: str = ""
    new_tasks: list[Task] = field(default_factory=list)


class Crawler:
    """One crawl: a frontier of tasks run on a thread pool, each task one URL."""

    def __init__(self, settings: CrawlSettings, seeds: list[str]):
        self.settings = settings
        self.seeds = [normalize_url(s) for s in seeds]
        self.allow_domains = tuple(d.lower() for d in settings.allow_domains) or seed_domains(self.seeds)
        self.store = RawStore(settings.raw_dir)
        # list pages are kept apart (a hidden directory: not inputs of xxgk extract), for conditional GET
        self.lists = RawStore(Path(settings.raw_dir) / LISTS_DIR)
        self.fetcher = Fetcher(settings, self.allow_domains)
        self.summary = CrawlSummary()
        self._seen: set[str] = set()
        self._pages_scheduled = 0
        self._list_items: set[frozenset[str]] = set()  # what each list page listed (see _page)
        self._list_lock = threading.Lock()

    def run(self) -> CrawlSummary:
        try:
            with ThreadPoolExecutor(max_workers=max(1, self.settings.concurrency)) as pool, Progress(
                self.settings.progress
            ) as progress:
                pending: dict[Future, Task] = {}

                def schedule(task: Task) -> None:
                    if self._admit(task):
                        pending[pool.submit(self._run_task, task)] = task
                        progress.add()

                for seed in self.seeds:
                    schedule(Task(seed, "seed"))
                self.summary.seeds = len(pending)
                while pending:
                    done, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        task = pending.pop(future)
                        try:
                            outcome = future.result()
                        except Exception as exc:  # a bug or an unexpected library error: record, go on
                            outcome = Outcome(task, "error", reason=f"{type(exc).__name__}: {exc}")
                        self._record(outcome)
                        progress.advance(task.url)
                        for new_task in outcome.new_tasks:
                            schedule(new_task)
        finally:
            self.fetcher.close()
        self.summary.requested = list(self.fetcher.requested)
        self.summary.requested_at = list(self.fetcher.requested_at)
        return self.summary

    def _admit(self, task: Task) -> bool:
        """De-duplicate; refuse off-domain URLs and pages beyond the page cap without any request."""
        key = crawl_key(task.url)  # one page however its query parameters are ordered
        if key in self._seen:
            return False
        self._seen.add(key)
        if not is_http_url(task.url) or not host_allowed(task.url, self.allow_domains):
            self.summary.skipped_offsite += 1
            self.summary.offsite_urls.append(task.url)
            return False
        if task.via != "attachment":
            if self._pages_scheduled >= self.settings.max_pages:
                self.summary.skipped_limit += 1
                return False
            self._pages_scheduled += 1
        return True

    def _record(self, outcome: Outcome) -> None:
        s = self.summary
        if outcome.task.via == "seed" and outcome.result in ("error", "robots", "offsite"):
            s.seeds_failed += 1
        if outcome.result == "fetched":
            s.fetched += 1
            s.saved.append(outcome.path)
        elif outcome.result == "unchanged":
            s.unchanged += 1
            s.unchanged_paths.append(outcome.path)
        elif outcome.result == "list":
            s.list_pages += 1
        elif outcome.result == "not_report":
            s.not_reports += 1
        elif outcome.result == "moved":
            s.moved += 1
        elif outcome.result == "robots":
            s.skipped_robots += 1
            s.robots_skipped_urls.append(outcome.task.url)
        elif outcome.result == "offsite":
            s.skipped_offsite += 1
            s.offsite_urls.append(outcome.task.url)
        else:
            s.errors += 1
            s.failures.append((outcome.task.url, outcome.reason))

    def _run_task(self, task: Task) -> Outcome:
        validators = self.store.validators(task.url) or self.lists.validators(task.url)
        response = self.fetcher.get(task.url, validators)
        if response.outcome in ("robots", "offsite"):
            return Outcome(task, response.outcome, reason=response.reason)
        if response.outcome in ("error", "http_error"):
            return Outcome(task, "error", reason=response.reason)
        if response.outcome == "not_modified":
            return self._unchanged(task, validators)
        if task.via == "attachment":
            content_type = response.headers.get("content-type")
            if "html" in (content_type or "").lower():  # a "file not found" page answered with 200
                return Outcome(task, "error", reason=f"attachment answered with {content_type}")
            suffix = attachment_suffix(task.url, content_type) or ".bin"
            return self._saved(task, response, "attachment", suffix)
        return self._page(task, response)

    def _page(self, task: Task, response: Response) -> Outcome:
        content_type = response.headers.get("content-type")
        if not is_html(content_type, response.body):
            suffix = attachment_suffix(response.final_url, content_type)
            if suffix and task.via != "pagination":  # a report published as a file, whatever its URL
                return self._saved(task, response, "attachment", suffix)
            if is_plain_text(content_type) and self._text_is_report(task, response):
                return self._saved(task, response, "page", TEXT_SUFFIX)
            return Outcome(task, "not_report", reason=f"not HTML: {content_type}")
        links = parse_links(response.body, response.final_url, declared_charset(content_type, response.body))
        if links.redirects and not links.title_names_report:  # <meta refresh>: the page meant is elsewhere
            return Outcome(task, "moved", new_tasks=[Task(url, task.via) for url in links.redirects])
        if page_role(links, task.via) == "report":
            outcome = self._saved(task, response, "page", PAGE_SUFFIX)
            outcome.new_tasks = [Task(url, "attachment") for url in links.attachments]
            return outcome
        if task.via == "column_item" or (task.via == "candidate" and not (
                links.reports or links.candidates or links.report_attachments or links.maybe_reports
                or links.frames)):
            return Outcome(task, "not_report")
        # In a list of reports (a 政府信息公开年报 column: the seed and its pages are taken to be one, and
        # so is a page titled so or linking to reports), "XX局2013年度报告" may be one too; the page
        # itself then decides (page_role for "column_item").
        # A pager that never ends (page 999 answered with the last page, its 下一页 pointing on): a list
        # page listing exactly what another one listed leads nowhere new.
        items = frozenset(links.reports + links.report_attachments + links.columns + links.candidates
                          + links.maybe_reports)
        with self._list_lock:
            repeated = task.via == "pagination" and items in self._list_items
            self._list_items.add(items)
        if response.status == 200:  # kept, so that the next crawl asks for it with its ETag / Last-Modified
            self.lists.save(response, "list", PAGE_SUFFIX)
        if repeated:
            return Outcome(task, "list")
        in_column = links.title_names_report or links.reports or task.via in ("seed", "pagination")
        maybe = links.maybe_reports if in_column else []
        new_tasks = (
            [Task(u, "report") for u in links.reports]
            + [Task(u, "attachment") for u in links.report_attachments]
            + [Task(u, "candidate") for u in links.columns + links.candidates]
            + [Task(u, "column_item") for u in maybe]
            + [Task(u, "pagination") for u in links.pagination]
            # a seed or list page in frames: the frames hold the list
            + [Task(u, "pagination") for u in (links.frames if task.via != "report" else [])]
            # a column split by year ("2023年度 | 2022年度"): each year's list is a page of the column
            + [Task(u, "pagination") for u in (links.year_tabs if in_column else [])]
        )
        return Outcome(task, "list", new_tasks=new_tasks)

    @staticmethod
    def _text_is_report(task: Task, response: Response) -> bool:
        """A text/plain page is a report when a link named it one, or its first lines do."""
        if task.via == "report":
            return True
        codec = page_codec(declared_charset(response.headers.get("content-type"), b""), response.body)
        head = response.body[:TEXT_TITLE_CHARS * 4].decode(codec or "utf-8", errors="replace")[:TEXT_TITLE_CHARS]
        return names_report(head) and task.via != "pagination"

    def _saved(self, task: Task, response: Response, kind: str, suffix: str) -> Outcome:
        path, written = self.store.save(response, kind, suffix)
        return Outcome(task, "fetched" if written else "unchanged", path=path)

    def _unchanged(self, task: Task, entry: dict) -> Outcome:
        """A 304: nothing is written; a saved report page's attachments are re-validated too, and a saved
        list page is read again from the raw dir (its links lead on as if it had been downloaded)."""
        if entry.get("kind") == "list":
            saved = self.lists.path_of(entry["path"]).read_bytes()
            headers = {"content-type": entry.get("content_type") or "text/html"}
            response = Response(task.url, entry.get("final_url") or task.url, "ok", 200, httpx.Headers(headers), saved)
            return self._page(task, response)
        outcome = Outcome(task, "unchanged", path=entry["path"])
        if entry.get("kind") == "page":
            body = self.store.path_of(entry["path"]).read_bytes()
            links = parse_links(body, entry.get("final_url") or task.url, entry.get("charset"))
            outcome.new_tasks = [Task(url, "attachment") for url in links.attachments]
        return outcome


def run_crawl(
    seeds: list[str],
    raw_dir: Path | str = DEFAULT_RAW_DIR,
    max_pages: int = 500,
    delay: float = 1.0,
    allow_domains: Iterable[str] = (),
    concurrency: int = 4,
    timeout: float = 20.0,
    **options,
) -> CrawlSummary:
    """Crawl from `seeds` into `raw_dir`; see CrawlSettings for `options` (retries, backoff, max_bytes, …)."""
    if not seeds:
        raise ValueError("at least one seed URL is needed")
    for seed in seeds:
        if not is_http_url(seed):
            raise ValueError(f"not an http(s) URL: {seed}")
    settings = CrawlSettings(
        raw_dir=Path(raw_dir), allow_domains=tuple(allow_domains), max_pages=max_pages, delay=delay,
        concurrency=concurrency, timeout=timeout, **options,
    )
    return Crawler(settings, list(seeds)).run()
