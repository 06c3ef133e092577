"""Text clean-up: invisible characters, Traditional → Simplified, pinyin glosses, Word residue."""
from __future__ import annotations

import operator
import re
from functools import lru_cache

_INVISIBLES = dict.fromkeys("\u00a0\u3000\u2002\u2003\u2009\u202f\u205f", " ") | dict.fromkeys(
    "\u200b\u200c\u200d\u2060\ufeff\u00ad", "")
_NON_HAN = re.compile(r"[^\u4e00-\u9fff]+")
# "各(ge)省", "政府（zhèng fǔ）": a lowercase romanisation in brackets right after a Han character
# (captured and put back: a leading character class scans faster than a look-behind).
_PINYIN = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
_GLOSS_BODY = rf"(?=[^）)]*[{_PINYIN}])[{_PINYIN}ń1-5 ]{{1,24}}[）)]"  # after the opening bracket
_PINYIN_GLOSS = re.compile(rf"([\u4e00-\u9fff])\s?[（(]{_GLOSS_BODY}")
# The bracketed part alone, as a quick first search (most texts have none); one pattern per opening
# bracket, as re scans for a literal first character several times faster than for a character class.
_GLOSS_CANDIDATES = [re.compile(re.escape(bracket) + _GLOSS_BODY) for bracket in "(（"]
_WORD_RESIDUE = re.compile(r"<!--.*?-->|<!\[(?:if|endif)[^\]]*\]>", re.S)

TRADITIONAL_SHARE = 0.02  # share of Han characters that t2s changes, above which the text is Traditional
TRADITIONAL_MIN_CHANGED = 4
TRADITIONAL_SAMPLE = 4000  # Han characters looked at to tell the script


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def strip_invisible(text: str) -> str:
    """Drop zero-width characters and BOMs; NBSP and full-width spaces become plain spaces.

    One str.replace per character: a C-level scan, far faster than str.translate with a table."""
    for char, replacement in _INVISIBLES.items():
        text = text.replace(char, replacement)
    return text


def to_simplified(text: str) -> tuple[str, bool]:
    """Convert Traditional text to Simplified (OpenCC t2s); returns (text, converted?).

    Simplified input is returned unchanged: t2s is applied only where a real share of characters differ.
    """
    sample = han_sample(text)
    if not sample:
        return text, False
    converted = _t2s().convert(sample)
    changed = 0 if converted == sample else sum(map(operator.ne, sample, converted))
    if changed >= TRADITIONAL_MIN_CHANGED and changed / len(sample) >= TRADITIONAL_SHARE:
        return _t2s().convert(text), True
    return text, False


def han_sample(text: str) -> str:
    """The first TRADITIONAL_SAMPLE Han characters of the text, collected chunk by chunk."""
    sample = ""
    for start in range(0, len(text), 2 * TRADITIONAL_SAMPLE):
        sample += _NON_HAN.sub("", text[start:start + 2 * TRADITIONAL_SAMPLE])
        if len(sample) >= TRADITIONAL_SAMPLE:
            break
    return sample[:TRADITIONAL_SAMPLE]


def remove_pinyin_glosses(text: str) -> str:
    if not any(candidate.search(text) for candidate in _GLOSS_CANDIDATES):
        return text
    return _PINYIN_GLOSS.sub(r"\1", text)


def remove_word_residue(text: str) -> str:
    """Word's conditional comments left as literal text ("<!--[if !supportLists]-->7、<!--[endif]-->")."""
    return _WORD_RESIDUE.sub("", text)


def clean_text(text: str) -> str:
    """All clean-ups that do not change the script."""
    return remove_pinyin_glosses(remove_word_residue(strip_invisible(text)))
