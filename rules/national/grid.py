"""Table grids (HTML tables, Markdown/pipe tables) → `|`-separated text rows for the label matcher.

Spanned copies (rowspan/colspan) are dropped so that each printed cell appears once: a label spanning
three columns is one cell, a value spanning the three value columns of table 二's single-value blocks is
one value. Where a grid's header names the applicant or review columns in another order than the
template, the data cells are put back in template order.
"""
from __future__ import annotations

import re
from functools import lru_cache

from xxgk.parsers.document import Block, Document
from xxgk.rules.data_files import load
from xxgk.rules.national.labels import norm
from xxgk.rules.national.values import dashes, parse_cell

# a page number printed between the halves of a table split by a page break ("- 5 -", "第5页 共12页")
_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－]\s*\d{1,3}\s*[-—–－]"
                          r"|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?)\s*$")
_NUMBER = re.compile(r"^[+\-]?[0-9０-９][0-9０-９.,]*$")


def render(doc: Document) -> str:
    lines: list[str] = []
    for block in doc.blocks:
        if block.kind == "table" and block.rows:
            lines.extend(render_grid(block))
        elif not _PAGE_NUMBER.match(block.text):
            lines.append(block.text)
    return "\n".join(lines)


def _own_cells(block: Block, r: int) -> list[tuple[int, str]]:
    """The row's cells, each printed cell once; a blank cell merged across columns stays one blank per
    column (a blank is blank in every column it covers)."""
    out = []
    for c, text in enumerate(block.rows[r]):
        if not block.is_span_copy(r, c):
            out.append((c, text))
        elif not text.strip() and block.origins[r][c][0] == r and c > 0:
            out.append((c, text))
    return out


def render_grid(block: Block) -> list[str]:
    order = column_order(block)
    if order is None and block.origins is None:
        order = value_columns(block)
    out = []
    for r in range(len(block.rows)):
        cells = _own_cells(block, r)
        if order is not None and _is_data_row(block.rows[r], order):
            labels = [t for c, t in cells if c < min(order) and t.strip()]  # a blank beside a label is no value
            values = [block.rows[r][c] for c in order]
            out.append("|" + "|".join(labels + values) + "|")
        else:
            out.append("|" + "|".join(t for _, t in cells) + "|")
    return out


def _is_data_row(row: list[str], order: list[int]) -> bool:
    return any(any(ch.isdigit() for ch in row[c]) or row[c].strip() in dashes() for c in order)


def _is_value(text: str) -> bool:
    return parse_cell(text, "delta") is not None or parse_cell(text, "amount") is not None


def value_columns(block: Block) -> list[int] | None:
    """A text grid's value columns by position (Markdown / pipe tables print a cell spanning label columns
    as blanks beside it): from the first to the last column holding a number, when in every row holding a
    number the cells left of them hold no number and the cells among them nothing but values. Else None
    (the rows are read as printed)."""
    data = [row for row in block.rows if any(_NUMBER.match(t.strip()) for t in row)]
    if not data:
        return None
    cols = [c for row in data for c, t in enumerate(row) if _NUMBER.match(t.strip())]
    first, last = min(cols), max(cols)
    if all(_is_value(t) for row in data for t in row[first:last + 1]):
        return list(range(first, last + 1))
    return None


def column_order(block: Block) -> list[int] | None:
    """Grid columns of table 三's seven or table 四's fifteen data columns, in template order, when the
    header rows name every one of them (each exactly once); else None (cells are taken as printed)."""
    rows = block.rows
    width = len(rows[0]) if rows else 0
    header_rows = []
    for r, row in enumerate(rows):
        if any(_NUMBER.match(t.strip()) for t in row):
            break
        header_rows.append(r)
    if not header_rows:
        return None
    paths = []
    for c in range(width):
        parts: list[str] = []
        for r in header_rows:
            text = norm(rows[r][c])
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        paths.append(parts)
    specs = [_applicant_spec(), _review_spec()]
    header = "".join(p for parts in paths for p in parts)
    if not any(norm(m) in header for m in load("national")["applications"]["sub_column_markers"]):
        specs.append(_applicant_short_spec())
    named: dict[tuple[int, tuple[str, ...]], bool] = {}  # (column, keywords) → a header cell names them

    def names(c: int, alt: list[str]) -> bool:
        key = (c, tuple(alt))
        if key not in named:
            named[key] = any(_names(p, alt) for p in paths[c])
        return named[key]

    for spec in specs:
        mapping = []
        for keywords in spec:
            hits = [c for c in range(len(paths)) if all(names(c, alt) for alt in keywords)]
            if len(hits) != 1:
                break
            mapping.append(hits[0])
        else:
            if len(set(mapping)) == len(mapping):
                return mapping
    return None


def _names(part: str, keywords: list[str]) -> bool:
    """A header cell names a column: equal to a keyword, or containing a long one ("其他" must be whole,
    as 法人或其他组织 contains it)."""
    return any(part == k or (len(k) > 2 and k in part) for k in keywords)


def _keywords(columns: list[dict]) -> list[list[str]]:
    return [[norm(k) for k in column["keywords"]] for column in columns]


@lru_cache(maxsize=1)
def _applicant_spec() -> list[list[list[str]]]:
    """Table 三's seven data columns, each named by one of its keywords (rules/data/national.toml)."""
    return [[alt] for alt in _keywords(load("national")["applications"]["columns"])]


@lru_cache(maxsize=1)
def _applicant_short_spec() -> list[list[list[str]]]:
    return [[alt] for alt in _keywords(load("national")["applications"]["short_columns"])]


@lru_cache(maxsize=1)
def _review_spec() -> list[list[list[str]]]:
    """Table 四's fifteen data columns: a block and a result named in the column's header cells."""
    review = load("national")["review_litigation"]
    return [[block, result] for block in _keywords(review["blocks"]) for result in _keywords(review["results"])]
