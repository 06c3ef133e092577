"""Prose figures: every count the report's prose states with a unit, with its metric, section and breakdowns.

  * numbers: Arabic or Chinese (cn2an: 两名 → 2, 十余次 → 10 approximate), followed by a unit from
    rules/data/figures.toml; numbers inside stop spans (dates, phone numbers, document numbers 〔2019〕60号,
    titles 《…》, slogans “三同步”, ordinals 第三/一是/1.) are never figures;
  * metric: the noun phrase right before the number, segmented with jieba (one Tokenizer with the domain user
    dictionary rules/data/userdict.txt, made once per process), walking back over words until a subject, time
    word, preposition or generic verb: “专门配备专职人员2名” → 专职人员, “共受理各类投诉转办件共计469件” → 受理投诉转办件;
  * breakdowns: after a total (“…469件，其中：噪音扰民163件、…”, “…425条政府信息中，…”, “。其中，…”) or a list head
    (“主要类别有：…”), each item is a figure with metric = the total's metric and category = the item;
    “，占34.8%” after an item is that item's share (unit %);
  * section: the last section heading (一、… ) before the figure, found on its own line or inline.

Decisions: a number is a figure only with a unit after it, so list names (“十大模块”, “七大攻坚战”) and slogans
(“三安全一稳定”, “五个一律” — quoted slogans are stop spans) are not counts; “一” alone (一次性, 一名负责人, 一条龙)
is idiomatic far more often than a count and is a figure only where its unit ends the clause (“专职人员一名，”); “1.2万条” is 12000 条 while 万元/万人次 stay units;
approximations (近/约/逾…, …余/多/来) keep the stated number with approximate=True.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import cn2an

from parsers.document import Document
from rules.data_files import DATA_DIR, load
from rules.legacy import appendix_start, cn_number
from rules.records import Figure

HAN = re.compile(r"[\u4e00-\u9fff]")
# full-width digits, %, point and comma → ASCII (one character each, so positions hold)
FULL_WIDTH = str.maketrans("０１２３４５６７８９％．", "0123456789%.")
SENTENCE_END = "。！？!?\n"
CLAUSE_BOUNDARY = set("，,。；;：:（(）)“”\"《》!?！？\n、")
_tokenizer = None


def tokenizer():
    """The jieba Tokenizer with the report vocabulary, made on first use (about half a second, once)."""
    global _tokenizer
    if _tokenizer is None:
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        tk = jieba.Tokenizer()
        tk.initialize()
        tk.load_userdict(str(Path(DATA_DIR) / "userdict.txt"))
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
    number = re.compile(
        rf"(?P<pre>{pre})?(?P<num>(?<![\d.a-zA-Z\-－])\d+(?:,\d{{3}})*(?:\.\d+)?|{cn}+?)\s*(?P<post>{post})?(?P<mult>万|亿)??(?P<post2>余|多)?\s*(?P<unit>{unit_re})")
    m = r["metric"]
    b = r["breakdown"]
    return {
        "number": number,
        "not_followed": tuple(r["units"]["not_followed_by"]),
        "drop_units": set(r["units"]["drop_units"]),
        "skip_cn": set(r["numbers"]["skip_chinese_values"]),
        "cn_chars": set(cn.strip("[]")),
        "stop": re.compile("|".join(f"(?:{p})" for p in r["stop"]["spans"])),
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
        "connectives": set(m["connectives"]),
        "max_chars": m["max_chars"],
        "strip_tail": sorted(m["strip_tail"], key=len, reverse=True),
        "trigger": re.compile(b["trigger"]),
        "max_category": b["max_category"],
        "strip_lead": sorted(b["strip_lead"], key=len, reverse=True),
        "strip_trail": sorted(b["strip_trail"], key=len, reverse=True),
        "strip_lead_verbs": b["strip_lead_verbs"],
        "strip_lead_verbs_min_rest": b["strip_lead_verbs_min_rest"],
        "list_heads": sorted(b["list_heads"], key=len, reverse=True),
        "heading": re.compile(
            r"(?:(?<=^)|(?<=[\n。；;！？\s）)>]))([一二三四五六七八九十]{1,2})、\s*"
            r"((?:[^\n。；，,：:（(]{0,30}?(?:情况|概述|措施|事项|问题|改进(?:措施|情况|方向|计划)?|附表|统计表|总结|方面))"
            r"(?:[和及与][^\n。；，,：:（(]{0,12}?(?:情况|措施|事项|问题|改进(?:措施|情况|方向|计划)?|方向|计划))?)"),
    }


# ---------------------------------------------------------------------------------------------- text

def prose_text(doc: Document) -> str:
    """The report's prose: every non-table block, the flattened legacy appendix cut off."""
    text = "\n".join(b.text for b in doc.blocks if b.kind != "table")
    start = appendix_start(text)
    if start is not None:
        text = text[:start]
    return text


def headings(text: str) -> list[tuple[int, str]]:
    """(position, heading) of the section headings 一、… in order; ordinals must follow each other."""
    rules = _rules()
    out: list[tuple[int, str]] = []
    expected = 1
    for m in rules["heading"].finditer(text):
        n = cn_number(m.group(1))
        if n is None:
            continue
        line_end = text.find("\n", m.start())
        line = text[m.start(): line_end if line_end >= 0 else len(text)].strip()
        if out and n not in (expected, expected + 1) and n != 1:
            continue
        if 0 < len(line) <= 40 and "。" not in line and "，" not in line:
            title = re.sub(r"\s+", "", line)
        else:
            title = m.group(1) + "、" + re.sub(r"\s+", "", m.group(2))
        out.append((m.start(), title))
        expected = n + 1
    return out


def stop_mask(text: str) -> bytearray:
    mask = bytearray(len(text))
    for m in _rules()["stop"].finditer(text):
        mask[m.start(): m.end()] = b"\x01" * (m.end() - m.start())
    return mask


def to_number(num: str) -> float | None:
    num = num.replace(",", "")
    if num[0].isdigit():
        return float(num)
    try:
        if num[0] in "百千万亿":
            num = "一" + num
        return float(cn2an.cn2an(num.replace("两", "二").replace("〇", "零"), "smart"))
    except (ValueError, KeyError, IndexError):
        return None


# ---------------------------------------------------------------------------------------------- metric

def _clean_metric(metric: str) -> str:
    rules = _rules()
    changed = True
    while changed and metric:
        changed = False
        for tail in rules["strip_tail"]:
            if metric.endswith(tail) and len(metric) > len(tail):
                metric = metric[: -len(tail)]
                changed = True
    while metric and metric[0] in "和及与或、":
        metric = metric[1:]
    return strip_count_suffix(metric)


def strip_count_suffix(word: str) -> str:
    """行政诉讼数 → 行政诉讼, 依申请公开信息数 → 依申请公开信息; 关注人数 and 粉丝数 keep their 数."""
    if word.endswith("数") and word[:-1].endswith(_rules()["count_suffix_after"]):
        return word[:-1]
    if word.endswith("数量") and len(word) > 3:
        return word[:-2]  # 新媒体数量 → 新媒体
    return word


def leading_verb(metric: str) -> str:
    """The domain or object verb a metric starts with (主动公开政府信息 → 主动公开), or ""."""
    m = _rules()["verb_re"].match(metric)
    return m.group(0) if m else ""


def _reach_verb(tokens: list[str], context: str) -> str:
    """The verb whose object a relative clause or an enumeration delays (“接收通过邮寄、网络提交的…申请”,
    “公开科技创新、…等重点领域信息”): the last domain/object verb before it, within the clause, with no number between."""
    rules = _rules()
    toks = (tokenizer().lcut(context, HMM=False) if context else []) + tokens
    for t in reversed(toks[-16:]):
        if t in rules["verbs"]:
            return t
        # the clause's own verb (“…等产生的费用”), a cause or purpose (“因…引发的复议”), a number: no reach
        if t.isdigit() or t in _NO_REACH or t in rules["generic"] or t[0] in "，,。；;：:":
            return ""
    return ""


_NO_REACH = {"因", "由于", "对", "用于", "为了", "关于", "针对"}


def metric_before(window: str, object_follows: bool = False, context: str = "") -> str:
    """The noun phrase at the end of `window` (text right before a number).

    object_follows: the number is followed by its noun (“主动公开的425条政府信息”), so a domain verb right before
    the number is that verb, not a noun (“…情况公示10期”), and ends the metric.
    context: the clause before `window` (which ends at a 、): where a relative clause or an enumeration ends the
    metric, the verb is looked for there."""
    rules = _rules()
    tokens = [t for t in tokenizer().lcut(window, HMM=False) if t.strip()]
    while tokens:
        if tokens[-1] in rules["fillers"]:
            tokens.pop()
            continue
        # “结转至2026年6件”: a “to <date>” phrase between the metric and its number is skipped
        k = len(tokens)
        while k > 0 and (tokens[k - 1].isdigit() or tokens[k - 1] in rules["right_trim"]):
            k -= 1
        if k < len(tokens) and any(t in ("至", "到", "于", "截至") for t in tokens[k:]):
            del tokens[k:]
            continue
        break
    got: list[str] = []
    for k in range(len(tokens) - 1, -1, -1):
        t = tokens[k]
        if t in rules["modifiers"]:
            continue
        if t == "等":
            # “科技创新、民生保障等重点领域信息” → 重点领域信息; “网上信息、安全提示等1000余条” → 安全提示
            if got:
                verb = _reach_verb(tokens[:k], context)  # “公开科技创新、…等重点领域信息” → 公开重点领域信息
                if verb:
                    got.append(verb)
                break
            continue
        if t == "的":
            # “主动公开的政府信息”: the 的 joins a domain verb to its object; otherwise the metric ends here
            if got and k > 0 and tokens[k - 1] in rules["verbs"]:
                continue
            if got:
                verb = _reach_verb(tokens[:k], context)  # “关停未进行规范管理的政务新媒体” → 关停政务新媒体
                if verb:
                    got.append(verb)
            break
        if t == "了" and got and k > 0 and tokens[k - 1] in rules["verbs"]:
            continue  # “发布了农产品抽检情况公示”
        if t in rules["subjects"] and got and k > 0 and tokens[k - 1] in rules["verbs"]:
            got.append(tokens[k - 1])  # “主动公开我区各级单位政府信息” → 主动公开政府信息
            break
        if t in rules["stops"] or t in rules["generic"] or not HAN.search(t) or re.search(r"\d", t):
            break
        got.append(t)
        if t in rules["verbs"] and (len(got) > 1 or object_follows):
            # “制作并发布短视频”: a verb joined to this one by 并/和 shares the object
            if k >= 2 and tokens[k - 1] in ("并", "和", "及") and (tokens[k - 2] in rules["generic"]
                                                                  or tokens[k - 2] in rules["verbs"]):
                got.extend((tokens[k - 1], tokens[k - 2]))
            break
        if sum(map(len, got)) >= rules["max_chars"]:
            break
    return _clean_metric("".join(reversed(got)))


def metric_after(text: str) -> str:
    """A noun right after the unit (“收到15564件咨询投诉件”, “推出20期《问政平潭》”); past a relative clause
    (“2个无人维护或重复建设的政务新媒体” → 政务新媒体); a whole noun phrase up to the end of the clause
    (“40期安全生产信息简报。”)."""
    rules = _rules()
    title = re.match(r"《([^》]{1,30})》", text)
    if title:
        return title.group(1)
    rel = _RELATIVE.match(text)
    if rel and (text[0] in "无未不非需被已没" or tokenizer().lcut(text[:4], HMM=False)[0] in rules["any_verb"]):
        noun = _noun_after(text[rel.end():], rules)
        if noun:
            return noun
    return _noun_after(text, rules)


_RELATIVE = re.compile(r"[^，,。；;：:（(《\d]{1,30}?的(?=[\u4e00-\u9fff])")
_PHRASE_END = set("，,。；;、：:）)\n")


def _noun_after(text: str, rules: dict) -> str:
    run = re.match(r"[\u4e00-\u9fff]{1,24}", text)
    if not run:
        return ""
    tokens = tokenizer().lcut(run.group(0), HMM=False)
    if run.end() < len(text) and text[run.end()] in _PHRASE_END and len(tokens) <= 14:
        # the clause ends with the noun phrase: all of it, when no word in it ends a noun (情况 may close it)
        # (a noun-like verb may close it too: 季度政务公开检查)
        last = len(tokens) - 1
        if all(not (t in rules["stops"] or (t in rules["generic"] and not (i == last and i > 0))
                    or t in rules["verbs"] or t in rules["fillers"]
                    or (t in rules["after_stops"] and not (t == "情况" and i == last)))
               for i, t in enumerate(tokens)):
            return _clean_metric(run.group(0))
    got = []
    for t in tokenizer().lcut(run.group(0)[:14], HMM=False):
        if t in rules["stops"] or t in rules["generic"] or t in rules["verbs"] or t in rules["fillers"] \
                or t in rules["after_stops"]:
            break
        got.append(t)
        if len(got) >= 2 or sum(map(len, got)) >= 8:
            break
    return _clean_metric("".join(got))


_INNER_BRACKET = re.compile(r"(?<=[\u4e00-\u9fff])[（(]([\u4e00-\u9fff]{1,3})[）)](?=[\u4e00-\u9fff])")


def _window(text: str, start: int, floor: int) -> str:
    """The clause before a number: back to the last clause boundary (a bracket inside a word, “专（兼）职”, is not one)."""
    i = start
    while i > floor and start - i < 40:
        ch = text[i - 1]
        if ch in "）)":
            m = _INNER_BRACKET.search(text, max(floor, i - 6), min(len(text), i + 1))
            if m and m.end() == i:
                i = m.start()
                continue
        if ch in CLAUSE_BOUNDARY:
            break
        i -= 1
    return _INNER_BRACKET.sub(r"\1", text[i:start])


def _category(segment: str, metric: str) -> str:
    rules = _rules()
    seg = re.sub(r"\s+", "", segment).strip("，,、；;：:。")
    # brackets that the item boundary cut in half: “预决算公开197条（政府预决算32条，…）”
    if seg.count("（") + seg.count("(") != seg.count("）") + seg.count(")"):
        seg = re.sub(r"[（()）]", "", seg)
    seg = seg.strip("，,、；;：: ")
    changed = True
    while changed:
        changed = False
        for lead in rules["strip_lead"]:
            if seg.startswith(lead) and len(seg) > len(lead):
                seg = seg[len(lead):].lstrip("，,、；;：:")
                changed = True
        for trail in rules["strip_trail"]:
            if seg.endswith(trail) and len(seg) > len(trail):
                seg = seg[: -len(trail)]
                changed = True
    for verb in rules["strip_lead_verbs"]:
        # but “制作、获取政府信息1873条，其中主动公开政府信息425条”: the verb is what sets the item apart
        if seg.startswith(verb) and len(seg) - len(verb) >= rules["strip_lead_verbs_min_rest"] \
                and not metric.endswith(seg[len(verb):]):
            seg = seg[len(verb):]
            break
    verb = leading_verb(metric)
    if verb and seg.endswith(verb) and len(seg) > len(verb) + 1:
        seg = seg[: -len(verb)]  # “发布信息2139条，其中动态类信息发布1744条” → 动态类信息
    seg = strip_count_suffix(seg)
    rest = seg[: -len(metric)] if metric and seg.endswith(metric) and len(seg) > len(metric) else ""
    if rest and not any(rest.endswith(v) for v in rules["keep"]) and not rest.endswith("的"):
        seg = rest
        for trail in rules["strip_trail"]:
            if seg.endswith(trail) and len(seg) > len(trail):
                seg = seg[: -len(trail)]
    return seg


# ---------------------------------------------------------------------------------------------- figures

class _Hit:
    __slots__ = ("start", "num_start", "end", "value", "unit", "approx")

    def __init__(self, start, num_start, end, value, unit, approx):
        self.start, self.num_start, self.end = start, num_start, end
        self.value, self.unit, self.approx = value, unit, approx


def _stopped(text: str, start: int, end: int) -> bool:
    """Whether a stop span (date, phone number, title, …) covers text[start:end]; looked for nearby only."""
    lo = max(0, start - 90)
    for m in _rules()["stop"].finditer(text, lo, min(len(text), end + 30)):
        if m.start() > end:
            break
        if m.start() <= start < m.end() or m.start() < end <= m.end():
            return True
    return False


# a count named by a noun in 数/量 needs no unit: “粉丝数 54373，”, “不予公开信息数1402。”
_UNITLESS = re.compile(r"(?<=[\u4e00-\u9fff][数量])\s*(?:为|达到|达)?\s*(?P<num>(?<![\d.])\d+(?:\.\d+)?)(?=\s*[，,。；;])")


def find_numbers(text: str, mask: bytearray | None = None) -> list[_Hit]:
    hits = _unit_numbers(text, mask)
    extra = []
    for m in _UNITLESS.finditer(text):
        ns, ne = m.start("num"), m.end("num")
        if (mask[ns] or mask[ne - 1]) if mask is not None else _stopped(text, ns, ne):
            continue
        extra.append(_Hit(ns, ns, ne, float(m.group("num")), None, False))
    if extra:
        hits = sorted(hits + extra, key=lambda h: h.start)
    return hits


def _unit_numbers(text: str, mask: bytearray | None = None) -> list[_Hit]:
    rules = _rules()
    hits = []
    for m in rules["number"].finditer(text):
        num = m.group("num")
        ns = m.start("num")
        unit = m.group("unit")
        if unit in rules["drop_units"]:
            continue
        if text.startswith(rules["not_followed"], m.end()):
            continue
        chinese = not num[0].isdigit()
        if chinese and num in ("百", "千", "万", "亿") and not m.group("pre"):
            continue  # “（单位：万元）”, “千件”: a multiplier alone is not a number
        if chinese:
            if ns > 0 and text[ns - 1] in rules["cn_chars"]:
                continue
            if ns > 0 and text[ns - 1] in "第每前后上下周":
                continue
        value = to_number(num)
        if value is not None and m.group("mult"):
            value *= 1e4 if m.group("mult") == "万" else 1e8
        if value is None:
            continue
        if chinese and value in rules["skip_cn"] and not re.match(r"[，。；、,.;:：）)\n]|$", text[m.end():m.end() + 1]):
            continue  # “一次性告知”, “一名负责人” — but “配备专职人员一名，” is a count
        if mask is not None:
            if mask[ns] or mask[m.end("num") - 1]:
                continue
        elif _stopped(text, ns, m.end("num")):
            continue
        if unit == "％":
            unit = "%"
        approx = bool(m.group("pre") or m.group("post") or m.group("post2"))
        start = m.start("pre") if m.group("pre") else ns
        hits.append(_Hit(start, ns, m.end(), value, unit, approx))
    return hits


def extract_figures(doc: Document) -> list[Figure]:
    text = prose_text(doc)
    return figures_from_text(text)


_NUMBERED_LINE = re.compile(r"\s*(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.、．](?!\d)|其中)")


def unwrap(text: str) -> str:
    """Join lines that a PDF or a fixed-width export wrapped inside a sentence."""
    if "\n" not in text:
        return text
    lines = text.split("\n")
    out = [lines[0]]
    for line in lines[1:]:
        prev = out[-1]
        tail = prev.rstrip()
        last_line = prev[prev.rfind("\n") + 1:] if "\n" in prev else prev
        if (len(last_line.strip()) > 25 and tail and tail[-1] not in "。！？!?；;：:" and line.strip()
                and not _NUMBERED_LINE.match(line)):
            out[-1] = prev.rstrip() + line.strip()
        else:
            out.append(line)
    return "\n".join(out)


def figures_from_text(text: str) -> list[Figure]:
    rules = _rules()
    text = unwrap(text.translate(FULL_WIDTH))
    hits = find_numbers(text)
    if not hits:
        return []
    heads = headings(text)
    figures: list[Figure] = []
    # sentences
    bounds = [0]
    for i, ch in enumerate(text):
        if ch in SENTENCE_END:
            bounds.append(i + 1)
    bounds.append(len(text))
    import bisect

    head_pos = [p for p, _ in heads]

    def section_of(pos: int) -> str:
        k = bisect.bisect_right(head_pos, pos) - 1
        return heads[k][1] if k >= 0 else ""

    def sentence_of(pos: int) -> tuple[int, int]:
        k = bisect.bisect_right(bounds, pos) - 1
        s = bounds[k]
        e = bounds[k + 1] if k + 1 < len(bounds) else len(text)
        return s, e

    group_id = 0
    last_group: tuple[Figure, int] | None = None
    i = 0
    prev_total: Figure | None = None  # last figure of the previous sentence (a 其中 in the next may break it down)
    prev_sentence = -1
    sentence_start_index = 0
    last_in_sentence: Figure | None = None
    topic = ""
    while i < len(hits):
        h = hits[i]
        s, e = sentence_of(h.num_start)
        if s != prev_sentence:
            # “。其中…” breaks down the first figure of the sentence before that has the unit of its first item
            start_at = sentence_start_index if prev_sentence >= 0 else len(figures)
            prev_total = next((f for f in figures[start_at:] if f.category is None and f.unit == h.unit
                               and f.unit != "%"), None)
            sentence_start_index = len(figures)
            last_in_sentence = None
            prev_sentence = s
            topic_m = _TOPIC.match(text, s, h.start)
            topic = metric_before(topic_m.group(1)) if topic_m else ""
            # “。其中，A x件…” breaks down the last figure of the sentence before
            lead = text[s:h.start]
            if prev_total is not None and re.match(r"\s*其中[，,：:\s]*", lead) and prev_total.category is None:
                items, j = _items(text, hits, i, s + re.match(r"\s*其中[，,：:\s]*", lead).end(), e,
                                  prev_total, section_of, group_id)
                if items:
                    group_id += 1
                    _mark_total(prev_total, group_id - 1)
                    figures.extend(items)
                    last_in_sentence = items[-1]
                    last_group = (prev_total, group_id - 1)
                    i = j
                    continue
        sentence = text[s:e].strip()
        window = _window(text, h.start, s)
        # a share right after a figure: “…1592条，占76.9%”
        if h.unit == "%" and re.search(r"占\s*$", window) and last_in_sentence is not None:
            base = last_in_sentence
            fig = Figure(section_of(h.start), base.metric, h.value, h.unit, sentence, base.category, h.approx)
            if hasattr(base, "_breakdown_item"):
                fig._breakdown_item = base._breakdown_item
            figures.append(fig)
            i += 1
            continue
        metric = _metric_at(text, h, window, s, last_in_sentence)
        # a topic opening the sentence: “主动公开的政府信息，县直各单位主动公开政府信息303条，占71.3%。”
        if topic and metric == topic and h.unit != "%":
            category = _category(re.sub(r"\s+", "", window), metric)
            if category and category != metric and len(category) <= rules["max_category"]:
                fig = Figure(section_of(h.start), metric, h.value, h.unit, sentence, category, h.approx)
                fig._breakdown_item = group_id
                last_group = (Figure(section_of(h.start), metric, 0.0, h.unit, sentence), group_id)
                group_id += 1
                figures.append(fig)
                last_in_sentence = fig
                i += 1
                continue
        # a list head: “主要类别有：A x条，B y条…”
        head = _list_head(window, text, h.start, s)
        if head is not None:
            total = Figure(section_of(h.start), head[0], 0.0, h.unit, sentence)
            items, j = _items(text, hits, i, head[1], e, total, section_of, group_id)
            if len(items) >= 2:
                group_id += 1
                figures.extend(items)
                last_in_sentence = items[-1]
                i = j
                continue
        if last_group is not None and figures and getattr(figures[-1], "_breakdown_item", None) == last_group[1] \
                and metric and metric == last_group[0].metric and h.unit == last_group[0].unit \
                and metric[-2:] in window:
            clause = re.sub(r"\s+", "", window)
            category = _category(clause, metric)
            if category and category != metric and len(category) <= rules["max_category"]:
                fig = Figure(section_of(h.start), metric, h.value, h.unit, sentence, category, h.approx)
                fig._breakdown_item = last_group[1]
                figures.append(fig)
                last_in_sentence = fig
                i += 1
                continue
        fig = Figure(section_of(h.start), metric, h.value, h.unit, sentence, None, h.approx)
        fig._end = h.end
        figures.append(fig)
        last_in_sentence = fig
        i += 1
        trig = rules["trigger"].match(text, h.end, e)
        if not trig and h.unit != "%":
            nxt = hits[i].start if i < len(hits) else e
            later = re.compile(r"[^。；;]{0,40}?[，,]\s*其中[，,：:\s]*").match(text, h.end, min(e, nxt))
            if later and (i >= len(hits) or hits[i].start >= later.end()):
                trig = later
        if trig and h.unit != "%":
            items, j = _items(text, hits, i, trig.end(), e, fig, section_of, group_id)
            if items:
                group_id += 1
                _mark_total(fig, group_id - 1)
                if not fig.metric:
                    # “有约4900人次…，其中现场咨询1600人次、电话咨询…”: what the items share is the metric
                    common = _common_suffix([f.category or "" for f in items if f.unit != "%"])
                    if len(common) >= 2 and len(items) >= 2:
                        fig.metric = common
                        for f in items:
                            f.metric = common
                figures.extend(items)
                last_in_sentence = items[-1]
                last_group = (fig, group_id - 1)
                i = j
                # the total's metric may come after its unit (“425条政府信息中”): fixed above by metric_after
    return [f for f in figures if f.metric]


_TOPIC = re.compile(r"\s*([\u4e00-\u9fff]{2,8}的[\u4e00-\u9fff]{2,8})[，,]")
_AGENCY = ("委", "局", "办", "厅", "政府", "中心", "院")


def _metric_at(text: str, h: _Hit, window: str, s: int, last: Figure | None) -> str:
    """The metric of the figure at hit `h`: the noun phrase before the number, or after it where the number
    comes first, completed by the verb an ellipsis, an enumeration or a relative clause left apart."""
    rules = _rules()
    after = text[h.end:h.end + 30]
    object_follows = bool(HAN.match(after))
    ws = h.start - len(window)
    cs = ws
    while cs > s and text[cs - 1] not in "，,。；;：:\n" and ws - cs < 40:
        cs -= 1
    metric = metric_before(window, object_follows, text[cs:ws])
    bare = window.rstrip()
    if object_follows and bare.endswith("对"):
        # “对29项涉及…的重要政策文件进行解读” → 解读重要政策文件
        m = re.match(r"[^。；;，,]{0,60}?(?:[、][^。；;，,]{0,30}?)*?进行([\u4e00-\u9fff]{2})", text[h.end:h.end + 90])
        if m:
            noun = metric_before(text[h.end:h.end + m.start(1) - 2])
            if noun:
                return m.group(1) + noun
    if object_follows and (bare.endswith(("等", "有")) or (metric.endswith(_AGENCY) and len(metric) <= 6)
                           or re.search(r"\d\s*[\u4e00-\u9fff]{1,2}$", bare)):
        # the counted noun follows: “等7项新举措”, “市科委有 1 件…的行政复议”, “市科委 5 个高频事项”,
        # “8大类348项公共服务事项”
        forward = metric_after(after)
        if forward:
            return forward
    if not metric or metric in rules["verbs"]:
        forward = metric_after(after)
        if forward:
            metric = metric + forward
    verb = leading_verb(metric)
    if metric in rules["elliptic"] and last is not None and last.category is None and not object_follows:
        # “收到70件申请，办结69件” → 办结申请
        lead = rules["elliptic_re"].match(last.metric)
        if lead and len(last.metric) > lead.end():
            return metric + last.metric[lead.end():]
    if not verb and last is not None and ws > 0 and text[ws - 1] == "、" and getattr(last, "_end", -1) == ws - 1:
        # “关停…政府网站1个、政务新媒体2个” → 关停政务新媒体
        prev = leading_verb(last.metric)
        if prev in rules["object_verbs"]:
            return prev + metric
    if verb and ws > 2 and text[ws - 1] == "、" and text[ws - 3:ws - 1] in rules["any_verb"]:
        return text[ws - 3:ws] + metric  # “制作、获取政府信息” → both verbs
    return metric


def _common_suffix(words: list[str]) -> str:
    if not words:
        return ""
    out = words[0]
    for w in words[1:]:
        while out and not w.endswith(out):
            out = out[1:]
    return out


def _mark_total(fig: Figure, group: int) -> None:
    fig._breakdown_total = group  # read by rules/checks.py (breakdown_sum); not an output column


def _list_head(window: str, text: str, start: int, floor: int) -> tuple[str, int] | None:
    """The metric of a list whose first item is at `start`, and where the first item begins: a colon list
    (“我区主动公开政府信息的主要类别有：”) or a sentence opening “所有办结的信息公开申请中A 9件，B 0件…”."""
    rules = _rules()
    k = start - len(window)
    if k > floor and text[k - 1] in "：:":
        before = text[max(floor, k - 60): k - 1]
        for h in rules["list_heads"]:
            if before.endswith(h):
                head = before[: -len(h)]
                metric = metric_before(head.rstrip("的"))
                return (metric, k) if metric else None
        return None
    if not text[floor:k].strip():
        idx = window.find("中")
        if idx > 1:
            metric = metric_before(window[:idx])
            if metric and leading_verb(metric):
                return metric, k + idx + 1
    return None


def _items(text, hits, i, pos, end, total, section_of, group):
    """Breakdown items from hits[i:] starting at text position `pos`; (figures, next hit index).

    Figures of another unit said about an item (“微博29个，共发布信息1992条；微信公众号41个”) are passed over
    when the list goes on after a “；”; hits[i:] is reordered so that the caller reads them after the list."""
    rules = _rules()
    items: list[Figure] = []
    deferred: list[int] = []
    j = i
    while j < len(hits):
        h = hits[j]
        if h.start >= end:
            break
        segment = text[pos:h.start]
        if "。" in segment:
            break
        if h.unit == "%" and items and re.fullmatch(r"[\s，,；;]*占?\s*", segment):
            prev = items[-1]
            fig = Figure(section_of(h.start), total.metric, h.value, "%", prev.text, prev.category, h.approx)
            fig._breakdown_item = group
            items.append(fig)
            pos = h.end
            j += 1
            continue
        if h.unit != total.unit and h.unit is not None and not (total.value == 0.0 and not items):
            k = j + 1
            if items and h.unit != "%" and k < len(hits) and hits[k].start < end and hits[k].unit == total.unit:
                seg2 = text[h.end:hits[k].start]
                cat2 = _category(seg2, total.metric)
                if re.match(r"\s*[；;]", seg2) and cat2 and len(cat2) <= rules["max_category"] \
                        and not re.search(r"[，,。]", seg2.strip("，,；;、 ")):
                    deferred.append(j)
                    pos = h.end
                    j += 1
                    continue
            break
        category = _category(segment, total.metric)
        if not category or len(category) > rules["max_category"] or re.search(r"[。；;]", category[:-1] if category else ""):
            break
        if items and re.search(r"[，,]", segment.strip("，,；;、 ")):
            break
        fig = Figure(section_of(h.start), total.metric, h.value, h.unit,
                     _sentence_text(text, pos, h.end), category, h.approx)
        fig._breakdown_item = group
        items.append(fig)
        pos = h.end
        j += 1
        if total.value > 0 and abs(sum(f.value for f in items if f.unit != "%") - total.value) < 1e-9:
            # the items have added up to the total: what follows is not part of this list
            while j < len(hits) and hits[j].unit == "%" and re.fullmatch(r"[\s，,；;]*占?\s*", text[pos:hits[j].start]):
                prev = items[-1]
                share = Figure(section_of(hits[j].start), total.metric, hits[j].value, "%", prev.text, prev.category,
                               hits[j].approx)
                share._breakdown_item = group
                items.append(share)
                pos = hits[j].end
                j += 1
            break
    while deferred and deferred[-1] >= j - 1 and deferred[-1] == j - 1:
        deferred.pop()  # a passed-over figure with no item after it was simply the end of the list
        j -= 1
    if sum(1 for f in items if f.unit != "%") < 1:
        return [], i
    if deferred:
        taken = [hits[x] for x in range(i, j) if x not in deferred]
        hits[i:j] = taken + [hits[x] for x in deferred]
        return items, i + len(taken)
    return items, j


def _sentence_text(text: str, start: int, end: int) -> str:
    s = start
    while s > 0 and text[s - 1] not in SENTENCE_END:
        s -= 1
    e = end
    while e < len(text) and text[e] not in SENTENCE_END:
        e += 1
    return text[s:e].strip()
