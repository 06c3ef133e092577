"""The tables' own identities as Check records (data, not exceptions).

applications.row_total/<row_key>         总计 = the applicant columns
applications.column_identity/<column>    一 + 二 = 三（七）总计 + 四
applications.result_total/<column>       （七）总计 = Σ result rows
review_litigation.block_total/<block>    总计 = the four results before it
An identity is checked only where all its cells have values (a blank or dash cannot be verified).
"""
from __future__ import annotations

from xxgk.rules.digit_split import Identity
from xxgk.rules.records import Cell, Check
from xxgk.rules.national.template import Template

TOL = 1e-6


def _check(name: str, expected: float, actual: float, detail: str) -> Check:
    return Check(name, abs(expected - actual) <= TOL, float(expected), float(actual), detail)


def application_checks(tpl: Template, cells: list[Cell]) -> list[Check]:
    columns = [c.key for c in tpl.leaves()[0].columns]
    total = columns[-1]
    values = {(c.row_key, c.column_key): c.value for c in cells if c.table == tpl.table}
    checks = []
    for row in tpl.leaves():
        got = [values.get((row.key, col)) for col in columns]
        if all(v is not None for v in got):
            checks.append(_check(f"applications.row_total/{row.key}", sum(got[:-1]), got[-1],
                                 f"{total} of the row against the sum of the {len(columns) - 1} applicant columns"))
    for ident in tpl.identities:
        checks.extend(_identity_checks(ident, columns, values))
    return checks


def _identity_checks(ident: Identity, columns: list[str], values: dict) -> list[Check]:
    out = []
    plus = [r for r, c in ident.coefs.items() if c > 0]
    minus = [r for r, c in ident.coefs.items() if c < 0]
    for col in columns:
        got = {r: values.get((r, col)) for r in ident.coefs}
        if any(v is None for v in got.values()):
            continue
        expected = sum(got[r] for r in minus) if ident.name == "result_total" else sum(got[r] for r in plus)
        actual = sum(got[r] for r in plus) if ident.name == "result_total" else sum(got[r] for r in minus)
        if ident.name == "result_total":
            detail = f"{plus[0].split('/')[-1]} against the sum of {len(minus)} result rows"
        else:
            detail = "一、本年新收 + 二、上年结转 against 三（七）总计 + 四、结转下年度"
        out.append(_check(f"applications.{ident.name}/{col}", expected, actual, detail))
    return out


def review_checks(tpl: Template, cells: list[Cell]) -> list[Check]:
    row = tpl.rows[0]
    values = {c.column_key: c.value for c in cells if c.table == tpl.table}
    checks = []
    for group in row.spec.groups:
        keys = [row.columns[i].key for i in range(group.start, group.end)]
        got = [values.get(k) for k in keys]
        if any(v is None for v in got):
            continue
        block = keys[-1].rsplit("/", 1)[0]
        checks.append(_check(f"review_litigation.block_total/{block}", sum(got[:-1]), got[-1],
                             f"{block} 总计 against the sum of its four results"))
    return checks
