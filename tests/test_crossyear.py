"""Cross-year checks in the pipeline: every consecutive pair of one agency's reports, recomputed for the
agencies a run touches only."""
import os
import shutil
from pathlib import Path

import pytest

import xxgk
from xxgk.pipeline.run import run_extract

FIXTURES = Path(__file__).parent / "fixtures"
REPORT_2021 = "004_pingtan_2021.txt"
CARRIED_IN_2021 = "二、上年结转政府信息公开申请数量0000000"
CARRIED_OUT_2021 = "四、结转下年度继续办理1000001"


def cross_year(out: Path):
    checks = xxgk.read(out, "checks")
    return checks[checks["kind"] == "cross_year"]


def test_every_consecutive_pair_of_one_agency_has_a_cross_year_check(fixtures_out):
    reports = xxgk.read(fixtures_out, "reports")
    pingtan = reports[reports["agency_key"] == "350128:平潭综合实验区"].sort_values("year")
    years = list(pingtan["year"])
    assert len(years) == 8 and set(pingtan["agency"]) == {"平潭综合实验区", "平潭综合实验区管委会"}
    carry = cross_year(fixtures_out)
    carry = carry[carry["rule"] == "cross_year.carryover"]
    pairs = {f"{a}->{b}" for a, b in zip(years, years[1:])}
    assert set(carry[carry["report_id"].isin(pingtan["report_id"])]["subject"]) == pairs
    assert carry["subject"].is_unique


def test_legacy_cumulative_continuity(fixtures_out):
    rows = cross_year(fixtures_out)
    rows = rows[(rows["rule"] == "cross_year.cumulative") & (rows["year"] == 2018)]
    proactive = rows[rows["subject"] == "disclosure.proactive.total"].iloc[0]
    # 2018 历年累计 12106 cannot follow 2016's 85376 + 2069: the reports' cumulative counts restarted
    assert (proactive["expected"], proactive["actual"], bool(proactive["passed"])) == (85376 + 2069, 12106, False)


def _year_2022(text: str, carried_in: str, carried_out: str) -> str:
    """The 2021 report made into a 2022 one, its carry-over rows set (the column identity still holds)."""
    text = text.replace("2022", "2023").replace("2021", "2022")
    assert CARRIED_IN_2021 in text and CARRIED_OUT_2021 in text
    return text.replace(CARRIED_IN_2021, "二、上年结转政府信息公开申请数量" + carried_in).replace(
        CARRIED_OUT_2021, "四、结转下年度继续办理" + carried_out)


def _carryover(out: Path) -> dict:
    rows = cross_year(out)
    rows = rows[rows["rule"] == "cross_year.carryover"]
    return {r.subject: (r.passed, r.expected, r.actual) for r in rows.itertuples()}


def test_carryover_is_compared_for_consecutive_years_and_recomputed_when_a_report_changes(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(FIXTURES / REPORT_2021, raw / REPORT_2021)
    shutil.copy(FIXTURES / "020_shuyang-fgj_2023.html", raw)
    text = (FIXTURES / REPORT_2021).read_text(encoding="utf-8")
    later = raw / "pingtan_2022.txt"
    later.write_text(_year_2022(text, "1000001", "2000002"), encoding="utf-8")
    out = tmp_path / "out"
    run_extract([raw], out, jobs=1)
    assert _carryover(out) == {"2021->2022": (True, 1.0, 1.0)}
    other = next((out / "checks").glob("agency=沭阳县*/year=*/part-0.parquet"))
    stamp = os.stat(other).st_mtime_ns

    later.write_text(_year_2022(text, "0000000", "1000001"), encoding="utf-8")  # 2022 now carries in nothing
    summary = run_extract([raw], out, jobs=1)
    assert summary.extracted == 1
    assert _carryover(out) == {"2021->2022": (False, 1.0, 0.0)}
    assert os.stat(other).st_mtime_ns == stamp  # another agency's checks were not rewritten


@pytest.mark.parametrize("years, reason", [((2019, 2021), "no report of the years between")])
def test_a_pair_that_cannot_be_compared_says_why(fixtures_out, years, reason):
    rows = cross_year(fixtures_out)
    row = rows[rows["subject"] == f"{years[0]}->{years[1]}"].iloc[0]
    assert row["passed"] is None or row["passed"] != row["passed"] or str(row["passed"]) in ("None", "<NA>")
    assert reason in row["detail"]
