"""Every cell of tables 二/三/四, rendered into each page form real reports come in, through the full pipeline.

tests/national_forms.py renders the national gold tables (and random tables whose identities hold) as
Word-exported HTML, one-cell-per-line text, space/tab-separated rows, Markdown and run-together digits,
surrounded by report prose. In every form no cell may come out wrong, missing or extra; where the form loses
information (blank cells dropped by flattening, digits run together) a cell may be null only with an
ambiguous_split check for its row, and the share of exact cells must stay above the form's floor.
"""
from __future__ import annotations

import pytest

from national_forms import FORMS, Score, datasets, extract_form, extract_rendered, score

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


# ------------------------------------------------------------------------------------------ real-world variants

def _run(tables, render, kind="html"):
    ex = extract_rendered(tables, render, kind)
    return {(c.table, c.row_key, c.column_key): c for c in ex.cells}, ex.checks


def test_table_three_with_only_three_columns_is_read_as_printed():
    from national_forms import gold_tables, html_page, rows_page, short_columns

    tables = short_columns(gold_tables("005_pingtan_2023"))
    for render, kind in ((html_page, "html"), (rows_page, "text")):
        cells, checks = _run(tables, render, kind)
        first = "一、本年新收政府信息公开申请数量"
        assert [cells[("applications", first, c)].value for c in ("自然人", "法人或其他组织", "总计")] == [80, 1, 81]
        assert not any(k[2].startswith("法人或其他组织/") for k in cells)
        assert any(c.check == f"applications.row_total/{first}" and c.passed for c in checks)


def test_a_2020_report_mixing_the_formats_reads_each_table_in_its_own():
    from national_forms import html_page, mixed_tables

    cells, _ = _run(mixed_tables(1), html_page)
    assert ("active_disclosure", "第二十条第（五）项/行政许可", "本年增/减") in cells  # 2019 table 二
    assert any("（六）其他处理/1." in k[1] for k in cells)  # 2021 table 三


def test_a_page_break_with_the_header_repeated_adds_no_rows():
    from national_forms import Options, gold_tables, lines_page

    tables = gold_tables("004_pingtan_2021")
    cells, checks = _run(tables, lambda t: lines_page(t, Options(page_break=20)), "text")  # before 3.其他/（七）总计
    assert {k for k in cells if k[0] == "applications"} == {k for k in tables.cells if k[0] == "applications"}
    assert all(cells[k].value == v for k, (v, _) in tables.cells.items() if k[0] == "applications")
    assert all(c.passed for c in checks if c.check.startswith("applications.") and "ambiguous" not in c.check)


@pytest.mark.parametrize("seed", range(3))
def test_random_combinations_of_layout_options(seed):
    """Layout options interact (an empty trailing column beside table 四 printed as rows, Traditional text with
    half-width brackets …): random combinations, in the lossless forms, must come out exact."""
    import random

    from national_forms import Options, html_page, markdown_page, rows_page

    rng = random.Random(seed)
    problems = []
    for _ in range(8):
        o = Options(label_cols=rng.choice([1, 3]), notes=rng.random() < .5, halfwidth=rng.random() < .5,
                    trailing_col=rng.random() < .5, split_active=rng.random() < .5, captions=rng.random() < .5,
                    page_break=rng.choice([0, 0, 5, 11, 17]), repeat_labels=rng.random() < .5,
                    review_rows=rng.random() < .3, thousands=rng.random() < .5)
        o.review_two_rows = not o.review_rows and rng.random() < .4
        kw = dict(word=rng.random() < .6, br=rng.random() < .5, th=rng.random() < .5, nbsp=rng.random() < .5,
                  traditional=rng.random() < .3)
        render, kind = rng.choice([(lambda t, o=o, kw=kw: html_page(t, o, **kw), "html"),
                                   (lambda t, o=o, kw=kw: markdown_page(t, o, repeat_spans=kw["word"]), "text"),
                                   (lambda t, o=o: rows_page(t, o, sep="\t", keep_blank=True), "text")])
        for tables in rng.sample(DATASETS, 2):
            s = score(tables, extract_rendered(tables, render, kind, tables.name), False)
            problems += [f"{o} {kw} {tables.name}: {p}" for p in (s.wrong + s.missing + s.extra)[:2]]
    assert not problems, "\n".join(problems[:10])


# ------------------------------------------------------------------------------------------ PDF text (issue 12, class 4)

def test_wrapped_labels_are_joined_before_their_values():
    from national_forms import gold_tables, pdf_text

    tables = gold_tables("005_pingtan_2023")
    for values_on in ("first", "middle", "last"):
        cells, checks = _run(tables, lambda t, v=values_on: pdf_text(t, wrap=7, values_on=v), "text")
        assert {k: c.value for k, c in cells.items()} == {k: v for k, (v, _) in tables.cells.items()}, values_on


def test_rejoin_takes_only_pieces_that_go_on_spelling_a_row_label():
    from xxgk.rules.national.wrapped import rejoin_wrapped_labels

    text = "4.无正当理由大量反 0 0 0 0 0 0 0\n复申请\n5.要求行政机关确认\n0 1 0 0 0 0 1\n或重新出具已获取信息\n"
    assert rejoin_wrapped_labels(text).split("\n")[:2] == ["4.无正当理由大量反复申请 0 0 0 0 0 0 0",
                                                          "5.要求行政机关确认或重新出具已获取信息 0 1 0 0 0 0 1"]
    # a caption after a row's values is no piece of its label; prose is never touched
    kept = "行政规范性文件 2 1 35\n第二十条第（五）项\n全年共收到申请 5 件\n办理结果"
    assert rejoin_wrapped_labels(kept) == kept


def test_labels_and_values_laid_out_apart_fill_the_rows_in_order():
    from national_forms import gold_tables, pdf_columns_apart

    for name in ("002_pingtan_2019", "004_pingtan_2021", "005_pingtan_2023", "007_pingtan_2025"):
        tables = gold_tables(name)
        cells, _ = _run(tables, pdf_columns_apart, "text")
        assert {k: c.value for k, c in cells.items()} == {k: v for k, (v, _) in tables.cells.items()}, name


@pytest.mark.parametrize("label, misprint", [
    ("2.其他法律行政法规禁止公开", "2.其他法律行政止公开"),
    ("5.属于三类内部事务信息", "5.属于三娄内部事物信息"),
    ("3.要求提供公开出版物", "3.要求提供公幵出版刊物"),
])
def test_a_misprinted_label_takes_the_closest_row_between_its_neighbours(label, misprint):
    from national_forms import gold_tables, rows_page

    tables = gold_tables("005_pingtan_2023")
    cells, _ = _run(tables, lambda t: rows_page(t).replace(label.encode(), misprint.encode()), "text")
    assert {k: c.value for k, c in cells.items()} == {k: v for k, (v, _) in tables.cells.items()}
