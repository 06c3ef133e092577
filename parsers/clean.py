"""Text clean-up: invisible characters, Traditional → Simplified, pinyin glosses, Word residue."""
from __future__ import annotations

import re
from functools import lru_cache

_INVISIBLES = str.maketrans(dict.fromkeys("\u00a0\u3000\u2002\u2003\u2009\u202f\u205f", " ")
                            | dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad", None))
_NON_HAN = re.compile(r"[^\u4e00-\u9fff]+")
# "各(ge)省", "政府（zhèng fǔ）": a lowercase romanisation in brackets right after a Han character.
_PINYIN_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])\s?[（(](?=[^）)]*[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüń1-5 ]{1,24}[）)]")
_WORD_RESIDUE = re.compile(r"<!--.*?-->|<!\[(?:if|endif)[^\]]*\]>", re.S)

TRADITIONAL_SHARE = 0.02  # share of Han characters that t2s changes, above which the text is Traditional
TRADITIONAL_MIN_CHANGED = 4
TRADITIONAL_SAMPLE = 4000  # Han characters looked at to tell the script


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def strip_invisible(text: str) -> str:
    """Drop zero-width characters and BOMs; NBSP and full-width spaces become plain spaces."""
    return text.translate(_INVISIBLES)


def to_simplified(text: str) -> tuple[str, bool]:
    """Convert Traditional text to Simplified (OpenCC t2s); returns (text, converted?).

    Simplified input is returned unchanged: t2s is applied only where a real share of characters differ.
    """
    sample = _NON_HAN.sub("", text)[:TRADITIONAL_SAMPLE]
    if not sample:
        return text, False
    changed = sum(1 for a, b in zip(sample, _t2s().convert(sample)) if a != b)
    if changed >= TRADITIONAL_MIN_CHANGED and changed / len(sample) >= TRADITIONAL_SHARE:
        return _t2s().convert(text), True
    return text, False


def remove_pinyin_glosses(text: str) -> str:
    return _PINYIN_GLOSS.sub("", text)


def remove_word_residue(text: str) -> str:
    """Word's conditional comments left as literal text ("<!--[if !supportLists]-->7、<!--[endif]-->")."""
    return _WORD_RESIDUE.sub("", text)


def clean_text(text: str) -> str:
    """All clean-ups that do not change the script."""
    return remove_pinyin_glosses(remove_word_residue(strip_invisible(text)))
