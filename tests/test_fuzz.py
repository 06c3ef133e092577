"""Fuzz test (fast; bench/fuzz_bench.py is the long one): hostile inputs of 11 kinds made from real
reports, a FIFO and duplicates — every input path has a row in `inputs`, no traceback, the run ends
normally, the process tree's memory stays bounded."""
from __future__ import annotations

import os
import shutil
import time

import pyarrow.parquet as pq

from bench.fuzz_bench import tree_rss_mb
from bench.fuzz_inputs import make_inputs
from helpers import FIXTURES, xxgk


def test_hostile_inputs_are_all_accounted_for_without_a_traceback(tmp_path):
    inputs, out = tmp_path / "in", tmp_path / "out"
    kinds = make_inputs(FIXTURES, inputs, 22, seed=3)
    assert len(kinds) == 11
    shutil.copy(FIXTURES / "020_shuyang-fgj_2023.html", inputs / "dup-a.html")
    shutil.copy(FIXTURES / "020_shuyang-fgj_2023.html", inputs / "dup-b.html")
    os.mkfifo(inputs / "fifo.html")
    run = xxgk("extract", str(inputs), "--out", str(out), "--jobs", "2")
    peak, deadline = 0.0, time.monotonic() + 300
    while run.poll() is None and time.monotonic() < deadline:
        peak = max(peak, tree_rss_mb(run.pid))
        time.sleep(0.1)
    stdout, stderr = run.communicate(timeout=60)
    assert run.returncode == 0, stderr
    assert "Traceback" not in stderr
    paths = {str(p) for p in inputs.iterdir()}
    rows = pq.read_table(out / "inputs").to_pylist()
    assert {r["source"] for r in rows} == paths
    assert all(r["outcome"] in ("report", "failed") for r in rows)
    reports = sum(r["outcome"] == "report" for r in rows)
    assert f"of them {reports} reports, {len(paths) - reports} failed" in stdout, stdout
    assert peak < 600, f"process tree peaked at {peak:.0f} MB"
