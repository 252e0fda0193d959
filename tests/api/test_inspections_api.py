"""Inspection results through the API (N6.4): sealed plans and unpublished results stay invisible to the
village side, other towns and inspectors outside the plan; published results and rectifications are read."""
import pytest
from django.urls import reverse

from inspections.models import Inspection, InspectionPlan
from tests.inspections.conftest import SEALED_PLAN, SECRET_INSPECTOR, setup  # noqa: F401 (fixture)
from tests.inspections.factories import inspection_in, plan_in, rectification_in

OUTSIDERS = ["cadre_a", "school_liaison", "other_town_staff", "inspector", "cadre_b"]


def _listed(api, **params):
    response = api.get(reverse("api:inspection-list"), params)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_sealed_inspections_are_never_listed_N6_4(api, world, setup, request, persona):  # noqa: F811
    on_school = Inspection.objects.create(plan=setup.plan, site=world.school_a, inspector=setup.crew_inspector,
                                          standard=setup.standard, status=Inspection.Status.APPROVED)  # fmt: skip
    api.force_authenticate(request.getfixturevalue(persona))
    for params in ({}, {"plan": setup.plan.pk}, {"site": world.site_a.pk}, {"status": "draft"}, {"page_size": 200}):
        response = _listed(api, **params)
        ids = {row["id"] for row in response.json()["results"]}
        assert not ids & {setup.inspection.pk, on_school.pk}, f"{persona} lists a sealed inspection ({params})"
        body = response.content.decode()
        assert SEALED_PLAN not in body and SECRET_INSPECTOR not in body
    for pk in (setup.inspection.pk, on_school.pk):
        assert api.get(reverse("api:inspection-detail", args=[pk])).status_code == 404


def test_insiders_see_the_sealed_inspection_N6_4(api, world, setup, town_staff):  # noqa: F811
    for user in (town_staff, setup.crew_inspector):
        api.force_authenticate(user)
        assert setup.inspection.pk in {row["id"] for row in _listed(api).json()["results"]}


def test_village_roles_read_published_results_only_N6_4(api, world, cadre_a, school_liaison):
    announced = plan_in(world.village_a, kind=InspectionPlan.Kind.ANNOUNCED, name="公开检查")
    published = inspection_in(world.village_a, plan=announced, status=Inspection.Status.PUBLISHED, score=92)
    approved = inspection_in(world.village_a, plan=announced, status=Inspection.Status.APPROVED, score=80)
    at_school = inspection_in(world.village_a, plan=announced, site=world.school_a,
                              status=Inspection.Status.PUBLISHED, score=88)  # fmt: skip
    api.force_authenticate(cadre_a)
    rows = _listed(api).json()["results"]
    assert {r["id"] for r in rows} == {published.pk, at_school.pk}
    assert next(r for r in rows if r["id"] == published.pk)["score"] == "92.00"
    assert api.get(reverse("api:inspection-detail", args=[approved.pk])).status_code == 404
    api.force_authenticate(school_liaison)
    assert {r["id"] for r in _listed(api).json()["results"]} == {at_school.pk}


def test_rectifications_are_scoped_and_filtered_N6_4(api, world, cadre_a, cadre_b, town_staff):
    mine, theirs = rectification_in(world.village_a), rectification_in(world.village_b)
    url = reverse("api:rectification-list")
    api.force_authenticate(cadre_a)
    assert [r["id"] for r in api.get(url).json()["results"]] == [mine.pk]
    assert api.get(reverse("api:rectification-detail", args=[theirs.pk])).status_code == 404
    api.force_authenticate(town_staff)
    assert {r["id"] for r in api.get(url, {"status": "open"}).json()["results"]} == {mine.pk, theirs.pk}
    assert [r["id"] for r in api.get(url, {"inspection": theirs.inspection_id}).json()["results"]] == [theirs.pk]
