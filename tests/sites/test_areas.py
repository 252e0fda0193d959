"""Premises, units and building sweeps unit by unit (N5.1, N5.3), coverage, revisits, rectification (N5.2)."""
import datetime as dt

import pytest
from django.urls import reverse

from sites.coverage import EMPTY, coverage
from sites.models import Premises, Rectification, Sweep, Unit, UnitVisit
from sites.services_areas import coverage_by_premises, coverage_of, sweep_record, sweep_set_visits

from .factories import PremisesFactory, SweepFactory, UnitFactory


def test_coverage_arithmetic_without_database_N5_3():
    cov = coverage(["visited", "vacant", "refused", "nobody", None, "visited"])
    assert (cov.units, cov.visited, cov.vacant, cov.refused, cov.nobody, cov.never) == (6, 2, 1, 1, 1, 1)
    assert cov.covered == 3 and cov.percent == 50
    assert coverage([]).percent is None and (cov + EMPTY) == cov


@pytest.fixture
def building(world):
    """A hand-made building: 8 flats in village A, inside site A."""
    premises = PremisesFactory(village=world.village_a, site=world.site_a, name="手工楼")
    units = {label: UnitFactory(premises=premises, label=label) for label in
             ["101", "102", "103", "104", "201", "202", "203", "204"]}  # fmt: skip
    return premises, units


def test_sweep_coverage_on_a_hand_made_building_N5_3(world, cadre_a, building):
    premises, u = building
    first = Sweep(village=world.village_a, done_on=dt.date(2022, 1, 10), team="网格员", created_by=cadre_a)
    sweep_record(actor=cadre_a, sweep=first, premises=[premises], visits={
        u["101"].pk: ("visited", 3, 2), u["102"].pk: ("nobody", 0, 0), u["103"].pk: ("refused", 0, 0),
        u["104"].pk: ("vacant", 0, 0), u["201"].pk: ("nobody", 0, 0),
    })  # fmt: skip
    cov = coverage_of([premises.pk])
    # visited 101, vacant 104 → 2 of 8 covered; 102 and 201 nobody home; 103 refused; 202–204 never swept.
    assert (cov.units, cov.covered, cov.nobody, cov.refused, cov.never, cov.percent) == (8, 2, 2, 1, 3, 25)
    second = Sweep(village=world.village_a, done_on=dt.date(2022, 2, 10), team="网格员", created_by=cadre_a)
    sweep_record(actor=cadre_a, sweep=second, premises=[premises],
                 visits={u["102"].pk: ("visited", 2, 1), u["202"].pk: ("visited", 1, 1)})  # fmt: skip
    cov = coverage_by_premises([premises.pk])[premises.pk]
    # The latest status counts: 102 now visited; 201 still nobody home.
    assert (cov.covered, cov.nobody, cov.never, cov.percent) == (4, 1, 2, 50)


def test_revisit_list_shows_units_last_found_nobody_home_N5_3(login, cadre_a, world, building):
    premises, u = building
    sweep = SweepFactory(village=world.village_a, created_by=cadre_a)
    sweep.premises.add(premises)
    sweep_set_visits(actor=cadre_a, sweep=sweep, visits={u["102"].pk: ("nobody", 0, 0), u["101"].pk: ("visited", 2, 0)})
    body = login(cadre_a).get(reverse("sites:revisit_list")).content.decode()
    assert "102" in body and "<strong>101</strong>" not in body


def test_sweep_unit_by_unit_through_the_pages_N5_3(login, cadre_a, world, building):
    premises, u = building
    client = login(cadre_a)
    response = client.post(reverse("sites:sweep_create"), {"village": world.village_a.pk, "done_on": "2022-01-20",
                                                           "team": "网格员陈、民警林", "premises": [premises.pk]})  # fmt: skip
    sweep = Sweep.objects.get()
    assert response.url == reverse("sites:sweep_visits", args=[sweep.pk])
    page = client.get(response.url).content.decode()
    assert f'name="u{u["204"].pk}"' in page
    client.post(response.url, {f"u{u['101'].pk}": "visited", f"seen{u['101'].pk}": "3", f"app{u['101'].pk}": "2",
                               f"u{u['102'].pk}": "nobody", f"u{u['103'].pk}": "bogus"})  # fmt: skip
    visits = {v.unit.label: (v.status, v.residents_seen, v.app_installed) for v in UnitVisit.objects.all()}
    assert visits == {"101": ("visited", 3, 2), "102": ("nobody", 0, 0)}
    body = client.get(sweep.get_absolute_url()).content.decode()
    assert "覆盖率" in body and "12%" in body  # 1 of 8
    client.post(reverse("sites:finding_create", args=[sweep.pk]),
                {"premises": premises.pk, "unit": u["103"].pk, "kind": "device", "description": "发现多卡宝 2 台"})  # fmt: skip
    assert "多卡宝" in client.get(premises.get_absolute_url()).content.decode()


def test_units_of_other_premises_are_refused(world, cadre_a, building):
    premises, _ = building
    other = UnitFactory(premises=PremisesFactory(village=world.village_a))
    sweep = SweepFactory(village=world.village_a, created_by=cadre_a)
    sweep.premises.add(premises)
    with pytest.raises(Exception, match="不属于"):
        sweep_set_visits(actor=cadre_a, sweep=sweep, visits={other.pk: ("visited", 1, 0)})


def test_premises_form_adds_units_and_masks_the_manager_phone_N5_1(login, cadre_a, world):
    client = login(cadre_a)
    client.post(reverse("sites:premises_create"), {
        "village": world.village_a.pk, "kind": "rental", "name": "甲村出租楼", "address": "甲村 9 号",
        "manager_name": "房东甲", "manager_phone": "13812345678", "actual_population": 23,
        "risk_flags": ["group_rent"], "unit_labels": "101-104, 2-01",
    })  # fmt: skip
    premises = Premises.objects.get(name="甲村出租楼")
    assert sorted(premises.units.values_list("label", flat=True)) == ["101", "102", "103", "104", "2-01"]
    assert premises.risk_flags == ["group_rent"] and premises.actual_population == 23
    body = client.get(premises.get_absolute_url()).content.decode()
    assert "138****5678" in body and "13812345678" not in body and "群租" in body


def test_site_panel_shows_coverage_of_the_sites_premises(login, cadre_a, inspector, world, building):
    body = login(cadre_a).get(reverse("sites:site_areas_panel", args=[world.site_a.pk])).content.decode()
    assert "重点场所 1 处" in body and "覆盖率" in body
    page = login(cadre_a).get(world.site_a.get_absolute_url()).content.decode()
    assert reverse("sites:site_areas_panel", args=[world.site_a.pk]) in page
    assert reverse("sites:site_areas_panel", args=[world.site_a.pk]) not in login(inspector).get(
        world.site_a.get_absolute_url()
    ).content.decode()


def test_rectification_closes_with_a_result_N5_2(login, cadre_a, world):
    client = login(cadre_a)
    data = {"village": world.village_a.pk, "source": "joint_office", "clue_ref": "LX-2022-01", "target": "甲村某出租屋",
            "actions": "联合派出所清查", "opened_on": "2022-01-05", "closed_on": "2022-01-20"}  # fmt: skip
    assert "办结须填写整治结果" in client.post(reverse("sites:rectification_create"), data).content.decode()
    client.post(reverse("sites:rectification_create"), {**data, "result": "已清退群租人员"})
    rect = Rectification.objects.get()
    assert rect.closed_on == dt.date(2022, 1, 20)
    assert "甲村某出租屋" in client.get(reverse("sites:rectification_list")).content.decode()


@pytest.mark.parametrize("rows", [3, 40])
def test_area_lists_query_count_is_bounded(login, town_staff, world, django_assert_max_num_queries, rows, cadre_a):
    for i in range(rows):
        premises = PremisesFactory(village=world.village_a)
        UnitFactory(premises=premises)
        sweep = SweepFactory(village=world.village_a, created_by=cadre_a)
        sweep.premises.add(premises)
    client = login(town_staff)
    for name in ("premises_list", "sweep_list", "revisit_list", "rectification_list"):
        with django_assert_max_num_queries(12):
            assert client.get(reverse(f"sites:{name}")).status_code == 200, name
    assert Unit.objects.count() == rows


def test_finding_keeps_a_photo_N5_3(login, cadre_a, world, building):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sites.models import Finding

    premises, u = building
    sweep = SweepFactory(village=world.village_a, created_by=cadre_a)
    sweep.premises.add(premises)
    from tests.campaigns.factories import image_bytes

    png = image_bytes("PNG")  # a real image: the photo path decodes it (issue 18)
    client = login(cadre_a)
    url = reverse("sites:finding_create", args=[sweep.pk])
    bad = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    body = client.post(url, {"premises": premises.pk, "kind": "group_rent", "description": "群租", "photo": bad}).content.decode()
    assert "JPG、PNG 或 WEBP" in body and not Finding.objects.exists()
    photo = SimpleUploadedFile("room.png", png, content_type="image/png")
    client.post(url, {"premises": premises.pk, "unit": u["101"].pk, "kind": "group_rent", "description": "群租 12 人",
                      "photo": photo})  # fmt: skip
    finding = Finding.objects.get()
    assert finding.photo.name.endswith(".png") and finding.photo.read().startswith(b"\x89PNG")  # re-encoded (issue 18)
    photo_url = reverse("sites:finding_photo", args=[sweep.pk, finding.pk])
    assert photo_url in client.get(sweep.get_absolute_url()).content.decode()
    assert client.get(photo_url)["Content-Type"] == "image/png"
