"""Print accuracy on the hand-written gold: cells per document, per class (layout) and overall, prose figures
likewise.

Usage: python bench/eval_gold.py [--verbose]
"""
from __future__ import annotations

import sys
from pathlib import Path

from xxgk.pipeline.evaluate import by_class, evaluate, overall

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


if __name__ == "__main__":
    main()
