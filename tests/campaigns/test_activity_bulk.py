"""`activity_bulk_record` (the import fast path) refuses exactly what `activity_record` refuses, and saves a
chunk in a fixed number of queries (N3.1–N3.4)."""
import datetime as dt
import math

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from campaigns.models import Activity, Campaign
from campaigns.services import activity_bulk_record, activity_record

from .factories import ActivityFactory, CampaignFactory

CH = Activity.Channel


def new(campaign, village, **over):
    values = {"campaign": campaign, "village": village, "date": dt.date(2021, 12, 1), "channel": CH.BOARD,
              "copies": 2, "title": "村口宣传栏", **over}  # fmt: skip
    return Activity(**values)


def existing(campaign, **over):
    return Activity.objects.get(pk=ActivityFactory(campaign=campaign, **over).pk)


# Each case: (world, open county campaign, closed county campaign) → an activity cadre_a must not save.
BAD = {
    "another_village": lambda w, c, closed: new(c, w.village_b),
    "closed_campaign": lambda w, c, closed: new(closed, w.village_a),
    "reach_missing": lambda w, c, closed: new(c, w.village_a, channel=CH.DOOR_TO_DOOR, copies=None),
    "reach_links_missing": lambda w, c, closed: new(c, w.village_a, channel=CH.WECHAT, copies=None, posts=1),
    "date_outside_campaign": lambda w, c, closed: new(c, w.village_a, date=dt.date(2023, 1, 1)),
    "site_of_other_village": lambda w, c, closed: new(c, w.village_a, site=w.site_b),
    "campaign_elsewhere": lambda w, c, closed: new(CampaignFactory(scope=w.town_y), w.village_a),
    "no_campaign": lambda w, c, closed: new(None, w.village_a),
    "negative_count": lambda w, c, closed: new(c, w.village_a, cadres=-1),
    "title_too_long": lambda w, c, closed: new(c, w.village_a, title="长" * 101),
    "update_in_other_village": lambda w, c, closed: existing(c, site=w.site_b),
    "update_moved_out_of_scope": lambda w, c, closed: _moved(existing(c, site=w.site_a), w.village_b),
    "update_in_closed_campaign": lambda w, c, closed: existing(closed, site=w.site_a),
}


def _moved(activity, village):
    activity.village, activity.site = village, None
    return activity


@pytest.mark.parametrize("case", sorted(BAD))
def test_bulk_refuses_what_activity_record_refuses_N3_1(world, cadre_a, case):
    campaign = CampaignFactory(scope=world.county)
    closed = CampaignFactory(scope=world.county, status=Campaign.Status.CLOSED)
    before = set(Activity.objects.values_list("pk", "updated_at"))
    with pytest.raises(ValidationError) as one:
        activity_record(actor=cadre_a, activity=BAD[case](world, campaign, closed))
    with pytest.raises(ValidationError) as bulk:
        good = new(campaign, world.village_a, title="合格的一条")
        activity_bulk_record(actor=cadre_a, activities=[good, BAD[case](world, campaign, closed)])
    assert bulk.value.messages == one.value.messages
    assert set(Activity.objects.values_list("pk", "updated_at")) >= before
    assert not Activity.objects.filter(title="合格的一条").exists()


def test_bulk_accepts_what_activity_record_accepts_and_sets_the_same_flags_N3_4(world, cadre_a):
    campaign = CampaignFactory(scope=world.county)
    one = activity_record(actor=cadre_a, activity=new(campaign, world.village_a, site=world.site_a))
    bulk = new(campaign, world.village_a, site=world.site_a)
    update = Activity.objects.get(pk=one.pk)
    update.copies = 9
    activity_bulk_record(actor=cadre_a, activities=[bulk, update])
    bulk.refresh_from_db()
    assert (bulk.created_by, bulk.flag_late_entry, bulk.village) == (one.created_by, one.flag_late_entry, one.village)
    assert Activity.objects.get(pk=one.pk).copies == 9
    assert bulk.history.count() == 1 and one.history.count() == 2  # history kept, as for single saves


# A fixed ~8 queries (savepoint, lookups, scope, burst window) plus batched writes: the engine saves
# chunks of CHUNK_ROWS (2000), so at chunk sizes this is well under 2 queries per 100 rows.
@pytest.mark.parametrize("size", [1000, 2000])
def test_bulk_saves_in_at_most_2_queries_per_100_rows_N3_1(world, cadre_a, django_assert_max_num_queries, size):
    campaign = CampaignFactory(scope=world.county)
    olds = [ActivityFactory(campaign=campaign, village=world.village_a, title=f"旧{i}") for i in range(size // 2)]
    rows = [new(campaign, world.village_a, site=world.site_a if i % 2 else None, client_key=str(i))
            for i in range(size // 2)]  # fmt: skip
    for old in olds:
        old.households_visited = 7
    limit = 2 * size // 100  # PostgreSQL: the bound
    if connection.vendor != "postgresql":  # SQLite caps parameters per statement: writes split into more batches
        fields = [f for f in Activity._meta.concrete_fields]
        limit = 10 + 4 * math.ceil(size / 2 / connection.ops.bulk_batch_size(fields, rows))
    with django_assert_max_num_queries(limit):
        activity_bulk_record(actor=cadre_a, activities=rows + olds)
    assert Activity.objects.filter(households_visited=7).count() == size // 2 and Activity.objects.count() == size


def test_bulk_history_rows_match_what_single_saves_write_N3_1(world, cadre_a):
    """The import copies history inside the database (one INSERT … SELECT per chunk): the rows must hold
    what simple_history writes for `activity_record`: every tracked field, the actor, '+' or '~'."""
    campaign = CampaignFactory(scope=world.county)
    one = activity_record(actor=cadre_a, activity=new(campaign, world.village_a, site=world.site_a, client_key="A"))
    bulk = new(campaign, world.village_a, site=world.site_a, client_key="B")
    update = Activity.objects.get(pk=one.pk)
    update.copies = 9
    activity_bulk_record(actor=cadre_a, activities=[bulk, update])
    historical = Activity.history.model
    tracked = [f.attname for f in historical.tracked_fields]
    for activity, kind in ((bulk, "+"), (Activity.objects.get(pk=one.pk), "~")):
        activity.refresh_from_db()
        row = historical.objects.filter(id=activity.pk).latest("history_id")
        assert [getattr(row, f) for f in tracked] == [getattr(activity, f) for f in tracked]
        assert (row.history_type, row.history_user_id, row.history_change_reason) == (kind, cadre_a.pk, None)
        assert abs(row.history_date - activity.updated_at) < dt.timedelta(seconds=1)
    assert historical.objects.filter(id=one.pk).count() == 2  # the single save's row, then the bulk update's


def test_bulk_burst_flags_as_if_saved_one_after_another_N3_4(world, cadre_a):
    """The 10th record within the hour and every later one are a burst; earlier ones are not (the flag is
    decided from the last few entries only, so a 2,000-row chunk is not quadratic)."""
    campaign = CampaignFactory(scope=world.county)
    for i in range(3):
        activity_record(actor=cadre_a, activity=new(campaign, world.village_a, client_key=f"single{i}"))
    rows = [new(campaign, world.village_a, client_key=str(i)) for i in range(30)]
    activity_bulk_record(actor=cadre_a, activities=rows)
    flags = [a.flag_burst for a in rows]
    assert flags == [False] * 6 + [True] * 24  # 3 single saves + 6 = 9 before the 10th
