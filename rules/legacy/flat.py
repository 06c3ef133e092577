"""Flattened appendices: find the appendix in text, and read its rows (one cell per line, or one run of text)."""
from __future__ import annotations

import re
from functools import lru_cache

from xxgk.rules.legacy.basics import BLANKS, CIRCLED, FULL_WIDTH_DIGITS, Row, cn_number, numbering, rules as _rules
from xxgk.rules.text import HAN, squash

_DIGITS = re.compile(r"\d+(?:[.]\d+)?")
_ORD_FOLLOW = re.compile(r"[.、．][ \t]?(?=[^\d\s.])")  # "2.政府公报…", Word text "2. 政府公报…"
_CN_ORDINAL = re.compile(r"([一二三四五六七八九十]{1,3})[、.．]")

def find_region(text: str) -> tuple[int, int, list[str]] | None:
    """(start, end, value column headers) of the appendix in flattened text, or None."""
    found = locate_region(text)
    return found[:3] if found else None


def appendix_start(text: str) -> int | None:
    """Where the appendix (its header, or the marker naming it) begins in flattened text; None without one."""
    found = locate_region(text)
    if not found:
        return None
    start, end, _, head, _ = found
    return head if _region_rows(text[start:end]) >= 2 else None


@lru_cache(maxsize=8)
def _region_rows(region: str) -> int:
    """How many rows with values a flattened appendix region holds."""
    return len([r for r in trim_rows(tokenize(region.translate(FULL_WIDTH_DIGITS))) if r.tokens])


@lru_cache(maxsize=8)
def locate_region(text: str) -> tuple[int, int, list[str], int, bool | None] | None:
    """(start, end, value column headers, where the header starts, code column: None without one, True when
    printed before the label column, False after it) of the appendix in flattened text."""
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
        has_code = True if best.group("code1") else False if best.group("code") else None
        columns = [c for c in rules["value_h"].findall(best.group("values"))]
        columns = [squash(c) for c in columns]
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
        has_code = None
    foot = rules["footer"].search(text, start)
    end = foot.start() if foot else len(text)
    return start, end, columns, head, has_code


def _balanced(label: str) -> bool:
    return (label.count("（") + label.count("(") <= label.count("）") + label.count(")")
            and label.count("《") <= label.count("》"))


def mark_codes(region: str, code_first: bool | None = None) -> tuple[str, bool] | None:
    """A 代码 column in flattened text: the codes 01, 02, 03 … found in order, each set off as \x00NN\x00 so
    that no code is read as a value or as part of a label; (marked text, codes printed before the labels).
    None when the region holds no run of such codes. A code printed before its label must be followed by the
    label (so a value glued before it, “条6002其中”, is told apart); one printed after it must follow the label."""
    found: list[tuple[int, int]] = []
    units = _rules()["unit_re"]
    pos = 0
    first = code_first
    for n in range(1, 100):
        code = f"{n:02d}"
        a = pos - 1
        while True:
            a = region.find(code, a + 1)  # overlapping: “次111其中” is 1 then code 11
            if a < 0:
                break
            b = a + len(code)
            if b < len(region) and (region[b].isdigit() or region[b] in ".、．"):
                continue  # part of a longer number, or a row's ordinal (“01、”)
            before_digit = a > 0 and region[a - 1].isdigit()
            nxt = region[b:b + 4].lstrip()[:1]
            label_next = bool(nxt) and not nxt.isdigit() and nxt not in BLANKS and nxt != "\x00"
            if first is None:
                first = not HAN.search(region[:a])
            # a label stands between two codes (a value equal to the next code is not that code)
            labelled = not found or bool(HAN.search(units.sub("", region[found[-1][1]:a])))
            if labelled and ((first and label_next) or (not first and not before_digit)):
                found.append((a, b))
                pos = b
                break
        if a < 0:
            break
    if len(found) < 3:
        return None
    out, last = [], 0
    for a, b in found:
        out += [region[last:a], "\x00", region[a:b], "\x00"]
        last = b
    out.append(region[last:])
    return "".join(out), bool(first)


_ROW_NUMBER = re.compile(r"^(?:其中[:：]?)?"
                         r"(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．])?")


def _blank_before_label(text: str, j: int, label: str, unit: str, last_unit: str | None) -> bool:
    """A unit whose value cell is blank, glued to the next row's label (“…社会稳定件不是《条例》所指政府信息件4”,
    “…其他类型答复数条政府信息公开收费减免金额元44”). Told by: the label before it is four characters or more
    besides its numbering; what follows is a label (no digits, brackets closed, not a word's end such as 数)
    of four characters or more, then a unit and a value. The unit must be the one the row above was printed
    with (a unit character inside a word, 电子邮件 or 部分, seldom is)."""
    if unit != last_unit or j >= len(text) or text[j] in "数总量率额" or not _balanced(label):
        return False
    if len(_ROW_NUMBER.sub("", label.strip())) < 4:
        return False
    for m in _rules()["unit_re"].finditer(text, j, min(len(text), j + 60)):
        between = text[j: m.start()]
        if any(c.isdigit() or c in "。，；\n" for c in between):
            return False
        after = text[m.end(): m.end() + 1]
        if m.start() - j >= 4 and _balanced(between) \
                and (after.isdigit() or (bool(after) and after in BLANKS)):
            return True
    return False


@lru_cache(maxsize=1)
def _plain_run() -> re.Pattern:
    """A run of characters none of which starts anything but label text in tokenize: Han characters and
    punctuation, but no unit, numbering (一、), 其中, bracket or blank (无, 空)."""
    special = {u[0] for u in _rules()["units"]} | set("一二三四五六七八九十其") | {b for b in BLANKS if len(b) == 1}
    return re.compile(f"(?:(?![{re.escape(''.join(sorted(special)))}])[\u4e00-\u9fff、，,。：:；;“”《》）).．])+")


def tokenize(text: str, code_first: bool = False) -> list[Row]:  # noqa: C901
    """Rows of a flattened appendix region (one run, or one cell per line); codes marked by mark_codes."""
    rules = _rules()
    unit_re = rules["unit_re"]
    plain_run = _plain_run()
    line_mode = text.count("\n") >= 10  # one cell per line (the seed) rather than one run
    rows: list[Row] = []
    cur: Row | None = None
    label = ""
    last = {"cn": 0, "pcn": 0, "arabic": 0, "parabic": 0, "circled": 0, "code": 0}
    line_start = True
    code = ""  # the 代码 read for the row being read (or, printed first, for the next one)
    after_code = False
    last_unit: str | None = None  # the unit of the last row printed with one
    i, n = 0, len(text)

    def close() -> None:
        nonlocal cur, label, code
        if cur is not None:
            rows.append(cur)
            cur = None
        elif label.strip():
            rows.append(Row(label=label.strip()))
        else:
            label = ""
            return
        if code:
            rows[-1].code, rows[-1].code_first = code, code_first
            code = ""
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

    def is_unit_cell(u: str, coded: bool) -> bool:
        """Whether the unit word at i is the row's unit cell rather than part of its label: it stands before a
        value, a dash, the end, the next row (its value blank), or right after a code; or it is a cell of its
        own (its own line, or between spaces); in one cell per line it must start its cell."""
        end = i + len(u)
        j = end
        while j < n and text[j].isspace():
            j += 1
        nxt = text[j] if j < n else ""
        starts_cell = i == 0 or text[i - 1].isspace()
        if line_mode and not starts_cell:  # one cell per line: a unit is a cell of its own
            return False
        own_line = (i == 0 or text[i - 1] == "\n") and "\n" in text[end: j + 1]
        return (nxt.isdigit() or nxt in BLANKS or j >= n or (cur is not None and not cur.tokens) or own_line
                or coded or (starts_cell and j > end) or bool(label and starts_row(end))
                or (len(label.strip()) >= 4 and _blank_before_label(text, end, label, u, last_unit)))

    def starts_row(j: int) -> bool:
        """Whether a new row starts at j (after white space): 其中, the next ordinal, a code."""
        while j < n and text[j].isspace():
            j += 1
        if j >= n or text.startswith("其中", j) or text[j] == "\x00":
            return True
        m = _CN_ORDINAL.match(text, j)
        if m:
            return cn_number(m.group(1)) == last["cn"] + 1
        if text[j] in "（(":
            return numbering(text[j:j + 6])[0] in ("pcn", "parabic")
        m = re.match(r"(\d{1,2})[.、．][ \t]?(?=[^\d\s.])", text[j:j + 5])
        return bool(m) and int(m.group(1)) in (last["arabic"] + 1, 1)

    while i < n:
        ch = text[i]
        if ch == "\n":
            line_start = True
            i += 1
            continue
        if ch == "\x00":  # a code (mark_codes)
            j = text.index("\x00", i + 1)
            if code_first:
                close()
            code = text[i + 1: j]
            i = j + 1
            after_code = not code_first
            continue
        if ch.isspace():
            i += 1
            continue
        in_values = cur is not None and bool(cur.tokens)
        coded, after_code = after_code, False  # a unit right after a code printed after the label
        # a unit cell (alone, or glued after the label) directly before a value
        if label or cur is not None:
            um = unit_re.match(text, i)
            u = um.group(0) if um else None
            if u and is_unit_cell(u, coded):
                    if cur is None:
                        cur = Row(label=label.strip())
                        label = ""
                    if not cur.tokens:
                        cur.unit = last_unit = u
                        i += len(u)
                        line_start = False
                        continue
        if ch.isdigit():
            m = _DIGITS.match(text, i)
            digits = m.group(0)
            after = text[i + len(digits): i + len(digits) + 3]
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
            if j >= n or text[j].isspace() or text[j].isdigit() or cur is not None or starts_row(j):
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
        run = plain_run.match(text, i)  # the rest of the label, taken at once
        if run:
            label += run.group(0)
            i = run.end()
    close()
    # numbering inside labels that started with digits ("1.") updates nothing above; fine for nesting
    return [r for r in rows if r.label or r.tokens]




def trim_rows(rows: list[Row]) -> list[Row]:
    """Drop trailing label-only rows (page chrome after the table) and rows that are prose; a last row with a
    unit and a blank value is a row."""
    out = []
    for row in rows:
        if "。" in row.label or len(row.label) > 120:
            break
        out.append(row)
    while out and not out[-1].tokens and not (out[-1].unit and len(out[-1].label) <= 80):
        out.pop()
    return out
