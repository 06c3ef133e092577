"""National template tables 二/三/四 (2019 and 2021 formats) → table_cells and checks.

Entry point `extract_national(doc, template)`. The document is rendered to text (table grids as
`|`-separated rows, spanned copies dropped); flat finds the tables and which printed run belongs
to which row; digit_split reads each run as the row's cells under the tables' identities; cells no
identity can decide are emitted as null with the whole run as raw_value and an ambiguous_split check.
The format (2019/2021) of each table is told from its own labels, the detected template as fallback.

Modules: template (the tables as data, from rules/data/national.toml), labels (folding and
label matching), grid (grids → rows of text, columns put in template order by their headers),
flat (table regions, which run belongs to which row; a misprinted label takes the closest row between
its found neighbours), wrapped (row labels that PDF text wraps over lines put back before their
values), digit_split (runs → cells under the
identities), national_values (one cell's value), national_checks (identity checks).
"""
from __future__ import annotations

from xxgk.parsers.document import Document
from xxgk.rules.digit_split import Identity, agreed, solve, split_run
from xxgk.rules.national.checks import application_checks, review_checks
from xxgk.rules.national.flat import Assembly, RowRun, assemble, find_regions, review_run
from xxgk.rules.national.grid import render
from xxgk.rules.data_files import load
from xxgk.rules.national.labels import Squashed, norm
from xxgk.rules.national.template import FORMATS, TABLES, Template, format_markers, template
from xxgk.rules.national.wrapped import rejoin_wrapped_labels
from xxgk.rules.records import Cell, Check


HEADER_REACH = 300  # characters of normalised text above table 三's first row that hold its column headers
FALLBACK_LIMIT = 500  # readings of a row whose totals fail, or that no total proves: beyond this, unresolved


def extract_national(doc: Document, template_name: str) -> tuple[list[Cell], list[Check]]:
    fallback = template_name if template_name in FORMATS else "gov2021"
    s = Squashed.of(rejoin_wrapped_labels(render(doc)))
    regions = find_regions(s, template("applications", "gov2021"))
    cells: list[Cell] = []
    checks: list[Check] = []
    if regions.active_disclosure:
        start, end = regions.active_disclosure
        fmt = _format(s, "active_disclosure", start, end, fallback)
        tpl = template("active_disclosure", fmt)
        c, k = _resolve(tpl, assemble(s, tpl, start, end))
        cells += c
        checks += k
    if regions.applications:
        start, end = regions.applications
        columns = _applicant_columns(s, start)
        fmt = _format(s, "applications", start, end, fallback, default_other="gov2019", columns=columns)
        tpl = template("applications", fmt, columns)
        c, k = _resolve(tpl, assemble(s, tpl, start, end))
        cells += c
        checks += k + application_checks(tpl, c)
    if regions.review_litigation:
        start, end = regions.review_litigation
        tpl = template("review_litigation", fallback)
        run = review_run(s, start, end, tpl.rows[0])
        if run:
            asm = Assembly({0: RowRun(0, run, "region")})
            c, k = _resolve(tpl, asm)
            cells += c
            checks += k + review_checks(tpl, c)
    checks += _coverage(cells, fallback)
    return cells, checks


def _coverage(cells: list[Cell], fallback: str) -> list[Check]:
    """<table>.rows_found: how many of the table's rows were read (a finding, e.g. for a partial page)."""
    out = []
    for table in TABLES:
        found = {c.row_key for c in cells if c.table == table}
        tpl = max((template(table, f) for f in FORMATS),
                  key=lambda t: (len(found & {r.key for r in t.leaves()}), t.fmt == fallback))
        keys = [r.key for r in tpl.leaves()]
        missing = [k for k in keys if k not in found]
        detail = "all rows read" if not missing else "not read: " + "; ".join(missing[:8]) + (
            f" (+{len(missing) - 8} more)" if len(missing) > 8 else "")
        out.append(Check(f"{table}.rows_found", not missing, float(len(keys)), float(len(keys) - len(missing)),
                         detail))
    return out


def _applicant_columns(s: Squashed, start: int) -> str:
    """"short" when the header above table 三's first row names 法人或其他组织 but none of its five kinds."""
    app = load("national")["applications"]
    header = s.text[max(0, start - HEADER_REACH):start]
    if norm(app["short_column_marker"]) in header and not any(norm(m) in header for m in app["sub_column_markers"]):
        return "short"
    return "full"


def _format(s: Squashed, table: str, start: int, end: int, fallback: str, default_other: str | None = None,
            columns: str = "full") -> str:
    """The format the table's own labels show; markers of one format only, else the fallback."""
    region = s.text[start:end]
    markers = format_markers(table)
    seen = {fmt for fmt, words in markers.items() if any(w in region for w in words)}
    if len(seen) == 1:
        return seen.pop()
    if not seen and default_other and set(markers) == {"gov2021"}:
        return default_other if fallback == "gov2019" else _applications_default(s, start, end, fallback, columns)
    return fallback


def _applications_default(s: Squashed, start: int, end: int, fallback: str, columns: str) -> str:
    """Table 三 without any 2021-only label: 2019 when （六）其他处理 is printed with values of its own."""
    tpl = template("applications", "gov2019", columns)
    asm = assemble(s, tpl, start, end)
    other = next(i for i, r in enumerate(tpl.rows) if r.key.endswith("（六）其他处理"))
    return "gov2019" if other in asm.runs else fallback


def _union(lists) -> list:
    out, seen = [], set()
    for cands in lists:
        for cand in cands:
            key = tuple((c.value, c.unit) for c in cand)
            if key not in seen:
                seen.add(key)
                out.append(cand)
    return out


def _resolve(tpl: Template, asm: Assembly) -> tuple[list[Cell], list[Check]]:
    """Runs → cells: split every run, keep the splits the identities allow, emit what they decide."""
    table = tpl.table
    candidates: dict[str, list] = {}
    runs: dict[str, RowRun] = {}
    checks: list[Check] = []
    row_failed: set[str] = set()
    for index, rr in asm.runs.items():
        row = tpl.rows[index]
        readings = [rr.run] + rr.alternatives
        cands = _union(split_run(r, row.spec) for r in readings)
        if not cands and any(g.total for g in row.spec.groups):
            cands = _union(split_run(r, row.spec, check_totals=False, limit=FALLBACK_LIMIT) for r in readings)
            row_failed.add(row.key)
        candidates[row.key] = cands
        runs[row.key] = rr
    identities = [Identity(i.name, i.coefs) for i in tpl.identities]
    width = tpl.leaves()[0].width if tpl.leaves() else 0
    solved, feasible = solve(candidates, identities, width) if identities else (candidates, True)
    if not feasible:
        checks.append(Check(f"{table}.identities_unsatisfiable", False, None, None,
                            "no reading of the printed runs satisfies every column identity; "
                            "each row was read on its own"))
    cells: list[Cell] = []
    for row in tpl.rows:
        if row.key not in candidates:
            continue
        rr = runs[row.key]
        cands = solved.get(row.key, [])
        values = agreed(cands, row.width)
        if any(v is None for v in values):
            if cands:
                shown = "; ".join(",".join(c.raw for c in cand) for cand in cands[:6])
                more = f" (+{len(cands) - 6} more)" if len(cands) > 6 else ""
                held = "the column identities (no reading holds the row total)" if row.key in row_failed \
                    else "every identity"
                detail = f"run {rr.run!r} splits {len(cands)} ways satisfying {held}: {shown}{more}"
            else:
                loose = _union(split_run(r, row.spec, strict=False, limit=FALLBACK_LIMIT)
                               for r in [rr.run] + rr.alternatives)
                detail = f"run {rr.run!r} cannot be read as {row.width} cells"
                if loose:
                    detail = (f"run {rr.run!r} reads as {row.width} cells only by cutting a printed number that no "
                              f"row total proves (blank cells may have been lost): "
                              + "; ".join(",".join(c.raw for c in cand) for cand in loose[:3]))
            checks.append(Check(f"{table}.ambiguous_split/{row.key}", False, float(len(cands)), 1.0, detail))
        label = rr.label or row.label
        for col, value in zip(row.columns, values):
            if value is None:
                cells.append(Cell(table, row.key, label, col.key, None, rr.run.strip(), col.unit or tpl.unit))
            else:
                unit = value.unit or col.unit or tpl.unit
                cells.append(Cell(table, row.key, label, col.key, value.value, value.raw, unit))
    return cells, checks
