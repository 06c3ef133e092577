"""Polite fetching: per-host throttle, robots.txt, retries with backoff, timeouts, a size cap,
redirects followed by hand inside the allowed domains, conditional GET."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from xxgk.pipeline.crawl.robots import RobotsRules
from xxgk.pipeline.crawl.settings import CrawlSettings
from xxgk.pipeline.crawl.urls import host_allowed, is_http_url, normalize_url

REDIRECT_STATUSES = {301, 302, 303, 307, 308}
RETRY_STATUSES = {429}  # besides every 5xx: "too many requests" is the server asking us to slow down
MAX_RETRY_AFTER = 30.0  # seconds; a longer Retry-After is cut to this
MIN_BYTES_PER_TIMEOUT = 1024  # a body trickling slower than this per `timeout` seconds counts as timed out


class HostThrottle:
    """Spaces requests to one host at least `delay` seconds apart, across all threads.

    The delay is the one in force when a request starts, counted from the previous request's start: so
    a robots.txt Crawl-delay learnt from the first request already spaces the second.
    """

    def __init__(self):
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str, delay: float) -> float:
        """Sleep until the host may be asked again; the monotonic time the request was given."""
        with self._lock:
            now = time.monotonic()
            last = self._last.get(host)
            start = now if last is None else max(now, last + delay)
            self._last[host] = start
        if start > now:
            time.sleep(start - now)
        return start


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
        self.requested_at: list[float] = []  # the monotonic time each request of `requested` was given
        self._throttle = HostThrottle()
        self._log_lock = threading.Lock()
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
            if check_robots and (unreachable := self.robots.unreachable(current)):
                return Response(url, current, "error", reason=unreachable)
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
        """One URL, retried with exponential backoff on 5xx / 429 answers, timeouts and connection failures.

        A Retry-After on such an answer lengthens the wait before the next attempt (up to MAX_RETRY_AFTER).
        """
        settings = self.settings
        host = urlsplit(url).netloc
        reason = ""
        retry_after = 0.0
        for attempt in range(settings.retries + 1):
            if attempt:
                time.sleep(max(settings.backoff * 2 ** (attempt - 1), retry_after))
            delay = max(settings.delay, self.robots.crawl_delay(url) if check_robots else 0.0)
            started = self._throttle.wait(host, delay)
            with self._log_lock:
                self.requested.append(url)
                self.requested_at.append(started)
            try:
                with self._client.stream("GET", url, headers=headers) as answer:
                    status = answer.status_code
                    if status >= 500 or status in RETRY_STATUSES:
                        reason = f"HTTP {status}"
                        retry_after = retry_after_seconds(answer.headers.get("retry-after"))
                        continue
                    body = self._read_body(answer) if status == 200 else b""
                    outcome = {200: "ok", 304: "not_modified"}.get(status, "http_error")
                    if status in REDIRECT_STATUSES:
                        outcome = "redirect"
                    return Response(url, url, outcome, status, answer.headers, body,
                                    reason="" if outcome != "http_error" else f"HTTP {status}")
            except BodyTooLarge:
                return Response(url, url, "error", reason=f"response larger than {settings.max_bytes} bytes")
            except httpx.DecodingError as exc:  # a body that its Content-Encoding cannot undo: final
                return Response(url, url, "error", reason=f"undecodable body ({exc})")
            except httpx.ConnectTimeout:
                reason = f"cannot connect to {host}: no answer within {settings.timeout:g}s (connect timeout)"
            except httpx.TimeoutException as exc:
                reason = f"timeout ({type(exc).__name__})"
            except httpx.ConnectError as exc:
                reason = f"cannot connect to {host}: {_why(exc)}"
            except httpx.TransportError as exc:
                reason = f"{type(exc).__name__}: {exc}"
        return Response(url, url, "error", reason=f"{reason} after {settings.retries + 1} attempts")

    def _read_body(self, answer: httpx.Response) -> bytes:
        """The decoded body, streamed; raises BodyTooLarge as soon as it exceeds the cap.

        A body that trickles in (under MIN_BYTES_PER_TIMEOUT per `timeout` seconds, so that no single
        read ever times out) raises httpx.ReadTimeout.
        """
        cap = self.settings.max_bytes
        declared = answer.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > cap:
            raise BodyTooLarge()
        chunks, size = [], 0
        window_start, window_bytes = time.monotonic(), 0
        for chunk in answer.iter_bytes():
            size += len(chunk)
            if size > cap:
                raise BodyTooLarge()
            chunks.append(chunk)
            window_bytes += len(chunk)
            now = time.monotonic()
            if now - window_start >= self.settings.timeout:
                if window_bytes < MIN_BYTES_PER_TIMEOUT:
                    raise httpx.ReadTimeout("the body trickles in too slowly")
                window_start, window_bytes = now, 0
        return b"".join(chunks)


def _why(error: Exception) -> str:
    """A connection error's words without the errno prefix ("[Errno 111] Connection refused" → …)."""
    text = str(error) or type(error).__name__
    return text.split("] ", 1)[1] if text.startswith("[Errno") and "] " in text else text


def retry_after_seconds(value: str | None) -> float:
    """A Retry-After header (seconds or an HTTP date) as seconds to wait, within [0, MAX_RETRY_AFTER]."""
    if not value:
        return 0.0
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            seconds = (parsedate_to_datetime(value) - datetime.now(timezone.utc)).total_seconds()
        except (TypeError, ValueError, IndexError, OverflowError):
            return 0.0
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)
