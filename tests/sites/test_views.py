"""Site pages: list, search, filters, query bounds, create, edit and deactivate within scope."""
import pytest
from django.urls import reverse

from sites.models import Site
from tests.factories import SiteFactory


def test_cadre_creates_site_in_own_village(login, cadre_a, world):
    client = login(cadre_a)
    response = client.post(
        reverse("sites:site_create"),
        {"village": world.village_a.pk, "kind": "enterprise", "name": "甲村新材料公司", "employees": 80,
         "new_hires_this_year": 12, "contact_phone": "13800000000"},  # fmt: skip
    )
    site = Site.objects.get(name="甲村新材料公司")
    assert response.status_code == 302 and response.url == site.get_absolute_url()
    assert site.village == world.village_a and site.employees == 80


def test_cadre_cannot_create_site_in_other_village(login, cadre_a, world):
    client = login(cadre_a)
    response = client.post(
        reverse("sites:site_create"), {"village": world.village_b.pk, "kind": "community", "name": "越界小区"}
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not Site.objects.filter(name="越界小区").exists()


def test_campus_needs_school_level_in_chinese(login, cadre_a, world):
    response = login(cadre_a).post(
        reverse("sites:site_create"), {"village": world.village_a.pk, "kind": "campus", "name": "无学段学校"}
    )
    assert "校园须填写学段" in response.content.decode()


def test_bad_phone_is_explained(login, cadre_a, world):
    response = login(cadre_a).post(
        reverse("sites:site_create"),
        {"village": world.village_a.pk, "kind": "community", "name": "电话错小区", "contact_phone": "12345"},
    )
    assert "11 位手机号" in response.content.decode()


def test_inspector_and_liaison_may_not_create(login, inspector, school_liaison, world):
    for user in (inspector, school_liaison):
        assert login(user).get(reverse("sites:site_create")).status_code == 403


def test_inspector_sees_but_cannot_edit(login, inspector, world):
    client = login(inspector)
    assert client.get(world.site_a.get_absolute_url()).status_code == 200
    assert client.get(reverse("sites:site_update", args=[world.site_a.pk])).status_code == 404


def test_liaison_sees_only_own_site(login, school_liaison, world):
    client = login(school_liaison)
    assert client.get(world.school_a.get_absolute_url()).status_code == 200
    assert client.get(world.site_a.get_absolute_url()).status_code == 404
    body = client.get(reverse("sites:site_list")).content.decode()
    assert "甲村小学" in body and "甲村幸福小区" not in body


def test_deactivate_asks_then_keeps_the_record(login, cadre_a, world):
    client = login(cadre_a)
    url = reverse("sites:site_active", args=[world.site_a.pk])
    assert "确认停用" in client.get(url).content.decode()
    world.site_a.refresh_from_db()
    assert world.site_a.is_active
    client.post(url)
    world.site_a.refresh_from_db()
    assert not world.site_a.is_active and Site.objects.filter(pk=world.site_a.pk).exists()
    client.post(url)
    world.site_a.refresh_from_db()
    assert world.site_a.is_active


def test_edit_in_scope(login, town_staff, world):
    client = login(town_staff)
    response = client.post(
        reverse("sites:site_update", args=[world.site_b.pk]),
        {"village": world.village_b.pk, "kind": "community", "name": "乙村改名小区", "households": 5},
    )
    assert response.status_code == 302
    world.site_b.refresh_from_db()
    assert world.site_b.name == "乙村改名小区"


def test_search_filter_and_sort(login, town_staff, world):
    client = login(town_staff)
    body = client.get(reverse("sites:site_list"), {"q": "幸福"}).content.decode()
    assert "甲村幸福小区" in body and "甲村小学" not in body
    body = client.get(reverse("sites:site_list"), {"kind": "campus"}).content.decode()
    assert "甲村小学" in body and "甲村幸福小区" not in body
    body = client.get(reverse("sites:site_list"), {"village": world.village_b.pk}).content.decode()
    assert "甲村幸福小区" not in body
    response = client.get(reverse("sites:site_list"), {"ordering": "-name"})
    names = [s.name for s in response.context["page_obj"].object_list]
    assert names == sorted(names, reverse=True)


def test_filter_choices_come_from_scope(login, cadre_a, world):
    form = login(cadre_a).get(reverse("sites:site_list")).context["filter"].form
    assert list(form.fields["village"].queryset) == [world.village_a]


def test_home_counts_sites_by_kind_in_scope(login, cadre_a, world):
    response = login(cadre_a).get(reverse("home"))
    counts = {label: n for label, n, _ in response.context["kind_counts"]}
    assert counts["小区"] == 1 and counts["校园"] == 1 and response.context["total"] == 2


@pytest.mark.parametrize("rows", [5, 60])
def test_site_list_query_count_is_bounded(login, town_staff, world, django_assert_max_num_queries, rows):
    SiteFactory.create_batch(rows, village=world.village_a)
    client = login(town_staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("sites:site_list"), {"page": 2 if rows > 25 else 1})
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [5, 60])
def test_home_query_count_is_bounded(login, county_staff, world, django_assert_max_num_queries, rows):
    SiteFactory.create_batch(rows, village=world.village_b)
    client = login(county_staff)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("home")).status_code == 200


def test_demo_seed_is_idempotent(db):
    from django.contrib.auth import get_user_model

    from sites import demo
    from sites.models import Area, Membership

    demo.seed()
    counts = (Area.objects.count(), Site.objects.count(), get_user_model().objects.count(), Membership.objects.count())
    demo.seed()
    assert counts == (Area.objects.count(), Site.objects.count(), get_user_model().objects.count(), Membership.objects.count())
    assert Site.objects.count() >= 80 and Area.objects.filter(parent__name="东桥镇").count() == 19
    assert not Site.objects.filter(is_demo=False).exists()


def test_every_demo_login_works(client, db):
    from sites import demo

    # Through the real login page (django-axes refuses client.login(), which passes no request).
    for username, *_ in demo.seed():
        response = client.post(reverse("login"), {"username": username, "password": demo.DEMO_PASSWORD})
        assert response.status_code == 302, username
        assert client.get(reverse("home")).status_code == 200
        client.post(reverse("logout"))
