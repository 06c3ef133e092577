"""The rules data files of issue 4 are well-formed: TOML parses, patterns compile, the user dictionary loads."""
import re

from rules.data_files import DATA_DIR, load


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
    lines = [l for l in (DATA_DIR / "userdict.txt").read_text(encoding="utf-8").splitlines() if l.strip()]
    words = [l.split()[0] for l in lines]
    assert len(words) == len(set(words))
    for line in lines:
        parts = line.split()
        assert 1 <= len(parts) <= 3 and (len(parts) < 2 or parts[1].isdigit()), line


def test_user_dictionary_segments_report_vocabulary():
    from rules.figures_data import tokenizer

    assert "主动公开" in tokenizer().lcut("通过门户网站主动公开政府信息", HMM=False)
    assert "专职人员" in tokenizer().lcut("专门配备专职人员", HMM=False)
