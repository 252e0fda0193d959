"""Scope-crawl registry of the campaigns app (see tests/scope_registry.py)."""
import datetime as dt

from campaigns.models import Campaign, SanwuOverride
from tests.factories import SiteFactory, UserFactory


def _override(village):
    campaign, _ = Campaign.objects.get_or_create(
        scope=village.parent.parent, name="无诈创建 2021—2022",
        defaults={"starts_on": dt.date(2021, 11, 17), "ends_on": dt.date(2022, 3, 31),
                  "assessment_on": dt.date(2022, 3, 31), "status": Campaign.Status.RUNNING},
    )  # fmt: skip
    return SanwuOverride.objects.create(
        campaign=campaign, site=SiteFactory(village=village), holds=True, reason="核查后认定该案与本单位无关。",
        requested_by=UserFactory(),
    )  # fmt: skip


OBJECT_IN_VILLAGE: dict = {SanwuOverride: _override}  # issue 4 (三无); the campaigns helper adds its own
PUBLIC_URL_NAMES: set[str] = set()
