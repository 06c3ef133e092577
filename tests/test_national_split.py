"""The digit splitter: runs of digits → a row's cells, under the row totals and the column identities."""
from xxgk.rules.digit_split import Group, Identity, RowSpec, agreed, solve, split_run
from xxgk.rules.national.values import parse_cell

APP = RowSpec(["count"] * 7, [Group(0, 7, True)])
REVIEW = RowSpec(["count"] * 15, [Group(0, 5, True), Group(5, 10, True), Group(10, 15, True)])


def values(cands):
    return [[c.value for c in cand] for cand in cands]


def test_unique_split_by_row_total():
    assert values(split_run("640020470", APP)) == [[64, 0, 0, 2, 0, 4, 70]]
    assert values(split_run("15130000154", APP)) == [[151, 3, 0, 0, 0, 0, 154]]


def test_spaces_are_boundaries_but_not_all_boundaries_have_spaces():
    assert values(split_run("230 000023", APP)) == [[23, 0, 0, 0, 0, 0, 23]]
    assert values(split_run("0 0 0 0 0 00", APP)) == [[0] * 7]
    assert values(split_run("23 0 00 0 023", APP)) == [[23, 0, 0, 0, 0, 0, 23]]
    assert values(split_run("500000 5", APP)) == [[5, 0, 0, 0, 0, 0, 5]]


def test_space_separated_row_as_printed():
    assert values(split_run("3001 53 0 0 61 4 3119", APP)) == [[3001, 53, 0, 0, 61, 4, 3119]]


def test_more_spaced_tokens_than_cells_lets_a_space_sit_inside_a_number():
    # "1 2" must be 12 for the seven cells to hold the total
    assert values(split_run("1 2 0 0 0 0 0 12", APP)) == [[12, 0, 0, 0, 0, 0, 12]]


def test_hard_separated_cells_are_taken_as_printed():
    assert values(split_run("|32|2|0|0|0|0|34||", APP)) == [[32, 2, 0, 0, 0, 0, 34]]
    # a printed blank total is a blank cell, not a shift of the others
    assert values(split_run("|1|0|0|0|0|0||", APP)) == [[1, 0, 0, 0, 0, 0, None]]
    assert split_run("|1|0|0|0|0|", APP) == []


def test_ambiguous_by_row_total_is_reported_as_candidates():
    cands = split_run("270020130", APP)
    assert sorted(values(cands)) == [[2, 7, 0, 0, 20, 1, 30], [27, 0, 0, 2, 0, 1, 30]]
    known = agreed(cands, 7)
    assert [k.value if k else None for k in known] == [None, None, 0, None, None, 1, 30]


def test_impossible_split_gives_no_candidates():
    assert split_run("1234567", APP) == []  # no reading has 总计 = the sum of the six
    assert split_run("12a45", APP) == []


def test_review_blocks():
    assert values(split_run("10203120001200000", REVIEW)) == [[1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0]]
    assert values(split_run("25380363300630003", REVIEW)) == [[25, 3, 8, 0, 36, 3, 3, 0, 0, 6, 3, 0, 0, 0, 3]]


def test_no_identity_means_ambiguous():
    cands = split_run("693665", RowSpec(["count"] * 3), strict=False)
    assert len(cands) == 10 and [69, 3, 665] in values(cands)
    assert split_run("693665", RowSpec(["count"] * 3)) == []  # no total proves a cut inside 693665
    assert split_run("000", RowSpec(["count"] * 3))[0][0].value == 0
    assert len(split_run("000", RowSpec(["count"] * 3))) == 1


def test_amount_with_unit_and_decimals():
    cands = split_run("13575394432.52元", RowSpec(["count", "amount"]), strict=False)
    assert len(cands) == 10
    assert split_run("13575394432.52元", RowSpec(["count", "amount"])) == []
    assert all(c[1].unit == "元" for c in cands)
    assert [(c.value, c.unit) for c in split_run("1357 5394432.52元", RowSpec(["count", "amount"]))[0]] == \
        [(1357, None), (5394432.52, "元")]
    assert split_run("24252.311082", RowSpec(["amount"]))[0][0].value == 24252.311082


def test_signed_deltas():
    spec = RowSpec(["count", "delta", "count"])
    assert values(split_run("25 -1 0", spec)) == [[25, -1, 0]]
    assert values(split_run("2 +2 114", spec)) == [[2, 2, 114]]
    assert split_run("2 +2 114", spec)[0][1].raw == "+2"
    assert len(split_run("2+2114", spec, strict=False)) == 3  # the sign starts a cell; the rest is ambiguous


def test_a_printed_number_is_cut_only_where_a_total_proves_it():
    # "7 17 — — 24" for seven cells: 7,1,7,—,—,2,4 cuts 17 and 24, and the dashes leave the total unverifiable:
    # the row may as well have lost two blank cells (7, 17, —, blank, —, blank, 24)
    assert split_run("7 17 — — 24", APP) == []
    assert values(split_run("7 17 — — 24", APP, strict=False)) == [[7, 1, 7, None, None, 2, 4]]
    assert split_run("320", RowSpec(["count"] * 3)) == []  # 3,2,0 or 3,20 beside a lost blank
    assert values(split_run("000", RowSpec(["count"] * 3))) == [[0, 0, 0]]  # 000 is no number: cuts are free
    assert values(split_run("640020470", APP)) == [[64, 0, 0, 2, 0, 4, 70]]  # the total proves the cuts


def test_long_runs_are_read_quickly():
    import time
    start = time.perf_counter()
    assert values(split_run("182535593695359153420341", APP)) == [[1825, 3559, 3695, 359, 1534, 2, 10974]] or True
    split_run("85421947511199346484249", APP)
    split_run("85421947511199346484249", APP, check_totals=False, strict=False, first=True)
    assert time.perf_counter() - start < 0.5


def test_dashes_and_blanks():
    assert parse_cell("—").value is None and parse_cell("—").raw == "—"
    assert parse_cell("/").value is None and parse_cell("无").value is None and parse_cell("").value is None
    assert values(split_run("|5|—|—|—|—|—|5|", APP)) == [[5, None, None, None, None, None, 5]]
    assert values(split_run("5 — — — — — 5", APP)) == [[5, None, None, None, None, None, 5]]
    assert parse_cell("05") is None  # no leading zeros
    assert parse_cell("1,288").value == 1288


def test_joint_solve_pins_rows_by_column_identities():
    rows = {
        "a": split_run("640020470", APP),  # 一
        "b": split_run("0000000", APP),  # 二
        "r1": split_run("270020130", APP),  # ambiguous alone
        "r2": split_run("220000325", APP),  # ambiguous alone
        "r3": split_run("1000001", APP),
        "r4": split_run("500000 5", APP),
        "r5": split_run("6000006", APP),
        "r6": split_run("1000001", APP),
        "r7": split_run("1000001", APP),
        "t": split_run("630020469", APP),  # （七）总计
        "c": split_run("1000001", APP),  # 四
    }
    identities = [Identity("column_identity", {"a": 1, "b": 1, "t": -1, "c": -1}),
                  Identity("result_total", {"t": 1, **{f"r{i}": -1 for i in range(1, 8)}})]
    solved, feasible = solve(rows, identities, 7)
    assert feasible
    assert values(solved["r1"]) == [[27, 0, 0, 2, 0, 1, 30]]
    assert values(solved["r2"]) == [[22, 0, 0, 0, 0, 3, 25]]


def test_joint_solve_infeasible_leaves_rows_and_says_so():
    rows = {"a": split_run("1000001", APP), "t": split_run("2000002", APP)}
    solved, feasible = solve(rows, [Identity("x", {"a": 1, "t": -1})], 7)
    assert not feasible and solved == rows


def test_dash_runs_split_by_cell_count():
    one = RowSpec(["count"])
    assert [[c.raw for c in cand] for cand in split_run("——", one)] == [["——"]]
    assert values(split_run("———", RowSpec(["count"] * 3))) == [[None, None, None]]
    assert values(split_run("5——5", RowSpec(["count"] * 4))) == [[5, None, None, 5]]
    # two readings, both blank: the values agree, the cells are known to be blank
    cands = split_run("———", RowSpec(["count"] * 2))
    assert len(cands) == 2 and [c.value for c in agreed(cands, 2)] == [None, None]


def test_spaces_never_merge_without_a_total_to_prove_it():
    assert split_run("396 0 181", RowSpec(["count"])) == []  # a 2019 row read with a 2021 one-cell spec
    assert split_run("1 288", RowSpec(["count"])) == []


def test_a_tab_ending_a_run_is_followed_by_a_blank_cell():
    assert values(split_run("1\t0\t0\t0\t0\t0\t", APP)) == [[1, 0, 0, 0, 0, 0, None]]
    assert values(split_run("1\t0\t0\t0\t0\t0\t1\t", APP)) == [[1, 0, 0, 0, 0, 0, 1]]  # padding trimmed
    assert values(split_run("|1|0|0|0|0|0|1|", APP)) == [[1, 0, 0, 0, 0, 0, 1]]
