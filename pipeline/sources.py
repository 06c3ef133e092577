"""Input discovery: files, directories (walked recursively), WARC archives, crawler raw dirs.

Every input becomes a RawDoc; discovery streams, so a batch of any size is never held in memory.
"""
from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from xxgk.parsers.document import RawDoc
from xxgk.pipeline.manifest import manifest_entry_for, manifests_above

TEXT_SUFFIXES = {".txt", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".shtml"}
WARC_SUFFIXES = (".warc", ".warc.gz")
# report formats seen on portals that xxgk cannot read: each such file becomes a failures row saying so
UNSUPPORTED_SUFFIXES = {".doc": "Word 97-2003", ".wps": "WPS Office", ".et": "WPS spreadsheet",
                        ".xls": "Excel 97-2003", ".rtf": "RTF", ".ofd": "OFD"}


def is_input_file(path: Path) -> bool:
    name = path.name.lower()
    return (path.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES or name.endswith(WARC_SUFFIXES)
            or is_unsupported(path))


def is_unsupported(path: Path) -> bool:
    return path.suffix.lower() in UNSUPPORTED_SUFFIXES


def read_suffixes() -> list[str]:
    """The suffixes of the files an extract run reads, for messages."""
    return sorted(TEXT_SUFFIXES | HTML_SUFFIXES) + list(WARC_SUFFIXES)


def nothing_to_read_hint(paths: Iterable[Path]) -> str:
    """Why a run found no input under `paths`: what it reads, and what it found there instead."""
    others: dict[str, int] = {}
    for path in paths:
        for _, subdirectories, names in os.walk(path) if path.is_dir() else [("", [], [str(path)])]:
            subdirectories[:] = [d for d in subdirectories if not d.startswith(".")]
            for name in names:
                suffix = Path(name).suffix.lower() or "(no suffix)"
                others[suffix] = others.get(suffix, 0) + 1
    where = ", ".join(str(p) for p in paths)
    found = ", ".join(f"{n} {s}" for s, n in sorted(others.items(), key=lambda item: -item[1])[:6])
    return (f"nothing could be read under {where}: it holds "
            + (f"only files xxgk does not read ({found})" if others else "no files")
            + f"; xxgk reads {' '.join(read_suffixes())} and crawler raw directories")


def kind_of(path: Path) -> str:
    return "text" if path.suffix.lower() in TEXT_SUFFIXES else "html"


def iter_input_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named by `paths`; directories are walked recursively, each in name order, skipping hidden
    files and directories. Streams: a directory of any size is never listed whole."""
    for path in paths:
        if path.is_dir():
            yield from _walk(path)
        elif path.is_file():
            yield path
        else:
            raise FileNotFoundError(f"no such file or directory: {path}")


def _walk(root: Path) -> Iterator[Path]:
    for directory, subdirectories, names in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith("."))
        for name in sorted(names):
            if not name.startswith(".") and is_input_file(Path(name)):
                yield Path(directory, name)


def iter_raw_docs(paths: Iterable[Path]) -> Iterator[RawDoc]:
    """RawDocs for every input under `paths`; WARC files yield one RawDoc per HTML response record.

    A file listed in a crawler manifest (manifest.jsonl in its directory) takes the manifest's URL as
    source and its HTTP charset.
    """
    for _, docs in iter_input_docs(paths):
        yield from docs


def iter_input_docs(paths: Iterable[Path]) -> Iterator[tuple[Path, Iterator[RawDoc]]]:
    """Every input file under `paths` with its RawDocs (read when iterated). The crawler manifests of a
    directory are looked up once for all its files."""
    find_manifests = functools.lru_cache(maxsize=64)(manifests_above)
    for path in iter_input_files(paths):
        yield path, read_input(path, find_manifests)


def read_input(path: Path, find_manifests=manifests_above) -> Iterator[RawDoc]:
    """The RawDocs of one input file: one, or one per HTML response record of a WARC archive."""
    if path.name.lower().endswith(WARC_SUFFIXES):
        from xxgk.pipeline.warc import iter_warc  # warcio (and the fsspec it imports) only for WARC inputs

        yield from iter_warc(path)
        return
    entry = manifest_entry_for(path, find_manifests) or {}
    source = entry.get("final_url") or entry.get("url") or str(path)  # where the page really is
    try:
        data = path.read_bytes()
    except OSError as error:
        yield RawDoc(b"", source, kind_of(path), error=f"cannot read file: {error}")
        return
    if is_unsupported(path):  # the bytes are kept: two such files are two failures rows, not one
        suffix = path.suffix.lower()
        yield RawDoc(data, source, "unsupported", error=f"unsupported format: {suffix} "
                     f"({UNSUPPORTED_SUFFIXES[suffix]}) cannot be read; save it as HTML, PDF or text")
        return
    yield RawDoc(data=data, source=source, kind=kind_of(path), http_charset=entry.get("charset"))
