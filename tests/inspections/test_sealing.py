"""Sealing (N6.4): an unpublished 暗访 plan, its targets, dates and inspectors stay invisible to the village side.

Checked over every URL of the portal, generated from the URL patterns: no response a cadre or liaison of
the targeted village gets holds the plan's name, its inspector's name or its dates.
"""

import io

import pytest
from django.urls import reverse

from inspections import services
from inspections.models import Inspection, InspectionPlan, ItemScore, SealedViewLog
from tests.test_scope_crawl import ROUTES, url_for

from .conftest import SEALED_PLAN, SECRET_INSPECTOR
from .factories import plan_in

VILLAGE_SIDE = ["cadre_a", "school_liaison"]


def _sealed_ids(setup):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .images import jpeg_bytes

    score = ItemScore.objects.create(inspection=setup.inspection, item=setup.standard.items.first())
    photo = services.evidence_add(actor=setup.crew_inspector, upload=SimpleUploadedFile("p.jpg", jpeg_bytes()),
                                  item_score=score)  # fmt: skip
    return {InspectionPlan: setup.plan.pk, Inspection: setup.inspection.pk, type(photo): photo.pk}


def _secrets(setup):
    plan = setup.plan
    return [SEALED_PLAN, SECRET_INSPECTOR, f"{plan.starts_on.year}年{plan.starts_on.month}月{plan.starts_on.day}日",
            plan.starts_on.isoformat()]  # fmt: skip


@pytest.mark.parametrize("persona", VILLAGE_SIDE)
def test_sealed_plan_leaks_nowhere_to_the_village_side_N6_4(client, setup, request, persona, world):
    setup.inspection.site = world.school_a if persona == "school_liaison" else world.site_a
    setup.inspection.save()
    ids = _sealed_ids(setup)
    client.force_login(request.getfixturevalue(persona))
    checked = 0
    for name, pattern, kinds in ROUTES:
        if name.startswith("admin:") or name in ("logout",):
            continue
        view = getattr(pattern.callback, "view_class", None)
        model = getattr(view, "model", None)
        pk = ids.get(model, setup.inspection.site_id if model and model.__name__ == "Site" else 1)
        url = url_for(name, kinds, pk=pk)
        for query in ("", "?q=暗访", "?mine=1"):
            response = client.get(url + query)
            if model in ids:
                assert response.status_code == 404, f"{url} answers {response.status_code} to {persona}"
            body = response.content.decode(errors="replace") if response.status_code == 200 else ""
            for secret in _secrets(setup):
                assert secret not in body, f"{url}{query} shows “{secret}” to {persona}"
            checked += 1
    assert checked > 30
    exports = ("inspections:inspection_list", "inspections:rectification_list", "inspections:plan_list")
    for name in exports:  # exports, cell by cell
        from openpyxl import load_workbook

        ws = load_workbook(io.BytesIO(client.get(reverse(name) + "?export=xlsx").content)).active
        cells = " ".join(str(c.value) for row in ws.iter_rows() for c in row)
        assert not any(secret in cells for secret in _secrets(setup)), name
    assert not SealedViewLog.objects.exists()  # nothing seen, nothing logged


def test_sealed_plan_absent_from_lists_and_home_counts_N6_4(client, setup, cadre_a):
    client.force_login(cadre_a)
    assert client.get(reverse("inspections:plan_list")).status_code == 403 or SEALED_PLAN not in client.get(
        reverse("inspections:plan_list")).content.decode()  # fmt: skip
    panel = client.get(reverse("inspections:home_panel")).content.decode()
    assert 'data-testid="published-results">0<' in panel
    assert Inspection.objects.visible_to(cadre_a).count() == 0
    assert InspectionPlan.objects.visible_to(cadre_a).count() == 0


def test_who_sees_a_sealed_plan_N6_4(setup, town_staff, inspector, county_staff, other_town_staff):
    visible = lambda u: InspectionPlan.objects.visible_to(u).filter(pk=setup.plan.pk).exists()  # noqa: E731
    assert visible(town_staff) and visible(setup.crew_inspector) and visible(county_staff)
    assert not visible(inspector), "an inspector not on the crew must not see a sealed plan"
    assert not visible(other_town_staff)
    assert Inspection.objects.visible_to(setup.crew_inspector).filter(pk=setup.inspection.pk).exists()
    assert not Inspection.objects.visible_to(inspector).filter(pk=setup.inspection.pk).exists()
    # An announced plan of the same town is seen by every inspector of the town.
    open_plan = plan_in(setup.plan.area, kind=InspectionPlan.Kind.ANNOUNCED, campaign=setup.campaign, name="明查计划")
    assert InspectionPlan.objects.visible_to(inspector).filter(pk=open_plan.pk).exists()


def test_every_view_of_a_sealed_plan_is_logged_and_never_cached_N6_4(client, setup, town_staff):
    client.force_login(town_staff)
    response = client.get(setup.plan.get_absolute_url())
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    client.get(setup.inspection.get_absolute_url())
    logs = SealedViewLog.objects.filter(plan=setup.plan, user=town_staff)
    assert logs.count() == 2 and logs.first().path == setup.inspection.get_absolute_url()


def test_after_publication_the_village_sees_the_result_only_N6_4(client, setup, town_staff, cadre_a):
    from .test_services import score_all

    score_all(setup)
    services.inspection_submit(actor=setup.crew_inspector, inspection=setup.inspection)
    services.inspection_approve(actor=town_staff, inspection=setup.inspection)
    services.plan_publish(actor=town_staff, plan=setup.plan)
    client.force_login(cadre_a)
    assert client.get(setup.plan.get_absolute_url()).status_code == 404  # the plan itself stays the office's
    page = client.get(setup.inspection.get_absolute_url())
    assert page.status_code == 200 and "81.25" in page.content.decode()
    assert SECRET_INSPECTOR not in page.content.decode() and "审核记录" not in page.content.decode()
    assert 'data-testid="published-results">1<' in client.get(reverse("inspections:home_panel")).content.decode()
    assert "81.25" in client.get(reverse("inspections:site_panel", args=[setup.inspection.site_id])).content.decode()


def test_superuser_sees_sealed_plans_and_unpublished_inspections_N6_4(setup):
    from tests.factories import UserFactory

    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert InspectionPlan.objects.visible_to(admin).filter(pk=setup.plan.pk).exists()
    assert Inspection.objects.visible_to(admin).filter(pk=setup.inspection.pk).exists()


STANDARD_ROUTES = [(name, kinds) for name, pattern, kinds in ROUTES if name.startswith("inspections:standard")]


@pytest.mark.parametrize("persona", ["cadre_a", "inspector", "school_liaison"])
def test_standards_pages_do_not_freeze_on_a_sealed_result_for_outsiders_N6_4(client, setup, request, persona):
    """A result submitted in a sealed plan freezes the standard; only the plan's insiders are told so."""
    from .test_services import score_all

    score_all(setup)
    services.inspection_submit(actor=setup.crew_inspector, inspection=setup.inspection)
    assert setup.standard.is_frozen  # the freeze holds: nobody edits a version a result was scored on
    client.force_login(request.getfixturevalue(persona))
    checked = 0
    for name, kinds in STANDARD_ROUTES:
        url = url_for(name, kinds, pk=setup.standard.pk)
        response = client.get(url)
        body = response.content.decode(errors="replace") if response.status_code == 200 else ""
        assert "冻结" not in body and "已有提交" not in body, f"{url} tells {persona} of a sealed result"
        checked += response.status_code == 200
    assert checked >= (2 if persona != "school_liaison" else 0)  # list and detail, for those who read standards


def test_insiders_see_the_freeze_and_outsider_editors_are_refused_without_the_reason_N6_4(client, setup, town_staff):
    from inspections.services.standards import FROZEN_MESSAGE, LOCKED_MESSAGE, standard_frozen_for
    from tests.factories import UserFactory

    from .test_services import score_all

    score_all(setup)
    services.inspection_submit(actor=setup.crew_inspector, inspection=setup.inspection)
    for insider in (town_staff, setup.crew_inspector):
        client.force_login(insider)
        assert "已有提交结果,已冻结" in client.get(setup.standard.get_absolute_url()).content.decode()
    assert standard_frozen_for(town_staff, setup.standard)
    # An editor outside the seal (a superuser sees everything; take a staff user without the sealed right).
    outsider = UserFactory(username="outsider_editor")
    assert not standard_frozen_for(outsider, setup.standard)
    with pytest.raises(Exception) as refused:
        services.standard_set_items(actor=town_staff, standard=setup.standard, items=[])
    assert FROZEN_MESSAGE in str(refused.value)
    assert LOCKED_MESSAGE != FROZEN_MESSAGE and "提交" not in LOCKED_MESSAGE
