"""Scope-crawl registry of the campaigns app (see tests/scope_registry.py)."""
import datetime as dt

from campaigns.models import Activity, Bulletin, BulletinReceipt, Campaign, Enrolment, EnterpriseVisit, SanwuOverride, VillageDuty
from sites.models import Site
from tests.factories import SiteFactory, UserFactory

from .factories import bulletin_in, ActivityFactory, CampaignFactory, EnrolmentFactory, EnterpriseVisitFactory, VillageDutyFactory


def _campus(village):
    return SiteFactory(village=village, name=f"{village.name}的学校", kind=Site.Kind.CAMPUS, school_level="primary")


def _campaign(village):
    return CampaignFactory(scope=village, name=f"{village.name}的创建活动")


def _enrolment(village):
    site = SiteFactory(village=village, name=f"{village.name}的申报单位")
    return EnrolmentFactory(campaign=CampaignFactory(scope=village.parent), site=site)


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


OBJECT_IN_VILLAGE = {
    SanwuOverride: _override,
    Campaign: _campaign,
    Enrolment: _enrolment,
    Activity: lambda village: ActivityFactory(
        campaign=CampaignFactory(scope=village.parent), village=village, site=SiteFactory(village=village)
    ),
}
OBJECT_IN_VILLAGE[EnterpriseVisit] = lambda village: EnterpriseVisitFactory(
    campaign=CampaignFactory(scope=village.parent),
    site=SiteFactory(village=village, kind=Site.Kind.ENTERPRISE, name=f"{village.name}的企业"),
)
OBJECT_IN_VILLAGE[VillageDuty] = lambda village: VillageDutyFactory(campaign=CampaignFactory(scope=village.parent), village=village)

def _receipt(village):
    from campaigns.models import BulletinReceipt

    site = SiteFactory(village=village, name=f"{village.name}的接收单位")
    return BulletinReceipt.objects.create(bulletin=bulletin_in(village.parent), village=village, site=site)


OBJECT_IN_VILLAGE[Bulletin] = lambda village: bulletin_in(village.parent)
OBJECT_IN_VILLAGE[BulletinReceipt] = _receipt
PUBLIC_URL_NAMES: set[str] = {"campaigns:survey", "campaigns:bulletin_public"}
PUBLIC_FILE_URL_NAMES: set[str] = {"campaigns:bulletin_public_image"}
