"""Fills `scoring.SiteFacts` for one site and period from the data that exists.

Today only open rectifications come from this app. The hooks below are where incidents (sites app:
victim cases, suspects, dens, losses) and activities (campaigns app: concentrated events, app-install
rates) plug in once those apps have them; until then their facts stay None ("缺少数据"), so a gate on
them fails loudly instead of passing silently.
"""

import datetime

from sites.models import Site

from .models import Rectification
from .scoring import SiteFacts


def incident_facts(site: Site, start: datetime.date, end: datetime.date) -> dict:
    """HOOK (sites/incidents): {"victim_cases", "suspects", "dens", "max_single_loss"} for the period."""
    return {}


def activity_facts(site: Site, start: datetime.date, end: datetime.date) -> dict:
    """HOOK (campaigns/activities): {"concentrated_events": int, "app_install_rates": {population: pct}}."""
    return {}


def site_facts(site: Site, start: datetime.date, end: datetime.date) -> SiteFacts:
    """Facts of `site` in [start, end]; `previous` holds the same facts for the period just before."""
    facts = SiteFacts(
        open_rectifications=Rectification.objects.filter(site=site).open().count(),
        **incident_facts(site, start, end),
        **activity_facts(site, start, end),
    )
    length = end - start
    before = incident_facts(site, start - length - datetime.timedelta(days=1), start - datetime.timedelta(days=1))
    facts.previous = {k: float(v) for k, v in before.items() if v is not None and not isinstance(v, dict)}
    return facts
