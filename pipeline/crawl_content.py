"""What a response body is: HTML or not, and the charset it declares."""
from __future__ import annotations

import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)


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


def python_codec(charset: str | None) -> str | None:
    """A codec able to decode what pages labelled `charset` really contain (gb2312 pages are GBK)."""
    if not charset:
        return None
    charset = charset.lower()
    if charset in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "euc-cn"):
        return "gb18030"
    return charset
