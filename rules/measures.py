"""The measure vocabulary (rules/data/measures.toml): a canonical key for every quantity a report states.

`assign_measures(cells, figures)` sets Cell.measure / Cell.period and Figure.measure in place:
national template cells by their (table, row_key, column_key), legacy appendix cells by their row label
(and the parent row's), prose figures by the crosschecks.toml pair that compares them. Two legacy rows of one
report that would share a measure get none (no guessing which one it is); `vocabulary()` lists every measure
with its meaning, unit and the labels it comes from (docs/OUTPUT.md is checked against it).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from xxgk.rules.checks import bare_label, pairs, prose_counts, prose_value
from xxgk.rules.data_files import load
from xxgk.rules.records import Cell, Figure

CUMULATIVE_SUFFIX = ".cumulative"
_YEAR_COLUMN = re.compile(r"^(?:19|20)\d\d年(?:度)?$|^本年(?:度)?$|^value$")
_CUMULATIVE_COLUMN = re.compile(r"累计")


@dataclass(frozen=True)
class Measure:
    key: str
    meaning: str
    unit: str | None
    labels: tuple[str, ...]  # where it comes from: "gov2021 table 三: 一、本年新收… × 总计", legacy label patterns …
    close_to: str | None = None


@lru_cache(maxsize=1)
def _national() -> dict[tuple[str, str, str], str]:
    """(table, row_key, column_key) → measure."""
    return {(table, row_key, column_key): _join(row["slug"], column["slug"])
            for table, row_key, row, column_key, column in _national_cells()}


def _national_cells():
    """(table, row_key, row, column_key, column) of every cell the national tables print."""
    for table, spec in load("measures")["national"].items():
        for row_key, row in spec["rows"].items():
            for column_key in row.get("columns", spec["columns"]):
                yield table, row_key, row, column_key, spec["columns"][column_key]


def _join(*slugs: str) -> str:
    return ".".join(s for s in slugs if s)


@lru_cache(maxsize=1)
def _legacy() -> list[tuple[str, list[re.Pattern], re.Pattern | None]]:
    return [(e["measure"], [re.compile(p) for p in e["labels"]], re.compile(e["parent"]) if e.get("parent") else None)
            for e in load("measures")["legacy"]]


def national_measure(table: str, row_key: str, column_key: str) -> str | None:
    return _national().get((table, row_key, column_key))


@lru_cache(maxsize=8192)
def legacy_measure(row_key: str, row_label: str) -> str | None:
    """The measure of a legacy appendix row (its label and its parent row's label)."""
    label = bare_label(row_label)
    parts = row_key.rsplit("/", 2)
    parent = bare_label(parts[-2]) if len(parts) > 1 else ""
    for measure, labels, parent_pattern in _legacy():
        if any(p.search(label) for p in labels) and (parent_pattern is None or parent_pattern.search(parent)):
            return measure
    return None


def period_of(column_key: str) -> str | None:
    """year | cumulative for a legacy value column ("2011年度", "value" → year; "历年累计" → cumulative)."""
    if _CUMULATIVE_COLUMN.search(column_key):
        return "cumulative"
    if _YEAR_COLUMN.match(column_key):
        return "year"
    return None


def assign_measures(cells: list[Cell], figures: list[Figure]) -> None:
    """Set measure (and period on legacy cells) on the cells and the figures, in place."""
    legacy: dict[str, list[Cell]] = {}
    for cell in cells:
        if cell.table == "legacy_appendix":
            cell.period = period_of(cell.column_key)
            base = legacy_measure(cell.row_key, cell.row_label) if cell.period else None
            if base:
                key = base + CUMULATIVE_SUFFIX if cell.period == "cumulative" else base
                legacy.setdefault(key, []).append(cell)
        else:
            cell.measure = national_measure(cell.table, cell.row_key, cell.column_key)
    for key, found in legacy.items():
        if len(found) == 1:  # two rows of one report with one measure: which is it? none gets it
            found[0].measure = key
    _prose_measures(figures)


def _prose_measures(figures: list[Figure]) -> None:
    """The figure each crosschecks.toml pair with a measure compares gets the measure (its context allowing)."""
    counts = prose_counts(figures)
    for pair in pairs():
        if not pair["measure"]:
            continue
        context = pair["measure_context"]
        allowed = [(f, m) for f, m in counts if context is None or context.search(f"{f.section or ''} {f.text}")]
        figure, _ = prose_value({**pair, "prose": pair["prose"][: pair["measure_prose"]]}, allowed)
        if figure is not None and figure.measure is None:
            figure.measure = pair["measure"]


def vocabulary() -> list[Measure]:
    """Every measure, sorted by key: national ones (row × column), legacy ones and their .cumulative twins."""
    data = load("measures")
    found: dict[str, Measure] = {}
    for table, row_key, row, column_key, column in _national_cells():
        key = _join(row["slug"], column["slug"])
        label = f"{table}: {row_key} × {column_key}"
        close = _join(row["slug"], column["close_to"]) if column.get("close_to") else None
        unit = column.get("unit", data["national"][table].get("unit")) or None
        meaning = "; ".join(x for x in (row["meaning"], column["meaning"]) if x)
        old = found.get(key)
        labels = (old.labels if old else ()) + (label,)
        found[key] = Measure(key, old.meaning if old else meaning, unit, labels, close)
    for e in data["legacy"]:
        key = e["measure"]
        old = found.get(key)
        under = f" under {e['parent']}" if e.get("parent") else ""
        labels = (old.labels if old else ()) + tuple(f"legacy: {p}{under}" for p in e["labels"])
        found[key] = Measure(key, old.meaning if old else e["meaning"], old.unit if old else None, labels,
                             e.get("close_to") or (old.close_to if old else None))
        found[key + CUMULATIVE_SUFFIX] = Measure(key + CUMULATIVE_SUFFIX, "running total since reporting began of: "
                                                 + e["meaning"], None, ("legacy: 历年累计 column",))
    return [found[k] for k in sorted(found)]


def markdown_table() -> str:
    """The vocabulary as the Markdown table docs/OUTPUT.md carries (tests/test_docs.py keeps them equal)."""
    lines = ["| measure | meaning | unit | comes from | close to (not merged) |", "|---|---|---|---|---|"]
    for m in vocabulary():
        sources = "<br>".join(label.replace("|", "\\|") for label in m.labels)
        close = f"`{m.close_to}`" if m.close_to else ""
        lines.append(f"| `{m.key}` | {m.meaning} | {m.unit or ''} | {sources} | {close} |")
    return "\n".join(lines)
