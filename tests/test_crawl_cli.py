"""`xxgk crawl` as a person meets it: a dead portal and a 404 seed exit non-zero and say why (not robots.txt),
a text/plain report page is kept and extracted, the raw directory is a place of its own."""
from __future__ import annotations

import socket
import subprocess
import sys
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pandas as pd
from portal_server import manifest_lines, send, serving

from conftest import FIXTURES, ROOT

QUICK = ["--delay", "0", "--timeout", "2", "--retries", "0"]


def xxgk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xxgk", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


@contextmanager
def site(routes: dict[str, tuple[int, dict, bytes]]):
    """A server on 127.0.0.1 answering each path with routes[path] (status, headers, body), else 404."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            send(self, *routes.get(self.path, (404, {}, b"not found")))

    with serving(Handler) as server:
        yield f"http://127.0.0.1:{server.server_address[1]}"


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_dead_portal_says_it_cannot_connect_and_exits_1(tmp_path):
    port = closed_port()
    result = xxgk("crawl", f"http://127.0.0.1:{port}/xxgk/nb/index.html", "--raw", str(tmp_path / "raw"), *QUICK)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"cannot connect to 127.0.0.1:{port}: Connection refused" in result.stderr
    assert "skipped by robots 0, errors 1" in result.stdout  # counted as an error, robots.txt not blamed
    assert "no seed could be fetched" in result.stderr and "Traceback" not in result.stderr


def test_a_404_seed_exits_1(tmp_path):
    with site({"/robots.txt": (404, {}, b"")}) as origin:
        result = xxgk("crawl", origin + "/gone/index.html", "--raw", str(tmp_path / "raw"), *QUICK)
    assert result.returncode == 1
    assert f"error: {origin}/gone/index.html: HTTP 404" in result.stderr
    assert "no seed could be fetched" in result.stderr


def test_one_seed_fetched_of_two_exits_0(tmp_path):
    list_page = "<html><head><title>政府信息公开年报</title></head><body>无</body></html>".encode()
    routes = {"/nb/index.html": (200, {"Content-Type": "text/html; charset=utf-8"}, list_page)}
    with site(routes) as origin:
        result = xxgk("crawl", origin + "/nb/index.html", origin + "/gone.html", "--raw", str(tmp_path), *QUICK)
    assert result.returncode == 0, result.stderr
    assert "errors 1" in result.stdout


def test_a_text_plain_report_page_is_kept_and_extracted(tmp_path):
    report = (FIXTURES / "004_pingtan_2021.txt").read_bytes()
    listing = ('<html><head><title>政府信息公开年报</title></head><body><ul>'
               '<li><a href="/nb/2021.txt">平潭综合实验区2021年政府信息公开工作年度报告</a></li>'
               '<li><a href="/nb/notice.txt">通知</a></li></ul></body></html>').encode()
    routes = {
        "/nb/index.html": (200, {"Content-Type": "text/html; charset=utf-8"}, listing),
        "/nb/2021.txt": (200, {"Content-Type": "text/plain; charset=utf-8"}, report),
        "/nb/notice.txt": (200, {"Content-Type": "text/plain"}, "关于开展春季植树活动的通知".encode()),
    }
    raw = tmp_path / "raw"
    with site(routes) as origin:
        result = xxgk("crawl", origin + "/nb/index.html", "--raw", str(raw), *QUICK)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("fetched 1,")
    (entry,) = manifest_lines(raw)
    assert entry["url"] == origin + "/nb/2021.txt" and entry["path"].endswith(".txt")
    assert (raw / entry["path"]).read_bytes() == report
    out = tmp_path / "out"
    assert xxgk("extract", str(raw), "--out", str(out), "--jobs", "1").returncode == 0
    reports = pd.read_parquet(out / "reports")
    assert list(reports.source) == [origin + "/nb/2021.txt"] and reports.year.astype(int).tolist() == [2021]


def test_the_crawl_writes_to_a_raw_directory_of_its_own():
    from xxgk.pipeline.crawl.settings import CrawlSettings

    assert CrawlSettings().raw_dir == Path("data/crawl")
    assert "[default: data/crawl]" in xxgk("crawl", "--help").stdout
