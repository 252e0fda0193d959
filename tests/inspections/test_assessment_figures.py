"""`figures_for_villages`: the batched figures dashboards and the compile share (issue 6).

Many villages in one call give exactly what each village gives alone, and the call costs the same number
of queries whatever the number of villages, sites or rows.
"""
import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.models import Campaign, Enrolment, SurveyResponse
from inspections.assessment.figures import figures_for_villages, inspection_list, village_figures
from inspections.models import Inspection, ItemScore, Rectification
from sites.models import Area, KeyPerson
from tests.campaigns.factories import ActivityFactory, EnrolmentFactory, EnterpriseVisitFactory, VillageDutyFactory
from tests.factories import AreaFactory, SiteFactory
from tests.sites.factories import IncidentFactory, KeyPersonFactory

from .assessment_helpers import AS_OF, PUBLISHED, assessment_world
from .factories import inspection_in, plan_in, standard_for

pytestmark = pytest.mark.django_db

MAX_QUERIES = 19  # towns, sites, activities, 三无 2, obligations 3, facts 3, official installs, standards, inspections, section subtotals, survey, deductions, key persons, rectifications, enrolments


def fill_village(campaign, village, n: int, *, rows: int = 1):
    """Sites of every kind with activities, visits, inspections (with deductions), rectifications, surveys,
    key persons, incidents and village duties; `n` varies the figures between villages, `rows` multiplies them."""
    plan = plan_in(village, campaign=campaign, name=f"{village.name}检查{n}")
    community = SiteFactory(village=village, name=f"{village.name}小区{n}", residents=200 + 10 * n)
    school = SiteFactory(village=village, name=f"{village.name}小学{n}", kind="campus", school_level="primary",
                         students=400)  # fmt: skip
    firm = SiteFactory(village=village, name=f"{village.name}企业{n}", kind="enterprise", employees=50)
    SiteFactory(village=village, name=f"{village.name}停用{n}", is_active=False)
    for r in range(rows):
        ActivityFactory(campaign=campaign, site=community, channel="door", date=dt.date(2022, 3, 10 + r % 15),
                        app_installs=3 + n, people_reached=30)  # fmt: skip
        ActivityFactory(campaign=campaign, site=school, channel="lecture", date=dt.date(2021, 12, 1 + r % 20),
                        people_reached=100)  # fmt: skip
        ActivityFactory(campaign=campaign, site=community, channel="film", date=dt.date(2022, 1, 5), people_reached=7)
        EnterpriseVisitFactory(campaign=campaign, site=firm, visited_on=dt.date(2021, 12 if r % 2 else 11, 20 + r % 5))
        KeyPersonFactory(village=village, category=["record", "cards", "brushing"][(n + r) % 3])
    # a late entry: door-to-door on 2 March, entered on 20 March
    late = ActivityFactory(campaign=campaign, site=firm, channel="door", date=dt.date(2022, 3, 2), app_installs=1)
    type(late).objects.filter(pk=late.pk).update(created_at=timezone.make_aware(dt.datetime(2022, 3, 20, 9)))
    VillageDutyFactory(campaign=campaign, village=village, kind="plan", done_on=dt.date(2021, 11, 20 + n))
    for site, score in ((community, 80 + n), (school, 70 + n), (firm, 60)):
        inspection = inspection_in(village, site=site, plan=plan, status=Inspection.Status.PUBLISHED,
                                   score=Decimal(score), published_at=PUBLISHED)  # fmt: skip
        items = list(standard_for(campaign, site.kind).items.order_by("order"))
        ItemScore.objects.create(inspection=inspection, item=items[1], earned=Decimal(20 + n), note=f"宣传栏破损{n}")
        ItemScore.objects.create(inspection=inspection, item=items[0], earned=items[0].max_points)
        Rectification.objects.create(inspection=inspection, site=site, finding="宣传栏破损", deadline=AS_OF,
                                     status="open" if site is community else "verified")  # fmt: skip
    for site, status in ((community, Enrolment.Status.BUILDING), (school, Enrolment.Status.AWAITING)):
        enrolment = EnrolmentFactory(campaign=campaign, site=site, status=status)
        for s in (5, 4, 2)[: 1 + n % 3]:
            SurveyResponse.objects.create(enrolment=enrolment, satisfaction=s, knows_app=True, knows_hotline=False)
    if n % 2:
        IncidentFactory(site=school, occurred_on=dt.date(2022, 2, 1))
    return community, school, firm


def rich_campaign(world) -> Campaign:
    campaign = assessment_world(world, simple_rules=False)  # default rules: every component counts
    Campaign.objects.filter(pk=campaign.pk).update(site_kinds=["community", "campus", "enterprise"])
    campaign.refresh_from_db()
    return campaign


def villages_of(world):
    return list(Area.objects.filter(level=Area.Level.VILLAGE).select_related("parent").order_by("code"))


def test_figures_for_villages_equal_village_figures_per_village_N6_4(world):
    campaign = rich_campaign(world)
    for n, village in enumerate((world.village_a, world.village_b, world.village_c)):
        fill_village(campaign, village, n, rows=2)
    AreaFactory.village(world.town_y, 209, name="无单位村")  # a village without sites
    villages = villages_of(world)
    together = figures_for_villages(campaign, villages, AS_OF)
    assert list(together) == [v.code for v in villages]
    for village in villages:
        alone = village_figures(campaign, Area.objects.get(pk=village.pk), AS_OF)  # parent not preloaded
        assert together[village.code] == alone, village.name
    a = together[world.village_a.code]
    # the figures are really there (not equal because empty)
    assert len(a.sites) == 5 and {s.kind for s in a.sites} == {"community", "campus", "enterprise"}
    assert a.village.town_code == world.town_x.code and a.village.own_expected == 3 and a.village.own_done == 1
    assert a.deductions and a.propaganda and a.key_persons and a.rectifications and a.enrolment
    assert a.published_inspections == 4  # site_a from the helper world, 3 here
    firm = next(s for s in a.sites if s.name.startswith("甲村企业"))
    assert firm.obligations_expected >= 4 and firm.obligations_done >= 1
    assert together[world.village_c.code].key_persons != together[world.village_a.code].key_persons
    empty = together[AreaFactory.village(world.town_y, 209).code]
    assert empty.sites == [] and empty.village.own_expected == 0 and empty.village.town_name == world.town_y.name


def test_figures_for_villages_cost_the_same_queries_whatever_the_size_N6_4(world, django_assert_max_num_queries):
    campaign = rich_campaign(world)
    fill_village(campaign, world.village_a, 0)
    small_villages = [world.village_a, world.village_b]
    with CaptureQueriesContext(connection) as small, django_assert_max_num_queries(MAX_QUERIES):
        small_figures = figures_for_villages(campaign, small_villages, AS_OF)
    for n, village in enumerate((world.village_b, world.village_c), start=1):
        fill_village(campaign, village, n, rows=6)
    more = [AreaFactory.village(world.town_y, 210 + n, name=f"加测村{n}") for n in range(3)]
    for n, village in enumerate(more, start=4):
        fill_village(campaign, village, n, rows=4)
    big_villages = villages_of(world)
    with CaptureQueriesContext(connection) as big, django_assert_max_num_queries(MAX_QUERIES):
        big_figures = figures_for_villages(campaign, big_villages, AS_OF)
    assert len(big_villages) == 6 > len(small_villages)
    assert sum(len(f.sites) for f in big_figures.values()) > 3 * sum(len(f.sites) for f in small_figures.values())
    assert len(big) == len(small)


def test_no_villages_no_queries_N6_4(world, django_assert_num_queries):
    campaign = assessment_world(world)
    with django_assert_num_queries(0):
        assert figures_for_villages(campaign, [], AS_OF) == {}


def test_key_person_counts_only_N6_4(world):
    campaign = rich_campaign(world)
    fill_village(campaign, world.village_a, 0, rows=3)
    KeyPerson.objects.filter(village=world.village_a).update(annulled_at=timezone.now())  # annulled ones never count
    assert village_figures(campaign, world.village_a, AS_OF).key_persons == {}


def test_single_activity_scan_gives_what_each_helper_gives_on_its_own_N6_4(world, monkeypatch):
    """The batch scans the activities once; the figures equal those of the helpers' own queries."""
    from django.db.models import Count, Sum

    from campaigns.installs import install_figures
    from campaigns.models import Activity
    from campaigns.obligation_data import obligation_status
    from inspections.assessment.figures import campaign_sites
    from inspections.facts import facts_for_sites

    campaign = rich_campaign(world)
    for n, village in enumerate((world.village_a, world.village_b, world.village_c)):
        fill_village(campaign, village, n, rows=3)
    ActivityFactory(campaign=campaign, village=world.village_a, site=None, channel="lecture", people_reached=9)
    from inspections.assessment import figures as figures_module

    seen = {}

    def capture(*args, **kwargs):
        seen.update(facts_for_sites(*args, **kwargs))
        return seen

    monkeypatch.setattr(figures_module, "facts_for_sites", capture)
    together = figures_for_villages(campaign, villages_of(world), AS_OF)
    for village in (world.village_a, world.village_b, world.village_c):
        sites = list(campaign_sites(campaign, village))
        installs = install_figures(campaign, sites, AS_OF)
        facts = facts_for_sites(sites, campaign.starts_on, AS_OF, campaign)
        expected = {s.pk: [0, 0, 0] for s in sites}
        for o in obligation_status(campaign, campaign_sites(campaign, village), AS_OF):
            if o.subject == "site" and o.expected:
                expected[o.subject_id][0] += 1
                expected[o.subject_id][1] += o.done
                expected[o.subject_id][2] += o.done and o.on_time
        for s in together[village.code].sites:
            assert s.app_install_rate == installs[s.site_id].percent  # the batch's ledger is the helper's own
            assert [s.obligations_expected, s.obligations_done, s.obligations_on_time] == expected[s.site_id]
            assert seen[s.site_id] == facts[s.site_id]
        propaganda = [
            {"channel": dict(Activity.Channel.choices)[r["channel"]], "count": r["n"], "people": r["people"] or 0,
             "installs": r["installs"] or 0}
            for r in Activity.objects.filter(campaign=campaign, village=village, date__gte=campaign.starts_on,
                                             date__lte=AS_OF)
            .values("channel").annotate(n=Count("pk"), people=Sum("people_reached"), installs=Sum("app_installs"))
            .order_by("channel")
        ]  # fmt: skip
        assert together[village.code].propaganda == propaganda and propaganda
    assert sum(s.obligations_expected for f in together.values() for s in f.sites) > 0
    assert {f.concentrated_events for f in seen.values()} >= {0, 1, 3}  # the helper world's lecture, the schools
    assert any(f.app_install_rates.get("residents") for f in seen.values())


def test_activity_scan_reads_a_moved_sites_old_rows_once_N6_4(world):
    """The scan's two halves (its villages' rows, its sites' rows entered under another village) neither miss
    nor double a row: a site moved from 甲村 to 乙村 keeps its old rows' village."""
    from campaigns.models import Activity
    from inspections.assessment.figures import activity_scan, campaign_sites_of_villages
    from sites.models import Site

    campaign = rich_campaign(world)
    site = SiteFactory(village=world.village_a, name="搬迁小区")
    ActivityFactory(campaign=campaign, site=site, channel="door", date=dt.date(2022, 1, 4), people_reached=11)
    ActivityFactory(campaign=campaign, site=site, channel="door", date=dt.date(2022, 1, 4), people_reached=5)
    Site.objects.filter(pk=site.pk).update(village=world.village_b)
    site.refresh_from_db()
    ActivityFactory(campaign=campaign, site=site, village=world.village_b, channel="door", date=dt.date(2022, 2, 4), people_reached=7)
    assert Activity.objects.filter(site=site, village=world.village_a).count() == 2

    def scan(*villages):
        ids = [v.pk for v in villages]
        rows = activity_scan(campaign, ids, campaign_sites_of_villages(campaign, ids).values("pk"), AS_OF)
        return sorted((r.village_id, str(r.date), r.n, r.people) for r in rows if r.site_id == site.pk)

    a, b = world.village_a.pk, world.village_b.pk
    old, new = (a, "2022-01-04", 2, 16), (b, "2022-02-04", 1, 7)
    assert scan(world.village_b) == sorted([old, new])  # the site's batch: its old rows too
    assert scan(world.village_a) == [old]  # the old village's batch: its own rows (propaganda)
    assert scan(world.village_a, world.village_b) == sorted([old, new])  # both: once each


def test_plain_rows_equal_the_querysets_N6_4(world):
    """The activity scan's rows (raw cursor rows on PostgreSQL) equal the queryset's, types included."""
    from django.db.models import Count, Q, Sum

    from campaigns.models import Activity
    from campaigns.obligation_data import first_entered_day
    from inspections.assessment.figures import plain_rows

    campaign = rich_campaign(world)
    for n, village in enumerate((world.village_a, world.village_b)):
        fill_village(campaign, village, n, rows=3)
    ActivityFactory(campaign=campaign, village=world.village_a, site=None, channel="lecture", people_reached=None)
    qs = (
        Activity.objects.filter(campaign=campaign).values("village_id", "site_id", "date", "channel")
        .annotate(n=Count("*"), people=Sum("people_reached"), installs=Sum("app_installs"), first_day=first_entered_day(),
                  first_install_day=first_entered_day(Q(app_installs__gt=0)))
        .values_list("village_id", "site_id", "date", "channel", "n", "people", "installs", "first_day", "first_install_day")
        .order_by()
    )  # fmt: skip
    union = qs.filter(village=world.village_a).union(qs.exclude(village=world.village_a), all=True)
    key = lambda r: (r[0], r[1] or 0, r[2], r[3])  # noqa: E731
    expected = sorted(list(union), key=key)
    got = sorted(plain_rows(union), key=key)
    assert got == expected and len(got) > 5
    assert [tuple(map(type, r)) for r in got] == [tuple(map(type, r)) for r in expected]


def test_window_counts_inspections_by_the_day_of_the_visit_not_of_publication_N6_4(world):
    """A March visit published in April counts "as of 2022-03-31" (the compile is made later); a visit after the
    date does not, even when it was published before the compile; an unpublished one never does."""
    campaign = rich_campaign(world)
    plan = plan_in(world.village_a, campaign=campaign)
    april = timezone.make_aware(dt.datetime(2022, 4, 12, 9, 0))
    for name, visited, status in (("三月检查小区", dt.date(2022, 3, 20), Inspection.Status.PUBLISHED),
                                  ("四月检查小区", dt.date(2022, 4, 2), Inspection.Status.PUBLISHED),
                                  ("未公布小区", dt.date(2022, 3, 21), Inspection.Status.APPROVED)):  # fmt: skip
        inspection_in(world.village_a, site=SiteFactory(village=world.village_a, name=name), plan=plan, status=status,
                      score=Decimal(90), inspected_on=visited,
                      published_at=april if status == Inspection.Status.PUBLISHED else None)  # fmt: skip
    listed = inspection_list(campaign, [world.village_a.pk], AS_OF)[world.village_a.pk]
    names = {i.site: i.date for i in listed}
    assert names.get("三月检查小区") == dt.date(2022, 3, 20)
    assert "四月检查小区" not in names and "未公布小区" not in names
    figures = figures_for_villages(campaign, [world.village_a], AS_OF)[world.village_a.code]
    assert len(listed) == figures.published_inspections
    march = next(s for s in figures.sites if s.name == "三月检查小区")
    assert march.inspection_scores == (Decimal(90),)
    assert not next(s for s in figures.sites if s.name == "四月检查小区").inspection_scores


def test_plain_rows_and_the_inspection_list_of_nothing_are_empty_N6_4(world):
    """An empty `__in` (a run without villages) gives no rows on every database, as the queryset would."""
    from campaigns.models import Activity
    from inspections.assessment.figures import plain_rows

    assert plain_rows(Activity.objects.filter(village_id__in=[]).values_list("id")) == []
    assert inspection_list(rich_campaign(world), [], AS_OF) == {}


def test_open_rectifications_count_only_in_their_own_campaign_N6_4(world):
    """A deduction published in another campaign's inspection blocks nothing in this one (and counts in its own)."""
    from tests.campaigns.factories import CampaignFactory

    campaign = rich_campaign(world)
    other = CampaignFactory(scope=world.town_x, name="另一项创建活动", site_kinds=["community", "campus", "enterprise"])
    site = SiteFactory(village=world.village_a, name="两项活动的小区")
    visited = timezone.make_aware(dt.datetime(2022, 1, 10, 10, 0))
    for camp in (campaign, other):
        inspection_in(world.village_a, site=site, plan=plan_in(world.village_a, campaign=camp), score=Decimal(95),
                      status=Inspection.Status.PUBLISHED, published_at=visited)  # fmt: skip
    foreign = Inspection.objects.get(plan__campaign=other, site=site)
    Rectification.objects.create(inspection=foreign, site=site, finding="宣传栏缺失", deadline=dt.date(2022, 2, 10),
                                 points_deducted=Decimal(5))  # fmt: skip

    def open_tasks(camp):
        figures = figures_for_villages(camp, [world.village_a], AS_OF)[world.village_a.code]
        return next(s for s in figures.sites if s.name == "两项活动的小区").open_rectifications

    assert open_tasks(campaign) == 0
    assert open_tasks(other) == 1
