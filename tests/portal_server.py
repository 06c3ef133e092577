"""A fixture disclosure portal served over real HTTP on 127.0.0.1, for the crawler tests.

A `Site` names a directory of files plus the paths that misbehave on purpose (redirects, a 500 that
recovers, a slow answer, an oversized body, gzip, a wrong Content-Type). `running_portal(site)` serves
it from a ThreadingHTTPServer on 127.0.0.1 (port 0) next to an off-site "canary" server on
http://localhost:<port>: any request reaching the canary is a test failure.

Serving rules, like a real portal's web server:
- a file answers with an ETag and a Last-Modified and honours If-None-Match / If-Modified-Since (304);
- a query string selects the file `<path>@<query>` with the parameters sorted (so `?b=2&a=1` and
  `?a=1&b=2` are one page), and a `;jsessionid=…` path parameter is ignored;
- in served bytes the placeholders OFFSITE_ORIGIN, OFFSITE_SAMEHOST (127.0.0.1 on the canary's port)
  and PORTAL_HOSTPORT (the portal's own 127.0.0.1:<port>) are replaced at serve time.
"""
from __future__ import annotations

import gzip
import hashlib
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

OFFSITE_PLACEHOLDER = b"OFFSITE_ORIGIN"  # -> http://localhost:<canary port>
SAME_HOST_PLACEHOLDER = b"OFFSITE_SAMEHOST"  # -> http://127.0.0.1:<canary port>: same host, another site
HOSTPORT_PLACEHOLDER = b"PORTAL_HOSTPORT"  # -> 127.0.0.1:<portal port>
OFFSITE = "OFFSITE:"  # a redirect Location starting with this goes to the canary
LAST_MODIFIED = formatdate(1704067200, usegmt=True)  # 2024-01-01
RETRIES = 2  # crawl_settings' retries

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".txt": "text/plain",
}


@dataclass
class Site:
    """What a fixture portal serves and how its scripted paths misbehave."""

    root: Path
    redirects: dict[str, tuple[int, str]] = field(default_factory=dict)  # path -> (status, Location)
    flaky: set[str] = field(default_factory=set)  # 500 on the first request, then fine
    slow: set[str] = field(default_factory=set)  # answer after slow_seconds
    slow_seconds: float = 1.5
    big: set[str] = field(default_factory=set)  # stream big_bytes of HTML without a Content-Length
    big_bytes: int = 3 * 1024 * 1024
    gzipped: set[str] = field(default_factory=set)  # Content-Encoding: gzip when accepted
    content_types: dict[str, str] = field(default_factory=dict)  # path -> Content-Type (else by suffix)
    default_content_type: str = "application/octet-stream"
    without_etag: set[str] = field(default_factory=set)  # Last-Modified only


@dataclass
class Hit:
    """One request the portal received and what it answered."""

    path: str
    status: int
    headers: dict[str, str]
    at: float
    body: bytes = b""  # the entity body sent, for 200 answers
    content_type: str | None = None
    etag: str | None = None
    content_encoding: str | None = None
    query: str = ""  # the query string, as sent


@dataclass
class Portal:
    """A running fixture portal; `origin` is http://127.0.0.1:<port>."""

    origin: str
    offsite_origin: str
    hits: list[Hit] = field(default_factory=list)
    canary_hits: list[str] = field(default_factory=list)  # requests that reached the off-site server

    def paths(self, since: int = 0) -> list[str]:
        return [h.path for h in self.hits[since:]]

    def url(self, path: str) -> str:
        return self.origin + path


def file_key(path: str, query: str) -> str:
    """The served file for a request: `;jsessionid` dropped, `@<sorted query>` appended when there is one."""
    path = re.sub(r";jsessionid=[^/?]*", "", path, flags=re.IGNORECASE)
    if query:
        path += "@" + urlencode(sorted(parse_qsl(query, keep_blank_values=True)))
    return path


def body_of(root: Path, key: str, portal: Portal) -> bytes | None:
    file = (root / unquote(key).lstrip("/")).resolve()
    if not file.is_relative_to(root.resolve()) or not file.is_file():
        return None
    same_host_origin = portal.offsite_origin.replace("localhost", "127.0.0.1")
    hostport = portal.origin.split("://", 1)[1]
    return (file.read_bytes().replace(OFFSITE_PLACEHOLDER, portal.offsite_origin.encode("ascii"))
            .replace(SAME_HOST_PLACEHOLDER, same_host_origin.encode("ascii"))
            .replace(HOSTPORT_PLACEHOLDER, hostport.encode("ascii")))


class PortalHandler(BaseHTTPRequestHandler):
    """Serves a Site for a Portal (make_handler binds the two): one method per way a path misbehaves, then
    the file."""

    server_version = "FixturePortal/1.0"
    site: Site
    portal: Portal
    lock: threading.Lock
    flaky_served: set[str]

    def log_message(self, *args):  # keep test output quiet
        pass

    def _log(self, status: int, **extra) -> None:
        with self.lock:
            self.portal.hits.append(Hit(self.path_only, status, dict(self.headers.items()), time.monotonic(),
                                        query=self.query, **extra))

    def _send(self, status: int, headers: dict[str, str], body: bytes = b"") -> None:
        send(self, status, headers, body)

    def do_GET(self):
        parts = urlsplit(self.path)
        self.path_only, self.query = parts.path, parts.query
        try:
            self._answer()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler gave up (timeout, size cap): expected

    def _answer(self):
        """A misbehaving path's scripted answer, else the file's."""
        for misbehaviour in (self._redirect, self._flaky, self._slow, self._big):
            if misbehaviour(self.path_only):
                return
        self._serve_file(self.path_only)

    def _redirect(self, path: str) -> bool:
        if path not in self.site.redirects:
            return False
        status, location = self.site.redirects[path]
        if location.startswith(OFFSITE):
            location = self.portal.offsite_origin + location[len(OFFSITE):]
        self._log(status)
        self._send(status, {"Location": location})
        return True

    def _flaky(self, path: str) -> bool:
        if path not in self.site.flaky:
            return False
        with self.lock:
            first = path not in self.flaky_served
            self.flaky_served.add(path)
        if first:
            self._log(500)
            self._send(500, {"Content-Type": "text/html"}, b"<html>Internal Server Error</html>")
        return first

    def _slow(self, path: str) -> bool:
        if path not in self.site.slow:
            return False
        self._log(200)
        time.sleep(self.site.slow_seconds)
        self._send(200, {"Content-Type": "text/html"}, b"<html><title>late</title></html>")
        return True

    def _big(self, path: str) -> bool:
        if path not in self.site.big:
            return False
        self._log(200)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Connection", "close")
        self.end_headers()
        chunk = b"<p>" + b"x" * 65530 + b"</p>"
        for _ in range(self.site.big_bytes // len(chunk) + 1):
            self.wfile.write(chunk)
        return True

    def _serve_file(self, path: str) -> None:
        """The file, with ETag (unless without_etag) and Last-Modified; 304 to a matching conditional GET."""
        body = body_of(self.site.root, file_key(path, self.query), self.portal)
        if body is None:
            self._log(404)
            return self._send(404, {"Content-Type": "text/html"}, b"<html>404 Not Found</html>")
        content_type = self.site.content_types.get(path) or CONTENT_TYPES.get(
            Path(path).suffix.lower(), self.site.default_content_type)
        etag = None if path in self.site.without_etag else '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if self._not_modified(etag):
            self._log(304, etag=etag)
            return self._send(304, {"ETag": etag, "Last-Modified": LAST_MODIFIED} if etag
                              else {"Last-Modified": LAST_MODIFIED})
        headers = {"Content-Type": content_type, "Last-Modified": LAST_MODIFIED}
        if etag:
            headers["ETag"] = etag
        encoding = None
        if path in self.site.gzipped and "gzip" in self.headers.get("Accept-Encoding", ""):
            encoding = headers["Content-Encoding"] = "gzip"
        self._log(200, body=body, content_type=content_type, etag=etag, content_encoding=encoding)
        self._send(200, headers, gzip.compress(body) if encoding else body)

    def _not_modified(self, etag: str | None) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match:
            return if_none_match == etag
        return self.headers.get("If-Modified-Since") == LAST_MODIFIED



def make_handler(site: Site, portal: Portal) -> type[PortalHandler]:
    """A PortalHandler class serving `site` and recording hits in `portal`."""
    return type("Handler", (PortalHandler,), {"site": site, "portal": portal, "lock": threading.Lock(),
                                              "flaky_served": set()})


class _Canary(BaseHTTPRequestHandler):
    """The 'other site': any request reaching it is recorded (and is a test failure)."""

    hits: list[str] = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "0")
        self.end_headers()


def send(handler: BaseHTTPRequestHandler, status: int, headers: dict[str, str], body: bytes = b"") -> None:
    """Answer a request: the status, the headers plus a Content-Length, then the body."""
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    if body:
        handler.wfile.write(body)


def serve(handler) -> ThreadingHTTPServer:
    """A ThreadingHTTPServer on 127.0.0.1, any free port, serving in a daemon thread."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server


def stop(server: ThreadingHTTPServer) -> None:
    server.shutdown()
    server.server_close()


@contextmanager
def serving(handler) -> Iterator[ThreadingHTTPServer]:
    """serve(handler) for the length of a with block, stopped after it."""
    server = serve(handler)
    try:
        yield server
    finally:
        stop(server)


class running_portal:
    """Context manager: a fixture portal plus an off-site canary server, both on 127.0.0.1."""

    def __init__(self, site: Site):
        self.site = site

    def __enter__(self) -> Portal:
        canary_handler = type("Canary", (_Canary,), {"hits": []})
        self._canary = serve(canary_handler)
        offsite_origin = f"http://localhost:{self._canary.server_address[1]}"
        self.portal = Portal(origin="", offsite_origin=offsite_origin)
        self.portal.canary_hits = canary_handler.hits
        self._server = serve(make_handler(self.site, self.portal))
        self.portal.origin = f"http://127.0.0.1:{self._server.server_address[1]}"
        return self.portal

    def __exit__(self, *exc) -> None:
        for server in (self._server, self._canary):
            stop(server)


def crawl_settings(raw_dir: Path, **overrides):
    """Fast crawler settings for tests: no delay, short timeouts and backoff, RETRIES retries, a 1 MB size cap."""
    from xxgk.pipeline.crawl.crawler import CrawlSettings

    options = dict(raw_dir=raw_dir, delay=0.0, concurrency=4, timeout=0.5, retries=RETRIES, backoff=0.05,
                   max_bytes=1024 * 1024, progress=False)
    options.update(overrides)
    return CrawlSettings(**options)


def manifest_lines(raw_dir: Path) -> list[dict]:
    """The crawler manifest of a raw dir, one dict per line."""
    import json

    from xxgk.pipeline.manifest import MANIFEST_NAME

    return [json.loads(line) for line in (raw_dir / MANIFEST_NAME).read_text(encoding="utf-8").splitlines()]


def snapshot(raw_dir: Path) -> dict[str, tuple[int, int]]:
    """Every file under the raw dir with its size and mtime."""
    return {str(p.relative_to(raw_dir)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(raw_dir.rglob("*")) if p.is_file()}
