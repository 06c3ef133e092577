"""CPU per report split by stage, against trafilatura and the lxml parse floor on the same pages.

    python bench/stages.py                                  # 300 reports of a 3,000-report bench corpus
    python bench/stages.py --corpus DIR --sample 600 --repeat 3
    python bench/stages.py --profile 20                     # and the top 20 functions of a cProfile run
    python bench/stages.py --cold-start tests/fixtures/004_pingtan_2021.txt   # `xxgk extract FILE`, CPU of the command

Every report goes through the real `xxgk.pipeline.extract.extract`; the functions it calls for each stage
are wrapped (module attributes swapped for timing wrappers) so the split follows the pipeline as it is:
decode, clean (invisibles, Word residue, pinyin glosses), t2s (Traditional detection and OpenCC), load
(lxml parse and dropping scripts/comments), body (body detection and blocks), page meta, text parse,
metadata, tables (national or legacy), figures, checks; `other` is the rest (hashing, records).

Figures are CPU time of this process (time.process_time), best of --repeat passes per report (the machine
is shared: wall clock is noisy, the minimum of CPU times is the stable figure). Per HTML page also
trafilatura.extract(bytes) and the lxml floor (etree.fromstring(bytes, HTMLParser())), best of the same
number of passes, so the ratios compare like with like in one run.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import resource
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import build_corpus  # noqa: E402

# (module, attribute) → stage; nested stages (load inside parse_html) are subtracted from their parent
STAGES = [
    ("xxgk.parsers.parse", "decode", "decode"),
    ("xxgk.parsers.parse", "clean_text", "clean"),
    ("xxgk.parsers.parse", "to_simplified", "t2s"),
    ("xxgk.parsers.html", "load_html", "load"),
    ("xxgk.parsers.parse", "parse_html", "body"),
    ("xxgk.parsers.parse", "html_page_meta", "page meta"),
    ("xxgk.parsers.parse", "parse_text", "text parse"),
    ("xxgk.pipeline.extract", "extract_metadata", "metadata"),
    ("xxgk.pipeline.extract", "extract_national", "tables"),
    ("xxgk.pipeline.extract", "extract_legacy", "tables"),
    ("xxgk.pipeline.extract", "extract_figures", "figures"),
    ("xxgk.pipeline.extract", "cross_checks", "checks"),
]
ORDER = ["decode", "clean", "t2s", "load", "body", "page meta", "text parse", "metadata", "tables", "figures",
         "checks", "other"]


class StageClock:
    """Accumulates exclusive CPU time per stage: a stage's time without the stages it calls."""

    def __init__(self):
        self.times: dict[str, float] = {}
        self._stack: list[list] = []  # [stage, started, time of inner stages]

    def wrap(self, stage: str, function):
        def timed(*args, **kwargs):
            self._stack.append([stage, time.process_time(), 0.0])
            try:
                return function(*args, **kwargs)
            finally:
                name, started, inner = self._stack.pop()
                spent = time.process_time() - started
                self.times[name] = self.times.get(name, 0.0) + spent - inner
                if self._stack:
                    self._stack[-1][2] += spent
        return timed

    @contextmanager
    def installed(self):
        import importlib

        saved = []
        for module_name, attribute, stage in STAGES:
            module = importlib.import_module(module_name)
            original = getattr(module, attribute)
            saved.append((module, attribute, original))
            setattr(module, attribute, self.wrap(stage, original))
        try:
            yield self
        finally:
            for module, attribute, original in saved:
                setattr(module, attribute, original)


def cpu(function, *args) -> float:
    started = time.process_time()
    function(*args)
    return time.process_time() - started


def measure(pages: list[tuple[str, Path, bytes]], repeat: int, with_trafilatura: bool) -> dict:
    """kind → {stage: best CPU seconds summed over the kind's pages}, plus 'total', 'trafilatura', 'lxml'."""
    from lxml import etree

    from xxgk.parsers.document import RawDoc, StageError
    from xxgk.pipeline.extract import extract

    traf = _trafilatura() if with_trafilatura else None
    results: dict[str, dict[str, float]] = {}
    clock = StageClock()
    with clock.installed():
        for kind, path, data in pages:
            raw = RawDoc(data, str(path), "html" if path.suffix == ".html" else "text")
            best: dict[str, float] = {}
            for _ in range(repeat):
                clock.times = {}
                started = time.process_time()
                try:
                    extract(raw)
                except StageError:
                    pass
                total = time.process_time() - started
                if total < best.get("total", float("inf")):
                    best = {**clock.times, "total": total}
            best["other"] = best["total"] - sum(v for k, v in best.items() if k != "total")
            if path.suffix == ".html":
                best["lxml"] = min(cpu(etree.fromstring, data, etree.HTMLParser()) for _ in range(repeat))
                if traf:
                    best["trafilatura"] = min(cpu(traf, data) for _ in range(repeat))
            acc = results.setdefault(kind, {"pages": 0})
            acc["pages"] += 1
            for stage, seconds in best.items():
                acc[stage] = acc.get(stage, 0.0) + seconds
    return results


def _trafilatura():
    try:
        import trafilatura
    except ImportError as error:  # lxml >= 6 without lxml_html_clean: say so, measure the rest
        print(f"trafilatura not importable ({error}): no trafilatura column", file=sys.stderr)
        return None
    return trafilatura.extract


def report(results: dict) -> None:
    kinds = sorted(results)
    print(f"{'ms CPU per report':18s}" + "".join(f"{k:>10s}" for k in kinds))
    print(f"{'reports':18s}" + "".join(f"{results[k]['pages']:10d}" for k in kinds))
    for stage in [*ORDER, "total", "lxml", "trafilatura"]:
        if stage in ("total", "lxml"):
            print("-" * (18 + 10 * len(kinds)))
        cells = [f"{1000 * results[k][stage] / results[k]['pages']:10.2f}" if stage in results[k] else f"{'':10s}"
                 for k in kinds]
        print(f"{stage:18s}" + "".join(cells))
    print()
    html = [k for k in kinds if "lxml" in results[k]]
    for label, group in [(k, [k]) for k in html] + ([("all HTML", html)] if len(html) > 1 else []):
        total = sum(results[k]["total"] for k in group)
        floor = sum(results[k]["lxml"] for k in group)
        line = f"{label:10s} ours / lxml parse {total / floor:5.1f}×"
        if all("trafilatura" in results[k] for k in group):
            line += f"   ours / trafilatura.extract {total / sum(results[k]['trafilatura'] for k in group):5.2f}×"
        print(line)


def sample_pages(corpus: Path, sample: int, seed: int) -> list[tuple[str, Path, bytes]]:
    files = sorted(p for p in corpus.rglob("*") if p.suffix in (".html", ".txt"))
    files = random.Random(seed).sample(files, min(sample, len(files)))
    return [(p.relative_to(corpus).parts[0], p, p.read_bytes()) for p in sorted(files)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=None, help="default: build 3,000 under /tmp/xxgk-bench")
    parser.add_argument("--sample", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-trafilatura", action="store_true")
    parser.add_argument("--profile", type=int, default=0, help="also print the top N functions of a cProfile pass")
    parser.add_argument("--cold-start", type=Path, default=None, help="time `xxgk extract FILE` (one file) instead")
    args = parser.parse_args()
    if args.cold_start:
        cold_start(args.cold_start, args.repeat)
        return
    corpus = args.corpus
    if corpus is None:
        corpus = Path("/tmp/xxgk-bench/corpus-3000")
        if not (corpus.parent / f".{corpus.name}.done").exists():
            build_corpus(corpus, 3000)
    pages = sample_pages(corpus, args.sample, args.seed)
    measure(pages[:5], 1, not args.no_trafilatura)  # warm-up: imports, dictionaries, caches
    report(measure(pages, args.repeat, not args.no_trafilatura))
    if args.profile:
        profile(pages, args.profile)


def cold_start(path: Path, repeat: int) -> None:
    """CPU (user + sys, the command and its worker processes) and wall time of `xxgk extract FILE` into a new
    output root, with one worker and with the default (all cores)."""
    for jobs in (["--jobs", "1"], []):
        for _ in range(max(repeat, 3)):
            with tempfile.TemporaryDirectory() as out:
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                started = time.perf_counter()
                subprocess.run([sys.executable, "-m", "xxgk", "extract", str(path), "--out", out, *jobs],
                               check=True, capture_output=True)
                wall = time.perf_counter() - started
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
            used = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
            label = " ".join(jobs) or "(default jobs)"
            print(f"xxgk extract {path.name} {label:14s} CPU {used:5.2f} s  wall {wall:5.2f} s")


def profile(pages, top: int) -> None:
    from xxgk.parsers.document import RawDoc, StageError
    from xxgk.pipeline.extract import extract

    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _, path, data in pages:
        try:
            extract(RawDoc(data, str(path), "html" if path.suffix == ".html" else "text"))
        except StageError:
            pass
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


if __name__ == "__main__":
    main()
