"""Link classification: which links of a fetched page are reports, list pages, pagination, attachments.

The words (what names a report, what a pager says, a report's section headings) are data, in
rules/data/crawl.toml; `parse_links` sorts every link of a page into the buckets of `PageLinks`, a step
per kind of link, and `page_role` decides whether a fetched page is a report or a list.
"""
from __future__ import annotations

import posixpath
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urljoin, urlsplit

from bs4 import BeautifulSoup

from xxgk.pipeline.crawl.content import page_codec
from xxgk.pipeline.crawl.urls import attachment_suffix, is_http_url, normalize_url
from xxgk.rules.data_files import load

_WORDS = load("crawl")
_DISCLOSURE = re.compile(_WORDS["report"]["disclosure"])
_DISCLOSURE_LOOSE = re.compile(_WORDS["report"]["disclosure_loose"])
_DISCLOSURE_ANY = re.compile(_WORDS["report"]["disclosure_any"])
_REPORT_WORD = re.compile(_WORDS["report"]["report_word"])
_YEAR = re.compile(_WORDS["report"]["year"])
_TRUNCATED = re.compile(_WORDS["report"]["truncated"])
_TRUNCATED_HINT = re.compile(_WORDS["report"]["truncated_hint"])
_NEXT_PAGE_WORDS = set(_WORDS["pager"]["words"])
_PAGER_SYMBOLS = set(_WORDS["pager"]["symbols"])
_PAGE_NUMBER = re.compile(_WORDS["pager"]["page_number"])
_INDEX_FILE = re.compile(r"^(index|list|default)(_\d+)?\.(s?html?|jsp|php|aspx?)$", re.IGNORECASE)
# A link whose own text says nothing ("年报", "查看", "下载") is read with the text of its table row or
# list item, when that row is short and holds at most _MAX_ROW_LINKS links ("查看" and "下载", say).
_ROW_TAGS = {"td", "th", "tr", "li", "dd", "dt", "p"}
_ROW_STOP_TAGS = {"table", "tbody", "ul", "ol", "dl", "body", "html"}
_MAX_ROW_TEXT = 300
_YEAR_TAB = re.compile(_WORDS["report"]["year_tab"])
_MAX_ROW_LINKS = 3
# Section headings of a report's body (the 2019 national template, and the 2008 one): two of them make a
# page a report whatever its title says.
_REPORT_SECTIONS = [re.compile(p) for p in _WORDS["report"]["sections"]]
_CREATE_PAGE_HTML = re.compile(
    r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,\s*['\"]([\w.-]*)['\"]\s*,\s*['\"](\w+)['\"]"
)
MAX_LIST_PAGES_FROM_SCRIPT = 200
MAX_REFRESH_SECONDS = 10  # a <meta refresh> later than this is a periodic reload, not a redirect


def compact(text: str) -> str:
    """Text with full-width forms folded (NFKC) and all white space removed, for matching."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def names_report(text: str) -> bool:
    """True when the text names a 政府信息公开 annual report (年度报告 / 年报), with or without a year."""
    text = compact(text)
    return bool(_DISCLOSURE.search(text) and _REPORT_WORD.search(text))


def names_report_loosely(text: str) -> bool:
    """Like names_report, but 信息公开 without 政府 will do ("XX局2013年信息公开年度报告")."""
    text = compact(text)
    return bool(_DISCLOSURE_LOOSE.search(text) and _REPORT_WORD.search(text))


def has_year(text: str) -> bool:
    return bool(_YEAR.search(compact(text)))


def might_name_report(text: str) -> bool:
    """True for link text that could be a report's title cut short or missing a word.

    e.g. "XX局2022年政府信息公..." or "2022年政府信息公开工作情况"; such pages are fetched to read their title.
    """
    text = compact(text)
    if _TRUNCATED.search(text) and _TRUNCATED_HINT.search(text):
        return True
    return bool(_DISCLOSURE_ANY.search(text) and has_year(text))


@dataclass
class PageLinks:
    """What a fetched page offers the crawler."""

    title: str = ""
    titles: list[str] = field(default_factory=list)  # <title>, title <meta>s, first h1/h2
    reports: list[str] = field(default_factory=list)  # links naming a report with a year
    columns: list[str] = field(default_factory=list)  # "政府信息公开年报" without a year: a column, or a report
    candidates: list[str] = field(default_factory=list)  # titles cut short ("…政府信息公..."): fetch to see
    maybe_reports: list[str] = field(default_factory=list)  # "XX局2022年度报告": a report in a 年报 column
    pagination: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)  # every attachment link on the page
    report_attachments: list[str] = field(default_factory=list)  # attachment links naming a report
    sections: int = 0  # how many report section headings the page's text holds (see _REPORT_SECTIONS)
    redirects: list[str] = field(default_factory=list)  # <meta http-equiv="refresh"> targets
    frames: list[str] = field(default_factory=list)  # <frame> / <iframe> sources
    year_tabs: list[str] = field(default_factory=list)  # "2022年度" tabs of a column split by year

    @property
    def title_names_report(self) -> bool:
        return names_report(self.title)

    @property
    def title_loosely_names_dated_report(self) -> bool:
        return any(names_report_loosely(t) and has_year(t) for t in self.titles)


def parse_links(body: bytes, page_url: str, charset: str | None = None) -> PageLinks:
    """Classify every link of an HTML page; URLs are absolute, normalised and de-duplicated."""
    soup = BeautifulSoup(body, "lxml", from_encoding=page_codec(charset, body))
    base = _base_url(soup, page_url)
    titles = _titles(soup)
    links = PageLinks(title=next((t for t in titles if names_report(t)), titles[0] if titles else ""),
                      titles=titles)
    body_text = compact(soup.body.get_text(" ") if soup.body is not None else "")
    links.sections = sum(1 for pattern in _REPORT_SECTIONS if pattern.search(body_text))
    page_dirs = {posixpath.dirname(urlsplit(page_url).path), posixpath.dirname(urlsplit(base).path)}
    buckets = _Buckets()
    for anchor in soup.find_all(["a", "area"], href=True):
        _sort_anchor(links, buckets, anchor, base, page_dirs)
    for url in _script_pagination(soup, base):
        buckets.add(links.pagination, url)
    links.redirects = _refresh_targets(soup, base, page_url)
    _sort_frames(links, soup, base)
    return links


class _Buckets:
    """Puts a URL in one bucket of a PageLinks only (attachments aside): the first that claims it."""

    def __init__(self):
        self.seen: set[str] = set()

    def add(self, bucket: list[str], url: str) -> None:
        if url not in self.seen:
            self.seen.add(url)
            bucket.append(url)


def _base_url(soup: BeautifulSoup, page_url: str) -> str:
    """The URL the page's relative links resolve against: its <base href>, else its own."""
    base_tag = soup.find("base", href=True)
    if base_tag is not None:
        try:
            return urljoin(page_url, base_tag["href"].strip())
        except ValueError:
            pass
    return page_url


def _titles(soup: BeautifulSoup) -> list[str]:
    """The page's titles, in this order: <title>, the ArticleTitle / title / og:title <meta>s, the first h1/h2."""
    titles = []
    if soup.title is not None:
        titles.append(soup.title.get_text(" ", strip=True))
    for meta_name in ("ArticleTitle", "title"):
        meta = soup.find("meta", attrs={"name": meta_name}, content=True)
        if meta is not None:
            titles.append(meta["content"])
    og_title = soup.find("meta", attrs={"property": "og:title"}, content=True)
    if og_title is not None:
        titles.append(og_title["content"])
    heading = soup.find(["h1", "h2"])
    if heading is not None:
        titles.append(heading.get_text(" ", strip=True))
    return titles


def _sort_anchor(links: PageLinks, buckets: _Buckets, anchor, base: str, page_dirs: set[str]) -> None:
    """One <a> or <area>: an attachment, a report / column / candidate, a pager link, a year tab, or (read
    with the text of its row) one of the first kinds; else nothing."""
    url = _absolute(base, anchor["href"])
    if url is None:
        return
    text = anchor.get_text(" ", strip=True) or " ".join(
        img.get("alt") or img.get("title") or "" for img in anchor.find_all("img"))  # an image button
    label = f"{text} {anchor.get('title', '')}"
    if attachment_suffix(url, None, text):
        _add_attachment(links, url, names_report(label) or names_report(_row_label(anchor)))
        return
    bucket = _bucket(links, label, text)
    if bucket is not None:
        buckets.add(bucket, url)
    elif _is_pager_link(text, url, page_dirs):
        buckets.add(links.pagination, url)
    elif _YEAR_TAB.fullmatch(compact(text)):
        buckets.add(links.year_tabs, url)
    else:
        row = _row_label(anchor)
        bucket = _bucket(links, row, "") if row else None
        if bucket is not None:
            buckets.add(bucket, url)


def _add_attachment(links: PageLinks, url: str, names_a_report: bool) -> None:
    if url not in links.attachments:
        links.attachments.append(url)
    if names_a_report and url not in links.report_attachments:
        links.report_attachments.append(url)


_REFRESH = re.compile(r"\s*(\d*\.?\d*)\s*[;,]?\s*url\s*=\s*['\"]?([^'\"\s]+)", re.IGNORECASE)


def _refresh_targets(soup: BeautifulSoup, base: str, page_url: str) -> list[str]:
    """Where <meta http-equiv="refresh"> sends the browser on: "0; url=…" does; "600; url=self" or "300"
    only reloads the page."""
    targets: list[str] = []
    for meta in soup.find_all("meta", attrs={"http-equiv": re.compile("^refresh$", re.IGNORECASE)}, content=True):
        match = _REFRESH.match(meta["content"])
        if not match or float(match.group(1) or 0) > MAX_REFRESH_SECONDS:
            continue
        url = _absolute(base, match.group(2))
        if url is not None and url != normalize_url(page_url) and url not in targets:
            targets.append(url)
    return targets


def _sort_frames(links: PageLinks, soup: BeautifulSoup, base: str) -> None:
    """<frame>, <iframe>, <embed>, <object>: a document shown in the page (<embed src="….pdf">, a PDF
    viewer's ?file=….pdf) is an attachment; a frame or iframe otherwise is a page the crawl follows."""
    for frame in soup.find_all(["frame", "iframe", "embed", "object"]):
        src = frame.get("src") or frame.get("data")
        url = _absolute(base, src) if src else None
        if url is None:
            continue
        embedded = [url] + [u for u in (_absolute(base, v) for _, v in parse_qsl(urlsplit(url).query)) if u]
        files = [u for u in embedded if attachment_suffix(u)]
        for file in files:
            _add_attachment(links, file, False)
        if not files and frame.name in ("frame", "iframe") and url not in links.frames:
            links.frames.append(url)


def _absolute(base: str, href: str) -> str | None:
    """The normalised absolute http(s) URL of a link, or None for what cannot be fetched."""
    href = href.strip()
    path, mark, query = href.partition("?")
    href = path.replace("\\", "/") + mark + query  # a browser reads a backslash in the path as "/"
    if not href or href.startswith("#") or re.match(r"(javascript|mailto|tel|data|about):", href, re.IGNORECASE):
        return None
    try:
        url = urljoin(base, href)
    except ValueError:  # e.g. a malformed IPv6 host
        return None
    return normalize_url(url) if is_http_url(url) else None


def _bucket(links: PageLinks, label: str, text: str) -> list[str] | None:
    """The bucket a link labelled so belongs in (text: the link's own text), or None."""
    if names_report(label) and has_year(label):
        return links.reports
    if names_report(label):
        return links.columns
    if text and might_name_report(text):
        return links.candidates
    if _REPORT_WORD.search(compact(label)) and has_year(label):
        return links.maybe_reports
    return None


def _row_label(anchor) -> str:
    """The text of the table cell / row / list item that holds this link (and few others), or ""."""
    for parent in anchor.parents:
        if parent.name in _ROW_STOP_TAGS:
            break
        if parent.name not in _ROW_TAGS:
            continue
        if len(parent.find_all(["a", "area"], href=True, limit=_MAX_ROW_LINKS + 1)) > _MAX_ROW_LINKS:
            break
        text = parent.get_text(" ", strip=True)
        if len(text) > _MAX_ROW_TEXT:
            break
        if names_report(text) or (_REPORT_WORD.search(compact(text)) and has_year(text)):
            return text
    return ""


def _is_pager_link(text: str, url: str, page_dirs: set[str]) -> bool:
    """下一页 / 尾页 links anywhere; page numbers, >> and index_N files in the list page's own directory."""
    if _pager_word(text) in _NEXT_PAGE_WORDS:
        return True
    path = urlsplit(url).path
    if posixpath.dirname(path) not in page_dirs:
        return False
    word = compact(text).lower()
    return bool(_INDEX_FILE.match(posixpath.basename(path)) or _PAGE_NUMBER.fullmatch(word)
                or word in _PAGER_SYMBOLS)


def _pager_word(text: str) -> str:
    """The Chinese characters of a pager link's text ("下一页 >>" -> "下一页")."""
    return "".join(re.findall(r"[\u4e00-\u9fff]", text or ""))


def _script_pagination(soup: BeautifulSoup, base: str) -> list[str]:
    """Pages named by the TRS-style pager script `createPageHTML(total, current, "index", "htm")`."""
    urls = []
    for script in soup.find_all("script"):
        for match in _CREATE_PAGE_HTML.finditer(script.get_text() or ""):
            total = min(int(match.group(1)), MAX_LIST_PAGES_FROM_SCRIPT)
            prefix, ext = match.group(3) or "index", match.group(4)
            names = [f"{prefix}.{ext}"] + [f"{prefix}_{i}.{ext}" for i in range(1, total)]
            urls.extend(normalize_url(urljoin(base, name)) for name in names)
    return urls


def page_role(links: PageLinks, via: str) -> str:
    """"report" or "list" for a fetched HTML page reached `via` a seed, report link, candidate or pager.

    A page reached by a link naming a report is the report, unless it turns out to be a list of reports
    (three or more report links and a title that names none). Otherwise a title naming a report with
    its year makes a report; a page linking to reports is a list; a title naming a report without a
    year makes a report only when nothing on the page looks like a list of reports. A seed, or a page
    reached from a list of reports by a doubtful link ("candidate", "column_item"), is a report when its
    title names a dated report even without the word 政府 ("XX局2013年信息公开年度报告"); a
    法治政府建设年度报告 is not. A page whose text has two or more of a report's section headings is a
    report unless it links to reports or pages on (a list showing its latest report in full).
    """
    n_reports = len(links.reports)
    titled = links.title_names_report
    if via == "report":
        return "list" if n_reports >= 3 and not titled and links.sections < 2 else "report"
    if links.sections >= 2 and not n_reports and not links.pagination:
        return "report"
    if via in ("seed", "candidate", "column_item") and links.title_loosely_names_dated_report and n_reports < 3:
        return "report"  # e.g. "XX局2013年信息公开年度报告", reached from a list of reports
    if via == "column_item":
        return "list"
    if titled and has_year(links.title) and n_reports < 3:
        return "report"
    if n_reports:
        return "list"
    looks_like_list = links.candidates or links.maybe_reports or links.report_attachments or links.pagination
    if titled and via in ("seed", "candidate") and not looks_like_list:
        return "report"
    return "list"
