"""Agency identity: `division_code` (GB/T 2260, from the cpca gazetteer) and `agency_key`.

The rules are data (rules/data/agency.toml). A division code is the most precise level the report's
region names: the county's code, else the city's, else the province's (six digits, e.g. 350128 平潭县).
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache

from xxgk.rules.data_files import load
from xxgk.rules.text import squash

NO_DIVISION = "000000"
_NOTE = re.compile(r"[（(][^）)]*[）)]")


@lru_cache(maxsize=1)
def _codes() -> dict[str, list[str]]:
    """Division name → its six-digit codes (a name may be several divisions'): from cpca's adcodes.csv."""
    from importlib.resources import files

    names: dict[str, list[str]] = {}
    with files("cpca").joinpath("resources/adcodes.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            names.setdefault(row["name"], []).append(row["adcode"][:6])
    return names


def _code_of(name: str | None, prefix: str, level: str) -> str | None:
    """The code of `name` among the divisions under `prefix` at `level` (province|city|county)."""
    if not name:
        return None
    found = [c for c in _codes().get(name, []) if c.startswith(prefix) and _level(c) == level]
    return found[0] if len(found) == 1 else None


def _level(code: str) -> str:
    return "province" if code.endswith("0000") else "city" if code.endswith("00") else "county"


@lru_cache(maxsize=4096)
def division_code(province: str | None, city: str | None, county: str | None) -> str | None:
    """GB/T 2260 code of the most precise division named; None when the province is unknown or a name does
    not sit under the one above it."""
    p = _code_of(province, "", "province")
    if p is None:
        return None
    c = None if city in (None, province) else _code_of(city, p[:2], "city")
    if city not in (None, province) and c is None:
        return p
    county_code = _code_of(county, (c or p)[:4] if c else p[:2], "county")
    return county_code or c or p


def division_of_name(agency: str) -> str | None:
    """The code of a county-level city the gazetteer knows only as the county it was made from
    (rules/data/agency.toml upgraded_city); None otherwise."""
    match = re.match(load("agency")["upgraded_city"], squash(agency))
    if not match or _codes().get(match.group(1) + "市"):
        return None
    counties = [c for c in _codes().get(match.group(1) + "县", []) if _level(c) == "county"]
    return counties[0] if len(counties) == 1 else None


@lru_cache(maxsize=1)
def _rules() -> dict:
    rules = load("agency")
    return {"replace": [(re.compile(a), b) for a, b in rules["replace"]],
            "strip": rules["strip_suffix"], "end": re.compile(rules["division_end"])}


@lru_cache(maxsize=8192)
def normalised_name(agency: str) -> str:
    """The agency's name with the spellings of one body folded: 平潭综合实验区管理委员会 → 平潭综合实验区."""
    rules = _rules()
    name = _NOTE.sub("", squash(agency))
    for pattern, replacement in rules["replace"]:
        name = pattern.sub(replacement, name)
    for suffix in rules["strip"]:
        if name.endswith(suffix) and rules["end"].search(name[: -len(suffix)]):
            return name[: -len(suffix)]
    return name


@lru_cache(maxsize=8192)
def agency_key(agency: str, fallback_code: str | None = None) -> str:
    """"<division_code>:<normalised name>"; the code is the region the normalised name names (so every
    spelling of one body gets the same), else `fallback_code` (the report's region), else 000000."""
    from xxgk.rules.metadata import region_of

    name = normalised_name(agency)
    code = division_code(*region_of(name)) or fallback_code or division_of_name(name) or NO_DIVISION
    return f"{code}:{name}"
