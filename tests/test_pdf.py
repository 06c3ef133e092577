"""PDF and Word inputs: the real WPS-exported PDF 034, PDFs and a .docx generated from real report texts
(tests/make_doc_fixtures.py), a scanned PDF, binary office files; every cell is checked by tests/test_gold.py
against the hand-written gold, these tests check the document structure and the pipeline around it."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from xxgk.parsers.document import RawDoc, StageError
from xxgk.parsers.formats import binary_kind
from xxgk.parsers.parse import parse
from xxgk.parsers.pdf_tables import Cell, Table, join_tables, to_grid
from xxgk.pipeline.extract import extract

FIXTURES = Path(__file__).parent / "fixtures"
HONGZE = FIXTURES / "034_hongze_2023.pdf"
GEN_2019 = FIXTURES / "002_pingtan_2019_gen.pdf"
GEN_LEGACY = FIXTURES / "008_pingtan_2018_gen.pdf"
GEN_DOCX = FIXTURES / "005_pingtan_2023_gen.docx"
SCAN = FIXTURES / "034_hongze_2023_scan.pdf"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.fixture(scope="module")
def hongze():
    return parse(RawDoc(HONGZE.read_bytes(), str(HONGZE)))


def tables_with(doc, label: str):
    return [b for b in doc.tables if any(label in cell for row in b.rows for cell in row)]


def test_real_pdf_metadata_and_every_table_row(hongze):
    ex = extract(RawDoc(HONGZE.read_bytes(), str(HONGZE)))
    assert (ex.meta.agency, ex.meta.year, ex.meta.template) == ("洪泽区人民政府", 2023, "gov2021")
    assert len(ex.cells) == 10 + 23 * 7 + 15
    assert all(c.value is not None for c in ex.cells)
    found = {c.check: c for c in ex.checks}
    assert found["applications.rows_found"].passed  # the misprinted row '2.其他法律行政止公开' included
    misprinted = [c for c in ex.cells if c.row_key.endswith("2.其他法律行政法规禁止公开")]
    assert {c.value for c in misprinted} == {0.0}


def test_real_pdf_table_crossing_pages_is_one_grid_with_its_group_labels(hongze):
    [applications] = tables_with(hongze, "本年新收政府信息公开申请数量")
    labels = [row[:3] for row in applications.rows]
    # the vertical label printed one character per line, joined; it spans both pages' rows
    assert sum(row[0] == "三、本年度办理结果" for row in labels) == 20
    # the group label cut by the page break: its row on the next page still under （四）无法提供
    assert ["三、本年度办理结果", "（四）无法提供", "3.补正后申请内容仍不明确"] in labels
    # wrapped header and stray spaces joined
    assert "商业企业" in applications.rows[2]
    assert any("只计这一情形，不计其他情形" in row[1] for row in labels)
    # values centred in merged cells stay in their rows
    row = applications.rows[[r[2] for r in labels].index("2.没有现成信息需要另行制作")]
    assert row[3:] == ["3", "0", "0", "0", "0", "0", "3"]


def test_real_pdf_prose_is_joined_across_lines_and_pages_without_footers(hongze):
    texts = [b.text for b in hongze.blocks if b.kind != "table"]
    assert not any(t.strip(" -") in {"1", "2", "3", "4", "5"} for t in texts)
    assert "2023年，我区在政府网站平台主动公开政府信息1136条。" in "".join(texts)
    # a paragraph running over the break between pages 4 and 5 is one block
    assert any(t.startswith("2023年，洪泽区政府信息公开工作") and t.endswith("业务工作水平。") for t in texts)
    # prose drawn inside rectangles is prose, not one-column tables
    assert len(hongze.tables) == 3
    assert hongze.title == "洪泽区人民政府2023年政府信息公开工作年度报告"


def test_generated_2019_pdf_tables_cross_pages_with_the_header_repeated():
    doc = parse(RawDoc(GEN_2019.read_bytes(), str(GEN_2019)))
    [applications] = tables_with(doc, "本年新收政府信息公开申请数量")
    first_cells = [row[0] for row in applications.rows]
    assert first_cells.count("二、上年结转政府信息公开申请数量") == 1
    assert sum("勾稽关系" in cell for cell in first_cells) == 3  # the repeated header dropped
    [disclosure] = tables_with(doc, "第二十条第（一）项")
    assert any(row[0] == "第二十条第（九）项" for row in disclosure.rows)  # both pages' rows, one table
    ex = extract(RawDoc(GEN_2019.read_bytes(), str(GEN_2019)))
    assert (ex.meta.year, ex.meta.template) == (2019, "gov2019")


def test_generated_legacy_pdf_reads_the_appendix():
    ex = extract(RawDoc(GEN_LEGACY.read_bytes(), str(GEN_LEGACY)))
    assert ex.meta.template == "legacy"
    by_key = {(c.row_key, c.column_key): c.value for c in ex.cells}
    assert by_key[("主动公开文件数", "历年累计")] == 12106


def test_docx_merged_cells_expand_with_their_origins():
    doc = parse(RawDoc(GEN_DOCX.read_bytes(), str(GEN_DOCX)))
    assert doc.encoding == "docx"
    [applications] = tables_with(doc, "本年新收政府信息公开申请数量")
    row = next(r for r, cells in enumerate(applications.rows) if cells[2] == "1.属于国家秘密")
    assert applications.rows[row][0] == "三、本年度办理结果"
    assert applications.is_span_copy(row, 0) and not applications.is_span_copy(row, 2)


def test_scanned_pdf_says_it_has_no_text_layer():
    with pytest.raises(StageError) as error:
        parse(RawDoc(SCAN.read_bytes(), str(SCAN)))
    assert error.value.stage == "parse"
    assert "no text layer" in error.value.message and "OCR" in error.value.message


@pytest.mark.parametrize("data, expected", [
    (OLE_MAGIC + bytes(504), "soffice --headless --convert-to docx"),
    (b"{\\rtf1\\ansi 2023\\par}", "soffice --headless --convert-to docx"),
    (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "unreadable PDF"),
])
def test_unsupported_or_broken_binaries_fail_with_a_clear_message(data, expected):
    with pytest.raises(StageError) as error:
        parse(RawDoc(data, "x.doc"))
    assert expected in error.value.message


def test_binary_kind_is_told_from_bytes_not_names():
    assert binary_kind(HONGZE.read_bytes()) == "pdf"
    assert binary_kind(GEN_DOCX.read_bytes()) == "docx"
    assert binary_kind("<html><body>平潭</body></html>".encode()) is None
    assert binary_kind("平潭综合实验区".encode("gbk")) is None


def test_page_break_joins_a_split_group_label_but_not_a_new_item():
    upper = Table([0, 10, 20, 30], [0, 10, 20], [
        Cell(0, 2, 0, 1, text="（四）无"), Cell(0, 1, 1, 2, text="1.甲"), Cell(0, 1, 2, 3, text="1"),
        Cell(1, 2, 1, 2, text="2.乙"), Cell(1, 2, 2, 3, text="2")])
    lower = Table([0, 10, 20, 30], [0, 10, 20], [
        Cell(0, 2, 0, 1, text="法提供"), Cell(0, 1, 1, 2, text="3.丙"), Cell(0, 1, 2, 3, text="3"),
        Cell(1, 2, 1, 2, text="4.丁"), Cell(1, 2, 2, 3, text="4")])
    rows, origins = to_grid(join_tables(upper, lower))
    assert [row[0] for row in rows] == ["（四）无法提供"] * 4
    assert [row[2] for row in rows] == ["1", "2", "3", "4"]
    assert origins[3][0] == (0, 0)
    lower.cells[0].text = "（五）不予处理"
    rows, _ = to_grid(join_tables(upper, lower))
    assert [row[0] for row in rows] == ["（四）无"] * 2 + ["（五）不予处理"] * 2


def test_extract_api_and_directory_batch_pick_up_pdf_docx_and_report_doc(tmp_path):
    import pandas as pd

    import xxgk
    from xxgk.pipeline.run import run_extract

    report = xxgk.extract(str(HONGZE))
    assert (report.agency, report.year) == ("洪泽区人民政府", 2023)
    inputs = tmp_path / "in"
    inputs.mkdir()
    for path in (HONGZE, GEN_DOCX, SCAN):
        (inputs / path.name).write_bytes(path.read_bytes())
    (inputs / "old.doc").write_bytes(OLE_MAGIC + bytes(504))
    (inputs / "report.wps").write_bytes(OLE_MAGIC + b"\x01" * 504)
    out = tmp_path / "out"
    run_extract([inputs], out, jobs=1)
    reports = pd.read_parquet(out / "reports")
    failures = pd.read_parquet(out / "failures")
    assert sorted(reports.source.map(lambda s: Path(s).name)) == sorted([HONGZE.name, GEN_DOCX.name])
    messages = dict(zip(failures.source.map(lambda s: Path(s).name), failures.message))
    assert set(messages) == {SCAN.name, "old.doc", "report.wps"}
    assert "no text layer" in messages[SCAN.name]
    assert "soffice --headless --convert-to docx" in messages["old.doc"]


def test_warc_pdf_record_becomes_a_report_with_its_url(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from xxgk.pipeline.warc import iter_warc

    url = "http://www.hongze.gov.cn/hzqrmzf/zfxxgkndbg/2023.pdf"
    body = HONGZE.read_bytes()
    path = tmp_path / "a.warc.gz"
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "application/pdf"),
                                              ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                      http_headers=headers))
    [doc] = list(iter_warc(path))
    assert doc.source == url and doc.data == body
    assert extract(doc).meta.agency == "洪泽区人民政府"


def _page(texts_at: list[tuple[str, float]], height: float = 842.0, images: int = 0):
    from xxgk.parsers.pdf_layout import Char, PageLayout

    chars = [Char(ch, 80 + 10 * i, top, 90 + 10 * i, top + 10, top + 9)
             for text, top in texts_at for i, ch in enumerate(text)]
    return PageLayout(595.0, height, chars, images=images)


def test_running_heads_are_dropped_and_prose_runs_on_across_the_page():
    from xxgk.parsers import pdf

    body = "本报告由淮安市洪泽区人民政府办公室根据条例要求编制此报告报告中所列数据统计期限自"
    pages = [_page([("洪泽区人民政府办公室文件", 40), (body, 400), (body, 800)]),
             _page([("洪泽区人民政府办公室文件", 40), ("起至年底止。", 100), ("第2页", 820)])]
    items = [item for number, page in enumerate(pages) for item in pdf._page_items(number, page)]
    blocks = pdf._blocks(pdf._join_page_tables(pdf._without_running_lines(items)))
    assert [b.text for b in blocks] == [body + body + "起至年底止。"]


@pytest.mark.parametrize("pages, message", [
    ([_page([("\ue001\ue002\ue003本", 100)] * 3)], "no Unicode mapping"),
    ([_page([("第1页", 820)], images=1)], "no text layer"),
])
def test_text_layers_that_cannot_be_read_are_named(pages, message):
    from xxgk.parsers import pdf

    with pytest.raises(StageError) as error:
        pdf._check_text_layer(pages)
    assert message in error.value.message
