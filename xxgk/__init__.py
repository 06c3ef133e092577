"""xxgk: Chinese government information-disclosure annual reports (政府信息公开工作年度报告) as data.

The Python API (the command line is a thin layer over it):

    >>> import xxgk
    >>> report = xxgk.extract("data/raw/020_shuyang-fgj_2023.html")   # a path (str or Path) or bytes
    >>> report.agency, report.year, report.template
    >>> frames = report.to_frames()          # DataFrames shaped like the Parquet datasets
    >>> cells = xxgk.read("data/out", "table_cells", year=2023)       # a dataset, year an integer
    >>> xxgk.compare("data/out", "平潭综合实验区")                    # one agency's measures by year

An input that cannot become a report raises `xxgk.ExtractError` (its `.stage` and `.message` say where
and why). The heavy libraries (pandas, pyarrow, jieba …) load only when a function needs them.
"""
from __future__ import annotations

from xxgk.api import DATASETS, ExtractError, Report, compare, extract, read
from xxgk.version import __version__

__all__ = ["extract", "read", "compare", "Report", "ExtractError", "DATASETS", "__version__"]
