"""rules/data/metadata.toml beyond its schema (tests/rules_schema.py): page fields capture a value, look-alike pairs
are single distinct characters, markup patterns leave Chinese text alone."""
import re

from xxgk.rules.data_files import load

DATA = load("metadata")


def test_page_fields_name_a_field_and_capture_its_value():
    keys = [f["key"] for f in DATA["page"]["fields"]]
    assert len(keys) == len(set(keys))
    for field in DATA["page"]["fields"]:
        assert set(field) == {"key", "pattern"}
        assert re.compile(field["pattern"]).groups >= 1
    assert all(name == name.lower() for name in DATA["page"]["meta_names"])  # <meta> names are read lower-cased


def test_lookalikes_are_pairs_of_distinct_characters_listed_once():
    pairs = DATA["agency"]["lookalikes"]
    assert all(len(p) == 2 and all(len(c) == 1 for c in p) and p[0] != p[1] for p in pairs)
    assert len({frozenset(p) for p in pairs}) == len(pairs)
    assert DATA["agency"]["lookalike_min_name"] >= 2


def test_markup_patterns_never_remove_chinese_text():
    pattern = re.compile("|".join(f"(?:{p})" for p in DATA["title"]["markup"]), re.M)
    title = "平潭综合实验区（福州市）2023年政府信息公开工作年度报告_中国·平潭"
    assert pattern.sub("", title) == title
