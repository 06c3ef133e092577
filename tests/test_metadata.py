"""Metadata: agency, year covered, published date, region and template of real reports."""
from datetime import date

import pytest

from conftest import read_fixture
from xxgk.parsers.document import RawDoc, StageError
from xxgk.parsers.parse import parse
from xxgk.pipeline.sources import kind_of
from pathlib import Path
from xxgk.rules.metadata import extract_metadata

# (fixture, agency as the title prints it, year covered, template)
SAMPLES = [
    ("000_18ca986f9f3aea6e.txt", "衡山县城市管理和综合执法局", 2020, "legacy"),
    ("002_pingtan_2019.txt", "平潭综合实验区", 2019, "gov2019"),
    ("004_pingtan_2021.txt", "平潭综合实验区", 2021, "gov2021"),
    ("005_pingtan_2023.txt", "平潭综合实验区", 2023, "gov2021"),
    ("007_pingtan_2025.txt", "平潭综合实验区", 2025, "gov2021"),
    ("008_pingtan_2018.txt", "平潭综合实验区", 2018, "legacy"),
    ("010_pingtan_2016.txt", "平潭综合实验区", 2016, "legacy"),
    ("012_pingtan_2014.txt", "平潭综合实验区管委会", 2014, "legacy"),
    ("014_pingtan-dishui_2013.txt", "平潭综合实验区地方税务局", 2013, "none"),
    ("015_pingtanxian_2011.txt", "平潭县人民政府", 2011, "legacy"),
    ("017_shanghai-kewei_2024_pdfmd.txt", "上海市科委", 2024, "gov2021"),
    ("020_shuyang-fgj_2023.html", "沭阳县发展和改革局", 2023, "gov2021"),
    ("022_pingtan_2012.txt", "平潭综合实验区", 2012, "legacy"),
    ("023_shanghai-bgt_2020_zht_PARTIAL.txt", "上海市人民政府办公厅", 2020, None),
    ("025_wuhai-gxj_2020_PARTIAL.txt", "乌海市工业和信息化局", 2020, "gov2019"),
    ("040_pingtan-zihuan_2023.txt", "平潭综合实验区自然资源与生态环境局", 2023, "gov2021"),
    ("041_pingtan-sheshi_2022.txt", "平潭综合实验区社会事业局", 2022, "gov2021"),
    ("042_pingtan-lvwenti_2019.txt", "平潭综合实验区旅游与文化体育局", 2019, "gov2019"),
]


def meta_of(name: str, data: bytes | None = None):
    doc = parse(RawDoc(data if data is not None else read_fixture(name), name, kind_of(Path(name))))
    return doc, extract_metadata(doc)


@pytest.mark.parametrize("name, agency, year, template", SAMPLES)
def test_agency_year_template_of_every_sample(name, agency, year, template):
    _, meta = meta_of(name)
    assert (meta.agency, meta.year) == (agency, year)
    if template:
        assert meta.template == template


def test_seed_report_row():
    doc, meta = meta_of("000_18ca986f9f3aea6e.txt")
    assert doc.converted_traditional
    assert meta.agency == "衡山县城市管理和综合执法局"
    assert meta.year == 2020 and meta.published == date(2021, 1, 22)
    assert meta.template == "legacy"
    assert (meta.province, meta.city, meta.county) == ("湖南省", "衡阳市", "衡山县")
    assert meta.title == "衡山县城市管理和综合执法局2020年政府信息公开工作年度报告"


def test_published_from_page_metadata_and_region_from_gazetteer():
    _, meta = meta_of("020_shuyang-fgj_2023.html")
    assert meta.published == date(2024, 1, 17)
    assert (meta.province, meta.city, meta.county) == ("江苏省", "宿迁市", "沭阳县")
    assert meta.title == "沭阳县发展和改革局2023年政府信息公开年度报告"


def test_title_over_two_lines_and_year_from_statistics_period():
    _, meta = meta_of("025_wuhai-gxj_2020_PARTIAL.txt")
    assert meta.title == "乌海市工业和信息化局政府信息公开工作年度报告"
    assert meta.year == 2020  # the title has no year: 统计期限自2020年1月1日起
    assert (meta.province, meta.city) == ("内蒙古自治区", "乌海市")


def test_year_first_title_and_chinese_numeral_year():
    text = ("二〇二一年某某市交通运输局政府信息公开工作年度报告\n"
            + "本报告所列数据的统计期限自2021年1月1日起至2021年12月31日止。" * 10)
    _, meta = meta_of("x.txt", text.encode())
    assert (meta.agency, meta.year) == ("某某市交通运输局", 2021)


def test_publication_date_is_not_the_year_covered():
    text = ("某某县民政局2019年政府信息公开工作年度报告\n（2019年1月1日）\n"
            + "本年度报告中所列数据的统计期限自2019年1月1日起至2019年12月31日止。" * 8
            + "\n某某县民政局\n2020年1月15日")
    _, meta = meta_of("x.txt", text.encode())
    assert meta.year == 2019 and meta.published == date(2020, 1, 15)


@pytest.mark.parametrize("text, message", [
    ("通知公告：关于召开2021年度工作会议的通知。会议定于下周召开，请各单位准时参加。" * 10, "not an information-disclosure"),
    ("某某局2020年政府信息公开工作年度报告\n一、总体情况", "no report body"),
])
def test_non_reports_and_truncated_pages_are_refused(text, message):
    with pytest.raises(StageError) as error:
        meta_of("x.txt", text.encode())
    assert error.value.stage == "extract" and message in error.value.message


@pytest.mark.parametrize("title, agency, year", [
    ("某某市交通运输局政府信息公开工作2020年度报告", "某某市交通运输局", 2020),
    ("某某市人民政府关于2019年政府信息公开工作年度报告", "某某市人民政府", 2019),
    ("2020年度某某区卫生健康局政务公开工作年度报告", "某某区卫生健康局", 2020),
    ("某某镇人民政府2022年度政府信息公开工作报告", "某某镇人民政府", 2022),
    ("国家税务总局衡山县税务局 2021 年政府信息公开工作年度报告", "国家税务总局衡山县税务局", 2021),
    ("【某某市生态环境局】2023年政府信息公开年报", "某某市生态环境局", 2023),
])
def test_title_variants(title, agency, year):
    text = title + "\n" + "本报告根据《中华人民共和国政府信息公开条例》编制，包括总体情况、主动公开政府信息情况等。" * 6
    _, meta = meta_of("x.txt", text.encode())
    assert (meta.agency, meta.year) == (agency, year)


def test_bare_column_title_loses_to_the_report_heading():
    html = ("<html><head><title>政府信息公开年报_某某市人民政府</title></head><body><div class='nav'>"
            "<a href='/'>首页</a></div><div><h1>某某市审计局2021年政府信息公开工作年度报告</h1>"
            + "<p>本报告所列数据的统计期限自2021年1月1日起至2021年12月31日止。</p>" * 9 + "</div></body></html>")
    _, meta = meta_of("x.html", html.encode())
    assert (meta.agency, meta.year) == ("某某市审计局", 2021)


@pytest.mark.parametrize("name, region", [
    ("国家税务总局衡山县税务局", ("湖南省", "衡阳市", "衡山县")),
    ("北京市朝阳区人民政府", ("北京市", "北京市", "朝阳区")),
    ("福州市鼓楼区城市管理局", ("福建省", "福州市", "鼓楼区")),
    ("鼓楼区人民政府", (None, None, None)),  # four cities have a 鼓楼区: not guessed
    ("国家发展和改革委员会", (None, None, None)),
    ("上海市科委", ("上海市", "上海市", None)),
    ("平潭综合实验区管委会", ("福建省", "福州市", "平潭县")),  # a zone, not a division: from metadata.toml
    ("横琴粤澳深度合作区执行委员会", ("广东省", "珠海市", None)),
    ("某某深度合作区管理局", (None, None, None)),  # 合作 inside a word is not 合作市 (甘肃)
    ("平潭县人民政府", ("福建省", "福州市", "平潭县")),
])
def test_region_from_gazetteer(name, region):
    from xxgk.rules.metadata import region_of

    assert region_of(name) == region


# ---- agency names (issue 12, class 5)

BODY = ("\n一、总体情况\n" + "本机关认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政务公开工作，"
        "及时公开重点领域信息，回应社会关切。" * 6 + "\n")


def _extracted(head: str):
    from xxgk.pipeline.extract import extract

    return extract(RawDoc((head + BODY).encode("utf-8"), "head.txt", "text"))


@pytest.mark.parametrize("head", [
    "# 沭阳县发展和改革局2023年政府信息公开工作年度报告",
    "## **沭阳县发展和改革局2023年政府信息公开工作年度报告**",
    "<p><strong>沭阳县发展和改革局2023年政府信息公开工作年度报告</strong></p>",
    "> 沭阳县发展和改革局2023年政府信息公开工作年度报告&nbsp;",
    "__沭阳县发展和改革局__\n2023年政府信息公开工作年度报告",
])
def test_markup_residue_never_reaches_the_agency(head):
    ex = _extracted(head)
    assert (ex.meta.agency, ex.meta.year) == ("沭阳县发展和改革局", 2023)
    assert not any(ch in ex.meta.title for ch in "#*<>&_")
    assert not any(c.check == "agency.lookalike_repaired" for c in ex.checks)


@pytest.mark.parametrize("printed, agency, region", [
    ("沐阳县发展和改革局", "沭阳县发展和改革局", ("江苏省", "宿迁市", "沭阳县")),
    ("汩罗市教育局", "汨罗市教育局", ("湖南省", "岳阳市", "汨罗市")),
    ("毫州市财政局", "亳州市财政局", ("安徽省", "亳州市", None)),
    ("雎宁县人民政府", "睢宁县人民政府", ("江苏省", "徐州市", "睢宁县")),
])
def test_ocr_lookalike_repaired_where_only_the_lookalike_is_a_division(printed, agency, region):
    ex = _extracted(f"{printed}2021年政府信息公开工作年度报告")
    assert ex.meta.agency == agency
    assert (ex.meta.province, ex.meta.city, ex.meta.county) == region
    repaired = [c for c in ex.checks if c.check == "agency.lookalike_repaired"]
    assert len(repaired) == 1 and not repaired[0].passed
    assert printed in repaired[0].detail and agency in repaired[0].detail
    assert ex.meta.title.startswith(printed)  # the title stays as printed


@pytest.mark.parametrize("name", ["沐川县人民政府", "沭阳县发展和改革局", "亳州市财政局", "平潭综合实验区社会事业局"])
def test_real_names_are_never_repaired(name):
    ex = _extracted(f"{name}2021年政府信息公开工作年度报告")
    assert ex.meta.agency == name
    assert not any(c.check == "agency.lookalike_repaired" for c in ex.checks)


def test_title_name_wins_over_names_in_the_body():
    ex = _extracted("沭阳县发展和改革局2023年政府信息公开工作年度报告\n"
                    "本报告由沭阳县人民政府办公室编制。沭阳县财政局、沭阳县教育局提供数据。")
    assert ex.meta.agency == "沭阳县发展和改革局"


def test_lookalike_repair_unit():
    from xxgk.rules.metadata import repair_lookalikes

    assert repair_lookalikes("毫州市财政局")[0] == "亳州市财政局"
    assert repair_lookalikes("沐川县人民政府") == ("沐川县人民政府", None)
    assert repair_lookalikes("毫无疑问的单位") == ("毫无疑问的单位", None)  # no division either way: unchanged
