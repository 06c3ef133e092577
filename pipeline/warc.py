"""WARC archive reading (warcio): each HTML response record of an archive becomes one RawDoc."""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from parsers.document import RawDoc, StageError

HTML_URL_SUFFIXES = (".htm", ".html", ".shtml")
_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.IGNORECASE)


def charset_of(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header value, lower-cased; None if absent."""
    if not content_type:
        return None
    match = _CHARSET.search(content_type)
    return match.group(1).lower() if match else None


def is_html_response(content_type: str | None, url: str) -> bool:
    """True for an HTML content type, or a .htm/.html/.shtml URL served without a non-text type."""
    media_type = (content_type or "").split(";")[0].strip().lower()
    if "html" in media_type:
        return True
    url_is_html = urlsplit(url).path.lower().endswith(HTML_URL_SUFFIXES)
    return url_is_html and (media_type in ("", "application/octet-stream") or media_type.startswith("text/"))


def parse_warc_date(value: str | None) -> datetime | None:
    """WARC-Date (ISO 8601, usually with a trailing Z) as an aware datetime; None if unparseable."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def iter_warc(path: Path) -> Iterator[RawDoc]:
    """One RawDoc per HTTP response record with status 200 and HTML content in the archive at `path`.

    The payload is the entity body with chunked transfer coding and Content-Encoding removed
    (warcio's content_stream); source is WARC-Target-URI; http_charset comes from the HTTP
    Content-Type header only (a <meta> charset is left to the decoder). Plain and gzipped archives
    are both read; an unreadable archive raises StageError("fetch").
    """
    try:
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                doc = _raw_doc(record)
                if doc is not None:
                    yield doc
    except ArchiveLoadFailed as exc:
        raise StageError("fetch", f"{path}: not a readable WARC archive: {exc}") from exc


def _raw_doc(record) -> RawDoc | None:
    if record.rec_type != "response" or record.http_headers is None:
        return None
    # Some writers wrap the URI in angle brackets (a WARC 1.0 grammar quirk).
    url = (record.rec_headers.get_header("WARC-Target-URI") or "").strip().strip("<>")
    if record.http_headers.get_statuscode() != "200":
        return None
    content_type = record.http_headers.get_header("Content-Type")
    if not is_html_response(content_type, url):
        return None
    return RawDoc(
        data=record.content_stream().read(),
        source=url,
        kind="html",
        http_charset=charset_of(content_type),
        fetched_at=parse_warc_date(record.rec_headers.get_header("WARC-Date")),
    )
