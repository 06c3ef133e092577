"""Generated legacy appendices (政府信息公开情况统计表) rendered into every page form real reports come in.

A *form* is a tree of printed rows (label, unit, group or value row) written as indented text below; an
*instance* fills it with random plausible values (其中 items ≤ their total, numbered parts adding up to
their total where the real form says so, some blanks and dashes); a *page* renders an instance inside
report prose taken from the seed fixture, as one of:

  html    a real <table>: Word-exported spans, rowspan'd group labels, unit / 代码 / 备注 columns,
          &nbsp;, half-width brackets, full-width digits, a table broken in two, Traditional characters
  lines   one cell per line (the seed)
  run     one run of text as a crawler's get_text() gives it (label+unit+numbers glued)
  spaced  space or tab separated rows, or the whole table on one space-separated line
  pipe    a Markdown pipe table

`expected(instance)` gives every printed row's (row_key, column_key) → (value, unit), and `score` runs
the full pipeline and compares. `python tests/legacy_forms.py` prints a summary per form.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# "label | unit | flags": two spaces of indent per level; flags: g = group row without values,
# sum = numbered children add up to it, part = at most its parent.
NATIONAL = """
一、主动公开情况 | | g
  （一）主动公开政府信息数（不同渠道和方式公开相同信息计1条） | 条
    其中：主动公开规范性文件数 | 条 | part
    制发规范性文件总数 | 件 | part
  （二）通过不同渠道和方式公开政府信息的情况 | | g
    1.政府公报公开政府信息数 | 条
    2.政府网站公开政府信息数 | 条
    3.政务微博公开政府信息数 | 条
    4.政务微信公开政府信息数 | 条
    5.其他方式公开政府信息数 | 条
二、回应解读情况 | | g
  （一）回应公众关注热点或重大舆情数（不同方式回应同一热点或舆情计1次） | 次
  （二）通过不同渠道和方式回应解读的情况 | | g
    1.参加或举办新闻发布会总次数 | 次
      其中：主要负责同志参加新闻发布会次数 | 次 | part
    2.政府网站在线访谈次数 | 次
      其中：主要负责同志参加政府网站在线访谈次数 | 次 | part
    3.政策解读稿件发布数 | 篇
    4.微博微信回应事件数 | 次
    5.其他方式回应事件数 | 次
三、依申请公开情况 | | g
  （一）收到申请数 | 件 | sum
    1.当面申请数 | 件
    2.传真申请数 | 件
    3.网络申请数 | 件
    4.信函申请数 | 件
  （二）申请办结数 | 件 | sum
    1.按时办结数 | 件
    2.延期办结数 | 件
  （三）申请答复数 | 件 | sum
    1.属于已主动公开范围数 | 件
    2.同意公开答复数 | 件
    3.同意部分公开答复数 | 件
    4.不同意公开答复数 | 件 | sum
      其中：涉及国家秘密 | 件
      涉及商业秘密 | 件
      涉及个人隐私 | 件
      危及国家安全、公共安全、经济安全和社会稳定 | 件
      不是《条例》所指政府信息 | 件
      法律法规规定的其他情形 | 件
    5.不属于本行政机关公开数 | 件
    6.申请信息不存在数 | 件
    7.告知作出更改补充数 | 件
    8.告知通过其他途径办理数 | 件
四、行政复议数量 | 件 | sum
  （一）维持具体行政行为数 | 件
  （二）被依法纠错数 | 件
  （三）其他情形数 | 件
五、行政诉讼数量 | 件 | sum
  （一）维持具体行政行为或者驳回原告诉讼请求数 | 件
  （二）被依法纠错数 | 件
  （三）其他情形数 | 件
六、举报投诉数量 | 件
七、依申请公开信息收取的费用 | 万元
八、机构建设和保障经费情况 | | g
  （一）政府信息公开工作专门机构数 | 个
  （二）设置政府信息公开查阅点数 | 个
  （三）从事政府信息公开工作人员数 | 人 | sum
    1.专职人员数（不包括政府公报及政府网站工作人员数） | 人
    2.兼职人员数 | 人
  （四）政府信息公开专项经费（不包括用于政府公报编辑管理及政府网站建设维护等方面的经费） | 万元
九、政府信息公开会议和培训情况 | | g
  （一）召开政府信息公开工作会议或专题会议数 | 次
  （二）举办各类培训班数 | 次
  （三）接受培训人员数 | 人次
"""

# 2008–2013 local form (015 / 022 and their neighbours): unnumbered totals, 其中 lists numbered 1、 2、 …
LOCAL = """
主动公开信息数 | 条 | sum
  其中：1、网站公开 | 条
  2、政府公报公开 | 条
  3、其他形式公开 | 条
受理依申请公开信息总数 | 条 | sum
  其中：1、当面申请数 | 条
  2、传真申请数 | 条
  3、电子邮件申请数 | 条
  4、网上申请数 | 条
  5、信函申请数 | 条
对申请的答复总数 | 条 | sum
  其中：1、同意公开答复数 | 条
  2、同意部分公开答复数 | 条
  3、否决公开答复数 | 条
  4、其他类型答复数 | 条
政府信息公开收费减免金额 | 元
行政复议数 | 件
行政诉讼数 | 件
行政申诉、举报数 | 件
"""

# 008's form (本年度 / 历年累计), numbered 1. 2. …
CUMULATIVE = """
主动公开文件数 | 条 | sum
  其中：1.政府网站公开数 | 条
  2.政府公报公开数 | 条
受理依申请公开信息总数 | 条 | sum
  其中：1.当面申请数 | 条
  2.网上申请数 | 条
  3.信函、传真申请数 | 条
对申请的答复总数 | 条 | sum
  其中：1.同意公开答复数 | 条
  2.同意部分公开答复数 | 条
  3.不予公开答复数 | 条
  4.其他类型答复数 | 条
接受行政诉讼、举报数 | 件
行政复议数 | 件
行政诉讼数 | 件
"""

# A local coded form: 代码 01–35 beside every row, rows flat except 其中 items under the row before them.
CODED = """
主动公开政府信息数 | 条
  其中：主动公开规范性文件数 | 条 | part
制发规范性文件总数 | 件
政府公报公开政府信息数 | 条
政府网站公开政府信息数 | 条
政务微博公开政府信息数 | 条
政务微信公开政府信息数 | 条
其他方式公开政府信息数 | 条
回应公众关注热点或重大舆情数 | 次
参加或举办新闻发布会总次数 | 次
  其中：主要负责同志参加新闻发布会次数 | 次 | part
政府网站在线访谈次数 | 次
政策解读稿件发布数 | 篇
微博微信回应事件数 | 次
收到申请数 | 件
当面申请数 | 件
传真申请数 | 件
网络申请数 | 件
信函申请数 | 件
申请办结数 | 件
按时办结数 | 件
延期办结数 | 件
申请答复数 | 件
同意公开答复数 | 件
同意部分公开答复数 | 件
不同意公开答复数 | 件
行政复议数量 | 件
行政诉讼数量 | 件
举报投诉数量 | 件
依申请公开信息收取的费用 | 万元
政府信息公开工作专门机构数 | 个
设置政府信息公开查阅点数 | 个
从事政府信息公开工作人员数 | 人
政府信息公开专项经费 | 万元
接受培训人员数 | 人次
"""

# A 2009-style local form: four levels of numbering (一、 （一） 1. （1）).
LOCAL2009 = """
一、主动公开政府信息 | | g
  （一）主动公开政府信息数 | 条 | sum
    1.通过政府网站公开 | 条
    2.通过政府公报公开 | 条
    3.通过其他方式公开 | 条
  （二）主动公开规范性文件数 | 件
二、依申请公开政府信息 | | g
  （一）收到申请数 | 件 | sum
    1.当面申请 | 件
    2.网上申请 | 件
    3.信函申请 | 件
  （二）答复情况 | | g
    1.已答复数 | 件 | sum
      （1）同意公开 | 件
      （2）同意部分公开 | 件
      （3）不予公开 | 件
      （4）信息不存在 | 件
      （5）非本机关职责范围 | 件
    2.未答复数 | 件
三、政府信息公开收费及减免 | | g
  （一）收取费用 | 元
  （二）减免费用 | 元
四、因政府信息公开申请提起行政复议、行政诉讼 | | g
  （一）行政复议 | 件
  （二）行政诉讼 | 件
  （三）行政申诉 | 件
五、政府信息公开咨询 | 人次
"""

FORMS = {"national": NATIONAL, "local": LOCAL, "cumulative": CUMULATIVE, "coded": CODED, "local2009": LOCAL2009}
RANGES = {"条": 3000, "件": 60, "次": 30, "篇": 80, "个": 6, "人": 12, "人次": 400, "万元": 30, "元": 3000}
BLANK_MARKS = ["—", "-", "/", "——"]


@dataclass
class Spec:
    label: str
    unit: str | None
    depth: int
    group: bool = False
    sum: bool = False
    part: bool = False
    parent: int | None = None
    code: str = ""


@dataclass
class Row:
    """One printed row of an instance: label as printed, unit printed or not, value cells as printed."""
    spec: Spec
    label: str  # as printed (brackets, numbering style)
    unit: str | None  # as printed ("" when the unit cell is blank)
    cells: list[str]  # value cells as printed ("" for a blank cell)
    values: list[float | None]
    printed_label: str = ""  # the label as a text form prints it, where it differs (a space after the ordinal)


@dataclass
class Instance:
    form: str
    year: int
    agency: str
    columns: list[str]  # value column headers as printed
    rows: list[Row] = field(default_factory=list)
    code_first: bool = True  # 代码 column before the label (else after it)


def parse_form(text: str) -> list[Spec]:
    specs: list[Spec] = []
    stack: list[tuple[int, int]] = []  # (depth, index)
    for line in text.strip("\n").splitlines():
        depth = (len(line) - len(line.lstrip(" "))) // 2
        parts = [p.strip() for p in line.strip().split("|")]
        label, unit, flags = parts[0], parts[1] or None, (parts[2] if len(parts) > 2 else "").split()
        while stack and stack[-1][0] >= depth:
            stack.pop()
        spec = Spec(label, unit, depth, "g" in flags, "sum" in flags, "part" in flags,
                    stack[-1][1] if stack else None)
        stack.append((depth, len(specs)))
        specs.append(spec)
    return specs


# ---------------------------------------------------------------------------------------------- values

def _number(rng: random.Random, unit: str | None) -> float:
    top = RANGES.get(unit or "", 50)
    if rng.random() < 0.45:
        return 0.0
    if unit == "万元":
        return round(rng.uniform(0.1, top), rng.choice([0, 1, 2]))
    return float(int(top ** rng.random()))


def _fmt(v: float, unit: str | None, rng: random.Random) -> str:
    if unit == "万元" and v == int(v) and rng.random() < 0.3:
        return f"{v:.2f}"
    return str(int(v)) if v == int(v) else str(v)


def fill(specs: list[Spec], k: int, rng: random.Random, blanks: float = 0.04) -> list[list[float | None]]:
    """Values per row and column: sums hold where the form has them (mostly), 其中 ≤ total, cumulative ≥ year."""
    values: list[list[float | None]] = [[None] * k for _ in specs]
    children: dict[int, list[int]] = {}
    for i, s in enumerate(specs):
        if s.parent is not None:
            children.setdefault(s.parent, []).append(i)
    for c in range(k):
        for i, s in enumerate(specs):
            if s.parent is None:
                _fill_row(specs, children, values, i, c, rng)
    if k == 2:
        _fill_cumulative(specs, children, values, rng)
    for row in values:
        for c in range(k):
            if row[c] is not None and rng.random() < blanks:
                row[c] = None
    return values


def _fill_row(specs: list[Spec], children: dict[int, list[int]], values: list[list[float | None]], i: int, c: int,
              rng: random.Random) -> None:
    """Column c of row i and its descendants (children first: a total is their sum)."""
    s = specs[i]
    kids = children.get(i, [])
    for j in kids:
        _fill_row(specs, children, values, j, c, rng)
    if s.group:
        return
    if s.sum and kids and rng.random() < 0.9:
        total = sum(values[j][c] or 0 for j in kids if not specs[j].group)
        values[i][c] = round(total, 2)
    else:
        values[i][c] = _number(rng, s.unit)
    for j in kids:  # 其中 items at most their total
        if specs[j].part and values[j][c] is not None and values[i][c] is not None and values[j][c] > values[i][c]:
            values[j][c] = values[i][c]


def _fill_cumulative(specs: list[Spec], children: dict[int, list[int]], values: list[list[float | None]],
                     rng: random.Random) -> None:
    """历年累计 ≥ 本年度: the year plus a history of a few years like it, sums kept where they hold."""
    wild = fill(specs, 1, rng, 0.0)
    for i in range(len(specs)):
        if values[i][0] is not None:
            year = values[i][0]
            history = wild[i][0] or 0 if rng.random() < 0.05 or not year else year * rng.choice([0, 0.5, 1, 3, 8])
            values[i][1] = round(year + int(history), 2)
    for i in sorted(children, reverse=True):
        total = round(sum(values[j][1] or 0 for j in children[i]), 2)
        if specs[i].sum and not specs[i].group and rng.random() < 0.9 and total >= (values[i][0] or 0):
            values[i][1] = total


SOURCE_YEAR = re.compile(r"20(?:20|21)")


def instance(form: str, rng: random.Random, k: int | None = None) -> Instance:
    specs = parse_form(FORMS[form])
    year = rng.randint(2014, 2018) if form in ("national", "coded") else rng.randint(2008, 2018)
    k = k or (2 if form == "cumulative" else rng.choice([1, 2]) if form in ("local", "local2009") else 1)
    columns = ([rng.choice(["统计数", "数量", "本年度", f"{year}年度"])] if k == 1
               else [rng.choice([f"{year}年度", "本年度"]), "历年累计"])
    agency = rng.choice(["某某县民政局", "江口县人民政府", "青田县交通运输局", "鹤峰县人民政府办公室", "武陵区教育局"])
    inst = Instance(form, year, agency, columns, code_first=rng.random() < 0.5)
    # local variants: a renamed row, an added row, a dropped row (national form only)
    if form == "national" and rng.random() < 0.5:
        at = next(i for i, s in enumerate(specs) if s.label.startswith("5.其他方式公开政府信息数"))
        specs.insert(at + 1, Spec("6.政务客户端公开政府信息数", "条", specs[at].depth, parent=specs[at].parent))
        _reparent(specs)
    if form == "national" and rng.random() < 0.3:
        at = next(i for i, s in enumerate(specs) if s.label == "六、举报投诉数量")
        specs[at] = Spec("六、举报投诉数", "件", 0)
    values = fill(specs, k, rng)
    dot = rng.choice([".", "．", "、"]) if form in ("national", "cumulative", "local2009") and rng.random() < 0.3 \
        else None
    half = rng.random() < 0.3
    for n, (spec, vals) in enumerate(zip(specs, values)):
        label = spec.label
        if dot:
            label = re.sub(r"^(\d{1,2})\.", lambda m: m.group(1) + dot, label)
            label = re.sub(r"^(其中：\d{1,2})\.", lambda m: m.group(1) + dot, label)
        if half:
            label = label.replace("（", "(").replace("）", ")").replace("：", ":")
        if form == "coded":
            spec.code = f"{n + 1:02d}"
        if spec.group:
            cells = [rng.choice(["", "", "—"])] * k
            unit = rng.choice(["", "", "—"]) if cells[0] else ""
            vals = [None] * k
        else:
            cells = []
            for v in vals:
                cells.append(_fmt(v, spec.unit, rng) if v is not None else rng.choice(["", *BLANK_MARKS]))
            unit = spec.unit or ""
        inst.rows.append(Row(spec, label, unit, cells, list(vals)))
    if rng.random() < 0.2:  # Word text: a space after the ordinal ("1. 当面申请数", "（一） 收到申请数")
        for row in inst.rows:
            row.printed_label = re.sub(r"^((?:其中[:：])?(?:[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、]))(?=\S)",
                                       r"\1 ", row.label)
    return inst


def _reparent(specs: list[Spec]) -> None:
    stack: list[tuple[int, int]] = []
    for i, s in enumerate(specs):
        while stack and stack[-1][0] >= s.depth:
            stack.pop()
        s.parent = stack[-1][1] if stack else None
        stack.append((s.depth, i))


# ---------------------------------------------------------------------------------------------- expected

def key_label(label: str) -> str:
    label = re.sub(r"\s+", "", label)
    return label.translate(str.maketrans({"(": "（", ")": "）", ":": "：", "．": "."}))


def printed_label(inst: Instance, row: Row, code_in_label: bool = True) -> str:
    if inst.form == "coded" and code_in_label:
        return row.spec.code + row.label if inst.code_first else row.label + row.spec.code
    return row.label


def expected(inst: Instance) -> dict[tuple[str, str], tuple[float | None, str | None, str]]:
    """(row_key, column_key) → (value, unit, raw cell) for every printed row."""
    keys: list[str] = []
    out = {}
    columns = ["value"] if len(inst.columns) == 1 else inst.columns
    for _i, row in enumerate(inst.rows):
        own = key_label(printed_label(inst, row))
        parent = row.spec.parent
        key = (keys[parent] + "/" + own) if parent is not None else own
        keys.append(key)
        unit = row.unit if row.unit and row.unit not in BLANK_MARKS else None
        for c, col in enumerate(columns):
            out[(key, col)] = (row.values[c], unit, row.cells[c])
    return out


# ---------------------------------------------------------------------------------------------- prose

@lru_cache(maxsize=1)
def _seed_prose() -> list[str]:
    import opencc

    text = (FIXTURES / "000_18ca986f9f3aea6e.txt").read_text(encoding="utf-8")
    text = opencc.OpenCC("t2s").convert(text)
    lines = [ln.strip() for ln in text.splitlines()]
    end = lines.index("七、附表")
    return [ln for ln in lines[5:end] if ln]


def prose(inst: Instance) -> list[str]:
    """The seed's prose, re-dated and re-attributed, stating the appendix's published total."""
    first = next((r for r in inst.rows if r.values[0] is not None), None)
    total = _fmt(first.values[0], first.spec.unit, random.Random(0)) if first else "0"
    out = [f"{inst.agency}{inst.year}年政府信息公开工作年度报告"]
    for line in _seed_prose():
        line = line.replace("衡山县城市管理和综合执法局", inst.agency)
        line = line.replace("2021", str(inst.year + 1)).replace("2020", str(inst.year))
        line = line.replace("主动公开政府信息60条", f"主动公开政府信息{total}条")
        out.append(line)
    return out


# ---------------------------------------------------------------------------------------------- rendering

def _headers(inst: Instance, rng: random.Random) -> tuple[str, str]:
    if inst.form in ("local", "cumulative") or rng.random() < 0.3:
        return "指标名称", "计量单位"
    return rng.choice([("统计指标", "单位"), ("指标名称", "计量单位"), ("项目", "单位")])


def _split_spans(text: str, rng: random.Random) -> str:
    """Word-exported text: cut into <span>s at random places, sometimes with &nbsp; indentation."""
    from html import escape

    if not text:
        return rng.choice(["", "&nbsp;", "<o:p>&nbsp;</o:p>"])
    if "\n" in text:
        return "".join(_split_spans(part, rng) for part in text.split("\n"))  # one <p> each
    cuts = sorted(rng.sample(range(1, len(text)), min(len(text) - 1, rng.randint(0, 2)))) if len(text) > 1 else []
    pieces = [text[a:b] for a, b in zip([0] + cuts, cuts + [len(text)])]
    style = "font-size:10.5pt;font-family:宋体;mso-bidi-font-family:宋体;mso-font-kerning:0pt"
    out = "".join(f"<span lang=EN-US style='{style}'>{escape(p)}</span>" if p[:1].isascii()
                  else f"<span style='{style}'>{escape(p)}</span>" for p in pieces)
    return f"<p class=MsoNormal align=left style='text-align:left;line-height:15.0pt'>{out}<o:p></o:p></p>"


def _td(content: str, attrs: str = "") -> str:
    content = content.replace("\n", "<br>")
    return f"<td {attrs} style='border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt'>{content}</td>"


class _HtmlTable:
    """One appendix rendered as a Word-exported HTML table; the random choices are drawn in a fixed order
    (style in __init__, then header, unit spans, title rows, body rows, page break, page)."""

    def __init__(self, inst: Instance, rng: random.Random) -> None:
        self.inst, self.rng = inst, rng
        self.label_h, self.unit_h = _headers(inst, rng)
        self.word = rng.random() < 0.7
        self.remark = rng.random() < 0.3
        self.code_col = inst.form == "coded"
        self.full_digits = rng.random() < 0.15
        groups = [i for i, r in enumerate(inst.rows) if r.spec.depth == 0 and r.spec.group]
        self.span_of = self._group_spans(groups) if bool(groups) and rng.random() < 0.5 else {}
        self.in_span = {j for g, n in self.span_of.items() for j in range(g + 1, g + 1 + n)}
        self.lead = 2 if self.span_of else 1
        self.thousands = rng.random() < 0.2
        self.units = rng.random() > 0.15  # some tables print no unit column …
        in_cells = not self.units and rng.random() < 0.5  # … and some of those print it in the value cells ("60条")
        if not self.units:
            for row in inst.rows:
                if in_cells and row.unit and any(c[:1].isdigit() for c in row.cells):
                    row.cells = [c + row.unit if c[:1].isdigit() else c for c in row.cells]
                else:
                    row.unit = ""
        self.two_rows = len(inst.columns) > 1 and rng.random() < 0.4  # 统计数 over 本年度 / 历年累计
        self.width = ((1 if self.code_col else 0) + self.lead + (1 if self.units else 0) + len(inst.columns)
                      + (1 if self.remark else 0))
        self.wide_groups = False
        self.unit_span: dict[int, int] = {}
        self.unit_covered: set[int] = set()

    def _group_spans(self, groups: list[int]) -> dict[int, int]:
        """Rows of each rowspan'd group: the group label spans the rows of its descendants."""
        span_of: dict[int, int] = {}
        for g in groups:
            n = 0
            for j in range(g + 1, len(self.inst.rows)):
                if self.inst.rows[j].spec.depth == 0:
                    break
                n += 1
            if n:
                span_of[g] = n
        return span_of

    def cell(self, text: str) -> str:
        return _split_spans(text, self.rng) if self.word else (text or self.rng.choice(["", "&nbsp;"]))

    def value_text(self, v: str) -> str:
        if self.thousands and v.isdigit() and len(v) > 3:
            v = f"{int(v):,}"
        if self.full_digits and v and v[0].isdigit():
            v = v.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        return v

    def header(self) -> tuple[list[str], list[int | None]]:
        """The header row(s), and the row index printed in each <tr> (None for them)."""
        inst, cell = self.inst, self.cell
        span2 = "rowspan=2 " if self.two_rows else ""
        head = []
        if self.code_col and inst.code_first:
            head.append(_td(cell("代码"), span2))
        head.append(_td(cell(self.label_h), span2 + (f"colspan={self.lead}" if self.lead > 1 else "")))
        if self.code_col and not inst.code_first:
            head.append(_td(cell("代码"), span2))
        if self.units:
            head.append(_td(cell(self.unit_h), span2))
        if self.two_rows:
            head.append(_td(cell("统计数"), f"colspan={len(inst.columns)}"))
        else:
            head += [_td(cell(c)) for c in inst.columns]
        if self.remark:
            head.append(_td(cell("备注"), span2))
        if self.rng.random() < 0.3:  # header cells as <th>
            head = [h.replace("<td ", "<th ").replace("</td>", "</th>") for h in head]
        trs = ["<tr>" + "".join(head) + "</tr>"]
        printed: list[int | None] = [None]
        if self.two_rows:
            trs.append("<tr>" + "".join(_td(cell(c)) for c in inst.columns) + "</tr>")
            printed.append(None)
        return trs, printed

    def plan_units(self) -> None:
        """Group rows spread across the table, and a unit printed once for a run of rows with the same unit
        (rowspan'd), in tables without group rowspans."""
        rows = self.inst.rows
        self.wide_groups = self.rng.random() < 0.2  # a group row without values: its label across the table
        if self.units and not self.span_of and not self.wide_groups and self.rng.random() < 0.2:
            i = 0
            while i < len(rows):
                j = i
                while j + 1 < len(rows) and rows[i].unit and rows[j + 1].unit == rows[i].unit:
                    j += 1
                if j > i:
                    self.unit_span[i] = j - i + 1
                i = j + 1
        self.unit_covered = {j for i, n in self.unit_span.items() for j in range(i + 1, i + n)}

    def title_rows(self, trs: list[str], printed: list[int | None]) -> None:
        """The table's title as its first row, sometimes with the reporting unit under it."""
        if self.rng.random() < 0.3:
            if self.rng.random() < 0.5:
                trs.insert(0, "<tr>" + _td(self.cell(f"填报单位：{self.inst.agency}"), f"colspan={self.width - 1}")
                           + _td(self.cell(f"{self.inst.year}年度")) + "</tr>")
                printed.insert(0, None)
            trs.insert(0, "<tr>" + _td(self.cell("政府信息公开情况统计表"), f"colspan={self.width}") + "</tr>")
            printed.insert(0, None)

    def lead_cells(self, i: int, row: Row) -> list[str]:
        """The code and label cells of a body row (a rowspan'd group label before the first of its rows)."""
        inst, cell, rng = self.inst, self.cell, self.rng
        tds = []
        if self.code_col and inst.code_first:
            tds.append(_td(cell(row.spec.code)))
        label = row.label
        if "（不" in label and rng.random() < 0.5:  # the note on a line of its own
            at = label.index("（不")
            label = label[:at] + "\n" + label[at:]
        if self.word and row.spec.depth and rng.random() < 0.3:
            label = "\u00a0" * (2 * row.spec.depth) + label
        g = next((g for g, n in self.span_of.items() if g < i <= g + n), None)
        if g is not None and i == g + 1:
            self.in_span.discard(i)  # the group's first row: a table may start here
            tds.append(_td(cell(inst.rows[g].label), f"rowspan={self.span_of[g]}"))
        if g is None and self.lead > 1:
            tds.append(_td(cell(label), "colspan=2"))
        else:
            tds.append(_td(cell(label)))
        if self.code_col and not inst.code_first:
            tds.append(_td(cell(row.spec.code)))
        return tds

    def body_row(self, i: int, row: Row) -> str:
        cell = self.cell
        if self.wide_groups and row.spec.group and not self.code_col and not self.span_of:
            return "<tr>" + _td(cell(row.label), f"colspan={self.width}") + "</tr>"
        tds = self.lead_cells(i, row)
        if self.units and i in self.unit_span:
            tds.append(_td(cell(row.unit), f"rowspan={self.unit_span[i]}"))
        elif self.units and i not in self.unit_covered:
            tds.append(_td(cell(row.unit)))
        tds += [_td(cell(self.value_text(v))) for v in row.cells]
        if self.remark:
            tds.append(_td(cell(self.rng.choice(["", "", "", "无"]))))
        return "<tr>" + "".join(tds) + "</tr>"

    def tables_html(self, trs: list[str], printed: list[int | None]) -> str:
        """The table, sometimes broken over two pages (the second part repeats no header), where no rowspan'd
        label crosses the break."""
        tables = [trs]
        cuts = [n for n, i in enumerate(printed) if 5 <= n <= len(trs) - 3 and i not in self.in_span
                and i not in self.unit_covered]
        if self.rng.random() < 0.2 and cuts:
            cut = self.rng.choice(cuts)
            tables = [trs[:cut], trs[cut:]]
        return "".join(
            "<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 width=600 "
            "style='border-collapse:collapse;border:none'><tbody>" + "".join(t) + "</tbody></table>"
            + ("<p class=MsoNormal>&nbsp;</p>" if n == 0 and len(tables) > 1 else "")
            for n, t in enumerate(tables))

    def render(self) -> bytes:
        trs, printed = self.header()
        self.plan_units()
        self.title_rows(trs, printed)
        for i, row in enumerate(self.inst.rows):
            if i in self.span_of:
                continue
            printed.append(i)
            trs.append(self.body_row(i, row))
        assert not self.in_span or self.span_of
        return _html_page(self.inst, self.tables_html(trs, printed), self.rng)


def _html_page(inst: Instance, table_html: str, rng: random.Random) -> bytes:
    paras = "".join(f"<p class=MsoNormal style='text-indent:32.0pt'><span>{p}</span></p>" for p in prose(inst)[1:])
    title = prose(inst)[0]
    caption = rng.choice(["附表：政府信息公开情况统计表", f"附件：{inst.agency}{inst.year}年政府信息公开情况统计表",
                          "七、政府信息公开情况统计表"])
    page = (f"<!DOCTYPE html><html><head><meta charset=utf-8><title>{title}_{inst.agency}</title></head><body>"
            "<div class=nav><a href=/>首页</a> &gt; <a href=/zwgk>政务公开</a> &gt; <a href=/nb>年度报告</a></div>"
            f"<div class=article><h1 class=title>{title}</h1><div class=info>发布时间：{inst.year + 1}-03-28</div>"
            f"<div class=TRS_Editor><div class=WordSection1>{paras}<p class=MsoNormal align=center><b>{caption}</b></p>"
            f"{table_html}<p>&nbsp;</p></div></div></div>"
            "<div class=footer><a href=#>打印本页</a> <a href=#>关闭窗口</a> 主办单位：某某县人民政府办公室</div>"
            "</body></html>")
    return page.encode("utf-8")


def render_html(inst: Instance, rng: random.Random) -> tuple[bytes, str]:
    return _HtmlTable(inst, rng).render(), "html"


def _page(inst: Instance, table_lines: list[str], rng: random.Random, one_line: bool = False) -> bytes:
    lines = prose(inst)
    caption = rng.choice(["七、附表", "附表：政府信息公开情况统计表", "六、政府信息公开情况统计表",
                          f"附件1：{inst.agency}{inst.year}年政府信息公开情况统计表"])
    tail = rng.choice(["附件下载", "相关阅读：", "打印本页 关闭窗口", "", "注：本表所列数据的统计期限为本年度1月1日至12月31日。"])
    if one_line:  # a crawler's page.txt: the whole body one line
        header = [f"标题: {lines[0]}", f"发布时间: {inst.year + 1}-02-25", "原文链接: http://www.example.gov.cn/1.html", ""]
        return "\n".join(header + [" ".join(lines + [caption] + table_lines + [tail])]).encode("utf-8")
    sep = "\n\n" if rng.random() < 0.5 else "\n"
    return sep.join(lines + [caption] + table_lines + ([tail] if tail else [])).encode("utf-8")


def _lead_cells(inst: Instance, row: Row) -> list[str]:
    """The label cell, and the 代码 cell before or after it in a coded form."""
    if inst.form != "coded":
        return [row.printed_label or row.label]
    return [row.spec.code, row.label] if inst.code_first else [row.label, row.spec.code]


def _lead_header(inst: Instance, label_h: str) -> list[str]:
    if inst.form != "coded":
        return [label_h]
    return ["代码", label_h] if inst.code_first else [label_h, "代码"]


def render_lines(inst: Instance, rng: random.Random) -> tuple[bytes, str]:
    """One cell per line (the seed); blank cells leave no line; units only where printed."""
    label_h, unit_h = _headers(inst, rng)
    header = rng.choice([[*_lead_header(inst, label_h), unit_h, *inst.columns], [unit_h, *inst.columns]])
    if len(inst.columns) > 1:
        header = [*_lead_header(inst, label_h), unit_h, *inst.columns]
    seed_units = rng.random() < 0.3  # like the seed: only 万元 / 人次 printed
    out = [h for h in header if h]
    trailing = " " if rng.random() < 0.5 else ""
    broken = rng.random() < 0.3  # a label's bracketed note on a line of its own
    for row in inst.rows:
        cells = _lead_cells(inst, row)
        if broken:
            cells = [part for c in cells for part in c.replace("（不", "\n（不").split("\n")]
        out += [c + trailing for c in cells]
        if row.unit and not (seed_units and row.unit in ("条", "件", "次", "篇", "个", "人")):
            out.append(row.unit)
        elif seed_units and row.unit not in BLANK_MARKS:
            row.unit = ""  # not printed
        for v in row.cells:
            if v:
                out.append(v)
    if len(inst.columns) > 1:  # a blank cell must keep its place when there are several value cells
        for row in inst.rows:
            if any(row.cells) and not all(row.cells):
                raise _Skip
    page = _page(inst, out, rng)
    if rng.random() < 0.3:  # like the seed: a Traditional-character mirror
        raise _Traditional(_traditional(page))
    return page, "text"


class _Skip(Exception):
    """The instance cannot be printed faithfully in this form (re-drawn by the caller)."""


class _Traditional(Exception):
    """A rendered page converted to Traditional characters (carried out of the renderer)."""

    def __init__(self, data: bytes):
        super().__init__("traditional")
        self.data = data


def render_run(inst: Instance, rng: random.Random) -> tuple[bytes, str]:
    """One run of text: a crawler's get_text() of the table (label+unit+cells glued)."""
    label_h, unit_h = _headers(inst, rng)
    # (a table with two value columns always prints the header naming them)
    parts = ["".join(_lead_header(inst, label_h)) + unit_h + "".join(inst.columns)] \
        if rng.random() < 0.8 or len(inst.columns) > 1 else []
    for row in inst.rows:
        parts.append("".join(_lead_cells(inst, row)) + (row.unit or "") + "".join(row.cells))
    if len(inst.columns) > 1:
        for row in inst.rows:
            if any(row.cells) and not all(row.cells):
                raise _Skip
    data = _page(inst, ["".join(parts)], rng, one_line=rng.random() < 0.6)
    if rng.random() < 0.15:
        raise _Traditional(_traditional(data))
    return data, "text"


def render_spaced(inst: Instance, rng: random.Random) -> tuple[bytes, str]:
    label_h, unit_h = _headers(inst, rng)
    style = rng.choice(["tab", "spaces", "one_line"])
    k = len(inst.columns)
    rows = [[*_lead_header(inst, label_h), unit_h, *inst.columns]]
    for row in inst.rows:
        rows.append([*_lead_cells(inst, row), row.unit or "", *row.cells])
    if style == "tab":
        lines = ["\t".join(r) for r in rows]
    else:
        if k > 1 and any(any(r[-k:]) and not all(r[-k:]) for r in rows[1:]):
            raise _Skip  # a blank value cell beside a printed one leaves no trace in spaces
        sep = rng.choice([" ", "  ", "   "])
        lines = [sep.join(c for c in r if c) for r in rows]
        if style == "one_line":
            lines = [" ".join(lines)]
    data = _page(inst, lines, rng, one_line=style == "one_line" and rng.random() < 0.5)
    if rng.random() < 0.15:
        raise _Traditional(_traditional(data))
    return data, "text"


def render_pipe(inst: Instance, rng: random.Random) -> tuple[bytes, str]:
    label_h, unit_h = _headers(inst, rng)
    rows = [[*_lead_header(inst, label_h), unit_h, *inst.columns]]
    for row in inst.rows:
        rows.append([*_lead_cells(inst, row), row.unit or "", *row.cells])
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return _page(inst, lines, rng), "text"


def _traditional(data: bytes) -> bytes:
    import opencc

    return opencc.OpenCC("s2t").convert(data.decode("utf-8")).encode("utf-8")


RENDERERS = {"html": render_html, "lines": render_lines, "run": render_run, "spaced": render_spaced,
             "pipe": render_pipe}


def page(form: str, style: str, seed: int) -> tuple[Instance, bytes, str, bool]:
    """(instance, page bytes, kind, traditional?) for one case; deterministic in its arguments."""
    rng = random.Random(f"{form}/{style}/{seed}")
    for _ in range(50):
        inst = instance(form, rng)
        traditional = False
        try:
            data, kind = RENDERERS[style](inst, rng)
        except _Skip:
            continue
        except _Traditional as t:
            data, kind, traditional = t.data, "text", True
        if style == "html" and rng.random() < 0.25:
            data, traditional = _traditional(data), True
        return inst, data, kind, traditional
    raise RuntimeError("no printable instance")


# ---------------------------------------------------------------------------------------------- scoring

@dataclass
class Outcome:
    rows: int = 0  # expected cells
    exact: int = 0
    null_ambiguous: int = 0  # null where the run is genuinely ambiguous (an ambiguous_split check says so)
    wrong: list[str] = field(default_factory=list)  # another value, unit, or a missing / extra row

    def add(self, other: "Outcome") -> None:
        self.rows += other.rows
        self.exact += other.exact
        self.null_ambiguous += other.null_ambiguous
        self.wrong += other.wrong


def run_case(form: str, style: str, seed: int) -> Outcome:
    from xxgk.parsers.document import RawDoc
    from xxgk.pipeline.extract import extract

    inst, data, kind, traditional = page(form, style, seed)
    ex = extract(RawDoc(data, f"{form}-{style}-{seed}.{'html' if kind == 'html' else 'txt'}", kind))
    want = expected(inst)
    if traditional:
        want = _round_trip(want)
    got = {(c.row_key, c.column_key): c for c in ex.cells if c.table == "legacy_appendix"}
    ambiguous = {c.check.split("/", 1)[1] for c in ex.checks if c.check.startswith("legacy_appendix.ambiguous_split/")}
    out = Outcome()
    tag = f"[{form}/{style}/{seed} {ex.meta.template}]"
    for key, (value, unit, _raw) in want.items():
        out.rows += 1
        cell = got.get(key)
        if cell is None:
            out.wrong.append(f"{tag} missing {key}")
            continue
        if cell.value is None and value is not None and key[0] in ambiguous and style in ("run",):
            out.null_ambiguous += 1
            continue
        same = (value is None and cell.value is None) or (
            value is not None and cell.value is not None and abs(cell.value - value) < 1e-9)
        if not same:
            out.wrong.append(f"{tag} {key}: want {value} got {cell.value} (raw {cell.raw_value!r})")
        elif cell.unit != unit:
            out.wrong.append(f"{tag} {key}: unit want {unit} got {cell.unit}")
        else:
            out.exact += 1
    for key in got.keys() - want.keys():
        out.wrong.append(f"{tag} extra {key} = {got[key].value}")
    return out


def _round_trip(want: dict) -> dict:
    import opencc

    s2t, t2s = opencc.OpenCC("s2t"), opencc.OpenCC("t2s")
    conv = lambda s: t2s.convert(s2t.convert(s)) if s else s  # noqa: E731
    return {(conv(k), conv(c)): (v, conv(u), raw) for (k, c), (v, u, raw) in want.items()}


def main() -> None:
    import sys

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    total = Outcome()
    for form in FORMS:
        for style in RENDERERS:
            o = Outcome()
            for seed in range(n):
                o.add(run_case(form, style, seed))
            total.add(o)
            print(f"{form:11s} {style:7s} rows {o.rows:6d} exact {o.exact / o.rows:8.3%} "
                  f"null-ambiguous {o.null_ambiguous:4d} wrong {len(o.wrong)}")
            for w in o.wrong[:int(sys.argv[2]) if len(sys.argv) > 2 else 3]:
                print("    ", w)
    print(f"TOTAL rows {total.rows} exact {total.exact / total.rows:.3%} null-ambiguous {total.null_ambiguous} "
          f"wrong {len(total.wrong)}")


if __name__ == "__main__":
    main()
