"""Word .docx → ordered blocks with python-docx: paragraphs, and tables as grids with merged cells
expanded (python-docx repeats a horizontally or vertically merged cell in every grid position it covers,
so the grid origins come from which underlying <w:tc> each position shows)."""
from __future__ import annotations

import io

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from xxgk.parsers.document import Block, StageError, title_from_blocks
from xxgk.parsers.html import join_fragments

TITLE_BLOCKS = 3


def parse_docx(data: bytes) -> tuple[str, list[Block], dict[str, str]]:
    """Returns (title, blocks, page metadata). Raises StageError('parse') for a damaged file."""
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as error:
        raise StageError("parse", f"unreadable .docx: {error}") from error
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            text = " ".join(item.text.split())
            if text:
                blocks.append(Block("paragraph", text))
        elif isinstance(item, Table):
            rows, origins = table_grid(item)
            if any(any(row) for row in rows):
                blocks.append(Block("table", "\n".join(" ".join(r) for r in rows), rows=rows, origins=origins))
    for index, block in enumerate(blocks):
        block.offset = index
    title = document.core_properties.title or ""
    if "报告" not in title:
        title = title_from_blocks(blocks, TITLE_BLOCKS)
    return title, blocks, {}


def table_grid(table: Table) -> tuple[list[list[str]], list[list[tuple[int, int]]]]:
    """The table's grid of cell texts and, per position, the (row, col) where its cell starts."""
    first_seen: dict = {}  # keyed by the <w:tc> element itself (the dict keeps lxml's proxy, so its identity)
    rows, origins = [], []
    for r, row in enumerate(table.rows):
        texts, starts = [], []
        for c, cell in enumerate(row.cells):
            key = cell._tc
            first_seen.setdefault(key, (r, c))
            texts.append(join_fragments("\n".join(p.text for p in cell.paragraphs)))
            starts.append(first_seen[key])
        rows.append(texts)
        origins.append(starts)
    width = max((len(row) for row in rows), default=0)
    rows = [row + [""] * (width - len(row)) for row in rows]
    origins = [starts + [(r, c) for c in range(len(starts), width)] for r, starts in enumerate(origins)]
    return rows, origins

