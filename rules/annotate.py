"""What the analyst needs beside the values: measures (rules/measures.py), check kinds and doubtful cells.

`annotate(cells, figures, checks)` runs last in extraction, in place:
- every Check gets `rule` and `subject` (its name split at the first '/': the subject may contain '/') and a
  `kind` from rules/data/checks.toml [kinds]: document | extraction | cross_year;
- every Cell that a failed extraction check touches gets `doubtful` (rules/data/checks.toml [doubt]);
- cells and figures get their measure.
"""
from __future__ import annotations

from functools import lru_cache

from xxgk.rules.data_files import load
from xxgk.rules.measures import assign_measures
from xxgk.rules.records import Cell, Check, Figure


@lru_cache(maxsize=1)
def _kinds() -> dict[str, str]:
    return load("checks")["kinds"]


def classify(check: Check) -> Check:
    """Fill rule, subject and kind from the check's name (in place; returned for chaining)."""
    rule, _, subject = check.check.partition("/")
    check.rule = rule
    check.subject = subject or None
    if check.kind is None:
        kinds = _kinds()
        check.kind = kinds.get(rule.rsplit(".", 1)[-1], kinds["default"])
    return check


def mark_doubtful(cells: list[Cell], checks: list[Check]) -> None:
    """Flag the cells a failed extraction check names: its table's row, or the whole table."""
    scope = load("checks")["doubt"]
    rows: set[tuple[str, str]] = set()
    tables: set[str] = set()
    for check in checks:
        if check.passed or check.kind != "extraction":
            continue
        table, _, name = check.rule.rpartition(".")
        if scope.get(name) == "row" and check.subject:
            rows.add((table, check.subject))
        elif scope.get(name) == "table":
            tables.add(table)
    for cell in cells:
        if cell.table in tables or (cell.table, cell.row_key) in rows:
            cell.doubtful = True


def annotate(cells: list[Cell], figures: list[Figure], checks: list[Check]) -> None:
    for check in checks:
        classify(check)
    mark_doubtful(cells, checks)
    assign_measures(cells, figures)
