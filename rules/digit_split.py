"""Splitting a printed run of digits into a row's known number of cells, under the table's identities.

A run is the text of one row's values as it survives flattening: "640020470" (no separator at all),
"230 000023" (some spaces), "0 0 0 0 0 00", "3001 53 0 0 61 4 3119" (spaces), "32|2|0|0|0|0|34" (hard
separators: `|`, tab, line break). Hard separators are always cell boundaries; spaces are boundaries as
long as that leaves no more cells than the row has (else a space may sit inside a number); between two
digits a boundary is possible. Each cell must be a valid number of its column's kind (no leading zeros).

Rows with a total (三: 总计 = the six applicant columns; 四: each block's 总计 = its four cells) keep only
splits whose totals hold. `solve` then keeps the combinations of row splits for which the column
identities hold as well; a cell is known when every surviving combination gives it the same value.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from rules.national_values import CellValue, dashes, parse_cell

HARD = "|\t\n"
_UNIT_AFTER_SPACE = re.compile(r"([0-9０-９])[ \u3000]+(万元|元|件|个|项|条)")
MAX_CANDIDATES = 20000  # per row; beyond this the row is left unresolved
MAX_STATES = 200000  # joint solver state bound
MAX_CELL_CHARS = 14


@dataclass
class Group:
    """Cells [start, end) of a row; when `total`, the last of them is the sum of the others."""

    start: int
    end: int
    total: bool = False


@dataclass
class RowSpec:
    kinds: list[str]  # per cell: count | delta | amount
    groups: list[Group] = field(default_factory=list)

    @property
    def width(self) -> int:
        return len(self.kinds)


def _hard_cells(run: str) -> list[str]:
    """Cells of a run with hard separators: every hard separator and every space is a boundary;
    an empty cell between two hard separators is a blank cell. The separator a run starts or ends with
    closes the cell before it / opens the one after it, and adds no cell ("|1|0||" is 1, 0, blank)."""
    parts = re.split(r"[|\t\n]", run)
    if parts and not parts[0].strip() and run.strip(" ")[:1] in HARD:
        parts = parts[1:]
    if parts and not parts[-1].strip() and run.strip(" ")[-1:] in HARD:
        parts = parts[:-1]
    cells: list[str] = []
    for part in parts:
        cells.extend(part.split() or [""])
    return cells


def _trim(cells: list[str], width: int) -> list[str]:
    """Drop blank cells at the ends (table padding) while there are more cells than the row has."""
    cells = list(cells)
    while len(cells) > width and cells and cells[-1] == "":
        cells.pop()
    while len(cells) > width and cells and cells[0] == "":
        cells.pop(0)
    return cells


def _pieces(token: str) -> list[str]:
    """A token cut into its smallest pieces: dash tokens whole; a number's digits (with '.', ',', a unit
    or a leading sign glued to the digit next to them)."""
    if token == "":
        return [token]
    if all(ch in dashes() for ch in token):
        return list(token)  # "——" is one dash cell or two; the cell count decides
    pieces: list[str] = []
    i = 0
    while i < len(token):
        ch = token[i]
        if ch.isdigit():
            pieces.append(ch)
        elif ch in ".,":  # inside a number: glue to both neighbours
            if not pieces:
                return []
            pieces[-1] += ch
            if i + 1 < len(token):
                i += 1
                pieces[-1] += token[i]
        elif ch in "+-" and i + 1 < len(token) and token[i + 1].isdigit():
            pieces.append(ch + token[i + 1])
            i += 1
        elif ch in dashes():
            pieces.append(ch)
        elif ch in "万元件个项条":
            if not pieces:
                return []
            pieces[-1] += ch
        else:
            return []
        i += 1
    return pieces


def _glued(pieces: list[str]) -> list[bool]:
    """For each gap between pieces, True where the gap cannot be a boundary (inside '1.5', '1,234')."""
    out = []
    for a, b in zip(pieces, pieces[1:]):
        out.append(a[-1] in ".," or b[0] in ".,")
    return out


def split_run(run: str, spec: RowSpec, check_totals: bool = True) -> list[tuple[CellValue, ...]]:
    """Every way to read `run` as the row's cells (each valid for its kind), totals holding when asked.

    With a hard separator in the run, its cells are as printed (there must be exactly as many).
    Otherwise spaces are boundaries unless that gives more cells than the row has (or no reading holding
    the totals), and boundaries between digits are chosen so that every cell is valid and the totals hold.
    A space is read as inside a number only in rows with a total to prove it."""
    width = spec.width
    run = _UNIT_AFTER_SPACE.sub(r"\1\2", run)  # "5 件", "12.5 万元": the unit belongs to the number
    if any(ch in HARD for ch in run):
        cells = _trim(_hard_cells(run), width)
        if len(cells) != width:
            return []
        parsed = tuple(parse_cell(t, k) for t, k in zip(cells, spec.kinds))
        if any(p is None for p in parsed):
            return []
        return [parsed] if not check_totals or _totals_hold(parsed, spec) else []
    tokens = run.split()
    if not tokens:
        return []
    if len(tokens) == width:
        parsed = tuple(parse_cell(t, k) for t, k in zip(tokens, spec.kinds))
        if all(p is not None for p in parsed):
            return [parsed] if not check_totals or _totals_hold(parsed, spec) else []
    pieces = [_pieces(token) for token in tokens]
    if not all(pieces):
        return []
    if len(tokens) <= width:  # spaces are boundaries, unless no reading then holds the totals
        found = _enumerate(pieces, spec, check_totals)
        if found or not check_totals or len(tokens) == width:
            return found
    if not any(g.total for g in spec.groups):
        return []  # a space inside a number only where a total can prove it
    merged = [p for token_pieces in pieces for p in token_pieces]  # a space may sit inside a number
    return _enumerate([merged], spec, check_totals)


def _totals_hold(cells: tuple[CellValue, ...], spec: RowSpec) -> bool:
    for g in spec.groups:
        if g.total:
            group = cells[g.start:g.end]
            if any(c.value is None for c in group):
                continue  # a blank or dash: the total cannot be verified
            if abs(sum(c.value for c in group[:-1]) - group[-1].value) > 1e-6:
                return False
    return True


def _enumerate(units, spec: RowSpec, check_totals: bool) -> list[tuple[CellValue, ...]]:
    """Depth-first over cut positions; totals are read deterministically (the digits must spell the sum)."""
    # flatten: pieces with a flag telling if a boundary is forced before each piece
    pieces: list[str] = []
    forced: list[bool] = []  # boundary before piece i is forced
    allowed: list[bool] = []  # boundary before piece i is allowed
    for pcs in units:
        glue = _glued(pcs)
        for j, p in enumerate(pcs):
            pieces.append(p)
            # a boundary between a dash and a number is certain; two dashes ("——") may be one cell
            is_dash, was_dash = p in dashes(), j > 0 and pcs[j - 1] in dashes()
            forced.append(j == 0 or p == "" or is_dash != was_dash or p[0] in "+-")
            allowed.append(forced[-1] or not glue[j - 1])
    n = len(pieces)
    width = spec.width
    total_at = {g.end - 1: g for g in spec.groups if g.total and check_totals}
    group_of = {}
    for g in spec.groups:
        for i in range(g.start, g.end):
            group_of[i] = g
    out: list[tuple[CellValue, ...]] = []
    cells: list[CellValue] = []

    def boundary_ok(i: int) -> bool:  # may a cell end before piece i?
        return i == n or allowed[i]

    def rec(pos: int, cell: int, partial: float) -> bool:
        if len(out) >= MAX_CANDIDATES:
            return False
        if cell == width:
            if pos == n:
                out.append(tuple(cells))
            return True
        remaining = width - cell
        if n - pos < remaining:
            return True
        kind = spec.kinds[cell]
        g = group_of.get(cell)
        if cell in total_at:
            # the total must spell the partial sum (or be blank/dash when the sum is 0)
            for end in range(pos + 1, min(n, pos + MAX_CELL_CHARS) + 1):
                if any(forced[i] for i in range(pos + 1, end)):
                    break
                if not boundary_ok(end):
                    continue
                text = "".join(pieces[pos:end])
                value = parse_cell(text, kind)
                if value is None:
                    continue
                if partial is not None and value.value is not None and abs(value.value - partial) > 1e-6:
                    continue
                cells.append(value)
                ok = rec(end, cell + 1, 0.0)
                cells.pop()
                if not ok:
                    return False
            return True
        for end in range(pos + 1, min(n, pos + MAX_CELL_CHARS) + 1):
            if any(forced[i] for i in range(pos + 1, end)):
                break
            if not boundary_ok(end):
                continue
            if n - end < remaining - 1:
                break
            text = "".join(pieces[pos:end])
            value = parse_cell(text, kind)
            if value is None:
                continue
            if g is not None and g.total and partial is not None and value.value is not None:
                next_partial = partial + value.value
            else:
                next_partial = None if (g is not None and g.total) else 0.0
            cells.append(value)
            ok = rec(end, cell + 1, next_partial if (cell + 1) < (g.end if g else 0) else 0.0)
            cells.pop()
            if not ok:
                return False
        return True

    complete = rec(0, 0, 0.0)
    if not complete:
        return []  # too many ways: unresolved
    return out


# ------------------------------------------------------------------------------------------------
# Joint resolution under column identities


@dataclass
class Identity:
    """Σ coef[row] · cell[row, c] = 0 for every column c."""

    name: str
    coefs: dict[str, int]


def solve(candidates: dict[str, list[tuple[CellValue, ...]]], identities: list[Identity],
          width: int) -> tuple[dict[str, list[tuple[CellValue, ...]]], bool]:
    """The row candidates that take part in at least one combination satisfying every identity.

    Identities naming a row without candidates are skipped. Returns (surviving candidates, feasible);
    when no combination satisfies them, the candidates are returned unchanged with feasible False."""
    usable = [i for i in identities if all(candidates.get(r) for r in i.coefs)]
    rows = sorted({r for i in usable for r in i.coefs}, key=lambda r: len(candidates[r]))
    if not rows:
        return candidates, True
    # a column where some reading has a blank or dash cannot be checked by that identity
    dims = [(ident, col) for ident in usable for col in range(width)
            if not any(cand[col].value is None for r in ident.coefs for cand in candidates[r])]
    if not dims:
        return candidates, True
    dim = len(dims)

    def contrib(row: str, cand: tuple[CellValue, ...]) -> tuple[float, ...]:
        return tuple(round(ident.coefs[row] * cand[col].value, 6) if row in ident.coefs else 0.0
                     for ident, col in dims)

    contribs = {r: [contrib(r, c) for c in candidates[r]] for r in rows}
    zero = tuple([0.0] * dim)
    forward = [{zero}]
    for r in rows:
        nxt = set()
        for s in forward[-1]:
            for v in contribs[r]:
                nxt.add(tuple(round(a + b, 6) for a, b in zip(s, v)))
                if len(nxt) > MAX_STATES:
                    return candidates, True  # too many combinations to tell: leave rows as they are
        forward.append(nxt)
    if zero not in forward[-1]:
        return candidates, False
    backward = [{zero}]
    for r in reversed(rows):
        nxt = set()
        for s in backward[-1]:
            for v in contribs[r]:
                nxt.add(tuple(round(a + b, 6) for a, b in zip(s, v)))
        backward.append(nxt)
    backward.reverse()  # backward[i] = sums of rows i..end
    out = dict(candidates)
    for i, r in enumerate(rows):
        after = backward[i + 1]
        keep = []
        for cand, v in zip(candidates[r], contribs[r]):
            if any(tuple(round(-(a + b), 6) + 0.0 for a, b in zip(s, v)) in after for s in forward[i]):
                keep.append(cand)
        out[r] = keep
    return out, True


def agreed(cands: list[tuple[CellValue, ...]], width: int) -> list[CellValue | None]:
    """Per cell, the value every candidate agrees on, else None (ambiguous)."""
    if not cands:
        return [None] * width
    out: list[CellValue | None] = []
    for j in range(width):
        first = cands[0][j]
        same = all(c[j].value == first.value and c[j].unit == first.unit for c in cands)
        out.append(first if same else None)
    return out
