"""Every cell of tables 二/三/四, rendered into each page form real reports come in, through the full pipeline.

tests/national_forms.py renders the national gold tables (and random tables whose identities hold) as
Word-exported HTML, one-cell-per-line text, space/tab-separated rows, Markdown and run-together digits,
surrounded by report prose. In every form no cell may come out wrong, missing or extra; where the form loses
information (blank cells dropped by flattening, digits run together) a cell may be null only with an
ambiguous_split check for its row, and the share of exact cells must stay above the form's floor.
"""
from __future__ import annotations

import pytest

from national_forms import FORMS, Score, datasets, extract_form, score

# lowest share of exact cells in a lossy form (blank cells lost, digits run together), over all datasets
FLOOR = 0.92
FLOORS = {"run_together": 0.87, "run_together_stray_spaces": 0.87}

DATASETS = datasets()


@pytest.mark.parametrize("form", list(FORMS))
def test_every_cell_in_every_form(form):
    lossy = FORMS[form][2]
    total = Score()
    problems = []
    for tables in DATASETS:
        s = score(tables, extract_form(tables, form), lossy)
        total.add(s)
        problems += [f"{tables.name}: WRONG {w}" for w in s.wrong[:3]]
        problems += [f"{tables.name}: MISSING {m}" for m in s.missing[:3]]
        problems += [f"{tables.name}: EXTRA {e}" for e in s.extra[:3]]
    assert not problems, "\n".join(problems[:30])
    if lossy:
        assert total.exact / total.cells >= FLOORS.get(form, FLOOR), f"{total.exact}/{total.cells} exact"
    else:
        assert total.exact == total.cells
