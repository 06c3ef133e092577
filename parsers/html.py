"""HTML → ordered blocks: find the report body among site chrome, rebuild tables as grids.

Body detection: descend from <body> into the child holding most non-link Chinese text while it holds
most of it (navigation, breadcrumbs, share bars and footers are link text or little text).
Inline elements join without a separator, as Word-exported pages split words across <span>s.
lxml parses (libxml2's tolerant HTML parser, several times faster than a bs4 tree on these pages); plain
lxml.etree elements, as lxml.html's Python-level element class lookup costs more than the parse itself.
"""
from __future__ import annotations

import re

from lxml import etree

from xxgk.parsers.clean import han_count
from xxgk.parsers.document import Block

DROP_TAGS = ("script", "style", "noscript", "iframe", "select", "button", "input", "textarea", "svg",
             "object", "embed", "template")
BLOCK_TAGS = {"p", "div", "section", "article", "main", "aside", "header", "footer", "nav", "ul", "ol", "li",
              "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dl", "dt", "dd", "form", "center",
              "address", "figure", "figcaption", "hr", "body", "html", "ucapcontent", "tbody", "thead", "tfoot",
              "table", "tr", "td", "th", "caption"}
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
CELL_BREAKS = {"br", "p", "div"}
BODY_SHARE = 0.8  # descend into a child holding this share of its parent's non-link Han text
CHROME_MAX_HAN = 120  # a sibling of the body with less own (non-link) Han text than this can be chrome
_WS = re.compile(r"[ \t\r\n\f\v]+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_PARSER = etree.HTMLParser()
text_content = etree.XPath("string()", smart_strings=False)  # an element's text, as lxml.html's text_content()
# a cell's text nodes and line-breaking elements, in document order
_CELL_TEXT = etree.XPath(" | ".join([".//text()"] + [f".//{tag}" for tag in sorted(CELL_BREAKS)]), smart_strings=False)
_LONG_CELLS = etree.XPath(".//td[string-length() > 300] | .//th[string-length() > 300]")


def load_html(text: str) -> etree._Element:
    """The page as an lxml tree without scripts, styles, form controls and comments."""
    root = etree.fromstring(_XML_DECL.sub("", text) or "<html></html>", _PARSER)
    if root is None:
        raise etree.ParserError("Document is empty")
    for el in list(root.iter(etree.Comment, etree.ProcessingInstruction, *DROP_TAGS)):
        if el.getparent() is not None:
            drop_tree(el)
    return root


def drop_tree(el) -> None:
    """Remove an element with its children; its tail joins the previous sibling or the parent (as lxml.html)."""
    parent = el.getparent()
    if el.tail:
        previous = el.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + el.tail
        else:
            previous.tail = (previous.tail or "") + el.tail
    parent.remove(el)


def parse_html(text: str) -> tuple[str, list[Block], etree._Element, dict[str, str]]:
    """Returns (page title, body blocks in order, the page tree without <head>, the page's <meta> tags)."""
    root = load_html(text)
    title = page_title(root)
    metas = meta_tags(root)
    head = root.find("head")
    if head is not None:
        drop_tree(head)
    blocks: list[Block] = []
    writer = _BlockWriter(blocks)
    writer.visit(find_body(root))
    writer.flush()
    for index, block in enumerate(blocks):
        block.offset = index
    return title, blocks, root, metas


def meta_tags(root) -> dict[str, str]:
    """name (lower case) → content of the page's <meta name=… content=…> tags, the first of each name."""
    metas: dict[str, str] = {}
    for tag in root.iter("meta"):
        name, content = str(tag.get("name") or "").strip().lower(), (tag.get("content") or "").strip()
        if name and content:
            metas.setdefault(name, content)
    return metas


def page_title(root) -> str:
    for name in ("ArticleTitle", "title", "og:title"):
        for meta in root.iter("meta"):
            if name in (meta.get("name"), meta.get("property")) and (meta.get("content") or "").strip():
                return meta.get("content").strip()
    title = root.find(".//title")
    return _WS.sub(" ", text_content(title)).strip() if title is not None else ""


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def find_body(root):
    """The report body: descend from <body> into the child holding most non-link Han text while that
    child holds BODY_SHARE of it, or while everything beside it is chrome (short or link text, no table)."""
    body = root.find("body")
    node = body if body is not None else root
    scores: dict = {}  # keyed by the element itself: lxml proxies are kept alive by the dict

    def score(el) -> int:
        if el not in scores:
            links = sum(han_count(text_content(a)) for a in el.iter("a"))
            scores[el] = han_count(text_content(el)) - links
        return scores[el]

    while score(node):
        children = [c for c in node if _tag(c) and _tag(c) not in ("table", "tr", "td", "th")]
        best = max(children, key=score, default=None)
        if best is None or score(best) == 0:
            return node
        rest = [c for c in node if c is not best and _tag(c)]
        loose = han_count((node.text or "") + "".join(c.tail or "" for c in node))
        if score(best) >= BODY_SHARE * score(node) or (
                score(best) >= score(node) / 2 and loose < CHROME_MAX_HAN
                and all(_tag(c) != "table" and c.find(".//table") is None and score(c) < CHROME_MAX_HAN
                        for c in rest)):
            node = best
        else:
            return node
    return node


class _BlockWriter:
    """Walks the body in document order and emits paragraphs, headings and table grids."""

    def __init__(self, blocks: list[Block]):
        self.blocks = blocks
        self.buffer: list[str] = []
        self.kind = "paragraph"

    def flush(self) -> None:
        if self.buffer:
            text = _WS.sub(" ", "".join(self.buffer)).strip()
            if text:
                self.blocks.append(Block(self.kind, text))
            self.buffer = []
        self.kind = "paragraph"

    def visit(self, el) -> None:
        name = _tag(el)
        if name == "br":
            self.flush()
        elif name == "table" and not is_layout_table(el):
            self.flush()
            rows, origins = table_grid(el)
            if any(any(cell for cell in row) for row in rows):
                text = "\n".join(" ".join(r) for r in rows)
                self.blocks.append(Block("table", text, rows=rows, origins=origins))
        elif name in BLOCK_TAGS:
            self.flush()
            if name in HEADING_TAGS:
                self.kind = "heading"
            self.walk(el)
            self.flush()
        else:
            self.walk(el)

    def walk(self, el) -> None:
        if el.text:
            self.buffer.append(el.text)
        for child in el:
            self.visit(child)
            if child.tail:
                self.buffer.append(child.tail)


def is_layout_table(table) -> bool:
    """A table used for page layout: it nests tables, or a cell holds long prose."""
    if table.find(".//table") is not None:
        return True
    return any(han_count(text_content(cell)) > 300 for cell in _LONG_CELLS(table))  # only cells > 300 characters


def cell_text(cell) -> str:
    """A cell's text, joined across <span>/<br>/<p> without separators between Chinese characters.

    <br>, <p> and <div> start a new line. Comments are not looked at (load_html drops them)."""
    if len(cell) == 0:
        return join_fragments(cell.text or "")
    parts: list[str] = []
    for node in _CELL_TEXT(cell):
        if isinstance(node, str):
            parts.append(node)
        elif parts:
            parts.append("\n")
    return join_fragments("".join(parts))


def join_fragments(text: str) -> str:
    """Collapse white space; drop it between CJK characters, keep one space between Latin words/numbers."""
    out = ""
    for piece in text.split():
        if out and out[-1].isascii() and out[-1].isalnum() and piece[0].isascii() and piece[0].isalnum():
            out += " "
        out += piece
    return out


def table_rows(table) -> list:
    return [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]


def table_grid(table) -> tuple[list[list[str]], list[list[tuple[int, int]]]]:
    """The table as a rectangular grid, rowspan/colspan expanded (spanned cells repeat their text),
    and for each grid cell the (row, col) of the cell it came from."""
    grid: dict[tuple[int, int], str] = {}
    origin: dict[tuple[int, int], tuple[int, int]] = {}
    rows = table_rows(table)
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.iterchildren("td", "th"):
            while (r, c) in grid:
                c += 1
            text = cell_text(cell)
            rowspan, colspan = _span(cell.get("rowspan")), _span(cell.get("colspan"))
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
    if value is None:
        return 1
    try:
        return max(1, min(int(str(value).strip()), 200))
    except (TypeError, ValueError):
        return 1
