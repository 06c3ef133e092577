"""Input discovery: files, directories (walked recursively), WARC archives, crawler raw dirs.

Every input becomes a RawDoc; discovery streams, so a batch of any size is never held in memory.
"""
from __future__ import annotations

import functools
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from xxgk.parsers import limits
from xxgk.parsers.document import RawDoc
from xxgk.parsers.limits import size_text
from xxgk.pipeline.manifest import manifest_entry_for, manifests_above

TEXT_SUFFIXES = {".txt", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".shtml"}
# read from their bytes (parsers.formats); the binary office formats become failures rows saying how to convert
DOCUMENT_SUFFIXES = {".pdf": "pdf", ".docx": "docx", ".doc": "office", ".wps": "office"}
WARC_SUFFIXES = (".warc", ".warc.gz")
# report formats seen on portals that xxgk cannot read: each such file becomes a failures row saying so
UNSUPPORTED_SUFFIXES = {".doc": "Word 97-2003", ".wps": "WPS Office", ".et": "WPS spreadsheet",
                        ".xls": "Excel 97-2003", ".rtf": "RTF", ".ofd": "OFD"}


def is_input_file(path: Path) -> bool:
    name = path.name.lower()
    suffix = path.suffix.lower()
    return (suffix in TEXT_SUFFIXES | HTML_SUFFIXES or suffix in DOCUMENT_SUFFIXES or name.endswith(WARC_SUFFIXES)
            or is_unsupported(path))


def is_unsupported(path: Path) -> bool:
    return path.suffix.lower() in UNSUPPORTED_SUFFIXES


def read_suffixes() -> list[str]:
    """The suffixes of the files an extract run reads, for messages."""
    readable = TEXT_SUFFIXES | HTML_SUFFIXES | {s for s, kind in DOCUMENT_SUFFIXES.items() if kind != "office"}
    return sorted(readable) + list(WARC_SUFFIXES)


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
    suffix = path.suffix.lower()
    return "text" if suffix in TEXT_SUFFIXES else DOCUMENT_SUFFIXES.get(suffix, "html")


def iter_input_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named by `paths`; directories are walked recursively, each in name order, skipping hidden
    files and directories. Streams: a directory of any size is never listed whole."""
    for path in paths:
        if path.is_dir():
            yield from _walk(path)
        elif path.exists():  # a file, or a FIFO, socket or device: read_input makes that a failures row
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
        data = read_capped(path, limits.current().max_input_bytes)
    except (OSError, InputRefused) as error:
        yield RawDoc(b"", source, kind_of(path), error=f"cannot read file: {error}")
        return
    if is_unsupported(path):  # the bytes are kept: two such files are two failures rows, not one
        suffix = path.suffix.lower()
        yield RawDoc(data, source, "unsupported", error=f"unsupported format: {suffix} "
                     f"({UNSUPPORTED_SUFFIXES[suffix]}) cannot be read; save it as HTML, PDF or text, "
                     "e.g. convert it with `soffice --headless --convert-to docx FILE`")
        return
    yield RawDoc(data=data, source=source, kind=kind_of(path), http_charset=entry.get("charset"))


class InputRefused(Exception):
    """An input that is not read: not a regular file, or over the bytes-per-input cap."""


def open_regular(path: Path) -> int:
    """A descriptor of `path` opened without blocking (a FIFO with no writer would block an open for
    ever); raises InputRefused for anything but a regular file."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = next((name for test, name in _SPECIAL if test(mode)), "not a regular file")
        raise InputRefused(f"{kind}, not a regular file: skipped")
    os.set_blocking(fd, True)
    return fd


_SPECIAL = [(stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
            (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")]


def read_capped(path: Path, cap: int) -> bytes:
    """The bytes of a regular file of at most `cap` bytes; raises InputRefused otherwise."""
    fd = open_regular(path)
    with os.fdopen(fd, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > cap:
            raise InputRefused(f"input too large: {size_text(size)} > {size_text(cap)} (the cap; raise it "
                               "with --max-input-mb)")
        data = fh.read(cap + 1)  # a file growing while read stays within the cap too
    if len(data) > cap:
        raise InputRefused(f"input too large: more than {size_text(cap)} (the cap; raise it with --max-input-mb)")
    return data
