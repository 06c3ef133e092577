"""Legacy appendix basics: rules from rules/data/legacy.toml, the Row record (numbering: rules/numbering.py)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from xxgk.rules.data_files import load
from xxgk.rules.text import squash

TABLE = "legacy_appendix"
BLANKS = set("-—–－/／") | {"——", "--", "无", "空"}
FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_KEY_FOLD = str.maketrans({"(": "（", ")": "）", ":": "：", "．": "."})


def key_label(label: str) -> str:
    """A label as it goes into row_key: white space removed, brackets and colons full width."""
    return squash(label).translate(_KEY_FOLD)


@dataclass
class Row:
    label: str  # without its 代码
    unit: str | None = None
    tokens: list[str] = field(default_factory=list)  # value tokens as printed (a token may be a glued run)
    positional: bool = False  # tokens are the value cells in column order, blank ones "" (a real table)
    code: str = ""  # the row's 代码 (01 …), where the table has a code column
    code_first: bool = False  # the code is printed before the label
    candidates: list[tuple] = field(default_factory=list)  # possible value tuples, one per column
    key: str = ""
    parent: int | None = None
    ambiguous: str | None = None  # the run, when it splits more than one way
    how: str | None = None  # how a run that split several ways was decided (reported as a check)

    @property
    def printed(self) -> str:
        """The label as printed, with its code where the table has one."""
        if not self.code:
            return self.label
        return self.code + self.label if self.code_first else self.label + self.code


@lru_cache(maxsize=1)
def rules() -> dict:
    r = load("legacy")
    units = sorted(r["units"]["list"], key=len, reverse=True)
    label_h = "|".join(sorted(r["header"]["label"], key=len, reverse=True))
    unit_h = "|".join(r["header"]["unit"])
    code_h = "|".join(r["header"]["code"])
    value_h = r["header"]["value"]
    return {
        "units": units,
        "unit_re": re.compile("|".join(re.escape(u) for u in units)),
        "number_unit": re.compile(r"([-+]?\d[\d,，]*(?:\.\d+)?)(" + "|".join(re.escape(u) for u in units) + ")"),
        "prose_number": re.compile(r"(\d+(?:\.\d+)?)\s*(" + "|".join(re.escape(u) for u in units) + ")"),
        "unit_end": re.compile("(?:" + "|".join(re.escape(u) for u in units) + ")$"),
        "header": re.compile(
            rf"(?=["
            rf"{''.join(sorted({w[0] for w in r['header']['label'] + r['header']['unit'] + r['header']['code']}))}])"
            rf"(?P<code1>(?:{code_h})\s*)?(?:(?:{label_h})\s*)?(?P<code>(?:{code_h})\s*)?(?:(?P<unit>{unit_h})\s*)?"
            rf"(?P<values>(?:{value_h}\s*){{1,4}})(?:(?:备注|说明)\s*)?"),
        "value_h": re.compile(value_h),
        "label_h": re.compile(rf"(?:{label_h})"),
        "code_h": set(r["header"]["code"]),
        "unit_h": set(r["header"]["unit"]),
        "remark_h": set(r["header"]["remark"]),
        "strong_label_h": re.compile("|".join(h for h in r["header"]["label"] if len(h) >= 4)),
        "marker": re.compile("|".join(r["appendix"]["markers"])),
        "row_words": r["appendix"]["row_words"],
        "footer": re.compile(r["appendix"]["footer"]),
        "sum_parents": r["sum_checks"]["parents"],
    }


