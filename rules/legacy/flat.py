"""Flattened appendices: find the appendix in text, and read its rows (one cell per line, or one run of text)."""
from __future__ import annotations

import re
from functools import lru_cache

from xxgk.rules.legacy.basics import BLANKS, FULL_WIDTH_DIGITS, Row, rules as _rules
from xxgk.rules.numbering import (CIRCLED, CN_NUMERALS, CN_ORDINAL, LEADING_NUMBER, LEVELS, QIZHONG, cn_ordinal,
                                  is_qizhong_head, numbering)
from xxgk.rules.text import HAN, squash

_DIGITS = re.compile(r"\d+(?:[.]\d+)?")
_ORD_FOLLOW = re.compile(r"[.、．][ \t]?(?=[^\d\s.])")  # "2.政府公报…", Word text "2. 政府公报…"

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


_ROW_NUMBER = re.compile(rf"^(?:其中[:：]?)?{LEADING_NUMBER}?")


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
    special = {u[0] for u in _rules()["units"]} | set(CN_NUMERALS + QIZHONG[0]) | {b for b in BLANKS if len(b) == 1}
    return re.compile(f"(?:(?![{re.escape(''.join(sorted(special)))}])[\u4e00-\u9fff、，,。：:；;“”《》）).．])+")


class _Tokenizer:
    """Reads a flattened appendix region left to right, one token kind per method: a line break, a code
    (marked by mark_codes), a unit cell, digits, a blank cell (— / 无), a bracket, a Chinese ordinal, label
    text. State: the row being read (`cur`, once it has a unit or a value), the label text before it, the
    last ordinal of each numbering style, the code read for the row."""

    def __init__(self, text: str, code_first: bool) -> None:
        self.text, self.n, self.code_first = text, len(text), code_first
        self.unit_re = _rules()["unit_re"]
        self.line_mode = text.count("\n") >= 10  # one cell per line (the seed) rather than one run
        self.rows: list[Row] = []
        self.cur: Row | None = None
        self.label = ""
        self.last = {"cn": 0, "pcn": 0, "arabic": 0, "parabic": 0, "circled": 0, "code": 0}
        self.line_start = True
        self.code = ""  # the 代码 read for the row being read (or, printed first, for the next one)
        self.after_code = False
        self.last_unit: str | None = None  # the unit of the last row printed with one
        self.i = 0

    def run(self) -> list[Row]:
        while self.i < self.n:
            self.step()
        self.close()
        # numbering inside labels that started with digits ("1.") updates nothing above; fine for nesting
        return [r for r in self.rows if r.label or r.tokens]

    def step(self) -> None:
        ch = self.text[self.i]
        if ch == "\n":
            self.line_start = True
            self.i += 1
            return
        if ch == "\x00":
            self.read_code()
            return
        if ch.isspace():
            self.i += 1
            return
        in_values = self.cur is not None and bool(self.cur.tokens)
        coded, self.after_code = self.after_code, False  # a unit right after a code printed after the label
        if (self.label or self.cur is not None) and self.read_unit(coded):
            return
        if ch.isdigit():
            self.read_digits()
            return
        if (self.cur is not None or self.label) and ch in BLANKS and not self.label.endswith(("增", "（", "(")) \
                and self.read_blank():
            return
        if in_values:
            self.close()
        if ch in "（(" and self.read_bracket():
            return
        if self.read_cn_ordinal():
            return
        self.read_label_char(ch)

    # ------------------------------------------------------------------------------------------ state

    def close(self) -> None:
        if self.cur is not None:
            self.rows.append(self.cur)
            self.cur = None
        elif self.label.strip():
            self.rows.append(Row(label=self.label.strip()))
        else:
            self.label = ""
            return
        if self.code:
            self.rows[-1].code, self.rows[-1].code_first = self.code, self.code_first
            self.code = ""
        self.label = ""

    def open_row(self) -> Row:
        """The row being read; its label text ends here."""
        if self.cur is None:
            self.cur = Row(label=self.label.strip())
            self.label = ""
        return self.cur

    def note_numbering(self, s: str) -> None:
        style, num = numbering(s)
        if num is not None:
            self.last[style] = num
            if style in LEVELS:
                for lower in LEVELS[LEVELS.index(style) + 1:]:
                    self.last[lower] = 0

    def split_allowed(self, style: str, num: int | None) -> bool:
        if num is None:
            return False
        if self.line_start:
            return True
        if style == "cn":
            return num == self.last["cn"] + 1
        return num == self.last[style] + 1 or num == 1

    def starts_row(self, j: int) -> bool:
        """Whether a new row starts at j (after white space): 其中, the next ordinal, a code."""
        text, n = self.text, self.n
        while j < n and text[j].isspace():
            j += 1
        if j >= n or text.startswith(QIZHONG, j) or text[j] == "\x00":
            return True
        m = CN_ORDINAL.match(text, j)
        if m:
            return cn_ordinal(m.group(1)) == self.last["cn"] + 1
        if text[j] in "（(":
            return numbering(text[j:j + 6])[0] in ("pcn", "parabic")
        m = re.match(r"(\d{1,2})[.、．][ \t]?(?=[^\d\s.])", text[j:j + 5])
        return bool(m) and int(m.group(1)) in (self.last["arabic"] + 1, 1)

    # ------------------------------------------------------------------------------------ token kinds

    def read_code(self) -> None:
        """A code (mark_codes): it belongs to the next row when printed first, else to the row being read."""
        j = self.text.index("\x00", self.i + 1)
        if self.code_first:
            self.close()
        self.code = self.text[self.i + 1: j]
        self.i = j + 1
        self.after_code = not self.code_first

    def is_unit_cell(self, u: str, coded: bool) -> bool:
        """Whether the unit word at i is the row's unit cell rather than part of its label: it stands before a
        value, a dash, the end, the next row (its value blank), or right after a code; or it is a cell of its
        own (its own line, or between spaces); in one cell per line it must start its cell."""
        text, n, i = self.text, self.n, self.i
        end = i + len(u)
        j = end
        while j < n and text[j].isspace():
            j += 1
        nxt = text[j] if j < n else ""
        starts_cell = i == 0 or text[i - 1].isspace()
        if self.line_mode and not starts_cell:  # one cell per line: a unit is a cell of its own
            return False
        own_line = (i == 0 or text[i - 1] == "\n") and "\n" in text[end: j + 1]
        label = self.label
        return (nxt.isdigit() or nxt in BLANKS or j >= n or (self.cur is not None and not self.cur.tokens)
                or own_line or coded or (starts_cell and j > end) or bool(label and self.starts_row(end))
                or (len(label.strip()) >= 4 and _blank_before_label(text, end, label, u, self.last_unit)))

    def read_unit(self, coded: bool) -> bool:
        """A unit cell (alone, or glued after the label) directly before a value."""
        um = self.unit_re.match(self.text, self.i)
        u = um.group(0) if um else None
        if not (u and self.is_unit_cell(u, coded)):
            return False
        row = self.open_row()
        if row.tokens:
            return False
        row.unit = self.last_unit = u
        self.i += len(u)
        self.line_start = False
        return True

    def read_digits(self) -> None:
        text, i = self.text, self.i
        digits = _DIGITS.match(text, i).group(0)
        after = text[i + len(digits): i + len(digits) + 3]
        ord_follow = bool(_ORD_FOLLOW.match(after)) and "." not in digits
        has_label = bool(self.label) or self.cur is not None
        if is_qizhong_head(self.label) and self.cur is None:
            self.label += digits
            self.i += len(digits)
            return
        if not has_label or (self.cur is None and ord_follow and self.split_allowed("arabic", int(float(digits)))
                             and not _rules()["unit_end"].search(self.label)):
            # numbering at the start of a label (or of a new row after a label-only row)
            if has_label:
                self.close()
            self.label = digits
            self.i += len(digits)
            self.line_start = False
            return
        if self.cur is None and after[:1] and after[0] in "条件次篇个人项年月日号%余多" and self.label:
            # a number inside the label ("计1条"), not a value
            self.label += digits
            self.i += len(digits)
            return
        row = self.open_row()
        self.i += len(digits)
        self.line_start = False
        if ord_follow:
            self.value_before_ordinal(row, digits)
        else:
            row.tokens.append(digits)

    def value_before_ordinal(self, row: Row, digits: str) -> None:
        """A value glued to the next row's ordinal: "2069121062.政府公报…"."""
        expected = str(self.last["arabic"] + 1)
        if digits.endswith(expected) and len(digits) > len(expected):
            value = digits[: -len(expected)]
        elif len(digits) > 1:
            value = digits[:-1]
        else:
            value = ""
        if value:
            row.tokens.append(value)
        self.close()
        self.label = digits[len(value):]

    def read_blank(self) -> bool:
        """A blank cell (—, /, 无 …) where it stands before white space, a digit, the next row or the end."""
        text, n, i = self.text, self.n, self.i
        j = i
        while j < n and text[j] in "-—–－/／":
            j += 1
        if j == i:
            j = i + 1
        if j >= n or text[j].isspace() or text[j].isdigit() or self.cur is not None or self.starts_row(j):
            self.open_row().tokens.append(text[i:j])
            self.i = j
            return True
        return False

    def read_bracket(self) -> bool:
        """A bracketed numbering （一） （1） that opens a row, or a bracketed note inside a label."""
        text, i, label = self.text, self.i, self.label
        close_at = next((j for j in range(i + 1, min(self.n, i + 80)) if text[j] in "）)"), -1)
        if close_at <= 0:
            return False
        bracket = text[i: close_at + 1]
        style, num = numbering(bracket)
        opens_row = style in ("pcn", "parabic") and not label.endswith("第") and (
            not label or is_qizhong_head(label) or style == "pcn" or self.split_allowed(style, num))
        if opens_row:
            if label and not is_qizhong_head(label):
                self.close()
            if self.cur is not None:
                self.close()
            self.note_numbering(bracket)
        elif self.cur is not None:
            self.close()
        self.label += bracket
        self.i = close_at + 1
        self.line_start = False
        return True

    def read_cn_ordinal(self) -> bool:
        """一、 opening a row (the next ordinal, or at the start of a label)."""
        m = CN_ORDINAL.match(self.text, self.i)
        label = self.label
        if not (m and (not label or (self.split_allowed("cn", cn_ordinal(m.group(1)))
                                     and label[-1:] not in "第统唯之进逐单合万"))):
            return False
        if self.cur is not None or label:
            self.close()
        self.note_numbering(m.group(0))
        self.label = m.group(0)
        self.i += len(m.group(0))
        self.line_start = False
        return True

    def read_label_char(self, ch: str) -> None:
        """Label text: one character, then the rest of a plain run at once."""
        text, i, label = self.text, self.i, self.label
        if (ch in CIRCLED and label and not is_qizhong_head(label)) \
                or (text.startswith(QIZHONG, i) and label and label.rstrip("：:") != ""):
            self.close()
        if not self.label and self.cur is None:
            style, num = numbering(text[i:i + 4])
            if num is not None and style != "code":
                self.note_numbering(text[i:i + 4])
        if self.cur is not None or (self.line_start and self.label and _balanced(self.label)):
            self.close()
        self.label += ch
        self.i += 1
        self.line_start = False
        run = _plain_run().match(text, self.i)  # the rest of the label, taken at once
        if run:
            self.label += run.group(0)
            self.i = run.end()


def tokenize(text: str, code_first: bool = False) -> list[Row]:
    """Rows of a flattened appendix region (one run, or one cell per line); codes marked by mark_codes."""
    return _Tokenizer(text, code_first).run()


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
