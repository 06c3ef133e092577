"""Legacy statistics appendix (政府信息公开情况统计表, 2008–2018 form and local variants) → table_cells.

Every input form is turned into one stream of rows (label, unit, value tokens):
  * HTML tables (Block.rows grids): label cells, a unit cell, value cells;
  * text flattened one cell per line (the seed);
  * text flattened into one run ("主动公开文件数条206912106其中：1.政府网站公开数条2069121062.…").
Rows are then nested into label paths by their numbering (一、 / （一） / 1. / （1） / 其中：), and runs of
digits that hold several value columns are split using the table's own identities (本年度 ≤ 历年累计,
其中 items adding up to their total) and, as a last resort, the numbers the prose states. A run that still
splits more than one way gives value None with the run as raw_value (rules/checks.py reports it).
Rules (header words, units, footer) live in rules/data/legacy.toml.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache

from parsers.document import Block, Document
from rules.data_files import load
from rules.records import Cell

TABLE = "legacy_appendix"
CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
BLANKS = set("-—–－/／") | {"——", "--", "无", "空"}
MAX_COMBOS = 20000
PLAUSIBLE_RATIO = 50.0  # a run read as (本年度, 历年累计) with 累计/本年 at most this is plausible …
IMPLAUSIBLE_RATIO = 1000.0  # … and decides only when every other reading is at least this far off
FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def cn_number(text: str) -> int | None:
    """一 … 九十九 (the numbering of appendix rows)."""
    if not text or any(c not in CN_DIGITS for c in text):
        return None
    if len(text) == 1:
        return CN_DIGITS[text]
    if text[0] == "十":
        return 10 + (CN_DIGITS[text[1]] if len(text) == 2 else 0)
    if len(text) == 2 and text[1] == "十":
        return CN_DIGITS[text[0]] * 10
    if len(text) == 3 and text[1] == "十":
        return CN_DIGITS[text[0]] * 10 + CN_DIGITS[text[2]]
    return None


_NUMBERING = [
    ("cn", re.compile(r"([一二三四五六七八九十]{1,3})[、.．]")),
    ("pcn", re.compile(r"[（(]([一二三四五六七八九十]{1,3})[）)]")),
    ("parabic", re.compile(r"[（(](\d{1,2})[）)]")),
    ("arabic", re.compile(r"(\d{1,2})[.、．](?![\d.])")),
    ("circled", re.compile(f"([{CIRCLED}])")),
    ("code", re.compile(r"(0[1-9]|[1-9]\d)(?=[\u4e00-\u9fff])")),
]
_QIZHONG = re.compile(r"其中[:：]?")
_DIGITS = re.compile(r"\d+(?:[.]\d+)?")
_ORD_FOLLOW = re.compile(r"[.、．](?=[^\d\s.])")
_CN_ORDINAL = re.compile(r"([一二三四五六七八九十]{1,3})[、.．]")


def numbering(label: str) -> tuple[str, int | None]:
    """(style, ordinal) of a label's leading numbering; ("none", None) when unnumbered."""
    for style, pattern in _NUMBERING:
        m = pattern.match(label)
        if m:
            g = m.group(1)
            if style in ("cn", "pcn"):
                return style, cn_number(g)
            if style == "circled":
                return style, CIRCLED.index(g) + 1
            return style, int(g)
    return "none", None


def key_label(label: str) -> str:
    """A label as it goes into row_key: white space removed, brackets and colons full width."""
    label = re.sub(r"\s+", "", label)
    return label.translate(str.maketrans({"(": "（", ")": "）", ":": "：", "．": "."}))


@dataclass
class Row:
    label: str
    unit: str | None = None
    tokens: list[str] = field(default_factory=list)  # value tokens as printed (a token may be a glued run)
    candidates: list[tuple] = field(default_factory=list)  # possible value tuples, one per column
    key: str = ""
    parent: int | None = None
    ambiguous: str | None = None  # the run, when it splits more than one way
    how: str | None = None  # how a run that split several ways was decided (reported as a check)


@lru_cache(maxsize=1)
def _rules() -> dict:
    r = load("legacy")
    units = sorted(r["units"]["list"], key=len, reverse=True)
    label_h = "|".join(sorted(r["header"]["label"], key=len, reverse=True))
    unit_h = "|".join(r["header"]["unit"])
    code_h = "|".join(r["header"]["code"])
    value_h = r["header"]["value"]
    return {
        "units": units,
        "unit_re": re.compile("|".join(re.escape(u) for u in units)),
        "unit_end": re.compile("(?:" + "|".join(re.escape(u) for u in units) + ")$"),
        "header": re.compile(
            rf"(?=[{''.join(sorted({w[0] for w in r['header']['label'] + r['header']['unit'] + r['header']['code']}))}])(?:(?:{label_h})\s*)?(?P<code>(?:{code_h})\s*)?(?:(?P<unit>{unit_h})\s*)?"
            rf"(?P<values>(?:{value_h}\s*){{1,4}})(?:(?:备注|说明)\s*)?"),
        "value_h": re.compile(value_h),
        "label_h": re.compile(rf"(?:{label_h})"),
        "code_h": set(r["header"]["code"]),
        "strong_label_h": re.compile("|".join(h for h in r["header"]["label"] if len(h) >= 4)),
        "marker": re.compile("|".join(r["appendix"]["markers"])),
        "row_words": r["appendix"]["row_words"],
        "footer": re.compile(r["appendix"]["footer"]),
        "sum_parents": r["sum_checks"]["parents"],
    }


# ---------------------------------------------------------------------------------------------- text

def find_region(text: str) -> tuple[int, int, list[str]] | None:
    """(start, end, value column headers) of the appendix in flattened text, or None."""
    found = _find_region(text)
    return found[:3] if found else None


def appendix_start(text: str) -> int | None:
    """Where the appendix (its header, or the marker naming it) begins in flattened text; None without one."""
    found = _find_region(text)
    if not found:
        return None
    start, end, _, head, _ = found
    return head if _region_rows(text[start:end]) >= 2 else None


@lru_cache(maxsize=8)
def _region_rows(region: str) -> int:
    """How many rows with values a flattened appendix region holds."""
    return len([r for r in _trim(tokenize(region.translate(FULL_WIDTH_DIGITS))) if r.tokens])


@lru_cache(maxsize=8)
def _find_region(text: str) -> tuple[int, int, list[str], int, bool] | None:
    rules = _rules()
    best = None
    for m in rules["header"].finditer(text):
        if not (m.group("unit") or rules["strong_label_h"].match(m.group(0))):
            continue
        after = text[m.end(): m.end() + 400]
        if any(w in after for w in rules["row_words"]) and re.search(r"\d", after):
            best = m
    if best is not None:
        head = best.start()
        start = best.end()
        has_code = bool(best.group("code"))
        columns = [c for c in rules["value_h"].findall(best.group("values"))]
        columns = [re.sub(r"\s+", "", c) for c in columns]
    else:
        start = None
        for m in rules["marker"].finditer(text):
            after = text[m.end(): m.end() + 300]
            if any(w in after for w in rules["row_words"]) and re.search(r"\d", after):
                start = m.end()
                head = m.start()
        if start is None:
            return None
        columns = ["数量"]
        has_code = False
    foot = rules["footer"].search(text, start)
    end = foot.start() if foot else len(text)
    return start, end, columns, head, has_code


def _balanced(label: str) -> bool:
    return label.count("（") + label.count("(") <= label.count("）") + label.count(")")


def tokenize(text: str, codes: bool = False) -> list[Row]:
    """Rows of a flattened appendix region (one run, or one cell per line)."""
    rules = _rules()
    units = rules["units"]
    unit_re = rules["unit_re"]
    line_mode = text.count("\n") >= 10  # one cell per line (the seed) rather than one run
    rows: list[Row] = []
    cur: Row | None = None
    label = ""
    last = {"cn": 0, "pcn": 0, "arabic": 0, "parabic": 0, "circled": 0, "code": 0}
    line_start = True
    i, n = 0, len(text)

    def close() -> None:
        nonlocal cur, label
        if cur is not None:
            rows.append(cur)
            cur = None
        elif label.strip():
            rows.append(Row(label=label.strip()))
        label = ""

    def note_numbering(s: str) -> None:
        style, num = numbering(s)
        if num is not None:
            last[style] = num
            order = ["cn", "pcn", "arabic", "parabic", "circled"]
            if style in order:
                for lower in order[order.index(style) + 1:]:
                    last[lower] = 0

    def split_allowed(style: str, num: int | None) -> bool:
        if num is None:
            return False
        if line_start:
            return True
        if style == "cn":
            return num == last["cn"] + 1
        return num == last[style] + 1 or num == 1

    while i < n:
        ch = text[i]
        if ch == "\n":
            line_start = True
            i += 1
            continue
        if ch.isspace():
            i += 1
            continue
        in_values = cur is not None and bool(cur.tokens)
        # a unit cell (alone, or glued after the label) directly before a value
        if label or cur is not None:
            um = unit_re.match(text, i)
            u = um.group(0) if um else None
            if u:
                j = i + len(u)
                while j < n and text[j].isspace():
                    j += 1
                nxt = text[j] if j < n else ""
                starts_cell = i == 0 or text[i - 1].isspace()
                own_line = (i == 0 or text[i - 1] == "\n") and "\n" in text[i + len(u): j + 1]
                glued_ok = not line_mode or starts_cell  # one cell per line: a unit is a cell of its own
                if glued_ok and (nxt.isdigit() or nxt in BLANKS or j >= n or (cur is not None and not cur.tokens)
                                 or own_line or (codes and cur is not None)):
                    if cur is None:
                        cur = Row(label=label.strip())
                        label = ""
                    if not cur.tokens or (codes and cur.unit is None and len(cur.tokens) == 1
                                          and re.fullmatch(r"\d{2,3}", cur.tokens[0])):
                        cur.unit = u  # (after a 代码 cell, when the table has a code column)
                        i += len(u)
                        line_start = False
                        continue
        if ch.isdigit():
            m = _DIGITS.match(text, i)
            digits = m.group(0)
            after = text[i + len(digits): i + len(digits) + 2]
            ord_follow = bool(_ORD_FOLLOW.match(after)) and "." not in digits
            has_label = bool(label) or cur is not None
            if label in ("其中：", "其中:") and cur is None:
                label += digits
                i += len(digits)
                continue
            if not has_label or (cur is None and ord_follow and split_allowed("arabic", int(float(digits)))
                                 and not rules["unit_end"].search(label)):
                # numbering at the start of a label (or of a new row after a label-only row)
                if has_label:
                    close()
                label = digits
                i += len(digits)
                line_start = False
                continue
            if cur is None and after[:1] and after[0] in "条件次篇个人项年月日号%余多" and label:
                # a number inside the label ("计1条"), not a value
                label += digits
                i += len(digits)
                continue
            if cur is None:
                cur = Row(label=label.strip())
                label = ""
            value = digits
            if ord_follow:
                # a value glued to the next row's ordinal: "2069121062.政府公报…"
                expected = str(last["arabic"] + 1)
                if digits.endswith(expected) and len(digits) > len(expected):
                    value = digits[: -len(expected)]
                elif len(digits) > 1:
                    value = digits[:-1]
                else:
                    value = ""
                if value:
                    cur.tokens.append(value)
                close()
                label = digits[len(value):]
                i += len(digits)
                line_start = False
                continue
            cur.tokens.append(value)
            i += len(digits)
            line_start = False
            continue
        if (cur is not None or label) and ch in BLANKS and not label.endswith(("增", "（", "(")):
            j = i
            while j < n and text[j] in "-—–－/／":
                j += 1
            if j == i:
                j = i + 1
            if j >= n or text[j].isspace() or text[j].isdigit() or cur is not None:
                if cur is None:
                    cur = Row(label=label.strip())
                    label = ""
                cur.tokens.append(text[i:j])
                i = j
                continue
        # label text
        if in_values:
            close()
        if ch in "（(":
            close_at = -1
            for j in range(i + 1, min(n, i + 80)):
                if text[j] in "）)":
                    close_at = j
                    break
            inner = text[i + 1: close_at] if close_at > 0 else ""
            style, num = numbering(text[i: close_at + 1]) if close_at > 0 else ("none", None)
            if style in ("pcn", "parabic") and (not label or label in ("其中：", "其中:") or style == "pcn"
                                                or split_allowed(style, num)) \
                    and not label.endswith("第"):
                if label and label not in ("其中：", "其中:"):
                    close()
                if cur is not None:
                    close()
                note_numbering(text[i: close_at + 1])
                label += text[i: close_at + 1]
                i = close_at + 1
                line_start = False
                continue
            if close_at > 0:
                if cur is not None:
                    close()
                label += text[i: close_at + 1]
                i = close_at + 1
                line_start = False
                continue
        m = _CN_ORDINAL.match(text, i)
        if m and (not label or (split_allowed("cn", cn_number(m.group(1)))
                                and label[-1:] not in "第统唯之进逐单合万")):
            if cur is not None or label:
                close()
            note_numbering(m.group(0))
            label = m.group(0)
            i += len(m.group(0))
            line_start = False
            continue
        if ch in CIRCLED and label and label not in ("其中：", "其中:"):
            close()
        if text.startswith("其中", i) and label and label.rstrip("：:") != "":
            close()
        if not label and cur is None:
            style, num = numbering(text[i:i + 4])
            if num is not None and style != "code":
                note_numbering(text[i:i + 4])
        if cur is not None or (line_start and label and _balanced(label)):
            close()
        label += ch
        i += 1
        line_start = False
    close()
    # numbering inside labels that started with digits ("1.") updates nothing above; fine for nesting
    return [r for r in rows if r.label or r.tokens]


# ---------------------------------------------------------------------------------------------- tables

def _label_after(row: list[str], code_col: int) -> bool:
    """Whether the label cells of a row come after its code cell."""
    return any(c > code_col and cell.strip() and not _is_number(cell) for c, cell in enumerate(row[:code_col + 2]))


def _is_number(cell: str) -> bool:
    return bool(re.fullmatch(r"[-+]?\d[\d,，]*(?:\.\d+)?", cell.strip()))


def table_rows(block: Block) -> tuple[list[Row], list[str]] | None:
    """Rows of an appendix printed as a real table."""
    rules = _rules()
    grid = block.rows or []
    if not grid:
        return None
    text = block.text
    if not any(w in text for w in rules["row_words"]):
        return None
    columns: list[str] = []
    unit_col = None
    code_col = None
    value_cols: list[int] = []
    rows: list[Row] = []
    body_start = 0
    for r, row in enumerate(grid[:3]):
        cells = [re.sub(r"\s+", "", c) for c in row]
        vals = [c for c, cell in enumerate(cells) if rules["value_h"].fullmatch(cell or "-")]
        if any(rules["label_h"].fullmatch(c) or c in ("单位", "计量单位") for c in cells) or vals:
            value_cols = vals
            columns = [cells[c] for c in vals]
            unit_col = next((c for c, cell in enumerate(cells) if cell in ("单位", "计量单位")), None)
            code_col = next((c for c, cell in enumerate(cells) if cell in rules["code_h"]), None)
            body_start = r + 1
            break
    for r in range(body_start, len(grid)):
        row = grid[r]
        labels, unit, tokens, code = [], None, [], ""
        for c, cell in enumerate(row):
            cell_s = re.sub(r"\s+", "", cell).translate(FULL_WIDTH_DIGITS)
            if block.is_span_copy(r, c):
                continue
            if c == code_col:
                code = cell_s
                continue
            if c == unit_col or (unit_col is None and cell_s in rules["units"]):
                unit = cell_s or None
            elif c in value_cols or _is_number(cell_s) or (value_cols and c > max(value_cols + [unit_col or 0])):
                tokens.append(cell_s)
            elif value_cols and c >= min(value_cols):
                tokens.append(cell_s)
            elif cell_s and (not labels or cell_s != labels[-1]):
                labels.append(cell_s)
        if not labels and not any(tokens):
            continue
        for extra in labels[:-1]:
            rows.append(Row(label=extra))
        label = labels[-1] if labels else ""
        if code:  # a 代码 column: the code stays with the row as printed
            label = code + label if code_col is not None and code_col < len(row) and _label_after(row, code_col) else label + code
        rows.append(Row(label=label, unit=unit, tokens=[t for t in tokens]))
    return rows, columns or ["数量"]


# ---------------------------------------------------------------------------------------------- values

def parse_value(token: str) -> float | None:
    token = token.replace(",", "").replace("，", "").strip()
    if not token or token in BLANKS or not re.fullmatch(r"[-+]?\d+(?:\.\d+)?", token):
        return None
    return float(token)


def splits(run: str, k: int) -> list[tuple]:
    """Every way a glued digit run reads as k values (no leading zeros; a later cumulative column ≥ the year's)."""
    if k == 1:
        return [(parse_value(run),)]
    if "." in run or not run.isdigit():
        return []
    out = []
    for cut in itertools.combinations(range(1, len(run)), k - 1):
        parts = [run[a:b] for a, b in zip((0,) + cut, cut + (len(run),))]
        if any(len(p) > 1 and p[0] == "0" for p in parts):
            continue
        vals = tuple(float(p) for p in parts)
        if k == 2 and vals[1] < vals[0]:
            continue
        out.append(vals)
    return out


def row_candidates(row: Row, k: int, cumulative: bool) -> None:
    tokens = [t for t in row.tokens if t != ""]
    if len(tokens) >= k:
        row.candidates = [tuple(parse_value(t) for t in tokens[:k])]
    elif len(tokens) == 1 and k > 1 and tokens[0].isdigit():
        cands = splits(tokens[0], k) if cumulative or k > 2 else _all_splits(tokens[0])
        row.candidates = cands
        if len(cands) != 1:
            row.ambiguous = tokens[0]
    else:
        vals = [parse_value(t) for t in tokens] + [None] * (k - len(tokens))
        row.candidates = [tuple(vals[:k])]


def _all_splits(run: str) -> list[tuple]:
    out = []
    for cut in range(1, len(run)):
        a, b = run[:cut], run[cut:]
        if (len(a) > 1 and a[0] == "0") or (len(b) > 1 and b[0] == "0"):
            continue
        out.append((float(a), float(b)))
    return out


def nest(rows: list[Row]) -> None:
    """Give every row its label path (row_key) and parent, from numbering and 其中.

    A numbered row is the sibling of the nearest row above with the same numbering style (一、 （一） 1. …) and
    the child of the row above otherwise; “其中：…” opens a sub-list under the row before it, and the
    rows after it with the same numbering as its own (none, or 1. 2. …) are its siblings."""
    stack: list[tuple[str, int, bool]] = []  # (numbering style, row index, opened by 其中)
    for idx, row in enumerate(rows):
        label = key_label(row.label)
        q = _QIZHONG.match(label)
        coded = bool(re.search(r"\D\d{2,3}$", label))  # a 代码 cell joined to the label: coded rows are flat
        if q:
            style = "code-sub" if coded else numbering(label[q.end():])[0]
            while stack and stack[-1][2]:  # a second 其中 is a sibling of the first
                stack.pop()
            stack.append((style, idx, True))
        else:
            style = "code" if coded else numbering(label)[0]
            j = len(stack) - 1
            while j >= 0 and stack[j][0] != style:
                j -= 1
            in_qizhong = j >= 0 and stack[j][2]  # a sibling in a 其中 list stays in it
            if j >= 0:
                del stack[j:]
            stack.append((style, idx, in_qizhong))
        parent = stack[-2][1] if len(stack) >= 2 else None
        row.parent = parent
        row.key = (rows[parent].key + "/" if parent is not None else "") + label


def resolve(rows: list[Row], prose_numbers: set[tuple[float, str | None]], cumulative: bool = False) -> None:
    """Narrow split candidates with the table's identities, then with the prose; record what stays ambiguous."""
    children: dict[int, list[int]] = {}
    for idx, row in enumerate(rows):
        if row.parent is not None:
            children.setdefault(row.parent, []).append(idx)

    def propagate() -> bool:
        changed = False
        for p, kids in children.items():
            group = [p] + kids
            if all(len(rows[g].candidates) <= 1 for g in group):
                continue
            if any(not rows[g].candidates for g in group):
                continue
            size = 1
            for g in group:
                size *= len(rows[g].candidates)
            if size > MAX_COMBOS:
                continue
            ok = []
            for combo in itertools.product(*(rows[g].candidates for g in group)):
                parent, parts = combo[0], combo[1:]
                if all(parent[c] is not None and all(x[c] is not None for x in parts)
                       and abs(parent[c] - sum(x[c] for x in parts)) < 1e-9 for c in range(len(parent))):
                    ok.append(combo)
            if ok:
                for pos, g in enumerate(group):
                    keep = [c for c in rows[g].candidates if any(o[pos] == c for o in ok)]
                    if len(keep) < len(rows[g].candidates):
                        rows[g].candidates = keep
                        changed = True
        return changed

    while propagate():
        pass
    for row in rows:
        if len(row.candidates) > 1:
            stated = [c for c in row.candidates if (c[0], row.unit) in prose_numbers]
            if len(stated) == 1:
                row.candidates = stated
                row.how = "the prose states " + _fmt(stated[0][0]) + (row.unit or "")
                while propagate():
                    pass
    if not cumulative:
        return
    for row in rows:
        if len(row.candidates) > 1 and len(row.candidates[0]) == 2:
            # 历年累计 against 本年度: a cumulative figure of a few years of reports, not hundreds
            ratio = [c[1] / c[0] if c[0] else float("inf") for c in row.candidates]
            near = [c for c, r in zip(row.candidates, ratio) if r <= PLAUSIBLE_RATIO]
            far = [r for r in ratio if r > PLAUSIBLE_RATIO]
            if len(near) == 1 and all(r >= IMPLAUSIBLE_RATIO for r in far):
                row.candidates = near
                row.how = (f"历年累计/本年度 = {near[0][1] / near[0][0]:.1f}; every other reading gives a ratio of "
                           f"{IMPLAUSIBLE_RATIO:g} or more")
                while propagate():
                    pass


def prose_numbers(text: str) -> set[tuple[float, str | None]]:
    units = _rules()["units"]
    found = set()
    for m in re.finditer(r"(\d+(?:\.\d+)?)\s*(" + "|".join(map(re.escape, units)) + ")", text):
        found.add((float(m.group(1)), m.group(2)))
    return found


def build_cells(rows: list[Row], columns: list[str], prose: str) -> list[Cell]:
    k = max(1, len(columns))
    cumulative = k == 2 and any("累计" in c for c in columns)
    for row in rows:
        row_candidates(row, k, cumulative)
    nest(rows)
    resolve(rows, prose_numbers(prose), cumulative)
    keys = ["value"] if k == 1 else columns
    cells: list[Cell] = []
    seen: set[str] = set()
    for row in rows:
        key = row.key
        if not key:
            continue
        if key in seen:  # a label printed twice in one group: keep both, second one numbered
            n = 2
            while f"{key}#{n}" in seen:
                n += 1
            key = f"{key}#{n}"
        seen.add(key)
        tokens = [t for t in row.tokens if t != ""]
        resolved = row.candidates[0] if len(row.candidates) == 1 else None
        for c, column in enumerate(keys):
            if resolved is not None:
                value = resolved[c]
                raw = tokens[c] if len(tokens) >= k and c < len(tokens) else (
                    _fmt(value) if tokens else "")
            else:
                value = None
                raw = tokens[0] if tokens else ""
            cell = Cell(TABLE, key, re.sub(r"\s+", "", row.label), column, value, raw, row.unit)
            if row.ambiguous and resolved is not None and c == 0:
                cell._split = (row.ambiguous, row.how or "the table's sums (其中 items against their total)")
            cells.append(cell)
    return cells


def _fmt(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else str(value)


def _table_score(rows: list[Row]) -> int:
    """Rows that look like appendix rows: a short label and at least one number."""
    return sum(1 for r in rows if 0 < len(r.label) <= 80 and any(parse_value(t) is not None for t in r.tokens))


def extract_legacy(doc: Document) -> list[Cell]:
    picked: list[Row] = []
    columns: list[str] | None = None
    for block in doc.tables:
        parsed = table_rows(block)
        if not parsed or _table_score(parsed[0]) < 3:
            continue
        rows, cols = parsed
        if columns is None:
            columns = cols
        elif len(cols) != len(columns):
            continue
        picked.extend(rows)  # an appendix broken over several tables (page breaks) reads as one
    if picked:
        prose = "\n".join(b.text for b in doc.blocks if b.kind != "table")
        return build_cells(picked, columns, prose)
    text = "\n".join(b.text for b in doc.blocks if b.kind != "table")
    region = find_region(text)
    if region is None:
        return []
    start, end, columns, _, has_code = _find_region(text)
    rows = tokenize(text[start:end].translate(FULL_WIDTH_DIGITS), has_code)
    rows = _trim(rows)
    if has_code:
        _codes_into_labels(rows, len(columns))
    if len([r for r in rows if r.tokens]) < 2:
        return []
    return build_cells(rows, columns, text[:start])


def _codes_into_labels(rows: list[Row], k: int) -> None:
    """A 代码 column printed after the label (“主动公开政府信息数 01 条 60”): the code joins the label."""
    for row in rows:
        if len(row.tokens) > k and re.fullmatch(r"\d{2,3}", row.tokens[0]):
            row.label = row.label + row.tokens[0]
            row.tokens = row.tokens[1:]


def _trim(rows: list[Row]) -> list[Row]:
    """Drop trailing label-only rows (page chrome after the table) and rows that are prose."""
    out = []
    for row in rows:
        if "。" in row.label or len(row.label) > 120:
            break
        out.append(row)
    while out and not out[-1].tokens:
        out.pop()
    return out
