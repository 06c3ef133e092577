"""Tables rebuilt from a PDF page's ruling lines: the lines snap to a grid of column and row boundaries;
neighbouring grid cells not parted by a line form one (merged) cell; characters fall into the cell
holding their centre. A table that ends a page and one that starts the next with the same outline are
one table: the label cells cut by the page break join again.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from xxgk.parsers.pdf_layout import Char, PageLayout

SNAP = 2.5  # ruling lines closer than this (points) are the same line
JOIN_GAP = 2.5  # collinear pieces of a line with gaps up to this are one line
OUTLINE_TOLERANCE = 4.0  # two page fragments whose left/right borders differ by less than this can join
BASELINE_TOLERANCE = 2.0  # characters whose baselines differ by less than this share a line
_NUMBER = re.compile(r"^[-+]?\d[\d,，.]*%?$")
_ENUMERATED = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+[.．、])")


@dataclass
class Cell:
    r0: int
    r1: int  # exclusive
    c0: int
    c1: int  # exclusive
    chars: list[Char] = field(default_factory=list)
    text: str = ""


@dataclass
class Table:
    """One table fragment on one page: boundaries top-down and left-right, and its merged cells."""

    xs: list[float]
    ys: list[float]
    cells: list[Cell]

    @property
    def top(self) -> float:
        return self.ys[0]

    @property
    def bottom(self) -> float:
        return self.ys[-1]

    @property
    def rows(self) -> int:
        return len(self.ys) - 1

    @property
    def columns(self) -> int:
        return len(self.xs) - 1

    def contains(self, char: Char) -> bool:
        return self.xs[0] <= char.cx <= self.xs[-1] and self.ys[0] <= char.cy <= self.ys[-1]


def snap(values: list[float], tolerance: float = SNAP) -> list[float]:
    """Cluster sorted values lying within `tolerance` of their neighbour; each cluster's mean."""
    clusters: list[list[float]] = []
    for value in sorted(values):
        if clusters and value - clusters[-1][-1] <= tolerance:
            clusters[-1].append(value)
        else:
            clusters.append([value])
    return [sum(c) / len(c) for c in clusters]


def merge_lines(lines: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Lines (position, start, end) with collinear, touching or overlapping pieces joined; positions within
    SNAP of their neighbour are one position (their mean)."""
    clusters: list[list[tuple[float, float, float]]] = []
    for line in sorted(lines):
        if clusters and line[0] - clusters[-1][-1][0] <= SNAP:
            clusters[-1].append(line)
        else:
            clusters.append([line])
    merged: list[tuple[float, float, float]] = []
    for cluster in clusters:
        position = sum(p for p, _, _ in cluster) / len(cluster)
        pieces = sorted((s, e) for _, s, e in cluster)
        start, end = pieces[0]
        for s, e in pieces[1:]:
            if s <= end + JOIN_GAP:
                end = max(end, e)
            else:
                merged.append((position, start, end))
                start, end = s, e
        merged.append((position, start, end))
    return merged


def _groups(horizontals, verticals) -> list[tuple[list, list]]:
    """The sets of lines that cross or touch one another (each set a table candidate)."""
    lines = [("h", line) for line in horizontals] + [("v", line) for line in verticals]
    parent = list(range(len(lines)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_vertical = len(horizontals)  # verticals follow the horizontals in `lines`, sorted by x
    xs = [x for x, _, _ in verticals]
    for i, (y, x0, x1) in enumerate(horizontals):
        for j in range(bisect_left(xs, x0 - SNAP), bisect_right(xs, x1 + SNAP)):
            _, y0, y1 = verticals[j]
            if y0 - SNAP <= y <= y1 + SNAP:
                parent[find(i)] = find(first_vertical + j)
    groups: dict[int, tuple[list, list]] = {}
    for i, (kind, line) in enumerate(lines):
        group = groups.setdefault(find(i), ([], []))
        group[0 if kind == "h" else 1].append(line)
    return [g for g in groups.values() if len(g[0]) >= 2 and len(g[1]) >= 2]


def _covers(lines, position: float, point: float) -> bool:
    return any(abs(p - position) <= SNAP and s - SNAP <= point <= e + SNAP for p, s, e in lines)


def build_table(horizontals, verticals) -> Table | None:
    """The table drawn by one group of crossing lines, or None when it is not a grid of ≥ 2 columns."""
    # the lines' ends count as boundaries too: WPS leaves out the border under a table's last row on a page
    xs = snap([x for x, _, _ in verticals] + [min(s for _, s, _ in horizontals), max(e for _, _, e in horizontals)])
    ys = snap([y for y, _, _ in horizontals] + [min(s for _, s, _ in verticals), max(e for _, _, e in verticals)])
    if len(xs) < 3 or len(ys) < 2:
        return None
    parent = {(r, c): (r, c) for r in range(len(ys) - 1) for c in range(len(xs) - 1)}

    def find(key):
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for r in range(len(ys) - 1):
        middle_y = (ys[r] + ys[r + 1]) / 2
        for c in range(len(xs) - 1):
            middle_x = (xs[c] + xs[c + 1]) / 2
            if c + 1 < len(xs) - 1 and not _covers(verticals, xs[c + 1], middle_y):
                parent[find((r, c + 1))] = find((r, c))
            if r + 1 < len(ys) - 1 and not _covers(horizontals, ys[r + 1], middle_x):
                parent[find((r + 1, c))] = find((r, c))
    members: dict = {}
    for key in parent:
        members.setdefault(find(key), []).append(key)
    cells = [Cell(min(r for r, _ in keys), max(r for r, _ in keys) + 1,
                  min(c for _, c in keys), max(c for _, c in keys) + 1) for keys in members.values()]
    cells.sort(key=lambda cell: (cell.r0, cell.c0))
    return Table(xs, ys, cells)


def find_tables(page: PageLayout) -> list[Table]:
    """The page's ruled tables of two or more columns, top to bottom. Rectangles around prose
    (one column) are not tables."""
    tables = []
    for horizontals, verticals in _groups(merge_lines(page.horizontals), merge_lines(page.verticals)):
        table = build_table(horizontals, verticals)
        if table is not None and table.columns >= 2:
            tables.append(table)
    return sorted(tables, key=lambda t: t.top)


def fill_cells(table: Table, chars: list[Char]) -> None:
    """Put each character into the cell holding its centre and set the cells' text."""
    owner = {}
    for cell in table.cells:
        for r in range(cell.r0, cell.r1):
            for c in range(cell.c0, cell.c1):
                owner[(r, c)] = cell
    for char in chars:
        r = min(max(bisect_right(table.ys, char.cy) - 1, 0), table.rows - 1)
        c = min(max(bisect_right(table.xs, char.cx) - 1, 0), table.columns - 1)
        owner[(r, c)].chars.append(char)
    for cell in table.cells:
        cell.text = cell_text(cell.chars)


def text_lines(chars: list[Char]) -> list[list[Char]]:
    """Characters grouped into lines by their baseline, top to bottom, each line left to right."""
    lines: list[list[Char]] = []
    for char in sorted(chars, key=lambda ch: (ch.baseline, ch.x0)):
        if lines and char.baseline - lines[-1][0].baseline <= BASELINE_TOLERANCE:
            lines[-1].append(char)
        else:
            lines.append([char])
    return [sorted(line, key=lambda ch: ch.x0) for line in lines]


def line_text(chars: list[Char]) -> str:
    """A line's characters; a space only where a visible gap parts two Latin letters or digits."""
    out = ""
    previous = None
    for char in chars:
        if previous is not None and _latin(out[-1]) and _latin(char.text[0]) \
                and char.x0 - previous.x1 > _word_gap(out[-1], char.text[0]) * max(char.height, 1.0):
            out += " "
        out += char.text
        previous = char
    return out


def _word_gap(left: str, right: str) -> float:
    """The gap (in character heights) that parts two words; digits of one number are often spaced out."""
    return 1.0 if left.isdigit() and right.isdigit() else 0.5


def join_lines(lines: list[str]) -> str:
    """Wrapped lines joined as one text: no separator, except a space between Latin words."""
    out = ""
    for line in lines:
        if out and line and _latin(out[-1]) and _latin(line[0]):
            out += " "
        out += line
    return out


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def cell_text(chars: list[Char]) -> str:
    return join_lines([line_text(line) for line in text_lines(chars)])


def is_number(text: str) -> bool:
    return bool(_NUMBER.match(text))


def same_outline(upper: Table, lower: Table) -> bool:
    return abs(upper.xs[0] - lower.xs[0]) <= OUTLINE_TOLERANCE and abs(upper.xs[-1] - lower.xs[-1]) <= OUTLINE_TOLERANCE


def to_grid(table: Table) -> tuple[list[list[str]], list[list[tuple[int, int]]]]:
    """The table as the HTML parser gives it: a rectangular grid with merged cells repeated, and each
    grid cell's origin (the top-left grid position of its cell). Rows and columns that hold nothing
    but the continuation of cells before them (a stray ruling stub) are dropped."""
    owner: dict[tuple[int, int], Cell] = {}
    for cell in table.cells:
        for r in range(cell.r0, cell.r1):
            for c in range(cell.c0, cell.c1):
                owner[(r, c)] = cell
    keep_rows = [r for r in range(table.rows) if any(owner[(r, c)].text for c in range(table.columns))
                 and (r == 0 or any(owner[(r, c)].r0 == r for c in range(table.columns)))]
    keep_columns = [c for c in range(table.columns)
                    if c == 0 or any(owner[(r, c)].c0 == c for r in range(table.rows))]
    row_index = {r: i for i, r in enumerate(keep_rows)}
    column_index = {c: i for i, c in enumerate(keep_columns)}
    rows, origins = [], []
    for r in keep_rows:
        cells = [owner[(r, c)] for c in keep_columns]
        rows.append([cell.text for cell in cells])
        origins.append([(_at_or_after(row_index, cell.r0), _at_or_after(column_index, cell.c0)) for cell in cells])
    return rows, origins


def _at_or_after(index: dict[int, int], position: int) -> int:
    while position not in index:
        position += 1
    return index[position]


def join_tables(upper: Table, lower: Table) -> Table:
    """One table from a fragment ending a page and its continuation starting the next page: columns on
    the union of both fragments' boundaries, a repeated header dropped, and the label cells that the page
    break cut (a group label spanning rows on both pages, or split between them) joined."""
    lower = _without_repeated_header(upper, lower)
    xs = snap(upper.xs + lower.xs, OUTLINE_TOLERANCE)

    def column(x: float) -> int:
        return min(range(len(xs)), key=lambda i: abs(xs[i] - x))

    def moved(cell: Cell, table: Table, row_shift: int) -> Cell:
        return Cell(cell.r0 + row_shift, cell.r1 + row_shift, column(table.xs[cell.c0]), column(table.xs[cell.c1]),
                    cell.chars, cell.text)

    top_cells = [moved(cell, upper, 0) for cell in upper.cells]
    bottom_cells = [moved(cell, lower, upper.rows) for cell in lower.cells]
    ys = upper.ys + [upper.bottom + (y - lower.top) for y in lower.ys[1:]]
    cells = top_cells + bottom_cells
    numeric_columns = [cell.c0 for cell in cells if is_number(cell.text)]
    first_value_column = min(numeric_columns, default=len(xs))
    for above in [cell for cell in top_cells if cell.r1 == upper.rows]:
        below = next((cell for cell in bottom_cells if cell.r0 == upper.rows
                      and (cell.c0, cell.c1) == (above.c0, above.c1)), None)
        if below is not None and above.c1 <= first_value_column and _continues(above, below):
            above.r1, above.text = below.r1, join_lines([above.text, below.text])
            above.chars = above.chars + below.chars
            cells.remove(below)
    return Table(xs, ys, sorted(cells, key=lambda cell: (cell.r0, cell.c0)))


def _continues(above: Cell, below: Cell) -> bool:
    """Whether a label cell ending a page goes on in the cell starting the next page: one of them is
    empty, or either spans several rows (a group label) and the lower part does not start a new item."""
    if not above.text or not below.text:
        return True
    spans = above.r1 - above.r0 > 1 or below.r1 - below.r0 > 1
    return spans and not _ENUMERATED.match(below.text)


def _printed(row: list[str]) -> list[str]:
    """A grid row's texts with the copies of merged cells dropped (the fragments may part columns differently)."""
    return [text for i, text in enumerate(row) if i == 0 or text != row[i - 1]]


def _without_repeated_header(upper: Table, lower: Table) -> Table:
    """The continuation without the header rows it repeats from the first fragment."""
    upper_rows = [_printed(row) for row in to_grid(upper)[0]]
    lower_rows = [_printed(row) for row in to_grid(lower)[0]]
    repeated = 0
    while repeated < min(len(upper_rows), len(lower_rows)) - 1 and upper_rows[repeated] == lower_rows[repeated] \
            and any(upper_rows[repeated]):
        repeated += 1
    if not repeated:
        return lower
    cells = [Cell(max(cell.r0, repeated) - repeated, cell.r1 - repeated, cell.c0, cell.c1, cell.chars, cell.text)
             for cell in lower.cells if cell.r1 > repeated]
    return Table(lower.xs, lower.ys[repeated:], cells)
