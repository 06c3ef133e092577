"""What a response body is: HTML or not, and the charset it declares."""
from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)


def declared_charset(content_type: str | None, body: bytes) -> str | None:
    """The charset the page declares: the Content-Type header's, else its <meta> tag's.

    When the two disagree, the declaration the bytes honour wins: a header charset that cannot decode
    the body, or names a legacy charset for a body that is valid non-ASCII UTF-8 under a utf-8 <meta>,
    gives way to the <meta> (and the other way round: portals mislabel pages in both directions).
    """
    match = _HEADER_CHARSET.search(content_type or "")
    header = match.group(1).lower() if match else None
    match = _META_CHARSET.search(body[:16384])
    meta = match.group(1).decode("ascii").lower() if match else None
    if not header or not meta or python_codec(header) == python_codec(meta):
        return header or meta
    if _is_utf8(meta) and not _is_utf8(header) and _valid_non_ascii_utf8(body):
        return meta
    if not _decodes(body, header) and _decodes(body, meta):
        return meta
    return header


def _is_utf8(charset: str) -> bool:
    return charset.replace("_", "-") in ("utf-8", "utf8")


def _valid_non_ascii_utf8(body: bytes) -> bool:
    return not body.isascii() and _decodes(body, "utf-8")


def _known(charset: str) -> bool:
    try:
        codecs.lookup(python_codec(charset) or charset)
    except LookupError:
        return False
    return True


def _decodes(body: bytes, charset: str) -> bool:
    """True when `charset` is a known codec that decodes the whole body strictly."""
    if not _known(charset):
        return False
    try:
        body.decode(python_codec(charset) or charset)
    except (LookupError, UnicodeDecodeError):
        return False
    return True


def is_plain_text(content_type: str | None) -> bool:
    return (content_type or "").split(";")[0].strip().lower() == "text/plain"


def is_html(content_type: str | None, body: bytes) -> bool:
    media_type = (content_type or "").split(";")[0].strip().lower()
    if "html" in media_type:
        return True
    if media_type and media_type not in ("text/plain", "application/octet-stream"):
        return False
    return bool(re.search(rb"<(html|head|body|title|a)\b", body[:4096], re.IGNORECASE))


def python_codec(charset: str | None) -> str | None:
    """A codec able to decode what pages labelled `charset` really contain (gb2312 pages are GBK)."""
    if not charset:
        return None
    charset = charset.lower()
    if charset in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "euc-cn"):
        return "gb18030"
    return charset


def page_codec(charset: str | None, body: bytes) -> str | None:
    """The codec to read a page's links with: its declared charset's when that decodes the bytes;
    otherwise UTF-8 or else GB18030 when the bytes decode as one (the two charsets of Chinese portals);
    otherwise the declared one all the same, or None to leave the guess to the parser."""
    if charset and _decodes(body, charset):
        return python_codec(charset)
    for codec in ("utf-8", "gb18030"):
        if _decodes(body, codec):
            return codec
    return python_codec(charset) if charset and _known(charset) else None
