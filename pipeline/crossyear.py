"""Cross-year checks: one agency's report of year N against its previous report, kept in `checks`.

- cross_year.carryover/<year before>-><year>: 二、上年结转 (applications.carried_in.total) of year N against
  四、结转下年度继续办理 (applications.carried_out.total) of the report before. Compared when both reports are
  national-template ones of consecutive years; otherwise the row says why it could not be (passed null), so
  every consecutive pair of one agency's reports has a row.
- cross_year.cumulative/<measure>: between two legacy reports, 历年累计 of year N against 历年累计 of the
  previous report + 本年度 of year N (equal for consecutive years; at least that much across a gap).
The rows belong to the later report (report_id, partition). The agency is `agency_key` (rules/agency.py), so
one body's spellings form one series. `refresh(out, agencies)` runs after each write batch for the agencies it
touched: their partitions only are read and their checks files rewritten (atomically), never the whole archive.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import pyarrow as pa
import pyarrow.compute as pc

from xxgk.pipeline import schema
from xxgk.pipeline.store import PART_FILE, _Staged, partition_file, read_partition
from xxgk.rules.agency import normalised_name
from xxgk.rules.measures import CUMULATIVE_SUFFIX

CARRIED_IN, CARRIED_OUT = "applications.carried_in.total", "applications.carried_out.total"
NATIONAL = ("gov2019", "gov2021")
KIND = "cross_year"
EPS = 1e-6


@dataclass
class Stored:
    """One stored report: where it is and the measures of its table cells."""

    report_id: str
    agency: str
    year: int
    template: str
    key: str
    values: dict[str, float] = field(default_factory=dict)


def refresh(out: Path, agencies: set[str], written: dict | None = None) -> int:
    """Recompute the cross-year checks of every agency_key whose reports sit under one of `agencies` (names of
    partitions a batch wrote or left); returns how many cross-year rows are stored for them now."""
    names = {normalised_name(a) for a in agencies}
    candidates = [a for a in _stored_agencies(out) if normalised_name(a) in names]
    reports = [r for a in candidates for r in _reports_of(out, a)]
    series: dict[str, list[Stored]] = {}
    for r in reports:
        series.setdefault(r.key, []).append(r)
    rows: dict[str, list[dict]] = {r.report_id: [] for r in reports}
    for members in series.values():
        _load_values(out, members)
        for row in series_checks(members):
            rows[row["report_id"]].append(row)
    _store(out, reports, rows, {} if written is None else written)
    return sum(len(v) for v in rows.values())


def _stored_agencies(out: Path) -> list[str]:
    base = Path(out) / "reports"
    if not base.exists():
        return []
    return [unquote(e.name.split("=", 1)[1]) for e in os.scandir(base) if e.name.startswith("agency=")]


def _reports_of(out: Path, agency: str) -> list[Stored]:
    found = []
    directory = Path(partition_file(out, "reports", agency, 0)).parent.parent
    for entry in os.scandir(directory):
        if not entry.name.startswith("year="):
            continue
        year = int(entry.name.split("=", 1)[1])
        path = os.path.join(entry.path, PART_FILE)
        if os.path.exists(path):
            table = read_partition(path, schema.REPORTS).select(["report_id", "template", "agency_key"])
            for rid, template, key in zip(*(table[c].to_pylist() for c in table.column_names)):
                found.append(Stored(rid, agency, year, template, key or agency))
    return found


def _load_values(out: Path, members: list[Stored]) -> None:
    """Fill each report's values (measure → value) from its table_cells partition."""
    for r in members:
        path = partition_file(out, "table_cells", r.agency, r.year)
        if not os.path.exists(path):
            continue
        cells = read_partition(path, schema.TABLE_CELLS).select(["report_id", "measure", "value"])
        cells = cells.filter(pc.and_(pc.equal(cells["report_id"], r.report_id), pc.is_valid(cells["value"])))
        r.values = {m: v for m, v in zip(cells["measure"].to_pylist(), cells["value"].to_pylist()) if m}


def series_checks(members: list[Stored]) -> list[dict]:
    """Check rows of one agency's reports, each consecutive pair (by year; one report per year)."""
    by_year: dict[int, Stored] = {}
    for r in sorted(members, key=lambda r: (r.year, r.report_id)):
        by_year.setdefault(r.year, r)
    ordered = [by_year[y] for y in sorted(by_year)]
    rows = []
    for before, after in zip(ordered, ordered[1:]):
        rows.append(carryover(before, after))
        if before.template == "legacy" and after.template == "legacy":
            rows.extend(cumulative(before, after))
    return rows


def _row(report: Stored, rule: str, subject: str, passed: bool | None, expected, actual, detail: str) -> dict:
    return {"report_id": report.report_id, "check": f"{rule}/{subject}", "passed": passed, "expected": expected,
            "actual": actual, "detail": detail, "kind": KIND, "rule": rule, "subject": subject}


def carryover(before: Stored, after: Stored) -> dict:
    subject = f"{before.year}->{after.year}"
    expected, actual = before.values.get(CARRIED_OUT), after.values.get(CARRIED_IN)
    why = None
    if before.template not in NATIONAL or after.template not in NATIONAL:
        why = (f"not compared: the {before.year} report ({before.template}) and the {after.year} report "
               f"({after.template}) are not both national-template reports")
    elif after.year != before.year + 1:
        why = f"not compared: no report of the years between {before.year} and {after.year}"
    elif expected is None or actual is None:
        why = "not compared: " + (f"{before.year} 四、结转下年度 not read" if expected is None
                                  else f"{after.year} 二、上年结转 not read")
    if why:
        return _row(after, "cross_year.carryover", subject, None, expected, actual, why)
    return _row(after, "cross_year.carryover", subject, abs(expected - actual) < EPS, expected, actual,
                f"{after.year} 二、上年结转 {actual:g} against {before.year} 四、结转下年度继续办理 {expected:g}")


def cumulative(before: Stored, after: Stored) -> list[dict]:
    rows = []
    consecutive = after.year == before.year + 1
    for key in sorted(k for k in after.values if k.endswith(CUMULATIVE_SUFFIX)):
        base = key[: -len(CUMULATIVE_SUFFIX)]
        if key not in before.values or base not in after.values:
            continue
        expected = before.values[key] + after.values[base]
        actual = after.values[key]
        passed = abs(expected - actual) < EPS if consecutive else actual >= expected - EPS
        relation = "=" if consecutive else "≥"
        rows.append(_row(after, "cross_year.cumulative", base, passed, expected, actual,
                         f"{after.year} 历年累计 {actual:g} {relation} {before.year} 历年累计 {before.values[key]:g} + "
                         f"{after.year} 本年度 {after.values[base]:g}"))
    return rows


def _store(out: Path, reports: list[Stored], rows: dict[str, list[dict]], written: dict) -> None:
    """Replace the cross_year rows in the checks partitions of `reports` with `rows`."""
    partitions: dict[tuple[str, int], list[Stored]] = {}
    for r in reports:
        partitions.setdefault((r.agency, r.year), []).append(r)
    staged = _Staged(written)  # the sizes go to the catalog's files table (self-healing checks them)
    for (agency, year), members in partitions.items():
        path = partition_file(out, "checks", agency, year)
        old = read_partition(path, schema.CHECKS) if os.path.exists(path) else schema.CHECKS.empty_table()
        kept = old.filter(pc.invert(pc.fill_null(pc.equal(old["kind"], KIND), False)))
        new = [row for r in members for row in rows.get(r.report_id, [])]
        if not new and kept.num_rows == old.num_rows:
            continue
        table = pa.concat_tables([kept, pa.Table.from_pylist(new, schema=schema.CHECKS)])
        table = table.sort_by([("report_id", "ascending")])
        if table.num_rows:
            staged.replace(table, path, ("checks", agency, year))
        elif os.path.exists(path):
            staged.remove(Path(path), Path(out) / "checks", ("checks", agency, year))
    staged.commit()
