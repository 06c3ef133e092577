"""The rules data files of issue 4 are well-formed: TOML parses, patterns compile, the user dictionary loads."""
import re

from xxgk.rules.data_files import DATA_DIR, load


def test_figures_toml():
    r = load("figures")
    assert r["units"]["list"] and all(isinstance(u, str) and u for u in r["units"]["list"])
    for p in r["stop"]["spans"] + [r["breakdown"]["trigger"], r["numbers"]["chinese"], r["numbers"]["approx_round"]]:
        re.compile(p)
    for key in ("fillers", "stops", "generic_verbs", "keep_verbs", "modifiers", "strip_tail"):
        assert all(isinstance(w, str) and w for w in r["metric"][key]), key
    assert not set(r["metric"]["keep_verbs"]) & set(r["metric"]["generic_verbs"])


def test_legacy_toml():
    r = load("legacy")
    re.compile(r["header"]["value"])
    re.compile(r["appendix"]["footer"])
    assert "人次" in r["units"]["list"] and "万元" in r["units"]["list"]


def test_crosschecks_toml():
    pairs = load("crosschecks")["pair"]
    names = [p["name"] for p in pairs]
    assert len(names) == len(set(names))
    for p in pairs:
        for pattern in p["prose"] + p.get("legacy", []):
            re.compile(pattern)
        for ref in p.get("national", []):
            assert len(ref) == 3 and ref[0] in ("active_disclosure", "applications", "review_litigation")
        if "section" in p:
            re.compile(p["section"])


def test_userdict_lines():
    lines = [ln for ln in (DATA_DIR / "userdict.txt").read_text(encoding="utf-8").splitlines() if ln.strip()]
    words = [ln.split()[0] for ln in lines]
    assert len(words) == len(set(words))
    for line in lines:
        parts = line.split()
        assert 1 <= len(parts) <= 3 and (len(parts) < 2 or parts[1].isdigit()), line


def test_user_dictionary_segments_report_vocabulary():
    from xxgk.rules.figures.data import tokenizer

    assert "主动公开" in tokenizer().lcut("通过门户网站主动公开政府信息", HMM=False)
    assert "专职人员" in tokenizer().lcut("专门配备专职人员", HMM=False)


def _first_items(seq):
    """The parsed items a match of the parsed regular expression `seq` can start with, and whether it can be empty."""
    from re import _constants as c

    items = []
    for op, av in seq:
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # zero width
        if op is c.SUBPATTERN:
            sub, empty = _first_items(av[-1])
        elif op is c.BRANCH:
            subs = [_first_items(b) for b in av[1]]
            sub, empty = [i for s, _ in subs for i in s], any(e for _, e in subs)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            sub, empty = _first_items(av[2])
            empty = empty or av[0] == 0
        else:
            sub, empty = [(op, av)], False
        items += sub
        if not empty:
            return items, False
    return items, True


def test_stop_spans_start_with_a_first_character():
    """rules/data/figures.toml [stop] first: no span can start with a character outside it (checked on the BMP)."""
    from re import _compiler, _constants as c, _parser

    r = load("figures")["stop"]
    first = re.compile(f"[{r['first']}]")
    for pattern in r["spans"]:
        parsed = _parser.parse(pattern)
        items, empty = _first_items(parsed)
        assert not empty, pattern
        branch = [_parser.SubPattern(parsed.state, [item]) for item in items]
        starter = _compiler.compile(_parser.SubPattern(parsed.state, [(c.BRANCH, (None, branch))]))
        outside = [chr(i) for i in range(0x10000) if starter.match(chr(i)) and not first.match(chr(i))]
        assert not outside, (pattern, outside[:5])
