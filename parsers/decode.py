"""Bytes → str: BOM, HTTP or declared charset, then charset-normalizer; the encoding is recorded.

gb2312/gbk declarations are decoded as gb18030 (its superset): real pages declare gb2312 and use
characters outside it.
"""
from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from xxgk.parsers.document import StageError

_BOMS = [
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030",
              "cp936": "gb18030", "big5": "big5hkscs", "ascii": "utf-8", "us-ascii": "utf-8",
              "iso-8859-1": "cp1252", "latin-1": "cp1252"}
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))  # not expected in text
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def normalise_charset(name: str | None) -> str | None:
    """A Python codec name for a declared charset, widened to its superset; None if unknown."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    name = _SUPERSETS.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a <meta> tag within its first 4 KB."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


def decode(data: bytes, http_charset: str | None = None) -> tuple[str, str]:
    """Decode raw bytes; returns (text, encoding). Raises StageError('decode') for empty or binary input."""
    if not data or data.isspace():
        raise StageError("decode", "empty input: the file has no content")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace"), encoding
    if _looks_binary(data):
        raise StageError("decode", "binary content: not a text or HTML document")
    for candidate in (http_charset, declared_charset(data), "utf-8"):
        encoding = normalise_charset(candidate)
        if encoding:
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                continue
    best = from_bytes(data).best()
    if best is None:
        raise StageError("decode", "undecodable bytes: no text encoding fits this input")
    encoding = normalise_charset(best.encoding) or best.encoding
    text = data.decode(encoding, errors="replace")
    if text.count("\ufffd") > max(8, len(text) // 50):
        raise StageError("decode", f"undecodable bytes: best guess {encoding} leaves too many invalid sequences")
    return text, encoding


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return control > len(sample) * 0.05
