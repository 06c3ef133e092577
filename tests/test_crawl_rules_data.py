"""The crawler reads its words from rules/data/crawl.toml (whose schema tests/rules_schema.py checks, with
every data file's, in tests/test_rules_data.py)."""
import re

from xxgk.rules.data_files import load

DATA = load("crawl")


def test_pager_words_are_compared_as_the_crawler_reads_them():
    assert all(re.fullmatch(r"[\u4e00-\u9fff]+", word) for word in DATA["pager"]["words"])  # Chinese only
    assert all(symbol == symbol.lower() for symbol in DATA["pager"]["symbols"])  # compared lower-cased


def test_the_crawler_reads_its_words_from_the_data_file():
    from xxgk.pipeline.crawl import links

    assert links._DISCLOSURE.pattern == DATA["report"]["disclosure"]
    assert [p.pattern for p in links._REPORT_SECTIONS] == DATA["report"]["sections"]
    assert links._NEXT_PAGE_WORDS == set(DATA["pager"]["words"])
    assert links.names_report("平潭综合实验区2021年政府信息公开工作年度报告")
    assert links.names_report("某縣2021年政府資訊公開年報")  # Traditional
    assert not links.names_report("2021年法治政府建设年度报告")
