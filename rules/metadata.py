"""Report metadata: title, agency, year covered, published date, region, template.

Patterns live in rules/data/metadata.toml; the region comes from the cpca gazetteer.
"""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache


from xxgk.parsers.document import Document, StageError
from xxgk.parsers.html import han_count
from xxgk.rules.data_files import load
from xxgk.rules.numbering import chinese_number
from xxgk.rules.records import ReportMeta
from xxgk.rules.text import squash

HEAD_BLOCKS = 15  # title and printed date are looked for in the first blocks
TAIL_BLOCKS = 10  # a signature date is looked for in the last blocks
MAX_TITLE = 80
MIN_BODY_HAN = 150  # fewer Chinese characters than this besides the title: a truncated or empty page


@lru_cache(maxsize=1)
def _rules() -> dict:
    rules = load("metadata")
    compiled = {
        "report_title": re.compile(rules["title"]["report_title"]),
        "site_suffix": re.compile(rules["title"]["site_suffix"]),
        "strip_prefix": [re.compile(p) for p in rules["agency"]["strip_prefix"]],
        "strip_suffix": [re.compile(p) for p in rules["agency"]["strip_suffix"]],
        "name_line": re.compile(rules["agency"]["name_line"]),
        "unwrap": re.compile(rules["agency"]["unwrap"]),
        "opening": [re.compile(p) for p in rules["agency"]["opening"]],
        "title_year": re.compile(rules["year"]["title_year"]),
        "title_year_cn": re.compile(rules["year"]["title_year_cn"]),
        "period": re.compile(rules["year"]["period"]),
        "report_year": re.compile(rules["year"]["report_year"]),
        "date": re.compile(rules["published"]["date"]),
        "date_cn": re.compile(rules["published"]["date_cn"]),
        "labelled_date": re.compile(rules["published"]["labelled"] + rules["published"]["date"]),
        "page_meta_keys": rules["published"]["page_meta_keys"],
        "template": rules["template"],
        "municipalities": set(rules["region"]["municipalities"]),
        "not_a_city": set(rules["region"]["not_a_city"]),
        "zones": {name: tuple(v or None for v in where) for name, where in rules["region"]["zones"].items()},
    }
    return compiled


def _squashed_at_most(text: str, limit: int) -> bool:
    """len(squash(text)) <= limit, a long text (a whole paragraph) told by its beginning."""
    return len(text) <= limit or (len(squash(text[: 4 * limit])) <= limit and len(squash(text)) <= limit)


def title_candidates(doc: Document) -> list[str]:
    """Strings that may be the title: crawler header, page title and headings, the first lines
    (a title may be printed over two lines)."""
    head = [b.text for b in doc.blocks[:HEAD_BLOCKS] if b.kind != "table"]
    candidates = [doc.page_meta.get("标题", ""), doc.title, *doc.page_meta.get("页面标题", "").split("\n")]
    for i, line in enumerate(head):
        candidates.append(line)
        if i + 1 < len(head):
            candidates.append(line + head[i + 1])
    return candidates


def find_title(doc: Document) -> str | None:
    """The report title; a title naming the agency and year is preferred to a bare one
    ("政府信息公开年报_某市人民政府" is a column name, not the report's title)."""
    rules = _rules()
    titles = []
    for candidate in title_candidates(doc):
        if not _squashed_at_most(candidate, MAX_TITLE):
            continue
        title = squash(candidate)
        if not title or not rules["report_title"].search(title):
            continue
        stripped = rules["site_suffix"].sub("", title)
        titles.append(stripped if rules["report_title"].search(stripped) else title)
    named = [t for t in titles if agency_from_title(t) and rules["title_year"].search(t)]
    return (named or [t for t in titles if agency_from_title(t)] or titles or [None])[0]


def agency_from_title(title: str) -> str | None:
    rules = _rules()
    match = rules["report_title"].search(title)
    head = title[: match.start()] if match else title
    head = re.sub(rules["title_year"].pattern + "度?", "", head)
    head = re.sub(rules["title_year_cn"].pattern + "度?", "", head)
    changed = True
    while changed:
        before = head
        for pattern in rules["strip_prefix"] + rules["strip_suffix"]:
            head = pattern.sub("", head)
        head = rules["unwrap"].sub(r"\g<name>", head)
        changed = head != before
    return head if len(head) >= 2 else None


def agency_from_text(doc: Document) -> str | None:
    """Where the title names no agency: the page's publisher, a name line above the title, or the opening."""
    rules = _rules()
    for key in ("发布机构", "来源", "publisher"):
        value = squash(doc.page_meta.get(key, ""))
        if value and rules["name_line"].match(value):
            return value
    for block in doc.blocks[:HEAD_BLOCKS]:
        if block.kind != "table" and rules["name_line"].match(squash(block.text)):
            return squash(block.text)
    opening = "".join(b.text for b in doc.blocks[:HEAD_BLOCKS] if b.kind != "table")
    for pattern in rules["opening"]:
        match = pattern.search(opening)
        if match:
            return match.group("agency")
    return None


def _cn_year(text: str) -> int | None:
    digits = str.maketrans("〇零一二三四五六七八九○", "001234567890")
    value = text.translate(digits)
    return int(value) if value.isdigit() else None


def find_year(title: str | None, doc: Document, published: date | None) -> int | None:
    rules = _rules()
    if title:
        match = rules["title_year"].search(title)
        if match:
            return int(match.group("year"))
        match = rules["title_year_cn"].search(title)
        if match:
            return _cn_year(match.group("year"))
    text = doc.text
    for pattern in ("period", "report_year"):
        match = rules[pattern].search(text)
        if match:
            return int(match.group("year"))
    return published.year - 1 if published else None


def _to_date(y, m, d) -> date | None:
    try:
        year = int(y) if str(y).isdigit() else _cn_year(y)
        month = int(m) if str(m).isdigit() else int(chinese_number(str(m)))
        day = int(d) if str(d).isdigit() else int(chinese_number(str(d)))
        return date(year, month, day)
    except (TypeError, ValueError):
        return None


def _dates_in(text: str) -> list[date]:
    rules = _rules()
    found = []
    for pattern in ("date", "date_cn"):
        for m in rules[pattern].finditer(text):
            parsed = _to_date(m.group("y"), m.group("m"), m.group("d"))
            if parsed:
                found.append(parsed)
    return found


def find_published(doc: Document, year: int | None) -> date | None:
    """Date printed on the page (publication metadata), near the title, or as the closing signature."""
    rules = _rules()

    def plausible(d: date) -> bool:  # reports are published after the year they cover ends
        return year is None or date(year, 12, 31) <= d <= date(year + 2, 12, 31)

    for key in rules["page_meta_keys"]:
        for d in _dates_in(doc.page_meta.get(key, "")):
            if plausible(d):
                return d
    head = [b.text for b in doc.blocks[:HEAD_BLOCKS] if b.kind != "table"]
    tail = [b.text for b in doc.blocks[-TAIL_BLOCKS:] if b.kind != "table"]
    for line in head + tail[::-1]:
        if _squashed_at_most(line, 40):  # a line that is (mostly) a date, e.g. "(2021年1月22日)"
            for d in _dates_in(line):
                if plausible(d):
                    return d
    return None


@lru_cache(maxsize=1)
def _division_name_counts() -> dict[str, int]:
    """How many divisions of the cpca gazetteer bear each name (鼓楼区 is in four cities)."""
    import csv
    from collections import Counter
    from importlib.resources import files

    with files("cpca").joinpath("resources/adcodes.csv").open(encoding="utf-8") as f:
        return Counter(row["name"] for row in csv.DictReader(f))


def _cpca_record(name: str) -> dict:
    """cpca's record for one string ({"省", "市", "区", "省_pos", …}); its one-string matcher is used
    directly, as cpca.transform only wraps it in a pandas DataFrame (≈40 MB per worker process)."""
    import cpca

    one_address = getattr(cpca, "_get_one_addr", None)
    if one_address is not None:
        return one_address(name, True, {})
    return cpca.transform([name], pos_sensitive=True).iloc[0].to_dict()


@lru_cache(maxsize=4096)
def region_of(name: str) -> tuple[str | None, str | None, str | None]:
    """(province, city, county) of an agency name, from the cpca gazetteer; None where it cannot tell.

    A county or city named alone whose name several divisions share is not resolved (no guessing), nor
    is a county found alone only by its short name inside a word (深度合作区 is not 合作市). Zones that
    are no division (平潭综合实验区) come from rules/data/metadata.toml.
    """
    for zone, where in _rules()["zones"].items():
        if zone in name:
            return where
    row = _cpca_record(name)

    def value(column: str) -> str | None:
        v = row.get(column)
        return v if isinstance(v, str) and v else None

    province, city, county = value("省"), value("市"), value("区")
    named_above = lambda column: int(row.get(column, -1)) >= 0  # noqa: E731 - printed in the name itself
    if county and not named_above("省_pos") and not named_above("市_pos") and (
            _division_name_counts()[county] > 1 or county not in name):
        return None, None, None
    if city and not named_above("省_pos") and not county and _division_name_counts()[city] > 1:
        return None, None, None
    municipalities = _rules()["municipalities"]
    if city in _rules()["not_a_city"]:
        city = province if province in municipalities else None
    if province in municipalities and not city:
        city = province
    return province, city, county


def find_template(doc: Document) -> str:
    text = doc.text
    for template in ("gov2021", "gov2019", "legacy"):
        if any(marker in text for marker in _rules()["template"][template]):
            return template
    return "none"


def extract_metadata(doc: Document) -> ReportMeta:
    """Metadata of a report; StageError('extract') when the document is not an annual report."""
    rules = _rules()
    text = doc.text
    if not any(marker in text for marker in rules["template"]["report_markers"]):
        raise StageError("extract", "not an information-disclosure annual report: no 信息公开/政务公开 in the text")
    title = find_title(doc)
    template = find_template(doc)
    if title is None and template == "none":
        raise StageError("extract", "not an information-disclosure annual report: "
                                    "no report title and no statistics table")
    body_han = han_count(text) - han_count(title or "")
    if body_han < MIN_BODY_HAN:
        raise StageError("extract", f"no report body: only {body_han} Chinese characters besides the title "
                                    "(truncated page?)")
    agency = (agency_from_title(title) if title else None) or agency_from_text(doc)
    if not agency:
        raise StageError("extract", "no agency: neither the title nor the page names the reporting agency")
    published_guess = find_published(doc, None)
    year = find_year(title, doc, published_guess)
    if not year:
        raise StageError("extract", "no year: neither the title nor the statistics period names the year covered")
    published = find_published(doc, year)
    province, city, county = region_of(agency)
    if not province:
        for key in ("发布机构", "来源"):
            if doc.page_meta.get(key):
                province, city, county = region_of(squash(doc.page_meta[key]))
                if province:
                    break
    return ReportMeta(
        agency=agency,
        year=year,
        title=title or f"{agency}{year}年政府信息公开工作年度报告",
        published=published,
        province=province,
        city=city,
        county=county,
        template=template,
    )
