"""The crawler against a second fixture portal of another make (tests/fixtures/portal2), over real HTTP on 127.0.0.1.

Where tests/fixtures/portal is a TRS-style site (index_N.htm pages, <ul> lists), this one is a
JCMS-style city portal: the 年报 column is a table of links with dates under a <base href>, paged by
下一页 / 尾页 links with query strings (in varying parameter order, and pages linking to themselves);
report links are relative with ../, carry ;jsessionid or #fragments, are absolute with an upper-case
scheme or scheme-relative, have truncated text with a title attribute, or say only 年报 (the row says
whose); report titles are in <title> only or <h1> only; one report is in traditional characters.
The server misbehaves on purpose: a 301 -> 302 -> 200 chain, a 500 that recovers, a slow answer, a
404 report and a 404 attachment, a gzip answer, Content-Type charsets that contradict the page's
<meta> (both ways), a PDF report behind a download script. robots.txt gives `User-agent: *` a
`Disallow: /` and the crawler's own group wildcard rules and a Crawl-delay.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from portal_server import LAST_MODIFIED, Portal, Site, crawl_settings, manifest_lines, running_portal, snapshot

from xxgk.pipeline.crawl.crawler import CrawlSettings, Crawler, CrawlSummary, stored_name
from xxgk.pipeline.sources import iter_raw_docs

ROOT = Path(__file__).parent / "fixtures" / "portal2"
SEED = "/col/col1229/index.html"
R1 = "/art/2022/2/8/art_1229_1001.html"  # title in <title> only; gzip; three attachments (one 404)
R2 = "/art/2026/3/10/art_1229_1002.html"  # linked as "年报" with ;jsessionid; GBK under a utf-8 header
R3 = "/art/2012/4/18/art_1229_1003.html"  # HTTP://…#content; 301 -> 302 -> 200
R3_STEP = "/site/redirect/1003"
R3_FINAL = "/art/2012/4/18/new_1229_1003.html"
R4 = "/art/2025/1/20/art_1229_1004.html"  # //host/…; 500 once; UTF-8 under a gbk header
R8 = "/art/2021/1/22/art_1229_1008.html"  # traditional characters, link text in two <span>s
REPORT_PAGES = [R1, R2, R3, R4, R8]
PDF_REPORT = "/module/download/downfile.jsp?classid=0&filename=P2016.pdf"  # a report as a PDF, no .pdf path
ATTACHMENTS = ["/module/download/P020220208_1.pdf", "/picture/0/tj2021.doc", "/picture/0/2011nb.doc", PDF_REPORT]
MISSING_ATTACHMENT = "/picture/0/missing2021.docx"
MISSING = "/art/2019/1/10/art_1229_1006.html"
SLOW = "/art/2018/1/10/art_1229_1007.html"
DISALLOWED = ["/art/2020/1/15/draft_art_1229_1005.html", R1 + "?print=1"]
NEVER_REQUESTED = ["/col/col1230/index.html", "/col/col1231/index.html", "/art/2024/1/1/art_1300_9.html",
                   "/index.html", "/col/col1228/index.html", DISALLOWED[0]]
LIST_PAGES = [SEED, SEED + "?pageNum=2&uid=4", SEED + "?pageNum=3&uid=4"]  # query sorted
CRAWL_DELAY = 0.05  # robots.txt's, for the crawler's group

SITE = Site(
    ROOT,
    redirects={R3: (301, R3_STEP), R3_STEP: (302, R3_FINAL)},
    flaky={R4}, slow={SLOW}, slow_seconds=1.0, gzipped={R1},
    content_types={R2: "text/html; charset=utf-8", R4: "text/html; charset=gbk",
                   "/module/download/downfile.jsp": "application/pdf"},
)


def settings(raw_dir: Path) -> CrawlSettings:
    return crawl_settings(raw_dir, timeout=0.4, retries=1)


def target(hit) -> str:
    """A hit's path with its query sorted, as LIST_PAGES names pages."""
    query = urlencode(sorted(parse_qsl(hit.query, keep_blank_values=True)))
    return hit.path + ("?" + query if query else "")


@dataclass
class Crawled:
    portal: Portal
    raw_dir: Path
    first: CrawlSummary
    first_hits: list
    second: CrawlSummary
    second_hits: list
    before_second: dict
    after_second: dict


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """The portal crawled twice from its column page into one raw dir."""
    raw_dir = tmp_path_factory.mktemp("raw2")
    with running_portal(SITE) as portal:
        first = Crawler(settings(raw_dir), [portal.url(SEED)]).run()
        first_hits = list(portal.hits)
        before = snapshot(raw_dir)
        second = Crawler(settings(raw_dir), [portal.url(SEED)]).run()
        yield Crawled(portal, raw_dir, first, first_hits, second, portal.hits[len(first_hits):], before,
                      snapshot(raw_dir))


def test_counts(crawled):
    s = crawled.first
    assert (s.fetched, s.unchanged, s.skipped_robots, s.errors, s.list_pages) == (
        len(REPORT_PAGES) + len(ATTACHMENTS), 0, len(DISALLOWED), 3, len(LIST_PAGES)), s.line()
    assert s.not_reports == 0


def test_every_report_and_attachment_is_saved_under_its_linked_url(crawled):
    url = crawled.portal.url
    entries = manifest_lines(crawled.raw_dir)
    by_url = {e["url"]: e for e in entries}
    assert sorted(by_url) == sorted(url(p) for p in REPORT_PAGES + ATTACHMENTS)
    assert len(entries) == len(by_url)
    assert {by_url[url(p)]["kind"] for p in REPORT_PAGES} == {"page"}
    assert {by_url[url(p)]["kind"] for p in ATTACHMENTS} == {"attachment"}
    assert by_url[url(PDF_REPORT)]["path"].endswith(".pdf")  # named by its Content-Type
    assert by_url[url(R3)]["final_url"] == url(R3_FINAL)
    for entry in entries:
        data = (crawled.raw_dir / entry["path"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["path"] == stored_name(entry["url"], Path(entry["path"]).suffix)
    served = {h.path: h.body for h in crawled.first_hits if h.status == 200 and h.body}
    assert (crawled.raw_dir / by_url[url(R1)]["path"]).read_bytes() == served[R1]  # gzip: saved decoded
    assert [h.content_encoding for h in crawled.first_hits if h.path == R1] == ["gzip"]


def test_declared_charset_is_the_one_the_bytes_honour(crawled):
    by_url = {e["url"]: e for e in manifest_lines(crawled.raw_dir)}
    gbk, utf8 = by_url[crawled.portal.url(R2)], by_url[crawled.portal.url(R4)]
    assert gbk["content_type"] == "text/html; charset=utf-8" and gbk["charset"] == "gb2312"
    assert utf8["content_type"] == "text/html; charset=gbk" and utf8["charset"] == "utf-8"


def test_robots_group_wildcards_and_crawl_delay(crawled):
    hits = crawled.first_hits
    assert hits[0].path == "/robots.txt" and [h.path for h in hits].count("/robots.txt") == 1
    assert sorted(crawled.first.robots_skipped_urls) == sorted(crawled.portal.url(p) for p in DISALLOWED)
    assert not any(h.path == R1 and "print" in h.query for h in hits)
    # Spacing as the crawler gave the requests out (the server, sharing this process, notes them late
    # under load); with no Crawl-delay they follow each other within milliseconds.
    starts = sorted(crawled.first.requested_at)
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    assert len(gaps) >= 15 and min(gaps) >= CRAWL_DELAY - 1e-6, gaps


def test_pagination_each_list_page_once_despite_query_order_and_self_links(crawled):
    list_hits = [target(h) for h in crawled.first_hits if h.path == SEED]
    assert sorted(list_hits) == sorted(LIST_PAGES)


def test_nothing_disallowed_unlinked_or_off_domain_is_requested(crawled):
    requested = {h.path for h in crawled.first_hits + crawled.second_hits}
    assert not requested & set(NEVER_REQUESTED)
    assert crawled.portal.canary_hits == []
    assert {urlsplit(u).hostname for u in crawled.first.requested + crawled.second.requested} == {"127.0.0.1"}
    offsite = set(crawled.first.offsite_urls)
    assert crawled.portal.offsite_origin + "/art/2021/1/1/art_1_1.html" in offsite
    assert crawled.portal.offsite_origin.replace("localhost", "127.0.0.1") + "/art/2016/1/1/art_2_2.html" in offsite


def test_retries_timeouts_and_errors(crawled):
    by_path = lambda p: [h.status for h in crawled.first_hits if h.path == p]  # noqa: E731
    assert by_path(R4) == [500, 200]
    assert by_path(MISSING) == [404] and by_path(MISSING_ATTACHMENT) == [404]
    assert len(by_path(SLOW)) == 2  # retries=1
    assert by_path(R3) == [301] and by_path(R3_STEP) == [302] and by_path(R3_FINAL) == [200]
    errors = dict(crawled.first.failures)
    assert set(errors) == {crawled.portal.url(p) for p in (MISSING, MISSING_ATTACHMENT, SLOW)}
    assert "timeout" in errors[crawled.portal.url(SLOW)]


def test_second_crawl_is_answered_with_304_and_writes_nothing(crawled):
    s = crawled.second
    assert crawled.after_second == crawled.before_second
    assert s.fetched == 0 and s.saved == [] and s.errors == 3
    assert s.unchanged == len(REPORT_PAGES) + len(ATTACHMENTS)
    for path in [R1, R2, R4, R8, R3_FINAL] + [urlsplit(a).path for a in ATTACHMENTS]:
        statuses = [h.status for h in crawled.second_hits if h.path == path]
        assert statuses == [304], (path, statuses)
    conditional = [h for h in crawled.second_hits if h.status == 304]
    assert all(h.headers.get("If-Modified-Since") == LAST_MODIFIED for h in conditional)


FINAL_PAGES = [R3_FINAL if p == R3 else p for p in REPORT_PAGES]  # where each report page link leads


def test_extract_inputs_carry_the_final_page_urls(crawled):
    docs = {d.source: d for d in iter_raw_docs([crawled.raw_dir])}
    pages = {source for source, doc in docs.items() if doc.kind != "unsupported"}
    assert sorted(pages) == sorted(crawled.portal.url(p) for p in FINAL_PAGES)
    unsupported = {source for source, doc in docs.items() if doc.kind == "unsupported"}
    assert unsupported == {crawled.portal.url(p) for p in ATTACHMENTS if p.endswith(".doc")}


def test_xxgk_extract_yields_the_reports_with_page_urls_as_source(crawled, tmp_path):
    import pandas as pd
    from typer.testing import CliRunner

    from xxgk.pipeline.cli import app

    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["extract", str(crawled.raw_dir), "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    reports = pd.read_parquet(out / "reports")
    assert sorted(reports.source) == sorted(crawled.portal.url(p) for p in FINAL_PAGES)
    by_source = dict(zip(reports.source, reports.year))
    url = crawled.portal.url
    assert [int(by_source[url(p)]) for p in FINAL_PAGES] == [2021, 2025, 2011, 2024, 2020]
    if "encoding" in reports:
        encodings = dict(zip(reports.source, reports.encoding))
        assert encodings[url(R2)] == "gb18030" and encodings[url(R4)] == "utf-8"


def test_cli_crawl_reports_the_summary_and_lists_the_errors(tmp_path):
    from typer.testing import CliRunner

    from xxgk.pipeline.cli import app

    with running_portal(SITE) as portal:
        result = CliRunner().invoke(app, ["crawl", portal.url(SEED), "--raw", str(tmp_path), "--delay", "0",
                                          "--timeout", "0.4", "--retries", "1"])
        assert portal.canary_hits == []
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[-1].startswith(f"fetched {len(REPORT_PAGES) + len(ATTACHMENTS)}, unchanged 0, "
                                f"skipped by robots {len(DISALLOWED)}, errors 3")
    assert sorted(line.split(": ", 2)[1] for line in lines if line.startswith("error: ")) == sorted(
        portal.url(p) for p in (MISSING, MISSING_ATTACHMENT, SLOW))
