"""URLs for the crawler: normalisation, the allowed domains, and the hash file names nothing can steer."""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

ATTACHMENT_SUFFIXES = (".pdf", ".doc", ".docx", ".wps")
ATTACHMENT_TYPES = {
    "application/pdf": ".pdf",
    "application/msword": ".doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.ms-works": ".wps",
    "application/kswps": ".wps",
    "application/wps-office.wps": ".wps",
}


_SESSION_ID = re.compile(r";(jsessionid|phpsessid|sid)=[^/?#]*", re.IGNORECASE)
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"  # what quote() leaves: reserved characters and existing %XX escapes
_QUERY_SAFE = _PATH_SAFE + "?"


def normalize_url(url: str) -> str:
    """The URL as the crawler keys it.

    Scheme and host lower-cased, default port, user info, fragment and a `;jsessionid=` path parameter
    dropped, `.` / `..` segments resolved, an empty path as '/', and characters a URL cannot carry
    (non-ASCII, spaces) percent-encoded, so the forms a page may write one link in become one URL.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = _idna((parts.hostname or "").lower())
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    port = parts.port
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    path = remove_dot_segments(_SESSION_ID.sub("", parts.path)) or "/"
    return urlunsplit((scheme, netloc, quote(path, safe=_PATH_SAFE), quote(parts.query, safe=_QUERY_SAFE), ""))


def remove_dot_segments(path: str) -> str:
    """RFC 3986 5.2.4: "/a/./b/../c" -> "/a/c" (a ".." above the root stays at the root)."""
    if "." not in path:
        return path
    segments = path.split("/")
    out: list[str] = []
    for segment in segments[1:] if path.startswith("/") else segments:
        if segment == "..":
            if out:
                out.pop()
        elif segment != ".":
            out.append(segment)
    if segments[-1] in (".", ".."):
        out.append("")  # "/a/b/.." -> "/a/"
    return ("/" if path.startswith("/") else "") + "/".join(out)


def crawl_key(url: str) -> str:
    """The key under which the crawl de-duplicates URLs: normalised, query parameters sorted.

    `list.jsp?uid=4&pageNum=2` and `list.jsp?pageNum=2&uid=4` are one page.
    """
    url = normalize_url(url)
    parts = urlsplit(url)
    if "&" not in parts.query:
        return url
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)), quote_via=quote, safe="/")
    return urlunsplit(parts._replace(query=query))


def is_http_url(url: str) -> bool:
    """True for a well-formed http(s) URL with a host (and a numeric port, if any)."""
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError on a malformed port
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
    """"example.cn" -> ("example.cn", None); "127.0.0.1:8000" -> ("127.0.0.1", 8000).

    An entry written as a URL ("http://example.cn/xxgk/") is read as its host (and port, if any).
    """
    entry = entry.lower().strip()
    if "://" in entry:
        parts = urlsplit(entry)
        try:
            port = parts.port
        except ValueError:
            port = None
        return _idna(parts.hostname or "").rstrip("."), port
    match = re.fullmatch(r"(.+):(\d+)", entry)
    if match:
        return _idna(match.group(1)).rstrip("."), int(match.group(2))
    return _idna(entry.rstrip("/")).rstrip("."), None


def _idna(host: str) -> str:
    """A host name in its ASCII (punycode) form: 中文.cn and xn--fiq228c.cn are one host."""
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def host_allowed(url: str, allow_domains: Iterable[str]) -> bool:
    """True when the URL's host is one of the domains or a subdomain of one.

    An entry may pin a port ("host:port"); without one, any port matches.
    """
    host = _idna((urlsplit(url).hostname or "").lower()).rstrip(".")
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
