"""Legacy statistics appendix (政府信息公开情况统计表). Placeholder until issue 4 lands."""
from __future__ import annotations

from parsers.document import Document
from rules.records import Cell


def extract_legacy(doc: Document) -> list[Cell]:
    return []
