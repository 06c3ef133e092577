"""rules/segmenter.py: the trie-backed jieba tokenizer segments exactly as stock jieba with the same userdict, and its
cache file is rebuilt when the userdict changes or the file is damaged."""
import logging
import os
import shutil
import subprocess
import sys

import jieba
import pytest

from conftest import FIXTURES, ROOT
from xxgk.rules.data_files import DATA_DIR
from xxgk.rules.segmenter import Segmenter, _check

USERDICT = DATA_DIR / "userdict.txt"

# edge cases next to the real report lines: full-width punctuation and digits, Latin, numbers with units and
# separators, whitespace, characters outside the dictionary and outside the BMP
EXTRA = [
    "", " ", "\r\n", "，。；：“”", "１２３件，占比４５．６％", "本机关全年共收到政府信息公开申请1,234件（其中网上申请56件）",
    "通过APP、微信公众号和12345热线受理", "GB/T 2260-2007；ISO9001", "2023年1月1日至2023年12月31日",
    "門戶網站主動公開", "𠀀𠀁政府信息𪚥公开", "a b\tc\u3000d", "--__..++##&&%%",
]


def report_lines():
    lines = []
    for path in sorted(FIXTURES.glob("*.txt")):
        lines += path.read_text(encoding="utf-8", errors="replace").splitlines()
    return [ln for ln in lines if ln.strip()] + EXTRA


def stock(userdict):
    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    tk.load_userdict(str(userdict))
    return tk


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    seg = Segmenter(USERDICT, tmp_path_factory.mktemp("cache"))
    seg.initialize()
    return stock(USERDICT), seg


def test_same_dictionary_as_jieba(pair):
    ref, seg = pair
    assert seg.total == ref.total
    # every key of jieba's FREQ: words with their frequency, prefixes at 0
    assert all(seg.FREQ.get(w) == f for w, f in ref.FREQ.items())
    assert seg.FREQ.get("不是词语的东西") is None and "不是词语的东西" not in seg.FREQ


def test_same_segmentation_on_report_text(pair):
    ref, seg = pair
    lines = report_lines()
    assert sum(map(len, lines)) > 40000
    for line in lines:
        assert seg.lcut(line, HMM=False) == ref.lcut(line, HMM=False), line
    # the paths that still read FREQ: HMM and search mode
    for line in lines[::10]:
        assert seg.lcut(line) == ref.lcut(line), line
        assert seg.lcut_for_search(line) == ref.lcut_for_search(line), line


def test_dag_and_route_as_jieba(pair):
    ref, seg = pair
    for text in ["政府信息公开申请办理情况", "𠀀政府𪚥信息", "APP12345热线"]:
        dag = seg.get_DAG(text)
        assert dag == ref.get_DAG(text)
        route, ref_route = {}, {}
        seg.calc(text, dag, route)
        ref.calc(text, dag, ref_route)
        assert route == ref_route


def test_project_tokenizer_is_the_trie_one(pair):
    from xxgk.rules.figures.data import tokenizer

    ref, _ = pair
    assert isinstance(tokenizer(), Segmenter)
    for line in report_lines()[:300]:
        assert tokenizer().lcut(line, HMM=False) == ref.lcut(line, HMM=False)


def test_read_only(pair):
    _, seg = pair
    with pytest.raises(NotImplementedError):
        seg.add_word("新词", 100)
    with pytest.raises(NotImplementedError):
        seg.load_userdict(str(USERDICT))


def test_cache_rebuilt_when_the_userdict_changes(tmp_path):
    userdict = tmp_path / "userdict.txt"
    shutil.copy(USERDICT, userdict)
    cache = tmp_path / "cache"
    before = Segmenter(userdict, cache)
    before.initialize()
    text = "本机关设立了测试专用窗口，受理申请"
    assert "测试专用窗口" not in before.lcut(text, HMM=False)

    with open(userdict, "a", encoding="utf-8") as f:
        f.write("测试专用窗口 90000 n\n")
    after = Segmenter(userdict, cache)
    after.initialize()
    assert after.cache_file != before.cache_file and after.cache_file.exists()
    assert "测试专用窗口" in after.lcut(text, HMM=False)
    assert after.lcut(text, HMM=False) == stock(userdict).lcut(text, HMM=False)


def test_truncated_cache_is_rebuilt(pair, tmp_path):
    ref, seg = pair
    good = seg.cache_file.read_bytes()
    (tmp_path / seg.cache_file.name).write_bytes(good[:len(good) // 2])

    again = Segmenter(USERDICT, tmp_path)
    again.initialize()
    assert again.cache_file.read_bytes() == good
    line = "本机关全年共收到政府信息公开申请123件，其中网上申请45件。"
    assert again.lcut(line, HMM=False) == ref.lcut(line, HMM=False)
    assert not list(tmp_path.glob("*.tmp"))


def test_damaged_cache_is_refused(pair):
    _, seg = pair
    good = seg.cache_file.read_bytes()
    assert _check(good) == good
    flipped = bytearray(good)
    flipped[len(good) // 2] ^= 0xFF
    for bad in (b"", good[:10], good[:-8], bytes(flipped), b"XXGKSEG0" + good[8:]):
        with pytest.raises(ValueError):
            _check(bad)


def test_processes_starting_together_share_one_build(tmp_path):
    code = ("import sys; from xxgk.rules.segmenter import Segmenter; s = Segmenter(sys.argv[1], sys.argv[2]); "
            "print(s.lcut('政府信息公开申请办理情况', HMM=False))")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(USERDICT), str(tmp_path)], cwd=ROOT,
                              stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)}) for _ in range(3)]
    outs = [p.communicate(timeout=120)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert len(set(outs)) == 1
    assert len(list(tmp_path.glob("*.trie"))) == 1 and not list(tmp_path.glob("*.tmp"))
