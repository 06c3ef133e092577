"""`xxgk report OUT --html FILE` rendered in a real headless Chromium (Debian's chromium package)."""
import subprocess
import sys

import pytest

from chromium import load_page

PLOTS = "document.querySelectorAll('div.plot svg').length"
DRAWN = ("Array.from(document.querySelectorAll('div.plot svg')).filter(s => {const r = s.getBoundingClientRect();"
         " return r.width > 100 && r.height > 100 && s.querySelectorAll('path').length > 0}).length")
AGENCIES = "Array.from(document.querySelectorAll('h3.agency')).map(h => h.textContent)"
TEXT = "document.body.innerText"


@pytest.fixture(scope="module")
def page(fixtures_out, tmp_path_factory):
    target = tmp_path_factory.mktemp("report") / "report.html"
    done = subprocess.run([sys.executable, "-m", "xxgk", "report", str(fixtures_out), "--html", str(target)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return target, load_page(target.as_uri(), [PLOTS, DRAWN, AGENCIES, TEXT])


def test_renders_its_plots_and_names_the_agencies(page):
    target, load = page
    assert load.values[PLOTS] >= 3 and load.values[DRAWN] == load.values[PLOTS]
    assert any("平潭综合实验区" in h for h in load.values[AGENCIES])
    text = load.values[TEXT]
    for heading in ("What was read", "Failures", "Failed checks by kind", "Trends of the main measures"):
        assert heading in text
    assert "extraction" in text and "document" in text and "cross_year" in text  # the kinds of failed checks


def test_no_script_error_and_no_network_request(page):
    target, load = page
    assert load.errors == []
    assert load.requests == [target.as_uri()]  # the page itself, from the file system: nothing else


def test_the_harness_sees_requests_and_errors(tmp_path):
    """The checks above can fail: a page that asks the network and throws is seen doing both."""
    bad = tmp_path / "bad.html"
    bad.write_text("<html><body><img src='http://127.0.0.1:9/x.png'><script>undefinedCall()</script></body></html>")
    load = load_page(bad.as_uri(), [])
    assert "http://127.0.0.1:9/x.png" in load.requests and load.errors
