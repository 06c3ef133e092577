"""The crawler against a real HTTP server: a fixture disclosure portal on 127.0.0.1.

The portal (tests/fixtures/portal, served by tests/portal_server.py) has three list pages with pagination,
report pages built from real reports (one GBK-encoded under a gb2312 <meta>), PDF attachments,
non-report links, a robots.txt disallowing /private/, and paths that misbehave on purpose: a
redirect, a redirect off the domain, a 404, a 500 that recovers, a slow answer, an oversized body.
Off-domain links point at a canary server (http://localhost:<port>) and example.invalid; the canary
records any request, and the crawler's own request log must name 127.0.0.1 only.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from portal_server import LAST_MODIFIED, OFFSITE, RETRIES, Portal, Site, crawl_settings, manifest_lines, snapshot
from portal_server import running_portal as _running_portal
from portal_server import serving as _serving

from xxgk.pipeline.crawl.crawler import (
    LISTS_DIR, USER_AGENT, Crawler, host_allowed, host_dir_name, names_report, normalize_url, page_role,
    parse_links, run_crawl, seed_domains, stored_name,
)
from xxgk.pipeline.manifest import MANIFEST_NAME, ManifestWriter, load_by_url, manifest_entry_for
from xxgk.pipeline.sources import iter_raw_docs

# ------------------------------------------------------------------------------------------------
# The fixture portal (served by tests/portal_server.py)
# ------------------------------------------------------------------------------------------------

PORTAL_ROOT = Path(__file__).parent / "fixtures" / "portal"
REDIRECTS = {"/xxgk/zfxxgknb/old/t20170118_1003.html": "/xxgk/zfxxgknb/201701/t20170118_1003.html"}
OFFSITE_REDIRECT = "/xxgk/zfxxgknb/moved/t20160110_1013.html"
FLAKY = "/xxgk/zfxxgknb/201901/t20190110_1005.html"  # 500 on its first request, then fine
SLOW = "/xxgk/zfxxgknb/slow/t20180110_1012.html"  # answers after SLOW_SECONDS
BIG = "/xxgk/zfxxgknb/big/t20220125_1014.html"  # streams BIG_BYTES without a Content-Length
SLOW_SECONDS = 1.5
BIG_BYTES = 3 * 1024 * 1024
GBK_PAGE = "/xxgk/zfxxgknb/202403/t20240308_1002.html"  # served as plain text/html: charset in <meta> only
GZIPPED = "/xxgk/zfxxgknb/201501/t20150102_1007.html"  # sent with Content-Encoding: gzip when accepted

SITE = Site(
    PORTAL_ROOT,
    redirects={**{old: (301, new) for old, new in REDIRECTS.items()},
               OFFSITE_REDIRECT: (302, OFFSITE + "/moved-away.html")},
    flaky={FLAKY}, slow={SLOW}, slow_seconds=SLOW_SECONDS, big={BIG}, big_bytes=BIG_BYTES, gzipped={GZIPPED},
    content_types={GBK_PAGE: "text/html"},
)


def running_portal() -> _running_portal:
    """The fixture portal plus an off-site canary server, both on 127.0.0.1."""
    return _running_portal(SITE)


# ------------------------------------------------------------------------------------------------
# What the portal holds
# ------------------------------------------------------------------------------------------------

LIST_PAGES = ["/xxgk/zfxxgknb/index.htm", "/xxgk/zfxxgknb/index_1.htm", "/xxgk/zfxxgknb/index_2.htm"]
REPORT_PAGES = [  # every report page the crawl may and can fetch (the redirect as linked)
    "/xxgk/zfxxgknb/202401/t20240117_1001.html",  # the real shuyang page (UTF-8), with a PDF attachment
    GBK_PAGE,
    "/xxgk/zfxxgknb/old/t20170118_1003.html",  # 301 to /xxgk/zfxxgknb/201701/t20170118_1003.html
    FLAKY,
    "/xxgk/zfxxgknb/201501/t20150102_1007.html",  # link text truncated, full title in title=""
    "/xxgk/zfxxgknb/201302/t20130228_1008.html",  # link text truncated, no title="": page title decides
    "/xxgk/zfxxgknb/201402/t20140225_1015.html",  # "…2013年信息公开年度报告" (no 政府) in the 年报 column
]
ATTACHMENTS = [
    "/xxgk/zfxxgknb/202401/P020240117_1001.pdf",  # linked from a report page
    "/xxgk/zfxxgknb/201204/P020120418_1009.pdf",  # a report published as a PDF, linked from a list page
]
MISSING = "/xxgk/zfxxgknb/202201/t20220120_1010.html"  # 404
DISALLOWED = "/private/t20200110_1004.html"
NOT_REPORT = "/xxgk/fzzf/t20240301_2002.html"  # 法治政府建设年度报告 in the column: looked at, not saved
NEVER_REQUESTED = [DISALLOWED, "/xxgk/tzgg/t20240201_2001.html", "/xxgk/zfxxgknb/sqb.doc",
                   "/xxgk/zfxxgkzn/index.htm", "/index.htm"]


@dataclass
class FirstCrawl:
    portal: Portal
    raw_dir: Path
    summary: object
    hits: list  # the portal's log after the first crawl


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    """The portal, crawled once from its list page into a fresh raw dir."""
    raw_dir = tmp_path_factory.mktemp("raw")
    with running_portal() as portal:
        summary = Crawler(crawl_settings(raw_dir), [portal.url(LIST_PAGES[0])]).run()
        yield FirstCrawl(portal, raw_dir, summary, list(portal.hits))


def hits_for(hits, path):
    return [h for h in hits if h.path == path]


# ------------------------------------------------------------------------------------------------
# The first crawl
# ------------------------------------------------------------------------------------------------


def test_every_allowed_report_and_attachment_is_saved(first):
    entries = manifest_lines(first.raw_dir)
    by_url = {e["url"]: e for e in entries}
    assert sorted(by_url) == sorted(first.portal.url(p) for p in REPORT_PAGES + ATTACHMENTS)
    assert len(entries) == len(by_url)  # one entry per file
    assert first.summary.fetched == len(REPORT_PAGES) + len(ATTACHMENTS)
    assert sorted(first.summary.saved) == sorted(e["path"] for e in entries)
    for path in REPORT_PAGES:
        assert by_url[first.portal.url(path)]["kind"] == "page"
        assert by_url[first.portal.url(path)]["path"].endswith(".html")
    for path in ATTACHMENTS:
        assert by_url[first.portal.url(path)]["kind"] == "attachment"
        assert by_url[first.portal.url(path)]["path"].endswith(".pdf")


def test_saved_bytes_are_exactly_what_was_served(first):
    served = {h.path: h.body for h in first.hits if h.status == 200 and h.body}
    served_by_url = {first.portal.url(p): b for p, b in served.items()}
    served_by_url[first.portal.url(REPORT_PAGES[2])] = served["/xxgk/zfxxgknb/201701/t20170118_1003.html"]
    for entry in manifest_lines(first.raw_dir):
        data = (first.raw_dir / entry["path"]).read_bytes()
        assert data == served_by_url[entry["url"]]
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert [h.content_encoding for h in hits_for(first.hits, GZIPPED)] == ["gzip"]  # saved decoded
    gbk = (first.raw_dir / stored_name(first.portal.url(GBK_PAGE), ".html")).read_bytes()
    assert gbk == (PORTAL_ROOT / GBK_PAGE.lstrip("/")).read_bytes()
    assert "平潭综合实验区2023年度政府信息公开工作年度报告".encode("gbk") in gbk


def test_files_are_named_by_url_hash_inside_a_host_dir(first):
    host_dir = first.raw_dir / f"127.0.0.1_{urlsplit(first.portal.origin).port}"
    for entry in manifest_lines(first.raw_dir):
        digest = hashlib.sha256(entry["url"].encode()).hexdigest()[:16]
        assert (first.raw_dir / entry["path"]).parent == host_dir
        assert Path(entry["path"]).stem == digest
    on_disk = sorted(str(p.relative_to(first.raw_dir)) for p in first.raw_dir.rglob("*") if p.is_file())
    lists = first.raw_dir / LISTS_DIR  # list pages, kept for conditional GET, with their own manifest
    kept_lists = [f"{LISTS_DIR}/{e['path']}" for e in manifest_lines(lists)]
    assert len(kept_lists) == len(LIST_PAGES)
    assert on_disk == sorted([MANIFEST_NAME, f"{LISTS_DIR}/{MANIFEST_NAME}", *kept_lists]
                             + [e["path"] for e in manifest_lines(first.raw_dir)])


def test_manifest_records_provenance(first):
    by_url = {e["url"]: e for e in manifest_lines(first.raw_dir)}
    utf8 = by_url[first.portal.url(REPORT_PAGES[0])]
    assert utf8["status"] == 200
    assert utf8["content_type"] == "text/html; charset=utf-8"
    assert utf8["charset"] == "utf-8"
    assert utf8["etag"].startswith('"') and utf8["last_modified"] == LAST_MODIFIED
    assert utf8["fetched_at"].endswith("+00:00")
    gbk = by_url[first.portal.url(GBK_PAGE)]
    assert gbk["content_type"] == "text/html" and gbk["charset"] == "gb2312"  # declared by <meta> only
    redirected = by_url[first.portal.url(REPORT_PAGES[2])]
    assert redirected["final_url"] == first.portal.url("/xxgk/zfxxgknb/201701/t20170118_1003.html")
    pdf = by_url[first.portal.url(ATTACHMENTS[0])]
    assert pdf["content_type"] == "application/pdf" and pdf["charset"] is None


def test_pagination_is_followed_once_per_list_page(first):
    for path in LIST_PAGES:
        assert len(hits_for(first.hits, path)) == 1, path
    assert first.summary.list_pages == len(LIST_PAGES)


def test_robots_txt_is_read_once_and_obeyed(first):
    assert len(hits_for(first.hits, "/robots.txt")) == 1
    assert first.hits[0].path == "/robots.txt"
    assert first.summary.skipped_robots == 1
    assert first.summary.robots_skipped_urls == [first.portal.url(DISALLOWED)]


def test_nothing_disallowed_unlinked_or_off_domain_is_requested(first):
    requested_paths = {h.path for h in first.hits}
    for path in NEVER_REQUESTED:
        assert path not in requested_paths
    assert first.portal.canary_hits == []
    assert {urlsplit(u).hostname for u in first.summary.requested} == {"127.0.0.1"}
    offsite = set(first.summary.offsite_urls)
    assert "http://example.invalid/zfxxgknb/t20190115.htm" in offsite
    assert first.portal.offsite_origin.replace("localhost", "127.0.0.1") + "/zfxxgknb/t20110120.htm" in offsite
    assert first.portal.offsite_origin + "/zwgk/zfxxgknb/t20210125_1011.htm" in offsite
    assert first.portal.url(OFFSITE_REDIRECT) in offsite  # its redirect leaves the domain: not followed
    assert len(hits_for(first.hits, OFFSITE_REDIRECT)) == 1


def test_retries_on_5xx_and_timeouts_but_not_on_4xx(first):
    assert [h.status for h in hits_for(first.hits, FLAKY)] == [500, 200]
    assert len(hits_for(first.hits, SLOW)) == RETRIES + 1
    assert [h.status for h in hits_for(first.hits, MISSING)] == [404]
    errors = dict(first.summary.failures)
    assert first.summary.errors == len(errors)
    assert errors[first.portal.url(MISSING)] == "HTTP 404"
    assert "timeout" in errors[first.portal.url(SLOW)]
    assert "larger than" in errors[first.portal.url(BIG)]
    assert len(hits_for(first.hits, BIG)) == 1  # a size cap is final, not retried
    assert set(errors) == {first.portal.url(p) for p in (MISSING, SLOW, BIG)}


def test_a_non_report_in_the_column_is_not_saved(first):
    assert [h.status for h in hits_for(first.hits, NOT_REPORT)] == [200]
    assert first.portal.url(NOT_REPORT) not in {e["url"] for e in manifest_lines(first.raw_dir)}
    assert first.summary.not_reports == 1


def test_requests_carry_the_user_agent(first):
    assert {h.headers.get("User-Agent") for h in first.hits} == {USER_AGENT}
    assert USER_AGENT == "xxgk/0.1 (+https://github.com/xxgk; annual-report research crawler)"


def final(path: str) -> str:
    """The path a report page link leads to after its redirects."""
    return REDIRECTS.get(path, path)


def test_extract_inputs_from_the_raw_dir_carry_the_final_page_url(first):
    docs = {d.source: d for d in iter_raw_docs([first.raw_dir]) if d.kind != "unsupported"}
    # the URL that answered (after redirects) is the source; PDFs are not inputs
    assert sorted(docs) == sorted(first.portal.url(final(p)) for p in REPORT_PAGES)
    redirected = next(iter(REDIRECTS))
    assert first.portal.url(redirected) not in docs and first.portal.url(REDIRECTS[redirected]) in docs
    assert docs[first.portal.url(GBK_PAGE)].http_charset == "gb2312"
    entry = manifest_entry_for(first.raw_dir / stored_name(first.portal.url(GBK_PAGE), ".html"))
    assert entry["url"] == first.portal.url(GBK_PAGE)


# ------------------------------------------------------------------------------------------------
# Re-crawl: conditional GET
# ------------------------------------------------------------------------------------------------


def test_recrawl_downloads_nothing_unchanged(first):
    before = snapshot(first.raw_dir)
    since = len(first.portal.hits)
    summary = Crawler(crawl_settings(first.raw_dir), [first.portal.url(LIST_PAGES[0])]).run()
    again = first.portal.hits[since:]
    assert snapshot(first.raw_dir) == before  # not one byte written, manifest included
    assert summary.fetched == 0 and summary.saved == []
    assert summary.unchanged == len(REPORT_PAGES) + len(ATTACHMENTS)
    for path in REPORT_PAGES[:2] + REPORT_PAGES[3:] + ATTACHMENTS:
        (hit,) = hits_for(again, path)
        assert hit.status == 304, path
        assert hit.headers.get("If-None-Match") and hit.headers.get("If-Modified-Since") == LAST_MODIFIED
    for path in LIST_PAGES:  # list pages too: asked for with their validators, read back from the raw dir
        (hit,) = hits_for(again, path)
        assert hit.status == 304 and hit.headers.get("If-None-Match"), path
    assert summary.list_pages == len(LIST_PAGES)
    final = hits_for(again, "/xxgk/zfxxgknb/201701/t20170118_1003.html")
    assert [h.status for h in final] == [304]  # the redirect is followed, the target not re-sent
    assert first.portal.canary_hits == []


def test_recrawl_with_stale_validators_keeps_identical_bytes_unwritten(tmp_path):
    with running_portal() as portal:
        quick = dict(timeout=0.3, retries=1)  # the slow page costs less; the 500 still recovers
        Crawler(crawl_settings(tmp_path, **quick), [portal.url(LIST_PAGES[0])]).run()
        manifest = tmp_path / MANIFEST_NAME
        stale = manifest.read_text(encoding="utf-8").replace('"etag": "\\"', '"etag": "\\"stale')
        stale = stale.replace(LAST_MODIFIED, "Mon, 01 Jan 2001 00:00:00 GMT")
        manifest.write_text(stale, encoding="utf-8")
        before = snapshot(tmp_path)
        summary = Crawler(crawl_settings(tmp_path, **quick), [portal.url(LIST_PAGES[2])]).run()  # pager leads back
        assert 304 not in {h.status for h in portal.hits[-20:] if h.path in REPORT_PAGES}
    # answered 200 with the same sha256: nothing written, counted unchanged
    assert summary.fetched == 0 and summary.unchanged == len(REPORT_PAGES) + len(ATTACHMENTS)
    assert snapshot(tmp_path) == before


# ------------------------------------------------------------------------------------------------
# Politeness knobs
# ------------------------------------------------------------------------------------------------


def test_per_host_delay_spaces_requests(tmp_path):
    delay = 0.15
    with running_portal() as portal:
        summary = Crawler(crawl_settings(tmp_path, delay=delay, max_pages=3), [portal.url(LIST_PAGES[2])]).run()
        served = len(portal.hits)
    times = sorted(summary.requested_at)  # measured where the delay is kept: a loaded server adds jitter
    assert len(times) >= 4 and len(times) == served
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert min(gaps) >= delay - 0.005, gaps


def test_max_pages_caps_the_crawl(tmp_path):
    with running_portal() as portal:
        summary = Crawler(crawl_settings(tmp_path, max_pages=2), [portal.url(LIST_PAGES[0])]).run()
        page_hits = [h for h in portal.hits if h.path != "/robots.txt" and not h.path.endswith(".pdf")]
    assert len({h.path for h in page_hits}) == 2  # attachments of a fetched report do not count
    assert summary.skipped_limit > 0


def test_robots_disallowing_everything_stops_the_crawl(tmp_path):
    with running_portal() as portal:
        summary = run_crawl([portal.url(DISALLOWED)], tmp_path, delay=0, timeout=0.5, progress=False)
        assert portal.paths() == ["/robots.txt"]
    assert summary.skipped_robots == 1 and summary.fetched == 0


def test_seed_that_is_a_report_page_is_saved(tmp_path):
    with running_portal() as portal:
        summary = run_crawl([portal.url(REPORT_PAGES[0])], tmp_path, delay=0, timeout=0.5, progress=False)
    assert summary.fetched == 2  # the page and its PDF
    assert sorted(e["kind"] for e in manifest_lines(tmp_path)) == ["attachment", "page"]


def test_run_crawl_rejects_non_http_seeds(tmp_path):
    with pytest.raises(ValueError):
        run_crawl(["file:///etc/passwd"], tmp_path)


def test_plain_static_site_script_pager_no_robots_and_last_modified_only(tmp_path):
    """Another portal shape: a TRS pager script, no robots.txt (404: all allowed), no ETag."""
    import functools
    from http.server import SimpleHTTPRequestHandler

    site = tmp_path / "site"
    (site / "col" / "2023").mkdir(parents=True)
    script = '<script>createPageHTML(2, 0, "index", "html");</script>'
    (site / "col" / "index.html").write_text(
        f'<html><head><title>年报</title></head><body><a href="2023/a.html" title="甲局2023年政府信息公开工作年度报告">'
        f"甲局2023年政府信息...</a>{script}</body></html>", encoding="utf-8")
    (site / "col" / "index_1.html").write_text(
        '<html><head><title>年报</title></head><body><a href="2023/b.html">乙局2022年度政府信息公开工作报告</a>'
        f"{script}</body></html>", encoding="utf-8")
    for name, title in (("a", "甲局2023年政府信息公开工作年度报告"), ("b", "乙局2022年度政府信息公开工作报告")):
        (site / "col" / "2023" / f"{name}.html").write_text(
            f"<html><head><title>{title}</title></head><body><p>正文</p></body></html>", encoding="utf-8")

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    with _serving(functools.partial(Quiet, directory=str(site))) as server:
        origin = f"http://127.0.0.1:{server.server_address[1]}"
        raw = tmp_path / "raw"
        first_run = run_crawl([origin + "/col/index.html"], raw, delay=0, timeout=2, progress=False)
        second_run = run_crawl([origin + "/col/index.html"], raw, delay=0, timeout=2, progress=False)
    assert sorted(e["url"] for e in manifest_lines(raw)) == [origin + "/col/2023/a.html", origin + "/col/2023/b.html"]
    assert first_run.fetched == 2 and first_run.list_pages == 2 and first_run.errors == 0
    assert all(e["etag"] is None and e["last_modified"] for e in manifest_lines(raw))
    assert second_run.fetched == 0 and second_run.unchanged == 2  # If-Modified-Since answered 304


# ------------------------------------------------------------------------------------------------
# URL handling, file names, link classification (no network)
# ------------------------------------------------------------------------------------------------


def test_normalize_url():
    assert normalize_url("HTTP://WWW.Example.CN:80/a/b.htm#frag") == "http://www.example.cn/a/b.htm"
    assert normalize_url("https://x.cn") == "https://x.cn/"
    assert normalize_url("http://x.cn:8080/p?q=1") == "http://x.cn:8080/p?q=1"
    assert normalize_url("http://user:pw@[::1]:8080/p") == "http://[::1]:8080/p"


def test_host_allowed_matches_domain_and_subdomains_only():
    assert host_allowed("http://www.pingtan.gov.cn/a", ["pingtan.gov.cn"])
    assert host_allowed("http://pingtan.gov.cn/a", ["pingtan.gov.cn"])
    assert not host_allowed("http://evilpingtan.gov.cn/a", ["pingtan.gov.cn"])
    assert not host_allowed("http://pingtan.gov.cn.evil.com/a", ["pingtan.gov.cn"])


def test_default_domains_are_the_seed_hosts_on_their_port_or_the_standard_ones():
    domains = seed_domains(["http://127.0.0.1:8000/xxgk/index.htm"])
    assert host_allowed("http://127.0.0.1:8000/a", domains)
    assert host_allowed("https://127.0.0.1/a", domains)  # the same portal moving to https
    assert not host_allowed("http://127.0.0.1:9000/a", domains)  # another server on the host
    assert not host_allowed("http://localhost:8000/a", domains)
    assert host_allowed("http://127.0.0.1:9000/a", ["127.0.0.1"])  # an explicit domain: any port
    assert not host_allowed("http://127.0.0.1:9000/a", ["127.0.0.1:8000"])


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8000/../../../../etc/passwd",
    "http://..:80/x",
    "http://a%2F..%2F..%2Fb/x",
    "http://xn--fiqs8s.cn/%2e%2e/%2e%2e/evil.html",
    "http://user:pass@host.cn/a/../../b",
])
def test_no_url_names_a_file_outside_the_raw_dir(tmp_path, url):
    relative = stored_name(url, ".html")
    host, name = relative.split("/")
    assert host not in ("", ".", "..") and not host.startswith(".")
    assert (tmp_path / relative).resolve().parent.parent == tmp_path.resolve()
    assert name.endswith(".html") and len(name) == 16 + 5


def test_host_dir_name_is_sanitised():
    assert host_dir_name("http://WWW.Shuyang.gov.cn/x") == "www.shuyang.gov.cn"
    assert host_dir_name("http://127.0.0.1:8080/x") == "127.0.0.1_8080"


@pytest.mark.parametrize("text, expected", [
    ("沭阳县发展和改革局2023年政府信息公开年度报告", True),
    ("平潭综合实验区2019年度政府信息公开工作年度报告", True),
    ("2009年度政府信息公开工作报告", True),
    ("政府信息公開年報", True),
    ("政府信息公开年报", True),  # a column; names_report, but without a year
    ("政府信息公开指南", False),
    ("2023年法治政府建设年度报告", False),
    ("关于做好2024年政务公开工作的通知", False),
])
def test_names_report(text, expected):
    assert names_report(text) is expected


def test_parse_links_finds_script_pagination_and_base_href():
    html = """<html><head><base href="http://x.cn/col/"><title>政府信息公开年报</title></head><body>
    <a href="2022/t1.html">某局2022年政府信息公开工作年度报告</a>
    <a href="http://x.cn/other/t2.html">某局2021年政府信息公开工作年度...</a>
    <script>createPageHTML(3, 0, "index", "shtml");</script></body></html>""".encode()
    links = parse_links(html, "http://x.cn/col/index.shtml")
    assert links.reports == ["http://x.cn/col/2022/t1.html"]
    assert links.candidates == ["http://x.cn/other/t2.html"]
    assert links.pagination == ["http://x.cn/col/index.shtml", "http://x.cn/col/index_1.shtml",
                                "http://x.cn/col/index_2.shtml"]


def test_parse_links_pagination_by_page_numbers_and_pager_words():
    html = """<html><head><title>政府信息公开年报</title></head><body>
    <a href="list.jsp?page=2">2</a> <a href="list.jsp?page=3">[3]</a> <a href="/other/list.jsp?page=9">9</a>
    <a href="list.jsp?page=2">下一页 &gt;&gt;</a> <a href="/elsewhere/last.htm">尾 页</a>
    <a href="/xxgk/2022/t1.html">XX局2022年度报告</a></body></html>""".encode()
    links = parse_links(html, "http://x.cn/col/list.jsp")
    assert links.pagination == ["http://x.cn/col/list.jsp?page=2", "http://x.cn/col/list.jsp?page=3",
                                "http://x.cn/elsewhere/last.htm"]
    assert links.maybe_reports == ["http://x.cn/xxgk/2022/t1.html"]


def test_parse_links_skips_what_is_not_a_fetchable_link():
    html = """<html><head><title>政府信息公开年报</title></head><body>
    <a href="javascript:void(0)">某局2022年政府信息公开工作年度报告</a>
    <a href="mailto:xxgk@x.cn">某局2021年政府信息公开工作年度报告</a>
    <a href="ftp://x.cn/2020.html">某局2020年政府信息公开工作年度报告</a>
    <a href="http://x.cn:port/2019.html">某局2019年政府信息公开工作年度报告</a>
    <a href="http://[::1/2018.html">某局2018年政府信息公开工作年度报告</a>
    <a href="t2017.html#top">某局2017年政府信息公开工作年度报告</a></body></html>""".encode()
    assert parse_links(html, "http://x.cn/nb/").reports == ["http://x.cn/nb/t2017.html"]


def _page(title: str, body: str = "") -> bytes:
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>".encode()


def test_page_role():
    report = parse_links(_page("某局2022年政府信息公开工作年度报告", '<a href="/nb/">政府信息公开年报</a>'), "http://x.cn/a")
    column = parse_links(_page("政府信息公开年报", '<a href="t1.html">某局2022年政府信息公开工作年度报告</a>'
                                                 '<a href="t2.html">某局2021年政府信息公开工作年度报告</a>'), "http://x.cn/a")
    undated = parse_links(_page("某局政府信息公开工作年度报告", "<p>正文</p>"), "http://x.cn/a")
    loose = parse_links(_page("某局2013年信息公开年度报告"), "http://x.cn/a")
    other = parse_links(_page("某局2023年法治政府建设年度报告"), "http://x.cn/a")
    assert [page_role(report, via) for via in ("seed", "report", "candidate", "pagination")] == ["report"] * 4
    assert [page_role(column, via) for via in ("seed", "candidate", "pagination")] == ["list"] * 3
    assert page_role(undated, "seed") == page_role(undated, "candidate") == "report"
    assert page_role(undated, "pagination") == "list"
    assert page_role(loose, "column_item") == page_role(loose, "candidate") == page_role(loose, "seed") == "report"
    assert page_role(loose, "pagination") == "list"
    assert page_role(other, "column_item") == "list"


# ------------------------------------------------------------------------------------------------
# The manifest
# ------------------------------------------------------------------------------------------------


def test_manifest_last_entry_wins_and_torn_lines_are_skipped(tmp_path):
    writer = ManifestWriter(tmp_path)
    writer.append({"url": "http://a/1", "path": "a/1.html", "sha256": "old"})
    with open(tmp_path / MANIFEST_NAME, "ab") as fh:
        fh.write(b'{"url": "http://a/1", "path": "a/1.ht')  # a write cut short by a crash
    writer.append({"url": "http://a/1", "path": "a/1.html", "sha256": "new"})
    assert load_by_url(tmp_path)["http://a/1"]["sha256"] == "new"
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "1.html").write_bytes(b"<html></html>")
    assert manifest_entry_for(tmp_path / "a" / "1.html")["sha256"] == "new"
    assert manifest_entry_for(tmp_path / "a" / "unlisted.html") is None


def test_manifest_entry_for_sees_manifest_updates(tmp_path):
    page = tmp_path / "h" / "p.html"
    page.parent.mkdir()
    page.write_bytes(b"x")
    assert manifest_entry_for(page) is None
    writer = ManifestWriter(tmp_path)
    writer.append({"url": "http://h/p", "path": "h/p.html"})
    assert manifest_entry_for(page)["url"] == "http://h/p"
    time.sleep(0.01)
    writer.append({"url": "http://h/p2", "path": "h/p.html"})
    assert manifest_entry_for(page)["url"] == "http://h/p2"


# ------------------------------------------------------------------------------------------------
# The CLI, and the acceptance check: crawl output and a WARC of the same pages extract alike
# ------------------------------------------------------------------------------------------------


def test_cli_crawl_prints_the_summary(tmp_path):
    from typer.testing import CliRunner

    from xxgk.pipeline.cli import app

    with running_portal() as portal:
        result = CliRunner().invoke(app, [
            "crawl", portal.url(REPORT_PAGES[0]), "--raw", str(tmp_path), "--delay", "0",
            "--timeout", "2", "--concurrency", "2", "--max-pages", "5", "--retries", "1",
        ])
        assert portal.canary_hits == []
    assert result.exit_code == 0, result.output
    assert result.output.strip().startswith("fetched 2, unchanged 0, skipped by robots 0, errors 0")
    assert (tmp_path / MANIFEST_NAME).is_file()


def write_warc_of_served_pages(first: FirstCrawl, path: Path) -> None:
    """A WARC of the report pages as the portal served them (the redirect recorded as such)."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    saved_pages = {e["final_url"] for e in manifest_lines(first.raw_dir) if e["kind"] == "page"}
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for hit in first.hits:
            url = first.portal.url(hit.path)
            if hit.status == 301:
                headers = StatusAndHeaders("301 Moved Permanently", [("Location", REDIRECTS[hit.path])],
                                           protocol="HTTP/1.1")
                body = b""
            elif hit.status == 200 and (url in saved_pages or hit.path.endswith(".pdf")):
                headers = StatusAndHeaders("200 OK", [("Content-Type", hit.content_type), ("ETag", hit.etag),
                                                      ("Content-Length", str(len(hit.body)))], protocol="HTTP/1.1")
                body = hit.body
            else:
                continue
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers))


def read_dataset(out: Path, name: str):
    import pandas as pd

    if not (out / name).exists():
        return pd.DataFrame()
    return pd.read_parquet(out / name)


def test_extract_gives_identical_table_cells_from_crawl_output_and_warc(first, tmp_path):
    from typer.testing import CliRunner

    from xxgk.pipeline.cli import app

    warc = tmp_path / "portal.warc.gz"
    write_warc_of_served_pages(first, warc)
    runner = CliRunner()
    for inputs, out in ((first.raw_dir, tmp_path / "from_crawl"), (warc, tmp_path / "from_warc")):
        result = runner.invoke(app, ["extract", str(inputs), "--out", str(out), "--jobs", "1"])
        assert result.exit_code == 0, result.output

    manifest = {e["final_url"]: e for e in manifest_lines(first.raw_dir) if e["kind"] == "page"}
    crawl_reports = read_dataset(tmp_path / "from_crawl", "reports")
    warc_reports = read_dataset(tmp_path / "from_warc", "reports")
    assert len(crawl_reports) == len(warc_reports) == len(REPORT_PAGES)
    crawl_source = dict(zip(crawl_reports.report_id, crawl_reports.source))
    warc_source = dict(zip(warc_reports.report_id, warc_reports.source))
    assert set(crawl_source) == set(warc_source)  # report_id is the sha256 of the same raw bytes
    for report_id, source in crawl_source.items():
        entry = manifest[source]  # the crawl's source is the URL that answered 200 (the link is in the manifest)
        assert entry["sha256"] == report_id
        assert warc_source[report_id] == source  # so is the WARC's
    for column in ("title", "agency", "year", "encoding", "template"):
        if column in crawl_reports:
            left = crawl_reports.set_index("report_id")[column].sort_index()
            right = warc_reports.set_index("report_id")[column].sort_index()
            assert left.astype(str).tolist() == right.astype(str).tolist(), column

    def cells(out: Path):
        frame = read_dataset(out, "table_cells")
        if frame.empty:
            return frame
        for column in frame.columns:
            if str(frame[column].dtype) == "category":
                frame[column] = frame[column].astype(str)
        return frame.sort_values(list(frame.columns)).reset_index(drop=True)

    crawl_cells, warc_cells = cells(tmp_path / "from_crawl"), cells(tmp_path / "from_warc")
    assert not crawl_cells.empty  # the GBK page carries the national tables
    assert crawl_cells.equals(warc_cells)
    assert set(crawl_cells.report_id) <= set(crawl_source)
