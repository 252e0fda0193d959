"""The progress dashboard (issue 8): same numbers as the assessment, scope, sealing, drill-down, cache, query bounds."""
import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from campaigns.models import Enrolment, SurveyResponse
from inspections.assessment import services
from inspections.assessment.compute import q, rank_villages, rate, site_result, town_rollup, village_result
from inspections.assessment.figures import figures_for_villages
from inspections.assessment.services import current_rules
from inspections.dashboard.builder import Node, build, campaign_villages, light
from inspections.dashboard.cache import generations
from inspections.models import Inspection, InspectionPlan, Rectification
from sites.models import Area
from tests.campaigns.factories import ActivityFactory
from tests.factories import AreaFactory

from .assessment_helpers import AS_OF, assessment_world
from .factories import inspection_in, plan_in
from .test_assessment_figures import fill_village, rich_campaign

SEALED = "甲村密封暗访计划"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def url(area=None, campaign=None, as_of=AS_OF):
    base = reverse("dashboard:area", args=[area.code]) if area else reverse("dashboard:home")
    return f"{base}?campaign={campaign.pk}&as_of={as_of.isoformat()}" if campaign else base


def filled(world):
    campaign = rich_campaign(world)
    for n, village in enumerate((world.village_a, world.village_b, world.village_c)):
        fill_village(campaign, village, n, rows=2)
    SurveyResponse.objects.update(answered_at=dt.datetime(2022, 3, 1, 10, tzinfo=dt.timezone.utc))  # inside the period
    return campaign


def node(area):
    return Node({1: "county", 2: "town", 3: "village"}[area.level], Area.objects.select_related("parent").get(pk=area.pk))


# --- one source of truth -------------------------------------------------------------------------------------


def test_dashboard_figures_equal_the_assessments_N6_4(world):
    campaign = filled(world)
    _, rules = current_rules(campaign)
    villages = list(campaign_villages(campaign, node(world.county)))
    figs = figures_for_villages(campaign, villages, AS_OF, rules)
    results = {v.code: [site_result(s, rules) for s in figs[v.code].sites] for v in villages}
    by_village = {v.code: village_result(figs[v.code].village, results[v.code], rules) for v in villages}

    town = build(campaign, node(world.town_x), AS_OF)
    expected = rank_villages([by_village[world.village_a.code], by_village[world.village_b.code]])
    assert [(r["key"], r["score"], r["rank"]) for r in town["children"]] == [(v.code, v.score, v.rank) for v in expected]
    assert town["score"] == town_rollup(expected)[0].score
    for row in town["children"]:
        f, rs = figs[row["key"]], results[row["key"]]
        assert row["sites"] == len(f.sites)
        assert row["expected"] == sum(s.obligations_expected for s in f.sites) + f.village.own_expected
        assert row["done"] == sum(s.obligations_done for s in f.sites) + f.village.own_done
        assert row["late"] == sum(s.obligations_done - s.obligations_on_time for s in f.sites)
        assert row["satisfaction"] == rate(sum(s.survey_satisfied for s in f.sites), sum(s.survey_answers for s in f.sites))
        assert row["open_rect"] == sum(s.open_rectifications for s in f.sites)
        assert row["sanwu_broken"] == sum(not s.sanwu_holds for s in f.sites) == by_village[row["key"]].sanwu_broken
        assert row["proposed"] == sum(r.proposed_title for r in rs) == by_village[row["key"]].proposed_titles
    assert town["summary"]["satisfaction"] is not None and town["summary"]["late"] >= 1  # the figures are really there

    county = build(campaign, node(world.county), AS_OF)
    towns = town_rollup(rank_villages(list(by_village.values())))
    assert [(r["key"], r["score"], r["rank"], r["sites"]) for r in county["children"]] == [
        (t.code, t.score, t.rank, t.sites) for t in towns]  # fmt: skip
    channels = {}
    for f in figs.values():
        for p in f.propaganda:
            channels[p["channel"]] = channels.get(p["channel"], 0) + p["count"]
    assert {c["channel"]: c["count"] for c in county["channels"]} == channels
    # the monthly series (the dashboard's own query) adds up to the assessment's per-channel counts
    assert {name: sum(values) for name, values in county["monthly"].items()} == channels

    village = build(campaign, node(world.village_a), AS_OF)
    sites = {r.site_id: r for r in results[world.village_a.code]}
    assert {r["key"]: r["score"] for r in village["children"]} == {pk: r.score for pk, r in sites.items()}
    assert village["score"] == by_village[world.village_a.code].score
    site = build(campaign, Node("site", world.village_a, world.site_a), AS_OF)
    mine = figs[world.village_a.code].sites
    a = next(s for s in mine if s.site_id == world.site_a.pk)
    items = site["site"]["items"]
    assert len([o for o in items if o["status"] != "open"]) == a.obligations_expected
    assert len([o for o in items if o["status"] in ("done", "late")]) == a.obligations_done
    assert site["score"] == sites[world.site_a.pk].score and site["summary"]["expected"] == a.obligations_expected
    rows = {r["key"]: r for r in village["children"]}
    rates = [s.app_install_rate for s in figs[world.village_a.code].sites]
    assert any(r is not None for r in rates)
    for s in figs[world.village_a.code].sites:
        assert rows[s.site_id]["install_rate"] == (None if s.app_install_rate is None else q(s.app_install_rate))


def test_dashboard_matches_a_stored_assessment_run_N6_4(world, county_staff, in_process_tasks,
                                                        django_capture_on_commit_callbacks):
    campaign = filled(world)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.assessment_start(actor=county_staff, campaign=campaign, scope=world.county, as_of=AS_OF)
    run.refresh_from_db()
    assert run.status == run.Status.DONE, run.error
    stored = {r.village.code: r for r in run.village_results.select_related("village")}
    for town in (world.town_x, world.town_y):
        rows = build(campaign, node(town), AS_OF)["children"]
        for row in rows:
            assert row["score"] == stored[row["key"]].score, row["name"]
            sites = stored[row["key"]].data["sites"]
            assert row["proposed"] == sum(s["proposed_title"] for s in sites)
            assert row["sanwu_broken"] == sum(not s["sanwu_holds"] for s in sites)
    county = build(campaign, node(world.county), AS_OF)
    assert [(r["key"], str(r["score"]), r["rank"]) for r in county["children"]] == [
        (t["code"], t["score"], t["rank"]) for t in run.summary["towns"]]  # fmt: skip
    assert county["summary"]["proposed"] == run.summary["proposed_titles"]
    assert county["summary"]["sanwu_broken"] == run.summary["sanwu_broken"]


def test_page_shows_the_figures_and_traffic_lights_N6_4(client, world, town_staff):
    campaign = filled(world)
    client.force_login(town_staff)
    response = client.get(url(world.town_x, campaign))
    assert response.status_code == 200
    data = response.context["data"]
    body = response.content.decode()
    assert f'data-testid="dash-expected">{data["summary"]["expected"]}<' in body
    for row in data["children"]:
        assert f'data-key="{row["key"]}"' in body and f'data-light="{row["light"]}"' in body
    assert 'id="dash-charts" type="application/json"' in body and "echarts.min.js" in body


def test_traffic_light_from_expected_done_late():
    assert light(0, 0, 0) == "none"
    assert light(5, 5, 0) == "green"
    assert light(5, 5, 2) == "amber"
    assert light(10, 8, 0) == "amber"  # 20 % missing: still amber
    assert light(10, 7, 0) == "red"


# --- scope, sealing, drill-down ------------------------------------------------------------------------------


def test_own_area_and_drill_down_with_breadcrumbs(client, world, county_staff):
    campaign = assessment_world(world)
    client.force_login(county_staff)
    home = client.get(reverse("dashboard:home"))
    assert home.status_code == 200 and home.context["node"].area == world.county
    assert home.context["campaign"] == campaign  # the running campaign covering the county is the default
    body = home.content.decode()
    assert reverse("dashboard:area", args=[world.town_x.code]) in body
    town = client.get(url(world.town_x, campaign)).content.decode()
    assert reverse("dashboard:area", args=[world.village_a.code]) in town
    assert reverse("dashboard:area", args=[world.county.code]) in town  # breadcrumb up
    village = client.get(url(world.village_a, campaign))
    assert [c[0] for c in village.context["crumbs"]] == ["测试县", "甲镇", "甲村"]
    site_url = reverse("dashboard:site", args=[world.site_a.pk])
    assert site_url in village.content.decode()
    site = client.get(f"{site_url}?campaign={campaign.pk}&as_of={AS_OF}")
    page = site.content.decode()
    assert site.status_code == 200 and site.context["node"].site == world.site_a
    assert reverse("sites:site_detail", args=[world.site_a.pk]) in page
    assert f'{reverse("campaigns:obligations")}?campaign={campaign.pk}&village={world.village_a.pk}' in page
    assert [c[0] for c in site.context["crumbs"]][-1] == world.site_a.name


def test_as_of_defaults_to_today_capped_at_the_end_and_rolling_rules_stop_there_N6_4(client, world, town_staff):
    campaign = assessment_world(world)
    client.force_login(town_staff)
    assert client.get(url(world.town_x)).context["as_of"] == campaign.ends_on  # today is after the 2022 campaign
    response = client.get(url(world.town_x, campaign, as_of=dt.date(2030, 1, 1)))  # a date asked for is kept…
    assert response.context["as_of"] == dt.date(2030, 1, 1)
    assert response.context["data"]["rolling_on"] == campaign.ends_on  # …and "the last 30 days" end with the campaign
    assert "截至 2030年1月1日" in response.content.decode() and "按结束日计" in response.content.decode()


@pytest.mark.parametrize("persona,target", [
    ("cadre_a", "village_b"), ("cadre_a", "town_x"), ("town_staff", "town_y"), ("town_staff", "village_c"),
    ("town_staff", "county"), ("other_town_staff", "village_a"),
])  # fmt: skip
def test_out_of_scope_code_is_404(client, world, request, persona, target):
    assessment_world(world)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("dashboard:area", args=[getattr(world, target).code])).status_code == 404
    assert client.get(reverse("dashboard:area", args=["999999999999"])).status_code == 404


def test_roles_without_dashboard_get_404(client, world, inspector, school_liaison):
    for user in (inspector, school_liaison):
        client.force_login(user)
        assert client.get(reverse("dashboard:home")).status_code == 404
        assert client.get(reverse("dashboard:area", args=[world.village_a.code])).status_code == 404
        assert client.get(reverse("dashboard:site", args=[world.school_a.pk])).status_code == 404


def sealed_world(world, town_staff):
    campaign = assessment_world(world)
    plan = plan_in(world.town_x, campaign=campaign, created_by=town_staff, name=SEALED)
    inspection_in(world.village_a, site=world.site_a, plan=plan)  # a draft inspection of a sealed plan (the world's
    # own plan, also unannounced and unpublished, holds the two published inspections)
    assert plan.is_sealed
    return campaign


def test_sealed_plans_never_appear_for_village_roles_N6_4(client, world, town_staff, cadre_a, school_liaison):
    campaign = sealed_world(world, town_staff)
    client.force_login(town_staff)
    staff_page = client.get(url(world.village_a, campaign))
    assert staff_page.context["planned"]["plans"] == 2 and staff_page.context["planned"]["inspections"] == 1
    assert 'data-testid="dash-planned"' in staff_page.content.decode()
    plan_in(world.village_a, campaign=campaign, name="又一个暗访计划")  # the per-user count follows plan writes
    assert client.get(url(world.village_a, campaign)).context["planned"]["plans"] == 3
    client.force_login(cadre_a)  # after staff: the cached part must not carry the plan to the cadre
    for page in (url(world.village_a, campaign), reverse("dashboard:home"),
                 f'{reverse("dashboard:site", args=[world.site_a.pk])}?campaign={campaign.pk}&as_of={AS_OF}'):
        response = client.get(page)
        assert response.status_code == 200
        body = response.content.decode()
        assert response.context["planned"] is None
        assert SEALED not in body and "计划中" not in body and 'data-testid="dash-planned"' not in body
        assert response.context["s"]["published_inspections"] == 1  # the published one only
        assert "no-store" in response["Cache-Control"]
    # the announced plan's unpublished inspection is not counted for the cadre either (sealing of inspections)
    InspectionPlan.objects.filter(name=SEALED).update(kind=InspectionPlan.Kind.ANNOUNCED)
    assert client.get(url(world.village_a, campaign)).context["planned"] is None


# --- cache ------------------------------------------------------------------------------------------------


def test_cache_is_per_node_and_a_write_invalidates_only_its_town(client, world, town_staff, other_town_staff,
                                                                 django_assert_max_num_queries):
    campaign = assessment_world(world)
    client.force_login(town_staff)
    first = client.get(url(world.town_x, campaign)).context["s"]["households_visited"]
    x_before, y_before = generations([world.town_x.code[:9]]), generations([world.town_y.code[:9]])
    ActivityFactory(campaign=campaign, site=world.site_b, date=dt.date(2022, 2, 1), households_visited=7)
    assert generations([world.town_x.code[:9]]) != x_before
    assert generations([world.town_y.code[:9]]) == y_before
    assert client.get(url(world.town_x, campaign)).context["s"]["households_visited"] == first + 7
    with django_assert_max_num_queries(12):  # a cached page (10–11): session, user, grants, node, campaigns, plans
        client.get(url(world.town_x, campaign))
    client.force_login(other_town_staff)  # another scope gets its own entry, never town X's
    response = client.get(url(world.town_y, campaign))
    assert response.context["node"].area == world.town_y and "甲村" not in response.content.decode()


# --- query bounds ----------------------------------------------------------------------------------------

BOUND = 40  # measured 38–39 cold: session/user/grants/perms 6, node, campaigns, towns for the cache key, rules,
#             villages, figures 21, own aggregates 4, plans 2 — whatever the number of villages, sites or rows


def grow(campaign, world):
    for n, village in enumerate((world.village_b, world.village_c), start=1):
        fill_village(campaign, village, n, rows=5)
    for n in range(4):
        village = AreaFactory.village(world.town_x if n % 2 else world.town_y, 230 + n, name=f"加测村{n}")
        fill_village(campaign, village, n + 3, rows=4)


@pytest.mark.parametrize("level", ["county", "town_x", "village_a"])
def test_dashboard_queries_are_bounded_on_two_sizes_N6_4(client, world, county_staff, django_assert_max_num_queries,
                                                         level):
    campaign = rich_campaign(world)
    fill_village(campaign, world.village_a, 0)
    client.force_login(county_staff)
    page = url(getattr(world, level), campaign)
    with django_assert_max_num_queries(BOUND):  # cold cache
        small = client.get(page)
    grow(campaign, world)
    cache.clear()
    with django_assert_max_num_queries(BOUND):
        big = client.get(page)
    assert big.context["s"]["sites"] > small.context["s"]["sites"] or level == "village_a"
    assert big.context["s"]["expected"] >= small.context["s"]["expected"]
    site = reverse("dashboard:site", args=[Inspection.objects.filter(site__village=world.village_a).first().site_id])
    with django_assert_max_num_queries(BOUND + 4):  # + the site's own obligation items (4 queries)
        assert client.get(f"{site}?campaign={campaign.pk}&as_of={AS_OF}").status_code == 200


def test_campaign_is_selectable(client, world, town_staff):
    campaign = assessment_world(world)
    other = type(campaign).objects.create(name="甲镇第二期", scope=world.town_x, starts_on=dt.date(2022, 4, 1),
                                          ends_on=dt.date(2022, 9, 30), assessment_on=dt.date(2022, 9, 30),
                                          site_kinds=["community"], status=campaign.Status.RUNNING)  # fmt: skip
    client.force_login(town_staff)
    response = client.get(reverse("dashboard:area", args=[world.town_x.code]) + f"?campaign={other.pk}")
    assert response.context["campaign"] == other and response.context["as_of"] == other.ends_on
    assert {c.pk for c in response.context["campaigns"]} == {campaign.pk, other.pk}
    assert Enrolment.objects.count() == 0


# --- staff land on it -------------------------------------------------------------------------------------


def test_staff_home_loads_the_dashboard_and_the_nav_has_it(client, world, town_staff, cadre_a):
    campaign = filled(world)
    client.force_login(town_staff)
    home = client.get(reverse("home")).content.decode()
    assert f'hx-get="{reverse("dashboard:home")}?panel=1"' in home and 'data-testid="nav-dashboard"' in home
    panel = client.get(reverse("dashboard:home") + f"?panel=1&campaign={campaign.pk}&as_of={AS_OF}")
    assert panel.status_code == 200 and 'data-testid="home-dashboard"' in panel.content.decode()
    behind = [r for r in panel.context["data"]["children"] if r["light"] in ("red", "amber")]
    assert behind and all(reverse("dashboard:area", args=[r["key"]]) in panel.content.decode() for r in behind)
    client.force_login(cadre_a)  # the cadre's home is theirs (issue 8 item 3): the staff panel is not loaded
    home = client.get(reverse("home")).content.decode()
    assert "?panel=1" not in home and 'data-testid="nav-dashboard"' in home


def test_county_serves_the_last_figures_while_a_task_rebuilds_them(client, world, county_staff, town_staff,
                                                                    django_capture_on_commit_callbacks, in_process_tasks):
    campaign = assessment_world(world)
    client.force_login(county_staff)
    before = client.get(url(world.county, campaign)).context["s"]["households_visited"]
    ActivityFactory(campaign=campaign, site=world.site_c, date=dt.date(2022, 2, 1), households_visited=5)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        stale = client.get(url(world.county, campaign))
    assert stale.context["s"]["households_visited"] == before and 'data-testid="dash-stale"' in stale.content.decode()
    assert len(queued) == 1  # dashboard_refresh, run in-process here
    fresh = client.get(url(world.county, campaign))
    assert fresh.context["s"]["households_visited"] == before + 5 and fresh.context["stale_since"] is None
    client.force_login(town_staff)  # below the county, a write is seen at once
    assert client.get(url(world.town_y, campaign)).status_code == 404


def test_every_record_the_figures_read_bumps_its_towns_generation(world):
    from inspections.dashboard.cache import FEEDS

    campaign = assessment_world(world)
    x, y = world.town_x.code[:9], world.town_y.code[:9]

    def bumped(make):
        before = (generations([x]), generations([y]))
        make()
        return generations([x]) != before[0], generations([y]) != before[1]

    enrolment = Enrolment.objects.create(campaign=campaign, site=world.site_a, applied_on=dt.date(2021, 11, 20))
    writes = {
        "campaigns.SurveyResponse": lambda: SurveyResponse.objects.create(enrolment=enrolment, satisfaction=5,
                                                                          knows_app=True, knows_hotline=True),
        "campaigns.Activity": lambda: ActivityFactory(campaign=campaign, site=world.site_b),
        "inspections.Inspection": lambda: Inspection.objects.filter(site=world.site_a).first().save(),
        "inspections.Rectification": lambda: Rectification.objects.create(
            inspection=Inspection.objects.get(site=world.site_b), site=world.site_b, finding="宣传栏缺失",
            deadline=dt.date(2022, 3, 1)),
        "sites.Site": lambda: world.school_a.save(),
    }  # fmt: skip
    for label, make in writes.items():
        assert label in FEEDS
        assert bumped(make) == (True, False), label
    assert bumped(lambda: enrolment.delete()) == (True, False)
    assert bumped(lambda: campaign.save()) == (True, True)  # campaign-wide inputs reach every town


def test_bulk_imported_activities_bump_their_towns_generation_N3_1(world, town_staff):
    """The Excel import saves activities with bulk_create (no post_save): its own signal reaches the cache."""
    from campaigns.models import Activity
    from campaigns.services import activity_bulk_record

    campaign = assessment_world(world)
    x, y = world.town_x.code[:9], world.town_y.code[:9]
    before = (generations([x]), generations([y]))
    activity_bulk_record(actor=town_staff, activities=[Activity(
        campaign=campaign, village=world.village_a, site=world.site_a, date=dt.date(2022, 1, 5),
        channel=Activity.Channel.DOOR_TO_DOOR, households_visited=3, title="入户宣传(导入)", client_key="bulk-1")])  # fmt: skip
    assert Activity.objects.filter(client_key="bulk-1").exists()
    assert (generations([x]) != before[0], generations([y]) != before[1]) == (True, False)
