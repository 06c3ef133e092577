"""rules/data/national.toml is well-formed: keys, labels, identities, keywords."""
import re

from xxgk.rules.data_files import load
from xxgk.rules.national.labels import norm
from xxgk.rules.national.template import FORMATS, template

DATA = load("national")
TEMPLATES_MD_ROWS_2021 = 25  # leaf rows of table 三 in the 2021 format
TEMPLATES_MD_ROWS_2019 = 23


def test_every_row_has_a_key_and_keywords():
    for row in DATA["applications"]["rows"]:
        assert row["key"] and row["keywords"], row
        assert all(k.strip() for k in row["keywords"])
    for block in DATA["active_disclosure"]["blocks"]:
        assert block["caption"] and block["columns"] and block["rows"]
        assert block["format"] in FORMATS
        for row in block["rows"]:
            assert row["label"] and row["keywords"]
        for col in block["columns"]:
            assert col["key"] and col.get("kind", "count") in ("count", "delta", "amount")


def test_no_duplicate_keys_per_format():
    for fmt in FORMATS:
        for table in ("active_disclosure", "applications", "review_litigation"):
            keys = [r.key for r in template(table, fmt).rows]
            assert len(keys) == len(set(keys)), (table, fmt)
            cols = [c.key for r in template(table, fmt).leaves() for c in r.columns]
            for r in template(table, fmt).leaves():
                assert len({c.key for c in r.columns}) == len(r.columns)
            assert cols


def test_row_counts_match_the_official_format():
    assert len(template("applications", "gov2021").leaves()) == TEMPLATES_MD_ROWS_2021
    assert len(template("applications", "gov2019").leaves()) == TEMPLATES_MD_ROWS_2019
    assert [c.key for c in template("review_litigation", "gov2021").rows[0].columns][:5] == [
        "行政复议/结果维持", "行政复议/结果纠正", "行政复议/其他结果", "行政复议/尚未审结", "行政复议/总计"]
    assert len(template("review_litigation", "gov2019").rows[0].columns) == 15
    assert len(template("active_disclosure", "gov2021").rows) == 6
    assert len(template("active_disclosure", "gov2019").rows) == 8


def test_keys_use_official_full_width_labels():
    for fmt in FORMATS:
        for row in template("applications", fmt).rows:
            assert "(" not in row.key and ")" not in row.key, row.key
            assert not re.search(r"\s", row.key)
            parent = row.key.rsplit("/", 1)[0]
            if "/" in row.key:
                assert parent in {r.key for r in template("applications", fmt).rows}, row.key
        for row in template("active_disclosure", fmt).rows:
            assert re.match(r"^第二十条第（[一二三四五六七八九]）项/", row.key), row.key


def test_identities_reference_existing_rows_with_cells():
    for fmt in FORMATS:
        tpl = template("applications", fmt)
        leaves = {r.key for r in tpl.leaves()}
        assert {i.name for i in tpl.identities} == {"column_identity", "result_total"}
        for ident in tpl.identities:
            assert ident.coefs and set(ident.coefs) <= leaves, (fmt, set(ident.coefs) - leaves)
            assert sum(1 for c in ident.coefs.values() if c > 0) >= 1
        result = next(i for i in tpl.identities if i.name == "result_total")
        # every result row but the total is a part
        parts = [k for k in leaves if k.startswith("三、本年度办理结果/") and not k.endswith("（七）总计")]
        assert sorted(k for k, c in result.coefs.items() if c < 0) == sorted(parts)


def test_keywords_are_written_normalised_and_not_shared_between_rows():
    for fmt in FORMATS:
        seen = {}
        for row in template("applications", fmt).rows:
            for kw in row.keywords:
                assert kw == norm(kw)
                assert seen.setdefault(kw, row.key) == row.key, (kw, row.key, seen[kw])


def test_fold_is_one_to_one_characters():
    for src, dst in DATA["normalize"]["fold"].items():
        assert len(src) == 1 and len(dst) == 1


def test_dashes_and_units():
    assert "—" in DATA["values"]["dashes"] and "-" in DATA["values"]["dashes"]
    assert len(DATA["values"]["dashes"]) == len(set(DATA["values"]["dashes"]))
    assert not any(ch.isdigit() for d in DATA["values"]["dashes"] for ch in d)
    assert "万元" in DATA["values"]["units"] and "元" in DATA["values"]["units"]
