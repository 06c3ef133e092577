"""Print accuracy on the hand-written gold: cells per document, per class (layout) and overall, prose figures
likewise.

Usage: python bench/eval_gold.py [--verbose]
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from xxgk.pipeline.evaluate import by_class, evaluate, extract_fixture, overall, score_cells, score_figures

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    verbose = "--verbose" in sys.argv
    results = evaluate(ROOT / "tests" / "gold", ROOT / "tests" / "fixtures")
    for kind, scores in results.items():
        print(f"== {kind}")
        for s in scores:
            print(f"  {s.name:45s} {s.exact:4d}/{s.total:<4d} {s.accuracy:7.2%}"
                  f"  wrong {len(s.wrong)}  missing {len(s.missing)}")
            if verbose:
                for line in s.wrong:
                    print(f"      WRONG   {line}")
                for line in s.missing:
                    print(f"      MISSING {line}")
        wrong = sum(len(s.wrong) for s in scores)
        print(f"  overall {overall(scores):.2%}  wrong {wrong}")
        classes = by_class(scores)
        if classes:
            print("  by class (tests/gold: a cell's class, else its file's, else its table family)")
            for name, (exact, total) in classes.items():
                print(f"    {name:43s} {exact:4d}/{total:<4d} {exact / total if total else 1:7.2%}")
    by_issue_class(verbose)


# the accuracy classes of issue 12 that the national / metadata / figures rules answer for
CLASSES = {
    "cells": {"national tables 二/三/四": lambda c: c["table"] != "legacy_appendix",
              "legacy appendix": lambda c: c["table"] == "legacy_appendix"},
    "figures": {"plain figures": lambda f: not f.get("category"),
                "breakdown items (counts)": lambda f: bool(f.get("category")) and f.get("unit") != "%",
                "breakdown shares (%)": lambda f: bool(f.get("category")) and f.get("unit") == "%"},
}


def by_issue_class(verbose: bool) -> None:
    """Accuracy per class: agency and year (tests/gold/meta.json), national vs legacy cells, plain figures vs
    breakdown items vs their shares."""
    gold_dir, fixtures = ROOT / "tests" / "gold", ROOT / "tests" / "fixtures"
    cache: dict = {}

    def extracted(name: str):
        if name not in cache:
            cache[name] = extract_fixture(fixtures, name)
        return cache[name]

    print("== classes")
    meta = json.loads((gold_dir / "meta.json").read_text(encoding="utf-8"))["reports"]
    misses = [f"{m['fixture']}: gold {m['agency']} {m['year']} got {extracted(m['fixture']).meta.agency} "
              f"{extracted(m['fixture']).meta.year}" for m in meta
              if (extracted(m["fixture"]).meta.agency, extracted(m["fixture"]).meta.year) != (m["agency"], m["year"])]
    print(f"  {'agency and year':45s} {len(meta) - len(misses):4d}/{len(meta):<4d}")
    for line in misses if verbose else []:
        print(f"      WRONG   {line}")
    for kind, scorer in (("cells", score_cells), ("figures", score_figures)):
        for label, member in CLASSES[kind].items():
            scores = []
            for path in sorted((gold_dir / kind).glob("*.json")):
                gold = json.loads(path.read_text(encoding="utf-8"))
                part = dict(gold, **{kind: [x for x in gold[kind] if member(x)]}, not_figures=[])
                if part[kind]:
                    scores.append(scorer(part, extracted(gold["fixture"]), gold["fixture"]))
            exact, total = sum(s.exact for s in scores), sum(s.total for s in scores)
            wrong = sum(len(s.wrong) for s in scores)
            print(f"  {label:45s} {exact:4d}/{total:<4d} {overall(scores):7.2%}  wrong {wrong}")


if __name__ == "__main__":
    main()
