"""Generated legacy appendices in every page form, through the whole pipeline (tests/legacy_forms.py).

Each case renders a form (the national 2014–2018 form, a 2008–2013 local form, 008's 本年度/历年累计 form,
a coded 01–35 form) with random values into a page (HTML table, one cell per line, one run of text,
space/tab separated, Markdown pipe table; issue 12: a header split inside its words, values carrying
annotations) and asserts every printed row comes out with its label path,
unit and value. Where a run of digits holds two value columns and nothing tells the split, the value may
be null, but only with an ambiguous_split check for the row; a wrong value is never accepted.
"""
import pytest

from legacy_forms import FORMS, RENDERERS, Outcome, expected, page, run_case

SEEDS = 12


@pytest.mark.parametrize("style", sorted(RENDERERS))
@pytest.mark.parametrize("form", sorted(FORMS))
def test_every_printed_row_comes_out(form, style):
    total = Outcome()
    for seed in range(SEEDS):
        total.add(run_case(form, style, seed))
    wrong = total.wrong
    assert not wrong, f"{len(wrong)} of {total.rows} cells wrong, e.g.:\n" + "\n".join(wrong[:10])
    # one value column, or cells apart: nothing ambiguous (annotated pages may print their values as one run)
    if style not in ("run", "annotated") or form in ("national", "coded"):
        assert total.exact == total.rows


def test_expected_paths_follow_the_form():
    inst, _, _, _ = page("national", "lines", 0)
    keys = {k for k, _ in expected(inst)}
    assert any(k.startswith("三、依申请公开情况/（三）申请答复数/4") and k.endswith("不同意公开答复数/其中：涉及国家秘密")
               for k in keys)
    assert "九、政府信息公开会议和培训情况/（三）接受培训人员数" in keys
