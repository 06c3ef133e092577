"""Every rules data file (rules/data/*.toml) conforms to its schema (tests/rules_schema.py): allowed keys,
types, patterns that compile, no duplicates. A new data file needs a schema before it is used."""
import pytest

from rules_schema import SCHEMAS, problems
from xxgk.rules.data_files import DATA_DIR, load

FILES = sorted(p.stem for p in DATA_DIR.glob("*.toml"))


def test_every_data_file_has_a_schema():
    assert FILES and set(FILES) == set(SCHEMAS), set(FILES) ^ set(SCHEMAS)


@pytest.mark.parametrize("name", FILES)
def test_data_file_conforms_to_its_schema(name):
    found = problems(load(name), SCHEMAS[name], name)
    assert not found, "\n".join(found[:20])


@pytest.mark.parametrize("value, schema, complaint", [
    ({"a": ["x", "x"]}, {"a": ["str"]}, "listed twice"),
    ({"a": "(unclosed"}, {"a": "pattern"}, "does not compile"),
    ({"a": 1, "b": 2}, {"a": "int"}, "unknown key 'b'"),
    ({}, {"a": "int", "b?": "int"}, "missing key 'a'"),
    ({"a": True}, {"a": "int"}, "expected int"),
    ({"a": ""}, {"a": "str"}, "expected str"),
    ({"a": [{"k": "x"}, {"k": "x"}]}, {"a": [{"@unique": "k", "k": "str"}]}, "used twice"),
    ({"a": {"z": [1]}}, {"a": {"*": ["str"]}}, "a.z[0]: expected str"),
    ({"a": ["x"]}, {"a": ("str", "text")}, "expected a list of 2"),
    ({"a": [{"f": 1, "k": "x"}, {"f": 1, "k": "x"}]}, {"a": [{"@unique": "f+k", "f": "int", "k": "str"}]},
     "used twice"),
])
def test_the_checker_finds_each_kind_of_problem(value, schema, complaint):
    found = problems(value, schema, "f")
    assert any(complaint in p for p in found), found


def test_a_conforming_table_has_no_problems():
    assert problems({"a": ["x", "y"], "b": [[1, "r"]], "d": ["x", "x"]},
                    {"a": ["str"], "b": [["int|str"]], "c?": "bool", "d": ("str", "str")}) == []
