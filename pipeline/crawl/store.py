"""The raw dir: hash-named files written atomically, and the manifest recording where each came from."""
from __future__ import annotations

import hashlib
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from xxgk.pipeline.crawl.content import declared_charset
from xxgk.pipeline.crawl.http import Response
from xxgk.pipeline.crawl.urls import stored_name
from xxgk.pipeline.manifest import ManifestWriter, load_by_url


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a temporary file in the same directory and os.replace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


class RawStore:
    """The raw dir: hash-named files plus the manifest, and what an earlier crawl left there."""

    def __init__(self, raw_dir: Path):
        self.root = Path(raw_dir).resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self.known = load_by_url(self.root)
        self._writer = ManifestWriter(self.root)

    def path_of(self, relative: str) -> Path:
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root):  # cannot happen with hash names; checked all the same
            raise ValueError(f"refusing to write outside the raw dir: {relative}")
        return path

    def validators(self, url: str) -> dict | None:
        """ETag / Last-Modified of the URL's saved file, when the file is still there."""
        entry = self.known.get(url)
        if entry and entry.get("path") and self.path_of(entry["path"]).is_file():
            return entry
        return None

    def save(self, response: Response, kind: str, suffix: str) -> tuple[str, bool]:
        """Save the body unless identical bytes are already stored; (relative path, written?)."""
        sha = hashlib.sha256(response.body).hexdigest()
        relative = stored_name(response.url, suffix)
        previous = self.known.get(response.url)
        if (previous and previous.get("sha256") == sha and previous.get("path") == relative
                and self.path_of(relative).is_file()):
            return relative, False
        write_atomically(self.path_of(relative), response.body)
        content_type = response.headers.get("content-type")
        entry = {
            "url": response.url,
            "final_url": response.final_url,
            "status": response.status,
            "fetched_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "sha256": sha,
            "content_type": content_type,
            "charset": declared_charset(content_type, response.body) if kind == "page" else None,
            "etag": response.headers.get("etag"),
            "last_modified": response.headers.get("last-modified"),
            "path": relative,
            "kind": kind,
        }
        self._writer.append(entry)
        self.known[response.url] = entry
        return relative, True
