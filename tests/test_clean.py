"""Clean-up: Traditional → Simplified, invisible characters, pinyin glosses, Word residue."""
import operator
import re

from conftest import read_fixture
from xxgk.parsers.clean import (TRADITIONAL_MIN_CHANGED, TRADITIONAL_SAMPLE, TRADITIONAL_SHARE, _t2s,
                                changeable_by_t2s, clean_text, han_sample, remove_pinyin_glosses, strip_invisible,
                                to_simplified)


def test_traditional_report_is_converted_and_flagged():
    text = read_fixture("000_18ca986f9f3aea6e.txt").decode("utf-8")
    simplified, converted = to_simplified(text)
    assert converted
    assert simplified.startswith("衡山县城市管理和综合执法局2020年政府信息公开工作年度报告")
    assert "专门配备专职人员2名" in simplified
    assert "几方面工作" in simplified  # 幾方麵 → 几方面


def test_simplified_text_is_left_alone():
    text = read_fixture("004_pingtan_2021.txt").decode("utf-8")
    assert to_simplified(text) == (text, False)


def test_mirror_site_traditional_sample_converted():
    text = read_fixture("023_shanghai-bgt_2020_zht_PARTIAL.txt").decode("utf-8")
    simplified, converted = to_simplified(text)
    assert converted and simplified.startswith("2020年上海市人民政府办公厅政府信息公开工作年度报告")


def test_invisible_characters_and_wide_spaces():
    assert strip_invisible("政\u200b府\ufeff信息\u00a0公开\u3000年报") == "政府信息 公开 年报"


def test_han_sample_is_the_first_han_characters_however_far_they_start():
    for text in ["", "abc", "政府" * 10, "<p>" * 9000 + "政务公开" * 3000, ("年报 " * 5000 + "x" * 20000) * 3]:
        assert han_sample(text) == re.sub(r"[^\u4e00-\u9fff]", "", text)[:TRADITIONAL_SAMPLE]


def test_pinyin_glosses_removed_but_years_and_acronyms_kept():
    assert remove_pinyin_glosses("各(ge)省、政府（zhèng fǔ）") == "各省、政府"
    assert remove_pinyin_glosses("各(ge)(ge)省，省 (sheng)(a)") == "各(ge)省，省(a)"
    assert remove_pinyin_glosses("办公系统(OA)与规划（2021）") == "办公系统(OA)与规划（2021）"


def test_word_conditional_comment_residue_removed():
    assert clean_text("<!--[if !supportLists]-->7、<!--[endif]-->政务公开") == "7、政务公开"


def _opencc_decision(text: str) -> bool:
    """The Traditional decision made with OpenCC alone (the rule to_simplified's cheap check must not change)."""
    sample = han_sample(text)
    changed = sum(map(operator.ne, sample, _t2s().convert(sample)))
    return changed >= TRADITIONAL_MIN_CHANGED and changed / max(len(sample), 1) >= TRADITIONAL_SHARE


def test_every_character_t2s_changes_is_known_as_changeable():
    chars = [chr(code) for code in range(0x4E00, 0xA000)]
    converted = _t2s().convert("\n".join(chars)).split("\n")
    changed = [char for char, out in zip(chars, converted) if out != char]
    assert len(changed) > 2000
    pattern = changeable_by_t2s()
    assert [char for char in changed if not pattern.fullmatch(char)] == []
    assert not pattern.search("政府信息公开工作年度报告，依申请公开，行政复议，显著提高")  # everyday Simplified


def test_positions_t2s_changes_in_a_real_traditional_report_hold_changeable_characters():
    text = han_sample(read_fixture("000_18ca986f9f3aea6e.txt").decode("utf-8"))
    converted = _t2s().convert(text)
    assert len(converted) == len(text)
    diffs = [a for a, b in zip(text, converted) if a != b]
    assert len(diffs) > 100 and all(changeable_by_t2s().fullmatch(a) for a in diffs)


def test_simplified_text_is_decided_without_opencc():
    text = read_fixture("004_pingtan_2021.txt").decode("utf-8") + "字体：新細明體"  # a few Traditional characters
    before = _t2s.cache_info()
    assert to_simplified(text) == (text, False)
    assert _t2s.cache_info() == before


def test_cheap_check_decides_as_opencc_around_the_thresholds():
    simplified = han_sample(read_fixture("004_pingtan_2021.txt").decode("utf-8"))
    traditional = "政府資訊公開條例規定數據報告開展"
    texts = []
    for size in (40, 150, 200, 400, 4000):
        for mixed in range(0, 12):
            texts.append(simplified[:size - mixed] + traditional[:mixed])
            texts.append("<p>" * 5000 + traditional[:mixed] + "，" + simplified[:size])  # beyond the first chunk
            texts.append(simplified[:size] + "".join(traditional[:mixed]) * 3)  # after the sample
    decisions = [to_simplified(text)[1] for text in texts]
    assert decisions == [_opencc_decision(text) for text in texts]
    assert True in decisions and False in decisions
