"""WARC ingestion: which records become inputs, and with what bytes and provenance."""
from __future__ import annotations

import gzip
import io
from datetime import datetime, timezone
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from xxgk.parsers.document import StageError
from xxgk.pipeline.sources import iter_raw_docs
from xxgk.pipeline.warc import charset_of, is_html_response, iter_warc

FIXTURES = Path(__file__).parent / "fixtures"
REPORT_HTML = (FIXTURES / "020_shuyang-fgj_2023.html").read_bytes()
GBK_HTML = (
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    "<title>平潭综合实验区2023年度政府信息公开工作年度报告</title></head>"
    "<body><p>2023年全区共主动公开政府信息13561条。</p></body></html>"
).encode("gbk")
WARC_DATE = "2024-03-08T07:34:00Z"


def _chunked(body: bytes, size: int = 1000) -> bytes:
    out = b""
    for i in range(0, len(body), size):
        piece = body[i : i + size]
        out += b"%x\r\n" % len(piece) + piece + b"\r\n"
    return out + b"0\r\n\r\n"


def _response(writer: WARCWriter, url: str, status: str, headers: list[tuple[str, str]], body: bytes):
    http_headers = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    record = writer.create_warc_record(
        url, "response", payload=io.BytesIO(body), http_headers=http_headers,
        warc_headers_dict={"WARC-Date": WARC_DATE},
    )
    writer.write_record(record)


def write_sample_warc(path: Path, gzipped: bool) -> None:
    """An archive with two HTML pages among records that must not become inputs."""
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gzipped)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "xxgk-tests"}))
        request = writer.create_warc_record(
            "http://www.shuyang.gov.cn/sygfj/gknb/202401/report.shtml", "request",
            payload=io.BytesIO(b"GET /sygfj/gknb/202401/report.shtml HTTP/1.1\r\nHost: www.shuyang.gov.cn\r\n\r\n"),
        )
        writer.write_record(request)
        # 1. UTF-8 page served gzip-compressed with chunked transfer coding.
        _response(
            writer, "http://www.shuyang.gov.cn/sygfj/gknb/202401/report.shtml", "200 OK",
            [("Content-Type", "text/html; charset=UTF-8"), ("Content-Encoding", "gzip"),
             ("Transfer-Encoding", "chunked")],
            _chunked(gzip.compress(REPORT_HTML)),
        )
        # 2. GBK page: no charset in the header, no HTML content type, but an .htm URL.
        _response(writer, "http://www.pingtan.gov.cn/zfxxgknb/t20240308_87885.htm", "200 OK", [], GBK_HTML)
        # 3. A PDF (an input: PDF reports are read; this one is broken and becomes a failures row).
        _response(writer, "http://www.pingtan.gov.cn/P020240308.pdf", "200 OK",
                  [("Content-Type", "application/pdf")], b"%PDF-1.4\n%%EOF\n")
        # Not inputs: a 404 page, a redirect, a CSS file.
        _response(writer, "http://www.pingtan.gov.cn/missing.html", "404 Not Found",
                  [("Content-Type", "text/html")], b"<html>not found</html>")
        _response(writer, "http://www.pingtan.gov.cn/old.html", "301 Moved Permanently",
                  [("Location", "http://www.pingtan.gov.cn/new.html"), ("Content-Type", "text/html")], b"")
        _response(writer, "http://www.pingtan.gov.cn/site.css", "200 OK",
                  [("Content-Type", "text/css")], b"body{}")


@pytest.mark.parametrize("name, gzipped", [("sample.warc", False), ("sample.warc.gz", True)])
def test_iter_warc_yields_html_and_pdf_responses_only(tmp_path, name, gzipped):
    path = tmp_path / name
    write_sample_warc(path, gzipped)
    docs = list(iter_warc(path))
    assert [d.source for d in docs] == [
        "http://www.shuyang.gov.cn/sygfj/gknb/202401/report.shtml",
        "http://www.pingtan.gov.cn/zfxxgknb/t20240308_87885.htm",
        "http://www.pingtan.gov.cn/P020240308.pdf",
    ]
    utf8, gbk, pdf = docs
    assert pdf.data == b"%PDF-1.4\n%%EOF\n" and pdf.kind == "document" and pdf.http_charset is None
    assert utf8.data == REPORT_HTML  # de-chunked and gunzipped, byte for byte
    assert utf8.http_charset == "utf-8"
    assert utf8.kind == "html"
    assert gbk.data == GBK_HTML
    assert gbk.http_charset is None  # the <meta> charset is the decoder's business
    expected_date = datetime(2024, 3, 8, 7, 34, tzinfo=timezone.utc)
    assert utf8.fetched_at == expected_date and gbk.fetched_at == expected_date


def test_iter_raw_docs_reads_warc_inside_directory(tmp_path):
    write_sample_warc(tmp_path / "a.warc.gz", gzipped=True)
    (tmp_path / "page.html").write_bytes(b"<html><title>x</title></html>")
    sources = sorted(doc.source for doc in iter_raw_docs([tmp_path]))
    assert sources == sorted([
        "http://www.shuyang.gov.cn/sygfj/gknb/202401/report.shtml",
        "http://www.pingtan.gov.cn/zfxxgknb/t20240308_87885.htm",
        "http://www.pingtan.gov.cn/P020240308.pdf",
        str(tmp_path / "page.html"),
    ])


def test_unreadable_archive_is_a_fetch_stage_error(tmp_path):
    path = tmp_path / "broken.warc"
    path.write_bytes(b"<html>" + b"x" * 200 + b"</html>\n")
    with pytest.raises(StageError) as info:
        list(iter_warc(path))
    assert info.value.stage == "fetch"


@pytest.mark.parametrize("value, expected", [
    ("text/html; charset=GBK", "gbk"),
    ('text/html;charset="gb2312"', "gb2312"),
    ("text/html", None),
    (None, None),
])
def test_charset_of(value, expected):
    assert charset_of(value) == expected


@pytest.mark.parametrize("content_type, url, expected", [
    ("text/html", "http://x.cn/a", True),
    ("application/xhtml+xml", "http://x.cn/a", True),
    (None, "http://x.cn/a.shtml", True),
    ("text/plain", "http://x.cn/a.htm", True),
    ("application/pdf", "http://x.cn/a.html", False),
    (None, "http://x.cn/a.pdf", False),
])
def test_is_html_response(content_type, url, expected):
    assert is_html_response(content_type, url) is expected


@pytest.mark.parametrize("gzipped", [False, True])
@pytest.mark.parametrize("where", [0.1, 0.5, 0.9])  # how far into the second page's record the file ends
def test_archive_cut_short_yields_complete_records_then_a_fetch_error(tmp_path, gzipped, where):
    path = tmp_path / "cut.warc"
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gzipped)
        _response(writer, "http://a.gov.cn/1.html", "200 OK", [("Content-Type", "text/html")], REPORT_HTML)
        start = fh.tell()
        _response(writer, "http://a.gov.cn/2.html", "200 OK", [("Content-Type", "text/html")], GBK_HTML * 20)
        end = fh.tell()
    data = path.read_bytes()
    path.write_bytes(data[: start + int((end - start) * where)])
    seen = []
    try:
        for doc in iter_warc(path):
            seen.append(doc)
    except StageError as error:  # damage in the record's headers: the archive cannot be read on
        assert error.stage == "fetch"
        damaged = True
    else:  # damage in the payload: the record is a failure, never a short page
        assert [(d.source, d.data, bool(d.error)) for d in seen[1:]] == [("http://a.gov.cn/2.html", b"", True)]
        damaged = False
    assert seen[0].source == "http://a.gov.cn/1.html" and seen[0].data == REPORT_HTML and seen[0].error is None
    assert damaged or seen[1].error

