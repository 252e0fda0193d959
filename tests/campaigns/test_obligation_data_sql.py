"""obligation_status aggregates in SQL (one Entry per site and day, earliest local entry day) and gives
exactly what the row-by-row loading gave, late entries and the midnight boundary included (issue 6)."""
import datetime as dt
from collections import defaultdict

import pytest
from django.db.models import Q
from django.utils import timezone

from campaigns.channels import CONCENTRATED, Channel
from campaigns.models import Activity, Campaign, EnterpriseVisit, VillageDuty
from campaigns.obligation_data import obligation_status
from campaigns.obligations import CampaignFacts, Entry, SiteFacts, VillageFacts, evaluate
from sites.models import Site
from tests.campaigns.factories import ActivityFactory, EnterpriseVisitFactory, VillageDutyFactory
from tests.factories import SiteFactory

pytestmark = pytest.mark.django_db
UTC = dt.timezone.utc


def row_by_row(campaign, sites, as_of):
    """The previous implementation: every activity row loaded, its entry day converted in Python."""
    day = lambda moment: timezone.localtime(moment).date()  # noqa: E731
    site_rows = list(
        Site.objects.filter(pk__in=sites.values("pk"), is_active=True)
        .values("pk", "name", "kind", "school_level", "village__code", "village__name")
        .order_by("village__code", "name")
    )
    ids = [r["pk"] for r in site_rows]
    events, outreach, visits = defaultdict(list), defaultdict(list), defaultdict(list)
    acts = Activity.objects.filter(campaign=campaign, site__in=ids, date__lte=as_of).filter(
        Q(channel__in=CONCENTRATED) | Q(channel=Channel.DOOR_TO_DOOR) | Q(app_installs__gt=0)
    )
    for site_id, on, created, channel, installs in acts.values_list("site_id", "date", "created_at", "channel", "app_installs"):
        if channel in CONCENTRATED:
            events[site_id].append(Entry(on, day(created)))
        if channel == Channel.DOOR_TO_DOOR or installs:
            outreach[site_id].append(Entry(on, day(created)))
    for site_id, on, created in EnterpriseVisit.objects.filter(
        campaign=campaign, site__in=ids, visited_on__lte=as_of
    ).values_list("site_id", "visited_on", "created_at"):
        visits[site_id].append(Entry(on, day(created)))
    villages = {r["village__code"]: r["village__name"] for r in site_rows}
    duties = defaultdict(dict)
    for code, kind, on, created in VillageDuty.objects.filter(
        campaign=campaign, village__code__in=list(villages), kind__in=VillageDuty.SINGLE
    ).values_list("village__code", "kind", "done_on", "created_at"):
        duties[code][kind] = Entry(on, day(created))
    facts = [
        SiteFacts(site_id=r["pk"], name=r["name"], kind=r["kind"], village_code=r["village__code"],
                  school_level=r["school_level"], concentrated_events=tuple(events[r["pk"]]),
                  visits=tuple(visits[r["pk"]]), outreach=tuple(outreach[r["pk"]]))
        for r in site_rows
        if not campaign.site_kinds or r["kind"] in campaign.site_kinds
    ]  # fmt: skip
    village_facts = [VillageFacts(code, name, dict(duties[code])) for code, name in sorted(villages.items())]
    return evaluate(CampaignFacts(campaign.starts_on, campaign.ends_on, campaign.rules or {}), facts, village_facts, as_of)


def entered(obj, moment: dt.datetime):
    type(obj).objects.filter(pk=obj.pk).update(created_at=moment)


def act(campaign, site, on, created, channel="door", installs=0):
    a = ActivityFactory(campaign=campaign, site=site, channel=channel, date=on, app_installs=installs)
    entered(a, created)
    return a


def shanghai(y, m, d, h=10):
    return timezone.make_aware(dt.datetime(y, m, d, h))


@pytest.fixture
def hand_made(world):
    campaign = Campaign.objects.create(
        name="考核前核对", scope=world.county, starts_on=dt.date(2021, 11, 17), ends_on=dt.date(2022, 3, 31),
        assessment_on=dt.date(2022, 3, 31), site_kinds=["community", "campus", "enterprise"],
        status=Campaign.Status.RUNNING,
    )  # fmt: skip
    other = Campaign.objects.create(name="别的活动", scope=world.county, starts_on=dt.date(2021, 11, 17),
                                    ends_on=dt.date(2022, 3, 31), assessment_on=dt.date(2022, 3, 31),
                                    status=Campaign.Status.RUNNING)  # fmt: skip
    community, school = world.site_a, world.school_a
    firm = SiteFactory(village=world.village_b, name="乙村企业", kind="enterprise", employees=40)
    # community (N3.3, last 30 days): same day on time and late; a late one alone; installs on a lecture just
    # after local midnight (16:30 UTC on 14 March = 00:30 on 15 March in Shanghai); other campaign; after as_of
    act(campaign, community, dt.date(2022, 3, 10), shanghai(2022, 4, 2))
    act(campaign, community, dt.date(2022, 3, 10), shanghai(2022, 3, 10))
    act(campaign, community, dt.date(2022, 3, 5), shanghai(2022, 4, 9))
    act(campaign, community, dt.date(2022, 3, 14), dt.datetime(2022, 3, 14, 16, 30, tzinfo=UTC), "lecture", 4)
    act(campaign, community, dt.date(2021, 12, 28), shanghai(2021, 12, 28))
    act(other, community, dt.date(2022, 3, 20), shanghai(2022, 3, 20))
    act(campaign, community, dt.date(2022, 4, 10), shanghai(2022, 4, 10))
    # school (N3.4 semesters): autumn entered late then on time on another day; spring only late, same day twice
    act(campaign, school, dt.date(2021, 12, 1), shanghai(2022, 2, 15), "lecture")
    act(campaign, school, dt.date(2021, 12, 20), shanghai(2022, 1, 30), "event")
    act(campaign, school, dt.date(2022, 3, 2), shanghai(2022, 4, 20), "lecture")
    act(campaign, school, dt.date(2022, 3, 2), shanghai(2022, 4, 12), "film")
    act(campaign, school, dt.date(2022, 3, 3), shanghai(2022, 3, 3), "door")  # not a concentrated event
    # enterprise (N3.5 monthly): December late; January on time after a late one the same day; February by
    # a visit entered at 00:30 local on 8 March, one day past the grace (in UTC it would still be 7 March)
    for on, created in ((dt.date(2021, 12, 15), shanghai(2022, 1, 20)), (dt.date(2022, 1, 10), shanghai(2022, 2, 20)),
                        (dt.date(2022, 1, 10), shanghai(2022, 1, 11)),
                        (dt.date(2022, 2, 25), dt.datetime(2022, 3, 7, 16, 30, tzinfo=UTC))):  # fmt: skip
        entered(EnterpriseVisitFactory(campaign=campaign, site=firm, visited_on=on), created)
    entered(VillageDutyFactory(campaign=campaign, village=world.village_a, kind="plan", done_on=dt.date(2021, 11, 20)),
            shanghai(2021, 12, 20))  # fmt: skip
    entered(VillageDutyFactory(campaign=campaign, village=world.village_b, kind="launch", done_on=dt.date(2021, 12, 30)),
            shanghai(2021, 12, 30))  # fmt: skip
    return campaign


@pytest.mark.parametrize("as_of", [dt.date(2021, 12, 31), dt.date(2022, 2, 7), dt.date(2022, 3, 8),
                                   dt.date(2022, 3, 31), dt.date(2022, 4, 30)])  # fmt: skip
def test_sql_aggregate_gives_the_row_by_row_result_N3_3(hand_made, as_of):
    sites = Site.objects.all()
    new = obligation_status(hand_made, sites, as_of)
    assert new == row_by_row(hand_made, sites, as_of)
    if as_of == dt.date(2022, 3, 31):
        by = {(o.subject_name, o.label): o.status for o in new}
        assert by[("甲村幸福小区", "近30天入户走访或APP推广")] == "done"
        assert by[("甲村小学", "2021年秋季学期集中宣传活动")] == "done"  # 20 Dec entered 30 Jan: within 7 days
        assert by[("甲村小学", "2022年春季学期集中宣传活动")] == "late"  # 2 Mar, entered 12 April at the earliest
        assert by[("乙村企业", "2021年12月安办走访")] == "late"
        assert by[("乙村企业", "2022年1月安办走访")] == "done"  # the earlier entry of the same day wins
        assert by[("乙村企业", "2022年2月安办走访")] == "late"  # entered 8 March local time: past 28 Feb + 7
        assert by[("乙村企业", "2022年3月安办走访")] == "missing"
        assert by[("甲村", "工作方案")] == "done" and by[("乙村专属乙村", "启动仪式")] == "late"


def test_sql_aggregate_costs_four_queries_N3_3(hand_made, django_assert_num_queries):
    with django_assert_num_queries(4):
        obligation_status(hand_made, Site.objects.all(), dt.date(2022, 3, 31))


@pytest.mark.parametrize("as_of", [dt.date(2022, 2, 7), dt.date(2022, 3, 31)])
def test_entries_from_the_assessment_scan_give_the_same_result_N3_3(hand_made, world, as_of):
    """The assessment passes entries built from its single scan (per site, day and channel)."""
    from campaigns.obligation_data import entries_from_channel_days
    from inspections.assessment.figures import activity_scan

    sites = Site.objects.all()
    villages = [world.village_a.pk, world.village_b.pk, world.village_c.pk]
    rows = [r for r in activity_scan(hand_made, villages, sites.values("pk"), as_of) if r.site_id]
    given = obligation_status(hand_made, sites, as_of, activity_entries=entries_from_channel_days(rows))
    assert given == obligation_status(hand_made, sites, as_of) == row_by_row(hand_made, sites, as_of)
