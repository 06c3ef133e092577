"""xxgk: Chinese government information-disclosure annual reports (政府信息公开工作年度报告) as data.

The Python API (the command line is a thin layer over it):

    >>> import xxgk
    >>> report = xxgk.extract("data/raw/020_shuyang-fgj_2023.html")   # a path (str or Path) or bytes
    >>> report.agency, report.year, report.template
    >>> frames = report.to_frames()          # DataFrames shaped like the Parquet datasets
    >>> cells = xxgk.read("data/out", "table_cells", year=2023)       # a dataset, year an integer

An input that cannot become a report raises `xxgk.ExtractError` (its `.stage` and `.message` say where
and why). Nothing is loaded by `import xxgk` itself: each name loads its module on first use (PEP 562), so
the `xxgk` command starts at once and the heavy libraries (pandas, pyarrow, jieba …) load only when needed.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__all__ = ["extract", "read", "Report", "ExtractError", "DATASETS", "__version__"]

_HOMES = {"extract": "xxgk.api", "read": "xxgk.api", "Report": "xxgk.api", "ExtractError": "xxgk.api",
          "DATASETS": "xxgk.api", "__version__": "xxgk.version"}

if TYPE_CHECKING:
    from xxgk.api import DATASETS, ExtractError, Report, extract, read
    from xxgk.version import __version__


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module 'xxgk' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
