"""A small assessment world on top of tests.conftest's `world` (figures chosen to be worked out by hand)."""
import datetime as dt
from decimal import Decimal

from django.utils import timezone

from campaigns.models import Campaign
from inspections.models import AssessmentRules, Inspection
from tests.campaigns.factories import ActivityFactory
from tests.sites.factories import IncidentFactory

from .factories import inspection_in, plan_in

AS_OF = dt.date(2022, 3, 31)
PUBLISHED = timezone.make_aware(dt.datetime(2022, 3, 20, 10, 0))


def assessment_world(world, *, simple_rules=True):
    """Campaign over the county; site_a 90, site_b 70 (a victim case: 三无 broken), school_a not inspected.

    With the simple rules (inspection 100%, village = mean of its sites): village A = (90 + 0) / 2 = 45,
    village B = 70, village C (no inspection) = 0; town X = (45 + 70) / 2 = 57.5, town Y = 0.
    """
    campaign = Campaign.objects.create(
        name="无诈创建考核", scope=world.county, starts_on=dt.date(2021, 11, 17), ends_on=AS_OF, assessment_on=AS_OF,
        site_kinds=["community", "campus"], status=Campaign.Status.RUNNING,
    )  # fmt: skip
    if simple_rules:
        AssessmentRules.objects.create(campaign=campaign, version=1, rules={
            "weights": {"inspection": 100, "completion": 0, "on_time": 0, "app_install": 0, "satisfaction": 0},
            "village": {"sites_weight": 100, "own_weight": 0},
        })  # fmt: skip
    plan = plan_in(world.village_a, campaign=campaign)
    for site, score in ((world.site_a, "90"), (world.site_b, "70")):
        inspection_in(site.village, site=site, plan=plan, status=Inspection.Status.PUBLISHED, score=Decimal(score),
                      published_at=PUBLISHED, inspected_on=PUBLISHED.date())  # fmt: skip
    IncidentFactory(site=world.site_b, occurred_on=dt.date(2022, 1, 15))
    ActivityFactory(campaign=campaign, site=world.site_a, channel="lecture", people_reached=80, app_installs=12,
                    households_visited=None)  # fmt: skip
    return campaign


def compiled_run(world, actor, capture):
    """A county run of `assessment_world`, compiled in-process (its queued tasks run when the start commits)."""
    from inspections.assessment import services

    campaign = assessment_world(world)
    with capture(execute=True):
        run = services.assessment_start(actor=actor, campaign=campaign, scope=world.county, as_of=AS_OF)
    run.refresh_from_db()
    return run
