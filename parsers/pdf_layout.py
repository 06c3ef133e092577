"""A PDF page's geometry through pypdfium2 (PDFium): character boxes and ruling lines.

Coordinates are turned top-down (y grows down the page, as in reading order). Ruling lines are the
stroked segments of path objects (form XObjects included, their matrices composed) and thin filled
rectangles (Word and WPS draw borders either way); larger filled rectangles are cell or text-box
backgrounds, not rulings.
"""
from __future__ import annotations

import ctypes
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

THIN = 3.0  # a filled rectangle thinner than this (points) is a ruling line
AXIS_TOLERANCE = 1.0  # a segment whose ends differ by less than this in x (or y) is vertical (or horizontal)
MIN_EDGE = 4.0  # shorter segments are glyph-like decorations, not rulings
MAX_FORM_DEPTH = 4
_SKIPPED = frozenset("\u00a0\u3000\ufffe\uffff")  # no-break and ideographic spaces, non-characters
FLAT = 0.5  # a character box lower than this has no glyph outline (a font not embedded)


@dataclass(frozen=True)
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    baseline: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class PageLayout:
    width: float
    height: float
    chars: list[Char] = field(default_factory=list)
    horizontals: list[tuple[float, float, float]] = field(default_factory=list)  # (y, x0, x1)
    verticals: list[tuple[float, float, float]] = field(default_factory=list)  # (x, y0, y1)
    images: int = 0


def read_pages(data: bytes) -> list[PageLayout]:
    """Every page's characters and ruling lines. Raises pdfium.PdfiumError on an unreadable file."""
    document = pdfium.PdfDocument(data)
    try:
        return [_read_page(document[index]) for index in range(len(document))]
    finally:
        document.close()


def _read_page(page) -> PageLayout:
    width, height = page.get_size()
    layout = PageLayout(width, height)
    textpage = page.get_textpage()
    layout.chars = _chars(textpage, height)
    textpage.close()
    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    for index in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        _visit(pdfium_c.FPDFPage_GetObject(page.raw, index), identity, layout, 0)
    page.close()
    return layout


def _chars(textpage, page_height: float) -> list[Char]:
    """Non-space characters with their tight boxes and baselines. (PDFium's loose boxes, from the font's
    ascent and descent, are wrong for some WPS fonts: hundreds of points wide.) The characters PDFium
    generates between words and lines are spaces and line breaks, skipped as all white space is."""
    count = pdfium_c.FPDFText_CountChars(textpage.raw)
    text = textpage.get_text_range(0, count) if count > 0 else ""
    if len(text) != count:  # characters beyond the BMP (surrogate pairs): read one by one
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i)) for i in range(count))
    chars = []
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    raw_page, get_box, get_origin = textpage.raw, pdfium_c.FPDFText_GetCharBox, pdfium_c.FPDFText_GetCharOrigin
    for index, char in enumerate(text):
        if char <= " " or char in _SKIPPED or not get_box(raw_page, index, left, right, bottom, top):
            continue
        get_origin(raw_page, index, origin_x, origin_y)
        baseline = page_height - origin_y.value
        if top.value - bottom.value < FLAT:  # a font PDFium has no outlines for: boxes without height
            em = (right.value - left.value) * (1 if char >= "\u2e80" else 2)
            chars.append(Char(char, left.value, baseline - 0.85 * em, right.value, baseline + 0.15 * em, baseline))
        else:
            chars.append(Char(char, left.value, page_height - top.value, right.value, page_height - bottom.value,
                              baseline))
    return chars


def _compose(inner: tuple, outer: tuple) -> tuple:
    """The matrix applying `inner`, then `outer` (PDF matrices a b c d e f)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _matrix(obj) -> tuple:
    matrix = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, matrix):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)


def _visit(obj, outer: tuple, layout: PageLayout, depth: int) -> None:
    kind = pdfium_c.FPDFPageObj_GetType(obj)
    if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
        layout.images += 1
    elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < MAX_FORM_DEPTH:
        matrix = _compose(_matrix(obj), outer)
        for index in range(pdfium_c.FPDFFormObj_CountObjects(obj)):
            _visit(pdfium_c.FPDFFormObj_GetObject(obj, index), matrix, layout, depth + 1)
    elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
        _add_path(obj, _compose(_matrix(obj), outer), layout)


def _add_path(obj, matrix: tuple, layout: PageLayout) -> None:
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDFPath_GetDrawMode(obj, fill_mode, stroke)
    points = _path_points(obj, matrix, layout.height)
    if stroke.value:
        for (x0, y0), (x1, y1) in _segments(points):
            _add_segment(layout, x0, y0, x1, y1)
    elif fill_mode.value:
        xs = [x for subpath in points for x, _ in subpath]
        ys = [y for subpath in points for _, y in subpath]
        if not xs:
            return
        left, right, top, bottom = min(xs), max(xs), min(ys), max(ys)
        if bottom - top < THIN and right - left >= MIN_EDGE:
            layout.horizontals.append(((top + bottom) / 2, left, right))
        elif right - left < THIN and bottom - top >= MIN_EDGE:
            layout.verticals.append(((left + right) / 2, top, bottom))


def _path_points(obj, matrix: tuple, page_height: float) -> list[list[tuple[float, float]]]:
    """The path's subpaths as lists of page points (top-down y); a closed subpath repeats its start."""
    a, b, c, d, e, f = matrix
    subpaths: list[list[tuple[float, float]]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for index in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, index)
        if not pdfium_c.FPDFPathSegment_GetPoint(segment, x, y):
            continue
        point = (a * x.value + c * y.value + e, page_height - (b * x.value + d * y.value + f))
        if pdfium_c.FPDFPathSegment_GetType(segment) == pdfium_c.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([point])
        else:
            subpaths[-1].append(point)
        if pdfium_c.FPDFPathSegment_GetClose(segment):
            subpaths[-1].append(subpaths[-1][0])
    return subpaths


def _segments(subpaths):
    for points in subpaths:
        yield from zip(points, points[1:])


def _add_segment(layout: PageLayout, x0: float, y0: float, x1: float, y1: float) -> None:
    if abs(y1 - y0) < AXIS_TOLERANCE and abs(x1 - x0) >= MIN_EDGE:
        layout.horizontals.append(((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
    elif abs(x1 - x0) < AXIS_TOLERANCE and abs(y1 - y0) >= MIN_EDGE:
        layout.verticals.append(((x0 + x1) / 2, min(y0, y1), max(y0, y1)))
