"""robots.txt (protego), fetched once per origin; RFC 9309 defaults when it cannot be read."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from protego import Protego

if TYPE_CHECKING:
    from xxgk.pipeline.crawl.http import Response

MAX_ROBOTS_CRAWL_DELAY = 30.0  # never let a robots.txt stall the crawl for longer than this per request


class Unreachable:
    """An origin whose robots.txt could not be asked for at all (no connection, timeouts)."""

    def __init__(self, reason: str):
        self.reason = reason


class RobotsRules:
    """robots.txt per origin, fetched once. 4xx: all allowed; 5xx: all disallowed; an origin that cannot
    be reached is remembered as such (`unreachable`), so its URLs are errors that say so."""

    def __init__(self, fetch: Callable[[str], Response], user_agent: str):
        self._fetch = fetch
        self._user_agent = user_agent
        self._rules: dict[str, Protego | bool | Unreachable] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def _for(self, url: str) -> Protego | bool | Unreachable:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._guard:
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:
            if origin not in self._rules:
                self._rules[origin] = self._load(origin + "/robots.txt")
            return self._rules[origin]

    def _load(self, robots_url: str) -> Protego | bool | Unreachable:
        response = self._fetch(robots_url)
        if response.outcome == "ok":
            text = response.body.decode("utf-8", errors="replace")
            return Protego.parse(text)
        if response.outcome == "http_error" and response.status is not None and 400 <= response.status < 500:
            return True
        if response.outcome == "error" and response.status is None:
            return Unreachable(response.reason)
        return False  # a server error: RFC 9309 says assume complete disallow

    def unreachable(self, url: str) -> str | None:
        """Why the URL's origin cannot be reached, or None when its robots.txt got an answer."""
        rules = self._for(url)
        return rules.reason if isinstance(rules, Unreachable) else None

    def allowed(self, url: str) -> bool:
        rules = self._for(url)
        if isinstance(rules, Unreachable):
            return False
        if isinstance(rules, bool):
            return rules
        return rules.can_fetch(url, self._user_agent)

    def crawl_delay(self, url: str) -> float:
        rules = self._for(url)
        if not isinstance(rules, Protego):
            return 0.0
        delay = rules.crawl_delay(self._user_agent)
        return min(float(delay), MAX_ROBOTS_CRAWL_DELAY) if delay else 0.0
