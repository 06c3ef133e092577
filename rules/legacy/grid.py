"""Appendices printed as real tables (HTML, Markdown pipe tables, tab-separated lines): grid rows → rows.

The header row tells the columns: label columns (统计指标 …), the unit column (单位), a code column (代码)
and the value columns (统计数, 2017年度 / 历年累计 …); columns after the last value column (备注) are not
values. A table without a header row that continues the one before it (a table broken over pages) reads
with that table's columns when it is as wide; otherwise its cells are told apart by what they hold.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from xxgk.parsers.document import Block
from xxgk.rules.legacy.basics import BLANKS, FULL_WIDTH_DIGITS, Row, rules as _rules
from xxgk.rules.text import squash


@dataclass
class Layout:
    columns: list[str]  # value column headers as printed
    value_cols: list[int]
    unit_col: int | None
    code_col: int | None
    first_label_col: int
    width: int


def _is_number(cell: str) -> bool:
    return bool(re.fullmatch(r"[-+]?\d[\d,，]*(?:\.\d+)?", cell.strip()))


def _squash(cell: str) -> str:
    return squash(cell).translate(FULL_WIDTH_DIGITS)


def header_layout(grid: list[list[str]]) -> tuple[Layout, int] | None:
    """The layout read from a header row among the first five rows, and the index of the first body row."""
    rules = _rules()
    for r, row in enumerate(grid[:5]):  # (after a title row, a period row, a 填报单位 row)
        cells = [_squash(c) for c in row]
        units = [c for c, cell in enumerate(cells) if cell in rules["unit_h"]]
        labels = [c for c, cell in enumerate(cells) if rules["label_h"].fullmatch(cell)]
        values = [c for c, cell in enumerate(cells) if cell and rules["value_h"].fullmatch(cell)]
        if not (labels or units or values):
            continue
        others = [cell for c, cell in enumerate(cells) if cell and c not in values]
        if not (labels or units) and any(x not in rules["code_h"] and x not in rules["remark_h"] for x in others):
            continue  # value words beside other text: a title row (“填报单位：… | 2016年度”), not the header
        code_col = next((c for c, cell in enumerate(cells) if cell in rules["code_h"]), None)
        unit_col = units[0] if units else None
        if not values:  # value columns whose header is not a known word: those after label, code and unit
            last = max(labels + units + ([code_col] if code_col is not None else []))
            values = [c for c in range(last + 1, len(cells)) if cells[c] not in rules["remark_h"]]
        first_label = labels[0] if labels else next(
            (c for c in range(len(cells)) if c not in values and c != unit_col and c != code_col), 0)
        names = [cells[c] for c in values]
        body = r + 1
        if body < len(grid):  # a second header row naming the value columns (统计数 over 本年度 / 历年累计)
            sub = [_squash(grid[body][c]) if c < len(grid[body]) else "" for c in values]
            if all(sub) and all(rules["value_h"].fullmatch(x) for x in sub) and len(set(sub)) == len(sub):
                names, body = sub, body + 1
        return Layout(names, values, unit_col, code_col, first_label, len(row)), body
    return None


def table_rows(block: Block, previous: Layout | None = None) -> tuple[list[Row], Layout | None] | None:
    """Rows of an appendix printed as a real table, and the layout they were read with (None: no header)."""
    rules = _rules()
    grid = block.rows or []
    if not grid or (previous is None and not any(w in block.text for w in rules["row_words"])):
        return None
    found = header_layout(grid)
    if found:
        layout, body_start = found
    elif previous is not None and previous.width == len(grid[0]):
        layout, body_start = previous, 0
    else:
        layout, body_start = None, 0
    rows: list[Row] = []
    for r in range(body_start, len(grid)):
        row = [(_squash(cell), _copy_of(block, r, c)) for c, cell in enumerate(grid[r])]
        labels, unit, tokens, code = (_layout_cells(row, layout) if layout else _guess_cells(row))
        if not labels and not any(tokens):
            continue
        for extra in labels[:-1]:
            rows.append(Row(label=extra))
        label = labels[-1] if labels else ""
        code_first = layout is not None and layout.code_col is not None and layout.code_col < layout.first_label_col
        rows.append(Row(label=label, unit=unit, tokens=tokens, positional=layout is not None, code=code,
                        code_first=code_first))
    return rows, layout


def _copy_of(block: Block, r: int, c: int) -> str:
    """"" for a cell of its own; "row" for the repeat of a rowspan'd cell above, "col" of a colspan'd one."""
    if not block.is_span_copy(r, c):
        return ""
    return "row" if block.origins[r][c][1] == c else "col"


def _layout_cells(row: list[tuple[str, str]], layout: Layout) -> tuple[list[str], str | None, list[str], str]:
    labels: list[str] = []
    unit = None
    code = ""
    tokens = [""] * len(layout.value_cols)
    last_value = max(layout.value_cols) if layout.value_cols else -1
    for c, (cell, copy) in enumerate(row):
        if copy == "col" or (copy and c not in (layout.code_col, layout.unit_col)):
            continue  # a label spread over columns, a rowspan'd group label or value (a unit may span rows)
        if c == layout.code_col:
            code = cell
        elif c == layout.unit_col:
            unit = None if not cell or cell in BLANKS else cell
        elif c in layout.value_cols:
            m = _rules()["number_unit"].fullmatch(cell)  # "60条": a value cell that prints its unit
            if m:
                unit = unit or m.group(2)
            tokens[layout.value_cols.index(c)] = cell
        elif c > last_value:
            continue  # 备注 and later columns
        elif cell and (not labels or cell != labels[-1]):
            labels.append(cell)
    return labels, unit, tokens, code


def _guess_cells(row: list[tuple[str, str]]) -> tuple[list[str], str | None, list[str], str]:
    """A row without a header to go by: units by their words, numbers and dashes after a label are values."""
    units = _rules()["units"]
    labels: list[str] = []
    unit = None
    tokens: list[str] = []
    for _c, (cell, span_copy) in enumerate(row):
        if span_copy or not cell:
            continue
        if unit is None and not tokens and cell in units and labels:
            unit = cell
        elif _is_number(cell) or (labels and cell in BLANKS):
            tokens.append(cell)
        elif not tokens and (not labels or cell != labels[-1]):
            labels.append(cell)
    return labels, unit, tokens, ""


def tab_grid(text: str) -> Block | None:
    """Lines of tab-separated cells (a table copied as text) as a table block; None when the text is not that."""
    lines = [line for line in text.split("\n") if line.strip()]
    tabbed = [line for line in lines if line.count("\t") >= 1]
    if len(tabbed) < 3 or len(tabbed) < len(lines) * 0.6:
        return None
    rows = [[cell.strip() for cell in line.split("\t")] for line in lines]
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    return Block("table", "\n".join(" ".join(r) for r in rows), rows=rows)
