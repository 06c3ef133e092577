"""rules/data/metadata.toml is well-formed: known sections and keys, types, patterns that compile, no
duplicates."""
import re

import pytest

from xxgk.rules.data_files import load

DATA = load("metadata")
SCHEMA = {
    "title": {"report_title": str, "site_suffix": str},
    "agency": {"strip_prefix": list, "unwrap": str, "strip_suffix": list, "name_line": str, "opening": list},
    "year": {"title_year": str, "title_year_cn": str, "period": str, "report_year": str},
    "published": {"page_meta_keys": list, "date": str, "date_cn": str, "labelled": str},
    "page": {"meta_names": dict, "fields": list},
    "region": {"municipalities": list, "not_a_city": list, "zones": dict},
    "template": {"gov2021": list, "gov2019": list, "legacy": list, "report_markers": list},
}
PATTERNS = [("title", "report_title"), ("title", "site_suffix"), ("agency", "unwrap"), ("agency", "name_line"),
            ("year", "title_year"), ("year", "title_year_cn"), ("year", "period"), ("year", "report_year"),
            ("published", "date"), ("published", "date_cn"), ("published", "labelled")]
PATTERN_LISTS = [("agency", "strip_prefix"), ("agency", "strip_suffix"), ("agency", "opening")]


def test_sections_and_keys_are_known_and_typed():
    assert set(DATA) == set(SCHEMA)
    for section, keys in SCHEMA.items():
        assert set(DATA[section]) == set(keys), section
        for key, kind in keys.items():
            assert isinstance(DATA[section][key], kind), (section, key)


@pytest.mark.parametrize("section, key", PATTERNS)
def test_patterns_compile(section, key):
    re.compile(DATA[section][key])


@pytest.mark.parametrize("section, key", PATTERN_LISTS)
def test_pattern_lists_compile_without_duplicates(section, key):
    patterns = DATA[section][key]
    assert len(patterns) == len(set(patterns))
    for pattern in patterns:
        re.compile(pattern)


def test_page_fields_name_a_field_and_capture_its_value():
    keys = [f["key"] for f in DATA["page"]["fields"]]
    assert len(keys) == len(set(keys))
    for field in DATA["page"]["fields"]:
        assert set(field) == {"key", "pattern"}
        assert re.compile(field["pattern"]).groups >= 1
    assert all(name == name.lower() for name in DATA["page"]["meta_names"])  # <meta> names are read lower-cased


def test_word_lists_have_no_duplicates():
    for section, key in [("region", "municipalities"), ("region", "not_a_city"), ("published", "page_meta_keys"),
                         ("template", "gov2021"), ("template", "gov2019"), ("template", "legacy")]:
        words = DATA[section][key]
        assert words and len(words) == len(set(words)), (section, key)
        assert all(isinstance(w, str) and w.strip() for w in words)
    for zone, where in DATA["region"]["zones"].items():
        assert len(where) == 3 and where[0], zone
