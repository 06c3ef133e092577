"""Crawler manifest: manifest.jsonl in the raw dir, one JSON object per saved file.

The file is append-only JSON Lines; when a URL appears more than once the last line wins, so a
re-crawl that changes a page only appends, and an interrupted write can cost at most its own
(unterminated, unparseable, skipped) last line.

Entry keys: url, final_url, status, fetched_at (ISO 8601, UTC), sha256 (of the saved bytes),
content_type, charset (declared by the Content-Type header, else by a <meta> tag), etag,
last_modified, path (file name relative to the raw dir, "/"-separated), kind ("page" | "attachment").
"""
from __future__ import annotations

import functools
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path

MANIFEST_NAME = "manifest.jsonl"
ENTRY_KEYS = (
    "url", "final_url", "status", "fetched_at", "sha256", "content_type", "charset",
    "etag", "last_modified", "path", "kind",
)
# How many directories above a file to look for the manifest (<raw>/<host>/<file> needs one).
_SEARCH_DEPTH = 3


def iter_entries(manifest: Path) -> Iterator[dict]:
    """Every well-formed entry of a manifest file, in file order (unparseable lines are skipped)."""
    with open(manifest, "rb") as fh:
        for line in fh:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict):
                yield entry


def load_by_url(raw_dir: Path) -> dict[str, dict]:
    """The current entry for each URL in `raw_dir`'s manifest (last entry wins); {} if none."""
    manifest = Path(raw_dir) / MANIFEST_NAME
    if not manifest.is_file():
        return {}
    return {e["url"]: e for e in iter_entries(manifest) if e.get("url")}


class ManifestWriter:
    """Appends entries to `<raw_dir>/manifest.jsonl`; safe to share between threads.

    Each entry is one `write` of one complete line on a file opened in append mode, flushed and
    fsynced, so readers never see half an entry except as an unparseable (skipped) last line.
    """

    def __init__(self, raw_dir: Path):
        self.path = Path(raw_dir) / MANIFEST_NAME
        self._lock = threading.Lock()

    def append(self, entry: dict) -> None:
        line = json.dumps({k: entry.get(k) for k in ENTRY_KEYS}, ensure_ascii=False) + "\n"
        data = line.encode("utf-8")
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "ab") as fh:
                # A previous crash may have left an unterminated line; never glue onto it.
                if fh.tell() > 0 and not _ends_with_newline(self.path):
                    data = b"\n" + data
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())


def _ends_with_newline(path: Path) -> bool:
    with open(path, "rb") as fh:
        fh.seek(-1, os.SEEK_END)
        return fh.read(1) == b"\n"


@functools.lru_cache(maxsize=64)
def _entries_by_path(manifest: str, mtime_ns: int, size: int) -> dict[str, dict]:
    """Entries of one manifest keyed by their `path`; cached per (file, mtime, size)."""
    return {e["path"]: e for e in iter_entries(Path(manifest)) if isinstance(e.get("path"), str)}


def manifests_above(directory: str) -> tuple[tuple[str, str, int, int], ...]:
    """(root, manifest file, mtime_ns, size) of each manifest in `directory` and the few above it."""
    found = []
    root = directory
    for _ in range(_SEARCH_DEPTH):
        manifest = os.path.join(root, MANIFEST_NAME)
        try:
            stat = os.stat(manifest)
        except OSError:
            pass
        else:
            found.append((root, manifest, stat.st_mtime_ns, stat.st_size))
        parent = os.path.dirname(root)
        if parent == root:
            break
        root = parent
    return tuple(found)


def manifest_entry_for(path: Path, find_manifests=manifests_above) -> dict | None:
    """The manifest entry describing `path`, if a manifest in one of its parent dirs lists it.

    Looks in the file's own directory and a few above it (the crawler stores files as
    `<raw>/<host>/<name>` with the manifest at `<raw>/manifest.jsonl`). A batch passes a memoised
    `find_manifests`, so the manifests of a directory are looked up once, not once per file.
    """
    path = os.path.abspath(path)
    for root, manifest, mtime_ns, size in find_manifests(os.path.dirname(path)):
        relative = os.path.relpath(path, root).replace(os.sep, "/")
        entry = _entries_by_path(manifest, mtime_ns, size).get(relative)
        if entry is not None:
            return dict(entry)
    return None
