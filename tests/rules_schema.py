"""The schema of every rules data file (rules/data/*.toml), and the generic checker the tests run.

A schema is plain data:
  "str" / "int" / "bool"     a value of that type ("str": non-empty unless written "str?" … see below)
  "pattern"                  a string that compiles as a regular expression
  "text"                     a string, possibly empty
  "int|str"                  either
  [spec]                     a list of values of spec; scalars must not repeat (no duplicates)
  (spec, spec, …)            a list of exactly these positions (a record: repeats allowed)
  {"key": spec, …}           a table with exactly these keys (a key ending in "?" is optional)
  {"*": spec}                a table with any keys, every value of spec
  {"@unique": "key", …}      in a list of tables: that key's value (or keys' values, "a+b") is unique
"""
from __future__ import annotations

import re

WORDS = ["str"]
PATTERNS = ["pattern"]

SCHEMAS: dict[str, dict] = {
    "legacy": {
        "appendix": {"markers": PATTERNS, "row_words": WORDS, "footer": "pattern"},
        "header": {"label": WORDS, "unit": WORDS, "code": WORDS, "remark": WORDS, "value": "pattern"},
        "units": {"list": WORDS},
        "sum_checks": {"parents": WORDS},
    },
    "crosschecks": {
        "pair": [{"@unique": "name", "name": "str", "prose": PATTERNS, "units": WORDS, "legacy?": PATTERNS,
                  "national?": [["str"]], "section?": "pattern"}],
    },
    "figures": {
        "units": {"list": WORDS, "not_followed_by": WORDS, "drop_units": WORDS},
        "numbers": {"chinese": "pattern", "skip_chinese_values": ["int"], "approx_before": WORDS,
                    "approx_after": WORDS, "approx_round": "pattern"},
        "stop": {"first": "str", "spans": PATTERNS},
        "metric": {"fillers": WORDS, "right_trim": WORDS, "stops": WORDS, "subjects": WORDS,
                   "generic_verbs": WORDS, "keep_verbs": WORDS, "object_verbs": WORDS, "elliptic_verbs": WORDS,
                   "count_suffix_after": WORDS, "modifiers": WORDS, "after_stops": WORDS, "max_chars": "int",
                   "strip_tail": WORDS},
        "breakdown": {"trigger": "pattern", "max_category": "int", "strip_lead": WORDS, "strip_trail": WORDS,
                      "strip_lead_verbs": WORDS, "strip_lead_verbs_min_rest": "int", "list_heads": WORDS},
    },
    "metadata": {
        "title": {"report_title": "pattern", "site_suffix": "pattern"},
        "agency": {"strip_prefix": PATTERNS, "unwrap": "pattern", "strip_suffix": PATTERNS, "name_line": "pattern",
                   "opening": PATTERNS},
        "year": {"title_year": "pattern", "title_year_cn": "pattern", "period": "pattern", "report_year": "pattern"},
        "published": {"page_meta_keys": WORDS, "date": "pattern", "date_cn": "pattern", "labelled": "pattern"},
        "region": {"zones": {"*": ("str", "text", "text")}},  # province, city, county
        "template": {"*": WORDS},
    },
    "national": {
        "normalize": {"fold": {"*": "str"}},
        "values": {"dashes": WORDS, "units": WORDS},
        "anchors": {"active_disclosure_start": WORDS, "active_disclosure_caption": WORDS,
                    "applications_caption": WORDS, "applications_first_row": "str",
                    "applications_second_row": "str", "after_active_disclosure": WORDS,
                    "review_litigation_caption": WORDS, "after_review_litigation": WORDS, "max_region": "int"},
        "active_disclosure": {
            "blocks": [{"@unique": "format+caption", "format": "str", "caption": "str",
                        "columns": [{"@unique": "key", "key": "str", "keywords": WORDS, "unit?": "str",
                                     "kind?": "str"}],
                        "rows": [{"@unique": "label", "label": "str", "keywords": WORDS}]}],
            "format_markers": {"*": WORDS},
        },
        "applications": {
            "unit": "str",
            "columns": [{"@unique": "key", "key": "str", "keywords": WORDS}],
            "total_column": "str",
            "short_columns": [{"@unique": "key", "key": "str", "keywords": WORDS}],
            "short_column_marker": "str",
            "sub_column_markers": WORDS,
            "format_markers": {"*": WORDS},
            "rows": [{"key": "str", "keywords": WORDS, "numbering?": "str", "group?": "bool", "formats?": WORDS,
                      "cell?": WORDS}],
            "identities": [{"@unique": "name", "name": "str", "description": "str", "terms?": [["int|str"]],
                            "total?": "str", "parts_prefix?": "str"}],
        },
        "review_litigation": {
            "unit": "str", "row_key": "str",
            "blocks": [{"@unique": "key", "key": "str", "keywords": WORDS}],
            "results": [{"@unique": "key", "key": "str", "keywords": WORDS}],
            "header_words": WORDS,
        },
    },
}

_SCALARS = {
    "str": lambda v: isinstance(v, str) and v != "",
    "text": lambda v: isinstance(v, str),
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool),
}


def problems(value, schema, path: str = "") -> list[str]:
    """Every way `value` breaks `schema` (empty: it conforms), each naming where."""
    if isinstance(schema, dict):
        return _table_problems(value, schema, path)
    if isinstance(schema, list):
        return _list_problems(value, schema[0], path)
    if isinstance(schema, tuple):
        if not isinstance(value, list) or len(value) != len(schema):
            return [f"{path}: expected a list of {len(schema)}, got {value!r}"]
        return [p for n, (v, s) in enumerate(zip(value, schema)) for p in problems(v, s, f"{path}[{n}]")]
    return _scalar_problems(value, schema, path)


def _scalar_problems(value, schema: str, path: str) -> list[str]:
    if schema == "pattern":
        if not isinstance(value, str) or not value:
            return [f"{path}: a pattern must be a non-empty string, not {value!r}"]
        try:
            re.compile(value)
        except re.error as e:
            return [f"{path}: pattern does not compile ({e}): {value!r}"]
        return []
    if not any(_SCALARS[kind](value) for kind in schema.split("|")):
        return [f"{path}: expected {schema}, got {value!r}"]
    return []


def _list_problems(value, item, path: str) -> list[str]:
    if not isinstance(value, list):
        return [f"{path}: expected a list, got {value!r}"]
    out = [p for n, v in enumerate(value) for p in problems(v, item, f"{path}[{n}]")]
    if isinstance(item, str):
        seen: set = set()
        out += [f"{path}: {v!r} is listed twice" for v in value if v in seen or seen.add(v)]
    elif isinstance(item, dict) and "@unique" in item:
        keys = item["@unique"].split("+")
        seen = set()
        values = [tuple(v.get(k) for k in keys) for v in value if isinstance(v, dict)]
        out += [f"{path}: {'+'.join(keys)} {v!r} is used twice" for v in values if v in seen or seen.add(v)]
    return out


def _table_problems(value, schema: dict, path: str) -> list[str]:
    if not isinstance(value, dict):
        return [f"{path}: expected a table, got {value!r}"]
    if "*" in schema:
        return [p for k, v in value.items() for p in problems(v, schema["*"], f"{path}.{k}")]
    fields = {k.rstrip("?"): (spec, k.endswith("?")) for k, spec in schema.items() if not k.startswith("@")}
    out = [f"{path}: unknown key {k!r}" for k in value if k not in fields]
    out += [f"{path}: missing key {k!r}" for k, (_, optional) in fields.items() if k not in value and not optional]
    for k, (spec, _) in fields.items():
        if k in value:
            out += problems(value[k], spec, f"{path}.{k}")
    return out
