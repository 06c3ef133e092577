"""Code health the issue tracker asked for, kept by a test: no function in the package over 100 lines."""
from __future__ import annotations

import ast

from conftest import ROOT

PACKAGE_DIRS = ("xxgk", "pipeline", "parsers", "rules")
MAX_FUNCTION_LINES = 100


def _functions():
    for directory in PACKAGE_DIRS:
        for path in sorted((ROOT / directory).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    yield f"{path.relative_to(ROOT)}:{node.lineno} {node.name}", node.end_lineno - node.lineno + 1


def test_no_function_in_the_package_is_over_100_lines():
    long = {name: lines for name, lines in _functions() if lines > MAX_FUNCTION_LINES}
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines: {long}"
