"""Values of appendix rows: cells as numbers, and runs of digits that hold several value columns split
using the table's own identities (其中 items adding up to their total, 本年度 ≤ 历年累计) and the prose."""
from __future__ import annotations

import itertools
import re

from xxgk.rules.legacy.basics import BLANKS, Row, rules as _rules
from xxgk.rules.numbering import LEADING_NUMBER
from xxgk.rules.text import squash

MAX_COMBOS = 20000
PLAUSIBLE_RATIO = 50.0  # a run read as (本年度, 历年累计) with 累计/本年 at most this is plausible …
IMPLAUSIBLE_RATIO = 1000.0  # … and decides only when every other reading is at least this far off


def parse_value(token: str) -> float | None:
    token = token.replace(",", "").replace("，", "").strip()
    if not token or token in BLANKS or not re.fullmatch(r"[-+]?\d+(?:\.\d+)?", token):
        return None
    return float(token)


def cell_value(cell: str) -> float | None:
    """A table cell's number; a cell that prints its unit ("60条") is its number."""
    m = _rules()["number_unit"].fullmatch(cell)
    return parse_value(m.group(1) if m else cell)


def splits(run: str, k: int) -> list[tuple]:
    """Every way a glued digit run reads as k values (no leading zeros; a later cumulative column ≥ the year's)."""
    if k == 1:
        return [(parse_value(run),)]
    if "." in run or not run.isdigit():
        return []
    out = []
    for cut in itertools.combinations(range(1, len(run)), k - 1):
        parts = [run[a:b] for a, b in zip((0,) + cut, cut + (len(run),))]
        if any(len(p) > 1 and p[0] == "0" for p in parts):
            continue
        vals = tuple(float(p) for p in parts)
        if k == 2 and vals[1] < vals[0]:
            continue
        out.append(vals)
    return out


def row_candidates(row: Row, k: int, cumulative: bool) -> None:
    if row.positional:  # a real table: one cell per column, blank cells in their places
        vals = [cell_value(t) for t in row.tokens[:k]]
        row.candidates = [tuple(vals + [None] * (k - len(vals)))]
        return
    tokens = [t for t in row.tokens if t != ""]
    if len(tokens) >= k:
        row.candidates = [tuple(parse_value(t) for t in tokens[:k])]
    elif len(tokens) == 1 and k > 1 and tokens[0].isdigit():
        cands = splits(tokens[0], k) if cumulative or k > 2 else _all_splits(tokens[0])
        row.candidates = cands
        if len(cands) != 1:
            row.ambiguous = tokens[0]
    else:
        vals = [parse_value(t) for t in tokens] + [None] * (k - len(tokens))
        row.candidates = [tuple(vals[:k])]


def _all_splits(run: str) -> list[tuple]:
    out = []
    for cut in range(1, len(run)):
        a, b = run[:cut], run[cut:]
        if (len(a) > 1 and a[0] == "0") or (len(b) > 1 and b[0] == "0"):
            continue
        out.append((float(a), float(b)))
    return out



def resolve(rows: list[Row], prose: str, cumulative: bool = False) -> None:
    """Narrow split candidates with the table's identities, then with the numbers the prose states (read only
    when a row is still ambiguous), then (two columns, the second 历年累计) with the plausible ratio of the
    cumulative figure to the year's; record what stays ambiguous."""
    children: dict[int, list[int]] = {}
    for idx, row in enumerate(rows):
        if row.parent is not None:
            children.setdefault(row.parent, []).append(idx)
    _settle(rows, children)
    _by_prose(rows, children, prose)
    if cumulative:
        _by_ratio(rows, children)


def _settle(rows: list[Row], children: dict[int, list[int]]) -> None:
    """Narrow by the sums until nothing changes."""
    while _propagate(rows, children):
        pass


def _propagate(rows: list[Row], children: dict[int, list[int]]) -> bool:
    """One pass of parent = sum of its children (per column) over every group; whether a row narrowed."""
    changed = False
    for p, kids in children.items():
        group = [p] + kids
        if all(len(rows[g].candidates) <= 1 for g in group) or any(not rows[g].candidates for g in group):
            continue
        size = 1
        for g in group:
            size *= len(rows[g].candidates)
        if size > MAX_COMBOS:
            continue
        ok = [combo for combo in itertools.product(*(rows[g].candidates for g in group)) if _sums_hold(combo)]
        if ok:
            for pos, g in enumerate(group):
                keep = [c for c in rows[g].candidates if any(o[pos] == c for o in ok)]
                if len(keep) < len(rows[g].candidates):
                    rows[g].candidates = keep
                    changed = True
    return changed


def _sums_hold(combo: tuple) -> bool:
    """The parent (first) is the sum of its parts in every column (a blank part counts as none; a blank total
    says nothing; a parent without any value proves nothing)."""
    parent, parts = combo[0], combo[1:]
    return all(parent[c] is None or abs(parent[c] - sum(x[c] or 0 for x in parts)) < 1e-9
               for c in range(len(parent))) and any(v is not None for v in parent)


def _by_prose(rows: list[Row], children: dict[int, list[int]], prose: str) -> None:
    """A row whose only reading with its first value stated in the prose (in a clause naming the row)."""
    stated_in = None
    for row in rows:
        if len(row.candidates) > 1:
            if stated_in is None:
                stated_in = prose_numbers(prose)
            stated = [c for c in row.candidates
                      if any(_speaks_of(clause, row.label) for clause in stated_in.get((c[0], row.unit), ()))]
            if len(stated) == 1:
                row.candidates = stated
                row.how = "the prose states " + fmt_number(stated[0][0]) + (row.unit or "")
                _settle(rows, children)


def _by_ratio(rows: list[Row], children: dict[int, list[int]]) -> None:
    """历年累计 against 本年度: a cumulative figure of a few years of reports, not hundreds."""
    for row in rows:
        if len(row.candidates) > 1 and len(row.candidates[0]) == 2:
            ratio = [c[1] / c[0] if c[0] else float("inf") for c in row.candidates]
            near = [c for c, r in zip(row.candidates, ratio) if r <= PLAUSIBLE_RATIO]
            far = [r for r in ratio if r > PLAUSIBLE_RATIO]
            same = [c for c in row.candidates if c[0] == c[1]]
            if len(near) == 1 and all(r >= IMPLAUSIBLE_RATIO for r in far):
                row.candidates = near
                row.how = (f"历年累计/本年度 = {near[0][1] / near[0][0]:.1f}; every other reading gives a ratio of "
                           f"{IMPLAUSIBLE_RATIO:g} or more")
            elif near == same and len(same) == 1 and len(far) == len(ratio) - 1:
                # “2828”: the run is one number twice (历年累计 = 本年度, as in a first year or a new row) and
                # every other reading would make the cumulative figure more than PLAUSIBLE_RATIO years' worth
                row.candidates = same
                row.how = (f"the run is {fmt_number(same[0][0])} twice (历年累计 = 本年度); every other reading "
                           f"gives a ratio above {PLAUSIBLE_RATIO:g}")
            else:
                continue
            _settle(rows, children)


def prose_numbers(text: str) -> dict[tuple[float, str | None], list[str]]:
    """(number, unit) stated in the prose → the clauses stating it (the text before the number back to the
    last punctuation)."""
    rules = _rules()
    found: dict[tuple[float, str | None], list[str]] = {}
    for m in rules["prose_number"].finditer(text):
        clause = _CLAUSE_START.split(text[max(0, m.start() - 40): m.start()])[-1]
        found.setdefault((float(m.group(1)), m.group(2)), []).append(clause)
    return found


_CLAUSE_START = re.compile(r"[。；;，,：:、\n]")
_LABEL_NOISE = re.compile(rf"^(?:其中[:：]?)?{LEADING_NUMBER}?"
                          r"|[（(][^）)]*[）)]|(?:总数|数量|数)$")


def _speaks_of(clause: str, label: str) -> bool:
    """Whether a prose clause names what a row counts: it holds the head of the row's words (their first four
    characters) and a run of them covering 60 % (“全区主动公开政府信息2069条” for 主动公开文件数; not
    “公开年报1条” for 同意公开答复数, nor “主动公开政府信息60条” for 政府网站公开政府信息数)."""
    core = _LABEL_NOISE.sub("", squash(label))
    if len(core) < 2 or core[:4] not in clause:
        return False
    need = max(min(4, len(core)), int(0.6 * len(core) + 0.999))
    return any(core[a:a + need] in clause for a in range(len(core) - need + 1))


def fmt_number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else str(value)

