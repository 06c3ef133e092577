"""The Dask executor on a real LocalCluster (worker processes) writes the same rows as a local run."""
from __future__ import annotations

import pytest

from xxgk.pipeline.run import run_extract
from helpers import assert_same_output as assert_same
from helpers import snapshot

pytest.importorskip("dask.distributed")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    from bench.bench import build_corpus

    corpus = tmp_path_factory.mktemp("dask") / "corpus"
    build_corpus(corpus, 40, seed=3)
    return corpus


def test_dask_local_cluster_writes_the_rows_of_a_local_run(corpus, tmp_path, monkeypatch):
    monkeypatch.delenv("XXGK_RULES_SALT", raising=False)
    local = run_extract([corpus], tmp_path / "local", jobs=1)
    on_dask = run_extract([corpus], tmp_path / "dask", jobs=2, executor="dask", batch_size=7)
    assert on_dask.extracted == local.extracted == 40
    assert (on_dask.reports, on_dask.failures) == (local.reports, local.failures)
    assert_same(snapshot(tmp_path / "local"), snapshot(tmp_path / "dask"))
    # and it is incremental like a local run, without starting a cluster when nothing needs extracting
    import dask.distributed

    def no_cluster(*args, **kwargs):
        raise AssertionError("a cluster was started for a run with nothing to extract")

    monkeypatch.setattr(dask.distributed, "LocalCluster", no_cluster)
    assert run_extract([corpus], tmp_path / "dask", jobs=2, executor="dask").skipped == 40


def test_process_pool_writes_the_rows_of_a_serial_run(corpus, tmp_path, monkeypatch):
    monkeypatch.delenv("XXGK_RULES_SALT", raising=False)
    run_extract([corpus], tmp_path / "serial", jobs=1)
    run_extract([corpus], tmp_path / "pool", jobs=2, batch_size=5)
    assert_same(snapshot(tmp_path / "serial"), snapshot(tmp_path / "pool"))
