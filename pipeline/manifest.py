"""Crawler manifest (manifest.jsonl in the raw dir): one JSON object per fetched file.

Placeholder reader until the crawler lands: returns no entry.
"""
from __future__ import annotations

from pathlib import Path


def manifest_entry_for(path: Path) -> dict | None:
    return None
