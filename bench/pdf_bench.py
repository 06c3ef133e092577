"""PDF speed: xxgk's time per page beside pdfplumber's own extract_text + extract_tables on the same files.

    .venv/bin/pip install -e '.[pdfbench]'
    .venv/bin/python bench/pdf_bench.py [PDF or directory ...] [--repeat N]

xxgk's time is the whole per-report function (pypdfium2 geometry → tables and prose → every rule:
metadata, tables 二/三/四, figures, checks), and in brackets the PDF parse alone; pdfplumber's is text
and tables only, no rules. Each file is
timed N times (default 3), the fastest run counts. Defaults: the PDFs in tests/fixtures and data/raw.
"""
from __future__ import annotations

import argparse
import hashlib
import time
from pathlib import Path

import pypdfium2 as pdfium

from xxgk.parsers.document import RawDoc, StageError
from xxgk.parsers.parse import parse
from xxgk.pipeline.extract import extract

ROOT = Path(__file__).resolve().parent.parent


def best_of(repeat: int, run) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def xxgk_run(path: Path, data: bytes):
    def run():
        try:
            extract(RawDoc(data, str(path)))
        except StageError:  # a scan without text layer: the time to tell is timed too
            pass
    return run


def parse_run(path: Path, data: bytes):
    def run():
        try:
            parse(RawDoc(data, str(path)))
        except StageError:
            pass
    return run


def pdfplumber_run(path: Path):
    import pdfplumber

    def run():
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.extract_tables()
    return run


def pdf_files(paths: list[Path]) -> list[Path]:
    """The PDFs under `paths`, each content once (data/raw repeats a fixture)."""
    files: dict[bytes, Path] = {}
    for path in paths:
        for file in sorted(path.rglob("*.pdf")) if path.is_dir() else [path]:
            files.setdefault(hashlib.sha256(file.read_bytes()).digest(), file)
    return list(files.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[ROOT / "tests" / "fixtures", ROOT / "data" / "raw"])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    total_pages = total_xxgk = total_plumber = total_parse = 0.0
    print(f"{'file':44} {'pages':>5} {'xxgk ms/page':>13} {'(parse only)':>13} {'pdfplumber ms/page':>19} "
          f"{'ratio':>6}")
    for path in pdf_files(args.paths):
        data = path.read_bytes()
        try:
            pages = len(pdfium.PdfDocument(data))
        except pdfium.PdfiumError:
            pages = 0
        if not pages:  # a placeholder or broken file: nothing to time per page
            continue
        ours = best_of(args.repeat, xxgk_run(path, data))
        parsing = best_of(args.repeat, parse_run(path, data))
        total_parse += parsing
        theirs = best_of(args.repeat, pdfplumber_run(path))
        total_pages += pages
        total_xxgk += ours
        total_plumber += theirs
        print(f"{path.name[:44]:44} {pages:5d} {1000 * ours / pages:13.1f} {1000 * parsing / pages:13.1f} "
              f"{1000 * theirs / pages:19.1f} {ours / theirs:6.2f}")
    if total_pages:
        print(f"{'all':44} {int(total_pages):5d} {1000 * total_xxgk / total_pages:13.1f} "
              f"{1000 * total_parse / total_pages:13.1f} {1000 * total_plumber / total_pages:19.1f} "
              f"{total_xxgk / total_plumber:6.2f}")


if __name__ == "__main__":
    main()
