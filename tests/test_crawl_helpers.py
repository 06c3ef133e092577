"""Crawler steps on their own: URL keys, declared charsets, link classification, page roles, and HTTP
behaviours that the fixture portals do not script (429 / Retry-After, a trickling body, <meta refresh>,
frames), the latter against small servers on 127.0.0.1."""
from __future__ import annotations

import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from portal_server import manifest_lines, send, serving

from xxgk.pipeline.crawl.crawler import CrawlSettings, Crawler, normalize_url, page_role, parse_links
from xxgk.pipeline.crawl.content import declared_charset
from xxgk.pipeline.crawl.http import retry_after_seconds
from xxgk.pipeline.crawl.urls import crawl_key, stored_name

# ------------------------------------------------------------------------------------------------
# URLs
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url, expected", [
    ("http://x.cn/a/b.html;jsessionid=8F3A2B?x=1", "http://x.cn/a/b.html?x=1"),
    ("http://x.cn/a/b.html;JSESSIONID=8F3A2B", "http://x.cn/a/b.html"),
    ("HTTP://X.cn:80/a/./b/../c.html#top", "http://x.cn/a/c.html"),
    ("http://x.cn/a/b/..", "http://x.cn/a/"),
    ("http://x.cn/../../etc/passwd", "http://x.cn/etc/passwd"),
    ("http://x.cn/附件/年报 1.pdf", "http://x.cn/%E9%99%84%E4%BB%B6/%E5%B9%B4%E6%8A%A5%201.pdf"),
    ("http://x.cn/a%20b.html?q=%E5%B9%B4", "http://x.cn/a%20b.html?q=%E5%B9%B4"),  # escapes kept as they are
])
def test_normalize_url_folds_the_forms_of_one_link(url, expected):
    assert normalize_url(url) == expected
    assert normalize_url(expected) == expected


def test_crawl_key_ignores_query_order_only():
    assert crawl_key("http://x.cn/l.jsp?uid=4&pageNum=2") == crawl_key("http://x.cn/l.jsp?pageNum=2&uid=4#top")
    assert crawl_key("http://x.cn/l.jsp?pageNum=2") != crawl_key("http://x.cn/l.jsp?pageNum=3")
    assert crawl_key("http://x.cn/l.jsp?a=%26&b=1") != crawl_key("http://x.cn/l.jsp?a=&b=1")


def test_a_non_ascii_url_is_stored_under_a_hash_name(tmp_path):
    relative = stored_name(normalize_url("http://x.cn/附件/../../年报.pdf"), ".pdf")
    assert (tmp_path / relative).resolve().parent.parent == tmp_path.resolve()


# ------------------------------------------------------------------------------------------------
# Declared charset
# ------------------------------------------------------------------------------------------------

GBK_PAGE = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>政府信息公开</p>'.encode("gbk")
UTF8_PAGE = '<meta charset="utf-8"><p>政府信息公开工作年度报告</p>'.encode("utf-8")


@pytest.mark.parametrize("content_type, body, expected", [
    ("text/html; charset=utf-8", GBK_PAGE, "gb2312"),  # the header lies: the bytes are GBK
    ("text/html; charset=gbk", UTF8_PAGE, "utf-8"),  # the header lies: the bytes are UTF-8
    ("text/html; charset=x-unknown", UTF8_PAGE, "utf-8"),  # a charset no codec knows
    ("text/html; charset=GBK", GBK_PAGE, "gbk"),  # gbk and gb2312 agree
    ("text/html", GBK_PAGE, "gb2312"),
    ("text/html; charset=utf-8", b"<p>plain ascii</p>", "utf-8"),
    (None, b"<p>no declaration</p>", None),
])
def test_declared_charset_is_one_the_bytes_honour(content_type, body, expected):
    assert declared_charset(content_type, body) == expected


def test_hrefs_written_carelessly():
    links = _links("""<a href=" ..\\nb\\2023.html ">某局2023年政府信息公开工作年度报告</a>
      <a href="\n./2022.html#p1">某局2022年政府信息公开工作年度报告</a>
      <a href="JavaScript:openWin('2021.html')">某局2021年政府信息公开工作年度报告</a>
      <a href="data:text/html,x">某局2020年政府信息公开工作年度报告</a>""")
    assert links.reports == ["http://x.cn/nb/2023.html", "http://x.cn/col/2022.html"]


def test_links_of_an_undeclared_gbk_page_are_read():
    html = "<html><head><title>年报</title></head><body><a href='a.html'>某局2023年政府信息公开工作年度报告</a></body></html>"
    assert parse_links(html.encode("gbk"), "http://x.cn/").reports == ["http://x.cn/a.html"]
    assert parse_links(html.encode("gbk"), "http://x.cn/", "x-unknown").reports == ["http://x.cn/a.html"]
    assert parse_links(html.encode("gbk"), "http://x.cn/", "utf-8").reports == ["http://x.cn/a.html"]  # a lie


# ------------------------------------------------------------------------------------------------
# Link classification
# ------------------------------------------------------------------------------------------------

LIST_TITLE = "<title>政府信息公开年报</title>"


def _links(body: str, url: str = "http://x.cn/col/index.html"):
    return parse_links(f"<html><head>{LIST_TITLE}</head><body>{body}</body></html>".encode(), url)


def test_a_bare_link_is_read_with_its_table_row():
    links = _links("""<table>
      <tr><td>某局2022年度</td><td><a href="/a/1.html">年报</a></td><td>2023-01-20</td></tr>
      <tr><td>某局2021年政府信息公开工作年度报告</td><td><a href="/a/2.html">查看</a></td></tr>
      <tr><td>某局2020年政府信息公开工作年度报告</td><td><a href="/a/3.html">查看</a> <a href="/a/3.pdf">下载</a></td></tr>
      <tr><td>关于2024年元旦放假的通知</td><td><a href="/a/4.html">查看</a></td></tr>
    </table>""")
    assert links.maybe_reports == ["http://x.cn/a/1.html"]
    assert links.reports == ["http://x.cn/a/2.html", "http://x.cn/a/3.html"]  # the row names them
    assert links.report_attachments == ["http://x.cn/a/3.pdf"]
    assert "http://x.cn/a/4.html" not in links.reports + links.maybe_reports + links.candidates


def test_a_bare_attachment_link_is_read_with_its_list_item():
    links = _links('<ul><li>某局2022年政府信息公开工作年度报告 <a href="/f/dl.jsp?id=9">附件.pdf</a></li></ul>')
    assert links.report_attachments == ["http://x.cn/f/dl.jsp?id=9"]


def test_a_row_with_many_links_lends_none_its_text():
    cells = "".join(f'<a href="/nav/{i}.html">栏目{i}</a>' for i in range(4))
    links = _links(f'<table><tr><td>某局2022年政府信息公开工作年度报告 {cells}<a href="/x.html">查看</a></td></tr></table>')
    assert links.reports == links.maybe_reports == []


def test_pager_links_by_image_page_number_and_symbol():
    links = _links("""<a href="index_1.html"><img src="next.gif" alt="下一页"></a>
      <a href="list.html?page=3">第3页</a> <a href="list.html?page=4">&gt;&gt;</a>
      <a href="/other/list.html?page=5">&gt;&gt;</a> <a href="list.html?page=2">上一页</a>""")
    assert links.pagination == ["http://x.cn/col/index_1.html", "http://x.cn/col/list.html?page=3",
                                "http://x.cn/col/list.html?page=4", "http://x.cn/col/list.html?page=2"]


def test_pager_links_under_a_base_href_in_another_directory():
    links = _links('<base href="http://x.cn/nb/"><a href="index_1.htm">2</a>', "http://x.cn/col/index.html")
    assert links.pagination == ["http://x.cn/nb/index_1.htm"]


def test_meta_refresh_frames_and_og_title():
    html = """<html><head><meta http-equiv="Refresh" content="0; URL='../nb/index.html'">
      <meta property="og:title" content="某局2022年政府信息公开工作年度报告"></head>
      <frameset><frame src="left.html"><frame src="//x.cn/nb/list.html"></frameset></html>""".encode()
    links = parse_links(html, "http://x.cn/col/index.html")
    assert links.redirects == ["http://x.cn/nb/index.html"]
    assert links.frames == ["http://x.cn/col/left.html", "http://x.cn/nb/list.html"]
    assert links.title_names_report


@pytest.mark.parametrize("content, expected", [
    ("0;url=/nb/", ["http://x.cn/nb/"]),
    ("3; URL=http://x.cn/nb/index.html", ["http://x.cn/nb/index.html"]),
    ("600; url=index.html", []),  # a periodic reload
    ("5; url=./index.html", []),  # the page itself
    ("300", []),
])
def test_meta_refresh_only_when_it_sends_the_browser_on(content, expected):
    html = f'<html><head><meta http-equiv="refresh" content="{content}"></head><body></body></html>'.encode()
    assert parse_links(html, "http://x.cn/col/index.html").redirects == expected


def test_documents_shown_in_a_page_are_attachments():
    html = """<html><head><title>某局2023年政府信息公开工作年度报告</title></head><body>
      <iframe src="/pdfjs/web/viewer.html?file=/uploads/2023nb.pdf"></iframe>
      <embed src="files/2023tj.doc"><object data="//x.cn/files/2023.wps"></object>
      <iframe src="/share/weibo.html"></iframe></body></html>""".encode()
    links = parse_links(html, "http://x.cn/nb/2023.html")
    assert links.attachments == ["http://x.cn/uploads/2023nb.pdf", "http://x.cn/nb/files/2023tj.doc",
                                 "http://x.cn/files/2023.wps"]
    assert links.frames == ["http://x.cn/share/weibo.html"]


def test_year_tabs_of_a_column():
    links = _links('<div class="tabs"><a href="../nb2023/index.html">2023年度</a> <a href="../nb2022/">[2022]</a>'
                   '<a href="../nb2021/">2021年报</a></div><a href="/tj/2022.html">2022</a>')
    assert links.year_tabs == ["http://x.cn/nb2023/index.html", "http://x.cn/nb2022/", "http://x.cn/tj/2022.html"]
    assert links.maybe_reports == ["http://x.cn/nb2021/"]  # "2021年报" names a report: fetched to see


def test_report_section_headings_make_a_report_whatever_the_title():
    sidebar = "".join(f'<li><a href="/nb/{y}.html">某局{y}年政府信息公开工作年度报告</a></li>' for y in range(2016, 2020))
    body = "<p>一、总体情况</p><p>二、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况</p>"
    page = parse_links(f"<html><head><title>某局</title></head><body><ul>{sidebar}</ul>{body}</body></html>".encode(),
                       "http://x.cn/nb/2023.html")
    assert page.sections == 2
    assert page_role(page, "report") == "report"  # four report links in a sidebar, no title: still the report
    assert page_role(page, "pagination") == "list"  # …but a list's way of showing its latest report
    plain = parse_links(f"<html><head><title>某局</title></head><body>{body}</body></html>".encode(), "http://x.cn/a")
    assert page_role(plain, "candidate") == page_role(plain, "pagination") == "report"


def test_retry_after_seconds():
    assert retry_after_seconds("3") == 3.0
    assert retry_after_seconds("100000") == 30.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert retry_after_seconds("soon") == retry_after_seconds(None) == 0.0


# ------------------------------------------------------------------------------------------------
# HTTP behaviours against small scripted servers
# ------------------------------------------------------------------------------------------------

REPORT = "<html><head><title>某局2023年政府信息公开工作年度报告</title></head><body><p>正文</p></body></html>".encode()


@contextmanager
def _scripted(routes: dict):
    """For a with block, a server answering each path with routes[path](handler) -> (status, headers, body) or
    None (it wrote); yields (origin, hits)."""
    hits: list[tuple[str, float]] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            hits.append((self.path, time.monotonic()))
            route = routes.get(self.path)
            answer = route(self) if route else (404, {}, b"")
            if answer is None:
                return
            try:
                send(self, *answer)
            except (BrokenPipeError, ConnectionResetError):
                pass

    with serving(Handler) as server:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits


def _crawl(raw: Path, seed: str, **overrides):
    options = dict(raw_dir=raw, delay=0.0, timeout=0.5, retries=1, backoff=0.01, progress=False)
    options.update(overrides)
    return Crawler(CrawlSettings(**options), [seed]).run()


def test_429_is_retried_after_its_retry_after(tmp_path):
    calls = []

    def busy(handler):
        calls.append(1)
        return (429, {"Retry-After": "1"}, b"") if len(calls) == 1 else (200, {"Content-Type": "text/html"}, REPORT)

    with _scripted({"/nb/2023.html": busy}) as (origin, hits):
        summary = _crawl(tmp_path, origin + "/nb/2023.html")
    times = [t for path, t in hits if path == "/nb/2023.html"]
    assert summary.fetched == 1 and len(times) == 2
    assert times[1] - times[0] >= 0.8  # waited for Retry-After (1 s), not the 0.01 s backoff


def test_a_body_trickling_in_times_out(tmp_path):
    def trickle(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.end_headers()
        try:
            for _ in range(12):  # a byte every 0.1 s: no single read waits the 0.3 s timeout
                handler.wfile.write(b" ")
                handler.wfile.flush()
                time.sleep(0.1)
        except (BrokenPipeError, ConnectionResetError):
            pass
        return None

    with _scripted({"/nb/2023.html": trickle}) as (origin, _):
        summary = _crawl(tmp_path, origin + "/nb/2023.html", timeout=0.3, retries=0)
    assert summary.errors == 1 and "timeout" in summary.failures[0][1]


def test_meta_refresh_and_frames_lead_to_the_list(tmp_path):
    html = lambda s: (200, {"Content-Type": "text/html; charset=utf-8"}, s.encode())  # noqa: E731
    routes = {
        "/": lambda h: html('<html><head><meta http-equiv="refresh" content="0;url=/gk/index.html"></head></html>'),
        "/gk/index.html": lambda h: html('<frameset><frame src="top.html"><frame src="/gk/nb/list.html"></frameset>'),
        "/gk/top.html": lambda h: html("<html><body>logo</body></html>"),
        "/gk/nb/list.html": lambda h: html(f'<html><head>{LIST_TITLE}</head><body>'
                                           '<a href="2023.html">某局2023年政府信息公开工作年度报告</a></body></html>'),
        "/gk/nb/2023.html": lambda h: (200, {"Content-Type": "text/html; charset=utf-8"}, REPORT),
    }
    with _scripted(routes) as (origin, _):
        summary = _crawl(tmp_path, origin + "/")
    assert summary.fetched == 1 and summary.moved == 1
    assert [e["url"] for e in manifest_lines(tmp_path)] == [origin + "/gk/nb/2023.html"]


# ------------------------------------------------------------------------------------------------
# Domains, and a WARC record whose header lies about the charset
# ------------------------------------------------------------------------------------------------


def test_allowed_domains_given_as_urls_or_in_unicode():
    from xxgk.pipeline.crawl.crawler import host_allowed

    assert host_allowed("http://www.x.cn/a", ["http://x.cn/xxgk/"])
    assert host_allowed("https://x.cn:8443/a", ["https://x.cn:8443"])
    assert not host_allowed("https://x.cn:9443/a", ["https://x.cn:8443"])
    assert host_allowed("http://中文.cn/a", ["xn--fiq228c.cn"]) and host_allowed("http://xn--fiq228c.cn/a", ["中文.cn"])


def test_warc_charset_is_the_one_the_bytes_honour(tmp_path):
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from xxgk.pipeline.warc import iter_warc

    path = tmp_path / "lying.warc.gz"
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, content_type, body in (("http://x.cn/utf8.html", "text/html; charset=gbk", UTF8_PAGE),
                                        ("http://x.cn/gbk.html", "text/html; charset=utf-8", GBK_PAGE),
                                        ("http://x.cn/plain.html", "text/html; charset=GBK", GBK_PAGE)):
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))
    charsets = {doc.source: doc.http_charset for doc in iter_warc(path)}
    assert charsets == {"http://x.cn/utf8.html": "utf-8", "http://x.cn/gbk.html": "gb2312",
                        "http://x.cn/plain.html": "gbk"}


def test_the_seed_column_may_list_reports_by_agency_and_year_only(tmp_path):
    """A column titled just 年度报告 whose entries say "某局2023年度报告": the seed is taken for the 年报
    column, each entry fetched, and kept only when the page names a 信息公开 report."""
    page = lambda title: (200, {"Content-Type": "text/html; charset=utf-8"},  # noqa: E731
                          f"<html><head><title>{title}</title></head><body><p>正文</p></body></html>".encode())
    routes = {
        "/nb/index.html": lambda h: (200, {"Content-Type": "text/html; charset=utf-8"}, (
            '<html><head><title>年度报告_某市</title></head><body><ul>'
            '<li><a href="a.html">某局2023年度报告</a></li><li><a href="b.html">2023年法治政府建设年度报告</a></li>'
            "</ul></body></html>").encode()),
        "/nb/a.html": lambda h: page("某局2023年政府信息公开工作年度报告"),
        "/nb/b.html": lambda h: page("2023年法治政府建设年度报告"),
    }
    with _scripted(routes) as (origin, _):
        summary = _crawl(tmp_path, origin + "/nb/index.html")
    assert (summary.fetched, summary.not_reports, summary.list_pages) == (1, 1, 1)
    assert [e["url"] for e in manifest_lines(tmp_path)] == [origin + "/nb/a.html"]


def test_a_pager_that_never_ends_stops_at_the_first_repeated_page(tmp_path):
    """page=N beyond the last page answers with the last page, whose 下一页 points to page N+1."""
    def listing(handler):
        page = int(handler.path.rsplit("=", 1)[1])
        shown = min(page, 3)
        body = (f'<html><head>{LIST_TITLE}</head><body><a href="/nb/{shown}.html">某局{2020 + shown}年政府信息公开'
                f'工作年度报告</a><a href="/nb/list.jsp?page={page + 1}">下一页</a></body></html>')
        return 200, {"Content-Type": "text/html; charset=utf-8"}, body.encode()

    routes = {f"/nb/list.jsp?page={n}": listing for n in range(1, 50)}
    routes.update({f"/nb/{n}.html": (lambda h: (200, {"Content-Type": "text/html"}, REPORT)) for n in (1, 2, 3)})
    with _scripted(routes) as (origin, hits):
        summary = _crawl(tmp_path, origin + "/nb/list.jsp?page=1")
    assert summary.fetched == 3
    assert [path for path, _ in hits if "list.jsp" in path] == [f"/nb/list.jsp?page={n}" for n in (1, 2, 3, 4)]
