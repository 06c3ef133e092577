"""Hive partitions: hostile agency names stay inside the dataset and round-trip exactly."""
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.dataset as ds
import pytest

from xxgk.pipeline.rows import encode_partition_value
from xxgk.pipeline.store import Store
from xxgk.rules.records import Extraction, ReportMeta

HOSTILE = ["../../etc", "a/b", "..", ".", "100% 完成", "局 名 有 空格", "x=y", "C:\\Windows", "#?&+",
           "衡山县城市管理和综合执法局", "上海市科委 (试点)", "\u0001控制字符", "a%2Fb"]


def extraction(agency: str, year: int, rid: str) -> Extraction:
    return Extraction(report_id=rid, source=f"{rid}.txt", encoding="utf-8", converted_traditional=False,
                      meta=ReportMeta(agency=agency, year=year, title=f"{agency}{year}年报告"))


@pytest.fixture
def store_with_hostile_names(tmp_path):
    store = Store(tmp_path / "out")
    store.write_reports([extraction(a, 2020 + i % 3, f"r{i}") for i, a in enumerate(HOSTILE)], "v1")
    return tmp_path / "out"


def test_no_name_escapes_the_dataset_directory(store_with_hostile_names, tmp_path):
    root = store_with_hostile_names / "reports"
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files and all(root.resolve() in p.resolve().parents for p in files)
    assert {p.parent.parent.parent for p in files} == {root}  # every file at agency=…/year=…/part


@pytest.mark.parametrize("reader", ["pandas", "pyarrow", "duckdb"])
def test_names_round_trip_through_every_reader(store_with_hostile_names, reader):
    root = store_with_hostile_names / "reports"
    if reader == "pandas":
        frame = pd.read_parquet(root)
        frame["agency"] = frame["agency"].astype(str)
    elif reader == "pyarrow":
        frame = ds.dataset(root, partitioning="hive").to_table().to_pandas()
    else:
        frame = duckdb.sql(f"SELECT * FROM read_parquet('{root}/**/*.parquet', hive_partitioning=true)").df()
    pairs = {(str(a), int(y)) for a, y in zip(frame["agency"], frame["year"])}
    assert pairs == {(a, 2020 + i % 3) for i, a in enumerate(HOSTILE)}
    assert len(frame) == len(HOSTILE)


def test_chinese_names_stay_readable_on_disk():
    assert encode_partition_value("衡山县城市管理和综合执法局") == "衡山县城市管理和综合执法局"
    assert "/" not in encode_partition_value("../a/b") and ".." not in encode_partition_value("../a/b")


def test_rewriting_replaces_rows_and_moves_reports_between_partitions(tmp_path):
    store = Store(tmp_path)
    store.write_reports([extraction("甲局", 2020, "r1"), extraction("乙局", 2020, "r2")], "v1")
    store.write_reports([extraction("甲局", 2021, "r1")], "v2")  # r1 now says it covers 2021
    frame = pd.read_parquet(tmp_path / "reports")
    rows = sorted((r, str(a), int(y), v) for r, a, y, v in
                  zip(frame.report_id, frame.agency, frame.year, frame.rules_version))
    assert rows == [("r1", "甲局", 2021, "v2"), ("r2", "乙局", 2020, "v1")]
    assert not (tmp_path / "reports" / "agency=甲局" / "year=2020").exists()


def test_worker_columns_match_the_arrow_schemas():
    """Workers build columns without pyarrow (pipeline/rows.py); the writer types them with pipeline/schema.py."""
    from xxgk.pipeline import schema
    from xxgk.pipeline.rows import COLUMNS

    assert {name: list(cols) for name, cols in COLUMNS.items()} == \
        {name: s.names for name, s in schema.PARTITIONED.items()}


def test_extraction_workers_do_not_import_pyarrow():
    """pyarrow costs a worker about 40 MB: the extract-and-convert path must not pull it in."""
    import subprocess
    import sys

    code = ("import sys; from xxgk.pipeline.executors import extract_rows; from xxgk.parsers.document import RawDoc; "
            "from pathlib import Path; p = sorted(Path('tests/fixtures').glob('*.html'))[0]; "
            "extract_rows(RawDoc(p.read_bytes(), str(p)), 'r', 'v'); print('pyarrow' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent)
    assert out.stdout.strip() == "False"


def test_an_empty_dataset_reads_as_empty_in_duckdb_pandas_and_pyarrow_then_fills(tmp_path):
    """A run without rows for a dataset leaves a '_' placeholder (DuckDB's glob fails on a directory with
    no file); the first partition written removes it."""
    from conftest import FIXTURES
    from xxgk.pipeline.run import run_extract

    corpus, out = tmp_path / "in", tmp_path / "out"
    corpus.mkdir()
    (corpus / "empty.txt").write_bytes(b"")  # a failure: no rows in any partitioned dataset
    run_extract([corpus], out, jobs=1)
    for name in ("reports", "figures", "table_cells", "checks"):
        glob = f"read_parquet('{out / name}/**/*.parquet', hive_partitioning = true)"
        assert duckdb.sql(f"SELECT count(*), count(agency), max(year) FROM {glob}").fetchall() == [(0, 0, None)]
        assert len(pd.read_parquet(out / name)) == 0 and ds.dataset(out / name, partitioning="hive").count_rows() == 0
    (corpus / "report.txt").write_bytes((FIXTURES / "000_18ca986f9f3aea6e.txt").read_bytes())
    run_extract([corpus], out, jobs=1)
    for name in ("reports", "figures", "table_cells", "checks"):
        assert not (out / name / "_empty.parquet").exists()
        glob = f"read_parquet('{out / name}/**/*.parquet', hive_partitioning = true)"
        assert duckdb.sql(f"SELECT count(DISTINCT agency) FROM {glob}").fetchall() == [(1,)]
