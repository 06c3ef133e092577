"""Prose figures: every count the report's prose states with a unit, with its metric, section and breakdowns.

  * numbers: Arabic or Chinese (cn2an: 两名 → 2, 十余次 → 10 approximate), followed by a unit from
    rules/data/figures.toml; numbers inside stop spans (dates, phone numbers, document numbers 〔2019〕60号,
    titles 《…》, slogans “三同步”, ordinals 第三/一是/1.) are never figures;
  * metric: the noun phrase right before the number, segmented with jieba (one Tokenizer with the domain user
    dictionary rules/data/userdict.txt, made once per process), walking back over words until a subject, time
    word, preposition or generic verb: “专门配备专职人员2名” → 专职人员,
    “共受理各类投诉转办件共计469件” → 受理投诉转办件;
    a verb that changes what is counted stays (关停/注销/新开设政务新媒体), also across a relative clause or an
    enumeration (“接收通过邮寄、网络提交的…申请81件”, “关停…政府网站1个、政务新媒体2个”); a bare 办结/结转 takes the
    object of the sentence's last count (“收到70件申请，办结69件” → 办结申请); where the noun follows the number
    (“市科委有 1 件涉及…的行政复议”, “等7项新举措”, “对29项…重要政策文件进行解读” → 解读重要政策文件) it is read
    there; a figure with no metric is never emitted;
  * breakdowns: after a total (“…469件，其中：噪音扰民163件、…”, “…425条政府信息中，…”, “。其中，…”) or a list head
    (“主要类别有：…”), each item is a figure with metric = the total's metric and category = the item;
    “，占34.8%” or “（31.35%）” after an item is that item's share (unit %); items listed right after a total
    with no word announcing them (“答复申请209件，予以公开及部分公开120件、不予公开9件…”) are its breakdown only
    where they add up to it exactly and none is an action on it (办结/结转…); an item printed without its unit
    (“…类信息 45，其他类4条”) is taken only where the list adds up to the total with it; a “。其中” sentence
    breaks down the figure of the sentence before that its items add up to; numbers in a national table printed
    flat into the text (after a column header such as 采购项目数量) are not prose figures; also a sentence topic
    (“主动公开的政府信息，县直各单位…303条”)
    and an opening “所有办结的信息公开申请中A 9件，B 0件…”;
  * section: the last section heading (一、… ) before the figure, found on its own line or inline.

Decisions: a number is a figure only with a unit after it, so list names (“十大模块”, “七大攻坚战”) and slogans
(“三安全一稳定”, “五个一律” — quoted slogans are stop spans) are not counts; “一” alone (一次性, 一名负责人, 一条龙)
is idiomatic far more often than a count and is a figure only where its unit ends the clause (“专职人员一名，”);
“1.2万条” is 12000 条 while 万元/万人次 stay units;
approximations (近/约/逾…, …余/多/来) keep the stated number with approximate=True; a count named by a noun in 数/量
needs no unit (“粉丝数 54373，”: unit null); a run of 7+ digits is a phone number or an id unless a unit follows it.

Modules: data (rules data, tokenizer), numbers (numbers, stop spans), metric (metric,
category), this one (sections, sentences, breakdowns).
"""
from __future__ import annotations

import bisect
import re

from xxgk.parsers.document import Document
from xxgk.rules.figures.data import FULL_WIDTH, SENTENCE_END, _rules
from xxgk.rules.figures.metric import _category, _metric_at, _window, leading_verb, metric_before, words
from xxgk.rules.figures.numbers import find_numbers
from xxgk.rules.legacy.flat import appendix_start
from xxgk.rules.numbering import cn_ordinal
from xxgk.rules.records import Figure
from xxgk.rules.text import squash


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
        n = cn_ordinal(m.group(1))
        if n is None:
            continue
        line_end = text.find("\n", m.start())
        line = text[m.start(): line_end if line_end >= 0 else len(text)].strip()
        if out and n not in (expected, expected + 1) and n != 1:
            continue
        if 0 < len(line) <= 40 and "。" not in line and "，" not in line:
            title = squash(line)
        else:
            title = m.group(1) + "、" + squash(m.group(2))
        out.append((m.start(), title))
        expected = n + 1
    return out


# ---------------------------------------------------------------------------------------------- figures

def extract_figures(doc: Document) -> list[Figure]:
    text = prose_text(doc)
    return figures_from_text(text)


_NUMBERED_LINE = re.compile(r"\s*(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[）)]"
                            r"|\d{1,2}[.、．](?!\d)|其中)")


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


_FULL_WIDTH_CHAR = re.compile("[" + re.escape("".join(map(chr, FULL_WIDTH))) + "]")
_SENTENCE_END = re.compile("[" + re.escape(SENTENCE_END) + "]")


def half_width(text: str) -> str:
    """Full-width digits, % and point as ASCII (translated only where there are any: translate is slow)."""
    return text.translate(FULL_WIDTH) if _FULL_WIDTH_CHAR.search(text) else text


class Sentences:
    """Where the sentences of a text end (at 。！？!? or a line break), found once."""

    def __init__(self, text: str):
        self.text = text
        self.ends = [m.start() for m in _SENTENCE_END.finditer(text)]

    def of(self, pos: int) -> tuple[int, int]:
        """(start, end) of the sentence around position `pos`, its end mark included."""
        k = bisect.bisect_left(self.ends, pos)
        s = self.ends[k - 1] + 1 if k > 0 else 0
        e = self.ends[k] + 1 if k < len(self.ends) else len(self.text)
        return s, e

    def text_of(self, start: int, end: int) -> str:
        """The sentence(s) around text[start:end], without their end marks, stripped."""
        k = bisect.bisect_left(self.ends, start)
        s = self.ends[k - 1] + 1 if k > 0 else 0
        k = bisect.bisect_left(self.ends, end, k)
        e = self.ends[k] if k < len(self.ends) else len(self.text)
        return self.text[s:e].strip()


def figures_from_text(text: str) -> list[Figure]:
    text = unwrap(half_width(text))
    return _Scan(text).figures_found()


class _Scan:
    """One pass over the numbers of a text, in order: each number becomes a plain figure, a share of the figure
    before, an item of a breakdown (after a total, a list head, a sentence topic) or nothing."""

    def __init__(self, text: str):
        self.rules = _rules()
        self.text = text
        self.hits = find_numbers(text)
        self.heads = headings(text) if self.hits else []
        self.head_pos = [p for p, _ in self.heads]
        self.sentences = Sentences(text)
        self.figures: list[Figure] = []
        self.group_id = 0
        self.last_group: tuple[Figure, int] | None = None
        self.i = 0
        self.prev_total: Figure | None = None  # last figure of the previous sentence (a 其中 may break it down)
        self.prev_sentence = -1
        self.sentence_start_index = 0
        self.last_in_sentence: Figure | None = None
        self.topic = ""

    def section_of(self, pos: int) -> str:
        k = bisect.bisect_right(self.head_pos, pos) - 1
        return self.heads[k][1] if k >= 0 else ""

    def figures_found(self) -> list[Figure]:
        while self.i < len(self.hits):
            h = self.hits[self.i]
            s, e = self.sentences.of(h.num_start)
            if self._in_table(h, s):
                self.i += 1
                continue
            if s != self.prev_sentence and self._new_sentence(h, s, e):
                continue
            self._step(h, s, e)
        return [f for f in self.figures if f.metric]

    def _in_table(self, h, s: int) -> bool:
        """A cell of a national table printed flat into the text: a column header since the sentence start or the
        last section heading, and no section number (“三、”) after it."""
        k = bisect.bisect_right(self.head_pos, h.start) - 1
        start = max(s, self.head_pos[k]) if k >= 0 else s
        headers = list(self.rules["table_headers"].finditer(self.text, start, h.start))
        return bool(headers) and not _SECTION_NUMBER.search(self.text, headers[-1].end(), h.start)

    # ------------------------------------------------------------------------------------ sentences

    def _new_sentence(self, h, s: int, e: int) -> bool:
        """Start a sentence; True when “。其中，A x件…” consumed its numbers as a breakdown of the sentence
        before."""
        figures = self.figures
        # “。其中…” breaks down the first figure of the sentence before that has the unit of its first item
        start_at = self.sentence_start_index if self.prev_sentence >= 0 else len(figures)
        totals = [f for f in figures[start_at:] if f.category is None and f.unit == h.unit and f.unit != "%"]
        self.prev_total = totals[0] if totals else None
        self.sentence_start_index = len(figures)
        self.last_in_sentence = None
        self.prev_sentence = s
        topic_m = _TOPIC.match(self.text, s, h.start)
        self.topic = metric_before(topic_m.group(1)) if topic_m else ""
        prev_total = self.prev_total
        qizhong = _QIZHONG_LEAD.match(self.text[s:h.start]) if prev_total is not None else None
        if not (qizhong and prev_total.category is None):
            return False
        prev_total = self._qizhong_total(totals, s + qizhong.end(), e)
        items, j = self._items(self.i, s + qizhong.end(), e, prev_total, self.group_id)
        if not items:
            return False
        self.group_id += 1
        _mark_total(prev_total, self.group_id - 1)
        self._take_items(items, j, (prev_total, self.group_id - 1))
        return True

    def _qizhong_total(self, totals: list[Figure], pos: int, e: int) -> Figure:
        """Which figure of the sentence before “。其中…” breaks down: the first of its unit, unless the items add
        up to another one (“制作政务信息514条，主动公开政府信息514条。其中…”: the nearest of those they add up
        to)."""
        if len(totals) < 2:
            return totals[0]
        trial, _ = self._items(self.i, pos, e, totals[0], self.group_id, defer=False)
        summed = sum(f.value for f in trial if f.unit != "%" and not f._breakdown_nested)
        matching = [f for f in totals if abs(f.value - summed) < 1e-9]
        return matching[-1] if matching else totals[0]

    def _take_items(self, items: list[Figure], j: int, group: tuple[Figure, int] | None) -> None:
        self.figures.extend(items)
        self.last_in_sentence = items[-1]
        if group is not None:
            self.last_group = group
        self.i = j

    def _add(self, fig: Figure) -> None:
        self.figures.append(fig)
        self.last_in_sentence = fig
        self.i += 1

    def _step(self, h, s: int, e: int) -> None:
        text = self.text
        sentence = text[s:e].strip()
        window = _window(text, h.start, s)
        if self._share(h, window, sentence):
            return
        counted = next((f for f in reversed(self.figures[self.sentence_start_index:])
                        if f.category is None and f.unit != "%" and f.metric), None)
        metric = _metric_at(text, h, window, s, self.last_in_sentence, counted)
        if (self._topic_item(h, metric, window, sentence) or self._list(h, window, s, e, sentence)
                or self._group_item(h, metric, window, sentence)):
            return
        self._plain(h, metric, sentence, e)

    # ------------------------------------------------------------------------------------ one number

    def _share(self, h, window: str, sentence: str) -> bool:
        """A share right after a figure: “…1592条，占76.9%”."""
        base = self.last_in_sentence
        if not (h.unit == "%" and re.search(r"占\s*$", window) and base is not None):
            return False
        fig = Figure(self.section_of(h.start), base.metric, h.value, h.unit, sentence, base.category, h.approx)
        if hasattr(base, "_breakdown_item"):
            fig._breakdown_item = base._breakdown_item
        self.figures.append(fig)
        self.i += 1
        return True

    def _topic_item(self, h, metric: str, window: str, sentence: str) -> bool:
        """A topic opening the sentence: “主动公开的政府信息，县直各单位主动公开政府信息303条，占71.3%。”."""
        if not (self.topic and metric == self.topic and h.unit != "%"):
            return False
        category = _category(squash(window), metric)
        if not (category and category != metric and len(category) <= self.rules["max_category"]):
            return False
        section = self.section_of(h.start)
        fig = Figure(section, metric, h.value, h.unit, sentence, category, h.approx)
        fig._breakdown_item = self.group_id
        self.last_group = (Figure(section, metric, 0.0, h.unit, sentence), self.group_id)
        self.group_id += 1
        self._add(fig)
        return True

    def _list(self, h, window: str, s: int, e: int, sentence: str) -> bool:
        """A list head: “主要类别有：A x条，B y条…”."""
        head = _list_head(window, self.text, h.start, s)
        if head is None:
            return False
        total = Figure(self.section_of(h.start), head[0], 0.0, h.unit, sentence)
        items, j = self._items(self.i, head[1], e, total, self.group_id)
        if len(items) < 2:
            return False
        self.group_id += 1
        self._take_items(items, j, None)
        return True

    def _group_item(self, h, metric: str, window: str, sentence: str) -> bool:
        """One more item of the breakdown just read, in a clause of its own."""
        last_group = self.last_group
        if not (last_group is not None and self.figures
                and getattr(self.figures[-1], "_breakdown_item", None) == last_group[1]
                and metric and metric == last_group[0].metric and h.unit == last_group[0].unit
                and metric[-2:] in window):
            return False
        category = _category(squash(window), metric)
        if not (category and category != metric and len(category) <= self.rules["max_category"]):
            return False
        fig = Figure(self.section_of(h.start), metric, h.value, h.unit, sentence, category, h.approx)
        fig._breakdown_item = last_group[1]
        self._add(fig)
        return True

    def _plain(self, h, metric: str, sentence: str, e: int) -> None:
        """A figure of its own, maybe the total of a breakdown that follows (“…469件，其中：A 163件、…”)."""
        fig = Figure(self.section_of(h.start), metric, h.value, h.unit, sentence, None, h.approx)
        fig._end = h.end
        self._add(fig)
        trig = self._breakdown_trigger(h, e)
        if trig:
            items, j = self._items(self.i, trig.end(), e, fig, self.group_id)
        else:
            items, j = self._enumeration(h, e, fig)
        if not items:
            return
        self.group_id += 1
        _mark_total(fig, self.group_id - 1)
        if not fig.metric:
            # “有约4900人次…，其中现场咨询1600人次、电话咨询…”: what the items share is the metric
            common = _common_suffix([f.category or "" for f in items if f.unit != "%"])
            if len(common) >= 2 and len(items) >= 2:
                fig.metric = common
                for f in items:
                    f.metric = common
        self._take_items(items, j, (fig, self.group_id - 1))

    def _enumeration(self, h, e: int, total: Figure) -> tuple[list[Figure], int]:
        """Items listed right after a total with no word announcing them (“答复申请209件，予以公开及部分公开120件、
        不予公开9件、无法提供75件、不予处理5件”): a breakdown only where they add up to the total exactly."""
        if h.unit == "%" or total.value <= 0 or not _ENUMERATION_START.match(self.text, h.end, e):
            return [], self.i
        items, j = self._items(self.i, h.end, e, total, self.group_id, defer=False)
        counts = [f for f in items if f.unit != "%"]
        if len(counts) >= 2 and _adds_up(items, total) and not any(self._is_action(f.category) for f in counts):
            return items, j
        return [], self.i

    def _is_action(self, category: str) -> bool:
        """An item that is an action on the total (“受理申请70件，共办结65件，结转至2026年5件”) is a count of its
        own, not a category of the total."""
        if re.search(r"\d", category):
            return True
        first = words(category.lstrip("共已均另累计"))[:1]
        return bool(first) and first[0] in self.rules["any_verb"]

    def _breakdown_trigger(self, h, e: int):
        """What opens a breakdown right after a total (its match), or None."""
        if h.unit == "%":
            return None
        trig = self.rules["trigger"].match(self.text, h.end, e)
        if not trig:
            hits, i = self.hits, self.i
            nxt = hits[i].start if i < len(hits) else e
            later = _QIZHONG_LATER.match(self.text, h.end, min(e, nxt))
            if later and (i >= len(hits) or hits[i].start >= later.end()):
                trig = later
        return trig

    # ------------------------------------------------------------------------------------ breakdowns

    def _items(self, i: int, pos: int, end: int, total: Figure, group: int,
               defer: bool = True) -> tuple[list[Figure], int]:
        """Breakdown items from hits[i:] starting at text position `pos`; (figures, next hit index).

        Figures of another unit said about an item (“微博29个，共发布信息1992条；微信公众号41个”) are passed over
        when the list goes on after a “；”; hits[i:] is reordered so that the caller reads them after the list."""
        text, hits = self.text, self.hits
        items: list[Figure] = []
        deferred: list[int] = []
        # open brackets since the list began: items inside them detail the item before (“197条（A 32条、B 165条）”)
        depth = 0
        j = i
        bare_at: tuple[int, int] | None = None  # (item, hit) where the first item printed without a unit is
        while j < len(hits):
            h = hits[j]
            if h.start >= end:
                break
            segment = text[pos:h.start]
            if "。" in segment:
                break
            if h.unit == "%" and items and _SHARE_GAP.fullmatch(segment):
                items.append(self._item_share(items[-1], h, total, group))
                pos = self._after_share(segment, h.end)
                j += 1
                continue
            depth = max(0, depth + len(_OPEN.findall(segment)) - len(_CLOSE.findall(segment)))
            if h.unit != total.unit and h.unit is not None and not (total.value == 0.0 and not items):
                if not (defer and self._passed_over(items, j, end, total)):
                    break
                deferred.append(j)
            else:
                bare = self._bare_item(segment, pos, total, group, depth) if items else None
                if bare is not None:
                    bare_at = bare_at or (len(items), j)
                    items.append(bare[0])
                    segment = text[bare[1]:h.start]
                fig = self._item(segment, h, pos, total, group, depth, bool(items))
                if fig is None:
                    break
                items.append(fig)
                if _adds_up(items, total):
                    # the items have added up to the total: what follows is not part of this list
                    j = self._trailing_shares(items, h.end, j + 1, total, group)
                    break
            pos = h.end
            j += 1
        if bare_at is not None and not _adds_up(items, total):
            # an item without a unit is taken only where the list adds up to the total with it
            items, j = items[:bare_at[0]], bare_at[1]
            deferred = [d for d in deferred if d < j]
        return self._finish_items(items, deferred, i, j)

    def _bare_item(self, segment: str, pos: int, total: Figure, group: int, depth: int):
        """An item printed without its unit before the one at the end of `segment` (“其中政策及规范性文件类3条，
        国土资源城乡建设环保能源类信息 45，其他类4条”): (figure with unit None, where the next item's text starts),
        or None."""
        m = _BARE_ITEM.match(segment)
        if not m or re.search(r"[，,]", segment[m.end():].strip("，,；;、 ")):
            return None
        category = _category(m.group(1), total.metric)
        if not category or len(category) > self.rules["max_category"]:
            return None
        at = pos + m.start(2)
        fig = Figure(self.section_of(at), total.metric, float(m.group(2)), None,
                     self.sentences.text_of(pos, at), category, False)
        fig._breakdown_item = group
        fig._breakdown_nested = depth > 0
        return fig, pos + m.end()

    def _item_share(self, prev: Figure, h, total: Figure, group: int) -> Figure:
        fig = Figure(self.section_of(h.start), total.metric, h.value, "%", prev.text, prev.category, h.approx)
        fig._breakdown_item = group
        return fig

    def _passed_over(self, items: list[Figure], j: int, end: int, total: Figure) -> bool:
        """A figure of another unit said about the item before, the list going on after a “；”."""
        hits = self.hits
        h, k = hits[j], j + 1
        if not (items and h.unit != "%" and k < len(hits) and hits[k].start < end and hits[k].unit == total.unit):
            return False
        seg2 = self.text[h.end:hits[k].start]
        cat2 = _category(seg2, total.metric)
        return bool(re.match(r"\s*[；;]", seg2) and cat2 and len(cat2) <= self.rules["max_category"]
                    and not re.search(r"[，,。]", seg2.strip("，,；;、 ")))

    def _item(self, segment: str, h, pos: int, total: Figure, group: int, depth: int,
              after_item: bool) -> Figure | None:
        """The breakdown item `segment` names (None: the list has ended)."""
        category = _category(segment, total.metric)
        if (not category or len(category) > self.rules["max_category"]
                or re.search(r"[。；;]", category[:-1] if category else "")):
            return None
        if after_item and re.search(r"[，,]", segment.strip("，,；;、 ")):
            return None
        fig = Figure(self.section_of(h.start), total.metric, h.value, h.unit,
                     self.sentences.text_of(pos, h.end), category, h.approx)
        fig._breakdown_item = group
        fig._breakdown_nested = depth > 0  # read by rules/checks.py: a detail of the item before, not summed
        return fig

    def _trailing_shares(self, items: list[Figure], pos: int, j: int, total: Figure, group: int) -> int:
        """Shares right after the last item (“…163条，占34.8%”); the next hit index."""
        hits = self.hits
        while j < len(hits) and hits[j].unit == "%" and _SHARE_GAP.fullmatch(self.text[pos:hits[j].start]):
            items.append(self._item_share(items[-1], hits[j], total, group))
            pos = self._after_share(self.text[pos:hits[j].start], hits[j].end)
            j += 1
        return j

    def _after_share(self, gap: str, end: int) -> int:
        """Where the text after a share goes on: past the bracket that closes a share printed in brackets."""
        if "（" in gap or "(" in gap:
            close = _SHARE_CLOSE.match(self.text, end)
            if close:
                return close.end()
        return end

    def _finish_items(self, items: list[Figure], deferred: list[int], i: int, j: int) -> tuple[list[Figure], int]:
        hits = self.hits
        while deferred and deferred[-1] == j - 1:
            deferred.pop()  # a passed-over figure with no item after it was simply the end of the list
            j -= 1
        if sum(1 for f in items if f.unit != "%") < 1:
            return [], i
        if deferred:
            taken = [hits[x] for x in range(i, j) if x not in deferred]
            hits[i:j] = taken + [hits[x] for x in deferred]
            return items, i + len(taken)
        return items, j


def _adds_up(items: list[Figure], total: Figure) -> bool:
    summed = sum(f.value for f in items if f.unit != "%" and not f._breakdown_nested)
    return total.value > 0 and abs(summed - total.value) < 1e-9


# “其中” opening a sentence (it breaks down the sentence before), or later in the clause of a total
_QIZHONG_LEAD = re.compile(r"\s*其中[，,：:\s]*")
_QIZHONG_LATER = re.compile(r"[^。；;]{0,40}?[，,]\s*其中[，,：:\s]*")
_SECTION_NUMBER = re.compile(r"[一二三四五六七八九十]{1,2}、")
# an item printed without its unit, before the next item (“，国土资源城乡建设环保能源类信息 45，”)
_BARE_ITEM = re.compile(r"[，,、；;\s]*([^，,、；;。：:\d\s（）()%]{2,32}?)\s*(\d+)\s*[，,、；;]")
# a list of items right after a total, without a word announcing it
_ENUMERATION_START = re.compile(r"\s*[，,：:]\s*[^\d，,。；;：:]")
# a topic opening a sentence, its figures broken down by who stated them
_TOPIC = re.compile(r"\s*([\u4e00-\u9fff]{2,8}的[\u4e00-\u9fff]{2,8})[，,]")


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


# between an item and its share (“…163条，占34.8%”, “…301件（31.35%）”)
_SHARE_GAP = re.compile(r"[\s，,；;]*(?:[（(]\s*)?占?\s*")
_SHARE_CLOSE = re.compile(r"\s*[）)]")  # the bracket closing a share printed in brackets
_OPEN = re.compile(r"[（(]")
_CLOSE = re.compile(r"[）)]")
