"""Campaign models; one module per family, re-exported here."""
from .activity import Activity, ActivityPhoto, ActivityQuerySet
from .bulletins import Bulletin, BulletinImage, BulletinReceipt
from .campaign import Campaign, CampaignQuerySet, CampaignStatusChange
from .duties import EnterpriseVisit, SchoolDuty, VillageDuty
from .installs import OfficialInstallFigure
from .enrolment import Enrolment, EnrolmentChange
from .survey import SurveyResponse
from .sanwu import SanwuOverride  # noqa: F401  (三无 overrides)

__all__ = [
    "Activity", "ActivityPhoto", "ActivityQuerySet", "Bulletin", "BulletinImage", "BulletinReceipt", "Campaign", "CampaignQuerySet", "CampaignStatusChange",
    "Enrolment", "EnrolmentChange", "OfficialInstallFigure", "EnterpriseVisit", "SchoolDuty", "SurveyResponse", "VillageDuty",
]  # fmt: skip
