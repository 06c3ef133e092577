"""Evaluation against hand-written gold (tests/gold): cell accuracy and prose-figure recall.

Gold files:
  tests/gold/cells/<fixture stem>.json   {"fixture": name, "class"?: name, "cells": [{table, row_key, column_key,
                                          value, "class"?}]}
  tests/gold/figures/<fixture stem>.json {"fixture": name, "figures": [{metric, category, value, unit}],
                                          "not_figures": [raw strings that must never be a figure]}
A cell is exact when extracted with the same value (null == null), wrong when extracted with another
value, missing when not extracted. Each gold cell counts toward its class (its own "class", else the file's,
else its table family: legacy or national), so that layouts (split headers, run-together columns …) are
reported apart. A gold figure is found when a figure has the same value, unit,
category and metric (white space removed).
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from xxgk.parsers.document import RawDoc
from xxgk.pipeline.extract import extract
from xxgk.pipeline.sources import kind_of
from xxgk.rules.records import Extraction


@dataclass
class DocScore:
    name: str
    total: int = 0
    exact: int = 0
    wrong: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    by_class: dict[str, list[int]] = field(default_factory=dict)  # class → [exact, total]

    @property
    def accuracy(self) -> float:
        return self.exact / self.total if self.total else 1.0


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


def _squash(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def extract_fixture(fixtures: Path, name: str) -> Extraction:
    path = fixtures / name
    return extract(RawDoc(path.read_bytes(), str(path), kind_of(path)))


def cell_class(gold: dict, cell: dict) -> str:
    """The class a gold cell is reported under."""
    family = "legacy" if cell["table"] == "legacy_appendix" else "national"
    return cell.get("class") or gold.get("class") or family


def by_class(scores: list[DocScore]) -> dict[str, tuple[int, int]]:
    """(exact, total) per class over all documents."""
    out: dict[str, list[int]] = {}
    for s in scores:
        for name, (exact, total) in s.by_class.items():
            tally = out.setdefault(name, [0, 0])
            tally[0] += exact
            tally[1] += total
    return {name: (e, t) for name, (e, t) in sorted(out.items())}


def score_cells(gold: dict, ex: Extraction, name: str) -> DocScore:
    got = {(c.table, c.row_key, c.column_key): c.value for c in ex.cells}
    score = DocScore(name)
    for cell in gold["cells"]:
        key = (cell["table"], cell["row_key"], cell["column_key"])
        score.total += 1
        tally = score.by_class.setdefault(cell_class(gold, cell), [0, 0])
        tally[1] += 1
        if key not in got:
            score.missing.append("/".join(key))
        elif _same(got[key], cell["value"]):
            score.exact += 1
            tally[0] += 1
        else:
            score.wrong.append(f"{'/'.join(key)}: gold {cell['value']} got {got[key]}")
    return score


def score_figures(gold: dict, ex: Extraction, name: str) -> DocScore:
    got = [(_squash(f.metric), _squash(f.category) or None, f.value, f.unit) for f in ex.figures]
    score = DocScore(name)
    for fig in gold["figures"]:
        score.total += 1
        want = (_squash(fig["metric"]), _squash(fig.get("category")) or None, fig["value"], fig.get("unit"))
        if any(g[0] == want[0] and g[1] == want[1] and g[3] == want[3] and _same(g[2], want[2]) for g in got):
            score.exact += 1
        else:
            score.missing.append(f"{want}")
    for raw in gold.get("not_figures", []):
        if any(raw in f.text and _same(f.value, _number(raw)) for f in ex.figures if _number(raw) is not None):
            score.wrong.append(f"figure made from {raw!r}")
    return score


def _number(raw: str) -> float | None:
    digits = re.sub(r"\D", "", raw)
    return float(digits) if digits else None


def evaluate(gold_dir: Path, fixtures: Path) -> dict[str, list[DocScore]]:
    """Scores per gold kind ("cells", "figures"), one DocScore per gold document."""
    results: dict[str, list[DocScore]] = {"cells": [], "figures": []}
    cache: dict[str, Extraction] = {}
    for kind, scorer in (("cells", score_cells), ("figures", score_figures)):
        for path in sorted((gold_dir / kind).glob("*.json")):
            gold = json.loads(path.read_text(encoding="utf-8"))
            name = gold["fixture"]
            if name not in cache:
                cache[name] = extract_fixture(fixtures, name)
            results[kind].append(scorer(gold, cache[name], name))
    return results


def overall(scores: list[DocScore]) -> float:
    total = sum(s.total for s in scores)
    return sum(s.exact for s in scores) / total if total else 1.0
