"""Small text helpers shared by the rules modules (one definition each)."""
from __future__ import annotations

import re

HAN = re.compile(r"[\u4e00-\u9fff]")  # one Han character (counting: parsers.html.han_count)
_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """The text without any white space."""
    return _SPACE.sub("", text)
