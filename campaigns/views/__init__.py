"""Views of the campaigns app, one module per page family, re-exported here."""
from .activity import ActivityCreateView, ActivityDetailView, ActivityExportView, ActivityListView, ActivityUpdateView
from .campaign import (
    CampaignCreateView, CampaignDetailView, CampaignListView, CampaignUpdateView, CampaignRulesView, CampaignStatusView, EnrolmentDetailView,
    EnrolmentMoveView, EnrolView,
)  # fmt: skip
from .duties import (
    SchoolDutyView, VillageDutyCreateView, VillageDutyListView, VillageDutyUpdateView, VisitCreateView, VisitListView,
    VisitUpdateView,
)  # fmt: skip
from .obligations import HomePanelView, ObligationView, SitePanelView
from .survey import PosterQrView, PosterView, SurveyView

__all__ = [
    "ActivityCreateView", "ActivityDetailView", "ActivityExportView", "ActivityListView", "ActivityUpdateView",
    "CampaignCreateView", "CampaignDetailView", "CampaignListView", "CampaignUpdateView", "CampaignRulesView", "CampaignStatusView", "EnrolView",
    "EnrolmentDetailView", "EnrolmentMoveView", "HomePanelView", "ObligationView", "PosterQrView", "PosterView",
    "SchoolDutyView", "SitePanelView", "SurveyView", "VillageDutyCreateView", "VillageDutyListView",
    "VillageDutyUpdateView", "VisitCreateView", "VisitListView", "VisitUpdateView",
]  # fmt: skip
