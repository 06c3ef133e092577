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
from functools import lru_cache

from xxgk.rules.national.values import CellValue, dashes, parse_cell

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

    def frozen(self) -> tuple:
        return tuple(self.kinds), tuple((g.start, g.end, g.total) for g in self.groups)


def _hard_cells(run: str) -> list[str]:
    """Cells of a run with hard separators: every hard separator and every space is a boundary;
    an empty cell between two hard separators is a blank cell. The separator a run starts or ends with
    closes the cell before it / opens the one after it, and adds no cell ("|1|0||" is 1, 0, blank) — except
    a tab ending the run: tabs separate cells, so it is followed by a blank last cell ("1\t0\t" is 1, 0, blank;
    padding beyond the row's cells is trimmed)."""
    parts = re.split(r"[|\t\n]", run)
    if parts and not parts[0].strip() and run.strip(" ")[:1] in HARD:
        parts = parts[1:]
    if parts and not parts[-1].strip() and run.strip(" ")[-1:] in "|\n":
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


def split_run(run: str, spec: RowSpec, check_totals: bool = True, strict: bool = True,
              limit: int = MAX_CANDIDATES, first: bool = False) -> list[tuple[CellValue, ...]]:
    """Every way to read `run` as the row's cells (each valid for its kind), totals holding when asked.

    With a hard separator in the run, its cells are as printed (there must be exactly as many).
    Otherwise spaces are boundaries unless that gives more cells than the row has (or no reading holding
    the totals), and boundaries between digits are chosen so that every cell is valid and the totals hold.
    A space is read as inside a number only in rows with a total to prove it.

    strict: a boundary between digits that could read on as one number ("1|7" could be 17, "640020470"
    could be one number; "0|8" could not), or a space read inside a number, is taken only inside a group
    whose total holds with every cell valued; without that proof the digits may as well be one cell beside
    blank cells the flattening lost, so the reading is dropped. More than `limit` readings: unresolved ([]).
    `first`: stop at the first reading. Results are cached (runs such as "0000000" recur in every report)."""
    return list(_split_cached(run, spec.frozen(), check_totals, strict, limit, first))


@lru_cache(maxsize=8192)
def _split_cached(run: str, frozen: tuple, check_totals: bool, strict: bool, limit: int,
                  first: bool) -> tuple[tuple[CellValue, ...], ...]:
    spec = RowSpec(list(frozen[0]), [Group(*g) for g in frozen[1]])
    return tuple(_split(run, spec, check_totals, strict, limit, first))


def _split(run: str, spec: RowSpec, check_totals: bool, strict: bool, limit: int,
           first: bool) -> list[tuple[CellValue, ...]]:
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
        found = _enumerate(pieces, spec, check_totals, strict, limit, first)
        if found or not check_totals or len(tokens) == width:
            return found
    if not any(g.total for g in spec.groups):
        return []  # a space inside a number only where a total can prove it
    merged = [p for token_pieces in pieces for p in token_pieces]  # a space may sit inside a number
    return _enumerate([merged], spec, check_totals, strict, limit, first, printed=pieces)


def any_reading(run: str, spec: RowSpec) -> bool:
    """Whether the run can be read as the row's cells at all (totals or not, proven or not)."""
    return bool(split_run(run, spec, check_totals=False, strict=False, first=True)
                or split_run(run, spec, strict=False, first=True))


def _totals_hold(cells: tuple[CellValue, ...], spec: RowSpec) -> bool:
    for g in spec.groups:
        if g.total:
            group = cells[g.start:g.end]
            if any(c.value is None for c in group):
                continue  # a blank or dash: the total cannot be verified
            if abs(sum(c.value for c in group[:-1]) - group[-1].value) > 1e-6:
                return False
    return True


def _layout(units) -> tuple[list[str], list[bool], list[bool]]:
    """Pieces in order, and for the gap before each piece whether a cell boundary is forced / allowed there."""
    pieces: list[str] = []
    forced: list[bool] = []
    allowed: list[bool] = []
    for pcs in units:
        glue = _glued(pcs)
        for j, p in enumerate(pcs):
            pieces.append(p)
            # a boundary between a dash and a number is certain; two dashes ("——") may be one cell
            is_dash, was_dash = p in dashes(), j > 0 and pcs[j - 1] in dashes()
            forced.append(j == 0 or p == "" or is_dash != was_dash or p[0] in "+-")
            allowed.append(forced[-1] or not glue[j - 1])
    return pieces, forced, allowed


def _enumerate(units, spec: RowSpec, check_totals: bool, strict: bool = True, limit: int = MAX_CANDIDATES,
               first: bool = False, printed=None) -> list[tuple[CellValue, ...]]:
    """Depth-first over cut positions. A group with a total is read total first (its digits end the group),
    then its parts, which must sum to it: the total bounds every part, so long runs stay cheap.
    `printed`: the units as printed when `units` merged them (a space read as inside a number); a cell
    spanning such a space needs the same proof as a cut."""
    return _Enumeration(units, spec, check_totals, strict, limit, first, printed).run()


class _Enumeration:
    """One depth-first enumeration of a row's readings (see _enumerate)."""

    def __init__(self, units, spec: RowSpec, check_totals: bool, strict: bool, limit: int, first: bool,
                 printed) -> None:
        self.pieces, self.forced, self.allowed = _layout(units)
        self.n = n = len(self.pieces)
        self.spec, self.width = spec, spec.width
        self.check_totals, self.strict, self.limit, self.first = check_totals, strict, limit, first
        self.printed_forced = _layout(printed)[1] if printed is not None else self.forced
        self.spaces = [strict and self.printed_forced[i] and not self.forced[i] for i in range(n)]
        self.kinds = set(spec.kinds)
        self.group_of = {i: g for g in spec.groups for i in range(g.start, g.end)}
        self.provable = [check_totals and i in self.group_of and self.group_of[i].total
                         for i in range(self.width)] + [False]
        self.digits, self.dash_count = [0], [0]  # digits / dash pieces before each piece
        for p in self.pieces:
            self.digits.append(self.digits[-1] + sum(ch.isdigit() for ch in p))
            self.dash_count.append(self.dash_count[-1] + (p in dashes()))
        self.options_cache: dict[tuple[int, str], list[tuple[int, CellValue]]] = {}
        self.inside: dict[tuple[int, int], bool] = {}
        self.out: list[tuple[CellValue, ...]] = []
        self.cells: list[CellValue] = []
        self.need: list[list[int]] = []  # per cell pushed: the cells its boundaries ask a holding total of

    def run(self) -> list[tuple[CellValue, ...]]:
        complete = self.rec(0, 0)
        if not complete and not self.first:
            return []  # too many ways: unresolved
        return self.out

    def options(self, pos: int, kind: str) -> list[tuple[int, CellValue]]:
        """Cells that may start at piece `pos`: (end, value), shortest first."""
        key = (pos, kind)
        if key not in self.options_cache:
            found = []
            for end in range(pos + 1, min(self.n, pos + MAX_CELL_CHARS) + 1):
                if end - 1 > pos and self.forced[end - 1]:
                    break
                if end < self.n and not self.allowed[end]:
                    continue
                value = parse_cell("".join(self.pieces[pos:end]), kind)
                if value is not None:
                    found.append((end, value))
            self.options_cache[key] = found
        return self.options_cache[key]

    def proven(self, cand: tuple[CellValue, ...]) -> bool:
        for c in (c for cs in self.need for c in cs):
            g = self.group_of[c]
            if not all(v.value is not None for v in cand[g.start:g.end]):
                return False
        return True

    def cuts_a_number(self, pos: int, end: int) -> bool:
        """The boundary after cell [pos, end) is between digits that could have read on as one number: the
        end of the cell and the start of what follows read together as a valid number ("1|8" could be 18,
        "584|5,550" could hold 45,550; "0|8" could not: no leading zeros)."""
        if not self.strict or end >= self.n or self.printed_forced[end]:
            return False
        if (pos, end) not in self.inside:
            pieces = self.pieces
            stop = next((i for i in range(end + 1, self.n) if self.printed_forced[i]), self.n)
            self.inside[(pos, end)] = any(
                (v := parse_cell("".join(pieces[a:b]), k)) is not None and v.value is not None
                for a in range(pos, end) for b in range(end + 1, min(stop, a + MAX_CELL_CHARS) + 1)
                for k in self.kinds)
        return self.inside[(pos, end)]

    def asks(self, cell: int, pos: int, end: int) -> list[int]:
        """A cut inside a printed number (after this cell) asks a total of both cells beside it; a cell
        spanning a printed space, of itself."""
        cut = self.cuts_a_number(pos, end)
        join = any(self.spaces[pos + 1:end])
        return ([cell] if cut or join else []) + ([cell + 1] if cut else [])

    def push(self, value: CellValue, cell: int, pos: int, end: int) -> bool:
        """Push the cell unless a boundary it asks proof for cannot have it (no total there)."""
        cs = self.asks(cell, pos, end)
        if not all(self.provable[c] for c in cs):
            return False
        self.cells.append(value)
        self.need.append(cs)
        return True

    def pop(self) -> None:
        self.cells.pop()
        self.need.pop()

    def rec(self, pos: int, cell: int) -> bool:
        """False once the limit is reached."""
        if len(self.out) >= (1 if self.first else self.limit):
            return False
        if cell == self.width:
            if pos == self.n and self.proven(tuple(self.cells)):
                self.out.append(tuple(self.cells))
            return True
        g = self.group_of.get(cell)
        if self.check_totals and g is not None and g.total and cell == g.start:
            return self.group(pos, g)
        for end, value in self.options(pos, self.spec.kinds[cell]):
            if self.n - end < self.width - cell - 1:
                break
            if not self.push(value, cell, pos, end):
                continue
            ok = self.rec(end, cell + 1)
            self.pop()
            if not ok:
                return False
        return True

    def group(self, pos: int, g: Group) -> bool:
        """The group's total at pieces [tpos, tend), then its parts in [pos, tpos) summing to it."""
        n, allowed, forced = self.n, self.allowed, self.forced
        after = self.width - g.end
        n_parts = g.end - g.start - 1
        total_kind = self.spec.kinds[g.end - 1]
        tends = [n] if after == 0 else range(pos + n_parts + 1, n - after + 1)
        for tend in tends:
            if tend < n and not allowed[tend]:
                continue
            for tpos in range(max(pos + n_parts, tend - MAX_CELL_CHARS), tend):
                if not allowed[tpos] or any(forced[i] for i in range(tpos + 1, tend)):
                    continue
                total = parse_cell("".join(self.pieces[tpos:tend]), total_kind)
                if total is None:
                    continue
                if not self.parts(pos, g.start, tpos, tend, g, total, 0.0):
                    return False
        return True

    def close_group(self, pos: int, stop: int, tend: int, g: Group, total: CellValue, partial) -> bool:
        """The parts end where the total starts and sum to it: push the total, go on after the group."""
        if pos != stop:
            return True
        if partial is not None and total.value is not None and abs(partial - total.value) > 1e-6:
            return True
        if not self.push(total, g.end - 1, stop, tend):
            return True
        ok = self.rec(tend, g.end)
        self.pop()
        return ok

    def parts(self, pos: int, cell: int, stop: int, tend: int, g: Group, total: CellValue, partial) -> bool:
        if cell == g.end - 1:
            return self.close_group(pos, stop, tend, g, total, partial)
        left = g.end - 1 - cell - 1  # parts after this one
        for end, value in self.options(pos, self.spec.kinds[cell]):
            if end > stop - left:
                break
            nxt = None if partial is None or value.value is None else partial + value.value
            if nxt is not None and total.value is not None and self.dash_count[stop] == self.dash_count[end]:
                rest = self.digits[stop] - self.digits[end]  # the parts after this one: at most one long number
                most = 10 ** (rest - left + 1) + 9 * left if left else 0
                if nxt > total.value + 1e-6 or nxt + most < total.value - 1e-6:
                    continue
            if not self.push(value, cell, pos, end):
                continue
            ok = self.parts(end, cell + 1, stop, tend, g, total, nxt)
            self.pop()
            if not ok:
                return False
        return True


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
