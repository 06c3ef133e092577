"""One agency's measures by year: `xxgk compare OUT --agency NAME` and `xxgk.compare(out, agency)`.

The agency is found by its agency_key (rules/agency.py), so one body's spellings across the years form one
series. A value comes from the report's table cells; where the tables lack it, from a prose figure with the
same measure (`.attrs["from_prose"]` lists those (measure, year) pairs). Legacy 历年累计 cells are not used
(their measures end in .cumulative). Two reports of one year: the first (by report_id) that states the value.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from xxgk.rules.agency import normalised_name
from xxgk.rules.data_files import load


class AgencyNotFound(LookupError):
    """No report, or reports of several bodies, match the name given."""


def main_measures() -> list[str]:
    return list(load("measures")["compare"]["main"])


def agency_reports(out: str | Path, agency: str) -> pd.DataFrame:
    """The reports of the one body `agency` names: an agency name as printed, any spelling of it, or an
    agency_key. AgencyNotFound when none or several bodies match."""
    from xxgk.api import read

    reports = read(out, "reports")
    if reports.empty:
        raise AgencyNotFound(f"no reports under {out}")
    keys = reports["agency_key"].fillna(reports["agency"])
    names = keys.str.split(":", n=1).str[-1]
    match = reports[(keys == agency) | (reports["agency"] == agency) | (names == normalised_name(agency))]
    found = sorted(set(match["agency_key"].fillna(match["agency"])))
    if not found:
        raise AgencyNotFound(f"no reports of {agency!r} under {out}")
    if len(found) > 1:
        raise AgencyNotFound(f"{agency!r} names several bodies: {', '.join(found)}; give one agency_key")
    return match.sort_values(["year", "report_id"])


def compare(out: str | Path, agency: str, measures: list[str] | None = None) -> pd.DataFrame:
    """One row per measure, one column per year of the agency's reports (values), then one "<year> change"
    column per year after the first (the difference to the year before it shown)."""
    from xxgk.api import read

    reports = agency_reports(out, agency)
    measures = list(measures) if measures else main_measures()
    partitions = sorted(set(reports["agency"]))
    ids = set(reports["report_id"])
    cells = read(out, "table_cells", agency=partitions)
    figures = read(out, "figures", agency=partitions)
    tables = _values(cells[cells["report_id"].isin(ids)], reports, measures)
    prose = _values(figures[figures["report_id"].isin(ids)], reports, measures)
    years = sorted(set(reports["year"]))
    frame = pd.DataFrame(index=pd.Index(measures, name="measure"), columns=years, dtype="float64")
    from_prose = []
    for measure in measures:
        for year in years:
            value = tables.get((measure, year))
            if value is None and (measure, year) in prose:
                value = prose[(measure, year)]
                from_prose.append((measure, year))
            frame.loc[measure, year] = value
    for before, after in zip(years, years[1:]):
        frame[f"{after} change"] = frame[after] - frame[before]
    frame.columns = [str(c) for c in frame.columns]
    frame.attrs["from_prose"] = from_prose
    frame.attrs["agency_key"] = reports["agency_key"].iloc[0]
    return frame


def _values(rows: pd.DataFrame, reports: pd.DataFrame, measures: list[str]) -> dict[tuple[str, int], float]:
    """(measure, year) → the first value stated (reports of a year in report_id order)."""
    rows = rows[rows["measure"].isin(measures) & rows["value"].notna()]
    order = {rid: i for i, rid in enumerate(reports["report_id"])}
    rows = rows.assign(_order=rows["report_id"].map(order)).sort_values("_order")
    out: dict[tuple[str, int], float] = {}
    for measure, year, value in zip(rows["measure"], rows["year"], rows["value"]):
        out.setdefault((measure, int(year)), float(value))
    return out


def to_text(frame: pd.DataFrame) -> str:
    """The comparison as an aligned text table; values taken from prose are marked *."""
    shown = frame.astype(object).copy()
    prose = set(frame.attrs.get("from_prose", []))
    for measure in frame.index:
        for column in frame.columns:
            value = frame.loc[measure, column]
            text = "" if pd.isna(value) else f"{value:g}"
            if column.isdigit() and (measure, int(column)) in prose and text:
                text += "*"
            shown.loc[measure, column] = text
    note = "\n* from the report's prose (its tables do not state it)" if prose else ""
    return f"{frame.attrs.get('agency_key', '')}\n" + shown.to_string() + note
