"""PDF → ordered blocks: ruled tables rebuilt from the page geometry, prose re-joined across line and
page breaks, page numbers and footers dropped.

PDFium (pypdfium2) reads the pages: it gives every character with its box and every path, at a few
milliseconds a page (pdfplumber's pdfminer is ~20x slower on the same files; see bench/pdf_bench.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pypdfium2 as pdfium

from xxgk.parsers.document import Block, StageError, title_from_blocks
from xxgk.parsers.pdf_layout import Char, PageLayout, read_pages
from xxgk.parsers.pdf_tables import Table, fill_cells, find_tables, join_lines, join_tables, line_text, \
    same_outline, text_lines, to_grid

_FOOTER = re.compile(r"^(?:[-—–－~～]?\s*\d{1,4}\s*[-—–－~～]?|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?"
                     r"|\d{1,4}\s*/\s*\d{1,4})$")
MARGIN_SHARE = 0.1  # a footer line lies in the page's top or bottom tenth
RUNNING_PAGES = 2  # a margin line whose text recurs on this many pages is a running head or foot
MIN_CHARS = 20  # fewer characters a page than this, beside page images: a scan
UNMAPPED_SHARE = 0.3  # more characters without a Unicode mapping than this share: unreadable text
INDENT = 0.8  # a line starting this many character heights right of the left margin starts a paragraph
SHORT = 1.5  # a line ending this many character heights short of the right margin ends its paragraph
TITLE_LINES = 3
MARGIN_RANK = 0.2  # the margins are the starts and ends of lines at this rank from the outermost


@dataclass
class Line:
    page: int
    top: float
    x0: float
    x1: float
    height: float
    text: str
    in_margin: bool = False  # in the page's top or bottom tenth, where running heads and feet are


def parse_pdf(data: bytes) -> tuple[str, list[Block], dict[str, str]]:
    """Returns (title, blocks, page metadata). Raises StageError('parse') for an unreadable PDF or one
    without a text layer."""
    try:
        pages = read_pages(data)
    except pdfium.PdfiumError as error:
        raise StageError("parse", f"unreadable PDF: {error}") from error
    _check_text_layer(pages)
    items = []
    for number, page in enumerate(pages):
        items.extend(_page_items(number, page))
    blocks = _blocks(_join_page_tables(_without_running_lines(items)))
    for index, block in enumerate(blocks):
        block.offset = index
    return title_from_blocks(blocks, TITLE_LINES), blocks, {}


def _check_text_layer(pages: list[PageLayout]) -> None:
    """Raise StageError when there is no text to read: no pages; no characters, or next to none beside
    page images (a scan, perhaps with a page number or a stamp in text); characters without a Unicode
    mapping (private-use or replacement codes: fonts exported without a ToUnicode map)."""
    if not pages:
        raise StageError("parse", "the PDF has no pages")
    chars = [char.text for page in pages for char in page.chars]
    images = sum(page.images for page in pages)
    if len(chars) < MIN_CHARS * len(pages) and images:
        raise StageError("parse", f"the PDF has no text layer ({len(pages)} pages, {images} images, "
                                  f"{len(chars)} characters: a scan?); run OCR first "
                                  "(e.g. ocrmypdf -l chi_sim in.pdf out.pdf)")
    if not chars:
        raise StageError("parse", f"the PDF has no text ({len(pages)} pages without characters or images)")
    unmapped = sum(1 for ch in chars if "\ue000" <= ch <= "\uf8ff" or ch == "\ufffd")
    if unmapped > UNMAPPED_SHARE * len(chars):
        raise StageError("parse", f"the PDF's text cannot be read: {unmapped} of {len(chars)} characters have "
                                  "no Unicode mapping (fonts without ToUnicode); run OCR on it")


def _without_running_lines(items: list[tuple[int, float, object]]) -> list[tuple[int, float, object]]:
    """Items without running heads and feet: lines in a page's top or bottom margin whose text (digits
    aside) recurs on other pages."""
    def key(line: Line) -> str:
        return re.sub(r"\d+", "#", line.text)

    edge = [item for item in items if isinstance(item[2], Line) and item[2].in_margin]
    pages_of: dict[str, set[int]] = {}
    for page, _, line in edge:
        pages_of.setdefault(key(line), set()).add(page)
    return [item for item in items if not (isinstance(item[2], Line) and item[2].in_margin
                                           and len(pages_of[key(item[2])]) >= RUNNING_PAGES)]


def _page_items(number: int, page: PageLayout) -> list[tuple[int, float, object]]:
    """The page's tables and prose lines as (page, top, Table | Line), top to bottom; footers dropped."""
    tables = find_tables(page)
    loose: list[Char] = []
    inside: dict[int, list[Char]] = {id(t): [] for t in tables}
    for char in page.chars:
        table = next((t for t in tables if t.contains(char)), None)
        (inside[id(table)] if table is not None else loose).append(char)
    for table in tables:
        fill_cells(table, inside[id(table)])
    items: list[tuple[int, float, object]] = [(number, t.top, t) for t in tables]
    for chars in text_lines(loose):
        line = Line(number, min(c.top for c in chars), chars[0].x0, chars[-1].x1,
                    max(c.height for c in chars), line_text(chars), _in_margin(chars, page))
        if not (line.in_margin and _FOOTER.match(line.text.strip())):
            items.append((number, line.top, line))
    return sorted(items, key=lambda item: item[1])


def _in_margin(chars: list[Char], page: PageLayout) -> bool:
    top = min(c.top for c in chars)
    return top < MARGIN_SHARE * page.height or top > (1 - MARGIN_SHARE) * page.height


def _join_page_tables(items: list[tuple[int, float, object]]) -> list[object]:
    """Items in order, a table ending a page joined with the one starting the next page (same outline)."""
    out: list[object] = []
    last_page_of = None
    for index, (page, _, item) in enumerate(items):
        previous = out[-1] if out else None
        first_on_page = index == 0 or items[index - 1][0] != page
        if (isinstance(item, Table) and isinstance(previous, Table) and first_on_page
                and last_page_of == page - 1 and same_outline(previous, item)):
            out[-1] = join_tables(previous, item)
        else:
            out.append(item)
        last_page_of = page if isinstance(item, Table) else None
    return out


def _blocks(items: list[object]) -> list[Block]:
    """Tables as grids; prose lines joined into paragraphs across line and page breaks."""
    lines = [item for item in items if isinstance(item, Line)]
    left, right = _margins(lines)
    blocks: list[Block] = []
    paragraph: list[Line] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Block("paragraph", join_lines([line.text for line in paragraph])))
            paragraph.clear()

    for item in items:
        if isinstance(item, Table):
            flush()
            rows, origins = to_grid(item)
            if any(any(row) for row in rows):
                blocks.append(Block("table", "\n".join(" ".join(row) for row in rows), rows=rows, origins=origins))
            continue
        if paragraph and (item.x0 > left + INDENT * item.height
                          or paragraph[-1].x1 < right - SHORT * paragraph[-1].height):
            flush()
        paragraph.append(item)
    flush()
    return blocks


def _margins(lines: list[Line]) -> tuple[float, float]:
    """The body's left and right margins: where most lines start and end (a few stick out: hanging
    punctuation, a wide line in a box)."""
    if not lines:
        return 0.0, 0.0
    starts = sorted(line.x0 for line in lines)
    ends = sorted((line.x1 for line in lines), reverse=True)
    return starts[int(len(starts) * MARGIN_RANK)], ends[int(len(ends) * MARGIN_RANK)]

