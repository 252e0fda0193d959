"""/api/v1/: the router (one line per endpoint family), the OpenAPI schema and its two readers."""
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from campaigns.api import ActivityViewSet, CampaignViewSet, EnrolmentViewSet
from inspections.api import (
    AssessmentRunViewSet, AssessmentVillageResultViewSet, InspectionViewSet, RectificationViewSet,
)
from sites.api import (
    AreaViewSet, ClueRectificationViewSet, IncidentViewSet, KeyPersonViewSet, PremisesViewSet, SiteViewSet,
    SweepViewSet,
)

from .api import ApiRouter

router = ApiRouter()

router.register("areas", AreaViewSet, basename="area")
router.register("sites", SiteViewSet, basename="site")
router.register("campaigns", CampaignViewSet, basename="campaign")
router.register("enrolments", EnrolmentViewSet, basename="enrolment")
router.register("activities", ActivityViewSet, basename="activity")
router.register("premises", PremisesViewSet, basename="premises")
router.register("sweeps", SweepViewSet, basename="sweep")
router.register("clue-rectifications", ClueRectificationViewSet, basename="clue-rectification")
router.register("incidents", IncidentViewSet, basename="incident")
router.register("key-persons", KeyPersonViewSet, basename="keyperson")
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("rectifications", RectificationViewSet, basename="rectification")
router.register("assessment-runs", AssessmentRunViewSet, basename="assessment-run")
router.register("assessment-results", AssessmentVillageResultViewSet, basename="assessment-result")

# The schema and its readers are public documentation: no login, no per-caller throttle.
DOCS = {"throttle_classes": []}

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(api_version="v1", **DOCS), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema", **DOCS), name="swagger"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html", **DOCS),
         name="redoc"),  # fmt: skip
    path("", include(router.urls)),
]
