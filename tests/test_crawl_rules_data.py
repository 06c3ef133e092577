"""rules/data/crawl.toml (the crawler's words) is well-formed: known sections and keys, types, patterns that
compile, no duplicates; and the crawler reads its words from there."""
import re

import pytest

from xxgk.rules.data_files import load

DATA = load("crawl")
SCHEMA = {
    "report": {"disclosure": str, "disclosure_loose": str, "disclosure_any": str, "report_word": str, "year": str,
               "truncated": str, "truncated_hint": str, "year_tab": str, "sections": list},
    "pager": {"words": list, "symbols": list, "page_number": str},
}
PATTERNS = [(section, key) for section, keys in SCHEMA.items() for key, kind in keys.items() if kind is str]


def test_sections_and_keys_are_known_and_typed():
    assert set(DATA) == set(SCHEMA)
    for section, keys in SCHEMA.items():
        assert set(DATA[section]) == set(keys), section
        for key, kind in keys.items():
            assert isinstance(DATA[section][key], kind), (section, key)


@pytest.mark.parametrize("section, key", PATTERNS)
def test_patterns_compile(section, key):
    re.compile(DATA[section][key])


def test_lists_compile_and_hold_no_duplicates():
    for section, key in [("report", "sections"), ("pager", "words"), ("pager", "symbols")]:
        items = DATA[section][key]
        assert items and len(items) == len(set(items)), (section, key)
        assert all(isinstance(item, str) and item.strip() for item in items)
    for pattern in DATA["report"]["sections"]:
        re.compile(pattern)
    assert all(re.fullmatch(r"[\u4e00-\u9fff]+", word) for word in DATA["pager"]["words"])  # compared as such
    assert all(symbol == symbol.lower() for symbol in DATA["pager"]["symbols"])  # compared lower-cased


def test_the_crawler_reads_its_words_from_the_data_file():
    from xxgk.pipeline.crawl import links

    assert links._DISCLOSURE.pattern == DATA["report"]["disclosure"]
    assert [p.pattern for p in links._REPORT_SECTIONS] == DATA["report"]["sections"]
    assert links._NEXT_PAGE_WORDS == set(DATA["pager"]["words"])
    assert links.names_report("平潭综合实验区2021年政府信息公开工作年度报告")
    assert links.names_report("某縣2021年政府資訊公開年報")  # Traditional
    assert not links.names_report("2021年法治政府建设年度报告")
