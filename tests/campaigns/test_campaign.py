"""Campaigns are data (N2): who sees which campaign, closed campaigns lock their records, reopening is logged."""
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from campaigns.models import Campaign, CampaignStatusChange
from campaigns.services import activity_record, campaign_set_status
from tests.factories import SiteFactory

from .factories import ActivityFactory, CampaignFactory, EnrolmentFactory


@pytest.fixture
def campaigns(world):
    return {
        "county": CampaignFactory(scope=world.county, name="县级活动"),
        "town_x": CampaignFactory(scope=world.town_x, name="甲镇活动"),
        "town_y": CampaignFactory(scope=world.town_y, name="乙镇活动"),
        "village_a": CampaignFactory(scope=world.village_a, name="甲村活动"),
        "village_b": CampaignFactory(scope=world.village_b, name="乙村活动"),
    }


def names(qs):
    return set(qs.values_list("name", flat=True))


def test_cadre_sees_campaigns_covering_their_village_N2(campaigns, cadre_a):
    assert names(Campaign.objects.visible_to(cadre_a)) == {"县级活动", "甲镇活动", "甲村活动"}


def test_town_staff_see_campaigns_above_and_inside_their_town_N2(campaigns, town_staff):
    assert names(Campaign.objects.visible_to(town_staff)) == {"县级活动", "甲镇活动", "甲村活动", "乙村活动"}


def test_county_staff_see_everything_below_N2(campaigns, county_staff):
    assert names(Campaign.objects.visible_to(county_staff)) == {c.name for c in campaigns.values()}


def test_town_staff_edit_only_campaigns_inside_their_town_N2(campaigns, town_staff):
    assert names(Campaign.objects.editable_by(town_staff)) == {"甲镇活动", "甲村活动", "乙村活动"}


def test_liaison_sees_the_campaigns_their_site_is_enrolled_in_N2(campaigns, world, school_liaison):
    assert names(Campaign.objects.visible_to(school_liaison)) == set()
    EnrolmentFactory(campaign=campaigns["town_x"], site=world.school_a)
    assert names(Campaign.objects.visible_to(school_liaison)) == {"甲镇活动"}


def test_anonymous_sees_no_campaign(campaigns):
    from django.contrib.auth.models import AnonymousUser

    assert not Campaign.objects.visible_to(AnonymousUser()).exists()


def test_closed_campaign_refuses_edits_N2(world, cadre_a, town_staff):
    campaign = CampaignFactory(scope=world.town_x)
    activity = ActivityFactory(campaign=campaign, site=world.site_a)
    campaign_set_status(actor=town_staff, campaign=campaign, status=Campaign.Status.CLOSED, reason="活动结束")
    activity.refresh_from_db()
    activity.households_visited = 99
    with pytest.raises(ValidationError, match="记录已锁定"):
        activity_record(actor=cadre_a, activity=activity)
    new = ActivityFactory.build(campaign=Campaign.objects.get(pk=campaign.pk), site=world.site_a, village=world.village_a)
    with pytest.raises(ValidationError, match="已结束"):
        activity_record(actor=cadre_a, activity=new)


def test_reopening_needs_town_staff_and_a_reason_and_is_logged_N2(world, cadre_a, town_staff):
    campaign = CampaignFactory(scope=world.town_x, status=Campaign.Status.CLOSED)
    with pytest.raises(PermissionDenied):
        campaign_set_status(actor=cadre_a, campaign=campaign, status=Campaign.Status.RUNNING, reason="补录")
    with pytest.raises(ValidationError, match="须说明理由"):
        campaign_set_status(actor=town_staff, campaign=campaign, status=Campaign.Status.RUNNING, reason=" ")
    campaign_set_status(actor=town_staff, campaign=campaign, status=Campaign.Status.RUNNING, reason="考核前补录照片")
    change = CampaignStatusChange.objects.get(campaign=campaign)
    assert (change.from_status, change.to_status, change.changed_by, change.reason) == (
        "closed", "running", town_staff, "考核前补录照片"
    )
    assert Campaign.objects.get(pk=campaign.pk).status == "running"


def test_reopen_via_the_page_N2(world, town_staff, login):
    campaign = CampaignFactory(scope=world.town_x, status=Campaign.Status.CLOSED)
    client = login(town_staff)
    response = client.post(f"/campaigns/{campaign.pk}/status/", {"status": "running", "reason": ""})
    assert response.status_code == 302
    assert Campaign.objects.get(pk=campaign.pk).status == "closed"
    client.post(f"/campaigns/{campaign.pk}/status/", {"status": "running", "reason": "补录"})
    assert Campaign.objects.get(pk=campaign.pk).status == "running"


def test_activity_date_must_lie_in_the_campaign_N2(world, cadre_a):
    campaign = CampaignFactory(scope=world.town_x)
    a = ActivityFactory.build(campaign=campaign, site=world.site_a, village=world.village_a, date=date(2022, 4, 2))
    with pytest.raises(ValidationError, match="活动期间"):
        activity_record(actor=cadre_a, activity=a)


def test_cadre_cannot_record_in_another_village(world, cadre_a):
    campaign = CampaignFactory(scope=world.town_x)
    other = SiteFactory(village=world.village_b)
    a = ActivityFactory.build(campaign=campaign, site=other, village=world.village_b)
    with pytest.raises(ValidationError, match="无权"):
        activity_record(actor=cadre_a, activity=a)


def test_town_staff_set_up_next_years_campaign_without_code_N2(world, town_staff, cadre_a, login):
    client = login(town_staff)
    response = client.post("/campaigns/new/", {
        "name": "2022年度无诈创建", "document_no": "惠东桥政〔2022〕1号", "scope": world.town_x.pk,
        "starts_on": "2022-11-01", "ends_on": "2023-03-31", "assessment_on": "2023-03-31", "site_kinds": ["campus"],
    })  # fmt: skip
    assert response.status_code == 302
    campaign = Campaign.objects.get(name="2022年度无诈创建")
    assert (campaign.status, campaign.site_kinds, campaign.scope) == ("draft", ["campus"], world.town_x)
    refused = client.post("/campaigns/new/", {
        "name": "县级活动", "scope": world.county.pk, "starts_on": "2022-11-01", "ends_on": "2023-03-31",
        "assessment_on": "2023-03-31",
    })  # fmt: skip
    assert refused.status_code == 200 and not Campaign.objects.filter(name="县级活动").exists()
    assert login(cadre_a).get("/campaigns/new/").status_code == 403


@pytest.mark.parametrize("n", [1, 12])
def test_campaign_pages_queries_are_bounded(world, town_staff, login, django_assert_max_num_queries, n):
    campaign = CampaignFactory(scope=world.town_x)
    for i in range(n):
        EnrolmentFactory(campaign=campaign, site=SiteFactory(village=world.village_a, name=f"单位{i}"))
        CampaignFactory(scope=world.village_a, name=f"村活动{i}")
    client = login(town_staff)
    with django_assert_max_num_queries(14):
        assert client.get("/campaigns/").status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(f"/campaigns/{campaign.pk}/").status_code == 200
