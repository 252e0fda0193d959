"""Services: standards frozen by results, the stored draw, scoring and review, publication (N6.4)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inspections import scoring, services
from inspections.models import Inspection, InspectionPlan, PlanInspector, Rectification, Standard
from sites.models import Site
from sites.roles import Role
from tests.factories import user_with_role

from .factories import plan_in


def items(standard):
    return list(standard.items.order_by("order"))


def score_all(setup, *, veto_passed=True, occurrences=2, campus_na=True):
    i = items(setup.standard)
    marks = {
        i[0].pk: {"passed": True, "self_points": Decimal("20")},
        i[1].pk: {"points": Decimal("25"), "note": "宣传栏破损"},
        i[2].pk: {"occurrences": occurrences},
        i[3].pk: {"not_applicable": campus_na} if campus_na else {"passed": False},
        i[4].pk: {"passed": veto_passed},
    }
    services.inspection_save_marks(actor=setup.crew_inspector, inspection=setup.inspection, marks=marks)


def test_submit_freezes_total_with_versions_N6_4(setup):
    score_all(setup)
    done = services.inspection_submit(actor=setup.crew_inspector, inspection=setup.inspection)
    # 20 + 25 + (30 − 2×5 = 20) = 65 of 80 (校园专项 不适用) → 81.25
    assert (done.earned, done.possible, done.score) == (Decimal("65"), Decimal("80"), Decimal("81.25"))
    assert done.status == Inspection.Status.SUBMITTED and done.revision == 1
    assert done.rules_version == scoring.RULES_VERSION and done.standard_version == setup.standard.version == 1
    assert done.self_score == Decimal("25.00")  # only one item self-assessed: 20 of 80
    assert setup.standard.is_frozen
    with pytest.raises(ValidationError, match="冻结"):
        services.standard_save(actor=None, standard=setup.standard)
    new = services.standard_copy_as_new_version(actor=None, standard=setup.standard)
    assert new.version == 2 and new.items.count() == 5
    done.refresh_from_db()
    assert done.standard_version == 1 and done.standard_id == setup.standard.pk


def test_veto_zeroes_the_frozen_total_N6_4(setup):
    score_all(setup, veto_passed=False)
    done = services.inspection_submit(actor=setup.crew_inspector, inspection=setup.inspection)
    assert done.vetoed and done.score == 0


def test_deduction_floor_in_service_N6_4(setup):
    score_all(setup, occurrences=9, campus_na=False)
    done = services.inspection_submit(actor=setup.crew_inspector, inspection=setup.inspection)
    # 20 + 25 + 0 (floored, not −15) + 0 = 45 of 100
    assert done.score == Decimal("45.00")


def test_submit_refuses_missing_items_and_other_users_N6_4(setup, inspector):
    i = items(setup.standard)
    services.inspection_save_marks(
        actor=setup.crew_inspector, inspection=setup.inspection, marks={i[0].pk: {"passed": True}}
    )
    with pytest.raises(ValidationError, match="还有 4 项未评分"):
        services.inspection_submit(actor=setup.crew_inspector, inspection=setup.inspection)
    with pytest.raises(PermissionDenied):
        services.inspection_save_marks(actor=inspector, inspection=setup.inspection, marks={i[0].pk: {"passed": False}})
    with pytest.raises(ValidationError, match="0 至 30"):
        services.inspection_save_marks(actor=setup.crew_inspector, inspection=setup.inspection,
                                       marks={i[1].pk: {"points": Decimal("31")}})  # fmt: skip
    with pytest.raises(ValidationError, match="不能标为不适用"):
        services.inspection_save_marks(actor=setup.crew_inspector, inspection=setup.inspection,
                                       marks={i[0].pk: {"not_applicable": True}})  # fmt: skip


def test_review_return_resubmit_approve_publish_raises_rectifications_N6_4(setup, town_staff, cadre_a):
    score_all(setup)
    services.inspection_submit(actor=setup.crew_inspector, inspection=setup.inspection)
    with pytest.raises(PermissionDenied):
        services.inspection_approve(actor=cadre_a, inspection=setup.inspection)
    with pytest.raises(ValidationError, match="原因"):
        services.inspection_return(actor=town_staff, inspection=setup.inspection, reason=" ")
    services.inspection_return(actor=town_staff, inspection=setup.inspection, reason="照片不清楚")
    setup.inspection.refresh_from_db()
    assert setup.inspection.status == Inspection.Status.RETURNED
    score_all(setup, occurrences=1)
    again = services.inspection_submit(actor=setup.crew_inspector, inspection=setup.inspection)
    assert again.revision == 2 and again.score == Decimal("87.50")  # 20+25+25 = 70 of 80
    assert again.history.count() >= 3  # edits after submission are versioned
    with pytest.raises(ValidationError, match="未审核"):
        services.plan_publish(actor=town_staff, plan=setup.plan)
    services.inspection_approve(actor=town_staff, inspection=again)
    assert not Rectification.objects.exists()  # nothing reaches the site before publication
    raised = services.plan_publish(actor=town_staff, plan=setup.plan)
    # 宣传发动 lost 5, 重点人员 lost 5; 组织领导 full, 校园专项 不适用, veto passed
    assert raised == 2
    rects = Rectification.objects.order_by("points_deducted", "pk")
    assert {r.points_deducted for r in rects} == {Decimal("5")}
    assert "宣传栏破损" in Rectification.objects.get(item__section="宣传发动").finding
    setup.plan.refresh_from_db()
    assert setup.plan.status == InspectionPlan.Status.PUBLISHED and not setup.plan.is_sealed
    assert list(again.comments.values_list("action", flat=True)) == ["submit", "return", "submit", "approve", "publish"]


def test_plan_draw_is_stored_and_reproducible_N6_4(world, town_staff, setup, more_sites):
    a = user_with_role(Role.INSPECTOR, area=world.town_x, username="insp_a")
    b = user_with_role(Role.INSPECTOR, area=world.town_x, username="insp_b")
    plan = plan_in(world.town_x, campaign=setup.campaign, created_by=town_staff, name="抽签计划")
    PlanInspector.objects.create(plan=plan, user=a, home_village=world.village_a)
    PlanInspector.objects.create(plan=plan, user=b, home_village=world.village_b)
    # b inspected 乙村候选0 last time: b must not be sent there again.
    last = plan_in(world.town_x, campaign=setup.campaign, name="上次计划", inspectors=[b])
    Inspection.objects.create(plan=last, site=more_sites[4], inspector=b, standard=setup.standard)
    result = services.plan_draw(actor=town_staff, plan=plan, n=6, kind=Site.Kind.COMMUNITY, seed=20220301)
    plan.refresh_from_db()
    assert plan.draw_seed == 20220301 and plan.draw_hash and len(plan.draw_candidates) >= 6
    check = services.plan_verify_draw(plan)
    assert check.reproduced and check.hash_matches and check.result == result
    for i in plan.inspections.select_related("site__village"):
        home = world.village_a if i.inspector == a else world.village_b
        assert i.site.village != home, "inspector sent to own village"
        assert not (i.site == more_sites[4] and i.inspector == b)
    with pytest.raises(ValidationError, match="不能重抽"):
        services.plan_draw(actor=town_staff, plan=plan, n=1, kind=Site.Kind.COMMUNITY)
    # A tampered stored result no longer reproduces.
    plan.draw_inputs["drawn"][0][1] = 999
    assert not services.plan_verify_draw(plan).reproduced


def test_plan_create_checks_scope_and_crew_N6_4(world, town_staff, other_town_staff, inspector, setup):
    plan = InspectionPlan(campaign=setup.campaign, area=world.town_x, name="新计划", starts_on=setup.plan.starts_on,
                          ends_on=setup.plan.ends_on)  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=other_town_staff, plan=plan, crew=[(inspector, None)])
    with pytest.raises(ValidationError, match="不是该范围的督查员"):
        services.plan_create(actor=town_staff, plan=plan, crew=[(town_staff, None)])
    created = services.plan_create(actor=town_staff, plan=plan, crew=[(inspector, world.village_a)])
    assert created.created_by == town_staff and created.crew.get().home_village == world.village_a


def test_add_site_needs_a_standard_for_the_kind_N6_4(world, town_staff, setup):
    Standard.objects.filter(site_kind="campus").delete()
    with pytest.raises(ValidationError, match="尚未设定“校园”"):
        services.plan_add_site(actor=town_staff, plan=setup.plan, site=world.school_a, inspector=setup.crew_inspector)
    with pytest.raises(ValidationError, match="不在本计划"):
        services.plan_add_site(actor=town_staff, plan=setup.plan, site=world.site_c, inspector=setup.crew_inspector)


def test_drafts_are_not_history_but_edits_after_submission_are_N6_4(setup, town_staff):
    from inspections.models import ItemScore

    i = items(setup.standard)
    for _ in range(3):  # three autosaves
        services.inspection_save_marks(
            actor=setup.crew_inspector, inspection=setup.inspection, marks={i[0].pk: {"passed": True}}
        )
    assert ItemScore.history.count() == 0 and setup.inspection.history.count() == 1  # its creation only
    score_all(setup)
    services.inspection_submit(actor=setup.crew_inspector, inspection=setup.inspection)
    services.inspection_return(actor=town_staff, inspection=setup.inspection, reason="重打")
    setup.inspection.refresh_from_db()
    services.inspection_save_marks(
        actor=setup.crew_inspector, inspection=setup.inspection, marks={i[0].pk: {"passed": False}}
    )
    changed = ItemScore.history.filter(item_id=i[0].pk).order_by("history_date")
    assert [h.passed for h in changed] == [True, False]  # as submitted, then the edit after the return


def test_inspector_who_is_a_cadre_is_kept_out_of_own_village_N6_4(world, town_staff, setup, more_sites):
    from sites.services import membership_grant

    both = user_with_role(Role.INSPECTOR, area=world.town_x, username="cross")
    membership_grant(user=both, role=Role.CADRE, area=world.village_a)
    other = user_with_role(Role.INSPECTOR, area=world.town_x, username="other", first_name="别村督查员")
    plan = services.plan_create(actor=town_staff, plan=InspectionPlan(
        campaign=setup.campaign, area=world.town_x, name="交叉检查", starts_on=setup.plan.starts_on,
        ends_on=setup.plan.ends_on), crew=[(both, None), (other, None)])  # fmt: skip
    assert plan.crew.get(user=both).home_village == world.village_a
    services.plan_draw(actor=town_staff, plan=plan, n=8, kind=Site.Kind.COMMUNITY, seed=7)
    assert not plan.inspections.filter(inspector=both, site__village=world.village_a).exists()


def test_plan_must_lie_inside_its_campaign_N6_4(world, county_staff, setup, inspector):
    plan = InspectionPlan(campaign=setup.campaign, area=world.town_y, name="越界计划", starts_on=setup.plan.starts_on,
                          ends_on=setup.plan.ends_on)  # fmt: skip
    county_inspector = user_with_role(Role.INSPECTOR, area=world.county, username="county_inspector")
    with pytest.raises(ValidationError, match="创建活动的范围"):
        services.plan_create(actor=county_staff, plan=plan, crew=[(county_inspector, None)])
