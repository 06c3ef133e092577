"""Tables 二/三/四 from text: where each table is, which printed run of values belongs to which row.

The document is one text (lines; table grids as `|`-separated rows). Row labels are found by keyword in
the folded, white-space-free text, so labels wrapped across lines or split by spaces still match.
Each label owns the values printed after it on its own line (or on the line ending a wrapped label):
"本年新收…数量640020470", "…数量 3001 53 0 0 61 4 3119", "| 一、本年新收… | 32 | 2 | … |"; or, one cell
per line, the next lines holding one value each. Lines holding only values that no label owns (PDF text
where labels and numbers were laid out apart) fill, in order, the rows left without values between the
rows that were found — only when their numbers agree.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from xxgk.rules.digit_split import any_reading, split_run
from xxgk.rules.national.labels import Squashed, glued_numbering, is_cell_boundary, norm, numbering_start
from xxgk.rules.national.template import Row, Template
from xxgk.rules.data_files import load

_VAL = re.compile(
    r"[+\-－＋]?[0-9０-９][0-9０-９.,．]*(?:[ \u3000]?(?:万元|元|件|个|项|条))?"
    r"|(?<![^\s|0-9])[—\-－–/／\\×…]+(?![^\s|0-9])"
    r"|(?<![^\s|])(?:无|空)(?![^\s|])"
)
# a dash glued to the text after it, maybe after a note on the label ("行政事业性收费（万元）/第二十条…")
_LEAD_DASH = re.compile(r"^(?:[（(][^）)0-9０-９]{1,20}[）)])?(?P<dash>[—\-－–/／\\×…]+)(?=[^\s|0-9０-９])")
_SEP = re.compile(r"[ \t|\u3000]+")
_DIGIT = re.compile(r"[0-9０-９]")


@dataclass
class Occurrence:
    row: int  # index into the template's rows
    start: int  # squashed position (numbering included)
    end: int
    glued: bool = False  # its numbering digit is glued to the previous run, without a dot


@dataclass
class RowRun:
    row: int
    run: str  # the printed values
    how: str  # same-line | cells-per-line | unlabelled
    alternatives: list[str] = field(default_factory=list)  # other readings of the run
    label: str | None = None  # the row label as printed (white space and cell borders removed)


@dataclass
class Assembly:
    runs: dict[int, RowRun] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def value_part(segment: str) -> tuple[str, str, str] | None:
    """(prefix, values, rest) of one line segment: the values start at the first number or dash; a label
    cell before them ends at its `|`. None when the segment holds no value. A dash that starts the segment
    is a value even with text right after it ("行政事业性收费/第二十条…": digits and dashes run together)."""
    lead = _LEAD_DASH.match(segment)
    first = _VAL.search(segment)
    if not first and not lead:
        return None
    begin = lead.start("dash") if lead else first.start()
    prefix = segment[:begin]
    if _DIGIT.search(prefix):
        return None
    start = begin
    label_text = prefix.rstrip(" \t|\u3000")
    if "|" in prefix[len(label_text):]:
        start = prefix.index("|", len(label_text))
    pos = lead.end() if lead else begin
    while pos < len(segment):
        m = _VAL.match(segment, pos) or _SEP.match(segment, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
    return prefix[:start] if start < len(prefix) else prefix, segment[start:pos], segment[pos:]


_BLANK_CELLS = re.compile(r"^[^0-9０-９|]*(\|(?:[ \t\u3000]*\|)+)[ \t\u3000]*$")


def blank_cells(segment: str) -> str | None:
    """A label's grid cells when all of them are blank ("|规章||||"): the separators, else None."""
    match = _BLANK_CELLS.match(segment)
    return match.group(1) if match else None


def _is_pure(prefix: str) -> bool:
    return not prefix.strip(" \t|\u3000")


# ------------------------------------------------------------------------------------------------
# Regions


@dataclass
class Regions:
    active_disclosure: tuple[int, int] | None = None
    applications: tuple[int, int] | None = None
    review_litigation: tuple[int, int] | None = None


def _first(s: Squashed, keywords: list[str], start: int, end: int | None = None) -> int | None:
    hits = [h for k in keywords for h in s.find_all(norm(k), start, end)[:1]]
    return min(hits) if hits else None


def find_regions(s: Squashed, applications: Template) -> Regions:
    anchors = load("national")["anchors"]
    limit = anchors["max_region"]
    regions = Regions()
    first_row, second_row = applications.rows[0], applications.rows[1]
    app_start = None
    # the printed row label (with 数量) first: prose may say "本年新收政府信息公开申请75件，上年结转2件" earlier
    for kw in [norm(anchors["applications_first_row"]).split("、", 1)[-1]] + first_row.keywords:
        for hit in s.find_all(kw):
            if _first(s, second_row.keywords, hit, hit + 1500) is not None:
                app_start = numbering_start(s, hit, first_row.numbering)
                break
        if app_start is not None:
            break
    review_start = None
    if app_start is not None:
        end = _first(s, anchors["review_litigation_caption"], app_start, app_start + limit)
        regions.applications = (app_start, end if end is not None else min(len(s.text), app_start + limit))
        caption = None
        for kw in anchors["applications_caption"]:  # the caption and header just above row 一
            hits = s.find_all(norm(kw), max(0, app_start - 600), app_start)
            if hits:
                caption = hits[-1] if caption is None else min(caption, hits[-1])
        active_end = caption if caption is not None else app_start
        review_start = end
    else:
        active_end = len(s.text)
    lo = max(0, active_end - limit)
    start = _first(s, anchors["active_disclosure_start"][:-1], lo, active_end)  # a block caption
    if start is None:
        start = _first(s, anchors["active_disclosure_start"][-1:], lo, active_end)
    if start is None:
        hits = [h for kw in anchors["active_disclosure_caption"] for h in s.find_all(norm(kw), lo, active_end)]
        start = max(hits) if hits else None
    if start is not None:
        if app_start is None:  # no table 三: table 二 ends at the next section
            stop = _first(s, anchors["after_active_disclosure"], start + 2, start + 3000)
            active_end = stop if stop is not None else min(len(s.text), start + 3000)
        regions.active_disclosure = (start, active_end)
    if review_start is None:
        base = regions.active_disclosure[1] if regions.active_disclosure else 0
        review_start = _first(s, anchors["review_litigation_caption"][:-1], base)
    if review_start is not None:
        end = _first(s, anchors["after_review_litigation"], review_start + 2, review_start + 1500)
        regions.review_litigation = (review_start, end if end is not None else min(len(s.text), review_start + 1500))
    return regions


# ------------------------------------------------------------------------------------------------
# Labels and their runs


def occurrences(s: Squashed, tpl: Template, start: int, end: int) -> list[Occurrence]:
    """Label occurrences of the template's rows in [start, end), longest match first, not overlapping."""
    found: list[tuple[int, int, int]] = []  # (start, end, row)
    for index, row in enumerate(tpl.rows):
        for kw in row.keywords:
            for hit in s.find_all(kw, start, end):
                found.append((hit, hit + len(kw), index))
        for kw in row.cell_keywords:
            for hit in s.find_all(kw, start, end):
                if is_cell_boundary(s, hit, hit + len(kw), row.numbering):
                    found.append((hit, hit + len(kw), index))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    accepted: list[tuple[int, int, int]] = []
    reach = 0  # where the accepted ones end: they start at or before f, so f overlaps one if it starts before
    for f in found:
        if f[0] < reach:
            continue
        accepted.append(f)
        reach = max(reach, f[1])
    accepted.sort()
    out: list[Occurrence] = []
    for hit, stop, index in accepted:
        if out and out[-1].row == index and not re.search(r"[0-9]", s.text[out[-1].end:hit]):
            out[-1].end = stop  # two keywords of one label ("2.没有现成信息需要另行制作")
            continue
        floor = out[-1].end if out else start
        begin = numbering_start(s, hit, tpl.rows[index].numbering, floor)
        glued = begin == hit and glued_numbering(s, hit, tpl.rows[index].numbering, floor)
        out.append(Occurrence(index, begin, stop, glued))
    return out


def assemble(s: Squashed, tpl: Template, start: int, end: int) -> Assembly:
    """Which printed run belongs to which row of the template."""
    occs = occurrences(s, tpl, start, end)
    result = Assembly()
    # items in document order: ("anchor", row, run, how, printed label) or ("free", None, run, "unlabelled", None)
    items: list[tuple[str, int | None, str, str, str | None]] = []
    for i, occ in enumerate(occs):
        stop = occs[i + 1].start if i + 1 < len(occs) else end
        text = s.original[s.orig_end(occ.end):s.orig_start(stop)] if stop > occ.end else ""
        lines = text.split("\n")
        row = tpl.rows[occ.row]
        printed = s.original[s.orig_start(occ.start):s.orig_end(occ.end)]
        anchored, printed, rest_from = _label_values(lines, row, printed)
        pure = _pure_runs(lines[rest_from:])
        how = "same-line"
        if anchored is not None and not row.group and pure and not _viable(row, anchored):
            anchored, pure = _joined_over_lines(row, anchored, pure)
        if anchored is None and pure and not row.group and _cells_per_line(row, pure):
            anchored, how = "\n".join(p.strip(" |") for p in pure), "cells-per-line"
            pure = []
            if not _viable(row, anchored):
                anchored = anchored.replace("\n", " ")  # values broken over lines, not one per cell
            printed += "".join(lines[:rest_from])
        if anchored is not None and not row.group:
            label = re.sub(r"[\s|]+", "", printed) or None
            if how == "same-line" and i + 1 < len(occs) and occs[i + 1].glued and len(lines) == 1:
                how += "+glued"
            items.append(("anchor", occ.row, anchored, how, label))
        for p in pure:
            items.append(("free", None, p, "unlabelled", None))
    _fill(tpl, items, result)
    return result


def _label_values(lines: list[str], row: Row, printed: str) -> tuple[str | None, str, int]:
    """(values printed with the label or ending its wrapped lines, the label as printed, the first line
    after them)."""
    part = value_part(lines[0])
    if part:
        return part[1], printed + part[0], 1
    if blank_cells(lines[0]) and not row.group:
        return blank_cells(lines[0]), printed + lines[0][:lines[0].index("|")], 1
    for j in range(1, len(lines)):
        part = value_part(lines[j])
        if part is None:
            continue
        if not _is_pure(part[0]):  # the values end a wrapped label
            return part[1], printed + "".join(lines[:j]) + part[0], j + 1
        return None, printed, j
    return None, printed, len(lines)


def _pure_runs(lines: list[str]) -> list[str]:
    """The runs of the lines holding only values, up to the first line with other text."""
    pure = []
    for line in lines:
        part = value_part(line)
        if part and _is_pure(part[0]):
            pure.append(part[1])
        elif part or line.strip():
            break  # values after other text are not this row's
    return pure


def _joined_over_lines(row: Row, anchored: str, pure: list[str]) -> tuple[str, list[str]]:
    """The row's values broken over lines (a page that puts every word in a paragraph): the label's run
    joined with the fewest value lines after it that make a reading."""
    for k in range(1, len(pure) + 1):
        joined = " ".join([anchored] + [p.strip(" |") for p in pure[:k]])
        if "|" not in "".join(pure[:k]) and _viable(row, joined):
            return joined, pure[k:]
    return anchored, pure


def _cells_per_line(row: Row, pure: list[str]) -> bool:
    """The value lines after a label without values are its cells, one per line."""
    if not all(len(p.split()) == 1 and "|" not in p.strip(" |") for p in pure):
        return False
    return len(pure) == row.width or (row.width > 1 and len(pure) % row.width != 0 and len(pure) < row.width)


def _fill(tpl: Template, items, result: Assembly) -> None:
    """Anchored rows keep their runs; unlabelled runs fill the rows between anchors when counts agree."""
    anchor_item: dict[int, int] = {}
    unreadable: dict[int, RowRun] = {}
    for n, (kind, row, run, how, label) in enumerate(items):
        if kind != "anchor" or row in result.runs:
            continue
        readings = [run]
        if how.endswith("+glued") and run.rstrip()[-1:].isdigit():
            readings.append(run.rstrip()[:-1])  # the next label's number may close this run
        readings = [r for r in readings if _viable(tpl.rows[row], r)]
        if readings:
            result.runs[row] = RowRun(row, readings[0], how.replace("+glued", ""), readings[1:], label)
            anchor_item[row] = n
        elif run.strip(" |\t\n") and row not in unreadable:
            unreadable[row] = RowRun(row, run, "unreadable", [], label)
    anchors = sorted((n, row) for row, n in anchor_item.items())
    bounds = [(-1, -1)] + anchors + [(len(items), len(tpl.rows))]
    for (a_pos, a_row), (b_pos, b_row) in zip(bounds, bounds[1:]):
        free = [items[n][2] for n in range(a_pos + 1, b_pos) if items[n][0] == "free"]
        if not free:
            continue
        if b_row <= a_row:
            result.notes.append(f"values {free} between rows out of order; not used")
            continue
        slots = [r for r in range(a_row + 1, b_row) if not tpl.rows[r].group and r not in result.runs]
        viable = [f for f in free if slots and _viable(tpl.rows[slots[0]], f)]
        if len(viable) == len(slots):
            for r, f in zip(slots, viable):
                result.runs[r] = RowRun(r, f, "unlabelled")
        elif viable:
            result.notes.append(f"{len(viable)} unlabelled rows of values for {len(slots)} rows; not used")
    for row, rr in unreadable.items():  # its values printed, but not as many cells as it has: null, reported
        result.runs.setdefault(row, rr)


def _viable(row: Row, run: str) -> bool:
    return bool(row.spec) and any_reading(run, row.spec)


def review_run(s: Squashed, start: int, end: int, row: Row | None = None) -> str | None:
    """Table 四's single row: the values printed in its region, in order. Where all of them together
    cannot be the row (a year or a count in a note around the table), the longest stretch of
    consecutive printed parts that can be read with every block total holding."""
    text = s.original[s.orig_start(start):s.orig_start(end)]
    parts = []
    for line in text.split("\n"):
        rest = line
        while True:
            part = value_part(rest)
            if not part:
                break
            parts.append(part[1].strip())
            rest = part[2]
    parts = [p for p in parts if p.strip(" |")]
    if not parts:
        return None

    def joined(ps: list[str]) -> str:
        # grid rows ("|1|0|2|0|3|", one per block when printed as rows) lose their outer borders and the blank
        # cells of an empty trailing column: a line break separates the last cell of one from the next
        if len(ps) < 2 or not all(len(p) > 1 and p[0] == p[-1] == "|" for p in ps):
            return "\n".join(ps) if len(ps) > 1 else ps[0]
        rows = [_trailing_blanks_trimmed(p[1:-1].split("|"), 0) for p in ps]
        if row is not None and sum(map(len, rows)) != row.width:
            rows = [p[1:-1].split("|") for p in ps]
        return "\n".join("|".join(r) for r in rows)

    if row is not None:
        merged = _overlay(parts, row.width)
        if merged and split_run(merged, row.spec):
            return merged
    if row is None or split_run(joined(parts), row.spec):
        return joined(parts)
    for size in range(len(parts) - 1, 0, -1):
        for i in range(len(parts) - size + 1):
            if split_run(joined(parts[i:i + size]), row.spec):
                return joined(parts[i:i + size])
    return joined(parts)


def _overlay(parts: list[str], width: int) -> str | None:
    """Grid rows that each fill their own columns of the row ("|行政复议|1|0|2|0|3|||…" above
    "|行政诉讼||||||12|0|…"): their cells laid over each other, when every row has all `width` columns
    and no column is filled twice."""
    rows = []
    for p in parts:
        if not (len(p) > 1 and p[0] == p[-1] == "|"):
            return None
        rows.append(_trailing_blanks_trimmed(p[1:-1].split("|"), width))
    if len(rows) < 2 or any(len(r) != width for r in rows):
        return None
    merged = []
    for column in zip(*rows):
        filled = [c for c in column if c.strip()]
        if len(filled) > 1:
            return None
        merged.append(filled[0] if filled else "")
    return "|" + "|".join(merged) + "|"


def _trailing_blanks_trimmed(cells: list[str], width: int) -> list[str]:
    """A grid row's cells without the blank ones of an empty trailing column, keeping at least `width`."""
    while len(cells) > width and cells and not cells[-1].strip():
        cells = cells[:-1]
    return cells
