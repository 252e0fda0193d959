"""Pure assessment rules, figures worked out by hand in each test (no database)."""
from decimal import Decimal as D

import pytest

from inspections.assessment import rules
from inspections.assessment.compute import (
    SiteInput, VillageInput, rank_villages, ranks, site_result, town_rollup, village_result,
)  # fmt: skip

R = rules.DEFAULT_RULES


def site(**kw):
    base = dict(site_id=1, name="幸福小区", kind="community", village_code="350521101201")
    base.update(kw)
    return SiteInput(**base)


def test_site_score_weights_every_component_N6_4():
    s = site(
        inspection_scores=(D("80"), D("90")), obligations_expected=4, obligations_done=3, obligations_on_time=2,
        app_install_rate=30.0, survey_answers=10, survey_satisfied=9,
    )
    r = site_result(s, R)
    # latest inspection 90; completion 3/4 = 75; on time 2/4 = 50; app 30/60 = 50; satisfaction 9/10 = 90
    assert r.components == {"inspection": D("90.00"), "completion": D("75.00"), "on_time": D("50.00"),
                            "app_install": D("50.00"), "satisfaction": D("90.00")}
    # (90×60 + 75×15 + 50×5 + 50×10 + 90×10) / 100 = (5400 + 1125 + 250 + 500 + 900) / 100 = 81.75
    assert r.score == D("81.75")
    assert not r.proposed_title and any("低于命名分数线" in x for x in r.reasons)


def test_mean_of_inspections_and_missing_components_leave_denominator_N6_4():
    s = site(inspection_scores=(D("80"), D("91")), obligations_expected=2, obligations_done=2, obligations_on_time=2)
    r = site_result(s, {"inspection_score": "mean"})
    # mean 85.5; completion 100; on time 100; app and satisfaction unknown → (85.5×60 + 100×15 + 100×5) / 80
    # = (5130 + 1500 + 500) / 80 = 89.125 → 89.13
    assert r.score == D("89.13")
    assert r.proposed_title


def test_sanwu_is_a_gate_for_the_title_N1_a():
    s = site(inspection_scores=(D("100"),), sanwu_holds=False, sanwu_broken=("N1.a",))
    r = site_result(s, R)
    assert r.score == D("100.00") and not r.gates_ok and not r.proposed_title
    assert "N1.a" in r.reasons[0]


def test_sanwu_veto_zeroes_when_the_rules_say_so_N1_b():
    s = site(inspection_scores=(D("95"),), sanwu_holds=False, sanwu_broken=("N1.b",))
    assert site_result(s, {"sanwu_zeroes": True}).score == D("0")


def test_open_rectification_and_failed_standard_gate_block_title_N6_4():
    ok = site(inspection_scores=(D("95"),))
    assert site_result(ok, R).proposed_title
    assert not site_result(site(inspection_scores=(D("95"),), open_rectifications=1), R).proposed_title
    failed = site_result(site(inspection_scores=(D("95"),), gate_passed=False, gate_reasons=("未达到:发案数不超过0",)), R)
    assert not failed.proposed_title and "未达到:发案数不超过0" in failed.reasons
    # no inspection at all: never proposed, whatever the other rates
    assert not site_result(site(obligations_expected=1, obligations_done=1, obligations_on_time=1), R).proposed_title


def test_app_install_rate_capped_at_target_N6_4():
    r = site_result(site(app_install_rate=75.0), R)
    assert r.components["app_install"] == D("100.00") and r.score == D("100.00")


def test_village_from_sites_and_own_obligations_N6_4():
    a = site_result(site(site_id=1, inspection_scores=(D("90"),)), R)
    b = site_result(site(site_id=2, inspection_scores=(D("71"),)), R)
    v = village_result(VillageInput("350521101201", "甲村", "350521101000", "甲镇", own_expected=5, own_done=4), [a, b], R)
    # site mean (90 + 71) / 2 = 80.5; own 4/5 = 80; 80.5×0.8 + 80×0.2 = 64.4 + 16 = 80.4
    assert (v.site_mean, v.own_rate, v.score) == (D("80.50"), D("80.00"), D("80.40"))
    assert v.sites == 2 and v.proposed_titles == 1


def test_ranks_share_ties_and_towns_roll_up_N6_4():
    assert ranks({"a": D("90"), "b": D("95"), "c": D("90"), "d": D("80"), "e": None}) == {
        "b": 1, "a": 2, "c": 2, "d": 4, "e": None}
    mk = lambda code, town, score: village_result(  # noqa: E731
        VillageInput(code, code, town, f"镇{town}", own_expected=1, own_done=1),
        [site_result(site(inspection_scores=(D(score),)), R)], R)
    villages = rank_villages([mk("v1", "t1", "90"), mk("v2", "t1", "70"), mk("v3", "t2", "85")])
    # village scores: 90×0.8+20 = 92; 70×0.8+20 = 76; 85×0.8+20 = 88
    assert [(v.code, v.score, v.rank) for v in villages] == [
        ("v1", D("92.00"), 1), ("v3", D("88.00"), 2), ("v2", D("76.00"), 3)]
    towns = town_rollup(villages)
    # t1 = (92 + 76) / 2 = 84; t2 = 88
    assert [(t.code, t.score, t.rank, t.proposed_titles) for t in towns] == [
        ("t2", D("88.00"), 1, 1), ("t1", D("84.00"), 2, 1)]


@pytest.mark.parametrize("bad", [
    {"weights": {"bogus": 1}}, {"weights": {"inspection": -1}}, {"inspection_score": "max"},
    {"title": {"min_score": 120}}, {"village": {"sites_weight": 0, "own_weight": 0}},
])
def test_rules_validation_refuses_nonsense_N6_4(bad):
    with pytest.raises(ValueError):
        rules.validate(bad)


def test_rules_notes_describe_defaults_N6_4():
    text = "\n".join(rules.notes({}))
    assert "明察暗访得分×60" in text and "≥ 85" in text and rules.RULES_VERSION in text
