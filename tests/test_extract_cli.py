"""`xxgk extract` end to end: five datasets, read back by pandas, pyarrow and DuckDB; failures; reruns."""
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.dataset as ds
import pytest

from conftest import FIXTURES, ROOT

DATASETS = ["reports", "figures", "table_cells", "checks"]
COMPLETE = sorted(p.name for p in FIXTURES.iterdir() if p.suffix in (".txt", ".html") and "PARTIAL" not in p.name)


def xxgk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xxgk", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    inputs = tmp_path_factory.mktemp("in")
    for name in COMPLETE:
        shutil.copy(FIXTURES / name, inputs / name)
    out = tmp_path_factory.mktemp("out")
    result = xxgk("extract", str(inputs), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return inputs, out, result


def read_all(out: Path) -> dict[str, pd.DataFrame]:
    frames = {name: pd.read_parquet(out / name) for name in DATASETS}
    frames["failures"] = pd.read_parquet(out / "failures")
    return frames


def test_summary_line_and_every_input_a_report(extracted):
    _, out, result = extracted
    holds, this_run = result.stdout.splitlines()
    assert holds.startswith(f"{out} holds {len(COMPLETE)} reports: ") and holds.endswith("; 0 failed inputs")
    assert f"this run: {len(COMPLETE)} inputs in " in this_run
    assert this_run.endswith(f"; of them {len(COMPLETE)} reports, 0 failed")
    reports = pd.read_parquet(out / "reports")
    assert len(reports) == len(COMPLETE) == reports.report_id.nunique()


@pytest.mark.parametrize("dataset", DATASETS)
def test_every_dataset_read_by_pandas_pyarrow_duckdb_with_partition_columns(extracted, dataset):
    _, out, _ = extracted
    by_pandas = pd.read_parquet(out / dataset)
    by_arrow = ds.dataset(out / dataset, partitioning="hive").to_table()
    by_duckdb = duckdb.sql(f"SELECT * FROM read_parquet('{out}/{dataset}/**/*.parquet', hive_partitioning=true)").df()
    assert len(by_pandas) == by_arrow.num_rows == len(by_duckdb)
    for columns in (by_pandas.columns, by_arrow.column_names, by_duckdb.columns):
        assert {"report_id", "agency", "year"} <= set(columns)
    if dataset == "reports":
        assert len(by_pandas) == len(COMPLETE)
    assert str(by_arrow.schema.field("year").type) == "int32"


def test_failures_dataset_read_back_everywhere(extracted):
    _, out, _ = extracted
    frame = pd.read_parquet(out / "failures")
    arrow = ds.dataset(out / "failures").to_table()
    duck = duckdb.sql(f"SELECT * FROM read_parquet('{out}/failures/*.parquet')").df()
    assert len(frame) == arrow.num_rows == len(duck) == 0
    assert list(frame.columns) == ["source", "source_sha256", "stage", "error", "message", "run_id", "at"]


def test_seed_report_row(extracted):
    _, out, _ = extracted
    reports = pd.read_parquet(out / "reports", filters=[("year", "=", 2020)])
    seed = reports[reports.source.str.endswith("000_18ca986f9f3aea6e.txt")].iloc[0]
    assert seed.agency == "衡山县城市管理和综合执法局" and seed.year == 2020
    assert str(seed.published) == "2021-01-22" and seed.template == "legacy" and bool(seed.converted_traditional)
    assert (seed.province, seed.city, seed.county) == ("湖南省", "衡阳市", "衡山县")


def test_rerun_leaves_the_same_rows(extracted):
    inputs, out, _ = extracted
    before = read_all(out)
    assert xxgk("extract", str(inputs), "--out", str(out), "--full").returncode == 0
    after = read_all(out)
    for name in DATASETS:
        drop = ["extracted_at"] if name == "reports" else []
        a = before[name].drop(columns=drop).astype(str).sort_values(list(before[name].drop(columns=drop).columns))
        b = after[name].drop(columns=drop).astype(str).sort_values(list(a.columns))
        assert a.reset_index(drop=True).equals(b.reset_index(drop=True)), name
    files = list((out / "reports").rglob("*.parquet"))
    assert len(files) == after["reports"].groupby(["agency", "year"], observed=True).ngroups


BAD_INPUTS = {
    "empty.txt": b"",
    "junk.html": bytes(range(256)) * 40,
    "undecodable.txt": b"\x81\xff\x80\xfe" * 500,
    "news.html": ("<html><head><title>通知公告</title></head><body><p>" + "关于开展春季植树活动的通知。" * 30
                  + "</p></body></html>").encode(),
    "truncated.html": (FIXTURES / "020_shuyang-fgj_2023.html").read_bytes()[:2500],
}


@pytest.fixture(scope="module")
def bad_run(extracted, tmp_path_factory):
    _, out, _ = extracted
    bad = tmp_path_factory.mktemp("bad")
    for name, data in BAD_INPUTS.items():
        (bad / name).write_bytes(data)
    shutil.copy(FIXTURES / "004_pingtan_2021.txt", bad / "good.txt")
    before = pd.read_parquet(out / "reports")
    result = xxgk("extract", str(bad), "--out", str(out))
    return out, before, result, bad


def test_each_bad_input_is_one_failures_row_with_stage_and_message(bad_run):
    out, _, result, bad = bad_run
    assert result.returncode == 0, result.stderr
    assert "of them 1 report, 5 failed" in result.stdout
    failures = pd.read_parquet(out / "failures")
    stages = {Path(s).name: st for s, st in zip(failures.source, failures.stage)}
    assert stages == {"empty.txt": "decode", "junk.html": "decode", "undecodable.txt": "decode",
                      "news.html": "extract", "truncated.html": "extract"}
    assert failures.message.str.len().min() > 10 and failures.run_id.nunique() == 1


def test_a_bad_batch_loses_nothing_written_before(bad_run):
    out, before, _, _ = bad_run
    after = pd.read_parquet(out / "reports")
    assert set(before.report_id) <= set(after.report_id)


def test_strict_exits_1_when_an_input_failed(bad_run, tmp_path):
    _, _, _, bad = bad_run
    assert xxgk("extract", str(bad), "--out", str(tmp_path), "--strict").returncode == 1
    assert xxgk("extract", str(bad / "good.txt"), "--out", str(tmp_path), "--strict").returncode == 0


def test_usage_errors_exit_2(tmp_path):
    assert xxgk("extract", str(tmp_path / "missing"), "--out", str(tmp_path)).returncode == 2
    assert xxgk("extract", "--no-such-option").returncode == 2
