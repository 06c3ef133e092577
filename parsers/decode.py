"""Bytes → str: the one charset decision of xxgk (parser, crawler and WARC reader all use `choose_encoding`).

The encoding is chosen by evidence over the whole input, not by the first declaration found:
a BOM wins; bytes that are valid UTF-8 are UTF-8 whatever a header or <meta> claims (legacy Chinese
text is almost never valid UTF-8, while UTF-8 text often decodes as GB18030 — into mojibake); otherwise
the candidate (declared charsets, GB18030, a detected Big5) that leaves the fewest invalid bytes wins,
declared ones first on a tie. Single-byte codecs are used only when declared: they decode any bytes,
so a guess of one is how GBK turned into iso8859-5 mojibake.

A few invalid bytes (a damaged byte, a character cut at the end) are replaced by U+FFFD and counted
(`Decoded.replaced`, the reports' `replaced_bytes`); a page whose lines are partly UTF-8 and partly
GB18030 is decoded line by line (encoding "utf-8+gb18030"). Too many invalid bytes is a decode error.
gb2312/gbk declarations are decoded as gb18030 (its superset): real pages declare gb2312 and use
characters outside it.
"""
from __future__ import annotations

import codecs
import re
from typing import NamedTuple

from xxgk.parsers.document import StageError

_BOMS = [
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030",
              "cp936": "gb18030", "euc-cn": "gb18030", "big5": "big5hkscs", "ascii": "utf-8",
              "us-ascii": "utf-8", "iso-8859-1": "cp1252", "latin-1": "cp1252"}
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))  # not expected in text
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_META_WINDOW = 16384  # a <meta> charset is looked for in the first 16 KB
_CHUNK = 1 << 20  # invalid bytes are counted chunk by chunk: a large input is never decoded three times at once
_MULTIBYTE_GUESSES = {"big5hkscs"}  # detector guesses trusted besides GB18030 (never a single-byte codec)
_HANZI = re.compile("[\u4e00-\u9fff]")
_FALLBACK_SHARE = 0.25  # in a UTF-8 input, a line goes to GB18030 when this share of its non-ASCII bytes is invalid


class Decoded(NamedTuple):
    text: str
    encoding: str
    replaced: int  # invalid bytes replaced by U+FFFD


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
    """The charset an HTML page declares in a <meta> tag within its first 16 KB."""
    match = _META_CHARSET.search(data[:_META_WINDOW])
    return match.group(1).decode("ascii", "replace") if match else None


def invalid_bytes(data: bytes, codec: str) -> int:
    """How many invalid sequences `codec` meets in `data` (counted in 1 MB steps)."""
    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    bad = 0
    for start in range(0, len(data), _CHUNK):
        bad += decoder.decode(data[start:start + _CHUNK]).count("\ufffd")
    return bad + decoder.decode(b"", final=True).count("\ufffd")


def decodes(data: bytes, codec: str | None) -> bool:
    """True when `codec` is known and decodes all of `data` strictly."""
    codec = normalise_charset(codec)
    if not codec:
        return False
    try:
        codecs.decode(data, codec)
    except UnicodeDecodeError:
        return False
    return True


def choose_encoding(data: bytes, http_charset: str | None = None) -> str:
    """The codec to decode `data` with, by evidence over all its bytes (see the module docstring)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    declared = [c for c in dict.fromkeys(map(normalise_charset, (http_charset, declared_charset(data)))) if c]
    if data.isascii():
        return next((c for c in declared if decodes(data, c)), "utf-8")
    if decodes(data, "utf-8"):
        return "utf-8"
    for codec in declared:
        if codec != "utf-8" and decodes(data, codec):
            return codec
    candidates = [c for c in declared if c != "utf-8"] + ["utf-8", "gb18030"]
    guess = _detected(data)
    if guess in _MULTIBYTE_GUESSES:
        candidates.append(guess)
    counts = {c: invalid_bytes(data, c) for c in dict.fromkeys(candidates)}
    return min(counts, key=counts.get)  # the first of the fewest: declared, then UTF-8, then GB18030


def _detected(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:_CHUNK]).best()
    return normalise_charset(best.encoding) if best else None


def decode(data: bytes, http_charset: str | None = None) -> Decoded:
    """Decode raw bytes. Raises StageError('decode') for empty, binary or undecodable input."""
    if not data or data.isspace():
        raise StageError("decode", "empty input: the file has no content")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data[len(bom):].decode(encoding, errors="replace")
            return Decoded(text, encoding, text.count("\ufffd"))
    if _looks_binary(data):
        raise StageError("decode", "binary content: not a text or HTML document")
    encoding = choose_encoding(data, http_charset)
    if encoding == "gb18030":  # GB18030 decodes UTF-8 lines too, into mojibake: each line is looked at
        decoded = _by_line(data, encoding)
    elif encoding == "utf-8" and not decodes(data, encoding):
        decoded = _by_line(data, encoding)
    else:
        text = data.decode(encoding, errors="replace")
        decoded = Decoded(text, encoding, text.count("\ufffd"))
    if decoded.replaced > max(8, len(decoded.text) // 50):
        raise StageError("decode", f"undecodable bytes: {decoded.replaced} invalid sequences as {encoding}")
    return decoded


def _by_line(data: bytes, primary: str) -> Decoded:
    """Decode line by line: a valid UTF-8 line as UTF-8, a line invalid in the primary codec as
    GB18030 when that fits it strictly (and, in a UTF-8 input, most of the line is not UTF-8),
    anything else in the primary codec with replacement."""
    parts, used, replaced = [], set(), 0
    for line in data.split(b"\n"):
        codec = _line_codec(line, primary)
        if codec:
            parts.append(line.decode(codec))
            used.add(codec)
        else:
            text = line.decode(primary, errors="replace")
            replaced += text.count("\ufffd")
            parts.append(text)
            used.add(primary)
    second = sorted(used - {primary})
    return Decoded("\n".join(parts), "+".join([primary, *second]), replaced)


def _line_codec(line: bytes, primary: str) -> str | None:
    if line.isascii():
        return primary
    if primary == "gb18030":
        if _utf8_chinese(line):
            return "utf-8"
        return "gb18030" if decodes(line, "gb18030") else None
    if decodes(line, "utf-8"):
        return "utf-8"
    non_ascii = len(line) - len(line.translate(None, bytes(range(128))))
    if invalid_bytes(line, "utf-8") >= max(2, non_ascii * _FALLBACK_SHARE) and decodes(line, "gb18030"):
        return "gb18030"
    return None


def _utf8_chinese(line: bytes) -> bool:
    """Valid UTF-8 holding Chinese characters (a short GBK line can be valid UTF-8, but as Latin or
    Cyrillic letters)."""
    try:
        return bool(_HANZI.search(line.decode("utf-8")))
    except UnicodeDecodeError:
        return False


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return control > len(sample) * 0.05
