"""Helpers shared by test modules (import from here, never from another test file)."""
from __future__ import annotations

import io
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def read_fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def write_warc(path: Path, pages: list[tuple[str, str | None, bytes]], gzipped: bool = True) -> Path:
    """A WARC archive with one 200 response record per (url, content_type, body)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gzipped)
        for url, content_type, body in pages:
            headers = [("Content-Type", content_type)] if content_type else []
            http_headers = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=http_headers))
    return path


def cell_values(data: bytes, source: str = "report.html") -> dict[tuple[str, str, str], float | None]:
    """(table, row_key, column_key) → value of every cell extracted from `data`."""
    from xxgk.parsers.document import RawDoc
    from xxgk.pipeline.extract import extract

    ex = extract(RawDoc(data, source, "html" if source.endswith(".html") else "text"))
    return {(c.table, c.row_key, c.column_key): c.value for c in ex.cells}


def share_kept(original: dict, damaged: dict) -> float:
    """The share of the original's cells the damaged input still gives with the same value."""
    return sum(1 for key, value in original.items() if damaged.get(key) == value) / max(1, len(original))
