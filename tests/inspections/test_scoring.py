"""Pure scoring, gates and the draw, on hand-made sheets with totals worked out by hand (no database)."""

from decimal import Decimal as D

import pytest

from inspections import scoring as s
from inspections.scoring import ItemMark as M
from inspections.scoring import ItemSpec as I

SHEET = [
    I("a", D("20"), s.PASS_FAIL),
    I("b", D("30"), s.RANGE),
    I("c", D("10"), s.DEDUCTION, deduction_per=D("3")),
    I("d", D("40"), s.PASS_FAIL),
    I("v", D("0"), s.VETO),
]


def test_pass_fail_full_or_nothing_N6_4():
    assert s.score_item(SHEET[0], M("a", passed=True)).earned == 20
    assert s.score_item(SHEET[0], M("a", passed=False)).earned == 0


def test_range_in_bounds_and_refused_outside_N6_4():
    assert s.score_item(SHEET[1], M("b", points=D("17.5"))).earned == D("17.5")
    with pytest.raises(ValueError, match="0 至 30"):
        s.score_item(SHEET[1], M("b", points=D("31")))
    with pytest.raises(ValueError):
        s.score_item(SHEET[1], M("b", points=D("-1")))


def test_deduction_per_occurrence_floored_at_zero_N6_4():
    # 10 points, 3 per occurrence: 2 → 4; 3 → 1; 4 → 0 (not -2: 减完为止); 0 → 10
    assert s.score_item(SHEET[2], M("c", occurrences=2)).earned == 4
    assert s.score_item(SHEET[2], M("c", occurrences=3)).earned == 1
    assert s.score_item(SHEET[2], M("c", occurrences=4)).earned == 0
    assert s.score_item(SHEET[2], M("c", occurrences=0)).earned == 10


def test_sheet_total_by_hand_N6_4():
    marks = [
        M("a", passed=True),
        M("b", points=D("15")),
        M("c", occurrences=1),
        M("d", passed=False),
        M("v", passed=True),
    ]
    r = s.score_sheet(SHEET, marks)
    # earned 20 + 15 + 7 + 0 + 0 = 42 of 100 → 42.00
    assert (r.earned, r.possible, r.score, r.vetoed, r.complete) == (D("42"), D("100"), D("42.00"), False, True)
    assert r.rules_version == s.RULES_VERSION


def test_not_applicable_leaves_the_denominator_N6_4():
    marks = [M("a", passed=True), M("b", points=D("15")), M("c", occurrences=1), M("d", not_applicable=True),
             M("v", passed=True)]  # fmt: skip
    r = s.score_sheet(SHEET, marks)
    # earned 42 of 60 (d's 40 points leave the denominator) → 70.00, not 42
    assert (r.earned, r.possible, r.score) == (D("42"), D("60"), D("70.00"))


def test_veto_zeroes_the_sheet_N6_4():
    marks = [
        M("a", passed=True),
        M("b", points=D("30")),
        M("c", occurrences=0),
        M("d", passed=True),
        M("v", passed=False),
    ]
    r = s.score_sheet(SHEET, marks)
    assert r.vetoed and r.score == 0 and r.earned == 0


def test_missing_items_are_listed_and_rounding_half_up_N6_4():
    sheet = [I("x", D("3"), s.PASS_FAIL), I("y", D("3"), s.RANGE), I("z", D("1"), s.RANGE)]
    r = s.score_sheet(sheet, [M("x", passed=True), M("y", points=D("1"))])
    assert r.missing == ("z",) and not r.complete
    r = s.score_sheet(sheet, [M("x", passed=True), M("y", points=D("1")), M("z", not_applicable=True)])
    assert r.score == D("66.67")  # 4 / 6 × 100 = 66.666… → 66.67


def test_self_assessment_beside_inspector_score_N6_4():
    marks = [M("a", passed=False, self_points=D("20")), M("b", points=D("10"), self_points=D("30")),
             M("c", occurrences=0, self_points=D("10")), M("d", not_applicable=True, self_points=D("40")),
             M("v", passed=True)]  # fmt: skip
    r = s.score_sheet(SHEET, marks)
    # inspector: 0 + 10 + 10 = 20 of 60 → 33.33; self: 20 + 30 + 10 = 60 of 60 → 100.00 (d is 不适用)
    assert (r.score, r.self_score) == (D("33.33"), D("100.00"))


def test_all_not_applicable_has_no_score_N6_4():
    r = s.score_sheet([I("a", D("5"), s.PASS_FAIL)], [M("a", not_applicable=True)])
    assert r.score is None and r.possible == 0


GATE = {
    "all": [
        {"any": [
            {"fact": "victim_cases", "op": "<=", "value": 0},
            {"fact": "victim_cases", "drop_pct_at_least": 30},
        ]},
        {"fact": "max_single_loss", "op": "<=", "value": 50000},
        {"fact": "app_install_rate", "population": "age_16_60", "op": ">=", "value": 80},
        {"fact": "concentrated_events", "op": ">=", "value": 2},
        {"fact": "open_rectifications", "op": "==", "value": 0},
    ]
}  # fmt: skip


def facts(**kw):
    base = dict(victim_cases=0, max_single_loss=D("0"), app_install_rates={"age_16_60": 85.0},
                concentrated_events=3, open_rectifications=0)  # fmt: skip
    return s.SiteFacts(**{**base, **kw})


def test_gate_all_conditions_hold_N6_4():
    s.validate_gate(GATE)
    assert s.evaluate_gate(GATE, facts()).passed


def test_gate_or_branch_drop_against_previous_period_N6_4():
    # 7 cases now, 10 before: a 30% drop satisfies the OR-branch although cases are not zero.
    assert s.evaluate_gate(GATE, facts(victim_cases=7, previous={"victim_cases": 10})).passed
    # 8 of 10 is only a 20% drop: neither branch holds.
    r = s.evaluate_gate(GATE, facts(victim_cases=8, previous={"victim_cases": 10}))
    assert not r.passed and "未满足任一条件" in r.reasons[0]
    # No previous figure: the drop rule cannot hold.
    assert not s.evaluate_gate(GATE, facts(victim_cases=1)).passed


def test_gate_failures_name_each_condition_N6_4():
    r = s.evaluate_gate(GATE, facts(max_single_loss=D("80000"), app_install_rates={"age_16_60": 60.0},
                                    open_rectifications=2))  # fmt: skip
    assert not r.passed and len(r.reasons) == 3
    assert any("单笔最大损失" in x for x in r.reasons) and any("16至60周岁人口" in x for x in r.reasons)


def test_gate_missing_fact_fails_N6_4():
    r = s.evaluate_gate({"fact": "dens", "op": "==", "value": 0}, s.SiteFacts())
    assert not r.passed and "缺少数据" in r.reasons[0]


@pytest.mark.parametrize(
    "bad",
    [{"fact": "nope", "op": "<=", "value": 0}, {"fact": "dens", "op": "~", "value": 0},
     {"fact": "dens", "op": "<=", "value": "x"}, {"fact": "app_install_rate", "op": ">=", "value": 1},
     {"all": "x"}],
)  # fmt: skip
def test_gate_validation_refuses_bad_trees_N6_4(bad):
    with pytest.raises(ValueError):
        s.validate_gate(bad)


CANDS = [s.Candidate(i, f"v{i % 4}") for i in range(1, 21)]
CREW = [s.InspectorSlot(100, "v0"), s.InspectorSlot(101, "v1"), s.InspectorSlot(102, "")]


def test_draw_reproduces_from_seed_N6_4():
    a = s.draw(CANDS, 6, 12345, CREW)
    b = s.draw(list(reversed(CANDS)), 6, 12345, CREW)  # input order does not matter
    assert a == b and len(set(a.site_ids)) == 6
    assert s.draw(CANDS, 6, 54321, CREW).site_ids != a.site_ids
    assert a.candidates_hash == s.candidates_hash(CANDS)


def test_draw_honours_exclusions_N6_4():
    village = {c.site_id: c.village_code for c in CANDS}
    home = {i.user_id: i.home_village_code for i in CREW}
    for seed in range(30):
        last = {c.site_id: 102 for c in CANDS}  # 102 inspected every site last time
        r = s.draw(CANDS, 8, seed, CREW, last)
        for site_id, user_id in r.assignments:
            assert village[site_id] != home[user_id], "inspector sent to own village"
            assert user_id != 102, "same inspector twice in a row"


def test_draw_refuses_impossible_requests_N6_4():
    with pytest.raises(ValueError, match="不足"):
        s.draw(CANDS, 21, 1, CREW)
    with pytest.raises(ValueError, match="没有可派往"):
        s.draw([s.Candidate(1, "v0")], 1, 1, [s.InspectorSlot(100, "v0")])
