"""HTML parsing: body among site chrome, block order, table grids with rowspan/colspan."""
import re

from conftest import read_fixture
from xxgk.parsers.document import RawDoc
from xxgk.parsers.html import han_count, load_html, parse_html, table_grid, text_content
from xxgk.parsers.parse import parse
import lxml.html

CHROME = """<html><head><title>某某局2022年政府信息公开工作年度报告_某某市人民政府</title></head><body>
<div class="nav"><a href="/">首页</a><a href="/a">政务公开</a><a href="/b">政府信息公开年报</a><a href="/c">互动交流</a></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/x">政府信息公开年报</a></div>
<div class="main"><div class="share"><a href="#">微信</a><a href="#">微博</a></div>
<div class="content">
<p>某某局2022年政府信息公开工作年度报告</p>
<p>本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止。</p>
<h3>一、总体情况</h3>
<p><span>20</span><span>22</span><span>年，我局主动公开政府信息</span><span>120</span><span>条。</span></p>
<table border="1"><tr><td rowspan="2">信息内容</td><td colspan="2">申请人情况</td></tr>
<tr><td>自<span>然</span>人</td><td>法人或<br/>其他组织</td></tr>
<tr><td>一、本年新收</td><td>5</td><td>2</td></tr></table>
<p>二、主动公开政府信息情况</p>
</div></div>
<div class="footer">主办单位：某某市人民政府办公室 地址：某某路1号 电话：0000-1234567 备案号：京ICP备00000000号</div>
</body></html>"""


def test_body_found_among_navigation_share_bar_and_footer():
    title, blocks, _, _ = parse_html(CHROME)
    texts = [b.text for b in blocks]
    assert title.startswith("某某局2022年政府信息公开工作年度报告")
    assert texts[0] == "某某局2022年政府信息公开工作年度报告"
    assert "2022年，我局主动公开政府信息120条。" in texts  # inline spans joined without separators
    assert not any("首页" in t or "微信" in t or "备案号" in t for t in texts)


def test_blocks_keep_document_order_and_kinds():
    _, blocks, _, _ = parse_html(CHROME)
    kinds = [(b.kind, b.text[:6]) for b in blocks]
    assert kinds.index(("heading", "一、总体情况")) < [k for k, _ in kinds].index("table")
    assert blocks[-1].text == "二、主动公开政府信息情况"
    assert [b.offset for b in blocks] == list(range(len(blocks)))


def test_rowspan_colspan_grid_and_cell_text_across_spans_and_br():
    _, blocks, _, _ = parse_html(CHROME)
    table = next(b for b in blocks if b.kind == "table")
    assert table.rows == [
        ["信息内容", "申请人情况", "申请人情况"],
        ["信息内容", "自然人", "法人或其他组织"],
        ["一、本年新收", "5", "2"],
    ]
    assert table.is_span_copy(1, 0) and table.is_span_copy(0, 2)
    assert not table.is_span_copy(2, 1)


def test_ragged_rows_and_overlapping_spans_give_a_rectangle():
    tree = lxml.html.fragment_fromstring("<table><tr><td rowspan=3>a</td><td colspan=3>b</td></tr>"
                                         "<tr><td>c</td></tr><tr><td>d</td><td rowspan=x>e</td></tr></table>")
    rows, origins = table_grid(tree)
    assert rows == [["a", "b", "b", "b"], ["a", "c", "", ""], ["a", "d", "e", ""]]
    assert origins[1][0] == (0, 0)


def test_layout_table_is_walked_not_gridded():
    html = ("<table><tr><td>" + "<p>" + "政府信息公开" * 60 + "</p>"
            "<table><tr><td>规章</td><td>0</td></tr></table></td></tr></table>")
    _, blocks, _, _ = parse_html(html)
    assert [b.kind for b in blocks] == ["paragraph", "table"]
    assert blocks[1].rows == [["规章", "0"]]


def test_real_page_body_and_tables():
    doc = parse(RawDoc(read_fixture("020_shuyang-fgj_2023.html"), "020.html", "html"))
    assert doc.blocks[0].text.startswith("根据《中华人民共和国政府信息公开条例》")
    assert len(doc.tables) >= 3
    assert ["规范性文件", "8", "0", "18"] in doc.tables[0].rows
    assert doc.page_meta["发布时间"] == "2024-01-17"


def test_han_count_counts_only_the_cjk_unified_block():
    text = "\u4dff\u4e00年报\u9fff\ua000 abc，。\U00020000😀N\x9f"
    assert han_count(text) == len(re.findall(r"[\u4e00-\u9fff]", text)) == 4
    assert han_count("") == 0


def test_comments_and_scripts_dropped_with_their_tails_kept():
    root = load_html("<body><p>政府<!-- x -->信息<script>var a;</script>公开</p><p><!-- y -->年度报告</p></body>")
    assert [p.text for p in root.iter("p")] == ["政府信息公开", "年度报告"]
    assert text_content(root) == "政府信息公开年度报告"


def test_cell_lines_separate_latin_words_only():
    tree = lxml.html.fragment_fromstring("<table><tr><td>ABC<p>123</p></td><td><p>政府</p><br>信息"
                                         "<div>公开</div></td><td>a <span>b</span></td></tr></table>")
    assert table_grid(tree)[0] == [["ABC 123", "政府信息公开", "a b"]]


def test_page_meta_from_meta_tags_headings_title_elements_and_labels():
    html = ("<html><body><meta name='Author' content='某某局'><div class='art-Title'>某某局2022年年报</div>"
            "<h2>一、总体情况</h2><span id='subtitle'>副题</span><div>来源：某某市人民政府</div>"
            "<div><p>发布日期：2023年2月1日</p>" + "<p>本机关主动公开政府信息。</p>" * 5 + "</div></body></html>")
    doc = parse(RawDoc(html.encode(), "x.html", "html"))
    assert doc.page_meta == {"发布机构": "某某局", "页面标题": "一、总体情况\n某某局2022年年报\n副题",
                             "发布时间": "2023年2月1"}


def test_page_meta_from_meta_tags_in_the_head():
    """Portal pages put their publication date and source in <head> (PubDate, ContentSource)."""
    html = ("<html><head><title>年报</title><meta name='PubDate' content='2021-01-22 10:13'>"
            "<meta name='ContentSource' content='衡山县城市管理和综合执法局'></head><body><div>"
            + "<p>本机关主动公开政府信息。</p>" * 5 + "</div></body></html>")
    doc = parse(RawDoc(html.encode(), "x.html", "html"))
    assert doc.page_meta["发布时间"] == "2021-01-22 10:13"
    assert doc.page_meta["来源"] == "衡山县城市管理和综合执法局"
    assert "年报" not in "".join(b.text for b in doc.blocks)  # the head itself stays out of the body
