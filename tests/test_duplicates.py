"""Near-duplicate reports (one agency and year, different bytes) flagged with `duplicate_of`, decided per
(agency, year) partition where it is written, so it stays right however the reports arrive."""
from __future__ import annotations

import pandas as pd
import pyarrow as pa

from xxgk.pipeline import schema
from xxgk.pipeline.duplicates import is_pdf, mark_duplicates
from xxgk.pipeline.run import run_extract

from conftest import FIXTURES

PAGE = (FIXTURES / "020_shuyang-fgj_2023.html").read_bytes()


def without_last_table(html: bytes) -> bytes:
    """The page re-saved without its last table: the same report, less complete."""
    start = html.rfind(b"<table")
    return html[:start] + html[html.find(b"</table>", start) + len(b"</table>"):]


def reports_table(rows: list[tuple[str, str]]) -> pa.Table:
    columns = {name: [None] * len(rows) for name in schema.REPORTS.names}
    columns["report_id"] = [rid for rid, _ in rows]
    columns["source"] = [source for _, source in rows]
    return pa.Table.from_pydict(columns, schema=schema.REPORTS)


def duplicate_of(table: pa.Table) -> dict[str, str | None]:
    return dict(zip(table.column("report_id").to_pylist(), table.column("duplicate_of").to_pylist()))


def test_the_rule_html_over_pdf_then_most_complete_then_earliest_source():
    def never() -> dict:
        raise AssertionError("completeness is not needed for a single report")

    assert duplicate_of(mark_duplicates(reports_table([("a", "x.html")]), never)) == {"a": None}
    pdf_richer = reports_table([("p", "http://gk.x.cn/nb/2023.PDF?id=1"), ("h", "http://gk.x.cn/nb/2023.html")])
    assert duplicate_of(mark_duplicates(pdf_richer, lambda: {"p": 900, "h": 10})) == {"p": "h", "h": None}
    three = reports_table([("a", "b.html"), ("b", "a.html"), ("c", "c.html")])
    assert duplicate_of(mark_duplicates(three, lambda: {"a": 5, "b": 5, "c": 7})) == {"a": "c", "b": "c", "c": None}
    assert duplicate_of(mark_duplicates(three, lambda: {})) == {"a": "b", "b": None, "c": "b"}  # earliest source
    assert is_pdf("data/raw/报告.pdf") and not is_pdf("http://x.cn/pdf/view.html") and not is_pdf(None)


def read_reports(out):
    import xxgk

    return xxgk.read(out, "reports").set_index("source")


def test_a_more_complete_copy_arriving_later_becomes_the_kept_one(tmp_path):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    (inputs / "b_resaved.html").write_bytes(without_last_table(PAGE))
    run_extract([inputs], out, jobs=1)
    first = read_reports(out)
    assert first.duplicate_of.isna().all()  # alone in its (agency, year): not a duplicate

    (inputs / "c_original.html").write_bytes(PAGE)  # a later run brings the complete page
    run_extract([inputs], out, jobs=1)
    second = read_reports(out)
    resaved, original = str(inputs / "b_resaved.html"), str(inputs / "c_original.html")
    assert pd.isna(second.loc[original, "duplicate_of"])
    assert second.loc[resaved, "duplicate_of"] == second.loc[original, "report_id"]
    assert len(second[second.duplicate_of.isna()]) == second.groupby(["agency", "year"]).ngroups == 1

    (inputs / "a_mirror.html").write_bytes(PAGE + b"\n<!-- mirrored -->\n")  # as complete, earlier source
    run_extract([inputs], out, jobs=1)
    third = read_reports(out)
    mirror = str(inputs / "a_mirror.html")
    assert third.duplicate_of.isna().sum() == 1 and pd.isna(third.loc[mirror, "duplicate_of"])
    assert set(third.duplicate_of.dropna()) == {third.loc[mirror, "report_id"]}


def test_duckdb_drops_duplicates_with_one_filter(tmp_path):
    import duckdb

    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    (inputs / "page.html").write_bytes(PAGE)
    (inputs / "resaved.html").write_bytes(without_last_table(PAGE))
    (inputs / "other.txt").write_bytes((FIXTURES / "004_pingtan_2021.txt").read_bytes())
    run_extract([inputs], out, jobs=1)
    rows = duckdb.sql(f"""SELECT agency, year, count(*) AS n FROM read_parquet('{out}/reports/**/*.parquet',
                          hive_partitioning = true) WHERE duplicate_of IS NULL GROUP BY agency, year""").fetchall()
    assert sorted(n for _, _, n in rows) == [1, 1]
