"""Measures, periods, check kinds, doubtful cells and agency identity on real reports (tests/fixtures)."""
import json
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest

import xxgk
from xxgk.rules.agency import agency_key, division_code, division_of_name, normalised_name
from xxgk.rules.annotate import classify
from xxgk.rules.checks import PARTIAL_LIST, UNIT_SCALE
from xxgk.rules.measures import national_measure, period_of, vocabulary
from xxgk.rules.national.template import FORMATS, TABLES, template
from xxgk.rules.records import Check

FIXTURES = Path(__file__).parent / "fixtures"
GOLD = Path(__file__).parent / "gold" / "cells"
RECEIVED = "applications.received.total"
REPORTS = sorted(p.name for p in FIXTURES.iterdir() if p.suffix in (".txt", ".html") and "PARTIAL" not in p.name)


@lru_cache(maxsize=None)
def report(name: str) -> xxgk.Report:
    return xxgk.extract(FIXTURES / name)


def test_every_national_template_cell_has_a_measure():
    missing = []
    for table in TABLES:
        for fmt in FORMATS:
            for columns in ("full", "short") if table == "applications" else ("full",):
                tpl = template(table, fmt, columns) if table == "applications" else template(table, fmt)
                for row in tpl.leaves():
                    missing += [(table, row.key, c.key) for c in row.columns
                                if national_measure(table, row.key, c.key) is None]
    assert not missing


@pytest.mark.parametrize("name", REPORTS)
def test_no_two_cells_or_figures_of_a_report_share_a_measure(name):
    r = report(name)
    for records in (r.cells, r.figures):
        counts = Counter(x.measure for x in records if x.measure)
        assert [m for m, n in counts.items() if n > 1] == []


@pytest.mark.parametrize("name", [n for n in REPORTS if (GOLD / n.rsplit(".", 1)[0]).with_suffix(".json").exists()])
def test_applications_received_is_one_measure_in_every_template(name):
    gold = json.loads((GOLD / name.rsplit(".", 1)[0]).with_suffix(".json").read_text())["cells"]
    wanted = [c for c in gold if c["row_key"] in ("一、本年新收政府信息公开申请数量", "受理依申请公开信息总数")
              and c["column_key"] not in ("历年累计",) and c["column_key"] in ("总计", "value") + tuple(
                  f"{y}年度" for y in range(2000, 2030))]
    if not wanted:
        pytest.skip("no applications-received cell in the gold")
    cells = [c for c in report(name).cells if c.measure == RECEIVED]
    assert len(cells) == 1 and cells[0].value == wanted[0]["value"]
    assert cells[0].table in ("applications", "legacy_appendix")


def test_legacy_cells_carry_a_period_and_cumulative_a_measure_of_its_own():
    cells = [c for c in report("008_pingtan_2018.txt").cells if c.row_key == "受理依申请公开信息总数"]
    assert {(c.column_key, c.period, c.measure) for c in cells} == {
        ("2018年度", "year", RECEIVED), ("历年累计", "cumulative", RECEIVED + ".cumulative")}
    assert (period_of("value"), period_of("2011年度"), period_of("历年累计"), period_of("备注")) == (
        "year", "year", "cumulative", None)


def test_legacy_rows_of_one_label_under_two_parents_get_two_measures():
    cells = [c for c in report("000_18ca986f9f3aea6e.txt").cells if c.measure in ("review.upheld", "litigation.upheld")]
    assert {c.measure for c in cells} == {"review.upheld", "litigation.upheld"}
    assert all(c.row_key.startswith(("四、行政复议", "五、行政诉讼")) for c in cells)


def test_prose_figures_get_the_measure_of_the_quantity_they_state():
    figures = {f.measure: f for f in report("004_pingtan_2021.txt").figures if f.measure}
    table = {c.measure: c.value for c in report("004_pingtan_2021.txt").cells if c.measure}
    assert RECEIVED in figures and figures[RECEIVED].value == table[RECEIVED]
    assert "申请" in figures[RECEIVED].metric


def test_vocabulary_documents_every_measure_and_close_quantities():
    vocab = {m.key: m for m in vocabulary()}
    assert vocab[RECEIVED].labels[0].startswith("applications: 一、本年新收")
    assert any(label.startswith("legacy: ") for label in vocab[RECEIVED].labels)
    assert vocab["disclosure.regulations.made"].close_to == "disclosure.regulations.issued"
    assert vocab["applications.answered.total"].close_to == "applications.result.total.total"
    assert all(m.meaning for m in vocab.values())


def test_check_kinds_tell_a_contradiction_from_an_extraction_doubt():
    contradiction = [c for c in report("000_18ca986f9f3aea6e.txt").checks if c.rule == "prose_vs_table"]
    assert contradiction and {c.kind for c in contradiction} == {"document"}
    doubt = [c for c in report("002_pingtan_2019.txt").checks if c.rule == "active_disclosure.ambiguous_split"]
    assert doubt and {c.kind for c in doubt} == {"extraction"}
    # the subject keeps its own '/': the row_key of a sub-row
    assert doubt[0].subject.startswith("第二十条第") and "/" in doubt[0].subject
    assert doubt[0].check == f"{doubt[0].rule}/{doubt[0].subject}"


def test_cells_an_ambiguous_split_touches_are_doubtful_and_others_are_not():
    r = report("002_pingtan_2019.txt")
    rows = {c.subject for c in r.checks if c.rule == "active_disclosure.ambiguous_split"}
    for cell in r.cells:
        assert cell.doubtful == (cell.table == "active_disclosure" and cell.row_key in rows)
    assert any(c.doubtful for c in r.cells) and any(not c.doubtful for c in r.cells)


def test_classify_splits_at_the_first_slash_only():
    check = classify(Check("legacy_appendix.sum/一、主动公开情况/（一）主动公开/2011年度", True, 1.0, 1.0, ""))
    assert (check.rule, check.subject, check.kind) == ("legacy_appendix.sum", "一、主动公开情况/（一）主动公开/2011年度",
                                                       "document")


def test_check_settings_come_from_rules_data():
    assert UNIT_SCALE["万元"] == 1e4 and PARTIAL_LIST.search("其中包括：甲3件") and PARTIAL_LIST.search("等三类")


@pytest.mark.parametrize("names, same", [
    (("平潭综合实验区", "平潭综合实验区管委会", "平潭综合实验区管理委员会"), True),
    (("上海市人民政府", "上海市政府"), True),
    (("上海市人民政府", "上海市人民政府办公厅"), False),
    (("上海市人民政府办公室", "上海市政府办公室"), True),
    (("平潭综合实验区", "平潭综合实验区地方税务局"), False),
    (("南京市鼓楼区人民政府", "福州市鼓楼区人民政府"), False),
    (("平潭综合实验区", "平潭县人民政府"), False),
])
def test_agency_key_groups_spellings_of_one_body_only(names, same):
    keys = {agency_key(n) for n in names}
    assert (len(keys) == 1) == same


def test_division_codes_from_the_gazetteer():
    assert division_code("福建省", "福州市", "平潭县") == "350128"
    assert division_code("上海市", "上海市", None) == "310000"
    assert division_code("江苏省", "宿迁市", "沭阳县") == "321322"
    assert division_code(None, None, None) is None
    assert division_of_name("宁乡市卫生健康局") == "430124"  # 宁乡县 became 宁乡市 (2017)
    assert division_of_name("上海市科委") is None
    assert normalised_name("平潭综合实验区管委会") == "平潭综合实验区"


def test_every_report_of_one_agency_has_one_division_code_and_key():
    pingtan = [report(n) for n in REPORTS if n.split("_")[1] == "pingtan"]
    assert len(pingtan) == 8
    assert {r.extraction.meta.division_code for r in pingtan} == {"350128"}
    assert {r.extraction.meta.agency_key for r in pingtan} == {"350128:平潭综合实验区"}
    assert all(report(n).extraction.meta.division_code for n in REPORTS)
