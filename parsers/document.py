"""The parsed form of one input: raw bytes with provenance, and the Document made from them."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property


class StageError(Exception):
    """An input cannot go on past `stage` (fetch|decode|parse|extract|write); becomes a failures row."""

    def __init__(self, stage: str, message: str):
        super().__init__(message)
        self.stage = stage
        self.message = message


@dataclass(frozen=True)
class RawDoc:
    """Raw bytes of one input and where they came from."""

    data: bytes
    source: str
    kind: str = "auto"  # "html" | "text" | "pdf" | "docx" | "office" | "document" | "auto" (binary formats are
    # told from the bytes: parsers.formats)
    http_charset: str | None = None
    fetched_at: datetime | None = None
    error: str | None = None  # set when the bytes could not be read; the input becomes a failures row

    @cached_property
    def input_id(self) -> str:
        """sha256 of the bytes (the report_id). An input whose bytes could not be read hashes its source
        and error instead, so two unread inputs never pass for one."""
        if self.error and not self.data:
            unread = f"unread\0{self.source}\0{self.error}".encode("utf-8", "surrogatepass")
            return hashlib.sha256(unread).hexdigest()
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class Block:
    """One block of the report body, in document order.

    kind: "heading" | "paragraph" | "line" | "table".
    text: the block's text (for a table, its cells joined by spaces, row by row on new lines).
    rows: for a table, the grid of cell texts with rowspan/colspan expanded (every row as wide as the table).
    """

    kind: str
    text: str
    rows: list[list[str]] | None = None
    offset: int = 0  # index of the block in the document
    origins: list[list[tuple[int, int]]] | None = None  # per grid cell, the (row, col) of the <td> it came from

    def is_span_copy(self, row: int, col: int) -> bool:
        """True where a grid cell repeats a rowspan/colspan cell rather than being one of its own."""
        return bool(self.origins) and self.origins[row][col] != (row, col)


def title_from_blocks(blocks: list[Block], limit: int = 3) -> str:
    """A document's title from its first `limit` blocks, up to the one naming the report (a title is often
    printed over two lines); the first block when none does. Used by the PDF and Word readers."""
    head = []
    for block in blocks[:limit]:
        if block.kind == "table":
            break
        head.append(block.text)
        if "报告" in block.text:
            return "".join(head)
    return blocks[0].text if blocks and blocks[0].kind != "table" else ""


@dataclass
class Document:
    """A report as text blocks; already Simplified and cleaned."""

    source: str
    report_id: str  # sha256 hex of the raw bytes
    encoding: str
    converted_traditional: bool
    title: str
    blocks: list[Block] = field(default_factory=list)
    page_meta: dict[str, str] = field(default_factory=dict)  # e.g. published/publisher from <meta> or crawler headers
    replaced_bytes: int = 0  # invalid bytes the decoder replaced (parsers/decode.py)

    @property
    def text(self) -> str:
        """All blocks' text, one block per line."""
        return "\n".join(b.text for b in self.blocks)

    @property
    def tables(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "table"]

    @property
    def lines(self) -> list[str]:
        """Non-table text lines (headings, paragraphs, lines), in order."""
        return [b.text for b in self.blocks if b.kind != "table"]
