"""The command line as a person meets it: --version, help at 80 columns, one-line errors and exit codes,
the summary, `xxgk status`, --strict, unsupported formats, the cache directory."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import FIXTURES, ROOT

GOOD = ["004_pingtan_2021.txt", "020_shuyang-fgj_2023.html"]


def xxgk(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xxgk", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={**os.environ, **(env or {})})


def short_error(result: subprocess.CompletedProcess, code: int) -> str:
    """The run failed with `code`, in at most 5 lines and no traceback; its stderr."""
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) <= 5, result.stderr
    return result.stderr


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One extract of two reports, a Word and a WPS file; then the same command again (no change)."""
    inputs = tmp_path_factory.mktemp("in")
    for name in GOOD:
        shutil.copy(FIXTURES / name, inputs / name)
    (inputs / "2023年报.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)  # an OLE2 header
    (inputs / "2022年报.wps").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\1" * 600)
    out = tmp_path_factory.mktemp("out")
    first = xxgk("extract", str(inputs), "--out", str(out), "--jobs", "1")
    again = xxgk("extract", str(inputs), "--out", str(out), "--jobs", "1")
    return inputs, out, first, again


def test_version():
    from xxgk import __version__

    result = xxgk("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"xxgk {__version__}"


@pytest.mark.parametrize("command", [[], ["extract"], ["reextract"], ["status"], ["crawl"]])
def test_help_fits_80_columns_and_keeps_sentences_whole(command):
    from rich.cells import cell_len  # terminal columns: a Chinese character takes two

    result = xxgk(*command, "--help", env={"COLUMNS": "80", "TERM": "dumb"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    # a docstring's sentence runs on to the next line only when the line is full (reflowed, not cut)
    text_lines = [line.strip() for line in lines if line.strip() and not line.strip().startswith(("│", "╭", "╰"))]
    for line, following in zip(text_lines, text_lines[1:]):
        if following[0].islower() and not line.startswith("Usage:"):
            assert cell_len(line) > 60, (line, following)


def test_unsupported_formats_are_failures_rows_that_say_so(run):
    _, out, first, _ = run
    assert first.returncode == 0, first.stderr
    failures = pd.read_parquet(out / "failures")
    assert sorted(Path(s).suffix for s in failures.source) == [".doc", ".wps"]
    assert failures.stage.eq("decode").all()
    assert failures.message.str.contains("unsupported format").all()
    assert set(failures.message.str.extract(r"(\.\w+) \(")[0]) == {".doc", ".wps"}


def test_summary_says_what_the_output_holds_and_what_this_run_did(run):
    _, out, first, again = run
    cells = len(pd.read_parquet(out / "table_cells"))
    figures = len(pd.read_parquet(out / "figures"))
    assert cells > 100 and figures > 10
    holds = f"{out} holds 2 reports: {cells} cells, {figures} figures, "
    first_holds, first_run = first.stdout.splitlines()
    assert first_holds.startswith(holds) and first_holds.endswith("; 2 failed inputs")
    assert " 4 extracted (" in first_run and "), 0 unchanged; of them 2 reports, 2 failed" in first_run
    # a no-change re-run shows the cells the output holds, and that it extracted nothing
    again_holds, again_run = again.stdout.splitlines()
    assert again.returncode == 0 and again_holds.startswith(holds)
    assert "this run: 4 inputs in " in again_run and " 0 extracted (0 cells, 0 figures, 0 checks), 4 unchanged;" \
        in again_run


def test_status_lists_failed_inputs_and_failed_checks(run):
    inputs, out, _, _ = run
    result = xxgk("status", str(out))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{out} holds 2 reports: ")
    assert lines[1].startswith("last run: extract ") and "0 extracted, 4 unchanged" in lines[1]
    assert "failed inputs: 2" in lines
    assert any(str(inputs / "2023年报.doc") in line and "[decode] unsupported format" in line for line in lines)
    checks = pd.read_parquet(out / "checks")
    failed = checks[~checks.passed]
    assert f"failed checks: {len(failed)}" in lines
    for row in failed.head(3).itertuples():
        assert any(f" {row.check}: " in line for line in lines)
    limited = xxgk("status", str(out), "--limit", "1").stdout
    assert "… and 1 more" in limited


def test_strict_names_the_failed_inputs(run):
    inputs, out, _, _ = run
    result = xxgk("extract", str(inputs), "--out", str(out), "--jobs", "1", "--strict")
    assert result.returncode == 1
    assert f"failed: {inputs / '2023年报.doc'}" in result.stderr
    assert f"failed: {inputs / '2022年报.wps'}" in result.stderr
    assert f"xxgk status {out}" in result.stderr


def test_status_of_a_directory_without_output(tmp_path):
    assert "holds no xxgk output" in short_error(xxgk("status", str(tmp_path)), 2)


def test_out_that_is_a_file_or_under_a_file(tmp_path):
    inputs = FIXTURES / GOOD[0]
    a_file = tmp_path / "a_file"
    a_file.write_text("not a directory")
    err = short_error(xxgk("extract", str(inputs), "--out", str(a_file)), 2)
    assert f"cannot write to --out {a_file}: it is a file" in err
    err = short_error(xxgk("extract", str(inputs), "--out", str(a_file / "sub" / "out")), 2)
    assert f"{a_file} is a file, not a directory" in err
    assert a_file.read_text() == "not a directory"


def test_out_that_cannot_be_written(tmp_path):
    inputs = FIXTURES / GOOD[0]
    err = short_error(xxgk("extract", str(inputs), "--out", "/proc/xxgk-out"), 2)  # even root cannot
    assert "cannot write to --out /proc/xxgk-out" in err
    if os.geteuid() != 0:  # permission bits bind everyone but root
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        err = short_error(xxgk("extract", str(inputs), "--out", str(locked / "out")), 2)
        assert "Permission denied" in err


def test_empty_input_directory_gets_a_hint(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    err = short_error(xxgk("extract", str(empty), "--out", str(tmp_path / "out")), 1)
    assert f"nothing could be read under {empty}: it holds no files" in err


def test_directory_of_unread_files_gets_a_hint_naming_them(tmp_path):
    pictures = tmp_path / "pictures"
    pictures.mkdir()
    for name in ("a.jpg", "b.jpg", "c.zip"):
        (pictures / name).write_bytes(b"\xff\xd8\xff")
    err = short_error(xxgk("extract", str(pictures), "--out", str(tmp_path / "out")), 1)
    assert "only files xxgk does not read (2 .jpg, 1 .zip)" in err and ".html" in err


def test_a_directory_of_word_files_only_says_none_could_be_read(tmp_path):
    words = tmp_path / "words"
    words.mkdir()
    (words / "报告.doc").write_bytes(b"\xd0\xcf\x11\xe0" * 100)
    out = tmp_path / "out"
    err = short_error(xxgk("extract", str(words), "--out", str(out), "--jobs", "1"), 1)
    assert f"none of the 1 inputs could be read as a report; why: xxgk status {out}" in err


def test_reextract_of_a_directory_without_output(tmp_path):
    assert "run xxgk extract first" in short_error(xxgk("reextract", "--out", str(tmp_path)), 2)


def test_caches_go_to_the_users_cache_directory(tmp_path):
    code = "from xxgk.rules.segmenter import default_cache_dir; print(default_cache_dir())"
    env = {k: v for k, v in os.environ.items() if k != "XDG_CACHE_HOME"}
    unset = subprocess.run([sys.executable, "-c", code], env={**env, "HOME": str(tmp_path)}, capture_output=True,
                           text=True, check=True)
    assert unset.stdout.strip() == str(tmp_path / ".cache" / "xxgk")
    xdg = subprocess.run([sys.executable, "-c", code], env={**env, "XDG_CACHE_HOME": str(tmp_path / "xdg")},
                         capture_output=True, text=True, check=True)
    assert xdg.stdout.strip() == str(tmp_path / "xdg" / "xxgk")


def test_the_jieba_cache_is_built_in_the_users_cache_directory_not_tmp(tmp_path):
    """A fresh user (empty HOME, XDG unset) builds the cache under ~/.cache/xxgk, owner-only."""
    env = {k: v for k, v in os.environ.items() if k != "XDG_CACHE_HOME"}
    code = ("from xxgk.rules.segmenter import Segmenter; from xxgk.rules.data_files import DATA_DIR; "
            "s = Segmenter(DATA_DIR / 'userdict.txt'); s.initialize(); print(s.cache_file); "
            "print('/'.join(s.cut('信息公开年度报告')))")
    result = subprocess.run([sys.executable, "-c", code], env={**env, "HOME": str(tmp_path)}, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    cache_file = Path(result.stdout.splitlines()[0])
    assert cache_file.parent == tmp_path / ".cache" / "xxgk" and cache_file.is_file()
    assert (cache_file.parent.stat().st_mode & 0o077) == 0  # the directory is its owner's alone
    assert "Traceback" not in result.stderr
