"""Campaign records through the API: activities written through `activity_record` (the form's service and
validation, the closed-campaign lock), enrolments, and the obligation status per site."""
import datetime as dt

import pytest
from django.urls import reverse

from campaigns.models import Activity, Campaign
from campaigns.services import LOCKED
from tests.campaigns.factories import ActivityFactory, CampaignFactory, EnrolmentFactory
from tests.factories import SiteFactory

DOOR = {"channel": "door", "households_visited": 12, "date": "2021-12-05", "title": "入户宣传"}


@pytest.fixture
def campaign(world):
    return CampaignFactory(scope=world.town_x, name="甲镇无诈创建", site_kinds=["community", "campus"])


def test_cadre_records_an_activity_through_the_service_N3_3(api, world, cadre_a, campaign):
    api.force_authenticate(cadre_a)
    body = {**DOOR, "campaign": campaign.pk, "site": world.site_a.pk}
    response = api.post(reverse("api:activity-list"), body, format="json")
    assert response.status_code == 201, response.json()
    activity = Activity.objects.get(pk=response.json()["id"])
    # The service filled the village from the site and recorded who entered it (and the late-entry flag).
    assert activity.village == world.village_a and activity.created_by == cadre_a
    assert activity.flag_late_entry and response.json()["village"] == world.village_a.pk


def test_activity_validation_is_the_forms_in_chinese_N3_1(api, world, cadre_a, campaign):
    api.force_authenticate(cadre_a)
    url = reverse("api:activity-list")
    board = api.post(url, {"channel": "board", "date": "2021-12-05", "campaign": campaign.pk,
                           "village": world.village_a.pk}, format="json")  # fmt: skip
    assert board.status_code == 400 and "copies" in board.json()
    late = api.post(url, {**DOOR, "date": "2023-01-01", "campaign": campaign.pk, "village": world.village_a.pk},
                    format="json")  # fmt: skip
    assert late.status_code == 400 and "活动期间" in late.json()["date"][0]
    other = api.post(url, {**DOOR, "campaign": campaign.pk, "village": world.village_b.pk}, format="json")
    assert other.status_code == 400 and "village" in other.json()
    assert not Activity.objects.exists()


def test_activity_write_refuses_a_closed_campaign_in_chinese_N2(api, world, cadre_a, campaign):
    activity = ActivityFactory(campaign=campaign, site=world.site_a)
    campaign.status = Campaign.Status.CLOSED
    campaign.save()
    api.force_authenticate(cadre_a)
    created = api.post(reverse("api:activity-list"), {**DOOR, "campaign": campaign.pk, "site": world.site_a.pk},
                       format="json")  # fmt: skip
    assert created.status_code == 400 and created.json() == {"non_field_errors": [LOCKED]}
    changed = api.patch(reverse("api:activity-detail", args=[activity.pk]), {"households_visited": 99}, format="json")
    assert changed.status_code == 400 and changed.json() == {"non_field_errors": [LOCKED]}
    activity.refresh_from_db()
    assert activity.households_visited == 20 and Activity.objects.count() == 1


def test_liaison_writes_for_own_site_only_N3_4(api, world, school_liaison, campaign):
    EnrolmentFactory(campaign=campaign, site=world.school_a)  # a liaison sees the campaigns its site joined
    api.force_authenticate(school_liaison)
    url = reverse("api:activity-list")
    lecture = {"channel": "lecture", "people_reached": 300, "date": "2021-12-05", "campaign": campaign.pk}
    ok = api.post(url, {**lecture, "site": world.school_a.pk}, format="json")
    assert ok.status_code == 201, ok.json()
    assert api.post(url, {**lecture, "site": world.site_a.pk}, format="json").status_code == 400
    assert Activity.objects.get().site == world.school_a


def test_activity_filters_and_date_ordering(api, world, town_staff, campaign):
    for day in (3, 1, 2):
        ActivityFactory(campaign=campaign, site=world.site_a, date=dt.date(2021, 12, day))
    ActivityFactory(campaign=campaign, site=world.site_b)
    api.force_authenticate(town_staff)
    url = reverse("api:activity-list")
    rows = api.get(url, {"village": world.village_a.pk, "ordering": "date"}).json()["results"]
    assert [r["date"] for r in rows] == ["2021-12-01", "2021-12-02", "2021-12-03"]
    assert len(api.get(url, {"date_from": "2021-12-02", "site": world.site_a.pk}).json()["results"]) == 2


def test_enrolments_are_scoped_and_filtered(api, world, cadre_a, campaign):
    EnrolmentFactory(campaign=campaign, site=world.site_a)
    EnrolmentFactory(campaign=campaign, site=world.site_b)
    api.force_authenticate(cadre_a)
    rows = api.get(reverse("api:enrolment-list"), {"campaign": campaign.pk}).json()["results"]
    assert [r["site_name"] for r in rows] == ["甲村幸福小区"] and "survey_token" not in rows[0]


def _obligations(api, campaign, **params):
    return api.get(reverse("api:campaign-obligations", args=[campaign.pk]), params)


def test_obligation_status_per_site_N3_4(api, world, cadre_a, town_staff, campaign):
    EnrolmentFactory(campaign=campaign, site=world.school_a)
    EnrolmentFactory(campaign=campaign, site=world.site_b)
    ActivityFactory(campaign=campaign, site=world.school_a, channel="lecture", people_reached=300,
                    households_visited=None, date=dt.date(2021, 12, 1))  # fmt: skip
    api.force_authenticate(town_staff)
    body = _obligations(api, campaign, as_of="2022-03-31").json()
    assert {r["site_name"] for r in body["results"]} == {"甲村小学", "乙村专属小区"}
    school = next(r for r in body["results"] if r["site"] == world.school_a.pk)
    autumn, spring = school["obligations"]
    assert autumn["n_id"] == "N3.4" and autumn["done_on"] == "2021-12-01"
    assert autumn["status"] == "late"  # entered today, long after the lecture: counted, but not on time
    assert spring["done_on"] is None and spring["status"] == "missing"
    api.force_authenticate(cadre_a)
    assert [r["site"] for r in _obligations(api, campaign).json()["results"]] == [world.school_a.pk]
    assert _obligations(api, campaign, village="x").status_code == 400


def test_obligations_of_a_campaign_out_of_scope_are_404(api, world, other_town_staff, campaign):
    api.force_authenticate(other_town_staff)
    assert _obligations(api, campaign).status_code == 404


def test_obligation_queries_are_bounded_N3(api, world, town_staff, campaign, django_assert_max_num_queries):
    api.force_authenticate(town_staff)
    for size in (2, 40):
        for n in range(size):
            site = SiteFactory(village=world.village_a, name=f"义务{size}-{n}")
            EnrolmentFactory(campaign=campaign, site=site)
            ActivityFactory(campaign=campaign, site=site)
        with django_assert_max_num_queries(10):
            response = _obligations(api, campaign, page_size=200)
        assert response.status_code == 200
    pages, url = 0, reverse("api:campaign-obligations", args=[campaign.pk]) + "?page_size=15"
    seen = []
    while url:
        body = api.get(url).json()
        seen += [r["site"] for r in body["results"]]
        url, pages = body["next"], pages + 1
    assert len(seen) == len(set(seen)) == 42 and pages == 3
