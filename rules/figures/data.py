"""Prose figures, the rules as data: rules/data/figures.toml compiled once, and the jieba tokenizer with the
report vocabulary (rules/data/userdict.txt). Used by rules/figures*.py."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from xxgk.rules.data_files import DATA_DIR, load

# full-width digits, %, point and comma → ASCII (one character each, so positions hold)
FULL_WIDTH = str.maketrans("０１２３４５６７８９％．", "0123456789%.")
SENTENCE_END = "。！？!?\n"
CLAUSE_BOUNDARY = set("，,。；;：:（(）)“”\"《》!?！？\n、")
_tokenizer = None


def tokenizer():
    """The jieba tokenizer with the report vocabulary, made on first use. Its dictionary is a trie memory-mapped from
    a cache file (rules/segmenter.py: about 4 MB per process instead of jieba's 62 MB; same segmentation)."""
    global _tokenizer
    if _tokenizer is None:
        from xxgk.rules.segmenter import Segmenter

        tk = Segmenter(Path(DATA_DIR) / "userdict.txt")
        tk.initialize()
        _tokenizer = tk
    return _tokenizer


@lru_cache(maxsize=1)
def _rules() -> dict:
    r = load("figures")
    units = sorted(r["units"]["list"], key=len, reverse=True)
    cn = r["numbers"]["chinese"]
    pre = "|".join(sorted(map(re.escape, r["numbers"]["approx_before"]), key=len, reverse=True))
    post = "|".join(sorted(map(re.escape, r["numbers"]["approx_after"]), key=len, reverse=True))
    unit_re = "|".join(map(re.escape, units))
    # a number starts with a digit, a Chinese numeral or an approximation word: looked for only there (fast)
    starts = re.escape("".join(sorted({w[0] for w in r["numbers"]["approx_before"]})))
    number = re.compile(
        rf"(?=\d|{cn}|[{starts}])(?P<pre>{pre})?(?P<num>(?<![\d.a-zA-Z\-－])\d+(?:,\d{{3}})*(?:\.\d+)?|{cn}+?)\s*(?P<post>{post})?(?P<mult>万|亿)??(?P<post2>余|多)?\s*(?P<unit>{unit_re})")
    m = r["metric"]
    b = r["breakdown"]
    return {
        "number": number,
        "not_followed": tuple(r["units"]["not_followed_by"]),
        "drop_units": set(r["units"]["drop_units"]),
        "skip_cn": set(r["numbers"]["skip_chinese_values"]),
        "cn_chars": set(cn.strip("[]")),
        "stop": re.compile(f"(?=[{r['stop']['first']}])(?:" + "|".join(f"(?:{p})" for p in r["stop"]["spans"]) + ")"),
        "fillers": set(m["fillers"]),
        "stops": set(m["stops"]),
        "generic": set(m["generic_verbs"]),
        "keep": set(m["keep_verbs"]),
        "object_verbs": set(m["object_verbs"]),
        "verbs": set(m["keep_verbs"]) | set(m["object_verbs"]),
        "verb_re": re.compile("|".join(sorted(map(re.escape, set(m["keep_verbs"]) | set(m["object_verbs"])),
                                              key=len, reverse=True))),
        "elliptic": set(m["elliptic_verbs"]),
        "elliptic_re": re.compile("|".join(sorted(map(re.escape, set(m["keep_verbs"]) | set(m["object_verbs"])
                                                      | set(m["elliptic_verbs"])), key=len, reverse=True))),
        "any_verb": set(m["generic_verbs"]) | set(m["keep_verbs"]) | set(m["object_verbs"]),
        "count_suffix_after": tuple(m["count_suffix_after"]),
        "modifiers": set(m["modifiers"]),
        "after_stops": set(m["after_stops"]),
        "right_trim": set(m["right_trim"]),
        "subjects": set(m["subjects"]),
        "max_chars": m["max_chars"],
        "strip_tail": sorted(m["strip_tail"], key=len, reverse=True),
        "trigger": re.compile(b["trigger"]),
        "max_category": b["max_category"],
        "strip_lead": sorted(b["strip_lead"], key=len, reverse=True),
        "strip_trail": sorted(b["strip_trail"], key=len, reverse=True),
        "strip_lead_verbs": b["strip_lead_verbs"],
        "strip_lead_verbs_min_rest": b["strip_lead_verbs_min_rest"],
        "keep_before_metric": tuple(b["keep_before_metric"]),
        "list_heads": sorted(b["list_heads"], key=len, reverse=True),
        "table_headers": re.compile("|".join(map(re.escape, r["prose"]["table_headers"]))),
        "heading": re.compile(  # tried only at a Chinese numeral (fast)
            r"(?=[一二三四五六七八九十])(?:(?<=^)|(?<=[\n。；;！？\s）)>]))([一二三四五六七八九十]{1,2})、\s*"
            r"((?:[^\n。；，,：:（(]{0,30}?(?:情况|概述|措施|事项|问题|改进(?:措施|情况|方向|计划)?|附表|统计表|总结|方面))"
            r"(?:[和及与][^\n。；，,：:（(]{0,12}?(?:情况|措施|事项|问题|改进(?:措施|情况|方向|计划)?|方向|计划))?)"),
    }
