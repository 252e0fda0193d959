"""Loads the plain facts the obligation rules need, in a fixed number of queries, and evaluates them.

`obligation_status(campaign, sites, as_of)` is what the dashboard and the assessment call.
"""
from collections import defaultdict
from datetime import date

from django.db.models import Q
from django.utils import timezone

from sites.models import Site

from .channels import CONCENTRATED, Channel
from .models import Activity, Campaign, EnterpriseVisit, VillageDuty
from .obligations import CampaignFacts, Entry, Obligation, SiteFacts, VillageFacts, evaluate


def _local_day(moment) -> date:
    return timezone.localtime(moment).date()


def obligation_status(campaign: Campaign, sites, as_of: date) -> list[Obligation]:
    """Obligations of the given sites (a queryset, already scoped by the caller) and of their villages.

    Four queries whatever the number of sites: sites, activities, visits, village duties.
    """
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
    for site_id, on, created, channel, installs in acts.values_list(
        "site_id", "date", "created_at", "channel", "app_installs"
    ):
        entry = Entry(on, _local_day(created))
        if channel in CONCENTRATED:
            events[site_id].append(entry)
        if channel == Channel.DOOR_TO_DOOR or installs:
            outreach[site_id].append(entry)
    for site_id, on, created in EnterpriseVisit.objects.filter(
        campaign=campaign, site__in=ids, visited_on__lte=as_of
    ).values_list("site_id", "visited_on", "created_at"):
        visits[site_id].append(Entry(on, _local_day(created)))
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
