"""A portal whose annual report is only a PDF attachment (the page says 详见附件): crawled over real HTTP
on 127.0.0.1, then extracted; the report's source is the PDF's URL."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from portal_server import Site, crawl_settings, manifest_lines, running_portal

from xxgk.pipeline.crawl.crawler import Crawler
from xxgk.pipeline.run import run_extract

FIXTURES = Path(__file__).parent / "fixtures"
PDF = "/hzqrmzf/zfxxgkndbg/202401/P020240125_洪泽区2023年报.pdf"
LIST = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开年报_洪泽区人民政府</title></head>
<body><div class="list"><ul>
<li><a href="/hzqrmzf/zfxxgkndbg/202401/t20240125_1.html">洪泽区人民政府2023年政府信息公开工作年度报告</a>
<span>2024-01-25</span></li></ul></div></body></html>"""
REPORT = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>洪泽区人民政府2023年政府信息公开工作年度报告</title></head>
<body><h1>洪泽区人民政府2023年政府信息公开工作年度报告</h1><div class="content"><p>详见附件。</p>
<p>附件：<a href="/hzqrmzf/zfxxgkndbg/202401/P020240125_洪泽区2023年报.pdf">洪泽区人民政府2023年政府信息公开工作年度报告.pdf</a>
</p></div></body></html>"""


def test_a_report_published_only_as_a_pdf_attachment_is_extracted_with_the_pdf_url(tmp_path):
    root = tmp_path / "site"
    (root / "hzqrmzf" / "zfxxgkndbg" / "202401").mkdir(parents=True)
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    (root / "hzqrmzf" / "zfxxgkndbg" / "index.html").write_text(LIST, encoding="utf-8")
    (root / "hzqrmzf" / "zfxxgkndbg" / "202401" / "t20240125_1.html").write_text(REPORT, encoding="utf-8")
    (root / PDF.lstrip("/")).write_bytes((FIXTURES / "034_hongze_2023.pdf").read_bytes())
    raw = tmp_path / "raw"
    with running_portal(Site(root)) as portal:
        Crawler(crawl_settings(raw, max_bytes=4 * 1024 * 1024), [portal.url("/hzqrmzf/zfxxgkndbg/index.html")]).run()
        assert portal.canary_hits == []
        pdf_url = next(e["url"] for e in manifest_lines(raw) if e["path"].endswith(".pdf"))
    out = tmp_path / "out"
    run_extract([raw], out, jobs=1)
    reports = pd.read_parquet(out / "reports")
    [pdf_report] = reports[reports.source == pdf_url].itertuples()
    assert (pdf_report.agency, pdf_report.year, pdf_report.template) == ("洪泽区人民政府", 2023, "gov2021")
    cells = pd.read_parquet(out / "table_cells")
    assert len(cells[cells.report_id == pdf_report.report_id]) == 186
