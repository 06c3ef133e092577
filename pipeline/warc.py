"""WARC archive reading (warcio): each HTML, PDF or Word response record of an archive becomes one RawDoc."""
from __future__ import annotations

import gzip
import os
import re
import zlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.limitreader import LimitReader

from xxgk.parsers import limits
from xxgk.parsers.document import RawDoc, StageError
from xxgk.parsers.limits import size_text
from xxgk.pipeline.crawl.content import declared_charset

HTML_URL_SUFFIXES = (".htm", ".html", ".shtml")
_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.IGNORECASE)


def charset_of(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header value, lower-cased; None if absent."""
    if not content_type:
        return None
    match = _CHARSET.search(content_type)
    return match.group(1).lower() if match else None


DOCUMENT_TYPES = ("application/pdf", "application/x-pdf", "application/msword", "application/vnd.ms-works",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
DOCUMENT_URL_SUFFIXES = (".pdf", ".docx", ".doc", ".wps")


def is_document_response(content_type: str | None, url: str) -> bool:
    """A PDF or Word attachment: by its content type, or a .pdf/.doc/.docx/.wps URL served as a download."""
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type in DOCUMENT_TYPES:
        return True
    url_is_document = urlsplit(url).path.lower().endswith(DOCUMENT_URL_SUFFIXES)
    return url_is_document and media_type in ("", "application/octet-stream", "application/download",
                                              "application/force-download", "binary/octet-stream")


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
    """One RawDoc per HTTP response record with status 200 and HTML, PDF or Word content in the archive.

    The payload is the entity body with chunked transfer coding and Content-Encoding removed
    (warcio's content_stream); source is WARC-Target-URI; http_charset comes from the HTTP
    Content-Type header or the <meta>, as the crawler records it (pipeline.crawl.content.declared_charset).
    Plain and gzipped archives are both read; a payload is read as a stream, at most the record cap. A record that
    is cut short, cannot be decoded or is over the cap becomes a RawDoc with `error` set
    (a failures row) and no bytes; an archive that cannot be read on (not a WARC, or cut short inside
    a record's headers) raises StageError("fetch") after the complete records before the damage.
    """
    from xxgk.pipeline.sources import InputRefused, open_regular

    try:
        fd = open_regular(path)
    except (OSError, InputRefused) as exc:
        raise StageError("fetch", f"{path}: cannot read file: {exc}") from exc
    with os.fdopen(fd, "rb") as stream:
        records = iter(ArchiveIterator(stream))
        while True:
            try:
                record = next(records)
            except StopIteration:
                break
            except Exception as exc:  # warcio reports damage with assorted exception types
                raise StageError("fetch", f"{path}: unreadable WARC archive ({type(exc).__name__}: {exc})") from exc
            doc = _raw_doc(record)
            if doc is not None:
                yield doc
    _check_gzip_complete(path)


def _check_gzip_complete(path: Path) -> None:
    """Raise StageError if a gzipped archive is cut short: warcio ends quietly inside a last member."""
    with open(path, "rb") as fh:
        if fh.read(2) != b"\x1f\x8b":
            return
    try:
        with gzip.open(path, "rb") as fh:
            while fh.read(1 << 20):
                pass
    except (OSError, EOFError, zlib.error) as exc:
        raise StageError("fetch", f"{path}: the archive is cut short or damaged ({exc})") from exc


class DamagedRecord(Exception):
    """A record whose block ends before its WARC Content-Length, or cannot be decoded."""


def _read_complete(record, cap: int) -> bytes:
    """The record's decoded payload, read as a stream of at most `cap` bytes; raises DamagedRecord if
    its block is short, undecodable or decodes to more than `cap` bytes (a decompression bomb)."""
    raw = record.raw_stream
    try:
        data = _read_at_most(record.content_stream(), cap)
        while raw.read(_STEP):  # whatever the decoder left unread
            pass
    except (OSError, EOFError, ValueError, zlib.error) as exc:
        raise DamagedRecord(f"payload cannot be decoded ({type(exc).__name__}: {exc})") from exc
    if isinstance(raw, LimitReader) and raw.limit > 0:
        raise DamagedRecord("the archive ends inside this record")
    if data is None:
        raise DamagedRecord(f"record too large: its payload decodes to more than {size_text(cap)} (the cap; "
                            "raise it with --max-record-mb)")
    return data


_STEP = 1 << 16


def _read_at_most(stream, cap: int) -> bytes | None:
    """All of `stream` if it holds at most `cap` bytes, else None (reading stops past the cap)."""
    parts, size = [], 0
    while chunk := stream.read(_STEP):
        size += len(chunk)
        if size > cap:
            return None
        parts.append(chunk)
    return b"".join(parts)


def _raw_doc(record) -> RawDoc | None:
    if record.rec_type != "response" or record.http_headers is None:
        return None
    # Some writers wrap the URI in angle brackets (a WARC 1.0 grammar quirk).
    url = (record.rec_headers.get_header("WARC-Target-URI") or "").strip().strip("<>")
    if record.http_headers.get_statuscode() != "200":
        return None
    content_type = record.http_headers.get_header("Content-Type")
    document = is_document_response(content_type, url)
    if not document and not is_html_response(content_type, url):
        return None
    fetched_at = parse_warc_date(record.rec_headers.get_header("WARC-Date"))
    try:
        data = _read_complete(record, limits.current().max_record_bytes)
    except DamagedRecord as exc:
        return RawDoc(data=b"", source=url, kind="html", fetched_at=fetched_at, error=f"damaged WARC record: {exc}")
    if document:
        return RawDoc(data=data, source=url, kind="document", fetched_at=fetched_at)
    # The declared charset as the crawler's manifest records it; the parser weighs it against the bytes
    # (parsers/decode.py), so an archive and a crawl of the same page decode alike.
    http_charset = declared_charset(content_type, data) if charset_of(content_type) else None
    return RawDoc(data=data, source=url, kind="html", http_charset=http_charset, fetched_at=fetched_at)
