"""Decoding: BOM, declared charsets (gb2312 read as gb18030), fallback detection, bad bytes."""
import codecs

import pytest

from helpers import FIXTURES, cell_values, read_fixture, share_kept, write_warc
from xxgk.parsers.decode import decode, declared_charset
from xxgk.parsers.document import RawDoc, StageError
from xxgk.parsers.parse import parse


def gbk_copy_of_sample() -> bytes:
    html = read_fixture("020_shuyang-fgj_2023.html").decode("utf-8")
    html = html.replace('charset="utf-8"', 'charset="gb2312"').replace("charset=utf-8", "charset=gb2312")
    return html.encode("gbk", errors="ignore")


def test_gbk_page_with_gb2312_meta_decodes_as_gb18030():
    data = gbk_copy_of_sample()
    assert declared_charset(data).lower() == "gb2312"
    text, encoding, _ = decode(data)
    assert encoding == "gb18030"
    assert "沭阳县发展和改革局2023年政府信息公开年度报告" in text


def test_gbk_page_parses_to_same_blocks_as_utf8_original():
    utf8 = parse(RawDoc(read_fixture("020_shuyang-fgj_2023.html"), "a.html", "html"))
    gbk = parse(RawDoc(gbk_copy_of_sample(), "b.html", "html"))
    assert [b.text for b in gbk.blocks] == [b.text for b in utf8.blocks]
    assert gbk.encoding == "gb18030" and utf8.encoding == "utf-8"


def test_gbk_text_without_declaration_is_detected():
    text = read_fixture("000_18ca986f9f3aea6e.txt").decode("utf-8")
    data = text.encode("gb18030")
    decoded, encoding, _ = decode(data)
    assert decoded == text
    assert encoding in ("gb18030", "big5hkscs", "gbk")


def test_http_charset_wins_over_meta():
    data = '<meta charset="utf-8"><p>政府信息公开</p>'.encode("gb18030")
    text, encoding, _ = decode(data, http_charset="GBK")
    assert encoding == "gb18030" and "政府信息公开" in text


def test_bom_is_honoured_and_removed():
    text, encoding, _ = decode(codecs.BOM_UTF8 + "年度报告".encode("utf-8"))
    assert (text, encoding) == ("年度报告", "utf-8")
    text, encoding, _ = decode(codecs.BOM_UTF16_LE + "年度报告".encode("utf-16-le"))
    assert (text, encoding) == ("年度报告", "utf-16-le")


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"  \n\t ", "empty"),
    (bytes(range(256)) * 20, "binary"),
    (b"\x81\xff\x80\xfe" * 500, "undecodable"),
])
def test_bad_bytes_raise_decode_stage_error(data, reason):
    with pytest.raises(StageError) as error:
        decode(data)
    assert error.value.stage == "decode"
    assert reason in error.value.message


# ------------------------------------------------------------------------------------------------
# Decoding that keeps the report (issue 14): the evidence of all the bytes decides, a few invalid bytes
# are replaced and counted, a page half UTF-8 and half GB18030 is read line by line.
# ------------------------------------------------------------------------------------------------

REPORT = "020_shuyang-fgj_2023.html"


def test_one_bad_byte_in_a_real_report_keeps_its_cells():
    data = read_fixture(REPORT)
    middle = data.index("政府信息公开".encode("utf-8"), len(data) // 2)
    damaged = data[:middle] + b"\xff" + data[middle:]
    decoded = decode(damaged)
    assert decoded.encoding == "utf-8" and decoded.replaced == 1
    original = cell_values(data)
    assert len(original) > 50
    assert share_kept(original, cell_values(damaged)) >= 0.99


def test_a_report_cut_mid_character_keeps_its_cells():
    text = read_fixture("002_pingtan_2019.txt")
    cut = text[: text.rindex("。".encode("utf-8")) + 3]  # ends with a 3-byte character …
    damaged = cut[:-1]  # … of which the last byte is gone
    decoded = decode(damaged)
    assert decoded.encoding == "utf-8" and decoded.replaced == 1
    original = cell_values(cut, "r.txt")
    assert len(original) > 50
    assert share_kept(original, cell_values(damaged, "r.txt")) >= 0.99


def test_a_lying_utf8_meta_over_gbk_bytes_is_not_mojibake():
    data = read_fixture(REPORT)
    assert b'charset="utf-8"' in data or b"charset=utf-8" in data
    gbk = data.decode("utf-8").encode("gbk", errors="ignore")  # the <meta> still says utf-8
    decoded = decode(gbk)
    assert decoded.encoding == "gb18030" and decoded.replaced == 0
    assert "沭阳县发展和改革局2023年政府信息公开年度报告" in decoded.text
    assert share_kept(cell_values(data), cell_values(gbk)) >= 0.99


def test_a_lying_gbk_header_over_utf8_bytes_is_not_mojibake():
    data = read_fixture(REPORT)
    decoded = decode(data, http_charset="gbk")
    assert decoded.encoding == "utf-8" and decoded.text == data.decode("utf-8")


def test_a_page_half_utf8_half_gb18030_is_kept():
    text = read_fixture("002_pingtan_2019.txt").decode("utf-8")
    lines = text.split("\n")
    half = len(lines) // 2
    mixed = "\n".join(lines[:half]).encode("utf-8") + b"\n" + "\n".join(lines[half:]).encode("gb18030")
    for data in (mixed, b"\n".join(reversed(mixed.split(b"\n")))):
        decoded = decode(data)
        assert set(decoded.encoding.split("+")) == {"utf-8", "gb18030"}
        assert sorted(decoded.text.split("\n")) == sorted(lines) and decoded.replaced == 0


def test_traditional_big5_page_declared_big5():
    page = '<html><head><meta charset="big5"></head><body><p>政府資訊公開年度報告：受理申請兩件。</p></body></html>'
    decoded = decode(page.encode("big5"))
    assert decoded.encoding == "big5hkscs" and "政府資訊公開" in decoded.text


def test_replaced_bytes_reach_the_reports_row():
    from xxgk.pipeline.executors import extract_rows

    data = read_fixture(REPORT)
    damaged = data[:5000] + b"\xff\xfe" + data[5000:]
    rows = extract_rows(RawDoc(damaged, "r.html", "html"), "run", "v")
    assert rows.tables["reports"]["replaced_bytes"] == [2]


def _variants():
    """Every fixture as it is, as GBK under its own (now lying) declaration, and under a lying header."""
    for path in sorted(FIXTURES.glob("*.*")):
        if path.suffix not in (".html", ".txt"):
            continue
        data = path.read_bytes()
        yield path.name, data, "text/html; charset=utf-8"
        yield path.name + ":gbk", data.decode("utf-8").encode("gb18030"), "text/html; charset=utf-8"
        yield path.name + ":gbk-no-header", data.decode("utf-8").encode("gbk", errors="ignore"), "text/html"


def test_parser_crawler_and_warc_reader_agree_on_every_fixture(tmp_path):
    from xxgk.pipeline.crawl.content import declared_charset as crawl_declared
    from xxgk.pipeline.crawl.content import page_codec
    from xxgk.pipeline.warc import iter_warc

    variants = list(_variants())
    assert len(variants) >= 30
    pages = [(f"http://x.gov.cn/{i}.html", ct, data) for i, (_, data, ct) in enumerate(variants)]
    from_warc = list(iter_warc(write_warc(tmp_path / "a.warc.gz", pages)))
    assert len(from_warc) == len(variants)
    for (name, data, content_type), raw in zip(variants, from_warc):
        crawler_charset = crawl_declared(content_type, data)  # what the crawler's manifest records
        parser = decode(data, crawler_charset).encoding.split("+")[0]
        assert page_codec(crawler_charset, data) == parser, name
        assert decode(raw.data, raw.http_charset).encoding.split("+")[0] == parser, name
