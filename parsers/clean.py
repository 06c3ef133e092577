"""Text clean-up: invisible characters, Traditional → Simplified, pinyin glosses, Word residue."""
from __future__ import annotations

import json
import operator
import re
from functools import lru_cache
from pathlib import Path

_INVISIBLES = dict.fromkeys("\u00a0\u3000\u2002\u2003\u2009\u202f\u205f", " ") | dict.fromkeys(
    "\u200b\u200c\u200d\u2060\ufeff\u00ad", "")
_NON_HAN = re.compile(r"[^\u4e00-\u9fff]+")
_HAN_ONLY = re.compile(r"[\u4e00-\u9fff]+")
_HAN_HIGH_BYTES = bytes(range(0x4E, 0xA0))  # high bytes of the UTF-16 code units U+4E00..U+9FFF
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

    Simplified input is returned unchanged: t2s is applied only where a real share of the first
    TRADITIONAL_SAMPLE Han characters differ. Nearly every input is Simplified, so a cheap count comes
    first: t2s can change a character only where it stands on a character of `changeable_by_t2s()`; with
    too few of those in the part of the text the sample comes from, the answer is no without OpenCC.
    """
    if not _may_be_traditional(text):
        return text, False
    sample = han_sample(text)
    if not sample:
        return text, False
    converted = _t2s().convert(sample)
    changed = 0 if converted == sample else sum(map(operator.ne, sample, converted))
    if changed >= TRADITIONAL_MIN_CHANGED and changed / len(sample) >= TRADITIONAL_SHARE:
        return _t2s().convert(text), True
    return text, False


def _may_be_traditional(text: str) -> bool:
    """False when the sample of `to_simplified` cannot hold enough characters t2s changes (an upper bound:
    the count over the chunks the sample is taken from)."""
    changeable = changeable_by_t2s()
    if changeable is None:
        return True
    end = han = 0
    while end < len(text) and han < TRADITIONAL_SAMPLE:  # the chunks han_sample reads
        han += han_count(text[end:end + 2 * TRADITIONAL_SAMPLE])
        end += 2 * TRADITIONAL_SAMPLE
    sample_size, found = min(han, TRADITIONAL_SAMPLE), 0
    for _ in changeable.finditer(text, 0, end):
        found += 1
        if found >= TRADITIONAL_MIN_CHANGED and found / sample_size >= TRADITIONAL_SHARE:
            return True
    return False


@lru_cache(maxsize=1)
def changeable_by_t2s() -> re.Pattern | None:
    """A pattern matching each Han character (U+4E00..U+9FFF) at which OpenCC's t2s may change a text,
    derived once from the entries of OpenCC's own t2s dictionaries; None if they cannot be read (then
    every input goes through OpenCC).

    Each entry that can apply is converted on its own: where its output keeps the key's length, the key's
    characters that change are taken; where it does not, all its characters (a length change shifts the
    positions compared after it). Conversion matches at most one entry per position, so every changed
    position of a text holds a taken character and the count of these bounds the count of changes."""
    try:
        keys = [key for key in _t2s_keys() if _HAN_ONLY.fullmatch(key)]
    except (OSError, ValueError, KeyError, RuntimeError):
        return None
    outputs = _t2s().convert("\n".join(keys)).split("\n")
    if len(outputs) != len(keys):
        return None
    chars: set[str] = set()
    for key, out in zip(keys, outputs):
        if key != out:
            chars.update(key if len(out) != len(key) else (k for k, o in zip(key, out) if k != o))
    return re.compile("[" + "".join(sorted(chars)) + "]") if chars else re.compile("(?!)")


def _t2s_keys() -> list[str]:
    """The keys of every dictionary in OpenCC's t2s configuration (ocd2 files: a header, then a marisa trie
    of the keys, then the values). Raises ValueError for a configuration this does not know how to read."""
    import marisa_trie
    import opencc

    share = Path(opencc.__file__).parent / "clib" / "share" / "opencc"
    files = _ocd2_files(json.loads((share / "t2s.json").read_text(encoding="utf-8")))
    keys: list[str] = []
    for name in files:
        data = (share / name).read_bytes()
        if not data.startswith(_OCD2_HEADER):
            raise ValueError(f"{name}: not an ocd2 dictionary")
        keys += marisa_trie.Trie().frombytes(data[len(_OCD2_HEADER):]).keys()
    return keys


_OCD2_HEADER = b"OPENCC_MARISA_0.2.5"


def _ocd2_files(config) -> list[str]:
    """The dictionary files named anywhere in an OpenCC configuration; ValueError for other dictionary types."""
    if isinstance(config, list):
        return [name for item in config for name in _ocd2_files(item)]
    if not isinstance(config, dict):
        return []
    if config.get("type") not in (None, "group", "ocd2"):
        raise ValueError(f"OpenCC dictionary type {config.get('type')!r}")
    own = [config["file"]] if config.get("type") == "ocd2" else []
    return own + [name for key, value in config.items() if key != "file" for name in _ocd2_files(value)]


def han_count(text: str) -> int:
    """The number of Han characters U+4E00..U+9FFF: UTF-16 code units whose high byte is 0x4E..0x9F,
    counted with bytes.translate (several times faster than a regex)."""
    high_bytes = text.encode("utf-16-le", "surrogatepass")[1::2]
    return len(high_bytes) - len(high_bytes.translate(None, _HAN_HIGH_BYTES))


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
