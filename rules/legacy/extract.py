"""Legacy statistics appendix (政府信息公开情况统计表, 2008–2018 form and local variants) → table_cells.

Every input form is turned into one stream of rows (label, code, unit, value tokens):
  * tables (HTML and Markdown grids, tab-separated lines): columns told by the header row (label, 代码, unit,
    value columns, 备注), blank cells in their places; a headerless part continues the table above;
  * text flattened one cell per line (the seed), or space separated;
  * text flattened into one run ("主动公开文件数条206912106其中：1.政府网站公开数条2069121062.…"); codes 01, 02 …
    of a 代码 column are found in sequence first so that none is read as a value.
Rows are then nested into label paths by their numbering (一、 / （一） / 1. / （1） / 其中：), and runs of
digits that hold several value columns are split using the table's own identities (本年度 ≤ 历年累计,
其中 items adding up to their total) and, as a last resort, the numbers the prose states. A run that still
splits more than one way gives value None with the run as raw_value (rules/checks.py reports it).
Rules (header words, units, footer) live in rules/data/legacy.toml.

Modules: basics (rules data, the Row record; numbering in rules/numbering.py) · flat (flattened text → rows) ·
grid (table grids → rows) · nest (label paths) · values (values, digit-run splitting).
"""
from __future__ import annotations

from xxgk.parsers.document import Document
from xxgk.rules.legacy.nest import nest
from xxgk.rules.legacy.basics import FULL_WIDTH_DIGITS, TABLE, Row
from xxgk.rules.legacy.grid import Layout, tab_grid, table_rows
from xxgk.rules.legacy.flat import locate_region, mark_codes, tokenize, trim_rows
from xxgk.rules.legacy.values import cell_value, fmt_number, resolve, row_candidates
from xxgk.rules.records import Cell
from xxgk.rules.text import squash


def build_cells(rows: list[Row], columns: list[str], prose: str) -> list[Cell]:
    k = max(1, len(columns))
    cumulative = k == 2 and any("累计" in c for c in columns)
    for row in rows:
        row_candidates(row, k, cumulative)
    nest(rows)
    resolve(rows, prose, cumulative)
    keys = ["value"] if k == 1 else columns
    cells: list[Cell] = []
    seen: set[str] = set()
    for row in rows:
        key = row.key
        if not key:
            continue
        if key in seen:  # a label printed twice in one group: keep both, second one numbered
            n = 2
            while f"{key}#{n}" in seen:
                n += 1
            key = f"{key}#{n}"
        seen.add(key)
        tokens = [t for t in row.tokens if t != ""]
        raws = [t + row.notes.get(i, "") for i, t in enumerate(row.tokens) if t != ""]  # with annotations
        resolved = row.candidates[0] if len(row.candidates) == 1 else None
        for c, column in enumerate(keys):
            if row.positional:
                value = resolved[c] if resolved else None
                raw = row.tokens[c] if c < len(row.tokens) else ""
            elif resolved is not None:
                value = resolved[c]
                raw = raws[c] if len(tokens) >= k and c < len(tokens) else (
                    fmt_number(value) if tokens else "")
            else:
                value = None
                raw = raws[0] if tokens else ""
            cell = Cell(TABLE, key, squash(row.printed), column, value, raw, row.unit)
            if row.ambiguous and resolved is not None and c == 0:
                cell._split = (row.ambiguous, row.how or "the table's sums (其中 items against their total)")
            cells.append(cell)
    return cells


def _table_score(rows: list[Row]) -> int:
    """Rows that look like appendix rows: a short label and at least one number."""
    return sum(1 for r in rows if 0 < len(r.label) <= 80 and any(cell_value(t) is not None for t in r.tokens))


def extract_legacy(doc: Document) -> list[Cell]:
    picked: list[Row] = []
    columns: list[str] | None = None
    layout: Layout | None = None
    for block in doc.tables:
        parsed = table_rows(block, layout)
        if not parsed:
            continue
        rows, read_with = parsed
        # a table with its header (or a headerless part read with the columns above) needs one row with a number
        if _table_score(rows) < (1 if read_with is not None else 3):
            continue
        cols = (read_with.columns or ["数量"]) if read_with else None
        if columns is None:
            columns = cols or ["数量"]
        elif cols is not None and len(cols) != len(columns):
            continue
        layout = read_with or layout
        picked.extend(rows)  # an appendix broken over several tables (page breaks) reads as one
    if picked:
        prose = "\n".join(b.text for b in doc.blocks if b.kind != "table")
        return build_cells(picked, columns, prose)
    text = "\n".join(b.text for b in doc.blocks if b.kind != "table")
    region = locate_region(text)
    if region is None:
        return []
    start, end, columns, head, code_first = region
    grid = tab_grid(text[head:end])
    if grid is not None:  # cells separated by tabs: a table, blank cells in their places
        parsed = table_rows(grid)
        if parsed and _table_score(parsed[0]) >= 2:
            return build_cells(trim_rows(parsed[0]), (parsed[1].columns if parsed[1] else None) or ["数量"],
                               text[:start])
    region_text = text[start:end].translate(FULL_WIDTH_DIGITS)
    marked = mark_codes(region_text, code_first) if code_first is not None or "01" in region_text else None
    rows = trim_rows(tokenize(*marked) if marked else tokenize(region_text))
    if len([r for r in rows if r.tokens]) < 2:
        return []
    return build_cells(rows, columns, text[:start])
