"""National template tables 二/三/四 (2019 and 2021 formats). Placeholder until issue 3 lands."""
from __future__ import annotations

from parsers.document import Document
from rules.records import Cell, Check


def extract_national(doc: Document, template: str) -> tuple[list[Cell], list[Check]]:
    return [], []
