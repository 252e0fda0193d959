"""Sites through the API: scoped lists, filters, cursor pages, and writes through `site_save`."""
from django.urls import reverse

from sites.models import Site
from tests.factories import SiteFactory

NEW_SITE = {"kind": "community", "name": "甲村新建小区", "households": 120, "residents": 360,
            "contact_phone": "13800000000"}  # fmt: skip


def names(response):
    return {row["name"] for row in response.json()["results"]}


def test_filters_and_ordering(api, world, town_staff):
    api.force_authenticate(town_staff)
    url = reverse("api:site-list")
    assert names(api.get(url, {"kind": "campus"})) == {"甲村小学"}
    assert names(api.get(url, {"area": world.village_a.code})) == {"甲村幸福小区", "甲村小学"}
    assert names(api.get(url, {"village": world.village_b.pk})) == {"乙村专属小区"}
    ids = [row["id"] for row in api.get(url, {"ordering": "id"}).json()["results"]]
    assert ids == sorted(ids) and len(ids) == 3
    assert api.get(url, {"ordering": "contact_phone"}).status_code == 200  # unknown fields are ignored


def test_cursor_pages_cover_everything_once(api, world, town_staff):
    for n in range(7):
        SiteFactory(village=world.village_a, name=f"翻页小区{n}")
    api.force_authenticate(town_staff)
    seen, url, pages = [], reverse("api:site-list") + "?page_size=3", 0
    while url:
        body = api.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url, pages = body["next"], pages + 1
    assert len(seen) == len(set(seen)) == 10 and pages == 4
    assert seen == sorted(seen, reverse=True)
    bad = api.get(reverse("api:site-list") + "?cursor=garbage")
    assert bad.status_code == 404 and bad.json()["detail"] == "无效的翻页游标。"


def test_list_query_count_does_not_grow(api, world, town_staff, django_assert_max_num_queries):
    api.force_authenticate(town_staff)
    for extra in (0, 30):
        for n in range(extra):
            SiteFactory(village=world.village_a, name=f"批量{extra}-{n}")
        with django_assert_max_num_queries(6):
            assert api.get(reverse("api:site-list")).status_code == 200


def test_cadre_creates_a_site_in_own_village(api, world, cadre_a):
    api.force_authenticate(cadre_a)
    response = api.post(reverse("api:site-list"), {**NEW_SITE, "village": world.village_a.pk}, format="json")
    assert response.status_code == 201, response.json()
    site = Site.objects.get(name="甲村新建小区")
    assert site.village == world.village_a and response.json()["village_name"] == "甲村"


def test_create_in_another_village_is_refused(api, world, cadre_a):
    api.force_authenticate(cadre_a)
    for village in (world.village_b, world.village_c, world.town_x):
        response = api.post(reverse("api:site-list"), {**NEW_SITE, "village": village.pk}, format="json")
        assert response.status_code == 400 and "village" in response.json()
    assert not Site.objects.filter(name="甲村新建小区").exists()


def test_town_staff_may_not_create_outside_the_town(api, world, town_staff):
    api.force_authenticate(town_staff)
    ok = api.post(reverse("api:site-list"), {**NEW_SITE, "village": world.village_b.pk}, format="json")
    assert ok.status_code == 201
    refused = api.post(reverse("api:site-list"), {**NEW_SITE, "village": world.village_c.pk}, format="json")
    assert refused.status_code == 400


def test_validation_is_the_forms_validation_in_chinese(api, world, cadre_a):
    api.force_authenticate(cadre_a)
    url = reverse("api:site-list")
    campus = api.post(url, {**NEW_SITE, "kind": "campus", "village": world.village_a.pk}, format="json")
    assert campus.status_code == 400 and campus.json()["school_level"] == ["校园须填写学段。"]
    phone = api.post(url, {**NEW_SITE, "contact_phone": "12345", "village": world.village_a.pk}, format="json")
    assert phone.status_code == 400 and "手机号" in phone.json()["contact_phone"][0]
    twice = api.post(url, {**NEW_SITE, "name": "甲村幸福小区", "village": world.village_a.pk}, format="json")
    assert twice.status_code == 400


def test_update_and_moving_a_site_out_of_scope(api, world, cadre_a):
    api.force_authenticate(cadre_a)
    url = reverse("api:site-detail", args=[world.site_a.pk])
    assert api.patch(url, {"households": 150}, format="json").status_code == 200
    world.site_a.refresh_from_db()
    assert world.site_a.households == 150
    moved = api.patch(url, {"village": world.village_b.pk}, format="json")
    assert moved.status_code == 400
    world.site_a.refresh_from_db()
    assert world.site_a.village == world.village_a


def test_liaison_reads_own_site_only_and_may_not_write(api, world, school_liaison):
    api.force_authenticate(school_liaison)
    assert names(api.get(reverse("api:site-list"))) == {"甲村小学"}
    assert api.get(reverse("api:site-detail", args=[world.site_a.pk])).status_code == 404
    url = reverse("api:site-detail", args=[world.school_a.pk])
    assert api.patch(url, {"students": 1}, format="json").status_code == 403


def test_session_writes_need_csrf(world, cadre_a):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(cadre_a)
    assert client.get(reverse("api:site-list")).status_code == 200
    response = client.post(reverse("api:site-list"), {**NEW_SITE, "village": world.village_a.pk}, format="json")
    assert response.status_code == 403


def test_model_wide_and_unique_errors_read_well(api, world, cadre_a):
    api.force_authenticate(cadre_a)
    url = reverse("api:site-list")
    twice = api.post(url, {**NEW_SITE, "name": "甲村幸福小区", "village": world.village_a.pk}, format="json")
    assert twice.json() == {"non_field_errors": ["该村/社区已有同名的创建单位。"]}
    far = api.post(url, {**NEW_SITE, "latitude": "95", "village": world.village_a.pk}, format="json")
    assert far.status_code == 400 and "90" in far.json()["latitude"][0]


def test_service_errors_without_a_field_come_back_as_non_field_errors():
    from django.core.exceptions import ValidationError

    from wuzha.api import validation_detail

    assert validation_detail(ValidationError("整体错误")) == {"non_field_errors": ["整体错误"]}
    assert validation_detail(ValidationError({"__all__": ["约束"], "name": ["名称"]})) == {
        "non_field_errors": ["约束"], "name": ["名称"]
    }


def test_id_filters_do_not_reveal_ids_outside_the_scope(api, world, cadre_a):
    api.force_authenticate(cadre_a)
    url = reverse("api:site-list")
    outside = api.get(url, {"village": world.village_c.pk})
    missing = api.get(url, {"village": 10**9})
    assert outside.status_code == missing.status_code == 200
    assert outside.json()["results"] == missing.json()["results"] == []
