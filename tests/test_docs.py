"""docs/: every recipe of RECIPES.md runs against an output of the real reports in tests/fixtures, and
OUTPUT.md names every column and carries the measure vocabulary as rules/data/measures.toml defines it."""
import re
from pathlib import Path

import pytest

from xxgk.pipeline import schema
from xxgk.rules.measures import markdown_table

DOCS = Path(__file__).resolve().parent.parent / "docs"
BLOCK = re.compile(r"```python\n(.*?)```", re.S)
OUT_LINE = 'OUT = "data/out"'
RECIPES = BLOCK.findall((DOCS / "RECIPES.md").read_text(encoding="utf-8"))


def test_recipes_are_there():
    assert len(RECIPES) >= 8 and all(OUT_LINE in block for block in RECIPES)


@pytest.mark.parametrize("index", range(len(RECIPES)))
def test_recipe_runs_and_finds_rows(index, fixtures_out, capsys):
    code = RECIPES[index].replace(OUT_LINE, f"OUT = {str(fixtures_out)!r}")
    namespace: dict = {}
    exec(compile(code, f"RECIPES.md block {index + 1}", "exec"), namespace)
    assert len(namespace["result"]) > 0


def test_output_md_names_every_column():
    text = (DOCS / "OUTPUT.md").read_text(encoding="utf-8")
    for dataset, table_schema in {**schema.PARTITIONED, "failures": schema.FAILURES}.items():
        for name in table_schema.names:
            assert re.search(rf"\b{name}\b", text), (dataset, name)


def test_output_md_carries_the_measure_vocabulary():
    text = (DOCS / "OUTPUT.md").read_text(encoding="utf-8")
    section = text.split("<!-- measures:start -->\n", 1)[1].split("\n<!-- measures:end -->", 1)[0]
    assert section == markdown_table(), ("docs/OUTPUT.md is behind rules/data/measures.toml: regenerate with "
                                         "python -c 'from xxgk.rules.measures import markdown_table; print(markdown_table())'")
