"""Fuzzy matching of the national template's row labels in text: normalisation and label occurrences.

Text is folded (full-width brackets, dots, colons, quotes → ASCII; rules/data/national.toml [normalize])
and stripped of white space, keeping a map back to the original positions, so that labels wrapped across
lines or cells ("商业\\n企业", "三、本年度办 理结果") and spacing variants match the same keywords.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from xxgk.rules.data_files import load
from xxgk.rules.text import squash


@lru_cache(maxsize=1)
def _fold_pairs() -> list[tuple[str, str]]:
    pairs = list(load("national")["normalize"]["fold"].items())
    assert not any(k in v for k, _ in pairs for _, v in pairs), "a folded character is folded again"
    return pairs


def fold(text: str) -> str:
    """Character-by-character folding (same length as the input); str.replace per character is many times
    faster than str.translate on Chinese text."""
    for char, ascii_char in _fold_pairs():
        if char in text:
            text = text.replace(char, ascii_char)
    return text


_NON_SPACE = re.compile(r"\S+")


@lru_cache(maxsize=4096)
def norm(text: str) -> str:
    """Folded, without white space: the form keywords are written in (cached: mostly the same labels)."""
    return squash(fold(text))


@dataclass
class Squashed:
    """Folded text without white space, with each character's position in the original text."""

    text: str
    pos: list[int]
    original: str

    @classmethod
    def of(cls, original: str) -> "Squashed":
        folded = fold(original)
        chars, pos = [], []
        for m in _NON_SPACE.finditer(folded):
            chars.append(m.group())
            pos.extend(range(m.start(), m.end()))
        return cls("".join(chars), pos, original)

    def orig_start(self, i: int) -> int:
        return self.pos[i] if i < len(self.pos) else len(self.original)

    def orig_end(self, j: int) -> int:
        """Original position just after squashed character j-1."""
        return self.pos[j - 1] + 1 if j > 0 else 0

    def find_all(self, keyword: str, start: int = 0, end: int | None = None) -> list[int]:
        out, i = [], self.text.find(keyword, start)
        limit = len(self.text) if end is None else end
        while 0 <= i and i + len(keyword) <= limit:
            out.append(i)
            i = self.text.find(keyword, i + 1)
        return out


@lru_cache(maxsize=None)
def numbering_pattern(numbering: str) -> re.Pattern:
    """Printed numbering ("1." / "(一)" / "一、") and its usual variants (the template's: cached)."""
    n = norm(numbering)
    if n.startswith("(") and n.endswith(")"):
        body = re.escape(n[1:-1])
        return re.compile(rf"\({body}\)|{body}[、.)]")
    if n.endswith("、") or n.endswith("."):
        body = re.escape(n[:-1])
        return re.compile(rf"{body}[、.,]|\({body}\)")
    return re.compile(re.escape(n))


LABEL_LEAD = 12  # how many characters of label text may stand between the numbering and the keyword


def numbering_start(s: Squashed, at: int, numbering: str | None, floor: int = 0) -> int:
    """Where the label starts when its own numbering is printed shortly before the keyword at squashed
    position `at` ("3.危及“三安全…": the keyword is 三安全一稳定), with no digit in between."""
    if not numbering:
        return at
    lo = max(floor, at - LABEL_LEAD)
    window = s.text[lo:at]
    best = None
    for match in numbering_pattern(numbering).finditer(window):
        if not re.search(r"[0-9]", window[match.end():]) and not re.search(r"[。;；]", window[match.end():]):
            best = match.start()
    return lo + best if best is not None else at


def glued_numbering(s: Squashed, at: int, numbering: str | None, floor: int = 0) -> bool:
    """The label's numbering digit is printed without its dot right after other digits
    ("…00000002其他法律…"): the digit may close the previous run or open this label."""
    if not numbering:
        return False
    n = norm(numbering).rstrip(".、")
    if not n.isdigit():
        return False
    lo = max(floor, at - LABEL_LEAD)
    window = s.text[lo:at]
    match = re.search(rf"(?<=[0-9]){re.escape(n)}(?=[^0-9.、,]*$)", window)
    return bool(match) and not re.search(r"[0-9]", window[match.end():])


_LINE_NUMBERING = re.compile(r"(?:^|\n|\|)\s*(?:\d[.、．]|[（(][一二三四五六七八九][）)])$")


def is_cell_boundary(s: Squashed, start: int, end: int, numbering: str | None = None) -> bool:
    """The squashed span [start, end) is a whole cell or line of the original text (bare labels), or is
    preceded by its own numbering and followed by values ("…00000003其他1000001")."""
    if numbering:
        n = norm(numbering).rstrip(".、")
        if n.isdigit() and re.search(rf"{re.escape(n)}[.、,]?$", s.text[max(0, start - 2):start]):
            following = s.text[end:end + 1]
            if not following or following.isdigit() or following in "|-—":
                return True
    before = s.original[:s.orig_start(start)]
    after = s.original[s.orig_end(end):]
    left = before.rstrip(" \t")
    right = after.lstrip(" \t")
    # a numbering (its last 2 or 3 characters) opening a line or cell of its own: looked for after the last
    # printed character before it
    left_ok = not left or left[-1] in "|\n" or _LINE_NUMBERING.search(left, max(0, len(left[:-3].rstrip()) - 1))
    right_ok = not right or right[0] in "|\n" or right[0].isdigit() or right[0] in "-—"
    return bool(left_ok and right_ok)
