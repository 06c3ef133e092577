"""A polite crawler for agency disclosure portals: finds the annual reports and keeps their raw bytes.

Starting from seed URLs (usually a portal's 政府信息公开年报 list page) it follows the list's pagination,
fetches every page whose link text or title names a 政府信息公开 annual report, and saves the page's
bytes unchanged as `<raw>/<host>/<sha256(url)[:16]>.html`, with linked attachments (.pdf .doc .docx
.wps) saved the same way beside it; `manifest.jsonl` in the raw dir records each file's provenance
(see pipeline.manifest).

Politeness and safety: robots.txt (protego; RFC 9309 defaults), one delay per host between requests,
a cap on concurrent requests, retries with exponential backoff on 5xx and timeouts only, connect and
read timeouts, a response size cap, http/https only, redirects followed by hand and only inside the
allowed domains, a clear User-Agent, conditional GET (ETag / Last-Modified) for files already saved,
and file names that no URL can steer outside the raw dir.
"""
from __future__ import annotations

import hashlib
import os
import posixpath
import re
import sys
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
from bs4 import BeautifulSoup
from protego import Protego

from pipeline.manifest import ManifestWriter, load_by_url

USER_AGENT = "xxgk/0.1 (+https://github.com/xxgk; annual-report research crawler)"
ATTACHMENT_SUFFIXES = (".pdf", ".doc", ".docx", ".wps")
ATTACHMENT_TYPES = {
    "application/pdf": ".pdf",
    "application/msword": ".doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.ms-works": ".wps",
    "application/kswps": ".wps",
    "application/wps-office.wps": ".wps",
}
PAGE_SUFFIX = ".html"
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
MAX_ROBOTS_CRAWL_DELAY = 30.0  # never let a robots.txt stall the crawl for longer than this per request


# ---------------------------------------------------------------------------------------------
# Settings and results
# ---------------------------------------------------------------------------------------------


@dataclass
class CrawlSettings:
    """How to crawl. `allow_domains` empty means: the seeds' hosts (see seed_domains)."""

    raw_dir: Path = Path("data/raw")
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
    errors: int = 0  # URLs that could not be fetched (4xx, 5xx after retries, timeouts, size cap, …)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (url, reason) for each error
    saved: list[str] = field(default_factory=list)  # manifest paths written in this crawl
    unchanged_paths: list[str] = field(default_factory=list)
    robots_skipped_urls: list[str] = field(default_factory=list)
    offsite_urls: list[str] = field(default_factory=list)
    requested: list[str] = field(default_factory=list)  # every URL sent over HTTP, in order

    def line(self) -> str:
        """The one-line summary the CLI prints."""
        return (
            f"fetched {self.fetched}, unchanged {self.unchanged}, skipped by robots {self.skipped_robots}, "
            f"errors {self.errors} (list pages {self.list_pages}, off-domain skipped "
            f"{self.skipped_offsite}, over page limit {self.skipped_limit})"
        )


# ---------------------------------------------------------------------------------------------
# URLs and file names
# ---------------------------------------------------------------------------------------------


def normalize_url(url: str) -> str:
    """The URL with scheme and host lower-cased, default port, user info and fragment dropped, empty path as '/'."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    port = parts.port
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def is_http_url(url: str) -> bool:
    """True for a well-formed http(s) URL with a host (and a numeric port, if any)."""
    try:
        parts = urlsplit(url)
        parts.port  # raises ValueError on a malformed port
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def effective_port(url: str) -> int | None:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return None
    return port if port is not None else {"http": 80, "https": 443}.get(parts.scheme.lower())


def _split_domain(entry: str) -> tuple[str, int | None]:
    """"example.cn" -> ("example.cn", None); "127.0.0.1:8000" -> ("127.0.0.1", 8000)."""
    entry = entry.lower().strip()
    match = re.fullmatch(r"(.+):(\d+)", entry)
    if match:
        return match.group(1).rstrip("."), int(match.group(2))
    return entry.rstrip("."), None


def host_allowed(url: str, allow_domains: Iterable[str]) -> bool:
    """True when the URL's host is one of the domains or a subdomain of one.

    An entry may pin a port ("host:port"); without one, any port matches.
    """
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    port = effective_port(url)
    for entry in allow_domains:
        domain, pinned_port = _split_domain(entry)
        if domain and (host == domain or host.endswith("." + domain)) and pinned_port in (None, port):
            return True
    return False


def seed_domains(seeds: Iterable[str]) -> tuple[str, ...]:
    """The default allowed domains: each seed's host on the seed's port, or on the standard ports.

    So a portal may move between http and https, but another server on the same host (a different
    port) is another site.
    """
    entries = set()
    for seed in seeds:
        host = (urlsplit(seed).hostname or "").lower()
        for port in {effective_port(seed), 80, 443}:
            entries.add(f"{host}:{port}")
    return tuple(sorted(entries))


def host_dir_name(url: str) -> str:
    """A directory name for the URL's host[:port] that is safe on any file system."""
    parts = urlsplit(url)
    name = (parts.hostname or "unknown").lower()
    if parts.port is not None:
        name += f"_{parts.port}"
    name = re.sub(r"[^a-z0-9._-]", "_", name).lstrip(".") or "unknown"
    return name[:100]


def stored_name(url: str, suffix: str) -> str:
    """`<host>/<sha256(url)[:16]><suffix>`, the path of a URL's file relative to the raw dir."""
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]
    return f"{host_dir_name(url)}/{digest}{suffix}"


def attachment_suffix(url: str, content_type: str | None = None, text: str = "") -> str | None:
    """The attachment extension named by the URL path, the link text or the content type; else None."""
    path = urlsplit(url).path.lower()
    for candidate in (path, text.strip().lower()):
        for suffix in ATTACHMENT_SUFFIXES:
            if candidate.endswith(suffix):
                return suffix
    media_type = (content_type or "").split(";")[0].strip().lower()
    return ATTACHMENT_TYPES.get(media_type)


# ---------------------------------------------------------------------------------------------
# Recognising reports, list pages and pagination
# ---------------------------------------------------------------------------------------------

_DISCLOSURE = re.compile(r"政府(信息|資訊|资讯)公[开開]")
_REPORT_WORD = re.compile(r"年度[报報]告|年[报報]|年度.{0,20}?[报報]告")
_YEAR = re.compile(r"(?:19|20)\d{2}年|[〇零○一二][〇零○一二三四五六七八九]{3}年")
_TRUNCATED = re.compile(r"(\.{2,}|…+)$")
_NEXT_PAGE_WORDS = {"下一页", "下页", "后页", "下一頁", "尾页", "末页", "最后一页", "尾頁"}
_INDEX_FILE = re.compile(r"^index(_\d+)?\.(s?html?|jsp|php|aspx?)$", re.IGNORECASE)
_CREATE_PAGE_HTML = re.compile(
    r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,\s*['\"]([\w.-]*)['\"]\s*,\s*['\"](\w+)['\"]"
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
MAX_LIST_PAGES_FROM_SCRIPT = 200


def compact(text: str) -> str:
    """Text with full-width forms folded (NFKC) and all white space removed, for matching."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def names_report(text: str) -> bool:
    """True when the text names a 政府信息公开 annual report (年度报告 / 年报), with or without a year."""
    text = compact(text)
    return bool(_DISCLOSURE.search(text) and _REPORT_WORD.search(text))


def names_report_loosely(text: str) -> bool:
    """Like names_report, but 信息公开 without 政府 will do ("XX局2013年信息公开年度报告")."""
    text = compact(text)
    return bool(re.search(r"信息公[开開]|資訊公開", text) and _REPORT_WORD.search(text))


def has_year(text: str) -> bool:
    return bool(_YEAR.search(compact(text)))


def might_name_report(text: str) -> bool:
    """True for link text that could be a report's title cut short or missing a word.

    e.g. "XX局2022年政府信息公..." or "2022年政府信息公开工作情况"; such pages are fetched to read their title.
    """
    text = compact(text)
    if _TRUNCATED.search(text) and re.search(r"信息公|年度|年[报報]", text):
        return True
    return bool(re.search(r"信息公[开開]", text) and has_year(text))


def declared_charset(content_type: str | None, body: bytes) -> str | None:
    """The charset from the Content-Type header, else from a <meta> tag near the top of the page."""
    match = _HEADER_CHARSET.search(content_type or "")
    if match:
        return match.group(1).lower()
    match = _META_CHARSET.search(body[:16384])
    return match.group(1).decode("ascii").lower() if match else None


def is_html(content_type: str | None, body: bytes) -> bool:
    media_type = (content_type or "").split(";")[0].strip().lower()
    if "html" in media_type:
        return True
    if media_type and media_type not in ("text/plain", "application/octet-stream"):
        return False
    return bool(re.search(rb"<(html|head|body|title|a)\b", body[:4096], re.IGNORECASE))


@dataclass
class PageLinks:
    """What a fetched page offers the crawler."""

    title: str = ""
    titles: list[str] = field(default_factory=list)  # <title>, title <meta>s, first h1/h2
    reports: list[str] = field(default_factory=list)  # links naming a report with a year
    columns: list[str] = field(default_factory=list)  # "政府信息公开年报" without a year: a column, or a report
    candidates: list[str] = field(default_factory=list)  # titles cut short ("…政府信息公..."): fetch to see
    maybe_reports: list[str] = field(default_factory=list)  # "XX局2022年度报告": a report in a 年报 column
    pagination: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)  # every attachment link on the page
    report_attachments: list[str] = field(default_factory=list)  # attachment links naming a report

    @property
    def title_names_report(self) -> bool:
        return names_report(self.title)

    @property
    def title_loosely_names_dated_report(self) -> bool:
        return any(names_report_loosely(t) and has_year(t) for t in self.titles)


def _python_codec(charset: str | None) -> str | None:
    """A codec able to decode what pages labelled `charset` really contain (gb2312 pages are GBK)."""
    if not charset:
        return None
    charset = charset.lower()
    if charset in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "euc-cn"):
        return "gb18030"
    return charset


def parse_links(body: bytes, page_url: str, charset: str | None = None) -> PageLinks:
    """Classify every link of an HTML page; URLs are absolute, normalised and de-duplicated."""
    soup = BeautifulSoup(body, "lxml", from_encoding=_python_codec(charset))
    base = page_url
    base_tag = soup.find("base", href=True)
    if base_tag is not None:
        base = urljoin(page_url, base_tag["href"].strip())
    titles = []
    if soup.title is not None:
        titles.append(soup.title.get_text(" ", strip=True))
    for meta_name in ("ArticleTitle", "title"):
        meta = soup.find("meta", attrs={"name": meta_name}, content=True)
        if meta is not None:
            titles.append(meta["content"])
    heading = soup.find(["h1", "h2"])
    if heading is not None:
        titles.append(heading.get_text(" ", strip=True))
    links = PageLinks(title=next((t for t in titles if names_report(t)), titles[0] if titles else ""),
                      titles=titles)
    page_dir = posixpath.dirname(urlsplit(page_url).path)
    seen: set[str] = set()  # a URL lands in one bucket only (attachments aside)

    def add(bucket: list[str], url: str) -> None:
        if url not in seen:
            seen.add(url)
            bucket.append(url)

    for anchor in soup.find_all("a", href=True):
        href = anchor["href"].strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        try:
            url = urljoin(base, href)
        except ValueError:  # e.g. a malformed IPv6 host
            continue
        if not is_http_url(url):
            continue
        url = normalize_url(url)
        text = anchor.get_text(" ", strip=True)
        label = f"{text} {anchor.get('title', '')}"
        if attachment_suffix(url, None, text):
            if url not in links.attachments:
                links.attachments.append(url)
            if names_report(label) and url not in links.report_attachments:
                links.report_attachments.append(url)
        elif names_report(label) and has_year(label):
            add(links.reports, url)
        elif names_report(label):
            add(links.columns, url)
        elif might_name_report(text):
            add(links.candidates, url)
        elif _REPORT_WORD.search(compact(label)) and has_year(label):
            add(links.maybe_reports, url)
        elif _is_pager_link(text, url, page_dir):
            add(links.pagination, url)
    for url in _script_pagination(soup, base):
        add(links.pagination, url)
    return links


def _is_pager_link(text: str, url: str, page_dir: str) -> bool:
    """下一页 / 尾页 links anywhere; page numbers and index_N files in the list page's own directory."""
    if _pager_word(text) in _NEXT_PAGE_WORDS:
        return True
    path = urlsplit(url).path
    if posixpath.dirname(path) != page_dir:
        return False
    return bool(_INDEX_FILE.match(posixpath.basename(path)) or re.fullmatch(r"\[?\d{1,3}\]?", compact(text)))


def _pager_word(text: str) -> str:
    """The Chinese characters of a pager link's text ("下一页 >>" -> "下一页")."""
    return "".join(re.findall(r"[\u4e00-\u9fff]", text or ""))


def _script_pagination(soup: BeautifulSoup, base: str) -> list[str]:
    """Pages named by the TRS-style pager script `createPageHTML(total, current, "index", "htm")`."""
    urls = []
    for script in soup.find_all("script"):
        for match in _CREATE_PAGE_HTML.finditer(script.get_text() or ""):
            total = min(int(match.group(1)), MAX_LIST_PAGES_FROM_SCRIPT)
            prefix, ext = match.group(3) or "index", match.group(4)
            names = [f"{prefix}.{ext}"] + [f"{prefix}_{i}.{ext}" for i in range(1, total)]
            urls.extend(normalize_url(urljoin(base, name)) for name in names)
    return urls


def page_role(links: PageLinks, via: str) -> str:
    """"report" or "list" for a fetched HTML page reached `via` a seed, report link, candidate or pager.

    A page reached by a link naming a report is the report, unless it turns out to be a list of reports
    (three or more report links and a title that names none). Otherwise a title naming a report with
    its year makes a report; a page linking to reports is a list; a title naming a report without a
    year makes a report only when nothing on the page looks like a list of reports. A seed, or a page
    reached from a list of reports by a doubtful link ("candidate", "column_item"), is a report when its
    title names a dated report even without the word 政府 ("XX局2013年信息公开年度报告"); a
    法治政府建设年度报告 is not.
    """
    n_reports = len(links.reports)
    titled = links.title_names_report
    if via == "report":
        return "list" if n_reports >= 3 and not titled else "report"
    if via in ("seed", "candidate", "column_item") and links.title_loosely_names_dated_report and n_reports < 3:
        return "report"  # e.g. "XX局2013年信息公开年度报告", reached from a list of reports
    if via == "column_item":
        return "list"
    if titled and has_year(links.title) and n_reports < 3:
        return "report"
    if n_reports:
        return "list"
    looks_like_list = links.candidates or links.maybe_reports or links.report_attachments or links.pagination
    if titled and via in ("seed", "candidate") and not looks_like_list:
        return "report"
    return "list"


# ---------------------------------------------------------------------------------------------
# HTTP: throttling, robots.txt, fetching with retries and manual redirects
# ---------------------------------------------------------------------------------------------


class HostThrottle:
    """Spaces requests to one host at least `delay` seconds apart, across all threads."""

    def __init__(self):
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str, delay: float) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + delay
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


class RobotsRules:
    """robots.txt per origin, fetched once. 4xx: all allowed; 5xx or unreachable: all disallowed."""

    def __init__(self, fetch: Callable[[str], Response], user_agent: str):
        self._fetch = fetch
        self._user_agent = user_agent
        self._rules: dict[str, Protego | bool] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def _for(self, url: str) -> Protego | bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._guard:
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:
            if origin not in self._rules:
                self._rules[origin] = self._load(origin + "/robots.txt")
            return self._rules[origin]

    def _load(self, robots_url: str) -> Protego | bool:
        response = self._fetch(robots_url)
        if response.outcome == "ok":
            text = response.body.decode("utf-8", errors="replace")
            return Protego.parse(text)
        if response.outcome == "http_error" and response.status is not None and 400 <= response.status < 500:
            return True
        return False  # server error, timeout or refusal: RFC 9309 says assume complete disallow

    def allowed(self, url: str) -> bool:
        rules = self._for(url)
        if isinstance(rules, bool):
            return rules
        return rules.can_fetch(url, self._user_agent)

    def crawl_delay(self, url: str) -> float:
        rules = self._for(url)
        if isinstance(rules, bool):
            return 0.0
        delay = rules.crawl_delay(self._user_agent)
        return min(float(delay), MAX_ROBOTS_CRAWL_DELAY) if delay else 0.0


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


# ---------------------------------------------------------------------------------------------
# Storage
# ---------------------------------------------------------------------------------------------


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a temporary file in the same directory and os.replace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


class RawStore:
    """The raw dir: hash-named files plus the manifest, and what an earlier crawl left there."""

    def __init__(self, raw_dir: Path):
        self.root = Path(raw_dir).resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self.known = load_by_url(self.root)
        self._writer = ManifestWriter(self.root)

    def path_of(self, relative: str) -> Path:
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root):  # cannot happen with hash names; checked all the same
            raise ValueError(f"refusing to write outside the raw dir: {relative}")
        return path

    def validators(self, url: str) -> dict | None:
        """ETag / Last-Modified of the URL's saved file, when the file is still there."""
        entry = self.known.get(url)
        if entry and entry.get("path") and self.path_of(entry["path"]).is_file():
            return entry
        return None

    def save(self, response: Response, kind: str, suffix: str) -> tuple[str, bool]:
        """Save the body unless identical bytes are already stored; (relative path, written?)."""
        sha = hashlib.sha256(response.body).hexdigest()
        relative = stored_name(response.url, suffix)
        previous = self.known.get(response.url)
        if (previous and previous.get("sha256") == sha and previous.get("path") == relative
                and self.path_of(relative).is_file()):
            return relative, False
        write_atomically(self.path_of(relative), response.body)
        content_type = response.headers.get("content-type")
        entry = {
            "url": response.url,
            "final_url": response.final_url,
            "status": response.status,
            "fetched_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "sha256": sha,
            "content_type": content_type,
            "charset": declared_charset(content_type, response.body) if kind == "page" else None,
            "etag": response.headers.get("etag"),
            "last_modified": response.headers.get("last-modified"),
            "path": relative,
            "kind": kind,
        }
        self._writer.append(entry)
        self.known[response.url] = entry
        return relative, True


# ---------------------------------------------------------------------------------------------
# The crawl
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    url: str
    via: str  # "seed" | "pagination" | "report" | "candidate" | "column_item" | "attachment"


@dataclass
class Outcome:
    """What one task came to; the crawl loop folds these into the summary (single-threaded)."""

    task: Task
    result: str  # "fetched" | "unchanged" | "list" | "not_report" | "robots" | "offsite" | "error"
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
        self.fetcher = Fetcher(settings, self.allow_domains)
        self.summary = CrawlSummary()
        self._seen: set[str] = set()
        self._pages_scheduled = 0

    def run(self) -> CrawlSummary:
        try:
            with ThreadPoolExecutor(max_workers=max(1, self.settings.concurrency)) as pool, _Progress(
                self.settings.progress
            ) as progress:
                pending: dict[Future, Task] = {}

                def schedule(task: Task) -> None:
                    if self._admit(task):
                        pending[pool.submit(self._run_task, task)] = task
                        progress.add()

                for seed in self.seeds:
                    schedule(Task(seed, "seed"))
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
        return self.summary

    def _admit(self, task: Task) -> bool:
        """De-duplicate; refuse off-domain URLs and pages beyond the page cap without any request."""
        if task.url in self._seen:
            return False
        self._seen.add(task.url)
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
        validators = self.store.validators(task.url)
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
            if suffix and task.via in ("report", "seed"):
                return self._saved(task, response, "attachment", suffix)
            return Outcome(task, "not_report", reason=f"not HTML: {content_type}")
        links = parse_links(response.body, response.final_url, declared_charset(content_type, response.body))
        if page_role(links, task.via) == "report":
            outcome = self._saved(task, response, "page", PAGE_SUFFIX)
            outcome.new_tasks = [Task(url, "attachment") for url in links.attachments]
            return outcome
        if task.via == "column_item" or (task.via == "candidate" and not (
                links.reports or links.candidates or links.report_attachments or links.maybe_reports)):
            return Outcome(task, "not_report")
        # In a list of reports (a 政府信息公开年报 column), "XX局2013年信息公开年度报告" may be one too.
        maybe = links.maybe_reports if (links.title_names_report or links.reports) else []
        new_tasks = (
            [Task(u, "report") for u in links.reports]
            + [Task(u, "attachment") for u in links.report_attachments]
            + [Task(u, "candidate") for u in links.columns + links.candidates]
            + [Task(u, "column_item") for u in maybe]
            + [Task(u, "pagination") for u in links.pagination]
        )
        return Outcome(task, "list", new_tasks=new_tasks)

    def _saved(self, task: Task, response: Response, kind: str, suffix: str) -> Outcome:
        path, written = self.store.save(response, kind, suffix)
        return Outcome(task, "fetched" if written else "unchanged", path=path)

    def _unchanged(self, task: Task, entry: dict) -> Outcome:
        """A 304: nothing is written; a saved report page's attachments are re-validated too."""
        outcome = Outcome(task, "unchanged", path=entry["path"])
        if entry.get("kind") == "page":
            body = self.store.path_of(entry["path"]).read_bytes()
            links = parse_links(body, entry.get("final_url") or task.url, entry.get("charset"))
            outcome.new_tasks = [Task(url, "attachment") for url in links.attachments]
        return outcome


class _Progress:
    """A rich progress bar on stderr when it is a terminal (or when asked); otherwise nothing."""

    def __init__(self, enabled: bool | None):
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._bar = None

    def __enter__(self) -> _Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._bar = Progress(
                TextColumn("crawl"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                console=Console(stderr=True), transient=True,
            )
            self._bar.__enter__()
            self._task = self._bar.add_task("", total=0)
        return self

    def add(self) -> None:
        if self._bar is not None:
            self._bar.update(self._task, total=self._bar.tasks[0].total + 1)

    def advance(self, url: str) -> None:
        if self._bar is not None:
            self._bar.update(self._task, advance=1, description=url[-60:])

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)


def run_crawl(
    seeds: list[str],
    raw_dir: Path | str = Path("data/raw"),
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
