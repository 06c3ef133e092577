"""Batch runs (issue 6): incremental skip, rules changes, reextract, crash safety at every write step, lock."""
from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.dataset as ds
import pytest

from xxgk.pipeline import executors as executors_module
from xxgk.pipeline import store as store_module
from conftest import FIXTURES
from helpers import catalog_count, xxgk
from xxgk.pipeline.catalog import CATALOG_NAME, Catalog
from xxgk.pipeline.lock import OutputLock
from xxgk.pipeline.run import run_extract, run_reextract
from xxgk.pipeline.writer import WriterError
from xxgk.rules.records import Cell, Check, Extraction, Figure, ReportMeta
from xxgk.rules.version import rules_version

DATASETS = ["reports", "figures", "table_cells", "checks"]
SAMPLES = ["004_pingtan_2021.txt", "008_pingtan_2018.txt", "014_pingtan-dishui_2013.txt", "017_shanghai-kewei_2024_pdfmd.txt"]


@pytest.fixture(autouse=True)
def _fresh_rules_version(monkeypatch):
    monkeypatch.delenv("XXGK_RULES_SALT", raising=False)
    rules_version.cache_clear()
    yield
    rules_version.cache_clear()


def salt(monkeypatch, value: str) -> None:
    monkeypatch.setenv("XXGK_RULES_SALT", value)
    rules_version.cache_clear()


def read(out: Path, dataset: str) -> pd.DataFrame:
    """All rows of a dataset with its partition columns, in a canonical order, run-specific columns dropped."""
    path = out / dataset
    if not any(path.rglob("*.parquet")):
        return pd.DataFrame()
    frame = ds.dataset(path, partitioning="hive" if dataset != "failures" else None).to_table().to_pandas()
    frame = frame.drop(columns=[c for c in ("extracted_at", "run_id", "at") if c in frame.columns])
    frame = frame.astype(str)
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def snapshot(out: Path) -> dict[str, pd.DataFrame]:
    return {name: read(out, name) for name in [*DATASETS, "failures"]}


def assert_same(a: dict, b: dict, ignore=()) -> None:
    for name in a:
        x, y = a[name], b[name]
        cols = [c for c in x.columns if c not in ignore]
        if cols:
            x = x[cols].sort_values(cols).reset_index(drop=True)
            y = y[cols].sort_values(cols).reset_index(drop=True)
        pd.testing.assert_frame_equal(x, y, obj=name)


def small_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "in"
    corpus.mkdir()
    for name in SAMPLES:
        (corpus / name).write_bytes((FIXTURES / name).read_bytes())
    (corpus / "sub").mkdir()
    (corpus / "sub" / "empty.txt").write_bytes(b"")  # a failure
    return corpus


# -- incremental ---------------------------------------------------------------------------------
def test_unchanged_inputs_are_skipped_and_changed_ones_replace_their_rows(tmp_path):
    corpus, out = small_corpus(tmp_path), tmp_path / "out"
    first = run_extract([corpus], out, jobs=1)
    assert (first.extracted, first.skipped, first.reports, first.failures) == (5, 0, 4, 1)
    rows = snapshot(out)

    again = run_extract([corpus], out, jobs=1)
    assert (again.extracted, again.skipped, again.reports, again.failures) == (0, 5, 4, 1)
    assert_same(rows, snapshot(out))
    assert (out / CATALOG_NAME).exists() and not list(out.glob("**/*.tmp"))

    # one input changes: only it is extracted; its old report's rows go, the new ones come
    changed = corpus / SAMPLES[0]
    old_id = hashlib.sha256(changed.read_bytes()).hexdigest()
    changed.write_bytes(changed.read_bytes() + "\n（本报告数据更正）\n".encode())
    new_id = hashlib.sha256(changed.read_bytes()).hexdigest()
    third = run_extract([corpus], out, jobs=1)
    assert (third.extracted, third.skipped) == (1, 4)
    reports = read(out, "reports")
    assert len(reports) == 4 and new_id in set(reports.report_id) and old_id not in set(reports.report_id)
    for name in DATASETS:
        assert old_id not in set(read(out, name).get("report_id", []))
    catalog = Catalog(out)
    assert catalog.state(old_id) is None and catalog.is_current(new_id, rules_version()) == "ok"
    catalog.close()

    full = run_extract([corpus], out, jobs=1, full=True)
    assert (full.extracted, full.skipped) == (5, 0)


def test_a_rules_change_reextracts_everything_and_reextract_only_the_stale(tmp_path, monkeypatch):
    corpus, out = small_corpus(tmp_path), tmp_path / "out"
    run_extract([corpus], out, jobs=1)
    before = read(out, "reports")

    salt(monkeypatch, "rule-edited")
    changed = run_extract([corpus], out, jobs=1)
    assert (changed.extracted, changed.skipped) == (5, 0)
    after = read(out, "reports")
    assert set(after.rules_version) == {rules_version()} != set(before.rules_version)
    assert_same({"r": before.drop(columns="rules_version")}, {"r": after.drop(columns="rules_version")})

    # the cron job: only reports of another rules_version; their sources read again from disk
    salt(monkeypatch, "rule-edited-again")
    (corpus / SAMPLES[1]).unlink()  # a source that is gone: skipped, its rows kept
    summary = run_reextract(out, jobs=1)
    assert (summary.extracted, summary.missing) == (4, 1)
    reports = read(out, "reports")
    assert len(reports) == 4
    assert sorted(reports.rules_version.value_counts().tolist()) == [1, 3]
    assert run_reextract(out, jobs=1).extracted == 0  # nothing stale left but the gone one
    assert run_extract([corpus], out, jobs=1).extracted == 0


# -- crash safety at every visible write step -----------------------------------------------------
VERSION = {"n": 1}


def fake_extract(raw, run_id):
    """Deterministic extraction whose agency/year and values depend on the 'rules' (VERSION)."""
    v = VERSION["n"]
    rid = hashlib.sha256(raw.data).hexdigest()
    i = int(raw.data.split()[0])
    if v == 2 and i == 3:
        return executors_module.failure_row(raw, "extract", "StageError", "now rejected", run_id)
    agency = ["甲局", "乙局", "丙局"][(i + (v == 2)) % 3] if i % 2 == 0 or v == 1 else ["甲局", "乙局"][i % 2]
    year = 2020 + (i % 2) + (v == 2 and i in (0, 4))
    return Extraction(
        report_id=rid, source=raw.source, encoding="utf-8", converted_traditional=False,
        meta=ReportMeta(agency=agency, year=year, title=f"{agency}{year}年报告 v{v}"),
        figures=[Figure("一、总体情况", "主动公开政府信息", float(v), "条", f"v{v}") for _ in range(2)],
        cells=[Cell("applications", f"行{k}", f"行{k}", "总计", float(v), str(v)) for k in range(3)],
        checks=[Check("sum", True, float(v), float(v), f"v{v}")])


def check_consistent(out: Path) -> dict[str, set[str]]:
    """Every dataset readable; each report in one partition at most, its rows all of one version."""
    versions: dict[str, set[str]] = {}
    for name in DATASETS:
        frame = read(out, name)
        if name == "checks":  # cross-year rows are the agency's, recomputed after each write (assert_same has them)
            frame = frame[frame["kind"] != "cross_year"]
        if frame.empty:
            continue
        for rid, rows in frame.groupby("report_id"):
            assert rows[["agency", "year"]].drop_duplicates().shape[0] == 1, f"{name}: {rid} in two partitions"
            marker = rows["title"].str[-2:] if name == "reports" else rows[
                {"figures": "text", "table_cells": "raw_value", "checks": "detail"}[name]].str[-1:]
            assert marker.nunique() == 1, f"{name}: {rid} mixes old and new rows"
            expected = {"reports": 1, "figures": 2, "table_cells": 3, "checks": 1}[name]
            assert len(rows) == expected, f"{name}: {rid} has {len(rows)} rows"
    return versions


def test_a_crash_at_any_write_step_leaves_old_or_new_rows_and_the_next_run_finishes(tmp_path, monkeypatch):
    monkeypatch.setattr(executors_module, "extract_or_fail", fake_extract)
    corpus = tmp_path / "in"
    corpus.mkdir()

    def setup(out: Path) -> None:
        VERSION["n"] = 1
        for i in range(6):
            (corpus / f"r{i}.txt").write_text(f"{i} v1")
        salt(monkeypatch, "v1")
        run_extract([corpus], out, jobs=1, batch_size=3)
        (corpus / "r5.txt").write_text("5 changed")  # a source whose bytes changed: its old report goes
        VERSION["n"] = 2
        salt(monkeypatch, "v2")

    reference = tmp_path / "reference"
    setup(reference)
    v1 = read(reference, "reports")
    run_extract([corpus], reference, jobs=1, batch_size=3)
    expected = snapshot(reference)
    assert len(expected["reports"]) == 5 and len(expected["failures"]) == 1
    moved = v1.merge(expected["reports"], on="report_id").query("agency_x != agency_y or year_x != year_y")
    assert len(moved) >= 3  # reports that moved partition (agency or year changed)

    real_replace, steps = os.replace, {"n": 0}
    k = 0
    while True:
        out = tmp_path / f"crash{k}"
        setup(out)
        steps["n"] = 0

        def crashing_replace(src, dst, _k=k):
            if steps["n"] == _k:
                raise KeyboardInterrupt("killed")  # the process dies here
            steps["n"] += 1
            return real_replace(src, dst)

        monkeypatch.setattr(store_module.os, "replace", crashing_replace)
        try:
            run_extract([corpus], out, jobs=1, batch_size=3)
            crashed = False
        except KeyboardInterrupt:
            crashed = True
        finally:
            monkeypatch.setattr(store_module.os, "replace", real_replace)
        check_consistent(out)
        run_extract([corpus], out, jobs=1, batch_size=3)  # the next run finishes the work
        check_consistent(out)
        assert_same(expected, snapshot(out), ignore=("source", "rules_version"))
        assert not list(out.rglob("*.tmp"))
        if not crashed:
            break
        k += 1
    assert k > 10  # the loop did crash at each of many steps


def test_a_crash_before_the_catalog_records_the_outcome(tmp_path, monkeypatch):
    monkeypatch.setattr(executors_module, "extract_or_fail", fake_extract)
    VERSION["n"] = 1
    corpus, out = tmp_path / "in", tmp_path / "out"
    corpus.mkdir()
    for i in range(6):
        (corpus / f"r{i}.txt").write_text(f"{i} v1")
    run_extract([corpus], out, jobs=1, full=True)
    VERSION["n"] = 2

    def killed(*args, **kwargs):
        raise KeyboardInterrupt("killed")

    monkeypatch.setattr(Catalog, "end_write", killed)
    with pytest.raises(KeyboardInterrupt):
        run_extract([corpus], out, jobs=1, full=True)  # same rules_version: only 'pending' tells
    monkeypatch.undo()
    monkeypatch.setattr(executors_module, "extract_or_fail", fake_extract)
    check_consistent(out)
    assert run_extract([corpus], out, jobs=1).extracted == 6  # pending reports are redone
    assert run_extract([corpus], out, jobs=1).extracted == 0


def test_temp_files_left_by_a_kill_are_invisible_and_cleaned(tmp_path):
    corpus, out = small_corpus(tmp_path), tmp_path / "out"
    run_extract([corpus], out, jobs=1)
    partition = next((out / "reports").glob("agency=*/year=*"))
    stray = partition / ".part-0.parquet.deadbeef.tmp"
    stray.write_bytes(b"PAR1 half a file")
    with sqlite3.connect(out / CATALOG_NAME) as db:  # as a run killed while writing leaves it
        db.execute("UPDATE runs SET finished = NULL WHERE started = (SELECT max(started) FROM runs)")
    assert len(pd.read_parquet(out / "reports")) == 4
    import duckdb
    assert duckdb.sql(f"SELECT count(*) FROM read_parquet('{out}/reports/**/*.parquet')").fetchall()[0][0] == 4
    run_extract([corpus], out, jobs=1)
    assert not stray.exists()
    for name in DATASETS:  # compacted: one file per partition
        files = list((out / name).rglob("*"))
        assert all(f.name == "part-0.parquet" for f in files if f.is_file())


# -- a real process killed with SIGKILL --------------------------------------------------------------
def ok_count(out: Path) -> int:
    return catalog_count(out, "outcome IS NOT NULL AND pending = 0")


@pytest.fixture(scope="module")
def varied_corpus(tmp_path_factory) -> Path:
    from bench.bench import build_corpus

    corpus = tmp_path_factory.mktemp("varied") / "corpus"
    build_corpus(corpus, 120, seed=11)
    return corpus


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])  # the writer: a thread of the run, or a process of its own
def test_sigkill_mid_run_then_rerun_gives_the_rows_of_an_uninterrupted_run(varied_corpus, tmp_path, jobs):
    reference, out = tmp_path / "reference", tmp_path / "out"
    done = xxgk("extract", str(varied_corpus), "--out", str(reference), "--jobs", "2")
    assert done.wait(120) == 0, done.stderr.read()

    run = xxgk("extract", str(varied_corpus), "--out", str(out), "--jobs", jobs, "--batch-size", "3")
    deadline = time.monotonic() + 60
    while ok_count(out) < 20 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert run.poll() is None, "the run finished before it could be killed"
    run.kill()  # SIGKILL
    run.wait()
    killed_at = ok_count(out)
    assert 20 <= killed_at < 120
    # readable at once, and each report either absent or with exactly its rows (no partial, no double)
    expected = snapshot(reference)
    for name in DATASETS:
        frame = read(out, name)
        assert not frame.empty or name != "reports"
        if frame.empty:
            continue
        if name == "reports":
            assert frame.report_id.is_unique
        ids = set(frame.report_id)
        want = expected[name][expected[name].report_id.isin(ids)]
        if name == "checks":  # cross-year rows depend on the agency's other reports, written or not yet
            frame, want = frame[frame.kind != "cross_year"], want[want.kind != "cross_year"]
        cols = [c for c in frame.columns if c != "rules_version"]
        pd.testing.assert_frame_equal(frame[cols].sort_values(cols).reset_index(drop=True),
                                      want[cols].sort_values(cols).reset_index(drop=True), obj=name)

    again = xxgk("extract", str(varied_corpus), "--out", str(out), "--jobs", "2")
    stdout, stderr = again.communicate(timeout=120)
    assert again.returncode == 0, stderr
    assert f" {120 - killed_at} extracted (" in stdout and f"), {killed_at} unchanged;" in stdout
    assert_same(snapshot(reference), snapshot(out), ignore=("rules_version",))
    assert not list(out.rglob("*.tmp"))


# -- the lock ------------------------------------------------------------------------------------
def test_a_second_run_exits_3_with_a_clear_message_or_waits(tmp_path):
    corpus, out = small_corpus(tmp_path), tmp_path / "out"
    with OutputLock(out):
        second = xxgk("extract", str(corpus), "--out", str(out), "--jobs", "1")
        _, stderr = second.communicate(timeout=60)
        assert second.returncode == 3
        assert "another xxgk run is writing to" in stderr and "--wait" in stderr and f"pid {os.getpid()}" in stderr
        waiting = xxgk("extract", str(corpus), "--out", str(out), "--jobs", "1", "--wait")
        time.sleep(1.5)
        assert waiting.poll() is None  # still waiting for the lock
    stdout, stderr = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, stderr
    assert "of them 4 reports, 1 failed" in stdout


def test_the_same_bytes_under_two_sources_are_one_report(tmp_path):
    corpus, out = tmp_path / "in", tmp_path / "out"
    corpus.mkdir()
    for i in range(3):
        (corpus / f"copy{i}.txt").write_bytes((FIXTURES / SAMPLES[0]).read_bytes())
    first = run_extract([corpus], out, jobs=1, batch_size=1)
    assert len(read(out, "reports")) == 1 and first.extracted + first.skipped == 3
    again = run_extract([corpus], out, jobs=2)
    assert (again.extracted, again.skipped) == (0, 3)
    catalog = Catalog(out)
    assert len(catalog.sources_of(hashlib.sha256((FIXTURES / SAMPLES[0]).read_bytes()).hexdigest())) == 3
    catalog.close()


def test_reextract_reads_warc_records_again_from_their_archive(tmp_path, monkeypatch):
    from test_warc import write_sample_warc

    corpus, out = tmp_path / "in", tmp_path / "out"
    corpus.mkdir()
    write_sample_warc(corpus / "crawl.warc.gz", gzipped=True)
    first = run_extract([corpus], out, jobs=1)
    assert first.extracted == 3  # two HTML pages and a (broken) PDF
    before = snapshot(out)
    catalog = Catalog(out)
    rows = catalog.db.execute("SELECT source, location, container FROM inputs ORDER BY source").fetchall()
    catalog.close()
    assert [r[2] for r in rows] == ["warc"] * 3 and all(r[0].startswith("http://") for r in rows)
    assert {r[1] for r in rows} == {str((corpus / "crawl.warc.gz").resolve())}

    salt(monkeypatch, "warc-rules")
    again = run_reextract(out, jobs=1)
    assert (again.extracted, again.missing) == (3, 0)
    assert_same(before, snapshot(out), ignore=("rules_version",))


def running(pid: int) -> bool:
    """The process exists and is not a zombie waiting for a reaper (a container's init may never reap)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def children_of(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux's")
@pytest.mark.slow
def test_workers_and_writer_die_with_a_killed_run(varied_corpus, tmp_path):
    run = xxgk("extract", str(varied_corpus), "--out", str(tmp_path / "out"), "--jobs", "2", "--full")
    deadline = time.monotonic() + 60
    # two workers, the writer process and multiprocessing's resource tracker (it exits with the run too)
    while len(children := children_of(run.pid)) < 4 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert run.poll() is None and len(children) >= 4, "the run finished before its processes were seen"
    run.kill()  # SIGKILL: no clean-up code of the run can stop its workers
    run.wait()
    deadline = time.monotonic() + 20
    while (alive := {p for p in children if running(p)}) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive, f"workers or the writer outlived the run: {alive}"


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failing_writer_stops_the_run_with_its_error(tmp_path, jobs):
    """The writer (a thread, or its own process in a parallel run) fails: the run ends with that error
    instead of hanging or losing it, and the next run on a sound root does the work."""
    corpus, out = small_corpus(tmp_path), tmp_path / "out"
    out.mkdir()
    (out / "table_cells").write_text("a file where a dataset directory belongs")
    with pytest.raises((NotADirectoryError, WriterError), match="Not a directory"):
        run_extract([corpus], out, jobs=jobs)
    (out / "table_cells").unlink()
    again = run_extract([corpus], out, jobs=jobs)
    assert (again.extracted, again.reports, again.failures) == (5, 4, 1)  # 1: the empty file of the corpus
    assert not read(out, "table_cells").empty
