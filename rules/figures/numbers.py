"""Prose figures, the numbers: every number with a unit after it (Arabic or Chinese, approximations flagged),
and the stop spans (dates, phone numbers, document numbers, titles, ordinals) whose numbers are never figures."""
from __future__ import annotations

import re

from xxgk.rules.figures.data import _rules
from xxgk.rules.numbering import chinese_number as to_number


class _Hit:
    __slots__ = ("start", "num_start", "end", "value", "unit", "approx")

    def __init__(self, start, num_start, end, value, unit, approx):
        self.start, self.num_start, self.end = start, num_start, end
        self.value, self.unit, self.approx = value, unit, approx


def _stopped(text: str, start: int, end: int) -> bool:
    """Whether a stop span (date, phone number, title, …) covers text[start:end]; looked for nearby only."""
    lo = max(0, start - 90)
    for m in _rules()["stop"].finditer(text, lo, min(len(text), end + 30)):
        if m.start() > end:
            break
        if m.start() <= start < m.end() or m.start() < end <= m.end():
            return True
    return False


# a count named by a noun in 数/量 needs no unit: “粉丝数 54373，”, “不予公开信息数1402。”
_UNITLESS = re.compile(r"(?<=[\u4e00-\u9fff][数量])\s*(?:为|达到|达)?\s*"
                       r"(?P<num>(?<![\d.])\d+(?:\.\d+)?)(?=\s*[，,。；;])")


def find_numbers(text: str) -> list[_Hit]:
    hits = _unit_numbers(text)
    extra = []
    for m in _UNITLESS.finditer(text):
        ns, ne = m.start("num"), m.end("num")
        if _stopped(text, ns, ne):
            continue
        extra.append(_Hit(ns, ns, ne, float(m.group("num")), None, False))
    if extra:
        hits = sorted(hits + extra, key=lambda h: h.start)
    return hits


# what may follow a Chinese count whose value is often idiomatic (“一名”): the clause ends there
_CLAUSE_END = re.compile(r"[，。；、,.;:：）)\n]|$")


def _unit_numbers(text: str) -> list[_Hit]:
    rules = _rules()
    hits = []
    for m in rules["number"].finditer(text):
        num = m.group("num")
        ns = m.start("num")
        unit = m.group("unit")
        if unit in rules["drop_units"]:
            continue
        if text.startswith(rules["not_followed"], m.end()):
            continue
        chinese = not num[0].isdigit()
        if chinese and num in ("百", "千", "万", "亿") and not m.group("pre"):
            continue  # “（单位：万元）”, “千件”: a multiplier alone is not a number
        if chinese:
            if ns > 0 and text[ns - 1] in rules["cn_chars"]:
                continue
            if ns > 0 and text[ns - 1] in "第每前后上下周":
                continue
        value = to_number(num)
        if value is not None and m.group("mult"):
            value *= 1e4 if m.group("mult") == "万" else 1e8
        if value is None:
            continue
        if chinese and value in rules["skip_cn"] and not _CLAUSE_END.match(text, m.end(), m.end() + 1):
            continue  # “一次性告知”, “一名负责人” — but “配备专职人员一名，” is a count
        if _stopped(text, ns, m.end("num")):
            continue
        if unit == "％":
            unit = "%"
        approx = bool(m.group("pre") or m.group("post") or m.group("post2"))
        start = m.start("pre") if m.group("pre") else ns
        hits.append(_Hit(start, ns, m.end(), value, unit, approx))
    return hits
