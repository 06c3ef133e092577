"""Fuzz bench (issue 14): N hostile inputs (bench/fuzz_inputs.py, from tests/fixtures) plus a FIFO and
duplicates through `xxgk extract`; prints the run's time, the process tree's peak memory (sampled from
/proc), and checks that every input path is in the `inputs` dataset and that no traceback was printed.

usage: python bench/fuzz_bench.py [N=2000] [--jobs J]
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.fuzz_inputs import make_inputs  # noqa: E402


def tree_rss_mb(pid: int) -> float:
    """Resident memory of `pid` and all its descendants (Linux /proc), in MB."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/statm") as fh:
                total += int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            with open(f"/proc/{p}/task/{p}/children") as fh:
                stack.extend(int(c) for c in fh.read().split())
        except OSError:
            continue
    return total / 1e6


def run(inputs: Path, out: Path, jobs: int) -> tuple[int, str, str, float, float]:
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "xxgk", "extract", str(inputs), "--out", str(out),
                                "--jobs", str(jobs)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, tree_rss_mb(process.pid))
        time.sleep(0.2)
    stdout, stderr = process.communicate()
    return process.returncode, stdout, stderr, peak, time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    import pyarrow.parquet as pq

    work = Path(tempfile.mkdtemp(prefix="xxgk-fuzz-"))
    try:
        inputs = work / "in"
        print("kinds:", dict(make_inputs(ROOT / "tests" / "fixtures", inputs, args.n)))
        shutil.copy(ROOT / "tests" / "fixtures" / "020_shuyang-fgj_2023.html", inputs / "dup-a.html")
        shutil.copy(ROOT / "tests" / "fixtures" / "020_shuyang-fgj_2023.html", inputs / "dup-b.html")
        os.mkfifo(inputs / "fifo.html")
        code, stdout, stderr, peak, seconds = run(inputs, work / "out", args.jobs)
        paths = {str(p) for p in inputs.iterdir()}
        found = set(pq.read_table(work / "out" / "inputs", columns=["source"]).column("source").to_pylist())
        print(f"exit {code}; {seconds:.1f}s; process tree peak {peak:.0f} MB; {len(paths)} inputs, "
              f"{len(paths - found)} without a row in `inputs`; traceback: {'Traceback' in stderr}")
        print(stdout.strip())
        return 0 if code == 0 and paths <= found and "Traceback" not in stderr else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
