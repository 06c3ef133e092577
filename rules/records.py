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
    division_code: str | None = None  # GB/T 2260 of the region (rules/agency.py)
    agency_key: str | None = None  # one body's spellings grouped: "350128:平潭综合实验区" (rules/agency.py)


@dataclass
class Figure:
    section: str
    metric: str
    value: float
    unit: str | None
    text: str
    category: str | None = None
    approximate: bool = False
    measure: str | None = None  # rules/data/measures.toml key of the quantity stated, where it has one


@dataclass
class Cell:
    table: str  # legacy_appendix | active_disclosure | applications | review_litigation
    row_key: str
    row_label: str
    column_key: str
    value: float | None
    raw_value: str
    unit: str | None = None
    measure: str | None = None  # rules/data/measures.toml: the quantity, the same key in every template
    period: str | None = None  # legacy cells: year | cumulative
    doubtful: bool = False  # a failed extraction check (ambiguous split, unsatisfiable identities) touches it


@dataclass
class Check:
    check: str
    passed: bool
    expected: float | None
    actual: float | None
    detail: str
    kind: str | None = None  # document | extraction | cross_year (rules/data/checks.toml)
    rule: str | None = None  # the check's name without its subject: legacy_appendix.sum
    subject: str | None = None  # what it is about: a row_key, a metric, a quantity (may contain '/')


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
