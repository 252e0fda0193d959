"""What the dashboard shows and the assessment does not: a few aggregate queries, whatever the data size.

Activities per month by channel (one query), households visited (one), the sites' households (one),
overdue rectifications (one). Grouped by the node's child key: town code at county level, village code
at town level, site id at village and site level.
"""
from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from campaigns.models import Activity
from campaigns.obligations import effective_date, months_between
from sites.models import Site

from ..models import Rectification


def child_key(level: str, village_code: str, site_id: int | None):
    if level == "county":
        return village_code[:9] + "000"
    if level == "town":
        return village_code
    return site_id


def extras(campaign, node, as_of: datetime.date, site_ids: list[int]) -> dict:
    start, end = campaign.starts_on, effective_date(campaign, as_of)
    acts = Activity.objects.filter(campaign=campaign, date__gte=start, date__lte=end)
    if node.site:
        acts = acts.filter(site=node.site)
    else:
        acts = acts.filter(village__code__startswith=_prefix(campaign, node))
    months = [m.strftime("%Y-%m") for m, _ in months_between(start, end)] if start <= end else []
    labels = dict(Activity.Channel.choices)
    monthly: dict[str, list[int]] = {}
    channels: dict[str, dict] = {}
    rows = (
        acts.annotate(month=TruncMonth("date")).values("month", "channel")
        .annotate(n=Count("pk"), people=Sum("people_reached"), installs=Sum("app_installs")).order_by("month", "channel")
    )  # fmt: skip
    for r in rows:
        label = labels.get(r["channel"], r["channel"])
        series = monthly.setdefault(label, [0] * len(months))
        month = r["month"].strftime("%Y-%m")
        if month in months:
            series[months.index(month)] += r["n"]
        c = channels.setdefault(label, {"channel": label, "count": 0, "people": 0, "installs": 0})
        c["count"] += r["n"]
        c["people"] += r["people"] or 0
        c["installs"] += r["installs"] or 0
    level = "site" if node.site else node.level
    visited, visited_total = defaultdict(int), 0
    group = ("village__code",) if level in ("county", "town") else ("village__code", "site_id")
    for r in acts.filter(households_visited__gt=0).values(*group).annotate(h=Sum("households_visited")).order_by():
        visited_total += r["h"]
        key = child_key(level, r["village__code"], r.get("site_id"))
        if key is not None:
            visited[key] += r["h"]
    households = defaultdict(int)
    for pk, code, h in Site.objects.filter(pk__in=site_ids, kind=Site.Kind.COMMUNITY).values_list(
        "pk", "village__code", "households"
    ):
        households[child_key(level, code, pk)] += h or 0
    overdue = defaultdict(int)
    for pk, code, n in (
        Rectification.objects.filter(site__in=site_ids).overdue(as_of)
        .values_list("site_id", "site__village__code").annotate(n=Count("pk")).order_by()
    ):  # fmt: skip
        overdue[child_key(level, code, pk)] += n
    return {
        "months": months, "monthly": monthly,
        "channels": sorted(channels.values(), key=lambda r: (-r["count"], r["channel"])),
        "households_visited": dict(visited), "households_visited_total": visited_total, "households": dict(households), "overdue": dict(overdue),
    }  # fmt: skip


def _prefix(campaign, node) -> str:
    prefix, cprefix = node.area.prefix, campaign.scope.prefix
    return prefix if len(prefix) >= len(cprefix) else cprefix
