"""Checks between prose figures and tables. Placeholder until issue 4 lands."""
from __future__ import annotations

from rules.records import Cell, Check, Figure


def cross_checks(figures: list[Figure], cells: list[Cell]) -> list[Check]:
    return []
