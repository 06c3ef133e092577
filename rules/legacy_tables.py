"""Appendices printed as real tables (HTML, Markdown pipe tables): grid rows → label, unit and value cells."""
from __future__ import annotations

import re

from parsers.document import Block
from rules.legacy_rules import FULL_WIDTH_DIGITS, Row, rules as _rules


def _label_after(row: list[str], code_col: int) -> bool:
    """Whether the label cells of a row come after its code cell."""
    return any(c > code_col and cell.strip() and not _is_number(cell) for c, cell in enumerate(row[:code_col + 2]))


def _is_number(cell: str) -> bool:
    return bool(re.fullmatch(r"[-+]?\d[\d,，]*(?:\.\d+)?", cell.strip()))


def table_rows(block: Block) -> tuple[list[Row], list[str]] | None:
    """Rows of an appendix printed as a real table."""
    rules = _rules()
    grid = block.rows or []
    if not grid:
        return None
    text = block.text
    if not any(w in text for w in rules["row_words"]):
        return None
    columns: list[str] = []
    unit_col = None
    code_col = None
    value_cols: list[int] = []
    rows: list[Row] = []
    body_start = 0
    for r, row in enumerate(grid[:3]):
        cells = [re.sub(r"\s+", "", c) for c in row]
        vals = [c for c, cell in enumerate(cells) if rules["value_h"].fullmatch(cell or "-")]
        if any(rules["label_h"].fullmatch(c) or c in ("单位", "计量单位") for c in cells) or vals:
            value_cols = vals
            columns = [cells[c] for c in vals]
            unit_col = next((c for c, cell in enumerate(cells) if cell in ("单位", "计量单位")), None)
            code_col = next((c for c, cell in enumerate(cells) if cell in rules["code_h"]), None)
            body_start = r + 1
            break
    for r in range(body_start, len(grid)):
        row = grid[r]
        labels, unit, tokens, code = [], None, [], ""
        for c, cell in enumerate(row):
            cell_s = re.sub(r"\s+", "", cell).translate(FULL_WIDTH_DIGITS)
            if block.is_span_copy(r, c):
                continue
            if c == code_col:
                code = cell_s
                continue
            if c == unit_col or (unit_col is None and cell_s in rules["units"]):
                unit = cell_s or None
            elif c in value_cols or _is_number(cell_s) or (value_cols and c > max(value_cols + [unit_col or 0])):
                tokens.append(cell_s)
            elif value_cols and c >= min(value_cols):
                tokens.append(cell_s)
            elif cell_s and (not labels or cell_s != labels[-1]):
                labels.append(cell_s)
        if not labels and not any(tokens):
            continue
        for extra in labels[:-1]:
            rows.append(Row(label=extra))
        label = labels[-1] if labels else ""
        if code:  # a 代码 column: the code stays with the row as printed
            label = code + label if code_col is not None and code_col < len(row) and _label_after(row, code_col) else label + code
        rows.append(Row(label=label, unit=unit, tokens=[t for t in tokens]))
    return rows, columns or ["数量"]


