"""The new lists and panels, filled with marked records in village B and town Y, never show them to
personas outside those places (the generated crawl runs on an empty world; this one has data)."""
import datetime as dt

import pytest
from django.urls import reverse

from campaigns.models import Campaign
from sites.models import AccessLog
from tests.conftest import MARK_B, MARK_Y

from .factories import (
    AbroadCaseFactory, IncidentFactory, KeyPersonFactory, PremisesFactory, RectificationFactory, SweepFactory,
    UnitFactory,
)  # fmt: skip

LISTS = ["sites:keyperson_list", "sites:abroad_list", "sites:premises_list", "sites:sweep_list", "sites:revisit_list",
         "sites:rectification_list", "sites:incident_list", "sites:accesslog_list", "sites:keyperson_home_panel",
         "sanwu:status_list", "home"]  # fmt: skip


@pytest.fixture
def marked(world, town_staff):
    Campaign.objects.create(name="测试活动", scope=world.county, starts_on=dt.date(2021, 11, 17),
                            ends_on=dt.date(2022, 3, 31), assessment_on=dt.date(2022, 3, 31), status="running")  # fmt: skip
    places = ((world.village_a, world.site_a, "甲村标记"), (world.village_b, world.site_b, MARK_B),
              (world.village_c, world.site_c, MARK_Y))
    for village, site, mark in places:
        person = KeyPersonFactory(village=village, name=f"{mark}人", cadre=town_staff, is_demo=True)
        person.next_followup_on = dt.date(2020, 1, 1)
        person.save()
        AbroadCaseFactory(person=person, country=f"{mark}国")
        premises = PremisesFactory(village=village, name=f"{mark}楼")
        unit = UnitFactory(premises=premises, label=f"{mark}室")
        sweep = SweepFactory(village=village, team=f"{mark}队", created_by=town_staff)
        sweep.premises.add(premises)
        sweep.visits.create(unit=unit, status="nobody")
        RectificationFactory(village=village, target=f"{mark}整治")
        IncidentFactory(site=site, summary=f"{mark}案", police_case_no=f"{mark}号")
        AccessLog.objects.create(user=town_staff, person=person, action="full_view", reason=f"{mark}理由",
                                 village_code=village.code)  # fmt: skip


@pytest.mark.parametrize("persona,forbidden", [
    ("cadre_a", {MARK_B, MARK_Y}), ("town_staff", {MARK_Y}), ("other_town_staff", {MARK_B, "甲村标记"}),
    ("inspector", {MARK_Y, "甲村标记"}), ("school_liaison", {MARK_B, MARK_Y, "甲村标记"}),
])  # fmt: skip
def test_lists_with_data_hold_no_out_of_scope_rows(client, request, marked, persona, forbidden):
    client.force_login(request.getfixturevalue(persona))
    for name in LISTS:
        for query in ("", "?q=专属", "?overdue=true"):
            response = client.get(reverse(name) + query)
            assert response.status_code in (200, 404), name
            body = response.content.decode()
            for mark in forbidden:
                assert mark not in body, f"{name}{query} shows {mark} to {persona}"


def test_town_staff_see_their_whole_town(client, marked, town_staff):
    client.force_login(town_staff)
    assert MARK_B in client.get(reverse("sites:keyperson_list")).content.decode()
    assert MARK_B in client.get(reverse("sites:incident_list")).content.decode()
    assert f"{MARK_B}室" in client.get(reverse("sites:revisit_list")).content.decode()
