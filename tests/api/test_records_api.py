"""Key persons, incidents, premises and sweeps through the API (N1, N4.2, N5): masked personal data for
every caller, incident writes for incident roles only, sweeps recorded through `sweep_record`."""
import json

import pytest
from django.urls import reverse

from sites.models import Incident, KeyPerson, Sweep
from tests.factories import SiteFactory, UserFactory
from tests.sites.factories import IncidentFactory, KeyPersonFactory, PremisesFactory, UnitFactory

PHONE, PHONE_ALT = "13912345678", "13687654321"


@pytest.fixture
def person(world):
    from tests.sites.factories import valid_id

    return KeyPersonFactory(village=world.village_a, name="王某某", id_number=valid_id(7), phone=PHONE,
                            phone_alt=PHONE_ALT)  # fmt: skip


def _unmasked_values(person):
    return [person.id_number, person.id_number[6:14], PHONE, PHONE_ALT]


@pytest.mark.parametrize("persona", ["cadre_a", "town_staff", "county_staff", "superuser", "pii_reader"])
def test_key_person_ids_and_phones_are_masked_for_every_role_N4_2(api, world, request, person, persona):
    if persona == "superuser":
        user = UserFactory(username="root", is_superuser=True, is_staff=True)
    elif persona == "pii_reader":  # even the right to see full values on the page does not unmask the API
        from django.contrib.auth.models import Permission

        user = request.getfixturevalue("town_staff")
        user.user_permissions.add(Permission.objects.get(codename="view_full_pii"))
    else:
        user = request.getfixturevalue(persona)
    api.force_authenticate(user)
    person.refresh_from_db()
    bodies = []
    for query in ("", "?page_size=200", "?full=1&unmask=true&mask=false", f"?village={world.village_a.pk}"):
        response = api.get(reverse("api:keyperson-list") + query)
        assert response.status_code == 200
        bodies.append(response.content.decode())
    detail = api.get(reverse("api:keyperson-detail", args=[person.pk]))
    assert detail.status_code == 200
    bodies.append(detail.content.decode())
    row = detail.json()
    assert row["id_number"].endswith(person.id_number[-4:]) and "*" in row["id_number"]
    assert row["phone"] == "139****5678" and row["phone_alt"] == "136****4321"
    for body in bodies:
        for secret in _unmasked_values(person):
            assert secret not in body, f"{persona} sees {secret}"


@pytest.mark.parametrize("persona,status", [("inspector", 403), ("school_liaison", 403), ("cadre_b", 404),
                                            ("other_town_staff", 404)])  # fmt: skip
def test_key_persons_out_of_reach_N4_2(api, world, request, person, persona, status):
    api.force_authenticate(request.getfixturevalue(persona))
    assert api.get(reverse("api:keyperson-detail", args=[person.pk])).status_code == status
    listing = api.get(reverse("api:keyperson-list"))
    assert listing.status_code == 403 or listing.json()["results"] == []


def test_premises_manager_contacts_are_masked_N5_1(api, world, town_staff):
    premises = PremisesFactory(village=world.village_a, manager_name="李房东", manager_phone=PHONE)
    api.force_authenticate(town_staff)
    row = api.get(reverse("api:premises-detail", args=[premises.pk])).json()
    assert row["manager_phone"] == "139****5678" and row["manager_name"] == "李**"
    assert PHONE not in json.dumps(row, ensure_ascii=False)


INCIDENT = {"kind": "victim", "occurred_on": "2022-01-20", "amount_lost": "3000.00", "fraud_type": "brushing",
            "summary": "刷单返利被骗。"}  # fmt: skip


def test_incident_write_refused_for_cadres_N1(api, world, cadre_a):
    incident = IncidentFactory(site=world.site_a)
    api.force_authenticate(cadre_a)
    assert api.get(reverse("api:incident-detail", args=[incident.pk])).status_code == 200  # cadres read
    created = api.post(reverse("api:incident-list"), {**INCIDENT, "site": world.site_a.pk}, format="json")
    assert created.status_code == 403 and "权限" in created.json()["detail"]
    changed = api.patch(reverse("api:incident-detail", args=[incident.pk]), {"summary": "改"}, format="json")
    assert changed.status_code == 403
    assert Incident.objects.count() == 1 and Incident.objects.get().summary == "刷单返利被骗。"


def test_town_staff_record_an_incident_through_the_service_N1(api, world, town_staff):
    api.force_authenticate(town_staff)
    url = reverse("api:incident-list")
    response = api.post(url, {**INCIDENT, "site": world.site_a.pk}, format="json")
    assert response.status_code == 201, response.json()
    assert Incident.objects.get().entered_by == town_staff
    no_amount = api.post(url, {**INCIDENT, "amount_lost": None, "site": world.site_a.pk}, format="json")
    assert no_amount.status_code == 400 and "损失金额" in no_amount.json()["amount_lost"][0]
    outside = api.post(url, {**INCIDENT, "site": world.site_c.pk}, format="json")
    assert outside.status_code == 400 and "site" in outside.json()


def test_annulled_incident_cannot_be_changed_through_the_api_N1(api, world, town_staff):
    from sites.services_areas import incident_annul

    incident = incident_annul(actor=None, incident=IncidentFactory(site=world.site_a), reason="误报")
    api.force_authenticate(town_staff)
    response = api.patch(reverse("api:incident-detail", args=[incident.pk]), {"summary": "改"}, format="json")
    assert response.status_code == 400 and "作废" in response.json()["non_field_errors"][0]
    assert api.get(reverse("api:incident-list"), {"current": "true"}).json()["results"] == []


def test_liaisons_and_inspectors_see_no_incidents_N1(api, world, school_liaison, inspector):
    IncidentFactory(site=world.school_a)
    for user in (school_liaison, inspector):
        api.force_authenticate(user)
        assert api.get(reverse("api:incident-list")).status_code == 403


def test_cadre_records_a_sweep_through_the_service_N5_3(api, world, cadre_a):
    mine = PremisesFactory(village=world.village_a)
    UnitFactory(premises=mine)
    theirs = PremisesFactory(village=world.village_b)
    api.force_authenticate(cadre_a)
    url = reverse("api:sweep-list")
    body = {"village": world.village_a.pk, "done_on": "2022-01-12", "team": "网格员两人", "premises": [mine.pk]}
    response = api.post(url, body, format="json")
    assert response.status_code == 201, response.json()
    sweep = Sweep.objects.get()
    assert sweep.created_by == cadre_a and list(sweep.premises.all()) == [mine]
    other = api.post(url, {**body, "premises": [theirs.pk]}, format="json")
    assert other.status_code == 400 and "premises" in other.json()
    empty = api.post(url, {**body, "premises": []}, format="json")
    assert empty.status_code == 400 and "本村/社区" in empty.json()["premises"][0]
    elsewhere = api.post(url, {**body, "village": world.village_b.pk}, format="json")
    assert elsewhere.status_code == 400 and "village" in elsewhere.json()
    assert Sweep.objects.count() == 1
    assert api.patch(reverse("api:sweep-detail", args=[sweep.pk]), {"team": "x"}, format="json").status_code == 405


def test_record_lists_do_not_grow_in_queries(api, world, town_staff, django_assert_max_num_queries):
    api.force_authenticate(town_staff)
    for size in (1, 25):
        for n in range(size):
            site = SiteFactory(village=world.village_a, name=f"量{size}-{n}")
            IncidentFactory(site=site)
            KeyPersonFactory(village=world.village_a)
        for name in ("api:incident-list", "api:keyperson-list"):
            with django_assert_max_num_queries(6):
                assert api.get(reverse(name)).status_code == 200
    assert KeyPerson.objects.count() == 26
