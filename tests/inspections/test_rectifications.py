"""The rectification loop: states, who may move them, restored points with history, overdue escalation (N6.4)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inspections import services
from inspections.facts import site_facts
from inspections.models import Inspection, Rectification

from .factories import TODAY, rectification_in


@pytest.fixture
def rect(world):
    r = rectification_in(world.village_a)
    inspection = r.inspection
    inspection.earned, inspection.possible, inspection.score = Decimal("70"), Decimal("100"), Decimal("70.00")
    inspection.save()
    return r


def test_cadre_responds_staff_verifies_done_only_at_verified_N6_4(rect, cadre_a, town_staff):
    assert Rectification.objects.filter(site=rect.site).open().count() == 1
    services.rectification_respond(actor=cadre_a, rectification=rect, response="已补设宣传栏")
    rect.refresh_from_db()
    assert rect.status == Rectification.Status.RESPONDED and rect.responded_by == cadre_a
    assert Rectification.objects.open().filter(pk=rect.pk).exists(), "responded is not done"
    services.rectification_verify(actor=town_staff, rectification=rect, accept=True, note="现场复核已整改")
    rect.refresh_from_db()
    assert rect.status == Rectification.Status.VERIFIED and not Rectification.objects.open().exists()


def test_who_may_move_the_states_N6_4(world, rect, cadre_b, inspector, school_liaison, town_staff, cadre_a):
    for outsider in (cadre_b, school_liaison, inspector):  # other village, other site, no respond right
        with pytest.raises(PermissionDenied):
            services.rectification_respond(actor=outsider, rectification=rect, response="x")
    with pytest.raises(ValidationError, match="只有已反馈"):
        services.rectification_verify(actor=town_staff, rectification=rect, accept=True)
    services.rectification_respond(actor=cadre_a, rectification=rect, response="已整改")
    with pytest.raises(PermissionDenied):
        services.rectification_verify(actor=cadre_a, rectification=rect, accept=True)  # the site cannot close its own
    with pytest.raises(ValidationError, match="原因"):
        services.rectification_verify(actor=inspector, rectification=rect, accept=False)
    services.rectification_verify(actor=inspector, rectification=rect, accept=False, note="照片看不出整改")
    rect.refresh_from_db()
    assert rect.status == Rectification.Status.OPEN  # back to the site


def test_liaison_responds_for_own_site_N6_4(world, school_liaison, town_staff):
    r = rectification_in(world.village_a)
    r.site = world.school_a
    r.save()
    services.rectification_respond(actor=school_liaison, rectification=r, response="专栏已开设")
    assert Rectification.objects.get(pk=r.pk).status == Rectification.Status.RESPONDED


def test_reinspection_restores_points_and_history_says_why_N6_4(rect, cadre_a, town_staff):
    services.rectification_respond(actor=cadre_a, rectification=rect, response="已整改")
    with pytest.raises(ValidationError, match="0 至 10"):
        services.rectification_verify(actor=town_staff, rectification=rect, accept=True, restore_points=Decimal("11"))
    services.rectification_verify(actor=town_staff, rectification=rect, accept=True, restore_points=Decimal("6"))
    inspection = Inspection.objects.get(pk=rect.inspection_id)
    assert (inspection.earned, inspection.score) == (Decimal("76"), Decimal("76.00"))
    assert "整改验收恢复 6" in inspection.history.first().history_change_reason


def test_overdue_list_and_escalation_is_idempotent_N6_4(world, town_staff):
    late = rectification_in(world.village_a, deadline=TODAY - datetime.timedelta(days=1))
    rectification_in(world.village_a)
    assert list(Rectification.objects.overdue(TODAY)) == [late]
    assert services.rectifications_escalate_overdue(today=TODAY) == 1
    assert services.rectifications_escalate_overdue(today=TODAY) == 0
    assert Rectification.objects.get(pk=late.pk).escalated_at is not None


def test_facts_provider_counts_open_rectifications_and_known_zeros_N6_4(world):
    rectification_in(world.village_a)
    site = Rectification.objects.get().site
    facts = site_facts(site, TODAY - datetime.timedelta(days=30), TODAY)
    assert facts.open_rectifications == 1
    assert facts.victim_cases == 0 and facts.concentrated_events == 0  # incidents / activities wired (issue 6)


def test_daily_task_escalates_overdue_N6_4(world):
    from inspections.tasks import escalate_overdue_rectifications

    late = rectification_in(world.village_a, deadline=TODAY - datetime.timedelta(days=3))
    # .apply() runs here: under the worker run, uncommitted test rows are invisible to the worker.
    assert escalate_overdue_rectifications.apply().get() == 1
    assert Rectification.objects.get(pk=late.pk).escalated_at is not None


def test_overdue_escalation_runs_daily_from_beat_N6_4():
    """Overdue rectifications escalate to town staff without anyone pressing a button."""
    from django.conf import settings

    from wuzha.celery import app

    entries = {e["task"]: e for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert entries["inspections.tasks.escalate_overdue_rectifications"]["schedule"] == 24 * 60 * 60
    assert "inspections.tasks.escalate_overdue_rectifications" in app.tasks
