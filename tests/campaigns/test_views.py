"""Ledger pages: entry from a form with photos, list filters and keyset paging, query bounds, export, history."""
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns.models import Activity
from tests.factories import SiteFactory

from .factories import ActivityFactory, CampaignFactory, image_bytes


@pytest.fixture
def campaign(world):
    return CampaignFactory(scope=world.town_x, name="甲镇无诈创建")


def make_activities(campaign, site, n):
    Activity.objects.bulk_create(
        Activity(campaign=campaign, village=site.village, site=site, date=date(2021, 11, 17) + timedelta(days=i % 130),
                 channel=Activity.Channel.DOOR_TO_DOOR, households_visited=10 + i, title=f"走访{i}")
        for i in range(n)
    )  # fmt: skip


def test_form_preselects_today_and_the_cadres_village_N3_3(campaign, cadre_a, login):
    page = login(cadre_a).get("/campaigns/activities/new/")
    form = page.context["form"]
    assert form.fields["village"].initial.pk == cadre_a.memberships.get().area_id
    assert form.fields["date"].initial is not None
    assert list(form.fields["village"].queryset.values_list("name", flat=True)) == ["甲村"]
    assert 'data-channels="' in page.content.decode()


def test_cadre_records_activity_with_photo_N3_3(campaign, world, cadre_a, login):
    photo = SimpleUploadedFile("scene.jpg", image_bytes(size=(400, 300)), content_type="image/jpeg")
    response = login(cadre_a).post("/campaigns/activities/new/", {
        "date": "2021-12-03", "village": world.village_a.pk, "site": world.site_a.pk, "channel": "door",
        "households_visited": 42, "app_installs": 17, "cadres": 2, "police": 1, "grid_workers": 3, "volunteers": 4,
        "photos": [photo],
    })  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    a = Activity.objects.get()
    assert (a.households_visited, a.app_installs, a.participants, a.created_by) == (42, 17, 10, cadre_a)
    assert a.photos.count() == 1 and a.photos.get().thumbnail
    detail = login(cadre_a).get(a.get_absolute_url()).content.decode()
    assert "新增" in detail and "甲村幸福小区" in detail  # history and the record


def test_form_refuses_missing_reach_and_bad_photo_in_chinese_N3_2(campaign, world, cadre_a, login):
    fake = SimpleUploadedFile("scene.png", b"GIF89a not really", content_type="image/png")
    response = login(cadre_a).post("/campaigns/activities/new/", {
        "date": "2021-12-03", "village": world.village_a.pk, "channel": "wechat", "posts": "",
        "app_installs": 0, "cadres": 0, "police": 0, "grid_workers": 0, "volunteers": 0, "photos": [fake],
    })  # fmt: skip
    assert response.status_code == 200
    body = response.content.decode()
    assert "须填写发布条数" in body
    assert not Activity.objects.exists()


def test_edit_keeps_history_N3_1(campaign, world, cadre_a, login):
    a = ActivityFactory(campaign=campaign, site=world.site_a)
    client = login(cadre_a)
    client.post(f"/campaigns/activities/{a.pk}/edit/", {
        "date": "2021-12-01", "village": world.village_a.pk, "site": world.site_a.pk, "channel": "door",
        "households_visited": 99, "app_installs": 0, "cadres": 1, "police": 0, "grid_workers": 0, "volunteers": 0,
    })  # fmt: skip
    a.refresh_from_db()
    assert a.households_visited == 99
    assert a.history.count() == 2 and a.history.first().history_user == cadre_a


def test_list_filters_search_and_sort_N3_1(campaign, world, town_staff, login):
    ActivityFactory(campaign=campaign, site=world.site_a, title="广场集中宣传", date=date(2021, 12, 1))
    ActivityFactory(campaign=campaign, site=world.site_b, title="入户走访", date=date(2022, 1, 5), flag_late_entry=True)
    client = login(town_staff)
    rows = lambda q: [a.title for a in client.get("/campaigns/activities/" + q).context["page"].rows]  # noqa: E731
    assert rows("") == ["入户走访", "广场集中宣传"]
    assert rows("?sort=date") == ["广场集中宣传", "入户走访"]
    assert rows("?q=广场") == ["广场集中宣传"]
    assert rows("?flag=any") == ["入户走访"]
    assert rows(f"?village={world.village_a.pk}") == ["广场集中宣传"]
    assert rows("?date_from=2022-01-01&date_to=2022-01-31") == ["入户走访"]


def test_keyset_pages_cover_every_row_once(campaign, world, town_staff, login):
    make_activities(campaign, world.site_a, 60)
    client = login(town_staff)
    seen, url = [], "/campaigns/activities/"
    while url:
        ctx = client.get(url).context
        seen += [a.pk for a in ctx["page"].rows]
        url = f"/campaigns/activities/?after={ctx['page'].next_cursor}" if ctx["page"].next_cursor else None
    assert len(seen) == len(set(seen)) == 60
    expected = list(Activity.objects.order_by("-date", "-pk").values_list("pk", flat=True))
    assert seen == expected
    last = client.get("/campaigns/activities/?last=1").context["page"]
    assert [a.pk for a in last.rows] == expected[-25:] and last.is_last
    back = client.get(f"/campaigns/activities/?before={last.prev_cursor}").context["page"]
    assert [a.pk for a in back.rows] == expected[-50:-25]


@pytest.mark.parametrize("n", [5, 80])
def test_activity_list_queries_are_bounded(campaign, world, town_staff, login, django_assert_max_num_queries, n):
    make_activities(campaign, world.site_a, n)
    client = login(town_staff)
    with django_assert_max_num_queries(14):
        assert client.get("/campaigns/activities/?last=1").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get("/campaigns/activities/?q=走访&sort=-created_at").status_code == 200


@pytest.mark.parametrize("n", [2, 30])
def test_obligation_view_queries_are_bounded_N6_1(campaign, world, town_staff, login, django_assert_max_num_queries, n):
    from campaigns.services import enrolment_apply

    for i in range(n):
        site = SiteFactory(village=world.village_a if i % 2 else world.village_b, kind="enterprise", name=f"企业{i}")
        enrolment_apply(actor=None, campaign=campaign, site=site)
        ActivityFactory(campaign=campaign, site=site)
    client = login(town_staff)
    with django_assert_max_num_queries(16):
        response = client.get("/campaigns/missing/?as_of=2022-02-15")
    assert response.status_code == 200
    assert response.context["total"].expected >= n * 3  # monthly visits Nov–Jan per enterprise
    with django_assert_max_num_queries(17):
        drill = client.get(f"/campaigns/missing/?as_of=2022-02-15&village={world.village_a.pk}")
    assert {r.key for r in drill.context["by_site"]} >= {"甲村"}


def test_export_is_csv_with_formula_escaping(campaign, world, town_staff, login):
    ActivityFactory(campaign=campaign, site=world.site_a, title="=HYPERLINK(\"http://x\")")
    body = login(town_staff).get("/campaigns/activities/export/").content.decode("utf-8-sig")
    assert body.splitlines()[0].startswith("开展日期")
    assert "'=HYPERLINK" in body


def test_liaison_records_for_their_own_site_only_N3_4(campaign, world, school_liaison, login):
    from campaigns.services import enrolment_apply

    enrolment_apply(actor=None, campaign=campaign, site=world.school_a)
    client = login(school_liaison)
    form = client.get("/campaigns/activities/new/").context["form"]
    assert form.fields["site"].initial == world.school_a
    response = client.post("/campaigns/activities/new/", {
        "date": "2021-12-09", "village": world.village_a.pk, "site": world.school_a.pk, "channel": "lecture",
        "people_reached": 600, "students_reached": 500, "teachers_reached": 40, "parents_reached": 60,
        "app_installs": 0, "cadres": 0, "police": 1, "grid_workers": 0, "volunteers": 0,
    })  # fmt: skip
    assert response.status_code == 302
    page = client.get(f"/campaigns/schools/{world.school_a.pk}/").content.decode()
    assert "500/500" in page  # students reached against enrolment


def test_evidence_flags_show_to_town_staff_not_to_cadres_N6_4(campaign, world, town_staff, cadre_a, login):
    ActivityFactory(campaign=campaign, site=world.site_a, flag_duplicate_photo=True)
    staff_page = login(town_staff).get("/campaigns/activities/").content.decode()
    assert "照片疑似重复使用" in staff_page and 'name="flag"' in staff_page
    cadre_page = login(cadre_a).get("/campaigns/activities/").content.decode()
    assert "照片疑似重复使用" not in cadre_page and 'name="flag"' not in cadre_page


def test_list_count_is_capped(campaign, world, town_staff, login, monkeypatch):
    from campaigns.views import activity

    monkeypatch.setattr(activity, "COUNT_CAP", 10)
    make_activities(campaign, world.site_a, 12)
    body = login(town_staff).get("/campaigns/activities/").content.decode()
    assert "超过 10 条" in body
