"""What a response body is: HTML or not, and the charset it declares (the decision of which codec
reads it is parsers/decode.py's)."""
from __future__ import annotations

import re

from xxgk.parsers.decode import choose_encoding, decodes, normalise_charset
from xxgk.parsers.decode import declared_charset as meta_charset

_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)


def declared_charset(content_type: str | None, body: bytes) -> str | None:
    """The charset the page declares: the Content-Type header's, else its <meta> tag's.

    When the two disagree, the declaration the bytes honour wins: a header charset that cannot decode
    the body, or names a legacy charset for a body that is valid non-ASCII UTF-8 under a utf-8 <meta>,
    gives way to the <meta> (and the other way round: portals mislabel pages in both directions).
    """
    match = _HEADER_CHARSET.search(content_type or "")
    header = match.group(1).lower() if match else None
    meta = meta_charset(body)
    meta = meta.lower() if meta else None
    if not header or not meta or normalise_charset(header) == normalise_charset(meta):
        return header or meta
    if _is_utf8(meta) and not _is_utf8(header) and _valid_non_ascii_utf8(body):
        return meta
    if not decodes(body, header) and decodes(body, meta):
        return meta
    return header


def _is_utf8(charset: str) -> bool:
    return normalise_charset(charset) == "utf-8"


def _valid_non_ascii_utf8(body: bytes) -> bool:
    return not body.isascii() and decodes(body, "utf-8")


def is_plain_text(content_type: str | None) -> bool:
    return (content_type or "").split(";")[0].strip().lower() == "text/plain"


def is_html(content_type: str | None, body: bytes) -> bool:
    media_type = (content_type or "").split(";")[0].strip().lower()
    if "html" in media_type:
        return True
    if media_type and media_type not in ("text/plain", "application/octet-stream"):
        return False
    return bool(re.search(rb"<(html|head|body|title|a)\b", body[:4096], re.IGNORECASE))


def page_codec(charset: str | None, body: bytes) -> str:
    """The codec to read a page's links with: the parser's decision (xxgk.parsers.decode.choose_encoding),
    so the crawler, the WARC reader and the parser read the same bytes alike."""
    return choose_encoding(body, charset)
