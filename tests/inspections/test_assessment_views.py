"""Assessment pages: start, live progress, results, files, titles (命名), appeals (复核), compare; scoped."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections.assessment import services
from inspections.models import Appeal, AssessmentRun, TitleDecision

from .assessment_helpers import AS_OF, assessment_world, compiled_run

pytestmark = pytest.mark.usefixtures("in_process_tasks")  # rows are uncommitted: no worker sees them


@pytest.fixture
def done_run(world, county_staff, django_capture_on_commit_callbacks):
    return compiled_run(world, county_staff, django_capture_on_commit_callbacks)


def test_start_from_page_runs_in_process_and_shows_result_N6_4(client, world, town_staff, django_capture_on_commit_callbacks):
    campaign = assessment_world(world)
    client.force_login(town_staff)
    page = client.get(reverse("inspections:assessment_list"))
    assert "开始计算" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("inspections:assessment_list"),
                               {"campaign": campaign.pk, "scope": world.town_x.pk, "as_of": "2022-03-31"})  # fmt: skip
    run = AssessmentRun.objects.get()
    assert response.status_code == 302 and response.url == run.get_absolute_url()
    body = client.get(run.get_absolute_url()).content.decode()
    assert "已完成" in body and "45.00" in body and "下载 Excel 报告" in body
    village_page = reverse("inspections:assessment_run_village", args=[run.pk, world.village_a.pk])
    assert village_page in body and "甲村幸福小区" not in body  # the villages here, their sites on their own pages
    assert "甲村幸福小区" in client.get(village_page).content.decode()
    progress = client.get(reverse("inspections:assessment_progress", args=[run.pk])).content.decode()
    assert '<progress class="wuzha-progress' in progress and 'value="100"' in progress and "hx-trigger" not in progress
    xlsx = client.get(reverse("inspections:assessment_file", args=[run.pk, "xlsx"]))
    assert xlsx.status_code == 200 and b"".join(xlsx.streaming_content)[:2] == b"PK"


def test_progress_polls_while_running_and_only_within_scope_N6_4(client, world, town_staff, other_town_staff, cadre_a):
    campaign = assessment_world(world)
    run = services.assessment_start(actor=town_staff, campaign=campaign, scope=world.town_x, as_of=AS_OF)
    url = reverse("inspections:assessment_progress", args=[run.pk])
    client.force_login(town_staff)
    body = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in body and "排队中" in body
    for outsider in (other_town_staff, cadre_a):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.get(run.get_absolute_url()).status_code == 404


def test_stale_run_offers_resume_N6_4(client, world, town_staff):
    campaign = assessment_world(world)
    run = services.assessment_start(actor=town_staff, campaign=campaign, scope=world.town_x, as_of=AS_OF)
    AssessmentRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    client.force_login(town_staff)
    body = client.get(run.get_absolute_url()).content.decode()
    assert "恢复计算" in body and "没有进展" in body


def village_page(run, village):
    return reverse("inspections:assessment_run_village", args=[run.pk, village.pk])


def test_titles_confirmed_by_staff_with_who_when_which_run_N6_4(client, done_run, world, county_staff):
    client.force_login(county_staff)
    url = village_page(done_run, world.village_a)
    client.post(url, {"action": "title", "site": world.site_a.pk})
    decision = TitleDecision.objects.get()
    assert (decision.run, decision.site, decision.decided_by, decision.granted) == (done_run, world.site_a, county_staff, True)
    # a site that does not qualify cannot be named
    client.post(village_page(done_run, world.village_b), {"action": "title", "site": world.site_b.pk})
    assert TitleDecision.objects.count() == 1
    assert "已命名" in client.get(url).content.decode()
    assert "已确认命名 1 个" in client.get(done_run.get_absolute_url()).content.decode()
    # a site of another village is not decided through this village's page, nor without a decision
    assert client.post(url, {"action": "decline", "site": world.site_b.pk}).status_code == 404
    client.post(url, {"site": world.site_a.pk})
    assert TitleDecision.objects.get().granted


def test_run_page_ranks_villages_and_each_village_page_lists_its_sites_N6_4(client, done_run, world, county_staff,
                                                                           town_staff, django_assert_max_num_queries):  # fmt: skip
    """A county's run page is the villages' ranking (not every site with every figure); a village's page holds its
    sites, their components and the title forms; both in a fixed number of queries, and only within scope."""
    client.force_login(county_staff)
    with django_assert_max_num_queries(20):
        body = client.get(done_run.get_absolute_url()).content.decode()
    assert body.count("inspections/assessments/%d/villages/" % done_run.pk) == done_run.village_results.count()
    with django_assert_max_num_queries(20):
        page = client.get(village_page(done_run, world.village_a)).content.decode()
    assert "甲村幸福小区" in page and "明察暗访得分 90.00" in page and "确认命名" in page
    client.force_login(town_staff)  # the county's run is not town staff's
    assert client.get(village_page(done_run, world.village_a)).status_code == 404


def test_appeal_within_window_resolve_then_freeze_N6_4(client, done_run, world, county_staff, cadre_a, cadre_b):
    client.force_login(cadre_a)
    assert client.get(reverse("inspections:assessment_my_results")).content.decode().count("甲村") == 0  # not published
    client.force_login(county_staff)
    client.post(done_run.get_absolute_url(), {"action": "publish"})
    client.force_login(cadre_a)
    listing = client.get(reverse("inspections:assessment_my_results")).content.decode()
    assert "甲村" in listing and "乙村" not in listing
    result = done_run.village_results.get(village=world.village_a)
    other = done_run.village_results.get(village=world.village_b)
    assert client.get(reverse("inspections:assessment_village", args=[other.pk])).status_code == 404
    client.post(reverse("inspections:assessment_village", args=[result.pk]), {"village": world.village_a.pk, "reason": "检查得分录入有误"})
    appeal = Appeal.objects.get()
    assert appeal.filed_by == cadre_a and appeal.status == Appeal.Status.OPEN
    client.force_login(county_staff)
    client.post(done_run.get_absolute_url(), {"action": "freeze"})
    done_run.refresh_from_db()
    assert done_run.frozen_at is None  # an open appeal blocks the freeze
    client.post(reverse("inspections:assessment_appeal", args=[appeal.pk]), {"changed": "0", "resolution": "经核实,维持原结果"})
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.UPHELD and appeal.resolved_by == county_staff
    client.post(done_run.get_absolute_url(), {"action": "freeze"})
    done_run.refresh_from_db()
    assert done_run.frozen_at is not None
    client.post(village_page(done_run, world.village_a), {"action": "title", "site": world.site_a.pk})
    assert not TitleDecision.objects.exists()  # frozen: nothing changes


def test_appeal_window_closes_N6_4(done_run, world, county_staff, cadre_a):
    from django.core.exceptions import ValidationError

    services.assessment_publish(actor=county_staff, run=done_run)
    AssessmentRun.objects.filter(pk=done_run.pk).update(published_at=timezone.now() - dt.timedelta(days=8))
    done_run.refresh_from_db()
    with pytest.raises(ValidationError):
        services.appeal_file(actor=cadre_a, run=done_run, village=world.village_a, reason="太晚了")


def test_compare_two_runs_says_what_changed_N6_4(client, done_run, world, county_staff, django_capture_on_commit_callbacks):
    from decimal import Decimal

    from inspections.models import Inspection

    Inspection.objects.filter(site=world.site_b).update(score=Decimal("95"))
    with django_capture_on_commit_callbacks(execute=True):
        newer = services.assessment_start(actor=county_staff, campaign=done_run.campaign, scope=world.county, as_of=AS_OF)
    client.force_login(county_staff)
    body = client.get(reverse("inspections:assessment_compare", args=[newer.pk]) + f"?other={done_run.pk}").content.decode()
    assert "70.00 → 95.00" in body and "25.00" in body


@pytest.mark.parametrize("runs", [1, 6])
def test_run_list_query_count_N6_4(client, world, town_staff, django_assert_max_num_queries, runs):
    from tests.inspections.scope import _run

    for _ in range(runs):
        _run(world.village_a)
    client.force_login(town_staff)
    with django_assert_max_num_queries(22):
        assert client.get(reverse("inspections:assessment_list")).status_code == 200


@pytest.mark.parametrize("extra", [0, 5])
def test_detail_query_count_N6_4(client, done_run, world, county_staff, django_assert_max_num_queries, extra):
    for n in range(extra):
        TitleDecision.objects.create(run=done_run, site=world.site_a if n == 0 else world.school_a, score=90,
                                     decided_by=county_staff) if n < 2 else None  # fmt: skip
    client.force_login(county_staff)
    with django_assert_max_num_queries(25):
        assert client.get(done_run.get_absolute_url()).status_code == 200
