"""Loads the plain facts the obligation rules need, in a fixed number of queries, and evaluates them.

One source for the figures every page shows (issue 16, item 4): the home to-do, the missing list (缺项清单), the
dashboard and the assessment all take
- their date from `as_of_param` (today capped at the campaign's end, unless the page asks for a date),
- their sites from `campaign_sites` (narrowed to what the user may see),
- their obligation rows from `obligation_status(campaign, sites, as_of)`,
- their satisfaction from `survey_by_site` with the threshold of `satisfied_at_least(campaign)`.

The rules only ask, for a window of days, which record came first by (day entered, day it happened)
(`obligations._first`). So the database hands over one Entry per (site, day it happened) carrying the
earliest day any record of that day was entered (local date of `created_at`): the same first record for
every window, without loading every activity row.
"""
from collections import defaultdict
from datetime import date

from django.db.models import Count, Min, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from sites.models import Site

from .channels import CONCENTRATED, CONCENTRATED_CODES, Channel
from .models import Activity, Campaign, EnterpriseVisit, SurveyResponse, VillageDuty
from .obligations import (
    SATISFIED_AT_LEAST, CampaignFacts, Entry, Obligation, SiteFacts, VillageFacts, default_as_of, evaluate,
)  # fmt: skip


def as_of_param(campaign: Campaign, raw: str | None) -> date:
    """The date a page is "as of": ?as_of=YYYY-MM-DD as asked, else today capped at the campaign's end."""
    try:
        return date.fromisoformat(raw or "")
    except ValueError:
        return default_as_of(campaign, timezone.localdate())


def campaign_sites(campaign: Campaign, *, village_ids=None):
    """THE sites a campaign asks its duties of (and the assessment scores): the active sites of its kinds, of the
    given villages, else of its scope, enrolled or not. Pages narrow it to what the user may see."""
    qs = Site.objects.filter(is_active=True)
    if village_ids is not None:
        qs = qs.filter(village_id__in=village_ids)
    else:
        qs = qs.filter(village__code__startswith=campaign.scope.prefix)
    return qs.filter(kind__in=campaign.site_kinds) if campaign.site_kinds else qs


def satisfied_at_least(campaign: Campaign) -> int:
    """The lowest answer (1–5) that counts as satisfied: the campaign's current assessment rules' threshold, else
    the default. The rules are stored by the inspections app, above this one: read through the relation, not an
    import (the dashboard and the assessment pass the merged rules' value, which is the same number)."""
    stored = campaign.assessment_rules.order_by("-version").values_list("rules", flat=True).first()
    return (stored or {}).get("satisfied_at_least", SATISFIED_AT_LEAST)


def survey_by_site(campaign: Campaign, sites, as_of: date, at_least: int) -> dict[int, dict]:
    """Satisfaction per site, THE one definition: {site id: {"n": answers, "ok": satisfied}} over the answers to the
    campaign's survey given on or before `as_of` (local day), an answer ≥ `at_least` counting as satisfied. One
    query; `sites` is a queryset (a subquery) or ids."""
    return {
        row["enrolment__site_id"]: {"n": row["n"], "ok": row["ok"]}
        for row in SurveyResponse.objects.filter(
            enrolment__campaign=campaign, enrolment__site__in=sites, answered_at__date__lte=as_of
        ).values("enrolment__site_id").annotate(n=Count("pk"), ok=Count("pk", filter=Q(satisfaction__gte=at_least)))
        .order_by()
    }  # fmt: skip


def _local_day(moment) -> date:
    return timezone.localtime(moment).date()


def _entered_day():
    """The local date a row was entered (what `_local_day` gives in Python), computed in the database."""
    return TruncDate("created_at", tzinfo=timezone.get_current_timezone())


def entries_from_channel_days(rows) -> tuple[dict, dict]:
    """(concentrated events, outreach) as {site_id: [Entry]} from activity rows already grouped per site, day
    and channel (the assessment's `ScanRow`s: site_id, date, channel, first_day, first_install_day), each with
    `first_day` (the earliest local day a row of the group was entered) and `first_install_day` (the same over
    the group's rows with app installs, or None): one Entry per site and day, exactly as `obligation_status`
    loads them itself."""
    event_first, outreach_first = {}, {}
    door = Channel.DOOR_TO_DOOR.value
    for r in rows:
        key = (r.site_id, r.date)
        if r.channel in CONCENTRATED_CODES:
            known = event_first.get(key)
            if known is None or r.first_day < known:
                event_first[key] = r.first_day
        day = r.first_day if r.channel == door else r.first_install_day
        if day is not None:
            known = outreach_first.get(key)
            if known is None or day < known:
                outreach_first[key] = day
    events, outreach = defaultdict(list), defaultdict(list)
    for target, firsts in ((events, event_first), (outreach, outreach_first)):
        for (site_id, on), day in firsts.items():
            target[site_id].append(Entry(on, day))
    return events, outreach


def first_entered_day(filter=None):
    """The earliest local day the group's rows were entered: MIN(created_at) in the group, then converted to the
    local date once per group (the local day of the earliest moment is the earliest local day)."""
    return TruncDate(Min("created_at", filter=filter), tzinfo=timezone.get_current_timezone())


def obligation_status(campaign: Campaign, sites, as_of: date, *, activity_entries=None) -> list[Obligation]:
    """Obligations of the given sites (a queryset, already scoped by the caller) and of their villages.

    Four queries whatever the number of sites or rows: sites, activities and visits (one row per site and
    day), village duties. The assessment, which scans the activities once for all its figures, passes
    `activity_entries` (from `entries_from_channel_days`, dates up to as_of) and saves the activity query.
    """
    site_rows = list(
        Site.objects.filter(pk__in=sites.values("pk"), is_active=True)
        .values("pk", "name", "kind", "school_level", "village__code", "village__name")
        .order_by("village__code", "name")
    )
    ids = Site.objects.filter(pk__in=sites.values("pk"), is_active=True).values("pk")  # a subquery, not N parameters
    visits = defaultdict(list)
    if activity_entries is not None:
        events, outreach = activity_entries
    else:
        events, outreach = defaultdict(list), defaultdict(list)
        event_q = Q(channel__in=CONCENTRATED)
        outreach_q = Q(channel=Channel.DOOR_TO_DOOR) | Q(app_installs__gt=0)
        per_day = (
            Activity.objects.filter(campaign=campaign, site__in=ids, date__lte=as_of).filter(event_q | outreach_q)
            .values("site_id", "date")
            .annotate(event=Min(_entered_day(), filter=event_q), outreach=Min(_entered_day(), filter=outreach_q))
            .order_by()
        )  # fmt: skip
        for row in per_day:
            if row["event"] is not None:
                events[row["site_id"]].append(Entry(row["date"], row["event"]))
            if row["outreach"] is not None:
                outreach[row["site_id"]].append(Entry(row["date"], row["outreach"]))
    for row in (
        EnterpriseVisit.objects.filter(campaign=campaign, site__in=ids, visited_on__lte=as_of)
        .values("site_id", "visited_on").annotate(entered=Min(_entered_day())).order_by()
    ):  # fmt: skip
        visits[row["site_id"]].append(Entry(row["visited_on"], row["entered"]))
    villages = {r["village__code"]: r["village__name"] for r in site_rows}
    duties = defaultdict(dict)
    for code, kind, on, created in VillageDuty.objects.filter(
        campaign=campaign, village__code__in=list(villages), kind__in=VillageDuty.SINGLE
    ).values_list("village__code", "kind", "done_on", "created_at"):
        duties[code][kind] = Entry(on, _local_day(created))
    facts = [
        SiteFacts(
            site_id=r["pk"], name=r["name"], kind=r["kind"], village_code=r["village__code"],
            school_level=r["school_level"], concentrated_events=tuple(events[r["pk"]]),
            visits=tuple(visits[r["pk"]]), outreach=tuple(outreach[r["pk"]]),
        )
        for r in site_rows
        if not campaign.site_kinds or r["kind"] in campaign.site_kinds
    ]  # fmt: skip
    village_facts = [VillageFacts(code, name, dict(duties[code])) for code, name in sorted(villages.items())]
    c = CampaignFacts(campaign.starts_on, campaign.ends_on, campaign.rules or {})
    return evaluate(c, facts, village_facts, as_of)
