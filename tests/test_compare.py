"""`xxgk compare` / xxgk.compare on an output made from the real reports in tests/fixtures."""
import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import xxgk
from xxgk.pipeline.compare import AgencyNotFound

GOLD = Path(__file__).parent / "gold" / "cells"
RECEIVED = "applications.received.total"


def gold_received() -> dict[str, float]:
    """Year → applications received, from the hand-written gold of the pingtan reports."""
    out = {}
    for path in sorted(GOLD.glob("*_pingtan_*.json")):
        year = path.stem.split("_")[2]
        for c in json.loads(path.read_text())["cells"]:
            if (c["row_key"], c["column_key"]) in (("一、本年新收政府信息公开申请数量", "总计"),
                                                   ("受理依申请公开信息总数", f"{year}年度")):
                out[year] = c["value"]
    return out


def test_applications_received_of_every_year_match_the_gold(fixtures_out):
    frame = xxgk.compare(fixtures_out, "平潭综合实验区")
    gold = gold_received()
    assert len(gold) == 8  # 2012 … 2025: legacy, gov2019 and gov2021 reports
    years = [c for c in frame.columns if c.isdigit()]
    assert years == sorted(gold)
    assert {y: frame.loc[RECEIVED, y] for y in years} == gold
    assert frame.attrs["agency_key"] == "350128:平潭综合实验区"
    assert not [p for p in frame.attrs["from_prose"] if p[0] == RECEIVED]  # every year from a table


def test_year_over_year_change_and_any_spelling_of_the_agency(fixtures_out):
    frame = xxgk.compare(fixtures_out, "平潭综合实验区管理委员会", measures=[RECEIVED, "review.total"])
    assert list(frame.index) == [RECEIVED, "review.total"]
    assert frame.loc[RECEIVED, "2021 change"] == frame.loc[RECEIVED, "2021"] - frame.loc[RECEIVED, "2019"]
    assert frame.loc["review.total", "2025"] == 36


def test_prose_fills_a_year_the_tables_lack(fixtures_out):
    frame = xxgk.compare(fixtures_out, "平潭综合实验区", measures=["litigation.total"])
    from_prose = [year for measure, year in frame.attrs["from_prose"]]
    assert from_prose  # national tables print no litigation.total; the reports' prose states one
    for year in from_prose:
        assert not pd.isna(frame.loc["litigation.total", str(year)])


def test_unknown_agency_is_a_clear_error(fixtures_out):
    with pytest.raises(AgencyNotFound, match="no reports of"):
        xxgk.compare(fixtures_out, "不存在的机关")


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xxgk", *args], capture_output=True, text=True, timeout=120)


def test_cli_prints_a_table_and_csv(fixtures_out):
    done = run_cli("compare", str(fixtures_out), "--agency", "平潭综合实验区", "--csv", "--measure", RECEIVED)
    assert done.returncode == 0, done.stderr
    frame = pd.read_csv(io.StringIO(done.stdout), index_col="measure")
    assert {y: frame.loc[RECEIVED, y] for y in gold_received()} == gold_received()
    text = run_cli("compare", str(fixtures_out), "--agency", "平潭综合实验区")
    assert text.returncode == 0 and "350128:平潭综合实验区" in text.stdout and "* from the report's prose" in text.stdout
    missing = run_cli("compare", str(fixtures_out), "--agency", "不存在的机关")
    assert missing.returncode == 1 and "no reports of" in missing.stderr
