"""Label paths (row_key) of appendix rows from their numbering and 其中."""
from __future__ import annotations

from xxgk.rules.legacy.basics import Row, key_label
from xxgk.rules.numbering import QIZHONG_HEAD, numbering


def nest(rows: list[Row]) -> None:
    """Give every row its label path (row_key) and parent, from numbering and 其中.

    A numbered row is the sibling of the nearest row above with the same numbering style (一、 （一） 1. …) and
    the child of the row above otherwise; “其中：…” opens a sub-list under the row before it, and the
    rows after it with the same numbering as its own (none, or 1. 2. …) are its siblings. Codes (代码 01 …)
    do not nest."""
    stack: list[tuple[str, int, bool]] = []  # (numbering style, row index, opened by 其中)
    for idx, row in enumerate(rows):
        label = key_label(row.label)  # without its 代码: codes do not nest
        q = QIZHONG_HEAD.match(label)
        if q:
            style = numbering(label[q.end():])[0]
            while stack and stack[-1][2]:  # a second 其中 is a sibling of the first
                stack.pop()
            stack.append((style, idx, True))
        else:
            style = numbering(label)[0]
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


