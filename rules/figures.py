"""Prose figures with their breakdowns. Placeholder until issue 4 lands."""
from __future__ import annotations

from parsers.document import Document
from rules.records import Figure


def extract_figures(doc: Document) -> list[Figure]:
    return []
