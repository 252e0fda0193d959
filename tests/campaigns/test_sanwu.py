"""三无 per site and campaign (N1): derived from incidents, flips on add and annul, two-person override."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns.models import Campaign, SanwuOverride
from campaigns.sanwu_services import sanwu_for_sites, sanwu_override_confirm, sanwu_override_request
from sites.models import Incident
from sites.roles import Role
from tests.factories import SiteFactory, user_with_role
from tests.sites.factories import IncidentFactory


@pytest.fixture
def campaign(world):
    return Campaign.objects.create(
        name="无诈创建 2021—2022", scope=world.county, starts_on=dt.date(2021, 11, 17), ends_on=dt.date(2022, 3, 31),
        assessment_on=dt.date(2022, 3, 31), status=Campaign.Status.RUNNING,
    )  # fmt: skip


def holds(campaign, site) -> bool:
    return sanwu_for_sites(campaign, [site])[site.pk].holds


def enter(client, site, kind, **extra):
    data = {"site": site.pk, "kind": kind, "occurred_on": "2022-01-15", "fraud_type": "brushing",
            "status": "filed", "summary": "测试案情", **extra}  # fmt: skip
    response = client.post(reverse("sites:incident_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Incident.objects.latest("pk")


@pytest.mark.parametrize(
    "kind,extra,code",
    [("victim", {"amount_lost": "3000"}, "N1.a"), ("suspect", {}, "N1.b"), ("den", {}, "N1.c")],
    ids=["N1_a", "N1_b", "N1_c"],
)
def test_sanwu_flips_when_an_incident_is_added_and_back_when_annulled(login, town_staff, world, campaign, kind, extra, code):
    client = login(town_staff)
    assert holds(campaign, world.site_a)
    incident = enter(client, world.site_a, kind, **extra)
    status = sanwu_for_sites(campaign, [world.site_a])[world.site_a.pk]
    assert not status.holds and status.derived.broken_codes == [code]
    panel = client.get(reverse("sanwu:site_panel", args=[world.site_a.pk])).content.decode()
    assert "未达三无" in panel and code in panel and incident.get_absolute_url() in panel
    client.post(reverse("sites:incident_annul", args=[incident.pk]), {"reason": "重复登记"})
    assert holds(campaign, world.site_a)
    assert "三无" in client.get(reverse("sanwu:site_panel", args=[world.site_a.pk])).content.decode()


def test_only_incidents_in_the_campaign_period_count_N1_a(world, campaign):
    """Only incidents in the campaign period count (N1.a)."""
    IncidentFactory(site=world.site_a, occurred_on=dt.date(2021, 10, 1))
    assert holds(campaign, world.site_a)
    IncidentFactory(site=world.site_a, occurred_on=dt.date(2022, 3, 31))
    assert not holds(campaign, world.site_a)


def test_victim_case_needs_an_amount(login, town_staff, world):
    data = {"site": world.site_a.pk, "kind": "victim", "occurred_on": "2022-01-15", "fraud_type": "loan",
            "status": "filed", "summary": "x"}  # fmt: skip
    assert "须填写损失金额" in login(town_staff).post(reverse("sites:incident_create"), data).content.decode()


def test_only_town_staff_enter_incidents(login, cadre_a, inspector, world):
    assert login(cadre_a).get(reverse("sites:incident_create")).status_code == 404
    assert login(cadre_a).get(reverse("sites:incident_list")).status_code == 200  # cadres read their village's
    assert login(inspector).get(reverse("sites:incident_list")).status_code == 404


def test_override_needs_a_reason_and_a_second_person_N1(world, campaign, town_staff):
    second = user_with_role(Role.STAFF, area=world.town_x, username="second_staff")
    IncidentFactory(site=world.site_a)
    with pytest.raises(ValidationError, match="至少 10 个字"):
        sanwu_override_request(actor=town_staff, campaign=campaign, site=world.site_a, holds=True, reason="无关")
    override = sanwu_override_request(actor=town_staff, campaign=campaign, site=world.site_a, holds=True,
                                      reason="经派出所核查,该案受害人已于案发前迁出本单位。")  # fmt: skip
    assert not holds(campaign, world.site_a)  # pending: no effect yet
    with pytest.raises(ValidationError, match="另一人"):
        sanwu_override_confirm(actor=town_staff, override=override)
    sanwu_override_confirm(actor=second, override=override)
    status = sanwu_for_sites(campaign, [world.site_a])[world.site_a.pk]
    assert status.holds and status.overridden and not status.derived.holds


def test_override_through_the_pages(login, world, campaign, town_staff, cadre_a):
    second = user_with_role(Role.STAFF, area=world.town_x, username="second_staff")
    IncidentFactory(site=world.site_a)
    url = reverse("sanwu:override_request", args=[world.site_a.pk]) + f"?campaign={campaign.pk}"
    assert login(cadre_a).get(url).status_code == 404
    client = login(town_staff)
    client.post(url, {"holds": "1", "reason": "经派出所核查,该案与本单位无关,系登记错误。"})
    override = SanwuOverride.objects.get()
    decide = reverse("sanwu:override_decide", args=[override.pk])
    assert "您是提出人" in client.get(decide).content.decode()
    client.post(decide, {"confirm": "1"})
    override.refresh_from_db()
    assert override.confirmed_at is None
    login(second).post(decide, {"confirm": "1"})
    override.refresh_from_db()
    assert override.confirmed_by == second and holds(campaign, world.site_a)
    login(second).post(decide, {"reason": "复核后撤销"})
    override.refresh_from_db()
    assert override.revoked_at and not holds(campaign, world.site_a)


def test_status_list_shows_sites_of_the_campaign_with_their_status(login, town_staff, world, campaign):
    IncidentFactory(site=world.school_a, kind="den", amount_lost=None)
    body = login(town_staff).get(reverse("sanwu:status_list")).content.decode()
    assert "甲村小学" in body and "甲村幸福小区" in body and "未达三无" in body
    body = login(town_staff).get(reverse("sanwu:status_list"), {"campaign": campaign.pk, "result": "holds"}).content.decode()
    assert "甲村幸福小区" in body and "甲村小学" not in body


def test_site_page_loads_the_sanwu_panel(login, school_liaison, world, campaign):
    client = login(school_liaison)
    page = client.get(world.school_a.get_absolute_url()).content.decode()
    assert reverse("sanwu:site_panel", args=[world.school_a.pk]) in page
    panel = client.get(reverse("sanwu:site_panel", args=[world.school_a.pk])).content.decode()
    assert campaign.name in panel and "三无" in panel


@pytest.mark.parametrize("rows", [5, 60])
def test_sanwu_and_incident_lists_query_count_is_bounded(login, town_staff, world, campaign, rows,
                                                        django_assert_max_num_queries):  # fmt: skip
    for _ in range(rows):
        IncidentFactory(site=SiteFactory(village=world.village_a))
    client = login(town_staff)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("sanwu:status_list"), {"page": 2 if rows > 50 else 1}).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("sites:incident_list")).status_code == 200


def test_override_admin_is_read_only(admin_client, world, campaign, town_staff):
    IncidentFactory(site=world.site_a)
    override = sanwu_override_request(actor=town_staff, campaign=campaign, site=world.site_a, holds=True,
                                      reason="经派出所核查,该案与本单位无关,系登记错误。")  # fmt: skip
    assert admin_client.get(reverse("admin:campaigns_sanwuoverride_changelist")).status_code == 200
    admin_client.post(reverse("admin:campaigns_sanwuoverride_delete", args=[override.pk]), {"post": "yes"})
    assert SanwuOverride.objects.filter(pk=override.pk).exists()
