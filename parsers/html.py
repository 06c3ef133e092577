"""HTML → ordered blocks: find the report body among site chrome, rebuild tables as grids.

Body detection: the deepest element that still holds most of the page's non-link Chinese text
(navigation, breadcrumbs, share bars and footers are mostly links or little text).
Inline elements join without a separator, as Word-exported pages split words across <span>s.
"""
from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from parsers.document import Block

DROP_TAGS = ["script", "style", "noscript", "iframe", "select", "button", "input", "textarea", "svg",
             "object", "embed", "template", "head"]
BLOCK_TAGS = {"p", "div", "section", "article", "main", "aside", "header", "footer", "nav", "ul", "ol", "li",
              "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dl", "dt", "dd", "form", "center",
              "address", "figure", "figcaption", "hr", "body", "html", "ucapcontent", "tbody", "thead", "tfoot"}
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
BODY_SHARE = 0.8  # the body is the deepest element holding this share of the page's non-link Han text
CHROME_MAX_HAN = 120  # a sibling of the body with less own (non-link) Han text than this can be chrome
_HAN = re.compile(r"[\u4e00-\u9fff]")
_WS = re.compile(r"[ \t\r\n\f\v]+")


def parse_html(text: str) -> tuple[str, list[Block], BeautifulSoup]:
    """Returns (page title, body blocks in order, the soup for page-level metadata)."""
    soup = BeautifulSoup(text, "lxml")
    title = _page_title(soup)
    for tag in soup.find_all(DROP_TAGS):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    body = find_body(soup)
    blocks: list[Block] = []
    writer = _BlockWriter(blocks)
    writer.visit(body)
    writer.flush()
    for index, block in enumerate(blocks):
        block.offset = index
    return title, blocks, soup


def _page_title(soup: BeautifulSoup) -> str:
    for name in ("ArticleTitle", "title", "og:title"):
        meta = soup.find("meta", attrs={"name": name}) or soup.find("meta", attrs={"property": name})
        if meta and meta.get("content", "").strip():
            return meta["content"].strip()
    return soup.title.get_text(" ", strip=True) if soup.title else ""


def _han_count(tag: Tag, link_text: bool) -> int:
    if link_text:
        return len(_HAN.findall(tag.get_text()))
    return sum(len(_HAN.findall(a.get_text())) for a in tag.find_all("a"))


def find_body(soup: BeautifulSoup) -> Tag:
    """The report body: descend from <body> into the child holding most non-link Han text while that
    child holds BODY_SHARE of it, or while everything beside it is chrome (short or link text, no table)."""
    root = soup.body or soup
    scores: dict[int, int] = {}

    def score(tag: Tag) -> int:
        key = id(tag)
        if key not in scores:
            scores[key] = _han_count(tag, True) - _han_count(tag, False)
        return scores[key]

    node = root
    while score(node):
        children = [c for c in node.children if isinstance(c, Tag) and c.name not in ("table", "tr", "td", "th")]
        best = max(children, key=score, default=None)
        if best is None or score(best) == 0:
            return node
        rest = [c for c in node.children if c is not best]
        if score(best) >= BODY_SHARE * score(node) or (
                score(best) >= score(node) / 2 and all(_is_chrome(c, score) for c in rest)):
            node = best
        else:
            return node
    return node


def _is_chrome(node, score) -> bool:
    """Site chrome beside the body: no table, and little text of its own besides links."""
    if isinstance(node, NavigableString):
        return len(_HAN.findall(str(node))) < CHROME_MAX_HAN
    return node.find("table") is None and node.name != "table" and score(node) < CHROME_MAX_HAN


class _BlockWriter:
    """Walks the body in document order and emits paragraphs, headings and table grids."""

    def __init__(self, blocks: list[Block]):
        self.blocks = blocks
        self.buffer: list[str] = []
        self.kind = "paragraph"

    def flush(self) -> None:
        text = _WS.sub(" ", "".join(self.buffer)).strip()
        if text:
            self.blocks.append(Block(self.kind, text))
        self.buffer = []
        self.kind = "paragraph"

    def walk(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                self.buffer.append(str(child))
            elif isinstance(child, Tag):
                self.visit(child)

    def visit(self, tag: Tag) -> None:
        name = tag.name
        if name == "br":
            self.flush()
        elif name == "table" and not is_layout_table(tag):
            self.flush()
            rows, origins = table_grid(tag)
            if any(any(cell for cell in row) for row in rows):
                text = "\n".join(" ".join(r) for r in rows)
                self.blocks.append(Block("table", text, rows=rows, origins=origins))
        elif name in BLOCK_TAGS or name in ("table", "tr", "td", "th", "caption"):
            self.flush()
            if name in HEADING_TAGS:
                self.kind = "heading"
            self.walk(tag)
            self.flush()
        else:
            self.walk(tag)


def is_layout_table(table: Tag) -> bool:
    """A table used for page layout: it nests tables, or a cell holds long prose."""
    if table.find("table"):
        return True
    return any(len(_HAN.findall(cell.get_text())) > 300 for cell in table.find_all(["td", "th"]))


def cell_text(cell: Tag) -> str:
    """A cell's text, joined across <span>/<br>/<p> without separators between Chinese characters."""
    parts: list[str] = []
    for piece in cell.descendants:
        if isinstance(piece, NavigableString) and not isinstance(piece, Comment):
            parts.append(str(piece))
        elif isinstance(piece, Tag) and piece.name in ("br", "p", "div") and parts:
            parts.append("\n")
    return join_fragments("".join(parts))


def join_fragments(text: str) -> str:
    """Collapse white space; drop it between CJK characters, keep one space between Latin words/numbers."""
    pieces = [p for p in re.split(r"\s+", text.strip()) if p]
    out = ""
    for piece in pieces:
        if out and out[-1].isascii() and out[-1].isalnum() and piece[0].isascii() and piece[0].isalnum():
            out += " "
        out += piece
    return out


def table_grid(table: Tag) -> tuple[list[list[str]], list[list[tuple[int, int]]]]:
    """The table as a rectangular grid, rowspan/colspan expanded (spanned cells repeat their text),
    and for each grid cell the (row, col) of the cell it came from."""
    grid: dict[tuple[int, int], str] = {}
    origin: dict[tuple[int, int], tuple[int, int]] = {}
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.find_all(["td", "th"], recursive=False):
            while (r, c) in grid:
                c += 1
            text = cell_text(cell)
            rowspan = _span(cell.get("rowspan"))
            colspan = _span(cell.get("colspan"))
            for dr in range(rowspan):
                for dc in range(colspan):
                    if (r + dr, c + dc) not in grid:
                        grid[(r + dr, c + dc)] = text
                        origin[(r + dr, c + dc)] = (r, c)
            c += colspan
    if not grid:
        return [], []
    height = min(max(r for r, _ in grid) + 1, len(rows))
    width = max(c for _, c in grid) + 1
    cells = [[grid.get((r, c), "") for c in range(width)] for r in range(height)]
    origins = [[origin.get((r, c), (r, c)) for c in range(width)] for r in range(height)]
    return cells, origins


def _span(value) -> int:
    try:
        return max(1, min(int(str(value).strip()), 200))
    except (TypeError, ValueError):
        return 1
