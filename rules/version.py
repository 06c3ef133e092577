"""rules_version: the package version plus a hash of everything that decides the rows of a report —
every file under rules/ (code and data), the parsers, and the per-report extraction function.

Paths are hashed relative to the package (`rules/…`, `parsers/…`, `pipeline/extract.py`), so an editable
checkout and an installed wheel of the same code agree. Python files are hashed as their syntax tree
without docstrings (`ast.dump`), so editing a comment, a docstring or the layout of a line does not change
rules_version and does not make the cron job re-extract everything; data files are hashed byte for byte.
The syntax tree's dump can differ between Python minor versions, so a Python upgrade may re-extract once.
"""
from __future__ import annotations

import ast
import hashlib
import os
from functools import lru_cache
from pathlib import Path

RULES_DIR = Path(__file__).parent
PACKAGE_DIR = RULES_DIR.parent  # the xxgk package root (the repository root in an editable install)
HASHED = [RULES_DIR, PACKAGE_DIR / "parsers", PACKAGE_DIR / "pipeline" / "extract.py"]


def _hashed_files() -> list[Path]:
    files = []
    for root in HASHED:
        files += [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]
    return sorted(p for p in files if "__pycache__" not in p.parts and p.suffix != ".pyc")


def code_fingerprint(source: bytes) -> bytes:
    """A Python file's syntax tree without docstrings: comments, docstrings and formatting do not count."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body
                and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree, annotate_fields=False).encode()


def content_fingerprint(path: Path) -> bytes:
    data = path.read_bytes()
    return code_fingerprint(data) if path.suffix == ".py" else data


@lru_cache(maxsize=1)
def rules_version() -> str:
    from xxgk.version import __version__

    digest = hashlib.sha256()
    for path in _hashed_files():
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0")
        digest.update(content_fingerprint(path) + b"\0")
    # XXGK_RULES_SALT: an operator/bench/test knob that changes rules_version without editing rules/
    # (e.g. to force a re-extraction, or to simulate a rule change); unset in normal use.
    salt = os.environ.get("XXGK_RULES_SALT")
    if salt:
        digest.update(b"\0salt\0" + salt.encode())
    return f"{__version__}+{digest.hexdigest()[:12]}"
