"""Fills `scoring.SiteFacts` for sites and a period from the data that exists.

Incidents come from the sites app (victim cases, suspects, dens, losses; annulled ones never count),
concentrated events from the campaigns app's activities, and the APP-install rate from THE install figure
(`campaigns.installs.install_figures`: official where uploaded, else the ledger, over the campaign's base), the
same the assessment scores. The
bulk functions take a list of site ids and cost one query each whatever the number of sites; the
per-site hooks call them with one id (used by the inspection gate page).
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Max, Q

from campaigns.channels import CONCENTRATED
from campaigns.installs import install_figures
from campaigns.models import Activity
from sites.models import Incident, Site

from .models import Rectification
from .scoring import SiteFacts


def incident_facts_bulk(site_ids, start: datetime.date, end: datetime.date, *, within=None) -> dict[int, dict]:
    """{site_id: {"victim_cases", "suspects", "dens", "max_single_loss"}} for [start, end]; one query.
    `within`: the same sites as a queryset of pks (a subquery), for large batches."""
    out = {pk: {"victim_cases": 0, "suspects": 0, "dens": 0, "max_single_loss": Decimal("0")} for pk in site_ids}
    rows = (
        Incident.objects.filter(site__in=list(site_ids) if within is None else within, occurred_on__gte=start, occurred_on__lte=end,
                                annulled_at__isnull=True)
        .values("site_id")
        .annotate(
            victims=Count("pk", filter=Q(kind="victim")),
            suspects=Count("pk", filter=Q(kind="suspect")),
            dens=Count("pk", filter=Q(kind="den")),
            loss=Max("amount_lost"),
        )
    )  # fmt: skip
    for r in rows:
        out[r["site_id"]] = {
            "victim_cases": r["victims"], "suspects": r["suspects"], "dens": r["dens"],
            "max_single_loss": r["loss"] or Decimal("0"),
        }  # fmt: skip
    return out


def activity_facts_bulk(sites, start: datetime.date, end: datetime.date, campaign=None, *, agg=None) -> dict[int, dict]:
    """{site_id: {"concentrated_events"}} over [start, end]; `sites` are Site rows.

    One query, or none when the caller already aggregated the period: `agg` = {site_id: {"events": concentrated
    events, ...}} over [start, end] (the assessment's single scan of the activities).
    """
    sites = list(sites)
    if agg is None:
        qs = Activity.objects.filter(site__in=[s.pk for s in sites], date__gte=start, date__lte=end)
        if campaign is not None:
            qs = qs.filter(campaign=campaign)
        agg = {
            r["site_id"]: r
            for r in qs.values("site_id").annotate(events=Count("pk", filter=Q(channel__in=CONCENTRATED)))
        }
    return {s.pk: {"concentrated_events": agg.get(s.pk, {"events": 0})["events"]} for s in sites}


def install_facts(figures: dict, site_ids) -> dict[int, dict]:
    """{site_id: the SiteFacts install fields} from THE install figures (`campaigns.installs.install_figures`):
    the rate over the campaign's base, which base it is, and what to enter when the base is missing."""
    out = {}
    for pk in site_ids:
        f = figures.get(pk)
        if f is None:  # no campaign: no figure, and the condition says 缺少数据
            out[pk] = {}
            continue
        rates = {f.base_kind: f.percent} if f.percent is not None else {}
        out[pk] = {"app_install_rates": rates, "app_install_base": f.base_kind, "app_install_missing": f.missing}
    return out


def incident_facts(site: Site, start: datetime.date, end: datetime.date) -> dict:
    """{"victim_cases", "suspects", "dens", "max_single_loss"} of one site for the period."""
    return incident_facts_bulk([site.pk], start, end)[site.pk]


def activity_facts(site: Site, start: datetime.date, end: datetime.date) -> dict:
    """{"concentrated_events": int} of one site for the period."""
    return activity_facts_bulk([site], start, end)[site.pk]


def _rectifications(campaign):
    """Rectifications belong to the campaign of the inspection that raised them: only that campaign's open
    tasks count against its sites (a deduction in another campaign blocks nothing here)."""
    qs = Rectification.objects.all()
    return qs.filter(inspection__plan__campaign=campaign) if campaign is not None else qs


def facts_for_sites(sites, start: datetime.date, end: datetime.date, campaign=None, *, activity=None,
                    site_ids=None, installs=None) -> dict[int, SiteFacts]:
    """SiteFacts of many sites in a fixed number of queries (rectifications, incidents ×2, activities, and the
    install figures' two unless given).

    Batches pass `activity` (see `activity_facts_bulk(agg=)`), `site_ids` (the same sites as a queryset of
    pks: a subquery instead of thousands of parameters) and `installs` (the `install_figures` the score reads,
    so the conditions and the score see one figure). Otherwise the install figure is the campaign's on `end`.
    """
    sites = list(sites)
    ids = [s.pk for s in sites]
    within = ids if site_ids is None else site_ids
    open_counts = defaultdict(int)
    for site_id, n in (
        _rectifications(campaign).filter(site__in=within).open().values("site_id").annotate(n=Count("pk"))
        .values_list("site_id", "n")
    ):  # fmt: skip
        open_counts[site_id] = n
    now = incident_facts_bulk(ids, start, end, within=within)
    length = end - start
    before = incident_facts_bulk(ids, start - length - datetime.timedelta(days=1), start - datetime.timedelta(days=1),
                                 within=within)  # fmt: skip
    acts = activity_facts_bulk(sites, start, end, campaign, agg=activity)
    if installs is None and campaign is not None:
        installs = install_figures(campaign, sites, end, site_ids=site_ids)
    app = install_facts(installs or {}, ids)
    out = {}
    for pk in ids:
        facts = SiteFacts(open_rectifications=open_counts[pk], **now[pk], **acts[pk], **app[pk])
        facts.previous = {k: float(v) for k, v in before[pk].items() if v is not None}
        out[pk] = facts
    return out


def site_facts(site: Site, start: datetime.date, end: datetime.date, campaign=None) -> SiteFacts:
    """Facts of `site` in [start, end] (of `campaign`'s records, when given); `previous` holds the same facts for
    the period just before."""
    return facts_for_sites([site], start, end, campaign)[site.pk]
