"""Checks: breakdown items against their total, prose against the appendix / national tables, legacy sums."""
from conftest import read_fixture
from xxgk.parsers.document import RawDoc
from xxgk.pipeline.extract import extract
from xxgk.rules.checks import bare_label, cross_checks
from xxgk.rules.figures.extract import figures_from_text
from xxgk.rules.records import Cell


def by_name(checks):
    out = {}
    for c in checks:
        out.setdefault(c.check, c)
    return out


def test_seed_checks():
    ex = extract(RawDoc(read_fixture("000_18ca986f9f3aea6e.txt"), "tests/fixtures/000_18ca986f9f3aea6e.txt"))
    checks = by_name(ex.checks)
    info = checks["figures.breakdown_sum/主动公开政府信息"]
    assert info.passed and (info.expected, info.actual) == (60, 60)
    complaints = checks["figures.breakdown_sum/受理投诉转办件"]
    assert complaints.passed and (complaints.expected, complaints.actual) == (469, 469)
    staff = checks["prose_vs_table/专职人员"]
    assert not staff.passed and (staff.expected, staff.actual) == (1, 2)
    assert "专职人员数" in staff.detail
    assert checks["prose_vs_table/主动公开政府信息"].passed
    assert checks["legacy_appendix.sum/八、机构建设和保障经费情况/（三）从事政府信息公开工作人员数"].passed


def test_partial_or_wrong_breakdown_fails_with_detail():
    figs = figures_from_text("2012年主动公开政府信息1913条。其中，区直各单位主动公开政府信息1397条，占73%。"
                             "各乡镇主动公开政府信息534条，占27%。")
    check = by_name(cross_checks(figs, []))["figures.breakdown_sum/主动公开政府信息"]
    assert not check.passed and (check.expected, check.actual) == (1913, 1931)
    assert "区直各单位 1397" in check.detail


def test_prose_against_national_applications_table():
    figs = figures_from_text("三、收到和处理政府信息公开申请情况\n2021年，我局收到政府信息公开申请75件，均已按时答复。")
    cells = [Cell("applications", "一、本年新收政府信息公开申请数量", "一、本年新收政府信息公开申请数量", "总计", 75.0, "75", "件"),
             Cell("applications", "一、本年新收政府信息公开申请数量", "一、本年新收政府信息公开申请数量", "自然人", 70.0, "70", "件")]
    check = by_name(cross_checks(figs, cells))["prose_vs_table/收到申请"]
    assert check.passed and (check.expected, check.actual) == (75, 75)


def test_prose_against_legacy_fees_in_other_unit():
    figs = figures_from_text("五、政府信息公开收费及减免情况\n全年依申请公开信息收取的费用500元。")
    cells = [Cell("legacy_appendix", "七、依申请公开信息收取的费用", "七、依申请公开信息收取的费用", "value", 0.05, "0.05", "万元")]
    check = by_name(cross_checks(figs, cells))["prose_vs_table/收费"]
    assert check.passed and check.expected == 0.05


def test_prose_against_legacy_meetings_and_trainings():
    figs = figures_from_text("一、概述\n全年召开政府信息公开工作会议3次，举办培训班2期，培训人员30人次。")
    cells = [Cell("legacy_appendix", "九、…/（一）召开政府信息公开工作会议或专题会议数", "(一)召开政府信息公开工作会议或专题会议数",
                  "value", 3.0, "3"),
             Cell("legacy_appendix", "九、…/（二）举办各类培训班数", "(二)举办各类培训班数", "value", 1.0, "1"),
             Cell("legacy_appendix", "九、…/（三）接受培训人员数", "(三)接受培训人员数", "value", 30.0, "30", "人次")]
    checks = by_name(cross_checks(figs, cells))
    assert checks["prose_vs_table/工作会议"].passed
    assert not checks["prose_vs_table/培训班"].passed
    assert checks["prose_vs_table/培训人员"].passed


def test_cumulative_column_is_not_compared():
    figs = figures_from_text("二、主动公开政府信息情况\n2018年全区主动公开政府信息2069条。")
    cells = [Cell("legacy_appendix", "主动公开文件数", "主动公开文件数", "2018年度", 2069.0, "2069", "条"),
             Cell("legacy_appendix", "主动公开文件数", "主动公开文件数", "历年累计", 12106.0, "12106", "条")]
    check = by_name(cross_checks(figs, cells))["prose_vs_table/主动公开政府信息"]
    assert check.passed and check.expected == 2069


def test_bare_label():
    assert bare_label("1.专职人员数（不包括政府公报及政府网站工作人员数）") == "专职人员数"
    assert bare_label("其中：1、当面申请数") == "当面申请数"
    assert bare_label("(三)接受培训人员数") == "接受培训人员数"


def test_breakdown_item_without_unit_is_in_the_lists_unit():
    figs = figures_from_text("2011年制作、获取政府信息总数1873条，其中主动公开政府信息425条，作为依申请公开信息数46条，"
                             "不予公开信息数1402。")
    check = by_name(cross_checks(figs, []))["figures.breakdown_sum/制作、获取政府信息"]
    assert check.passed and (check.expected, check.actual) == (1873, 1873)


def test_prose_received_applications_named_briefly():
    figs = figures_from_text("本年度全区共收到70件申请，及时依法依规办结69件，1件结转下年度继续办理。")
    cells = [Cell("applications", "一、本年新收政府信息公开申请数量", "一、本年新收政府信息公开申请数量", "总计", 70.0, "70", "件")]
    check = by_name(cross_checks(figs, cells))["prose_vs_table/收到申请"]
    assert check.passed and (check.expected, check.actual) == (70, 70)


def test_a_partial_list_passes_when_its_items_do_not_exceed_the_total():
    from xxgk.rules.checks import breakdown_checks
    from xxgk.rules.figures.extract import extract_figures
    from xxgk.parsers.document import Block, Document

    def checks_of(text):
        doc = Document("x", "id", "utf-8", False, "t", [Block("line", text)])
        return [c for c in breakdown_checks(extract_figures(doc))]

    partial = checks_of("今年通过门户网站公开政府信息3636条，其中涉及财政预算决算信息9条；保障性住房信息7条；食品安全信息1条。")
    assert [c.passed for c in partial] == [True] and partial[0].actual == 17
    exhaustive = checks_of("全年主动公开政府信息60条，其中：政策文件8条、规划计划2条、财政财务4条。")
    assert [c.passed for c in exhaustive] == [False]


def test_items_in_brackets_detail_the_item_before_and_are_not_summed():
    from xxgk.rules.checks import breakdown_checks
    from xxgk.rules.figures.extract import extract_figures
    from xxgk.parsers.document import Block, Document

    text = ("今年共发布380条财政资金信息，其中专项资金152条，预决算公开197条（政府预决算32条、部门预决算公开165条）、"
            "“三公”经费27条、债券发行4条。")
    figures = extract_figures(Document("x", "id", "utf-8", False, "t", [Block("line", text)]))
    assert {f.category for f in figures if f.value in (32, 165)} == {"政府预决算", "部门预决算公开"}
    [check] = breakdown_checks(figures)
    assert check.passed and check.actual == 380
