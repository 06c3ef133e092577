"""The national template's tables as data: rows, columns and identities per table and format.

Loaded from rules/data/national.toml; everything else reads the template through `template(table, fmt)`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from xxgk.rules.data_files import load
from xxgk.rules.digit_split import Group, Identity, RowSpec
from xxgk.rules.national.labels import norm

TABLES = ("active_disclosure", "applications", "review_litigation")
FORMATS = ("gov2019", "gov2021")


@dataclass
class Column:
    key: str
    keywords: list[str]
    unit: str | None
    kind: str = "count"


@dataclass
class Row:
    key: str  # row_key (label path)
    label: str  # the row's own official label
    keywords: list[str]  # normalised
    cell_keywords: list[str] = field(default_factory=list)  # normalised, match only as a whole cell/line
    numbering: str | None = None
    group: bool = False
    columns: list[Column] = field(default_factory=list)
    spec: RowSpec | None = None

    @property
    def width(self) -> int:
        return len(self.columns)


@dataclass
class Template:
    table: str
    fmt: str
    rows: list[Row]
    identities: list[Identity]
    unit: str | None

    def leaves(self) -> list[Row]:
        return [r for r in self.rows if not r.group]


def _columns(items: list[dict], default_unit: str | None) -> list[Column]:
    return [Column(c["key"], [norm(k) for k in c.get("keywords", [])], c.get("unit", default_unit),
                   c.get("kind", "count")) for c in items]


@lru_cache(maxsize=None)
def template(table: str, fmt: str, columns: str = "full") -> Template:
    """columns: "full", or "short" for table 三 printed with 自然人 / 法人或其他组织 / 总计 only."""
    data = load("national")
    if table == "active_disclosure":
        rows = []
        for block in data["active_disclosure"]["blocks"]:
            if block["format"] != fmt:
                continue
            cols = _columns(block["columns"], None)
            for r in block["rows"]:
                spec = RowSpec([c.kind for c in cols])
                rows.append(Row(f"{block['caption']}/{r['label']}", r["label"], [norm(k) for k in r["keywords"]],
                                columns=cols, spec=spec))
        return Template(table, fmt, rows, [], None)
    if table == "applications":
        app = data["applications"]
        cols = _columns(app["columns"] if columns == "full" else app["short_columns"], app["unit"])
        spec = RowSpec(["count"] * len(cols), [Group(0, len(cols), True)])
        rows = []
        for r in app["rows"]:
            if fmt not in r.get("formats", FORMATS):
                continue
            group = r.get("group", False)
            rows.append(Row(r["key"], r["key"].split("/")[-1], [norm(k) for k in r["keywords"]],
                            [norm(k) for k in r.get("cell", [])], r.get("numbering"), group,
                            [] if group else cols, None if group else spec))
        leaves = {r.key for r in rows if not r.group}
        identities = []
        for ident in app["identities"]:
            if "terms" in ident:
                coefs = {key: coef for coef, key in ident["terms"]}
            else:
                coefs = {ident["total"]: 1}
                for key in leaves:
                    if key.startswith(ident["parts_prefix"]) and key != ident["total"]:
                        coefs[key] = -1
            identities.append(Identity(ident["name"], coefs))
        return Template(table, fmt, rows, identities, app["unit"])
    if table == "review_litigation":
        rl = data["review_litigation"]
        cols, groups = [], []
        for block in rl["blocks"]:
            start = len(cols)
            for res in rl["results"]:
                cols.append(Column(f"{block['key']}/{res['key']}", [], rl["unit"]))
            groups.append(Group(start, len(cols), True))
        spec = RowSpec(["count"] * len(cols), groups)
        row = Row(rl["row_key"], rl["row_key"], [], columns=cols, spec=spec)
        return Template(table, fmt, [row], [], rl["unit"])
    raise KeyError(table)


def format_markers(table: str) -> dict[str, list[str]]:
    data = load("national")
    markers = data[table].get("format_markers", {})
    return {fmt: [norm(m) for m in words] for fmt, words in markers.items()}
