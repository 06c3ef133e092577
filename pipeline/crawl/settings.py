"""How a crawl behaves: the settings every crawler step reads (pipeline.crawl builds them)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_RAW_DIR = Path("data/crawl")  # its own place: not mixed with the reports shipped in data/raw
USER_AGENT = "xxgk/0.1 (+https://github.com/xxgk; annual-report research crawler)"


@dataclass
class CrawlSettings:
    """How to crawl. `allow_domains` empty means: the seeds' hosts (see seed_domains)."""

    raw_dir: Path = DEFAULT_RAW_DIR
    allow_domains: tuple[str, ...] = ()
    max_pages: int = 500  # list and report pages fetched (attachments of fetched reports not counted)
    delay: float = 1.0  # seconds between two requests to the same host
    concurrency: int = 4
    timeout: float = 20.0  # connect and read timeout, seconds
    retries: int = 2  # extra attempts after a 5xx answer or a timeout / connection failure
    backoff: float = 1.0  # first retry waits this long, then twice as long each time
    max_bytes: int = 50 * 1024 * 1024  # response bodies above this are aborted
    max_redirects: int = 5
    user_agent: str = USER_AGENT
    use_env_proxy: bool = False  # honour HTTP(S)_PROXY from the environment
    progress: bool | None = None  # None: show a progress bar only when stderr is a terminal
