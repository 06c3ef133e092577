"""The pure per-report function: RawDoc → Extraction (or StageError). Runs anywhere: tests, pools, Dask."""
from __future__ import annotations

from xxgk.parsers.document import RawDoc, StageError
from xxgk.parsers.parse import parse
from xxgk.rules.checks import cross_checks
from xxgk.rules.figures.extract import extract_figures
from xxgk.rules.legacy.extract import extract_legacy
from xxgk.rules.metadata import extract_metadata
from xxgk.rules.national.extract import extract_national
from xxgk.rules.records import Extraction


def extract(raw: RawDoc) -> Extraction:
    """Parse one input and apply every rule. Raises StageError(stage, message) when it cannot."""
    if raw.error:
        raise StageError("decode" if raw.kind == "unsupported" else "fetch", raw.error)
    doc = parse(raw)
    meta = extract_metadata(doc)
    cells, checks = [], []
    if meta.template in ("gov2019", "gov2021"):
        cells, checks = extract_national(doc, meta.template)
    elif meta.template == "legacy":
        cells = extract_legacy(doc)
    figures = extract_figures(doc)
    checks = checks + cross_checks(figures, cells)
    return Extraction(
        report_id=doc.report_id,
        source=doc.source,
        encoding=doc.encoding,
        converted_traditional=doc.converted_traditional,
        meta=meta,
        figures=figures,
        cells=cells,
        checks=checks,
    )
