"""Legacy statistics appendix (政府信息公开情况统计表) → table_cells, from every flattened form and from HTML tables."""
from conftest import read_fixture
from xxgk.parsers.document import Block, Document, RawDoc
from xxgk.parsers.parse import parse
from xxgk.rules.checks import cross_checks
from xxgk.rules.legacy.extract import extract_legacy
from xxgk.rules.legacy.flat import tokenize
from xxgk.rules.legacy.values import splits


def cells_of(name: str, kind: str = "auto"):
    doc = parse(RawDoc(read_fixture(name), name, kind))
    return doc, {(c.row_key, c.column_key): c for c in extract_legacy(doc)}


def text_doc(text: str) -> Document:
    return Document("t.txt", "0" * 64, "utf-8", False, "t",
                    [Block("line", line, offset=i) for i, line in enumerate(text.splitlines()) if line.strip()])


def test_seed_one_cell_per_line_traditional_converted():
    doc, cells = cells_of("000_18ca986f9f3aea6e.txt")
    assert doc.converted_traditional
    v = {k[0]: c.value for k, c in cells.items()}
    assert v["一、主动公开情况/（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）"] == 60
    assert v["一、主动公开情况/（二）通过不同渠道和方式公开政府信息的情况/4.政务微信公开政府信息数"] == 61
    assert v["八、机构建设和保障经费情况/（三）从事政府信息公开工作人员数"] == 2
    assert v["八、机构建设和保障经费情况/（三）从事政府信息公开工作人员数/1.专职人员数（不包括政府公报及政府网站工作人员数）"] == 1
    assert v["八、机构建设和保障经费情况/（三）从事政府信息公开工作人员数/2.兼职人员数"] == 1
    assert v["九、政府信息公开会议和培训情况/（一）召开政府信息公开工作会议或专题会议数"] == 3
    assert v["九、政府信息公开会议和培训情况/（二）举办各类培训班数"] == 2
    trained = cells[("九、政府信息公开会议和培训情况/（三）接受培训人员数", "value")]
    assert (trained.value, trained.unit, trained.raw_value, trained.row_label) == (30, "人次", "30", "(三)接受培训人员数")
    assert cells[("七、依申请公开信息收取的费用", "value")].unit == "万元"
    # 其中 rows nest under the numbered row before them; their unnumbered siblings stay beside them
    assert v["三、依申请公开情况/（三）申请答复数/4.不同意公开答复数/其中：涉及国家秘密"] == 0
    assert "三、依申请公开情况/（三）申请答复数/4.不同意公开答复数/涉及商业秘密" in v
    assert "三、依申请公开情况/（三）申请答复数/5.不属于本行政机关公开数" in v
    assert "一、主动公开情况/（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）/制发规范性文件总数" in v
    # group rows without a printed value are kept, blank
    assert cells[("二、回应解读情况", "value")].value is None
    assert len(cells) == 65


def test_run_together_digits_split_with_the_prose():
    # 008: "主动公开文件数条206912106其中：1.政府网站公开数条2069121062.政府公报公开数条00…"
    _, cells = cells_of("008_pingtan_2018.txt")
    assert cells[("主动公开文件数", "2018年度")].value == 2069
    assert cells[("主动公开文件数", "历年累计")].value == 12106
    assert cells[("主动公开文件数/其中：1.政府网站公开数", "历年累计")].value == 12106
    assert cells[("主动公开文件数/2.政府公报公开数", "2018年度")].value == 0
    assert cells[("主动公开文件数", "2018年度")].unit == "条"
    assert cells[("行政诉讼数", "历年累计")].unit == "件"
    assert len(cells) == 30


def test_run_together_digits_split_with_the_sum_identity():
    # 015: 4251516 = 425|1516 and 4181509 = 418|1509 because 418 + 7 = 425 and 1509 + 7 = 1516
    _, cells = cells_of("015_pingtanxian_2011.txt")
    assert cells[("主动公开信息数", "2011年度")].value == 425
    assert cells[("主动公开信息数", "历年累计")].value == 1516
    assert cells[("主动公开信息数/其中：1.网站公开", "2011年度")].value == 418
    assert cells[("主动公开信息数/其中：1.网站公开", "历年累计")].value == 1509
    assert cells[("主动公开信息数/2.政府公报公开", "历年累计")].value == 7


def test_space_separated_run_and_word_residue():
    _, cells = cells_of("012_pingtan_2014.txt")
    assert cells[("受理依申请公开信息总数/3、信函、传真申请数", "2014年度")].value == 1
    assert cells[("政府信息公开收费减免金额", "历年累计")].unit == "元"
    _, cells = cells_of("010_pingtan_2016.txt")
    assert cells[("主动公开文件数", "2016年度")].value == 3460
    assert cells[("主动公开文件数", "历年累计")].value == 85376


def test_undecidable_run_is_null_with_a_check():
    text = ("三、统计表\n指标名称计量单位2015年度历年累计主动公开文件数条1234受理依申请公开信息总数条00"
            "行政复议数件00")
    cells = extract_legacy(text_doc(text))
    by = {(c.row_key, c.column_key): c for c in cells}
    assert by[("主动公开文件数", "2015年度")].value is None  # 1|234 or 12|34: nothing tells
    assert by[("主动公开文件数", "2015年度")].raw_value == "1234"
    assert by[("行政复议数", "历年累计")].value == 0
    checks = [c for c in cross_checks([], cells) if c.check.startswith("legacy_appendix.ambiguous_split")]
    assert [c.check for c in checks] == ["legacy_appendix.ambiguous_split/主动公开文件数"]
    assert not checks[0].passed and "12|34" in checks[0].detail


def test_only_plausible_cumulative_reading_decides_and_says_so():
    text = ("三、统计表\n指标名称计量单位2015年度历年累计主动公开文件数条12345受理依申请公开信息总数条00"
            "行政复议数件00")
    cells = extract_legacy(text_doc(text))
    by = {(c.row_key, c.column_key): c.value for c in cells}
    assert (by[("主动公开文件数", "2015年度")], by[("主动公开文件数", "历年累计")]) == (12, 345)  # not 1|2345
    checks = {c.check: c for c in cross_checks([], cells)}
    decided = checks["legacy_appendix.split_decided/主动公开文件数"]
    assert decided.passed and "12345" in decided.detail and "ratio" in decided.detail


def test_splits_respect_leading_zeros_and_cumulative_order():
    assert splits("00", 2) == [(0.0, 0.0)]
    assert splits("110", 2) == [(1.0, 10.0)]
    assert (2069.0, 12106.0) in splits("206912106", 2)
    assert (20691.0, 2106.0) not in splits("206912106", 2)


def test_html_table_with_group_rowspan_and_unit_column():
    html = """<html><body><div class="content"><p>某某县民政局2016年政府信息公开工作年度报告</p>
    <p>一、概述</p><p>2016年，我局主动公开政府信息120条。</p>
    <p>附表：政府信息公开情况统计表</p>
    <table border="1">
    <tr><td colspan="2">统计指标</td><td>单位</td><td>统计数</td></tr>
    <tr><td rowspan="3">一、主动公开情况</td><td>（一）主动公开政府信息数</td><td>条</td><td>120</td></tr>
    <tr><td>其中：主动公开规范性文件数</td><td>条</td><td>4</td></tr>
    <tr><td>（二）回应解读情况</td><td></td><td></td></tr>
    <tr><td rowspan="3">二、依申请公开情况</td><td>（一）收到申请数</td><td>件</td><td>３</td></tr>
    <tr><td>1.当面申请数</td><td>件</td><td>—</td></tr>
    <tr><td>01 本地增设指标</td><td>个</td><td>7</td></tr>
    <tr><td colspan="2">七、依申请公开信息收取的费用</td><td>万元</td><td>0.5</td></tr>
    </table></div></body></html>""".encode()
    doc = parse(RawDoc(html, "x.html", "html"))
    cells = {c.row_key: c for c in extract_legacy(doc)}
    assert cells["一、主动公开情况/（一）主动公开政府信息数"].value == 120
    assert cells["一、主动公开情况/（一）主动公开政府信息数"].unit == "条"
    assert cells["一、主动公开情况/（一）主动公开政府信息数/其中：主动公开规范性文件数"].value == 4
    assert cells["二、依申请公开情况/（一）收到申请数"].value == 3  # full-width digit
    blank = cells["二、依申请公开情况/（一）收到申请数/1.当面申请数"]
    assert blank.value is None and blank.raw_value == "—"
    assert "二、依申请公开情况/（一）收到申请数/1.当面申请数/01本地增设指标" in cells  # local variant kept as printed
    assert cells["七、依申请公开信息收取的费用"].value == 0.5
    assert cells["一、主动公开情况/（二）回应解读情况"].value is None
    assert {c.column_key for c in cells.values()} == {"value"}


def test_no_appendix_no_cells():
    doc = parse(RawDoc(read_fixture("014_pingtan-dishui_2013.txt"), "014.txt"))
    assert extract_legacy(doc) == []


def test_tokenize_glued_ordinal_and_label_note_digits():
    rows = tokenize("（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）条60其中：1.网站公开数条582.公报公开数条2")
    assert [(r.label, r.unit, r.tokens) for r in rows] == [
        ("（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）", "条", ["60"]),
        ("其中：1.网站公开数", "条", ["58"]),
        ("2.公报公开数", "条", ["2"]),
    ]


def test_one_cell_per_line_unit_is_its_own_cell():
    text = "\n".join(["七、附表", "单位", "数量", "八、机构建设和保障经费情况", "（一）申请人", "1", "（二）接受培训人员数", "人次",
                      "30", "（三）查阅点数", "个", "2", "（四）其他", "3", "九、依申请公开信息收取的费用", "万元", "—"])
    cells = {c.row_key: c for c in extract_legacy(text_doc(text))}
    assert (cells["八、机构建设和保障经费情况/（一）申请人"].value, cells["八、机构建设和保障经费情况/（一）申请人"].unit) == (1, None)
    assert cells["八、机构建设和保障经费情况/（二）接受培训人员数"].unit == "人次"
    assert cells["八、机构建设和保障经费情况/（三）查阅点数"].unit == "个"
    fee = cells["九、依申请公开信息收取的费用"]
    assert (fee.value, fee.raw_value, fee.unit) == (None, "—", "万元")


def test_run_together_national_form_with_units():
    text = ("七、附件：政府信息公开情况统计表 统计指标单位统计数一、主动公开情况（一）主动公开政府信息数（不同渠道和方式公开相同"
            "信息计1条）条156其中：主动公开规范性文件数条12制发规范性文件总数件13（二）通过不同渠道和方式公开政府信息的情况"
            "1.政府公报公开政府信息数条02.政府网站公开政府信息数条156二、回应解读情况（二）通过不同渠道和方式回应解读的情况"
            "1.参加或举办新闻发布会总次数次2其中：主要负责同志参加新闻发布会次数次12.政府网站在线访谈次数次1"
            "八、机构建设和保障经费情况（三）从事政府信息公开工作人员数人31.专职人员数人12.兼职人员数人2")
    v = {c.row_key: c.value for c in extract_legacy(text_doc(text))}
    g = "一、主动公开情况/（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）"
    assert (v[g], v[g + "/其中：主动公开规范性文件数"], v[g + "/制发规范性文件总数"]) == (156, 12, 13)
    assert v["一、主动公开情况/（二）通过不同渠道和方式公开政府信息的情况"] is None
    assert v["一、主动公开情况/（二）通过不同渠道和方式公开政府信息的情况/1.政府公报公开政府信息数"] == 0
    assert v["一、主动公开情况/（二）通过不同渠道和方式公开政府信息的情况/2.政府网站公开政府信息数"] == 156
    r = "二、回应解读情况/（二）通过不同渠道和方式回应解读的情况/"
    assert (v[r + "1.参加或举办新闻发布会总次数"], v[r + "1.参加或举办新闻发布会总次数/其中：主要负责同志参加新闻发布会次数"],
            v[r + "2.政府网站在线访谈次数"]) == (2, 1, 1)
    s = "八、机构建设和保障经费情况/（三）从事政府信息公开工作人员数"
    assert (v[s], v[s + "/1.专职人员数"], v[s + "/2.兼职人员数"]) == (3, 1, 2)


def test_coded_rows_kept_as_printed_and_flat():
    text = "统计表 指标名称 代码 计量单位 数量 主动公开政府信息数 01 条 60 其中：规范性文件数 02 条 3 收到申请数 03 件 2 行政复议数 04 件 0"
    cells = {c.row_key: (c.value, c.unit) for c in extract_legacy(text_doc(text))}
    assert cells == {"主动公开政府信息数01": (60, "条"), "主动公开政府信息数01/其中：规范性文件数02": (3, "条"),
                     "收到申请数03": (2, "件"), "行政复议数04": (0, "件")}
    html = ("<html><body><div class=c><p>某县2016年政府信息公开工作年度报告</p><p>附表</p><table>"
            "<tr><td>代码</td><td>统计指标</td><td>单位</td><td>数量</td></tr>"
            "<tr><td>01</td><td>主动公开政府信息数</td><td>条</td><td>60</td></tr>"
            "<tr><td>02</td><td>收到申请数</td><td>件</td><td>2</td></tr>"
            "<tr><td>03</td><td>行政复议数</td><td>件</td><td>0</td></tr></table></div></body></html>").encode()
    cells = {c.row_key: (c.value, c.unit) for c in extract_legacy(parse(RawDoc(html, "x.html", "html")))}
    assert cells == {"01主动公开政府信息数": (60, "条"), "02收到申请数": (2, "件"), "03行政复议数": (0, "件")}


def test_codes_printed_before_labels_are_told_from_glued_values():
    text = ("统计表 代码指标名称计量单位数量01主动公开政府信息数条6002其中：主动公开规范性文件数条303收到申请数件1104"
            "行政复议数件0")
    cells = {c.row_key: (c.value, c.unit) for c in extract_legacy(text_doc(text))}
    assert cells == {"01主动公开政府信息数": (60, "条"), "01主动公开政府信息数/02其中：主动公开规范性文件数": (3, "条"),
                     "03收到申请数": (11, "件"), "04行政复议数": (0, "件")}


def test_tab_separated_rows_keep_blank_cells_in_place():
    text = ("附表：政府信息公开情况统计表\n指标名称\t计量单位\t本年度\t历年累计\n主动公开信息数\t条\t12\t\n"
            "受理依申请公开信息总数\t条\t\t5\n行政复议数\t件\t0\t0")
    v = {(c.row_key, c.column_key): c.value for c in extract_legacy(text_doc(text))}
    assert (v[("主动公开信息数", "本年度")], v[("主动公开信息数", "历年累计")]) == (12, None)
    assert (v[("受理依申请公开信息总数", "本年度")], v[("受理依申请公开信息总数", "历年累计")]) == (None, 5)


def test_two_row_header_and_a_headerless_continuation_table():
    html = ("<html><body><div class=c><p>某县2012年政府信息公开工作年度报告</p><p>附表：政府信息公开情况统计表</p><table>"
            "<tr><td rowspan=2>指标名称</td><td rowspan=2>计量单位</td><td colspan=2>统计数</td><td rowspan=2>备注</td></tr>"
            "<tr><td>2012年度</td><td>历年累计</td></tr>"
            "<tr><td>主动公开信息数</td><td>条</td><td>739</td><td>4359</td><td>含公报</td></tr>"
            "<tr><td>其中：1、网站公开</td><td>条</td><td></td><td>4359</td><td></td></tr>"
            "<tr><td>受理依申请公开信息总数</td><td>件</td><td>2</td><td>9</td><td></td></tr></table><p></p><table>"
            "<tr><td>行政复议数</td><td>件</td><td>1</td><td>3</td><td></td></tr>"
            "<tr><td>行政诉讼数</td><td>—</td><td>0</td><td>0</td><td></td></tr></table></div></body></html>").encode()
    cells = {(c.row_key, c.column_key): (c.value, c.unit) for c in extract_legacy(parse(RawDoc(html, "x.html", "html")))}
    assert cells[("主动公开信息数", "2012年度")] == (739, "条")
    assert cells[("主动公开信息数/其中：1、网站公开", "2012年度")] == (None, "条")  # blank, not the 历年累计 cell
    assert cells[("主动公开信息数/其中：1、网站公开", "历年累计")] == (4359, "条")
    assert cells[("行政复议数", "历年累计")] == (3, "件")  # the second table read with the first one's columns
    assert cells[("行政诉讼数", "2012年度")] == (0, None)  # a dash in the unit column is no unit
    assert len(cells) == 10


def test_blank_value_between_a_unit_and_the_next_label():
    text = ("七、附件：政府信息公开情况统计表 统计指标单位统计数一、主动公开情况（一）主动公开政府信息数（不同渠道和方式公开相同"
            "信息计1条）条15其中：主动公开规范性文件数条制发规范性文件总数件3（二）通过不同渠道和方式公开政府信息的情况"
            "1.政府公报公开政府信息数条02.政府网站公开政府信息数条15")
    v = {c.row_key: (c.value, c.unit) for c in extract_legacy(text_doc(text))}
    g = "一、主动公开情况/（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）"
    assert v[g + "/其中：主动公开规范性文件数"] == (None, "条")
    assert v[g + "/制发规范性文件总数"] == (3, "件")


def test_a_run_that_is_one_number_twice():
    text = ("三、统计表\n指标名称计量单位2015年度历年累计主动公开文件数条2828受理依申请公开信息总数条00行政复议数件00")
    cells = extract_legacy(text_doc(text))
    by = {(c.row_key, c.column_key): c.value for c in cells}
    assert (by[("主动公开文件数", "2015年度")], by[("主动公开文件数", "历年累计")]) == (28, 28)  # not 2|828
    assert any(c.check == "legacy_appendix.split_decided/主动公开文件数" for c in cross_checks([], cells))
