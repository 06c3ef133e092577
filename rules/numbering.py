"""Row numbering (一、 （一） 1. （1） ① 01), 其中 and Chinese numerals: the one home of each.

Used by the legacy appendix (tokenizing and nesting rows), the checks (bare labels) and the prose figures
(headings, numbered lines, Chinese numbers such as 两名 or 十余次).
"""
from __future__ import annotations

import re
from functools import lru_cache

import cn2an

CN_NUMERALS = "一二三四五六七八九十"  # the characters of a row's Chinese ordinal (一 … 九十九)
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
QIZHONG = "其中"
QIZHONG_HEAD = re.compile(r"其中[:：]?")  # “其中：” opening a sub-list
QIZHONG_LABELS = ("其中：", "其中:")  # a label that is 其中 alone (its items follow)

# one numbering at the start of a label, any length of ordinal: 一、 （三） （12） 3.
LEADING_NUMBER = rf"(?:[{CN_NUMERALS}]+[、.．]|[（(][{CN_NUMERALS}\d]+[）)]|\d+[.、．])"
CN_ORDINAL = re.compile(rf"([{CN_NUMERALS}]{{1,3}})[、.．]")  # 一、 十二．

_STYLES = [
    ("cn", CN_ORDINAL),
    ("pcn", re.compile(rf"[（(]([{CN_NUMERALS}]{{1,3}})[）)]")),
    ("parabic", re.compile(r"[（(](\d{1,2})[）)]")),
    ("arabic", re.compile(r"(\d{1,2})[.、．](?![\d.])")),
    ("circled", re.compile(f"([{CIRCLED}])")),
    ("code", re.compile(r"(0[1-9]|[1-9]\d)(?=[\u4e00-\u9fff])")),
]
# the styles from the outermost level down (a code does not nest)
LEVELS = ["cn", "pcn", "arabic", "parabic", "circled"]
_WELL_FORMED_ORDINAL = re.compile("十|[一二三四五六七八九]|[一二三四五六七八九]?十[一二三四五六七八九]?")


@lru_cache(maxsize=256)
def cn_ordinal(text: str) -> int | None:
    """一 … 九十九, the ordinal of a numbered row (cn2an reads it); None for anything else."""
    if not _WELL_FORMED_ORDINAL.fullmatch(text):
        return None
    return int(cn2an.cn2an(text, "smart"))


def chinese_number(num: str) -> float | None:
    """A number written in Arabic digits (commas allowed) or Chinese numerals (两 = 二, 〇 = 零, a leading
    百/千/万/亿 is one of them): 两 → 2, 一百二十 → 120; None when cn2an cannot read it."""
    num = num.replace(",", "")
    if not num:
        return None
    if num[0].isdigit():
        return float(num)
    try:
        if num[0] in "百千万亿":
            num = "一" + num
        return float(cn2an.cn2an(num.replace("两", "二").replace("〇", "零"), "smart"))
    except (ValueError, KeyError, IndexError):
        return None


def numbering_match(label: str) -> tuple[str, int | None, int]:
    """(style, ordinal, where the numbering ends) of a label's leading numbering; ("none", None, 0) when
    unnumbered."""
    for style, pattern in _STYLES:
        m = pattern.match(label)
        if m:
            g = m.group(1)
            if style in ("cn", "pcn"):
                return style, cn_ordinal(g), m.end()
            if style == "circled":
                return style, CIRCLED.index(g) + 1, m.end()
            return style, int(g), m.end()
    return "none", None, 0


def numbering(label: str) -> tuple[str, int | None]:
    """(style, ordinal) of a label's leading numbering; ("none", None) when unnumbered."""
    style, num, _ = numbering_match(label)
    return style, num


def strip_numbering(label: str) -> str:
    """The label without its leading numbering (when that numbering reads as an ordinal)."""
    _, num, end = numbering_match(label)
    return label[end:] if num is not None else label


def strip_qizhong(label: str) -> str:
    """The label without a leading “其中：”."""
    return label[QIZHONG_HEAD.match(label).end():] if label.startswith(QIZHONG) else label


def is_qizhong_head(label: str) -> bool:
    """Whether a label is 其中 alone (“其中：”), the head of the items that follow it."""
    return label in QIZHONG_LABELS
