"""Make the generated PDF and .docx fixtures from real report texts (run once; CI uses the committed files).

    apt-get install fonts-wqy-microhei; .venv/bin/pip install -e '.[fixtures]'
    .venv/bin/python tests/make_doc_fixtures.py

Each fixture prints a real sample's prose and its statistics tables (the cells of its hand-written gold in
tests/gold/cells, laid out as the national template or the legacy appendix prints them, merged cells
included) and gets a gold file of its own under tests/gold/cells. Where the sample's gold leaves a cell
null (a run the flattened text cannot split), the value printed is given in SPLITS below.

- 002_pingtan_2019_gen.pdf   2019 format; table 三 crosses a page break inside a group label, its header
                             repeated on the next page (as Word's "repeat header rows")
- 008_pingtan_2018_gen.pdf   legacy report with its appendix statistics table
- 005_pingtan_2023_gen.docx  2021 format as a Word document, merged cells
- 034_hongze_2023_scan.pdf   the real PDF's first page as an image only (a scan: no text layer)
"""
from __future__ import annotations

import json
import re
from pathlib import Path

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
GOLD = HERE / "gold" / "cells"
FONT = "WenQuanYi"  # embedded (as agencies' PDFs embed theirs): Debian's fonts-wqy-microhei
FONT_FILE = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

# 002's table 二 runs as printed ("3960181"): the split used for the generated PDF (one reading)
SPLITS = {
    ("第二十条第（一）项/规范性文件", "本年新制作数量"): 89, ("第二十条第（一）项/规范性文件", "本年新公开数量"): 89,
    ("第二十条第（一）项/规范性文件", "对外公开总数量"): 89,
    ("第二十条第（五）项/行政许可", "上一年项目数量"): 396, ("第二十条第（五）项/行政许可", "本年增/减"): 0,
    ("第二十条第（五）项/行政许可", "处理决定数量"): 181,
    ("第二十条第（五）项/其他对外管理服务事项", "上一年项目数量"): 10,
    ("第二十条第（五）项/其他对外管理服务事项", "本年增/减"): 0,
    ("第二十条第（五）项/其他对外管理服务事项", "处理决定数量"): 153,
    ("第二十条第（六）项/行政处罚", "上一年项目数量"): 2648, ("第二十条第（六）项/行政处罚", "本年增/减"): 0,
    ("第二十条第（六）项/行政处罚", "处理决定数量"): 430,
    ("第二十条第（六）项/行政强制", "上一年项目数量"): 126, ("第二十条第（六）项/行政强制", "本年增/减"): 0,
    ("第二十条第（六）项/行政强制", "处理决定数量"): 25,
    ("第二十条第（八）项/行政事业性收费", "上一年项目数量"): 35, ("第二十条第（八）项/行政事业性收费", "本年增/减"): 0,
    ("第二十条第（九）项/政府集中采购", "采购项目数量"): 135,
    ("第二十条第（九）项/政府集中采购", "采购总金额"): 75394432.52,
    # 005's "行政规范性文件77132470"
    ("第二十条第（一）项/行政规范性文件", "本年制发件数"): 77, ("第二十条第（一）项/行政规范性文件", "本年废止件数"): 13,
    ("第二十条第（一）项/行政规范性文件", "现行有效件数"): 2470,
}
LEGACY_UNITS = {"接受行政诉讼、举报数": "件", "行政复议数": "件", "行政诉讼数": "件"}


def body(name: str) -> str:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return text.split("==================== 正文 ====================", 1)[-1].strip()


def paragraphs(text: str) -> list[str]:
    """The sample's one-line body cut into paragraphs before its section and item numbers."""
    text = re.sub(r"\s+", "", text)
    parts = re.split(r"(?=[一二三四五六七八九十]、|（[一二三四五六七八九十]）)", text)
    return [p for p in parts if p]


def gold_cells(stem: str) -> list[dict]:
    cells = json.loads((GOLD / f"{stem}.json").read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if cell["value"] is None:
            cell["value"] = SPLITS[(cell["row_key"], cell["column_key"])]
    return cells


def show(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def ordered(items):
    return list(dict.fromkeys(items))


# ---- grids: (rows of texts, spans [(row0, col0, row1, col1)]) ----

def disclosure_grid(cells: list[dict]):
    """Table 二: per 第二十条 item a caption row, a header row and its rows; a single value spans the columns."""
    rows, spans = [], []
    for item in ordered(c["row_key"].split("/")[0] for c in cells if c["table"] == "active_disclosure"):
        mine = [c for c in cells if c["table"] == "active_disclosure" and c["row_key"].startswith(item + "/")]
        columns = ordered(c["column_key"] for c in mine)
        spans.append((len(rows), 0, len(rows), 3))
        rows.append([item, "", "", ""])
        header = ["信息内容"] + columns + [""] * (3 - len(columns))
        if len(columns) < 3:
            spans.append((len(rows), len(columns), len(rows), 3))
        rows.append(header)
        for label in ordered(c["row_key"] for c in mine):
            values = [show(c["value"]) for c in mine if c["row_key"] == label]
            if len(values) < 3:
                spans.append((len(rows), len(values), len(rows), 3))
            rows.append([label.split("/")[1]] + values + [""] * (3 - len(values)))
    return rows, spans


def applications_grid(cells: list[dict]):
    """Table 三: header rows (申请人情况 / 法人或其他组织 / its kinds), three label columns."""
    mine = [c for c in cells if c["table"] == "applications"]
    columns = ordered(c["column_key"] for c in mine)
    rows = [["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "", "", "申请人情况"] + [""] * 6,
            ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
            ["", "", "", ""] + [c.split("/")[1] for c in columns[1:6]] + [""]]
    spans = [(0, 0, 2, 2), (0, 3, 0, 9), (1, 3, 2, 3), (1, 4, 1, 8), (1, 9, 2, 9)]
    labels = ordered(c["row_key"] for c in mine)
    start = len(rows)
    for label in labels:
        parts = label.split("/")
        values = [show(c["value"]) for c in mine if c["row_key"] == label]
        rows.append((parts + [""] * 3)[:3] + values)
        if len(parts) == 1:
            spans.append((len(rows) - 1, 0, len(rows) - 1, 2))
        elif len(parts) == 2:
            spans.append((len(rows) - 1, 1, len(rows) - 1, 2))
    _group_spans(rows, spans, start, 0)
    _group_spans(rows, spans, start, 1)
    return rows, spans


def _group_spans(rows, spans, start: int, col: int) -> None:
    """Merge runs of the same group label down column `col`, printing the label once."""
    r = start
    while r < len(rows):
        end = r
        while end + 1 < len(rows) and rows[r][col] and rows[end + 1][col] == rows[r][col]:
            end += 1
        if end > r:
            spans.append((r, col, end, col))
            for k in range(r + 1, end + 1):
                rows[k][col] = ""
        r = end + 1


def review_grid(cells: list[dict]):
    mine = [c for c in cells if c["table"] == "review_litigation"]
    rows = [["行政复议"] + [""] * 4 + ["行政诉讼"] + [""] * 9,
            [""] * 5 + ["未经复议直接起诉"] + [""] * 4 + ["复议后起诉"] + [""] * 4,
            [c["column_key"].split("/")[-1] for c in mine],
            [show(c["value"]) for c in mine]]
    rows[1][:5] = rows[2][:5]
    spans = [(0, 0, 0, 4), (0, 5, 0, 14), (1, 5, 1, 9), (1, 10, 1, 14)] + [(1, c, 2, c) for c in range(5)]
    rows[2][:5] = [""] * 5
    return rows, spans


def legacy_grid(cells: list[dict], year_column: str):
    rows = [["指标名称", "计量单位", year_column, "历年累计"]]
    for label in ordered(c["row_key"] for c in cells):
        values = [show(c["value"]) for c in cells if c["row_key"] == label]
        rows.append([label.split("/")[-1], LEGACY_UNITS.get(label, "条")] + values)
    return rows, []


# ---- PDF with reportlab ----

def pdf_story(title_lines: list[str], sections: list, styles):
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    story = [Paragraph(line, styles["title"]) for line in title_lines] + [Spacer(1, 12)]
    for kind, content in sections:
        if kind == "p":
            story.append(Paragraph(content, styles["body"]))
            continue
        rows, spans, repeat, widths = content
        cell_style = styles["cell"]
        data = [[Paragraph(text, cell_style) for text in row] for row in rows]
        table = Table(data, colWidths=widths, repeatRows=repeat)
        commands = [("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("FONTNAME", (0, 0), (-1, -1), FONT),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        commands += [("SPAN", (c0, r0), (c1, r1)) for r0, c0, r1, c1 in spans]
        table.setStyle(TableStyle(commands))
        story.append(table)
        story.append(Spacer(1, 8))
    return story


def make_pdf(path: Path, title_lines: list[str], sections: list) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import SimpleDocTemplate

    pdfmetrics.registerFont(TTFont(FONT, FONT_FILE, subfontIndex=0))
    styles = {
        "title": ParagraphStyle("title", fontName=FONT, fontSize=16, leading=24, alignment=1),
        "body": ParagraphStyle("body", fontName=FONT, fontSize=11, leading=18, firstLineIndent=22,
                               wordWrap="CJK", alignment=4),  # justified, as Word and WPS print reports
        "cell": ParagraphStyle("cell", fontName=FONT, fontSize=8, leading=10, wordWrap="CJK"),
    }

    def footer(canvas, document):
        canvas.setFont(FONT, 9)
        canvas.drawCentredString(A4[0] / 2, 30, f"- {document.page} -")

    document = SimpleDocTemplate(str(path), pagesize=A4, title="", author="")
    document.build(pdf_story(title_lines, sections, styles), onFirstPage=footer, onLaterPages=footer)


def national_2019_pdf() -> None:
    text = body("002_pingtan_2019.txt")
    cells = gold_cells("002_pingtan_2019")
    head, rest = text.split("二、主动公开政府信息情况", 1)
    tail = rest[rest.index("五、"):]
    title = head.split(" ", 1)[0]
    intro = paragraphs(head[len(title):])
    wide = [60, 60, 70] + [38] * 7
    sections = [("p", p) for p in intro] + [("p", "二、主动公开政府信息情况")]
    sections.append(("t", (*disclosure_grid(cells), 0, [150, 100, 100, 100])))
    sections.append(("p", "三、收到和处理政府信息公开申请情况"))
    sections.append(("t", (*applications_grid(cells), 3, wide)))
    sections.append(("p", "四、政府信息公开行政复议、行政诉讼情况"))
    sections.append(("t", (*review_grid(cells), 0, [30] * 15)))
    sections += [("p", p) for p in paragraphs(tail)]
    split = title.index("2019")
    make_pdf(FIXTURES / "002_pingtan_2019_gen.pdf", [title[:split], title[split:]], sections)
    write_gold("002_pingtan_2019_gen.pdf", cells)


def legacy_pdf() -> None:
    text = body("008_pingtan_2018.txt")
    cells = gold_cells("008_pingtan_2018")
    prose, _ = text.split("六、政府信息公开情况统计表", 1)
    title = prose.split(" ", 1)[0]
    sections = [("p", p) for p in paragraphs(prose[len(title):])]
    sections += [("p", "六、政府信息公开情况统计表"), ("t", (*legacy_grid(cells, "2018年度"), 1, [200, 60, 80, 80]))]
    make_pdf(FIXTURES / "008_pingtan_2018_gen.pdf", [title], sections)
    write_gold("008_pingtan_2018_gen.pdf", cells)


def national_docx() -> None:
    import docx

    text = body("005_pingtan_2023.txt")
    cells = gold_cells("005_pingtan_2023")
    head, rest = text.split("二、主动公开政府信息情况", 1)
    tail = rest[rest.index("五、"):]
    document = docx.Document()
    header = (FIXTURES / "005_pingtan_2023.txt").read_text(encoding="utf-8").splitlines()[0]
    document.add_heading(header.split(":", 1)[1].strip(), level=1)  # the page title, from the crawler's header
    for p in paragraphs(head):
        document.add_paragraph(p)
    for heading, (rows, spans) in (("二、主动公开政府信息情况", disclosure_grid(cells)),
                                   ("三、收到和处理政府信息公开申请情况", applications_grid(cells)),
                                   ("四、政府信息公开行政复议、行政诉讼情况", review_grid(cells))):
        document.add_paragraph(heading)
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
        for r0, c0, r1, c1 in spans:
            keep = table.cell(r0, c0).text
            merged = table.cell(r0, c0).merge(table.cell(r1, c1))
            merged.text = keep
    for p in paragraphs(tail):
        document.add_paragraph(p)
    document.save(FIXTURES / "005_pingtan_2023_gen.docx")
    write_gold("005_pingtan_2023_gen.docx", cells)


def write_gold(fixture: str, cells: list[dict]) -> None:
    stem = fixture.rsplit(".", 1)[0]
    gold = {"fixture": fixture, "cells": cells}
    (GOLD / f"{stem}.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def scanned_pdf() -> None:
    """The real PDF's first page rendered to a grey JPEG and put on a page alone, as a scanner would."""
    import io

    import pypdfium2 as pdfium
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    page = pdfium.PdfDocument(FIXTURES / "034_hongze_2023.pdf")[0]
    image = page.render(scale=0.8, grayscale=True).to_pil()
    jpeg = io.BytesIO()
    image.save(jpeg, "JPEG", quality=40)
    sheet = canvas.Canvas(str(FIXTURES / "034_hongze_2023_scan.pdf"), pagesize=A4)
    sheet.drawImage(ImageReader(io.BytesIO(jpeg.getvalue())), 0, 0, width=A4[0], height=A4[1])
    sheet.save()


if __name__ == "__main__":
    scanned_pdf()
    national_2019_pdf()
    legacy_pdf()
    national_docx()
