"""Label paths (row_key) of appendix rows from their numbering and 其中."""
from __future__ import annotations

import re

from xxgk.rules.legacy.basics import Row, key_label
from xxgk.rules.numbering import QIZHONG_HEAD, numbering

_BARE_ONE = re.compile(r"1(?=[\u4e00-\u9fff])")  # “1同意公开答复数”: the first ordinal printed without its dot


def _style(label: str, following: Row | None) -> str:
    """The numbering style of a label; a bare “1” glued to the label is the arabic ordinal 1 when the row
    after it is numbered 2. (or 2、)."""
    style = numbering(label)[0]
    if style == "none" and following is not None and _BARE_ONE.match(label):
        if numbering(QIZHONG_HEAD.sub("", key_label(following.label), count=1)) == ("arabic", 2):
            return "arabic"
    return style


def nest(rows: list[Row]) -> None:
    """Give every row its label path (row_key) and parent, from numbering and 其中.

    A numbered row is the sibling of the nearest row above with the same numbering style (一、 （一） 1. …) and
    the child of the row above otherwise; “其中：…” opens a sub-list under the row before it, and the
    rows after it with the same numbering as its own (none, or 1. 2. …) are its siblings. Codes (代码 01 …)
    do not nest."""
    stack: list[tuple[str, int, bool]] = []  # (numbering style, row index, opened by 其中)
    for idx, row in enumerate(rows):
        label = key_label(row.label)  # without its 代码: codes do not nest
        following = rows[idx + 1] if idx + 1 < len(rows) else None
        q = QIZHONG_HEAD.match(label)
        if q:
            style = _style(label[q.end():], following)
            while stack and stack[-1][2]:  # a second 其中 is a sibling of the first
                stack.pop()
            stack.append((style, idx, True))
        else:
            style = _style(label, following)
            j = len(stack) - 1
            # (in a coded table, an unnumbered row after a 其中 item is a row of its own: coded rows are flat)
            while j >= 0 and (stack[j][0] != style or (row.code and style == "none" and stack[j][2])):
                j -= 1
            in_qizhong = j >= 0 and stack[j][2]  # a sibling in a 其中 list stays in it
            if j >= 0:
                del stack[j:]
            stack.append((style, idx, in_qizhong))
        parent = stack[-2][1] if len(stack) >= 2 else None
        row.parent = parent
        row.key = (rows[parent].key + "/" if parent is not None else "") + key_label(row.printed)


