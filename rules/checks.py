"""Consistency checks of one report (a failed check is a finding about the report, not a pipeline error).

  figures.breakdown_sum/<metric>        the items of a “共…，其中：A x件、B y件” list against their stated total
  prose_vs_table/<quantity>             a prose figure against the legacy appendix or national table cell
                                        that states the same quantity (pairs in rules/data/crosschecks.toml)
  legacy_appendix.sum/<row_key>         an appendix total against its numbered parts (rows in legacy.toml)
  legacy_appendix.ambiguous_split/<row_key>
                                        a run of digits (flattened table) that splits into the value columns
                                        in more than one way; the cells are left null
  legacy_appendix.split_decided/<row_key>
                                        such a run decided (passed) by the table's sums, a number the prose
                                        states, or the only plausible 历年累计/本年度 ratio; detail says which
"""
from __future__ import annotations

import re
from functools import lru_cache

from xxgk.rules.data_files import load
from xxgk.rules.legacy.basics import rules as legacy_rules
from xxgk.rules.legacy.values import splits
from xxgk.rules.numbering import numbering, strip_numbering, strip_qizhong
from xxgk.rules.records import Cell, Check, Figure
from xxgk.rules.text import squash

UNIT_SCALE = {"元": 1.0, "千元": 1e3, "万元": 1e4, "亿元": 1e8}
EPS = 1e-6


@lru_cache(maxsize=1)
def _pairs() -> list[dict]:
    pairs = []
    for p in load("crosschecks")["pair"]:
        pairs.append({
            "name": p["name"],
            "prose": [re.compile(x) for x in p["prose"]],
            "units": set(p.get("units", [])),
            "legacy": [re.compile(x) for x in p.get("legacy", [])],
            "national": [tuple(x) for x in p.get("national", [])],
            "section": re.compile(p["section"]) if p.get("section") else None,
        })
    return pairs


def _fmt(x: float) -> str:
    return str(int(x)) if x == int(x) else f"{x:g}"


_NOTE = re.compile(r"[（(][^）)]*[）)]")


@lru_cache(maxsize=4096)
def bare_label(label: str) -> str:
    """A row label without numbering, 其中 and bracketed notes: “1.专职人员数（不包括…）” → 专职人员数
    (cached: every pair of crosschecks.toml looks at every row)."""
    label = squash(label)
    label = strip_qizhong(label)
    label = strip_numbering(label)
    label = _NOTE.sub("", label)
    return label


# ---------------------------------------------------------------------------------------------- breakdowns

PARTIAL_LIST = re.compile(r"其中包括|其中涉及|主要包括|主要有|主要类别|等\d|等[\u4e00-\u9fff]?类")


def breakdown_checks(figures: list[Figure]) -> list[Check]:
    checks = []
    items: dict[int, list[Figure]] = {}
    for f in figures:
        g = getattr(f, "_breakdown_item", None)
        if g is not None:
            items.setdefault(g, []).append(f)
    for total in figures:
        g = getattr(total, "_breakdown_total", None)
        if g is None:
            continue
        # an item stated without a unit (“不予公开信息数1402”) is in the list's unit
        parts = [f for f in items.get(g, []) if (f.unit == total.unit or f.unit is None) and f.unit != "%"
                 and not getattr(f, "_breakdown_nested", False)]
        if len(parts) < 2:
            continue
        actual = sum(f.value for f in parts)
        partial = bool(PARTIAL_LIST.search(total.text))
        # a list that names only some items (“其中包括…”) holds when its items do not exceed the total
        passed = actual <= total.value + EPS if partial else abs(actual - total.value) < EPS
        detail = (f"{len(parts)} items ({' + '.join(f'{f.category} {_fmt(f.value)}' for f in parts)}) = {_fmt(actual)}"
                  f" vs stated total {_fmt(total.value)}{total.unit or ''}"
                  + (" (a partial list: items may not exceed the total)" if partial else ""))
        checks.append(Check(f"figures.breakdown_sum/{total.metric}", passed, total.value, actual, detail))
    return checks


# ---------------------------------------------------------------------------------------------- prose vs table

def _prose_value(pair: dict, counts: list[tuple[Figure, str]]) -> tuple[Figure | None, float | None]:
    """The prose figure the pair names, among `counts`: (figure, its metric without white space)."""
    for pattern in pair["prose"]:
        best = None
        for f, metric in counts:
            if pair["units"] and f.unit not in pair["units"]:
                continue
            if pair["section"] is not None and not pair["section"].search(f.section or ""):
                continue
            if not pattern.search(metric):
                continue
            if best is None or f.value > best.value:
                best = f
        if best is not None:
            return best, best.value
    return None, None


def _legacy_cell(pair: dict, cells: list[Cell]) -> Cell | None:
    found = None
    for c in cells:
        if c.table != "legacy_appendix":
            continue
        if "累计" in c.column_key or "上年" in c.column_key:
            continue
        label = bare_label(c.row_label)
        if any(p.search(label) for p in pair["legacy"]):
            if found is None or c.row_key.count("/") < found.row_key.count("/"):
                found = c
    return found


def _national_cell(pair: dict, cells: list[Cell]) -> Cell | None:
    for table, row_key, column_key in pair["national"]:
        for c in cells:
            if c.table == table and c.row_key == row_key and c.column_key == column_key:
                return c
    return None


def prose_vs_table(figures: list[Figure], cells: list[Cell]) -> list[Check]:
    checks = []
    if not cells:
        return checks
    counts = [(f, squash(f.metric or "")) for f in figures
              if f.category is None and f.unit != "%" and not f.approximate]
    for pair in _pairs():
        fig, prose = _prose_value(pair, counts)
        if fig is None:
            continue
        cell = _legacy_cell(pair, cells) or _national_cell(pair, cells)
        if cell is None or cell.value is None:
            continue
        expected = cell.value
        actual = prose
        if fig.unit in UNIT_SCALE and cell.unit in UNIT_SCALE:
            actual = prose * UNIT_SCALE[fig.unit] / UNIT_SCALE[cell.unit]
        passed = abs(expected - actual) < EPS
        detail = (f"prose “{fig.metric}” {_fmt(prose)}{fig.unit or ''} ({fig.section or 'no section'}) vs "
                  f"{cell.table} {cell.row_key} [{cell.column_key}] {_fmt(expected)}{cell.unit or ''}")
        checks.append(Check(f"prose_vs_table/{pair['name']}", passed, expected, actual, detail))
    return checks


# ---------------------------------------------------------------------------------------------- legacy

def legacy_checks(cells: list[Cell]) -> list[Check]:
    legacy = [c for c in cells if c.table == "legacy_appendix"]
    if not legacy:
        return []
    checks = []
    seen = set()
    for c in legacy:
        if c.value is None and c.raw_value.isdigit() and len(c.raw_value) > 1 and c.row_key not in seen:
            seen.add(c.row_key)
            k = len({x.column_key for x in legacy})
            options = splits(c.raw_value, k) if k > 1 else []
            shown = ", ".join("|".join(_fmt(v) for v in o) for o in options[:6])
            checks.append(Check(f"legacy_appendix.ambiguous_split/{c.row_key}", False, None, None,
                                f"run “{c.raw_value}” reads as {len(options)} splits into {k} columns ({shown});"
                                " the table's identities and the prose did not decide; cells left null"))
    for c in legacy:
        split = getattr(c, "_split", None)
        if split:
            run, how = split
            checks.append(Check(f"legacy_appendix.split_decided/{c.row_key}", True, None, c.value,
                                f"run “{run}” splits several ways; read by {how}"))
    parents = legacy_rules()["sum_parents"]
    for c in legacy:
        if c.value is None or bare_label(c.row_label) not in parents:
            continue
        prefix = c.row_key + "/"
        kids = [x for x in legacy if x.column_key == c.column_key and x.row_key.startswith(prefix)
                and "/" not in x.row_key[len(prefix):]
                and numbering(strip_qizhong(x.row_label))[0] in ("arabic", "pcn", "parabic")]
        if len(kids) < 2 or any(x.value is None for x in kids):
            continue
        actual = sum(x.value for x in kids)
        name = f"legacy_appendix.sum/{c.row_key}" + ("" if c.column_key == "value" else f"/{c.column_key}")
        checks.append(Check(name,
                            abs(actual - c.value) < EPS, c.value, actual,
                            f"{len(kids)} numbered parts add up to {_fmt(actual)}, the row states {_fmt(c.value)}"))
    return checks


def cross_checks(figures: list[Figure], cells: list[Cell]) -> list[Check]:
    return breakdown_checks(figures) + prose_vs_table(figures, cells) + legacy_checks(cells)
