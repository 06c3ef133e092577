"""One printed table cell → (value, unit): numbers, signed numbers, amounts with units, blanks and dashes."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from xxgk.rules.data_files import load
from xxgk.rules.national.labels import fold


@dataclass(frozen=True)
class CellValue:
    value: float | None  # None for a blank or a dash
    raw: str  # as printed
    unit: str | None = None  # unit printed inside the cell ("元", "万元")


@lru_cache(maxsize=1)
def _rules() -> tuple[frozenset[str], tuple[str, ...]]:
    data = load("national")["values"]
    return frozenset(data["dashes"]), tuple(sorted(data["units"], key=len, reverse=True))


def dashes() -> frozenset[str]:
    return _rules()[0]


def units() -> tuple[str, ...]:
    return _rules()[1]


_INT = r"(?:0|[1-9]\d{0,11}|[1-9]\d{0,2}(?:,\d{3})+)"
_PATTERNS = {
    "count": re.compile(rf"^(?P<num>{_INT})(?P<unit>件|个|项|条)?$"),
    "delta": re.compile(rf"^(?P<num>[+\-]?{_INT})(?P<unit>件|个|项|条)?$"),
    "amount": re.compile(rf"^(?P<num>{_INT}(?:\.\d{{1,8}})?)(?P<unit>万元|元)?$"),
}


@lru_cache(maxsize=8192)
def parse_cell(text: str, kind: str = "count") -> CellValue | None:
    """The cell's value, or None when the text is not a valid cell of this kind.

    kind: count (integer >= 0), delta (signed integer), amount (decimal, optional unit 元/万元).
    A blank or a dash is a valid cell of every kind, with value None.
    """
    raw = text.strip()
    if raw == "" or raw in dashes():
        return CellValue(None, raw)
    folded = fold(raw)  # full-width digits, signs, point and comma as ASCII
    match = _PATTERNS[kind].match(folded)
    if not match:
        return None
    number = match.group("num").replace(",", "")
    unit = match.group("unit")
    if unit in ("件", "个", "项", "条"):
        unit = None  # a count unit adds nothing; the column's unit stands
    if number in ("-0", "+0"):
        number = "0"
    return CellValue(float(number), raw, unit)
