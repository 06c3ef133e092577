"""Row labels that PDF text wraps over lines, put back on the line of their values.

pdftotext prints a table row whose label is wider than its column over several lines, the values on the line
of the label's first piece or on a line of their own between its pieces:

    4.无正当理由大量反 0 0 0 0 0 0 0        4.无正当理由大量反
    复申请                            →   0 0 0 0 0 0 0        →   4.无正当理由大量反复申请 0 0 0 0 0 0 0
                                          复申请

A short line without numbers is such a continuation only where, joined to the label text before it, it goes
on spelling an official row label of tables 二/三 (so a caption or the next row's label is never taken).
"""
from __future__ import annotations

import re
from functools import lru_cache

from xxgk.rules.national.labels import norm
from xxgk.rules.national.template import FORMATS, template

MAX_PIECE = 24  # a wrapped label piece is at most this long (prose lines are longer or hold a 。)
_DIGIT = re.compile(r"[0-9０-９]")
_VALUE = r"(?:[+\-－＋]?[0-9０-９][0-9０-９.,．]*|[—\-－–/／\\×…]+|无|空)"  # a number, a dash, a blank word
_TRAILING_VALUES = re.compile(rf"^(?P<label>.*?[^\s0-9０-９.．、,])[ \t\u3000]+"
                              rf"(?P<values>{_VALUE}(?:[ \t\u3000]+{_VALUE})*)\s*$")
_VALUES_ONLY = re.compile(rf"^\s*{_VALUE}(?:[ \t\u3000]+{_VALUE})*\s*$")
_NUMBERING_TOKEN = r"(?:[一二三四五六七八九十]{1,2}、|[（(][一二三四五六七八九十]{1,2}[）)]|\d{1,2}\s*[.．、])"
_NUMBERING_ANYWHERE = re.compile(_NUMBERING_TOKEN)
_NUMBERING = re.compile(r"\s*" + _NUMBERING_TOKEN)


@lru_cache(maxsize=1)
def trailing_values(line: str) -> tuple[str, str] | None:
    """(label, values) of a line printing a label and then only values, else None."""
    m = _TRAILING_VALUES.match(line)
    return (m.group("label"), m.group("values")) if m else None


@lru_cache(maxsize=1)
def official_labels() -> tuple[str, ...]:
    """The own labels of every row of tables 二 and 三 in both formats, normalised."""
    labels = {norm(row.label) for fmt in FORMATS for table in ("active_disclosure", "applications")
              for row in template(table, fmt).rows}
    return tuple(sorted(labels, key=len, reverse=True))


def rejoin_wrapped_labels(text: str) -> str:
    """`text` with the pieces of wrapped row labels joined before their values."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        joined, i = _rejoined(lines, i)
        out.append(joined)
    return "\n".join(out)


def _rejoined(lines: list[str], i: int) -> tuple[str, int]:
    """The line at i with the label pieces that continue it; the index of the next line."""
    line = lines[i]
    if "|" in line or len(line.strip()) > 80:
        return line, i + 1
    trailing = _TRAILING_VALUES.match(line)
    if trailing:  # a label piece and its values: continuation lines may follow
        head, values, k = trailing.group("label"), trailing.group("values"), i + 1
    elif _is_label(line) and i + 1 < len(lines) and _VALUES_ONLY.match(lines[i + 1]):
        head, values, k = line, lines[i + 1], i + 2  # a label piece, its values, continuation lines
    else:
        return line, i + 1
    pieces = []
    while k < len(lines) and _is_piece(lines[k]) and _continues(head + "".join(pieces), lines[k]):
        pieces.append(lines[k].strip())
        k += 1
    if not pieces:
        return line, i + 1
    return head.rstrip() + "".join(pieces) + " " + values.strip(), k


def _is_piece(line: str) -> bool:
    text = line.strip()
    return (0 < len(text) <= MAX_PIECE and not _DIGIT.search(text) and "|" not in text and "。" not in text
            and not _NUMBERING.match(text))


def _is_label(line: str) -> bool:
    """A line of label text only (numbering such as “1.” or “（四）” allowed)."""
    text = _NUMBERING_ANYWHERE.sub("", line).strip()
    return 0 < len(line.strip()) <= 2 * MAX_PIECE and not _DIGIT.search(text) and "。" not in text


def _continues(head: str, piece: str) -> bool:
    """`piece` goes on spelling an official label that the end of `head` began."""
    h, p = norm(head), norm(piece)
    for label in official_labels():
        for k in range(min(len(h), len(label)), 1, -1):
            if h[-k:] + p in label:
                return True
    return False
