"""Polite fetching: per-host throttle, robots.txt, retries with backoff, timeouts, a size cap,
redirects followed by hand inside the allowed domains, conditional GET."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from pipeline.crawl_robots import RobotsRules
from pipeline.crawl_settings import CrawlSettings
from pipeline.crawl_urls import host_allowed, is_http_url, normalize_url

REDIRECT_STATUSES = {301, 302, 303, 307, 308}


class HostThrottle:
    """Spaces requests to one host at least `delay` seconds apart, across all threads.

    The delay is the one in force when a request starts, counted from the previous request's start: so
    a robots.txt Crawl-delay learnt from the first request already spaces the second.
    """

    def __init__(self):
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str, delay: float) -> None:
        with self._lock:
            now = time.monotonic()
            last = self._last.get(host)
            start = now if last is None else max(now, last + delay)
            self._last[host] = start
        if start > now:
            time.sleep(start - now)


class BodyTooLarge(Exception):
    pass


@dataclass
class Response:
    """A final (non-redirect) answer to a GET, or the reason there is none."""

    url: str  # the URL asked for
    final_url: str
    outcome: str  # "ok" | "not_modified" | "http_error" | "error" | "robots" | "offsite"
    status: int | None = None
    headers: httpx.Headers = field(default_factory=httpx.Headers)
    body: bytes = b""
    reason: str = ""


class Fetcher:
    """GETs URLs politely: robots, per-host delay, retries, size cap, redirects kept inside the domains."""

    def __init__(self, settings: CrawlSettings, allow_domains: tuple[str, ...]):
        self.settings = settings
        self.allow_domains = allow_domains
        self.requested: list[str] = []
        self._throttle = HostThrottle()
        timeout = httpx.Timeout(settings.timeout, connect=settings.timeout)
        limits = httpx.Limits(max_connections=settings.concurrency, max_keepalive_connections=settings.concurrency)
        self._client = httpx.Client(
            timeout=timeout, limits=limits, follow_redirects=False, trust_env=settings.use_env_proxy,
            headers={"User-Agent": settings.user_agent},
        )
        self.robots = RobotsRules(lambda url: self.get(url, check_robots=False), settings.user_agent)

    def close(self) -> None:
        self._client.close()

    def get(self, url: str, validators: dict | None = None, check_robots: bool = True) -> Response:
        """The answer to GET `url`, following redirects by hand; conditional when `validators` given."""
        headers = {}
        if validators:
            if validators.get("etag"):
                headers["If-None-Match"] = validators["etag"]
            if validators.get("last_modified"):
                headers["If-Modified-Since"] = validators["last_modified"]
        current = url
        for _ in range(self.settings.max_redirects + 1):
            if not is_http_url(current):
                return Response(url, current, "offsite", reason=f"not an http(s) URL: {current}")
            if not host_allowed(current, self.allow_domains):
                return Response(url, current, "offsite", reason=f"outside the allowed domains: {current}")
            if check_robots and not self.robots.allowed(current):
                return Response(url, current, "robots", reason=f"disallowed by robots.txt: {current}")
            response = self._request(current, headers, check_robots)
            if response.outcome != "redirect":
                response.url = url
                return response
            location = response.headers.get("location")
            if not location:
                return Response(url, current, "error", response.status, reason="redirect without Location")
            current = normalize_url(urljoin(current, location.strip()))
        return Response(url, current, "error", reason=f"more than {self.settings.max_redirects} redirects")

    def _request(self, url: str, headers: dict, check_robots: bool) -> Response:
        """One URL, retried with exponential backoff on 5xx answers, timeouts and connection failures."""
        settings = self.settings
        host = urlsplit(url).netloc
        reason = ""
        for attempt in range(settings.retries + 1):
            if attempt:
                time.sleep(settings.backoff * 2 ** (attempt - 1))
            delay = max(settings.delay, self.robots.crawl_delay(url) if check_robots else 0.0)
            self._throttle.wait(host, delay)
            self.requested.append(url)
            try:
                with self._client.stream("GET", url, headers=headers) as answer:
                    status = answer.status_code
                    if status >= 500:
                        reason = f"HTTP {status}"
                        continue
                    body = self._read_body(answer) if status == 200 else b""
                    outcome = {200: "ok", 304: "not_modified"}.get(status, "http_error")
                    if status in REDIRECT_STATUSES:
                        outcome = "redirect"
                    return Response(url, url, outcome, status, answer.headers, body,
                                    reason="" if outcome != "http_error" else f"HTTP {status}")
            except BodyTooLarge:
                return Response(url, url, "error", reason=f"response larger than {settings.max_bytes} bytes")
            except httpx.TimeoutException as exc:
                reason = f"timeout ({type(exc).__name__})"
            except httpx.TransportError as exc:
                reason = f"{type(exc).__name__}: {exc}"
        return Response(url, url, "error", reason=f"{reason} after {settings.retries + 1} attempts")

    def _read_body(self, answer: httpx.Response) -> bytes:
        """The decoded body, streamed; raises BodyTooLarge as soon as it exceeds the cap."""
        cap = self.settings.max_bytes
        declared = answer.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > cap:
            raise BodyTooLarge()
        chunks, size = [], 0
        for chunk in answer.iter_bytes():
            size += len(chunk)
            if size > cap:
                raise BodyTooLarge()
            chunks.append(chunk)
        return b"".join(chunks)
