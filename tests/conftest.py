from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


def read_fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture(scope="session")
def fixtures_out(tmp_path_factory) -> Path:
    """An output root extracted from the report files of tests/fixtures (the portal copies left out; one
    serial run; shared: do not modify it)."""
    from xxgk.pipeline.run import run_extract

    out = tmp_path_factory.mktemp("fixtures_out") / "out"
    run_extract(sorted(p for p in FIXTURES.iterdir() if p.suffix in (".txt", ".html")), out, jobs=1)
    return out
