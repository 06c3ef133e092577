"""Input discovery: files, directories (walked recursively), WARC archives, crawler raw dirs.

Every input becomes a RawDoc; discovery streams, so a batch of any size is never held in memory.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from parsers.document import RawDoc

TEXT_SUFFIXES = {".txt", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".shtml"}
WARC_SUFFIXES = (".warc", ".warc.gz")
MANIFEST_NAME = "manifest.jsonl"


def is_input_file(path: Path) -> bool:
    name = path.name.lower()
    return path.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES or name.endswith(WARC_SUFFIXES)


def kind_of(path: Path) -> str:
    return "text" if path.suffix.lower() in TEXT_SUFFIXES else "html"


def iter_input_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named by `paths`, directories walked recursively in sorted order."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and is_input_file(child) and not _hidden(child, path):
                    yield child
        elif path.is_file():
            yield path
        else:
            raise FileNotFoundError(f"no such file or directory: {path}")


def _hidden(child: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in child.relative_to(root).parts)


def iter_raw_docs(paths: Iterable[Path]) -> Iterator[RawDoc]:
    """RawDocs for every input under `paths`; WARC files yield one RawDoc per HTML response record.

    A file listed in a crawler manifest (manifest.jsonl in its directory) takes the manifest's URL as
    source and its HTTP charset.
    """
    from pipeline.manifest import manifest_entry_for  # the crawler's manifest format
    from pipeline.warc import iter_warc

    for path in iter_input_files(paths):
        if path.name.lower().endswith(WARC_SUFFIXES):
            yield from iter_warc(path)
            continue
        entry = manifest_entry_for(path) or {}
        source = entry.get("url") or str(path)
        try:
            data = path.read_bytes()
        except OSError as error:
            yield RawDoc(b"", source, kind_of(path), error=f"cannot read file: {error}")
            continue
        yield RawDoc(data=data, source=source, kind=kind_of(path), http_charset=entry.get("charset"))
