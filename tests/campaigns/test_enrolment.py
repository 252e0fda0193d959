"""Enrolment (申报创建): transitions only from the table, only by the roles it names, each change kept."""
import pytest
from django.core.exceptions import ValidationError

from campaigns.enrolment_flow import TRANSITIONS, allowed_targets, may_move
from campaigns.models import Enrolment, EnrolmentChange
from campaigns.services import enrolment_apply, enrolment_move
from sites.roles import Role

from .factories import CampaignFactory

S = Enrolment.Status


def test_table_names_only_known_statuses_N2():
    for frm, to in TRANSITIONS:
        assert frm in S.values and to in S.values


def test_only_town_staff_name_a_site_N2():
    assert may_move(S.AWAITING, S.NAMED, {Role.STAFF})
    assert not may_move(S.AWAITING, S.NAMED, {Role.CADRE, Role.LIAISON, Role.INSPECTOR})
    assert not may_move(S.APPLIED, S.NAMED, {Role.STAFF})  # no skipping steps
    assert allowed_targets(S.BUILDING, {Role.LIAISON}) == [S.AWAITING]
    assert allowed_targets(S.NAMED, {Role.STAFF}) == []


@pytest.fixture
def enrolment(world, cadre_a):
    campaign = CampaignFactory(scope=world.town_x)
    return enrolment_apply(actor=cadre_a, campaign=campaign, site=world.school_a)


def test_apply_then_move_along_the_table_with_history_N2(enrolment, cadre_a, town_staff, school_liaison):
    assert enrolment.status == S.APPLIED
    with pytest.raises(ValidationError, match="无权"):
        enrolment_move(actor=cadre_a, enrolment=enrolment, to_status=S.BUILDING, reason="x")
    enrolment_move(actor=town_staff, enrolment=enrolment, to_status=S.BUILDING, reason="同意创建")
    enrolment_move(actor=school_liaison, enrolment=enrolment, to_status=S.AWAITING)
    with pytest.raises(ValidationError):
        enrolment_move(actor=school_liaison, enrolment=enrolment, to_status=S.NAMED)
    enrolment_move(actor=town_staff, enrolment=enrolment, to_status=S.NAMED)
    changes = list(EnrolmentChange.objects.filter(enrolment=enrolment).order_by("pk"))
    assert [(c.from_status, c.to_status, c.changed_by.username) for c in changes] == [
        ("", "applied", "cadre_a"), ("applied", "building", "town_staff"),
        ("building", "awaiting", "school_liaison"), ("awaiting", "named", "town_staff"),
    ]  # fmt: skip
    assert changes[1].reason == "同意创建" and changes[1].changed_at is not None


def test_failing_a_site_needs_a_reason_N2(enrolment, town_staff):
    enrolment_move(actor=town_staff, enrolment=enrolment, to_status=S.BUILDING, reason="同意")
    enrolment_move(actor=town_staff, enrolment=enrolment, to_status=S.AWAITING)
    with pytest.raises(ValidationError, match="理由"):
        enrolment_move(actor=town_staff, enrolment=enrolment, to_status=S.FAILED)


def test_other_towns_staff_cannot_move_N2(enrolment, other_town_staff):
    with pytest.raises(ValidationError):
        enrolment_move(actor=other_town_staff, enrolment=enrolment, to_status=S.BUILDING, reason="x")


def test_site_outside_the_campaign_cannot_enrol_N2(world, county_staff):
    campaign = CampaignFactory(scope=world.town_x)
    with pytest.raises(ValidationError, match="不在本活动范围"):
        enrolment_apply(actor=county_staff, campaign=campaign, site=world.site_c)


def test_move_through_the_page_N2(enrolment, town_staff, login):
    client = login(town_staff)
    page = client.get(f"/campaigns/enrolments/{enrolment.pk}/")
    assert "创建中" in page.content.decode()
    client.post(f"/campaigns/enrolments/{enrolment.pk}/move/", {"to": "building", "reason": "同意"})
    assert Enrolment.objects.get(pk=enrolment.pk).status == S.BUILDING
