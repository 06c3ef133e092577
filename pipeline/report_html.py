"""`xxgk report OUT --html FILE`: one static HTML file that needs nothing else (no script, no CDN, no font).

Sections: what was read (reports by year, template and province), failures by stage with their messages,
failed checks by kind (and the rules failing most), and trend plots of the main measures for the agencies
with the most years (pipeline/compare.py). Aggregates are DuckDB queries over the Parquet files (only the
columns they need); plots are matplotlib SVG, inlined, their text kept as text (svg.fonttype none).
"""
from __future__ import annotations

import html
import io
import os
import re
import warnings
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from xxgk.pipeline.compare import compare

# the trend plots of one agency: (title, measures)
PANELS = [
    ("Applications (依申请公开)", ["applications.received.total", "applications.result.total.total",
                                "applications.result.disclosed.total"]),
    ("Proactive disclosure (主动公开)", ["disclosure.proactive.total"]),
    ("Reviews and lawsuits (复议/诉讼)", ["review.total", "litigation.total"]),
]
_METADATA = re.compile(r"<metadata>.*?</metadata>", re.S)  # RDF about the file: nothing a reader needs
MESSAGES_PER_STAGE = 5
TOP_RULES = 15

_STYLE = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:right}
th{background:#f3f3f3}td.text,th.text{text-align:left}section{margin-bottom:2em}
.plots{display:flex;flex-wrap:wrap;gap:1em}.plot{border:1px solid #ddd;padding:.3em}
"""


def _query(out: Path, dataset: str, sql: str) -> pd.DataFrame:
    """A DuckDB query over one dataset's Parquet files (`data` in the SQL); empty when the dataset has none."""
    import duckdb

    files = [str(p) for p in (Path(out) / dataset).rglob("*.parquet") if not p.name.startswith((".", "_"))]
    if not files:
        return pd.DataFrame()
    with duckdb.connect() as db:
        db.read_parquet(files, hive_partitioning=True, union_by_name=True).create_view("data")
        return db.execute(sql).df()


def _table(frame: pd.DataFrame, text_columns: tuple[str, ...] = ()) -> str:
    if frame.empty:
        return "<p>none</p>"
    kind = {c: "text" if c in text_columns else "" for c in frame.columns}
    head = "".join(f'<th class="{kind[c]}">{html.escape(str(c))}</th>' for c in frame.columns)
    rows = []
    for record in frame.itertuples(index=False):
        cells = "".join(f'<td class="{kind[c]}">{html.escape(_fmt(v))}</td>' for c, v in zip(frame.columns, record))
        rows.append(f"<tr>{cells}</tr>")
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def _fmt(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value)


def read_section(out: Path) -> str:
    by_year = _query(out, "reports", "SELECT year, count(*) AS reports FROM data GROUP BY year ORDER BY year")
    by_template = _query(out, "reports", "SELECT template, count(*) AS reports FROM data GROUP BY 1 ORDER BY 2 DESC")
    by_province = _query(out, "reports", "SELECT coalesce(province, '(unknown)') AS province, count(*) AS reports "
                                         "FROM data GROUP BY 1 ORDER BY 2 DESC, 1")
    total = int(by_year["reports"].sum()) if not by_year.empty else 0
    return (f"<section id='read'><h2>What was read: {total} reports</h2><h3>By year</h3>{_table(by_year)}"
            f"<h3>By template</h3>{_table(by_template, ('template',))}"
            f"<h3>By province</h3>{_table(by_province, ('province',))}</section>")


def failures_section(out: Path) -> str:
    failures = _query(out, "failures", "SELECT stage, message, count(*) AS inputs FROM data GROUP BY 1, 2 "
                                       "ORDER BY 1, 3 DESC")
    if failures.empty:
        return "<section id='failures'><h2>Failures: none</h2></section>"
    parts = [f"<section id='failures'><h2>Failures: {int(failures['inputs'].sum())} inputs</h2>"]
    for stage, group in failures.groupby("stage", sort=True):
        parts.append(f"<h3>{html.escape(str(stage))}: {int(group['inputs'].sum())}</h3>")
        parts.append(_table(group[["message", "inputs"]].head(MESSAGES_PER_STAGE), ("message",)))
    return "".join(parts) + "</section>"


def checks_section(out: Path) -> str:
    kinds = _query(out, "checks", "SELECT coalesce(kind, '(unclassified)') AS kind, "
                                  "count(*) FILTER (WHERE passed = false) AS failed, count(*) AS checks "
                                  "FROM data GROUP BY 1 ORDER BY 1")
    rules = _query(out, "checks", "SELECT coalesce(kind, '') AS kind, coalesce(rule, split_part(\"check\", '/', 1)) "
                                  "AS rule, count(*) AS failed FROM data WHERE passed = false GROUP BY 1, 2 "
                                  f"ORDER BY 3 DESC, 2 LIMIT {TOP_RULES}")
    return (f"<section id='checks'><h2>Failed checks by kind</h2>{_table(kinds, ('kind',))}"
            f"<h3>Rules failing most</h3>{_table(rules, ('kind', 'rule'))}</section>")


def _plot(title: str, frame: pd.DataFrame, measures: list[str]) -> str | None:
    """One SVG line plot of `measures` over the years (None when none of them has a value)."""
    from matplotlib.figure import Figure

    years = [c for c in frame.columns if c.isdigit()]
    rows = [m for m in measures if m in frame.index and frame.loc[m, years].notna().any()]
    if not rows:
        return None
    figure = Figure(figsize=(5.2, 3.0))
    axes = figure.subplots()
    for measure in rows:
        axes.plot([int(y) for y in years], frame.loc[measure, years].astype(float), marker="o", label=measure)
    axes.set_title(title, fontsize=10)
    axes.legend(fontsize=7)
    axes.grid(alpha=.3)
    figure.tight_layout()
    buffer = io.StringIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a missing CJK glyph in matplotlib's own font: the browser draws it
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    return _METADATA.sub("", svg[svg.index("<svg"):])


def trends_section(out: Path, agencies: int) -> tuple[str, int]:
    series = _query(out, "reports", "SELECT coalesce(agency_key, agency) AS agency_key, count(DISTINCT year) AS years, "
                                    "max(agency) AS agency FROM data GROUP BY 1 ORDER BY 2 DESC, 1")
    parts, plots = ["<section id='trends'><h2>Trends of the main measures</h2>"], 0
    with _svg_text():
        for key, years in zip(series["agency_key"].head(agencies), series["years"].head(agencies)):
            frame = compare(out, key)
            name = key.split(":", 1)[-1]
            svgs = [s for title, measures in PANELS if (s := _plot(f"{name}: {title}", frame, measures))]
            plots += len(svgs)
            parts.append(f"<h3 class='agency'>{html.escape(name)} <small>({html.escape(key)}, {int(years)} years)"
                         f"</small></h3><div class='plots'>"
                         + "".join(f"<div class='plot'>{s}</div>" for s in svgs) + "</div>")
    return "".join(parts) + "</section>", plots


class _svg_text:
    """matplotlib settings while plotting: text stays text in the SVG, CJK fonts preferred."""

    def __enter__(self):
        import matplotlib

        self.saved = matplotlib.rcParams.copy()
        matplotlib.rcParams["svg.fonttype"] = "none"
        matplotlib.rcParams["font.family"] = ["Noto Sans CJK SC", "Noto Sans CJK JP", "DejaVu Sans", "sans-serif"]

    def __exit__(self, *exc):
        import matplotlib

        matplotlib.rcParams.update(self.saved)


def write_report(out: str | Path, target: str | Path, agencies: int = 6) -> str:
    """Write the report to `target` (atomically) and return a one-line summary."""
    out, target = Path(out), Path(target)
    trends, plots = trends_section(out, agencies)
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    body = read_section(out) + failures_section(out) + checks_section(out) + trends
    page = (f"<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'><title>xxgk report: {html.escape(str(out))}"
            f"</title><style>{_STYLE}</style></head><body><h1>xxgk report</h1><p>{html.escape(str(out))}, {when}</p>"
            f"{body}</body></html>")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, target)
    return f"{target}: {plots} plots, {len(page) // 1024} KiB"
