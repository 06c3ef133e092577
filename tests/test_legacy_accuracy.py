"""Issue 12 classes 1–3 on legacy appendices: headers split inside their words, annotated cells, and the
evidence recorded when a run of two value columns is split. Real report text (samples 043, 044 and the
rows of 008), re-laid-out where a class needs another layout."""
import pytest

from conftest import read_fixture
from xxgk.parsers.document import Block, Document, RawDoc
from xxgk.parsers.parse import parse
from xxgk.rules.checks import legacy_checks
from xxgk.rules.legacy.extract import extract_legacy


def cells_of_doc(doc: Document) -> dict:
    return {(c.row_key, c.column_key): c for c in extract_legacy(doc)}


def cells_of(name: str) -> dict:
    return cells_of_doc(parse(RawDoc(read_fixture(name), name, "auto")))


def text_doc(text: str) -> Document:
    return Document("t.txt", "0" * 64, "utf-8", False, "t",
                    [Block("line", line, offset=i) for i, line in enumerate(text.splitlines()) if line.strip()])


# --------------------------------------------------------------------------------------- class 1: headers

def test_header_with_a_bare_year_keeps_both_columns_043():
    cells = cells_of("043_pingtan-jingfa_2016.txt")
    assert {k[1] for k in cells} == {"2016年", "历年累计"}
    assert cells[("主动公开文件数", "2016年")].value == 116
    assert cells[("主动公开文件数", "历年累计")].value == 523
    assert cells[("主动公开文件数/其中：1.政府网站公开数", "历年累计")].value == 523
    # “其中：1同意公开答复数” (no dot) opens the list its siblings 2. 3. 4. continue
    assert ("对申请的答复总数/2.同意部分公开答复数", "2016年") in cells
    assert ("行政诉讼数", "历年累计") in cells
    assert not any("2016" in k[0] or "单位" in k[0] for k in cells)


def test_header_value_word_and_sign_off_after_the_table_044():
    cells = cells_of("044_pingtan-caijin_2015.txt")
    assert cells[("主动公开信息数", "value")].value == 65
    assert cells[("主动公开信息数/其中：1、网站公开", "value")].value == 57
    assert cells[("受理依申请公开信息总数/3、电子邮件申请数", "value")].value == 0
    assert len(cells) == 7  # the sign-off “平潭综合实验区财政金融局 2016年1月18日” is no row


HEADER_008 = "指标名称 计量单位 2018年度 历年累计"
ROWS_008 = ("主动公开文件数 条 2069 12106 其中：1.政府网站公开数 条 2069 12106 2.政府公报公开数 条 0 0 "
            "受理依申请公开信息总数 条 0 0 行政复议数 件 0 0 行政诉讼数 件 0 0")


@pytest.mark.parametrize("header", [
    "指标名称 计量 单位 2018 年度 历年累计",
    "指标 名称 计量单位 2018年度 历年 累计",
    "指标名称\n计量单位\n2018\n年度\n历年\n累计",
    "指标名称（计量单位） 2018年度 历年累计",
])
def test_header_split_inside_its_words_is_recognised(header):
    text = "六、政府信息公开情况统计表\n" + header + " " + ROWS_008 + "\n附件下载"
    cells = cells_of_doc(text_doc(text))
    assert cells[("主动公开文件数", "2018年度")].value == 2069
    assert cells[("主动公开文件数", "历年累计")].value == 12106  # the header's year is no value
    assert cells[("行政诉讼数", "历年累计")].value == 0
    assert {k[1] for k in cells} == {"2018年度", "历年累计"}


# ------------------------------------------------------------------------------------ class 3: annotations

def test_annotated_values_in_a_run_keep_the_note_in_raw_value():
    text = ("附表 指标名称 计量单位 统计数 制发规范性文件总数 件 15（其中修订3件） 现行有效规范性文件 件 41（含自然失效9件） "
            "受理依申请公开信息总数 条 3 行政复议数 件 0")
    cells = cells_of_doc(text_doc(text))
    made = cells[("制发规范性文件总数", "value")]
    assert (made.value, made.raw_value) == (15, "15（其中修订3件）")
    valid = cells[("现行有效规范性文件", "value")]
    assert (valid.value, valid.raw_value) == (41, "41（含自然失效9件）")
    assert cells[("受理依申请公开信息总数", "value")].value == 3
    assert len(cells) == 4  # no row made of a note


def test_annotation_on_its_own_line_after_the_value():
    lines = ["附表", "指标名称", "计量单位", "统计数", "制发规范性文件总数", "件", "15", "（其中修订3件）",
             "现行有效规范性文件", "件", "41", "（含自然失效9件）", "受理依申请公开信息总数", "条", "3",
             "行政复议数", "件", "0", "行政诉讼数", "件", "0", "其他", "件", "0"]
    cells = cells_of_doc(text_doc("\n".join(lines)))
    assert cells[("制发规范性文件总数", "value")].raw_value == "15（其中修订3件）"
    assert cells[("制发规范性文件总数", "value")].value == 15
    assert cells[("现行有效规范性文件", "value")].value == 41
    assert len(cells) == 6


def test_annotated_cells_in_a_table():
    rows = [["指标名称", "计量单位", "统计数"], ["制发规范性文件总数", "件", "15（其中修订3件）"],
            ["现行有效规范性文件", "件", "41件（含自然失效9件）"], ["受理依申请公开信息总数", "条", "3"]]
    block = Block("table", "\n".join(" ".join(r) for r in rows), rows=rows)
    doc = Document("t.html", "0" * 64, "utf-8", False, "t", [block])
    cells = cells_of_doc(doc)
    assert (cells[("制发规范性文件总数", "value")].value, cells[("制发规范性文件总数", "value")].raw_value) == (
        15, "15（其中修订3件）")
    assert cells[("现行有效规范性文件", "value")].value == 41


# ----------------------------------------------------------------------- class 2: split evidence recorded

def test_run_split_by_the_sum_records_its_evidence():
    # 008's rows with the two value columns run together: 2069|12106 is decided by the parent's sum
    text = ("六、政府信息公开情况统计表 指标名称 计量单位 2018年度 历年累计 主动公开文件数 条 206912106 "
            "其中：1.政府网站公开数 条 2069 12106 2.政府公报公开数 条 0 0 受理依申请公开信息总数 条 0 0 行政复议数 件 0 0")
    doc = text_doc(text)
    cells = extract_legacy(doc)
    by = {(c.row_key, c.column_key): c for c in cells}
    assert by[("主动公开文件数", "2018年度")].value == 2069
    assert by[("主动公开文件数", "历年累计")].value == 12106
    checks = {c.check: c for c in legacy_checks(cells)}
    decided = checks["legacy_appendix.split_decided/主动公开文件数"]
    assert decided.passed and "其中" in decided.detail


def test_a_run_nothing_decides_stays_null_with_a_check():
    # 173|446 or 17|3446 for the total and its only 其中 item alike: sums and bounds hold either way
    text = ("附表 指标名称 计量单位 2014年度 历年累计 对申请的答复总数 条 173446 其中：同意公开答复数 条 173446 "
            "行政复议数 件 0 0 行政诉讼数 件 0 0")
    cells = extract_legacy(text_doc(text))
    by = {(c.row_key, c.column_key): c for c in cells}
    assert by[("对申请的答复总数", "2014年度")].value is None
    assert by[("对申请的答复总数", "2014年度")].raw_value == "173446"
    assert "legacy_appendix.ambiguous_split/对申请的答复总数" in {c.check for c in legacy_checks(cells)}


def test_a_cumulative_figure_the_prose_states_decides_a_run():
    # “2330”: 2|330 or 23|30 (the ratio cannot tell); the prose states the cumulative 30
    text = ("一、概述\n截至2014年底，我局累计主动公开政府信息30条。\n"
            "附表 指标名称 计量单位 2014年度 历年累计 主动公开政府信息数 条 2330 行政复议数 件 0 0 行政诉讼数 件 0 0")
    doc = text_doc(text)
    cells = extract_legacy(doc)
    by = {(c.row_key, c.column_key): c.value for c in cells}
    assert (by[("主动公开政府信息数", "2014年度")], by[("主动公开政府信息数", "历年累计")]) == (23, 30)
    decided = {c.check: c for c in legacy_checks(cells)}["legacy_appendix.split_decided/主动公开政府信息数"]
    assert "累计 30条" in decided.detail
