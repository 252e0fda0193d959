"""/api/v1/: the router (one line per endpoint family), the OpenAPI schema and its two readers."""
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from campaigns.api import CampaignViewSet
from sites.api import AreaViewSet, SiteViewSet

from .api import ApiRouter

router = ApiRouter()

router.register("areas", AreaViewSet, basename="area")
router.register("sites", SiteViewSet, basename="site")
router.register("campaigns", CampaignViewSet, basename="campaign")

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
