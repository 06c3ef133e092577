"""Decoding: BOM, declared charsets (gb2312 read as gb18030), fallback detection, bad bytes."""
import codecs

import pytest

from conftest import read_fixture
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
    text, encoding = decode(data)
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
    decoded, encoding = decode(data)
    assert decoded == text
    assert encoding in ("gb18030", "big5hkscs", "gbk")


def test_http_charset_wins_over_meta():
    data = '<meta charset="utf-8"><p>政府信息公开</p>'.encode("gb18030")
    text, encoding = decode(data, http_charset="GBK")
    assert encoding == "gb18030" and "政府信息公开" in text


def test_bom_is_honoured_and_removed():
    text, encoding = decode(codecs.BOM_UTF8 + "年度报告".encode("utf-8"))
    assert (text, encoding) == ("年度报告", "utf-8")
    text, encoding = decode(codecs.BOM_UTF16_LE + "年度报告".encode("utf-16-le"))
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
