"""Plain text (saved pages, crawler text exports, PDF/OCR text, Markdown) → ordered blocks.

Every non-empty line is a block; runs of Markdown/pipe-table lines become one table block.
Header lines that archive crawlers prepend ("标题: …", "发布时间: …") become page metadata.
"""
from __future__ import annotations

import re

from xxgk.parsers.document import Block

HEADER_KEYS = {"标题", "发布时间", "发布日期", "发布机构", "来源", "原文链接", "文号", "栏目", "本地目录",
               "url", "title"}
_HEADER = re.compile(r"^\s*([^:：]{1,8})\s*[:：]\s*(.*)$")
_BODY_MARKER = re.compile(r"^=+\s*正文\s*=+$")
_PIPE_ROW = re.compile(r"^\s*\|?.*\|.*$")
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def parse_text(text: str) -> tuple[str, list[Block], dict[str, str]]:
    """Returns (title, blocks, page metadata)."""
    lines = [_rstrip(line) for line in text.splitlines()]
    meta, lines = split_header(lines)
    blocks: list[Block] = []
    table: list[str] = []

    def flush_table() -> None:
        if len(table) >= 2:
            rows = [split_pipe_row(line) for line in table if not _PIPE_RULE.match(line)]
            width = max(len(r) for r in rows)
            rows = [r + [""] * (width - len(r)) for r in rows]
            blocks.append(Block("table", "\n".join(" ".join(r) for r in rows), rows=rows))
        else:
            blocks.extend(Block("line", line.strip()) for line in table)
        table.clear()

    for line in lines:
        if not line.strip():
            continue
        if line.count("|") >= 2 and _PIPE_ROW.match(line):
            table.append(line)
            continue
        flush_table()
        blocks.append(Block("line", line.lstrip()))
    flush_table()
    for index, block in enumerate(blocks):
        block.offset = index
    title = meta.get("标题") or meta.get("title") or next((b.text for b in blocks if b.kind == "line"), "")
    return title, blocks, meta


def _rstrip(line: str) -> str:
    """Trailing white space dropped, except the tabs ending a tab-separated row: its blank last cells."""
    stripped = line.rstrip()
    if "\t" in stripped:
        return stripped + "\t" * line[len(stripped):].count("\t")
    return stripped


def split_header(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """Crawler header lines ("key: value") before the body marker or the first other line."""
    meta: dict[str, str] = {}
    for i, line in enumerate(lines):
        if _BODY_MARKER.match(line.strip()):
            return meta, lines[i + 1:]
        match = _HEADER.match(line)
        if match and match.group(1).strip() in HEADER_KEYS:
            meta[match.group(1).strip()] = match.group(2).strip()
            continue
        if meta and not line.strip():
            continue
        if meta and i < 12 and "详见" in line:  # "页面链接与图片详见 links.tsv" and similar crawler notes
            continue
        return meta, lines[i:] if meta else lines
    return meta, []


def split_pipe_row(line: str) -> list[str]:
    cells = line.strip().split("|")
    if cells and not cells[0].strip():
        cells = cells[1:]
    if cells and not cells[-1].strip():
        cells = cells[:-1]
    return [c.strip() for c in cells]
