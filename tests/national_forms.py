"""Render national-template tables 二/三/四 into the page forms real reports come in, and score extractions.

A `Tables` holds every cell of one report's three tables (expected value and the text printed for it),
taken from the national gold files (cells the source leaves ambiguous filled with plausible numbers) or
synthesised at random so that the identities of TEMPLATES.md hold. `page()` lays the tables out as an
abstract page (paragraphs of real report prose, tables of cells with rowspan/colspan, like a Word-exported
page); the renderers turn that page into the bytes a crawler archive holds:

  html_page        HTML as government sites print it (options: Word <p><span> markup splitting labels, <br> in
                   headers, <th>, &nbsp;, an empty trailing column, half-width brackets and straight quotes,
                   local notes appended to labels, Traditional characters, table 二 split per block, …)
  lines_page       text, one cell per line (get_text with a line separator)
  rows_page        text, one table row per line, cells separated by spaces / tabs (PDF or Word text)
  markdown_page    Markdown pipe tables (HTML→Markdown converters, PDF→Markdown tools)
  run_together     every cell run together without a separator (a crawler's get_text(""))

`score()` compares an extraction with the tables: a cell is exact, ambiguous (null while the extractor
reports an ambiguous_split check for its row: allowed only where the form is lossy), wrong, or missing.
Run as a script to print the numbers per form:  python tests/national_forms.py
"""
from __future__ import annotations

import html as htmllib
import json
import math
import random
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

GOLD = Path(__file__).resolve().parent / "gold" / "cells"

# ------------------------------------------------------------------------------------------------ layout
R3 = "三、本年度办理结果"
APPLICANTS = ["自然人", "法人或其他组织/商业企业", "法人或其他组织/科研机构", "法人或其他组织/社会公益组织",
              "法人或其他组织/法律服务机构", "法人或其他组织/其他", "总计"]
NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
WITHHELD = ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
            "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项"]
UNABLE = ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"]
NOT_HANDLED = ["1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
               "5.要求行政机关确认或重新出具已获取信息"]
OTHER_2021 = ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
              "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"]
RESULTS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
REVIEW_BLOCKS = ["行政复议", "行政诉讼/未经复议直接起诉", "行政诉讼/复议后起诉"]
SHORT_APPLICANTS = ["自然人", "法人或其他组织", "总计"]  # old local variant of table 三


def application_rows(fmt: str) -> list[tuple[str, ...]]:
    """Table 三's data rows as label paths (top-level label, group, item), in printed order."""
    rows: list[tuple[str, ...]] = [("一、本年新收政府信息公开申请数量",), ("二、上年结转政府信息公开申请数量",),
                                   (R3, "（一）予以公开"), (R3, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")]
    rows += [(R3, "（三）不予公开", x) for x in WITHHELD]
    rows += [(R3, "（四）无法提供", x) for x in UNABLE]
    rows += [(R3, "（五）不予处理", x) for x in NOT_HANDLED]
    rows += [(R3, "（六）其他处理", x) for x in OTHER_2021] if fmt == "gov2021" else [(R3, "（六）其他处理")]
    rows += [(R3, "（七）总计"), ("四、结转下年度继续办理",)]
    return rows


@dataclass
class Block:
    caption: str
    columns: list[tuple[str, str]]  # (column key = printed header, kind: count | delta | amount)
    rows: list[str]


def active_blocks(fmt: str) -> list[Block]:
    if fmt == "gov2021":
        return [Block("第二十条第（一）项", [("本年制发件数", "count"), ("本年废止件数", "count"), ("现行有效件数", "count")],
                      ["规章", "行政规范性文件"]),
                Block("第二十条第（五）项", [("本年处理决定数量", "count")], ["行政许可"]),
                Block("第二十条第（六）项", [("本年处理决定数量", "count")], ["行政处罚", "行政强制"]),
                Block("第二十条第（八）项", [("本年收费金额（单位：万元）", "amount")], ["行政事业性收费"])]
    items = [("上一年项目数量", "count"), ("本年增/减", "delta"), ("处理决定数量", "count")]
    return [Block("第二十条第（一）项", [("本年新制作数量", "count"), ("本年新公开数量", "count"), ("对外公开总数量", "count")],
                  ["规章", "规范性文件"]),
            Block("第二十条第（五）项", items, ["行政许可", "其他对外管理服务事项"]),
            Block("第二十条第（六）项", items, ["行政处罚", "行政强制"]),
            Block("第二十条第（八）项", items[:2], ["行政事业性收费"]),
            Block("第二十条第（九）项", [("采购项目数量", "count"), ("采购总金额", "amount")], ["政府集中采购"])]


# ------------------------------------------------------------------------------------------------ tables


@dataclass
class Tables:
    """Every cell of one report's tables: key (table, row_key, column_key) → (expected value, printed text)."""

    name: str
    fmt: str
    cells: dict[tuple[str, str, str], tuple[float | None, str]] = field(default_factory=dict)
    year: int | None = None

    @property
    def active_fmt(self) -> str:
        return "gov2019" if any(k[2] == "本年新制作数量" for k in self.cells) else "gov2021"

    @property
    def applications_fmt(self) -> str:
        return "gov2021" if any("（六）其他处理/1." in k[1] for k in self.cells) else "gov2019"

    @property
    def applicant_columns(self) -> list[str]:
        return APPLICANTS if any(k[2] == APPLICANTS[1] for k in self.cells) else SHORT_APPLICANTS

    def value(self, key) -> float | None:
        return self.cells[key][0]

    def raw(self, key) -> str:
        return self.cells[key][1]


def _count_raw(value: float | None, blank: str = "") -> str:
    return blank if value is None else str(int(value))


def gold_tables(stem: str, seed: int = 0) -> Tables:
    """A national gold file as Tables. Cells the source leaves null because its run is ambiguous (table 二 of
    the run-together samples) get plausible numbers; a null elsewhere was printed blank."""
    data = json.loads((GOLD / f"{stem}.json").read_text(encoding="utf-8"))
    fmt = "gov2019" if any("本年新制作数量" == c["column_key"] for c in data["cells"]) else "gov2021"
    rng = random.Random(f"{stem}/{seed}")
    kinds = {(f"{b.caption}/{r}", k): kind for b in active_blocks(fmt) for r in b.rows for k, kind in b.columns}
    out = Tables(stem, fmt)
    for c in data["cells"]:
        key = (c["table"], c["row_key"], c["column_key"])
        value = c["value"]
        if value is None and c["table"] == "active_disclosure" and stem[:3] in ("002", "004", "005", "007"):
            value, raw = _random_cell(rng, kinds[key[1:]], "county")
        elif c["table"] == "active_disclosure" and kinds[key[1:]] == "amount":
            raw = "" if value is None else _amount_raw(value)
        elif c["table"] == "active_disclosure" and kinds[key[1:]] == "delta":
            raw = "" if value is None else f"{int(value):+d}" if value else "0"
        else:
            raw = _count_raw(value)
        out.cells[key] = (value, raw)
    return out


def _amount_raw(value: float) -> str:
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _random_cell(rng: random.Random, kind: str, style: str) -> tuple[float, str]:
    big = style in ("city", "dense")
    if kind == "count":
        v = rng.choice([0, 0, rng.randint(1, 9), rng.randint(10, 99)] + ([rng.randint(100, 99999)] if big else []))
        return float(v), str(v)
    if kind == "delta":
        v = rng.choice([0, rng.randint(1, 12), -rng.randint(1, 12)])
        return float(v), (f"{v:+d}" if v and rng.random() < 0.6 else str(v))
    v = rng.choice([0.0, round(rng.uniform(0, 500), 2), round(rng.uniform(100, 30000), 6)])
    if v == 0:
        return 0.0, rng.choice(["0", "0.00"])
    raw = f"{v:.6f}".rstrip("0").rstrip(".")
    return float(raw), raw


def random_tables(seed: int, fmt: str, style: str) -> Tables:
    """Random tables whose identities hold. style: county (small counts, mostly zeros), city (thousands),
    dense (many non-zero cells of all sizes), blanks (empty applicant columns printed blank, dashes)."""
    rng = random.Random(f"{seed}/{fmt}/{style}")
    t = Tables(f"synth-{fmt}-{style}-{seed}", fmt)
    _random_active(t, rng, fmt, style)
    _random_applications(t, rng, fmt, style)
    for block in REVIEW_BLOCKS:
        parts = [_count(rng, style, 60) if rng.random() < 0.5 else 0 for _ in range(4)]
        for res, v in zip(RESULTS, parts + [sum(parts)]):
            t.cells[("review_litigation", "合计", f"{block}/{res}")] = (float(v), str(v))
    return t


def _count(rng: random.Random, style: str, scale: int) -> int:
    """A count of the size the style has."""
    if style == "county":
        return rng.choice([0] * 6 + [rng.randint(1, 9), rng.randint(10, 40)])
    if style == "city":
        return rng.choice([0, 0, rng.randint(1, 9), rng.randint(10, 99), rng.randint(100, max(100, scale))])
    if style == "dense":
        return rng.choice([0, rng.randint(1, 9), rng.randint(10, 99), rng.randint(100, max(100, scale))])
    return rng.choice([0] * 4 + [rng.randint(1, 20)])


def _random_active(t: Tables, rng: random.Random, fmt: str, style: str) -> None:
    """Table 二 (active disclosure): any values, some blank in the blanks style."""
    for b in active_blocks(fmt):
        for r in b.rows:
            for k, kind in b.columns:
                value, raw = _random_cell(rng, kind, style)
                if style == "blanks" and rng.random() < 0.25:
                    value, raw = None, rng.choice(["", "—", "/", "-", "无"])
                t.cells[("active_disclosure", f"{b.caption}/{r}", k)] = (value, raw)


def _random_applications(t: Tables, rng: random.Random, fmt: str, style: str) -> None:
    """Table 三 (applications): results summing to the total, received = total + carried out − carried in,
    总计 the sum of the six applicant columns; whole columns blank in the blanks style."""
    rows = ["/".join(p) for p in application_rows(fmt)]
    total, carried_in, carried_out = rows[-2], rows[1], rows[-1]
    results = rows[2:-2]
    blank_cols = {c for c in range(1, 6) if style == "blanks" and rng.random() < 0.6}
    grid = {r: [0] * 7 for r in rows}
    for c in range(6):
        if c in blank_cols:
            continue
        scale = 3000 if c == 0 else 300
        weight = 1.0 if c == 0 else 0.4
        for r in results:
            grid[r][c] = _count(rng, style, scale) if rng.random() < weight else 0
        grid[total][c] = sum(grid[r][c] for r in results)
        grid[carried_out][c] = _count(rng, style, scale // 10 or 1) if rng.random() < 0.5 else 0
        grid[carried_in][c] = rng.randint(0, grid[total][c] + grid[carried_out][c]) if rng.random() < 0.5 else 0
        grid[rows[0]][c] = grid[total][c] + grid[carried_out][c] - grid[carried_in][c]
    for r in rows:
        grid[r][6] = sum(grid[r][:6])
        for c, col in enumerate(APPLICANTS):
            if c in blank_cols:
                t.cells[("applications", r, col)] = (None, "" if style == "blanks" and c % 2 else "—")
            else:
                t.cells[("applications", r, col)] = (float(grid[r][c]), str(grid[r][c]))


def mixed_tables(seed: int) -> Tables:
    """A 2020 report printing table 二 in the 2019 format and table 三 in the 2021 one."""
    active = random_tables(seed, "gov2019", "county")
    apps = random_tables(seed, "gov2021", "city")
    t = Tables(f"mixed-2020-{seed}", "gov2021", year=2020)
    t.cells = {k: v for k, v in active.cells.items() if k[0] == "active_disclosure"}
    t.cells.update({k: v for k, v in apps.cells.items() if k[0] != "active_disclosure"})
    return t


def short_columns(t: Tables) -> Tables:
    """The tables with table 三 printed with only 自然人 / 法人或其他组织 / 总计 columns."""
    out = Tables(f"{t.name}-short", t.fmt, year=t.year)
    for key, cell in t.cells.items():
        if key[0] != "applications":
            out.cells[key] = cell
        elif key[2] in ("自然人", "总计"):
            out.cells[key] = cell
        elif key[2] == APPLICANTS[1]:
            parts = [t.value((key[0], key[1], col)) for col in APPLICANTS[1:6]]
            if all(v is None for v in parts):
                out.cells[(key[0], key[1], "法人或其他组织")] = (None, t.raw(key))
            else:
                v = sum(x or 0 for x in parts)
                out.cells[(key[0], key[1], "法人或其他组织")] = (v, str(int(v)))
    return out


def datasets() -> list[Tables]:
    out = [gold_tables(stem) for stem in ("002_pingtan_2019", "004_pingtan_2021", "005_pingtan_2023",
                                          "007_pingtan_2025", "017_shanghai-kewei_2024_pdfmd", "020_shuyang-fgj_2023")]
    for fmt in ("gov2019", "gov2021"):
        for style in ("county", "city", "dense", "blanks"):
            out.append(random_tables(1, fmt, style))
    out.append(mixed_tables(1))
    out.append(short_columns(gold_tables("005_pingtan_2023")))
    out.append(short_columns(random_tables(2, "gov2019", "county")))
    return out


# ------------------------------------------------------------------------------------------------ page


@dataclass
class C:
    """A printed table cell (an HTML <td>)."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    role: str = "label"  # label | head | value | note


Table = list[list[C]]

PROSE_INTRO = ("根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，现向社会公布{agency}{year}年度政府信息公开"
               "工作年度报告。本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。本报告的电子版可在门户网站"
               "（www.example.gov.cn）的“政府信息公开专栏”中下载。如对本报告有任何疑问，请与办公室联系（电话：0527-83296012）。")
PROSE_GENERAL = [
    "一、总体情况",
    "{year}年，我局以习近平新时代中国特色社会主义思想为指导，坚持以人民为中心深化政务公开，聚焦企业和群众关注关切，"
    "不断拓展重点领域信息公开的广度与深度，全年主动公开政府信息249条，其中：发布行政公文和政策解读信息9条；"
    "机构设置和人事任免信息7条；重点工作39条。",
    "（一）主动公开方面。按照“公开为常态，不公开为例外”的要求，推行“应公开尽公开”，通过微信公众号发布20680批次"
    "农产品抽检情况，召开68海里景区观光区收费标准定价听证会并将相关信息上网公开。",
    "（二）依申请公开方面。坚持第一时间登记受理、第一时间转送承办单位和第一时间回复申请的“三个一”工作机制，"
    "对疑难申请采取专题会的方式，组织相关部门会商探讨。",
    "（三）政府信息管理方面。落实政府信息发布审核制度，认真做好政府信息保密审查，严把政治关、法律关、政策关。",
]
PROSE_END = [
    "五、存在的主要问题及改进情况",
    "（一）存在的主要问题：政策解读形式不够丰富，未能充分运用数字化、图表图解等方式通俗易懂地解读政策文件。",
    "（二）改进措施：一是丰富政策解读形式；二是加强重点政务信息管理，及时优化调整完善公开内容和方式；"
    "三是拓宽公开载体和渠道，扩大政务公开的范围和内容。",
    "六、其他需要报告的事项",
    "{year}年度，本机关未收取信息处理费。",
    "{agency}",
    "{pub}年1月17日",
]


@dataclass
class Options:
    """How the page is laid out (independent of the output form)."""

    label_cols: int = 3  # 3: official rowspan'd label columns; 1: every label in one column, groups own rows
    notes: bool = False  # local notes appended to some labels
    halfwidth: bool = False  # (一) and "" instead of （一） and “”
    trailing_col: bool = False  # an empty column after the last one
    split_active: bool = False  # table 二: one <table> per block
    captions: bool = False  # "表二 …" paragraphs above the tables
    page_break: int = 0  # table 三 split into two tables after this many data rows, its header repeated
    repeat_labels: bool = True  # after the page break, the spanning labels printed again (else blank)
    review_rows: bool = False  # table 四 printed as a row per block (行政复议 / 未经复议直接起诉 / 复议后起诉)
    review_two_rows: bool = False  # table 四 printed as a 行政复议 row and a 行政诉讼 row
    thousands: bool = False  # counts from 1000 printed with a thousands separator (1,288)


NOTES = {"规章": "规章（设区的市、自治州人民政府应提供相关数据）", "行政事业性收费": "行政事业性收费（万元）",
         "一、本年新收政府信息公开申请数量": "一、本年新收政府信息公开申请数量（件）",
         "（七）总计": "（七）总计（件）", "3.其他": "3.其他（如申请人撤回申请等）",
         "1.本机关不掌握相关政府信息": "1.本机关不掌握相关政府信息（含告知向其他机关申请）"}


def _label(text: str, opts: Options) -> str:
    if opts.notes and text in NOTES:
        text = NOTES[text]
    if opts.halfwidth:
        text = text.translate(str.maketrans("（）“”", '()""'))
    return text


def _val(tables: Tables, key, opts: "Options | None" = None) -> C:
    raw = tables.raw(key)
    if opts is not None and opts.thousands and re.fullmatch(r"\d{4,}", raw):
        raw = f"{int(raw):,}"
    return C(raw, role="value")


def active_tables(t: Tables, opts: Options) -> list[Table]:
    out: list[Table] = [[]]
    for b in active_blocks(t.active_fmt):
        if opts.split_active and out[-1]:
            out.append([])
        rows = out[-1]
        rows.append([C(_label(b.caption, opts), colspan=4, role="head")])
        heads = [C(k, role="head") for k, _ in b.columns]
        heads[-1].colspan = 4 - len(b.columns)
        rows.append([C("信息内容", role="head")] + heads)
        for r in b.rows:
            cells = [_val(t, ("active_disclosure", f"{b.caption}/{r}", k), opts) for k, _ in b.columns]
            cells[-1].colspan = 4 - len(b.columns)
            rows.append([C(_label(r, opts))] + cells)
    return out


def applications_header(t: Tables, opts: Options) -> Table:
    lc = opts.label_cols
    if t.applicant_columns == SHORT_APPLICANTS:
        return [[C(NOTE, rowspan=2, colspan=lc, role="note"), C("申请人情况", colspan=3, role="head")],
                [C(h, role="head") for h in SHORT_APPLICANTS]]
    return [
        [C(NOTE, rowspan=3, colspan=lc, role="note"), C("申请人情况", colspan=7, role="head")],
        [C("自然人", rowspan=2, role="head"), C("法人或其他组织", colspan=5, role="head"), C("总计", rowspan=2, role="head")],
        [C(h.split("/")[-1], role="head") for h in APPLICANTS[1:6]],
    ]


def applications_tables(t: Tables, opts: Options) -> list[Table]:
    """Table 三 (two tables when a page break splits it)."""
    rows = applications_table(t, opts)
    head = len(applications_header(t, opts))
    if not opts.page_break or opts.label_cols != 3:
        return [rows]
    cut = head + opts.page_break
    grid = expand(rows)
    # label cells spanning the break end at it; the second table starts them again (text or blank)
    carried: list[C] = []
    for cell, copy in grid[cut]:
        above = any(g is cell for row in grid[:cut] for g, _ in row)
        if copy and above and cell.role != "value" and not any(cell is c for c in carried):
            carried.append(cell)
    first, second = rows[:cut], [list(r) for r in rows[cut:]]
    for n, cell in enumerate(carried):
        start = next(r for r in range(cut) if any(g is cell and not copy for g, copy in grid[r]))
        rest = start + cell.rowspan - cut
        cell.rowspan = cut - start
        second[0].insert(n, C(cell.text if opts.repeat_labels else "", rest, cell.colspan))
    return [first, applications_header(t, opts) + second]


def applications_table(t: Tables, opts: Options) -> Table:
    lc = opts.label_cols
    columns = t.applicant_columns
    rows: Table = applications_header(t, opts)
    paths = application_rows(t.applications_fmt)
    under = [p for p in paths if p[0] == R3]
    seen_groups: set[str] = set()
    for path in paths:
        values = [_val(t, ("applications", "/".join(path), col), opts) for col in columns]
        if lc == 1:
            if path[0] == R3 and R3 not in seen_groups:
                seen_groups.add(R3)
                rows.append([C(_label(R3, opts)), C("", colspan=len(columns), role="value")])
            if len(path) == 3 and path[1] not in seen_groups:
                seen_groups.add(path[1])
                rows.append([C(_label(path[1], opts)), C("", colspan=len(columns), role="value")])
            rows.append([C(_label(path[-1], opts))] + values)
            continue
        labels: list[C] = []
        if len(path) == 1:
            labels.append(C(_label(path[0], opts), colspan=3))
        else:
            if path == under[0]:
                labels.append(C(_label(R3, opts), rowspan=len(under)))
            if len(path) == 2:
                labels.append(C(_label(path[1], opts), colspan=2))
            else:
                group = [p for p in under if p[:2] == path[:2]]
                if path == group[0]:
                    labels.append(C(_label(path[1], opts), rowspan=len(group)))
                labels.append(C(_label(path[2], opts)))
        rows.append(labels + values)
    return rows


def review_table(t: Tables, opts: Options) -> Table:
    if opts.review_two_rows:
        def values(blocks):
            return [_val(t, ("review_litigation", "合计", f"{b}/{r}")) for b in blocks for r in RESULTS]
        return [[C("", rowspan=2, role="head"), C("", colspan=5, role="head"), C("未经复议直接起诉", colspan=5, role="head"),
                 C("复议后起诉", colspan=5, role="head")],
                [C(h, role="head") for h in RESULTS * 3],
                [C("行政复议")] + values(REVIEW_BLOCKS[:1]) + [C("", colspan=10, role="value")],
                [C("行政诉讼"), C("", colspan=5, role="value")] + values(REVIEW_BLOCKS[1:])]
    if opts.review_rows:
        def values(block):
            return [_val(t, ("review_litigation", "合计", f"{block}/{r}")) for r in RESULTS]
        return [[C("", colspan=2, role="head")] + [C(h, role="head") for h in RESULTS],
                [C("行政复议", colspan=2)] + values(REVIEW_BLOCKS[0]),
                [C("行政诉讼", rowspan=2), C("未经复议直接起诉")] + values(REVIEW_BLOCKS[1]),
                [C("复议后起诉")] + values(REVIEW_BLOCKS[2])]
    return [
        [C("行政复议", colspan=5, role="head"), C("行政诉讼", colspan=10, role="head")],
        [C(h, rowspan=2, role="head") for h in RESULTS] + [C("未经复议直接起诉", colspan=5, role="head"),
                                                           C("复议后起诉", colspan=5, role="head")],
        [C(h, role="head") for h in RESULTS * 2],
        [_val(t, ("review_litigation", "合计", f"{b}/{r}")) for b in REVIEW_BLOCKS for r in RESULTS],
    ]


def page(t: Tables, opts: Options) -> list:
    """The report as a list of ("p", text) and ("table", rows)."""
    year = t.year or (2019 if t.fmt == "gov2019" else 2023)
    agency = "沭阳县发展和改革局"
    fill = {"agency": agency, "year": year, "pub": year + 1}
    items: list = [("title", f"{agency}{year}年度政府信息公开工作年度报告"), ("p", PROSE_INTRO.format(**fill))]
    items += [("p", p.format(**fill)) for p in PROSE_GENERAL]
    items.append(("p", "二、主动公开政府信息情况"))
    if opts.captions:
        items.append(("p", "表二 主动公开政府信息情况"))
    items += [("table", tab) for tab in active_tables(t, opts)]
    items.append(("p", "三、收到和处理政府信息公开申请情况"))
    if opts.captions:
        items.append(("p", "表三 收到和处理政府信息公开申请情况（单位：件）"))
    for n, tab in enumerate(applications_tables(t, opts)):
        if n:
            items.append(("p", "- 5 -"))  # the page number between the two halves
        items.append(("table", tab))
    items.append(("p", "四、政府信息公开行政复议、行政诉讼情况"))
    items.append(("table", review_table(t, opts)))
    items += [("p", p.format(**fill)) for p in PROSE_END]
    if opts.trailing_col:
        items = [(k, [row + [C("", role="value")] for row in v]) if k == "table" else (k, v) for k, v in items]
    return items


def expand(rows: Table) -> list[list[tuple[C, bool]]]:
    """The table as a rectangular grid of (cell, is a span copy)."""
    grid: dict[tuple[int, int], tuple[C, bool]] = {}
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in grid:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    grid[(r + dr, c + dc)] = (cell, dr > 0 or dc > 0)
            c += cell.colspan
    width = max(c for _, c in grid) + 1
    return [[grid.get((r, c), (C(""), False)) for c in range(width)] for r in range(len(rows))]


# ------------------------------------------------------------------------------------------------ renderers


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def _spans(text: str, rng: random.Random) -> str:
    """Word's markup: a label cut into <span>s at random places (自<span>然</span>人)."""
    if len(text) < 2:
        return htmllib.escape(text)
    cuts = sorted(rng.sample(range(1, len(text)), min(len(text) - 1, rng.randint(1, 3))))
    pieces = [text[a:b] for a, b in zip([0] + cuts, cuts + [len(text)])]
    return "".join(f'<span style="font-family:宋体;font-size:10.5pt">{htmllib.escape(p)}</span>' for p in pieces)


def html_page(t: Tables, opts: Options | None = None, word: bool = True, br: bool = True, th: bool = False,
              nbsp: bool = True, traditional: bool = False, seed: int = 0) -> bytes:
    if opts is None:
        opts = Options()
    rng = random.Random(seed)
    out = ["<!DOCTYPE html><html><head><meta charset=\"utf-8\">",
           f"<title>{page(t, opts)[0][1]}_沭阳县人民政府</title></head><body>",
           '<div class="header"><a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; <a href="/nb">年度报告</a></div>',
           '<div class="article"><ucapcontent>']
    for kind, item in page(t, opts):
        if kind == "title":
            out.append(f'<h1 class="title">{item}</h1><div class="meta">发布日期：2024-01-17 来源：本站</div>')
        elif kind == "p":
            out.append(f'<p class="MsoNormal" style="text-indent:2em">{htmllib.escape(item)}</p>')
        else:
            out.append('<table border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse"><tbody>')
            for row in item:
                out.append("<tr>")
                for cell in row:
                    out.append(_html_cell(cell, rng, word, br, th, nbsp))
                out.append("</tr>")
            out.append("</tbody></table>")
    out.append('</ucapcontent></div><div class="footer">主办：沭阳县人民政府办公室 <a href="/map">网站地图</a></div>'
               "</body></html>")
    text = "\n".join(out)
    if traditional:
        text = _s2t().convert(text)
    return text.encode("utf-8")


def _html_cell(cell: C, rng: random.Random, word: bool, br: bool, th: bool, nbsp: bool) -> str:
    tag = "th" if th and cell.role in ("head", "note") else "td"
    attrs = "".join(f' {a}="{v}"' for a, v in (("rowspan", cell.rowspan), ("colspan", cell.colspan)) if v > 1)
    text = cell.text
    if cell.role == "value":
        body = htmllib.escape(text) if text else ("&nbsp;" if nbsp else "")
        if word:
            body = f'<p class="MsoNormal" align="center"><span lang="EN-US" style="font-size:10.5pt">{body}</span></p>'
    else:
        if br and cell.role == "head" and 4 <= len(text) <= 8:
            half = len(text) // 2
            body = htmllib.escape(text[:half]) + "<br/>" + htmllib.escape(text[half:])
        elif word:
            body = _spans(text, rng)
        else:
            body = htmllib.escape(text)
        if word:
            body = f'<p class="MsoNormal" align="center">{body}</p>'
    return f'<{tag} valign="center" width="{rng.randint(40, 120)}"{attrs}>{body}</{tag}>'


def lines_page(t: Tables, opts: Options | None = None, traditional: bool = False) -> bytes:
    """One printed cell per line (spanned cells once); blank cells are lost."""
    if opts is None:
        opts = Options()
    out = []
    for kind, item in page(t, opts):
        if kind != "table":
            out.append(item)
            continue
        for row in item:
            out.extend(cell.text for cell in row if cell.text.strip())
    text = "\n".join(out)
    return (_s2t().convert(text) if traditional else text).encode("utf-8")


def rows_page(t: Tables, opts: Options | None = None, sep: str = " ", keep_blank: bool = False) -> bytes:
    """One table row per line, its printed cells joined by `sep` (PDF text loses blank cells; a tab-separated
    copy keeps them)."""
    if opts is None:
        opts = Options()
    out = []
    for kind, item in page(t, opts):
        if kind != "table":
            out.append(item)
            continue
        for row in item:
            cells = [cell.text for cell in row if keep_blank or cell.text.strip()]
            if any(c.strip() for c in cells):
                out.append(sep.join(cells))
    return "\n".join(out).encode("utf-8")


def markdown_page(t: Tables, opts: Options | None = None, repeat_spans: bool = False) -> bytes:
    """Markdown pipe tables of the full grid; a spanned cell printed once (others blank) or repeated."""
    if opts is None:
        opts = Options()
    out = []
    for kind, item in page(t, opts):
        if kind != "table":
            out.append(("# " if kind == "title" else "") + item)
            out.append("")
            continue
        grid = expand(item)
        for r, row in enumerate(grid):
            texts = [cell.text if (not copy or (repeat_spans and cell.role != "value")) else "" for cell, copy in row]
            out.append("| " + " | ".join(texts) + " |")
            if r == 0:
                out.append("|" + "---|" * len(row))
        out.append("")
    return "\n".join(out).encode("utf-8")


def run_together(t: Tables, opts: Options | None = None, stray_spaces: bool = False, seed: int = 0) -> bytes:
    """A crawler's get_text(""): the whole body on one line, cells run together; with stray spaces as some
    pages leave between cells ("500000 5")."""
    if opts is None:
        opts = Options()
    rng = random.Random(seed)
    out = []
    for kind, item in page(t, opts):
        if kind != "table":
            out.append(item)
            continue
        for row in item:
            for cell in row:
                out.append(cell.text)
                if stray_spaces and rng.random() < 0.08:
                    out.append(" ")
        out.append(" ")
    return ("标题: " + page(t, opts)[0][1] + "\n==================== 正文 ====================\n"
            + "".join(out)).encode("utf-8")


# ------------------------------------------------------------------------------------------------ forms

# name → (render(tables) -> bytes, kind, lossy: null + ambiguous_split allowed for a cell)
FORMS = {
    "html_word": (lambda t: html_page(t), "html", False),
    "html_word_traditional": (lambda t: html_page(t, Options(notes=True), traditional=True), "html", False),
    "html_plain_th_halfwidth_notes": (lambda t: html_page(t, Options(halfwidth=True, notes=True), word=False,
                                                          br=False, th=True, nbsp=False), "html", False),
    "html_flat_labels_trailing_col": (lambda t: html_page(t, Options(label_cols=1, trailing_col=True)), "html", False),
    "html_split_blocks_captions": (lambda t: html_page(t, Options(split_active=True, captions=True), seed=3),
                                   "html", False),
    "html_page_break": (lambda t: html_page(t, Options(page_break=7, review_rows=True)), "html", False),
    "html_thousands_review_two_rows": (lambda t: html_page(t, Options(thousands=True, review_two_rows=True, notes=True)),
                                       "html", False),
    "html_page_break_blank_labels": (lambda t: html_page(t, Options(page_break=13, repeat_labels=False), word=False),
                                     "html", False),
    "lines": (lambda t: lines_page(t), "text", True),
    "lines_page_break": (lambda t: lines_page(t, Options(page_break=7)), "text", True),
    "lines_traditional_notes": (lambda t: lines_page(t, Options(notes=True), traditional=True), "text", True),
    "lines_flat_labels": (lambda t: lines_page(t, Options(label_cols=1, halfwidth=True)), "text", True),
    "rows_spaces": (lambda t: rows_page(t), "text", True),
    "rows_tabs": (lambda t: rows_page(t, sep="\t", keep_blank=True), "text", False),
    "rows_page_break_review_rows": (lambda t: rows_page(t, Options(page_break=13, review_rows=True)), "text", True),
    "rows_wide_spaces_notes": (lambda t: rows_page(t, Options(notes=True, halfwidth=True), sep="   "), "text", True),
    "markdown": (lambda t: markdown_page(t, Options(thousands=True, review_two_rows=True)), "text", False),
    "markdown_repeated_spans": (lambda t: markdown_page(t, Options(trailing_col=True), repeat_spans=True),
                                "text", False),
    "run_together": (lambda t: run_together(t), "text", True),
    "run_together_stray_spaces": (lambda t: run_together(t, stray_spaces=True), "text", True),
}


# ------------------------------------------------------------------------------------------------ scoring


@dataclass
class Score:
    cells: int = 0
    exact: int = 0
    ambiguous: int = 0  # null, with an ambiguous_split check for its row (lossy forms only)
    wrong: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    def add(self, other: "Score") -> None:
        self.cells += other.cells
        self.exact += other.exact
        self.ambiguous += other.ambiguous
        self.wrong += other.wrong
        self.missing += other.missing
        self.extra += other.extra


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def score(t: Tables, extraction, lossy: bool) -> Score:
    got = {(c.table, c.row_key, c.column_key): c for c in extraction.cells}
    flagged = {c.check.split("/", 1)[1] for c in extraction.checks
               if ".ambiguous_split/" in c.check and not c.passed}
    s = Score()
    for key, (value, raw) in t.cells.items():
        s.cells += 1
        cell = got.get(key)
        where = "/".join(key)
        if cell is None:
            s.missing.append(where)
        elif _same(cell.value, value):
            s.exact += 1
        elif cell.value is None and lossy and key[1] in flagged:
            s.ambiguous += 1
        else:
            s.wrong.append(f"{where}: want {value} ({raw!r}) got {cell.value} ({cell.raw_value!r})")
    s.extra = sorted("/".join(k) for k in got if k not in t.cells)
    return s


def extract_form(t: Tables, form: str):
    render, kind, _ = FORMS[form]
    return extract_rendered(t, render, kind, t.name)


def extract_rendered(t: Tables, render, kind: str, name: str = "x"):
    """The pipeline's extraction of render(t), an input of `kind` (html | text) named `name`."""
    from xxgk.parsers.document import RawDoc
    from xxgk.pipeline.extract import extract

    return extract(RawDoc(render(t), f"{name}.{'html' if kind == 'html' else 'txt'}", kind))


def main() -> None:
    import sys

    verbose = "-v" in sys.argv
    only = [a for a in sys.argv[1:] if not a.startswith("-")]
    total = Score()
    for form, (_, _, lossy) in FORMS.items():
        if only and form not in only:
            continue
        fs = Score()
        for t in datasets():
            s = score(t, extract_form(t, form), lossy)
            fs.add(s)
            if verbose and (s.wrong or s.missing or s.extra):
                print(f"  {form} {t.name}: wrong {len(s.wrong)} missing {len(s.missing)} extra {len(s.extra)}")
                for line in (s.wrong + s.missing[:5] + s.extra[:5])[:12]:
                    print("      ", line)
        total.add(fs)
        print(f"{form:32s} cells {fs.cells:5d} exact {fs.exact / fs.cells:7.2%} ambiguous {fs.ambiguous:4d} "
              f"wrong {len(fs.wrong):3d} missing {len(fs.missing):4d} extra {len(fs.extra):3d}")
    print(f"{'TOTAL':32s} cells {total.cells:5d} exact {total.exact / total.cells:7.2%} ambiguous {total.ambiguous:4d} "
          f"wrong {len(total.wrong):3d} missing {len(total.missing):4d} extra {len(total.extra):3d}")


if __name__ == "__main__":
    main()
