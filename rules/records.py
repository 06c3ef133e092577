"""Records that extraction produces; one dataclass per output dataset (see OUTPUT.md)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class ReportMeta:
    agency: str
    year: int
    title: str
    published: date | None = None
    province: str | None = None
    city: str | None = None
    county: str | None = None
    template: str = "none"  # gov2021 | gov2019 | legacy | none


@dataclass
class Figure:
    section: str
    metric: str
    value: float
    unit: str | None
    text: str
    category: str | None = None
    approximate: bool = False


@dataclass
class Cell:
    table: str  # legacy_appendix | active_disclosure | applications | review_litigation
    row_key: str
    row_label: str
    column_key: str
    value: float | None
    raw_value: str
    unit: str | None = None


@dataclass
class Check:
    check: str
    passed: bool
    expected: float | None
    actual: float | None
    detail: str


@dataclass
class Extraction:
    """Everything extracted from one report."""

    report_id: str
    source: str
    encoding: str
    converted_traditional: bool
    meta: ReportMeta
    figures: list[Figure] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    replaced_bytes: int = 0  # invalid bytes replaced when decoding
