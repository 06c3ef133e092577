"""The gold gate: accuracy on hand-written gold must not drop below tests/gold/floors.toml."""
import tomllib
from pathlib import Path

import pytest

from xxgk.pipeline.evaluate import evaluate, overall

HERE = Path(__file__).parent
FLOORS = tomllib.loads((HERE / "gold" / "floors.toml").read_text())


@pytest.fixture(scope="module")
def results():
    return evaluate(HERE / "gold", HERE / "fixtures")


@pytest.mark.parametrize("kind", ["cells", "figures"])
def test_accuracy_at_or_above_floor(results, kind):
    scores = results[kind]
    assert scores, f"no {kind} gold in tests/gold/{kind}"
    detail = "; ".join(f"{s.name}: {s.accuracy:.2%} wrong={s.wrong[:3]} missing={s.missing[:3]}" for s in scores)
    assert overall(scores) >= FLOORS[kind], detail


@pytest.mark.parametrize("kind", ["cells", "figures"])
def test_no_silently_wrong_values(results, kind):
    wrong = [w for s in results[kind] for w in s.wrong]
    assert len(wrong) <= FLOORS[f"max_wrong_{kind}"], wrong[:10]
