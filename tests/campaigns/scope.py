"""Scope-crawl registry of the campaigns app (see tests/scope_registry.py)."""
from campaigns.models import Activity, Campaign, Enrolment, EnterpriseVisit, VillageDuty
from sites.models import Site
from tests.factories import SiteFactory

from .factories import ActivityFactory, CampaignFactory, EnrolmentFactory, EnterpriseVisitFactory, VillageDutyFactory


def _campus(village):
    return SiteFactory(village=village, name=f"{village.name}的学校", kind=Site.Kind.CAMPUS, school_level="primary")


def _campaign(village):
    return CampaignFactory(scope=village, name=f"{village.name}的创建活动")


def _enrolment(village):
    site = SiteFactory(village=village, name=f"{village.name}的申报单位")
    return EnrolmentFactory(campaign=CampaignFactory(scope=village.parent), site=site)


OBJECT_IN_VILLAGE = {
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
PUBLIC_URL_NAMES: set[str] = {"campaigns:survey"}
