"""Prose figures, the metric: what a number counts, read from the words around it (jieba with the report
vocabulary), and a breakdown item's category."""
from __future__ import annotations

import re

from functools import lru_cache

from xxgk.rules.figures.data import CLAUSE_BOUNDARY, _rules, tokenizer
from xxgk.rules.figures.numbers import _Hit
from xxgk.rules.records import Figure
from xxgk.rules.text import HAN, squash


@lru_cache(maxsize=4096)
def words(text: str) -> tuple[str, ...]:
    """The words of `text` (jieba with the report vocabulary, no HMM); cached, as the same short clauses
    recur within a report and across reports (“主动公开政府信息”)."""
    return tuple(tokenizer().lcut(text, HMM=False))


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
    “公开科技创新、…等重点领域信息”): the last domain/object verb before it, within the clause, with no number
    between."""
    rules = _rules()
    toks = (list(words(context)) if context else []) + tokens
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
    tokens = _trim_tail([t for t in words(window) if t.strip()], rules)
    got = _walk_back(tokens, object_follows, context, rules)
    return _clean_metric("".join(reversed(got)))


def _trim_tail(tokens: list[str], rules: dict) -> list[str]:
    """Fillers at the end dropped; “结转至2026年6件”: a “to <date>” phrase between the metric and its number
    skipped."""
    while tokens:
        if tokens[-1] in rules["fillers"]:
            tokens.pop()
            continue
        k = len(tokens)
        while k > 0 and (tokens[k - 1].isdigit() or tokens[k - 1] in rules["right_trim"]):
            k -= 1
        if k < len(tokens) and any(t in ("至", "到", "于", "截至") for t in tokens[k:]):
            del tokens[k:]
            continue
        break
    return tokens


_SKIP, _END = "skip", "end"


def _walk_back(tokens: list[str], object_follows: bool, context: str, rules: dict) -> list[str]:
    """The metric's words, last first: back from the number until a word that ends it."""
    got: list[str] = []
    for k in range(len(tokens) - 1, -1, -1):
        t = tokens[k]
        joint = _joint(t, k, tokens, got, context, rules)
        if joint == _SKIP:
            continue
        if joint == _END:
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
    return got


def _joint(t: str, k: int, tokens: list[str], got: list[str], context: str, rules: dict) -> str | None:
    """What a modifier or particle does to the metric being read: _SKIP it, _END the metric (maybe after
    adding the verb it reaches back to), or None (an ordinary word)."""
    verb_before = k > 0 and tokens[k - 1] in rules["verbs"]
    if t in rules["modifiers"]:
        return _SKIP
    if t == "等":
        # “科技创新、民生保障等重点领域信息” → 重点领域信息; “网上信息、安全提示等1000余条” → 安全提示
        if not got:
            return _SKIP
        _add_reach_verb(got, tokens[:k], context)  # “公开科技创新、…等重点领域信息” → 公开重点领域信息
        return _END
    if t == "的":
        # “主动公开的政府信息”: the 的 joins a domain verb to its object; otherwise the metric ends here
        if got and verb_before:
            return _SKIP
        if got:
            _add_reach_verb(got, tokens[:k], context)  # “关停未进行规范管理的政务新媒体” → 关停政务新媒体
        return _END
    if t == "了" and got and verb_before:
        return _SKIP  # “发布了农产品抽检情况公示”
    if t in rules["subjects"] and got and verb_before:
        got.append(tokens[k - 1])  # “主动公开我区各级单位政府信息” → 主动公开政府信息
        return _END
    return None


def _add_reach_verb(got: list[str], tokens: list[str], context: str) -> None:
    verb = _reach_verb(tokens, context)
    if verb:
        got.append(verb)


def metric_after(text: str) -> str:
    """A noun right after the unit (“收到15564件咨询投诉件”, “推出20期《问政平潭》”); past a relative clause
    (“2个无人维护或重复建设的政务新媒体” → 政务新媒体); a whole noun phrase up to the end of the clause
    (“40期安全生产信息简报。”)."""
    rules = _rules()
    title = re.match(r"《([^》]{1,30})》", text)
    if title:
        return title.group(1)
    rel = _RELATIVE.match(text)
    if rel and (text[0] in "无未不非需被已没" or words(text[:4])[0] in rules["any_verb"]):
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
    tokens = words(run.group(0))
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
    for t in words(run.group(0)[:14]):
        if t in rules["stops"] or t in rules["generic"] or t in rules["verbs"] or t in rules["fillers"] \
                or t in rules["after_stops"]:
            break
        got.append(t)
        if len(got) >= 2 or sum(map(len, got)) >= 8:
            break
    return _clean_metric("".join(got))


_INNER_BRACKET = re.compile(r"(?<=[\u4e00-\u9fff])[（(]([\u4e00-\u9fff]{1,3})[）)](?=[\u4e00-\u9fff])")


def _window(text: str, start: int, floor: int) -> str:
    """The clause before a number: back to the last clause boundary (a bracket inside a word, “专（兼）职”, is
    not one)."""
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
    seg = squash(segment).strip("，,、；;：:。")
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


_AGENCY = ("委", "局", "办", "厅", "政府", "中心", "院")


def _metric_at(text: str, h: _Hit, window: str, s: int, last: Figure | None,
               counted: Figure | None = None) -> str:
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
    if metric in rules["elliptic"] and counted is not None and not object_follows:
        # “收到70件申请，（同比增长12%，）办结69件” → 办结申请: the object of the last count of the sentence
        lead = rules["elliptic_re"].match(counted.metric)
        if lead and len(counted.metric) > lead.end():
            return metric + counted.metric[lead.end():]
    if not verb and last is not None and ws > 0 and text[ws - 1] == "、" and getattr(last, "_end", -1) == ws - 1:
        # “关停…政府网站1个、政务新媒体2个” → 关停政务新媒体
        prev = leading_verb(last.metric)
        if prev in rules["object_verbs"]:
            return prev + metric
    if verb and ws > 2 and text[ws - 1] == "、" and text[ws - 3:ws - 1] in rules["any_verb"]:
        return text[ws - 3:ws] + metric  # “制作、获取政府信息” → both verbs
    return metric
