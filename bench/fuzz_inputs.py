"""Hostile inputs made from real reports (after ../shared/tools/fuzz_inputs.py, kept here so tests and
bench need nothing outside the repository): each one a real report damaged one way — truncated, bytes
flipped, re-encoded, deep nesting, a huge table, a giant line, binary junk, NUL-laced, a charset no
codec knows, absurd spans, an empty body.

usage: python bench/fuzz_inputs.py SRC_DIR OUT_DIR N [SEED]
"""
from __future__ import annotations

import random
import sys
from collections import Counter
from pathlib import Path


def make_inputs(src: Path, out: Path, n: int, seed: int = 7) -> Counter:
    """Write `n` hostile inputs made from the files in `src` to `out`; returns the count per kind."""
    rnd = random.Random(seed)
    docs = [p.read_bytes() for p in sorted(Path(src).iterdir()) if p.is_file() and p.suffix in (".html", ".txt")]
    out.mkdir(parents=True, exist_ok=True)

    def truncate(b):
        return b[: rnd.randrange(1, max(2, len(b)))]

    def flip(b):
        a = bytearray(b)
        for _ in range(rnd.randrange(1, 200)):
            a[rnd.randrange(len(a))] = rnd.randrange(256)
        return bytes(a)

    def reencode(b):
        t = b.decode("utf-8", "replace")
        return t.encode(rnd.choice(["gb18030", "big5", "utf-16", "shift_jis"]), "replace")

    def nest(b):
        return b"<html><body>" + b"<div>" * 50000 + b[:5000] + b"</div>" * 10 + b"</body></html>"

    def huge_table(b):
        row = "<tr>" + "<td>1</td>" * 50 + "</tr>"
        return ("<html><body><h1>某县2020年政府信息公开工作年度报告</h1><table>" + row * 20000
                + "</table></body></html>").encode()

    def giant_line(b):
        return b[:2000] + b"9" * 5_000_000 + b[2000:4000]

    def junk(b):
        return bytes(rnd.randrange(256) for _ in range(rnd.randrange(0, 20000)))

    def nuls(b):
        return b.replace(b"\xe3", b"\x00\xe3")

    def bad_charset(b):
        return b"<meta charset='x-no-such-charset'>" + b

    def spans(b):
        return b"<table>" + b"<tr><td rowspan='999999' colspan='2;'>x</td></tr>" * 50 + b"</table>" + b[:3000]

    def empty_body(b):
        return b"<html><head><title>2020\xe5\xb9\xb4</title></head><body></body></html>"

    kinds = [truncate, flip, reencode, nest, huge_table, giant_line, junk, nuls, bad_charset, spans, empty_body]
    count: Counter = Counter()
    for i in range(n):
        kind = kinds[i % len(kinds)]
        data = kind(rnd.choice(docs))
        suffix = rnd.choice([".html", ".txt", ".htm"])
        (out / f"{i:05d}_{kind.__name__}{suffix}").write_bytes(data)
        count[kind.__name__] += 1
    return count


if __name__ == "__main__":
    print(dict(make_inputs(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]),
                           int(sys.argv[4]) if len(sys.argv) > 4 else 7)))
