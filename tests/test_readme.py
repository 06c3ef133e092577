"""Every Python (and SQL) example in README.md runs as written, after the README's own run command.

The fenced ```python blocks are taken from README.md, and run in a directory holding the shipped
`data/raw` and the `data/out` that `make run`'s command (read from the Makefile) makes of it."""
from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```python\n(.*?)^```", README, re.DOTALL | re.MULTILINE)


def run_command() -> list[str]:
    """`make run`'s extract command, as the Makefile has it, for this interpreter."""
    makefile = (ROOT / "Makefile").read_text()
    line = re.search(r"^run:.*\n\t(.+)$", makefile, re.MULTILINE).group(1)
    words = shlex.split(line.replace("$(BIN)/xxgk", "xxgk"))
    assert words[0] == "xxgk", line
    return [sys.executable, "-m", "xxgk", *words[1:]]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("readme")
    (work / "data").mkdir()
    (work / "data" / "raw").symlink_to(ROOT / "data" / "raw")
    result = subprocess.run(run_command(), cwd=work, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert (work / "data" / "out" / "reports").is_dir()
    return work


def test_the_readme_has_python_and_sql_examples():
    assert len(BLOCKS) >= 2
    assert any("duckdb.sql" in block for block in BLOCKS)


@pytest.mark.parametrize("number", range(len(BLOCKS)))
def test_readme_python_example_runs(workdir, number):
    script = workdir / f"readme_example_{number}.py"
    script.write_text(BLOCKS[number], encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], cwd=workdir, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"README example {number} failed:\n{BLOCKS[number]}\n{result.stderr}"
    assert result.stdout.strip(), "an example should show something"
