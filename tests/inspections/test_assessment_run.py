"""The compile end to end, in-process (no broker): figures, villages, merge, files; idempotent; resumable."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from inspections.assessment import services
from inspections.assessment.figures import village_figures
from inspections.models import AssessmentRun, AssessmentVillageResult

from .assessment_helpers import AS_OF, assessment_world

pytestmark = pytest.mark.usefixtures("in_process_tasks")  # rows are uncommitted: no worker sees them


def start(user, campaign, scope, captured):
    with captured(execute=True):
        return services.assessment_start(actor=user, campaign=campaign, scope=scope, as_of=AS_OF)


@pytest.fixture
def captured(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def test_run_compiles_scores_ranks_and_titles_by_hand_N6_4(world, county_staff, captured):
    campaign = assessment_world(world)
    run = start(county_staff, campaign, world.county, captured)
    run.refresh_from_db()
    assert run.status == AssessmentRun.Status.DONE, run.error
    assert (run.villages_total, run.villages_done, run.percent) == (3, 3, 100)
    by = {r.village.code: r for r in run.village_results.select_related("village")}
    assert by[world.village_a.code].score == Decimal("45.00") and by[world.village_a.code].rank == 2
    assert by[world.village_b.code].score == Decimal("70.00") and by[world.village_b.code].rank == 1
    assert by[world.village_c.code].score == Decimal("0.00") and by[world.village_c.code].rank == 3
    towns = {t["code"]: t for t in run.summary["towns"]}
    assert towns[world.town_x.code]["score"] == "57.50" and towns[world.town_x.code]["rank"] == 1
    sites = {s["name"]: s for r in by.values() for s in r.data["sites"]}
    assert sites["甲村幸福小区"]["proposed_title"] is True  # 90 ≥ 85, 三无 holds
    assert sites[world.site_b.name]["proposed_title"] is False and sites[world.site_b.name]["sanwu_holds"] is False
    assert run.summary["proposed_titles"] == 1 and run.xlsx.name.endswith(".xlsx")


def test_rerun_gives_identical_result_and_no_duplicates_N6_4(world, county_staff, captured):
    campaign = assessment_world(world)
    first = start(county_staff, campaign, world.county, captured)
    second = start(county_staff, campaign, world.county, captured)
    first.refresh_from_db(), second.refresh_from_db()
    assert first.pk != second.pk and first.result_hash == second.result_hash != ""
    # the village task run again on the same run replaces its row
    from inspections.tasks import assessment_village

    assessment_village.apply(args=[first.pk, world.village_a.pk])
    assert AssessmentVillageResult.objects.filter(run=first).count() == 3


def test_facts_are_wired_from_incidents_and_activities_N1_a(world, county_staff):
    campaign = assessment_world(world)
    from inspections.facts import facts_for_sites

    facts = facts_for_sites([world.site_a, world.site_b], campaign.starts_on, AS_OF, campaign)
    assert facts[world.site_b.pk].victim_cases == 1 and facts[world.site_b.pk].max_single_loss == Decimal("5000")
    assert facts[world.site_a.pk].victim_cases == 0 and facts[world.site_a.pk].concentrated_events == 1
    residents = world.site_a.residents
    if residents:
        assert facts[world.site_a.pk].app_install_rates["residents"] == round(min(100.0, 1200 / residents), 2)


def test_figures_cost_bounded_queries_per_village_N6_4(world, django_assert_max_num_queries):
    campaign = assessment_world(world)
    with django_assert_max_num_queries(25):
        small = village_figures(campaign, world.village_a, AS_OF)
    from tests.factories import SiteFactory

    for n in range(8):
        SiteFactory(village=world.village_a, name=f"加测小区{n}")
    with django_assert_max_num_queries(25):
        big = village_figures(campaign, world.village_a, AS_OF)
    assert len(big.sites) == len(small.sites) + 8


def test_stale_run_is_detected_and_resumed_N6_4(world, county_staff, captured):
    campaign = assessment_world(world)
    # queued but the message never reached a worker (no on_commit execution)
    run = services.assessment_start(actor=county_staff, campaign=campaign, scope=world.county, as_of=AS_OF)
    assert not services.is_stale(run)
    AssessmentRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - dt.timedelta(minutes=30))
    run.refresh_from_db()
    assert services.is_stale(run)
    with captured(execute=True):
        services.assessment_resume(actor=county_staff, run=run)
    run.refresh_from_db()
    assert run.status == AssessmentRun.Status.DONE and run.attempts == 1


def test_identical_active_run_is_not_started_twice_N6_4(world, county_staff):
    campaign = assessment_world(world)
    a = services.assessment_start(actor=county_staff, campaign=campaign, scope=world.county, as_of=AS_OF)
    b = services.assessment_start(actor=county_staff, campaign=campaign, scope=world.county, as_of=AS_OF)
    assert a.pk == b.pk


def test_start_requires_scope_N6_4(world, town_staff, cadre_a):
    campaign = assessment_world(world)
    with pytest.raises(PermissionDenied):
        services.assessment_start(actor=town_staff, campaign=campaign, scope=world.county, as_of=AS_OF)
    with pytest.raises(PermissionDenied):
        services.assessment_start(actor=cadre_a, campaign=campaign, scope=world.town_x, as_of=AS_OF)
    run = services.assessment_start(actor=town_staff, campaign=campaign, scope=world.town_x, as_of=AS_OF)
    assert list(AssessmentRun.objects.visible_to(town_staff)) == [run]
    assert not AssessmentRun.objects.visible_to(cadre_a).exists()


def test_install_rate_uses_the_official_figure_where_one_exists_N3_3(world):
    """site_a's ledger says 12 installs; the police's official figure (45) wins in the assessment (issue 10)."""
    from campaigns.models import OfficialInstallFigure

    campaign = assessment_world(world)
    residents = world.site_a.residents  # 300 (SiteFactory)
    rate = {s.site_id: s.app_install_rate for s in village_figures(campaign, world.village_a, AS_OF).sites}
    assert rate[world.site_a.pk] == round(12 * 100 / residents, 2)
    OfficialInstallFigure.objects.create(campaign=campaign, village=world.village_a, site=world.site_a,
                                         as_of=dt.date(2022, 3, 1), installs=45)  # fmt: skip
    rate = {s.site_id: s.app_install_rate for s in village_figures(campaign, world.village_a, AS_OF).sites}
    assert rate[world.site_a.pk] == 15.0  # 45 / 300


def test_villages_fan_out_per_town_in_batches_N6_4(monkeypatch):
    from inspections.assessment import compile as steps

    pairs = [(1, 10), (2, 10), (4, 10), (3, 11), (5, 12), (6, 12), (7, 12)]
    assert steps.village_batches(pairs) == [[1, 2, 4, 3, 5, 6, 7]]  # small towns packed together
    assert steps.village_batches(pairs, 4) == [[1, 2, 4, 3], [5, 6, 7]]  # whole towns while they fit
    monkeypatch.setattr(steps, "BATCH_SIZE", 2)
    assert steps.village_batches(pairs) == [[1, 2], [4, 3], [5, 6], [7]]  # a town larger than a batch is split


def test_batch_size_does_not_change_the_result_N6_4(world, county_staff, captured, monkeypatch):
    """One village per task or a whole town per task: the same rows, the same hash."""
    from inspections.assessment import compile as steps

    campaign = assessment_world(world)
    default = steps.BATCH_SIZE
    monkeypatch.setattr(steps, "BATCH_SIZE", 1)
    one = start(county_staff, campaign, world.county, captured)
    monkeypatch.setattr(steps, "BATCH_SIZE", default)  # not undo(): that would also undo in_process_tasks
    town = start(county_staff, campaign, world.county, captured)
    one.refresh_from_db(), town.refresh_from_db()
    assert one.status == town.status == AssessmentRun.Status.DONE
    assert one.result_hash == town.result_hash != ""
    assert (town.villages_total, town.villages_done) == (3, 3)


def test_resume_computes_only_the_missing_villages_N6_4(world, county_staff, captured):
    """A run lost after some batches: the resume keeps the finished villages and computes the rest."""
    from inspections.assessment import compile as steps

    campaign = assessment_world(world)
    run = services.assessment_start(actor=county_staff, campaign=campaign, scope=world.county, as_of=AS_OF)
    steps.compute_villages(run, [world.village_a])  # one batch finished, then the worker and the message were lost
    kept = AssessmentVillageResult.objects.get(run=run, village=world.village_a)
    AssessmentRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - dt.timedelta(minutes=30))
    run.refresh_from_db()
    with captured(execute=True):
        services.assessment_resume(actor=county_staff, run=run)
    run.refresh_from_db()
    assert run.status == AssessmentRun.Status.DONE and run.villages_done == 3
    again = AssessmentVillageResult.objects.get(run=run, village=world.village_a)
    assert again.pk == kept.pk and again.computed_at == kept.computed_at  # not recomputed
