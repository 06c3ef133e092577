"""The library API: xxgk.extract / xxgk.read / Report, one import name, rules_version's fingerprint."""
from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import xxgk
from conftest import FIXTURES, ROOT
from xxgk.rules.version import code_fingerprint

HTML = FIXTURES / "020_shuyang-fgj_2023.html"
TEXT = FIXTURES / "004_pingtan_2021.txt"


def _cli_extract(path: Path, out: Path) -> None:
    subprocess.run([sys.executable, "-m", "xxgk", "extract", str(path), "--out", str(out), "--jobs", "1"],
                   check=True, capture_output=True, cwd=ROOT)


@pytest.mark.parametrize("path", [HTML, TEXT], ids=["html", "text"])
def test_to_frames_equal_the_rows_the_command_line_writes(path, tmp_path):
    _cli_extract(path, tmp_path / "out")
    frames = xxgk.extract(path).to_frames()
    for dataset in ("table_cells", "figures", "checks"):
        written = xxgk.read(tmp_path / "out", dataset)
        assert len(written) > 0, dataset
        pd.testing.assert_frame_equal(frames[dataset], written, check_like=False)
    volatile = ["extracted_at"]
    pd.testing.assert_frame_equal(frames["reports"].drop(columns=volatile),
                                  xxgk.read(tmp_path / "out", "reports").drop(columns=volatile))


def test_bytes_with_a_source_extract_the_same_as_the_path():
    by_path = xxgk.extract(HTML)
    by_bytes = xxgk.extract(HTML.read_bytes(), source=str(HTML))
    assert by_bytes.extraction == by_path.extraction
    assert (by_path.agency, by_path.year, by_path.template) == ("沭阳县发展和改革局", 2023, "gov2021")
    assert by_path.cells and by_path.figures and by_path.checks
    assert xxgk.extract(str(TEXT)).extraction == xxgk.extract(TEXT.read_bytes(), source=str(TEXT)).extraction


def test_an_input_that_cannot_become_a_report_raises_extract_error(tmp_path):
    with pytest.raises(xxgk.ExtractError) as error:
        xxgk.extract(b"\x00\x01 not a report \xff" * 3, source="junk.html")
    assert error.value.stage and error.value.message
    with pytest.raises(xxgk.ExtractError) as missing:
        xxgk.extract(tmp_path / "nowhere.html")
    assert missing.value.stage == "read"


def test_read_gives_integer_years_and_pushes_filters_down(tmp_path):
    out = tmp_path / "out"
    for path in (TEXT, FIXTURES / "005_pingtan_2023.txt", HTML):
        _cli_extract(path, out)
    reports = xxgk.read(out, "reports")
    assert pd.api.types.is_integer_dtype(reports.year)
    assert sorted(reports.year) == [2021, 2023, 2023]
    assert (reports.year - 1).tolist() and (reports.year >= 2022).sum() == 2
    only = xxgk.read(out, "table_cells", agency="平潭综合实验区", year=[2021])
    assert set(only.agency) == {"平潭综合实验区"} and set(only.year) == {2021} and len(only) > 50
    assert len(xxgk.read(out, "failures")) == 0
    with pytest.raises(ValueError):
        xxgk.read(out, "nope")


def test_version_and_public_names():
    assert xxgk.__version__ and xxgk.__version__[0].isdigit()
    assert set(xxgk.__all__) >= {"extract", "read", "Report", "ExtractError", "__version__"}


def test_comments_and_docstrings_do_not_change_the_code_fingerprint():
    code = b'"""Doc."""\nimport re\n\ndef f(x):\n    """Say."""\n    return x + 1  # one\n'
    edited = b'"""Other doc."""\nimport re\n\n\ndef f(x):\n    # a new comment\n    return x + 1\n'
    changed = b'"""Doc."""\nimport re\n\ndef f(x):\n    """Say."""\n    return x + 2\n'
    assert code_fingerprint(code) == code_fingerprint(edited)
    assert code_fingerprint(code) != code_fingerprint(changed)


def test_the_wheel_installs_one_top_level_name_with_the_rules_data(tmp_path):
    source = tmp_path / "src"  # a copy: an in-tree build would leave build/ in the checkout
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for package in ("xxgk", "pipeline", "parsers", "rules"):
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path / "dist"),
                    str(source)], check=True, capture_output=True)
    (wheel,) = (tmp_path / "dist").glob("xxgk-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert top == {"xxgk"}
    assert {"xxgk/rules/data/national.toml", "xxgk/rules/data/userdict.txt", "xxgk/pipeline/crawl/crawler.py",
            "xxgk/parsers/html.py", "xxgk/rules/legacy/flat.py"} <= set(names)
